import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories
from wenminghao.accounts.services import set_account_active
from wenminghao.core.audit import record_audit
from wenminghao.core.roles import Role
from wenminghao.orgs.enums import UnitKind
from wenminghao.orgs.services import update_unit

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    return response.content.decode()


def reprs_of(client) -> list[str]:
    return reprs(client.get("/audit/"))


def reprs(response) -> list[str]:
    return [entry.object_repr for entry in response.context["object_list"]]


def test_city_admin_sees_changes_in_every_unit_newest_first(tree, users, signed_in):
    update_unit(actor=users["unit_admin_b"], unit=tree["area_b"], contact_name="李娜")
    response = signed_in(users["city_admin"]).get("/audit/")
    assert response.status_code == 200
    assert reprs(response) == ["文登区团委", "文登区团委", "环翠楼街道团委", "环翠区团委", "威海市团委"]


def test_unit_admin_sees_only_its_subtree(tree, users, signed_in):
    update_unit(actor=users["city_admin"], unit=tree["sub_a"], contact_name="赵敏")
    update_unit(actor=users["city_admin"], unit=tree["area_b"], contact_name="李娜")
    record_audit(actor=users["leader_a"], action="collective.update", target=tree["collective_a"],
                 unit_path=tree["area_a"].path, before={"contact_name": "甲"}, after={"contact_name": "乙"})
    response = signed_in(users["unit_admin_a"]).get("/audit/")
    expected = ["环翠楼街道团委", "环翠楼街道团委", "环翠区团委", tree["collective_a"].name]
    assert sorted(reprs(response)) == sorted(expected)
    assert "文登区团委" not in text_of(response)


def test_sibling_unit_never_sees_the_other_units_changes(tree, users, signed_in):
    update_unit(actor=users["unit_admin_a"], unit=tree["sub_a"], contact_name="赵敏")
    response = signed_in(users["unit_admin_b"]).get("/audit/")
    assert reprs(response) == ["文登区团委"]


@pytest.mark.parametrize("who", ["leader_a", "judge"])
def test_audit_is_not_found_for_collectives_and_judges(tree, users, signed_in, who):
    assert signed_in(users[who]).get("/audit/").status_code == 404


def test_entries_show_before_and_after_with_labels(tree, users, signed_in):
    update_unit(actor=users["unit_admin_a"], unit=tree["sub_a"], name="环翠楼街道团工委", contact_name="赵敏")
    page = text_of(signed_in(users["city_admin"]).get("/audit/?action=unit.update"))
    assert '<span class="text-secondary">名称：</span><del class="text-danger">环翠楼街道团委</del> → ' \
           '<span class="text-success">环翠楼街道团工委</span>' in page
    assert "联系人：</span><del class=\"text-danger\">（空）</del> → <span class=\"text-success\">赵敏</span>" in page
    assert "huancui" in page


def test_creation_lists_filled_values_with_choice_labels_and_related_names(tree, users, signed_in):
    page = text_of(signed_in(users["city_admin"]).get("/audit/?action=unit.create"))
    assert "类型：</span><span class=\"text-success\">区市团委</span>" in page
    assert "上级单位：</span><span class=\"text-success\">威海市团委</span>" in page
    assert "path" not in page.split('data-testid="audit-list"')[1]  # bookkeeping columns stay hidden
    assert "系统" in page  # the fixture's units were created by the platform itself


def test_booleans_read_as_yes_and_no(tree, users, signed_in):
    set_account_active(actor=users["city_admin"], account=users["leader_a"], active=False)
    page = text_of(signed_in(users["city_admin"]).get("/audit/?action=account.deactivate"))
    assert "<del class=\"text-danger\">是</del> → <span class=\"text-success\">否</span>" in page


def test_filters_by_action_object_type_and_actor(tree, users, signed_in):
    update_unit(actor=users["unit_admin_a"], unit=tree["sub_a"], contact_name="赵敏")
    set_account_active(actor=users["city_admin"], account=users["leader_a"], active=False)
    client = signed_in(users["city_admin"])
    assert reprs(client.get("/audit/?action=unit.update")) == ["环翠楼街道团委"]
    assert reprs(client.get("/audit/?object_type=accounts.user")) == ["leader_a"]
    assert reprs(client.get("/audit/?actor=huancui")) == ["环翠楼街道团委"]
    assert len(reprs(client.get("/audit/?actor=系统"))) == 4
    form = client.get("/audit/").context["form"]
    assert ("accounts.user", "账号") in form.fields["object_type"].choices
    assert ("account.deactivate", "停用账号") in form.fields["action"].choices


def test_audit_query_count_does_not_grow_with_entries(db, signed_in, django_assert_num_queries):
    # Names of related objects (here: the parent unit) are read once per page, not once per entry.
    province = factories.unit(name="测试省团委", kind=UnitKind.PROVINCE)
    office = factories.unit(parent=province, name="测试市团委", kind=UnitKind.CITY)
    admin = factories.account(username="office", role=Role.CITY_ADMIN, unit=office)
    client = signed_in(admin)
    with CaptureQueriesContext(connection) as small:
        assert client.get("/audit/").status_code == 200
    small_count = len(small.captured_queries)
    assert reprs_of(client) == ["测试市团委"]
    for index in range(5):
        unit = factories.unit(parent=office, name=f"区{index}")
        update_unit(actor=admin, unit=unit, contact_name=f"联系人{index}")
    with django_assert_num_queries(small_count):
        response = client.get("/audit/")
    assert len(response.context["object_list"]) == 11
