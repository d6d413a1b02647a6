"""What the WSGI server needs from the application beyond Django: connections that stay usable, and a heap
that the garbage collector does not walk on every page (``freeze_startup_heap``, at the end).

A client that reuses its connection (browsers, ``requests.Session``, most HTTP libraries) sends its next request
on the same socket right after the answer to the previous one. When Django answers without reading the request's
body (404 for an unknown address, 401, 403 for a missing CSRF token, 405, 413 before reading an oversized
upload), those unread bytes are still in the socket: granian (hyper) then closes the connection after the answer
without saying so, and the client's next request meets a closed socket ("Remote end closed connection without
response"): measured on one keep-alive connection, 30 of 60 POSTs of 100 kB dropped.

``keep_connections_usable`` wraps the application: it counts what the application read of the body, and when
the answer is ready reads (and discards) what is left, up to ``DRAIN_MAX_BYTES``, so the connection can carry
the next request. A larger remainder is not worth reading (a 300 MB video refused with 413): the answer then
says ``Connection: close``, and the client opens a new connection instead of reusing a dead one. A request
without a body passes through untouched.
"""

from __future__ import annotations

import gc

from django.urls import get_resolver

DRAIN_MAX_BYTES = 1024 * 1024  # read at most this much of an unread body: a few milliseconds on a local network
CHUNK = 64 * 1024


class CountingInput:
    """``wsgi.input`` that counts the bytes the application has read."""

    def __init__(self, stream):
        self._stream = stream
        self.consumed = 0
        self.at_end = False

    def read(self, size: int | None = -1) -> bytes:
        whole = size is None or size < 0
        data = self._stream.read() if whole else self._stream.read(size)
        self.consumed += len(data)
        self.at_end = self.at_end or whole or not data
        return data

    def readline(self, size: int | None = -1) -> bytes:
        data = self._stream.readline() if size is None or size < 0 else self._stream.readline(size)
        self.consumed += len(data)
        if not data:
            self.at_end = True
        return data

    def readlines(self, hint: int | None = -1) -> list[bytes]:
        lines = []
        while line := self.readline():
            lines.append(line)
        return lines

    def __iter__(self):
        return iter(self.readline, b"")


def declared_body_length(environ) -> int | None:
    """The body's length from Content-Length; None for a chunked body of unknown length; 0 for no body."""
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > 0:
        return length
    if "chunked" in (environ.get("HTTP_TRANSFER_ENCODING") or "").lower():
        return None
    return 0


def drain(body: CountingInput, declared: int | None, limit: int = DRAIN_MAX_BYTES) -> bool:
    """Read what the application left of the body, if it is at most ``limit`` bytes. True when the body has been
    read to its end (the connection can carry another request), False when too much was left."""
    if declared is None:  # chunked: read on until its end, or until the limit says it is too long
        read = 0
        while not body.at_end:
            chunk = body.read(CHUNK)
            if not chunk:
                return True
            read += len(chunk)
            if read > limit:
                return False
        return True
    remaining = declared - body.consumed
    if remaining <= 0:
        return True
    if remaining > limit:
        return False
    while remaining > 0:
        chunk = body.read(min(CHUNK, remaining))
        if not chunk:  # the client sent less than it declared: nothing more will come
            break
        remaining -= len(chunk)
    return True


def keep_connections_usable(application, *, drain_limit: int = DRAIN_MAX_BYTES):
    """Wrap a WSGI application so that no answer leaves unread request bytes on a kept-alive connection (see the
    module's docstring)."""

    def wrapped(environ, start_response):
        declared = declared_body_length(environ)
        if declared == 0:
            return application(environ, start_response)
        body = CountingInput(environ["wsgi.input"])
        environ["wsgi.input"] = body
        answer: list = []
        write = None
        returned = False

        def send_head():
            nonlocal write
            if write is None:
                status, headers, exc_info = answer
                if not drain(body, declared, drain_limit):
                    headers = [(name, value) for name, value in headers if name.lower() != "connection"]
                    headers.append(("Connection", "close"))
                write = start_response(status, headers, exc_info)
            return write

        def deferred_start_response(status, headers, exc_info=None):
            # The head is held back until the application has returned, so that what it did not read can be
            # read first; an application that uses the legacy write() gets the head sent at its first write.
            if write is not None:  # the head has gone out: the server decides what an error now means
                return start_response(status, headers, exc_info)
            answer[:] = [status, list(headers), exc_info]
            if returned:  # an application that starts its answer only while it is iterated
                return send_head()
            return lambda data: send_head()(data)

        result = application(environ, deferred_start_response)
        returned = True
        if answer:
            send_head()
        return result

    return wrapped


def freeze_startup_heap() -> None:
    """Import every view (through the URL patterns), collect once, and move everything alive into the collector's
    permanent generation (``gc.freeze()``): the hundreds of thousands of objects of Django, the apps, the models
    and the URL patterns are then never scanned again by the full collections that a page's allocations set off
    now and then. Those pauses were the slow tail of every page: at 2 connections on a 10,000-work list, p99 216–294
    ms against p50 47–76 ms; frozen, p99 126–170 ms (docs/benchmarks.md). Nothing frozen is freed (it is all
    alive for the process's lifetime anyway); objects made later are collected as before."""
    get_resolver().url_patterns  # noqa: B018 - imports every view module, as the first request would
    gc.collect()
    gc.freeze()
