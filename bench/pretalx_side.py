"""The pretalx half of bench/vs_pretalx.py: pretalx 2025.2.2 from PyPI, 10,000 proposals, measured with wrk.

Nothing of pretalx is in this repository: ``install()`` makes a virtualenv under /tmp/pretalx-bench and runs
``pip install pretalx==2025.2.2 gunicorn``; everything pretalx writes (config, SQLite file, static files, logs)
stays under /tmp/pretalx-bench. This file has two roles:

* imported (or run) with our own Python: the API below and a CLI;
* run by the pretalx virtualenv's Python with a ``_seed`` or ``_login`` argument: it sets up Django with
  ``pretalx.settings`` and seeds or signs in through pretalx's own ORM (the pretalx imports are inside those two
  functions, so importing this module never needs pretalx).

API::

    from pretalx_side import prepare, measure_site
    site = prepare(db="sqlite")            # install (once), configure, migrate, collectstatic, seed, session cookie
    with site.serve():                     # gunicorn, 2 sync workers on 127.0.0.1, as pretalx's docs deploy it
        figures = measure_site(site)       # wrk on the two organiser pages, the CSV export, the workers' RSS

    site.urls()                            # {"submissions": ..., "reviews": ..., "export": ...}
    site.headers()                         # {"Cookie": "pretalx_session=..."}: the organiser's session
    measure(url, headers)                  # check the page is the real one (200, size), wrk at 2 and 1 connections

CLI (our venv's Python; each step is idempotent, ``prepare`` skips what is already there)::

    .venv/bin/python bench/pretalx_side.py prepare [--db sqlite|postgres] [--proposals 10000]
    .venv/bin/python bench/pretalx_side.py bench   [--db sqlite|postgres] [--duration 20] [--runs 1]
                                                   [--out FILE.json] [--doc docs/benchmarks.md]
    .venv/bin/python bench/pretalx_side.py doc --doc FILE.md RUN.json [RUN.json ...]   # the section from runs
    .venv/bin/python bench/pretalx_side.py reset   [--db sqlite|postgres]   # drop the data and seed afresh

PostgreSQL: database ``pretalx_bench`` on 127.0.0.1:5432, user postgres (trust), created when missing; psycopg
goes into the pretalx virtualenv. One ``bench`` run takes 6–8 minutes, most of it in the CSV exports.

The seed, all in bulk through pretalx's models (about a minute): one organiser with a team that may do everything
(the measuring user, a plain team member, not an administrator) and an administrator; one event in its review phase
with 6 tracks, 3 session types, 5 tags; 10,000 proposals (70 % submitted, 8 % accepted, 7 % confirmed, 12 %
rejected, 3 % withdrawn; accepted and confirmed ones with their unscheduled talk slot as ``accept()`` makes it) by
8,000 speakers with a speaker profile each (2,000 of them with two proposals, 1,000 proposals with a co-speaker);
3 reviewers in a reviewer team who reviewed 100 %, 80 % and 60 % of the proposals (24,000 reviews, each with a
score on the event's score category and a short text).

Serving: pretalx's docs (administrator/installation) run ``gunicorn pretalx.wsgi --name pretalx --workers 4
--max-requests 1200 --max-requests-jitter 50 --log-level=info --bind=127.0.0.1:8345``; here the same command with
``--workers 2`` (the shape of our own server: 2 workers on 127.0.0.1), DEBUG off, no Redis and no Celery (the
defaults of a fresh install: DummyCache, database sessions, tasks run in the request).
"""

import argparse
import contextlib
import json
import os
import platform
import random
import signal
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
# bench/benchdoc.py and bench/wrk.py, beside this script (also when the pretalx virtualenv runs this file)
from benchdoc import write_section  # noqa: E402
from wrk import child_pids, cpu_seconds, median_request, memory_mib, run_wrk, timed_request, warm_up  # noqa: E402

PRETALX_VERSION = "2025.2.2"
BENCH_DIR = Path(os.environ.get("PRETALX_BENCH_DIR", "/tmp/pretalx-bench"))
VENV = BENCH_DIR / "venv"
PYTHON = VENV / "bin" / "python"
STATIC_DIR = BENCH_DIR / "static.dist"
PORTS = {"sqlite": 8351, "postgres": 8352}
PG_DATABASE = "pretalx_bench"
PG_HOST, PG_PORT, PG_USER = "127.0.0.1", "5432", "postgres"
SLUG = "bench"
PROPOSALS = 10_000
ORGANISER_EMAIL = "organiser@bench.invalid"
ADMIN_EMAIL = "admin@bench.invalid"
PASSWORD = "bench-organiser-password"
WORKERS = 2
THIS = Path(__file__).resolve()


# --- install and configure (our Python) --------------------------------------------------------------------


