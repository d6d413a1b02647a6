"""The suggested score of the central evaluation (evaluation/scoring.py): a table of facts and weights with the
score each must give, worked out by hand from the formula, and two properties over any facts and any valid weights:
the score stays within 0..100, and it never falls when a fact grows (the member count aside: it is coverage's
denominator)."""

import dataclasses
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wenminghao.evaluation.scoring import CollectiveFacts, Weights, score_parts, suggested_score

NOTHING = CollectiveFacts()
# Everything a collective can do, each criterion met in full.
EVERYTHING = CollectiveFacts(
    benchmark_targets=2, benchmark_results=1, study_sessions=4, members=8, study_attended=8, pairings_visited=1,
    family_visits=2, follow_up_visits=1, open_week_entries=1, open_week_shown=1, works_submitted=1,
    works_recommended=1,
)
DEFAULT = Weights()
SKEWED = Weights(benchmark=30, study=25, families=15, open_week=10, works=20)
ODD = Weights(benchmark=21, study=21, families=21, open_week=21, works=16)


def facts(**values) -> CollectiveFacts:
    return CollectiveFacts(**values)


@pytest.mark.parametrize(("case", "given_facts", "weights", "expected"), [
    ("nothing at all", NOTHING, DEFAULT, "0.00"),
    ("everything, default weights", EVERYTHING, DEFAULT, "100.00"),
    ("everything, other weights", EVERYTHING, SKEWED, "100.00"),
    # 对标创优: a target alone is half the part (0.5 × 20).
    ("a benchmark target only", facts(benchmark_targets=3), DEFAULT, "10.00"),
    ("a benchmark result only", facts(benchmark_results=1), DEFAULT, "10.00"),
    ("target and result", facts(benchmark_targets=1, benchmark_results=1), DEFAULT, "20.00"),
    ("target and result, weight 30", facts(benchmark_targets=1, benchmark_results=1), SKEWED, "30.00"),
    # 青年大学习: 0.5 × coverage + 0.5 × min(1, sessions / 4).
    ("2 sessions, 5 of 8 members", facts(study_sessions=2, members=8, study_attended=5), DEFAULT, "11.25"),
    # 20 × (0.5 × 1/3 + 0.5 × 1/4) = 3.333… + 2.5 = 5.8333… → 5.83
    ("1 session, 1 of 3 members", facts(study_sessions=1, members=3, study_attended=1), DEFAULT, "5.83"),
    # 20 × (0.5 × 2/3 + 0.5 × 1/4) = 6.666… + 2.5 = 9.1666… → 9.17 (half up)
    ("1 session, 2 of 3 members", facts(study_sessions=1, members=3, study_attended=2), DEFAULT, "9.17"),
    # 21 × (0.5 × 1/8 + 0.5 × 1/4) = 1.3125 + 2.625 = 3.9375 → 3.94
    ("odd weight, 1 of 8 members", facts(study_sessions=1, members=8, study_attended=1), ODD, "3.94"),
    ("sessions beyond 4 count as 4", facts(study_sessions=12, members=8, study_attended=8), DEFAULT, "20.00"),
    ("sessions without members", facts(study_sessions=4), DEFAULT, "10.00"),
    ("coverage never above 1", facts(study_sessions=4, members=2, study_attended=5), DEFAULT, "20.00"),
    # 助千家: 0.5 for a pairing visited, 0.25 for two visits, 0.25 for a 回头看.
    ("one visit", facts(pairings_visited=1, family_visits=1), DEFAULT, "10.00"),
    ("two visits", facts(pairings_visited=1, family_visits=2), DEFAULT, "15.00"),
    ("two visits and a 回头看 visit", facts(pairings_visited=1, family_visits=2, follow_up_visits=1), DEFAULT, "20.00"),
    ("one visit and a recorded 回头看", facts(pairings_visited=1, family_visits=1, pairing_reviews=1), DEFAULT,
     "15.00"),
    ("a recorded 回头看, weight 15", facts(pairings_visited=1, family_visits=3, pairing_reviews=2), SKEWED, "15.00"),
    # 21 × 0.75 = 15.75
    ("two visits, odd weight", facts(pairings_visited=2, family_visits=2), ODD, "15.75"),
    # 开放周: 0.5 for an event, 0.5 when one showed both the commitment and the supervision phone.
    ("an open week", facts(open_week_entries=2), DEFAULT, "10.00"),
    ("an open week showing both", facts(open_week_entries=1, open_week_shown=1), DEFAULT, "20.00"),
    ("an open week showing both, weight 10", facts(open_week_entries=3, open_week_shown=1), SKEWED, "10.00"),
    # 成果作品: 0.5 submitted, 1.0 recommended or further.
    ("a work submitted", facts(works_submitted=1), DEFAULT, "10.00"),
    ("a work recommended", facts(works_submitted=2, works_recommended=1), DEFAULT, "20.00"),
    # 16 × 0.5 = 8
    ("a work submitted, weight 16", facts(works_submitted=1), ODD, "8.00"),
    # A collective of the demo's kind: 10 + 11.25 + 15 + 20 + 10 = 66.25
    ("a typical collective", facts(benchmark_targets=1, study_sessions=2, members=8, study_attended=5,
                                   pairings_visited=1, family_visits=2, open_week_entries=1, open_week_shown=1,
                                   works_submitted=1), DEFAULT, "66.25"),
    # Same with 30/25/15/10/20: 15 + 14.0625→14.06 + 11.25 + 10 + 10 = 60.31
    ("a typical collective, other weights", facts(benchmark_targets=1, study_sessions=2, members=8, study_attended=5,
                                                  pairings_visited=1, family_visits=2, open_week_entries=1,
                                                  open_week_shown=1, works_submitted=1), SKEWED, "60.31"),
    ("a part weighted 0 earns nothing", EVERYTHING, Weights(benchmark=0, study=25, families=25, open_week=25,
                                                            works=25), "100.00"),
    ("only one part weighted", facts(works_submitted=1), Weights(0, 0, 0, 0, 100), "50.00"),
])
def test_suggested_score_table(case, given_facts, weights, expected):
    assert suggested_score(given_facts, weights) == Decimal(expected), case


