"""The notices endpoints of API.md ("Notices, stories and joint projects"): publishing to a subtree narrowed by sector
and unit, every rule's 422 (several at once, nothing written), who sees which notice in the list, confirming reading
(404 for everyone it does not reach, 403 for the admins who see it), the receipts for the sender's unit and above,
and lists whose query count does not grow with their length."""

import pytest

from tests import factories
from wenminghao.collectives.enums import Sector
from wenminghao.core.models import AuditEntry, Notification
from wenminghao.core.roles import Role
from wenminghao.notices.models import Notice, NoticeReceipt
from wenminghao.notices.services import publish_notice

from .conftest import error_codes
from .test_errors import NOT_FOUND

ROLES = ("city_admin", "unit_admin_a", "unit_admin_b", "leader_a", "delegate_a", "leader_b", "judge", "anonymous")


@pytest.fixture
def people(users, tree):
    """The conftest accounts and a delegate of collective_a (孙成员), by role name; "anonymous" is nobody."""
    delegate = factories.account(username="delegate_a", role=Role.COLLECTIVE, collective=tree["collective_a"],
                                 is_delegate=True, display_name="孙成员")
    return {**users, "delegate_a": delegate, "anonymous": None}


@pytest.fixture
def city_notice(users, tree):
    """The city's notice to every collective: collective_a, collective_sub (环翠区) and collective_b (文登区)."""
    return publish_notice(actor=users["city_admin"], title="关于开展2018年度青年文明号创建工作的通知",
                          body="各区市团委、市直各单位团组织：……")


@pytest.fixture
def huancui_notice(users, tree):
    """环翠区's own notice: collective_a and collective_sub."""
    return publish_notice(actor=users["unit_admin_a"], title="环翠区创建工作执行规范", body="一、……")


def ids(response) -> list[int]:
    return [item["id"] for item in response.json()["items"]]


# --- POST /notices ---------------------------------------------------------------------------------------------

def test_city_publishes_to_every_collective(api, users, tree, people):
    response = api.post("/notices", {"title": "关于开展2018年度青年文明号创建工作的通知", "body": "全文见附件。"},
                        user=users["city_admin"])
    assert response.status_code == 201, response.content
    body = response.json()
    notice = Notice.objects.get()
    assert body == {"id": notice.pk, "recipients": 3}
    assert set(NoticeReceipt.objects.values_list("collective_id", flat=True)) == {
        tree["collective_a"].pk, tree["collective_sub"].pk, tree["collective_b"].pk}
    assert notice.sender_unit == tree["city"] and notice.author == users["city_admin"]
    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {
        "leader_a", "delegate_a", "leader_b"}
    assert AuditEntry.objects.filter(action="notice.publish").count() == 1


@pytest.mark.parametrize(("role", "status", "recipients"), [
    ("city_admin", 201, 3), ("unit_admin_a", 201, 2), ("unit_admin_b", 201, 1),
    ("leader_a", 403, None), ("delegate_a", 403, None), ("leader_b", 403, None), ("judge", 403, None),
    ("anonymous", 401, None),
])
def test_who_publishes_and_to_whom(api, people, role, status, recipients):
    response = api.post("/notices", {"title": "通知", "body": "正文"}, user=people[role])
    assert response.status_code == status, response.content
    if recipients is not None:
        assert response.json()["recipients"] == recipients
    else:
        assert Notice.objects.count() == 0
    if status == 403:
        assert response.json()["errors"] == [
            {"code": "forbidden", "message": "只有团委管理员可以发布通知。", "field": None}]


def test_sectors_and_units_narrow_the_recipients(api, users, tree):
    research_b = factories.collective(unit=tree["area_b"], name="文登区农科所", sector=Sector.RESEARCH)
    research_sub = factories.collective(unit=tree["sub_a"], name="环翠楼研发班组", sector=Sector.RESEARCH)
    city = users["city_admin"]

    def reached(body):
        response = api.post("/notices", {"title": "通知", "body": "正文", **body}, user=city)
        assert response.status_code == 201, response.content
        notice = Notice.objects.get(pk=response.json()["id"])
        assert response.json()["recipients"] == notice.receipts.count()
        return set(notice.receipts.values_list("collective_id", flat=True))

    assert reached({"sectors": ["research"]}) == {research_b.pk, research_sub.pk}
    assert reached({"units": [tree["sub_a"].pk]}) == {tree["collective_sub"].pk, research_sub.pk}
    assert reached({"units": [tree["area_a"].pk]}) == {tree["collective_a"].pk, tree["collective_sub"].pk,
                                                       research_sub.pk}
    assert reached({"units": [tree["sub_a"].pk, tree["area_b"].pk], "sectors": ["service"]}) == {
        tree["collective_sub"].pk, tree["collective_b"].pk}
    assert reached({"sectors": ["research", "service"], "units": [tree["area_b"].pk]}) == {
        tree["collective_b"].pk, research_b.pk}


