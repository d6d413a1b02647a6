"""The only code that changes works. Every function is atomic, audited, and raises RuleViolationError
listing every unmet rule at once (nothing changed then). Only drafts and returned works change, and only
before the campaign's deadline (or an extension covering the collective, ``works.deadlines``).

The rules themselves are ``works.attachment1``; the facts about a file come from ``works.media``, read
from its content. A file is checked completely (it sits in a temporary file meanwhile, outside any
transaction, so a long video check does not hold the database), then moved into storage and recorded in
one transaction with its audit entry; if that fails, the stored file is deleted again.
"""

import os
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from wenminghao.core.audit import changed_only, record_audit, snapshot
from wenminghao.core.errors import NotPermitted, RuleViolationError, Violation
from wenminghao.core.predicates import has_object_in_scope, is_own_collective
from wenminghao.core.versions import check_version

from . import attachment1, media
from .deadlines import deadline_violation
from .enums import EDITABLE_STATUSES, Category, DisplayForm, EssayKind, FileRole
from .media import PICTURE_TYPES
from .models import Work, WorkFile
from .rules import is_work_of_own_collective
from .tasks import make_derivatives
from .uploads import Received, discard, received, store, upload_limit_for

WORK_FIELDS = (
    "category", "title", "display_form", "description", "contact_name", "contact_phone", "essay_kind", "url",
)
AUDIT_FIELDS = (*WORK_FIELDS, "status", "char_count", "submitted_at")
# The audit actions that raise a work's version: its fields, its essay, and every change of status (the keys of
# works.transitions.TRANSITIONS; tests/works/test_concurrency.py checks the list is complete). Files do not: they
# are rows of their own, and a picture uploaded meanwhile must not refuse an edit of the title.
VERSIONED_ACTIONS = (
    "work.create", "work.update", "work.essay_text", "work.essay_docx", "work.submit", "work.recommend", "work.return",
    "work.withdraw_recommendation", "work.shortlist", "work.withdraw_shortlist", "work.showcase",
    "work.withdraw_showcase", "work.forward", "work.withdraw_forward",
)

# Which files a work takes, by its display form, and how many of them.
FILE_ROLE_BY_FORM = {
    DisplayForm.PICTURE: FileRole.PICTURE,
    DisplayForm.COMIC: FileRole.PICTURE,
    DisplayForm.VIDEO: FileRole.VIDEO,
    DisplayForm.ANIMATION: FileRole.VIDEO,
    DisplayForm.H5: FileRole.SCREENSHOT,
}
MAX_FILES = {
    FileRole.PICTURE: attachment1.PHOTO_MAX_COUNT,
    FileRole.VIDEO: 1,
    FileRole.SCREENSHOT: attachment1.SCREENSHOT_MAX_COUNT,
}
SCREENSHOT_FORMATS = {"JPEG": "JPEG", "PNG": "PNG"}
VIDEO_TYPES = {
    "mp4": ("video/mp4", ".mp4"),
    "mov": ("video/quicktime", ".mov"),
    "webm": ("video/webm", ".webm"),
    "gif": ("image/gif", ".gif"),
}


# --- who, when, and in which state -------------------------------------------------------------------------


def _may_act_on(actor, work: Work) -> bool:
    return bool(actor is not None and (has_object_in_scope(actor, work) or is_work_of_own_collective(actor, work)))


def _require_actor(actor, work: Work) -> None:
    if not _may_act_on(actor, work):
        raise NotPermitted("您没有权限修改该作品：只有创作集体的账号和其上级团委管理员可以操作。")


def _state_violation(work: Work) -> Violation | None:
    if work.status in EDITABLE_STATUSES:
        return None
    return Violation(
        "work.state",
        f"作品“{work.title}”当前状态为“{work.get_status_display()}”，只有草稿或被退回的作品可以修改和提交",
        "status",
    )


def _change_violations(work: Work) -> list[Violation]:
    """Why this work cannot change now: its state, the deadline."""
    found = [_state_violation(work), deadline_violation(work.campaign, work.collective)]
    return [violation for violation in found if violation is not None]


