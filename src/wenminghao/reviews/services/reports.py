"""Writes of the unit reports: the stamped scan of the Attachment 2 table (atomic, audited)."""

import os

from django.db import transaction
from django.utils import timezone

from wenminghao.core.audit import record_audit
from wenminghao.core.errors import NotPermitted, RuleViolationError, Violation
from wenminghao.core.predicates import has_object_in_scope
from wenminghao.core.uploads import UploadTooLarge
from wenminghao.works.uploads import discard, received, store

from ..models import UnitReport
from ..selectors import recommended_works

SCAN_MAX_BYTES = 20 * 1024 * 1024


SCAN_TYPES = {b"%PDF-": ("application/pdf", "pdf"), b"\xff\xd8\xff": ("image/jpeg", "jpg")}


def sniff_scan(path) -> tuple[str, str] | None:
    """(content type, extension) of a PDF or JPEG file judged by its first bytes, not its name; else None."""
    with open(path, "rb") as handle:
        head = handle.read(8)
    for magic, kind in SCAN_TYPES.items():
        if head.startswith(magic):
            return kind
    return None


def upload_stamped_scan(*, actor, campaign, unit, upload):
    """Record the unit's stamped Attachment 2 scan for the campaign (PDF or JPEG by content, at most 20 MB),
    replacing an earlier one. Side effects: the file is streamed to a temporary file, moved into storage under
    reports/<campaign>/<unit>/, the UnitReport row is created or updated (uploaded_at = now, work_count = the
    unit's recommended works now), the replaced file is deleted after commit, and an audit entry is written.
    Only an admin of the unit itself (or of a unit above it) may upload: NotPermitted otherwise;
    RuleViolationError with code report.scan_* for a missing, too large or wrong-type file."""
    if not has_object_in_scope(actor, unit):
        raise NotPermitted(f"只有“{unit.name}”的管理员可以上传该单位的盖章汇总表。")
    if upload is None:
        raise RuleViolationError([Violation("report.scan_missing", "请选择盖章汇总表的扫描件（PDF或JPEG）。", "file")])
    try:
        with received(upload, limit=SCAN_MAX_BYTES) as item:
            kind = sniff_scan(item.path)
            if kind is None:
                raise RuleViolationError([Violation(
                    "report.scan_type",
                    f"“{item.name}”不是PDF或JPEG文件（按文件内容判断，与扩展名无关），请上传盖章汇总表的PDF或JPEG扫描件。",
                    "file",
                )])
            content_type, extension = kind
            stored = store(item, f"reports/{campaign.pk}/{unit.pk}/盖章汇总表.{extension}")
    except UploadTooLarge as error:
        name = os.path.basename(getattr(upload, "name", "") or "") or "扫描件"
        raise RuleViolationError([Violation(
            "report.scan_too_large", f"“{name}”超过20 MB，请压缩或降低扫描分辨率后重新上传。", "file")]) from error
    try:
        with transaction.atomic():
            report = UnitReport.objects.select_for_update(no_key=True).filter(campaign=campaign, unit=unit).first()
            old_file = report.stamped_scan.name if report else ""
            report = report or UnitReport(campaign=campaign, unit=unit)
            report.stamped_scan = stored
            report.scan_name, report.scan_size, report.scan_sha256 = item.name, item.size, item.sha256
            report.scan_content_type = content_type
            report.uploaded_by = actor
            report.uploaded_at = timezone.now()
            report.work_count = recommended_works(campaign, unit).count()
            report.save()
            record_audit(actor=actor, action="report.upload_scan", target=report, unit_path=unit.path,
                         after={"file": item.name, "size": item.size, "sha256": item.sha256,
                                "work_count": report.work_count})
            if old_file and old_file != stored:
                transaction.on_commit(lambda: discard(old_file))
    except BaseException:
        discard(stored)
        raise
    return report


def scan_too_large_violation(request=None):
    return Violation("report.scan_too_large", "扫描件超过20 MB，请压缩或降低扫描分辨率后重新上传。", "file")
