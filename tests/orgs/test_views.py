import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories
from wenminghao.core.models import AuditEntry
from wenminghao.core.roles import Role
from wenminghao.orgs.enums import UnitKind
from wenminghao.orgs.models import Unit

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    return response.content.decode()


# --- the tree ------------------------------------------------------------------------------------


def test_tree_city_admin_sees_every_unit_in_path_order_with_counts(tree, users, signed_in):
    response = signed_in(users["city_admin"]).get("/units/")
    assert response.status_code == 200
    units = response.context["units"]
    assert [unit.name for unit in units] == ["威海市团委", "环翠区团委", "环翠楼街道团委", "文登区团委"]
    assert [unit.level for unit in units] == [0, 1, 2, 1]
    counts = {unit.name: (unit.collective_count, unit.subtree_collective_count) for unit in units}
    assert counts == {"威海市团委": (0, 3), "环翠区团委": (1, 2), "环翠楼街道团委": (1, 1), "文登区团委": (1, 1)}
    page = text_of(response)
    assert f'href="/units/{tree["sub_a"].pk}/"' in page
    assert "含下级共 2 个" in page


def test_tree_orders_siblings_by_sort_order_and_keeps_subtrees_together(tree, users, signed_in):
    Unit.objects.filter(pk=tree["area_a"].pk).update(sort_order=20)
    Unit.objects.filter(pk=tree["area_b"].pk).update(sort_order=10)
    units = signed_in(users["city_admin"]).get("/units/").context["units"]
    assert [unit.name for unit in units] == ["威海市团委", "文登区团委", "环翠区团委", "环翠楼街道团委"]


def test_tree_unit_admin_sees_only_its_subtree(tree, users, signed_in):
    page = text_of(signed_in(users["unit_admin_a"]).get("/units/"))
    assert "环翠区团委" in page and "环翠楼街道团委" in page
    assert "文登区团委" not in page
    assert "威海市团委" not in page.split('data-testid="unit-tree"')[1]


def test_tree_unit_admin_may_edit_units_below_but_not_its_own(tree, users, signed_in):
    page = text_of(signed_in(users["unit_admin_a"]).get("/units/"))
    assert f'href="/units/{tree["sub_a"].pk}/edit/"' in page
    assert f'href="/units/{tree["area_a"].pk}/edit/"' not in page
    assert f'href="/units/new/?parent={tree["area_a"].pk}"' in page


@pytest.mark.parametrize("who", ["leader_a", "judge"])
def test_tree_is_not_found_for_collectives_and_judges(tree, users, signed_in, who):
    assert signed_in(users[who]).get("/units/").status_code == 404


