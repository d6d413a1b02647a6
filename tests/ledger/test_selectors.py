"""The ledger's reads: scoped to who may see (the collective, the units above it, the office; never judges or other
units), the study summary (rotation, coverage), what a leader's workbench lists as missing, and the indicators."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests import factories
from tests.ledger.conftest import entry_data
from wenminghao.campaigns.enums import FilingStatus
from wenminghao.campaigns.models import CreationFiling
from wenminghao.ledger import selectors, services
from wenminghao.ledger.models import PairingReview

pytestmark = pytest.mark.django_db


@pytest.fixture
def ledgers(tree, users, campaign, make_entry, make_pairing):
    """collective_a: one entry of each activity; collective_sub: one open-week entry; collective_b: one study."""
    make_pairing(tree["collective_a"])
    entries = {activity: make_entry(activity, tree["collective_a"])
               for activity in ("benchmark", "study", "families", "open_week")}
    entries["sub"] = make_entry("open_week", tree["collective_sub"], actor=users["unit_admin_a"])
    entries["b"] = make_entry("study", tree["collective_b"], actor=users["leader_b"])
    return entries


@pytest.mark.parametrize(("role", "visible"), [
    ("city_admin", {"benchmark", "study", "families", "open_week", "sub", "b"}),
    ("unit_admin_a", {"benchmark", "study", "families", "open_week", "sub"}),
    ("unit_admin_b", {"b"}),
    ("leader_a", {"benchmark", "study", "families", "open_week"}),
    ("leader_b", {"b"}),
    ("judge", set()),
])
def test_entries_and_pairings_are_visible_only_to_the_collective_and_the_units_above(role, visible, users, ledgers):
    ids = set(selectors.entries_visible_to(users[role]).values_list("pk", flat=True))
    assert ids == {ledgers[key].pk for key in visible}
    pairings = selectors.pairings_visible_to(users[role]).count()
    assert pairings == (1 if role in {"city_admin", "unit_admin_a", "leader_a"} else 0)


def test_study_summary_counts_rotation_and_coverage(tree, users, campaign, make_entry):
    collective = tree["collective_a"]  # 8 members, the first the leader
    members = list(collective.members.order_by("id"))
    make_entry("study", collective, led_by=members[0].pk, attendees=[m.pk for m in members[:3]])
    make_entry("study", collective, led_by=members[1].pk, attendees=[m.pk for m in members[2:5]])
    make_entry("study", collective, led_by=members[0].pk, attendees=[members[0].pk])
    summary = selectors.study_summary(collective, campaign)
    assert (summary.sessions, summary.members, summary.leaders, summary.led_by_leader, summary.attended) == \
        (3, 8, 2, 2, 5)
    assert summary.coverage == 5 / 8 and summary.coverage_percent == 63
    other = factories.campaign(office=tree["city"], year=campaign.year - 1)
    assert selectors.study_summary(collective, other).attended == 0


def test_workbench_gaps_name_missing_activities_due_pairings_and_open_comments(tree, users, campaign, make_entry,
                                                                             make_pairing):
    collective = tree["collective_a"]
    due = make_pairing(collective, started=(timezone.localdate() - datetime.timedelta(days=200)).isoformat())
    recent = make_pairing(collective, family_ref="3710020000001234",
                          started=(timezone.localdate() - datetime.timedelta(days=30)).isoformat())
    reviewed = make_pairing(collective, family_ref="3710020000005678",
                            started=(timezone.localdate() - datetime.timedelta(days=400)).isoformat())
    PairingReview.objects.create(pairing=reviewed, date=timezone.localdate() - datetime.timedelta(days=10),
                                 outcome="improving", income_trend="rising", created_by=users["leader_a"])
    study = make_entry("study", collective)
    services.add_comment(actor=users["unit_admin_a"], entry=study, text="请补充照片。")
    handled = services.add_comment(actor=users["unit_admin_a"], entry=study, text="已阅。")
    services.resolve_comment(actor=users["leader_a"], comment=handled)
    gaps = selectors.ledger_gaps(collective, campaign)
    assert [value for value, _ in gaps.missing_activities] == ["benchmark", "families", "open_week"]
    assert [pairing.pk for pairing in gaps.pairings_due] == [due.pk]
    assert recent.pk not in [p.pk for p in gaps.pairings_due]
    assert gaps.open_comment_count == 1 and gaps.open_comments[0].text == "请补充照片。"
    assert gaps.study.coverage_percent == 63 and not gaps.is_complete


def test_indicators_count_the_creating_collectives_only(tree, users, campaign, ledgers):
    for key, status in (("collective_a", FilingStatus.ACCEPTED), ("collective_sub", FilingStatus.PENDING),
                        ("collective_b", FilingStatus.RETURNED)):
        CreationFiling.objects.create(campaign=campaign, collective=tree[key], status=status,
                                      filed_by=users["city_admin"])
    result = selectors.indicators(tree["city"], campaign).as_dict()
    assert result["collectives"] == 2  # collective_b's filing was returned
    assert result["activities"]["benchmark"] == {"collectives": 1, "entries": 1}
    assert result["activities"]["open_week"] == {"collectives": 2, "entries": 2}
    assert result["activities"]["study"] == {"collectives": 1, "entries": 1, "coverage": round(5 / 16, 4)}
    assert result["activities"]["families"] == {"collectives": 1, "entries": 1, "pairings": 1}
    assert set(result["structure"]) == {"former", "non_public", "social"}
    assert selectors.indicators(tree["area_b"], campaign).as_dict()["collectives"] == 0


def test_indicators_count_a_member_once_and_only_the_campaigns_own_entries(tree, users, campaign, ledgers):
    collective = tree["collective_a"]
    CreationFiling.objects.create(campaign=campaign, collective=collective, status=FilingStatus.ACCEPTED,
                                  filed_by=users["city_admin"])
    members = [member.pk for member in collective.members.order_by("id")]
    # The fixture's session had members 0 to 4; a second one of the campaign has 3 to 5 (so six members attended),
    # and two sessions of another campaign have 6 and 7, whom the campaign's coverage leaves out.
    services.create_entry(actor=users["leader_a"], collective=collective, campaign=campaign,
                          data=entry_data("study", collective, attendees=members[3:6]))
    other = factories.campaign(office=tree["city"], year=campaign.year - 1)
    CreationFiling.objects.create(campaign=other, collective=collective, status=FilingStatus.ACCEPTED,
                                  filed_by=users["city_admin"])
    for _ in range(2):
        services.create_entry(actor=users["leader_a"], collective=collective, campaign=other,
                              data=entry_data("study", collective, attendees=members[6:8]))
    result = selectors.indicators(tree["city"], campaign).as_dict()
    assert result["collectives"] == 1
    assert len(members) == 8
    assert result["activities"]["study"] == {"collectives": 1, "entries": 2, "coverage": round(6 / 8, 4)}
    assert result["activities"]["benchmark"] == {"collectives": 1, "entries": 1}
    assert selectors.indicators(tree["city"], other).as_dict()["activities"]["study"] == {
        "collectives": 1, "entries": 2, "coverage": round(2 / 8, 4)}


def _entries(collective, actor, campaign, count):
    for index in range(count):
        services.create_entry(actor=actor, collective=collective, campaign=campaign,
                              data=entry_data(("study", "open_week")[index % 2], collective))


def test_the_list_query_and_the_summaries_do_not_grow_with_the_ledger(tree, users, campaign):
    collective = tree["collective_a"]

    def queries():
        with CaptureQueriesContext(connection) as captured:
            page = list(selectors.entry_list(users["unit_admin_a"], campaign=campaign)[:50])
            selectors.ledger_gaps(collective, campaign)
            selectors.indicators(tree["city"], campaign)
        return len(captured), len(page)

    _entries(collective, users["leader_a"], campaign, 3)
    small, rows_small = queries()
    _entries(collective, users["leader_a"], campaign, 40)
    large, rows_large = queries()
    assert (rows_small, rows_large) == (3, 43)
    assert small == large