def test_an_empty_title_is_refused(api, users):
    response = api.post("/notices", {"title": "  ", "body": "正文"}, user=users["city_admin"])
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"code": "notice.title_required", "message": "请填写通知标题", "field": "title"}]
    assert Notice.objects.count() == 0


def test_an_unknown_sector_is_refused_listing_the_choices(api, users):
    response = api.post("/notices", {"title": "通知", "body": "正文", "sectors": ["service", "farming"]},
                        user=users["city_admin"])
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["code"] == "notice.sector" and error["field"] == "sectors"
    assert "“farming”不存在" in error["message"] and "service（服务行业和窗口单位）" in error["message"]


def test_a_unit_outside_the_callers_tree_is_refused_without_naming_it(api, users, tree):
    # 文登区 is outside 环翠区; an id that does not exist reads the same (no leaking of existence)
    for unit_id in (tree["area_b"].pk, tree["city"].pk, 999_999):
        response = api.post("/notices", {"title": "通知", "body": "正文", "units": [tree["sub_a"].pk, unit_id]},
                            user=users["unit_admin_a"])
        assert response.status_code == 422, unit_id
        assert response.json()["errors"] == [{
            "code": "notice.unit_outside", "field": "units",
            "message": f"编号为{unit_id}的单位不在环翠区团委的管理范围内，只能向本单位及下级单位的集体发送通知"}]
    assert Notice.objects.count() == 0


def test_a_selection_that_reaches_no_collective_is_refused(api, users, tree):
    response = api.post("/notices", {"title": "通知", "body": "正文", "sectors": ["research"]},
                        user=users["unit_admin_a"])
    assert response.status_code == 422
    assert error_codes(response) == ["notice.no_recipients"]
    assert "所选范围内没有集体" in response.json()["errors"][0]["message"]
    assert Notice.objects.count() == 0


def test_every_problem_at_once_and_nothing_written(api, users, tree):
    audited = AuditEntry.objects.count()
    response = api.post("/notices", {"title": "", "body": "", "sectors": ["farming"], "units": [tree["area_b"].pk],
                                     "deadline": "2000-01-01"}, user=users["unit_admin_a"])
    assert response.status_code == 422
    assert error_codes(response) == ["notice.title_required", "notice.body_required", "notice.sector",
                                     "notice.unit_outside", "notice.deadline_past"]
    assert Notice.objects.count() == 0 and NoticeReceipt.objects.count() == 0
    assert AuditEntry.objects.count() == audited
    assert Notification.objects.count() == 0


def test_a_missing_body_lists_the_fields_in_chinese(api, users):
    response = api.post("/notices", {}, user=users["city_admin"])
    assert response.status_code == 422
    assert error_codes(response) == ["notice.title_required", "notice.body_required"]
    response = api.post("/notices", {"title": "通知", "body": "正文", "sectors": "service", "units": ["一"],
                                     "deadline": "2030/01/01"}, user=users["city_admin"])
    assert response.status_code == 422
    messages = {error["field"]: error["message"] for error in response.json()["errors"]}
    assert messages == {
        "sectors": "行业类别（sectors）应为列表（JSON 数组）",
        "units.1": "第1项发送范围内的单位（units.1）应为整数",
        "deadline": "截止日期（deadline）应为日期，格式为 YYYY-MM-DD，例如 1990-01-31",
    }


