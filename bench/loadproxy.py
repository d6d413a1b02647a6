"""A small HTTP/1.1 reverse proxy on loopback (stdlib asyncio) for bench/scale_out.py: several app servers behind
one address, as a load balancer puts them.

- Each request goes to the next backend in turn (round robin per request, not per connection: one browser's
  requests land on every server), unless it carries ``X-Bench-Backend: <name>`` (removed before forwarding), which
  pins it to that backend so a check can say "signed in through A, used on B".
- The proxy appends the client's address to ``X-Forwarded-For`` and says who answered in ``X-Backend`` on the
  response. The app servers trust it by ``WMH_TRUSTED_PROXIES=127.0.0.1`` (wsgi.py): the client's own address then
  becomes REMOTE_ADDR, which sign-in throttling counts.
- Bodies stream both ways with their Content-Length (and responses chunked or closed at the end); request bodies
  must carry a Content-Length (a chunked request is refused with 411, which the bench never sends).
- Each client connection keeps one connection to each backend it used, re-opened when the backend closed it.

    proxy = Proxy({"A": ("127.0.0.1", 8001), "B": ("127.0.0.1", 8002)})
    port = await proxy.start("127.0.0.1", 0)
"""

from __future__ import annotations

import asyncio
import itertools

CHUNK = 64 * 1024
PIN_HEADER = "x-bench-backend"


class Proxy:
    def __init__(self, backends: dict[str, tuple[str, int]]):
        self.backends = backends
        self._turn = itertools.cycle(list(backends))
        self.served: dict[str, int] = dict.fromkeys(backends, 0)
        self._server: asyncio.AbstractServer | None = None

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> int:
        self._server = await asyncio.start_server(self._client, host, port, limit=1 << 20)
        return self._server.sockets[0].getsockname()[1]

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        peer = writer.get_extra_info("peername")[0]
        upstream: dict[str, tuple[asyncio.StreamReader, asyncio.StreamWriter]] = {}
        try:
            while True:
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                except (asyncio.IncompleteReadError, ConnectionError):
                    return
                request_line, headers = _parse(head)
                names = {name.lower(): value for name, value in headers}
                if "chunked" in names.get("transfer-encoding", "").lower():
                    writer.write(b"HTTP/1.1 411 Length Required\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                    await writer.drain()
                    return
                backend = names.get(PIN_HEADER) or next(self._turn)
                if backend not in self.backends:
                    writer.write(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                    await writer.drain()
                    return
                forwarded = names.get("x-forwarded-for")
                headers = [(n, v) for n, v in headers if n.lower() not in (PIN_HEADER, "x-forwarded-for")]
                headers.append(("X-Forwarded-For", f"{forwarded}, {peer}" if forwarded else peer))
                keep = await self._forward(backend, upstream, request_line, headers, names, reader, writer)
                self.served[backend] += 1
                if not keep:
                    return
        except (ConnectionError, asyncio.IncompleteReadError):
            return
        finally:
            for _, up_writer in upstream.values():
                up_writer.close()
            writer.close()

    async def _forward(self, backend, upstream, request_line, headers, names, reader, writer) -> bool:
        """Send one request to ``backend`` and its answer back; False when the client connection must close."""
        if backend not in upstream:
            upstream[backend] = await asyncio.open_connection(*self.backends[backend], limit=1 << 20)
        up_reader, up_writer = upstream[backend]
        up_writer.write(_head(request_line, headers))
        await _copy(reader, up_writer, int(names.get("content-length") or 0))
        await up_writer.drain()
        try:
            answer = await up_reader.readuntil(b"\r\n\r\n")
        except (asyncio.IncompleteReadError, ConnectionError):
            del upstream[backend]
            raise
        status_line, answer_headers = _parse(answer)
        answer_names = {name.lower(): value for name, value in answer_headers}
        answer_headers.append(("X-Backend", backend))
        writer.write(_head(status_line, answer_headers))
        status = int(status_line.split(" ", 2)[1])
        method = request_line.split(" ", 1)[0]
        backend_closes = answer_names.get("connection", "").lower() == "close"
        if method == "HEAD" or status in (204, 304) or 100 <= status < 200:
            pass
        elif "chunked" in answer_names.get("transfer-encoding", "").lower():
            while True:
                size_line = await up_reader.readuntil(b"\r\n")
                writer.write(size_line)
                size = int(size_line.split(b";")[0], 16)
                if size == 0:
                    while (line := await up_reader.readuntil(b"\r\n")) != b"\r\n":
                        writer.write(line)
                    writer.write(b"\r\n")
                    break
                await _copy(up_reader, writer, size + 2)
        elif "content-length" in answer_names:
            await _copy(up_reader, writer, int(answer_names["content-length"]))
        else:  # the body ends with the backend's connection
            while data := await up_reader.read(CHUNK):
                writer.write(data)
                await writer.drain()
            backend_closes = True
        await writer.drain()
        if backend_closes:
            up_writer.close()
            del upstream[backend]
        return not backend_closes and names.get("connection", "").lower() != "close"


def _parse(head: bytes) -> tuple[str, list[tuple[str, str]]]:
    first, *lines = head.decode("latin-1").split("\r\n")
    headers = []
    for line in filter(None, lines):
        name, _, value = line.partition(":")
        headers.append((name.strip(), value.strip()))
    return first, headers


def _head(first: str, headers: list[tuple[str, str]]) -> bytes:
    return ("\r\n".join([first, *(f"{name}: {value}" for name, value in headers)]) + "\r\n\r\n").encode("latin-1")


async def _copy(source: asyncio.StreamReader, target: asyncio.StreamWriter, length: int) -> None:
    while length > 0:
        data = await source.read(min(CHUNK, length))
        if not data:
            raise asyncio.IncompleteReadError(b"", length)
        target.write(data)
        length -= len(data)
        await target.drain()
