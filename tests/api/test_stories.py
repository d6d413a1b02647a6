"""The stories endpoints of API.md ("Notices, stories and joint projects"): GET/POST /stories. Writing one up as a
collective (its collective's draft) or a unit (its own), ``submit`` at once, every rule's 422 at once (nothing
written), judges 403, who sees which in the list (filters, search), and a list whose query count does not grow."""

import pytest

from tests import factories
from tests.ledger.conftest import entry_data
from wenminghao.core.models import AuditEntry
from wenminghao.core.roles import Role
from wenminghao.ledger.services import create_entry
from wenminghao.stories import services
from wenminghao.stories.models import Story

from .conftest import error_codes

STORY = {"title": "政务窗口“开放周”", "text": "每月第一个周五邀请群众走进后台。", "activity": "open_week"}


@pytest.fixture
def delegate(tree):
    return factories.account(username="delegate_a", role=Role.COLLECTIVE, collective=tree["collective_a"],
                             is_delegate=True)


def ids(response) -> list[int]:
    return [item["id"] for item in response.json()["items"]]


def test_a_collective_writes_a_draft_of_its_collective(api, users, tree):
    response = api.post("/stories", STORY, user=users["leader_a"])
    assert response.status_code == 201, response.content
    story = Story.objects.get()
    assert response.json() == {"id": story.pk, "status": "draft"}
    assert story.collective == tree["collective_a"] and story.activity == "open_week" and story.kind == "practice"
    assert AuditEntry.objects.filter(action="story.create").count() == 1


def test_submit_reports_it_at_once(api, users, tree):
    response = api.post("/stories", {**STORY, "submit": True, "kind": "story"}, user=users["leader_a"])
    assert response.json()["status"] == "submitted"
    unit = api.post("/stories", {**STORY, "submit": True}, user=users["unit_admin_a"])
    assert unit.json()["status"] == "forwarded"  # a district's own story goes straight to the city
    assert Story.objects.get(pk=unit.json()["id"]).collective is None


def test_linked_ledger_entries_must_be_the_collectives_own(api, users, tree):
    campaign = factories.campaign(office=tree["city"])
    own = create_entry(actor=users["leader_a"], collective=tree["collective_a"], campaign=campaign,
                       data=entry_data("open_week", tree["collective_a"]))
    other = create_entry(actor=users["leader_b"], collective=tree["collective_b"], campaign=campaign,
                         data=entry_data("open_week", tree["collective_b"]))
    response = api.post("/stories", {**STORY, "entries": [own.pk, other.pk]}, user=users["leader_a"])
    assert response.status_code == 422 and error_codes(response) == ["story.entry_outside"]
    assert str(other.pk) in response.json()["errors"][0]["message"]
    assert api.post("/stories", {**STORY, "entries": [own.pk]}, user=users["leader_a"]).status_code == 201


def test_every_rule_is_named_at_once_and_nothing_is_written(api, users):
    response = api.post("/stories", {"title": "题" * 101, "text": "字" * 3001, "activity": "sports", "kind": "x"},
                        user=users["leader_a"])
    assert response.status_code == 422
    assert error_codes(response) == ["story.kind", "story.title_too_long", "story.text_too_long", "story.activity"]
    messages = {error["field"]: error["message"] for error in response.json()["errors"]}
    assert messages["text"] == "正文为3,001字，最多3,000字，请删减1字"
    assert Story.objects.count() == 0


def test_judges_and_the_signed_out_write_none(api, users):
    judge = api.post("/stories", STORY, user=users["judge"])
    assert judge.status_code == 403 and error_codes(judge) == ["forbidden"]
    assert api.post("/stories", STORY).status_code == 401
    assert Story.objects.count() == 0


def test_the_list_is_what_the_caller_sees(api, users, tree, delegate):
    draft = services.create_story(actor=users["leader_a"], title="A的草稿", text="正文")
    submitted = services.submit_story(actor=users["leader_a"], story=services.create_story(
        actor=users["leader_a"], title="A已报送", text="正文", kind="story"))
    b_draft = services.create_story(actor=users["leader_b"], title="B的草稿", text="正文")
    assert sorted(ids(api.get("/stories", user=delegate))) == sorted([draft.pk, submitted.pk])
    assert ids(api.get("/stories", user=users["unit_admin_a"])) == [submitted.pk]
    assert ids(api.get("/stories", user=users["unit_admin_b"])) == []
    assert ids(api.get("/stories", user=users["city_admin"])) == []
    assert ids(api.get("/stories", user=users["leader_b"])) == [b_draft.pk]
    assert api.get("/stories", user=users["judge"]).json() == {"items": [], "count": 0}
    item = api.get("/stories", user=users["unit_admin_a"]).json()["items"][0]
    assert item["status"] == "submitted" and item["kind"] == "story" and item["activity"] is None
    assert item["collective"] == {"id": tree["collective_a"].pk, "name": tree["collective_a"].name}
    assert item["unit"] == {"id": tree["area_a"].pk, "name": tree["area_a"].name} and item["photos"] == 0


def test_filters_and_search(api, users):
    services.create_story(actor=users["leader_a"], title="开放周的做法", text="正文", activity="open_week")
    services.create_story(actor=users["leader_a"], title="助千家的事迹", text="正文", kind="story",
                          activity="families")
    leader = users["leader_a"]
    assert api.get("/stories", user=leader, kind="story").json()["count"] == 1
    assert api.get("/stories", user=leader, activity="open_week").json()["count"] == 1
    assert api.get("/stories", user=leader, search="助千家").json()["count"] == 1
    assert api.get("/stories", user=leader, status="draft").json()["count"] == 2
    wrong = api.get("/stories", user=leader, status="published", kind="poem")
    assert wrong.status_code == 422 and error_codes(wrong) == ["story.filter_status", "story.filter_kind"]


@pytest.mark.parametrize("role", ["leader_a", "unit_admin_a", "city_admin"])
def test_the_list_makes_the_same_queries_whatever_its_length(api, users, role, django_assert_num_queries):
    user = users[role]

    def grow(upto):
        for index in range(Story.objects.count(), upto):
            story = services.create_story(actor=users["leader_a"], title=f"第{index}篇", text="正文")
            story = services.submit_story(actor=users["leader_a"], story=story)
            if index % 2:
                services.forward_story(actor=users["unit_admin_a"], story=story)

    grow(3)
    api.get("/stories", user=user)  # issues the token
    with django_assert_num_queries(3):  # token, count, page (photos counted in the page's query)
        api.get("/stories", user=user)
    grow(30)
    with django_assert_num_queries(3):
        body = api.get("/stories", user=user).json()
    assert body["count"] == {"leader_a": 30, "unit_admin_a": 30, "city_admin": 15}[role]
