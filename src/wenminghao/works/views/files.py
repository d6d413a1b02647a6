"""A work's files: the upload (Uppy posts here, with progress; streamed to disk), order, captions, removal, and the
files themselves, served only after a permission check (private until the work is showcased)."""

import mimetypes
import os

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from wenminghao.core.errors import RuleViolationError, Violation
from wenminghao.core.files import stored_file_response
from wenminghao.core.http import is_htmx
from wenminghao.core.uploads import receive_streamed_upload, too_large_response

from .. import attachment1, media, selectors, services, uploads
from ..forms import CaptionForm, MoveForm, ReorderForm
from ..models import Work, WorkFile
from .common import (
    FILE_NOT_FOUND,
    changeable_work,
    file_of_work,
    files_context,
    json_errors,
    visible_work,
    wants_json,
)

# --- files: upload, order, captions, removal -----------------------------------------------------------------


@csrf_exempt  # receive_streamed_upload checks the CSRF token once the streaming handler is in place
@login_required
@require_POST
def file_upload(request, pk: int):
    """Take one file (multipart field ``file``) for the work, streamed to disk and checked by
    ``services.add_work_file``. Uppy posts here and reads JSON: 201 with the file, 422 with every reason,
    413 past the size limit (from Content-Length before reading, or while streaming)."""
    work = changeable_work(request.user, pk, with_files=False)
    limit = uploads.upload_limit_for(work)
    # a JPEG is decoded as its bytes arrive, so that little of the check is left once the last one is in
    received = receive_streamed_upload(request, limit=limit, watch=media.StreamedJpegCheck)
    if received.csrf_failure is not None:
        return received.csrf_failure
    if received.declared_too_large:
        response = too_large_response(received.too_large)
        return response if wants_json(request) else _refused_redirect(request, work, response)
    if received.too_large is not None:
        return _upload_refused(request, work, [received.too_large], 413)
    upload = received.file
    if upload is None:
        violation = Violation("file.missing", "请选择要上传的文件。", "file")
        return _upload_refused(request, work, [violation], 422)
    caption = request.POST.get("caption") or ""  # a caption too long is refused with the reason, never cut short
    try:
        refused = attachment1.check_no_nul(caption, "图片说明", "caption")
        if refused:
            raise RuleViolationError(refused)
        work_file = services.add_work_file(actor=request.user, work=work, upload=upload, caption=caption)
    except RuleViolationError as error:
        return _upload_refused(request, work, error.violations, 422)
    finally:
        upload.close()
    if wants_json(request):
        return JsonResponse({"file": _file_json(work_file)}, status=201, json_dumps_params={"ensure_ascii": False})
    messages.success(request, f"已上传“{work_file.original_name}”。")
    return redirect("works:detail", pk=work.pk)


def _file_json(work_file: WorkFile) -> dict:
    return {
        "id": work_file.pk,
        "name": work_file.original_name,
        "size": work_file.size,
        "sha256": work_file.sha256,
        "width": work_file.width,
        "height": work_file.height,
        "duration": float(work_file.duration) if work_file.duration is not None else None,
        "url": reverse("works:file", args=[work_file.work_id, work_file.pk]),
    }


def _upload_refused(request, work: Work, violations, status: int):
    if wants_json(request):
        return json_errors(violations, status)
    for violation in violations:
        messages.error(request, violation.message)
    return redirect("works:detail", pk=work.pk)


def _refused_redirect(request, work: Work, response: JsonResponse):
    messages.error(request, f"文件超过{attachment1.megabytes(uploads.upload_limit_for(work))}的上限，请压缩后再上传。")
    return redirect("works:detail", pk=work.pk)


def _after_file_change(request, work_pk: int, violations, success: str):
    """htmx gets the refreshed file list (with any refusal shown above it); a plain form goes back to the page."""
    if is_htmx(request):
        work = visible_work(request.user, work_pk)
        return render(request, "works/partials/files.html",
                      files_context(request.user, work, row_violations=violations, oob=True))
    if violations:
        for violation in violations:
            messages.error(request, violation.message)
    elif success:
        messages.success(request, success)
    return redirect("works:detail", pk=work_pk)


