"""Deadline surge: many collectives submitting a photo work at once, against PostgreSQL and the server as
``scripts/serve.sh`` starts it (granian, 2 workers, and one ``manage.py db_worker``).

Run by hand (not by pytest); it needs a PostgreSQL server that trusts local connections:

    .venv/bin/python bench/surge.py                              # 500 submitters, into docs/benchmarks.md
    .venv/bin/python bench/surge.py --submitters 50 --no-doc     # a quick try, printed only
    .venv/bin/python bench/surge.py --ramp 0 --think 0           # everyone at the same instant, no pause

What it does, each run from nothing:
1. a throwaway database (``--database-url``, dropped and created again) and data directory: ``migrate``,
   ``collectstatic``, then, with bulk_create, a city office (威海市团委) with ``--units`` district units, one collective
   per submitter spread over them, each with its leader's collective account (one Argon2 hash computed once and
   shared: the accounts differ by name only), and one city campaign whose submission window is open (deadline
   tomorrow);
2. ``--pictures`` distinct JPEGs per submitter (1600×1200, the least Attachment 1 accepts, about 1.4 MB each: a
   different low-frequency pattern per picture, so neither SHA-256 nor the perceptual hash finds a repeat, under
   shifted noise that keeps them from compressing small), made by two processes before the server starts, cached
   in ``--pictures-dir`` between runs;
3. granian (``--workers`` × ``--threads``, as serve.sh) and one task worker on 127.0.0.1;
4. a bounded asyncio client (stdlib only: one kept-alive HTTP/1.1 connection and a cookie jar per submitter,
   ``HttpClient`` below) runs every submitter as a browser would: the sign-in page and the real form with its CSRF
   token (following the redirect to the workbench), the new-work form, its POST (and the work's page it redirects
   to), each picture through the page's upload path (``/works/<id>/files/upload/``, multipart with the CSRF header,
   as Uppy posts it), then the submit button (and the page after it). Submitters start spread over ``--ramp``
   seconds and pause ``--think`` seconds (uniform 0.5×–1.5×) between steps, as a person does; ``--ramp 0 --think 0``
   is the worst case: every submitter at the same instant, no pause. Each submitter connects from its own
   loopback address (127.0.x.y), as the collectives come from their own networks: sign-in throttling counts failed
   sign-ins only, per account and address, so no setting is changed for the bench;
5. afterwards, in the database and the storage: every upload answered 201 is one ``WorkFile`` row of that work whose
   stored file exists and has the SHA-256 the client computed before sending; no row that the client was not told
   about (duplicated), none missing (lost), no two rows of one work with one hash; every work ``submitted``. Then
   it waits (bounded) for the task worker to finish the thumbnails queued by the uploads and reports how long the
   queue took to drain.

The table (requests, errors, p50/p95/p99 per kind, throughput, wall time, lost/duplicated files) goes into
``--doc`` (docs/benchmarks.md by default) through bench/benchdoc.py; ``--runs N`` repeats the surge on a fresh
database and reports each run and the median of the percentiles.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hashlib
import json
import os
import platform
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchdoc import write_section  # bench/benchdoc.py, beside this script  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
TREE = ROOT  # where the platform runs from: --tree (a copy, so edits in the work tree during a run change nothing)
PYTHON = ROOT / ".venv" / "bin" / "python"
GRANIAN = ROOT / ".venv" / "bin" / "granian"
DOC = ROOT / "docs" / "benchmarks.md"
SECTION = "## Deadline surge (500 submitters, PostgreSQL)"
PASSWORD = "Surge-2026-wenming"
PICTURE_SIZE = (1600, 1200)
WARM_UP = 16  # submitters before the measured ones (one_run)
KINDS = ("login page", "sign in", "workbench", "new work form", "create work", "work page", "upload picture",
         "submit", "page after submit")


# --- a small HTTP/1.1 client (stdlib asyncio): one kept-alive connection and the cookies of one browser ----------


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes
    seconds: float

    def header(self, name: str) -> str:
        return self.headers.get(name.lower(), "")

    def json(self):
        return json.loads(self.body.decode("utf-8"))

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


class HttpError(Exception):
    """The connection failed (refused, reset, closed without an answer, timed out)."""


class HttpClient:
    """One browser: a kept-alive connection to ``host:port`` (opened again when the server closed it after an
    answer, as browsers do), its cookies, and the source address it connects from."""

    def __init__(self, host: str, port: int, *, source: str | None = None, timeout: float = 120.0):
        self.host, self.port, self.source, self.timeout = host, port, source, timeout
        self.cookies: dict[str, str] = {}
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    @property
    def origin(self) -> str:
        return f"http://{self.host}:{self.port}"

    async def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
            with contextlib.suppress(OSError):
                await self._writer.wait_closed()
        self._reader = self._writer = None

    async def _connect(self) -> None:
        local = (self.source, 0) if self.source else None
        self._reader, self._writer = await asyncio.open_connection(self.host, self.port, local_addr=local,
                                                                   limit=1 << 20)

    async def request(self, method: str, path: str, *, body: bytes = b"", headers: dict | None = None) -> Answer:
        started = time.perf_counter()
        try:
            return await asyncio.wait_for(self._exchange(method, path, body, headers or {}, started), self.timeout)
        except (TimeoutError, OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError) as error:
            await self.close()
            raise HttpError(f"{type(error).__name__}: {error}") from error

    async def _exchange(self, method, path, body, headers, started) -> Answer:
        if self._writer is None:
            await self._connect()
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}", "User-Agent: wmh-bench/1"]
        if self.cookies:
            lines.append("Cookie: " + "; ".join(f"{name}={value}" for name, value in self.cookies.items()))
        if body or method in ("POST", "PUT", "PATCH"):
            lines.append(f"Content-Length: {len(body)}")
        lines += [f"{name}: {value}" for name, value in headers.items()]
        self._writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
        if body:
            self._writer.write(body)
        await self._writer.drain()
        head = await self._reader.readuntil(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        status = int(status_line.split(" ", 2)[1])
        answer_headers: dict[str, str] = {}
        for line in filter(None, header_lines):
            name, _, value = line.partition(":")
            name, value = name.strip().lower(), value.strip()
            if name == "set-cookie":
                cookie_name, _, rest = value.partition("=")
                cookie_value = rest.split(";", 1)[0]
                if cookie_value in ('""', "") or "max-age=0" in rest.lower():
                    self.cookies.pop(cookie_name, None)
                else:
                    self.cookies[cookie_name] = cookie_value
            answer_headers[name] = f"{answer_headers[name]}, {value}" if name in answer_headers else value
        data = await self._read_body(method, status, answer_headers)
        if answer_headers.get("connection", "").lower() == "close":
            await self.close()
        return Answer(status, answer_headers, data, time.perf_counter() - started)

    async def _read_body(self, method: str, status: int, headers: dict[str, str]) -> bytes:
        if method == "HEAD" or status in (204, 304) or 100 <= status < 200:
            return b""
        if "chunked" in headers.get("transfer-encoding", "").lower():
            parts = []
            while True:
                size = int((await self._reader.readuntil(b"\r\n")).split(b";")[0], 16)
                if size == 0:
                    while (await self._reader.readuntil(b"\r\n")) != b"\r\n":
                        pass
                    return b"".join(parts)
                parts.append(await self._reader.readexactly(size))
                await self._reader.readexactly(2)
        if "content-length" in headers:
            return await self._reader.readexactly(int(headers["content-length"]))
        data = await self._reader.read()  # neither: the body ends with the connection
        await self.close()
        return data

    # what pages need

    def csrf_headers(self) -> dict:
        return {"X-CSRFToken": self.cookies.get("csrftoken", ""), "Origin": self.origin,
                "Referer": self.origin + "/"}

    async def post_form(self, path: str, fields: dict, headers: dict | None = None) -> Answer:
        body = urlencode({"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **fields}).encode()
        return await self.request("POST", path, body=body, headers={
            "Content-Type": "application/x-www-form-urlencoded", "Origin": self.origin,
            "Referer": self.origin + path, **(headers or {})})

    async def post_file(self, path: str, name: str, content: bytes, fields: dict | None = None,
                        headers: dict | None = None) -> Answer:
        body, content_type = multipart(name, content, fields or {})
        return await self.request("POST", path, body=body, headers={
            "Content-Type": content_type, "Accept": "application/json", **self.csrf_headers(), **(headers or {})})


def multipart(name: str, content: bytes, fields: dict) -> tuple[bytes, str]:
    boundary = "----wmhbench" + secrets.token_hex(12)
    parts = []
    for key, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode())
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
                 "Content-Type: image/jpeg\r\n\r\n".encode())
    parts.append(content)
    parts.append(f"\r\n--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def form_token(html: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    return found.group(1) if found else ""


def location_path(answer: Answer) -> str:
    return urlsplit(answer.header("location")).path


# --- pictures ---------------------------------------------------------------------------------------------------


def make_picture(args: tuple[int, str]) -> tuple[int, str]:
    """Picture ``index`` as a JPEG file in ``folder`` (kept between runs): a random 8×6 pattern of colours blown up
    to 1600×1200 (its own perceptual hash) plus noise shifted by the index (about 1.4 MB at quality 92)."""
    index, folder = args
    path = Path(folder) / f"surge-{index:05d}.jpg"
    if not path.exists():
        from PIL import Image, ImageChops

        rng = random.Random(20261201 + index)
        width, height = PICTURE_SIZE
        blocks = Image.frombytes("RGB", (8, 6), bytes(rng.randrange(256) for _ in range(8 * 6 * 3)))
        pattern = blocks.resize(PICTURE_SIZE, Image.Resampling.BILINEAR)
        noise = Image.effect_noise((width + 64, height + 64), 48)
        dx, dy = rng.randrange(64), rng.randrange(64)
        noise = noise.crop((dx, dy, dx + width, dy + height))
        picture = ImageChops.add(pattern, Image.merge("RGB", (noise, noise, noise)), scale=1.0, offset=-96)
        partial = path.with_suffix(".part")
        picture.save(partial, "JPEG", quality=92)
        partial.rename(path)
    return index, hashlib.sha256(path.read_bytes()).hexdigest()


def prepare_pictures(count: int, folder: Path) -> list[tuple[Path, str]]:
    folder.mkdir(parents=True, exist_ok=True)
    with ProcessPoolExecutor(max_workers=2) as pool:
        hashes = dict(pool.map(make_picture, [(i, str(folder)) for i in range(count)], chunksize=16))
    pictures = [(folder / f"surge-{i:05d}.jpg", hashes[i]) for i in range(count)]
    assert len({sha for _, sha in pictures}) == count, "two pictures came out identical"
    return pictures


# --- database, data directory, processes -------------------------------------------------------------------------


def recreate_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not re.fullmatch(r"[a-z0-9_]+", name):
        raise SystemExit(f"database name {name!r}: use lower-case letters, digits and _ only")
    admin_url = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {name}")


def drop_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    with psycopg.connect(parts._replace(path="/postgres").geturl(), autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {parts.path.lstrip('/')} WITH (FORCE)")


def app_env(database_url: str, data_dir: Path, static_root: Path, secret: str, **extra) -> dict:
    """The environment of every process of the platform in a run: demo mode (plain-HTTP cookies on 127.0.0.1, as
    ``make run``), a fixed secret key shared by the processes, the run's database and data directory."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith("WMH_") and key not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env.update({"DATABASE_URL": database_url, "WMH_DATA_DIR": str(data_dir), "WMH_STATIC_ROOT": str(static_root),
                "WMH_DEMO": "1", "WMH_SECRET_KEY": secret, "WMH_LOG_LEVEL": "WARNING",
                "WMH_SITE_URL": "http://127.0.0.1:8000", "PYTHONUNBUFFERED": "1"})
    env.update({key: str(value) for key, value in extra.items()})
    return env


