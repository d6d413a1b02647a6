"""Concurrency of works (issue 14): two people editing the same work lose no update (the work's ``version``, checked
under the row lock by ``works.services``; the edit form's hidden field, the API's If-Match); a double-clicked submit
or recommendation acts once (``works.transitions`` reads the status under the row lock); two task workers never make
the same previews or the same export twice (``works.tasks`` claims the file with one conditional UPDATE,
``core.exports`` takes a pending job under its row lock and a request under the account's).

The single-thread tests run on both databases; the ones with two real transactions at once need PostgreSQL."""

import datetime
import os

import pytest
from django.contrib.messages import get_messages
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.api.conftest import ApiClient
from tests.concurrency import at_once, hold_then_try, needs_postgresql
from tests.works.media_fixtures import add_pictures, jpeg, make_work, media_storage  # noqa: F401 - fixture
from tests.works.test_tasks import stored_file
from wenminghao.core.errors import RuleViolationError, StaleEditError
from wenminghao.core.exports import request_export, run_export
from wenminghao.core.models import AuditEntry, ExportJob, Notification
from wenminghao.core.versions import parse_if_match
from wenminghao.works import tasks
from wenminghao.works.enums import DerivativeState, WorkStatus
from wenminghao.works.models import Work, WorkDecision, WorkFile
from wenminghao.works.services import VERSIONED_ACTIONS, set_essay_text, update_work
from wenminghao.works.transitions import TRANSITIONS, change_work_status, submit_work

ESSAY = "窗口服务，贴心周到。我们把群众的小事当成自己的大事。"
STALE = "已被其他人修改"
NOT_SAVED = "请刷新后重新编辑；您的修改未保存。"


@pytest.fixture
def campaign(tree):
    return factories.campaign(office=tree["city"])


@pytest.fixture
def essay_work(tree, users, campaign):
    work = make_work(actor=users["leader_a"], collective=tree["collective_a"], campaign=campaign, category="essay")
    return set_essay_text(actor=users["leader_a"], work=work, text=ESSAY)


def fresh(work) -> Work:
    return Work.objects.get(pk=work.pk)


def audits(work, action: str) -> int:
    return AuditEntry.objects.filter(action=action, object_type="works.work", object_id=str(work.pk)).count()


def decisions(work, to_status: str) -> int:
    return WorkDecision.objects.filter(work_id=work.pk, to_status=to_status).count()


# --- editing: one thread, both databases -------------------------------------------------------------------------

@pytest.mark.django_db
def test_a_work_saved_on_an_older_version_is_refused_and_changes_nothing(essay_work, users):
    seen = essay_work.version
    update_work(actor=users["leader_a"], work=essay_work, fields={"title": "甲改的名称"}, expected_version=seen)
    with pytest.raises(StaleEditError) as refused:
        update_work(actor=users["unit_admin_a"], work=essay_work, fields={"title": "乙改的名称"}, expected_version=seen)
    [violation] = refused.value.violations
    assert violation.code == "work.stale"
    assert "作品“甲改的名称”已被其他人修改" in violation.message and violation.message.endswith(NOT_SAVED)
    assert "修改人：leader_a" in violation.message
    work = fresh(essay_work)
    assert (work.title, work.version) == ("甲改的名称", seen + 1)
    assert audits(work, "work.update") == 1


@pytest.mark.django_db
def test_the_essay_saved_on_an_older_version_is_refused(essay_work, users):
    seen = essay_work.version
    set_essay_text(actor=users["leader_a"], work=essay_work, text=ESSAY + "甲补充。", expected_version=seen)
    with pytest.raises(StaleEditError):
        set_essay_text(actor=users["unit_admin_a"], work=essay_work, text="乙的正文。", expected_version=seen)
    assert fresh(essay_work).essay_text == ESSAY + "甲补充。"


