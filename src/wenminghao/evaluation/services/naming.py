"""The writes of naming (命名) and of a title's life (动态管理): the office names creating collectives at its
campaign's level, which writes the ``Honour`` that eligibility reads; a title is reviewed once a year (复核), warned
with a period to fix problems (警告提醒), or revoked with a reason (撤销称号), after which it no longer counts.

Each function checks the actor itself (``NotPermitted``, 403), refuses with every unmet rule at once
(``RuleViolationError``, nothing written), and writes its rows and audit entries in one transaction; the collective's
accounts and its unit's admins are notified (in the platform; e-mail after commit).

The term (届期) of a named title comes from ``settings.WMH_TITLE_TERM_YEARS``: a naming of year Y is valid until
31 December of Y + the level's term (no term for 0).
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from wenminghao.accounts.models import User
from wenminghao.campaigns.enums import FilingStatus
from wenminghao.campaigns.models import CreationFiling
from wenminghao.collectives.enums import HonourLevel, HonourState
from wenminghao.collectives.models import Collective, Honour
from wenminghao.core.audit import record_audit
from wenminghao.core.errors import NotPermitted, RuleViolationError, Violation
from wenminghao.core.notifications import notify
from wenminghao.core.predicates import is_campaign_office_admin
from wenminghao.core.roles import Role
from wenminghao.orgs.enums import UnitKind

from ..enums import ReviewResult, TitleEventKind
from ..models import REASON_MAX_CHARS, Naming, TitleEvent

NOT_OFFICE = "只有主办该创建活动的团委管理员可以命名青年文明号。"
NOT_MANAGER = ("只有命名该称号的团委（或其上级团委）的管理员可以复核、警告或撤销称号；"
               "手工录入的称号由集体所在范围的团委管理员管理。")
# Prefixes and suffixes of a league committee's name around its place: 威海市团委, 共青团威海市委员会, 共青团山东省委,
# 威海团市委 (the suffix and what stays of it).
NAME_PREFIXES = ("中国共产主义青年团", "共青团")
NAME_SUFFIXES = (("团市委", "市"), ("团省委", "省"), ("委员会", ""), ("团工委", ""), ("团委", ""), ("委", ""))


# --- the title a naming writes -------------------------------------------------------------------------------------


def place_name(office) -> str:
    """The place an office names for, as titles say it: “威海市” for 威海市团委 (or 共青团威海市委员会), “全国” for the
    national office."""
    if office.kind == UnitKind.NATIONAL:
        return "全国"
    name = office.name.strip()
    for prefix in NAME_PREFIXES:
        name = name.removeprefix(prefix)
    for suffix, kept in NAME_SUFFIXES:
        if name.endswith(suffix):
            return (name[: -len(suffix)] + kept) if len(name) > len(suffix) else name
    return name or office.name


def title_of(campaign) -> str:
    """The title a naming in ``campaign`` gives, e.g. “2027年度威海市青年文明号”."""
    return f"{campaign.year}年度{place_name(campaign.office)}青年文明号"


def term_end(level: str, year: int) -> datetime.date | None:
    """The last day a title of ``level`` named in ``year`` is valid: 31 December of year + term (None: no term)."""
    years = settings.WMH_TITLE_TERM_YEARS.get(level, 0)
    return datetime.date(year + years, 12, 31) if years else None


def date_text(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


# --- who hears of it -------------------------------------------------------------------------------------------------


def _recipients_by_collective(collectives: Iterable[Collective]) -> dict[int, list[User]]:
    """Each collective's accounts (leader and delegates) and the admins of its unit (exactly that unit), from one
    query whatever the number of collectives."""
    unit_of = {collective.pk: collective.unit_id for collective in collectives}
    accounts = User.objects.filter(is_active=True).filter(
        Q(role=Role.COLLECTIVE, collective_id__in=list(unit_of))
        | Q(role__in=(Role.UNIT_ADMIN, Role.CITY_ADMIN), unit_id__in=set(unit_of.values())))
    by_collective: dict[int, list[User]] = defaultdict(list)
    by_unit: dict[int, list[User]] = defaultdict(list)
    for account in accounts:
        if account.role == Role.COLLECTIVE:
            by_collective[account.collective_id].append(account)
        else:
            by_unit[account.unit_id].append(account)
    return {pk: by_collective[pk] + by_unit[unit_id] for pk, unit_id in unit_of.items()}


def _title_link(honour: Honour) -> str:
    return reverse("evaluation:title", args=[honour.pk])


# --- naming ------------------------------------------------------------------------------------------------------


def _not_creating(collective: Collective, campaign, status: str | None) -> Violation:
    why = "未报备创建该活动" if status is None else f"的创建报备状态为“{FilingStatus(status).label}”"
    return Violation("naming.not_creating",
                     f"“{collective.name}”{why}，只有创建报备已被接受的集体可以在“{campaign.name}”中命名",
                     "collectives")


def _already_named(naming: Naming, campaign) -> Violation:
    when = date_text(timezone.localtime(naming.named_at).date())
    return Violation("naming.already_named",
                     f"“{naming.collective.name}”已于{when}在“{campaign.name}”中命名为“{naming.honour.title}”，"
                     "不能重复命名", "collectives")


@transaction.atomic
def name_collectives(*, actor, campaign, collectives: Iterable[Collective]) -> list[Naming]:
    """Name (命名) ``collectives`` at ``campaign``'s level: for each, an ``Honour`` of the campaign's level and year
    titled “<year>年度<place>青年文明号”, awarded by the campaign's office, valid until the end of its term
    (``term_end``), and the ``Naming`` that records the decision.

    Only an admin of the office running the campaign (or above) may (NotPermitted). Every collective must have an
    accepted creation filing in the campaign (``naming.not_creating``) and not be named in it yet
    (``naming.already_named``): every offending collective is listed and nothing is written. Side effects, in one
    transaction: the honours, the namings, an audit entry ``naming.create`` per collective, a notification to each
    collective's accounts and its unit's admins (e-mail after commit). Returns the namings, in unit order."""
    if actor is None or not is_campaign_office_admin(actor, campaign):
        raise NotPermitted(NOT_OFFICE)
    ids = list(dict.fromkeys(collective.pk for collective in collectives))
    if not ids:
        raise RuleViolationError.single("naming.empty", "请至少选择一个集体进行命名", "collectives")
    chosen = list(Collective.objects.select_for_update(no_key=True, of=("self",)).select_related("unit")
                  .filter(pk__in=ids).order_by("unit__path", "name", "pk"))
    statuses = dict(CreationFiling.objects.filter(campaign=campaign, collective_id__in=ids)
                    .values_list("collective_id", "status"))
    named = {naming.collective_id: naming for naming in Naming.objects.filter(campaign=campaign, collective_id__in=ids)
             .select_related("collective", "honour")}
    violations = [_not_creating(collective, campaign, statuses.get(collective.pk)) for collective in chosen
                  if statuses.get(collective.pk) != FilingStatus.ACCEPTED]
    violations += [_already_named(named[collective.pk], campaign) for collective in chosen if collective.pk in named]
    if violations:
        raise RuleViolationError(violations)

    level = HonourLevel(campaign.level)
    title = title_of(campaign)
    valid_until = term_end(level, campaign.year)
    namings = []
    for collective in chosen:
        honour = Honour.objects.create(collective=collective, level=level, year=campaign.year, title=title,
                                       awarded_by=campaign.office, valid_until=valid_until)
        try:
            with transaction.atomic():
                naming = Naming.objects.create(campaign=campaign, collective=collective, honour=honour, named_by=actor)
        except IntegrityError as error:  # named meanwhile by someone else
            raise RuleViolationError.single(
                "naming.already_named", f"“{collective.name}”已在“{campaign.name}”中命名，不能重复命名", "collectives",
            ) from error
        record_audit(actor=actor, action="naming.create", target=naming, unit_path=collective.unit.path, after={
            "campaign": campaign.pk, "collective": collective.pk, "honour": honour.pk, "level": level,
            "year": campaign.year, "title": title, "valid_until": valid_until,
        })
        namings.append(naming)
    recipients = _recipients_by_collective(chosen)
    term = f"，有效期至{date_text(valid_until)}" if valid_until else ""
    for naming in namings:
        notify(recipients[naming.collective_id],
               f"“{naming.collective.name}”被{campaign.office.name}命名为“{title}”{term}。",
               _title_link(naming.honour))
    return namings


@transaction.atomic
def record_naming_list_export(*, actor, campaign, unit, fmt: str, collectives: int, ip_address: str | None = None):
    """Write the audit entry ``naming.export`` of a download of the 命名名单 (format, scope, how many collectives)."""
    record_audit(actor=actor, action="naming.export", target=campaign, unit_path=unit.path, ip_address=ip_address,
                 after={"format": fmt, "unit": unit.pk, "collectives": collectives})


# --- a title's life ------------------------------------------------------------------------------------------------


def _locked_title(actor, honour: Honour) -> Honour:
    """The title's row, locked, with what the checks and messages read; NotPermitted unless ``actor`` manages it."""
    honour = (Honour.objects.select_for_update(no_key=True, of=("self",))
              .select_related("collective__unit", "awarded_by").get(pk=honour.pk))
    if actor is None or not actor.has_perm("evaluation.manage_title", honour):
        raise NotPermitted(NOT_MANAGER)
    return honour