def test_tree_requires_sign_in(client, tree):
    response = client.get("/units/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_tree_query_count_does_not_grow_with_units(db, signed_in, django_assert_num_queries):
    office = factories.unit(name="测试市团委", kind=UnitKind.CITY)
    admin = factories.account(username="office", role=Role.CITY_ADMIN, unit=office)
    area = factories.unit(parent=office, name="区1")
    factories.collective(unit=area)
    client = signed_in(admin)
    with CaptureQueriesContext(connection) as small:
        assert client.get("/units/").status_code == 200
    small_count = len(small.captured_queries)
    for index in range(2, 6):
        child = factories.unit(parent=office, name=f"区{index}")
        factories.unit(parent=child, name=f"街道{index}")
        factories.collective(unit=child)
    with django_assert_num_queries(small_count):
        response = client.get("/units/")
    assert len(response.context["units"]) == 10


# --- detail --------------------------------------------------------------------------------------


def test_detail_shows_contact_parent_children_accounts_and_counts(tree, users, signed_in):
    Unit.objects.filter(pk=tree["area_a"].pk).update(contact_name="刘晓", contact_phone="0631-5221234")
    response = signed_in(users["city_admin"]).get(f"/units/{tree['area_a'].pk}/")
    page = text_of(response)
    assert "刘晓" in page and "0631-5221234" in page
    assert f'href="/units/{tree["city"].pk}/"' in page  # the parent, visible to the city admin
    assert "环翠楼街道团委" in page  # the child
    assert "huancui" in page  # the unit's own account
    assert response.context["counts"] == {"own": 1, "total": 2}
    assert f'/collectives/?unit={tree["area_a"].pk}' in page
    children = response.context["children"]
    assert [(c.name, c.collective_count, c.subtree_collective_count) for c in children] == [("环翠楼街道团委", 1, 1)]


def test_detail_unit_admin_sees_parent_name_without_link(tree, users, signed_in):
    page = text_of(signed_in(users["unit_admin_a"]).get(f"/units/{tree['area_a'].pk}/"))
    assert "威海市团委" in page
    assert f'href="/units/{tree["city"].pk}/"' not in page
    assert f'href="/units/{tree["area_a"].pk}/edit/"' not in page


def test_detail_of_another_subtree_is_not_found(tree, users, signed_in):
    client = signed_in(users["unit_admin_a"])
    assert client.get(f"/units/{tree['area_b'].pk}/").status_code == 404
    assert client.get(f"/units/{tree['city'].pk}/").status_code == 404
    assert client.get("/units/999999/").status_code == 404


def test_detail_is_not_found_for_a_collective_account(tree, users, signed_in):
    assert signed_in(users["leader_a"]).get(f"/units/{tree['area_a'].pk}/").status_code == 404


# --- create --------------------------------------------------------------------------------------


def test_city_admin_creates_industry_unit_through_the_service(tree, users, signed_in):
    response = signed_in(users["city_admin"]).post(
        "/units/new/",
        {"parent": tree["city"].pk, "name": "市公安局团委", "short_name": "公安", "kind": "industry",
         "sort_order": 10, "contact_name": "王警官", "contact_phone": "0631-5100000", "email": ""},
    )
    unit = Unit.objects.get(name="市公安局团委")
    assert response.status_code == 302 and response["Location"] == f"/units/{unit.pk}/"
    assert unit.parent == tree["city"] and unit.kind == UnitKind.INDUSTRY
    assert unit.path == f"{tree['city'].path}{unit.pk}/" and unit.depth == 1
    entry = AuditEntry.objects.get(object_type="orgs.unit", object_id=str(unit.pk))
    assert entry.action == "unit.create" and entry.actor == users["city_admin"]


def test_create_form_offers_only_kinds_allowed_under_the_parent(tree, users, signed_in):
    client = signed_in(users["city_admin"])
    kinds = client.get(f"/units/new/?parent={tree['city'].pk}").context["form"].fields["kind"].choices
    assert [value for value, _ in kinds] == ["area", "industry"]
    response = client.post("/units/new/", {"parent": tree["city"].pk, "name": "某省团委", "kind": "province",
                                           "sort_order": 0})
    assert response.status_code == 200
    assert not Unit.objects.filter(name="某省团委").exists()
    assert "kind" in response.context["form"].errors


def test_province_office_may_create_a_city_under_it(db, signed_in):
    province = factories.unit(name="山东省团委", kind=UnitKind.PROVINCE)
    admin = factories.account(username="province", role=Role.CITY_ADMIN, unit=province)
    response = signed_in(admin).post(
        "/units/new/", {"parent": province.pk, "name": "烟台市团委", "kind": "city", "sort_order": 0}
    )
    assert response.status_code == 302
    assert Unit.objects.get(name="烟台市团委").parent == province


def test_unit_admin_creates_a_sub_unit_under_its_own_unit(tree, users, signed_in):
    response = signed_in(users["unit_admin_a"]).post(
        "/units/new/", {"parent": tree["area_a"].pk, "name": "鲸园街道团工委", "kind": "area", "sort_order": 0}
    )
    assert response.status_code == 302
    assert Unit.objects.get(name="鲸园街道团工委").parent == tree["area_a"]


def test_create_under_another_subtree_is_not_found(tree, users, signed_in):
    response = signed_in(users["unit_admin_a"]).post(
        "/units/new/", {"parent": tree["area_b"].pk, "name": "越权单位", "kind": "area", "sort_order": 0}
    )
    assert response.status_code == 404
    assert not Unit.objects.filter(name="越权单位").exists()


def test_create_with_a_sibling_name_names_the_clash(tree, users, signed_in):
    response = signed_in(users["city_admin"]).post(
        "/units/new/", {"parent": tree["city"].pk, "name": "文登区团委", "kind": "area", "sort_order": 0}
    )
    assert response.status_code == 200
    assert "“威海市团委”下已有名为“文登区团委”的单位" in text_of(response)
    assert Unit.objects.filter(name="文登区团委").count() == 1


# --- edit ----------------------------------------------------------------------------------------


def test_unit_admin_edits_a_unit_below_and_the_change_is_audited(tree, users, signed_in):
    response = signed_in(users["unit_admin_a"]).post(
        f"/units/{tree['sub_a'].pk}/edit/",
        {"name": "环翠楼街道团工委", "short_name": "", "sort_order": 0, "contact_name": "赵敏",
         "contact_phone": "13906310000", "email": ""},
    )
    assert response.status_code == 302
    unit = Unit.objects.get(pk=tree["sub_a"].pk)
    assert unit.name == "环翠楼街道团工委" and unit.contact_name == "赵敏"
    assert unit.kind == UnitKind.AREA and unit.path == tree["sub_a"].path
    entry = AuditEntry.objects.filter(action="unit.update").get()
    assert entry.before == {"name": "环翠楼街道团委", "contact_name": "", "contact_phone": ""}
    assert entry.actor == users["unit_admin_a"]


def test_unit_admin_cannot_edit_its_own_unit(tree, users, signed_in):
    client = signed_in(users["unit_admin_a"])
    assert client.get(f"/units/{tree['area_a'].pk}/edit/").status_code == 403
    response = client.post(f"/units/{tree['area_a'].pk}/edit/", {"name": "改名", "sort_order": 0})
    assert response.status_code == 403
    assert Unit.objects.get(pk=tree["area_a"].pk).name == "环翠区团委"


def test_unit_admin_cannot_edit_a_sibling_unit(tree, users, signed_in):
    response = signed_in(users["unit_admin_a"]).post(
        f"/units/{tree['area_b'].pk}/edit/", {"name": "改名", "sort_order": 0}
    )
    assert response.status_code == 404
    assert Unit.objects.get(pk=tree["area_b"].pk).name == "文登区团委"


def test_city_admin_may_edit_its_own_unit(tree, users, signed_in):
    response = signed_in(users["city_admin"]).post(
        f"/units/{tree['city'].pk}/edit/",
        {"name": "威海市团委", "short_name": "团市委", "sort_order": 0, "contact_name": "解庆林",
         "contact_phone": "5225125", "email": "jcb5225125@126.com"},
    )
    assert response.status_code == 302
    assert Unit.objects.get(pk=tree["city"].pk).email == "jcb5225125@126.com"


def test_edit_rejects_a_sibling_name(tree, users, signed_in):
    response = signed_in(users["city_admin"]).post(
        f"/units/{tree['area_b'].pk}/edit/", {"name": "环翠区团委", "sort_order": 0}
    )
    assert response.status_code == 200
    assert "已有名为“环翠区团委”的单位" in text_of(response)