@pytest.mark.django_db
def test_the_version_counts_the_fields_essay_and_status_not_the_files(tree, users, campaign, media_storage):  # noqa: F811
    leader = users["leader_a"]
    work = make_work(actor=leader, collective=tree["collective_a"], campaign=campaign)
    assert work.version == 1
    add_pictures(work, leader, 4)
    assert fresh(work).version == 1  # uploading pictures meanwhile does not refuse an open edit of the title
    update_work(actor=leader, work=work, fields={"title": "新名称"}, expected_version=1)
    update_work(actor=leader, work=work, fields={"title": "新名称"}, expected_version=2)  # nothing changed
    assert fresh(work).version == 2
    submit_work(actor=leader, work=work)
    assert fresh(work).version == 3
    change_work_status(actor=users["unit_admin_a"], work=work, to_status=WorkStatus.RECOMMENDED)
    assert fresh(work).version == 4


def test_every_status_change_raises_the_version_and_names_its_audit_action():
    """The refusal says who changed the work last from the newest audit entry of VERSIONED_ACTIONS: every move of the
    one transition table is among them."""
    assert {rule.key for rule in TRANSITIONS.values()} <= set(VERSIONED_ACTIONS)


@pytest.mark.django_db
def test_two_edit_pages_open_at_once_the_second_save_is_refused_on_the_page(essay_work, users, client):
    url = reverse("works:edit", args=[essay_work.pk])
    client.force_login(users["leader_a"], backend="wenminghao.accounts.backends.UsernameOrMobileBackend")
    page = client.get(url).content.decode()
    assert f'name="version" value="{essay_work.version}"' in page
    data = {"title": essay_work.title, "display_form": "essay", "description": "", "contact_name": "王联系",
            "contact_phone": "13900000000", "essay_kind": "practice", "url": "", "version": str(essay_work.version)}

    assert client.post(url, {**data, "title": "甲改的名称"}).status_code == 302
    client.force_login(users["unit_admin_a"], backend="wenminghao.accounts.backends.UsernameOrMobileBackend")
    refused = client.post(url, {**data, "title": "乙改的名称"})

    assert refused.status_code in (200, 422)  # the form again, not a redirect to the saved object
    body = refused.content.decode()
    assert STALE in body and NOT_SAVED in body and 'data-testid="stale"' in body and f'href="{url}"' in body
    assert 'value="乙改的名称"' in body  # what the second editor typed is still there to copy
    assert fresh(essay_work).title == "甲改的名称"


@pytest.mark.django_db
def test_the_essay_form_carries_the_version_and_a_stale_one_saves_nothing(essay_work, users, client):
    client.force_login(users["leader_a"], backend="wenminghao.accounts.backends.UsernameOrMobileBackend")
    detail = client.get(reverse("works:detail", args=[essay_work.pk])).content.decode()
    assert f'name="version" value="{essay_work.version}"' in detail
    url = reverse("works:essay", args=[essay_work.pk])
    assert client.post(url, {"text": "甲的正文。", "version": str(essay_work.version)}).status_code == 302
    refused = client.post(url, {"text": "乙的正文。", "version": str(essay_work.version)})
    assert refused.status_code in (200, 422) and STALE in refused.content.decode()
    assert fresh(essay_work).essay_text == "甲的正文。"


# --- editing through the API: If-Match and ETag ------------------------------------------------------------------

def patch(api, work, body, user, **headers):
    return api.client.patch(f"/api/v1/works/{work.pk}", body, content_type="application/json",
                            headers={**api.headers(user), **headers})


@pytest.fixture
def api(client):
    return ApiClient(client)


@pytest.mark.django_db
def test_the_api_refuses_a_change_on_an_older_etag_with_412(api, essay_work, users):
    leader, admin = users["leader_a"], users["unit_admin_a"]
    read = api.get(f"/works/{essay_work.pk}", user=leader)
    tag = read["ETag"]
    assert tag == f'"{essay_work.version}"' and read.json()["version"] == essay_work.version

    first = patch(api, essay_work, {"title": "甲改的名称"}, leader, **{"If-Match": tag})
    assert first.status_code == 200 and first["ETag"] == f'"{essay_work.version + 1}"'
    stale = patch(api, essay_work, {"title": "乙改的名称"}, admin, **{"If-Match": tag})
    assert stale.status_code == 412
    [error] = stale.json()["errors"]
    assert error["code"] == "work.stale" and STALE in error["message"] and error["message"].endswith(NOT_SAVED)
    assert fresh(essay_work).title == "甲改的名称"

    assert patch(api, essay_work, {"title": "丙"}, admin, **{"If-Match": '"abc"'}).status_code == 412
    assert patch(api, essay_work, {"title": "丁"}, admin, **{"If-Match": "*"}).status_code == 200
    # without If-Match the last change wins (scripts that never read first)
    assert patch(api, essay_work, {"title": "戊"}, admin).status_code == 200
    assert fresh(essay_work).title == "戊"


