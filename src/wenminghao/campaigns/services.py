from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from wenminghao.collectives.models import Collective
from wenminghao.core.audit import changed_only, record_audit, snapshot
from wenminghao.core.errors import NotPermitted, RuleViolationError, Violation, violations_from_validation_error
from wenminghao.core.predicates import is_campaign_office_admin

from .eligibility import check_collective, is_former_holder
from .enums import FilingStatus
from .models import Campaign, CreationFiling, DeadlineExtension

CAMPAIGN_FIELDS = (
    "name", "level", "year", "filing_deadline", "deadline", "reference_date", "min_members", "max_members",
    "youth_max_age", "min_youth_share", "leader_max_age", "require_stable_unit", "target_former_share",
    "target_non_public_share", "target_social_share", "contact_info",
)
FILING_FIELDS = ("status", "is_former", "comment", "decided_by", "decided_at", "filed_at", "filed_by")


def _validate(instance, exclude=None) -> None:
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as error:
        raise RuleViolationError(violations_from_validation_error(error, model=type(instance))) from error


def _check_deadlines(campaign: Campaign) -> None:
    if campaign.filing_deadline and campaign.deadline and campaign.filing_deadline > campaign.deadline:
        raise RuleViolationError.single(
            "campaign.deadlines", "创建报备截止时间不能晚于成果报送截止时间", "filing_deadline"
        )
    if campaign.min_members and campaign.max_members and campaign.min_members > campaign.max_members:
        raise RuleViolationError.single("campaign.members", "成员人数下限不能大于上限", "min_members")


@transaction.atomic
def create_campaign(*, actor, office, fields: Mapping[str, Any]) -> Campaign:
    """Create a campaign run by ``office`` (a city or province unit); audited."""
    campaign = Campaign(office=office, **{k: v for k, v in fields.items() if k in CAMPAIGN_FIELDS})
    _validate(campaign)
    _check_deadlines(campaign)
    campaign.save()
    record_audit(actor=actor, action="campaign.create", target=campaign, unit_path=office.path,
                 after=snapshot(campaign))
    return campaign


def closed_campaign_violation(campaign: Campaign) -> Violation | None:
    """Why a campaign can no longer be edited (its final deadline has passed), or None."""
    if campaign.is_open:
        return None
    local = timezone.localtime(campaign.deadline)
    return Violation(
        "campaign.closed",
        f"“{campaign.name}”已于{local.year}年{local.month}月{local.day}日 {local:%H:%M}截止，活动内容只读，不能再修改",
        None,
    )


@transaction.atomic
def update_campaign(*, actor, campaign: Campaign, fields: Mapping[str, Any]) -> Campaign:
    """Edit a campaign's fields. Refused once its final deadline (成果报送截止) has passed: a closed
    campaign is read-only. Locks the row, validates, saves, audits the changed fields."""
    campaign = Campaign.objects.select_for_update(no_key=True).select_related("office").get(pk=campaign.pk)
    closed = closed_campaign_violation(campaign)
    if closed is not None:
        raise RuleViolationError([closed])
    before = snapshot(campaign, CAMPAIGN_FIELDS)
    for name, value in fields.items():
        if name in CAMPAIGN_FIELDS:
            setattr(campaign, name, value)
    _validate(campaign)
    _check_deadlines(campaign)
    campaign.save()
    old, new = changed_only(before, snapshot(campaign, CAMPAIGN_FIELDS))
    if new:
        record_audit(
            actor=actor, action="campaign.update", target=campaign, unit_path=campaign.office.path, before=old,
            after=new,
        )
    return campaign


def _campaign_applies_to(campaign: Campaign, collective: Collective) -> bool:
    return collective.unit.path.startswith(campaign.office.path)


@transaction.atomic
def file_creation(*, actor, collective: Collective, campaign: Campaign) -> CreationFiling:
    """File a collective's creation (创建报备) for a campaign.

    Checks that the campaign covers the collective's unit and is still open for filing, and every
    eligibility rule; raises RuleViolationError with one violation per unmet rule and writes nothing
    then. A returned filing may be filed again (it goes back to pending). Audited.
    """
    collective = Collective.objects.select_for_update(no_key=True).select_related("unit").get(pk=collective.pk)
    violations: list[Violation] = []
    if not _campaign_applies_to(campaign, collective):
        raise RuleViolationError.single(
            "filing.out_of_scope", f"“{campaign.name}”不面向{collective.unit.name}的集体", "campaign"
        )
    if not campaign.is_filing_open:
        local = timezone.localtime(campaign.filing_deadline)
        raise RuleViolationError.single(
            "deadline.passed",
            f"“{campaign.name}”的创建报备已于{local.year}年{local.month}月{local.day}日 {local:%H:%M}截止，无法再报备",
            "campaign",
        )
    existing = (CreationFiling.objects.select_for_update(no_key=True).filter(campaign=campaign, collective=collective)
                .first())
    if existing is not None and existing.status != FilingStatus.RETURNED:
        raise RuleViolationError.single(
            "filing.duplicate",
            f"该集体已报备“{campaign.name}”（状态：{existing.get_status_display()}），无需重复报备",
            "campaign",
        )
    violations += check_collective(campaign, collective)
    if violations:
        raise RuleViolationError(violations)

    former = is_former_holder(campaign, collective)
    now = timezone.now()
    if existing is not None:
        before = snapshot(existing, FILING_FIELDS)
        existing.status = FilingStatus.PENDING
        existing.is_former = former
        existing.filed_by = actor
        existing.filed_at = now
        existing.decided_by = None
        existing.decided_at = None
        existing.save()
        filing = existing
        action = "filing.refile"
    else:
        before = None
        try:
            with transaction.atomic():
                filing = CreationFiling.objects.create(
                    campaign=campaign, collective=collective, is_former=former, filed_by=actor, filed_at=now
                )
        except IntegrityError as error:
            raise RuleViolationError.single(
                "filing.duplicate", f"该集体已报备“{campaign.name}”，无需重复报备", "campaign"
            ) from error
        action = "filing.create"
    record_audit(
        actor=actor, action=action, target=filing, unit_path=collective.unit.path,
        before=before, after=snapshot(filing, FILING_FIELDS),
    )
    return filing


