import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories
from wenminghao.accounts.models import User
from wenminghao.core.models import AuditEntry
from wenminghao.core.roles import Role
from wenminghao.orgs.enums import UnitKind

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Qingnian-2018-new"


def text_of(response) -> str:
    return response.content.decode()


def usernames(response) -> set[str]:
    return {account.username for account in response.context["object_list"]}


# --- the list ------------------------------------------------------------------------------------


def test_list_city_admin_sees_every_account_of_its_city(tree, users, signed_in):
    response = signed_in(users["city_admin"]).get("/accounts/")
    assert usernames(response) == {"city", "huancui", "wendeng", "leader_a", "leader_b", "judge"}


def test_list_unit_admin_sees_its_subtree_only(tree, users, signed_in):
    factories.account(username="jiedao", role=Role.UNIT_ADMIN, unit=tree["sub_a"])
    factories.account(username="leader_sub", role=Role.COLLECTIVE, collective=tree["collective_sub"])
    response = signed_in(users["unit_admin_a"]).get("/accounts/")
    assert usernames(response) == {"huancui", "leader_a", "jiedao", "leader_sub"}


def test_list_marks_only_accounts_the_admin_manages(tree, users, signed_in):
    response = signed_in(users["unit_admin_a"]).get("/accounts/")
    manageable = {account.username for account in response.context["object_list"] if account.can_manage}
    assert manageable == {"leader_a"}  # not itself, the own unit's admin
    page = text_of(response)
    assert f'href="/accounts/{users["leader_a"].pk}/password/"' in page
    assert f'href="/accounts/{users["unit_admin_a"].pk}/password/"' not in page


def test_list_filters_by_role_unit_and_search(tree, users, signed_in):
    users["leader_b"].display_name = "孙丽"
    users["leader_b"].save()
    client = signed_in(users["city_admin"])
    assert usernames(client.get("/accounts/?role=collective")) == {"leader_a", "leader_b"}
    assert usernames(client.get(f"/accounts/?unit={tree['area_b'].pk}")) == {"wendeng", "leader_b"}
    assert usernames(client.get("/accounts/?q=孙丽")) == {"leader_b"}
    assert usernames(client.get("/accounts/?q=供电所")) == {"leader_b"}  # the collective's name


@pytest.mark.parametrize("who", ["leader_a", "judge"])
def test_list_is_not_found_for_collectives_and_judges(tree, users, signed_in, who):
    assert signed_in(users[who]).get("/accounts/").status_code == 404


def test_list_query_count_does_not_grow_with_accounts(db, signed_in, django_assert_num_queries):
    office = factories.unit(name="测试市团委", kind=UnitKind.CITY)
    admin = factories.account(username="office", role=Role.CITY_ADMIN, unit=office)
    area = factories.unit(parent=office, name="区1")
    collective = factories.collective(unit=area)
    factories.account(role=Role.COLLECTIVE, collective=collective)
    client = signed_in(admin)
    with CaptureQueriesContext(connection) as small:
        assert client.get("/accounts/").status_code == 200
    small_count = len(small.captured_queries)
    for index in range(2, 6):
        area = factories.unit(parent=office, name=f"区{index}")
        factories.account(role=Role.UNIT_ADMIN, unit=area)
        factories.account(role=Role.COLLECTIVE, collective=factories.collective(unit=area))
    with django_assert_num_queries(small_count):
        response = client.get("/accounts/")
    assert len(response.context["object_list"]) == 10


# --- create --------------------------------------------------------------------------------------


