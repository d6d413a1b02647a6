"""Uploads that stream to disk and never sit whole in memory: the one intake of every upload (a work's files, an
essay's .docx, a unit's stamped scan, and the API's).

A page view that takes a file is ``csrf_exempt`` and calls ``receive_streamed_upload(request, limit=…)`` before
touching ``request.POST`` or ``request.FILES``: a body already declared too large (Content-Length) is refused
before anything is read (413); otherwise ``LimitedUploadHandler`` writes each chunk to a temporary file under
FILE_UPLOAD_TEMP_DIR as it arrives, feeding SHA-256 and a byte count, and past the limit deletes what it wrote and
stops reading (413); the CSRF token is checked then, once the streaming handler is in place (the check reads the
form body, which Django's default handlers would load into memory). The API, which has no CSRF, calls
``reject_oversized`` and ``receive_upload`` itself.
"""

import contextlib
import hashlib
import html
import logging
import os
import re
import unicodedata
from dataclasses import dataclass

from django.core.files.uploadedfile import TemporaryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParser
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.datastructures import ImmutableList

from .errors import RuleViolationError, Violation

# INFO lines of every upload: refused here (too large, declared or streamed), accepted or refused by the checks of
# the object it is for (works/uploads.py: received). Each with the account, the address and object of the request.
logger = logging.getLogger("wenminghao.uploads")


def upload_context(request) -> dict:
    """Who uploads to what, for the log: the account's id (a session's, or the API token's), the path, and the
    object's id from the URL (a work's, an entry's)."""
    user = getattr(request, "auth", None)
    if getattr(user, "pk", None) is None:
        user = getattr(request, "user", None)
    match = getattr(request, "resolver_match", None)
    ids = [int(value) for value in (match.kwargs.values() if match else ())
           if isinstance(value, int) or (isinstance(value, str) and value.isdigit())]  # the API's come as text
    return {"user_id": getattr(user, "pk", None), "path": getattr(request, "path", ""),
            "object_id": ids[0] if ids else None}


def log_refused(context: dict, name: str, size: int | None, violations, **fields) -> None:
    reasons = "；".join(violation.message for violation in violations)
    logger.info("upload refused: %s (%s, %s bytes): %s", name, context.get("path"), size, reasons,
                extra={**context, "file_name": name, "size": size, "reason": reasons,
                       "codes": [violation.code for violation in violations], **fields})


def megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.0f}MB" if size >= 1024 * 1024 else f"{size / 1024:.0f}KB"


CHUNK = 1024 * 1024


# Content-Length counts the multipart envelope and the other fields as well as the file.
ENVELOPE_ALLOWANCE = 64 * 1024


def too_large_violation(limit: int, name: str = "") -> Violation:
    label = f"文件（{name}）" if name else "上传的文件"
    return Violation("file.too_large", f"{label}超过{megabytes(limit)}的上限，请压缩后再上传", "file")


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
        violation = too_large_violation(limit)
        log_refused(upload_context(request), "", declared, [violation], declared=True)
        return too_large_response(violation)
    return None


class LimitedUploadHandler(FileUploadHandler):
    """Streams each file to a temporary file (never to memory), computing its SHA-256 and size on the way;
    a file that passes ``limit`` bytes is deleted at once and the upload stops (``exceeded`` tells why).

    The file it returns is a TemporaryUploadedFile with two more attributes: ``sha256`` (hex) and ``size``, and a
    third when ``watch`` is given: ``watcher``, a fresh ``watch()`` per file fed every chunk as it arrives (a check
    of the content made while the bytes come in, e.g. works.media.StreamedJpegCheck; core knows nothing of it but
    ``feed(chunk)``).
    """

    def __init__(self, request=None, *, limit: int, watch=None):
        super().__init__(request)
        self.limit = limit
        self.watch = watch
        self.exceeded: UploadTooLarge | None = None

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        # The temporary file takes the extension only when it is a short plain one: a name's "extension" may be
        # hundreds of characters, longer than a file system allows a name to be. The file keeps its whole name.
        extension = os.path.splitext(self.file_name or "")[1]
        temporary_name = "upload" + (extension if _PLAIN_EXTENSION.fullmatch(extension) else "")
        self.file = TemporaryUploadedFile(temporary_name, self.content_type, 0, self.charset,
                                          self.content_type_extra)
        self.file.name = self.file_name
        self.hasher = hashlib.sha256()
        self.received = 0
        self.watcher = self.watch() if self.watch is not None else None

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self.exceeded = UploadTooLarge(self.limit, self.file_name or "")
            log_refused(upload_context(self.request), self.file_name or "", self.received, [self.exceeded.violation])
            self._discard()
            raise StopUpload(connection_reset=True)
        self.hasher.update(raw_data)
        if self.watcher is not None:
            self.watcher.feed(raw_data)
        self.file.write(raw_data)
        return None

    def file_complete(self, file_size):
        self.file.flush()
        self.file.seek(0)
        self.file.size = file_size
        self.file.sha256 = self.hasher.hexdigest()
        self.file.upload_context = upload_context(self.request)  # for the log line of its acceptance or refusal
        if self.watcher is not None:
            self.file.watcher = self.watcher
        return self.file

    def upload_interrupted(self):
        self._discard()

    def _discard(self):
        if hasattr(self, "file"):
            path = self.file.temporary_file_path()
            self.file.close()
            with contextlib.suppress(FileNotFoundError):
                os.remove(path)