def _check_version(work: Work, expected_version: int | None) -> None:
    """Refuse an edit made on an older version of the work (core.versions), under the row lock."""
    check_version(work, expected_version, noun=f"作品“{work.title}”", code="work.stale", actions=VERSIONED_ACTIONS)


def _locked(work: Work) -> Work:
    return (
        Work.objects.select_for_update(no_key=True)
        .select_related("campaign", "collective", "collective__unit")
        .get(pk=work.pk)
    )


def _unit_path(work: Work) -> str:
    return work.collective.unit.path


# --- the work's own fields ---------------------------------------------------------------------------------


def _clean_fields(fields: Mapping[str, Any]) -> dict[str, Any]:
    values = {}
    for name in WORK_FIELDS:
        if name in fields:
            value = fields[name]
            values[name] = value.strip() if isinstance(value, str) else ("" if value is None else value)
    return values


def _field_violations(work: Work) -> list[Violation]:
    """Attachment 1's rules for the fields, then the model's own (required, lengths), one per field."""
    violations: list[Violation] = []
    if work.category in Category.values and work.display_form:
        violations += attachment1.check_display_form(work.category, work.display_form)
    violations += attachment1.check_description(work.description)
    if work.category == Category.ESSAY and work.essay_kind not in EssayKind.values:
        kinds = "或".join(EssayKind.labels)
        violations.append(Violation("essay.kind", f"请选择征文类型：{kinds}", "essay_kind"))
    if work.display_form == DisplayForm.H5 and work.url:
        violations += attachment1.check_url(work.url)
    flagged = {violation.field for violation in violations}
    try:
        work.full_clean(exclude=["campaign", "collective", "created_by"])
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            if field in flagged:
                continue
            label = Work._meta.get_field(field).verbose_name if field != "__all__" else "作品"
            for message in messages:
                violations.append(Violation(f"invalid.{field}", f"{label}：{message}", field))
    return violations


def _normalise(work: Work) -> None:
    if work.category != Category.ESSAY:
        work.essay_kind = ""
        work.essay_text = ""
        work.char_count = 0
    if work.display_form != DisplayForm.H5:
        work.url = ""


@transaction.atomic
def create_work(*, actor, collective, campaign, fields: Mapping[str, Any]) -> Work:
    """A new draft work of ``collective`` for ``campaign``. Checks that the campaign covers the collective,
    the deadline, the display form against the category, the description's length, the essay kind of an
    essay and the H5 address; all violations at once. Audited."""
    if actor is None or not (is_own_collective(actor, collective) or has_object_in_scope(actor, collective)):
        raise NotPermitted("您没有权限为该集体创建作品。")
    violations: list[Violation] = []
    if not collective.unit.path.startswith(campaign.office.path):
        violations.append(Violation(
            "work.out_of_scope", f"“{campaign.name}”不面向{collective.unit.name}的集体，不能为其报送作品", "campaign"
        ))
    deadline = deadline_violation(campaign, collective)
    if deadline is not None:
        violations.append(deadline)
    work = Work(campaign=campaign, collective=collective, created_by=actor, **_clean_fields(fields))
    _normalise(work)
    violations += _field_violations(work)
    if violations:
        raise RuleViolationError(violations)
    work.save()
    record_audit(actor=actor, action="work.create", target=work, unit_path=collective.unit.path,
                 after=snapshot(work, AUDIT_FIELDS))
    return work