@login_required
@require_POST
def file_remove(request, pk: int, file_id: int):
    user = request.user
    work = changeable_work(user, pk)
    item = file_of_work(work, file_id)
    violations = []
    try:
        services.remove_work_file(actor=user, work=work, file_id=item.pk)
    except RuleViolationError as error:
        violations = error.violations
    return _after_file_change(request, work.pk, violations, f"已删除“{item.original_name}”。")


@login_required
@require_POST
def file_move(request, pk: int, file_id: int):
    """Move one file a place up or down among the files of its kind (buttons that work on a phone)."""
    user = request.user
    work = changeable_work(user, pk)
    item = file_of_work(work, file_id)
    form = MoveForm(request.POST)
    if not form.is_valid():
        return _after_file_change(request, work.pk, [Violation("file.move", "请选择上移或下移。", None)], "")
    same_role = [other.pk for other in work.files.all() if other.role == item.role]
    index = same_role.index(item.pk)
    target = index - 1 if form.cleaned_data["direction"] == "up" else index + 1
    violations = []
    if 0 <= target < len(same_role):
        same_role[index], same_role[target] = same_role[target], same_role[index]
        try:
            services.reorder_work_files(actor=user, work=work, file_ids=same_role)
        except RuleViolationError as error:
            violations = error.violations
    return _after_file_change(request, work.pk, violations, "")


@login_required
@require_POST
def file_reorder(request, pk: int):
    """Set the whole order of the work's files of one kind at once (comma-separated ids)."""
    user = request.user
    work = changeable_work(user, pk)
    form = ReorderForm(request.POST)
    violations = []
    if not form.is_valid():
        violations = [Violation("file.order", " ".join(form.errors.get("order", ["顺序不正确。"])), None)]
    else:
        try:
            services.reorder_work_files(actor=user, work=work, file_ids=form.cleaned_data["order"])
        except RuleViolationError as error:
            violations = error.violations
    return _after_file_change(request, work.pk, violations, "已保存新的顺序。")


@login_required
@require_POST
def file_caption(request, pk: int, file_id: int):
    user = request.user
    work = changeable_work(user, pk)
    item = file_of_work(work, file_id)
    form = CaptionForm(request.POST)
    if not form.is_valid():
        violations = [Violation("file.caption", f"图片说明不能超过{attachment1.CAPTION_MAX_CHARS}字。", "caption")]
        return _after_file_change(request, work.pk, violations, "")
    violations = []
    try:
        services.set_file_caption(actor=user, work=work, file_id=item.pk, caption=form.cleaned_data["caption"])
    except RuleViolationError as error:
        violations = error.violations
    return _after_file_change(request, work.pk, violations, "已保存图片说明。")


# --- the files themselves ------------------------------------------------------------------------------------

VARIANTS = {"original": "original", "thumbnail": "thumbnail", "web": "web_copy", "poster": "poster"}


@require_GET
def file_serve(request, pk: int, file_id: int):
    """A work's file (``?variant=original``, the default) or one of its previews (``thumbnail``, ``web``,
    ``poster``). Private until the work is showcased: only who may see the work gets it (anonymous callers are
    sent to sign in, others get 404). Sent by ``core.files.stored_file_response``: byte ranges (videos on
    iPhones), X-Accel-Redirect behind nginx, a signed address on object storage."""
    variant = request.GET.get("variant") or "original"
    if variant not in VARIANTS:
        raise Http404(FILE_NOT_FOUND)
    access = selectors.work_file_access(request.user, pk)
    if access is None:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise Http404(FILE_NOT_FOUND)
    work, judged, showcased = access.work, access.judged, access.public
    item = WorkFile.objects.filter(pk=file_id, work=work).first()
    if item is None:
        raise Http404(FILE_NOT_FOUND)
    name = getattr(item, VARIANTS[variant]).name
    if not name:
        raise Http404("该文件的预览尚未生成。")
    content_type = item.content_type if variant == "original" else mimetypes.guess_type(name)[0]
    download_name = item.original_name if variant == "original" else f"{variant}-{item.pk}.jpg"
    if judged and variant == "original":
        download_name = f"作品文件-{item.pk}{os.path.splitext(item.original_name)[1].lower()}"
    return stored_file_response(request, name, content_type=content_type, filename=download_name,
                                as_attachment=request.GET.get("download") == "1",
                                cache_control="public, max-age=3600" if showcased else "private, max-age=300")
