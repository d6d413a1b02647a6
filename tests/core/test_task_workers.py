"""A task worker killed in the middle of a task (SIGKILL): django-tasks-db leaves the task RUNNING for ever; core's
``manage.py db_worker`` (core/workers.py) runs it again once its worker's heartbeat is stale, and gives a task up
after WMH_TASK_MAX_ATTEMPTS dead workers. bench/crash_safety.py does the same with real processes and SIGKILL."""

import datetime
import signal

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from tests import factories
from tests.works.media_fixtures import jpeg, media_storage, upload  # noqa: F401 - a fixture
from wenminghao.core import workers
from wenminghao.core.exports import run_export
from wenminghao.core.models import ExportJob, WorkerHeartbeat
from wenminghao.works import tasks
from wenminghao.works.enums import DerivativeState, FileRole
from wenminghao.works.models import Work, WorkFile

pytestmark = pytest.mark.django_db(transaction=True)  # the worker commits and closes connections, as in production


@pytest.fixture
def queue(settings):
    """A django-tasks-db queue beside the immediate backend of the tests; no heartbeat thread (beats at start)."""
    settings.TASKS = {**settings.TASKS, "queue": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.WMH_WORKER_HEARTBEAT_SECONDS = 0
    settings.WMH_WORKER_STALE_SECONDS = 60
    settings.WMH_TASK_MAX_ATTEMPTS = 3
    saved = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    yield "queue"
    for number, handler in saved.items():  # the worker's command installs its own
        signal.signal(number, handler)


def killed_while_running(result, worker_id: str = "killed-worker", *, seconds_ago: int = 300) -> DBTaskResult:
    """What a worker killed with SIGKILL in the middle of the task leaves: the task RUNNING under its id, claimed
    ``seconds_ago``, and its last heartbeat from then."""
    row = DBTaskResult.objects.get(pk=result.id)
    row.claim(worker_id)
    then = timezone.now() - datetime.timedelta(seconds=seconds_ago)
    DBTaskResult.objects.filter(pk=row.pk).update(started_at=then)
    WorkerHeartbeat.objects.create(worker_id=worker_id, host="web-1", pid=4242, started_at=then, seen_at=then)
    return row


def run_worker(backend: str, worker_id: str = "next-worker") -> None:
    call_command("db_worker", "--batch", "--backend", backend, "--no-startup-delay", "--interval", "0",
                 "--worker-id", worker_id, verbosity=0)


def picture_file(tree, users) -> WorkFile:
    campaign = factories.campaign(office=tree["city"])
    work = Work.objects.create(campaign=campaign, collective=tree["collective_a"], category="photo",
                               display_form="picture", title="海岸线上的青春", contact_name="王伟",
                               contact_phone="13800000000", created_by=users["leader_a"])
    data = jpeg(seed=31)
    stored = default_storage.save(f"works/{work.pk}/a.jpg", upload("a.jpg", data))
    import hashlib

    return WorkFile.objects.create(work=work, role=FileRole.PICTURE, original=stored, original_name="a.jpg",
                                   size=len(data), sha256=hashlib.sha256(data).hexdigest(),
                                   content_type="image/jpeg", uploaded_by=users["leader_a"])


def test_a_thumbnail_task_left_running_by_a_killed_worker_is_made_by_the_next_worker(tree, users, queue,
                                                                                      media_storage):  # noqa: F811
    work_file = picture_file(tree, users)
    result = tasks.make_derivatives.using(backend=queue).enqueue(work_file.pk)
    killed_while_running(result)

    run_worker(queue)

    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == TaskResultStatus.SUCCESSFUL and row.return_value == "ready"
    assert row.worker_ids == ["killed-worker", "next-worker"]  # run again, by the worker that found it
    work_file.refresh_from_db()
    assert work_file.derivatives == DerivativeState.READY
    assert default_storage.exists(work_file.thumbnail.name) and default_storage.exists(work_file.web_copy.name)
    assert not WorkerHeartbeat.objects.filter(worker_id="next-worker").exists()  # it stopped and said so


def test_an_export_left_running_by_a_killed_worker_is_made_again_and_offered(tree, users, queue,
                                                                             media_storage):  # noqa: F811
    campaign = factories.campaign(office=tree["city"])
    job = ExportJob.objects.create(kind="campaign_works", params={"campaign": campaign.pk}, title="作品与评审情况",
                                   requested_by=users["city_admin"])
    result = run_export.using(backend=queue).enqueue(job.pk)
    killed_while_running(result)
    ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.RUNNING)  # the killed run had started it

    run_worker(queue)

    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE and job.file.name.startswith(f"exports/{job.pk}/")
    assert default_storage.exists(job.file.name) and job.size == default_storage.size(job.file.name)
    assert DBTaskResult.objects.get(pk=result.id).return_value == "done"
    assert default_storage.listdir(f"exports/{job.pk}")[1] == [job.file.name.rsplit("/", 1)[1]]  # one file


