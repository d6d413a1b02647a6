"""The dashboard's cooperation figures (联创): per unit row, how many collectives take part in a joint project counted
in the campaign and how many projects (a project across two units counted in each, once in the total), computed in
the grouped works query (no query of its own) and shown beside the units table."""

import datetime
import re

import pytest
from django.urls import reverse

from tests import factories
from wenminghao.campaigns.services import file_creation
from wenminghao.evaluation.selectors import dashboard as selectors
from wenminghao.projects.services import create_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(tree):
    return factories.campaign(office=tree["city"], year=2018)


def project(users, campaign, lead, *partners, title="联创项目"):
    return create_project(actor=users["city_admin"], title=title, lead=lead, partners=list(partners),
                          goals="共建共享", started=datetime.date(2018, 3, 1), campaign=campaign)


def rows_by_unit(board) -> dict:
    return {row.label: (row.figures.joint_collectives, row.figures.joint_projects) for row in board.rows}


def test_each_unit_row_counts_its_collectives_and_projects_and_the_total_counts_a_project_once(tree, users, campaign):
    project(users, campaign, tree["collective_a"], tree["collective_b"])  # 环翠区 and 文登区
    project(users, campaign, tree["collective_a"], tree["collective_sub"], title="环翠区内联创")  # both in 环翠区
    other = factories.campaign(office=tree["city"], year=2017)
    project(users, other, tree["collective_b"], tree["collective_sub"], title="另一创建活动的项目")  # not counted
    board = selectors.dashboard(campaign, tree["city"], today=datetime.date(2018, 12, 1))
    rows = rows_by_unit(board)
    assert rows["环翠区团委"] == (2, 2)  # collective_a and collective_sub; two projects, the inner one once
    assert rows["文登区团委"] == (1, 1)
    assert (board.figures.joint_collectives, board.figures.joint_projects) == (3, 2)
    inner = selectors.dashboard(campaign, tree["area_a"], today=datetime.date(2018, 12, 1))
    assert (inner.figures.joint_collectives, inner.figures.joint_projects) == (2, 2)


def test_the_dashboard_shows_the_figures_per_unit_row(tree, users, campaign, signed_in):
    project(users, campaign, tree["collective_a"], tree["collective_b"])
    for key in ("a", "b"):
        file_creation(actor=users[f"leader_{key}"], collective=tree[f"collective_{key}"], campaign=campaign)
    html = signed_in(users["city_admin"]).get(reverse("evaluation:dashboard", args=[campaign.pk])).content.decode()
    table = html[html.index('data-testid="joint-table"'):]
    table = table[:table.index("</table>")]
    rows = re.findall(r'<tr data-unit="(\d+)">.*?unit-joint-collectives">(\d+)<.*?unit-joint-projects">(\d+)<', table,
                      re.S)
    assert rows == [(str(tree["area_a"].pk), "1", "1"), (str(tree["area_b"].pk), "1", "1")]
    assert re.search(r'data-testid="joint-collectives">2<.*data-testid="joint-projects">1<', table, re.S)
