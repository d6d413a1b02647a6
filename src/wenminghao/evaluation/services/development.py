"""The only code that records leader training (号长培训), exchange visits (交流观摩) and new-and-old pairs
(新老号结对). Every function is atomic and audited, checks the actor itself (NotPermitted: 403) and raises
RuleViolationError listing every unmet rule at once (nothing changed then).

Inputs use plain names and ids (``date``, ``title``, ``host``, ``visitors``, ``mentor``, ``mentee``...), as a form or
an API body gives them. The admin records for its own unit (``actor.unit``): the collectives it names must lie in
that unit's subtree. Dates are of what happened: not after today, nor before the campaign's work began (1 January of
the year before its year, since a campaign like 2017—2018年度 spans two)."""

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from wenminghao.campaigns.selectors import creating_filings
from wenminghao.collectives.enums import HonourState
from wenminghao.collectives.models import Collective, Honour, Member
from wenminghao.core.audit import record_audit, snapshot
from wenminghao.core.errors import NotPermitted, RuleViolationError, Violation
from wenminghao.core.http import int_or_none

from ..models import TEXT_MAX_CHARS, ExchangeVisit, MentorPair, TrainingAttendance, TrainingSession

TITLE_MAX_CHARS = 100
PLACE_MAX_CHARS = 100
TRAINING_FIELDS = ("campaign", "unit", "date", "title", "place", "content")
EXCHANGE_FIELDS = ("campaign", "unit", "date", "host", "topic", "notes")
PAIR_FIELDS = ("campaign", "unit", "mentor", "mentee", "started", "goals")


def _require(actor, perm: str, obj, denied: str) -> None:
    if actor is None or not actor.has_perm(perm, obj):
        raise NotPermitted(denied)


def _text(value) -> str:
    return value.strip() if isinstance(value, str) else ""


def _check_text(value: str, *, limit: int, code: str, what: str, field: str, violations: list[Violation],
                required: bool = False) -> None:
    if required and not value:
        violations.append(Violation(f"{code}_required", f"请填写{what}", field))
    elif len(value) > limit:
        violations.append(Violation(f"{code}_too_long", f"{what}为{len(value)}字，超过{limit}字的上限，请精简", field))


def earliest_day(campaign) -> datetime.date:
    """The first day a record of the campaign may bear: 1 January of the year before the campaign's year."""
    return datetime.date(campaign.year - 1, 1, 1)


def _day(value, *, campaign, prefix: str, what: str, field: str, violations: list[Violation]) -> datetime.date | None:
    """A date of what happened (``YYYY-MM-DD`` or a date): required, not after today, not before the campaign."""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, str) and value.strip():
        try:
            value = datetime.date.fromisoformat(value.strip())
        except ValueError:
            violations.append(Violation(f"{prefix}.date_invalid", f"{what}“{value.strip()}”无效，请按“年-月-日”填写",
                                        field))
            return None
    if not isinstance(value, datetime.date):
        violations.append(Violation(f"{prefix}.date_required", f"请填写{what}", field))
        return None
    today = timezone.localdate()
    if value > today:
        violations.append(Violation(
            f"{prefix}.date_future", f"{what}{value:%Y-%m-%d}晚于今天（{today:%Y-%m-%d}），只能登记已经开展的活动",
            field))
    elif value < earliest_day(campaign):
        violations.append(Violation(
            f"{prefix}.date_before_campaign",
            f"{what}{value:%Y-%m-%d}早于“{campaign.name}”的工作期（自{earliest_day(campaign):%Y-%m-%d}起），请核对",
            field))
    return value


def _ids(values) -> list[int]:
    """The distinct ids of a list (in its order); anything that is not an id is left out."""
    if values is None or isinstance(values, str | int):
        values = [values] if values not in (None, "") else []
    found: list[int] = []
    for value in values:
        number = value.pk if isinstance(value, Collective) else int_or_none(value)
        if number is not None and number not in found:
            found.append(number)
    return found


