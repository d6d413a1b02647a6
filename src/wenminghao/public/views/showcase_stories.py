"""The showcase's third section (好做法与典型事迹): the good practices and typical stories the city office promoted,
for everyone, signed in or not; one page per story to share, and its photos, public only while it is promoted.

Only public fields leave (``stories.selectors.promoted_stories`` loads only them): kind, title, text, activity, the
collective's and the unit's names, the photos' web copies (metadata stripped, made on upload). Never the linked ledger
entries, the writer's account, a return reason or any phone. Pages are cacheable (ETag, ``public, max-age=60``,
304); a photo is revalidated on every use (``public, no-cache``), so it answers 404 the moment the promotion is
withdrawn."""

import hashlib

from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.views.decorators.http import require_GET

from wenminghao.core.files import FILE_NOT_FOUND, stored_file_response
from wenminghao.core.http import paginate
from wenminghao.stories import selectors as stories

PAGE_CACHE = "public, max-age=60"
FILE_CACHE = "public, no-cache"
STORIES_PAGE_SIZE = 12
SECTION_SIZE = 6  # how many the showcase's page shows, the newest promoted


def photo_url(photo) -> str:
    return reverse("public:showcase_story_photo", args=[photo.story_id, photo.pk])


def story_card(story) -> dict:
    photos = list(story.photos.all())
    return {"story": story, "cover": photo_url(photos[0]) if photos else "",
            "cover_photo": photos[0] if photos else None}


def section() -> dict:
    """The showcase page's section: the newest promoted stories, and whether there are more (2 queries)."""
    items = list(stories.promoted_stories()[:SECTION_SIZE + 1])
    return {"story_cards": [story_card(story) for story in items[:SECTION_SIZE]],
            "more_stories": len(items) > SECTION_SIZE}


def with_stories(etag: str, last_modified):
    """The showcase page's (ETag, Last-Modified) with its stories' section folded in."""
    key, changed = stories.promoted_fingerprint()
    stamps = [stamp for stamp in (last_modified, changed) if stamp is not None]
    return _etag(f"{etag}|{key}"), max(stamps) if stamps else None


def _etag(key: str) -> str:
    return '"' + hashlib.sha256(key.encode()).hexdigest()[:32] + '"'


def _cached(request, etag: str, build):
    response = get_conditional_response(request, etag=etag)
    if response is None:
        response = build()
    response["ETag"] = etag
    response["Cache-Control"] = PAGE_CACHE
    return response


@require_GET
def showcase_stories(request):
    """All the promoted stories, newest promotion first, 12 a page."""
    etag = _etag(f"stories|{stories.promoted_fingerprint()[0]}|{request.GET.get('page') or ''}")

    def build():
        page = paginate(request, stories.promoted_stories(), per_page=STORIES_PAGE_SIZE)
        return render(request, "public/showcase_stories.html", {
            **page, "story_cards": [story_card(story) for story in page["object_list"]]})

    return _cached(request, etag, build)


@require_GET
def showcase_story(request, pk: int):
    """One promoted story's page, the address to share; 404 for any other story, whoever asks."""
    story = stories.get_promoted_story(AnonymousUser(), pk)
    photos = list(story.photos.all())
    etag = _etag(f"story|{story.pk}|{story.updated_at}|{story.collective.name if story.collective_id else ''}|"
                 f"{story.unit.name}|{','.join(str(photo.pk) for photo in photos)}")

    def build():
        share_url = request.build_absolute_uri(reverse("public:showcase_story", args=[story.pk]))
        return render(request, "public/showcase_story.html", {
            "story": story,
            "photos": [{"photo": photo, "url": photo_url(photo)} for photo in photos],
            "paragraphs": [line for line in story.text.splitlines() if line.strip()],
            "share_url": share_url,
            "share_image": request.build_absolute_uri(photo_url(photos[0])) if photos else "",
        })

    return _cached(request, etag, build)


@require_GET
def showcase_story_photo(request, pk: int, photo_id: int):
    """A promoted story's photo (its web copy, without metadata), for anyone; 404 for every other story's."""
    photo = stories.get_public_photo(pk, photo_id)
    if photo is None or not photo.web_copy.name:
        raise Http404(FILE_NOT_FOUND)
    return stored_file_response(request, photo.web_copy.name, content_type="image/jpeg",
                                filename=f"事迹{photo.story_id}-{photo.pk}.jpg", as_attachment=False,
                                cache_control=FILE_CACHE)