def test_a_campaign_narrows_to_its_filed_collectives(api, users, tree):
    from wenminghao.campaigns.services import file_creation

    campaign = factories.campaign(office=tree["city"])
    file_creation(actor=users["leader_b"], collective=tree["collective_b"], campaign=campaign)
    response = api.post("/notices", {"title": "补报材料的通知", "body": "正文", "campaign": campaign.pk,
                                     "deadline": "2099-08-20", "asks_reply": True}, user=users["city_admin"])
    assert response.status_code == 201, response.content
    assert response.json()["recipients"] == 1
    notice = Notice.objects.get()
    assert notice.campaign == campaign and notice.asks_reply and str(notice.deadline) == "2099-08-20"
    # a campaign the caller cannot see is a 404, as in POST /works
    other = factories.campaign(office=factories.unit(name="烟台市团委", kind="city"))
    response = api.post("/notices", {"title": "通知", "body": "正文", "campaign": other.pk}, user=users["city_admin"])
    assert response.status_code == 404 and response.json() == NOT_FOUND


def test_a_unit_forwards_a_notice_from_above(api, users, tree, city_notice, huancui_notice):
    response = api.post("/notices", {"title": "转发：" + city_notice.title, "body": "请各集体于8月10日前报送。",
                                     "forwarded_from": city_notice.pk}, user=users["unit_admin_a"])
    assert response.status_code == 201, response.content
    forward = Notice.objects.get(pk=response.json()["id"])
    assert forward.forwarded_from == city_notice and forward.sender_unit == tree["area_a"]
    assert response.json()["recipients"] == 2
    city_notice.refresh_from_db()
    assert city_notice.body == "各区市团委、市直各单位团组织：……" and city_notice.recipients == 3  # the original stays
    assert AuditEntry.objects.filter(action="notice.forward").count() == 1
    # the sender cannot forward its own notice; a unit that does not see a notice gets 404; nor a collective
    response = api.post("/notices", {"title": "转发", "body": "", "forwarded_from": city_notice.pk},
                        user=users["city_admin"])
    assert response.status_code == 403
    response = api.post("/notices", {"title": "转发", "body": "", "forwarded_from": huancui_notice.pk},
                        user=users["unit_admin_b"])
    assert response.status_code == 404 and response.json() == NOT_FOUND
    response = api.post("/notices", {"title": "转发", "body": "", "forwarded_from": city_notice.pk},
                        user=users["leader_a"])
    assert response.status_code == 403


# --- GET /notices ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("role", "sees"), [
    ("city_admin", {"city", "huancui"}), ("unit_admin_a", {"city", "huancui"}), ("unit_admin_b", {"city"}),
    ("leader_a", {"city", "huancui"}), ("delegate_a", {"city", "huancui"}), ("leader_b", {"city"}),
    ("judge", set()),
])
def test_who_sees_which_notice(api, people, city_notice, huancui_notice, role, sees):
    notices = {"city": city_notice.pk, "huancui": huancui_notice.pk}
    response = api.get("/notices", user=people[role])
    assert response.status_code == 200
    assert set(ids(response)) == {notices[name] for name in sees}
    assert response.json()["count"] == len(sees)


def test_the_list_needs_a_sign_in(api):
    response = api.get("/notices")
    assert response.status_code == 401 and error_codes(response) == ["not_authenticated"]


def test_a_collective_sees_its_unread_first_and_what_it_has_read(api, people, tree, city_notice, huancui_notice):
    leader = people["leader_a"]
    body = api.get("/notices", user=leader).json()
    assert [item["id"] for item in body["items"]] == [huancui_notice.pk, city_notice.pk]  # newest first
    assert body["items"][1] == {
        "id": city_notice.pk, "title": "关于开展2018年度青年文明号创建工作的通知",
        "sender": {"id": tree["city"].pk, "name": "威海市团委"},
        "published_at": body["items"][1]["published_at"], "read": False, "deadline": None, "asks_reply": False,
        "forwarded_from": None,
    }
    assert body["items"][1]["published_at"].endswith("+08:00")
    assert api.post(f"/notices/{huancui_notice.pk}/read", user=people["delegate_a"]).status_code == 200
    body = api.get("/notices", user=leader).json()
    assert [(item["id"], item["read"]) for item in body["items"]] == [(city_notice.pk, False),
                                                                      (huancui_notice.pk, True)]
    assert ids(api.get("/notices", user=leader, unread="true")) == [city_notice.pk]
    assert ids(api.get("/notices", user=leader, search="执行规范")) == [huancui_notice.pk]
    # collective_b's own state is its own
    assert [item["read"] for item in api.get("/notices", user=people["leader_b"]).json()["items"]] == [False]


