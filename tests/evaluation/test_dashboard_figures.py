"""The dashboard's figures against the hand count of tests/evaluation/dashboard_data.py: sub-units included, the
returned filing's collective left out, the API's indicators unchanged and equal to the dashboard's."""

import datetime

import pytest

from tests.evaluation import dashboard_data
from tests.evaluation.dashboard_data import EXPECTED, MONTHS, figures_as_expected
from wenminghao.evaluation.selectors import dashboard as selectors
from wenminghao.ledger.selectors import indicators

pytestmark = pytest.mark.django_db
campaign = dashboard_data.campaign  # the fixtures of the dashboard's world
dashboard_world = dashboard_data.dashboard_world


@pytest.mark.parametrize("unit_key", ["city", "area_a", "area_b", "sub_a"])
def test_the_figures_of_a_unit_are_those_counted_by_hand(dashboard_world, campaign, unit_key):
    board = selectors.dashboard(campaign, dashboard_world[unit_key])
    assert figures_as_expected(board.figures) == EXPECTED[unit_key]


@pytest.mark.parametrize("unit_key", ["city", "area_a", "area_b", "sub_a"])
def test_the_dashboard_agrees_with_the_indicators_of_the_api(dashboard_world, campaign, unit_key):
    unit = dashboard_world[unit_key]
    board = selectors.dashboard(campaign, unit)
    api = indicators(unit, campaign)
    assert board.indicators.as_dict() == api.as_dict()
    assert api.collectives == board.figures.creating
    assert {key: (value.collectives, value.entries) for key, value in api.activities.items()} == \
        EXPECTED[unit_key]["activities"]
    assert api.pairings == board.figures.pairings
    assert api.coverage == pytest.approx(board.figures.coverage)


def test_the_api_answer_keeps_its_shape(dashboard_world, campaign):
    answer = indicators(dashboard_world["city"], campaign).as_dict()
    assert answer == {
        "collectives": 3,
        "activities": {
            "benchmark": {"collectives": 2, "entries": 3},
            "study": {"collectives": 2, "entries": 3, "coverage": round(13 / 24, 4)},
            "families": {"collectives": 1, "entries": 1, "pairings": 3},
            "open_week": {"collectives": 2, "entries": 2},
        },
        "structure": {"former": 0.0, "non_public": round(1 / 3, 4), "social": 0.0},
    }


def test_the_returned_filing_counts_only_for_its_works(dashboard_world, campaign):
    """collective_r's filing was returned: its entries, members and pairing are nowhere; its submitted work is
    counted (works count for every collective of the unit)."""
    board = selectors.dashboard(campaign, dashboard_world["area_b"])
    assert board.figures.creating == 1
    assert board.figures.activities["study"].entries == 0  # collective_r's study session is not counted
    assert board.figures.youth == 1  # not collective_r's 5
    assert board.figures.works_submitted == 2  # collective_b's shortlisted work and collective_r's submitted one
    assert not selectors.creating_collectives(campaign, dashboard_world["area_b"], missing="all") \
        .filter(pk=dashboard_world["collective_r"].pk).exists()


def test_units_side_by_side_are_the_children_and_add_up_to_the_unit(dashboard_world, campaign):
    board = selectors.dashboard(campaign, dashboard_world["city"])
    assert [row.unit for row in board.rows] == [dashboard_world["area_a"], dashboard_world["area_b"]]
    assert [figures_as_expected(row.figures) for row in board.rows] == [EXPECTED["area_a"], EXPECTED["area_b"]]
    assert [[line.count for line in row.structure.lines] for row in board.rows] == [[0, 1, 0], [0, 0, 0]]
    assert [row.structure.total for row in board.rows] == [2, 1]


def test_a_unit_with_collectives_of_its_own_gets_a_row_for_them(dashboard_world, campaign):
    board = selectors.dashboard(campaign, dashboard_world["area_a"])
    assert [row.label for row in board.rows] == [dashboard_world["sub_a"].display_name, "本级直属"]
    sub_row, own_row = board.rows
    assert figures_as_expected(sub_row.figures) == EXPECTED["sub_a"]
    assert figures_as_expected(own_row.figures) == EXPECTED["area_a_own"]
    assert (own_row.structure.total, [line.count for line in own_row.structure.lines]) == (1, [0, 0, 0])
    assert (sub_row.structure.total, [line.count for line in sub_row.structure.lines]) == (1, [0, 1, 0])