def _run(command: list[str], *, env: dict | None = None, quiet: bool = True) -> str:
    completed = subprocess.run(command, env=env, capture_output=True, text=True)
    if completed.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, command))} failed:\n{completed.stdout}\n{completed.stderr}")
    if not quiet:
        print(completed.stdout, end="")
    return completed.stdout


def installed_version() -> str | None:
    if not PYTHON.exists():
        return None
    completed = subprocess.run([str(PYTHON), "-c", "import pretalx; print(pretalx.__version__)"],
                               capture_output=True, text=True)
    return completed.stdout.strip() if completed.returncode == 0 else None


def install(*, postgres: bool = False) -> None:
    """The virtualenv with pretalx and gunicorn from PyPI (and psycopg for PostgreSQL); skipped when present."""
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    if not PYTHON.exists():
        _run([sys.executable, "-m", "venv", str(VENV)])
        _run([str(PYTHON), "-m", "pip", "install", "-q", "--upgrade", "pip"])
    if installed_version() != PRETALX_VERSION:
        print(f"pip install pretalx=={PRETALX_VERSION} gunicorn into {VENV} …", flush=True)
        _run([str(PYTHON), "-m", "pip", "install", "-q", f"pretalx=={PRETALX_VERSION}", "gunicorn"])
    if postgres and subprocess.run([str(PYTHON), "-c", "import psycopg"], capture_output=True).returncode:
        _run([str(PYTHON), "-m", "pip", "install", "-q", "psycopg[binary]"])


