"""A collective's ledger and its entries: the ledger of one campaign (four activities, the 青年大学习 summary), an
entry's form per activity, its page with files and comments (查阅台账), and the panel on the collective's page.

Views stay thin: the collective comes through ``collectives_visible_to`` and every entry, file and comment through
the ledger's selectors (invisible answers 404, judges included), every action names a permission (403 when the
user sees the thing but may not do it), every change goes through ``ledger.services`` and a refusal shows all the
service's messages at once.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from wenminghao.collectives.selectors import collectives_visible_to
from wenminghao.core.errors import RuleViolationError, Violation
from wenminghao.core.files import stored_file_response
from wenminghao.core.forms import violations_into_form
from wenminghao.core.http import client_ip, get_object_for, paginate, querystring_without, safe_next
from wenminghao.core.uploads import UploadTooLarge, megabytes, receive_streamed_upload
from wenminghao.projects.selectors import collective_projects

from .. import selectors, services
from ..enums import Activity, AttachmentKind, PairingState
from ..forms import CommentForm, EntryForm, LedgerFilterForm
from ..models import Pairing

PER_PAGE = 20
FILE_NOT_FOUND = "未找到该文件，或您无权查看。"
ACCEPTED_FILES = ".jpg,.jpeg,.png,.pdf,.docx,image/jpeg,image/png,application/pdf"


def ledger_collective(user, collective_id: int, perm: str = "ledger.view_ledger", *,
                      denied: str = "您无权查看该集体的台账。"):
    """A collective whose ledger the user may see (404 otherwise), checked for ``perm`` (403 with ``denied``)."""
    queryset = collectives_visible_to(user).select_related("unit")
    return get_object_for(user, queryset, collective_id, perm, denied=denied)


def ledger_url(collective_id: int, campaign_id: int | None = None) -> str:
    url = reverse("ledger:collective", args=[collective_id])
    return f"{url}?campaign={campaign_id}" if campaign_id else url


# --- a collective's ledger --------------------------------------------------------------------------------


@login_required
@require_GET
def collective_ledger(request, collective_id: int):
    """One campaign's ledger of a collective: counts per activity as tabs, a date range, the entries a page at a
    time with each activity's key facts, and the 青年大学习 summary. A fixed number of queries whatever N."""
    user = request.user
    collective = ledger_collective(user, collective_id)
    campaign = selectors.campaign_of_ledger(collective, request.GET.get("campaign"))
    form = LedgerFilterForm(request.GET or None)
    filters = form.filters()
    context = {
        "collective": collective,
        "campaign": campaign,
        "campaigns": list(selectors.ledger_campaigns(collective)) if campaign is not None else [],
        "form": form,
        "chosen_activity": filters.get("activity", ""),
        "can_add": user.has_perm("ledger.add_entry", collective),
        "can_export": user.has_perm("ledger.export_ledger", collective),
        "activities": Activity.choices,
        "projects": collective_projects(user, collective),  # the "联创项目" card: a count and the newest few
    }
    if campaign is not None:
        counts = selectors.activity_counts(collective, campaign)
        context.update(
            counts=counts,
            total=sum(counts.values()),
            tabs=[(value, label, counts[value]) for value, label in Activity.choices],
            study=selectors.study_summary(collective, campaign),
            **paginate(request, selectors.entry_list(user, collective=collective, campaign=campaign, **filters),
                       per_page=PER_PAGE),
        )
        context["querystring_without_activity"] = querystring_without(request.GET, "page", "activity",
                                                                      campaign=str(campaign.pk))
    return render(request, "ledger/collective.html", context)


# --- creating and editing an entry -------------------------------------------------------------------------


