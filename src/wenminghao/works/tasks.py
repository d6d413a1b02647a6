"""Background work on the files of a work (django-tasks; `manage.py db_worker` runs it, tests run it at once).

An upload is accepted as soon as its checks pass; what viewing needs — a thumbnail, a web-size copy, a video's
poster frame — and the perceptual hash for the originality flag are made here, never in the request.
"""

import contextlib
import datetime
import io
import logging
import os
import shutil
import tempfile
import warnings
from collections.abc import Iterator
from fractions import Fraction

import av
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import task
from PIL import Image, ImageOps

from wenminghao.core.storing import store_bytes

from . import similarity
from .enums import DerivativeState, FileRole
from .models import WorkFile

logger = logging.getLogger(__name__)

THUMBNAIL_SIDE = 400
WEB_SIDE = 1600
JPEG_QUALITY = 82
POSTER_AT_SECONDS = 1
DERIVED_FOLDER = "works/{work_id}/derived"

PICTURE_ROLES = (FileRole.PICTURE, FileRole.SCREENSHOT)


def claim_lease() -> datetime.timedelta:
    """How long a run's claim on a file holds. A file takes seconds (a picture, or the poster frame of a video of at
    most 30 s), so an older claim is a run whose worker died in the middle. Half of WMH_WORKER_STALE_SECONDS: the run
    that core.workers starts again once that worker has been silent for WMH_WORKER_STALE_SECONDS always finds the
    dead run's claim expired and takes the file over."""
    return datetime.timedelta(seconds=float(settings.WMH_WORKER_STALE_SECONDS) / 2)


class DerivativeError(Exception):
    """The file cannot be turned into previews (it passed its checks, so this is rare: say why in the log)."""


def claim_derivatives(rows, *, redo: bool = False) -> datetime.datetime | None:
    """Take the file that ``rows`` (one row of a model with ``derivatives`` and ``derivatives_claimed_at``: a
    WorkFile, a ledger EntryAttachment) selects for this run, with one conditional UPDATE (atomic on both databases:
    of two workers at once, the second finds the row claimed and changes nothing). A claim older than
    ``claim_lease()`` (a worker killed in the middle) is taken over; a file whose derivatives are ready is taken only
    with ``redo``. Returns the claim's instant, None when another run has it or nothing is left to do."""
    now = timezone.now()
    free = Q(derivatives_claimed_at__isnull=True) | Q(derivatives_claimed_at__lt=now - claim_lease())
    rows = rows.filter(free)
    if not redo:
        rows = rows.exclude(derivatives=DerivativeState.READY)
    return now if rows.update(derivatives_claimed_at=now) else None


def release_derivatives(rows, claimed: datetime.datetime) -> None:
    """End this run's claim (``claim_derivatives``), unless another run has taken the file over since."""
    rows.filter(derivatives_claimed_at=claimed).update(derivatives_claimed_at=None)


def _claim(file_id: int, redo: bool) -> datetime.datetime | None:
    return claim_derivatives(WorkFile.objects.filter(pk=file_id), redo=redo)


@task()
def make_derivatives(file_id: int, redo: bool = False) -> str:
    """Make the previews and the perceptual hash of one WorkFile, and record the files of other works it repeats.

    Pictures (and H5 screenshots): a thumbnail (long side 400 px) and a web-size copy (long side 1600 px),
    EXIF orientation applied and EXIF stripped, JPEG quality 82. Videos and animated GIFs: a poster frame
    (about 1 s in, or the first frame of a shorter one) at web size and its thumbnail. The pHash is taken of
    the picture or poster as displayed. Files go to the storage under ``works/<work id>/derived/``; the original
    is only read. Then SimilarFile rows both ways: the same SHA-256 in another work (identical), or a hash
    within 3 bits (perceptual).

    Side effects: writes the derivative files, deletes the ones a previous run made, updates the WorkFile's
    thumbnail, web_copy, poster, perceptual_hash, hash_band_0..3 and derivatives (ready or failed), and the
    SimilarFile rows involving it. Never raises: a failure is logged and leaves the file marked failed.

    Each file is made once: the run first claims the file (``_claim``); a second run at the same time (two workers, a
    retry while the first still runs) or a later one for a file already ready answers "skipped" and makes nothing.
    ``redo=True`` makes them again (after a change of sizes): it replaces the derivatives and leaves one SimilarFile
    row per pair. Returns the resulting state.
    """
    work_file = WorkFile.objects.filter(pk=file_id).order_by().first()
    if work_file is None:
        logger.info("make_derivatives: work file %s no longer exists", file_id)
        return "missing"
    claimed = _claim(file_id, redo)
    if claimed is None:
        logger.info("make_derivatives: work file %s is being made by another run or is ready", file_id)
        return "skipped"
    try:
        return _make(work_file)
    finally:
        release_derivatives(WorkFile.objects.filter(pk=file_id), claimed)


def _make(work_file: WorkFile) -> str:
    file_id = work_file.pk
    state = DerivativeState.READY
    try:
        _derive(work_file)
    except Exception:
        logger.exception("make_derivatives: could not make the previews of work file %s (%s)",
                         file_id, work_file.original_name)
        state = DerivativeState.FAILED
        WorkFile.objects.filter(pk=file_id).update(derivatives=state, **similarity.band_fields(None))
    # The originality flag by SHA-256 needs no preview: record it even when the previews failed.
    try:
        work_file.refresh_from_db(fields=["perceptual_hash"])
        similarity.record_similar(work_file)
    except WorkFile.DoesNotExist:
        return "missing"
    except Exception:
        logger.exception("make_derivatives: could not look for files repeating work file %s", file_id)
    return str(state)