@dataclass
class PretalxSite:
    """One configured pretalx: its data directory, config file, port and (after seeding) the organiser's cookie."""

    db: str = "sqlite"
    slug: str = SLUG
    port: int = 0
    session_cookie: str = ""
    seed_summary: dict = field(default_factory=dict)
    _server: subprocess.Popen | None = field(default=None, repr=False)

    def __post_init__(self):
        if self.db not in PORTS:
            raise ValueError(f"db must be one of {sorted(PORTS)}")
        self.port = self.port or PORTS[self.db]

    @property
    def data_dir(self) -> Path:
        return BENCH_DIR / ("data" if self.db == "sqlite" else "data-postgres")

    @property
    def config_file(self) -> Path:
        return self.data_dir / "pretalx.cfg"

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self) -> dict:
        env = dict(os.environ, PRETALX_CONFIG_FILE=str(self.config_file), DJANGO_SETTINGS_MODULE="pretalx.settings",
                   PRETALX_NO_INITIAL_LOG="1", PYTHONWARNINGS="ignore")
        env.pop("DATABASE_URL", None)
        return env

    def write_config(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        database = "[database]\nbackend = sqlite3\n"
        if self.db == "postgres":
            database = (f"[database]\nbackend = postgresql\nname = {PG_DATABASE}\nuser = {PG_USER}\n"
                        f"host = {PG_HOST}\nport = {PG_PORT}\n")
        self.config_file.write_text(
            "[filesystem]\n"
            f"data = {self.data_dir}\n"
            f"static = {STATIC_DIR}\n\n"
            "[site]\n"
            "debug = False\n"
            f"url = {self.base_url}\n\n"
            f"{database}\n"
            "[locale]\nlanguage_code = en\ntime_zone = UTC\n",
            encoding="utf-8",
        )

    def manage(self, *args: str) -> str:
        return _run([str(PYTHON), "-m", "pretalx", *args], env=self.env())

    def in_pretalx(self, *args: str) -> dict:
        """Run this file with the pretalx virtualenv's Python (``_seed`` / ``_login``); its last line is JSON."""
        out = _run([str(PYTHON), str(THIS), *args], env=self.env())
        return json.loads(out.strip().splitlines()[-1])

    def create_database(self) -> None:
        if self.db != "postgres":
            return
        base = ["psql", "-h", PG_HOST, "-p", PG_PORT, "-U", PG_USER, "-d", "postgres", "-tAc"]
        exists = _run([*base, f"SELECT 1 FROM pg_database WHERE datname = '{PG_DATABASE}'"]).strip()
        if not exists:
            _run([*base, f'CREATE DATABASE "{PG_DATABASE}"'])

    def drop_data(self) -> None:
        if self.db == "postgres":
            _run(["psql", "-h", PG_HOST, "-p", PG_PORT, "-U", PG_USER, "-d", "postgres", "-tAc",
                  f'DROP DATABASE IF EXISTS "{PG_DATABASE}"'])
        for name in ("db.sqlite3", "seed.json"):
            (self.data_dir / name).unlink(missing_ok=True)

    def login(self) -> str:
        """A fresh database session for the organiser (Django's ``Client.force_login`` inside pretalx's env)."""
        self.session_cookie = self.in_pretalx("_login", "--email", ORGANISER_EMAIL)["session"]
        return self.session_cookie

    def headers(self) -> dict[str, str]:
        return {"Cookie": f"pretalx_session={self.session_cookie}"}

    def urls(self) -> dict[str, str]:
        base = f"{self.base_url}/orga/event/{self.slug}"
        return {
            "submissions": f"{base}/submissions/",
            "reviews": f"{base}/reviews/",
            "export": f"{base}/schedule/export/",
            "login": f"{self.base_url}/orga/login/",
        }

    @contextlib.contextmanager
    def serve(self, *, workers: int = WORKERS):
        """gunicorn as pretalx's docs run it (sync workers), ``workers`` of them on 127.0.0.1:port."""
        log = (self.data_dir / "gunicorn.log").open("ab")
        command = [str(VENV / "bin" / "gunicorn"), "pretalx.wsgi", "--name", "pretalx", "--workers", str(workers),
                   "--max-requests", "1200", "--max-requests-jitter", "50", "--log-level=warning",
                   "--timeout", "300", f"--bind=127.0.0.1:{self.port}"]
        self._server = subprocess.Popen(command, env=self.env(), stdout=log, stderr=log, cwd=self.data_dir)
        try:
            _wait_until_up(self.urls()["login"], self._server)
            yield self
        finally:
            self._server.send_signal(signal.SIGTERM)
            try:
                self._server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self._server.kill()
                self._server.wait()
            self._server = None
            log.close()

    def worker_pids(self) -> list[int]:
        if not self._server:
            raise RuntimeError("the server is not running")
        return child_pids(self._server.pid)

    def worker_memory(self) -> dict:
        """VmRSS (now) and VmHWM (peak) of each gunicorn worker, in MiB; the master's too."""
        if not self._server:
            raise RuntimeError("the server is not running")
        master = self._server.pid
        return {"master": memory_mib(master), "workers": [memory_mib(pid) for pid in child_pids(master)]}


def _wait_until_up(url: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}")
        with contextlib.suppress(OSError):
            if timed_request(url, timeout=10)["status"] == 200:
                return
        time.sleep(0.3)
    raise RuntimeError(f"pretalx did not answer {url} within {timeout} s")


def versions() -> dict:
    """pretalx, Django, gunicorn and Python of the pretalx virtualenv."""
    code = ("import importlib.metadata as m, json, platform; print(json.dumps({n: m.version(n) for n in "
            "('pretalx', 'Django', 'gunicorn')} | {'python': platform.python_version()}))")
    return json.loads(_run([str(PYTHON), "-c", code]).strip())


def prepare(db: str = "sqlite", *, proposals: int = PROPOSALS, fresh: bool = False) -> PretalxSite:
    """Install (once), configure, migrate, collect static files, seed (once) and sign the organiser in."""
    install(postgres=db == "postgres")
    site = PretalxSite(db=db)
    site.write_config()
    if fresh:
        site.drop_data()
    site.create_database()
    site.manage("migrate", "--noinput", "-v0")
    if not (STATIC_DIR / "staticfiles.json").exists():
        # The wheel ships pretalx's static sources; collectstatic hashes them into the manifest whitenoise reads.
        # `rebuild` would also `npm ci && npm run build` the schedule editor (Vue), which only the schedule
        # editor page loads: none of the pages measured here.
        site.manage("collectstatic", "--noinput", "-v0")
    seed_file = site.data_dir / "seed.json"
    if seed_file.exists():
        site.seed_summary = json.loads(seed_file.read_text(encoding="utf-8"))
    if site.seed_summary.get("proposals") != proposals:
        started = time.perf_counter()
        site.seed_summary = site.in_pretalx("_seed", "--slug", site.slug, "--proposals", str(proposals))
        site.seed_summary["seconds"] = round(time.perf_counter() - started, 1)
        seed_file.write_text(json.dumps(site.seed_summary, indent=2), encoding="utf-8")
    site.login()
    return site


# --- measuring (our Python) --------------------------------------------------------------------------------


LOGIN_MARKER = b'name="login_email"'  # pretalx's login form field


def check_page(url: str, headers: dict[str, str], *, login_marker: bytes | None = LOGIN_MARKER) -> dict:
    """One GET that must be the page itself: 200 (a redirect to the login page fails) and, when ``login_marker``
    is given, without the login form in it."""
    result = timed_request(url, headers=headers)
    body = result.pop("body")
    if result["status"] != 200:
        raise RuntimeError(f"{url} answered {result['status']} (Location: {result['location']}), not the page")
    if login_marker and login_marker in body:
        raise RuntimeError(f"{url} answered with the login form: the session cookie is not signed in")
    return result


def measure(url: str, headers: dict[str, str] | str, *, duration: int = 20, single_runs: int = 3,
            connection_counts: tuple[int, ...] = (2, 1), server_pids: list[int] | None = None,
            login_marker: bytes | None = LOGIN_MARKER) -> dict:
    """The page checked, timed alone (median of ``single_runs``), then wrk at each of ``connection_counts``
    (threads = connections) for ``duration`` seconds. ``headers`` may be a plain Cookie header value."""
    if isinstance(headers, str):
        headers = {"Cookie": headers}
    check = check_page(url, headers, login_marker=login_marker)
    warm_up(url, headers=headers)
    cpu_before = cpu_seconds(server_pids or [])
    single = median_request(url, headers=headers, runs=single_runs)
    cpu_used = cpu_seconds(server_pids or []) - cpu_before
    result = {"url": url, "status": check["status"], "page_bytes": check["bytes"], "single_s": single["seconds"],
              "single_all_s": single["all_seconds"]}
    if server_pids:
        result["single_server_cpu_s"] = round(cpu_used / single_runs, 3)
    for connections in connection_counts:
        run = run_wrk(url, connections=connections, threads=connections, duration=duration, headers=headers,
                      timeout=max(30, duration), server_pids=server_pids)
        if run["non_2xx"] or run["error_total"]:
            print(f"warning: {url} at {connections} connections: {run['non_2xx']} non-2xx, errors {run['errors']}",
                  file=sys.stderr)
        result[f"wrk_c{connections}"] = run
    return result


EXPORT_ALL_COLUMNS = [
    # Every column of pretalx's session export form (orga/forms/schedule.py ScheduleExportForm).
    "title", "state", "pending_state", "submission_type", "track", "created", "tags", "abstract", "description",
    "notes", "internal_notes", "duration", "slot_count", "content_locale", "is_featured", "do_not_record", "image",
    "speaker_ids", "speaker_names", "room", "start", "start_date", "start_time", "end", "end_date", "end_time",
    "median_score", "mean_score", "resources",
]
# What an organiser exports to decide: each proposal with its speakers and review scores (the counterpart of our
# campaign export with every score), and the form as it opens (no box ticked: the ID column only).
EXPORTS = {
    "results": ["title", "state", "submission_type", "track", "speaker_names", "median_score", "mean_score"],
    "id_only": [],
}


def export_csv(site: PretalxSite, fields: list[str], *, runs: int = 3) -> dict:
    """The sessions CSV export (the export form's POST, every proposal, the given columns), timed ``runs`` times.
    The CSRF token is one we choose: cookie and form field carry the same 32-character secret, which Django
    accepts (over plain HTTP it checks no Referer)."""
    token = "".join(random.Random(13).choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(32))
    headers = {
        "Cookie": f"pretalx_session={site.session_cookie}; pretalx_csrftoken={token}",
        "Content-Type": "application/x-www-form-urlencoded",
    }
    form = [("csrfmiddlewaretoken", token), ("target", "all"), ("export_format", "csv"),
            ("data_delimiter", "newline")] + [(name, "on") for name in fields]
    body = urlencode(form).encode()
    times, cpu, size, rows = [], [], 0, 0
    for _ in range(runs):
        cpu_before = cpu_seconds(site.worker_pids())
        result = timed_request(site.urls()["export"], method="POST", headers=headers, body=body, timeout=600)
        cpu.append(round(cpu_seconds(site.worker_pids()) - cpu_before, 2))
        if result["status"] != 200 or "attachment" not in (result["content_disposition"] or ""):
            raise RuntimeError(f"the CSV export answered {result['status']} {result['content_type']} "
                               f"(Location: {result['location']}), not a CSV file")
        times.append(result["seconds"])
        size = result["bytes"]
        rows = _csv_rows(result["body"])
    return {"url": site.urls()["export"], "fields": fields, "seconds": round(statistics.median(times), 2),
            "all_seconds": times, "server_cpu_s": statistics.median(cpu), "bytes": size, "rows": rows,
            "columns": len(fields) + 1}


def _csv_rows(body: bytes) -> int:
    import csv
    import io

    return sum(1 for _ in csv.reader(io.StringIO(body.decode("utf-8")))) - 1


def measure_site(site: PretalxSite, *, duration: int = 20, export_runs: int = 3,
                 exports: dict[str, list[str]] | None = None) -> dict:
    """Everything the comparison needs, from a running ``site.serve()``."""
    urls = site.urls()
    result = {
        "pretalx": PRETALX_VERSION,
        "versions": versions(),
        "db": site.db,
        "server": f"gunicorn pretalx.wsgi, {WORKERS} sync workers, 127.0.0.1:{site.port}, --max-requests 1200",
        "seed": site.seed_summary,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.2f} at start",
        "pages": {
            name: measure(urls[name], site.headers(), duration=duration, server_pids=site.worker_pids())
            for name in ("submissions", "reviews")
        },
    }
    result["csv_export"] = {name: export_csv(site, fields, runs=export_runs)
                            for name, fields in (EXPORTS if exports is None else exports).items()}
    result["memory_after"] = site.worker_memory()
    workers = result["memory_after"]["workers"]
    result["worker_peak_rss_mib"] = max((worker["peak_rss_mib"] or 0) for worker in workers) if workers else None
    result["load_at_end"] = round(os.getloadavg()[0], 2)
    return result


