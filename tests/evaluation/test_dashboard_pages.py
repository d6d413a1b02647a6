"""The dashboard's pages: where the home page sends whom, what the dashboard's tables show (the numbers the charts
draw, from their data island too), the units' links, the missing list with its filter, pages and reminder button,
and the link to the structure page."""

import json
import re

import pytest
from django.urls import NoReverseMatch, reverse

from tests import factories
from tests.evaluation import dashboard_data
from wenminghao.campaigns.services import decide_filing, file_creation
from wenminghao.evaluation.views import dashboard as views

pytestmark = pytest.mark.django_db
campaign = dashboard_data.campaign  # the fixtures of the dashboard's world
dashboard_world = dashboard_data.dashboard_world


def url(campaign, **query) -> str:
    address = reverse("evaluation:dashboard", args=[campaign.pk])
    return address + ("?" + "&".join(f"{key}={value}" for key, value in query.items()) if query else "")


def data_island(html: str) -> dict:
    return json.loads(re.search(r'<script id="dashboard-data" type="application/json">(.*?)</script>', html,
                                re.S).group(1))


def rows_of(html: str, testid: str) -> list[list[str]]:
    """The cells' texts of a table's body rows (tags stripped, whitespace collapsed)."""
    table = re.search(rf'data-testid="{testid}".*?<tbody>(.*?)</tbody>', html, re.S).group(1)
    return [[re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", cell)).strip()
             for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)]