def _derive(work_file: WorkFile) -> None:
    if work_file.role in PICTURE_ROLES:
        with local_path(work_file.original.name) as path:
            shown = open_picture(path, WEB_SIDE)
        names = {"web_copy": "web", "thumbnail": "thumb"}
    elif work_file.role == FileRole.VIDEO:
        with local_path(work_file.original.name) as path:
            shown = _poster_frame(path)
        names = {"poster": "poster", "thumbnail": "thumb"}
    else:  # a .docx: nothing to preview, only its SHA-256 takes part in the originality check
        WorkFile.objects.filter(pk=work_file.pk).update(derivatives=DerivativeState.READY)
        return

    web = fit_within(shown, WEB_SIDE)
    thumb = fit_within(web, THUMBNAIL_SIDE)
    web_bytes = jpeg_without_metadata(web)
    contents = {"web": web_bytes, "poster": web_bytes, "thumb": jpeg_without_metadata(thumb)}
    hex_hash = similarity.perceptual_hash(web)

    folder = DERIVED_FOLDER.format(work_id=work_file.work_id)
    saved = {
        field: store_bytes(contents[suffix], f"{folder}/{work_file.pk}-{suffix}.jpg")
        for field, suffix in names.items()
    }
    with transaction.atomic():
        # Read the names an earlier run stored under the row lock: of two runs at once, each deletes only
        # what the row named before its own update, so no file is left behind and none still named is deleted.
        # no join: lock this row only
        rows = WorkFile.objects.select_for_update(no_key=True).filter(pk=work_file.pk).order_by()
        previous = next(iter(rows.values("thumbnail", "web_copy", "poster")), None)
        if previous is not None:
            WorkFile.objects.filter(pk=work_file.pk).update(
                thumbnail=saved.get("thumbnail", ""),
                web_copy=saved.get("web_copy", ""),
                poster=saved.get("poster", ""),
                derivatives=DerivativeState.READY,
                **similarity.band_fields(hex_hash),
            )
    # The file was removed meanwhile: leave nothing behind. Otherwise drop what an earlier run made.
    stale = saved.values() if previous is None else [
        name for name in previous.values() if name and name not in saved.values()
    ]
    for name in stale:
        default_storage.delete(name)


@contextlib.contextmanager
def local_path(name: str) -> Iterator[str]:
    """A path on this machine holding the stored file: the file itself on local storage, else a temporary copy
    (object storage), copied in chunks, never read whole into memory."""
    try:
        local = default_storage.path(name)
    except NotImplementedError:
        local = None
    if local is not None:
        yield local
        return
    with default_storage.open(name, "rb") as source, tempfile.NamedTemporaryFile(
        dir=settings.FILE_UPLOAD_TEMP_DIR, suffix=os.path.splitext(name)[1]
    ) as copy:
        shutil.copyfileobj(source, copy, 1024 * 1024)
        copy.flush()
        yield copy.name


def _check_pixels(width: int, height: int) -> None:
    limit = settings.WMH_MAX_IMAGE_PIXELS
    if width * height > limit:
        raise DerivativeError(f"{width}×{height} pixels is above WMH_MAX_IMAGE_PIXELS ({limit})")


def open_picture(path: str, side: int) -> Image.Image:
    """The picture as displayed (EXIF orientation applied), decoded at the smallest size that still gives a
    long side of ``side`` pixels: a JPEG's draft mode decodes a 4000×3000 picture at 2000×1500, a quarter of
    the memory, and a 12000×9000 one at 1500×1125."""
    with Image.open(path) as image:
        _check_pixels(*image.size)
        width, height = image.size
        scale = min(1.0, side / max(width, height))
        image.draft("RGB", (max(1, round(width * scale)), max(1, round(height * scale))))  # only JPEG has one
        with warnings.catch_warnings():
            # The pixel cap was checked above against our own setting, which may be above Pillow's default.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image.load()
        shown = ImageOps.exif_transpose(image)  # always a new image, so it outlives the open file
    return _rgb(shown)


def _poster_frame(path: str) -> Image.Image:
    """The frame shown at about POSTER_AT_SECONDS, or the first frame of a shorter video. The frames are decoded
    from the start: a video is at most 30 s long, so this is at most a second of frames, and it needs no
    seeking, which animated GIFs and some MP4s do not support."""
    with av.open(path) as container:
        if not container.streams.video:
            raise DerivativeError("no video stream")
        stream = container.streams.video[0]
        _check_pixels(stream.codec_context.width or 0, stream.codec_context.height or 0)
        stream.thread_type = "AUTO"
        rate = stream.average_rate or Fraction(25)
        first = None
        for index, frame in enumerate(container.decode(stream)):
            if first is None:
                first = frame
            at = frame.time if frame.time is not None else index / rate
            if at >= POSTER_AT_SECONDS:
                return frame.to_image()
        if first is None:
            raise DerivativeError("no frame could be decoded")
        return first.to_image()


def _rgb(image: Image.Image) -> Image.Image:
    if image.mode == "RGB":
        return image
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def fit_within(image: Image.Image, side: int) -> Image.Image:
    """A copy with a long side of at most ``side`` pixels (never enlarged)."""
    copy = image.copy()
    copy.thumbnail((side, side), Image.Resampling.LANCZOS)
    return copy


def jpeg_without_metadata(image: Image.Image) -> bytes:
    """JPEG bytes with no EXIF (nor any other metadata: location and camera data stay in the original only)."""
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return buffer.getvalue()
