"""The rules of the central evaluation's services: the weights (five integers 0–100 summing to 100, only the office),
a score (the suggestion, or another from 0 to 100 with two decimals and a reason when it differs), who may score, and
the action that scores every collective not yet scored with its suggestion. Each refusal names the values at fault,
in Chinese, and changes nothing."""

from decimal import Decimal

import pytest

from tests import factories
from wenminghao.campaigns.services import decide_filing, file_creation
from wenminghao.core.errors import NotPermitted, RuleViolationError
from wenminghao.core.models import AuditEntry
from wenminghao.evaluation.models import Assessment, AssessmentWeights
from wenminghao.evaluation.scoring import Weights
from wenminghao.evaluation.selectors.assessments import weights_of
from wenminghao.evaluation.services.assessments import (
    score_collective,
    score_unscored_with_suggestions,
    set_assessment_weights,
)

DEFAULTS = {"benchmark": 20, "study": 20, "families": 20, "open_week": 20, "works": 20}


def _codes(error) -> list[str]:
    return [violation.code for violation in error.value.violations]


def _messages(error) -> list[str]:
    return [violation.message for violation in error.value.violations]


# --- weights --------------------------------------------------------------------------------------------------


def test_the_office_sets_the_weights_and_the_change_is_audited(users, campaign):
    assert weights_of(campaign) == Weights()  # the defaults until the office sets them
    data = {"benchmark": "30", "study": "25", "families": "15", "open_week": "10", "works": "20"}
    set_assessment_weights(actor=users["city_admin"], campaign=campaign, data=data)
    assert weights_of(campaign) == Weights(30, 25, 15, 10, 20)
    entry = AuditEntry.objects.get(action="assessment.weights")
    assert entry.before == DEFAULTS
    assert entry.after == {"benchmark": 30, "study": 25, "families": 15, "open_week": 10, "works": 20}
    assert entry.unit_path == campaign.office.path


def test_saving_the_same_weights_writes_nothing(users, campaign):
    set_assessment_weights(actor=users["city_admin"], campaign=campaign, data=DEFAULTS)
    assert not AssessmentWeights.objects.exists()
    assert not AuditEntry.objects.filter(action="assessment.weights").exists()


@pytest.mark.parametrize(("data", "codes", "message"), [
    ({**DEFAULTS, "works": "15"}, ["assessment.weights_sum"],
     "五项权重之和须为100，现为95（对标创优20＋青年大学习20＋助千家20＋开放周20＋成果作品15），请调整后再保存"),
    ({**DEFAULTS, "benchmark": "40"}, ["assessment.weights_sum"],
     "五项权重之和须为100，现为120（对标创优40＋青年大学习20＋助千家20＋开放周20＋成果作品20），请调整后再保存"),
    ({**DEFAULTS, "study": "十"}, ["assessment.weight_invalid"], "青年大学习的权重须为0到100之间的整数，现为“十”"),
    ({**DEFAULTS, "study": "12.5"}, ["assessment.weight_invalid"], "青年大学习的权重须为0到100之间的整数，现为“12.5”"),
    ({**DEFAULTS, "open_week": "-10", "works": "50"}, ["assessment.weight_invalid"],
     "开放周的权重须为0到100之间的整数，现为-10"),
    ({**DEFAULTS, "families": ""}, ["assessment.weight_required"], "请填写助千家的权重（0到100之间的整数）"),
    ({"benchmark": "101", "study": "x", "families": "0", "open_week": "0", "works": "0"},
     ["assessment.weight_invalid", "assessment.weight_invalid"], "对标创优的权重须为0到100之间的整数，现为101"),
])
def test_wrong_weights_are_refused_with_every_reason(users, campaign, data, codes, message):
    with pytest.raises(RuleViolationError) as error:
        set_assessment_weights(actor=users["city_admin"], campaign=campaign, data=data)
    assert _codes(error) == codes
    assert _messages(error)[0] == message
    assert not AssessmentWeights.objects.exists()


@pytest.mark.parametrize("role", ["unit_admin_a", "leader_a", "judge"])
def test_only_the_office_sets_the_weights(users, campaign, role):
    with pytest.raises(NotPermitted):
        set_assessment_weights(actor=users[role], campaign=campaign, data={**DEFAULTS, "works": 10, "study": 30})
    assert not AssessmentWeights.objects.exists()


