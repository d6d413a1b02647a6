"""The notices' pages (通知公告): the list (a collective's unread first), publishing and forwarding a notice with its
files, the notice's page (confirm reading, reply, the original beneath a forward), the receipts of the sender and the
units above (per unit, then collective by collective) with the reminder of the unread, and the files.

Views stay thin: every notice comes through ``selectors.notices_visible_to`` (invisible answers 404; judges see no
notice and no page of this section), every action names a permission of ``rules`` (403 when the user sees the notice
but may not do it), every change goes through ``services`` and a refusal shows all the service's messages at once.
Files arrive through the one upload intake (``core.uploads.receive_streamed_upload``) and leave through
``core.files.stored_file_response``.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from wenminghao.collectives.enums import Sector
from wenminghao.core.errors import RuleViolationError, Violation
from wenminghao.core.files import FILE_NOT_FOUND, stored_file_response
from wenminghao.core.forms import violations_into_form
from wenminghao.core.http import (
    client_ip,
    get_object_for,
    int_or_none,
    paginate,
    querystring_without,
    require_perm,
)
from wenminghao.core.uploads import UploadTooLarge, megabytes, receive_streamed_upload
from wenminghao.works.uploads import attachment_max_bytes

from . import selectors, services
from .forms import NoticeFilterForm, NoticeForm, ReceiptFilterForm, ReplyForm
from .models import Notice, NoticeAttachment, NoticeReceipt

PER_PAGE = 20
RECEIPTS_PER_PAGE = 50
ACCEPTED_FILES = ".docx,.pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
# how far up a chain of forwards (a forward of a forward…) the notice's page shows the originals
MAX_ORIGINALS = 5
SECTOR_LABELS = dict(Sector.choices)


def _require_section(user) -> None:
    """Notices are for the units' admins and the collectives' accounts: anyone else (judges) sees no such page."""
    if not (user.is_admin and user.unit_id) and not user.collective_id:
        raise Http404("未找到该页面，或您无权查看。")


def _notice_for(user, pk: int, perm: str | None = None, *, denied: str = "您没有权限执行此操作。"):
    _require_section(user)
    queryset = selectors.notices_visible_to(user).select_related(
        "sender_unit", "author", "campaign", "forwarded_from__sender_unit")
    return get_object_for(user, queryset, pk, perm, denied=denied)


def _upload_facts() -> dict:
    return {"upload_limit": megabytes(attachment_max_bytes()), "max_files": services.MAX_FILES,
            "accepted_files": ACCEPTED_FILES}


# --- the list ------------------------------------------------------------------------------------------------


@login_required
@require_GET
def notice_list(request):
    """The notices the user sees, newest first (a collective's unread ones first, marked 未读); 20 a page."""
    user = request.user
    _require_section(user)
    form = NoticeFilterForm(request.GET or None)
    search = form.search()
    return render(request, "notices/list.html", {
        "form": form,
        "search": search,
        "is_collective": bool(user.collective_id) and not user.is_admin,
        "can_publish": user.has_perm("notices.publish_notice"),
        **paginate(request, selectors.notice_list(user, search=search), per_page=PER_PAGE),
    })


# --- publishing and forwarding -------------------------------------------------------------------------------


def _receive_files(request):
    """The POST of a form with files, through the one intake: (files, refusal), the refusal being a response
    (403: the CSRF check) or a violation (413: too large; the form's fields are not read then)."""
    received = receive_streamed_upload(request, limit=attachment_max_bytes(), field="files",
                                       max_files=services.MAX_FILES)
    if received.csrf_failure is not None:
        return [], received.csrf_failure
    if received.too_large is not None:
        return [], received.too_large
    return request.FILES.getlist("files"), None


def _close(files) -> None:
    for upload in files:
        upload.close()


def _render_form(request, form, *, original=None, violations=(), status=200):
    user = request.user
    return render(request, "notices/form.html", {
        "form": form,
        "original": original,
        "violations": list(violations),
        "reach": services.recipients_of(user, forwarded_from=original).count(),
        **_upload_facts(),
    }, status=status)


def _publish(request, *, original=None):
    """GET: the form; POST: ``services.publish_notice`` (a forward of ``original`` when given), then the new notice's
    page. A refusal (422), or files too large (413), draws the form again with every reason."""
    user = request.user
    forward = original is not None
    initial = {}
    if forward:
        initial = {"title": f"转发：{original.title}"[:100], "asks_reply": original.asks_reply}
        if original.deadline is not None and original.deadline >= timezone.localdate():
            initial["deadline"] = original.deadline
    if request.method != "POST":
        return _render_form(request, NoticeForm(user=user, forward=forward, initial=initial), original=original)
    files, refusal = _receive_files(request)
    if isinstance(refusal, Violation):
        form = NoticeForm(user=user, forward=forward, initial=initial)
        return _render_form(request, form, original=original, violations=[refusal], status=413)
    if refusal is not None:
        return refusal
    form = NoticeForm(request.POST, user=user, forward=forward, initial=initial)
    try:
        if not form.is_valid():
            return _render_form(request, form, original=original, status=422)
        try:
            notice = services.publish_notice(actor=user, forwarded_from=original, files=files,
                                             ip_address=client_ip(request), **form.notice_data())
        except UploadTooLarge as error:
            return _render_form(request, form, original=original, violations=error.violations, status=413)
        except RuleViolationError as error:
            violations_into_form(form, error)
            return _render_form(request, form, original=original, violations=error.violations, status=422)
    finally:
        _close(files)
    verb = "转发" if forward else "发布"
    messages.success(request, f"已{verb}通知“{notice.title}”，送达{notice.recipients}个集体，"
                              "各集体的账号会在平台上收到消息并收到邮件。")
    return redirect("notices:detail", notice.pk)


@csrf_exempt  # receive_streamed_upload checks the CSRF token once the streaming handler is in place
@login_required
def notice_create(request):
    user = request.user
    _require_section(user)
    require_perm(user, "notices.publish_notice", denied="只有团委管理员可以发布通知。")
    return _publish(request)


@csrf_exempt  # receive_streamed_upload checks the CSRF token once the streaming handler is in place
@login_required
def notice_forward(request, pk: int):
    notice = _notice_for(request.user, pk, "notices.forward_notice",
                         denied="只有收到该通知的下级单位管理员可以转发。")
    return _publish(request, original=notice)


@login_required
@require_GET
def recipients_count(request):
    """The number of collectives the publishing form's selection reaches (htmx, as the admin ticks)."""
    user = request.user
    _require_section(user)
    require_perm(user, "notices.publish_notice", denied="只有团委管理员可以发布通知。")
    form = NoticeForm(request.GET, user=user)
    original = None
    if request.GET.get("forwarded_from"):  # a forward reaches only what the original reached
        original = _notice_for(user, int_or_none(request.GET["forwarded_from"]) or 0, "notices.forward_notice",
                               denied="只有收到该通知的下级单位管理员可以转发。")
    count = None
    if form.is_valid():
        data = form.notice_data()
        sectors = [value for value in data["sectors"] if value in SECTOR_LABELS]
        count = services.recipients_of(user, sectors=sectors, units=data["units"], campaign=data["campaign"],
                                       forwarded_from=original).count()
    return render(request, "notices/partials/reach.html", {"count": count})


# --- the notice's page -------------------------------------------------------------------------------------------


def _originals(notice, *, with_files: bool = True) -> list:
    """The notices a forward forwards, nearest first (a forward of a forward shows both), with their ``files``."""
    chain, original = [], notice.forwarded_from
    while original is not None and len(chain) < MAX_ORIGINALS:
        chain.append(original)
        original = (Notice.objects.select_related("sender_unit").filter(pk=original.forwarded_from_id).first()
                    if original.forwarded_from_id else None)
    if with_files and chain:
        files = {}
        for item in NoticeAttachment.objects.filter(notice__in=[original.pk for original in chain]):
            files.setdefault(item.notice_id, []).append(item)
        for original in chain:
            original.files = files.get(original.pk, [])
    return chain


def _selection(notice) -> str:
    """Whom the notice was sent to, in words."""
    parts = []
    if notice.sectors:
        parts.append("、".join(str(SECTOR_LABELS.get(value, value)) for value in notice.sectors))
    units = [unit.name for unit in notice.units.all()]
    if units:
        parts.append("、".join(units) + "（含下级）")
    if notice.campaign_id:
        parts.append(f"已报备“{notice.campaign.name}”")
    if not parts:
        return f"{notice.sender_unit.name}及下级单位的全部集体"
    return "；".join(parts) + "的集体"


def detail_context(request, notice, **extra) -> dict:
    user = request.user
    receipt = selectors.receipt_of(user, notice) if user.collective_id and not user.is_admin else None
    can_receipts = user.has_perm("notices.view_receipts", notice)
    context = {
        "notice": notice,
        "attachments": list(notice.attachments.all()),
        "originals": _originals(notice),
        "selection": _selection(notice),
        "receipt": receipt,
        "can_reply": receipt is not None and notice.asks_reply,
        "reply_form": ReplyForm(initial={"text": receipt.reply_text} if receipt is not None else None),
        "can_receipts": can_receipts,
        "totals": selectors.receipt_totals(notice) if can_receipts else None,
        "can_forward": user.has_perm("notices.forward_notice", notice),
        "overdue": notice.deadline is not None and notice.deadline < timezone.localdate(),
        "violations": [],
        **_upload_facts(),
    }
    context.update(extra)
    return context


@login_required
@require_GET
def notice_detail(request, pk: int):
    notice = _notice_for(request.user, pk)
    return render(request, "notices/detail.html", detail_context(request, notice))


@login_required
@require_POST
def notice_read(request, pk: int):
    user = request.user
    notice = _notice_for(user, pk, "notices.read_notice", denied="只有收到该通知的集体可以确认已读。")
    receipt = services.confirm_read(actor=user, notice=notice, ip_address=client_ip(request))
    messages.success(request, f"已于{timezone.localtime(receipt.read_at):%Y年%m月%d日 %H:%M}确认阅读，"
                              f"{notice.sender_unit.display_name}可以看到。")
    return redirect("notices:detail", notice.pk)


@csrf_exempt  # receive_streamed_upload checks the CSRF token once the streaming handler is in place
@login_required
@require_POST
def notice_reply(request, pk: int):
    """The collective's reply: a text and/or one file (multipart field ``file``), replacing an earlier one."""
    user = request.user
    notice = _notice_for(user, pk, "notices.reply_notice", denied="该通知不需要回复，或您的集体没有收到该通知。")
    received = receive_streamed_upload(request, limit=attachment_max_bytes())
    if received.csrf_failure is not None:
        return received.csrf_failure
    if received.too_large is not None:
        return render(request, "notices/detail.html", detail_context(
            request, notice, violations=[received.too_large], violations_title="未能提交回复："), status=413)
    form = ReplyForm(request.POST)
    form.is_valid()
    upload = received.file
    try:
        services.reply_to_notice(actor=user, notice=notice, text=form.cleaned_data.get("text", ""), upload=upload,
                                 ip_address=client_ip(request))
    except RuleViolationError as error:
        status = 413 if isinstance(error, UploadTooLarge) else 422
        violations_into_form(form, error)
        return render(request, "notices/detail.html", detail_context(
            request, notice, reply_form=form, violations=error.violations, violations_title="未能提交回复："),
            status=status)
    finally:
        if upload is not None:
            upload.close()
    messages.success(request, f"已提交回复，{notice.sender_unit.display_name}可以看到。")
    return redirect("notices:detail", notice.pk)


# --- receipts and reminders -------------------------------------------------------------------------------------


@login_required
@require_GET
def notice_receipts(request, pk: int):
    """Who has read the notice: the totals, per unit (50 a page, ``units_page``), then collective by collective
    filtered by state and unit (50 a page). A fixed number of queries whatever the number of collectives."""
    user = request.user
    notice = _notice_for(user, pk, "notices.view_receipts", denied="只有发布单位及其上级可以查看阅读情况。")
    form = ReceiptFilterForm(request.GET or None, user=user)
    filters = form.filters()
    totals = selectors.receipt_totals(notice)
    units = Paginator(selectors.receipts_by_unit(notice), RECEIPTS_PER_PAGE).get_page(request.GET.get("units_page"))
    units.object_list = [{**row, "unread": row["total"] - row["read"]} for row in units.object_list]
    return render(request, "notices/receipts.html", {
        "notice": notice,
        "form": form,
        "filtered": bool(filters["state"] or filters["unit"]),
        "totals": totals,
        "units_page": units,
        "querystring_without_units_page": querystring_without(request.GET, "units_page"),
        "querystring_for_unit": querystring_without(request.GET, "unit", "page"),
        "can_remind": user.has_perm("notices.remind_unread", notice),
        **paginate(request, selectors.receipt_list(notice, **filters), per_page=RECEIPTS_PER_PAGE),
    })


@login_required
@require_POST
def notice_remind(request, pk: int):
    user = request.user
    notice = _notice_for(user, pk, "notices.remind_unread", denied="只有发布单位及其上级可以提醒未读的集体。")
    try:
        count = services.remind_unread(actor=user, notice=notice, ip_address=client_ip(request))
    except RuleViolationError as error:
        for violation in error.violations:
            messages.error(request, violation.message)
    else:
        messages.success(request, f"已提醒{count}个未读的集体，其账号会在平台上收到消息并收到邮件。")
    return redirect("notices:receipts", notice.pk)


# --- files ----------------------------------------------------------------------------------------------------


@login_required
@require_GET
def notice_attachment(request, pk: int, file_id: int):
    """A file of the notice, or of an original it forwards (shown beneath it), to anyone who sees the notice."""
    notice = _notice_for(request.user, pk)
    allowed = [notice.pk] + [original.pk for original in _originals(notice, with_files=False)]
    attachment = NoticeAttachment.objects.filter(pk=file_id, notice_id__in=allowed).first()
    if attachment is None:
        raise Http404(FILE_NOT_FOUND)
    download = request.GET.get("download") == "1" or attachment.kind == "docx"
    return stored_file_response(request, attachment.original.name, content_type=attachment.content_type,
                                filename=attachment.original_name, as_attachment=download)


@login_required
@require_GET
def reply_file(request, pk: int, receipt_id: int):
    """A collective's reply file: to who sees the receipts, and to the collective's own accounts (404 for anyone
    else, as for a file that is not there)."""
    user = request.user
    notice = _notice_for(user, pk)
    receipt = NoticeReceipt.objects.filter(pk=receipt_id, notice=notice).first()
    if receipt is None or not receipt.reply_file:
        raise Http404(FILE_NOT_FOUND)
    own = bool(user.collective_id) and not user.is_admin and receipt.collective_id == user.collective_id
    if not (own or user.has_perm("notices.view_receipts", notice)):
        raise Http404(FILE_NOT_FOUND)
    stored = receipt.reply_file.name
    name = receipt.reply_file_name or stored.rsplit("/", 1)[-1]
    return stored_file_response(request, stored, content_type=_content_type(stored),
                                filename=name, as_attachment=True)


def _content_type(name: str) -> str:
    """The reply file's type by the extension it was stored under (the one its content showed on upload)."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return {"pdf": "application/pdf", "jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png",
            "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}.get(
        extension, "application/octet-stream")
