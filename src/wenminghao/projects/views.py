"""The joint projects' pages (联创项目): the list (filters: kind, mine/unit, ongoing/ended), creating and editing a
project, its page (partners, progress entries newest first and paginated, 互学互访 visits, results), and the
actions on it: adding and removing partners, a progress entry with photos, a visit, finishing it with its results;
the progress photos are served through a permission-checking view. The collectives of the forms are chosen with the
platform's picker (partials/collective_picker.html), whose search results come from ``collective_options``.

Views stay thin: every project comes through ``selectors.projects_visible_to`` (invisible answers 404; judges see
no page of this section), every action names a permission of ``rules`` (403 when the user sees the project but may
not do it), every change goes through ``services`` and a refused form answers 422 with all the service's messages.
Photos arrive through the one upload intake (``core.uploads.receive_streamed_upload``) and leave through
``core.files.stored_file_response``.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from wenminghao.core.errors import RuleViolationError
from wenminghao.core.files import FILE_NOT_FOUND, stored_file_response
from wenminghao.core.forms import violations_into_form
from wenminghao.core.http import client_ip, get_object_for, int_or_none, paginate, require_perm
from wenminghao.core.uploads import UploadTooLarge, megabytes, receive_streamed_upload
from wenminghao.works.uploads import attachment_max_bytes

from . import selectors, services
from .forms import FinishForm, PartnerForm, ProgressForm, ProjectFilterForm, ProjectForm, VisitForm
from .models import MAX_PHOTOS, ProgressPhoto

PER_PAGE = 20
PROGRESS_PER_PAGE = 10
ACCEPTED_PHOTOS = ".jpg,.jpeg,.png,image/jpeg,image/png"
DENIED_CREATE = "只有集体号长和团委管理员可以创建联创项目。"
DENIED_MANAGE = "只有牵头集体的号长和管理单位可以修改联创项目。"
DENIED_PARTNERS = "只有牵头集体的号长和管理单位可以调整进行中项目的参与集体。"
DENIED_PROGRESS = "只有参与集体的账号和管理单位可以记录项目进展。"
DENIED_VISIT = "只有参与集体的账号和管理单位可以登记互学互访。"
DENIED_FINISH = "只有牵头集体的号长和管理单位可以为进行中的项目填写成果并结项。"
PICKED_FIELDS = ("lead", "partners", "collective")  # the pickers' fields (what a refused form shows again)


def _require_section(user) -> None:
    """Joint projects are for the units' admins and the collectives' accounts: judges see no such page."""
    if not (user.is_admin and user.unit_id) and not user.collective_id:
        raise Http404("未找到该页面，或您无权查看。")


def _project_for(user, pk: int, perm: str | None = None, *, denied: str = "您没有权限执行此操作。"):
    _require_section(user)
    queryset = selectors.projects_visible_to(user).select_related("lead", "lead__unit", "owner_unit", "campaign",
                                                                  "created_by")
    return get_object_for(user, queryset, pk, perm, denied=denied)


# --- the list ------------------------------------------------------------------------------------------------


@login_required
@require_GET
def project_list(request):
    user = request.user
    _require_section(user)
    form = ProjectFilterForm(request.GET or None, user=request.user)
    filters = form.filters()
    return render(request, "projects/list.html", {
        "form": form,
        "filtered": any(filters.values()),
        "is_collective": bool(user.collective_id) and not user.is_admin,
        "can_create": user.has_perm("projects.create_project"),
        **paginate(request, selectors.project_list(user, **filters), per_page=PER_PAGE),
    })


# --- creating and editing ------------------------------------------------------------------------------------


def _picked(user, data) -> dict:
    """What the pickers of a form sent back, as collectives of the user's office (one or two queries; none for a
    form not sent): a refused form shows them again."""
    if data is None:
        return {name: [] for name in PICKED_FIELDS}
    ids = {name: [int_or_none(value) for value in data.getlist(name)] for name in PICKED_FIELDS}
    wanted = [number for values in ids.values() for number in values if number]
    found = {collective.pk: collective for collective in selectors.collectives_by_ids(user, wanted)}
    return {name: [found[number] for number in values if number in found] for name, values in ids.items()}


def _render_form(request, form, *, project=None, violations=(), status=200):
    data = request.POST if request.method == "POST" and project is None else None
    return render(request, "projects/form.html", {
        "form": form, "project": project, "violations": list(violations), "picked": _picked(request.user, data),
    }, status=status)


@login_required
def project_create(request):
    user = request.user
    _require_section(user)
    require_perm(user, "projects.create_project", denied=DENIED_CREATE)
    if request.method != "POST":
        return _render_form(request, ProjectForm(user=user))
    form = ProjectForm(request.POST, user=user)
    if not form.is_valid():
        return _render_form(request, form, status=422)
    try:
        project = services.create_project(actor=user, ip_address=client_ip(request), **form.project_data())
    except RuleViolationError as error:
        violations_into_form(form, error)
        return _render_form(request, form, violations=error.violations, status=422)
    messages.success(request, f"已创建联创项目“{project.title}”，各参与集体的账号和所属单位都能看到。")
    return redirect("projects:detail", project.pk)


@login_required
def project_edit(request, pk: int):
    user = request.user
    project = _project_for(user, pk, "projects.change_project", denied=DENIED_MANAGE)
    initial = {"title": project.title, "kind": project.kind, "goals": project.goals, "started": project.started,
               "ended": project.ended, "campaign": project.campaign_id}
    if request.method != "POST":
        return _render_form(request, ProjectForm(user=user, initial=initial, edit=True), project=project)
    form = ProjectForm(request.POST, user=user, initial=initial, edit=True)
    if not form.is_valid():
        return _render_form(request, form, project=project, status=422)
    data = form.project_data()
    try:
        services.update_project(actor=user, project=project, title=data["title"], kind=data["kind"],
                                goals=data["goals"], started=data["started"], ended=data["ended"],
                                campaign=data.get("campaign", project.campaign), ip_address=client_ip(request))
    except RuleViolationError as error:
        violations_into_form(form, error)
        return _render_form(request, form, project=project, violations=error.violations, status=422)
    messages.success(request, "已保存联创项目的修改。")
    return redirect("projects:detail", project.pk)


# --- the project's page --------------------------------------------------------------------------------------


def detail_context(request, project, **extra) -> dict:
    user = request.user
    partners = list(selectors.partners_of(project))
    ongoing = project.finished_at is None
    context = {
        "project": project,
        "partners": partners,
        "visits": list(selectors.visits_of(project)[:20]),
        "can_change": user.has_perm("projects.change_project", project),
        "can_partners": user.has_perm("projects.manage_partners", project),
        "can_progress": ongoing and user.has_perm("projects.add_progress", project),
        "can_visit": user.has_perm("projects.record_visit", project),
        "can_finish": user.has_perm("projects.finish_project", project),
        "progress_form": ProgressForm(),
        "visit_form": VisitForm(partners=partners),
        "partner_form": None,
        "finish_form": FinishForm(),
        "violations": [],
        "upload_limit": megabytes(attachment_max_bytes()),
        "max_photos": MAX_PHOTOS,
        "accepted_photos": ACCEPTED_PHOTOS,
        **paginate(request, selectors.progress_of(project), per_page=PROGRESS_PER_PAGE),
    }
    if context["can_partners"]:
        context["partner_form"] = PartnerForm()
        context["partner_picked"] = []
        # the picker leaves out the project's partners
        context["partner_options_url"] = (reverse("projects:collective_options") + "?"
                                          + urlencode([("exclude", partner.collective_id) for partner in partners]))
    context.update(extra)
    return context


@login_required
@require_GET
def project_detail(request, pk: int):
    project = _project_for(request.user, pk)
    return render(request, "projects/detail.html", detail_context(request, project))


def _refused(request, project, error, status=422, **extra):
    return render(request, "projects/detail.html", detail_context(
        request, project, violations=error.violations, **extra), status=status)


@login_required
@require_POST
def partner_add(request, pk: int):
    user = request.user
    project = _project_for(user, pk, "projects.manage_partners", denied=DENIED_PARTNERS)
    form = PartnerForm(request.POST)
    form.is_valid()
    collective = form.cleaned_data.get("collective")
    try:
        if collective is None:
            raise RuleViolationError.single("project.collective_required", "请选择要添加的集体", "collective")
        partner = services.add_partner(actor=user, project=project, collective=collective,
                                       ip_address=client_ip(request))
    except RuleViolationError as error:
        violations_into_form(form, error)
        return _refused(request, project, error, violations_title="未能添加集体：", partner_form=form,
                        partner_picked=_picked(user, request.POST)["collective"])
    messages.success(request, f"已添加{partner.collective.name}为参与集体。")
    return redirect("projects:detail", project.pk)


@login_required
@require_POST
def partner_remove(request, pk: int, collective_id: int):
    user = request.user
    project = _project_for(user, pk, "projects.manage_partners", denied=DENIED_PARTNERS)
    try:
        services.remove_partner(actor=user, project=project, collective=collective_id, ip_address=client_ip(request))
    except RuleViolationError as error:
        return _refused(request, project, error, violations_title="未能移除集体：")
    messages.success(request, "已移除该参与集体。")
    return redirect("projects:detail", project.pk)


@csrf_exempt  # receive_streamed_upload checks the CSRF token once the streaming handler is in place
@login_required
@require_POST
def progress_add(request, pk: int):
    """A progress entry with up to nine photos (multipart field ``photos``)."""
    user = request.user
    project = _project_for(user, pk, "projects.add_progress", denied=DENIED_PROGRESS)
    received = receive_streamed_upload(request, limit=attachment_max_bytes(), field="photos",
                                       max_files=MAX_PHOTOS)
    if received.csrf_failure is not None:
        return received.csrf_failure
    if received.too_large is not None:
        return _refused(request, project, RuleViolationError([received.too_large]), status=413,
                        violations_title="未能记录进展：")
    photos = request.FILES.getlist("photos")
    form = ProgressForm(request.POST)
    form.is_valid()
    try:
        services.add_progress(actor=user, project=project, date=form.cleaned_data.get("date"),
                              text=form.cleaned_data.get("text", ""), photos=photos, ip_address=client_ip(request))
    except RuleViolationError as error:
        violations_into_form(form, error)
        status = 413 if isinstance(error, UploadTooLarge) else 422
        return _refused(request, project, error, status=status, progress_form=form, violations_title="未能记录进展：")
    finally:
        for upload in photos:
            upload.close()
    messages.success(request, "已记录项目进展，各参与集体和所属单位都能看到。")
    return redirect("projects:detail", project.pk)


@login_required
@require_POST
def visit_add(request, pk: int):
    user = request.user
    project = _project_for(user, pk, "projects.record_visit", denied=DENIED_VISIT)
    partners = list(selectors.partners_of(project))
    form = VisitForm(request.POST, partners=partners)
    form.is_valid()
    data = form.cleaned_data
    try:
        services.record_visit(actor=user, project=project, date=data.get("date"), host=data.get("host"),
                              visitors=data.get("visitors") or [], topic=data.get("topic", ""),
                              notes=data.get("notes", ""), ip_address=client_ip(request))
    except RuleViolationError as error:
        violations_into_form(form, error)
        return _refused(request, project, error, visit_form=form, violations_title="未能登记互学互访：")
    messages.success(request, "已登记互学互访。")
    return redirect("projects:detail", project.pk)


@login_required
@require_POST
def project_finish(request, pk: int):
    user = request.user
    project = _project_for(user, pk, "projects.finish_project", denied=DENIED_FINISH)
    form = FinishForm(request.POST)
    form.is_valid()
    try:
        services.finish_project(actor=user, project=project, results=form.cleaned_data.get("results", ""),
                                ended=form.cleaned_data.get("ended"), ip_address=client_ip(request))
    except RuleViolationError as error:
        violations_into_form(form, error)
        return _refused(request, project, error, finish_form=form, violations_title="未能结项：")
    messages.success(request, "项目已结项，成果已记录。")
    return redirect("projects:detail", project.pk)


# --- the options of the forms' collective pickers (partials/collective_picker.html; an htmx fragment) ----------


@login_required
@require_GET
def collective_options(request):
    """At most ``selectors.OPTIONS_LIMIT`` collectives of the user's city office matching ``q``, for one picker
    (``field`` lead, partners or collective; ``purpose`` "lead": an admin's own subtree), leaving out those already
    picked (sent back as ``lead``, ``partners``, ``collective``) and ``exclude`` (a project's partners). For whoever
    may create a project: they are the ones who fill these forms."""
    user = request.user
    _require_section(user)
    require_perm(user, "projects.create_project", denied=DENIED_CREATE)
    field = request.GET.get("field", "")
    if field not in PICKED_FIELDS:
        raise Http404("未找到该页面，或您无权查看。")
    purpose = request.GET.get("purpose", "partner")
    if purpose not in selectors.PICKER_PURPOSES:
        purpose = "partner"
    exclude = [number for name in (*PICKED_FIELDS, "exclude")
               for number in map(int_or_none, request.GET.getlist(name)) if number]
    if user.collective_id and not user.is_admin:
        exclude.append(user.collective_id)  # a leader's own collective leads: never its partner
    search = request.GET.get("q", "").strip()[:100]
    options = selectors.collective_options(user, purpose=purpose, search=search, exclude=exclude)
    return render(request, "partials/collective_options.html", {
        "options": options, "field": field, "search": search, "limit": selectors.OPTIONS_LIMIT,
        "empty": "没有找到本单位或下级单位的集体" if purpose == "lead" else "没有找到本市的集体",
    })


@login_required
@require_GET
def progress_photo(request, pk: int, photo_id: int):
    """A progress photo, to anyone who sees the project (404 for a photo of another project)."""
    project = _project_for(request.user, pk)
    photo = ProgressPhoto.objects.filter(pk=photo_id, entry__project=project).first()
    if photo is None:
        raise Http404(FILE_NOT_FOUND)
    return stored_file_response(request, photo.original.name, content_type=photo.content_type,
                                filename=photo.original_name, as_attachment=False)