def test_the_office_of_another_city_may_not_set_them(tree, users, campaign):
    other_city = factories.unit(name="烟台市团委", kind="city")
    other_admin = factories.account(username="yantai", role="city_admin", unit=other_city)
    with pytest.raises(NotPermitted):
        set_assessment_weights(actor=other_admin, campaign=campaign, data=DEFAULTS)


# --- scores ---------------------------------------------------------------------------------------------------


@pytest.fixture
def recorded(tree, users, filings, make_entry):
    """collective_a: a benchmark target (10 of 20) and an open week with both items shown (20): suggestion 30.00."""
    make_entry("benchmark", tree["collective_a"])
    make_entry("open_week", tree["collective_a"])


def test_accepting_the_suggestion_stores_it_unadjusted(tree, users, campaign, recorded):
    assessment = score_collective(actor=users["city_admin"], campaign=campaign, collective=tree["collective_a"],
                                  use_suggestion=True)
    assert (assessment.score, assessment.suggested_score, assessment.adjustment_reason) == (
        Decimal("30.00"), Decimal("30.00"), "")
    entry = AuditEntry.objects.get(action="assessment.score")
    assert entry.before is None
    assert entry.after == {"score": "30.00", "suggested_score": "30.00", "adjustment_reason": ""}
    assert entry.unit_path == tree["collective_a"].unit.path
    assert entry.object_repr == "环翠区政务服务中心窗口：评议得分 30.00"


def test_typing_the_suggestion_needs_no_reason(tree, users, campaign, recorded):
    assessment = score_collective(actor=users["city_admin"], campaign=campaign, collective=tree["collective_a"],
                                  score="30")
    assert assessment.score == Decimal("30.00") and assessment.score == assessment.suggested_score


def test_another_score_needs_a_reason_naming_both_numbers(tree, users, campaign, recorded):
    with pytest.raises(RuleViolationError) as error:
        score_collective(actor=users["city_admin"], campaign=campaign, collective=tree["collective_a"], score="85.5",
                         reason="  ")
    assert _codes(error) == ["assessment.reason_required"]
    assert _messages(error) == ["评议得分85.50与建议得分30.00不同，请填写调整理由"]
    assert error.value.violations[0].field == "reason"
    assert not Assessment.objects.exists() and not AuditEntry.objects.filter(action="assessment.score").exists()


def test_another_score_with_a_reason_is_stored_adjusted(tree, users, campaign, recorded):
    score_collective(actor=users["city_admin"], campaign=campaign, collective=tree["collective_a"],
                     use_suggestion=True)
    assessment = score_collective(actor=users["city_admin"], campaign=campaign, collective=tree["collective_a"],
                                  score="85.50", reason="实地考察中服务承诺和监督电话均已上墙，群众评价好")
    assert (assessment.score, assessment.suggested_score) == (Decimal("85.50"), Decimal("30.00"))
    assert Assessment.objects.count() == 1
    entry = AuditEntry.objects.filter(action="assessment.score").latest("id")
    assert entry.before == {"score": "30.00", "suggested_score": "30.00", "adjustment_reason": ""}
    assert entry.after["score"] == "85.50" and entry.after["adjustment_reason"].startswith("实地考察")


@pytest.mark.parametrize(("score", "code", "message"), [
    ("", "assessment.score_required", "请填写评议得分（0到100分，最多两位小数），或采用建议得分"),
    (None, "assessment.score_required", "请填写评议得分（0到100分，最多两位小数），或采用建议得分"),
    ("八十", "assessment.score_invalid", "评议得分“八十”不是数字，请填写0到100之间的分数，最多两位小数"),
    ("NaN", "assessment.score_invalid", "评议得分“NaN”不是数字，请填写0到100之间的分数，最多两位小数"),
    ("Infinity", "assessment.score_invalid", "评议得分“Infinity”不是数字，请填写0到100之间的分数，最多两位小数"),
    ("100.01", "assessment.score_range", "评议得分100.01超出范围，须在0到100分之间"),
    ("-1", "assessment.score_range", "评议得分-1超出范围，须在0到100分之间"),
    ("85.555", "assessment.score_decimals", "评议得分85.555的小数超过两位，请保留最多两位小数"),
])
def test_a_score_outside_0_to_100_or_with_more_decimals_is_refused(tree, users, campaign, recorded, score, code,
                                                                     message):
    with pytest.raises(RuleViolationError) as error:
        score_collective(actor=users["city_admin"], campaign=campaign, collective=tree["collective_a"], score=score,
                         reason="理由")
    assert _codes(error) == [code]
    assert _messages(error) == [message]
    assert not Assessment.objects.exists()


