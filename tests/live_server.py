"""The platform served by a real granian process, as `make run` serves it, for tests of defects that live in the
server and the WSGI layer (kept-alive connections, X-Forwarded-For), which Django's test client never reaches.

The server gets a database of its own (SQLite in a temporary data directory, migrated once per test session, with
one account made here): what it tests is the HTTP layer, not the database, and the test's own database (in memory
on SQLite, inside a transaction on PostgreSQL) is invisible to another process.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
PASSWORD = "Wenming-2027-live"
ACCOUNT = "colleague"
TRUSTED_PROXY = "127.0.0.1"  # the tests' own connections come from the "reverse proxy"
UNTRUSTED_PEER = "127.0.0.2"  # a client connecting directly (Linux answers the whole 127.0.0.0/8 on loopback)


@dataclass
class LiveServer:
    host: str
    port: int
    log: Path

    def connection(self, *, source: str | None = None, timeout: float = 15) -> http.client.HTTPConnection:
        return http.client.HTTPConnection(self.host, self.port, timeout=timeout,
                                          source_address=(source, 0) if source else None)

    def token(self, username: str, password: str, *, forwarded_for: str | None = None, source: str | None = None):
        """POST /api/v1/auth/token on a fresh connection: (status, JSON body, Retry-After)."""
        headers = {"Content-Type": "application/json"}
        if forwarded_for:
            headers["X-Forwarded-For"] = forwarded_for
        connection = self.connection(source=source)
        try:
            connection.request("POST", "/api/v1/auth/token", headers=headers,
                               body=json.dumps({"username": username, "password": password}))
            response = connection.getresponse()
            return response.status, json.loads(response.read() or b"{}"), response.getheader("Retry-After")
        finally:
            connection.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _manage(env, *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=PROJECT, env=env, check=True, capture_output=True,
                   timeout=120)


MAKE_ACCOUNT = f"""
from wenminghao.core.roles import Role
from wenminghao.accounts.models import User
account = User(username={ACCOUNT!r}, role=Role.JUDGE, display_name="同一办公室的同事")
account.set_password({PASSWORD!r})
account.save()
"""


def start_live_server(data_dir: Path):
    """Migrate a fresh SQLite database under ``data_dir``, make the test account, start granian; returns
    (LiveServer, process). The caller terminates the process."""
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    env.update({"WMH_DATA_DIR": str(data_dir), "WMH_TESTING": "1", "WMH_TRUSTED_PROXIES": TRUSTED_PROXY,
                "DJANGO_SETTINGS_MODULE": "wenminghao.settings", "PYTHONPATH": str(PROJECT / "src")})
    _manage(env, "migrate", "--noinput")
    _manage(env, "shell", "-c", MAKE_ACCOUNT)
    port = _free_port()
    log = data_dir / "granian.log"
    with log.open("wb") as log_file:  # the child keeps its own copy of the descriptor
        process = subprocess.Popen(
            [sys.executable, "-m", "granian", "--interface", "wsgi", "--host", "127.0.0.1", "--port", str(port),
             "--workers", "1", "--blocking-threads", "2", "--no-ws", "--working-dir", str(PROJECT / "src"),
             "wenminghao.wsgi:application"],
            cwd=PROJECT, env=env, stdout=log_file, stderr=subprocess.STDOUT,
        )
    server = LiveServer("127.0.0.1", port, log)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"granian stopped at start-up:\n{log.read_text(errors='replace')}")
        try:
            connection = server.connection(timeout=2)
            connection.request("GET", "/accounts/login/")
            if connection.getresponse().status == 200:
                connection.close()
                return server, process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise RuntimeError(f"granian did not answer within 30 s:\n{log.read_text(errors='replace')}")