def _collectives_in_scope(actor, ids: list[int], *, what: str, code: str, field: str,
                          violations: list[Violation]) -> dict[int, Collective]:
    """The collectives of ``ids`` that lie in the actor's subtree (one query); a violation for each other id, named
    by its number only (a collective outside the actor's subtree is not to be named to it)."""
    found = {collective.pk: collective for collective in
             Collective.objects.filter(pk__in=ids, unit__path__startswith=actor.unit.path).select_related("unit")}
    for number in ids:
        if number not in found:
            violations.append(Violation(
                code, f"{what}（编号{number}）不在{actor.unit.name}的管理范围内，只能选择本单位及下级单位的集体",
                field))
    return found


def _one_collective(actor, value, *, what: str, prefix: str, field: str,
                    violations: list[Violation]) -> Collective | None:
    ids = _ids(value)
    if not ids:
        violations.append(Violation(f"{prefix}.{field}_required", f"请选择{what}", field))
        return None
    found = _collectives_in_scope(actor, ids[:1], what=what, code=f"{prefix}.{field}_outside", field=field,
                                  violations=violations)
    return found.get(ids[0])


# --- leader training (号长培训) --------------------------------------------------------------------------------


@transaction.atomic
def create_training(*, actor, campaign, data: Mapping[str, Any], ip_address: str | None = None) -> TrainingSession:
    """Record a leader training held by the actor's unit in the campaign: its date, title, place and content (its
    attendees are ticked afterwards: ``set_training_attendance``). Side effects: the session and an audit entry
    ``training.create``."""
    _require(actor, "evaluation.add_development", campaign, "您不能为该创建活动登记号长培训。")
    violations: list[Violation] = []
    day = _day(data.get("date"), campaign=campaign, prefix="training", what="培训日期", field="date",
               violations=violations)
    title, place, content = _text(data.get("title")), _text(data.get("place")), _text(data.get("content"))
    _check_text(title, limit=TITLE_MAX_CHARS, code="training.title", what="培训主题", field="title",
                violations=violations, required=True)
    _check_text(place, limit=PLACE_MAX_CHARS, code="training.place", what="培训地点", field="place",
                violations=violations)
    _check_text(content, limit=TEXT_MAX_CHARS, code="training.content", what="培训内容", field="content",
                violations=violations)
    if violations:
        raise RuleViolationError(violations)
    session = TrainingSession.objects.create(campaign=campaign, unit=actor.unit, date=day, title=title, place=place,
                                             content=content, created_by=actor)
    record_audit(actor=actor, action="training.create", target=session, unit_path=actor.unit.path,
                 after=snapshot(session, TRAINING_FIELDS), ip_address=ip_address)
    return session


@transaction.atomic
def set_training_attendance(*, actor, session: TrainingSession, shown: Iterable, attended: Iterable,
                            ip_address: str | None = None) -> tuple[list[str], list[str]]:
    """Tick the leaders who attended: of the collectives ``shown`` (ids: the page of the list the admin saw), those
    in ``attended`` are at the session and the others are not; collectives not shown keep what they had. Each ticked
    one must be a creating collective of the session's campaign under the unit that holds it (filing pending or
    accepted) and have its leader (号长) among its members; the leader's name is kept with the attendance. Side
    effects: the attendances added and removed, and one audit entry ``training.attendance`` naming them (none when
    nothing changed). Returns the collectives' names (added, removed)."""
    _require(actor, "evaluation.change_training", session, "只有举办培训的单位及其上级单位可以登记参训号长。")
    session = (TrainingSession.objects.select_for_update(no_key=True).select_related("unit", "campaign")
               .get(pk=session.pk))
    shown_ids, ticked_ids = _ids(shown), _ids(attended)
    shown_ids += [number for number in ticked_ids if number not in shown_ids]
    creating = {filing.collective_id: filing.collective for filing in
                creating_filings(session.campaign, session.unit).filter(collective_id__in=shown_ids)
                .select_related("collective")}
    leaders = {member.collective_id: member for member in
               Member.objects.filter(collective_id__in=ticked_ids, is_leader=True)}
    # A collective the actor may see is named; any other only by its number.
    names = dict(Collective.objects.filter(pk__in=[number for number in ticked_ids if number not in creating],
                                           unit__path__startswith=actor.unit.path).values_list("pk", "name"))
    violations: list[Violation] = []
    for number in ticked_ids:
        collective = creating.get(number)
        if collective is None:
            who = f"“{names[number]}”" if number in names else f"编号{number}的集体"
            violations.append(Violation(
                "training.not_creating",
                f"{who}不是{session.unit.name}范围内“{session.campaign.name}”的创建集体（未报备、报备已退回或不属于"
                f"本单位），不能登记参训", "attended"))
        elif number not in leaders:
            violations.append(Violation(
                "training.no_leader", f"“{collective.name}”的成员名单中没有号长，请先在集体资料中标明号长，再登记参训",
                "attended"))
    if violations:
        raise RuleViolationError(violations)
    present = {attendance.collective_id: attendance for attendance in
               session.attendances.filter(collective_id__in=shown_ids).select_related("collective")}
    to_add = [number for number in ticked_ids if number not in present]
    to_remove = [attendance for number, attendance in present.items() if number not in ticked_ids]
    TrainingAttendance.objects.bulk_create([
        TrainingAttendance(session=session, collective_id=number, member=leaders[number],
                           member_name=leaders[number].name) for number in to_add])
    TrainingAttendance.objects.filter(pk__in=[attendance.pk for attendance in to_remove]).delete()
    added = [f"{creating[number].name}（{leaders[number].name}）" for number in to_add]
    removed = [f"{attendance.collective.name}（{attendance.member_name}）" for attendance in to_remove]
    if added or removed:
        record_audit(actor=actor, action="training.attendance", target=session, unit_path=session.unit.path,
                     before={"removed": removed} if removed else None, after={"added": added} if added else None,
                     ip_address=ip_address)
    return added, removed


