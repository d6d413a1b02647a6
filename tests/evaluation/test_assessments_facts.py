"""The facts the suggested score reads (selectors.assessments.collective_facts), counted in SQL on the fixtures'
tree and checked against what was recorded, by hand: collective_a does a bit of everything, collective_sub one study
session, collective_b an open week without the supervision phone and a forwarded work. Another campaign's entries,
a 回头看 of a pairing ended before this year, drafts and returned works do not count (a 回头看 of last year on a
pairing still running does: the dashboard counts them so); a returned filing is never in the ranking."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from tests import factories
from tests.ledger.conftest import make_pairing  # noqa: F401  (a fixture)
from tests.works.media_fixtures import make_work
from wenminghao.campaigns.services import decide_filing, file_creation
from wenminghao.evaluation.scoring import CollectiveFacts, suggested_score
from wenminghao.evaluation.selectors.assessments import collective_facts, ranking, weights_of
from wenminghao.ledger import services as ledger
from wenminghao.works.enums import WorkStatus
from wenminghao.works.models import Work


def _work(users, collective, campaign, status, leader="leader_a"):
    work = make_work(actor=users[leader], collective=collective, campaign=campaign)
    Work.objects.filter(pk=work.pk).update(status=status)
    return work


@pytest.fixture
def recorded(tree, users, campaign, filings, make_entry, make_pairing):  # noqa: F811
    """The ledger and works of the module docstring."""
    a, sub, b = tree["collective_a"], tree["collective_sub"], tree["collective_b"]
    members = list(a.members.order_by("id"))
    today = timezone.localdate()
    target = make_entry("benchmark", a)
    make_entry("benchmark", a, stage="result", meets_target=target.pk)
    make_entry("study", a)  # attendees: the first five members
    make_entry("study", a, attendees=[member.pk for member in members[3:7]])  # members 4 to 7: 7 distinct in all
    last_year = today.year - 1
    pairing = make_pairing(a, started=datetime.date(last_year, 3, 1).isoformat())
    make_entry("families", a)
    make_entry("families", a, follow_up=True)
    ledger.add_pairing_review(actor=users["leader_a"], pairing=pairing, data={
        "date": datetime.date(last_year, 6, 1).isoformat(), "outcome": "improving", "income_trend": "rising"})
    ledger.add_pairing_review(actor=users["leader_a"], pairing=pairing, data={
        "date": today.isoformat(), "outcome": "improving", "income_trend": "steady"})
    # A pairing ended before this year: its 回头看 is not this campaign's.
    ended = make_pairing(a, family_ref="371002198765439999", started=datetime.date(last_year - 1, 3, 1).isoformat())
    ledger.add_pairing_review(actor=users["leader_a"], pairing=ended, data={
        "date": datetime.date(last_year - 1, 9, 1).isoformat(), "outcome": "out_of_poverty", "income_trend": "rising"})
    ledger.end_pairing(actor=users["leader_a"], pairing=ended, ended=datetime.date(last_year, 12, 31))
    make_entry("open_week", a)  # shows the commitment, the supervision phone and the members' identity
    make_entry("open_week", a, shown=["identity", "badges"])
    for status in (WorkStatus.SUBMITTED, WorkStatus.DRAFT, WorkStatus.RETURNED, WorkStatus.RECOMMENDED):
        _work(users, a, campaign, status)
    # Another campaign of the city: its entries are not this campaign's.
    other = factories.campaign(office=tree["city"], year=today.year)
    ledger.create_entry(actor=users["leader_a"], collective=a, campaign=other,
                        data={"activity": "open_week", "date": today.isoformat(), "title": "另一活动的开放日",
                              "shown": ["commitment", "supervision_phone"]})
    make_entry("study", sub)
    make_entry("open_week", b, actor=users["leader_b"], shown=["commitment", "identity"])
    _work(users, b, campaign, WorkStatus.FORWARDED, leader="leader_b")
    return {"pairing": pairing}


def test_facts_of_each_creating_collective(tree, campaign, recorded):
    ids = [tree[key].pk for key in ("collective_a", "collective_sub", "collective_b")]
    facts = collective_facts(campaign, ids)
    assert facts[tree["collective_a"].pk] == CollectiveFacts(
        benchmark_targets=1, benchmark_results=1, study_sessions=2, members=8, study_attended=7,
        pairings_visited=1, family_visits=2, follow_up_visits=1, pairing_reviews=2, open_week_entries=2,
        open_week_shown=1, works_submitted=2, works_recommended=1,
    )
    assert facts[tree["collective_sub"].pk] == CollectiveFacts(study_sessions=1, members=8, study_attended=5)
    assert facts[tree["collective_b"].pk] == CollectiveFacts(members=8, open_week_entries=1, works_submitted=1,
                                                             works_recommended=1)


def test_the_suggested_scores_of_those_facts(tree, campaign, recorded):
    facts = collective_facts(campaign, [tree[key].pk for key in ("collective_a", "collective_sub", "collective_b")])
    weights = weights_of(campaign)
    # a: 20 + 20 × (0.5 × 7/8 + 0.5 × 2/4) = 13.75 + 20 + 20 + 20 = 93.75
    assert suggested_score(facts[tree["collective_a"].pk], weights)  == Decimal("93.75")
    # sub: 20 × (0.5 × 5/8 + 0.5 × 1/4) = 8.75
    assert suggested_score(facts[tree["collective_sub"].pk], weights) == Decimal("8.75")
    # b: open week 10 + works 20
    assert suggested_score(facts[tree["collective_b"].pk], weights) == Decimal("30.00")


def test_a_collective_without_any_record_has_zero_facts_but_its_members(tree, campaign, filings):
    facts = collective_facts(campaign, [tree["collective_b"].pk])
    assert facts == {tree["collective_b"].pk: CollectiveFacts(members=8)}


def test_the_facts_are_counted_in_one_query_whatever_the_number_of_collectives(
        tree, campaign, recorded, django_assert_num_queries):
    ids = [tree[key].pk for key in ("collective_a", "collective_sub", "collective_b")]
    with django_assert_num_queries(1):
        collective_facts(campaign, ids)
    with django_assert_num_queries(1):
        collective_facts(campaign, ids[:1])


def test_the_ranking_holds_pending_and_accepted_filings_never_returned_ones(tree, users, campaign, filings):
    returned = factories.collective(unit=tree["area_b"], name="文登区退回的集体", honours=[("district", 2016)])
    filing = file_creation(actor=users["city_admin"], collective=returned, campaign=campaign)
    decide_filing(actor=users["unit_admin_b"], filing=filing, accept=False, comment="材料不全")
    unfiled = factories.collective(unit=tree["area_b"], name="文登区未报备的集体", honours=[("district", 2016)])
    city = set(ranking(campaign, tree["city"]).values_list("name", flat=True))
    assert city == {"环翠区政务服务中心窗口", "环翠楼社区服务站", "文登区供电所"}
    assert returned.name not in city and unfiled.name not in city
    assert set(ranking(campaign, tree["area_a"]).values_list("name", flat=True)) == {
        "环翠区政务服务中心窗口", "环翠楼社区服务站"}  # sub-units included
    assert list(ranking(campaign, tree["sub_a"]).values_list("name", flat=True)) == ["环翠楼社区服务站"]