def test_home_sends_an_admin_to_the_newest_campaign_with_creating_collectives(dashboard_world, campaign, users,
                                                                             signed_in):
    factories.campaign(office=dashboard_world["city"], year=2019)  # newer, but nobody filed
    response = signed_in(users["unit_admin_a"]).get(reverse("evaluation:home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("evaluation:dashboard", args=[campaign.pk])


def test_home_lists_the_campaigns_when_none_has_creating_collectives(tree, users, signed_in):
    empty = factories.campaign(office=tree["city"], year=2019)
    response = signed_in(users["unit_admin_b"]).get(reverse("evaluation:home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert empty.name in html and reverse("evaluation:dashboard", args=[empty.pk]) in html
    assert "创建集体 0 个" in html


@pytest.mark.parametrize("role", ["leader_a", "judge"])
def test_home_is_not_there_for_collectives_and_judges(tree, users, signed_in, role):
    assert signed_in(users[role]).get(reverse("evaluation:home")).status_code == 404


def test_the_city_sees_its_figures_in_the_tables_and_the_charts(dashboard_world, campaign, users, signed_in):
    response = signed_in(users["city_admin"]).get(url(campaign))
    assert response.status_code == 200
    html = response.content.decode()
    assert rows_of(html, "activities-table") == [
        ["对标创优", "2", "1", "3"], ["青年大学习", "2", "1", "3"], ["助千家", "1", "2", "1"],
        ["开放周", "2", "1", "2"]]
    chart = data_island(html)
    assert chart["activities"] == {"labels": ["对标创优", "青年大学习", "助千家", "开放周"],
                                   "collectives": [2, 2, 1, 2], "entries": [3, 3, 1, 2], "creating": 3}
    assert chart["months"]["labels"] == [f"2018-{month:02d}" for month in range(1, 13)]
    assert chart["months"]["total"] == [0, 0, 2, 0, 4, 3, 0, 0, 0, 0, 0, 0]
    months = rows_of(html, "months-table")
    assert months[4] == ["2018年5月", "1", "1", "1", "1", "4"]
    for key, value in {"creating": "3", "entries": "9", "coverage": "54.1%", "pairings": "3", "youth": "6 人",
                       "reviews": "3 次，2 户", "visitors": "46 人次", "works-submitted": "6 件",
                       "works-recommended": "3 件", "open-week-events": "2", "sessions": "3"}.items():
        assert re.search(rf'data-testid="{key}"[^>]*>\s*{re.escape(value)}\s*<', html), key


def test_units_side_by_side_show_both_areas_and_link_to_their_dashboards(dashboard_world, campaign, users,
                                                                       signed_in):
    html = signed_in(users["city_admin"]).get(url(campaign)).content.decode()
    rows = rows_of(html, "units-table")
    assert rows == [
        ["环翠区团委", "2", "1/2", "2/3", "1/1", "2/2", "81.2%", "2", "4/2", "0%", "50%", "0%"],
        ["文登区团委", "1", "1/1", "0/0", "0/0", "0/0", "0%", "1", "2/1", "0%", "0%", "0%"],
    ]
    for key in ("area_a", "area_b"):
        assert f'href="?unit={dashboard_world[key].pk}" data-testid="unit-link"' in html
    chart = data_island(html)["units"]
    assert chart["labels"] == ["环翠区团委", "文登区团委"] and chart["creating"] == [2, 1]
    assert chart["series"][0] == {"name": "对标创优", "data": [2, 1]}


def test_a_unit_shows_its_own_collectives_beside_its_sub_units(dashboard_world, campaign, users, signed_in):
    html = signed_in(users["unit_admin_a"]).get(url(campaign, unit=dashboard_world["area_a"].pk)).content.decode()
    rows = rows_of(html, "units-table")
    assert [row[0] for row in rows] == ["环翠楼街道团委", "环翠区团委本级直属"]
    assert rows[1][1:6] == ["1", "1/2", "1/1", "1/1", "1/1"]


def test_a_unit_name_uses_its_short_name_on_the_chart(dashboard_world, campaign, users, signed_in):
    dashboard_world["area_b"].short_name = "文登"
    dashboard_world["area_b"].save()
    html = signed_in(users["city_admin"]).get(url(campaign)).content.decode()
    chart = data_island(html)["units"]
    assert chart["labels"] == ["环翠区团委", "文登"] and chart["names"] == ["环翠区团委", "文登区团委"]


def test_the_sub_unit_is_looked_at_with_the_breadcrumbs_back(dashboard_world, campaign, users, signed_in):
    html = signed_in(users["city_admin"]).get(url(campaign, unit=dashboard_world["sub_a"].pk)).content.decode()
    assert "指标看板 · 环翠楼街道团委" in html
    for key in ("area_a", "city"):
        assert f'href="?unit={dashboard_world[key].pk}"' in html
    assert 'data-testid="units"' not in html  # no sub-units below it


def test_the_missing_list_flags_and_links_every_collective(dashboard_world, campaign, users, signed_in):
    html = signed_in(users["city_admin"]).get(url(campaign)).content.decode()
    rows = rows_of(html, "missing-table")
    assert rows == [["环翠楼社区服务站 环翠楼街道团委 · 报备待审核", "缺", "2", "缺", "1"],
                    ["文登区供电所 文登区团委 · 报备待审核", "1", "缺", "缺", "缺"]]
    ledger_url = reverse("ledger:collective", args=[dashboard_world["collective_b"].pk])
    assert f'href="{ledger_url}?campaign={campaign.pk}"' in html


@pytest.mark.parametrize(("missing", "names"), [
    ("benchmark", ["环翠楼社区服务站"]),
    ("study", ["文登区供电所"]),
    ("all", ["环翠区政务服务中心窗口", "环翠楼社区服务站", "文登区供电所"]),
    ("nonsense", ["环翠楼社区服务站", "文登区供电所"]),  # the default: lacking any activity
])
def test_the_missing_filter(dashboard_world, campaign, users, signed_in, missing, names):
    html = signed_in(users["city_admin"]).get(url(campaign, missing=missing)).content.decode()
    assert [row[0].split(" ")[0] for row in rows_of(html, "missing-table")] == names


def test_the_reminder_button_carries_the_activity_and_the_unit(dashboard_world, campaign, users, signed_in,
                                                               monkeypatch):
    html = signed_in(users["city_admin"]).get(url(campaign, missing="families")).content.decode()
    try:
        reminders = reverse("evaluation:reminders", args=[campaign.pk])
    except NoReverseMatch:  # the reminders page is another part's: until it exists, no button
        assert 'data-testid="remind"' not in html
        return
    assert f'href="{reminders}?activity=families&amp;unit={dashboard_world["city"].pk}"' in html


def test_the_missing_list_alone_for_htmx(dashboard_world, campaign, users, signed_in):
    response = signed_in(users["city_admin"]).get(url(campaign, missing="study"),
                                                  headers={"HX-Request": "true", "HX-Target": "missing"})
    html = response.content.decode()
    assert html.lstrip().startswith(("{", "<section")) or '<section class="card mb-3" id="missing"' in html
    assert "<html" not in html and "文登区供电所" in html and "环翠楼社区服务站" not in html
    assert "HX-Request" in response["Vary"]


def test_the_missing_list_pages_by_fifty(dashboard_world, campaign, users, signed_in):
    for index in range(51):
        collective = factories.collective(unit=dashboard_world["area_b"], name=f"文登区测试集体{index:02d}",
                                          honours=[("district", 2016)])
        filing = file_creation(actor=users["city_admin"], collective=collective, campaign=campaign)
        if index % 2:
            decide_filing(actor=users["unit_admin_b"], filing=filing, accept=True)
    html = signed_in(users["city_admin"]).get(url(campaign)).content.decode()
    assert len(rows_of(html, "missing-table")) == views.PER_PAGE
    assert "共 53 个集体" in html and "第 1 / 2 页" in html
    second = signed_in(users["city_admin"]).get(url(campaign, page=2)).content.decode()
    assert len(rows_of(second, "missing-table")) == 3


def test_the_dashboard_links_to_the_structure_page_which_still_works(dashboard_world, campaign, users, signed_in):
    client = signed_in(users["unit_admin_a"])
    html = client.get(url(campaign, unit=dashboard_world["area_a"].pk)).content.decode()
    structure = reverse("campaigns:structure", args=[campaign.pk])
    assert f'href="{structure}?unit={dashboard_world["area_a"].pk}" data-testid="structure-link"' in html
    assert re.search(r'data-key="non_public" class="">\s*50%', html)
    assert client.get(f"{structure}?unit={dashboard_world['area_a'].pk}").status_code == 200


def test_a_unit_outside_the_subtree_is_not_there(dashboard_world, campaign, users, signed_in):
    client = signed_in(users["unit_admin_a"])
    assert client.get(url(campaign, unit=dashboard_world["area_b"].pk)).status_code == 404
    assert client.get(url(campaign, unit="abc")).status_code == 404
    assert client.get(url(campaign, unit=99999)).status_code == 404


def test_a_campaign_of_another_city_is_not_there(tree, users, signed_in):
    other = factories.campaign(office=factories.unit(name="烟台市团委", kind="city"), year=2018)
    assert signed_in(users["city_admin"]).get(url(other)).status_code == 404
    assert signed_in(users["city_admin"]).get(
        reverse("evaluation:dashboard_xlsx", args=[other.pk])).status_code == 404