@pytest.mark.parametrize(("header", "version"), [
    (None, None), ("", None), ("*", None), ('"3"', 3), ('W/"3"', 3), ("3", 3), ('"3", "4"', 3), ('"abc"', -1),
    ("²", -1), ('"99999999999"', -1),
])
def test_if_match_is_read_leniently_and_never_fails(header, version):
    """Whatever a client (or a fuzzer) sends: no check, a version, or -1 which matches none (412, never a 500)."""
    assert parse_if_match(header) == version


@pytest.mark.django_db
def test_the_api_essay_with_an_older_etag_is_refused(api, essay_work, users):
    leader = users["leader_a"]
    tag = api.get(f"/works/{essay_work.pk}", user=leader)["ETag"]
    url = f"/api/v1/works/{essay_work.pk}/essay"
    saved = api.client.put(url, {"text": "甲的正文。"}, content_type="application/json",
                           headers={**api.headers(leader), "If-Match": tag})
    assert saved.status_code == 200 and saved["ETag"] == f'"{essay_work.version + 1}"'
    stale = api.client.put(url, {"text": "乙的正文。"}, content_type="application/json",
                           headers={**api.headers(leader), "If-Match": tag})
    assert stale.status_code == 412 and stale.json()["errors"][0]["code"] == "work.stale"
    assert fresh(essay_work).essay_text == "甲的正文。"


# --- a second click: one thread, both databases ------------------------------------------------------------------

@pytest.mark.django_db
def test_a_second_submission_is_refused_and_writes_nothing(essay_work, users):
    submit_work(actor=users["leader_a"], work=essay_work)
    with pytest.raises(RuleViolationError) as refused:
        submit_work(actor=users["leader_a"], work=essay_work)
    [violation] = refused.value.violations
    assert violation.code == "work.state"
    assert "已于" in violation.message and "由leader_a操作" in violation.message and "无需重复提交" in violation.message
    assert decisions(essay_work, WorkStatus.SUBMITTED) == 1 and audits(essay_work, "work.submit") == 1


@pytest.mark.django_db
def test_a_double_clicked_submit_button_submits_once_and_says_so(essay_work, users, client):
    client.force_login(users["leader_a"], backend="wenminghao.accounts.backends.UsernameOrMobileBackend")
    url = reverse("works:submit", args=[essay_work.pk])
    assert client.post(url).status_code == 302
    second = client.post(url)
    assert second.status_code == 302 and second["Location"] == reverse("works:detail", args=[essay_work.pk])
    assert [str(message) for message in get_messages(second.wsgi_request)][-1] == \
        f"作品“{essay_work.title}”已提交，无需重复提交。"
    assert decisions(essay_work, WorkStatus.SUBMITTED) == 1


@pytest.mark.django_db
def test_a_second_recommendation_is_refused_and_notifies_nobody(essay_work, users):
    submit_work(actor=users["leader_a"], work=essay_work)
    admin = users["unit_admin_a"]
    change_work_status(actor=admin, work=essay_work, to_status=WorkStatus.RECOMMENDED)
    notified = Notification.objects.count()
    with pytest.raises(RuleViolationError) as refused:
        change_work_status(actor=admin, work=essay_work, to_status=WorkStatus.RECOMMENDED)
    [violation] = refused.value.violations
    assert violation.code == "work.state" and "当前状态已是“已推荐”，无需重复操作" in violation.message
    assert "由huancui操作" in violation.message
    assert decisions(essay_work, WorkStatus.RECOMMENDED) == 1 and audits(essay_work, "work.recommend") == 1
    assert Notification.objects.count() == notified
    assert fresh(essay_work).unit_rank == 1


