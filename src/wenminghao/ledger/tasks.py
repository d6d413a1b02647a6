"""Background work on ledger files (django-tasks; ``manage.py db_worker`` runs it, tests run it at once): the
thumbnail of a picture, made with the same code as a work's (works.tasks), never in the request."""

import logging

from django.core.files.storage import default_storage
from django.db import transaction
from django_tasks import task

from wenminghao.core.storing import store_bytes
from wenminghao.works.tasks import (
    THUMBNAIL_SIDE,
    claim_derivatives,
    fit_within,
    jpeg_without_metadata,
    local_path,
    open_picture,
    release_derivatives,
)

from .enums import AttachmentKind, DerivativeState
from .models import EntryAttachment

logger = logging.getLogger(__name__)


@task()
def make_attachment_thumbnail(attachment_id: int, redo: bool = False) -> str:
    """A thumbnail (long side 400 px, EXIF orientation applied and stripped) of a ledger picture, stored beside it.
    Made once: the run first claims the file (``works.tasks.claim_derivatives``); a second run at the same time (two
    workers, a retry while the first still runs) or a later one for a thumbnail already made answers "skipped" and
    makes nothing, unless ``redo``. Never raises: a failure is logged and marks the file failed. Returns the
    resulting state."""
    attachment = EntryAttachment.objects.filter(pk=attachment_id).order_by().first()
    if attachment is None:
        return "missing"
    if attachment.kind != AttachmentKind.PICTURE:
        EntryAttachment.objects.filter(pk=attachment_id).update(derivatives=DerivativeState.NONE)
        return str(DerivativeState.NONE)
    rows = EntryAttachment.objects.filter(pk=attachment_id)
    claimed = claim_derivatives(rows, redo=redo)
    if claimed is None:
        logger.info("make_attachment_thumbnail: ledger file %s is being made by another run or is ready",
                    attachment_id)
        return "skipped"
    try:
        return _make_thumbnail(attachment)
    finally:
        release_derivatives(rows, claimed)


def _make_thumbnail(attachment: EntryAttachment) -> str:
    attachment_id = attachment.pk
    try:
        with local_path(attachment.original.name) as path:
            picture = open_picture(path, THUMBNAIL_SIDE)
        content = jpeg_without_metadata(fit_within(picture, THUMBNAIL_SIDE))
    except Exception:
        logger.exception("make_attachment_thumbnail: could not make the thumbnail of ledger file %s (%s)",
                         attachment_id, attachment.original_name)
        EntryAttachment.objects.filter(pk=attachment_id).update(derivatives=DerivativeState.FAILED)
        return str(DerivativeState.FAILED)
    folder = attachment.original.name.rsplit("/", 1)[0]
    saved = store_bytes(content, f"{folder}/thumb-{attachment.pk}.jpg")
    with transaction.atomic():
        rows = EntryAttachment.objects.select_for_update(no_key=True).filter(pk=attachment_id).order_by()
        previous = next(iter(rows.values("thumbnail")), None)
        if previous is not None:
            rows.update(thumbnail=saved, derivatives=DerivativeState.READY)
    stale = [saved] if previous is None else [previous["thumbnail"]] if previous["thumbnail"] else []
    for name in stale:
        if name != saved or previous is None:
            default_storage.delete(name)
    return str(DerivativeState.READY)