def _lost(honour: Honour, what: str, *, expired_too: bool) -> list[Violation]:
    """A revoked title (and, with ``expired_too``, an expired one) takes no more events: its violation, reported with
    the form's others (every rule at once)."""
    if honour.revoked_at is not None:
        when = date_text(timezone.localtime(honour.revoked_at).date())
        return [Violation("honour.revoked",
                          f"“{honour.title}”已于{when}撤销（理由：{honour.revoked_reason}），不能再{what}", None)]
    if expired_too and honour.state_on(timezone.localdate()) == HonourState.EXPIRED:
        ended = date_text(honour.valid_until)
        return [Violation("honour.expired", f"“{honour.title}”已于{ended}届满到期，不能再{what}", None)]
    return []


def _reason(reason, what: str, example: str, violations: list[Violation]) -> str:
    text = (reason or "").strip()
    if not text:
        violations.append(Violation("honour.reason_required", f"请填写{what}，例如{example}", "reason"))
    elif len(text) > REASON_MAX_CHARS:
        violations.append(Violation("honour.reason_too_long",
                                    f"{what}为{len(text)}字，超过{REASON_MAX_CHARS}字的上限，请精简", "reason"))
    return text


def _event(actor, honour: Honour, kind: str, action: str, reason: str, **fields) -> TitleEvent:
    event = TitleEvent.objects.create(honour=honour, kind=kind, reason=reason, actor=actor, unit=actor.unit, **fields)
    after = {"event": event.pk, "kind": kind, "reason": reason}
    after.update({key: getattr(value, "pk", value) for key, value in fields.items()})
    record_audit(actor=actor, action=action, target=honour, unit_path=honour.collective.unit.path, after=after)
    return event


