import pytest

from wenminghao.collectives.models import Collective

from .. import factories


def unit_names(response):
    return [item["name"] for item in response.json()["items"]]


def test_units_city_admin_sees_whole_tree_in_order(api, users, tree):
    response = api.get("/units", user=users["city_admin"])
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 4
    assert body["items"][0] == {
        "id": tree["city"].pk, "name": "威海市团委", "short_name": "", "kind": "city", "parent": None, "depth": 0,
    }
    assert body["items"][2]["parent"] == tree["area_a"].pk
    assert unit_names(response) == ["威海市团委", "环翠区团委", "环翠楼街道团委", "文登区团委"]


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("unit_admin_a", ["环翠区团委", "环翠楼街道团委"]),
        ("unit_admin_b", ["文登区团委"]),
        ("leader_a", ["环翠区团委"]),
        ("judge", ["威海市团委"]),
    ],
)
def test_units_each_role_sees_own_scope(api, users, role, expected):
    response = api.get("/units", user=users[role])
    assert response.status_code == 200
    assert unit_names(response) == expected
    assert response.json()["count"] == len(expected)


def test_units_pagination(api, users):
    first = api.get("/units", user=users["city_admin"], page_size=3)
    second = api.get("/units", user=users["city_admin"], page_size=3, page=2)
    beyond = api.get("/units", user=users["city_admin"], page_size=3, page=9)
    assert unit_names(first) == ["威海市团委", "环翠区团委", "环翠楼街道团委"]
    assert unit_names(second) == ["文登区团委"]
    assert beyond.json() == {"items": [], "count": 4}
    assert first.json()["count"] == second.json()["count"] == 4


@pytest.mark.parametrize("params", [{"page": 0}, {"page_size": 0}, {"page": "二"}])
def test_units_bad_page_parameters_answer_422(api, users, params):
    response = api.get("/units", user=users["city_admin"], **params)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] in {"page", "page_size"}


def test_page_size_over_200_is_clamped_to_200(api, users, tree):
    Collective.objects.bulk_create(
        Collective(unit=tree["area_b"], name=f"批量集体{index:03d}", host_org="单位", sector="service",
                   org_type="social", contact_name="张", contact_phone="1")
        for index in range(205)
    )
    response = api.get("/collectives", user=users["city_admin"], page_size=500)
    assert response.status_code == 200
    assert len(response.json()["items"]) == 200
    assert response.json()["count"] == 208
    assert len(api.get("/collectives", user=users["city_admin"]).json()["items"]) == 50


def test_units_query_count_constant_in_rows(api, users, tree, django_assert_num_queries):
    api.get("/units", user=users["unit_admin_b"])  # first use of the token records its last use
    with django_assert_num_queries(3):  # token, count, page
        assert api.get("/units", user=users["unit_admin_b"]).json()["count"] == 1
    for index in range(3):
        factories.unit(parent=tree["area_b"], name=f"文登街道{index}")
    with django_assert_num_queries(3):
        assert api.get("/units", user=users["unit_admin_b"]).json()["count"] == 4
