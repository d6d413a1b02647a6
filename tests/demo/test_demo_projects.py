"""The demo's joint project (issue 15): a 区域联创 of the 政务服务 windows of 环翠区 and 文登区 (hc_zwfw leading,
wd_sbdt its partner) with four progress entries (one with a photo) and one 互学互访 visit, all through the services
(partners are rows, every step audited); seen by 环翠区, 文登区 and the city and not by 荣成市; on both posts' ledger
cards and in the dashboard's 联创 figures. Loaded as tests/demo/test_demo_data.py loads it."""

from types import SimpleNamespace

import pytest
from django.utils import timezone

from tests.demo.test_demo_data import _demo_media, load, loaded  # noqa: F401 - fixtures
from tests.works.media_fixtures import media_storage  # noqa: F401 - a pytest fixture
from wenminghao.accounts.models import User
from wenminghao.campaigns.models import Campaign
from wenminghao.collectives.models import Collective
from wenminghao.core.models import AuditEntry
from wenminghao.demo import data as demo
from wenminghao.demo import projects as demo_projects
from wenminghao.evaluation.selectors.dashboard import dashboard
from wenminghao.orgs.models import Unit
from wenminghao.projects.models import ProgressPhoto, Project, ProjectPartner
from wenminghao.projects.selectors import collective_projects, projects_visible_to

pytestmark = pytest.mark.django_db


def the_project() -> Project:
    return Project.objects.get(title=demo_projects.TITLE)


@pytest.mark.usefixtures("loaded")
def test_the_project_joins_the_two_districts_windows_with_progress_and_a_visit():
    project = the_project()
    assert (project.lead.name, project.kind, project.owner_unit.name) == ("环翠区政务服务中心综合窗口", "regional",
                                                                         "环翠区团委")
    partners = set(ProjectPartner.objects.filter(project=project).values_list("collective__name", flat=True))
    assert partners == {"环翠区政务服务中心综合窗口", "社会保险服务大厅"}
    year = demo.current_campaign_year(timezone.localdate())
    assert project.campaign.name == f"{year}年度威海市青年文明号创建"
    entries = list(project.progress.order_by("-date", "-id"))
    assert len(entries) == 4 and entries[0].date > entries[-1].date >= project.started
    assert all(len(entry.text) > 40 for entry in entries)
    assert ProgressPhoto.objects.filter(entry__project=project).count() == 1
    visit = project.visits.get()
    assert visit.host.name == "环翠区政务服务中心综合窗口"
    assert [c.name for c in visit.visitors.all()] == ["社会保险服务大厅"]
    assert visit.date < timezone.localdate()
    assert AuditEntry.objects.filter(action__startswith="project.").count() == 6  # create, 4 progress, 1 visit


@pytest.mark.usefixtures("loaded")
def test_it_is_seen_by_both_districts_and_the_city_and_not_by_rongcheng():
    project = the_project()
    seers = {username for username in ("city", "huancui", "wendeng", "rongcheng", "hc_zwfw", "wd_sbdt", "rc_zwfw")
             if User.objects.filter(username=username).exists()
             and projects_visible_to(User.objects.get(username=username)).filter(pk=project.pk).exists()}
    assert seers == {"city", "huancui", "wendeng", "hc_zwfw", "wd_sbdt"}


@pytest.mark.usefixtures("loaded")
def test_it_counts_on_both_ledgers_and_in_the_dashboard():
    for username in ("hc_zwfw", "wd_sbdt"):
        leader = User.objects.get(username=username)
        assert collective_projects(leader, leader.collective)["count"] == 1
    project = the_project()
    board = dashboard(project.campaign, Unit.objects.get(name="威海市团委"), today=timezone.localdate())
    rows = {row.label: (row.figures.joint_collectives, row.figures.joint_projects) for row in board.rows}
    assert rows["环翠区"] == (1, 1) and rows["文登区"] == (1, 1)
    assert (board.figures.joint_collectives, board.figures.joint_projects) == (2, 1)


@pytest.mark.usefixtures("loaded")
def test_loading_the_projects_again_adds_nothing():
    loader = SimpleNamespace(
        today=timezone.localdate(),
        collectives={key: Collective.objects.get(name=name) for key, name in (
            (demo_projects.LEAD, "环翠区政务服务中心综合窗口"), (demo_projects.PARTNER, "社会保险服务大厅"))},
        campaigns={demo_projects.CAMPAIGN: Campaign.objects.get(
            name=f"{demo.current_campaign_year(timezone.localdate())}年度威海市青年文明号创建")})
    sizes = (Project.objects.count(), AuditEntry.objects.filter(action__startswith="project.").count())
    assert demo_projects.load(loader) == {"projects": 0, "project_progress": 0, "project_visits": 0}
    assert sizes == (Project.objects.count(), AuditEntry.objects.filter(action__startswith="project.").count())


def test_the_summary_names_what_was_made(db):
    summary = load()
    assert "联创项目1个" in summary and "项目进展4条" in summary and "互学互访1次" in summary



def test_the_dates_are_in_the_past_and_after_the_start():
    assert all(days > 0 for days, *_ in demo_projects.PROGRESS) and demo_projects.VISIT["days_ago"] > 0
    started = demo_projects.STARTED_DAYS_AGO
    assert max(days for days, *_ in demo_projects.PROGRESS) < started and demo_projects.VISIT["days_ago"] < started
