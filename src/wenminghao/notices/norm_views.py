"""The pages of the execution norms (执行规范), beside the notices: the chain page (a collective's accounts find the
current norms of every unit from their own up to the city, nearest first; an admin finds its own unit's first, with
the button to publish a new version), a version's page with the unit's history, publishing a version with files, the
overview of a subtree (every unit side by side, 无执行规范 filter, counts in SQL) and the files.

Thin like the notices' views (``views``): reads through ``selectors.norms_visible_to`` (404 for the rest; judges see
no page of the section), permissions named from ``rules``, writes through ``services.publish_norm``, files in through
the one upload intake and out through ``core.files.stored_file_response``. Split from views.py by size.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from wenminghao.core.errors import RuleViolationError, Violation
from wenminghao.core.files import FILE_NOT_FOUND, stored_file_response
from wenminghao.core.forms import violations_into_form
from wenminghao.core.http import client_ip, get_object_for, paginate, require_perm
from wenminghao.core.uploads import UploadTooLarge

from . import selectors, services
from .forms import NormForm, NormOverviewFilterForm
from .models import NormAttachment
from .views import _close, _receive_files, _require_section, _upload_facts

OVERVIEW_PER_PAGE = 50
PUBLISH_DENIED = "只有单位管理员可以发布本单位的执行规范。"
OVERVIEW_DENIED = "只有团委管理员可以查看下级单位的执行规范情况。"


def _norm_for(user, pk: int):
    _require_section(user)
    queryset = selectors.norms_visible_to(user).select_related("unit", "author")
    return get_object_for(user, queryset, pk, "notices.view_norm")


@login_required
@require_GET
def norm_chain(request):
    """The norms the user goes by: the units of their chain, nearest first, each with its current version (or none
    yet), a pending one, and the history."""
    user = request.user
    _require_section(user)
    return render(request, "notices/norms/chain.html", {
        "chain": selectors.norm_chain(user),
        "is_collective": bool(user.collective_id) and not user.is_admin,
        "can_publish": user.has_perm("notices.publish_norm", user.unit),
        "can_overview": user.has_perm("notices.view_norm_overview"),
        "today": timezone.localdate(),
    })


@login_required
@require_GET
def norm_detail(request, pk: int):
    """One version (current, pending or superseded, said at the top) and every version of its unit."""
    user = request.user
    norm = _norm_for(user, pk)
    versions = selectors.unit_versions(norm)
    state = next(version.state for version in versions if version.pk == norm.pk)
    current = next((version for version in versions if version.state == selectors.CURRENT), None)
    return render(request, "notices/norms/detail.html", {
        "norm": norm,
        "state": state,
        "current": current,
        "versions": versions,
        "paragraphs": [part for part in norm.body.splitlines() if part.strip()],
        "attachments": list(norm.attachments.all()),
        "can_publish": user.has_perm("notices.publish_norm", norm.unit),
    })


def _render_form(request, form, *, previous, violations=(), status=200):
    return render(request, "notices/norms/form.html", {
        "form": form, "previous": previous, "violations": list(violations), **_upload_facts(),
    }, status=status)


@csrf_exempt  # receive_streamed_upload checks the CSRF token once the streaming handler is in place
@login_required
def norm_create(request):
    """GET: the form (the previous version's text filled in, to revise); POST: ``services.publish_norm``, then the
    new version's page. A refusal (422), or files too large (413), draws the form again with every reason."""
    user = request.user
    _require_section(user)
    require_perm(user, "notices.publish_norm", user.unit, denied=PUBLISH_DENIED)
    previous = selectors.latest_norm(user.unit)
    initial = {"effective_on": timezone.localdate()}
    if previous is not None:
        initial.update(title=previous.title, body=previous.body)
    if request.method != "POST":
        return _render_form(request, NormForm(previous=previous, initial=initial), previous=previous)
    files, refusal = _receive_files(request)
    if isinstance(refusal, Violation):
        return _render_form(request, NormForm(previous=previous, initial=initial), previous=previous,
                            violations=[refusal], status=413)
    if refusal is not None:
        return refusal
    form = NormForm(request.POST, previous=previous)
    try:
        if not form.is_valid():
            return _render_form(request, form, previous=previous, status=422)
        try:
            norm = services.publish_norm(actor=user, files=files, ip_address=client_ip(request), **form.norm_data())
        except UploadTooLarge as error:
            return _render_form(request, form, previous=previous, violations=error.violations, status=413)
        except RuleViolationError as error:
            violations_into_form(form, error)
            return _render_form(request, form, previous=previous, violations=error.violations, status=422)
    finally:
        _close(files)
    if norm.effective_on > timezone.localdate():
        when = f"将于{norm.effective_on.month}月{norm.effective_on.day}日生效，此前仍执行上一版"
    else:
        when = "已成为现行版本"
    messages.success(request, f"已发布“{norm.title}”第{norm.version}版，{when}。")
    return redirect("notices:norm_detail", norm.pk)


@login_required
@require_GET
def norm_overview(request):
    """Every unit of the admin's subtree side by side with its current version; 50 a page, ``missing=1``: the units
    with none. A fixed number of queries whatever the number of units."""
    user = request.user
    _require_section(user)
    require_perm(user, "notices.view_norm_overview", denied=OVERVIEW_DENIED)
    form = NormOverviewFilterForm(request.GET or None)
    missing_only = form.missing_only()
    counts = selectors.norm_counts(user)
    return render(request, "notices/norms/overview.html", {
        "form": form,
        "missing_only": missing_only,
        "counts": counts,
        "base_depth": user.unit.depth,
        **paginate(request, selectors.norm_overview(user, missing_only=missing_only), per_page=OVERVIEW_PER_PAGE,
                   count=counts["missing"] if missing_only else counts["units"]),
    })


@login_required
@require_GET
def norm_attachment(request, pk: int, file_id: int):
    """A file of a version, to anyone who reads the version (never another version's file through it)."""
    norm = _norm_for(request.user, pk)
    attachment = NormAttachment.objects.filter(pk=file_id, norm=norm).first()
    if attachment is None:
        raise Http404(FILE_NOT_FOUND)
    download = request.GET.get("download") == "1" or attachment.kind == "docx"
    return stored_file_response(request, attachment.original.name, content_type=attachment.content_type,
                                filename=attachment.original_name, as_attachment=download)