@pytest.mark.django_db
def test_a_second_recommendation_through_the_api_answers_422(api, essay_work, users):
    submit_work(actor=users["leader_a"], work=essay_work)
    assert api.post(f"/works/{essay_work.pk}/recommend", user=users["unit_admin_a"]).status_code == 200
    again = api.post(f"/works/{essay_work.pk}/recommend", user=users["city_admin"])
    assert again.status_code == 422 and again.json()["errors"][0]["code"] == "work.state"
    assert decisions(essay_work, WorkStatus.RECOMMENDED) == 1


# --- two transactions at once: PostgreSQL ------------------------------------------------------------------------

@pytest.mark.django_db(transaction=True)
def test_two_people_saving_a_work_at_once_the_second_waits_and_is_refused(essay_work, users):
    needs_postgresql()
    seen = essay_work.version

    def save(actor, title):
        return lambda: update_work(actor=actor, work=essay_work, fields={"title": title}, expected_version=seen)

    first, second, committing = hold_then_try(save(users["leader_a"], "甲"), save(users["unit_admin_a"], "乙"))
    assert first.error is None
    assert isinstance(second.error, StaleEditError), second.error
    assert second.finished >= committing  # it waited for the row lock, then compared
    assert (fresh(essay_work).title, fresh(essay_work).version) == ("甲", seen + 1)
    assert audits(essay_work, "work.update") == 1


@pytest.mark.django_db(transaction=True)
def test_two_submissions_at_once_make_one_decision(essay_work, users, tree, campaign):
    needs_postgresql()
    leader = users["leader_a"]
    # the second click arrives while the first holds the row: it waits, then finds the work submitted
    first, second, committing = hold_then_try(lambda: submit_work(actor=leader, work=essay_work),
                                              lambda: submit_work(actor=leader, work=essay_work))
    assert first.error is None
    assert isinstance(second.error, RuleViolationError) and second.finished >= committing
    assert "无需重复提交" in second.error.violations[0].message
    assert decisions(essay_work, WorkStatus.SUBMITTED) == 1 and audits(essay_work, "work.submit") == 1
    # three clicks released together: one goes through
    other = make_work(actor=leader, collective=tree["collective_a"], campaign=campaign, category="essay")
    set_essay_text(actor=leader, work=other, text=ESSAY)
    outcomes = at_once(*[lambda: submit_work(actor=leader, work=other)] * 3)
    assert sorted(outcome.error is None for outcome in outcomes) == [False, False, True]
    assert all(isinstance(outcome.error, RuleViolationError) for outcome in outcomes if outcome.error)
    assert decisions(other, WorkStatus.SUBMITTED) == 1 and audits(other, "work.submit") == 1


@pytest.mark.django_db(transaction=True)
def test_two_reviewers_recommending_at_once_make_one_decision_and_one_set_of_notifications(essay_work, users):
    needs_postgresql()
    submit_work(actor=users["leader_a"], work=essay_work)
    before = Notification.objects.count()

    def recommend(actor):
        return lambda: change_work_status(actor=actor, work=essay_work, to_status=WorkStatus.RECOMMENDED)

    first, second, committing = hold_then_try(recommend(users["unit_admin_a"]), recommend(users["city_admin"]))
    assert first.error is None
    assert isinstance(second.error, RuleViolationError) and second.finished >= committing
    assert "无需重复操作" in second.error.violations[0].message
    assert decisions(essay_work, WorkStatus.RECOMMENDED) == 1 and audits(essay_work, "work.recommend") == 1
    once = Notification.objects.count() - before
    assert once >= 1 and Notification.objects.filter(message__contains="huancui").count() == once
    assert fresh(essay_work).unit_rank == 1


# --- previews: each file is made once --------------------------------------------------------------------------

@pytest.fixture
def picture_file(tree, users, campaign, media_storage):  # noqa: F811
    work = Work.objects.create(campaign=campaign, collective=tree["collective_a"], category="photo",
                               display_form="picture", title="四十年", contact_name="张", contact_phone="13800000000",
                               created_by=users["leader_a"])
    return stored_file(work, jpeg(2000, 1500, seed=3), "a.jpg")