def summary_rows(figures: dict) -> list[tuple[str, str]]:
    """Short human lines of a measure_site() result, for printing."""
    rows = []
    for name, page in figures["pages"].items():
        for key in ("wrk_c2", "wrk_c1"):
            run = page[key]
            rows.append((f"{name} {key}", f"{run['rps']} req/s, p50 {run['latency_ms']['p50']} ms, p99 "
                                          f"{run['latency_ms']['p99']} ms, {run['non_2xx']} non-2xx, "
                                          f"server CPU {run.get('server_cpu_ms_per_request')} ms/request, "
                                          f"load {run['load_1m']}"))
        rows.append((f"{name} single", f"{page['single_s']} s (server CPU {page.get('single_server_cpu_s')} s), "
                                       f"{page['page_bytes']} bytes"))
    for name, export in figures["csv_export"].items():
        rows.append((f"csv export {name}", f"{export['seconds']} s ({export['all_seconds']}), {export['rows']} rows, "
                                           f"{export['columns']} columns, {export['bytes']} bytes, "
                                           f"server CPU {export['server_cpu_s']} s"))
    rows.append(("worker peak RSS", f"{figures['worker_peak_rss_mib']} MiB"))
    return rows


SECTION = "## pretalx 2025.2.2 at 10,000 proposals"


