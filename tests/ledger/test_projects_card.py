"""The collective's ledger page (ledger:collective) shows a "联创项目" card: how many joint projects the collective
takes part in and links to the newest, as each partner sees it; none for a collective without a project. Its queries
stay the same at two sizes (tests/projects/test_pages.py measures the page)."""

import re

import pytest
from django.urls import reverse

from tests.csp import markup_faults
from tests.projects.world import make_project, world  # noqa: F401 - pytest fixtures

pytestmark = pytest.mark.django_db
BACKEND = "wenminghao.accounts.backends.UsernameOrMobileBackend"


def ledger_of(client, world, role, key):  # noqa: F811 - the fixture, passed on
    client.force_login(world["accounts"][role], backend=BACKEND)
    response = client.get(reverse("ledger:collective", args=[world[key].pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert not markup_faults(html)
    return html


def card(html: str) -> str:
    start = html.index('data-testid="projects-card"')
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html[start:html.index("</section>", start)]))


def test_each_partner_ledger_shows_the_project(client, world, make_project):  # noqa: F811 - fixtures
    project = make_project()
    second = make_project(title="文登区牵头的联创", role="unit_admin_b", lead=world["collective_b"],
                          partners=[world["collective_c"]])
    detail = reverse("projects:detail", args=[project.pk])
    html = ledger_of(client, world, "leader_b", "collective_b")
    assert "参与2个联创项目" in card(html) and detail in html
    assert reverse("projects:detail", args=[second.pk]) in html
    html = ledger_of(client, world, "unit_admin_a", "collective_a")
    assert "参与1个联创项目" in card(html) and "两区政务服务窗口区域联创" in card(html) and detail in html
    assert "牵头" in card(html)


def test_a_collective_without_projects_shows_none(client, world, make_project):  # noqa: F811 - fixtures
    make_project()
    html = ledger_of(client, world, "leader_c", "collective_c")
    assert "参与0个联创项目" in card(html) and "两区政务服务窗口区域联创" not in card(html)
