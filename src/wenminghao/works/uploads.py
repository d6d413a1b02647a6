"""Uploads that stream to disk and never sit whole in memory.

A view that takes a work's file does, before touching ``request.POST`` or ``request.FILES``::

    too_big = reject_oversized(request, upload_limit_for(work))   # 413 from Content-Length, body unread
    if too_big:
        return too_big
    try:
        upload = receive_upload(request, limit=upload_limit_for(work))   # streams, hashes, stops past the limit
    except UploadTooLarge as error:
        ...  # 413 with error.violation

(the view must be ``csrf_exempt`` with ``csrf_protect`` inside, or take a token-authenticated request, or
CSRF middleware reads the body first with Django's default handlers). ``LimitedUploadHandler`` writes
each chunk to a temporary file under FILE_UPLOAD_TEMP_DIR as it arrives, feeding SHA-256 and a byte count;
past the limit it deletes what it wrote and stops reading. The services then check the file and move it
into storage (``store``): on the local file system that is a rename of the temporary file, in the same
transaction as its WorkFile row; on S3-compatible storage it is an upload. Either way, a file that fails
a check, or whose row is not written, leaves nothing behind.
"""

import contextlib
import hashlib
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import TemporaryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import JsonResponse

from wenminghao.core.errors import RuleViolationError, Violation

from . import attachment1
from .enums import DisplayForm

CHUNK = 1024 * 1024
# Content-Length counts the multipart envelope and the other fields as well as the file.
ENVELOPE_ALLOWANCE = 64 * 1024


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


def too_large_violation(limit: int, name: str = "") -> Violation:
    label = f"文件（{name}）" if name else "上传的文件"
    return Violation("file.too_large", f"{label}超过{attachment1.megabytes(limit)}的上限，请压缩后再上传", "file")


class UploadTooLarge(RuleViolationError):
    """The upload went past its limit while streaming; what had been written is gone. A RuleViolationError
    (one violation, code file.too_large) that the API and pages answer with 413."""

    status_code = 413

    def __init__(self, limit: int, name: str = ""):
        self.limit = limit
        self.name = name
        self.violation = too_large_violation(limit, name)
        super().__init__([self.violation])


def too_large_response(violation: Violation) -> JsonResponse:
    return JsonResponse({"errors": [violation.as_dict()]}, status=413, json_dumps_params={"ensure_ascii": False})


def reject_oversized(request, limit: int) -> JsonResponse | None:
    """A 413 answer when the declared body (Content-Length) is already too large for one file of ``limit``
    bytes, before anything is read; None otherwise."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > limit + ENVELOPE_ALLOWANCE:
        return too_large_response(too_large_violation(limit))
    return None


class LimitedUploadHandler(FileUploadHandler):
    """Streams each file to a temporary file (never to memory), computing its SHA-256 and size on the way;
    a file that passes ``limit`` bytes is deleted at once and the upload stops (``exceeded`` tells why).

    The file it returns is a TemporaryUploadedFile with two more attributes: ``sha256`` (hex) and ``size``.
    """

    def __init__(self, request=None, *, limit: int):
        super().__init__(request)
        self.limit = limit
        self.exceeded: UploadTooLarge | None = None

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.file = TemporaryUploadedFile(self.file_name, self.content_type, 0, self.charset,
                                          self.content_type_extra)
        self.hasher = hashlib.sha256()
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self.exceeded = UploadTooLarge(self.limit, self.file_name or "")
            self._discard()
            raise StopUpload(connection_reset=True)
        self.hasher.update(raw_data)
        self.file.write(raw_data)
        return None

    def file_complete(self, file_size):
        self.file.flush()
        self.file.seek(0)
        self.file.size = file_size
        self.file.sha256 = self.hasher.hexdigest()
        return self.file

    def upload_interrupted(self):
        self._discard()

    def _discard(self):
        if hasattr(self, "file"):
            path = self.file.temporary_file_path()
            self.file.close()
            with contextlib.suppress(FileNotFoundError):
                os.remove(path)


def install_upload_handler(request, limit: int) -> LimitedUploadHandler:
    """Make ``request`` stream its files through a LimitedUploadHandler; call before reading POST/FILES."""
    handler = LimitedUploadHandler(request, limit=limit)
    request.upload_handlers = [handler]
    return handler


def receive_upload(request, *, limit: int, field: str = "file"):
    """The uploaded file of ``field`` (or None), streamed to a temporary file and hashed; UploadTooLarge
    when it passed ``limit`` bytes (nothing of it is left on disk then)."""
    handler = install_upload_handler(request, limit)
    try:
        files = request.FILES
    except BaseException:
        handler.upload_interrupted()  # a broken body: what was written so far goes at once
        raise
    if handler.exceeded is not None:
        raise handler.exceeded
    return files.get(field)


# --- from an upload to a file on disk, and into storage -----------------------------------------------------


@dataclass
class Received:
    """An upload as a complete file on local disk, with its SHA-256 and size."""

    path: str
    name: str
    size: int
    sha256: str


def hash_file(path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


@contextlib.contextmanager
def received(upload, *, limit: int | None = None) -> Iterator[Received]:
    """The upload as a file on disk for the checks: the upload's own temporary file when it has one
    (hashed while it streamed in, or now in chunks), otherwise a temporary copy written chunk by chunk
    and removed afterwards (unless ``store`` moved it). UploadTooLarge past ``limit``."""
    name = os.path.basename(getattr(upload, "name", "") or "") or "未命名文件"
    if hasattr(upload, "temporary_file_path"):
        path = upload.temporary_file_path()
        size = os.path.getsize(path)
        if limit is not None and size > limit:
            raise UploadTooLarge(limit, name)
        yield Received(path, name, size, getattr(upload, "sha256", None) or hash_file(path))
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


class _MovableFile(File):
    """A complete file on disk that FileSystemStorage moves into place (a rename on the same file system)
    instead of copying; other storages read it in chunks."""

    def __init__(self, path: str):
        super().__init__(open(path, "rb"), name=os.path.basename(path))  # noqa: SIM115 - closed by store()
        self._path = path

    def temporary_file_path(self) -> str:
        return self._path


def store(item: Received, name: str) -> str:
    """Put a checked file into the default storage under ``name`` (or a free name like it); returns the
    stored name. The caller deletes it again (``discard``) if its database row is not written."""
    content = _MovableFile(item.path)
    try:
        return default_storage.save(name, content)
    finally:
        content.close()


def discard(*names: str) -> None:
    """Delete stored files, ignoring the ones already gone."""
    for name in names:
        if name:
            with contextlib.suppress(FileNotFoundError, OSError):
                default_storage.delete(name)
