"""The joint projects endpoints of API.md ("Notices, stories and joint projects"): ``POST /projects`` `{title, lead,
partners, goals, started}` → 201 `{id}` (the lead among the partners or not), every rule's 422 at once with nothing
written, 403 for delegates and judges; ``GET /projects`` lists what the caller sees (each partner's unit and no
other), paginated `{items, count}`, filtered, in a constant number of queries."""

import datetime

import pytest
from django.utils import timezone

from tests import factories
from wenminghao.core.models import AuditEntry
from wenminghao.core.roles import Role
from wenminghao.orgs.enums import UnitKind
from wenminghao.projects.models import Project
from wenminghao.projects.services import create_project

from .conftest import error_codes


@pytest.fixture
def people(users, tree):
    rongcheng = factories.unit(parent=tree["city"], name="荣成市团委", kind=UnitKind.AREA)
    collective_c = factories.collective(unit=rongcheng, name="荣成市政务服务中心窗口", honours=[("district", 2016)])
    return {**users, "anonymous": None, "collective_c": collective_c,
            "delegate_a": factories.account(username="delegate_a", role=Role.COLLECTIVE,
                                            collective=tree["collective_a"], is_delegate=True),
            "unit_admin_c": factories.account(username="rongcheng", role=Role.UNIT_ADMIN, unit=rongcheng)}


def body(tree, **fields):
    return {"title": "两区政务服务窗口区域联创", "lead": tree["collective_a"].pk, "partners": [tree["collective_b"].pk],
            "goals": "统一两区窗口服务标准。", "started": "2026-03-01", **fields}


def ids(response) -> list[int]:
    return [item["id"] for item in response.json()["items"]]


def test_a_leader_creates_a_project_across_units(api, users, tree):
    response = api.post("/projects", body(tree), user=users["leader_a"])
    assert response.status_code == 201, response.content
    project = Project.objects.get()
    assert response.json() == {"id": project.pk}
    assert set(project.partners.values_list("collective_id", flat=True)) == {tree["collective_a"].pk,
                                                                              tree["collective_b"].pk}
    assert AuditEntry.objects.filter(action="project.create").count() == 1


def test_the_partners_may_include_the_lead_and_the_lead_of_a_leader_defaults_to_its_collective(api, users, tree):
    fields = body(tree, partners=[tree["collective_a"].pk, tree["collective_b"].pk])
    del fields["lead"]
    response = api.post("/projects", fields, user=users["leader_a"])
    assert response.status_code == 201, response.content
    assert Project.objects.get().lead == tree["collective_a"]


def test_an_admin_leads_from_its_subtree(api, users, tree):
    assert api.post("/projects", body(tree, lead=tree["collective_sub"].pk),
                    user=users["unit_admin_a"]).status_code == 201
    response = api.post("/projects", body(tree, lead=tree["collective_b"].pk, partners=[tree["collective_a"].pk]),
                        user=users["unit_admin_a"])
    assert response.status_code == 422 and error_codes(response) == ["project.lead_outside"]


def test_every_problem_in_one_422_and_nothing_written(api, users, tree):
    response = api.post("/projects", {"title": "", "lead": tree["collective_a"].pk, "partners": [],
                                      "goals": "", "started": "2026-04-01", "ended": "2026-03-01"},
                        user=users["leader_a"])
    assert response.status_code == 422
    assert set(error_codes(response)) == {"project.title_required", "project.goals_required",
                                          "project.too_few_collectives", "project.ended_before_started"}
    assert all(error["message"] for error in response.json()["errors"])
    assert not Project.objects.exists()


def test_a_partner_outside_the_city_is_refused(api, users, tree):
    yantai = factories.unit(name="烟台市团委", kind=UnitKind.CITY)
    elsewhere = factories.collective(unit=yantai, name="烟台市民服务中心窗口", honours=[("district", 2016)])
    response = api.post("/projects", body(tree, partners=[elsewhere.pk]), user=users["leader_a"])
    assert response.status_code == 422 and error_codes(response) == ["project.partner_outside"]
    assert f"编号为{elsewhere.pk}的集体" in response.json()["errors"][0]["message"]


