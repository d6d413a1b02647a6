import pytest

from wenminghao.collectives.models import Collective
from wenminghao.core.models import AuditEntry

from .. import factories
from .conftest import error_codes
from .test_errors import NOT_FOUND


def names(response):
    return sorted(item["name"] for item in response.json()["items"])


def new_collective(in_unit, **overrides):
    body = {
        "name": "高区税务服务大厅",
        "host_org": "威海火炬高技术产业开发区税务局",
        "unit": in_unit.pk,
        "sector": "service",
        "org_type": "public_institution",
        "unit_form": "window",
        "contact_name": "李明",
        "contact_phone": "13800000001",
        "members": [
            {"name": "王号长", "birth_date": "1984-05-01", "is_leader": True, "post": "科长"},
            {"name": "赵青年", "birth_date": "1993-07-15", "is_leader": False},
        ],
        "honours": [{"level": "district", "year": 2016, "title": "2016年度区级青年文明号"}],
    }
    body.update(overrides)
    return body


# --- list --------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("city_admin", ["文登区供电所", "环翠区政务服务中心窗口", "环翠楼社区服务站"]),
        ("unit_admin_a", ["环翠区政务服务中心窗口", "环翠楼社区服务站"]),
        ("unit_admin_b", ["文登区供电所"]),
        ("leader_a", ["环翠区政务服务中心窗口"]),
        ("judge", []),
    ],
)
def test_collectives_list_each_role_sees_own_scope(api, users, role, expected):
    response = api.get("/collectives", user=users[role])
    assert response.status_code == 200
    assert names(response) == expected
    assert response.json()["count"] == len(expected)


def test_collectives_list_item_fields(api, users, tree):
    item = api.get("/collectives", user=users["unit_admin_b"]).json()["items"][0]
    assert item == {
        "id": tree["collective_b"].pk, "name": "文登区供电所", "host_org": "测试所在单位",
        "unit": {"id": tree["area_b"].pk, "name": "文登区团委"}, "sector": "service",
        "org_type": "state_enterprise", "unit_form": "window", "contact_name": "张联系",
        "contact_phone": "13800000000", "member_count": 8,
    }


def test_collectives_list_unit_filter_covers_subtree(api, users, tree):
    response = api.get("/collectives", user=users["city_admin"], unit=tree["area_a"].pk)
    assert names(response) == ["环翠区政务服务中心窗口", "环翠楼社区服务站"]
    response = api.get("/collectives", user=users["unit_admin_a"], unit=tree["sub_a"].pk)
    assert names(response) == ["环翠楼社区服务站"]


def test_collectives_list_unit_outside_scope_answers_404_like_missing(api, users, tree):
    outside = api.get("/collectives", user=users["unit_admin_a"], unit=tree["area_b"].pk)
    missing = api.get("/collectives", user=users["unit_admin_a"], unit=999999)
    assert outside.status_code == missing.status_code == 404
    assert outside.json() == missing.json() == NOT_FOUND


def test_collectives_list_filters(api, users, tree):
    factories.collective(unit=tree["area_b"], name="文登区社工站", org_type="social", sector="administration")
    admin = users["city_admin"]
    assert names(api.get("/collectives", user=admin, org_type="social")) == ["文登区社工站"]
    assert names(api.get("/collectives", user=admin, sector="administration")) == ["文登区社工站"]
    assert names(api.get("/collectives", user=admin, search="供电")) == ["文登区供电所"]
    assert api.get("/collectives", user=admin, sector="farming").status_code == 422


def test_collectives_list_query_count_constant_in_rows(api, users, tree, django_assert_num_queries):
    admin = users["unit_admin_b"]
    api.get("/collectives", user=admin)
    with django_assert_num_queries(3):  # token, count, page with unit and member count
        assert api.get("/collectives", user=admin).json()["count"] == 1
    for index in range(3):
        factories.collective(unit=tree["area_b"], name=f"文登集体{index}")
    with django_assert_num_queries(3):
        assert api.get("/collectives", user=admin).json()["count"] == 4


# --- detail ------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("role", "collective", "status"),
    [
        ("city_admin", "collective_b", 200),
        ("unit_admin_a", "collective_a", 200),
        ("unit_admin_a", "collective_sub", 200),
        ("unit_admin_a", "collective_b", 404),
        ("unit_admin_b", "collective_a", 404),
        ("leader_a", "collective_a", 200),
        ("leader_a", "collective_sub", 404),
        ("judge", "collective_a", 404),
    ],
)
def test_collective_detail_by_role(api, users, tree, role, collective, status):
    response = api.get(f"/collectives/{tree[collective].pk}", user=users[role])
    assert response.status_code == status
    if status == 404:
        assert response.json() == NOT_FOUND


