"""The dashboard's works per child unit, counted per collective off the index (collective, campaign, status) and
summed (evaluation.selectors.dashboard): the statuses it subtracts partition WorkStatus, and every row equals the
grouped count over the works joined to their collective's unit that it replaced."""

import pytest
from django.db.models import Count, Q

from tests.evaluation import dashboard_data
from wenminghao.evaluation.selectors import dashboard as selectors
from wenminghao.orgs.selectors import child_id, child_under
from wenminghao.works.enums import WorkStatus
from wenminghao.works.models import Work

pytestmark = pytest.mark.django_db
campaign = dashboard_data.campaign  # the fixtures of the dashboard's world
dashboard_world = dashboard_data.dashboard_world


def test_the_subtracted_statuses_partition_the_works_statuses():
    submitted, recommended = set(selectors.SUBMITTED_STATUSES), set(selectors.RECOMMENDED_STATUSES)
    assert submitted == set(WorkStatus.values) - {WorkStatus.DRAFT}
    assert recommended <= submitted
    assert set(selectors.NOT_RECOMMENDED_STATUSES) == submitted - recommended


@pytest.mark.parametrize("unit_key", ["city", "area_a", "area_b", "sub_a"])
def test_the_works_per_child_unit_equal_the_grouped_count(dashboard_world, campaign, unit_key):
    unit = dashboard_world[unit_key]
    live = {child_id(row["child"]): (row["submitted"], row["recommended"]) for row in (
        Work.objects.filter(campaign=campaign, collective__unit__path__startswith=unit.path).order_by()
        .values(child=child_under(unit, "collective__unit__path"))
        .annotate(submitted=Count("id", filter=Q(status__in=selectors.SUBMITTED_STATUSES)),
                  recommended=Count("id", filter=Q(status__in=selectors.RECOMMENDED_STATUSES))))}
    board = selectors.dashboard(campaign, unit)
    shown = {getattr(row.unit, "pk", None): (row.figures.works_submitted, row.figures.works_recommended)
             for row in board.rows}
    if board.rows:  # a unit with child units: one row each (and 本级直属 for its own collectives' works)
        for child, figures in live.items():
            assert shown.get(child, (0, 0)) == figures, (unit_key, child)
    totals = (sum(s for s, _ in live.values()), sum(r for _, r in live.values()))
    assert (board.figures.works_submitted, board.figures.works_recommended) == totals
    assert totals[0] > 0 or unit_key == "sub_a"
