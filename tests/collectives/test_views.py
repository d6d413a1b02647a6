
import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories
from wenminghao.accounts.models import User
from wenminghao.campaigns.models import CreationFiling
from wenminghao.collectives.enums import OrgType, Sector
from wenminghao.collectives.models import Collective
from wenminghao.core.models import AuditEntry
from wenminghao.core.roles import Role

LIST_URL = reverse("collectives:list")


def names_in(response) -> list[str]:
    return [collective.name for collective in response.context["object_list"]]


def collective_post(*, unit=None, members=(), honours=(), initial_members=0, initial_honours=0, **overrides):
    data = {
        "name": "环翠区税务局办税服务厅",
        "host_org": "国家税务总局威海市环翠区税务局",
        "sector": Sector.SERVICE,
        "org_type": OrgType.PUBLIC_INSTITUTION,
        "unit_form": "window",
        "contact_name": "王联系",
        "contact_phone": "0631-5225125",
        "public_commitment": "热情服务",
        "supervision_phone": "0631-1234567",
        "members-TOTAL_FORMS": str(len(members)),
        "members-INITIAL_FORMS": str(initial_members),
        "honours-TOTAL_FORMS": str(len(honours)),
        "honours-INITIAL_FORMS": str(initial_honours),
    }
    if unit is not None:
        data["unit"] = str(unit.pk)
    for index, member in enumerate(members):
        for key, value in member.items():
            data[f"members-{index}-{key}"] = value
    for index, honour in enumerate(honours):
        for key, value in honour.items():
            data[f"honours-{index}-{key}"] = value
    data.update(overrides)
    return data


# --- list ----------------------------------------------------------------------------------------

def test_list_city_admin_sees_whole_subtree(users, signed_in):
    response = signed_in(users["city_admin"]).get(LIST_URL)
    assert response.status_code == 200
    assert sorted(names_in(response)) == sorted(["环翠区政务服务中心窗口", "环翠楼社区服务站", "文登区供电所"])
    assert "新建集体" in response.content.decode()
    assert "导出Excel" in response.content.decode()


def test_list_unit_admin_sees_only_own_subtree(users, signed_in):
    response = signed_in(users["unit_admin_a"]).get(LIST_URL)
    assert sorted(names_in(response)) == sorted(["环翠区政务服务中心窗口", "环翠楼社区服务站"])


def test_list_collective_account_is_redirected_to_own_collective(users, tree, signed_in):
    response = signed_in(users["leader_a"]).get(LIST_URL)
    assert response.status_code == 302
    assert response["Location"] == reverse("collectives:detail", args=[tree["collective_a"].pk])


def test_list_judge_gets_404(users, signed_in):
    assert signed_in(users["judge"]).get(LIST_URL).status_code == 404


def test_list_search_matches_name_host_org_and_contact(users, tree, signed_in):
    factories.collective(unit=tree["area_b"], name="文登港务班组", host_org="文登港务集团", contact_name="刘特别")
    client = signed_in(users["city_admin"])
    assert names_in(client.get(LIST_URL, {"q": "港务班"})) == ["文登港务班组"]
    assert names_in(client.get(LIST_URL, {"q": "港务集团"})) == ["文登港务班组"]
    assert names_in(client.get(LIST_URL, {"q": "刘特别"})) == ["文登港务班组"]


def test_list_unit_filter_includes_sub_units(users, tree, signed_in):
    response = signed_in(users["city_admin"]).get(LIST_URL, {"unit": tree["area_a"].pk})
    assert sorted(names_in(response)) == sorted(["环翠区政务服务中心窗口", "环翠楼社区服务站"])


def test_list_unit_filter_outside_subtree_is_refused(users, tree, signed_in):
    response = signed_in(users["unit_admin_a"]).get(LIST_URL, {"unit": tree["area_b"].pk})
    assert response.status_code == 200
    assert response.context["form"].errors["unit"]
    assert "文登区供电所" not in names_in(response)


