"""``/healthz`` for the load balancer and the monitoring: is this server able to serve?

Three cheap checks, each timed: the database answers a trivial query; the file storage takes, gives back and
removes a tiny probe (local disk) or answers an existence question (S3 and other remote storages: one request); the
task queue's oldest task that is ready to run waits no longer than ``WMH_HEALTH_MAX_TASK_LAG_SECONDS`` (0: reported,
never failed). 200 when all pass, 503 naming the one that failed. No sign-in, no session, nothing private: an
error is named by its class only; its message goes to the log.
"""

import logging
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import connection
from django.db.models import F, Min, Q
from django.db.models.functions import Greatest
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

PROBE_FOLDER = "healthz"
PROBE_BYTES = b"wenminghao healthz\n"


class CheckFailed(Exception):
    """A check ran but its answer is bad (as opposed to an error reaching the part); ``details`` go in the answer."""

    def __init__(self, message: str, details: dict[str, Any] | None = None):
        super().__init__(message)
        self.details = details or {}


def check_database() -> dict[str, Any]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        if cursor.fetchone() != (1,):
            raise CheckFailed("SELECT 1 did not answer 1")
    return {}


def check_storage() -> dict[str, Any]:
    """Local disk: write, read back and delete a probe (a full or read-only disk fails). A remote storage: one
    existence request (reachable, credentials and bucket right) without writing an object every few seconds."""
    if isinstance(default_storage, FileSystemStorage):
        name = default_storage.save(f"{PROBE_FOLDER}/{uuid.uuid4().hex}.txt", ContentFile(PROBE_BYTES))
        try:
            with default_storage.open(name, "rb") as probe:
                if probe.read() != PROBE_BYTES:
                    raise CheckFailed("the probe read back differs")
        finally:
            default_storage.delete(name)
        return {"probe": "write-read-delete"}
    default_storage.exists(f"{PROBE_FOLDER}/probe.txt")
    return {"probe": "exists"}


def check_task_queue() -> dict[str, Any]:
    """How long the oldest task that could run now has waited: since it was enqueued, or since its run_after
    when it was deferred. The library's model is read through the app registry (none when it is not installed)."""
    if not apps.is_installed("django_tasks_db"):
        return {"lag_seconds": None}
    model = apps.get_model("django_tasks_database", "DBTaskResult")
    now = timezone.now()
    oldest = model.objects.ready().aggregate(
        deferred=Min(Greatest(F("enqueued_at"), F("run_after")), filter=Q(run_after__lte=now)),
        plain=Min("enqueued_at", filter=Q(run_after__gt=now)),
    )
    due = min((value for value in oldest.values() if value is not None), default=None)
    lag = max(0.0, (now - due).total_seconds()) if due is not None else 0.0
    limit = settings.WMH_HEALTH_MAX_TASK_LAG_SECONDS
    details = {"lag_seconds": round(lag, 1), "max_lag_seconds": limit or None}
    if limit and lag > limit:
        raise CheckFailed(f"the oldest ready task has waited {lag:.0f} s (limit {limit} s)", details)
    return details


CHECKS: dict[str, Callable[[], dict[str, Any]]] = {
    "database": check_database,
    "storage": check_storage,
    "tasks": check_task_queue,
}


def run_checks() -> tuple[bool, dict[str, dict[str, Any]]]:
    results: dict[str, dict[str, Any]] = {}
    healthy = True
    for name, check in CHECKS.items():
        if name == "tasks" and not results["database"]["ok"]:
            results[name] = {"ok": False, "error": "skipped: the database is not reachable"}
            healthy = False
            continue
        started = time.perf_counter()
        try:
            details = check()
        except Exception as error:  # noqa: BLE001 - any error of a part is that part's failure
            healthy = False
            details = error.details if isinstance(error, CheckFailed) else {}
            results[name] = {"ok": False, "error": type(error).__name__, **details}
            logger.error("health check %s failed: %s", name, error, exc_info=not isinstance(error, CheckFailed))
        else:
            results[name] = {"ok": True, **details}
        results[name]["ms"] = round((time.perf_counter() - started) * 1000, 2)
    return healthy, results


@require_safe
@never_cache
def healthz(request):
    """200 ``{"status": "ok", "checks": {...}}`` or 503 ``{"status": "fail", "failed": [...], ...}``."""
    healthy, results = run_checks()
    body: dict[str, Any] = {"status": "ok" if healthy else "fail", "checks": results}
    if not healthy:
        body["failed"] = [name for name, result in results.items() if not result["ok"]]
    return JsonResponse(body, status=200 if healthy else 503, json_dumps_params={"ensure_ascii": False})
