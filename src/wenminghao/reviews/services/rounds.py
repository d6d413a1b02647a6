"""Writes of the central review rounds: create, rubric, judges, assignment, scores, close (each atomic, audited)."""

from collections import Counter
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from wenminghao.core.audit import record_audit, snapshot
from wenminghao.core.errors import NotPermitted, RuleViolationError, Violation
from wenminghao.core.notifications import notify
from wenminghao.core.predicates import is_campaign_office_admin
from wenminghao.core.roles import Role
from wenminghao.works.enums import Category

from .. import standings
from ..enums import RoundStatus
from ..models import Assignment, Criterion, ReviewRound, RoundJudge, Score
from ..rules import is_assigned_judge, judge_has_conflict
from ..selectors.rounds import assignable_works

ROUND_TRIM_MAX = 5


RUBRIC_MAX_CRITERIA = 12


SCORE_MAX_LIMIT = 1000


DEFAULT_RUBRIC = (("主题契合", "0.30", "10"), ("原创性", "0.30", "10"), ("表现力", "0.20", "10"),
                  ("示范推广价值", "0.20", "10"))




def _require_round_office(actor, round_or_campaign, what: str):
    campaign = getattr(round_or_campaign, "campaign", round_or_campaign)
    if not is_campaign_office_admin(actor, campaign):
        raise NotPermitted(f"只有组织“{campaign.name}”的团委管理员可以{what}。")


def _require_open(round_, what: str):
    if round_.status != RoundStatus.OPEN:
        raise RuleViolationError.single("round.closed", f"评审轮次“{round_.name}”已结束，不能再{what}。")


def create_round(*, actor, campaign, category: str, name: str, is_blind: bool = True, trim_count: int = 1):
    """Open a review round of one category of the campaign. Only the campaign's office admin (NotPermitted);
    RuleViolationError (round.*) for an unknown category, an empty or long name, or a trim count outside 0..5.
    Side effects: the ReviewRound row and an audit entry."""
    _require_round_office(actor, campaign, "开设评审轮次")
    name = (name or "").strip()
    violations = []
    if category not in Category.values:
        violations.append(Violation("round.category", "请选择作品类别（图片作品、宣传作品或征文）。", "category"))
    if not name:
        violations.append(Violation("round.name", "请填写评审轮次的名称，例如“图片作品集中评议”。", "name"))
    elif len(name) > 100:
        violations.append(Violation("round.name", f"名称最多100字，现为{len(name)}字。", "name"))
    if trim_count is None or not 0 <= int(trim_count) <= ROUND_TRIM_MAX:
        violations.append(Violation(
            "round.trim_count", f"去掉最高分和最低分的个数应在0到{ROUND_TRIM_MAX}之间，现为{trim_count}。",
            "trim_count"))
    if violations:
        raise RuleViolationError(violations)
    with transaction.atomic():
        round_ = ReviewRound.objects.create(campaign=campaign, category=category, name=name, is_blind=bool(is_blind),
                                            trim_count=int(trim_count), created_by=actor)
        record_audit(actor=actor, action="round.create", target=round_, unit_path=campaign.office.path,
                     after=snapshot(round_, ["campaign", "category", "name", "is_blind", "trim_count"]))
    return round_


def set_rubric(*, actor, round_, criteria: list[dict]):
    """Replace the round's rubric by ``criteria`` (dicts with name, weight, max_score, in order). Only the office
    admin, only while the round is open and before any judge has scored (the scores would lose their meaning).
    RuleViolationError lists every bad line (rubric.*). Side effects: Criterion rows replaced, an audit entry."""
    _require_round_office(actor, round_, "设置评分标准")
    violations, cleaned, seen = [], [], set()
    if not criteria:
        violations.append(Violation("rubric.empty", "请至少设置一个评分项。", None))
    if len(criteria) > RUBRIC_MAX_CRITERIA:
        violations.append(Violation(
            "rubric.too_many", f"评分项最多{RUBRIC_MAX_CRITERIA}个，现为{len(criteria)}个。", None))
    for index, item in enumerate(criteria, start=1):
        name = (item.get("name") or "").strip()
        label = f"第{index}项" + (f"“{name}”" if name else "")
        if not name:
            violations.append(Violation("rubric.name", f"{label}：请填写评分项名称。", f"form-{index - 1}-name"))
        elif len(name) > 50:
            violations.append(Violation("rubric.name", f"{label}：名称最多50字。", f"form-{index - 1}-name"))
        elif name in seen:
            violations.append(Violation("rubric.duplicate", f"{label}：与前面的评分项重名。", f"form-{index - 1}-name"))
        seen.add(name)
        try:
            weight = Decimal(str(item.get("weight")))
            maximum = Decimal(str(item.get("max_score")))
        except (InvalidOperation, ValueError):
            violations.append(Violation("rubric.number", f"{label}：权重和满分须为数字。", f"form-{index - 1}-weight"))
            continue
        if not weight.is_finite() or not Decimal(0) < weight <= Decimal(100) or weight != weight.quantize(
                Decimal("0.001")):
            violations.append(Violation(
                "rubric.weight", f"{label}：权重应大于0、不超过100，最多三位小数，现为{item.get('weight')}。",
                f"form-{index - 1}-weight"))
        if not maximum.is_finite() or not Decimal(0) < maximum <= SCORE_MAX_LIMIT or maximum != maximum.quantize(
                Decimal("0.01")):
            violations.append(Violation(
                "rubric.max_score",
                f"{label}：满分应大于0、不超过{SCORE_MAX_LIMIT}，最多两位小数，现为{item.get('max_score')}。",
                f"form-{index - 1}-max_score"))
        cleaned.append((name, weight, maximum))
    with transaction.atomic():
        round_ = ReviewRound.objects.select_for_update(no_key=True).get(pk=round_.pk)
        _require_open(round_, "修改评分标准")
        if Score.objects.filter(assignment__round=round_).exists():
            violations.insert(0, Violation("rubric.scored", "已有评委打分，评分标准不能再修改。", None))
        if violations:
            raise RuleViolationError(violations)
        before = list(Criterion.objects.filter(round=round_).values("name", "weight", "max_score"))
        Criterion.objects.filter(round=round_).delete()
        Criterion.objects.bulk_create([
            Criterion(round=round_, name=name, weight=weight, max_score=maximum, position=position)
            for position, (name, weight, maximum) in enumerate(cleaned)
        ])
        record_audit(actor=actor, action="round.rubric", target=round_, unit_path=round_.campaign.office.path,
                     before={"criteria": before},
                     after={"criteria": [{"name": n, "weight": w, "max_score": m} for n, w, m in cleaned]})
    return round_


