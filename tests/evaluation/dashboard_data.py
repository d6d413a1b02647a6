"""The small world of the dashboard's tests, every figure of which is counted by hand in ``EXPECTED`` below.

A 2018 city campaign (a past year: its months are January to December 2018 whatever day the tests run):

    威海市团委 city
    ├── 环翠区团委 area_a ── collective_a (accepted): 2 对标创优, 1 study (5 of 8 members), 1 助千家 visit, 1 开放周
    │   │                    (36 visitors); pairing 2 young people, 回头看 2018-06 好转 and 2018-09 已脱贫;
    │   │                    works: a draft, a submitted, a recommended and a forwarded one
    │   └── 环翠楼街道团委 sub_a ── collective_sub (pending, 非公经济组织): 2 studies (members 1–5 and 4–8: all 8), 1
    │                               开放周 (10 visitors); pairing 3 young people, no 回头看; a returned work
    └── 文登区团委 area_b ── collective_b (pending): 1 对标创优; pairing since 2017 (1 young person), 回头看 2017-09
                         未脱贫 and 2019-01 好转 (after the year: not counted); a pairing ended in 2017 (not counted);
                         a shortlisted work
                      └─ collective_r (filing returned: not creating): 1 对标创优, 1 study, a pairing (5 young
                         people), none of which counts; a submitted work (works count for every collective)
"""

import datetime

import pytest

from tests import factories
from tests.ledger.conftest import pairing_data
from wenminghao.campaigns.services import decide_filing, file_creation
from wenminghao.collectives.models import Collective
from wenminghao.ledger import services as ledger
from wenminghao.works.models import Work

D = datetime.date


@pytest.fixture
def campaign(tree):
    return factories.campaign(office=tree["city"], year=2018)


def _pairing(actor, collective, ref: str, started: D, youth: int):
    return ledger.create_pairing(actor=actor, collective=collective, data=pairing_data(
        family_ref=ref, started=started.isoformat(), youth_count=youth))


def _review(actor, pairing, day: D, outcome: str):
    ledger.add_pairing_review(actor=actor, pairing=pairing, data={
        "date": day.isoformat(), "outcome": outcome, "income_trend": "rising", "note": ""})


def _work(collective, campaign, actor, status: str, title: str):
    return Work.objects.create(campaign=campaign, collective=collective, category="photo", title=title,
                               display_form="picture", contact_name="张三", contact_phone="13800000000",
                               status=status, created_by=actor)


@pytest.fixture
def dashboard_world(tree, users, campaign, filings, make_entry):
    """The world of the module's docstring; returns the tree with collective_r and the pairings."""
    city_admin = users["city_admin"]
    Collective.objects.filter(pk=tree["collective_sub"].pk).update(org_type="non_public")
    collective_r = factories.collective(unit=tree["area_b"], name="文登区已退回集体", honours=[("district", 2016)])
    returned = file_creation(actor=city_admin, collective=collective_r, campaign=campaign)
    decide_filing(actor=users["unit_admin_b"], filing=returned, accept=False, comment="材料不全，请补充后重新报备。")

    a, sub, b = tree["collective_a"], tree["collective_sub"], tree["collective_b"]
    pairing_a = _pairing(city_admin, a, "3710020000000001", D(2018, 2, 1), 2)
    _pairing(city_admin, sub, "3710020000000002", D(2018, 4, 1), 3)
    pairing_b = _pairing(city_admin, b, "3710810000000003", D(2017, 3, 1), 1)
    ended_b = _pairing(city_admin, b, "3710810000000004", D(2016, 1, 1), 4)
    ledger.end_pairing(actor=city_admin, pairing=ended_b, ended=D(2017, 6, 30))
    _pairing(city_admin, collective_r, "3710810000000005", D(2018, 1, 1), 5)
    _review(city_admin, pairing_a, D(2018, 6, 1), "improving")
    _review(city_admin, pairing_a, D(2018, 9, 1), "out_of_poverty")
    _review(city_admin, pairing_b, D(2017, 9, 1), "not_yet")
    _review(city_admin, pairing_b, D(2019, 1, 10), "improving")

    members_sub = list(sub.members.order_by("id"))
    make_entry("benchmark", a, date="2018-03-10")
    make_entry("benchmark", a, date="2018-05-20", stage="result")
    make_entry("study", a, date="2018-05-20")
    make_entry("families", a, date="2018-05-20")
    make_entry("open_week", a, date="2018-05-20", visitors=36)
    make_entry("study", sub, date="2018-03-10")
    make_entry("study", sub, date="2018-06-15", led_by=members_sub[4].pk,
               attendees=[member.pk for member in members_sub[3:8]])
    make_entry("open_week", sub, date="2018-06-15", visitors=10)
    make_entry("benchmark", b, date="2018-06-15")
    make_entry("benchmark", collective_r, date="2018-06-15")
    make_entry("study", collective_r, date="2018-06-15")

    for status in ("draft", "submitted", "recommended", "forwarded"):
        _work(a, campaign, city_admin, status, f"环翠作品（{status}）")
    _work(sub, campaign, city_admin, "returned", "街道作品")
    _work(b, campaign, city_admin, "shortlisted", "文登作品")
    _work(collective_r, campaign, city_admin, "submitted", "退回集体的作品")
    return {**tree, "collective_r": collective_r, "pairing_a": pairing_a, "pairing_b": pairing_b}


