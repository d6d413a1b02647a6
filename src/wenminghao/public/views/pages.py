"""The identity pages: the public page of a post, its QR code and photos, the public list of posts (no sign-in,
cacheable), the plaques (the collective's accounts and the admins above it), and managing a page (editing,
publishing, hiding, workplace photos).

Public pages are rendered without the request's context (no user, no CSRF token, no session), so their bytes are the
same for every visitor: the ETag is a digest of them, ``Cache-Control: public, no-cache``, and a conditional GET
with the same ETag answers 304. They make a constant number of queries whatever the page holds."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from wenminghao.core.errors import RuleViolationError, Violation
from wenminghao.core.files import stored_file_response
from wenminghao.core.forms import violations_into_form
from wenminghao.core.http import client_ip, get_object_for, get_visible_or_404, paginate
from wenminghao.core.uploads import UploadTooLarge, receive_streamed_upload
from wenminghao.orgs.selectors import units_visible_to

from .. import plaque, qr
from ..models import PostPhoto
from ..page_forms import HideForm, PageForm, PostSearchForm
from ..selectors import pages as selectors
from ..services import pages as services

# Kept by browsers and caches, but revalidated with the ETag on every use (a 304 is cheap): the moment a unit hides a
# page, its collective withdraws it or its title lapses, the page, its QR codes and photos answer 404.
PUBLIC_CACHE = "public, no-cache"
POSTS_PER_PAGE = 20
CREATING = "青年文明号创建集体 · 已接受报备"  # the plaque of a post without a valid title (an accepted filing)


def cacheable(request, body: bytes, content_type: str) -> HttpResponse:
    """A public answer: ETag from its bytes, public caching for five minutes, 304 to a matching If-None-Match."""
    etag = '"' + hashlib.sha256(body).hexdigest()[:40] + '"'
    response = get_conditional_response(request, etag=etag)
    if response is None:
        response = HttpResponse(body, content_type=content_type)
    response["ETag"] = etag
    response["Cache-Control"] = PUBLIC_CACHE
    return response


def _public_html(request, template: str, context: dict) -> HttpResponse:
    context = {"wmh_demo": settings.DEMO, **context}
    return cacheable(request, render_to_string(template, context).encode(), "text/html; charset=utf-8")


# --- the public page and its files --------------------------------------------------------------------------------


@require_GET
def post(request, pk: int):
    """A post's identity page (亮身份、亮形象、亮承诺): 404 unless it is public."""
    collective = selectors.get_public_post(pk)
    identity = selectors.post_identity(collective)
    return _public_html(request, "public/post.html", {
        "identity": identity, "collective": collective, "page": identity.page,
        "page_url": qr.page_url(request, collective.pk)})


@require_GET
def post_qr_svg(request, pk: int):
    collective = selectors.get_public_post(pk)
    return cacheable(request, qr.qr_svg(qr.page_url(request, collective.pk)), "image/svg+xml")


@require_GET
def post_qr_png(request, pk: int):
    collective = selectors.get_public_post(pk)
    return cacheable(request, qr.qr_png(qr.page_url(request, collective.pk)), "image/png")


@require_GET
def post_photo(request, pk: int, photo_pk: int):
    """A workplace photo of a public page; 404 as soon as the page is not public."""
    collective = selectors.get_public_post(pk)
    photo = selectors.public_photo(collective, photo_pk)
    if not photo.web_copy.name:  # only the task worker's copy leaves (metadata stripped), never the upload itself
        raise Http404("这张照片还在处理中，请稍后再看。")
    return _photo_response(request, photo.web_copy.name, "image/jpeg", PUBLIC_CACHE)


@require_GET
def post_event_photo(request, pk: int, photo_pk: int):
    """An open-week photo the collective shows on its public page; 404 as soon as the page is not public or the
    picture is no longer chosen."""
    collective = selectors.get_public_post(pk)
    attachment = selectors.public_event_photo(collective, photo_pk).attachment
    if not attachment.thumbnail.name:  # only the re-encoded copy leaves, without the camera's metadata (GPS…)
        raise Http404("这张照片还在处理中，请稍后再看。")
    return _photo_response(request, attachment.thumbnail.name, "image/jpeg", PUBLIC_CACHE)


def _photo_response(request, name: str, content_type: str, cache_control: str) -> HttpResponse:
    extension = name.rsplit(".", 1)[-1] if "." in name else "jpg"
    return stored_file_response(request, name, content_type=content_type, filename=f"photo.{extension}",
                                cache_control=cache_control)


