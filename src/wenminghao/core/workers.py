"""Task workers that die in the middle of a task, and the tasks they leave behind.

django-tasks-db marks a task RUNNING when a worker claims it, and only that worker ever marks it finished: a worker
killed in the middle of a task (SIGKILL, out of memory, a machine lost) leaves the task RUNNING for ever, its
thumbnails never made, its export never offered. So every worker that ``manage.py db_worker`` starts (core's command,
which wraps django-tasks-db's) records a heartbeat (``WorkerHeartbeat``) every ``WMH_WORKER_HEARTBEAT_SECONDS``, and
``reclaim_stale_tasks`` — run by every worker when it starts and with every heartbeat — puts back to READY each
RUNNING task whose worker has not been seen for ``WMH_WORKER_STALE_SECONDS``; the next free worker runs it again
(the tasks are written to be rerun: a thumbnail is made again, an export made from the start). A task reclaimed from
``WMH_TASK_MAX_ATTEMPTS`` dead workers is marked FAILED instead, so that a task that kills its worker every time is
not run for ever.

A crash can also lose a task before it is queued: a service queues its task after its transaction commits, and a
server killed between the two leaves the committed row without its task. Higher apps register a recovery
(``register_recovery``: works queues the derivatives of files left pending with no task for them); every worker runs
the recoveries when it starts and then every WMH_WORKER_STALE_SECONDS. Core knows no app.
"""

import datetime
import logging
import os
import socket
from collections.abc import Callable

from django.conf import settings
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from .models import WorkerHeartbeat

logger = logging.getLogger(__name__)


class WorkerLost(Exception):
    """The exception recorded on a task given up after its workers died WMH_TASK_MAX_ATTEMPTS times."""


def heartbeat_seconds() -> float:
    return float(settings.WMH_WORKER_HEARTBEAT_SECONDS)


def stale_seconds() -> float:
    return float(settings.WMH_WORKER_STALE_SECONDS)


def beat(worker_id: str, *, now: datetime.datetime | None = None) -> None:
    """Say that the worker ``worker_id`` (of this process) is alive."""
    now = now or timezone.now()
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id, defaults={"seen_at": now},
        create_defaults={"seen_at": now, "started_at": now, "host": socket.gethostname()[:255], "pid": os.getpid()},
    )


def forget(worker_id: str) -> None:
    """The worker stopped on its own (its tasks are finished): its heartbeat goes."""
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def reclaim_stale_tasks(*, now: datetime.datetime | None = None) -> tuple[int, int]:
    """Put back to READY every RUNNING task claimed more than WMH_WORKER_STALE_SECONDS ago by a worker whose
    heartbeat is older than that (or that never had one); mark FAILED those already claimed WMH_TASK_MAX_ATTEMPTS
    times. Returns (requeued, given up). Two workers doing it at once reclaim each task once (rows locked)."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(seconds=stale_seconds())
    alive = set(WorkerHeartbeat.objects.filter(seen_at__gte=cutoff).values_list("worker_id", flat=True))
    requeued = given_up = 0
    with exclusive_transaction(DBTaskResult.objects.db):
        running = (DBTaskResult.objects.select_for_update(no_key=True, skip_locked=True)
                   .filter(status=TaskResultStatus.RUNNING, started_at__lt=cutoff))
        for result in running:
            if result.worker_ids and result.worker_ids[-1] in alive:
                continue
            if len(result.worker_ids) >= settings.WMH_TASK_MAX_ATTEMPTS:
                result.set_failed(WorkerLost(
                    f"the workers running this task stopped without finishing it {len(result.worker_ids)} times "
                    f"({', '.join(result.worker_ids)})"))
                given_up += 1
                logger.error("task %s (%s) given up: its worker died %s times", result.pk, result.task_path,
                             len(result.worker_ids))
            else:
                result.status = TaskResultStatus.READY
                result.save(update_fields=["status"])
                requeued += 1
                logger.warning("task %s (%s) run again: its worker %s stopped while running it", result.pk,
                               result.task_path, result.worker_ids[-1] if result.worker_ids else "?")
    # heartbeats of workers dead for long (their tasks reclaimed above) are of no more use
    WorkerHeartbeat.objects.filter(seen_at__lt=now - datetime.timedelta(seconds=stale_seconds() * 10)).delete()
    return requeued, given_up


_recoveries: list[Callable[[], int]] = []


def register_recovery(function: Callable[[], int]) -> Callable[[], int]:
    """Have every worker run ``function()`` (it queues again what a crash left undone, returns how many) when it
    starts and then every WMH_WORKER_STALE_SECONDS. Called from an app's ``ready()``."""
    if function not in _recoveries:
        _recoveries.append(function)
    return function


def run_recoveries() -> int:
    """Run every registered recovery (one failing does not stop the others); returns how many tasks they queued."""
    queued = 0
    for function in list(_recoveries):
        try:
            queued += function() or 0
        except Exception:  # noqa: BLE001 - logged; the next round tries again
            logger.exception("recovery %s failed", getattr(function, "__qualname__", function))
    return queued