@transaction.atomic
def update_work(*, actor, work: Work, fields: Mapping[str, Any], expected_version: int | None = None) -> Work:
    """Change a draft's (or returned work's) fields. The category and display form can change only while
    no files of another kind are attached. Audited with the changed fields.

    ``expected_version`` is the ``version`` the editor read (the form's hidden field, the API's If-Match): when the
    work changed since (fields, essay or status, by anyone), the edit is refused with StaleEditError (code
    ``work.stale``) before any other check and nothing is written; None skips the check. The row is locked first, so
    of two saves at once the second waits, then compares. Side effects: the work's row, ``version`` raised by one
    when a field changed, an audit entry ``work.update``."""
    work = _locked(work)
    _require_actor(actor, work)
    _check_version(work, expected_version)
    violations = _change_violations(work)
    before = snapshot(work, AUDIT_FIELDS)
    had_essay_text = bool(work.essay_text)
    for name, value in _clean_fields(fields).items():
        setattr(work, name, value)
    if had_essay_text and work.category != Category.ESSAY:
        violations.append(Violation(
            "work.essay_text", "作品已有征文正文，更改类别前请先清空正文，以免正文丢失", "category"
        ))
    _normalise(work)
    role = FILE_ROLE_BY_FORM.get(work.display_form)
    other_files = work.files.exclude(role=role) if role else work.files.all()
    stray = other_files.count()
    if stray:
        form = DisplayForm(work.display_form).label if work.display_form in DisplayForm.values else work.display_form
        violations.append(Violation(
            "work.files",
            f"作品已上传{stray}个与展示形式“{form}”不符的文件，请先删除这些文件再更改类别或展示形式",
            "display_form",
        ))
    violations += _field_violations(work)
    if violations:
        raise RuleViolationError(violations)
    old, new = changed_only(before, snapshot(work, AUDIT_FIELDS))
    if new:
        work.version += 1
    work.save()
    if new:
        record_audit(actor=actor, action="work.update", target=work, unit_path=_unit_path(work), before=old, after=new)
    return work


# --- files -------------------------------------------------------------------------------------------------


def _file_action(role: str, verb: str) -> str:
    """The audit key of adding or removing a file of this role: work.picture_upload, work.video_remove, …"""
    kind = role if role in (FileRole.PICTURE, FileRole.VIDEO, FileRole.SCREENSHOT) else "file"
    return f"work.{kind}_{verb}"


def _role_label(role: str) -> str:
    return {FileRole.PICTURE: "图片", FileRole.VIDEO: "视频或动画", FileRole.SCREENSHOT: "截图"}.get(role, "文件")


def _before_upload(work: Work, caption: str) -> tuple[str | None, int, list[Violation]]:
    """The role the next file takes, how many of that role there are, and why no file can be added now."""
    violations = _change_violations(work)
    role = FILE_ROLE_BY_FORM.get(work.display_form)
    if role is None:
        violations.append(Violation(
            "file.type", "征文作品不上传图片或视频：请粘贴正文，或上传Word文档（.docx）作为正文", "file"
        ))
        return None, 0, violations
    count = work.files.filter(role=role).count()
    if count >= MAX_FILES[role]:
        if role == FileRole.PICTURE:
            violations.append(Violation(
                "photo.too_many",
                f"图片作品每组最多{attachment1.PHOTO_MAX_COUNT}张，本作品已有{count}张，请先删除一张再上传", "file",
            ))
        elif role == FileRole.VIDEO:
            violations.append(Violation(
                "video.too_many", "宣传作品只能有一个视频或动画文件，本作品已上传，请先删除原文件再上传新文件", "file"
            ))
        else:
            violations.append(Violation(
                "screenshot.too_many",
                f"H5作品最多上传{attachment1.SCREENSHOT_MAX_COUNT}张截图，本作品已有{count}张", "file",
            ))
    if len(caption) > attachment1.CAPTION_MAX_CHARS:
        violations.append(Violation(
            "caption.too_long", f"图片说明为{len(caption)}字，超过{attachment1.CAPTION_MAX_CHARS}字的上限", "caption"
        ))
    return role, count, violations


def _empty_violation(role: str, item: Received, index: int) -> Violation:
    if role == FileRole.VIDEO:
        return Violation("video.unreadable", f"视频文件（{item.name}）是空文件（0字节），请重新选择文件上传", "file")
    label = f"第{index}张{_role_label(role)}（{item.name}）"
    return Violation("photo.corrupt", f"{label}是空文件（0字节），请重新选择文件上传", "file")