@pytest.mark.parametrize("score", ["0", "100", "100.00", "59.9", "85.50"])
def test_the_bounds_and_two_decimals_are_accepted(tree, users, campaign, recorded, score):
    assessment = score_collective(actor=users["city_admin"], campaign=campaign, collective=tree["collective_a"],
                                  score=score, reason="领导小组集体评议意见")
    assert assessment.score == Decimal(score)


def test_a_reason_over_500_characters_is_refused_with_its_length(tree, users, campaign, recorded):
    with pytest.raises(RuleViolationError) as error:
        score_collective(actor=users["city_admin"], campaign=campaign, collective=tree["collective_a"], score="80",
                         reason="理" * 501)
    assert _messages(error) == ["调整理由为501字，超过500字，请精简"]


@pytest.mark.parametrize("role", ["unit_admin_a", "leader_a", "judge"])
def test_only_the_office_scores(tree, users, campaign, recorded, role):
    with pytest.raises(NotPermitted):
        score_collective(actor=users[role], campaign=campaign, collective=tree["collective_a"], use_suggestion=True)
    with pytest.raises(NotPermitted):
        score_unscored_with_suggestions(actor=users[role], campaign=campaign)
    assert not Assessment.objects.exists()


def test_a_collective_whose_filing_was_returned_is_not_scored(tree, users, campaign, filings):
    decide_filing(actor=users["unit_admin_b"], filing=filings["collective_b"], accept=False, comment="材料不全")
    with pytest.raises(RuleViolationError) as error:
        score_collective(actor=users["city_admin"], campaign=campaign, collective=tree["collective_b"],
                         use_suggestion=True)
    assert _codes(error) == ["assessment.not_creating"]
    assert "文登区供电所" in _messages(error)[0] and "报备已退回" in _messages(error)[0]


def test_the_suggestion_is_the_one_of_the_weights_at_scoring_time(tree, users, campaign, recorded):
    set_assessment_weights(actor=users["city_admin"], campaign=campaign,
                           data={"benchmark": 40, "study": 10, "families": 10, "open_week": 30, "works": 10})
    assessment = score_collective(actor=users["city_admin"], campaign=campaign, collective=tree["collective_a"],
                                  use_suggestion=True)
    assert assessment.suggested_score == Decimal("50.00")  # 40 × 0.5 + 30 × 1


# --- everyone not yet scored, with the suggestion -------------------------------------------------------------


def test_scoring_all_with_the_suggestion_leaves_given_scores_alone(tree, users, campaign, recorded):
    score_collective(actor=users["city_admin"], campaign=campaign, collective=tree["collective_sub"], score="75",
                     reason="社区群众评价突出")
    made = score_unscored_with_suggestions(actor=users["city_admin"], campaign=campaign)
    assert {assessment.collective_id for assessment in made} == {tree["collective_a"].pk, tree["collective_b"].pk}
    scores = dict(Assessment.objects.values_list("collective__name", "score"))
    assert scores == {"环翠区政务服务中心窗口": Decimal("30.00"), "环翠楼社区服务站": Decimal("75.00"),
                      "文登区供电所": Decimal("0.00")}
    entries = AuditEntry.objects.filter(action="assessment.score").order_by("id")
    assert entries.count() == 3  # one for the score given, one per collective scored in bulk
    bulk = [entry for entry in entries if (entry.after or {}).get("with") == "suggestion_for_all"]
    assert {entry.object_repr for entry in bulk} == {
        "环翠区政务服务中心窗口：评议得分 30.00", "文登区供电所：评议得分 0.00"}
    assert {entry.unit_path for entry in bulk} == {tree["area_a"].path, tree["area_b"].path}
    assert score_unscored_with_suggestions(actor=users["city_admin"], campaign=campaign) == []


def test_scoring_all_skips_returned_filings(tree, users, campaign, filings):
    returned = factories.collective(unit=tree["area_b"], name="文登区退回的集体", honours=[("district", 2016)])
    filing = file_creation(actor=users["city_admin"], collective=returned, campaign=campaign)
    decide_filing(actor=users["unit_admin_b"], filing=filing, accept=False, comment="材料不全")
    made = score_unscored_with_suggestions(actor=users["city_admin"], campaign=campaign)
    assert returned.pk not in {assessment.collective_id for assessment in made}
    assert len(made) == 3
