"""Background work on the identity pages' photos (django-tasks; ``manage.py db_worker`` runs it, tests run it at
once): the web copy a page shows (long side ``WEB_SIDE``) and a thumbnail, made with works' picture code
(``works.tasks``), never in the request. Until the web copy exists the page serves the photo as uploaded."""

import logging

from django.core.files.storage import default_storage
from django.db import transaction
from django_tasks import task

from wenminghao.core.storing import store_bytes
from wenminghao.works.tasks import THUMBNAIL_SIDE, WEB_SIDE, fit_within, jpeg_without_metadata, local_path, open_picture

from .models import PostPhoto

logger = logging.getLogger(__name__)


@task()
def make_post_photo_copies(photo_id: int) -> str:
    """The web copy and the thumbnail (JPEG, EXIF orientation applied and stripped) of a workplace photo, stored
    beside it. Never raises: a failure is logged and the page keeps serving the original. Returns what came of it."""
    photo = PostPhoto.objects.filter(pk=photo_id).order_by().first()
    if photo is None:
        return "missing"
    try:
        with local_path(photo.original.name) as path:
            picture = open_picture(path, WEB_SIDE)
        web = jpeg_without_metadata(fit_within(picture, WEB_SIDE))
        thumbnail = jpeg_without_metadata(fit_within(picture, THUMBNAIL_SIDE))
    except Exception:
        logger.exception("make_post_photo_copies: could not make the copies of workplace photo %s", photo_id)
        return "failed"
    folder = photo.original.name.rsplit("/", 1)[0]
    saved = [store_bytes(web, f"{folder}/web-{photo.pk}.jpg"), store_bytes(thumbnail, f"{folder}/thumb-{photo.pk}.jpg")]
    with transaction.atomic():
        rows = PostPhoto.objects.select_for_update(no_key=True).filter(pk=photo_id).order_by()
        previous = next(iter(rows.values("web_copy", "thumbnail")), None)
        if previous is not None:
            rows.update(web_copy=saved[0], thumbnail=saved[1])
    # the photo was removed meanwhile: its copies go too; otherwise any older copies do
    stale = saved if previous is None else [name for name in previous.values() if name and name not in saved]
    for name in stale:
        default_storage.delete(name)
    return "missing" if previous is None else "ready"