def _figure(values: list) -> str:
    """The median of ``values`` and, when there are several, every value in brackets; a missing value (a run in
    which wrk saw no request finish) is "—" and left out of the median."""
    def shown(value) -> str:
        return "—" if value is None else f"{round(value) if abs(value) >= 100 else round(value, 2):g}"

    present = [value for value in values if value is not None]
    middle = shown(statistics.median(present)) if present else "—"
    return middle if len(values) == 1 else f"{middle} ({', '.join(shown(value) for value in values)})"


def _table(runs: list[dict]) -> list[str]:
    first = runs[0]
    lines = [
        f"| pretalx on {first['db']} (10,000 proposals) | req/s at 2 conn. | p50 / p99 at 2 conn. | req/s at 1 conn. "
        "| single request | server CPU per request | 2 workers ÷ CPU | page size |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    names = {"submissions": "organiser's proposal list `/orga/event/<slug>/submissions/`",
             "reviews": "review dashboard `/orga/event/<slug>/reviews/`"}
    for key, label in names.items():
        pages = [run["pages"][key] for run in runs]
        cpu = [page.get("single_server_cpu_s") for page in pages]
        capacity = [round(WORKERS / value, 2) if value else None for value in cpu]
        lines.append(
            f"| {label} | {_figure([page['wrk_c2']['rps'] for page in pages])} "
            f"| {_figure([page['wrk_c2']['latency_ms']['p50'] for page in pages])} / "
            f"{_figure([page['wrk_c2']['latency_ms']['p99'] for page in pages])} ms "
            f"| {_figure([page['wrk_c1']['rps'] for page in pages])} "
            f"| {_figure([page['single_s'] for page in pages])} s | {_figure(cpu)} s | {_figure(capacity)} req/s "
            f"| {pages[0]['page_bytes'] / 1000:.0f} kB |")
    for key, export in first["csv_export"].items():
        exports = [run["csv_export"][key] for run in runs]
        columns = ", ".join(export["fields"]) or "the ID only: the form as it opens"
        lines.append(
            f"| sessions CSV export, {export['rows']:,} rows ({columns}) | — | — | — "
            f"| {_figure([item['seconds'] for item in exports])} s "
            f"| {_figure([item['server_cpu_s'] for item in exports])} s | — | {export['bytes'] / 1000:.0f} kB |")
    lines += [
        "",
        f"Peak RSS of a gunicorn worker after these requests: {_figure([run['worker_peak_rss_mib'] for run in runs])} "
        "MiB. Load average (1 min) at the start of each run: "
        f"{', '.join(run['machine'].rsplit('load ', 1)[1].split()[0] for run in runs)}."
        + (" Server CPU counts the gunicorn workers only, not the PostgreSQL server's own processes."
           if first["db"] == "postgres" else ""),
        "",
    ]
    return lines


def _non_2xx_note(runs: list[dict]) -> str:
    bad = sum(page[key]["non_2xx"] + page[key]["error_total"] for run in runs for page in run["pages"].values()
              for key in page if key.startswith("wrk_"))
    return "every wrk response was 2xx" if not bad else f"{bad} wrk responses were not 2xx or failed"


