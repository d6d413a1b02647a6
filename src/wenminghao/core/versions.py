"""Optimistic locking of edits: an object edited on a form (or through the API) carries the ``version`` it had when
the editor read it; the service locks the row, compares, and refuses a save made on an older version, so that two
people editing the same object at once never silently overwrite each other (the one who saves second reloads).

A model takes part with a ``version`` integer column that its services raise by one, under the row lock, with every
change the edit form or the API shows. The check itself is ``check_version``; the API reads the version a client
saw from ``If-Match`` (``parse_if_match``).
"""

from collections.abc import Iterable

from django.db import models
from django.utils import timezone

from .errors import StaleEditError, Violation
from .models import AuditEntry


def _last_change(instance: models.Model, actions: Iterable[str] | None) -> tuple[str, str]:
    """When the stored version was written and by whom, as the audit log says (the newest entry of ``actions``)."""
    entries = AuditEntry.objects.filter(object_type=instance._meta.label_lower, object_id=str(instance.pk))
    if actions is not None:
        entries = entries.filter(action__in=list(actions))
    entry = entries.select_related("actor").order_by("-created_at", "-id").first()
    when = entry.created_at if entry is not None else getattr(instance, "updated_at", None)
    who = (str(entry.actor) if entry.actor_id else entry.actor_name) if entry is not None else ""
    if when is None:
        return "", who
    local = timezone.localtime(when)
    return f"{local.month}月{local.day}日 {local:%H:%M:%S}", who


def check_version(instance: models.Model, expected: int | None, *, noun: str, code: str,
                  actions: Iterable[str] | None = None) -> None:
    """Refuse (StaleEditError, nothing written) an edit based on version ``expected`` of ``instance`` (read under the
    row lock) when the stored version is another one. ``expected`` None skips the check (last write wins: the
    demo data, a script through the API without If-Match). ``noun`` names the object in the message (该集体, 该作品);
    ``actions`` are the audit actions that raise the version, to say when and by whom it was last changed."""
    if expected is None or expected == instance.version:
        return
    when, who = _last_change(instance, actions)
    detail = "，".join(part for part in (f"{when}时" if when else "", f"修改人：{who}" if who else "") if part)
    detail = f"（{detail}）" if detail else ""
    raise StaleEditError([Violation(
        code, f"{noun}已被其他人修改{detail}，请刷新后重新编辑；您的修改未保存。", None,
    )])


def parse_if_match(header: str | None) -> int | None:
    """The version an API client read, from its ``If-Match`` header (the ``ETag`` of the object: ``"7"``). Absent or
    ``*``: None (no check). A weak tag ``W/"7"`` or a bare ``7`` is taken as the same version; a list of tags takes
    the first; anything else can never match (-1)."""
    if header is None or not header.strip() or header.strip() == "*":
        return None
    tag = header.split(",")[0].strip()
    if tag.startswith("W/"):
        tag = tag[2:]
    tag = tag.strip('"')
    return int(tag) if tag.isascii() and tag.isdigit() and len(tag) < 10 else -1


def etag(version: int) -> str:
    """The ``ETag`` an object's version is sent as (strong: it names one version of the object's own fields)."""
    return f'"{version}"'