def test_a_unit_without_children_has_no_rows(dashboard_world, campaign):
    assert selectors.dashboard(campaign, dashboard_world["sub_a"]).rows == []


def test_entries_by_month_cover_the_campaign_year(dashboard_world, campaign):
    months = selectors.dashboard(campaign, dashboard_world["city"]).months
    assert [month.month for month in months] == [datetime.date(2018, number, 1) for number in range(1, 13)]
    for month in months:
        expected = {"benchmark": 0, "study": 0, "families": 0, "open_week": 0, **MONTHS.get(month.month.month, {})}
        assert month.counts == expected, month.month
    assert sum(month.total for month in months) == 9


def test_the_structure_shares_against_their_targets(dashboard_world, campaign):
    structure = selectors.dashboard(campaign, dashboard_world["city"]).structure
    lines = {line.key: line for line in structure.lines}
    assert structure.total == 3
    assert (lines["non_public"].count, lines["non_public"].below_target) == (1, False)  # 33.3% ≥ 15%
    assert (lines["former"].count, lines["former"].below_target) == (0, True)  # 0% < 30%


@pytest.mark.parametrize(("missing", "expected"), [
    ("any", ["collective_sub", "collective_b"]),
    ("benchmark", ["collective_sub"]),
    ("study", ["collective_b"]),
    ("families", ["collective_sub", "collective_b"]),
    ("open_week", ["collective_b"]),
    ("all", ["collective_a", "collective_sub", "collective_b"]),
])
def test_the_missing_list_by_activity(dashboard_world, campaign, missing, expected):
    rows = list(selectors.creating_collectives(campaign, dashboard_world["city"], missing=missing))
    assert [row.pk for row in rows] == [dashboard_world[key].pk for key in expected]


def test_each_collective_of_the_list_has_its_counts_per_activity(dashboard_world, campaign):
    rows = {row.pk: row for row in selectors.creating_collectives(campaign, dashboard_world["city"], missing="all")}
    cells = {key: [count for _, _, count in selectors.activity_cells(rows[dashboard_world[key].pk])]
             for key in ("collective_a", "collective_sub", "collective_b")}
    assert cells == {"collective_a": [2, 1, 1, 1], "collective_sub": [0, 2, 0, 1], "collective_b": [1, 0, 0, 0]}
    assert rows[dashboard_world["collective_a"].pk].filing_status == "accepted"
    assert rows[dashboard_world["collective_b"].pk].filing_status == "pending"
    missing = selectors.dashboard(campaign, dashboard_world["city"]).missing
    assert missing == {"benchmark": 1, "study": 1, "families": 2, "open_week": 1}


@pytest.mark.parametrize(("year", "today", "first", "last"), [
    (2018, datetime.date(2026, 12, 1), datetime.date(2018, 1, 1), datetime.date(2018, 12, 1)),  # a past year
    (2026, datetime.date(2026, 5, 9), datetime.date(2026, 1, 1), datetime.date(2026, 5, 1)),  # this year, so far
])
def test_months_without_entries_span_the_year_gone_by(year, today, first, last):
    campaign = type("C", (), {"year": year})()
    months = selectors._months(campaign, [], today)
    assert (months[0].month, months[-1].month, len({month.total for month in months})) == (first, last, 1)


def test_months_of_a_campaign_of_next_year_are_those_with_entries():
    """The demo's current campaign is next year's while its ledger was kept this year: the months with entries."""
    campaign = type("C", (), {"year": 2027})()
    rows = [{"month": datetime.date(2026, 2, 1), "activity": "study", "n": 3},
            {"month": datetime.date(2026, 4, 1), "activity": "benchmark", "n": 1}]
    months = selectors._months(campaign, rows, datetime.date(2026, 12, 1))
    assert [(month.month.month, month.total) for month in months] == [(2, 3), (3, 0), (4, 1)]
    assert selectors._months(campaign, [], datetime.date(2026, 12, 1)) == []
