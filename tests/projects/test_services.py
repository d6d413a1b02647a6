"""The joint projects' services: who creates a project and with whom (two collectives at least, partners anywhere
under the same city office), dates, partners added and removed, progress with photos, 互学互访 visits, finishing; each
write audited, every refusal naming every problem at once and writing nothing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from tests.works.media_fixtures import jpeg, not_media, upload
from wenminghao.core.audit import AuditEntry
from wenminghao.core.errors import RuleViolationError
from wenminghao.projects import services
from wenminghao.projects.enums import ProjectKind
from wenminghao.projects.models import ProgressPhoto, Project

pytestmark = pytest.mark.django_db


def codes(error) -> set[str]:
    return {violation.code for violation in error.value.violations}


def partner_ids(project) -> set[int]:
    return set(project.partners.values_list("collective_id", flat=True))


def test_a_leader_creates_a_project_led_by_its_collective_with_a_partner_of_another_unit(world, make_project):
    project = make_project("leader_a", kind=ProjectKind.REGIONAL)
    assert project.lead == world["collective_a"]
    assert partner_ids(project) == {world["collective_a"].pk, world["collective_b"].pk}
    assert project.owner_unit == world["area_a"]  # the lead's unit manages it with the lead's leader
    assert project.kind == "regional"
    assert project.campaign == world["campaign"]  # the city's current campaign by default
    entry = AuditEntry.objects.get(action="project.create")
    assert entry.after["partners"] == [world["collective_a"].pk, world["collective_b"].pk]


def test_the_lead_may_be_among_the_partners_or_not(world, make_project):
    project = make_project(partners=[world["collective_a"].pk, world["collective_b"].pk])
    assert partner_ids(project) == {world["collective_a"].pk, world["collective_b"].pk}


def test_a_unit_admin_leads_from_its_subtree_with_partners_anywhere_under_the_city(world, make_project):
    project = make_project("unit_admin_a", lead=world["collective_sub"],
                           partners=[world["collective_b"], world["collective_c"]])
    assert project.owner_unit == world["area_a"]
    assert partner_ids(project) == {world["collective_sub"].pk, world["collective_b"].pk, world["collective_c"].pk}


def test_every_problem_is_named_at_once_and_nothing_is_written(world, make_project):
    with pytest.raises(RuleViolationError) as error:
        make_project("unit_admin_a", title="", goals="", lead=world["collective_b"], partners=[],
                     started="2018-13-01", kind="joint")
    assert codes(error) == {"project.title_required", "project.goals_required", "project.lead_outside",
                            "project.started", "project.kind", "project.too_few_collectives"}
    assert not Project.objects.exists() and not AuditEntry.objects.filter(action__startswith="project.").exists()


def test_two_collectives_at_least_the_lead_counted_once(world, make_project):
    with pytest.raises(RuleViolationError) as error:
        make_project(partners=[world["collective_a"]])
    assert codes(error) == {"project.too_few_collectives"}
    assert "目前1个" in error.value.violations[0].message


def test_partners_must_be_under_the_same_city_office(world, make_project):
    with pytest.raises(RuleViolationError) as error:
        make_project(partners=[world["collective_y"].pk, 999_999])
    assert codes(error) == {"project.partner_outside"}
    message = error.value.violations[0].message
    assert str(world["collective_y"].pk) in message and "999999" in message


def test_a_leader_leads_only_its_own_collective(world, make_project):
    with pytest.raises(RuleViolationError) as error:
        make_project("leader_a", lead=world["collective_b"], partners=[world["collective_c"]])
    assert codes(error) == {"project.lead_not_own"}


def test_an_admin_must_name_the_lead(world, make_project):
    with pytest.raises(RuleViolationError) as error:
        make_project("unit_admin_a")
    assert "project.lead_required" in codes(error)


def test_the_end_is_not_before_the_start(world, make_project):
    with pytest.raises(RuleViolationError) as error:
        make_project(started=datetime.date(2026, 5, 1), ended=datetime.date(2026, 4, 30))
    assert codes(error) == {"project.ended_before_started"}
    assert "2026-04-30" in error.value.violations[0].message


def test_delegates_and_judges_create_no_project(world, make_project):
    for role in ("delegate_a", "judge"):
        with pytest.raises(PermissionDenied):
            make_project(role)


def test_partners_are_added_and_removed_by_the_lead_or_the_managing_unit(world, make_project):
    project = make_project()
    services.add_partner(actor=world["accounts"]["unit_admin_a"], project=project, collective=world["collective_c"])
    assert world["collective_c"].pk in partner_ids(project)
    services.remove_partner(actor=world["accounts"]["leader_a"], project=project, collective=world["collective_c"])
    assert world["collective_c"].pk not in partner_ids(project)
    assert list(AuditEntry.objects.filter(action__startswith="project.partner").values_list("action", flat=True)
                .order_by("pk")) == ["project.partner_add", "project.partner_remove"]
    for role in ("leader_b", "unit_admin_b", "delegate_a"):  # a partner, its unit, a delegate: not managers
        with pytest.raises(PermissionDenied):
            services.add_partner(actor=world["accounts"][role], project=project, collective=world["collective_c"])


def test_two_remain_and_the_lead_stays(world, make_project):
    project = make_project()
    with pytest.raises(RuleViolationError) as error:
        services.remove_partner(actor=world["accounts"]["leader_a"], project=project, collective=world["collective_b"])
    assert codes(error) == {"project.too_few_collectives"}
    services.add_partner(actor=world["accounts"]["leader_a"], project=project, collective=world["collective_c"])
    with pytest.raises(RuleViolationError) as error:
        services.remove_partner(actor=world["accounts"]["leader_a"], project=project, collective=world["collective_a"])
    assert codes(error) == {"project.lead_stays"}
    with pytest.raises(RuleViolationError) as error:
        services.add_partner(actor=world["accounts"]["leader_a"], project=project, collective=world["collective_c"])
    assert codes(error) == {"project.partner_exists"}
    with pytest.raises(RuleViolationError) as error:
        services.add_partner(actor=world["accounts"]["leader_a"], project=project, collective=world["collective_y"])
    assert codes(error) == {"project.partner_outside"}


def test_any_partner_account_adds_progress_with_photos(world, make_project, media_storage):
    project = make_project()
    entry = services.add_progress(actor=world["accounts"]["leader_b"], project=project,
                                  date=timezone.localdate(), text="文登区窗口到环翠区跟岗学习。",
                                  photos=[upload("跟岗.jpg", jpeg(800, 600))])
    assert entry.collective == world["collective_b"]
    photo = ProgressPhoto.objects.get(entry=entry)
    assert (photo.content_type, photo.width, photo.height) == ("image/jpeg", 800, 600)
    assert AuditEntry.objects.filter(action="project.progress").count() == 1
    services.add_progress(actor=world["accounts"]["delegate_a"], project=project, text="环翠区窗口回访。")
    with pytest.raises(PermissionDenied):
        services.add_progress(actor=world["accounts"]["leader_c"], project=project, text="不是参与集体")


def test_progress_is_refused_for_a_future_date_and_a_file_that_is_no_picture(world, make_project, media_storage):
    project = make_project()
    with pytest.raises(RuleViolationError) as error:
        services.add_progress(actor=world["accounts"]["leader_a"], project=project, text="",
                              date=timezone.localdate() + datetime.timedelta(days=1))
    assert codes(error) == {"project.text_required", "project.date_future"}
    with pytest.raises(RuleViolationError) as error:
        services.add_progress(actor=world["accounts"]["leader_a"], project=project, text="进展",
                              photos=[upload("说明.jpg", not_media())])
    assert codes(error) == {"file.type"}
    assert "进展照片可上传JPEG或PNG图片" in error.value.violations[0].message
    assert not project.progress.exists() and not ProgressPhoto.objects.exists()


def test_a_visit_is_between_partners(world, make_project):
    project = make_project()
    services.add_partner(actor=world["accounts"]["leader_a"], project=project, collective=world["collective_c"])
    visit = services.record_visit(actor=world["accounts"]["leader_b"], project=project, date=timezone.localdate(),
                                  host=world["collective_a"].pk,
                                  visitors=[world["collective_b"].pk, world["collective_c"].pk],
                                  topic="“一窗受理”经验交流")
    assert set(visit.visitors.values_list("pk", flat=True)) == {world["collective_b"].pk, world["collective_c"].pk}
    assert AuditEntry.objects.filter(action="project.visit").count() == 1
    with pytest.raises(RuleViolationError) as error:
        services.record_visit(actor=world["accounts"]["leader_b"], project=project, date=None,
                              host=world["collective_y"].pk, visitors=[world["collective_sub"].pk], topic="")
    assert codes(error) == {"project.date_required", "project.host_not_partner", "project.visitor_not_partner",
                            "project.topic_required"}
    with pytest.raises(RuleViolationError) as error:
        services.record_visit(actor=world["accounts"]["leader_b"], project=project, date=timezone.localdate(),
                              host=world["collective_a"].pk, visitors=[world["collective_a"].pk], topic="互访")
    assert codes(error) == {"project.host_visits"}


def test_finishing_records_the_results_and_ends_the_changes_of_partners(world, make_project):
    project = make_project()
    with pytest.raises(RuleViolationError) as error:
        services.finish_project(actor=world["accounts"]["leader_a"], project=project, results="")
    assert codes(error) == {"project.results_required"}
    with pytest.raises(PermissionDenied):
        services.finish_project(actor=world["accounts"]["leader_b"], project=project, results="成果")
    services.finish_project(actor=world["accounts"]["unit_admin_a"], project=project,
                            results="形成两区通用服务规范1套。")
    project.refresh_from_db()
    assert project.finished_at is not None and project.ended == timezone.localdate()
    with pytest.raises(PermissionDenied):
        services.add_partner(actor=world["accounts"]["leader_a"], project=project, collective=world["collective_c"])


def test_an_update_changes_the_given_fields_and_keeps_the_dates_in_order(world, make_project):
    project = make_project()
    services.update_project(actor=world["accounts"]["leader_a"], project=project, title="两区窗口联创（二期）")
    project.refresh_from_db()
    assert project.title == "两区窗口联创（二期）"
    with pytest.raises(RuleViolationError) as error:
        services.update_project(actor=world["accounts"]["leader_a"], project=project,
                                ended=project.started - datetime.timedelta(days=1))
    assert codes(error) == {"project.ended_before_started"}
    with pytest.raises(PermissionDenied):
        services.update_project(actor=world["accounts"]["leader_b"], project=project, title="别人的项目")