def manage(env: dict, *args: str) -> None:
    subprocess.run([str(PYTHON), "manage.py", *args], cwd=TREE, env=env, check=True)


def start_granian(env: dict, port: int, *, workers: int, threads: int, log: Path) -> subprocess.Popen:
    """granian with the options of scripts/serve.sh."""
    command = [str(GRANIAN), "--interface", "wsgi", "--host", "127.0.0.1", "--port", str(port),
               "--workers", str(workers), "--blocking-threads", str(threads), "--working-dir", "src", "--no-ws",
               "--no-http1-keep-alive", "wenminghao.wsgi:application"]
    return subprocess.Popen(command, cwd=TREE, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT,
                            start_new_session=True)


def start_worker(env: dict, log: Path, worker_id: str | None = None) -> subprocess.Popen:
    command = ["nice", "-n", "10", str(PYTHON), "manage.py", "db_worker", "--queue-name", "default"]  # as serve.sh
    if worker_id:
        command += ["--worker-id", worker_id]
    return subprocess.Popen(command, cwd=TREE, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT,
                            start_new_session=True)


def stop(process: subprocess.Popen, timeout: float = 15) -> None:
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(5)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_up(port: int, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as connection:
                connection.sendall(b"GET /accounts/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                if connection.recv(12).startswith(b"HTTP/1.1 200"):
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"the server on port {port} did not answer within {seconds:.0f} s")


def rss_mib(pid: int) -> float:
    """The resident memory of a process and its children (granian's workers), in MiB."""
    total = 0
    pids = [pid]
    with contextlib.suppress(OSError):
        pids += [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    for one in pids:
        try:
            for line in Path(f"/proc/{one}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


# --- seeding (a child process with Django set up) -----------------------------------------------------------------


def seed(collectives: int, units: int, *, office_admin: bool = False) -> dict:
    """The office, ``units`` district units, ``collectives`` collectives with one leader account each (a shared
    Argon2 hash), and a city campaign open for submissions. Returns the ids the client needs."""
    import datetime

    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from wenminghao.accounts.models import User
    from wenminghao.campaigns.models import Campaign
    from wenminghao.collectives.models import Collective
    from wenminghao.core.roles import Role
    from wenminghao.orgs.enums import UnitKind
    from wenminghao.orgs.services import create_unit

    forms = (("服务窗口", "window", "service"), ("生产车间", "workshop", "production"),
             ("检修班组", "team", "production"), ("综合服务站", "station", "service"),
             ("研发科室", "section", "research"))
    org_types = ("state_enterprise", "public_institution", "non_public", "social")
    office = create_unit(actor=None, parent=None, name="威海市团委", kind=UnitKind.CITY)
    unit_rows = [create_unit(actor=None, parent=office, kind=UnitKind.AREA, name=f"威海第{n}区团委")
                 for n in range(1, units + 1)]
    now = timezone.now()
    campaign = Campaign.objects.create(
        office=office, name="2026年度威海市级青年文明号创建（报送高峰测试）", level="city", year=2026,
        filing_deadline=now - datetime.timedelta(days=30), deadline=now + datetime.timedelta(days=1),
        reference_date=datetime.date(2026, 8, 20),
    )
    rows = Collective.objects.bulk_create([
        Collective(unit=unit_rows[i % units], name=f"第{i + 1}号{forms[i % 5][0]}",
                   host_org=f"{unit_rows[i % units].name}示范单位{i // units + 1}", sector=forms[i % 5][2],
                   org_type=org_types[i % 4], unit_form=forms[i % 5][1], contact_name="王伟",
                   contact_phone=f"139{i:08d}")
        for i in range(collectives)
    ])
    password = make_password(PASSWORD)
    User.objects.bulk_create([
        User(username=f"surge_{i:04d}", role=Role.COLLECTIVE, collective=row, display_name=f"号长{i + 1}",
             password=password)
        for i, row in enumerate(rows)
    ], batch_size=1000)
    answer = {"campaign": campaign.pk, "office": office.pk, "units": [u.pk for u in unit_rows]}
    if office_admin:
        User.objects.create(username="surge_office", role=Role.CITY_ADMIN, unit=office, display_name="刘管理",
                            password=password)
    return answer


def run_seed(env: dict, collectives: int, units: int, *, office_admin: bool = False) -> dict:
    code = (f"import json, sys; sys.path.insert(0, {str(BENCH)!r}); sys.path.insert(0, 'src'); import django; "
            "django.setup(); import surge; "
            f"print('SEED' + json.dumps(surge.seed({collectives}, {units}, office_admin={office_admin})))")
    out = subprocess.run([str(PYTHON), "-c", code], cwd=TREE, env={**env, "DJANGO_SETTINGS_MODULE":
                         "wenminghao.settings"}, check=True, capture_output=True, text=True).stdout
    return json.loads(next(line for line in out.splitlines() if line.startswith("SEED"))[4:])


def prepare_platform(database_url: str, data_dir: Path, static_root: Path, secret: str, **extra) -> dict:
    recreate_database(database_url)
    if data_dir.exists():
        shutil.rmtree(data_dir)
    data_dir.mkdir(parents=True)
    env = app_env(database_url, data_dir, static_root, secret, **extra)
    manage(env, "migrate", "--verbosity", "0")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    return env


# --- the surge ---------------------------------------------------------------------------------------------------


@dataclass
class Record:
    kind: str
    seconds: float
    ok: bool
    status: int | str


@dataclass
class Submitter:
    index: int
    work_id: int | None = None
    uploaded: list[tuple[int, str]] = field(default_factory=list)  # (file id, sha256) answered 201
    submitted: bool = False
    failure: str = ""
    stopped: bool = False  # still going at the time bound
    waiting_for: str = ""  # the kind of the request in flight
    waiting_since: float = 0.0


class Surge:
    def __init__(self, port: int, campaign: int, pictures: list[tuple[Path, str]], *, per_submitter: int,
                 ramp: float, think: float, timeout: float, seed: int = 13, first: int = 0):
        self.port, self.campaign, self.pictures, self.first = port, campaign, pictures, first
        self.per_submitter, self.ramp, self.think, self.timeout = per_submitter, ramp, think, timeout
        self.records: list[Record] = []
        self.current: dict = {}
        self.rng = random.Random(seed)

    async def _pause(self) -> None:
        if self.think > 0:
            await asyncio.sleep(self.think * (0.5 + self.rng.random()))

    async def _step(self, client: HttpClient, kind: str, expect: tuple[int, ...], call) -> Answer:
        started = time.perf_counter()
        self.current[client] = (kind, started)
        try:
            answer = await call
        except HttpError as error:
            self.records.append(Record(kind, time.perf_counter() - started, False, "connection"))
            raise StepFailed(f"{kind}: {error}") from error
        ok = answer.status in expect
        self.records.append(Record(kind, answer.seconds, ok, answer.status))
        if not ok:
            raise StepFailed(f"{kind}: HTTP {answer.status} {answer.text[:300]!r}")
        return answer

    async def submitter(self, person: Submitter) -> None:
        i = person.index
        await asyncio.sleep(self.ramp * (i - self.first) / max(1, self.total))
        client = HttpClient("127.0.0.1", self.port, source=f"127.0.{1 + i // 250}.{1 + i % 250}",
                            timeout=self.timeout)
        try:
            page = await self._step(client, "login page", (200,), client.request("GET", "/accounts/login/"))
            await self._pause()
            answer = await self._step(client, "sign in", (302,), client.post_form(
                "/accounts/login/", {"login": f"surge_{i:04d}", "password": PASSWORD,
                                     "csrfmiddlewaretoken": form_token(page.text)}))
            await self._step(client, "workbench", (200,), client.request("GET", location_path(answer)))
            await self._pause()
            page = await self._step(client, "new work form", (200,), client.request("GET", "/works/new/"))
            await self._pause()
            answer = await self._step(client, "create work", (302,), client.post_form("/works/new/", {
                "csrfmiddlewaretoken": form_token(page.text), "campaign": self.campaign, "category": "photo",
                "title": f"海岸线上的青春（第{i + 1}组）", "display_form": "picture",
                "description": "记录岗位上的青年在服务一线的日常与担当。", "contact_name": "王伟",
                "contact_phone": f"139{i:08d}", "essay_kind": "", "url": ""}))
            work_path = location_path(answer)
            person.work_id = int(work_path.strip("/").split("/")[-1])
            await self._step(client, "work page", (200,), client.request("GET", work_path))
            for n in range(self.per_submitter):
                await self._pause()
                path, sha = self.pictures[i * self.per_submitter + n]
                answer = await self._step(client, "upload picture", (201,), client.post_file(
                    f"{work_path}files/upload/", f"IMG_{i:04d}_{n + 1}.jpg", path.read_bytes(),
                    {"caption": f"第{n + 1}张：窗口服务的一天"}))
                record = answer.json()["file"]
                if record["sha256"] != sha:
                    raise StepFailed(f"upload {n + 1}: the server's SHA-256 {record['sha256']} is not the file's {sha}")
                person.uploaded.append((record["id"], sha))
            await self._pause()
            answer = await self._step(client, "submit", (302,), client.post_form(f"{work_path}submit/", {}))
            await self._step(client, "page after submit", (200,), client.request("GET", location_path(answer)))
            person.submitted = True
        except StepFailed as failure:
            person.failure = str(failure)
        except asyncio.CancelledError:
            person.waiting_for, person.waiting_since = self.current.get(client, ("", 0.0))
            raise
        finally:
            await client.close()

    async def run(self, count: int, max_seconds: float | None = None) -> tuple[list[Submitter], float]:
        """Every submitter at once; those still going after ``max_seconds`` are stopped (``Submitter.stopped``:
        the request they were waiting for is recorded as an error of its kind, ``stopped``)."""
        self.total = count
        people = [Submitter(i) for i in range(self.first, self.first + count)]
        started = time.perf_counter()
        tasks = [asyncio.create_task(self.submitter(person)) for person in people]
        done, pending = await asyncio.wait(tasks, timeout=max_seconds)
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        for person, task in zip(people, tasks, strict=True):
            if task in pending:
                person.stopped = True
                person.failure = person.failure or f"stopped at the bound of {max_seconds:g} s"
                if person.waiting_for:
                    self.records.append(Record(person.waiting_for, time.perf_counter() - person.waiting_since, False,
                                               "stopped"))
        return people, time.perf_counter() - started


class StepFailed(Exception):
    pass


# --- checking what was stored --------------------------------------------------------------------------------------


def verify(database_url: str, data_dir: Path, people: list[Submitter], warm_people: list[Submitter]) -> dict:
    """Compare what the client was told with the database and the files in storage (the warm-up's uploads are
    checked the same way; the figures of works count the measured submitters only)."""
    import psycopg

    told = {(p.work_id, file_id): sha for p in [*people, *warm_people] for file_id, sha in p.uploaded}
    with psycopg.connect(database_url) as connection:
        rows = connection.execute(
            "SELECT f.id, f.work_id, f.sha256, f.original, f.size FROM works_workfile f").fetchall()
        statuses = dict(connection.execute("SELECT id, status FROM works_work").fetchall())
        same_hash = connection.execute(
            "SELECT count(*) FROM (SELECT work_id, sha256 FROM works_workfile GROUP BY 1, 2 HAVING count(*) > 1) d"
        ).fetchone()[0]
    stored = {(work_id, file_id): (sha, name, size) for file_id, work_id, sha, name, size in rows}
    lost = [key for key in told if key not in stored]
    stopped_works = {p.work_id for p in people if p.stopped and p.work_id}
    untold = [key for key in stored if key not in told]
    duplicated = [key for key in untold if key[0] not in stopped_works]
    in_flight = len(untold) - len(duplicated)  # stored while the client had stopped waiting (--max-seconds)
    wrong_hash = missing_file = 0
    media = data_dir / "media"
    for key, sha in told.items():
        if key not in stored:
            continue
        row_sha, name, size = stored[key]
        path = media / name
        if not path.exists():
            missing_file += 1
            continue
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if digest != sha or row_sha != sha or path.stat().st_size != size:
            wrong_hash += 1
    expected_works = {p.work_id for p in people if p.work_id}
    return {
        "uploads_told": len(told), "rows": len(rows), "lost": len(lost), "duplicated": len(duplicated),
        "in_flight": in_flight, "stopped": sum(1 for p in people if p.stopped),
        "same_hash_twice": same_hash, "missing_file": missing_file, "wrong_hash": wrong_hash,
        "works": len(expected_works), "submitted": sum(1 for w in expected_works if statuses.get(w) == "submitted"),
        "submitted_told": sum(1 for p in people if p.submitted),
        "stray_works": len(set(statuses) - expected_works - {p.work_id for p in warm_people}),
    }


def derivatives_backlog(database_url: str) -> tuple[int, int]:
    """(files whose thumbnails are still to be made, task results not finished)."""
    import psycopg

    with psycopg.connect(database_url) as connection:
        files = connection.execute(
            "SELECT count(*) FROM works_workfile WHERE derivatives = 'pending'").fetchone()[0]
        tasks = connection.execute("SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status IN "
                                   "('READY', 'RUNNING')").fetchone()[0]
    return files, tasks


def wait_for_thumbnails(database_url: str, seconds: float) -> float | None:
    """Seconds until the task worker has made every queued thumbnail (None: not within ``seconds``)."""
    started = time.perf_counter()
    while time.perf_counter() - started < seconds:
        if derivatives_backlog(database_url) == (0, 0):
            return time.perf_counter() - started
        time.sleep(1)
    return None


def derivative_states(database_url: str) -> dict[str, int]:
    import psycopg

    with psycopg.connect(database_url) as connection:
        return dict(connection.execute(
            "SELECT derivatives, count(*) FROM works_workfile GROUP BY 1").fetchall())


# --- figures ------------------------------------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


def ms(value: float) -> str:
    return "—" if value != value else f"{value * 1000:,.0f}"


def kind_rows(records: list[Record], wall: float) -> list[dict]:
    rows = []
    for kind in (*KINDS, "all requests"):
        chosen = [r for r in records if kind == "all requests" or r.kind == kind]
        if not chosen:
            continue
        seconds = [r.seconds for r in chosen]
        rows.append({"kind": kind, "requests": len(chosen), "errors": sum(1 for r in chosen if not r.ok),
                     "p50": percentile(seconds, 50), "p95": percentile(seconds, 95),
                     "p99": percentile(seconds, 99), "max": max(seconds), "rate": len(chosen) / wall})
    return rows


def table(rows: list[dict]) -> str:
    lines = ["| request | requests | errors | p50 ms | p95 ms | p99 ms | max ms | per second |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for row in rows:
        lines.append(f"| {row['kind']} | {row['requests']:,} | {row['errors']} | {ms(row['p50'])} | "
                     f"{ms(row['p95'])} | {ms(row['p99'])} | {ms(row['max'])} | {row['rate']:.1f} |")
    return "\n".join(lines)


def errors_seen(records: list[Record], people: list[Submitter]) -> str:
    failures = [p.failure for p in people if p.failure]
    if not failures:
        return "none"
    counted: dict[str, int] = {}
    for failure in failures:
        key = failure[:160]
        counted[key] = counted.get(key, 0) + 1
    return "; ".join(f"{n}× {text}" for text, n in sorted(counted.items(), key=lambda item: -item[1])[:5])


# --- one run ------------------------------------------------------------------------------------------------------


def one_run(args, pictures, run_index: int) -> dict:
    data_dir = Path(args.data_dir)
    secret = secrets.token_urlsafe(50)
    print(f"[run {run_index}] database {args.database_url}, data directory {data_dir}", flush=True)
    step = time.perf_counter()
    env = prepare_platform(args.database_url, data_dir, Path(args.static_root), secret)
    seeded = run_seed(env, args.submitters + WARM_UP, args.units)
    print(f"[run {run_index}] migrated, static files collected and seeded in {time.perf_counter() - step:.1f} s",
          flush=True)
    port = args.port or free_port()
    logs = data_dir / "logs"
    logs.mkdir(exist_ok=True)
    server = start_granian(env, port, workers=args.workers, threads=args.threads, log=logs / "granian.log")
    worker = start_worker(env, logs / "worker.log")
    result: dict = {"port": port}
    try:
        wait_until_up(port)
        print(f"[run {run_index}] serving on 127.0.0.1:{port}; {args.submitters} submitters "
              f"(ramp {args.ramp:g} s, think {args.think:g} s)", flush=True)
        # Warm-up, not counted: a server at a deadline has been running for hours, its workers' threads have
        # loaded every template and module. WARM_UP submitters (accounts after the measured ones) go through the
        # whole path twice over, a few at a time, so that each worker thread has served every page once.
        warm = Surge(port, seeded["campaign"], pictures, per_submitter=args.pictures, ramp=0, think=0,
                     timeout=args.timeout, first=args.submitters)
        warm_people, warm_wall = asyncio.run(warm.run(WARM_UP))
        print(f"[run {run_index}] warm-up: {WARM_UP} submitters in {warm_wall:.1f} s, "
              f"{sum(1 for p in warm_people if p.submitted)} submitted; {errors_seen([], warm_people)}", flush=True)
        wait_for_thumbnails(args.database_url, 60)
        surge = Surge(port, seeded["campaign"], pictures, per_submitter=args.pictures, ramp=args.ramp,
                      think=args.think, timeout=args.timeout)
        cpu_before = os.times()
        people, wall = asyncio.run(surge.run(args.submitters, args.max_seconds))
        if any(p.stopped for p in people):
            time.sleep(args.timeout)  # let the requests the client gave up on finish on the server before checking
        cpu_after = os.times()
        result["client_cpu"] = (cpu_after.user - cpu_before.user) + (cpu_after.system - cpu_before.system)
        result["server_rss"] = rss_mib(server.pid)
        print(f"[run {run_index}] surge done in {wall:.1f} s; checking the database and storage", flush=True)
        result.update(people=people, records=surge.records, wall=wall,
                      check=verify(args.database_url, data_dir, people, warm_people))
        result["drained_after"] = wait_for_thumbnails(args.database_url, args.drain_seconds)
        result["derivatives"] = derivative_states(args.database_url)
    finally:
        stop(server)
        stop(worker)
        if not args.keep:
            shutil.rmtree(data_dir, ignore_errors=True)
            drop_database(args.database_url)
    return result


def report(args, runs: list[dict], pictures_mb: float) -> str:
    mode = ("every submitter at the same instant, no pause between steps" if args.ramp == 0 and args.think == 0
            else f"submitters starting evenly over {args.ramp:g} s, pausing {args.think:g} s (0.5×–1.5×) between "
                 "steps")
    lines = [SECTION, "",
             f"`bench/surge.py --submitters {args.submitters} --ramp {args.ramp:g} --think {args.think:g}` on "
             f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} cores, PostgreSQL "
             f"on loopback; granian as scripts/serve.sh starts it ({args.workers} workers × {args.threads} threads) "
             "and one `db_worker`. Each submitter is one collective's account on its own kept-alive connection from "
             f"its own loopback address: sign-in page and form (CSRF), workbench, new-work form, create, the work's "
             f"page, {args.pictures} pictures of 1600×1200 ({pictures_mb:.2f} MB each on average, distinct) through "
             "the page's upload path, submit, the page after it. "
             f"Arrivals: {mode}.", ""]
    for n, run in enumerate(runs, 1):
        check = run["check"]
        lines += [f"Run {n}: wall time {run['wall']:.1f} s, "
                  f"{len(run['records']) / run['wall']:.1f} requests/s, "
                  f"{check['uploads_told'] / run['wall']:.1f} uploads/s "
                  f"({check['uploads_told'] * pictures_mb / run['wall']:.1f} MB/s); client CPU "
                  f"{run['client_cpu']:.1f} s; server RSS after {run['server_rss']:.0f} MiB (granian and workers).",
                  "", table(kind_rows(run["records"], run["wall"])), "",
                  f"Stored: {check['uploads_told']:,} uploads answered 201 (the warm-up's included), "
                  f"{check['rows']:,} file rows; "
                  f"lost {check['lost']}, duplicated {check['duplicated']}, same picture twice in a work "
                  f"{check['same_hash_twice']}, stored file missing {check['missing_file']}, SHA-256 or size "
                  f"differing {check['wrong_hash']}; works {check['submitted']:,} of {check['works']:,} submitted "
                  f"({check['submitted_told']:,} told so), stray works {check['stray_works']}; submitters stopped "
                  f"at the {args.max_seconds:g} s bound {check['stopped']} (their uploads stored after the client "
                  f"stopped waiting: {check['in_flight']}). "
                  f"Failed submitters: {errors_seen(run['records'], run['people'])}. "
                  + (f"The task worker finished every thumbnail {run['drained_after']:.0f} s after the last "
                     "submitter." if run["drained_after"] is not None
                     else f"Thumbnails still queued after {args.drain_seconds} s: {run['derivatives']}."),
                  ""]
    if len(runs) > 1:
        p99 = {kind: statistics.median(row["p99"] for run in runs for row in kind_rows(run["records"], run["wall"])
                                       if row["kind"] == kind) for kind in (*KINDS, "all requests")}
        lines += ["Median over the runs (p99 ms per request kind): "
                  + ", ".join(f"{kind} {ms(value)}" for kind, value in p99.items()) + ".", ""]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--submitters", type=int, default=500)
    parser.add_argument("--pictures", type=int, default=4, help="pictures per work (Attachment 1: 4–9)")
    parser.add_argument("--units", type=int, default=5)
    parser.add_argument("--ramp", type=float, default=60.0, help="seconds over which the submitters start")
    parser.add_argument("--think", type=float, default=2.0, help="mean pause between a submitter's steps, seconds")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds one request may take")
    parser.add_argument("--max-seconds", type=float, default=300.0, help="the surge stops after this long")
    parser.add_argument("--drain-seconds", type=int, default=120, help="how long to wait for the thumbnails")
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/wmh_surge")
    parser.add_argument("--data-dir", default=str(Path(tempfile.gettempdir()) / "wmh_surge"))
    parser.add_argument("--static-root", default=str(Path(tempfile.gettempdir()) / "wmh_surge_static"))
    parser.add_argument("--pictures-dir", default=str(Path(tempfile.gettempdir()) / "wmh_surge_pictures"))
    parser.add_argument("--tree", default=str(ROOT), help="run the platform from this copy of the project (e.g. "
                        "`git archive HEAD | tar -x -C DIR`): edits in the work tree during a run then change nothing")
    parser.add_argument("--keep", action="store_true", help="keep the database and data directory")
    parser.add_argument("--doc", default=str(DOC), help="the Markdown file whose section is replaced")
    parser.add_argument("--no-doc", action="store_true", help="print the table only")
    args = parser.parse_args()
    global TREE
    TREE = Path(args.tree).resolve()

    started = time.perf_counter()
    pictures = prepare_pictures((args.submitters + WARM_UP) * args.pictures, Path(args.pictures_dir))
    pictures_mb = statistics.mean(path.stat().st_size for path, _ in pictures) / 1e6
    print(f"{len(pictures)} pictures ready ({pictures_mb:.2f} MB on average) in {time.perf_counter() - started:.1f} s",
          flush=True)
    runs = [one_run(args, pictures, n) for n in range(1, args.runs + 1)]
    text = report(args, runs, pictures_mb)
    print(text)
    if not args.no_doc:
        write_section(SECTION, text, Path(args.doc))
        print(f"written to {args.doc}")


if __name__ == "__main__":
    main()