def test_admins_rows_carry_no_read_state(api, users, city_notice, huancui_notice):
    body = api.get("/notices", user=users["unit_admin_a"]).json()
    assert [(item["id"], item["read"]) for item in body["items"]] == [(huancui_notice.pk, None),
                                                                      (city_notice.pk, None)]
    assert body["items"][0]["sender"]["name"] == "环翠区团委"


def test_the_list_is_paged(api, users, city_notice, huancui_notice):
    first = api.get("/notices", user=users["city_admin"], page_size=1).json()
    second = api.get("/notices", user=users["city_admin"], page_size=1, page=2).json()
    assert first["count"] == second["count"] == 2
    assert [item["id"] for item in first["items"] + second["items"]] == [huancui_notice.pk, city_notice.pk]
    assert api.get("/notices", user=users["city_admin"], page=3, page_size=1).json()["items"] == []
    response = api.get("/notices", user=users["city_admin"], page=0)
    assert response.status_code == 422
    assert response.json()["errors"][0]["message"] == "页码（page）应不小于1"


@pytest.mark.parametrize("role", ["leader_a", "unit_admin_a"])
def test_notice_list_query_count_constant_in_notices(api, users, tree, role, django_assert_num_queries):
    user = users[role]
    queries = 3  # token, count, page (the sender's unit joined; the read state a subquery)

    def publish(upto):
        for index in range(Notice.objects.count(), upto):
            sender = users["city_admin"] if index % 2 else users["unit_admin_a"]
            publish_notice(actor=sender, title=f"第{index}号通知", body="正文")

    publish(3)
    api.get("/notices", user=user)  # issues the token
    with django_assert_num_queries(queries):
        assert api.get("/notices", user=user).json()["count"] == 3
    publish(30)
    with django_assert_num_queries(queries):
        body = api.get("/notices", user=user).json()
    assert body["count"] == 30 and len(body["items"]) == 30


# --- POST /notices/{id}/read -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("role", "status"), [
    ("leader_a", 200), ("delegate_a", 200), ("leader_b", 404), ("judge", 404), ("unit_admin_b", 404),
    ("city_admin", 404), ("unit_admin_a", 404), ("anonymous", 401),  # API.md: 404 for everyone it does not reach
])
def test_who_confirms_reading(api, people, tree, huancui_notice, role, status):
    response = api.post(f"/notices/{huancui_notice.pk}/read", user=people[role])
    assert response.status_code == status, response.content
    receipt = NoticeReceipt.objects.get(notice=huancui_notice, collective=tree["collective_a"])
    if status == 200:
        assert response.json() == {"read": True, "read_at": response.json()["read_at"]}
        assert receipt.read_by == people[role] and receipt.read_at is not None
    else:
        assert NoticeReceipt.objects.filter(read_at__isnull=False).count() == 0
    if status == 404:
        assert response.json() == NOT_FOUND


def test_confirming_again_changes_nothing(api, users, tree, city_notice):
    url = f"/notices/{city_notice.pk}/read"
    first = api.post(url, user=users["leader_a"]).json()
    second = api.post(url, user=users["leader_a"])
    assert second.status_code == 200 and second.json() == first
    assert AuditEntry.objects.filter(action="notice.read").count() == 1
    # collective_b's receipt is untouched
    assert NoticeReceipt.objects.get(notice=city_notice, collective=tree["collective_b"]).read_at is None


def test_reading_a_notice_that_does_not_exist(api, users):
    assert api.post("/notices/999999/read", user=users["leader_a"]).json() == NOT_FOUND
    response = api.post("/notices/abc/read", user=users["leader_a"])
    assert response.status_code == 422
    assert response.json()["errors"][0]["message"] == "通知编号（notice_id）应为整数"


# --- GET /notices/{id}/receipts --------------------------------------------------------------------------------