@pytest.mark.parametrize(("role", "status"), [("delegate_a", 403), ("judge", 403), ("anonymous", 401)])
def test_who_may_not_create(api, people, tree, role, status):
    assert api.post("/projects", body(tree), user=people[role]).status_code == status
    assert not Project.objects.exists()


def test_an_unknown_campaign_is_404(api, users, tree):
    other = factories.campaign(office=factories.unit(name="烟台市团委", kind=UnitKind.CITY))
    assert api.post("/projects", body(tree, campaign=other.pk), user=users["leader_a"]).status_code == 404


@pytest.mark.parametrize(("role", "seen"), [
    ("city_admin", True), ("unit_admin_a", True), ("unit_admin_b", True), ("leader_a", True), ("delegate_a", True),
    ("leader_b", True), ("unit_admin_c", False), ("judge", False),
])
def test_the_list_shows_each_partners_unit_and_no_other(api, people, tree, role, seen):
    project = create_project(actor=people["leader_a"], title="两区联创", partners=[tree["collective_b"]], goals="目标",
                             started=timezone.localdate())
    response = api.get("/projects", user=people[role])
    assert response.status_code == 200
    assert ids(response) == ([project.pk] if seen else [])
    if seen:
        item = response.json()["items"][0]
        assert item["lead"] == {"id": tree["collective_a"].pk, "name": tree["collective_a"].name}
        assert sorted(item["partners"]) == sorted([tree["collective_a"].pk, tree["collective_b"].pk])
        assert item["kind"] == "project" and item["finished"] is False


def test_the_list_filters_and_pages(api, users, tree):
    for index in range(3):
        create_project(actor=users["unit_admin_b"], title=f"文登联创{index}", lead=tree["collective_b"],
                       partners=[tree["collective_a"]], goals="目标", kind="regional" if index else "project",
                       started=timezone.localdate() - datetime.timedelta(days=index))
    response = api.get("/projects", user=users["city_admin"], page_size=2)
    assert response.json()["count"] == 3 and len(response.json()["items"]) == 2
    assert api.get("/projects", user=users["city_admin"], kind="regional").json()["count"] == 2
    assert api.get("/projects", user=users["unit_admin_b"], mine="true").json()["count"] == 3
    assert api.get("/projects", user=users["unit_admin_a"], mine="true").json()["count"] == 0
    assert api.get("/projects", user=users["city_admin"], state="ended").json()["count"] == 0


def test_the_list_makes_the_same_queries_at_two_sizes(api, users, tree, django_assert_num_queries):
    def grow(upto):
        for index in range(Project.objects.count(), upto):
            create_project(actor=users["city_admin"], title=f"联创{index}", lead=tree["collective_a"],
                           partners=[tree["collective_b"], tree["collective_sub"]], goals="目标",
                           started=timezone.localdate())

    grow(2)
    api.get("/projects", user=users["leader_b"])  # issues the token
    queries = 4  # token, count, page (lead joined, counts as subqueries), the partners' prefetch
    with django_assert_num_queries(queries):
        assert api.get("/projects", user=users["leader_b"]).json()["count"] == 2
    grow(30)
    with django_assert_num_queries(queries):
        response = api.get("/projects", user=users["leader_b"]).json()
    assert response["count"] == 30 and all(len(item["partners"]) == 3 for item in response["items"])


def test_a_malformed_field_is_named_as_the_project_names_it(api, users, tree):
    # "title" is 名称 elsewhere (api/errors.py ROUTE_FIELD_LABELS): here it is the project's 项目名称
    response = api.post("/projects", body(tree, title=123, partners="甲"), user=users["leader_a"])
    assert response.status_code == 422
    messages = {error["field"]: error["message"] for error in response.json()["errors"]}
    assert messages["title"] == "项目名称（title）应为文本"
    assert messages["partners"].startswith("参与集体（partners）")
    assert Project.objects.count() == 0
