"""The audit log: every state change and edit is written here, in the same transaction as the change."""

import datetime
import decimal
from collections.abc import Iterable
from typing import Any

from django.db import models

from .audit_actions import ACTIONS
from .models import AuditEntry


def snapshot(instance: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """The JSON-able values of an instance's concrete fields (foreign keys by id), for before/after."""
    names = set(fields) if fields is not None else None
    values: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if names is not None and field.name not in names:
            continue
        if field.name in {"password"}:
            continue
        value = getattr(instance, field.attname)
        values[field.name] = _jsonable(value)
    return values


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def changed_only(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Reduce two snapshots to the keys whose values differ."""
    keys = [key for key in set(before) | set(after) if before.get(key) != after.get(key)]
    return {key: before.get(key) for key in keys}, {key: after.get(key) for key in keys}


def record_audit(
    *,
    actor,
    action: str,
    target: models.Model,
    unit_path: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    ip_address: str | None = None,
) -> AuditEntry:
    """Write one audit entry. Call inside the transaction of the change it records. ``action`` is a key of
    core/audit_actions.py (ValueError for any other: a typo would otherwise hide an entry from its filter)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}: add it to core/audit_actions.py")
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=getattr(actor, "username", "") or "",
        action=action,
        object_type=target._meta.label_lower,
        object_id=str(target.pk),
        object_repr=str(target)[:255],
        unit_path=unit_path,
        before=_jsonable(before) if before is not None else None,
        after=_jsonable(after) if after is not None else None,
        ip_address=ip_address,
    )
