from dataclasses import dataclass

from django.core.exceptions import PermissionDenied


@dataclass(frozen=True)
class Violation:
    """One unmet rule: a stable machine code, a specific Chinese message, and the field it concerns."""

    code: str
    message: str
    field: str | None = None

    def as_dict(self) -> dict:
        return {"code": self.code, "message": self.message, "field": self.field}


class RuleViolationError(Exception):
    """Raised by a service when input breaks one or more rules; nothing has been changed.
    Pages show every message; the API answers 422 with every violation."""

    def __init__(self, violations: list[Violation]):
        self.violations = list(violations)
        super().__init__("; ".join(v.message for v in self.violations))

    @classmethod
    def single(cls, code: str, message: str, field: str | None = None) -> "RuleViolationError":
        return cls([Violation(code, message, field)])


class StaleEditError(RuleViolationError):
    """Raised by a service when an edit was made on an older version of the object than the one now stored (someone
    saved in between); nothing has been changed. Pages ask to reload and edit again; the API answers 412 (its
    ``If-Match`` did not match)."""


class NotPermitted(PermissionDenied):
    """The user may see the object but not do this to it (HTTP 403). A PermissionDenied, so a page that lets it
    through answers 403 with its message, like any refusal; the API answers it in its error shape."""

    def __init__(self, message: str = "您没有权限执行此操作。"):
        self.message = message
        super().__init__(message)


def violations_from_validation_error(
    error, *, prefix: str = "", field_prefix: str = "", model=None
) -> list[Violation]:
    """Turn a Django ValidationError (from ``full_clean``) into violations with Chinese messages. With
    ``model``, each message names its field (“集体名称：此字段不能为空。”)."""
    violations: list[Violation] = []
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            label = ""
            if model is not None and field != "__all__":
                try:
                    label = f"{model._meta.get_field(field).verbose_name}："
                except Exception:  # noqa: BLE001 - a non-field key: no label
                    label = ""
            for item in errors:
                message = " ".join(item.messages)
                violations.append(
                    Violation(f"invalid.{field}", f"{prefix}{label}{message}", f"{field_prefix}{field}")
                )
    else:
        for message in error.messages:
            violations.append(Violation("invalid", f"{prefix}{message}", field_prefix.rstrip(".") or None))
    return violations
