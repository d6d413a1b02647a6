"""The joint projects' pages: who sees which project (404 for the rest, judges see no page), creating one through
the form (422 on bad input and nothing written), adding and removing partners, a progress entry with a photo served
through the permission-checking view, a visit, finishing; and the list, project and ledger pages in a fixed number of
queries at two sizes (the ledger's "联创项目" card: tests/ledger/test_projects_card.py)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.pages import BACKEND, page, text_of
from tests.works.media_fixtures import jpeg, upload
from wenminghao.core.models import AuditEntry
from wenminghao.projects import services
from wenminghao.projects.models import ProgressPhoto, Project

pytestmark = pytest.mark.django_db


def detail(project) -> str:
    return reverse("projects:detail", args=[project.pk])


def test_the_project_page_is_seen_by_the_partners_and_their_units_only(as_, make_project):
    project = make_project()
    for role in ("city_admin", "unit_admin_a", "unit_admin_b", "leader_a", "delegate_a", "leader_b"):
        response = as_(role).get(detail(project))
        assert response.status_code == 200, role
        assert "两区政务服务窗口区域联创" in page(response)
    for role in ("unit_admin_c", "leader_c", "unit_admin_sub", "yantai", "judge"):
        assert as_(role).get(detail(project)).status_code == 404, role
    assert as_("judge").get(reverse("projects:list")).status_code == 404


def test_the_list_shows_the_visible_projects_with_filters(as_, world, make_project):
    make_project()
    html = text_of(page(as_("unit_admin_b").get(reverse("projects:list"))))
    assert "两区政务服务窗口区域联创" in html and "2个集体参与" in html
    html = text_of(page(as_("unit_admin_c").get(reverse("projects:list"))))
    assert "两区政务服务窗口区域联创" not in html and "暂无联创项目" in html
    html = text_of(page(as_("unit_admin_b").get(reverse("projects:list"), {"scope": "mine"})))
    assert "没有符合筛选条件的联创项目" in html


def test_a_leader_creates_a_project_through_the_form(as_, world):
    client = as_("leader_a")
    assert 'data-testid="picker-partners"' in page(client.get(reverse("projects:create")))
    offered = client.get(reverse("projects:collective_options"), {"field": "partners"}).content.decode()
    assert "荣成市政务服务中心窗口" in offered and "烟台市民服务中心窗口" not in offered  # partners under the same city
    response = client.post(reverse("projects:create"), {
        "title": "两区窗口区域联创", "kind": "regional", "partners": [world["collective_b"].pk],
        "goals": "统一服务标准。", "started": timezone.localdate().isoformat()})
    project = Project.objects.get()
    assert response.status_code == 302 and response["Location"] == detail(project)
    assert project.lead == world["collective_a"] and project.partners.count() == 2


def test_a_refused_form_answers_422_with_every_reason_and_writes_nothing(as_, world):
    response = as_("unit_admin_a").post(reverse("projects:create"), {
        "title": "", "lead": world["collective_a"].pk, "partners": [], "goals": "",
        "started": "2026-05-01", "ended": "2026-04-01"})
    assert response.status_code == 422
    html = text_of(page(response))
    for message in ("请填写项目名称", "请填写项目目标", "至少", "早于开始日期"):
        assert message in html, message
    assert not Project.objects.exists()


def test_partners_are_added_and_removed_on_the_project_page(as_, world, make_project):
    project = make_project()
    client = as_("unit_admin_a")
    assert client.post(reverse("projects:partner_add", args=[project.pk]),
                       {"collective": world["collective_c"].pk}).status_code == 302
    assert project.partners.filter(collective=world["collective_c"]).exists()
    response = client.post(reverse("projects:partner_remove", args=[project.pk, world["collective_a"].pk]))
    assert response.status_code == 422 and "牵头集体，不能移除" in text_of(page(response))
    assert client.post(reverse("projects:partner_remove",
                               args=[project.pk, world["collective_c"].pk])).status_code == 302
    assert as_("leader_b").post(reverse("projects:partner_add", args=[project.pk]),
                                {"collective": world["collective_c"].pk}).status_code == 403


def test_a_partner_adds_progress_with_a_photo_that_only_viewers_open(as_, world, make_project, media_storage):
    project = make_project()
    client = as_("leader_b")
    response = client.post(reverse("projects:progress", args=[project.pk]), {
        "date": timezone.localdate().isoformat(), "text": "文登区窗口骨干到环翠区跟岗学习。",
        "photos": [upload("跟岗.jpg", jpeg(640, 480))]})
    assert response.status_code == 302
    photo = ProgressPhoto.objects.get()
    html = text_of(page(client.get(detail(project))))
    assert "文登区窗口骨干到环翠区跟岗学习" in html
    address = reverse("projects:photo", args=[project.pk, photo.pk])
    opened = as_("unit_admin_a").get(address)
    assert opened.status_code == 200 and opened["Content-Type"] == "image/jpeg"
    b"".join(opened.streaming_content)
    assert as_("unit_admin_c").get(address).status_code == 404
    refused = as_("leader_a").post(reverse("projects:progress", args=[project.pk]), {"text": ""})
    assert refused.status_code == 422 and "请填写进展情况" in text_of(page(refused))


def test_a_visit_and_the_results_are_recorded(as_, world, make_project):
    project = make_project()
    client = as_("leader_a")
    response = client.post(reverse("projects:visit", args=[project.pk]), {
        "date": timezone.localdate().isoformat(), "host": world["collective_b"].pk,
        "visitors": [world["collective_a"].pk], "topic": "“一窗受理”经验交流"})
    assert response.status_code == 302 and project.visits.count() == 1
    response = client.post(reverse("projects:finish", args=[project.pk]),
                           {"results": "形成两区通用服务规范。", "ended": timezone.localdate().isoformat()})
    assert response.status_code == 302
    html = text_of(page(client.get(detail(project))))
    assert "已结项" in html and "形成两区通用服务规范" in html and "“一窗受理”经验交流" in html


def test_the_edit_page_changes_the_project(as_, world, make_project):
    project = make_project()
    client = as_("leader_a")
    assert client.get(reverse("projects:edit", args=[project.pk])).status_code == 200
    response = client.post(reverse("projects:edit", args=[project.pk]), {
        "title": "两区窗口联创（二期）", "kind": "project", "goals": "新的目标",
        "started": project.started.isoformat()})
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.title == "两区窗口联创（二期）"
    assert AuditEntry.objects.filter(action="project.update").count() == 1
    assert as_("leader_b").get(reverse("projects:edit", args=[project.pk])).status_code == 403


def _grow(world, make_project, count: int) -> None:
    for index in range(count):
        project = make_project(title=f"联创项目{index}", partners=[world["collective_b"], world["collective_c"]])
        for day in range(2):
            services.add_progress(actor=world["accounts"]["leader_b"], project=project, text=f"进展{day}",
                                  date=timezone.localdate() - datetime.timedelta(days=day))


def _counts(client, world, project) -> dict[str, int]:
    found = {}
    ledger = reverse("ledger:collective", args=[world["collective_b"].pk])
    for role in ("city_admin", "leader_b"):
        client.force_login(world["accounts"][role], backend=BACKEND)
        for url in (reverse("projects:list"), detail(project), ledger):
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url)
            assert response.status_code == 200, url
            found[f"{role} {url}"] = len(captured.captured_queries)
    return found


def test_the_list_project_and_ledger_pages_make_the_same_queries_at_two_sizes(client, world, make_project):
    project = make_project()
    services.add_progress(actor=world["accounts"]["leader_b"], project=project, text="第一条进展")
    few = _counts(client, world, project)
    _grow(world, make_project, 25)
    for day in range(15):
        services.add_progress(actor=world["accounts"]["leader_a"], project=project, text=f"进展{day}",
                              date=timezone.localdate() - datetime.timedelta(days=day))
    assert Project.objects.count() == 26 and project.progress.count() == 16
    many = _counts(client, world, project)
    assert many == few
    # measured (SQLite): the list 6, the project's page 10 for an admin (11 for a collective), the ledger page 13
    # (12) with its "联创项目" card's two (count, newest five); the partner form's picker asks nothing until searched
    assert list(many.values()) == [6, 10, 13, 6, 11, 12], many



def test_the_scope_filter_says_what_mine_means_for_each_account(client, users):
    # "mine" is the collective's own projects for its accounts, the projects its unit manages for an admin
    client.force_login(users["leader_a"])
    leader = client.get(reverse("projects:list")).content.decode()
    client.force_login(users["unit_admin_a"])
    admin = client.get(reverse("projects:list")).content.decode()
    assert '<option value="mine">本集体参与的</option>' in leader and "本单位管理的" not in leader
    assert '<option value="mine">本单位管理的</option>' in admin and "本集体参与的" not in admin