# --- exchange visits (交流观摩) ---------------------------------------------------------------------------------


@transaction.atomic
def create_exchange_visit(*, actor, campaign, data: Mapping[str, Any], ip_address: str | None = None
                          ) -> ExchangeVisit:
    """Record an exchange visit organised by the actor's unit: the date, the host collective and the visiting ones
    (at least one, the host not among them; of any units of the actor's subtree), the topic and notes. Side effects:
    the visit with its visitors, and an audit entry ``exchange.create``."""
    _require(actor, "evaluation.add_development", campaign, "您不能为该创建活动登记交流观摩。")
    violations: list[Violation] = []
    day = _day(data.get("date"), campaign=campaign, prefix="exchange", what="观摩日期", field="date",
               violations=violations)
    host = _one_collective(actor, data.get("host"), what="东道集体（观摩地点）", prefix="exchange", field="host",
                           violations=violations)
    visitor_ids = _ids(data.get("visitors"))
    visitors: dict[int, Collective] = {}
    if not visitor_ids:
        violations.append(Violation("exchange.visitors_required", "请至少选择一个参加观摩的集体", "visitors"))
    else:
        visitors = _collectives_in_scope(actor, visitor_ids, what="参加观摩的集体", code="exchange.visitor_outside",
                                         field="visitors", violations=violations)
    if host is not None and host.pk in visitors:
        violations.append(Violation("exchange.host_visits_itself",
                                    f"“{host.name}”是东道集体，不能同时作为参加观摩的集体", "visitors"))
    topic, notes = _text(data.get("topic")), _text(data.get("notes"))
    _check_text(topic, limit=TITLE_MAX_CHARS, code="exchange.topic", what="观摩主题", field="topic",
                violations=violations, required=True)
    _check_text(notes, limit=TEXT_MAX_CHARS, code="exchange.notes", what="交流情况", field="notes",
                violations=violations)
    if violations:
        raise RuleViolationError(violations)
    visit = ExchangeVisit.objects.create(campaign=campaign, unit=actor.unit, date=day, host=host, topic=topic,
                                         notes=notes, created_by=actor)
    visit.visitors.set(list(visitors.values()))
    record_audit(actor=actor, action="exchange.create", target=visit, unit_path=actor.unit.path,
                 after={**snapshot(visit, EXCHANGE_FIELDS),
                        "visitors": [visitors[number].name for number in visitor_ids]},
                 ip_address=ip_address)
    return visit


# --- new-and-old pairs (新老号结对) -------------------------------------------------------------------------------


