"""The showcase (优秀作品展示), for everyone, signed in or not: the list of the works the city made excellent, one page
per work to share, and their files, public only while the work is showcased or forwarded.

Pages are the same for every visitor and cacheable: ETag and Last-Modified (public.selectors.showcase), a short
public max-age, 304 to a conditional GET. Files go out through ``core.files.stored_file_response`` (byte ranges for
videos on iPhones, X-Accel-Redirect behind nginx, a signed address on object storage) after
``works.selectors.work_file_access`` says they are public: any other work's file answers 404, whoever asks, the
moment the work leaves the showcase."""

import mimetypes
import os
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.utils.http import content_disposition_header, http_date
from django.views.decorators.http import require_GET

from wenminghao.core.files import FILE_NOT_FOUND, stored_file_response
from wenminghao.core.http import int_or_none, paginate
from wenminghao.works.enums import Category, FileRole
from wenminghao.works.selectors import showcase_works, work_file_access
from wenminghao.works.tasks import THUMBNAIL_SIDE, WEB_SIDE

from ..selectors import showcase as selectors
from . import showcase_stories

PAGE_CACHE = "public, max-age=60"
# Kept, but revalidated with the file's ETag on every use (a 304 costs two small queries): the moment its work leaves
# the showcase its address answers 404, no cache holds it a minute longer.
FILE_CACHE = "public, no-cache"
VARIANTS = {"original": "original", "thumbnail": "thumbnail", "web": "web_copy", "poster": "poster"}
# The category tabs, short enough for a phone (the select and the cards say the full names).
CATEGORY_TABS = [(Category.PHOTO.value, "图片作品"), (Category.PUBLICITY.value, "宣传作品"),
                 (Category.ESSAY.value, "征文")]
CARD_SIZES = "(max-width: 575px) 100vw, (max-width: 991px) 50vw, 33vw"
VIEWER_SIZES = "(max-width: 767px) 100vw, 50vw"


@dataclass(frozen=True)
class Picture:
    """One picture as an ``<img>`` shows it: the small source, a srcset of the thumbnail and web copy, the size
    of the larger (its width and height attributes keep the layout from jumping while it loads)."""

    src: str
    srcset: str
    large: str
    width: int | None
    height: int | None
    caption: str


def file_url(item, variant: str = "original") -> str:
    """A file's public address: the file itself, or a preview (``?variant=thumbnail``, ``web``, ``poster``)."""
    address = reverse("public:showcase_file", args=[item.work_id, item.pk])
    return address if variant == "original" else f"{address}?variant={variant}"


def picture_of(item) -> Picture | None:
    """The responsive picture of a picture or screenshot (thumbnail and web copy) or of a video (thumbnail and
    poster), or None before its previews exist."""
    large_variant = "poster" if item.role == FileRole.VIDEO else "web"
    has_large = bool(getattr(item, VARIANTS[large_variant]).name)
    has_thumb = bool(item.thumbnail.name)
    if not has_large and not has_thumb:
        return None
    thumb_w, _ = selectors.fit_within(item.width, item.height, THUMBNAIL_SIDE)
    web_w, web_h = selectors.fit_within(item.width, item.height, WEB_SIDE)
    small = file_url(item, "thumbnail" if has_thumb else large_variant)
    large = file_url(item, large_variant) if has_large else small
    srcset = ""
    if web_w and has_thumb and has_large:  # widths known: let the browser pick by the screen's width
        srcset = f"{small} {thumb_w}w, {large} {web_w}w"
    return Picture(src=small, srcset=srcset, large=large, width=web_w, height=web_h, caption=item.caption)


def card_of(work) -> dict:
    cover = selectors.cover_file(work)
    return {"work": work, "picture": picture_of(cover) if cover is not None else None}


def _cached(request, etag: str, last_modified, build) -> HttpResponse:
    """304 when the visitor's copy is current, else the page; either way with its validators and Cache-Control."""
    stamp = int(last_modified.timestamp()) if last_modified is not None else None
    response = get_conditional_response(request, etag=etag, last_modified=stamp)
    if response is None:
        response = build()
    response["ETag"] = etag
    if stamp is not None:
        response["Last-Modified"] = http_date(stamp)
    response["Cache-Control"] = PAGE_CACHE
    return response


