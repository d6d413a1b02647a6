"""The only code that changes the central evaluation (集中评议): the weights the office sets per campaign, the score
it gives a creating collective (the suggestion, or another with a reason), and scoring every collective not yet
scored with its suggestion at once. Each function is atomic and audited, checks the actor itself (NotPermitted,
403) and raises RuleViolationError with every unmet rule at once (nothing changed then). Nobody is notified: the
scores are the leadership group's working figures; what the collectives hear of is the naming (命名) that follows.

Every write locks the campaign's row first, so that weights, single scores and the bulk action of one campaign never
interleave (a bulk scoring never overwrites a score given meanwhile, and never scores with half-changed weights)."""

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef

from wenminghao.campaigns.models import Campaign
from wenminghao.campaigns.selectors import creating_filings
from wenminghao.collectives.models import Collective
from wenminghao.core.audit import record_audit
from wenminghao.core.errors import NotPermitted, RuleViolationError, Violation

from ..models import REASON_MAX_CHARS, Assessment, AssessmentWeights
from ..scoring import CENT, PARTS, WEIGHTS_TOTAL, Weights, suggested_score
from ..selectors.assessments import collective_facts, weights_of

OFFICE_ONLY_WEIGHTS = "只有主办本次创建活动的团委（创建活动领导小组）可以设置集中评议权重。"
OFFICE_ONLY_SCORES = "只有主办本次创建活动的团委（创建活动领导小组）可以评议打分。"
SCORE_MAX = Decimal(100)
# The bulk action reads the facts of this many collectives per query (one query per chunk, whatever their entries).
FACTS_CHUNK = 500


def _require(actor, perm: str, obj, denied: str) -> None:
    if not actor.has_perm(perm, obj):
        raise NotPermitted(denied)


def _locked(campaign) -> Campaign:
    return Campaign.objects.select_for_update(no_key=True).select_related("office").get(pk=campaign.pk)


# --- weights --------------------------------------------------------------------------------------------------


def _weight(value, key: str, label: str, violations: list[Violation]) -> int | None:
    text = str(value).strip() if value is not None else ""
    if not text:
        violations.append(Violation("assessment.weight_required", f"请填写{label}的权重（0到100之间的整数）", key))
        return None
    try:
        number = int(text)
    except ValueError:
        violations.append(Violation("assessment.weight_invalid",
                                    f"{label}的权重须为0到100之间的整数，现为“{text}”", key))
        return None
    if not 0 <= number <= WEIGHTS_TOTAL:
        violations.append(Violation("assessment.weight_invalid",
                                    f"{label}的权重须为0到100之间的整数，现为{number}", key))
        return None
    return number


def clean_weights(data: Mapping[str, Any]) -> Weights:
    """The five weights from ``data`` (keys of ``scoring.PARTS``), or RuleViolationError naming each wrong value and,
    when they do not add up to 100, the sum with every term."""
    violations: list[Violation] = []
    values = {key: _weight(data.get(key), key, label, violations) for key, label in PARTS}
    if not violations:
        total = sum(values.values())
        if total != WEIGHTS_TOTAL:
            terms = "＋".join(f"{label}{values[key]}" for key, label in PARTS)
            violations.append(Violation("assessment.weights_sum",
                                        f"五项权重之和须为{WEIGHTS_TOTAL}，现为{total}（{terms}），请调整后再保存",
                                        None))
    if violations:
        raise RuleViolationError(violations)
    return Weights(**values)


@transaction.atomic
def set_assessment_weights(*, actor, campaign, data: Mapping[str, Any], ip_address: str | None = None
                           ) -> AssessmentWeights:
    """Set the campaign's five weights (integers 0–100 summing to 100). Side effects: the campaign's
    ``AssessmentWeights`` row (made on the first change) and an audit entry ``assessment.weights`` with the weights
    before and after; nothing when they do not change (the row is then returned as it is, unsaved while the defaults
    apply). Scores already given stay as they are (each keeps the
    suggestion it was given against); the pages show every suggestion with the new weights. Only the office running
    the campaign (or one above) may."""
    _require(actor, "evaluation.set_assessment_weights", campaign, OFFICE_ONLY_WEIGHTS)
    weights = clean_weights(data)
    campaign = _locked(campaign)
    before = weights_of(campaign)
    row = AssessmentWeights.objects.filter(campaign=campaign).first() or AssessmentWeights(campaign=campaign)
    if before == weights:
        return row
    for key, value in weights.as_dict().items():
        setattr(row, key, value)
    row.updated_by = actor
    row.save()
    record_audit(actor=actor, action="assessment.weights", target=row, unit_path=campaign.office.path,
                 before=before.as_dict(), after=weights.as_dict(), ip_address=ip_address)
    return row


# --- scores ---------------------------------------------------------------------------------------------------