def create(client, **fields):
    data = {"role": "unit_admin", "unit": "", "collective": "", "username": "newone", "display_name": "新账号",
            "mobile": "", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    data.update(fields)
    return client.post("/accounts/new/", data)


def test_unit_admin_creates_a_unit_admin_below_and_a_leader_account(tree, users, signed_in):
    client = signed_in(users["unit_admin_a"])
    response = create(client, unit=tree["sub_a"].pk, username="jiedao", mobile="13906311234")
    assert response.status_code == 302
    account = User.objects.get(username="jiedao")
    assert account.role == Role.UNIT_ADMIN and account.unit == tree["sub_a"] and account.mobile == "13906311234"
    assert account.check_password(NEW_PASSWORD)
    response = create(client, role="collective", collective=tree["collective_a"].pk, username="hc_zwfw")
    assert response.status_code == 302
    leader = User.objects.get(username="hc_zwfw")
    assert leader.collective == tree["collective_a"] and leader.unit is None
    assert AuditEntry.objects.filter(action="account.create", actor=users["unit_admin_a"]).count() == 2


def test_unit_admin_cannot_create_an_admin_for_its_own_unit(tree, users, signed_in):
    response = create(signed_in(users["unit_admin_a"]), unit=tree["area_a"].pk, username="colleague")
    assert response.status_code == 200
    assert "“环翠区团委”的账号由其上级团委管理员创建和管理" in text_of(response)
    assert not User.objects.filter(username="colleague").exists()


def test_unit_admin_cannot_create_office_admins_judges_or_outside_accounts(tree, users, signed_in):
    client = signed_in(users["unit_admin_a"])
    assert [value for value, _ in client.get("/accounts/new/").context["form"].fields["role"].choices] == [
        "unit_admin", "collective"
    ]
    for fields in (
        {"role": "judge", "unit": tree["sub_a"].pk},
        {"role": "unit_admin", "unit": tree["area_b"].pk},
        {"role": "collective", "collective": tree["collective_b"].pk},
    ):
        assert create(client, **fields).status_code == 200
    assert not User.objects.filter(username="newone").exists()


def test_city_admin_creates_office_admins_and_judges_only_where_they_fit(tree, users, signed_in):
    client = signed_in(users["city_admin"])
    assert create(client, role="city_admin", unit=tree["city"].pk, username="city2").status_code == 302
    assert create(client, role="judge", unit=tree["city"].pk, username="judge9").status_code == 302
    response = create(client, role="city_admin", unit=tree["area_a"].pk, username="wrong")
    assert "团市委管理员账号只能设在市级或省级团委，“环翠区团委”是区市团委" in text_of(response)
    assert set(User.objects.filter(username__in=["city2", "judge9", "wrong"]).values_list("role", flat=True)) == {
        "city_admin", "judge"
    }


def test_create_names_every_clash_and_the_password_mismatch(tree, users, signed_in):
    users["leader_b"].mobile = "13906319999"
    users["leader_b"].save()
    response = create(
        signed_in(users["city_admin"]), unit=tree["area_a"].pk, username="HUANCUI", mobile="13906319999",
        password2="something-else",
    )
    page = text_of(response)
    assert "账号“HUANCUI”已被使用" in page
    assert "手机号13906319999已绑定其他账号" in page
    assert "两次输入的密码不一致" in page


def test_create_rejects_a_username_shaped_like_a_mobile_and_a_short_mobile(tree, users, signed_in):
    response = create(signed_in(users["city_admin"]), unit=tree["area_a"].pk, username="13906310001",
                      mobile="1390631")
    page = text_of(response)
    assert "账号不能是11位手机号的形式" in page
    assert "请输入11位手机号码" in page


def test_create_applies_the_password_rules(tree, users, signed_in):
    response = create(signed_in(users["city_admin"]), unit=tree["area_a"].pk, password1="12345678",
                      password2="12345678")
    assert response.status_code == 200
    assert response.context["form"].errors["password1"]
    assert not User.objects.filter(username="newone").exists()


# --- reset password, activate, deactivate --------------------------------------------------------


def reset(client, account, password=NEW_PASSWORD, again=None):
    return client.post(
        f"/accounts/{account.pk}/password/", {"new_password1": password, "new_password2": again or password}
    )


def test_admin_above_resets_a_password(tree, users, signed_in):
    response = reset(signed_in(users["city_admin"]), users["unit_admin_a"])
    assert response.status_code == 302
    users["unit_admin_a"].refresh_from_db()
    assert users["unit_admin_a"].check_password(NEW_PASSWORD)
    entry = AuditEntry.objects.get(action="account.reset_password")
    assert entry.actor == users["city_admin"] and entry.object_id == str(users["unit_admin_a"].pk)


def test_unit_admin_resets_a_leader_password_in_its_subtree(tree, users, signed_in):
    assert reset(signed_in(users["unit_admin_a"]), users["leader_a"]).status_code == 302
    users["leader_a"].refresh_from_db()
    assert users["leader_a"].check_password(NEW_PASSWORD)


def test_sibling_cannot_reset_a_password(tree, users, signed_in):
    client = signed_in(users["unit_admin_b"])
    assert reset(client, users["unit_admin_a"]).status_code == 404
    assert reset(client, users["leader_a"]).status_code == 404
    users["leader_a"].refresh_from_db()
    assert not users["leader_a"].check_password(NEW_PASSWORD)


def test_admin_below_cannot_reset_the_admin_above(tree, users, signed_in):
    assert reset(signed_in(users["unit_admin_a"]), users["city_admin"]).status_code == 404
    users["city_admin"].refresh_from_db()
    assert not users["city_admin"].check_password(NEW_PASSWORD)


def test_unit_admin_cannot_reset_itself_or_a_colleague_here(tree, users, signed_in):
    colleague = factories.account(username="huancui2", role=Role.UNIT_ADMIN, unit=tree["area_a"])
    client = signed_in(users["unit_admin_a"])
    assert reset(client, colleague).status_code == 403
    assert reset(client, users["unit_admin_a"]).status_code == 403


def test_reset_requires_the_same_password_twice(tree, users, signed_in):
    response = reset(signed_in(users["city_admin"]), users["unit_admin_a"], again="Qingnian-2018-typo")
    assert response.status_code == 200
    assert "new_password2" in response.context["form"].errors
    users["unit_admin_a"].refresh_from_db()
    assert not users["unit_admin_a"].check_password(NEW_PASSWORD)


def test_reset_clears_the_failed_sign_in_count(tree, users, client, signed_in):
    for _ in range(5):
        client.post("/accounts/login/", {"login": "huancui", "password": "wrong-password"})
    reset(signed_in(users["city_admin"]), users["unit_admin_a"])
    client.logout()
    response = client.post("/accounts/login/", {"login": "huancui", "password": NEW_PASSWORD})
    assert response.status_code == 302


def test_deactivate_then_activate_an_account(tree, users, signed_in, client):
    admin_client = signed_in(users["city_admin"])
    account = users["unit_admin_a"]
    response = admin_client.post(
        f"/accounts/{account.pk}/active/", {"active": "0", "next": "/accounts/?role=unit_admin"}
    )
    assert response.status_code == 302 and response["Location"] == "/accounts/?role=unit_admin"
    account.refresh_from_db()
    assert not account.is_active
    assert AuditEntry.objects.filter(action="account.deactivate", object_id=str(account.pk)).exists()
    admin_client.post(f"/accounts/{account.pk}/active/", {"active": "1"})
    account.refresh_from_db()
    assert account.is_active


def test_a_deactivated_account_cannot_sign_in(tree, users, signed_in, client):
    signed_in(users["city_admin"]).post(f"/accounts/{users['leader_a'].pk}/active/", {"active": "0"})
    client.logout()
    response = client.post("/accounts/login/", {"login": "leader_a", "password": factories.PASSWORD})
    assert response.status_code == 200
    assert "账号或密码不正确" in text_of(response)


def test_deactivate_outside_the_subtree_is_not_found(tree, users, signed_in):
    response = signed_in(users["unit_admin_b"]).post(f"/accounts/{users['leader_a'].pk}/active/", {"active": "0"})
    assert response.status_code == 404
    users["leader_a"].refresh_from_db()
    assert users["leader_a"].is_active


def test_deactivate_needs_post(tree, users, signed_in):
    assert signed_in(users["city_admin"]).get(f"/accounts/{users['leader_a'].pk}/active/").status_code == 405