def test_list_sector_and_org_type_filters(users, tree, signed_in):
    factories.collective(unit=tree["area_a"], name="非公研发班组", sector=Sector.RESEARCH, org_type=OrgType.NON_PUBLIC)
    client = signed_in(users["city_admin"])
    assert names_in(client.get(LIST_URL, {"sector": Sector.RESEARCH})) == ["非公研发班组"]
    assert names_in(client.get(LIST_URL, {"org_type": OrgType.NON_PUBLIC})) == ["非公研发班组"]
    assert names_in(client.get(LIST_URL, {"org_type": OrgType.SOCIAL})) == []


def test_list_shows_member_count(users, tree, signed_in):
    response = signed_in(users["city_admin"]).get(LIST_URL, {"q": "文登区供电所"})
    assert response.context["object_list"][0].member_count == 8


def test_list_paginates_in_database(users, tree, signed_in):
    for index in range(55):
        factories.collective(unit=tree["area_b"], name=f"批量集体{index:02d}", members=[])
    client = signed_in(users["unit_admin_b"])
    first = client.get(LIST_URL)
    assert len(first.context["object_list"]) == 50
    assert first.context["page_obj"].paginator.count == 56
    second = client.get(LIST_URL, {"page": 2})
    assert len(second.context["object_list"]) == 6


LIST_QUERIES = 7  # session, user, user's unit, unread notifications (the bell), unit options of the filter, count, rows


@pytest.mark.parametrize("extra", [0, 4])
def test_list_query_count_does_not_grow_with_rows(users, tree, signed_in, django_assert_num_queries, extra):
    for index in range(extra):
        factories.collective(unit=tree["area_b"], name=f"额外集体{index}", honours=[("city", 2017)])
    client = signed_in(users["unit_admin_b"])
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(LIST_URL)
    assert len(response.context["object_list"]) == 1 + extra


# --- detail --------------------------------------------------------------------------------------