def section_text(runs: list[dict]) -> str:
    """The docs/benchmarks.md section of ``measure_site()`` results: a table per database, the median of its runs
    with every run's figure in brackets."""
    first = runs[0]
    seed = first["seed"]
    lines = [
        SECTION,
        "",
        f"Measured on {time.strftime('%Y-%m-%d')} by `bench/pretalx_side.py bench`. pretalx "
        f"{first['versions']['pretalx']} from PyPI (Django {first['versions']['Django']}, gunicorn "
        f"{first['versions']['gunicorn']}) in its own virtualenv under /tmp/pretalx-bench, served as its docs deploy "
        f"it but with 2 workers: `gunicorn pretalx.wsgi` with {WORKERS} sync workers on 127.0.0.1, "
        "`--max-requests 1200`, DEBUG off, no Redis, no Celery (a fresh install's defaults). Seeded in bulk through "
        f"its ORM: {seed['proposals']:,} proposals ({', '.join(f'{n:,} {s}' for s, n in seed['states'].items())}), "
        f"{seed['speakers']:,} speakers, {seed['reviews']:,} reviews by {seed['reviewers']} reviewers, "
        f"{seed['tracks']} tracks, {seed['types']} session types. The organiser (a team member with every "
        "permission, not an administrator) is signed in by a database session cookie; every page was checked to be "
        f"the page itself (200, its size), not the login redirect; {_non_2xx_note(runs)}. wrk: threads = "
        "connections, 20 s a run, on 127.0.0.1; it counts only requests that finish within the 20 s, so a page "
        "slower than that shows 0. Server CPU is the workers' user + system time per request (from /proc); "
        "\"2 workers ÷ CPU\" is what the two workers could serve if they had both cores to themselves. Other "
        "sessions' tests and benchmarks shared the 2 cores during these runs: req/s and latency are low by that, "
        "CPU time less so.",
        "",
    ]
    for db in dict.fromkeys(run["db"] for run in runs):
        lines += _table([run for run in runs if run["db"] == db])
    return "\n".join(lines)


# --- inside the pretalx virtualenv ---------------------------------------------------------------------------


def _django():
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pretalx.settings")
    django.setup()


CODE_CHARS = "ABCDEFGHJKLMNPQRSTUVWXYZ3789"  # the alphabet pretalx's own codes use
WORDS = ("distributed", "accessible", "civic", "open", "resilient", "local", "practical", "secure", "humane",
         "sustainable", "fast", "small", "shared", "public", "quiet", "honest")
NOUNS = ("archives", "networks", "schedules", "libraries", "workshops", "communities", "tools", "maps", "data",
         "interfaces", "budgets", "elections", "classrooms", "kitchens", "gardens", "radios")
FIRST = ("Anna", "Ben", "Chen", "Dara", "Emil", "Fatima", "Gao", "Hana", "Ivan", "Jun", "Kemal", "Lena", "Mei",
         "Nour", "Omar", "Petra", "Qiu", "Rosa", "Sven", "Tao", "Uma", "Vera", "Wei", "Xin", "Yara", "Zoe")
LAST = ("Adler", "Bauer", "Chen", "Dubois", "Eriksen", "Fischer", "Garcia", "Huang", "Ito", "Jensen", "Kim",
        "Li", "Meyer", "Novak", "Okafor", "Park", "Quinn", "Rossi", "Sato", "Tan", "Ueda", "Vogel", "Wang", "Zhou")


def _codes(rng: random.Random, count: int, taken: set[str]) -> list[str]:
    codes = []
    while len(codes) < count:
        code = "".join(rng.choice(CODE_CHARS) for _ in range(6))
        if code not in taken:
            taken.add(code)
            codes.append(code)
    return codes


