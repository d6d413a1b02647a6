from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from wenminghao.core.audit import changed_only, record_audit, snapshot
from wenminghao.core.errors import RuleViolationError, Violation, violations_from_validation_error
from wenminghao.core.versions import check_version

from .models import Collective, Honour, Member

COLLECTIVE_FIELDS = (
    "name", "host_org", "unit", "sector", "org_type", "unit_form", "contact_name", "contact_phone",
    "public_commitment", "supervision_phone",
)
MEMBER_FIELDS = ("name", "birth_date", "post", "is_leader")
HONOUR_FIELDS = ("level", "year", "title", "valid_until")
# The audit actions that raise a collective's version (core.versions names the newest in a refusal).
VERSIONED_ACTIONS = ("collective.create", "collective.update")


def _full_snapshot(collective: Collective) -> dict[str, Any]:
    data = snapshot(collective, COLLECTIVE_FIELDS)
    data["members"] = [snapshot(m, MEMBER_FIELDS) for m in collective.members.all().order_by("id")]
    data["honours"] = [snapshot(h, HONOUR_FIELDS) for h in collective.honours.all().order_by("id")]
    return data


def _check_members(members: list[Mapping[str, Any]]) -> list[Violation]:
    leaders = [m for m in members if m.get("is_leader")]
    if len(leaders) > 1:
        names = "、".join(str(m.get("name", "")) for m in leaders)
        return [Violation("members.leaders", f"一个集体只能有一位号长，现标记了{len(leaders)}位：{names}", "members")]
    return []


def _sync_rows(collective: Collective, model, rows: Iterable[Mapping[str, Any]], fields, label: str):
    """Build the collective's child rows (members or honours) from ``rows``: a row with an ``id`` updates
    that child. Returns (violations, children to save, ids to keep); saves nothing."""
    violations: list[Violation] = []
    existing = {child.pk: child for child in model.objects.filter(collective=collective)}
    keep: set[int] = set()
    to_save = []
    for index, row in enumerate(rows, start=1):
        child = existing.get(row.get("id")) if row.get("id") else None
        if child is None:
            child = model(collective=collective)
        else:
            keep.add(child.pk)
        for field in fields:
            if field in row:
                value = row[field]
                setattr(child, field, "" if value is None and field == "post" else value)
        try:
            child.full_clean(exclude=["collective"])
        except ValidationError as error:
            plural = "members" if model is Member else "honours"
            violations += violations_from_validation_error(
                error, prefix=f"第{index}{label}：", field_prefix=f"{plural}.{index}.", model=model
            )
        to_save.append(child)
    return violations, to_save, keep


def _sync_members(collective: Collective, members: Iterable[Mapping[str, Any]]) -> list[Violation]:
    """Make the collective's members exactly ``members``."""
    violations, to_save, keep = _sync_rows(collective, Member, members, MEMBER_FIELDS, "位成员")
    if violations:
        return violations
    collective.members.exclude(pk__in=keep).delete()
    # Save members losing the leader flag first so the one-leader constraint holds at every step.
    for member in sorted(to_save, key=lambda m: (m.is_leader, m.pk is None)):
        member.save()
    return []


# A title with a history of its management (reviews, warnings: ``Honour.events``, the reverse relation of the title
# events of the app that manages titles, read by name as ``orgs`` counts ``Unit.collectives``) keeps that history:
# editing its year or deleting it in the collective's form would rewrite or lose it.
_MANAGED = Q(awarded_by__isnull=False) | Q(revoked_at__isnull=False) | Q(events__isnull=False)


def protected_honours(collective: Collective):
    """The titles no form or import may change or delete: those a naming of the platform wrote (``awarded_by``),
    those revoked (their record stays as it was decided) and those reviewed or warned. They are managed on their title
    pages only."""
    return collective.honours.filter(_MANAGED).distinct()


def editable_honours(collective: Collective):
    """The titles typed in by hand, never reviewed, warned or revoked: the honour rows of the edit form."""
    return collective.honours.exclude(_MANAGED)


