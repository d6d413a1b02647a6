"""A server killed between an upload's commit and the enqueue after it leaves the file recorded with its derivatives
pending and no task: the task workers queue it again (works/recovery.py, run by core's ``db_worker``), once it is
clearly lost, and never a file whose task exists; a file whose task was given up (its workers died three times) is
marked failed."""

import datetime
import hashlib

from django.core.files.storage import default_storage
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from tests import factories
from tests.works.media_fixtures import jpeg, media_storage, upload  # noqa: F401 - a fixture
from wenminghao.core import workers
from wenminghao.works import recovery
from wenminghao.works.enums import DerivativeState, FileRole
from wenminghao.works.models import Work, WorkFile


def pending_file(work, seed: int, *, minutes_ago: int) -> WorkFile:
    """A file as add_work_file commits it (stored, derivatives pending) whose task was never queued."""
    data = jpeg(seed=seed)
    stored = default_storage.save(f"works/{work.pk}/{seed}.jpg", upload(f"{seed}.jpg", data))
    work_file = WorkFile.objects.create(work=work, role=FileRole.PICTURE, original=stored, original_name=f"{seed}.jpg",
                                        size=len(data), sha256=hashlib.sha256(data).hexdigest(),
                                        content_type="image/jpeg", uploaded_by=work.created_by)
    WorkFile.objects.filter(pk=work_file.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=minutes_ago))
    return work_file


def test_derivatives_never_queued_are_queued_by_the_workers_once_clearly_lost(tree, users, media_storage):  # noqa: F811
    campaign = factories.campaign(office=tree["city"])
    work = Work.objects.create(campaign=campaign, collective=tree["collective_a"], category="photo",
                               display_form="picture", title="海岸线上的青春", contact_name="王伟",
                               contact_phone="13800000000", created_by=users["leader_a"])
    lost = pending_file(work, 41, minutes_ago=20)
    just_uploaded = pending_file(work, 42, minutes_ago=1)  # its enqueue may still be on its way
    has_a_task = pending_file(work, 43, minutes_ago=20)
    DBTaskResult.objects.create(status=TaskResultStatus.FAILED, args_kwargs={"args": [has_a_task.pk], "kwargs": {}},
                                backend_name="default", task_path="wenminghao.works.tasks.make_derivatives",
                                run_after=get_date_max())

    assert workers.run_recoveries() == 1  # registered by WorksConfig.ready, run by every db_worker

    states = dict(WorkFile.objects.values_list("pk", "derivatives"))
    assert states[lost.pk] == DerivativeState.READY  # queued (the tests' backend runs it at once)
    assert states[just_uploaded.pk] == DerivativeState.PENDING
    assert states[has_a_task.pk] == DerivativeState.FAILED  # its task was given up: the page stops waiting
    assert recovery.requeue_lost_derivatives() == 0