def _seed(slug: str, proposals: int, seed: int = 13) -> dict:
    _django()
    import datetime as dt

    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils.timezone import now
    from django_scopes import scopes_disabled
    from pretalx.event.models import Event, Organiser, Team
    from pretalx.person.models import SpeakerProfile, User
    from pretalx.schedule.models import TalkSlot
    from pretalx.submission.models import (
        Review,
        ReviewPhase,
        ReviewScore,
        Submission,
        SubmissionType,
        Tag,
        Track,
    )
    from pretalx.submission.models.submission import SpeakerRole

    rng = random.Random(seed)
    started = time.perf_counter()
    with scopes_disabled(), transaction.atomic():
        old = Event.objects.filter(slug=slug).first()
        if old:
            raise SystemExit(f"event {slug} exists already: run `reset` to seed afresh")
        admin = User.objects.create_superuser(email=ADMIN_EMAIL, password=PASSWORD, name="Bench Administrator")
        organiser_user = User.objects.create_user(email=ORGANISER_EMAIL, password=PASSWORD, name="Bench Organiser")
        organiser = Organiser.objects.create(name="Bench Organisers", slug=f"{slug}org")
        team = Team.objects.create(organiser=organiser, name="Organisers", all_events=True, can_create_events=True,
                                   can_change_teams=True, can_change_organiser_settings=True,
                                   can_change_event_settings=True, can_change_submissions=True)
        team.members.add(admin, organiser_user)
        today = now().date()
        event = Event.objects.create(name="Bench Conference", slug=slug, organiser=organiser, is_public=True,
                                     date_from=today + dt.timedelta(days=40), date_to=today + dt.timedelta(days=42),
                                     timezone="UTC", email=ORGANISER_EMAIL, locale_array="en", locale="en")
        event.build_initial_data()
        event.cfp.deadline = now() - dt.timedelta(days=5)
        event.cfp.save()
        review_phase = ReviewPhase.objects.filter(event=event).order_by("position").first()
        review_phase.start = event.cfp.deadline
        review_phase.save()
        review_phase.activate()

        talk = event.cfp.default_type
        types = [talk, SubmissionType.objects.create(event=event, name="Workshop", default_duration=90),
                 SubmissionType.objects.create(event=event, name="Lightning talk", default_duration=10)]
        tracks = [Track.objects.create(event=event, name=name, color=f"#{rng.randrange(0x1000000):06x}")
                  for name in ("Civic tech", "Infrastructure", "Education", "Design", "Security", "Community")]
        tags = [Tag.objects.create(event=event, tag=name, color=f"#{rng.randrange(0x1000000):06x}")
                for name in ("keynote candidate", "beginner", "needs mentor", "sponsor", "repeat speaker")]

        taken: set[str] = set(User.objects.exclude(code=None).values_list("code", flat=True))
        speaker_count = proposals * 4 // 5
        unusable = make_password(None)
        speakers = [
            User(code=code, email=f"speaker{i}@bench.invalid", name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                 password=unusable, locale="en", timezone="UTC")
            for i, code in enumerate(_codes(rng, speaker_count, taken))
        ]
        User.objects.bulk_create(speakers, batch_size=2000)
        speakers = list(User.objects.filter(email__endswith="@bench.invalid", email__startswith="speaker")
                        .order_by("id"))
        SpeakerProfile.objects.bulk_create(
            [SpeakerProfile(user=user, event=event,
                            biography=f"{user.name} works on {rng.choice(WORDS)} {rng.choice(NOUNS)}.")
             for user in speakers], batch_size=2000)

        states = (["submitted"] * 70 + ["accepted"] * 8 + ["confirmed"] * 7 + ["rejected"] * 12
                  + ["withdrawn"] * 3)
        taken_submissions: set[str] = set(Submission.all_objects.values_list("code", flat=True))
        submissions = []
        for i, code in enumerate(_codes(rng, proposals, taken_submissions)):
            adjective, noun = rng.choice(WORDS), rng.choice(NOUNS)
            kind = types[0] if i % 10 < 7 else types[1 + i % 2]
            submissions.append(Submission(
                code=code, event=event, title=f"{adjective.capitalize()} {noun} for everyone, part {i}",
                submission_type=kind, track=rng.choice(tracks), state=rng.choice(states),
                abstract=f"How {noun} become {adjective} when the people who use them take part. " * 2,
                description=f"A talk about {adjective} {noun}: what we tried, what failed, what works. " * 6,
                notes="Please schedule in the afternoon." if i % 7 == 0 else "",
                content_locale="en", duration=kind.default_duration if i % 5 == 0 else None,
            ))
        Submission.all_objects.bulk_create(submissions, batch_size=1000)
        submissions = list(Submission.all_objects.filter(event=event).order_by("id"))

        roles = [SpeakerRole(submission=submission, user=speakers[i % speaker_count])
                 for i, submission in enumerate(submissions)]
        roles += [SpeakerRole(submission=submissions[i], user=speakers[(i * 7 + 3) % speaker_count])
                  for i in range(0, proposals, 10) if (i * 7 + 3) % speaker_count != i % speaker_count]
        SpeakerRole.objects.bulk_create(roles, batch_size=2000)
        through = Submission.tags.through
        through.objects.bulk_create(
            [through(submission_id=submission.id, tag_id=rng.choice(tags).id)
             for submission in submissions if rng.random() < 0.3], batch_size=2000)
        TalkSlot.objects.bulk_create(
            [TalkSlot(submission=submission, schedule=event.wip_schedule, is_visible=False)
             for submission in submissions if submission.state in ("accepted", "confirmed")], batch_size=2000)

        reviewer_team = Team.objects.create(organiser=organiser, name="Reviewers", all_events=True, is_reviewer=True)
        reviewers = [User.objects.create_user(email=f"reviewer{n}@bench.invalid", password=PASSWORD,
                                              name=f"Reviewer {n}") for n in range(1, 4)]
        reviewer_team.members.add(*reviewers)
        scores = list(ReviewScore.objects.filter(category__event=event).order_by("value"))
        reviews = []
        for reviewer, share in zip(reviewers, (1.0, 0.8, 0.6), strict=True):
            for submission in rng.sample(submissions, int(len(submissions) * share)):
                score = rng.choice(scores)
                reviews.append(Review(submission=submission, user=reviewer, score=score.value,
                                      text=f"{score.label}: the {rng.choice(NOUNS)} part is the strongest."))
        Review.all_objects.bulk_create(reviews, batch_size=2000)
        by_key = {(review.submission_id, review.user_id): review.score for review in reviews}
        score_ids = {score.value: score.id for score in scores}
        score_through = Review.scores.through
        score_through.objects.bulk_create(
            [score_through(review_id=review_id, reviewscore_id=score_ids[by_key[(submission_id, user_id)]])
             for review_id, submission_id, user_id in
             Review.all_objects.filter(submission__event=event).values_list("id", "submission_id", "user_id")],
            batch_size=2000)

    with scopes_disabled():
        counts = {
            "proposals": Submission.all_objects.filter(event=event).count(),
            "speakers": SpeakerProfile.objects.filter(event=event).count(),
            "speaker_roles": SpeakerRole.objects.filter(submission__event=event).count(),
            "reviews": Review.all_objects.filter(submission__event=event).count(),
            "talk_slots": TalkSlot.objects.filter(schedule=event.wip_schedule).count(),
            "states": dict(sorted(
                (state, Submission.all_objects.filter(event=event, state=state).count())
                for state in set(states))),
            "tracks": len(tracks), "types": len(types), "tags": len(tags), "reviewers": len(reviewers),
        }
    counts["seed_seconds_in_pretalx"] = round(time.perf_counter() - started, 1)
    return counts