def test_the_parts_add_up_to_the_score_and_name_the_weights():
    given_facts = facts(benchmark_targets=1, study_sessions=1, members=3, study_attended=1, works_submitted=1)
    parts = score_parts(given_facts, DEFAULT)
    assert [part.label for part in parts] == ["对标创优", "青年大学习", "助千家", "开放周", "成果作品"]
    assert [str(part.points) for part in parts] == ["10.00", "5.83", "0.00", "0.00", "10.00"]
    assert sum(part.points for part in parts) == suggested_score(given_facts, DEFAULT) == Decimal("25.83")
    assert [part.weight for part in score_parts(given_facts, SKEWED)] == [30, 25, 15, 10, 20]


def test_each_criterion_shows_what_it_earned_of_its_points():
    benchmark, study, families, *_ = score_parts(facts(benchmark_results=1, study_sessions=2, members=8,
                                                       study_attended=4, family_visits=2), DEFAULT)
    assert [(line[0].met, str(line[1]), str(line[2])) for line in benchmark.lines] == [
        (False, "0.00", "10.00"), (True, "10.00", "10.00")]
    assert [(str(line[1]), str(line[2])) for line in study.lines] == [("5.00", "10.00"), ("5.00", "10.00")]
    # Two visits without a pairing visited cannot happen; the criteria still count each fact on its own.
    assert [line[0].met for line in families.lines] == [False, True, False]


@pytest.mark.parametrize("weights", [
    Weights(benchmark=20, study=20, families=20, open_week=20, works=10),  # 90
    Weights(benchmark=30, study=30, families=20, open_week=20, works=20),  # 120
    Weights(benchmark=-10, study=50, families=20, open_week=20, works=20),  # a negative weight
    Weights(benchmark=101, study=0, families=0, open_week=0, works=-1),
])
def test_weights_that_do_not_make_100_are_refused(weights):
    assert not weights.is_valid
    with pytest.raises(ValueError):
        suggested_score(EVERYTHING, weights)


@pytest.mark.parametrize(("members", "attended", "percent"), [(8, 5, 63), (3, 1, 33), (3, 2, 67), (0, 0, 0),
                                                              (8, 8, 100), (2, 3, 100)])
def test_coverage_percent_rounds_half_up_and_stops_at_100(members, attended, percent):
    assert facts(members=members, study_attended=attended).coverage_percent == percent


# --- properties -----------------------------------------------------------------------------------------------

COUNT = st.integers(min_value=0, max_value=60)
FACT_NAMES = [name.name for name in dataclasses.fields(CollectiveFacts)]
GROWING = [name for name in FACT_NAMES if name != "members"]


@st.composite
def valid_weights(draw) -> Weights:
    """Five integers from 0 to 100 that sum to 100 (four cuts of 0..100)."""
    cuts = sorted(draw(st.lists(st.integers(min_value=0, max_value=100), min_size=4, max_size=4)))
    bounds = [0, *cuts, 100]
    values = [high - low for low, high in zip(bounds, bounds[1:], strict=False)]
    return Weights(*values)


any_facts = st.builds(CollectiveFacts, **dict.fromkeys(FACT_NAMES, COUNT))


@given(given_facts=any_facts, weights=valid_weights())
def test_the_score_is_always_between_0_and_100_with_two_decimals(given_facts, weights):
    score = suggested_score(given_facts, weights)
    assert Decimal(0) <= score <= Decimal(100)
    assert score == score.quantize(Decimal("0.01"))
    for part in score_parts(given_facts, weights):
        assert Decimal(0) <= part.points <= part.weight


@given(given_facts=any_facts, weights=valid_weights(), fact=st.sampled_from(GROWING),
       more=st.integers(min_value=1, max_value=20))
def test_the_score_never_falls_when_a_fact_grows(given_facts, weights, fact, more):
    grown = dataclasses.replace(given_facts, **{fact: getattr(given_facts, fact) + more})
    assert suggested_score(grown, weights) >= suggested_score(given_facts, weights)


@given(given_facts=any_facts, weights=valid_weights(), more=st.integers(min_value=1, max_value=20))
def test_more_members_never_raise_the_score(given_facts, weights, more):
    grown = dataclasses.replace(given_facts, members=given_facts.members + more)
    assert suggested_score(grown, weights) <= suggested_score(given_facts, weights) or given_facts.members == 0
