"""One lifecycle for a work (works/transitions.py): its submission is a transition of the one table, with its entry
in the work's history, which the work's page shows first."""

import datetime
import importlib
import re

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.works.media_fixtures import add_pictures, make_work, media_storage  # noqa: F401 - media_storage: fixture
from wenminghao.core.errors import NotPermitted, RuleViolationError
from wenminghao.core.models import AuditEntry
from wenminghao.works.enums import WorkStage, WorkStatus
from wenminghao.works.models import Work, WorkDecision
from wenminghao.works.transitions import TRANSITIONS, change_work_status, submit_work

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(tree):
    return factories.campaign(office=tree["city"], name="2018年度威海市青年文明号创建")


@pytest.fixture
def photo_work(tree, users, campaign, media_storage):  # noqa: F811
    work = make_work(actor=users["leader_a"], collective=tree["collective_a"], campaign=campaign)
    add_pictures(work, users["leader_a"], 4)
    return work


def history_entries(page: str) -> list[str]:
    card = page[page.index('data-testid="review-history"'):]
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", item)).strip() for item in re.findall(r"<li[^>]*>(.*?)</li>",
                                                                                             card, flags=re.S)]


def test_submission_is_in_the_one_transition_table():
    for from_status in (WorkStatus.DRAFT, WorkStatus.RETURNED):
        rule = TRANSITIONS[(from_status, WorkStatus.SUBMITTED)]
        assert (rule.stage, rule.action) == (WorkStage.COLLECTIVE, "提交作品")


def test_the_work_page_shows_its_submission_as_the_first_entry_of_its_history(photo_work, users, signed_in):
    client = signed_in(users["leader_a"])
    assert client.post(reverse("works:submit", args=[photo_work.pk])).status_code == 302
    change_work_status(actor=users["unit_admin_a"], work=photo_work, to_status=WorkStatus.RETURNED,
                       comment="第2张照片请换一张更清晰的。")
    submit_work(actor=users["leader_a"], work=photo_work)
    entries = history_entries(client.get(reverse("works:detail", args=[photo_work.pk])).content.decode())
    assert len(entries) == 3
    assert entries[0].startswith("创作集体提交 · leader_a") and "草稿 → 已提交" in entries[0]
    assert entries[1].startswith("归口单位审核 · huancui") and "已提交 → 已退回" in entries[1]
    assert entries[2].startswith("创作集体提交 · leader_a") and "已退回 → 已提交" in entries[2]
    decisions = list(WorkDecision.objects.filter(work=photo_work).values_list("stage", "from_status", "to_status"))
    assert decisions == [("collective", "draft", "submitted"), ("unit", "submitted", "returned"),
                         ("collective", "returned", "submitted")]


def test_a_refused_submission_writes_no_history(tree, users, campaign, media_storage):  # noqa: F811
    work = make_work(actor=users["leader_a"], collective=tree["collective_a"], campaign=campaign)  # no pictures yet
    with pytest.raises(RuleViolationError):
        submit_work(actor=users["leader_a"], work=work)
    with pytest.raises(NotPermitted):
        submit_work(actor=users["leader_b"], work=work)
    assert not WorkDecision.objects.exists()
    assert Work.objects.get(pk=work.pk).status == WorkStatus.DRAFT


def test_a_submission_through_change_work_status_is_the_same_move(photo_work, users):
    change_work_status(actor=users["leader_a"], work=photo_work, to_status=WorkStatus.SUBMITTED)
    assert WorkDecision.objects.get().stage == WorkStage.COLLECTIVE
    assert AuditEntry.objects.filter(object_id=str(photo_work.pk), action="work.submit").count() == 1


def test_submissions_made_before_are_taken_from_the_audit_log(photo_work, users):
    """works.0004: a work submitted before works wrote decisions gets its submission from the audit entry."""
    Work.objects.filter(pk=photo_work.pk).update(status=WorkStatus.SUBMITTED)
    entry = AuditEntry.objects.create(actor=users["leader_a"], actor_name="leader_a", action="work.submit",
                                      object_type="works.work", object_id=str(photo_work.pk), object_repr="x",
                                      unit_path="/", before={"status": "draft"}, after={"status": "submitted"})
    moment = timezone.now() - datetime.timedelta(days=3)
    AuditEntry.objects.filter(pk=entry.pk).update(created_at=moment)
    migration = importlib.import_module("wenminghao.works.migrations.0004_backfill_submission_decisions")
    migration.backfill(apps, None)
    migration.backfill(apps, None)  # twice: nothing doubles
    decision = WorkDecision.objects.get()
    assert (decision.stage, decision.from_status, decision.to_status, decision.actor) == (
        "collective", "draft", "submitted", users["leader_a"])
    assert decision.created_at == moment


def test_the_review_panel_offers_no_submit_button_to_the_collective(photo_work, users, signed_in):
    """The collective submits with the checklist of the work's page; the review panel holds reviewers' decisions."""
    page = signed_in(users["leader_a"]).get(reverse("works:detail", args=[photo_work.pk])).content.decode()
    assert 'data-testid="decide-submitted"' not in page
