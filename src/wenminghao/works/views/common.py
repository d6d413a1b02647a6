"""What the works pages share: fetching a work the user may see or change, answering htmx, JSON (Uppy) or a
plain form, and the context of the work's page and of its file list."""


from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.urls import reverse

from wenminghao.core.http import is_htmx

from .. import attachment1, selectors, services, uploads
from ..deadlines import deadline_violation, effective_deadline, shanghai_text
from ..enums import Category, DerivativeState, DisplayForm, EssayKind, FileRole, WorkStatus
from ..forms import EssayTextForm
from ..models import Work, WorkFile

NOT_FOUND = "未找到该作品，或您无权查看。"
FILE_NOT_FOUND = "未找到该文件，或您无权查看。"



def wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "") and not is_htmx(request)


def json_errors(violations, status: int) -> JsonResponse:
    return JsonResponse({"errors": [violation.as_dict() for violation in violations]}, status=status,
                        json_dumps_params={"ensure_ascii": False})



def visible_work(user, pk: int, *, with_files: bool = True) -> Work:
    try:
        return selectors.work_detail(user, pk, with_files=with_files)
    except Work.DoesNotExist as error:
        raise Http404(NOT_FOUND) from error


def changeable_work(user, pk: int, *, with_files: bool = True) -> Work:
    """A work the user may change: visible (else 404), theirs to edit and still a draft or returned (else 403);
    ``with_files`` as selectors.work_detail."""
    work = visible_work(user, pk, with_files=with_files)
    if not user.has_perm("works.change_work", work):
        if work.status not in (WorkStatus.DRAFT, WorkStatus.RETURNED):
            raise PermissionDenied(f"该作品状态为“{work.get_status_display()}”，已不能修改。")
        raise PermissionDenied("您不能修改该作品。")
    return work


def file_of_work(work: Work, file_id: int) -> WorkFile:
    for item in work.files.all():
        if item.pk == file_id:
            return item
    raise Http404(FILE_NOT_FOUND)


# --- the work's page -------------------------------------------------------------------------------------


def _upload_role(work: Work) -> str | None:
    """Which kind of file the upload area of this work takes."""
    if work.category == Category.PHOTO:
        return FileRole.PICTURE
    if work.display_form in (DisplayForm.VIDEO, DisplayForm.ANIMATION):
        return FileRole.VIDEO
    if work.display_form == DisplayForm.H5:
        return FileRole.SCREENSHOT
    return None


def files_context(user, work: Work, *, row_violations=None, oob: bool = False) -> dict:
    """What the file list shows: the files by role in order, whether any preview is still being made, and
    (for reviewers) the originality flags of each file. With ``oob`` (an htmx refresh) also the checklist
    before submitting, which htmx swaps in out of band."""
    files = list(work.files.all())
    by_role: dict[str, list[WorkFile]] = {}
    for item in files:
        by_role.setdefault(item.role, []).append(item)
    for items in by_role.values():
        for index, item in enumerate(items, start=1):
            item.ordinal = index
    can_change = user.has_perm("works.change_work", work) and deadline_violation(work.campaign, work.collective) is None
    flags = _originality_flags(user, work) if user.is_admin and files else {}
    for item in files:
        item.flags = flags.get(item.pk, [])
    return {
        "work": work,
        "gallery": by_role.get(FileRole.PICTURE, []) + by_role.get(FileRole.SCREENSHOT, []),
        "videos": by_role.get(FileRole.VIDEO, []),
        "pending": any(item.derivatives == DerivativeState.PENDING for item in files),
        "can_change": can_change,
        "flag_count": sum(len(found) for found in flags.values()),
        "caption_limit": attachment1.CAPTION_MAX_CHARS,
        "row_violations": row_violations or [],
        **(_checklist_context(user, work) if oob else {}),
    }


def _checklist_context(user, work: Work) -> dict:
    can_submit = user.has_perm("works.submit_work", work) and deadline_violation(work.campaign, work.collective) is None
    return {
        "oob": True,
        "can_submit": can_submit,
        "checklist": services.submission_violations(work) if can_submit else [],
    }


