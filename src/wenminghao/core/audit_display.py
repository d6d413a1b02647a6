"""How an audit entry reads on the page: field labels from the model, choices by their labels,
dates in Asia/Shanghai, related objects by name, and before → after per field.

Names of related objects are looked up for a whole page at once: one query per related model
present on the page, whatever the number of entries.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone

from .selectors import SYSTEM_ACTOR

EMPTY = "（空）"
# Lists kept in snapshots (a collective's members and honours, a ledger entry's attendees and chosen items) and how
# to name them; lists of words (kinds of help, items shown) are kept by their Chinese labels.
LIST_LABELS = {"members": "成员", "honours": "荣誉", "attendees": "参学成员", "help_kinds": "帮扶方式",
               "shown": "展示内容"}
OBJECT_URLS = {
    "orgs.unit": "orgs:detail",
    "collectives.collective": "collectives:detail",
    "campaigns.campaign": "campaigns:detail",
}


@dataclass
class ChangeRow:
    label: str
    before: str | None  # None: the entry has no "before" (a creation)
    after: str | None  # None: the entry has no "after"


def _model(object_type: str) -> type[models.Model] | None:
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def object_type_label(object_type: str) -> str:
    model = _model(object_type)
    return str(model._meta.verbose_name) if model is not None else object_type


def _field(model, name: str):
    if model is None:
        return None
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    # A reverse relation (a model's rows pointing at this one) is no field of the snapshot's.
    return None if field.auto_created and not field.concrete else field


def _fk_targets(entries) -> dict[type[models.Model], set]:
    """Related model → ids referenced by the entries' snapshots."""
    wanted: dict[type[models.Model], set] = defaultdict(set)
    for entry in entries:
        model = _model(entry.object_type)
        for snap in (entry.before, entry.after):
            if not isinstance(snap, dict):
                continue
            for name, value in snap.items():
                field = _field(model, name)
                if field is not None and field.many_to_one and value not in (None, ""):
                    wanted[field.related_model].add(value)
    return wanted


def _resolve_names(entries) -> dict[tuple[type[models.Model], Any], str]:
    names = {}
    for related, ids in _fk_targets(entries).items():
        for obj in related._default_manager.filter(pk__in=ids):
            names[(related, obj.pk)] = str(obj)
    return names


def _format_datetime(value: str, *, date_only: bool) -> str:
    try:
        parsed = datetime.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return str(value)
    if date_only:
        return f"{parsed.year}年{parsed.month}月{parsed.day}日"
    if timezone.is_aware(parsed):
        parsed = timezone.localtime(parsed)
    return f"{parsed.year}年{parsed.month}月{parsed.day}日 {parsed:%H:%M}"


def _format_list(name: str, items: list) -> str:
    if not items:
        return "无"
    if name in ("members", "attendees"):
        names = [str(item.get("name", "")) for item in items if isinstance(item, dict)]
        shown = "、".join(names[:8]) + ("等" if len(names) > 8 else "")
        return f"共{len(items)}人：{shown}"
    if name == "honours":
        return "；".join(
            f"{item.get('year', '')}年 {item.get('title', '')}" for item in items if isinstance(item, dict)
        )
    if all(isinstance(item, str) for item in items):
        return "、".join(items)
    return f"共{len(items)}项"


def format_value(model, name: str, value: Any, names: dict) -> str:
    if value is None or value == "":
        return EMPTY
    if isinstance(value, list):
        return _format_list(name, value)
    field = _field(model, name)
    if field is not None:
        if field.many_to_one:
            label = names.get((field.related_model, value))
            return label if label is not None else f"编号{value}（已删除）"
        if field.choices:
            return str(dict(field.flatchoices).get(value, value))
        if isinstance(field, models.DateTimeField):
            return _format_datetime(value, date_only=False)
        if isinstance(field, models.DateField):
            return _format_datetime(value, date_only=True)
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dict):
        return "；".join(f"{key}：{item}" for key, item in value.items())
    return str(value)


def field_label(model, name: str) -> str:
    if name in LIST_LABELS:
        return LIST_LABELS[name]
    field = _field(model, name)
    return str(field.verbose_name) if field is not None and hasattr(field, "verbose_name") else name


def _is_internal(model, name: str) -> bool:
    """Bookkeeping columns (the id, the materialized path, timestamps) say nothing to a reader."""
    field = _field(model, name)
    return field is not None and (field.primary_key or not field.editable)


def change_rows(entry, names: dict) -> list[ChangeRow]:
    """Field by field: label, value before, value after. A creation has only "after" values; an edit
    shows only the fields that changed (the services store changed fields only)."""
    model = _model(entry.object_type)
    before = entry.before if isinstance(entry.before, dict) else None
    after = entry.after if isinstance(entry.after, dict) else None
    keys = list(dict.fromkeys([*(after or {}), *(before or {})]))
    rows = []
    for key in keys:
        if _is_internal(model, key):
            continue
        if before is None and after is not None and after.get(key) in (None, "", []):
            continue  # a creation: list only the values that were filled in
        rows.append(
            ChangeRow(
                label=field_label(model, key),
                before=format_value(model, key, before.get(key), names) if before is not None else None,
                after=format_value(model, key, after.get(key), names) if after is not None else None,
            )
        )
    return rows


def decorate(entries) -> None:
    """Give each entry of a page ``rows``, ``type_label``, ``actor_label`` and ``object_url_name``."""
    entries = list(entries)
    names = _resolve_names(entries)
    for entry in entries:
        entry.rows = change_rows(entry, names)
        entry.type_label = object_type_label(entry.object_type)
        entry.object_url_name = OBJECT_URLS.get(entry.object_type)
        if entry.actor is not None:
            entry.actor_label = f"{entry.actor.display_name or entry.actor.username}（{entry.actor.username}）"
        else:
            entry.actor_label = entry.actor_name or SYSTEM_ACTOR