def _login(email: str) -> dict:
    _django()
    from django.test import Client
    from django_scopes import scopes_disabled
    from pretalx.person.models import User

    with scopes_disabled():
        user = User.objects.get(email=email)
    client = Client()
    client.force_login(user)
    from django.conf import settings

    return {"session": client.cookies[settings.SESSION_COOKIE_NAME].value}


# --- command line ---------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("prepare", "bench", "reset"):
        command = sub.add_parser(name)
        command.add_argument("--db", choices=sorted(PORTS), default="sqlite")
        command.add_argument("--proposals", type=int, default=PROPOSALS)
        if name == "bench":
            command.add_argument("--duration", type=int, default=20, help="seconds per wrk run (at most 20)")
            command.add_argument("--out", type=Path, help="write the JSON figures here too")
            command.add_argument("--runs", type=int, default=1, help="measure this many times (median in --doc)")
            command.add_argument("--doc", type=Path,
                                 help=f"write the '{SECTION[3:]}' section into this Markdown file "
                                      "(e.g. docs/benchmarks.md); without it no file is written")
    doc = sub.add_parser("doc", help="write the section from JSON files of earlier `bench --out` runs")
    doc.add_argument("json", type=Path, nargs="+")
    doc.add_argument("--doc", type=Path, required=True)
    seed = sub.add_parser("_seed")
    seed.add_argument("--slug", default=SLUG)
    seed.add_argument("--proposals", type=int, default=PROPOSALS)
    login = sub.add_parser("_login")
    login.add_argument("--email", default=ORGANISER_EMAIL)
    args = parser.parse_args(argv)

    if args.command == "_seed":
        print(json.dumps(_seed(args.slug, args.proposals)))
    elif args.command == "_login":
        print(json.dumps(_login(args.email)))
    elif args.command in ("prepare", "reset"):
        site = prepare(args.db, proposals=args.proposals, fresh=args.command == "reset")
        print(json.dumps({"db": site.db, "urls": site.urls(), "seed": site.seed_summary}, indent=2))
    elif args.command == "doc":
        runs = [json.loads(path.read_text(encoding="utf-8")) for path in args.json]
        runs = [run for item in runs for run in (item if isinstance(item, list) else [item])]
        write_section(SECTION, section_text(runs), args.doc)
    else:
        site = prepare(args.db, proposals=args.proposals)
        runs = []
        with site.serve():
            for _ in range(args.runs):
                figures = measure_site(site, duration=min(args.duration, 20))
                for name, line in summary_rows(figures):
                    print(f"{name:24} {line}", file=sys.stderr)
                runs.append(figures)
        text = json.dumps(runs[0] if len(runs) == 1 else runs, indent=2)
        if args.out:
            args.out.write_text(text + "\n", encoding="utf-8")
        if args.doc:
            write_section(SECTION, section_text(runs), args.doc)
        print(text)


if __name__ == "__main__":
    main()
