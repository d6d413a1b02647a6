"""The joint projects' collective picker (the platform's one picker, partials/collective_picker.html): the options
endpoint offers only collectives under the user's city office (the lead: an admin's own subtree), searches by name,
host organisation and unit, leaves out what is picked and a project's partners, shows at most 20 in a constant number
of queries; the form creates a project with what was picked, a refused form shows the picked ones again, and no page
lists the city's collectives."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.csp import markup_faults
from wenminghao.projects.models import Project

pytestmark = pytest.mark.django_db
OPTIONS = "projects:collective_options"


def offered(response) -> list[int]:
    """The collectives' ids a picker's options fragment offers."""
    assert response.status_code == 200
    html = response.content.decode()
    assert not markup_faults(html), markup_faults(html)
    return [int(pk) for pk in re.findall(r'value="(\d+)"[^>]*data-option', html)]


def options(client, **query):
    return client.get(reverse(OPTIONS), {"field": "partners", **query})


def test_partners_are_offered_from_the_city_office_only(as_, world):
    a, b, c, sub, y = (world[name] for name in ("collective_a", "collective_b", "collective_c", "collective_sub",
                                                 "collective_y"))
    for role in ("city_admin", "unit_admin_a", "unit_admin_b", "unit_admin_c"):
        ids = offered(options(as_(role)))
        assert {a.pk, b.pk, c.pk, sub.pk} <= set(ids), role
        assert y.pk not in ids, role  # 烟台: another city office
    # a leader leads with its own collective: it is never offered as its partner
    ids = offered(options(as_("leader_a")))
    assert {b.pk, c.pk, sub.pk} <= set(ids) and a.pk not in ids and y.pk not in ids
    assert offered(options(as_("yantai"))) == [y.pk]


def test_the_lead_is_offered_from_the_admins_own_subtree(as_, world):
    a, sub = world["collective_a"], world["collective_sub"]
    assert set(offered(options(as_("unit_admin_a"), field="lead", purpose="lead"))) == {a.pk, sub.pk}
    assert offered(options(as_("unit_admin_sub"), field="lead", purpose="lead")) == [sub.pk]
    assert offered(options(as_("unit_admin_c"), field="lead", purpose="lead")) == [world["collective_c"].pk]
    city = set(offered(options(as_("city_admin"), field="lead", purpose="lead")))
    assert world["collective_b"].pk in city and world["collective_y"].pk not in city
    # a collective account has no lead to pick
    response = options(as_("leader_a"), field="lead", purpose="lead")
    assert offered(response) == [] and "没有找到本单位或下级单位的集体" in response.content.decode()


def test_the_search_matches_name_host_and_unit_and_leaves_out_the_picked(as_, world):
    client = as_("unit_admin_a")
    c = world["collective_c"]
    assert offered(options(client, q="荣成市政务")) == [c.pk]  # its name
    assert offered(options(client, q="荣成市团委")) == [c.pk]  # its unit's name
    hosted = factories.collective(unit=world["area_c"], name="石岛窗口", host_org="荣成市石岛管理区财政局")
    assert offered(options(client, q="石岛管理区")) == [hosted.pk]  # its host organisation
    # already picked in the form (lead, partners) or a project's partners (exclude): left out
    ids = offered(options(client, q="荣成", partners=[c.pk]))
    assert ids == [hosted.pk]
    assert offered(options(client, q="荣成", exclude=[hosted.pk], lead=c.pk)) == []
    response = options(client, q="不存在的窗口")
    assert "没有找到本市的集体（“不存在的窗口”）" in response.content.decode()


def test_at_most_twenty_are_offered_in_the_same_queries_whatever_the_number(as_, world):
    client = as_("unit_admin_b")

    def measured() -> tuple[int, list[int]]:
        with CaptureQueriesContext(connection) as captured:
            ids = offered(options(client, q="窗口"))
        return len(captured.captured_queries), ids

    for index in range(3):
        factories.collective(unit=world["area_c"], name=f"荣成窗口{index:02d}")
    few, ids = measured()
    assert len(ids) < 20
    for index in range(3, 40):
        factories.collective(unit=world["area_c"], name=f"荣成窗口{index:02d}")
    many, ids = measured()
    assert many == few and len(ids) == 20
    assert "只显示前20个，请输入更多文字缩小范围" in options(client, q="窗口").content.decode()
    # measured (SQLite): the session, the account and its unit (3), the office and the collectives (the picker's own
    # two), the notification badge of the context processors (1)
    assert many == 6, many


def test_the_endpoint_is_for_those_who_create_projects(as_, world):
    assert options(as_(None)).status_code == 302
    assert options(as_("judge")).status_code == 404
    assert options(as_("delegate_a")).status_code == 403
    assert options(as_("leader_a"), field="unknown").status_code == 404


def test_the_form_draws_pickers_not_the_citys_collectives(as_, world):
    html = as_("unit_admin_a").get(reverse("projects:create")).content.decode()
    assert not markup_faults(html)
    assert 'data-testid="picker-lead"' in html and 'data-testid="picker-partners"' in html
    assert "wmh/picker.js" in html and reverse(OPTIONS) in html
    assert world["collective_c"].name not in html and world["collective_b"].name not in html
    assert '<select name="lead"' not in html and '<select name="partners"' not in html
    leader = as_("leader_a").get(reverse("projects:create")).content.decode()
    assert 'data-testid="picker-lead"' not in leader and 'data-testid="picker-partners"' in leader


def test_a_project_is_created_with_the_picked_collectives(as_, world):
    a, b, c = world["collective_a"], world["collective_b"], world["collective_c"]
    response = as_("unit_admin_a").post(reverse("projects:create"), {
        "title": "三地窗口联创", "kind": "regional", "lead": a.pk, "partners": [b.pk, c.pk], "q": "荣成",
        "picker": ["lead", "partners"], "goals": "统一服务标准。", "started": timezone.localdate().isoformat()})
    project = Project.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("projects:detail", args=[project.pk])
    assert project.lead == a
    assert set(project.partners.values_list("collective_id", flat=True)) == {a.pk, b.pk, c.pk}


def test_a_refused_form_shows_the_picked_collectives_again(as_, world):
    a, b, c, y = (world[name] for name in ("collective_a", "collective_b", "collective_c", "collective_y"))
    response = as_("unit_admin_a").post(reverse("projects:create"), {
        "title": "", "lead": a.pk, "partners": [b.pk, c.pk, y.pk], "goals": "目标",
        "started": timezone.localdate().isoformat()})
    assert response.status_code == 422 and not Project.objects.exists()
    html = response.content.decode()
    assert not markup_faults(html)
    for field, collective in (("lead", a), ("partners", b), ("partners", c)):
        assert re.search(rf'name="{field}" value="{collective.pk}" id="picked-{field}-{collective.pk}" checked', html)
    assert f'id="picked-partners-{y.pk}"' not in html  # another city's: never drawn (the service names it)
    assert "请填写项目名称" in html


def test_the_project_page_adds_a_partner_with_the_picker(as_, world, make_project):
    project = make_project()  # collective_a leading, collective_b
    a, b, c = world["collective_a"], world["collective_b"], world["collective_c"]
    client = as_("unit_admin_a")
    html = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert not markup_faults(html)
    assert 'data-testid="picker-collective"' in html and c.name not in html
    match = re.search(r'hx-get="([^"]+)"', html)
    url = match.group(1).replace("&amp;", "&")
    assert f"exclude={a.pk}" in url and f"exclude={b.pk}" in url
    ids = offered(client.get(url))
    assert c.pk in ids and a.pk not in ids and b.pk not in ids
    refused = client.post(reverse("projects:partner_add", args=[project.pk]), {"collective": b.pk})
    assert refused.status_code == 422
    again = refused.content.decode()
    assert f"{b.name}已是本项目的参与集体" in again
    assert re.search(rf'name="collective" value="{b.pk}" id="picked-collective-{b.pk}" checked', again)
    assert client.post(reverse("projects:partner_add", args=[project.pk]), {"collective": c.pk}).status_code == 302
    assert project.partners.filter(collective=c).exists()