def test_detail_shows_members_honours_and_filings(users, tree, signed_in):
    collective = tree["collective_a"]
    campaign = factories.campaign(office=tree["city"], name="2018年度威海市青年文明号创建")
    CreationFiling.objects.create(campaign=campaign, collective=collective, filed_by=users["leader_a"])
    response = signed_in(users["unit_admin_a"]).get(reverse("collectives:detail", args=[collective.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "成员1" in page and "1985-01-01" in page and "号长" in page
    assert "2016年度district青年文明号" in page
    assert "2018年度威海市青年文明号创建" in page
    ages = {member.name: member.age for member in response.context["members"]}
    today = timezone.localdate()
    assert ages["成员1"] == today.year - 1985 - ((today.month, today.day) < (1, 1))


def test_detail_of_another_units_collective_is_404(users, tree, signed_in):
    client = signed_in(users["unit_admin_a"])
    assert client.get(reverse("collectives:detail", args=[tree["collective_b"].pk])).status_code == 404
    assert client.get(reverse("collectives:edit", args=[tree["collective_b"].pk])).status_code == 404


def test_detail_of_another_collective_is_404_for_collective_account(users, tree, signed_in):
    client = signed_in(users["leader_a"])
    assert client.get(reverse("collectives:detail", args=[tree["collective_b"].pk])).status_code == 404
    assert client.get(reverse("collectives:detail", args=[tree["collective_a"].pk])).status_code == 200


# --- create and edit -----------------------------------------------------------------------------

def test_create_with_members_and_honours(users, tree, signed_in):
    data = collective_post(
        unit=tree["sub_a"],
        members=[
            {"name": "赵号长", "birth_date": "1986-05-01", "post": "主任", "is_leader": "on"},
            {"name": "钱成员", "birth_date": "1995-02-03", "post": "窗口"},
            {"name": "", "birth_date": ""},  # a blank row is ignored
        ],
        honours=[{"level": "district", "year": "2016", "title": "环翠区青年文明号"}],
    )
    response = signed_in(users["unit_admin_a"]).post(reverse("collectives:create"), data)
    collective = Collective.objects.get(name="环翠区税务局办税服务厅")
    assert response.status_code == 302
    assert response["Location"] == reverse("collectives:detail", args=[collective.pk])
    assert collective.unit == tree["sub_a"]
    assert [(m.name, m.is_leader) for m in collective.members.all()] == [("赵号长", True), ("钱成员", False)]
    assert [(h.level, h.year, h.title) for h in collective.honours.all()] == [("district", 2016, "环翠区青年文明号")]
    assert AuditEntry.objects.filter(action="collective.create", object_id=str(collective.pk)).count() == 1


def test_create_shows_every_service_violation(users, tree, signed_in):
    data = collective_post(
        unit=tree["area_a"],
        members=[
            {"name": "甲", "birth_date": "1990-01-01", "is_leader": "on"},
            {"name": "乙", "birth_date": "1991-01-01", "is_leader": "on"},
        ],
    )
    response = signed_in(users["unit_admin_a"]).post(reverse("collectives:create"), data)
    assert response.status_code == 200
    assert "一个集体只能有一位号长，现标记了2位：甲、乙" in response.content.decode()
    assert not Collective.objects.filter(name="环翠区税务局办税服务厅").exists()


def test_create_refuses_unit_outside_subtree(users, tree, signed_in):
    data = collective_post(unit=tree["area_b"])
    response = signed_in(users["unit_admin_a"]).post(reverse("collectives:create"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["unit"]
    assert not Collective.objects.filter(name="环翠区税务局办税服务厅").exists()


def test_create_is_forbidden_to_collective_accounts(users, signed_in):
    assert signed_in(users["leader_a"]).get(reverse("collectives:create")).status_code == 403


def test_create_form_field_errors_are_shown(users, tree, signed_in):
    data = collective_post(unit=tree["area_a"], name="", members=[{"name": "甲", "birth_date": "1990-13-01"}])
    response = signed_in(users["unit_admin_a"]).post(reverse("collectives:create"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["name"]
    assert response.context["members"].forms[0].errors["birth_date"]


def test_edit_replaces_members_and_honours(users, tree, signed_in):
    collective = tree["collective_a"]
    members = list(collective.members.all())
    honour = collective.honours.get()
    member_rows = [
        {"id": str(m.pk), "name": m.name, "birth_date": m.birth_date.isoformat(), "post": m.post,
         **({"is_leader": "on"} if m.is_leader else {})}
        for m in members
    ]
    member_rows[1]["name"] = "改名成员"
    member_rows[2]["DELETE"] = "on"
    member_rows.append({"name": "新成员", "birth_date": "1999-09-09", "post": "新岗位"})
    data = collective_post(
        unit=collective.unit, name=collective.name, host_org=collective.host_org,
        members=member_rows, initial_members=len(members),
        honours=[
            {"id": str(honour.pk), "level": honour.level, "year": str(honour.year), "title": honour.title},
            {"level": "city", "year": "2017", "title": "威海市青年文明号"},
        ],
        initial_honours=1,
    )
    response = signed_in(users["unit_admin_a"]).post(reverse("collectives:edit", args=[collective.pk]), data)
    assert response.status_code == 302
    names = list(collective.members.values_list("name", flat=True))
    assert "改名成员" in names and "新成员" in names and members[2].name not in names
    assert collective.members.count() == 8
    assert collective.members.filter(pk=members[1].pk, name="改名成员").exists()
    assert sorted(collective.honours.values_list("level", flat=True)) == ["city", "district"]
    collective.refresh_from_db()
    assert collective.contact_name == "王联系"


def test_edit_by_collective_account_cannot_change_unit(users, tree, signed_in):
    collective = tree["collective_a"]
    client = signed_in(users["leader_a"])
    page = client.get(reverse("collectives:edit", args=[collective.pk]))
    assert page.status_code == 200
    assert "unit" not in page.context["form"].fields
    data = collective_post(unit=tree["sub_a"], name=collective.name, host_org=collective.host_org,
                           contact_name="号长改的联系人")
    response = client.post(reverse("collectives:edit", args=[collective.pk]), data)
    assert response.status_code == 302
    collective.refresh_from_db()
    assert collective.unit == tree["area_a"]
    assert collective.contact_name == "号长改的联系人"


def test_edit_by_admin_moves_collective_within_subtree(users, tree, signed_in):
    collective = tree["collective_a"]
    data = collective_post(unit=tree["sub_a"], name=collective.name, host_org=collective.host_org)
    response = signed_in(users["unit_admin_a"]).post(reverse("collectives:edit", args=[collective.pk]), data)
    assert response.status_code == 302
    collective.refresh_from_db()
    assert collective.unit == tree["sub_a"]


def test_edit_page_shows_existing_rows(users, tree, signed_in):
    collective = tree["collective_a"]
    response = signed_in(users["city_admin"]).get(reverse("collectives:edit", args=[collective.pk]))
    assert response.context["members"].total_form_count() == 9  # 8 members and a blank row
    assert "添加成员" in response.content.decode()
    assert "members-__prefix__-name" in response.content.decode()  # the row the button copies


# --- delegate accounts ---------------------------------------------------------------------------

def delegate_data(**overrides):
    data = {"username": "member_a1", "display_name": "孙成员", "mobile": "13900000001",
            "password1": "wenming-2018-member", "password2": "wenming-2018-member"}
    data.update(overrides)
    return data


def test_leader_creates_and_deactivates_delegate(users, tree, signed_in):
    collective = tree["collective_a"]
    client = signed_in(users["leader_a"])
    response = client.post(reverse("accounts:delegate_create", args=[collective.pk]), delegate_data())
    assert response.status_code == 302
    account = User.objects.get(username="member_a1")
    assert (account.role, account.collective, account.is_delegate) == (Role.COLLECTIVE, collective, True)
    page = client.get(reverse("collectives:detail", args=[collective.pk])).content.decode()
    assert "孙成员" in page
    response = client.post(
        reverse("accounts:delegate_set_active", args=[collective.pk, account.pk]), {"active": "0"}
    )
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.is_active is False


def test_delegate_cannot_manage_delegates(users, tree, signed_in):
    collective = tree["collective_a"]
    delegate = factories.account(username="deleg", role=Role.COLLECTIVE, collective=collective, is_delegate=True)
    client = signed_in(delegate)
    page = client.get(reverse("collectives:detail", args=[collective.pk]))
    assert page.status_code == 200
    assert not page.context["can_manage_delegates"]
    response = client.post(reverse("accounts:delegate_create", args=[collective.pk]), delegate_data())
    assert response.status_code == 403
    assert not User.objects.filter(username="member_a1").exists()


def test_delegate_form_reports_weak_password_and_mismatch(users, tree, signed_in):
    collective = tree["collective_a"]
    client = signed_in(users["leader_a"])
    response = client.post(
        reverse("accounts:delegate_create", args=[collective.pk]), delegate_data(password1="1", password2="2")
    )
    assert response.status_code == 200
    assert response.context["delegate_form"].errors["password2"] == ["两次输入的密码不一致，请重新输入。"]
    response = client.post(
        reverse("accounts:delegate_create", args=[collective.pk]), delegate_data(password1="12345678",
                                                                                  password2="12345678")
    )
    assert response.context["delegate_form"].errors["password1"]
    assert not User.objects.filter(username="member_a1").exists()


def test_leader_cannot_deactivate_another_collectives_delegate(users, tree, signed_in):
    other = factories.account(username="deleg_b", role=Role.COLLECTIVE, collective=tree["collective_b"],
                              is_delegate=True)
    client = signed_in(users["leader_a"])
    url = reverse("accounts:delegate_set_active", args=[tree["collective_a"].pk, other.pk])
    assert client.post(url, {"active": "0"}).status_code == 404
    other.refresh_from_db()
    assert other.is_active is True