@require_GET
def posts(request):
    """The public list of posts: by name, area or system, and sector; paginated in the database."""
    units = list(selectors.units_with_posts())
    form = PostSearchForm(request.GET or None, units=units)
    filters = form.filters() if form.is_bound else {"search": "", "unit": None, "sector": ""}
    unit = next((choice for choice in units if choice.pk == filters["unit"]), None)
    queryset = selectors.post_list(search=filters["search"], unit=unit, sector=filters["sector"])
    pagination = paginate(request, queryset, per_page=POSTS_PER_PAGE)
    return _public_html(request, "public/posts.html", {"form": form, **pagination})


# --- plaques ----------------------------------------------------------------------------------------------------


def _plaque_entry(request, collective) -> plaque.PlaqueEntry:
    """A public post's plaque, its collective annotated with its newest valid title (``with_newest_title``)."""
    title = CREATING
    if collective.top_title:
        title = f"{collective.top_year}年度 {collective.top_title}"
    return plaque.PlaqueEntry(name=collective.name, host_org=collective.host_org, title=title,
                              commitment=collective.public_commitment, phone=collective.supervision_phone,
                              url=qr.page_url(request, collective.pk))


def _pdf(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def post_plaque(request, pk: int):
    """The A5 plaque of one post, for its accounts and the admins above it, once its page is public (the QR code
    opens nothing before)."""
    collective = selectors.get_post_collective_for(request.user, pk, "public.download_plaque",
                                                   denied="只有该集体的账号及其归口单位、上级单位可以下载公示牌。")
    entry = selectors.with_newest_title(selectors.public_posts().filter(pk=collective.pk)).first()
    if entry is None:
        messages.error(request, f"“{collective.name}”的公开身份页尚未公开（或已被隐藏），公开后才能下载公示牌。")
        return redirect("public:manage_page", collective.pk)
    body = plaque.plaque_pdf([_plaque_entry(request, entry)],
                             title=f"{collective.name} 公示牌")
    return _pdf(body, f"plaque-{collective.pk}.pdf")


@login_required
@require_GET
def unit_plaques(request, unit_pk: int):
    """The plaques of every public post of a unit's subtree, one A5 page each, for the admins of the unit and above."""
    unit = get_object_for(request.user, units_visible_to(request.user), unit_pk, "public.download_unit_plaques",
                          denied="只有该单位及上级单位的管理员可以批量下载公示牌。")
    entries = [_plaque_entry(request, item)
               for item in selectors.unit_plaque_posts(unit)]
    return _pdf(plaque.plaque_pdf(entries, title=f"{unit.name} 公示牌"), f"plaques-unit-{unit.pk}.pdf")


# --- managing a page --------------------------------------------------------------------------------------------

EDIT_DENIED = "只有该集体的账号及其归口单位、上级单位可以管理公开身份页。"


def _manage_context(request, collective, form=None, violations=(), hide_form=None):
    page = selectors.page_of(collective)
    members = list(collective.members.only("id", "name", "post").order_by("-is_leader", "id"))
    pictures = list(selectors.open_week_pictures(collective))
    if form is None:
        initial = {}
        if page is not None:
            initial = {"service_items": page.service_items, "convenience_measures": page.convenience_measures,
                       "hidden_members": [str(pk) for pk in page.hidden_members.values_list("member_id", flat=True)],
                       "event_photos": [str(pk) for pk in page.event_photos.values_list("attachment_id", flat=True)]}
        form = PageForm(initial=initial, members=members, pictures=pictures)
    return {
        "collective": collective, "page": page, "form": form, "violations": list(violations),
        "hide_form": hide_form or HideForm(), "photos": list(page.photos.all()) if page is not None else [],
        "is_public": selectors.is_public(collective), "publish_problems": services.publish_violations(collective),
        "may_hide": request.user.has_perm("public.hide_page", collective), "max_photos": services.MAX_PHOTOS,
    }


@login_required
def manage_page(request, pk: int):
    """Edit what the page holds; the page's state and its publish, hide, photo and plaque actions."""
    user = request.user
    collective = selectors.get_post_collective_for(user, pk, "public.edit_page", denied=EDIT_DENIED)
    if request.method != "POST":
        return render(request, "public/manage/page.html", _manage_context(request, collective))
    members = list(collective.members.only("id", "name", "post"))
    form = PageForm(request.POST, members=members, pictures=list(selectors.open_week_pictures(collective)))
    form.is_valid()  # the choices are checked again by the service, which names every problem
    try:
        services.update_page(actor=user, collective=collective, service_items=request.POST.get("service_items", ""),
                             convenience_measures=request.POST.get("convenience_measures", ""),
                             hidden_member_ids=request.POST.getlist("hidden_members"),
                             event_attachment_ids=request.POST.getlist("event_photos"), ip_address=client_ip(request))
    except RuleViolationError as error:
        context = _manage_context(request, collective, form=form)
        context["violations"] = violations_into_form(form, error)
        return render(request, "public/manage/page.html", context, status=422)
    messages.success(request, f"已保存“{collective.name}”的公开身份页内容。")
    return redirect("public:manage_page", collective.pk)


@login_required
@require_POST
def page_publish(request, pk: int):
    """``action=publish`` or ``unpublish``."""
    user = request.user
    collective = selectors.get_post_collective_for(user, pk, "public.publish_page", denied=EDIT_DENIED)
    publish = request.POST.get("action") != "unpublish"
    try:
        services.set_page_published(actor=user, collective=collective, published=publish,
                                    ip_address=client_ip(request))
    except RuleViolationError as error:
        return render(request, "public/manage/page.html",
                      {**_manage_context(request, collective), "violations": error.violations,
                       "violations_title": "暂不能公开身份页，请先完成以下事项："}, status=422)
    if publish:
        messages.success(request, f"已公开“{collective.name}”的身份页，任何人可通过网址或二维码查看。")
    else:
        messages.success(request, f"已撤回“{collective.name}”的公开身份页，公众将无法查看。")
    return redirect("public:manage_page", collective.pk)


@login_required
@require_POST
def page_hide(request, pk: int):
    """``action=hide`` with a ``reason``, or ``show``: the admins above the collective only."""
    user = request.user
    collective = selectors.get_post_collective_for(user, pk, "public.hide_page",
                                                   denied="只有该集体的归口单位及上级单位可以隐藏或恢复显示公开身份页。")
    hide = request.POST.get("action") != "show"
    form = HideForm(request.POST)
    form.is_valid()
    try:
        services.set_page_hidden(actor=user, collective=collective, hidden=hide, reason=request.POST.get("reason", ""),
                                 ip_address=client_ip(request))
    except RuleViolationError as error:
        context = _manage_context(request, collective, hide_form=form)
        context["violations"] = violations_into_form(form, error)
        return render(request, "public/manage/page.html", context, status=422)
    messages.success(request, f"已隐藏“{collective.name}”的公开身份页，并已通知该集体。" if hide
                     else f"已恢复显示“{collective.name}”的公开身份页。")
    return redirect("public:manage_page", collective.pk)


def _refused_upload(request, collective, violations: list[Violation], status: int):
    context = _manage_context(request, collective)
    context.update(violations=violations, violations_title="照片未能上传：")
    return render(request, "public/manage/page.html", context, status=status)


@csrf_exempt  # receive_streamed_upload checks the CSRF token once the streaming handler is in place
@login_required
@require_POST
def page_photo_add(request, pk: int):
    """One workplace photo (multipart field ``file``, optional ``caption``); 413 past the size limit."""
    user = request.user
    collective = selectors.get_post_collective_for(user, pk, "public.edit_page", denied=EDIT_DENIED)
    received = receive_streamed_upload(request, limit=services.page_max_photo_bytes())
    if received.csrf_failure is not None:
        return received.csrf_failure
    if received.too_large is not None:
        return _refused_upload(request, collective, [received.too_large], 413)
    upload = received.file
    if upload is None:
        return _refused_upload(request, collective,
                               [Violation("file.missing", "请选择要上传的工作场所照片", "file")], 422)
    try:
        services.add_page_photo(actor=user, collective=collective, upload=upload,
                                caption=request.POST.get("caption", ""), ip_address=client_ip(request))
    except UploadTooLarge as error:
        return _refused_upload(request, collective, error.violations, 413)
    except RuleViolationError as error:
        return _refused_upload(request, collective, error.violations, 422)
    finally:
        upload.close()
    messages.success(request, "已上传工作场所照片。")
    return redirect(reverse("public:manage_page", args=[collective.pk]) + "#photos")


@login_required
@require_POST
def page_photo_remove(request, pk: int, photo_pk: int):
    user = request.user
    collective = selectors.get_post_collective_for(user, pk, "public.edit_page", denied=EDIT_DENIED)
    try:
        services.remove_page_photo(actor=user, collective=collective, photo_id=photo_pk,
                                   ip_address=client_ip(request))
    except RuleViolationError as error:
        return _refused_upload(request, collective, error.violations, 404)
    messages.success(request, "已删除该工作场所照片。")
    return redirect(reverse("public:manage_page", args=[collective.pk]) + "#photos")


@login_required
@require_GET
def page_photo_file(request, pk: int, photo_pk: int):
    """A workplace photo for the people who manage the page (also before it is public)."""
    collective = selectors.get_post_collective_for(request.user, pk, "public.edit_page", denied=EDIT_DENIED)
    photo = get_visible_or_404(PostPhoto.objects.filter(page__collective=collective), pk=photo_pk)
    return _photo_response(request, photo.original.name, photo.content_type, "private, max-age=300")


def collective_panel(request, collective) -> dict | None:
    """The page's state and links on the collective's page, for who may manage it."""
    if not request.user.has_perm("public.edit_page", collective):
        return None
    return {"public_page": selectors.page_of(collective), "public_page_is_public": selectors.is_public(collective)}
