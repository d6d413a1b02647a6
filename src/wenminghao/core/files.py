"""The one way a stored file (a work's file, a stamped scan, an export) leaves the platform, after its view has
checked who may have it.

``stored_file_response(request, name, …)`` answers, by where the file is:

- local storage: the bytes, with byte ranges (RFC 9110 §14): ``Range: bytes=0-99`` answers 206 with
  ``Content-Range``, an unsatisfiable range 416, every answer says ``Accept-Ranges: bytes``; ``If-Range``,
  ``If-None-Match`` and ``If-Modified-Since`` are honoured (ETag from size and modification time; stored files
  never change). iOS Safari plays no ``<video>`` without 206 answers; Django's FileResponse has no ranges and
  django-sendfile2's "simple" backend neither (docs/decisions.md).
- local storage behind nginx (``WMH_ACCEL_REDIRECT_PREFIX``, e.g. ``/_protected/``): an empty answer with
  ``X-Accel-Redirect``; nginx sends the bytes itself, ranges included (docs/deployment.md).
- object storage (S3): a redirect to a short-lived signed address; S3 answers ranges itself. The object is looked
  up first (one HEAD request), so a gone file answers 404 here too.
"""

from __future__ import annotations

import os
import re
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import content_disposition_header, http_date, parse_http_date_safe

FILE_NOT_FOUND = "未找到该文件，或您无权查看。"
CHUNK = 64 * 1024
RANGE_SPEC = re.compile(r"^\s*(\d*)\s*-\s*(\d*)\s*$")


class Unsatisfiable(Exception):
    """The range lies wholly beyond the file's end (416)."""


def parse_byte_range(header: str, size: int) -> tuple[int, int] | None:
    """(first, last) byte of a single range (inclusive, clamped to the file), None when the header is to be
    ignored (malformed, another unit, or several ranges: the whole file is sent, as RFC 9110 allows), or
    Unsatisfiable."""
    unit, _, specs = header.partition("=")
    if unit.strip().lower() != "bytes" or not specs or "," in specs:
        return None
    match = RANGE_SPEC.match(specs)
    if match is None or match.group(1) == match.group(2) == "":
        return None
    first, last = match.group(1), match.group(2)
    if first == "":  # the last N bytes
        length = int(last)
        if length == 0 or size == 0:
            raise Unsatisfiable
        return max(0, size - length), size - 1
    start = int(first)
    if last and int(last) < start:
        return None
    if start >= size:
        raise Unsatisfiable
    return start, min(int(last) if last else size - 1, size - 1)


def _if_range_allows(request, etag: str, mtime: int) -> bool:
    """A Range with If-Range is honoured only while the file is the one the client has part of."""
    validator = request.META.get("HTTP_IF_RANGE", "").strip()
    if not validator:
        return True
    if validator.startswith(('"', "W/")):
        return validator == etag  # weak validators never match (strong comparison)
    return parse_http_date_safe(validator) == mtime


class FileRange:
    """The bytes first..last of a file, read in chunks as the answer is sent; closed with the answer."""

    def __init__(self, path: str, first: int, last: int):
        self._handle = open(path, "rb")  # noqa: SIM115 - closed by close(), which Django calls after sending
        self._handle.seek(first)
        self._remaining = last - first + 1

    def __iter__(self):
        while self._remaining > 0:
            data = self._handle.read(min(CHUNK, self._remaining))
            if not data:
                break
            self._remaining -= len(data)
            yield data

    def close(self) -> None:
        self._handle.close()


def _local_file_response(request, path: str, *, content_type: str, disposition: str | None) -> HttpResponse:
    stat = os.stat(path)
    size, mtime = stat.st_size, int(stat.st_mtime)
    etag = f'"{size:x}-{stat.st_mtime_ns:x}"'
    conditional = get_conditional_response(request, etag=etag, last_modified=mtime)
    if conditional is not None:  # 304 Not Modified (or 412)
        conditional["ETag"] = etag
        return conditional
    header = request.META.get("HTTP_RANGE", "") if request.method in ("GET", "HEAD") else ""
    byte_range = None
    if header and _if_range_allows(request, etag, mtime):
        try:
            byte_range = parse_byte_range(header, size)
        except Unsatisfiable:
            response = HttpResponse(status=416, content_type="text/plain; charset=utf-8")
            response.content = f"请求的范围超出了文件的大小（{size}字节）。".encode()
            response["Content-Range"] = f"bytes */{size}"
            response["Accept-Ranges"] = "bytes"
            return response
    if byte_range is None:
        response = FileResponse(open(path, "rb"), content_type=content_type)  # noqa: SIM115 - closed by Django
    else:
        first, last = byte_range
        response = StreamingHttpResponse(FileRange(path, first, last), status=206, content_type=content_type)
        response["Content-Range"] = f"bytes {first}-{last}/{size}"
        response["Content-Length"] = str(last - first + 1)
    if disposition:
        response["Content-Disposition"] = disposition
    response["Accept-Ranges"] = "bytes"
    response["ETag"] = etag
    response["Last-Modified"] = http_date(mtime)
    return response


def _redirect_to_storage(name: str, *, content_type: str, disposition: str | None) -> HttpResponseRedirect:
    """To the object storage's signed address; S3 is asked to answer with our type and download name."""
    parameters = {"ResponseContentType": content_type}
    if disposition:
        parameters["ResponseContentDisposition"] = disposition
    try:
        url = default_storage.url(name, parameters=parameters)
    except TypeError:  # a storage whose url() takes no parameters
        url = default_storage.url(name)
    return HttpResponseRedirect(url)


def stored_file_response(request, name: str, *, content_type: str | None, filename: str,
                         as_attachment: bool = False, cache_control: str = "private, max-age=300") -> HttpResponse:
    """The stored file ``name`` of the default storage, to a caller already allowed to have it (see the module's
    docstring). ``filename`` is the name the browser shows or saves it under. Http404 when the file is gone."""
    content_type = content_type or "application/octet-stream"
    disposition = content_disposition_header(as_attachment, filename) if filename else None
    try:
        path = default_storage.path(name)
    except NotImplementedError:  # object storage: a short-lived signed address (querystring_auth)
        # Signing needs no request, so ask first (one HEAD): a gone file answers our 404 (an export swept after a
        # week says so politely), not a signed address to the storage's own error page.
        if not default_storage.exists(name):
            raise Http404(FILE_NOT_FOUND) from None
        return _redirect_to_storage(name, content_type=content_type, disposition=disposition)
    if not os.path.isfile(path):
        if default_storage.exists(name):  # a storage that names paths but keeps its files elsewhere
            return _redirect_to_storage(name, content_type=content_type, disposition=disposition)
        raise Http404(FILE_NOT_FOUND)
    prefix = settings.WMH_ACCEL_REDIRECT_PREFIX
    if prefix:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + quote(name.lstrip("/"))
        if disposition:
            response["Content-Disposition"] = disposition
    else:
        response = _local_file_response(request, path, content_type=content_type, disposition=disposition)
    response["Cache-Control"] = cache_control
    response["X-Content-Type-Options"] = "nosniff"
    return response