def _check_screenshot(facts: attachment1.PictureFacts, index: int) -> list[Violation]:
    label = f"第{index}张截图（{facts.name}）"
    if facts.too_many_pixels:
        return [Violation("photo.corrupt", f"{label}像素数过大，超出平台可处理的上限，请缩小后再上传", "file")]
    if facts.format not in SCREENSHOT_FORMATS:
        found = f"实际为{facts.format}格式" if facts.format else "不是可识别的图片文件"
        return [Violation("photo.not_jpeg", f"{label}{found}，截图请上传JPEG或PNG格式的图片", "file")]
    if not facts.decoded:
        return [Violation("photo.corrupt", f"{label}已损坏或不完整，无法完整解码，请重新截图后上传", "file")]
    return []


def _inspect(role: str, item: Received, index: int) -> tuple[dict[str, Any], list[Violation]]:
    """The WorkFile fields read from the file's content, and the rules it breaks."""
    if item.size == 0:
        return {}, [_empty_violation(role, item, index)]
    if role == FileRole.VIDEO:
        video = media.inspect_video(item.path, item.name)
        violations = attachment1.check_video(video)
        content_type, extension = VIDEO_TYPES.get(video.container, ("application/octet-stream", ""))
        return {"content_type": content_type, "extension": extension, "width": video.width, "height": video.height,
                "duration": video.duration}, violations
    picture = media.inspect_picture(item.path, item.name, streamed=item.streamed)
    if role == FileRole.PICTURE:
        violations = attachment1.check_picture(picture, index)
    else:
        violations = _check_screenshot(picture, index)
    content_type, extension = PICTURE_TYPES.get(picture.format, ("application/octet-stream", ""))
    return {"content_type": content_type, "extension": extension, "width": picture.width,
            "height": picture.height, "duration": None}, violations


def _enqueue_derivatives(file_id: int) -> None:
    """Thumbnails, web copy, poster and perceptual hash are made by a background task (works.tasks)."""
    make_derivatives.enqueue(file_id)


def add_work_file(*, actor, work: Work, upload, caption: str = "") -> WorkFile:
    """Check an uploaded file against the work's rules and, if it passes, make it part of the work.

    ``upload`` is an UploadedFile (ideally from ``uploads.receive_upload``: already on disk and hashed) or
    any Django File. The file is checked from its content: a picture must be a complete JPEG of at least
    1600×1200 as displayed; a video or animation (MP4, MOV, WebM, animated GIF) at most 30.0 seconds played;
    an H5 screenshot a complete JPEG or PNG. Then, in one transaction, it is moved into storage and
    recorded with its SHA-256, size, type, size in pixels and duration, and audited; derivatives are
    queued after the commit. On any refusal or failure no row and no stored file remain.
    """
    work = Work.objects.select_related("campaign", "collective", "collective__unit").get(pk=work.pk)
    _require_actor(actor, work)
    caption = (caption or "").strip()
    role, count, violations = _before_upload(work, caption)
    if violations:
        raise RuleViolationError(violations)
    with received(upload, limit=upload_limit_for(work)) as item:
        facts, violations = _inspect(role, item, count + 1)
        if violations:
            raise RuleViolationError(violations)
        stored_name = ""
        try:
            with transaction.atomic():
                work = _locked(work)
                role, count, violations = _before_upload(work, caption)  # again, under the lock
                if violations:
                    raise RuleViolationError(violations)
                stored_name = store(item, f"works/{work.pk}/{uuid.uuid4().hex}{facts['extension']}")
                last = work.files.filter(role=role).aggregate(last=Max("position"))["last"] or 0
                work_file = WorkFile.objects.create(
                    work=work, role=role, position=last + 1, caption=caption, original=stored_name,
                    original_name=item.name[:255], size=item.size, sha256=item.sha256,
                    content_type=facts["content_type"], width=facts["width"], height=facts["height"],
                    duration=facts["duration"], uploaded_by=actor,
                )
                Work.objects.filter(pk=work.pk).update(updated_at=timezone.now())
                record_audit(
                    actor=actor, action=_file_action(role, "upload"), target=work, unit_path=_unit_path(work),
                    after={"file_id": work_file.pk, "name": work_file.original_name, "size": work_file.size,
                           "sha256": work_file.sha256, "width": work_file.width, "height": work_file.height,
                           "duration": work_file.duration},
                )
                file_id = work_file.pk
                transaction.on_commit(lambda: _enqueue_derivatives(file_id), robust=True)
        except BaseException:
            discard(stored_name)
            raise
    return work_file


