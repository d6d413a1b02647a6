"""Kept-alive connections stay usable after answers that leave the request body unread (issue 8, defect 1).

Against the real server (granian, tests/live_server.py): one connection, 100 POSTs in a row with a body of 10 B
and of 100 kB to addresses that answer 404, 401, 403 and 405 without reading it; none may be dropped. Before the fix
30 of 60 100-kB POSTs to an unknown API address met "Remote end closed connection without response".
"""

import http.client
import io
import json
import socket

import pytest

from wenminghao.core.wsgi import DRAIN_MAX_BYTES, keep_connections_usable

REQUESTS = 100
BODIES = {"10 B": b'{"a": "b"}', "100 kB": json.dumps({"text": "文" * 33_000}).encode()[:100_000]}
# (method, path, the status it answers without reading the body)
UNREAD_BODY_ANSWERS = [
    ("POST", "/api/v1/no-such-address/", 404),
    ("POST", "/no-such-page/", 404),
    ("POST", "/api/v1/collectives", 401),  # no token
    ("POST", "/accounts/login/", 403),  # no CSRF cookie
    ("POST", "/api/v1/me", 405),
    ("PUT", "/api/v1/campaigns", 405),
]
DROPS = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError, http.client.BadStatusLine)


@pytest.mark.parametrize("size", list(BODIES))
@pytest.mark.parametrize(("method", "path", "status"), UNREAD_BODY_ANSWERS)
def test_one_kept_alive_connection_carries_a_hundred_posts_answered_without_reading(
    granian_server, method, path, status, size
):
    body = BODIES[size]
    connection = granian_server.connection()
    dropped, statuses, reopened = 0, {}, 0
    for _ in range(REQUESTS):
        try:
            connection.request(method, path, body=body, headers={"Content-Type": "application/json"})
            response = connection.getresponse()
            response.read()
        except DROPS:
            dropped += 1
            connection.close()
            connection = granian_server.connection()
            continue
        statuses[response.status] = statuses.get(response.status, 0) + 1
        if (response.getheader("Connection") or "").lower() == "close":
            reopened += 1
            connection.close()
            connection = granian_server.connection()
    connection.close()
    assert dropped == 0
    assert statuses == {status: REQUESTS}
    assert reopened == 0  # bodies this small are read to their end: the connection is kept, not closed


def test_a_chunked_body_answered_without_reading_keeps_the_connection(granian_server):
    connection = granian_server.connection()
    for _ in range(20):
        connection.request("POST", "/api/v1/no-such-address/", body=iter([b"x" * 50_000, b"y" * 50_000]),
                           encode_chunked=True, headers={"Content-Type": "application/json"})
        response = connection.getresponse()
        response.read()
        assert response.status == 404
    connection.close()


def test_an_oversized_body_is_answered_413_and_the_connection_closed_cleanly(granian_server):
    """A body declared larger than the drain limit (6 MB JSON, over DATA_UPLOAD_MAX_MEMORY_SIZE) is refused before
    it is read, and the answer says Connection: close, so the client never reuses a connection the server drops."""
    declared = 6 * 1024 * 1024
    with socket.create_connection((granian_server.host, granian_server.port), timeout=15) as raw:
        raw.sendall(f"POST /api/v1/auth/token HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    f"Content-Length: {declared}\r\n\r\n".encode() + b"{" + b" " * 100_000)
        response = http.client.HTTPResponse(raw)
        response.begin()
        answer = json.loads(response.read())
    assert response.status == 413
    assert response.getheader("Connection").lower() == "close"
    assert answer["errors"][0]["code"] == "request.too_large"
    status, _, _ = granian_server.token("nobody", "x")  # the server goes on serving new connections
    assert status == 401


# --- the wrapper itself, without a server ----------------------------------------------------------------------


class FakeInput(io.BytesIO):
    pass


def call(app, body: bytes, *, declared=None, chunked=False):
    environ = {"REQUEST_METHOD": "POST", "wsgi.input": FakeInput(body)}
    if chunked:
        environ["HTTP_TRANSFER_ENCODING"] = "chunked"
    else:
        environ["CONTENT_LENGTH"] = str(len(body) if declared is None else declared)
    sent = {}

    def start_response(status, headers, exc_info=None):
        sent["status"], sent["headers"] = status, dict(headers)
        return lambda data: None

    result = b"".join(keep_connections_usable(app)(environ, start_response))
    return sent, result, environ["wsgi.input"]


def answer_without_reading(environ, start_response):
    start_response("404 Not Found", [("Content-Type", "text/plain")])
    return [b"no"]


def answer_after_reading(size):
    def app(environ, start_response):
        environ["wsgi.input"].read(size)
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"ok"]
    return app


@pytest.mark.parametrize(("body_size", "chunked", "keeps"), [
    (10, False, True), (100_000, False, True), (DRAIN_MAX_BYTES, False, True), (DRAIN_MAX_BYTES + 1, False, False),
    (100_000, True, True), (DRAIN_MAX_BYTES + 1, True, False),
])
def test_what_is_left_unread_is_drained_up_to_the_limit_or_the_connection_closed(body_size, chunked, keeps):
    sent, result, body = call(answer_without_reading, b"x" * body_size, chunked=chunked)
    assert sent["status"] == "404 Not Found" and result == b"no"
    assert ("Connection" in sent["headers"]) is not keeps
    if keeps:
        assert body.consumed == body_size
    else:
        assert sent["headers"]["Connection"] == "close"


def test_a_body_the_application_read_is_not_read_again():
    sent, _, body = call(answer_after_reading(5000), b"x" * 5000)
    assert body.consumed == 5000 and "Connection" not in sent["headers"]


def test_a_partly_read_body_is_drained_from_where_the_application_stopped():
    _, _, body = call(answer_after_reading(1000), b"x" * 300_000)
    assert body.consumed == 300_000


def test_a_body_shorter_than_declared_ends_the_drain():
    sent, _, body = call(answer_without_reading, b"x" * 10, declared=500)
    assert body.consumed == 10 and "Connection" not in sent["headers"]


def test_a_request_without_a_body_passes_through_untouched():
    environ = {"REQUEST_METHOD": "GET", "wsgi.input": FakeInput(b"")}
    keep_connections_usable(answer_without_reading)(environ, lambda status, headers, exc_info=None: None)
    assert isinstance(environ["wsgi.input"], FakeInput)


def test_an_application_that_starts_its_answer_while_iterated_is_served():
    def lazy(environ, start_response):
        def body():
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            yield b"later"
        return body()

    sent, result, body = call(lazy, b"x" * 1000)
    assert sent["status"] == "404 Not Found" and result == b"later" and body.consumed == 1000