# What the dashboard must say, counted by hand from the docstring: per unit key, the figures of its subtree.
EXPECTED = {
    "city": {
        "creating": 3, "accepted": 1, "pending": 2,
        "activities": {"benchmark": (2, 3), "study": (2, 3), "families": (1, 1), "open_week": (2, 2)},
        "members": 24, "attended": 13, "visitors": 46,
        "pairings": 3, "youth": 6, "reviews": 3, "reviewed_pairings": 2,
        "outcomes": {"out_of_poverty": 1, "improving": 0, "not_yet": 1},
        "works_submitted": 6, "works_recommended": 3,
    },
    "area_a": {
        "creating": 2, "accepted": 1, "pending": 1,
        "activities": {"benchmark": (1, 2), "study": (2, 3), "families": (1, 1), "open_week": (2, 2)},
        "members": 16, "attended": 13, "visitors": 46,
        "pairings": 2, "youth": 5, "reviews": 2, "reviewed_pairings": 1,
        "outcomes": {"out_of_poverty": 1, "improving": 0, "not_yet": 0},
        "works_submitted": 4, "works_recommended": 2,
    },
    "area_b": {
        "creating": 1, "accepted": 0, "pending": 1,
        "activities": {"benchmark": (1, 1), "study": (0, 0), "families": (0, 0), "open_week": (0, 0)},
        "members": 8, "attended": 0, "visitors": 0,
        "pairings": 1, "youth": 1, "reviews": 1, "reviewed_pairings": 1,
        "outcomes": {"out_of_poverty": 0, "improving": 0, "not_yet": 1},
        "works_submitted": 2, "works_recommended": 1,
    },
    "sub_a": {
        "creating": 1, "accepted": 0, "pending": 1,
        "activities": {"benchmark": (0, 0), "study": (1, 2), "families": (0, 0), "open_week": (1, 1)},
        "members": 8, "attended": 8, "visitors": 10,
        "pairings": 1, "youth": 3, "reviews": 0, "reviewed_pairings": 0,
        "outcomes": {"out_of_poverty": 0, "improving": 0, "not_yet": 0},
        "works_submitted": 1, "works_recommended": 0,
    },
    # area_a's own level (本级直属): collective_a alone
    "area_a_own": {
        "creating": 1, "accepted": 1, "pending": 0,
        "activities": {"benchmark": (1, 2), "study": (1, 1), "families": (1, 1), "open_week": (1, 1)},
        "members": 8, "attended": 5, "visitors": 36,
        "pairings": 1, "youth": 2, "reviews": 2, "reviewed_pairings": 1,
        "outcomes": {"out_of_poverty": 1, "improving": 0, "not_yet": 0},
        "works_submitted": 3, "works_recommended": 2,
    },
}
# Entries per month of 2018 (every other month: none), and per activity in each.
MONTHS = {3: {"benchmark": 1, "study": 1}, 5: {"benchmark": 1, "study": 1, "families": 1, "open_week": 1},
          6: {"benchmark": 1, "study": 1, "open_week": 1}}


def figures_as_expected(figures) -> dict:
    """A Figures in the shape of EXPECTED's entries."""
    return {
        "creating": figures.creating, "accepted": figures.accepted, "pending": figures.pending,
        "activities": {key: (value.collectives, value.entries) for key, value in figures.activities.items()},
        "members": figures.members, "attended": figures.attended, "visitors": figures.visitors,
        "pairings": figures.pairings, "youth": figures.youth, "reviews": figures.reviews,
        "reviewed_pairings": figures.reviewed_pairings, "outcomes": figures.outcomes,
        "works_submitted": figures.works_submitted, "works_recommended": figures.works_recommended,
    }
