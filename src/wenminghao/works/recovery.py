"""What a crash leaves undone in works, queued again by the task workers (``core.workers.register_recovery``, in
``WorksConfig.ready``).

``services.add_work_file`` queues the derivatives task after its transaction commits: a server killed between the
commit and the enqueue (on SQLite the enqueue may wait seconds for the write lock under a surge) leaves the file
stored and recorded, its derivatives ``pending`` for ever, with no task to make them — no thumbnail, no web copy, no
originality check. bench/crash_safety.py found one such file in 150 uploads under 7 kills.
"""

import datetime
import logging

from django.conf import settings
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from .enums import DerivativeState
from .models import WorkFile
from .tasks import make_derivatives

logger = logging.getLogger(__name__)

BATCH = 500


def lost_after() -> datetime.timedelta:
    """How long after its upload a pending file with no task is taken as lost: ten times WMH_WORKER_STALE_SECONDS
    (10 minutes by default), far longer than any commit takes to be followed by its enqueue."""
    return datetime.timedelta(seconds=10 * float(settings.WMH_WORKER_STALE_SECONDS))


def requeue_lost_derivatives(*, now: datetime.datetime | None = None) -> int:
    """Queue the derivatives of the files still pending ``lost_after()`` after their upload for which no
    make_derivatives task was queued since; returns how many. A file whose every task since has FAILED (the task
    itself never raises: its workers died WMH_TASK_MAX_ATTEMPTS times, core.workers.WorkerLost) is marked failed,
    so that its page stops waiting for previews that will not come; it is not queued again."""
    now = now or timezone.now()
    pending = dict(WorkFile.objects.filter(derivatives=DerivativeState.PENDING, created_at__lt=now - lost_after())
                   .order_by("created_at").values_list("pk", "created_at")[:BATCH])
    if not pending:
        return 0
    states: dict[int, set[str]] = {}
    for args_kwargs, status in DBTaskResult.objects.filter(task_path=make_derivatives.module_path,
                                                           enqueued_at__gte=min(pending.values())
                                                           ).values_list("args_kwargs", "status"):
        args = args_kwargs.get("args") or [args_kwargs.get("kwargs", {}).get("file_id")]
        states.setdefault(args[0], set()).add(status)
    given_up = [pk for pk in pending if states.get(pk) == {TaskResultStatus.FAILED}]
    if given_up:
        WorkFile.objects.filter(pk__in=given_up, derivatives=DerivativeState.PENDING).update(
            derivatives=DerivativeState.FAILED)
        logger.error("work files %s: their derivatives task was given up; marked failed", given_up)
    lost = [pk for pk in pending if pk not in states]
    for pk in lost:
        make_derivatives.enqueue(pk)
        logger.warning("work file %s: its derivatives were never queued (a crash after its upload); queued now", pk)
    return len(lost)