@require_GET
def showcase_list(request):
    """优秀作品展示: the works by campaign (newest first, ``?campaign=``) and category (``?category=``), 12 a page."""
    campaigns = list(selectors.showcase_campaigns())
    campaign_id = int_or_none(request.GET.get("campaign"))
    if campaign_id is not None and campaign_id not in {campaign.pk for campaign in campaigns}:
        campaign_id = None
    category = request.GET.get("category") or ""
    if category not in Category.values:
        category = ""
    etag, last_modified = selectors.showcase_validators(campaign_id=campaign_id, category=category,
                                                        page=request.GET.get("page") or "")
    # the third section, the promoted stories: their changes change the page's validators too
    etag, last_modified = showcase_stories.with_stories(etag, last_modified)

    def build():
        page = paginate(request, showcase_works(campaign_id=campaign_id, category=category),
                        per_page=selectors.SHOWCASE_PAGE_SIZE)
        return render(request, "public/showcase_list.html", {
            **page,
            **showcase_stories.section(),
            "cards": [card_of(work) for work in page["object_list"]],
            "campaigns": campaigns,
            "campaign_id": campaign_id,
            "category": category,
            "categories": Category.choices,
            "category_tabs": CATEGORY_TABS,
            "card_sizes": CARD_SIZES,
        })

    return _cached(request, etag, last_modified, build)


@require_GET
def showcase_work(request, pk: int):
    """One work's page, the address to share: its pictures in a viewer, its video, or its essay to read."""
    work = selectors.get_showcase_work(request.user, pk)
    etag, last_modified = selectors.work_validators(work)

    def build():
        files = list(work.files.all())
        pictures = [picture for item in files if item.role in (FileRole.PICTURE, FileRole.SCREENSHOT)
                    for picture in [picture_of(item)] if picture is not None]
        videos = [{"file": item, "url": file_url(item),
                   "poster": file_url(item, "poster") if item.poster else "",
                   "size": selectors.fit_within(item.width, item.height, WEB_SIDE)}
                  for item in files if item.role == FileRole.VIDEO]
        documents = [{"file": item, "url": file_url(item) + "?download=1"}
                     for item in files if item.role == FileRole.ESSAY_DOCX]
        cover = selectors.cover_file(work)
        share = picture_of(cover) if cover is not None else None
        return render(request, "public/showcase_work.html", {
            "work": work,
            "pictures": pictures,
            "videos": videos,
            "documents": documents,
            "paragraphs": [line for line in work.essay_text.splitlines() if line.strip()],
            "share_image": request.build_absolute_uri(share.large) if share is not None else "",
            "share_url": request.build_absolute_uri(reverse("public:showcase_work", args=[work.pk])),
            "viewer_sizes": VIEWER_SIZES,
        })

    return _cached(request, etag, last_modified, build)


@require_GET
def showcase_essay(request, pk: int):
    """An essay's text as a plain-text download (the platform keeps an essay as its text, not as the Word file)."""
    work = selectors.get_showcase_work(request.user, pk)
    if not work.essay_text:
        raise Http404("该作品没有征文正文。")
    etag, last_modified = selectors.work_validators(work)

    def build():
        response = HttpResponse(f"{work.title}\n{work.collective.name}\n\n{work.essay_text}\n",
                                content_type="text/plain; charset=utf-8")
        response["Content-Disposition"] = content_disposition_header(True, f"{work.title}.txt")
        return response

    return _cached(request, etag, last_modified, build)


@require_GET
def showcase_file(request, pk: int, file_id: int):
    """A file of a showcased or forwarded work (the file, or ``?variant=thumbnail``, ``web`` or ``poster``),
    for anyone; 404 for every other work, whoever asks (a signed-in collective gets its own drafts' files at
    /works/…, never here)."""
    variant = request.GET.get("variant") or "original"
    if variant not in VARIANTS:
        raise Http404(FILE_NOT_FOUND)
    access = work_file_access(AnonymousUser(), pk)
    if access is None or not access.public:
        raise Http404(FILE_NOT_FOUND)
    item = selectors.get_public_file(pk, file_id)
    if item is None:
        raise Http404(FILE_NOT_FOUND)
    name = getattr(item, VARIANTS[variant]).name
    if not name:
        raise Http404("该文件的预览尚未生成。")
    content_type = item.content_type if variant == "original" else mimetypes.guess_type(name)[0]
    extension = os.path.splitext(name)[1].lower()
    download_name = f"作品{item.work_id}-{item.pk}{'' if variant == 'original' else '-' + variant}{extension}"
    return stored_file_response(request, name, content_type=content_type, filename=download_name,
                                as_attachment=request.GET.get("download") == "1", cache_control=FILE_CACHE)