def set_judges(*, actor, round_, judges):
    """Make ``judges`` (accounts with the judge role, active) the round's panel. Only the office admin, only while
    the round is open; a judge who has already scored cannot be taken off. Side effects: RoundJudge rows added
    and removed, the unscored assignments of removed judges deleted, an audit entry."""
    _require_round_office(actor, round_, "选择评委")
    judges = list(judges)
    violations = [
        Violation("round.judge_role", f"“{judge}”不是评委账号（或已停用），不能选为评委。", "judges")
        for judge in judges if judge.role != Role.JUDGE or not judge.is_active
    ]
    with transaction.atomic():
        round_ = ReviewRound.objects.select_for_update(no_key=True).get(pk=round_.pk)
        _require_open(round_, "调整评委")
        wanted = {judge.pk: judge for judge in judges}
        current = set(RoundJudge.objects.filter(round=round_).values_list("judge_id", flat=True))
        removed = current - set(wanted)
        scored = (Score.objects.filter(assignment__round=round_, assignment__judge_id__in=removed)
                  .select_related("assignment__judge").order_by("assignment__judge_id")
                  .distinct().values_list("assignment__judge__username", flat=True)) if removed else []
        for username in dict.fromkeys(scored):
            violations.append(Violation("round.judge_scored", f"评委“{username}”已经打分，不能从本轮移除。", "judges"))
        if violations:
            raise RuleViolationError(violations)
        Assignment.objects.filter(round=round_, judge_id__in=removed).delete()
        if removed:
            standings.refresh_entries(round_)
        RoundJudge.objects.filter(round=round_, judge_id__in=removed).delete()
        RoundJudge.objects.bulk_create(
            [RoundJudge(round=round_, judge=wanted[pk]) for pk in wanted if pk not in current])
        record_audit(actor=actor, action="round.judges", target=round_, unit_path=round_.campaign.office.path,
                     before={"judges": sorted(current)}, after={"judges": sorted(wanted)})
    return round_


def assign_works(*, actor, round_) -> dict:
    """Give every assignable work (see assignable_works) to every judge of the round, skipping conflicts of
    interest (a judge whose own unit's subtree contains the work's collective: reviews.rules.judge_has_conflict).
    Existing assignments stay. Only the office admin, only while the round is open. Returns {"created": n,
    "skipped": [(work, judge), ...]}. Side effects: Assignment rows, an audit entry (when anything was created)."""
    _require_round_office(actor, round_, "分配作品")
    with transaction.atomic():
        round_ = ReviewRound.objects.select_for_update(no_key=True).select_related("campaign__office").get(pk=round_.pk)
        _require_open(round_, "分配作品")
        office = round_.campaign.office
        judges = [rj.judge for rj in RoundJudge.objects.filter(round=round_).select_related("judge__unit")
                  .order_by("judge__username")]
        works = list(assignable_works(round_))
        violations = []
        if not judges:
            violations.append(Violation("round.no_judges", "本轮还没有评委，请先选择评委。", None))
        if not works:
            violations.append(Violation(
                "round.no_works", "本活动还没有该类别的已推荐作品（状态为“已推荐”或“入围”），暂无可分配的作品。", None))
        if violations:
            raise RuleViolationError(violations)
        existing = set(Assignment.objects.filter(round=round_).values_list("work_id", "judge_id"))
        new, skipped = [], []
        for work in works:
            for judge in judges:
                if judge_has_conflict(judge, work, office):
                    skipped.append((work, judge))
                elif (work.pk, judge.pk) not in existing:
                    new.append(Assignment(round=round_, work=work, judge=judge))
        Assignment.objects.bulk_create(new, batch_size=5000)
        standings.refresh_entries(round_)
        if new:
            record_audit(actor=actor, action="round.assign", target=round_, unit_path=office.path,
                         after={"created": len(new), "skipped_conflicts": [[w.pk, j.pk] for w, j in skipped]})
            _notify_judges(round_, new)
    return {"created": len(new), "skipped": skipped}