def _originality_flags(user, work: Work) -> dict[int, list[dict]]:
    """{file id: [{text, url}]}: "与《其他作品》的第N张图片相同/高度相似", with a link only where the user may
    see the other work. Three queries whatever the number of flags."""
    similar = list(selectors.similar_files_for(work))
    if not similar:
        return {}
    other_work_ids = {item.other.work_id for item in similar}
    visible = set(selectors.works_visible_to(user).filter(pk__in=other_work_ids).values_list("pk", flat=True))
    ordinals: dict[int, int] = {}
    counters: dict[tuple[int, str], int] = {}
    for file_id, work_id, role in (
        WorkFile.objects.filter(work_id__in=other_work_ids).order_by("work_id", "role", "position", "id")
        .values_list("pk", "work_id", "role")
    ):
        counters[(work_id, role)] = counters.get((work_id, role), 0) + 1
        ordinals[file_id] = counters[(work_id, role)]
    flags: dict[int, list[dict]] = {}
    for item in similar:
        other = item.other
        noun = {FileRole.VIDEO: "个视频", FileRole.SCREENSHOT: "张截图"}.get(other.role, "张图片")
        verb = "相同" if item.kind == item.Kind.IDENTICAL else "高度相似"
        title = other.work.title if other.work_id in visible else "其他集体的作品"
        text = f"与《{title}》的第{ordinals.get(other.pk, '?')}{noun}{verb}"
        if other.work_id in visible:
            text += f"（{other.work.collective.name}）"
        flags.setdefault(item.file_id, []).append({
            "text": text,
            "url": reverse("works:detail", args=[other.work_id]) if other.work_id in visible else "",
            "kind": item.kind,
        })
    return flags


def detail_context(request, work: Work, **extra) -> dict:
    user = request.user
    closed = deadline_violation(work.campaign, work.collective)
    editable_status = work.status in (WorkStatus.DRAFT, WorkStatus.RETURNED)
    may_change = user.has_perm("works.change_work", work)
    deadline = effective_deadline(work.campaign, work.collective)
    role = _upload_role(work)
    has_video = any(item.role == FileRole.VIDEO for item in work.files.all())
    context = {
        # A work takes one video: once it has it, the page shows the player instead of the upload area.
        # (Pictures past the ninth are refused by the service, with the reason.)
        "upload_open": role is not None and not (role == FileRole.VIDEO and has_video),
        "upload_note": _upload_note(role),
        "work": work,
        "closed": closed if editable_status else None,
        "deadline_text": shanghai_text(deadline),
        "extended": deadline > work.campaign.deadline,
        "can_edit": may_change and closed is None,
        "can_submit": user.has_perm("works.submit_work", work) and closed is None,
        "upload_role": role,
        "upload_limit": uploads.upload_limit_for(work),
        "essay_limit": attachment1.ESSAY_MAX_CHARS.get(work.essay_kind),
        "description_length": len((work.description or "").strip()),
        "description_limit": attachment1.DESCRIPTION_MAX_CHARS,
        "picture_rules": attachment1.picture_rules_text(),
        "rules": _rules_text(work),
        "essay_form": EssayTextForm(initial={"text": work.essay_text, "version": work.version}),
        "docx_limit_text": attachment1.megabytes(uploads.docx_max_bytes()),
        "violations": [],
        **files_context(user, work),
    }
    context.update(extra)
    # Before submitting, the same check the submission runs (not again right after it refused).
    context["checklist"] = (
        services.submission_violations(work) if context["can_submit"] and not context["violations"] else []
    )
    return context


def _upload_note(role: str | None) -> str:
    """The line inside the upload area."""
    if role == FileRole.PICTURE:
        return (f"JPEG格式，不低于{attachment1.PHOTO_MIN_LONG_SIDE}×{attachment1.PHOTO_MIN_SHORT_SIDE}像素，"
                f"单张不超过{attachment1.megabytes(attachment1.picture_max_bytes())}；可一次选择多张")
    if role == FileRole.VIDEO:
        formats = "、".join(attachment1.VIDEO_FORMATS.values())
        return (f"{formats}，不超过{attachment1.seconds(attachment1.VIDEO_MAX_SECONDS)}秒、"
                f"{attachment1.megabytes(attachment1.video_max_bytes())}")
    if role == FileRole.SCREENSHOT:
        return f"JPEG或PNG截图，单张不超过{attachment1.megabytes(attachment1.picture_max_bytes())}"
    return ""


def _rules_text(work: Work) -> list[str]:
    """The rules of Attachment 1 that apply to this work, in words."""
    if work.category == Category.PHOTO:
        return list(attachment1.picture_rules_text())
    if work.category == Category.PUBLICITY:
        if work.display_form == DisplayForm.H5:
            return ["填写作品的网页地址（http:// 或 https://）", "可上传若干张页面截图（JPEG，选填）"]
        formats = "、".join(attachment1.VIDEO_FORMATS.values())
        return [
            f"短视频或动画一个，时长不超过{attachment1.seconds(attachment1.VIDEO_MAX_SECONDS)}秒（以文件实际播放时长为准）",
            f"格式：{formats}",
            f"文件不超过{attachment1.megabytes(attachment1.video_max_bytes())}",
        ]
    return [
        f"{EssayKind(kind).label}" for kind in attachment1.ESSAY_MAX_CHARS
    ] + ["字数按Word“字数统计”的规则计算：每个汉字、全角标点计1字，每个连续的英文单词或数字计1字"]