# --- the name of an uploaded file ------------------------------------------------------------------------------

# Invisible characters that reorder the text around them (a name "照片[U+202E]gpj.exe" shows as "照片exe.jpg"):
# dropped from a name.
_BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Invisible characters that are part of what a name shows: the joiners of emoji sequences (👩‍👩‍👧) and of some
# scripts, and the tags of subdivision flags.
_JOINERS = frozenset("\u200c\u200d")
_PLAIN_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,16}")


def _kept_in_name(char: str) -> bool:
    if char.isprintable():
        return True
    category = unicodedata.category(char)
    if category == "Zs":  # the ideographic space (U+3000) and other spaces
        return True
    if category == "Cf" and char not in _BIDI_CONTROLS:
        return char in _JOINERS or 0xE0020 <= ord(char) <= 0xE007F
    return False  # control characters (NUL, line breaks), bidi controls, other invisible formatting


def clean_file_name(raw: str) -> str | None:
    """The name an uploaded file is known by: the last part of what the browser sent (whichever separator: a path
    never gets through), without control characters (NUL), right-to-left overrides and the other bidi controls, but
    with everything a name legitimately shows — CJK of every extension, emoji with their joiners. Django's own
    intake does the same but also drops the joiners, breaking emoji sequences apart. None when nothing is left."""
    name = html.unescape(raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(char for char in name if _kept_in_name(char))
    return None if name in {"", ".", ".."} else name


class _NameKeepingParser(MultiPartParser):
    def sanitize_file_name(self, file_name):
        return clean_file_name(file_name)


def _parse_keeping_names(request):
    """``request.parse_file_upload`` with file names cleaned by ``clean_file_name`` (Django's otherwise)."""
    def parse_file_upload(META, post_data):  # noqa: N803 - Django's name
        request.upload_handlers = ImmutableList(request.upload_handlers,
                                                warning="Upload handlers cannot change once the upload is read.")
        return _NameKeepingParser(META, post_data, request.upload_handlers, request.encoding).parse()
    return parse_file_upload


def install_upload_handler(request, limit: int, watch=None) -> LimitedUploadHandler:
    """Make ``request`` stream its files through a LimitedUploadHandler (file names cleaned by
    ``clean_file_name``); call before reading POST/FILES."""
    handler = LimitedUploadHandler(request, limit=limit, watch=watch)
    request.upload_handlers = [handler]
    request.parse_file_upload = _parse_keeping_names(request)
    return handler


def receive_upload(request, *, limit: int, field: str = "file", watch=None):
    """The uploaded file of ``field`` (or None), streamed to a temporary file and hashed (and fed to a ``watch()``,
    see LimitedUploadHandler); UploadTooLarge when it passed ``limit`` bytes (nothing of it is left on disk then)."""
    handler = install_upload_handler(request, limit, watch)
    try:
        files = request.FILES
    except BaseException:
        handler.upload_interrupted()  # a broken body: what was written so far goes at once
        raise
    if handler.exceeded is not None:
        raise handler.exceeded
    return files.get(field)


@dataclass
class StreamedUpload:
    """What ``receive_streamed_upload`` got: the file (None when the form had none), or why there is none."""

    file: object = None
    too_large: Violation | None = None  # answer 413
    declared_too_large: bool = False  # refused from Content-Length, before reading anything
    csrf_failure: HttpResponse | None = None  # answer this (403)


def _csrf_failure(request) -> HttpResponse | None:
    return CsrfViewMiddleware(lambda req: HttpResponse()).process_view(request, None, (), {})


def receive_streamed_upload(request, *, limit: int, field: str = "file", watch=None,
                            max_files: int = 1) -> StreamedUpload:
    """The one intake of an uploaded file on a page (see the module's docstring). The view must be csrf_exempt: the
    token is checked here, after the streaming handler is installed. ``watch``: see LimitedUploadHandler. Close
    ``file`` when done. A form with several files in ``field`` (``max_files``, each up to ``limit``) may declare a
    body that many times as large; its files are ``request.FILES.getlist(field)`` then."""
    too_big = reject_oversized(request, limit * max(1, max_files))  # logged there
    if too_big is not None:
        return StreamedUpload(too_large=too_large_violation(limit), declared_too_large=True)
    handler = install_upload_handler(request, limit, watch)
    try:
        failure = _csrf_failure(request)  # reads the form: the files stream through the handler now
        files = request.FILES
    except BaseException:
        handler.upload_interrupted()  # a broken body: what was written so far goes at once
        raise
    if failure is not None:
        handler.upload_interrupted()
        return StreamedUpload(csrf_failure=failure)
    if handler.exceeded is not None:
        return StreamedUpload(too_large=handler.exceeded.violation)
    return StreamedUpload(file=files.get(field))
