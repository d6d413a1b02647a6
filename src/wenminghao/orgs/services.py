from django.db import transaction

from wenminghao.core.audit import changed_only, record_audit, snapshot
from wenminghao.core.errors import RuleViolationError

from .enums import CHILD_KINDS, UnitKind
from .models import Unit

EDITABLE_FIELDS = ("name", "short_name", "kind", "sort_order", "contact_name", "contact_phone", "email")


def _set_path(unit: Unit) -> None:
    parent_path = unit.parent.path if unit.parent_id else "/"
    unit.path = f"{parent_path}{unit.pk}/"
    unit.depth = parent_path.count("/") - 1
    unit.save(update_fields=["path", "depth"])


@transaction.atomic
def create_unit(*, actor, parent: Unit | None, name: str, kind: str, **fields) -> Unit:
    """Create a unit under ``parent`` (None for a top-level office), set its materialized path,
    and write the audit entry. Raises RuleViolationError when the kind may not sit under the parent's
    kind (orgs.enums.CHILD_KINDS)."""
    if parent is not None and kind not in CHILD_KINDS.get(parent.kind, ()):
        allowed = "、".join(UnitKind(k).label for k in CHILD_KINDS.get(parent.kind, ())) or "无"
        raise RuleViolationError.single(
            "unit.kind",
            f"{parent.name}（{parent.get_kind_display()}）之下不能设立{UnitKind(kind).label}，可设立：{allowed}",
            "kind",
        )
    unit = Unit(parent=parent, name=name, kind=kind, **fields)
    unit.full_clean(exclude=["path", "depth"])
    unit.save()
    _set_path(unit)
    record_audit(actor=actor, action="unit.create", target=unit, unit_path=unit.path, after=snapshot(unit))
    return unit


@transaction.atomic
def update_unit(*, actor, unit: Unit, **fields) -> Unit:
    """Edit a unit's own fields (not its place in the tree) and audit the change."""
    unit = Unit.objects.select_for_update(no_key=True).get(pk=unit.pk)
    before = snapshot(unit, EDITABLE_FIELDS)
    for name, value in fields.items():
        if name not in EDITABLE_FIELDS:
            raise ValueError(f"field {name} cannot be edited here")
        setattr(unit, name, value)
    unit.full_clean(exclude=["path", "depth", "parent"])
    unit.save()
    old, new = changed_only(before, snapshot(unit, EDITABLE_FIELDS))
    if new:
        record_audit(actor=actor, action="unit.update", target=unit, unit_path=unit.path, before=old, after=new)
    return unit