def _stored_names(work_file: WorkFile) -> list[str]:
    return [field.name for field in (work_file.original, work_file.thumbnail, work_file.web_copy, work_file.poster)
            if field and field.name]


def _renumber(work: Work, role: str) -> None:
    files = list(work.files.filter(role=role).order_by("position", "id"))
    for position, item in enumerate(files, start=1):
        item.position = position
    WorkFile.objects.bulk_update(files, ["position"])


@transaction.atomic
def remove_work_file(*, actor, work: Work, file_id: int) -> None:
    """Remove one file from a work; its stored files (original and derivatives) are deleted after the
    commit. WorkFile.DoesNotExist if the work has no such file. Audited."""
    work = _locked(work)
    _require_actor(actor, work)
    work_file = WorkFile.objects.get(pk=file_id, work=work)
    violations = _change_violations(work)
    if violations:
        raise RuleViolationError(violations)
    names = _stored_names(work_file)
    before = {"file_id": work_file.pk, "name": work_file.original_name, "sha256": work_file.sha256,
              "position": work_file.position}
    work_file.delete()
    _renumber(work, work_file.role)
    work.save(update_fields=["updated_at"])
    record_audit(actor=actor, action=_file_action(work_file.role, "remove"), target=work,
                 unit_path=_unit_path(work), before=before)
    transaction.on_commit(lambda: discard(*names), robust=True)


@transaction.atomic
def reorder_work_files(*, actor, work: Work, file_ids: Iterable[int]) -> list[WorkFile]:
    """Put the work's files (pictures or screenshots) in the given order; ``file_ids`` must name each of them
    exactly once. Returns the files in their new order. Audited."""
    work = _locked(work)
    _require_actor(actor, work)
    violations = _change_violations(work)
    try:
        wanted = [int(value) for value in file_ids]
    except (TypeError, ValueError):
        wanted = []
    role = FILE_ROLE_BY_FORM.get(work.display_form)
    files = {item.pk: item for item in work.files.filter(role=role)} if role else {}
    if len(wanted) != len(set(wanted)) or set(wanted) != set(files):
        violations.append(Violation(
            "files.order", f"排序须包含本作品的全部{len(files)}个文件，且每个只出现一次，请刷新页面后重试", "files"
        ))
    if violations:
        raise RuleViolationError(violations)
    before = [item.pk for item in sorted(files.values(), key=lambda item: (item.position, item.pk))]
    ordered = [files[pk] for pk in wanted]
    for position, item in enumerate(ordered, start=1):
        item.position = position
    WorkFile.objects.bulk_update(ordered, ["position"])
    work.save(update_fields=["updated_at"])
    if before != wanted:
        record_audit(actor=actor, action="work.file_reorder", target=work, unit_path=_unit_path(work),
                     before={"order": before}, after={"order": wanted})
    return ordered


@transaction.atomic
def set_file_caption(*, actor, work: Work, file_id: int, caption: str) -> WorkFile:
    """The caption of one picture (optional, at most CAPTION_MAX_CHARS). WorkFile.DoesNotExist if the work
    has no such file. Audited."""
    work = _locked(work)
    _require_actor(actor, work)
    work_file = WorkFile.objects.get(pk=file_id, work=work)
    caption = (caption or "").strip()
    violations = _change_violations(work)
    if len(caption) > attachment1.CAPTION_MAX_CHARS:
        violations.append(Violation(
            "caption.too_long",
            f"第{work_file.position}张{_role_label(work_file.role)}的说明为{len(caption)}字，"
            f"超过{attachment1.CAPTION_MAX_CHARS}字的上限",
            "caption",
        ))
    if violations:
        raise RuleViolationError(violations)
    if caption != work_file.caption:
        before = work_file.caption
        work_file.caption = caption
        work_file.save(update_fields=["caption"])
        record_audit(actor=actor, action="work.file_caption", target=work, unit_path=_unit_path(work),
                     before={"file_id": work_file.pk, "caption": before},
                     after={"file_id": work_file.pk, "caption": caption})
    return work_file