def _sync_honours(collective: Collective, honours: Iterable[Mapping[str, Any]]) -> list[Violation]:
    """Make the collective's editable honours exactly ``honours``; the protected ones (``protected_honours``) stay
    untouched whatever the rows say, and a row naming one of them is refused."""
    honours = list(honours)
    protected = {honour.pk: honour for honour in protected_honours(collective)}
    violations = [
        Violation("honours.protected", f"第{index}项荣誉：“{protected[row['id']].title}”由平台命名或已复核、"
                                       "警告、撤销，不能在此修改或删除，请在其称号页面管理", f"honours.{index}.id")
        for index, row in enumerate(honours, start=1) if row.get("id") in protected
    ]
    if violations:
        return violations
    violations, to_save, keep = _sync_rows(collective, Honour, honours, HONOUR_FIELDS, "项荣誉")
    if violations:
        return violations
    editable_honours(collective).exclude(pk__in=keep).delete()
    for honour in to_save:
        honour.save()
    return []


@transaction.atomic
def create_collective(
    *,
    actor,
    fields: Mapping[str, Any],
    members: Iterable[Mapping[str, Any]] = (),
    honours: Iterable[Mapping[str, Any]] = (),
    audit: bool = True,
) -> Collective:
    """Create a collective with its members and honours, all or nothing. Raises RuleViolationError
    listing every invalid field (with the member or honour row) and writes nothing then."""
    members, honours = list(members), list(honours)
    collective = Collective(**{k: v for k, v in fields.items() if k in COLLECTIVE_FIELDS})
    violations = _check_members(members)
    try:
        collective.full_clean()
    except ValidationError as error:
        violations += violations_from_validation_error(error, model=Collective)
    if violations:
        raise RuleViolationError(violations)
    collective.save()
    violations = _sync_members(collective, members) + _sync_honours(collective, honours)
    if violations:
        raise RuleViolationError(violations)
    if audit:
        record_audit(
            actor=actor, action="collective.create", target=collective, unit_path=collective.unit.path,
            after=_full_snapshot(collective),
        )
    return collective


@transaction.atomic
def update_collective(
    *,
    actor,
    collective: Collective,
    fields: Mapping[str, Any],
    members: Iterable[Mapping[str, Any]] | None = None,
    honours: Iterable[Mapping[str, Any]] | None = None,
    expected_version: int | None = None,
) -> Collective:
    """Edit a collective (and, when given, replace its members and honours: honours only by an admin above it,
    ``collectives.change_honours``), all or nothing, audited with the values before and after. Moving it to another
    unit is allowed only to callers that passed the ``collectives.move_collective`` check.

    ``expected_version`` is the ``version`` the editor's form was made from: when someone saved the collective in
    between, the edit is refused (StaleEditError, code ``collective.stale``, saying when and by whom) and nothing is
    written; None skips the check. The row is locked first, so of two saves at once the second waits and then
    compares. Side effects: the collective's row with ``version`` raised by one when anything changed, its members
    and honours, one audit entry ``collective.update`` with the changed values."""
    collective = Collective.objects.select_for_update(no_key=True).select_related("unit").get(pk=collective.pk)
    check_version(collective, expected_version, noun="该集体", code="collective.stale",
                  actions=VERSIONED_ACTIONS)
    before = _full_snapshot(collective)
    for name, value in fields.items():
        if name in COLLECTIVE_FIELDS:
            setattr(collective, name, value)
    members = list(members) if members is not None else None
    violations = _check_members(members) if members is not None else []
    try:
        collective.full_clean()
    except ValidationError as error:
        violations += violations_from_validation_error(error, model=Collective)
    if violations:
        raise RuleViolationError(violations)
    collective.save()
    if members is not None:
        violations += _sync_members(collective, members)
    if honours is not None and not actor.has_perm("collectives.change_honours", collective):
        violations.append(Violation(
            "honours.admin_only", f"荣誉称号由{collective.unit.name}或上级团委录入，集体账号不能修改；"
                                  f"如有遗漏或错误，请联系{collective.unit.name}", "honours"))
    elif honours is not None:
        violations += _sync_honours(collective, honours)
    if violations:
        raise RuleViolationError(violations)
    old, new = changed_only(before, _full_snapshot(collective))
    if new:
        collective.version += 1
        Collective.objects.filter(pk=collective.pk).update(version=collective.version)
        record_audit(
            actor=actor, action="collective.update", target=collective, unit_path=collective.unit.path, before=old,
            after=new,
        )
    return collective
