import datetime

import pytest

from wenminghao.campaigns.models import CreationFiling
from wenminghao.campaigns.services import file_creation
from wenminghao.collectives.enums import WorkingUnitForm
from wenminghao.core.models import AuditEntry

from .. import factories
from .conftest import error_codes
from .test_errors import NOT_FOUND


@pytest.fixture
def campaign(tree):
    return factories.campaign(office=tree["city"], name="2018年度威海市青年文明号创建", level="city")


def filed(campaign, collective, user):
    return file_creation(actor=user, collective=collective, campaign=campaign)


# --- filing ------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("role", "collective", "status"),
    [
        ("city_admin", "collective_a", 201),
        ("unit_admin_a", "collective_a", 201),
        ("unit_admin_a", "collective_sub", 201),
        ("leader_a", "collective_a", 201),
        ("unit_admin_b", "collective_a", 404),
        ("leader_b", "collective_a", 404),
        ("leader_a", "collective_sub", 404),
        ("judge", "collective_a", 404),
    ],
)
def test_application_create_by_role(api, users, tree, campaign, role, collective, status):
    response = api.post("/applications", {"collective": tree[collective].pk, "campaign": campaign.pk},
                        user=users[role])
    assert response.status_code == status
    if status == 201:
        body = response.json()
        filing = CreationFiling.objects.get(pk=body["id"])
        assert body["status"] == "pending"
        assert body["collective"] == {"id": tree[collective].pk, "name": tree[collective].name}
        assert body["campaign"] == {"id": campaign.pk, "name": "2018年度威海市青年文明号创建"}
        assert filing.filed_by == users[role]
        assert AuditEntry.objects.filter(action="filing.create", object_id=str(filing.pk)).exists()
    else:
        assert response.json() == NOT_FOUND
        assert not CreationFiling.objects.exists()


def test_application_invisible_collective_answers_404_like_missing(api, users, tree, campaign):
    hidden = api.post("/applications", {"collective": tree["collective_b"].pk, "campaign": campaign.pk},
                      user=users["unit_admin_a"])
    missing = api.post("/applications", {"collective": 999999, "campaign": campaign.pk}, user=users["unit_admin_a"])
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json() == NOT_FOUND


def test_application_invisible_campaign_answers_404(api, users, tree):
    area_campaign = factories.campaign(office=tree["area_a"], level="district")
    response = api.post("/applications", {"collective": tree["collective_b"].pk, "campaign": area_campaign.pk},
                        user=users["unit_admin_b"])
    assert response.status_code == 404
    assert response.json() == NOT_FOUND


def test_application_lists_every_unmet_eligibility_rule(api, users, tree, campaign):
    weak = factories.collective(
        unit=tree["area_a"], name="新建班组", unit_form=WorkingUnitForm.OTHER,
        members=[(datetime.date(1968, 1, 1), True), (datetime.date(1970, 1, 1), False),
                 (datetime.date(1990, 1, 1), False)],
    )
    response = api.post("/applications", {"collective": weak.pk, "campaign": campaign.pk}, user=users["unit_admin_a"])
    assert response.status_code == 422
    assert error_codes(response) == [
        "eligibility.prior_honour",
        "eligibility.member_count",
        "eligibility.youth_share",
        "eligibility.leader_age",
        "eligibility.stable_unit",
    ]
    messages = {error["code"]: error["message"] for error in response.json()["errors"]}
    assert messages["eligibility.member_count"] == "集体现有成员3人，应不少于6人"
    assert messages["eligibility.leader_age"] == "号长年龄为50周岁，应在40周岁以下"
    assert "33.3%" in messages["eligibility.youth_share"]
    assert all(error["field"] for error in response.json()["errors"])
    assert not CreationFiling.objects.exists()


def test_application_after_filing_deadline_answers_422(api, users, tree):
    closed = factories.campaign(office=tree["city"], open_=False)
    response = api.post("/applications", {"collective": tree["collective_a"].pk, "campaign": closed.pk},
                        user=users["leader_a"])
    assert response.status_code == 422
    assert error_codes(response) == ["deadline.passed"]


def test_application_twice_answers_422(api, users, tree, campaign):
    body = {"collective": tree["collective_a"].pk, "campaign": campaign.pk}
    assert api.post("/applications", body, user=users["leader_a"]).status_code == 201
    response = api.post("/applications", body, user=users["unit_admin_a"])
    assert response.status_code == 422
    assert error_codes(response) == ["filing.duplicate"]


# --- list and detail ---------------------------------------------------------------------------

@pytest.fixture
def filings(users, tree, campaign):
    return {
        key: filed(campaign, tree[key], users["city_admin"])
        for key in ("collective_a", "collective_sub", "collective_b")
    }


def listed(response):
    return sorted(item["collective"]["name"] for item in response.json()["items"])


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
def test_applications_list_each_role(api, users, filings, role, expected):
    response = api.get("/applications", user=users[role])
    assert response.status_code == 200
    assert listed(response) == expected
    assert response.json()["count"] == len(expected)