def _form_choices(collective, campaign, activity: str, entry=None) -> dict:
    """The choices the activity's form offers: members (号长 first), the pairings a visit may name, the targets."""
    if activity == Activity.STUDY:
        return {"members": list(collective.members.order_by("-is_leader", "id"))}
    if activity == Activity.FAMILIES:
        pairings = Pairing.objects.filter(collective=collective, state=PairingState.ACTIVE)
        if entry is not None and entry.pairing_id:
            pairings = pairings | Pairing.objects.filter(pk=entry.pairing_id)
        return {"pairings": list(pairings.order_by("-started", "-id"))}
    if activity == Activity.BENCHMARK:
        targets = selectors.targets_of(collective, campaign)
        if entry is not None:
            targets = targets.exclude(pk=entry.pk)
        return {"targets": list(targets)}
    return {}


def _render_form(request, form, *, collective, campaign, entry=None, violations=(), status=200):
    return render(request, "ledger/entry_form.html", {
        "form": form,
        "collective": collective,
        "campaign": campaign,
        "entry": entry,
        "activity": form.activity,
        "violations": list(violations),
        "can_edit_collective": request.user.has_perm("collectives.change_collective", collective),
    }, status=status)


@login_required
def entry_create(request, collective_id: int, activity: str):
    """The form of an entry of ``activity`` for the campaign ``?campaign=`` (the newest by default); POST records it
    through ``services.create_entry`` and goes to the entry's page."""
    if activity not in Activity.values:
        raise Http404("没有这类台账活动。")
    user = request.user
    collective = ledger_collective(user, collective_id, "ledger.add_entry",
                                   denied="您不能在该集体的台账中记录。")
    campaign = selectors.campaign_of_ledger(collective, request.GET.get("campaign"))
    if campaign is None:
        messages.error(request, f"“{collective.name}”尚未参加任何创建活动，暂不能记录台账。")
        return redirect("ledger:collective", collective.pk)
    data = request.POST if request.method == "POST" else None
    choices = _form_choices(collective, campaign, activity)
    initial = {"date": timezone.localdate()}
    # 登记走访 on a pairing's page comes with ?pairing=: that pairing is chosen (when it is one the form offers)
    asked_pairing = request.GET.get("pairing", "")
    if any(str(pairing.pk) == asked_pairing for pairing in choices.get("pairings", ())):
        initial["pairing"] = asked_pairing
    form = EntryForm(data, activity=activity, collective=collective, initial=initial, **choices)
    if data is not None and form.is_valid():
        try:
            entry = services.create_entry(actor=user, collective=collective, campaign=campaign,
                                          data=form.entry_data(), ip_address=client_ip(request))
        except RuleViolationError as error:
            violations_into_form(form, error)
            return _render_form(request, form, collective=collective, campaign=campaign,
                                violations=error.violations, status=422)
        messages.success(request, f"已记录{entry.get_activity_display()}“{entry.title}”。")
        return redirect("ledger:entry", entry.pk)
    return _render_form(request, form, collective=collective, campaign=campaign)


@login_required
def entry_edit(request, entry_id: int):
    user = request.user
    entry = selectors.get_entry_for(user, entry_id, "ledger.change_entry", denied="您不能修改这条台账记录。")
    collective, campaign = entry.collective, entry.campaign
    data = request.POST if request.method == "POST" else None
    form = EntryForm(data, activity=entry.activity, collective=collective, initial=EntryForm.initial_of(entry),
                     **_form_choices(collective, campaign, entry.activity, entry))
    if data is not None and form.is_valid():
        try:
            entry = services.update_entry(actor=user, entry=entry, data=form.entry_data(),
                                          ip_address=client_ip(request))
        except RuleViolationError as error:
            violations_into_form(form, error)
            return _render_form(request, form, collective=collective, campaign=campaign, entry=entry,
                                violations=error.violations, status=422)
        messages.success(request, f"已保存“{entry.title}”的修改。")
        return redirect("ledger:entry", entry.pk)
    return _render_form(request, form, collective=collective, campaign=campaign, entry=entry)


@login_required
@require_POST
def entry_delete(request, entry_id: int):
    user = request.user
    entry = selectors.get_entry_for(user, entry_id, "ledger.change_entry", denied="您不能删除这条台账记录。")
    collective_id, campaign_id, title = entry.collective_id, entry.campaign_id, entry.title
    services.delete_entry(actor=user, entry=entry, ip_address=client_ip(request))
    messages.success(request, f"已删除台账记录“{title}”及其附件和评阅意见。")
    return redirect(ledger_url(collective_id, campaign_id))