def _notify_title(honour: Honour, message: str) -> None:
    notify(_recipients_by_collective([honour.collective])[honour.collective_id], message, _title_link(honour))


@transaction.atomic
def revoke_honour(*, actor, honour: Honour, reason: str) -> Honour:
    """Revoke (撤销称号) a title for a stated reason (a violation, a major accident, a verified public complaint):
    it no longer satisfies eligibility from now on. Only an admin of the office that named it or above (for a title
    typed in by hand, an office admin whose subtree holds the collective): NotPermitted otherwise. A revoked title
    cannot be revoked again (``honour.revoked``); the reason is required (``honour.reason_required``). Side effects,
    in one transaction: ``revoked_at/by/reason`` on the honour, a ``TitleEvent`` (revocation), the audit entry
    ``honour.revoke``, a notification to the collective's accounts and its unit's admins (e-mail after commit)."""
    honour = _locked_title(actor, honour)
    violations = _lost(honour, "撤销", expired_too=False)
    reason = _reason(reason, "撤销理由", "经核实的群众投诉、实地考察不合格、发生重大安全责任事故", violations)
    if violations:
        raise RuleViolationError(violations)
    honour.revoked_at = timezone.now()
    honour.revoked_by = actor
    honour.revoked_reason = reason
    honour.save(update_fields=["revoked_at", "revoked_by", "revoked_reason"])
    _event(actor, honour, TitleEventKind.REVOCATION, "honour.revoke", reason)
    _notify_title(honour, f"“{honour.collective.name}”的“{honour.title}”称号已被{actor.unit.name}撤销。理由：{reason}"
                          "。该称号不再计入创建资格。")
    return honour