def clean_score(value) -> Decimal:
    """A score as typed (0 to 100, at most two decimals), as a Decimal of two decimals; RuleViolationError otherwise."""
    text = str(value).strip() if value is not None else ""
    if not text:
        raise RuleViolationError.single("assessment.score_required",
                                        "请填写评议得分（0到100分，最多两位小数），或采用建议得分", "score")
    try:
        number = Decimal(text)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise RuleViolationError.single("assessment.score_invalid",
                                        f"评议得分“{text}”不是数字，请填写0到100之间的分数，最多两位小数", "score")
    if not Decimal(0) <= number <= SCORE_MAX:
        raise RuleViolationError.single("assessment.score_range", f"评议得分{text}超出范围，须在0到100分之间", "score")
    if number != number.quantize(CENT):
        raise RuleViolationError.single("assessment.score_decimals",
                                        f"评议得分{text}的小数超过两位，请保留最多两位小数", "score")
    return number.quantize(CENT)


def _check_creating(campaign, collective) -> None:
    if not creating_filings(campaign, campaign.office).filter(collective=collective).exists():
        raise RuleViolationError.single(
            "assessment.not_creating",
            f"“{collective.name}”不是{campaign.name}的创建集体（未报备或报备已退回），不能评议", "collective")


def score_snapshot(assessment: Assessment) -> dict[str, Any]:
    return {"score": assessment.score, "suggested_score": assessment.suggested_score,
            "adjustment_reason": assessment.adjustment_reason}


@transaction.atomic
def score_collective(*, actor, campaign, collective, score=None, reason: str = "", use_suggestion: bool = False,
                     ip_address: str | None = None) -> Assessment:
    """Give a creating collective its score in the campaign: the suggested score computed now from its facts and the
    campaign's weights (``use_suggestion``), or ``score`` (0–100, two decimals), which needs a ``reason`` when it
    differs from that suggestion. Scoring again replaces the score. Side effects: the ``Assessment`` row (with the
    suggestion it was given against) and an audit entry ``assessment.score`` (before and after). Only the office
    running the campaign (or one above) may; a collective whose filing is not pending or accepted is refused."""
    _require(actor, "evaluation.score_assessments", campaign, OFFICE_ONLY_SCORES)
    campaign = _locked(campaign)
    _check_creating(campaign, collective)
    suggestion = suggested_score(collective_facts(campaign, [collective.pk])[collective.pk], weights_of(campaign))
    reason = (reason or "").strip()
    violations: list[Violation] = []
    given = suggestion
    if not use_suggestion:
        try:
            given = clean_score(score)
        except RuleViolationError as error:
            violations += error.violations
            given = None
    if given is not None and given != suggestion and not reason:
        violations.append(Violation("assessment.reason_required",
                                    f"评议得分{given}与建议得分{suggestion}不同，请填写调整理由", "reason"))
    if len(reason) > REASON_MAX_CHARS:
        violations.append(Violation("assessment.reason_too_long",
                                    f"调整理由为{len(reason)}字，超过{REASON_MAX_CHARS}字，请精简", "reason"))
    if violations:
        raise RuleViolationError(violations)
    assessment = (Assessment.objects.select_for_update(no_key=True).filter(campaign=campaign, collective=collective)
                  .first()
                  or Assessment(campaign=campaign))
    before = score_snapshot(assessment) if assessment.pk else None
    assessment.collective = collective
    assessment.suggested_score, assessment.score, assessment.adjustment_reason = suggestion, given, reason
    assessment.scored_by = actor
    assessment.save()
    record_audit(actor=actor, action="assessment.score", target=assessment, unit_path=collective.unit.path,
                 before=before, after=score_snapshot(assessment), ip_address=ip_address)
    return assessment


@transaction.atomic
def score_unscored_with_suggestions(*, actor, campaign, ip_address: str | None = None) -> list[Assessment]:
    """Score every creating collective of the campaign not yet scored with its suggested score (the office then
    adjusts the few it disagrees with, one by one). Side effects, in one transaction: one ``Assessment`` per such
    collective, and one audit entry ``assessment.score`` for each (``"with": "suggestion_for_all"``), so that each
    collective's trail says who gave its score and when, as if scored alone. Scores already given are left alone.
    Only the office running the campaign (or one above) may. Returns the new assessments."""
    _require(actor, "evaluation.score_assessments", campaign, OFFICE_ONLY_SCORES)
    campaign = _locked(campaign)
    weights = weights_of(campaign)
    scored = Assessment.objects.filter(campaign=campaign, collective=OuterRef("pk"))
    collectives = list(
        Collective.objects.filter(pk__in=creating_filings(campaign, campaign.office).values("collective_id"))
        .exclude(Exists(scored)).select_related("unit").order_by("pk"))
    made: list[Assessment] = []
    for start in range(0, len(collectives), FACTS_CHUNK):
        chunk = collectives[start:start + FACTS_CHUNK]
        facts = collective_facts(campaign, [collective.pk for collective in chunk])
        rows = []
        for collective in chunk:
            suggestion = suggested_score(facts[collective.pk], weights)
            rows.append(Assessment(campaign=campaign, collective=collective, suggested_score=suggestion,
                                   score=suggestion, scored_by=actor))
        made += Assessment.objects.bulk_create(rows)
    for assessment in made:
        record_audit(actor=actor, action="assessment.score", target=assessment,
                     unit_path=assessment.collective.unit.path,
                     after={**score_snapshot(assessment), "with": "suggestion_for_all"}, ip_address=ip_address)
    return made
