"""Exports too large for a request run as ExportJobs in a task worker (docs/decisions.md).

A page asks with ``request_export(actor=…, kind=…, params=…, title=…)``: the job row is written (and audited:
exporting is reading a lot of data), the task ``run_export`` is enqueued after commit, and the page follows the
job (core:export_detail polls it) until its file can be downloaded (core:export_download, only by the account
that asked). A kind is a builder registered in ``KINDS``: ``builder(job) -> Exporter``; it re-checks, when the
task runs, that the account may still export this (NotPermitted otherwise) — permissions may change meanwhile.
The file is written to a temporary file, then saved to storage under ``exports/<job id>/``; the account is
notified when it is ready. Files older than ``KEEP_DAYS`` are removed by ``sweep_exports``.
"""

import datetime
import logging
import os
import tempfile
from importlib import import_module

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from .audit import record_audit
from .errors import NotPermitted
from .models import ExportJob
from .notifications import notify
from .storing import store_local_file

logger = logging.getLogger(__name__)
KEEP_DAYS = 7
# kind → "module:function" building the Exporter of a job (imported when the task runs: core stays below the apps)
KINDS = {
    "campaign_works": "wenminghao.reviews.exports:campaign_export_for_job",
    "summary_table": "wenminghao.reviews.exports:summary_for_job",
    "ledger_unit": "wenminghao.ledger.exporters:unit_export_for_job",
}


def _builder(kind: str):
    module, name = KINDS[kind].split(":")
    return getattr(import_module(module), name)


def request_export(*, actor, kind: str, params: dict, title: str, unit_path: str) -> ExportJob:
    """Create the job and enqueue its task after commit. ``unit_path`` scopes the audit entry. While the same
    account's job of the same kind and parameters is still queued or running, that job is returned instead (a
    second click makes no second file)."""
    if kind not in KINDS:
        raise ValueError(f"unknown export kind {kind!r}")
    with transaction.atomic():
        # Lock the account's row first: two clicks at once then look for an unfinished job one after the other (a
        # lock on the jobs found would lock nothing while there is none, and both would make one).
        get_user_model().objects.select_for_update(no_key=True).filter(pk=actor.pk).order_by().first()
        unfinished = (ExportJob.objects.select_for_update(no_key=True)
                      .filter(requested_by=actor, kind=kind, params=params,
                              status__in=[ExportJob.Status.PENDING, ExportJob.Status.RUNNING]).first())
        if unfinished is not None:
            return unfinished
        job = ExportJob.objects.create(kind=kind, params=params, title=title, requested_by=actor)
        record_audit(actor=actor, action="export.request", target=job, unit_path=unit_path,
                     after={"kind": kind, "params": params})
        transaction.on_commit(lambda: run_export.enqueue(job.pk))
    return job


def latest_jobs(user, kind: str, params: dict, limit: int = 5):
    """The user's most recent jobs of this kind and parameters (one query)."""
    return list(ExportJob.objects.filter(requested_by=user, kind=kind, params=params)[:limit])


@task(takes_context=True)
def run_export(context, job_id: int) -> str:
    """Build the job's file. A job already finished, or being made by another worker, is left alone; a job left
    running by a worker that died (this task run again by core.workers: its second attempt or later) is made
    again from the start."""
    with transaction.atomic():
        job = ExportJob.objects.select_for_update(no_key=True).select_related("requested_by").filter(pk=job_id).first()
        resumable = [ExportJob.Status.PENDING] + ([ExportJob.Status.RUNNING] if context.attempt > 1 else [])
        if job is None or job.status not in resumable:
            return "skipped"
        job.status = ExportJob.Status.RUNNING
        job.save(update_fields=["status"])
    handle, path = tempfile.mkstemp(prefix="wmh-export-", suffix=".part", dir=settings.FILE_UPLOAD_TEMP_DIR)
    try:
        exporter = _builder(job.kind)(job)
        with os.fdopen(handle, "wb") as stream:
            exporter.write(stream)
        # moved into storage whole (core.storing): never half written by a worker killed while copying
        stored = store_local_file(path, f"exports/{job.pk}/{exporter.filename()}")
        job.file, job.file_name, job.size = stored, exporter.filename(), default_storage.size(stored)
        job.status = ExportJob.Status.DONE
        message = f"您申请的“{job.title}”已生成，可以下载了（保留{KEEP_DAYS}天）。"
    except NotPermitted as error:
        job.status, job.error = ExportJob.Status.FAILED, error.message
        message = f"“{job.title}”未能生成：{error.message}"
    except Exception as error:  # noqa: BLE001 - the job says it failed; the log has the details
        logger.exception("export job %s failed", job.pk)
        job.status = ExportJob.Status.FAILED
        job.error = f"生成时出错（{type(error).__name__}），请稍后重试或联系管理员。"
        message = f"“{job.title}”未能生成，请稍后重试。"
    finally:
        if os.path.exists(path):
            os.remove(path)
    job.finished_at = timezone.now()
    with transaction.atomic():
        job.save(update_fields=["file", "file_name", "size", "status", "error", "finished_at"])
        notify([job.requested_by], message, reverse("core:export_detail", args=[job.pk]))
    return job.status


def sweep_exports(*, now=None) -> int:
    """Delete the files (and rows) of jobs finished more than KEEP_DAYS ago; returns how many."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=KEEP_DAYS)
    old = list(ExportJob.objects.filter(finished_at__lt=cutoff))
    for job in old:
        if job.file:
            default_storage.delete(job.file.name)
    ExportJob.objects.filter(pk__in=[job.pk for job in old]).delete()
    return len(old)