def test_an_export_being_made_by_another_worker_is_not_made_twice(users, media_storage):  # noqa: F811
    job = ExportJob.objects.create(kind="campaign_works", params={"campaign": 1}, title="导出",
                                   requested_by=users["city_admin"], status=ExportJob.Status.RUNNING)
    result = run_export.enqueue(job.pk)  # a first attempt (immediate backend): another worker has the job
    assert result.return_value == "skipped"
    job.refresh_from_db()
    assert job.status == ExportJob.Status.RUNNING and not job.file


def running(worker_ids: list[str], *, seconds_ago: int) -> DBTaskResult:
    return DBTaskResult.objects.create(
        status=TaskResultStatus.RUNNING, args_kwargs={"args": [1], "kwargs": {}}, backend_name="queue",
        task_path="wenminghao.works.tasks.make_derivatives", worker_ids=worker_ids, run_after=get_date_max(),
        started_at=timezone.now() - datetime.timedelta(seconds=seconds_ago))


def heartbeat(worker_id: str, *, seconds_ago: int) -> None:
    then = timezone.now() - datetime.timedelta(seconds=seconds_ago)
    WorkerHeartbeat.objects.create(worker_id=worker_id, host="web-1", pid=7, started_at=then, seen_at=then)


def test_reclaim_takes_back_only_the_tasks_of_dead_workers(queue):
    heartbeat("alive", seconds_ago=5)
    heartbeat("dead", seconds_ago=120)
    long_export = running(["alive"], seconds_ago=3600)  # a long task of a live worker
    orphaned = running(["dead"], seconds_ago=130)
    unknown_old = running(["never-beat"], seconds_ago=600)  # a worker without a heartbeat (an older version)
    just_claimed = running(["starting"], seconds_ago=2)  # claimed a moment ago: its worker may not have beaten yet
    deadly = running(["dead-1", "dead-2", "dead"], seconds_ago=130)  # killed its worker three times

    assert workers.reclaim_stale_tasks() == (2, 1)

    status = dict(DBTaskResult.objects.values_list("id", "status"))
    assert status[long_export.pk] == TaskResultStatus.RUNNING
    assert status[just_claimed.pk] == TaskResultStatus.RUNNING
    assert status[orphaned.pk] == status[unknown_old.pk] == TaskResultStatus.READY
    assert status[deadly.pk] == TaskResultStatus.FAILED
    given_up = DBTaskResult.objects.get(pk=deadly.pk)
    assert given_up.exception_class_path == "wenminghao.core.workers.WorkerLost" and given_up.finished_at
    assert DBTaskResult.objects.get(pk=orphaned.pk).worker_ids == ["dead"]  # the next claim adds its worker
    assert workers.reclaim_stale_tasks() == (0, 0)  # once only


def test_heartbeats_of_workers_dead_for_long_are_removed(queue):
    heartbeat("alive", seconds_ago=5)
    heartbeat("gone", seconds_ago=3600)
    workers.reclaim_stale_tasks()
    assert list(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) == ["alive"]
