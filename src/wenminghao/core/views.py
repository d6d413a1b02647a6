import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from . import selectors
from .audit_display import decorate
from .files import stored_file_response
from .forms import AuditFilterForm
from .http import get_visible_or_404, is_htmx, paginate
from .models import ExportJob
from .notifications import mark_notifications_read, notifications_of


@login_required
def audit(request):
    """The changes made in the admin's subtree, newest first, each with its values before and after.
    Collective accounts and judges have no subtree: the page does not exist for them."""
    user = request.user
    if not user.has_perm("core.view_audit"):
        raise Http404("未找到该内容，或您无权查看。")
    form = AuditFilterForm(request.GET or None, **selectors.audit_filter_choices(user))
    page = paginate(request, selectors.audit_list(user, **form.filters()), per_page=30)
    decorate(page["object_list"])
    return render(request, "core/audit.html", {"form": form, **page})


# --- export jobs (core.exports) -----------------------------------------------------------------------------


@login_required
@require_GET
def export_detail(request, pk: int):
    """One of the user's export jobs: its state (polled by htmx while it is being made) and the download link."""
    job = get_visible_or_404(ExportJob.objects.filter(requested_by=request.user), pk=pk)
    template = "core/export_status.html" if is_htmx(request) else "core/export_detail.html"
    return render(request, template, {"job": job})


@login_required
@require_GET
def export_download(request, pk: int):
    """The finished file, to the account that asked for it only (404 for anyone else, and while not ready)."""
    job = get_visible_or_404(ExportJob.objects.filter(requested_by=request.user, status=ExportJob.Status.DONE),
                             pk=pk)
    try:
        return stored_file_response(request, job.file.name, content_type=mimetypes.guess_type(job.file_name)[0],
                                    filename=job.file_name, as_attachment=True, cache_control="private, no-store")
    except Http404 as error:
        raise Http404("文件已过期删除，请重新申请导出。") from error


# --- notifications (core.notifications) ---------------------------------------------------------------------


@login_required
@require_GET
def notifications(request):
    """消息: the signed-in account's notifications, newest first, unread highlighted."""
    page = paginate(request, notifications_of(request.user), per_page=30)
    return render(request, "core/notifications.html", page)


@login_required
@require_POST
def notifications_read(request):
    count = mark_notifications_read(user=request.user)
    if count:
        messages.success(request, f"已将{count}条消息标为已读。")
    return redirect("core:notifications")