def test_collective_detail_includes_members_and_honours(api, users, tree):
    body = api.get(f"/collectives/{tree['collective_a'].pk}", user=users["leader_a"]).json()
    assert body["id"] == tree["collective_a"].pk
    assert body["unit"] == {"id": tree["area_a"].pk, "name": "环翠区团委"}
    assert len(body["members"]) == 8
    assert body["members"][0] == {
        "id": body["members"][0]["id"], "name": "成员1", "birth_date": "1985-01-01", "post": "岗位", "is_leader": True,
    }
    assert body["honours"] == [
        {"id": body["honours"][0]["id"], "level": "district", "year": 2016, "title": "2016年度district青年文明号",
         "state": "valid", "valid_until": None, "awarded_by": None, "revoked_at": None}
    ]
    assert body["created_at"].endswith("+08:00")


# --- create ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("role", "unit"), [("city_admin", "area_b"), ("unit_admin_a", "area_a"),
                                            ("unit_admin_a", "sub_a"), ("unit_admin_b", "area_b")])
def test_collective_create_by_admin_in_scope(api, users, tree, role, unit):
    response = api.post("/collectives", new_collective(tree[unit]), user=users[role])
    assert response.status_code == 201
    body = response.json()
    saved = Collective.objects.get(pk=body["id"])
    assert saved.unit == tree[unit]
    assert body["unit"] == {"id": tree[unit].pk, "name": tree[unit].name}
    assert [m["name"] for m in body["members"]] == ["王号长", "赵青年"]
    assert body["members"][0]["post"] == "科长" and body["members"][1]["post"] == ""
    assert body["honours"][0]["title"] == "2016年度区级青年文明号"
    assert AuditEntry.objects.filter(action="collective.create", object_id=str(saved.pk), actor=users[role]).exists()


def test_collective_create_optional_fields_default(api, users, tree):
    body = new_collective(tree["area_a"], members=[], honours=[])
    del body["unit_form"]
    response = api.post("/collectives", body, user=users["unit_admin_a"])
    assert response.status_code == 201
    assert response.json()["unit_form"] == "team"
    assert response.json()["members"] == []


@pytest.mark.parametrize(("role", "unit"), [("unit_admin_a", "area_b"), ("unit_admin_b", "area_a"),
                                            ("unit_admin_a", "city")])
def test_collective_create_in_unit_outside_scope_answers_404(api, users, tree, role, unit):
    response = api.post("/collectives", new_collective(tree[unit]), user=users[role])
    missing = api.post("/collectives", new_collective(tree[unit], unit=999999), user=users[role])
    assert response.status_code == missing.status_code == 404
    assert response.json() == missing.json() == NOT_FOUND
    assert not Collective.objects.filter(name="高区税务服务大厅").exists()


@pytest.mark.parametrize("role", ["leader_a", "judge"])
def test_collective_create_by_non_admin_answers_403(api, users, tree, role):
    response = api.post("/collectives", new_collective(tree["area_a"]), user=users[role])
    assert response.status_code == 403
    assert error_codes(response) == ["forbidden"]
    assert "管理员" in response.json()["errors"][0]["message"]
    assert not Collective.objects.filter(name="高区税务服务大厅").exists()


def test_collective_create_rule_violations_answer_422_all_at_once(api, users, tree):
    body = new_collective(
        tree["area_a"],
        name="",
        contact_phone="1" * 40,
        members=[
            {"name": "甲", "birth_date": "1984-05-01", "is_leader": True},
            {"name": "乙", "birth_date": "1990-05-01", "is_leader": True},
        ],
    )
    response = api.post("/collectives", body, user=users["unit_admin_a"])
    assert response.status_code == 422
    errors = {error["field"]: error for error in response.json()["errors"]}
    assert set(errors) == {"members", "name", "contact_phone"}
    assert errors["members"]["code"] == "members.leaders"
    assert "只能有一位号长" in errors["members"]["message"] and "甲、乙" in errors["members"]["message"]
    assert errors["name"]["code"] == "invalid.name"
    assert "32" in errors["contact_phone"]["message"]
    assert not Collective.objects.filter(host_org="威海火炬高技术产业开发区税务局").exists()


def test_collective_create_member_row_violation_names_the_row(api, users, tree):
    body = new_collective(tree["area_a"], members=[
        {"name": "甲", "birth_date": "1984-05-01", "is_leader": True},
        {"name": "", "birth_date": "1990-05-01"},
    ])
    response = api.post("/collectives", body, user=users["unit_admin_a"])
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["field"] == "members.2.name"
    assert error["message"].startswith("第2位成员：")
    assert not Collective.objects.filter(name="高区税务服务大厅").exists()


def test_collective_create_duplicate_answers_422(api, users, tree):
    body = new_collective(tree["area_a"], name="环翠区政务服务中心窗口", host_org="测试所在单位")
    response = api.post("/collectives", body, user=users["unit_admin_a"])
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] is None