@pytest.mark.parametrize(("notice", "role", "status"), [
    ("huancui", "city_admin", 200), ("huancui", "unit_admin_a", 200), ("huancui", "unit_admin_b", 404),
    ("huancui", "leader_a", 403), ("huancui", "delegate_a", 403), ("huancui", "leader_b", 404),
    ("huancui", "judge", 404), ("huancui", "anonymous", 401),
    ("city", "city_admin", 200), ("city", "unit_admin_a", 403), ("city", "unit_admin_b", 403),
    ("city", "leader_b", 403), ("city", "judge", 404),
])
def test_who_sees_the_receipts(api, people, city_notice, huancui_notice, notice, role, status):
    target = {"city": city_notice, "huancui": huancui_notice}[notice]
    response = api.get(f"/notices/{target.pk}/receipts", user=people[role])
    assert response.status_code == status, response.content
    if status == 404:
        assert response.json() == NOT_FOUND
    if status == 403:
        assert response.json()["errors"] == [
            {"code": "forbidden", "message": "只有发布该通知的单位及其上级团委可以查看阅读情况。", "field": None}]


def test_receipts_count_read_and_unread(api, users, tree, city_notice):
    api.post(f"/notices/{city_notice.pk}/read", user=users["leader_b"])
    url = f"/notices/{city_notice.pk}/receipts"
    body = api.get(url, user=users["city_admin"]).json()
    assert body["read"] == 1 and body["unread"] == 2 and body["count"] == 3
    # by unit path, then by collective name
    assert [item["collective"] for item in body["items"]] == [
        {"id": tree["collective_a"].pk, "name": "环翠区政务服务中心窗口"},
        {"id": tree["collective_sub"].pk, "name": "环翠楼社区服务站"},
        {"id": tree["collective_b"].pk, "name": "文登区供电所"},
    ]
    read_at = {item["collective"]["id"]: item["read_at"] for item in body["items"]}
    assert read_at[tree["collective_a"].pk] is None and read_at[tree["collective_b"].pk].endswith("+08:00")
    assert body["items"][1]["unit"] == {"id": tree["sub_a"].pk, "name": "环翠楼街道团委"}
    # filters narrow the items (and count), never the totals
    unread = api.get(url, user=users["city_admin"], read="false").json()
    assert (unread["read"], unread["unread"], unread["count"]) == (1, 2, 2)
    assert [item["collective"]["id"] for item in api.get(url, user=users["city_admin"], read="true").json()["items"]] \
        == [tree["collective_b"].pk]
    under_a = api.get(url, user=users["city_admin"], unit=tree["area_a"].pk).json()
    assert [item["collective"]["id"] for item in under_a["items"]] == [tree["collective_a"].pk,
                                                                       tree["collective_sub"].pk]
    paged = api.get(url, user=users["city_admin"], page=2, page_size=2).json()
    assert (paged["read"], paged["unread"], paged["count"], len(paged["items"])) == (1, 2, 3, 1)


def test_receipts_unit_filter_must_be_visible(api, users, tree, huancui_notice):
    response = api.get(f"/notices/{huancui_notice.pk}/receipts", user=users["unit_admin_a"], unit=tree["area_b"].pk)
    assert response.status_code == 404 and response.json() == NOT_FOUND
    response = api.get(f"/notices/{huancui_notice.pk}/receipts", user=users["unit_admin_a"], read="perhaps")
    assert response.status_code == 422
    assert response.json()["errors"][0]["message"] == "阅读状态（read）应为 true 或 false"


def test_receipts_query_count_constant_in_collectives(api, users, tree, django_assert_num_queries):
    admin = users["unit_admin_a"]
    queries = 5  # token, notice (with its sender), totals, count, page (collective and unit joined)

    def receipts_of(count):
        for index in range(count):
            factories.collective(unit=tree["sub_a"] if index % 2 else tree["area_a"], name=f"窗口{count}-{index}")
        notice = publish_notice(actor=admin, title=f"{count}个集体的通知", body="正文")
        return f"/notices/{notice.pk}/receipts"

    small, large = receipts_of(3), receipts_of(30)
    api.get(small, user=admin)  # issues the token
    with django_assert_num_queries(queries):
        assert api.get(small, user=admin).json()["count"] == 5  # and collective_a, collective_sub
    with django_assert_num_queries(queries):
        body = api.get(large, user=admin).json()
    assert body["count"] == 35 and len(body["items"]) == 35 and body["unread"] == 35