# --- essays ------------------------------------------------------------------------------------------------


def _essay_violations(work: Work) -> list[Violation]:
    violations = _change_violations(work)
    if work.category != Category.ESSAY:
        violations.append(Violation("file.type", "只有“品牌建设青之见”征文作品有正文，本作品不是征文", "text"))
    return violations


def _save_essay(*, actor, work: Work, text: str, violations: list[Violation], action: str,
                extra: dict | None = None) -> Work:
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    if work.category == Category.ESSAY:
        violations += [v for v in attachment1.check_essay(text, work.essay_kind) if v.code != "essay.empty"]
    if violations:
        raise RuleViolationError(violations)
    before = {"char_count": work.char_count}
    if text != work.essay_text:
        work.version += 1
    work.essay_text = text
    work.char_count = attachment1.count_characters(text)
    work.save(update_fields=["essay_text", "char_count", "updated_at", "version"])
    record_audit(actor=actor, action=action, target=work, unit_path=_unit_path(work), before=before,
                 after={"char_count": work.char_count, **(extra or {})})
    return work


@transaction.atomic
def set_essay_text(*, actor, work: Work, text: str, expected_version: int | None = None) -> Work:
    """Store an essay's text and its count as Word's 字数 counts it; refused (essay.too_long) above the
    limit of the essay's kind. An empty text may be saved as a draft (submission requires one). Audited.
    ``expected_version`` as for ``update_work`` (``work.stale``: nothing written); a changed text raises the
    version."""
    work = _locked(work)
    _require_actor(actor, work)
    _check_version(work, expected_version)
    return _save_essay(actor=actor, work=work, text=text, violations=_essay_violations(work), action="work.essay_text")


def set_essay_docx(*, actor, work: Work, upload, expected_version: int | None = None) -> Work:
    """Take an essay's text from an uploaded .docx (read from disk, never whole in memory), then as
    ``set_essay_text``. The document itself is not kept: the essay is its text, which the reviewers read
    and the summary table prints; a Word file would only be a second, possibly different, copy (and one
    that may carry hidden content). A .docm, an old .doc, an encrypted or broken file is refused.
    ``expected_version`` as for ``set_essay_text``, compared under the lock once the document is read."""
    work = Work.objects.select_related("campaign", "collective", "collective__unit").get(pk=work.pk)
    _require_actor(actor, work)
    violations = _essay_violations(work)
    if violations:
        raise RuleViolationError(violations)
    with received(upload, limit=upload_limit_for(work)) as item:
        name = os.path.basename(item.name)
        if item.size == 0:
            raise RuleViolationError.single("file.type", f"文件（{name}）是空文件（0字节），请重新选择文件上传", "file")
        text = media.docx_text(item.path, name)
        sha256 = item.sha256
    with transaction.atomic():
        work = _locked(work)
        _check_version(work, expected_version)
        return _save_essay(actor=actor, work=work, text=text, violations=_essay_violations(work),
                           action="work.essay_docx", extra={"name": name, "sha256": sha256})


# --- submission --------------------------------------------------------------------------------------------


def work_facts(work: Work) -> attachment1.WorkFacts:
    counts = {role: 0 for role in FileRole.values}
    for role in work.files.values_list("role", flat=True):
        counts[role] += 1
    return attachment1.WorkFacts(
        category=work.category, display_form=work.display_form, description=work.description,
        picture_count=counts[FileRole.PICTURE], video_count=counts[FileRole.VIDEO], essay_kind=work.essay_kind,
        essay_text=work.essay_text, url=work.url,
    )


def submission_violations(work: Work) -> list[Violation]:
    """Everything that stops this work from being submitted now (for a checklist before submitting)."""
    return _change_violations(work) + attachment1.check_submission(work_facts(work))
