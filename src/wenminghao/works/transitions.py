"""The one function that moves a work through its life: ``change_work_status``.

Every change of a work's status goes through it: the collective submits it (a draft, or a returned work again);
the reviewing unit recommends or returns it, or withdraws a recommendation; the city office shortlists, returns,
showcases, forwards to the province, and undoes each. It locks the work's row, checks who may do it and whether
the work may go there now (the ``TRANSITIONS`` table below is the whole rule book), saves, writes the WorkDecision
(the work's history, which so starts at its submission) and the audit entry, and for review decisions notifies
the collective and its reviewing unit: platform notifications in the same transaction, e-mail after commit.

Stages are data: a collective-stage move is the collective's (its accounts, or an admin above it); a unit-stage
decision may be taken by any admin whose subtree contains the work's collective (the unit, a unit above it, the
city); a city-stage decision only by an admin of the office that runs the campaign (or of an office above it).

A check that needs an app above works (the reporting unit's stamped table, reviews) is a *guard*: the transition
names it (``frozen_by_report``) and that app registers it from its AppConfig.ready() (``register_guard``).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from wenminghao.core.audit import changed_only, record_audit, snapshot
from wenminghao.core.audit_actions import action_label
from wenminghao.core.errors import NotPermitted, RuleViolationError, Violation
from wenminghao.core.predicates import has_object_in_scope, is_admin, is_campaign_office_admin

from . import attachment1
from .enums import Category, WorkStage, WorkStatus
from .models import Work, WorkDecision
from .notifications import notify_work_decision
from .rules import is_work_of_own_collective
from .services import AUDIT_FIELDS, submission_violations

COMMENT_MAX = 1000
S = WorkStatus


@dataclass(frozen=True)
class Transition:
    stage: str
    key: str  # the audit action (core/audit_actions.py), e.g. work.recommend
    needs_comment: bool = False
    frozen_by_report: bool = False  # refused once the reporting unit's stamped table is uploaded (a guard)

    @property
    def action(self) -> str:
        """The verb users read, e.g. 推荐作品 (the action's label)."""
        return action_label(self.key)


TRANSITIONS: dict[tuple[str, str], Transition] = {
    # the collective (创作集体): a draft, or a returned work again, after every rule of Attachment 1 is met
    (S.DRAFT, S.SUBMITTED): Transition(WorkStage.COLLECTIVE, "work.submit"),
    (S.RETURNED, S.SUBMITTED): Transition(WorkStage.COLLECTIVE, "work.submit"),
    # the reviewing unit (归口单位)
    (S.SUBMITTED, S.RECOMMENDED): Transition(WorkStage.UNIT, "work.recommend"),
    (S.SUBMITTED, S.RETURNED): Transition(WorkStage.UNIT, "work.return", needs_comment=True),
    (S.RECOMMENDED, S.SUBMITTED): Transition(WorkStage.UNIT, "work.withdraw_recommendation", frozen_by_report=True),
    # the city office (团市委)
    (S.RECOMMENDED, S.RETURNED): Transition(WorkStage.CITY, "work.return", needs_comment=True),
    (S.RECOMMENDED, S.SHORTLISTED): Transition(WorkStage.CITY, "work.shortlist"),
    (S.SHORTLISTED, S.RECOMMENDED): Transition(WorkStage.CITY, "work.withdraw_shortlist"),
    (S.RECOMMENDED, S.SHOWCASED): Transition(WorkStage.CITY, "work.showcase"),
    (S.SHORTLISTED, S.SHOWCASED): Transition(WorkStage.CITY, "work.showcase"),
    (S.SHOWCASED, S.SHORTLISTED): Transition(WorkStage.CITY, "work.withdraw_showcase"),
    (S.SHOWCASED, S.FORWARDED): Transition(WorkStage.CITY, "work.forward"),
    (S.FORWARDED, S.SHOWCASED): Transition(WorkStage.CITY, "work.withdraw_forward"),
}
REVIEW_STAGES = (WorkStage.UNIT, WorkStage.CITY)

# name → check(work) -> Violation | None, registered by the apps above works (reviews: "frozen_by_report")
_GUARDS: dict[str, Callable[[Work], Violation | None]] = {}


def register_guard(name: str, check: Callable[[Work], Violation | None]) -> None:
    _GUARDS[name] = check


def review_transitions():
    """The reviewers' part of the table: ((from, to), Transition) of the unit and city stages."""
    return [(key, rule) for key, rule in TRANSITIONS.items() if rule.stage in REVIEW_STAGES]


def allowed_targets(work: Work) -> list[str]:
    """The statuses reviewers may move a work to from where it is (whoever acts): for buttons and messages."""
    return [to for (frm, to), _ in review_transitions() if frm == work.status]


def may_change(actor, work: Work, to_status: str) -> bool:
    """Whether ``actor`` may take the work to ``to_status`` from its current status (permission only; the
    report freeze and the comment are checked by change_work_status, which says why)."""
    rule = TRANSITIONS.get((work.status, to_status))
    return rule is not None and may_act_at(actor, work, rule.stage)


def may_act_at(actor, work: Work, stage: str) -> bool:
    """Whether ``actor`` decides at ``stage`` for the work: the collective stage belongs to the collective's accounts
    and the admins above it, the unit stage to every admin whose subtree holds the work's collective, the city
    stage to the admins of the office running the campaign (or above)."""
    if stage == WorkStage.COLLECTIVE:
        return bool(actor is not None and (has_object_in_scope(actor, work) or is_work_of_own_collective(actor, work)))
    if stage == WorkStage.UNIT:
        return is_admin(actor) and has_object_in_scope(actor, work)
    return is_campaign_office_admin(actor, work.campaign)


def reporting_unit_path(work: Work) -> str:
    """The path of the unit that reports the work to the campaign's office: the office's direct child above the
    work's collective (or the collective's own unit when it sits at the office itself)."""
    office_path = work.campaign.office.path
    unit_path = work.collective.unit.path
    if not unit_path.startswith(office_path) or unit_path == office_path:
        return unit_path
    child_id = unit_path[len(office_path):].split("/", 1)[0]
    return f"{office_path}{child_id}/"


def _next_rank(work: Work) -> int:
    """The next place in the reporting unit's order of its recommended works of the work's category."""
    highest = (Work.objects.filter(campaign_id=work.campaign_id, category=work.category,
                                   collective__unit__path__startswith=reporting_unit_path(work),
                                   unit_rank__isnull=False)
               .exclude(pk=work.pk).aggregate(highest=Max("unit_rank"))["highest"])
    return (highest or 0) + 1


def _locked(work: Work) -> Work:
    """The work's row, locked until the end of the transaction (FOR NO KEY UPDATE: the rows pointing to it, its files
    and decisions, can still be written meanwhile), read fresh: a decision is taken on the status it finds here."""
    return (Work.objects.select_for_update(no_key=True)
            .select_related("campaign", "campaign__office", "collective", "collective__unit")
            .get(pk=work.pk))


def _already(work: Work, what: str) -> Violation:
    """The refusal of a move to the status the work already has: a second click, or two reviewers at once. It says
    who made the move and when, so that nobody thinks their click was lost."""
    decision = (WorkDecision.objects.filter(work=work, to_status=work.status).select_related("actor")
                .order_by("-created_at", "-id").first())
    done = ""
    if decision is not None:
        local = timezone.localtime(decision.created_at)
        done = f"已于{local.month}月{local.day}日 {local:%H:%M:%S}由{decision.actor}操作，"
    return Violation("work.state", f"作品“{work.title}”{done}当前状态已是“{work.get_status_display()}”，{what}。",
                     "status")


def change_work_status(*, actor, work: Work, to_status: str, comment: str = "") -> Work:
    """Move ``work`` to ``to_status``: a review decision (the unit and city stages), or a submission (draft or
    returned → submitted), which is handed to ``submit_work``. NotPermitted (403) when the actor may see the work
    but not decide at this stage; RuleViolationError (422) with ``work.state`` when the move is not one of
    TRANSITIONS from the work's current status, ``review.comment_required`` / ``review.comment_too_long`` for a
    return, and ``review.report_uploaded`` when the unit's stamped table already lists the work. Nothing changes
    then.

    The work's row is locked and its status read under the lock before anything is decided, so a decision acts once:
    a double click, or two reviewers at once, finds the work already moved and is refused (``work.state``, naming who
    moved it and when) without a second decision, audit entry or notification.

    Side effects, in one transaction: the status (and ``return_comment`` on a return, ``unit_rank`` on
    recommending and withdrawing), ``version`` raised by one, a WorkDecision, an audit entry, notifications to the
    collective's accounts and, for the city's decisions, to the reporting unit's admins; e-mails after commit."""
    comment = (comment or "").strip()
    with transaction.atomic():
        work = _locked(work)
        from_status = work.status  # read under the lock: of two decisions at once, the second sees the first's
        rule = TRANSITIONS.get((from_status, to_status))
        if rule is not None and rule.stage == WorkStage.COLLECTIVE:
            return submit_work(actor=actor, work=work)
        if not any(may_act_at(actor, work, stage) for stage in REVIEW_STAGES):
            raise NotPermitted("只有作品所属的归口单位、上级团委或组织本次创建活动的团委管理员可以审核作品。")
        if from_status == to_status:
            raise RuleViolationError([_already(work, "无需重复操作")])
        if rule is None or rule.stage not in REVIEW_STAGES:
            label = WorkStatus(to_status).label if to_status in WorkStatus.values else to_status
            targets = "、".join(f"“{WorkStatus(to).label}”" for to in allowed_targets(work))
            why = f"可改为：{targets}" if targets else "创作集体提交后才能审核"
            raise RuleViolationError.single(
                "work.state",
                f"作品“{work.title}”当前状态为“{work.get_status_display()}”，不能改为“{label}”（{why}）。",
                "status",
            )
        if not may_act_at(actor, work, rule.stage):
            who = "作品所属的归口单位或上级团委管理员" if rule.stage == WorkStage.UNIT else \
                f"组织“{work.campaign.name}”的团委管理员"
            raise NotPermitted(f"只有{who}可以{rule.action}。")
        violations = []
        if rule.needs_comment and not comment:
            violations.append(Violation("review.comment_required",
                                        "请填写退回意见，说明需要修改的地方，创作集体会看到这条意见。", "comment"))
        if len(comment) > COMMENT_MAX:
            violations.append(Violation("review.comment_too_long",
                                        f"意见最多{COMMENT_MAX}字，现为{len(comment)}字。", "comment"))
        if rule.frozen_by_report and "frozen_by_report" in _GUARDS:
            refusal = _GUARDS["frozen_by_report"](work)
            if refusal is not None:
                violations.append(refusal)
        if violations:
            raise RuleViolationError(violations)

        fields = ["status", "updated_at", "version"]
        work.status = to_status
        work.version += 1
        if to_status == S.RETURNED:
            work.return_comment = comment
            work.unit_rank = None
            fields += ["return_comment", "unit_rank"]
        elif to_status == S.RECOMMENDED and from_status == S.SUBMITTED:
            work.unit_rank = _next_rank(work)
            fields.append("unit_rank")
        elif to_status == S.SUBMITTED:
            work.unit_rank = None
            fields.append("unit_rank")
        work.save(update_fields=fields)
        decision = WorkDecision.objects.create(work=work, stage=rule.stage, from_status=from_status,
                                               to_status=to_status, actor=actor, comment=comment)
        record_audit(actor=actor, action=rule.key, target=work, unit_path=work.collective.unit.path,
                     before={"status": from_status},
                     after={"status": to_status, **({"comment": comment} if comment else {})})
        notify_work_decision(decision, work=work, action=rule.action,
                             include_unit=rule.stage != WorkStage.UNIT,
                             reporting_unit_path=reporting_unit_path(work))
    return work


def submit_work(*, actor, work: Work) -> Work:
    """The collective submits a draft or returned work: every rule of Attachment 1 and the deadline are checked and
    every unmet one is listed at once (RuleViolationError; ``work.state`` for a work that is neither); NotPermitted
    for anyone but the collective's accounts and the admins above it. Under the row lock: a second submission (a
    double click) finds the work submitted and is refused (``work.state``, saying when it was submitted).

    Side effects, in one transaction: status, ``submitted_at``, the essay's ``char_count`` and ``version`` raised by
    one; a WorkDecision at the
    collective stage (the first entry of the work's history); an audit entry with the fields that changed. Nobody
    is notified: the unit finds the work in its queue."""
    with transaction.atomic():
        work = _locked(work)  # the status is read under the lock: a second click waits, then finds it submitted
        if not may_act_at(actor, work, WorkStage.COLLECTIVE):
            raise NotPermitted("您没有权限修改该作品：只有创作集体的账号和其上级团委管理员可以操作。")
        if work.status == S.SUBMITTED:
            raise RuleViolationError([_already(work, "无需重复提交")])
        violations = submission_violations(work)
        if violations:
            raise RuleViolationError(violations)
        from_status = work.status
        rule = TRANSITIONS[(from_status, S.SUBMITTED)]
        before = snapshot(work, AUDIT_FIELDS)
        work.status = S.SUBMITTED
        work.submitted_at = timezone.now()
        work.char_count = attachment1.count_characters(work.essay_text) if work.category == Category.ESSAY else 0
        work.version += 1
        work.save(update_fields=["status", "submitted_at", "char_count", "updated_at", "version"])
        WorkDecision.objects.create(work=work, stage=rule.stage, from_status=from_status, to_status=S.SUBMITTED,
                                    actor=actor)
        old, new = changed_only(before, snapshot(work, AUDIT_FIELDS))
        record_audit(actor=actor, action=rule.key, target=work, unit_path=work.collective.unit.path,
                     before=old, after=new)
    return work