def test_applications_list_filters(api, users, tree, campaign, filings):
    admin = users["city_admin"]
    assert listed(api.get("/applications", user=admin, unit=tree["sub_a"].pk)) == ["环翠楼社区服务站"]
    assert api.get("/applications", user=admin, campaign=campaign.pk).json()["count"] == 3
    assert api.get("/applications", user=admin, status="accepted").json()["count"] == 0
    assert listed(api.get("/applications", user=admin, search="供电")) == ["文登区供电所"]
    assert api.get("/applications", user=admin, status="won").status_code == 422


def test_applications_list_invisible_filter_answers_404(api, users, tree, filings):
    response = api.get("/applications", user=users["unit_admin_b"], unit=tree["area_a"].pk)
    assert response.status_code == 404
    area_campaign = factories.campaign(office=tree["area_a"], level="district")
    assert api.get("/applications", user=users["unit_admin_b"], campaign=area_campaign.pk).status_code == 404


@pytest.mark.parametrize(
    ("role", "status"),
    [("city_admin", 200), ("unit_admin_a", 200), ("leader_a", 200), ("unit_admin_b", 404), ("leader_b", 404),
     ("judge", 404)],
)
def test_application_detail_by_role(api, users, tree, filings, role, status):
    filing = filings["collective_a"]
    response = api.get(f"/applications/{filing.pk}", user=users[role])
    assert response.status_code == status
    if status == 200:
        body = response.json()
        assert body["id"] == filing.pk
        assert body["unit"] == {"id": tree["area_a"].pk, "name": "环翠区团委"}
        assert body["filed_at"].endswith("+08:00")
        assert body["decided_at"] is None
        assert body["is_former"] is False
    else:
        assert response.json() == NOT_FOUND


def test_applications_list_query_count_constant_in_rows(api, users, tree, campaign, django_assert_num_queries):
    admin = users["unit_admin_b"]
    filed(campaign, tree["collective_b"], admin)
    api.get("/applications", user=admin)
    with django_assert_num_queries(3):  # token, count, page with collective, unit and campaign
        assert api.get("/applications", user=admin).json()["count"] == 1
    for index in range(3):
        filed(campaign, factories.collective(unit=tree["area_b"], name=f"文登集体{index}",
                                             honours=[("district", 2016)]), admin)
    with django_assert_num_queries(3):
        assert api.get("/applications", user=admin).json()["count"] == 4


# --- accept and return -------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("role", "status"),
    [("city_admin", 200), ("unit_admin_a", 200), ("leader_a", 403), ("unit_admin_b", 404), ("judge", 404)],
)
def test_application_accept_by_role(api, users, filings, role, status):
    filing = filings["collective_a"]
    response = api.post(f"/applications/{filing.pk}/accept", user=users[role])
    assert response.status_code == status
    filing.refresh_from_db()
    if status == 200:
        assert response.json()["status"] == "accepted"
        assert response.json()["decided_at"].endswith("+08:00")
        assert filing.status == "accepted" and filing.decided_by == users[role]
    else:
        assert filing.status == "pending"
        if status == 403:
            assert error_codes(response) == ["forbidden"]
            assert "归口单位" in response.json()["errors"][0]["message"]


def test_application_accept_twice_answers_422(api, users, filings):
    filing = filings["collective_a"]
    assert api.post(f"/applications/{filing.pk}/accept", user=users["unit_admin_a"]).status_code == 200
    response = api.post(f"/applications/{filing.pk}/accept", user=users["unit_admin_a"])
    assert response.status_code == 422
    assert error_codes(response) == ["filing.state"]


@pytest.mark.parametrize(
    ("role", "status"),
    [("city_admin", 200), ("unit_admin_a", 200), ("leader_a", 403), ("unit_admin_b", 404), ("judge", 404)],
)
def test_application_return_by_role(api, users, filings, role, status):
    filing = filings["collective_a"]
    response = api.post(f"/applications/{filing.pk}/return", {"comment": "请补充成员出生日期证明"}, user=users[role])
    assert response.status_code == status
    filing.refresh_from_db()
    assert filing.status == ("returned" if status == 200 else "pending")


def test_application_return_needs_a_comment(api, users, filings):
    filing = filings["collective_a"]
    missing = api.post(f"/applications/{filing.pk}/return", {}, user=users["unit_admin_a"])
    blank = api.post(f"/applications/{filing.pk}/return", {"comment": "  "}, user=users["unit_admin_a"])
    assert missing.status_code == blank.status_code == 422
    assert error_codes(missing) == ["field.required"]
    assert error_codes(blank) == ["filing.comment_required"]
    assert blank.json()["errors"][0]["field"] == "comment"


def test_returned_application_can_be_filed_again(api, users, tree, campaign, filings):
    filing = filings["collective_a"]
    returned = api.post(f"/applications/{filing.pk}/return", {"comment": "请补充材料"}, user=users["unit_admin_a"])
    assert returned.json()["status"] == "returned"
    assert returned.json()["comment"] == "请补充材料"
    again = api.post("/applications", {"collective": tree["collective_a"].pk, "campaign": campaign.pk},
                     user=users["leader_a"])
    assert again.status_code == 201
    assert again.json()["id"] == filing.pk
    assert again.json()["status"] == "pending"