# --- the entry's page ------------------------------------------------------------------------------------------


def entry_context(request, entry, **extra) -> dict:
    user = request.user
    attachments = list(entry.attachments.all())
    context = {
        "entry": entry,
        "collective": entry.collective,
        "attendees": list(entry.attendees.all()),
        "help_kinds": list(entry.help_kinds.all()),
        "shown_items": list(entry.shown_items.all()),
        "attachments": attachments,
        "comments": list(entry.comments.all()),
        "can_change": user.has_perm("ledger.change_entry", entry),
        "can_comment": user.has_perm("ledger.comment_entry", entry),
        "can_resolve": user.has_perm("ledger.resolve_comment", entry),
        "comment_form": CommentForm(),
        "upload_limit": megabytes(services.attachment_max_bytes()),
        "max_files": services.MAX_ATTACHMENTS,
        "accepted_files": ACCEPTED_FILES,
        "violations": [],
    }
    context.update(extra)
    return context


@login_required
@require_GET
def entry_detail(request, entry_id: int):
    entry = selectors.get_entry_for(request.user, entry_id)
    return render(request, "ledger/entry.html", entry_context(request, entry))


# --- files -------------------------------------------------------------------------------------------------


def _refused_upload(request, entry_id: int, violations, status: int):
    """The entry's page again, with why the file was not taken (413 too large, 422 refused)."""
    entry = selectors.get_entry_for(request.user, entry_id)
    return render(request, "ledger/entry.html", entry_context(
        request, entry, violations=violations, violations_title="未能上传附件：",
    ), status=status)


@csrf_exempt  # receive_streamed_upload checks the CSRF token once the streaming handler is in place
@login_required
@require_POST
def attachment_upload(request, entry_id: int):
    """One photo or document (multipart field ``file``), streamed to disk and checked by
    ``services.add_attachment``; 413 past the size limit (from Content-Length before reading, or while streaming)."""
    user = request.user
    entry = selectors.get_entry_for(user, entry_id, "ledger.change_entry", denied="您不能给这条台账记录上传附件。")
    received = receive_streamed_upload(request, limit=services.attachment_max_bytes())
    if received.csrf_failure is not None:
        return received.csrf_failure
    if received.too_large is not None:
        return _refused_upload(request, entry.pk, [received.too_large], 413)
    upload = received.file
    if upload is None:
        return _refused_upload(request, entry.pk, [Violation("file.missing", "请选择要上传的图片或文档", "file")], 422)
    try:
        attachment = services.add_attachment(actor=user, entry=entry, upload=upload, ip_address=client_ip(request))
    except UploadTooLarge as error:
        return _refused_upload(request, entry.pk, error.violations, 413)
    except RuleViolationError as error:
        return _refused_upload(request, entry.pk, error.violations, 422)
    finally:
        upload.close()
    messages.success(request, f"已上传“{attachment.original_name}”。")
    return redirect("ledger:entry", entry.pk)


@login_required
@require_POST
def attachment_remove(request, entry_id: int, file_id: int):
    user = request.user
    entry = selectors.get_entry_for(user, entry_id, "ledger.change_entry", denied="您不能删除这条台账记录的附件。")
    attachment = next((item for item in entry.attachments.all() if item.pk == file_id), None)
    if attachment is None:
        raise Http404(FILE_NOT_FOUND)
    services.remove_attachment(actor=user, entry=entry, attachment_id=attachment.pk, ip_address=client_ip(request))
    messages.success(request, f"已删除附件“{attachment.original_name}”。")
    return redirect(safe_next(request, reverse("ledger:entry", args=[entry.pk])))


