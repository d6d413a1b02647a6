import datetime

import pytest

from wenminghao.orgs.enums import UnitKind

from .. import factories
from .test_errors import NOT_FOUND


@pytest.fixture
def campaigns(tree):
    return {
        "city": factories.campaign(
            office=tree["city"], name="2018年度威海市青年文明号创建", level="city", year=2018,
            filing_deadline=datetime.datetime(2018, 6, 30, 16, 0, tzinfo=datetime.UTC),
            deadline=datetime.datetime(2018, 8, 20, 9, 0, tzinfo=datetime.UTC),
        ),
        "area_a": factories.campaign(office=tree["area_a"], name="2018年度环翠区青年文明号创建", level="district"),
        "other_city": factories.campaign(
            office=factories.unit(name="烟台市团委", kind=UnitKind.CITY), name="2018年度烟台市青年文明号创建"
        ),
    }


def campaign_names(response):
    return sorted(item["name"] for item in response.json()["items"])


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("city_admin", ["2018年度威海市青年文明号创建", "2018年度环翠区青年文明号创建"]),
        ("unit_admin_a", ["2018年度威海市青年文明号创建", "2018年度环翠区青年文明号创建"]),
        ("leader_a", ["2018年度威海市青年文明号创建", "2018年度环翠区青年文明号创建"]),
        ("unit_admin_b", ["2018年度威海市青年文明号创建"]),
        ("judge", ["2018年度威海市青年文明号创建"]),
    ],
)
def test_campaigns_list_each_role(api, users, campaigns, role, expected):
    response = api.get("/campaigns", user=users[role])
    assert response.status_code == 200
    assert campaign_names(response) == expected


def test_campaigns_deadlines_are_shanghai_time(api, users, campaigns, tree):
    items = api.get("/campaigns", user=users["judge"]).json()["items"]
    assert items == [{
        "id": campaigns["city"].pk, "name": "2018年度威海市青年文明号创建", "level": "city", "year": 2018,
        "office": {"id": tree["city"].pk, "name": "威海市团委"},
        "filing_deadline": "2018-07-01T00:00:00+08:00", "deadline": "2018-08-20T17:00:00+08:00",
        "reference_date": "2018-08-20", "is_filing_open": False, "is_open": False,
    }]


def test_campaigns_list_filters(api, users, campaigns):
    admin = users["city_admin"]
    assert campaign_names(api.get("/campaigns", user=admin, level="district")) == ["2018年度环翠区青年文明号创建"]
    assert api.get("/campaigns", user=admin, year=2017).json() == {"items": [], "count": 0}
    assert api.get("/campaigns", user=admin, level="town").status_code == 422


def test_campaign_detail_has_conditions(api, users, campaigns):
    body = api.get(f"/campaigns/{campaigns['city'].pk}", user=users["leader_a"]).json()
    assert body["conditions"] == {
        "min_members": 6, "max_members": 200, "youth_max_age": 35, "min_youth_share": 0.5,
        "leader_max_age": 40, "require_stable_unit": True,
    }
    assert body["deadline"] == "2018-08-20T17:00:00+08:00"


@pytest.mark.parametrize(("role", "campaign"), [("unit_admin_b", "area_a"), ("judge", "area_a"),
                                                ("city_admin", "other_city"), ("leader_b", "area_a")])
def test_campaign_detail_invisible_answers_404_like_missing(api, users, campaigns, role, campaign):
    response = api.get(f"/campaigns/{campaigns[campaign].pk}", user=users[role])
    missing = api.get("/campaigns/999999", user=users[role])
    assert response.status_code == missing.status_code == 404
    assert response.json() == missing.json() == NOT_FOUND


def test_campaigns_list_query_count_constant_in_rows(api, users, tree, django_assert_num_queries):
    factories.campaign(office=tree["city"])
    api.get("/campaigns", user=users["unit_admin_a"])
    with django_assert_num_queries(3):  # token, count, page with office
        assert api.get("/campaigns", user=users["unit_admin_a"]).json()["count"] == 1
    for year in (2015, 2016, 2017):
        factories.campaign(office=tree["city"], year=year)
    with django_assert_num_queries(3):
        assert api.get("/campaigns", user=users["unit_admin_a"]).json()["count"] == 4