@transaction.atomic
def decide_filing(*, actor, filing: CreationFiling, accept: bool, comment: str = "") -> CreationFiling:
    """The unit accepts a pending filing, or returns it with a comment (a comment is required to
    return). Locks the row, checks the transition, saves, audits. An acceptance checks the eligibility rules
    again, as the collective stands now (a title revoked or expired since the filing no longer counts) and is
    refused with every unmet rule; whether it is a former holder is read again with them."""
    filing = (
        CreationFiling.objects.select_for_update(no_key=True)
        .select_related("collective__unit", "campaign")
        .get(pk=filing.pk)
    )
    comment = (comment or "").strip()
    if filing.status != FilingStatus.PENDING:
        raise RuleViolationError.single(
            "filing.state", f"该报备当前状态为“{filing.get_status_display()}”，只有待审核的报备可以审核", "status"
        )
    if not accept and not comment:
        raise RuleViolationError.single(
            "filing.comment_required", "退回报备时请填写退回意见，说明需要修改的内容", "comment"
        )
    before = snapshot(filing, FILING_FIELDS)
    if accept:
        violations = check_collective(filing.campaign, filing.collective)
        if violations:
            raise RuleViolationError([Violation(violation.code, f"“{filing.collective.name}”现已不符合报备条件："
                                                f"{violation.message}，不能通过，请退回", violation.field)
                                      for violation in violations])
        filing.is_former = is_former_holder(filing.campaign, filing.collective)
    filing.status = FilingStatus.ACCEPTED if accept else FilingStatus.RETURNED
    filing.comment = comment
    filing.decided_by = actor
    filing.decided_at = timezone.now()
    filing.save(update_fields=["status", "comment", "decided_by", "decided_at", "is_former"])
    old, new = changed_only(before, snapshot(filing, FILING_FIELDS))
    record_audit(
        actor=actor, action="filing.accept" if accept else "filing.return", target=filing,
        unit_path=filing.collective.unit.path, before=old, after=new,
    )
    return filing


@transaction.atomic
def grant_extension(*, actor, campaign: Campaign, unit=None, collective=None, until, reason: str):
    """Allow one unit (and everything under it) or one collective to submit and change works for
    ``campaign`` until ``until``, for a stated reason. The office's decision: the unit or collective must
    lie under the campaign's office, ``until`` must be later than both now and the campaign's deadline.
    Several extensions may exist; the latest covering a collective counts (works.deadlines). Audited."""
    if actor is None or not is_campaign_office_admin(actor, campaign):
        raise NotPermitted("只有主办该活动的团市委管理员可以批准报送延期。")
    reason = (reason or "").strip()
    violations: list[Violation] = []
    if (unit is None) == (collective is None):
        violations.append(Violation("extension.target", "请选择延期的对象：一个单位或一个集体（二选一）", "unit"))
    target_path = unit.path if unit is not None else (collective.unit.path if collective is not None else None)
    if target_path is not None and not target_path.startswith(campaign.office.path):
        name = unit.name if unit is not None else collective.name
        violations.append(Violation(
            "extension.out_of_scope", f"“{name}”不在“{campaign.name}”的范围内，不能为其延期", "unit"
        ))
    if until is None:
        violations.append(Violation("extension.until", "请填写延期截止时间", "until"))
    else:
        local = timezone.localtime(until)
        when = f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"
        if until <= timezone.now():
            violations.append(Violation("extension.until", f"延期截止时间{when}已经过去，请选择以后的时间", "until"))
        elif until <= campaign.deadline:
            deadline = timezone.localtime(campaign.deadline)
            violations.append(Violation(
                "extension.until",
                f"延期截止时间{when}不晚于活动的成果报送截止时间"
                f"{deadline.year}年{deadline.month}月{deadline.day}日 {deadline:%H:%M}，无需延期",
                "until",
            ))
    if not reason:
        violations.append(Violation("extension.reason", "请填写延期理由", "reason"))
    if violations:
        raise RuleViolationError(violations)
    extension = DeadlineExtension.objects.create(
        campaign=campaign, unit=unit, collective=collective, until=until, reason=reason, granted_by=actor
    )
    record_audit(
        actor=actor, action="deadline.extend", target=extension, unit_path=target_path,
        after={"campaign": campaign.pk, "unit": getattr(unit, "pk", None),
               "collective": getattr(collective, "pk", None), "until": until, "reason": reason},
    )
    return extension
