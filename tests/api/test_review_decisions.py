"""POST /api/v1/works/{id}/recommend and /return (API.md): 200 with the new status, 404 for an invisible work,
403 for who sees it but may not decide, 422 in the error shape for a wrong state or a missing comment."""

import pytest

from tests import factories
from wenminghao.core.models import Notification
from wenminghao.works.models import Work, WorkDecision


@pytest.fixture
def campaign(tree):
    return factories.campaign(office=tree["city"])


def work_of(campaign, tree, users, *, area="a", status="submitted", title="窗口里的四十年"):
    return Work.objects.create(campaign=campaign, collective=tree[f"collective_{area}"], category="photo",
                               title=title, display_form="picture", contact_name="张三",
                               contact_phone="13800000000", status=status, created_by=users[f"leader_{area}"])


def test_recommend_answers_the_new_status_and_the_place_in_the_units_order(api, tree, users, campaign):
    first, second = work_of(campaign, tree, users), work_of(campaign, tree, users, title="第二件")
    answer = api.post(f"/works/{first.pk}/recommend", user=users["unit_admin_a"])
    assert answer.status_code == 200
    assert answer.json() == {"id": first.pk, "status": "recommended", "unit_rank": 1}
    assert api.post(f"/works/{second.pk}/recommend", user=users["city_admin"]).json()["unit_rank"] == 2
    assert WorkDecision.objects.filter(work=first, stage="unit", to_status="recommended").exists()


def test_return_needs_a_comment_and_the_collective_sees_it(api, tree, users, campaign):
    work = work_of(campaign, tree, users)
    for body in ({}, {"comment": "   "}):
        answer = api.post(f"/works/{work.pk}/return", body, user=users["unit_admin_a"])
        assert answer.status_code == 422
        assert [e["code"] for e in answer.json()["errors"]] == ["review.comment_required"]
        assert answer.json()["errors"][0]["field"] == "comment"
    work.refresh_from_db()
    assert work.status == "submitted"
    answer = api.post(f"/works/{work.pk}/return", {"comment": "第3张照片模糊，请更换。"}, user=users["unit_admin_a"])
    assert answer.status_code == 200 and answer.json()["status"] == "returned"
    work.refresh_from_db()
    assert work.return_comment == "第3张照片模糊，请更换。"
    assert Notification.objects.filter(recipient=users["leader_a"], message__contains="第3张照片模糊").exists()


def test_wrong_state_is_422_with_the_reason(api, tree, users, campaign):
    work = work_of(campaign, tree, users, status="draft", title="还在写的作品")
    answer = api.post(f"/works/{work.pk}/recommend", user=users["unit_admin_a"])
    assert answer.status_code == 422
    error = answer.json()["errors"][0]
    assert error["code"] == "work.state"
    assert "还在写的作品" in error["message"] and "草稿" in error["message"]


@pytest.mark.parametrize(("who", "status"), [
    (None, 401), ("unit_admin_b", 404), ("leader_b", 404), ("judge", 404), ("leader_a", 403), ("delegate", 403),
])
def test_who_may_not_decide(api, tree, users, campaign, who, status):
    work = work_of(campaign, tree, users)
    if who == "delegate":
        user = factories.account(username="delegate_a", role="collective", collective=tree["collective_a"],
                                 is_delegate=True)
    else:
        user = users[who] if who else None
    for path, body in (("recommend", None), ("return", {"comment": "请修改"})):
        answer = api.post(f"/works/{work.pk}/{path}", body, user=user)
        assert answer.status_code == status
        assert answer.json()["errors"][0]["message"]
    work.refresh_from_db()
    assert work.status == "submitted" and not WorkDecision.objects.exists()


def test_a_recommended_work_is_the_citys_to_return(api, tree, users, campaign):
    work = work_of(campaign, tree, users, status="recommended")
    assert api.post(f"/works/{work.pk}/return", {"comment": "请修改"}, user=users["unit_admin_a"]).status_code == 403
    answer = api.post(f"/works/{work.pk}/return", {"comment": "请补充说明"}, user=users["city_admin"])
    assert answer.status_code == 200
    assert WorkDecision.objects.get(work=work).stage == "city"


def test_openapi_lists_both_operations(api):
    paths = api.get("/openapi.json").json()["paths"]
    assert {"200", "401", "403", "404", "422"} <= set(paths["/api/v1/works/{work_id}/recommend"]["post"]["responses"])
    body = paths["/api/v1/works/{work_id}/return"]["post"]["requestBody"]
    assert body["content"]["application/json"]