def _notify_judges(round_, assignments) -> None:
    """Tell each judge how many works the round has newly given them (in the platform, and by e-mail)."""
    counts = Counter(assignment.judge for assignment in assignments)
    for judge, count in counts.items():
        message = f"“{round_.name}”（{round_.campaign.name}）为您分配了{count}件评审作品，请在本轮结束前完成评分。"
        notify([judge], message, reverse("reviews:judge_home"))


def save_scores(*, actor, assignment, scores: dict, comment: str = ""):
    """Save the judge's scores ({criterion id: value}, every criterion, 0..its max, at most two decimals) and
    comment for the assignment, replacing earlier ones (revisable until the round closes). Only the assigned
    judge (NotPermitted otherwise, also for a conflict of interest); RuleViolationError (score.*) for a closed
    round or each missing or out-of-range value. Side effects: Score rows upserted, the assignment's comment and
    scored_at, an audit entry."""
    with transaction.atomic():
        assignment = (Assignment.objects.select_for_update(no_key=True)
                      .select_related("round", "round__campaign__office", "work__collective__unit")
                      .get(pk=assignment.pk))
        if not is_assigned_judge(actor, assignment):
            raise NotPermitted("只有分配到该作品的评委可以为它打分。")
        round_ = assignment.round
        _require_open(round_, "修改评分")
        criteria = list(Criterion.objects.filter(round=round_).order_by("position", "id"))
        violations, cleaned = [], {}
        if not criteria:
            violations.append(Violation("score.no_rubric", "本轮还没有设置评分标准，暂不能打分。", None))
        for criterion in criteria:
            raw = scores.get(criterion.pk, scores.get(str(criterion.pk)))
            field = f"criterion_{criterion.pk}"
            bound = f"0到{criterion.max_score.normalize():f}"
            if raw is None or str(raw).strip() == "":
                violations.append(Violation("score.missing", f"请为“{criterion.name}”打分（{bound}分）。", field))
                continue
            try:
                value = Decimal(str(raw).strip())
            except InvalidOperation:
                violations.append(Violation("score.number", f"“{criterion.name}”的得分须为数字，现为“{raw}”。", field))
                continue
            if not value.is_finite() or not Decimal(0) <= value <= criterion.max_score:
                violations.append(Violation(
                    "score.range", f"“{criterion.name}”的得分应在{bound}分之间，现为{raw}。", field))
            elif value != value.quantize(Decimal("0.01")):
                violations.append(Violation(
                    "score.precision", f"“{criterion.name}”的得分最多保留两位小数，现为{raw}。", field))
            else:
                cleaned[criterion.pk] = value
        comment = (comment or "").strip()
        if len(comment) > 2000:
            violations.append(Violation("score.comment", f"评语最多2000字，现为{len(comment)}字。", "comment"))
        if violations:
            raise RuleViolationError(violations)
        before = dict(Score.objects.filter(assignment=assignment).values_list("criterion_id", "value"))
        for criterion_id, value in cleaned.items():
            Score.objects.update_or_create(assignment=assignment, criterion_id=criterion_id,
                                           defaults={"value": value})
        before_comment = assignment.comment
        first_scored = assignment.scored_at is None
        assignment.comment = comment
        assignment.scored_at = timezone.now()
        assignment.save(update_fields=["comment", "scored_at"])
        standings.rescore_work(round_, assignment.work_id)
        if first_scored:
            standings.judge_scored(round_, assignment.judge_id)
        record_audit(actor=actor, action="assignment.score", target=assignment, unit_path=round_.campaign.office.path,
                     before={"scores": {str(k): v for k, v in before.items()}, "comment": before_comment},
                     after={"scores": {str(k): v for k, v in cleaned.items()}, "comment": comment})
    return assignment


def close_round(*, actor, round_):
    """End the round: scores are final and judges can no longer revise them. Only the office admin;
    RuleViolationError (round.closed) when already closed. Side effects: status, closed_at, an audit entry."""
    _require_round_office(actor, round_, "结束评审轮次")
    with transaction.atomic():
        round_ = ReviewRound.objects.select_for_update(no_key=True).select_related("campaign__office").get(pk=round_.pk)
        _require_open(round_, "结束")
        round_.status = RoundStatus.CLOSED
        round_.closed_at = timezone.now()
        round_.save(update_fields=["status", "closed_at"])
        record_audit(actor=actor, action="round.close", target=round_, unit_path=round_.campaign.office.path,
                     before={"status": RoundStatus.OPEN}, after={"status": RoundStatus.CLOSED})
    return round_