def derived(work_file) -> list[str]:
    folder = os.path.join("works", str(work_file.work_id), "derived")
    return sorted(default_storage.listdir(folder)[1]) if default_storage.exists(folder) else []


@pytest.mark.django_db
def test_a_file_another_worker_is_making_is_skipped_until_its_claim_expires(picture_file):
    assert tasks._claim(picture_file.pk, redo=False) is not None  # a first worker took it and is still at it
    assert tasks.make_derivatives.call(picture_file.pk) == "skipped"
    assert derived(picture_file) == []
    # that worker was killed in the middle: once its claim is older than the lease, a retry takes the file over
    WorkFile.objects.filter(pk=picture_file.pk).update(
        derivatives_claimed_at=timezone.now() - tasks.claim_lease() - datetime.timedelta(seconds=1))
    assert tasks.make_derivatives.call(picture_file.pk) == DerivativeState.READY
    picture_file.refresh_from_db()
    assert picture_file.derivatives_claimed_at is None and len(derived(picture_file)) == 2


@pytest.mark.django_db
def test_a_ready_file_is_made_again_only_when_asked(picture_file):
    assert tasks.make_derivatives.call(picture_file.pk) == DerivativeState.READY
    made = derived(picture_file)
    assert tasks.make_derivatives.call(picture_file.pk) == "skipped"
    assert derived(picture_file) == made
    assert tasks.make_derivatives.call(picture_file.pk, redo=True) == DerivativeState.READY
    again = derived(picture_file)
    assert len(again) == 2 and again != made  # replaced, the earlier ones deleted


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_make_the_previews_of_a_file_once(picture_file):
    needs_postgresql()
    # the claim itself, released together from three connections, ten times: exactly one wins each time
    for _ in range(10):
        WorkFile.objects.filter(pk=picture_file.pk).update(derivatives_claimed_at=None)
        outcomes = at_once(*[lambda: tasks._claim(picture_file.pk, redo=False)] * 3, atomic=False)
        assert sum(outcome.value is not None for outcome in outcomes) == 1, outcomes
    WorkFile.objects.filter(pk=picture_file.pk).update(derivatives_claimed_at=None)
    # two whole runs at once
    outcomes = at_once(lambda: tasks.make_derivatives.call(picture_file.pk),
                       lambda: tasks.make_derivatives.call(picture_file.pk), atomic=False)
    assert [outcome.error for outcome in outcomes] == [None, None]
    assert sorted(outcome.value for outcome in outcomes) == [DerivativeState.READY, "skipped"]
    picture_file.refresh_from_db()
    assert derived(picture_file) == sorted(os.path.basename(name) for name in
                                           (picture_file.thumbnail.name, picture_file.web_copy.name))


# --- exports: each job is made once, a double click asks once --------------------------------------------------

@pytest.mark.django_db(transaction=True)
def test_an_export_is_asked_once_and_built_once_whatever_the_clicks_and_workers(campaign, users, media_storage,  # noqa: F811
                                                                                 settings):
    needs_postgresql()
    admin = users["city_admin"]
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}  # the job stays pending

    def ask():
        return request_export(actor=admin, kind="campaign_works", params={"campaign": campaign.pk},
                              title="作品与评分", unit_path=admin.unit.path).pk

    # two clicks at once: the second waits for the first's lock on the account, then finds its job
    first, second, committing = hold_then_try(ask, ask)
    assert first.error is None and second.error is None
    assert second.value == first.value and second.finished >= committing
    assert ExportJob.objects.count() == 1 and AuditEntry.objects.filter(action="export.request").count() == 1

    # two workers take the job at once: one builds it, the other leaves it alone
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

    def work():  # one worker's first attempt at the job (the immediate backend runs it in this thread)
        return run_export.enqueue(first.value).return_value

    outcomes = at_once(work, work, atomic=False)
    assert [outcome.error for outcome in outcomes] == [None, None]
    assert sorted(outcome.value for outcome in outcomes) == [ExportJob.Status.DONE, "skipped"]
    assert len(default_storage.listdir(f"exports/{first.value}")[1]) == 1
    assert Notification.objects.filter(recipient=admin).count() == 1