@login_required
@require_GET
def attachment_serve(request, entry_id: int, file_id: int):
    """A file of an entry (or its thumbnail with ``?thumb=1``), only to who may see the entry (404 for anyone
    else, as for a file that is not there); private, never kept by a shared cache."""
    attachment = selectors.get_attachment_for(request.user, entry_id, file_id)
    if request.GET.get("thumb") == "1":
        if not attachment.thumbnail:
            raise Http404("该图片的缩略图尚未生成。")
        return stored_file_response(request, attachment.thumbnail.name, content_type="image/jpeg",
                                    filename=f"缩略图-{attachment.pk}.jpg", cache_control="private, max-age=300")
    download = request.GET.get("download") == "1" or attachment.kind == AttachmentKind.DOCX
    return stored_file_response(request, attachment.original.name, content_type=attachment.content_type,
                                filename=attachment.original_name, as_attachment=download,
                                cache_control="private, max-age=300")


# --- comments (查阅台账) -------------------------------------------------------------------------------------


@login_required
@require_POST
def comment_create(request, entry_id: int):
    """A unit's comment on an entry; the collective's accounts are notified (services.add_comment). A refused
    comment comes back in its form with the reason, so that the text is not lost."""
    user = request.user
    entry = selectors.get_entry_for(user, entry_id, "ledger.comment_entry",
                                    denied="只有集体的归口单位及上级单位可以评阅台账。")
    form = CommentForm(request.POST)
    form.is_valid()
    try:
        services.add_comment(actor=user, entry=entry, text=form.cleaned_data.get("text", ""),
                             ip_address=client_ip(request))
    except RuleViolationError as error:
        violations_into_form(form, error)
        entry = selectors.get_entry_for(user, entry_id)
        return render(request, "ledger/entry.html", entry_context(request, entry, comment_form=form), status=422)
    messages.success(request, f"已发送评阅意见，{entry.collective.name}会收到通知。")
    return redirect(safe_next(request, reverse("ledger:entry", args=[entry.pk]) + "#comments"))


@login_required
@require_POST
def comment_resolve(request, comment_id: int):
    user = request.user
    comment = selectors.get_comment_for(user, comment_id, "ledger.resolve_comment", denied="您不能处理这条评阅意见。")
    services.resolve_comment(actor=user, comment=comment, ip_address=client_ip(request))
    messages.success(request, "已将这条评阅意见标记为已处理。")
    return redirect(safe_next(request, reverse("ledger:entry", args=[comment.entry_id]) + "#comments"))


# --- the panel on the collective's page (collectives.panels; registered in ledger/apps.py) -------------------


def collective_panel(request, collective) -> dict | None:
    """The newest campaign's entries per activity and the study coverage, for who may see the ledger."""
    if not request.user.has_perm("ledger.view_ledger", collective):
        return None
    campaign = selectors.campaign_of_ledger(collective)
    context = {"ledger_campaign": campaign, "ledger_counts": [], "ledger_study": None}
    if campaign is not None:
        counts = selectors.activity_counts(collective, campaign)
        context["ledger_counts"] = [(value, label, counts[value]) for value, label in Activity.choices]
        context["ledger_study"] = selectors.study_summary(collective, campaign)
    return context


urlpatterns = [
    path("collectives/<int:collective_id>/", collective_ledger, name="collective"),
    path("collectives/<int:collective_id>/new/<str:activity>/", entry_create, name="entry_create"),
    path("entries/<int:entry_id>/", entry_detail, name="entry"),
    path("entries/<int:entry_id>/edit/", entry_edit, name="entry_edit"),
    path("entries/<int:entry_id>/delete/", entry_delete, name="entry_delete"),
    path("entries/<int:entry_id>/files/", attachment_upload, name="attachment_upload"),
    path("entries/<int:entry_id>/files/<int:file_id>/", attachment_serve, name="attachment"),
    path("entries/<int:entry_id>/files/<int:file_id>/remove/", attachment_remove, name="attachment_remove"),
    path("entries/<int:entry_id>/comments/", comment_create, name="comment_create"),
    path("comments/<int:comment_id>/resolve/", comment_resolve, name="comment_resolve"),
]