@transaction.atomic
def warn_honour(*, actor, honour: Honour, reason: str, fix_by: datetime.date | None, inspection=None) -> TitleEvent:
    """A warning (警告提醒) on a valid title: what is wrong and the date by which it must be fixed (later than
    today), optionally citing a field inspection of the same collective. Who may: as ``revoke_honour``. Refused for
    a revoked or expired title. Side effects, in one transaction: a ``TitleEvent`` (warning), the audit entry
    ``honour.warn``, a notification to the collective's accounts and its unit's admins (e-mail after commit)."""
    honour = _locked_title(actor, honour)
    violations = _lost(honour, "警告提醒", expired_too=True)
    reason = _reason(reason, "警告事由", "台账记录不全、监督电话未公示", violations)
    today = timezone.localdate()
    if fix_by is None:
        violations.append(Violation("honour.fix_by_required", "请填写整改期限", "fix_by"))
    elif fix_by <= today:
        violations.append(Violation(
            "honour.fix_by_past", f"整改期限{fix_by:%Y-%m-%d}不晚于今天（{today:%Y-%m-%d}），请留出整改时间", "fix_by"))
    if inspection is not None and inspection.collective_id != honour.collective_id:
        violations.append(Violation("honour.inspection", "所选实地考察不是对该集体的考察，请重新选择", "inspection"))
    if violations:
        raise RuleViolationError(violations)
    event = _event(actor, honour, TitleEventKind.WARNING, "honour.warn", reason, fix_by=fix_by, inspection=inspection)
    _notify_title(honour, f"“{honour.collective.name}”的“{honour.title}”称号收到{actor.unit.name}的警告提醒：{reason}"
                          f"。请于{date_text(fix_by)}前完成整改。")
    return event


@transaction.atomic
def review_honour(*, actor, honour: Honour, year: int | None, result: str, reason: str) -> TitleEvent:
    """The yearly review (年度复核) of a valid title: the year reviewed (from the naming's year to this year, once
    a year: ``honour.review_exists``), passed or failed, and what the inspectors found. Who may: as
    ``revoke_honour``; refused for a revoked or expired title. A failed review changes nothing by itself: the office
    then warns or revokes. Side effects, in one transaction: a ``TitleEvent`` (review), the audit entry
    ``honour.review``, a notification to the collective's accounts and its unit's admins (e-mail after commit)."""
    honour = _locked_title(actor, honour)
    violations = _lost(honour, "复核", expired_too=True)
    this_year = timezone.localdate().year
    if year is None:
        violations.append(Violation("honour.review_year", "请填写复核年度", "year"))
    elif not honour.year <= year <= this_year:
        violations.append(Violation("honour.review_year",
                                    f"复核年度{year}不在{honour.year}（称号年度）至{this_year}（今年）之间", "year"))
    else:
        done = TitleEvent.objects.filter(honour=honour, kind=TitleEventKind.REVIEW, year=year).first()
        if done is not None:
            when = date_text(timezone.localtime(done.created_at).date())
            violations.append(Violation("honour.review_exists",
                                        f"该称号{year}年度已于{when}复核（{done.get_result_display()}），每年只复核一次",
                                        "year"))
    if result not in ReviewResult.values:
        violations.append(Violation("honour.review_result", "请选择复核结果：复核通过或复核未通过", "result"))
    reason = _reason(reason, "复核情况", "查阅台账齐全，标识、服务承诺和监督电话均已公示", violations)
    if violations:
        raise RuleViolationError(violations)
    try:
        with transaction.atomic():
            event = _event(actor, honour, TitleEventKind.REVIEW, "honour.review", reason, year=year, result=result)
    except IntegrityError as error:  # reviewed meanwhile by someone else
        raise RuleViolationError.single("honour.review_exists", f"该称号{year}年度已复核，每年只复核一次",
                                        "year") from error
    _notify_title(honour, f"“{honour.collective.name}”的“{honour.title}”称号{year}年度复核结果："
                          f"{ReviewResult(result).label}。{reason}")
    return event
