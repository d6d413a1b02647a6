"""A work's uploads, from the streamed intake (core/uploads.py) into storage.

The limit of a work's file depends on its display form (``upload_limit_for``). A file that arrived (streamed to a
temporary file and hashed by ``core.uploads``) is checked by the services and moved into storage (``store``): on
the local file system that is a rename of the temporary file, in the same transaction as its WorkFile row; on
S3-compatible storage it is an upload. Either way, a file that fails a check, or whose row is not written, leaves
nothing behind.
"""

import contextlib
import hashlib
import os
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.core.files.storage import default_storage

from wenminghao.core.errors import RuleViolationError, Violation
from wenminghao.core.storing import store_local_file
from wenminghao.core.uploads import CHUNK, UploadTooLarge, clean_file_name, log_refused
from wenminghao.core.uploads import logger as upload_logger

from . import attachment1
from .enums import DisplayForm


def attachment_max_bytes() -> int:
    """The size limit of a ledger file, and of every attachment and photo taken the same way (notices, norms,
    stories, joint projects, inspections, public pages): ``WMH_LEDGER_FILE_MAX_BYTES``, 20 MB by default."""
    return int(getattr(settings, "WMH_LEDGER_FILE_MAX_BYTES", 20 * 1024 * 1024))


def docx_max_bytes() -> int:
    return int(getattr(settings, "WMH_DOCX_MAX_BYTES", 20 * 1024 * 1024))


def upload_limit_for(work) -> int:
    """The largest file this work takes, by its display form: a video or animation, a picture or
    screenshot, or an essay's .docx."""
    if work.display_form in (DisplayForm.VIDEO, DisplayForm.ANIMATION):
        return attachment1.video_max_bytes()
    if work.display_form == DisplayForm.ESSAY:
        return docx_max_bytes()
    return attachment1.picture_max_bytes()


# --- from an upload to a file on disk, and into storage -----------------------------------------------------


@dataclass
class Received:
    """An upload as a complete file on local disk, with its SHA-256 and size."""

    path: str
    name: str
    size: int
    sha256: str
    # the verdict of a check made while the bytes arrived (media.StreamedJpegCheck; None: none was made)
    streamed: bool | None = None


def hash_file(path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


# --- the file's name ------------------------------------------------------------------------------------------

# Names Windows cannot save a file under, whatever the extension: where the reviewers download and unpack the works.
_WINDOWS_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\s*\..*)?$", re.IGNORECASE)


def file_name(raw) -> str:
    """The name a file is known by (shown, and given back on download; it is stored under a generated name):
    ``core.uploads.clean_file_name`` — the intake of an HTTP upload did it already; a file handed to a service some
    other way gets the same."""
    return clean_file_name(str(raw or "")) or "未命名文件"


def name_violations(name: str) -> list[Violation]:
    """Why a file cannot keep this name: one Windows reserves (CON, NUL, AUX, COM1, …), or one ending in a dot or a
    space (Windows drops them, and the file would lose its type)."""
    if _WINDOWS_RESERVED.match(name):
        return [Violation("file.name", f"文件名“{name}”是Windows系统的保留名称，下载后无法在Windows电脑上保存，"
                                       "请重命名（例如“作品照片.jpg”）后上传", "file")]
    if name != name.rstrip(". "):
        return [Violation("file.name", f"文件名“{name}”以句点或空格结尾，在Windows电脑上无法正常保存，"
                                       "请删除末尾的句点或空格后上传", "file")]
    return []


@contextlib.contextmanager
def received(upload, *, limit: int | None = None) -> Iterator[Received]:
    """The upload as a file on disk for the checks: the upload's own temporary file when it has one
    (hashed while it streamed in, or now in chunks), otherwise a temporary copy written chunk by chunk
    and removed afterwards (unless ``store`` moved it). UploadTooLarge past ``limit``.

    Every service that takes a file checks and stores it inside this block, so its end is the upload's verdict,
    logged at INFO (``wenminghao.uploads``, with the account and object of the request from core.uploads): accepted
    when the block ends normally, refused with the Chinese reasons of a RuleViolationError."""
    context = getattr(upload, "upload_context", None) or {"user_id": None, "path": "", "object_id": None}
    name = file_name(getattr(upload, "name", ""))
    size = getattr(upload, "size", None)
    try:
        violations = name_violations(name)
        if violations:
            raise RuleViolationError(violations)
        with _received(upload, name, limit) as item:
            size = item.size
            yield item
    except RuleViolationError as error:
        log_refused(context, name, size, error.violations)
        raise
    upload_logger.info("upload accepted: %s (%s, %s bytes)", name, context.get("path"), size,
                       extra={**context, "file_name": name, "size": size, "sha256": item.sha256})


@contextlib.contextmanager
def _received(upload, name: str, limit: int | None) -> Iterator[Received]:
    if hasattr(upload, "temporary_file_path"):
        path = upload.temporary_file_path()
        size = os.path.getsize(path)
        if limit is not None and size > limit:
            raise UploadTooLarge(limit, name)
        watcher = getattr(upload, "watcher", None)
        yield Received(path, name, size, getattr(upload, "sha256", None) or hash_file(path),
                       watcher.verdict() if watcher is not None else None)
        return
    directory = getattr(settings, "FILE_UPLOAD_TEMP_DIR", None) or None
    if directory:
        os.makedirs(directory, exist_ok=True)
    descriptor, path = tempfile.mkstemp(dir=directory, suffix=".upload")
    try:
        digest, size = hashlib.sha256(), 0
        with os.fdopen(descriptor, "wb") as handle:
            if hasattr(upload, "seek"):
                upload.seek(0)
            chunks = upload.chunks(CHUNK) if hasattr(upload, "chunks") else iter(lambda: upload.read(CHUNK), b"")
            for chunk in chunks:
                size += len(chunk)
                if limit is not None and size > limit:
                    raise UploadTooLarge(limit, name)
                digest.update(chunk)
                handle.write(chunk)
        yield Received(path, name, size, digest.hexdigest())
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.remove(path)


def store(item: Received, name: str) -> str:
    """Put a checked file into the default storage under ``name`` (or a free name like it); returns the
    stored name. The caller deletes it again (``discard``) if its database row is not written."""
    return store_local_file(item.path, name)


def discard(*names: str) -> None:
    """Delete stored files, ignoring the ones already gone."""
    for name in names:
        if name:
            with contextlib.suppress(FileNotFoundError, OSError):
                default_storage.delete(name)