def _title_problem(collective: Collective, today: datetime.date) -> str:
    """Why the collective cannot be the titled post of a pair today ('' when it holds a valid title). One query."""
    honours = list(Honour.objects.filter(collective=collective).order_by("-year", "-id"))
    if any(honour.state_on(today) == HonourState.VALID for honour in honours):
        return ""
    if not honours:
        return f"“{collective.name}”尚未获得青年文明号称号，不能作为老号结对"
    lost = "、".join(f"{honour}（{'已撤销' if honour.state_on(today) == HonourState.REVOKED else '已到期'}）"
                    for honour in honours[:3])
    return f"“{collective.name}”的称号{lost}已不再有效，不能作为老号结对"


@transaction.atomic
def create_mentor_pair(*, actor, campaign, data: Mapping[str, Any], ip_address: str | None = None) -> MentorPair:
    """Pair a post holding a title valid today (``mentor``, 老号) with a creating collective of the campaign
    (``mentee``, 新号: filing pending or accepted), both in the actor's subtree, from ``started`` (a date), with the
    pair's ``goals``. Side effects: the pair and an audit entry ``mentor_pair.create``."""
    _require(actor, "evaluation.add_development", campaign, "您不能为该创建活动登记新老号结对。")
    today = timezone.localdate()
    violations: list[Violation] = []
    mentor = _one_collective(actor, data.get("mentor"), what="老号（已获称号的集体）", prefix="mentor_pair",
                             field="mentor", violations=violations)
    mentee = _one_collective(actor, data.get("mentee"), what="新号（创建集体）", prefix="mentor_pair", field="mentee",
                             violations=violations)
    if mentor is not None:
        problem = _title_problem(mentor, today)
        if problem:
            violations.append(Violation("mentor_pair.no_valid_title", problem, "mentor"))
    if mentee is not None and not creating_filings(campaign, actor.unit).filter(collective=mentee).exists():
        violations.append(Violation(
            "mentor_pair.not_creating",
            f"“{mentee.name}”不是“{campaign.name}”的创建集体（未报备或报备已退回），不能作为新号结对", "mentee"))
    if mentor is not None and mentee is not None:
        if mentor.pk == mentee.pk:
            violations.append(Violation("mentor_pair.same_collective",
                                        f"老号和新号都选择了“{mentor.name}”，请选择两个不同的集体", "mentee"))
        elif MentorPair.objects.filter(campaign=campaign, mentor=mentor, mentee=mentee).exists():
            violations.append(Violation(
                "mentor_pair.duplicate", f"“{mentor.name}”与“{mentee.name}”在本次创建活动中已结对，请勿重复登记",
                "mentee"))
    started = _day(data.get("started"), campaign=campaign, prefix="mentor_pair", what="结对日期", field="started",
                   violations=violations)
    goals = _text(data.get("goals"))
    _check_text(goals, limit=TEXT_MAX_CHARS, code="mentor_pair.goals", what="结对内容", field="goals",
                violations=violations)
    if violations:
        raise RuleViolationError(violations)
    try:
        with transaction.atomic():  # two admins pairing the same two at once: the constraint decides
            pair = MentorPair.objects.create(campaign=campaign, unit=actor.unit, mentor=mentor, mentee=mentee,
                                             started=started, goals=goals, created_by=actor)
    except IntegrityError as error:
        raise RuleViolationError.single(
            "mentor_pair.duplicate", f"“{mentor.name}”与“{mentee.name}”在本次创建活动中已结对，请勿重复登记",
            "mentee") from error
    record_audit(actor=actor, action="mentor_pair.create", target=pair, unit_path=actor.unit.path,
                 after={**snapshot(pair, PAIR_FIELDS), "mentor_name": mentor.name, "mentee_name": mentee.name},
                 ip_address=ip_address)
    return pair


@transaction.atomic
def delete_mentor_pair(*, actor, pair: MentorPair, ip_address: str | None = None) -> None:
    """End (delete) a pair recorded by the actor's unit or a unit below it, e.g. one recorded by mistake or whose
    new post stopped creating. Side effects: the pair is deleted; an audit entry ``mentor_pair.delete`` keeps what it
    was."""
    _require(actor, "evaluation.delete_mentor_pair", pair, "只有登记结对的单位及其上级单位可以解除结对。")
    before = {**snapshot(pair, PAIR_FIELDS), "mentor_name": pair.mentor.name, "mentee_name": pair.mentee.name}
    record_audit(actor=actor, action="mentor_pair.delete", target=pair, unit_path=pair.unit.path, before=before,
                 ip_address=ip_address)
    pair.delete()
