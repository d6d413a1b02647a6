"""Field inspections (实地考察): the list (an admin's subtree, a collective's own; ``?campaign=&unit=&rating=&state=
&overdue=1``, overdue rectifications flagged 整改逾期), recording one (an admin above the collective), its page with the
rectification: the collective's answer with photos (the one streamed upload path), the inspecting unit's acceptance or
new request; the photos served privately; and the panel on the collective's page (registered in evaluation/apps.py).

Views stay thin: every inspection and photo comes through ``selectors.inspections`` (invisible answers 404: judges,
other units, other collectives), every action names a permission (403 when the user sees the inspection but may not do
it), every change goes through ``services.inspections`` and a refusal shows all of its messages at once. Which moves
a page offers is ``services.inspections.moves_for``: the transition table decides."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wenminghao.campaigns.selectors import campaigns_visible_to
from wenminghao.collectives.selectors import collectives_visible_to
from wenminghao.core.errors import RuleViolationError, Violation
from wenminghao.core.files import stored_file_response
from wenminghao.core.forms import violations_into_form
from wenminghao.core.http import NOT_VISIBLE, client_ip, get_object_for, get_visible_or_404, int_or_none, paginate
from wenminghao.core.uploads import UploadTooLarge, megabytes, receive_streamed_upload

from ..enums import RectificationState
from ..inspection_forms import InspectionFilterForm, InspectionForm, ReopenForm, ResponseForm
from ..selectors import inspections as selectors
from ..selectors.reminders import reminder_units
from ..services import inspections as services

PER_PAGE = 20
PANEL_SHOWN = 5
ACCEPTED_PHOTOS = ".jpg,.jpeg,.png,image/jpeg,image/png"
DENIED_RECORD = "只有集体的归口单位及上级单位可以登记实地考察。"
DENIED_ANSWER = "只有被考察集体的号长或成员账号可以反馈整改情况。"
DENIED_DECIDE = "只有进行考察的单位及其上级单位可以验收整改。"


# --- the list ------------------------------------------------------------------------------------------------


def _list_campaign(request, campaigns):
    """The campaign of ``?campaign=``: the newest when not asked, every campaign when asked empty, 404 for one the
    user does not see."""
    requested = request.GET.get("campaign", None)
    if requested is None:
        return campaigns.first()
    if requested == "":
        return None
    return get_visible_or_404(campaigns, pk=int_or_none(requested))


@login_required
@require_GET
def inspection_list(request):
    user = request.user
    if not user.has_perm("evaluation.list_inspections"):
        raise Http404(NOT_VISIBLE)
    campaigns = campaigns_visible_to(user).order_by("-year", "-id")
    campaign = _list_campaign(request, campaigns)
    requested_unit = int_or_none(request.GET.get("unit"))
    units = list(reminder_units(user, requested_unit)) if user.is_admin else []
    bound = request.GET.copy() if request.GET else None
    if bound is not None and "campaign" not in bound:  # e.g. ?page=2 of the default list: the form shows its campaign
        bound["campaign"] = campaign.pk if campaign else ""
    form = InspectionFilterForm(bound, campaigns=campaigns, units=units,
                                base_depth=user.unit.depth if user.is_admin else 0,
                                initial={"campaign": campaign.pk if campaign else ""})
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    unit = next((item for item in units if str(item.pk) == data.get("unit")), None)
    collective = None
    if user.is_admin and request.GET.get("collective"):
        collective = get_visible_or_404(collectives_visible_to(user), pk=int_or_none(request.GET.get("collective")))
    filters = {"rating": data.get("rating", ""), "state": data.get("state", ""), "overdue": bool(data.get("overdue"))}
    queryset = selectors.inspection_list(user, campaign=campaign, unit=unit, collective=collective, **filters)
    return render(request, "evaluation/inspections/list.html", {
        "campaign": campaign,
        "form": form,
        "collective": collective,
        "filtered": any(filters.values()) or unit is not None or collective is not None,
        "ignored": [f"{form[name].label}：{error}" for name, errors in form.errors.items() for error in errors
                    if name in form.fields],
        **paginate(request, queryset, per_page=PER_PAGE),
    })


# --- recording an inspection ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def inspection_create(request, collective_pk: int):
    """The form of an inspection of the collective for the campaign ``?campaign=`` (the newest by default); POST
    records it through ``services.record_inspection`` and goes to its page."""
    user = request.user
    collective = get_object_for(user, collectives_visible_to(user).select_related("unit"), collective_pk,
                                "evaluation.add_inspection", denied=DENIED_RECORD)
    campaigns = list(campaigns_visible_to(user).filter(office_id__in=collective.unit.ancestor_ids)
                     .order_by("-year", "-id"))
    if not campaigns:
        messages.error(request, f"“{collective.name}”尚未参加任何创建活动，暂不能登记实地考察。")
        return redirect("collectives:detail", collective.pk)
    asked = int_or_none(request.GET.get("campaign"))
    campaign = next((item for item in campaigns if item.pk == asked), campaigns[0])
    data = request.POST if request.method == "POST" else None
    form = InspectionForm(data, campaigns=campaigns,
                          initial={"campaign": str(campaign.pk), "date": timezone.localdate().isoformat()})
    violations, status = [], 200
    if data is not None:
        try:
            inspection = services.record_inspection(actor=user, collective=collective, data=form.inspection_data(),
                                                    ip_address=client_ip(request))
        except RuleViolationError as error:
            violations, status = violations_into_form(form, error), 422
        else:
            notice = "，已通知该集体按期整改" if inspection.rectification else ""
            messages.success(request, f"已登记对“{collective.name}”的实地考察{notice}。")
            return redirect("evaluation:inspection", inspection.pk)
    return render(request, "evaluation/inspections/form.html", {
        "collective": collective, "campaign": campaign, "form": form, "violations": violations,
    }, status=status)


# --- an inspection's page and its rectification --------------------------------------------------------------


def _latest_request(history) -> dict | None:
    """The newest request to rectify again (its comment and deadline), if any."""
    for entry in reversed(history):
        if entry.action == "inspection.reopen":
            return entry.after or {}
    return None


def _detail(request, inspection, *, status: int = 200, **extra):
    user = request.user
    history = selectors.inspection_history(inspection)
    moves = services.moves_for(user, inspection)
    context = {
        "inspection": inspection,
        "collective": inspection.collective,
        "campaign": inspection.campaign,
        "checks": selectors.checks_in_order(inspection),
        "photos": list(inspection.photos.all()),
        "history": history,
        "latest_request": _latest_request(history),
        "can_answer": RectificationState.ANSWERED in moves,
        "can_accept": RectificationState.ACCEPTED in moves,
        "can_reopen": RectificationState.ASKED in moves,
        "can_change_photos": services.may_change_photos(user, inspection),
        "response_form": ResponseForm(initial={"response": inspection.response}),
        "reopen_form": ReopenForm(),
        "upload_limit": megabytes(services.photo_max_bytes()),
        "max_photos": services.MAX_PHOTOS,
        "accepted_photos": ACCEPTED_PHOTOS,
        "violations": [],
    }
    context.update(extra)
    return render(request, "evaluation/inspections/detail.html", context, status=status)


@login_required
@require_GET
def inspection_detail(request, pk: int):
    return _detail(request, selectors.get_inspection_for(request.user, pk, "evaluation.view_inspection"))


def _move(request, pk: int, to_state: str, perm: str, denied: str, form_class, form_key: str, done: str):
    """One move of the rectification from the inspection's page (``services.change_rectification``); a refusal
    shows the page again with every reason and the form as typed (422)."""
    user = request.user
    inspection = selectors.get_inspection_for(user, pk, perm, denied=denied)
    form = form_class(request.POST) if form_class is not None else None
    fields = form.data if form is not None else {}
    try:
        services.change_rectification(actor=user, inspection=inspection, to_state=to_state,
                                      response=fields.get("response", ""), comment=fields.get("comment", ""),
                                      rectify_by=fields.get("rectify_by", ""), ip_address=client_ip(request))
    except RuleViolationError as error:
        extra = {}
        if form is not None:
            extra = {form_key: form, "violations": violations_into_form(form, error)}
        else:
            extra = {"violations": error.violations}
        return _detail(request, selectors.get_inspection_for(user, pk), status=422,
                       violations_title="未能处理整改：", **extra)
    messages.success(request, done)
    return redirect("evaluation:inspection", pk)


@login_required
@require_POST
def inspection_respond(request, pk: int):
    return _move(request, pk, RectificationState.ANSWERED, "evaluation.answer_rectification", DENIED_ANSWER,
                 ResponseForm, "response_form", "已提交整改情况，考察单位会收到通知并进行验收。")


@login_required
@require_POST
def inspection_accept(request, pk: int):
    return _move(request, pk, RectificationState.ACCEPTED, "evaluation.decide_rectification", DENIED_DECIDE,
                 None, "", "已验收通过整改，集体会收到通知。")


@login_required
@require_POST
def inspection_reopen(request, pk: int):
    return _move(request, pk, RectificationState.ASKED, "evaluation.decide_rectification", DENIED_DECIDE,
                 ReopenForm, "reopen_form", "已要求再次整改，集体会收到通知和新的整改期限。")


# --- photos --------------------------------------------------------------------------------------------------


def _refused_upload(request, pk: int, violations, status: int):
    inspection = selectors.get_inspection_for(request.user, pk)
    return _detail(request, inspection, status=status, violations=violations, violations_title="未能上传整改照片：")


@csrf_exempt  # receive_streamed_upload checks the CSRF token once the streaming handler is in place
@login_required
@require_POST
def photo_upload(request, pk: int):
    """One photo (multipart field ``file``), streamed to disk and checked by ``services.add_inspection_photo``; 413
    past the size limit (from Content-Length before reading, or while streaming)."""
    user = request.user
    inspection = selectors.get_inspection_for(user, pk, "evaluation.answer_rectification",
                                              denied="只有被考察集体的账号可以上传整改照片。")
    received = receive_streamed_upload(request, limit=services.photo_max_bytes())
    if received.csrf_failure is not None:
        return received.csrf_failure
    if received.too_large is not None:
        return _refused_upload(request, pk, [received.too_large], 413)
    upload = received.file
    if upload is None:
        return _refused_upload(request, pk, [Violation("file.missing", "请选择要上传的整改照片", "file")], 422)
    try:
        photo = services.add_inspection_photo(actor=user, inspection=inspection, upload=upload,
                                              ip_address=client_ip(request))
    except UploadTooLarge as error:
        return _refused_upload(request, pk, error.violations, 413)
    except RuleViolationError as error:
        return _refused_upload(request, pk, error.violations, 422)
    finally:
        upload.close()
    messages.success(request, f"已上传整改照片“{photo.original_name}”。")
    return redirect(reverse("evaluation:inspection", args=[pk]) + "#rectification")


@login_required
@require_POST
def photo_remove(request, pk: int, photo_pk: int):
    user = request.user
    inspection = selectors.get_inspection_for(user, pk, "evaluation.answer_rectification",
                                              denied="只有被考察集体的账号可以删除整改照片。")
    photo = next((item for item in inspection.photos.all() if item.pk == photo_pk), None)
    if photo is None:
        raise Http404("未找到该照片，或您无权查看。")
    try:
        services.remove_inspection_photo(actor=user, inspection=inspection, photo_id=photo.pk,
                                         ip_address=client_ip(request))
    except RuleViolationError as error:
        return _refused_upload(request, pk, error.violations, 422)
    messages.success(request, f"已删除整改照片“{photo.original_name}”。")
    return redirect(reverse("evaluation:inspection", args=[pk]) + "#rectification")


@login_required
@require_GET
def photo_serve(request, pk: int, photo_pk: int):
    """A rectification photo, only to who may see the inspection (404 for anyone else, as for a photo that is not
    there); private, never kept by a shared cache."""
    photo = selectors.get_inspection_photo_for(request.user, pk, photo_pk)
    return stored_file_response(request, photo.original.name, content_type=photo.content_type,
                                filename=photo.original_name, as_attachment=request.GET.get("download") == "1",
                                cache_control="private, max-age=300")


# --- the panel on the collective's page (collectives.panels; registered in evaluation/apps.py) ---------------


def collective_panel(request, collective) -> dict | None:
    """The collective's newest inspections with their rating and rectification state, for its own accounts and the
    admins above it; a link to record one for those admins."""
    user = request.user
    if not user.has_perm("evaluation.view_collective_inspections", collective):
        return None
    inspections, count = selectors.collective_inspections(collective, shown=PANEL_SHOWN)
    return {"panel_inspections": inspections, "panel_inspection_count": count,
            "can_add_inspection": user.has_perm("evaluation.add_inspection", collective)}


urlpatterns = [
    path("inspections/", inspection_list, name="inspections"),
    path("collectives/<int:collective_pk>/inspections/new/", inspection_create, name="inspection_new"),
    path("inspections/<int:pk>/", inspection_detail, name="inspection"),
    path("inspections/<int:pk>/respond/", inspection_respond, name="inspection_respond"),
    path("inspections/<int:pk>/accept/", inspection_accept, name="inspection_accept"),
    path("inspections/<int:pk>/reopen/", inspection_reopen, name="inspection_reopen"),
    path("inspections/<int:pk>/photos/", photo_upload, name="inspection_photo_upload"),
    path("inspections/<int:pk>/photos/<int:photo_pk>/", photo_serve, name="inspection_photo"),
    path("inspections/<int:pk>/photos/<int:photo_pk>/remove/", photo_remove, name="inspection_photo_remove"),
]
