"""`manage.py db_worker`: django-tasks-db's worker (same options), with a heartbeat and the reclaim of the tasks of
dead workers (core/workers.py).

Before it takes its first task the worker records its heartbeat, puts back the tasks that workers silent for
WMH_WORKER_STALE_SECONDS left RUNNING and runs the apps' recoveries (tasks lost before they were queued); then a
thread of its own beats and reclaims every WMH_WORKER_HEARTBEAT_SECONDS (0: only at start), also while the worker is
busy with a long task, and runs the recoveries again every WMH_WORKER_STALE_SECONDS. A worker stopped by SIGTERM or
Ctrl+C finishes its task as before and removes its heartbeat.
"""

import logging
import threading
import time

from django.db import connections
from django_tasks_db.management.commands import db_worker

from wenminghao.core import workers

logger = logging.getLogger("wenminghao.core.workers")


def _beat_and_reclaim(worker_id: str) -> None:
    try:
        workers.beat(worker_id)
        workers.reclaim_stale_tasks()
    except Exception:  # noqa: BLE001 - the database may be away for a moment: the next beat tries again
        logger.exception("worker %s: heartbeat or reclaim failed", worker_id)


def _heartbeat(worker_id: str, stop: threading.Event, interval: float) -> None:
    recovered_at = time.monotonic()
    while not stop.wait(interval):
        _beat_and_reclaim(worker_id)
        if time.monotonic() - recovered_at >= workers.stale_seconds():
            workers.run_recoveries()
            recovered_at = time.monotonic()
        connections.close_all()  # this thread's connection only


class Command(db_worker.Command):
    help = "运行后台任务进程（缩略图、导出）；定时报告心跳，并重新运行已停止的任务进程遗留的任务。"

    def handle(self, *args, worker_id: str, **options) -> None:
        _beat_and_reclaim(worker_id)
        workers.run_recoveries()
        stop = threading.Event()
        interval = workers.heartbeat_seconds()
        if interval > 0:
            threading.Thread(target=_heartbeat, args=(worker_id, stop, interval), name="worker-heartbeat",
                             daemon=True).start()
        try:
            super().handle(*args, worker_id=worker_id, **options)
        finally:
            stop.set()
            try:
                workers.forget(worker_id)
            except Exception:  # noqa: BLE001 - stale heartbeats are removed by the reclaim
                logger.exception("worker %s: could not remove its heartbeat", worker_id)
