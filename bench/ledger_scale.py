"""The ledger (台账) at city and province scale: how 查阅台账, a collective's ledger, the unit .xlsx export and the
ledger API behave with a year of a province's entries.

Run by hand (not by pytest):

    .venv/bin/python bench/ledger_scale.py                 # SQLite in a throwaway data directory
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/ledger_scale.py
                                                           # SQLite, then PostgreSQL too
    .venv/bin/python bench/ledger_scale.py --explain       # also print the plan of each request's slowest query

It builds, in a throwaway database, the province of ``bench/scale_lists.py`` (its ``build``: 993 units, 10,000
collectives, ~200,000 members, one province campaign with 5,000 filings), then a year of ledger entries in that
campaign (bulk_create; their link rows and files with executemany, a million attendees being too many for
bulk_create's Python cost per row): all four activities (study sessions with their attendees, 助千家 visits on the
collectives' pairings with their kinds of help, open-week events with the items shown, 对标创优 targets and
results), files on some entries and comments of the city on some (part of them still open). First ~20,000
entries (a city's year, spread over the province), measured; then grown to ~300,000 (a province's year),
measured again. The Django test client, signed in as the province office admin, a city admin (威海) and a unit
admin (威海第1区), fetches each page: the median wall time of 5 runs after one warm-up, and the SQL queries of one
further run (CaptureQueriesContext: how many, the slowest). The tables go into docs/benchmarks.md.

SQLite lives in a temporary WMH_DATA_DIR that is removed afterwards. For PostgreSQL the server of DATABASE_URL
gets a separate database, ``ledger_bench`` (or WMH_LEDGER_BENCH_DB), created at the start and dropped at the end;
the database named in DATABASE_URL itself is only used to connect and is never written to or dropped.
"""

import argparse
import datetime
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import scale_lists  # bench/scale_lists.py, beside this script: the province's builder
from benchdoc import write_section

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"
SECTION = "## The ledger (台账) at city and province scale"
RUNS = 5
SLOW_RUNS = 3  # a request whose warm-up takes longer than SLOW_SECONDS is timed this many times instead
SLOW_SECONDS = 3.0
TOO_SLOW_SECONDS = 20.0  # … and one whose warm-up takes longer than this is not repeated at all
LIMIT_SECONDS = 60  # a request still running after this long is interrupted (its query cancelled) and reported
BENCH_DB = os.environ.get("WMH_LEDGER_BENCH_DB", "ledger_bench")
SIZES = (20_000, 300_000)
SEED = 20261201

# Shares of the year's entries per activity: a study session a month, a visit to a family every six weeks,
# targets and results, an open-week event or two.
ACTIVITY_SHARES = (("study", 0.40), ("families", 0.27), ("benchmark", 0.20), ("open_week", 0.13))
TITLES = {"study": "青年大学习", "families": "助千家走访", "benchmark": "对标创优", "open_week": "开放周"}
STUDY_FORMS = ["seminar", "visit", "essay", "micro_lecture", "other"]
HELP_KINDS = ["companionship", "counselling", "education", "rights", "income", "insurance"]
SHOWN = ["commitment", "supervision_phone", "identity", "badges", "posters", "convenience"]
FOCUSES = {"production": ["process", "operation", "mechanism", "product", "design"],
           "service": ["service_method", "convenience", "service_environment"],
           "research": ["leading_standard", "post_target", "craftsmanship"]}
COMMENT_SHARE = 0.03  # of the entries, commented on by the city; 40% of those comments still open
ATTACHMENT_SHARE = 0.30
DATE_RANGE = ("2026-10-01", "2026-10-31")


# --- the child process: one database ----------------------------------------------------------------

def setup_django(backend: str, data_dir: str, database: str = BENCH_DB) -> None:
    """Django on SQLite in ``data_dir``, or on the PostgreSQL server of DATABASE_URL in its database ``database``."""
    os.environ["WMH_DATA_DIR"] = data_dir
    os.environ["WMH_TESTING"] = "1"  # plain static files storage (no collectstatic needed), no HTTPS redirect
    os.environ["DJANGO_SETTINGS_MODULE"] = "wenminghao.settings"
    if backend == "sqlite":
        os.environ.pop("DATABASE_URL", None)
    else:
        os.environ["DATABASE_URL"] = bench_url(os.environ["DATABASE_URL"], database)
    sys.path.insert(0, str(ROOT / "src"))
    import logging

    import django

    django.setup()
    logging.getLogger("django.request").setLevel(logging.CRITICAL)  # an interrupted request: one line, not a trace


def bench_url(url: str, database: str = BENCH_DB) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + database))


class Ledger:
    """Grows the ledger of the province's campaign in bulk, in the shape the services would leave it."""

    def __init__(self, campaign, author, author_unit):
        from django.utils import timezone

        from wenminghao.collectives.models import Collective, Member

        self.campaign = campaign
        self.author = author
        self.author_unit = author_unit
        self.random = random.Random(SEED)
        self.collectives = list(Collective.objects.order_by("id").values_list("id", "sector"))
        self.members: dict[int, list[tuple[int, bool, str]]] = {}
        for member_id, collective_id, is_leader, name in (
            Member.objects.order_by("collective_id", "-is_leader", "id")
            .values_list("id", "collective_id", "is_leader", "name")
        ):
            self.members.setdefault(collective_id, []).append((member_id, is_leader, name))
        self.pairings: dict[int, list[int]] = {}
        self.count = 0
        self.first_day = datetime.date(campaign.year, 1, 1)
        self.days = (min(datetime.date(campaign.year, 12, 31), timezone.localdate() - datetime.timedelta(days=1))
                     - self.first_day).days + 1

    def add_pairings(self) -> None:
        """One pairing per collective, two for every third; a 回头看 on half of them."""
        from wenminghao.ledger.models import Pairing, PairingHelpKind, PairingReview

        rnd = self.random
        pairings = []
        for index, (collective_id, _) in enumerate(self.collectives):
            for n in range(2 if index % 3 == 0 else 1):
                started = self.first_day - datetime.timedelta(days=rnd.randint(30, 700))
                pairings.append(Pairing(
                    collective_id=collective_id, family_ref=f"3710{index:08d}{n:02d}{rnd.randint(1000, 9999)}",
                    area=f"第{index % 40 + 1}街道", youth_count=1 + index % 3, started=started,
                    consent_date=started, consent_recorded_by=self.author, created_by=self.author,
                ))
        pairings = Pairing.objects.bulk_create(pairings, batch_size=2000)
        kinds, reviews = [], []
        for pairing in pairings:
            self.pairings.setdefault(pairing.collective_id, []).append(pairing.pk)
            for kind in rnd.sample(HELP_KINDS, rnd.randint(1, 3)):
                kinds.append(PairingHelpKind(pairing=pairing, kind=kind))
            if rnd.random() < 0.5:
                reviews.append(PairingReview(pairing=pairing, date=pairing.started + datetime.timedelta(days=180),
                                             outcome=rnd.choice(["out_of_poverty", "improving", "not_yet"]),
                                             income_trend=rnd.choice(["rising", "steady", "falling"]),
                                             created_by=self.author))
        PairingHelpKind.objects.bulk_create(kinds, batch_size=5000)
        PairingReview.objects.bulk_create(reviews, batch_size=5000)

    def grow_to(self, size: int) -> None:
        """Add entries up to ``size``, then count the campaign's tallies (``ledger.tallies``) as the services would
        have kept them (``tally_seconds``)."""
        from django.db import transaction

        from wenminghao.ledger import tallies

        with transaction.atomic():
            while self.count < size:
                self._batch(min(10_000, size - self.count))
            started = time.perf_counter()
            tallies.rebuild(campaign_id=self.campaign.pk)
            self.tally_seconds = round(time.perf_counter() - started, 1)

    def _batch(self, n: int) -> None:
        from django.db import connection
        from django.utils import timezone

        from wenminghao.ledger.models import (
            EntryAttachment,
            EntryComment,
            EntryHelpKind,
            EntryShownItem,
            LedgerEntry,
        )

        rnd = self.random
        entries, plans = [], []
        for _ in range(n):
            index = self.count
            self.count += 1
            collective_id, sector = self.collectives[(index * 7919) % len(self.collectives)]
            activity = self._activity(rnd.random())
            day = self.first_day + datetime.timedelta(days=rnd.randrange(self.days))
            entry = LedgerEntry(campaign=self.campaign, collective_id=collective_id, activity=activity, date=day,
                                title=f"{day:%m月%d日}{TITLES[activity]}记录{index + 1}",
                                content="开展情况：按计划开展，成员积极参与，效果良好。" * 3,
                                created_by=self.author)
            plan = {}
            if activity == "benchmark":
                target = rnd.random() < 0.5
                entry.stage = "target" if target else "result"
                entry.benchmark_against = "全国青年文明号·济南市民服务中心"
                entry.focus = rnd.choice(FOCUSES.get(sector, ["other"]))
                if not target:
                    entry.benefit_kind = rnd.choice(["economic", "social"])
                    entry.benefit_value = rnd.randint(1, 500)
                    entry.benefit_unit = "万元" if entry.benefit_kind == "economic" else "分钟"
            elif activity == "study":
                members = self.members[collective_id]
                leader = rnd.choice(members)
                entry.study_form = rnd.choice(STUDY_FORMS)
                entry.topic = "学习习近平新时代中国特色社会主义思想"
                entry.led_by_id, entry.led_by_name = leader[0], leader[2]
                plan["attendees"] = rnd.sample([m[0] for m in members], rnd.randint(min(5, len(members)),
                                                                                    len(members) * 2 // 3))
            elif activity == "families":
                entry.pairing_id = rnd.choice(self.pairings[collective_id])
                entry.follow_up = rnd.random() < 0.15
                plan["help_kinds"] = rnd.sample(HELP_KINDS, rnd.randint(1, 3))
            else:
                entry.visitors = rnd.randint(10, 200)
                plan["shown"] = rnd.sample(SHOWN, rnd.randint(2, 4))
            if rnd.random() < ATTACHMENT_SHARE:
                plan["files"] = rnd.randint(1, 3)
            if rnd.random() < COMMENT_SHARE:
                plan["comment_open"] = rnd.random() < 0.4
            entries.append(entry)
            plans.append(plan)
        entries = LedgerEntry.objects.bulk_create(entries, batch_size=2000)
        attendees, kinds, shown, files, comments = [], [], [], [], []
        now = timezone.now()
        created = connection.ops.adapt_datetimefield_value(now)
        for entry, plan in zip(entries, plans, strict=True):
            attendees += [(entry.pk, member) for member in plan.get("attendees", ())]
            kinds += [(entry.pk, kind) for kind in plan.get("help_kinds", ())]
            shown += [(entry.pk, item) for item in plan.get("shown", ())]
            files += [(entry.pk, "picture", f"ledger/bench/{entry.pk}-{f}.jpg", f"现场照片{f + 1}.jpg", 350_000,
                       "0" * 64, "image/jpeg", 1600, 1200, f"ledger/bench/{entry.pk}-{f}-thumb.jpg", "ready",
                       self.author.pk, created) for f in range(plan.get("files", 0))]
            if "comment_open" in plan:
                comments.append(EntryComment(
                    entry_id=entry.pk, author=self.author, author_unit=self.author_unit, text="请补充活动照片。",
                    resolved_at=None if plan["comment_open"] else now, resolved_by=None if plan["comment_open"]
                    else self.author))
        # The rows of the entries' link tables (a million attendees at 300,000 entries) and files go in with
        # executemany: the same rows bulk_create would write, without its Python cost per row.
        insert_rows(LedgerEntry.attendees.through, ("ledgerentry_id", "member_id"), attendees)
        insert_rows(EntryHelpKind, ("entry_id", "kind"), kinds)
        insert_rows(EntryShownItem, ("entry_id", "item"), shown)
        insert_rows(EntryAttachment, ("entry_id", "kind", "original", "original_name", "size", "sha256",
                                      "content_type", "width", "height", "thumbnail", "derivatives",
                                      "uploaded_by_id", "created_at"), files)
        EntryComment.objects.bulk_create(comments, batch_size=5000)

    @staticmethod
    def _activity(draw: float) -> str:
        for activity, share in ACTIVITY_SHARES:
            if draw < share:
                return activity
            draw -= share
        return ACTIVITY_SHARES[-1][0]


def insert_rows(model, columns: tuple[str, ...], rows: list[tuple]) -> None:
    from django.db import connection

    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(model._meta.get_field(column.removesuffix("_id")).column
                                                if column.endswith("_id") else column) for column in columns)
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))})", rows)


def ledger_stats() -> dict:
    from wenminghao.ledger.models import (
        EntryAttachment,
        EntryComment,
        EntryHelpKind,
        EntryShownItem,
        LedgerEntry,
        Pairing,
    )

    return {
        "entries": LedgerEntry.objects.count(),
        "attendees": LedgerEntry.attendees.through.objects.count(),
        "help_kinds": EntryHelpKind.objects.count(),
        "shown_items": EntryShownItem.objects.count(),
        "attachments": EntryAttachment.objects.count(),
        "comments": EntryComment.objects.count(),
        "open_comments": EntryComment.objects.filter(resolved_at__isnull=True).count(),
        "pairings": Pairing.objects.count(),
    }


def explain(sql: str) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql)
        return "\n".join("  ".join(str(value) for value in row) for row in cursor.fetchall())


def requests_for(who: str, users: dict, collective_id: int) -> list[tuple[str, str, dict]]:
    from wenminghao.ledger.enums import Activity

    user = users[who]
    requests = [
        ("查阅台账, page 1", "/ledger/", {}),
        ("查阅台账, activity 青年大学习", "/ledger/", {"activity": Activity.STUDY}),
        ("查阅台账, dates 10-01…10-31", "/ledger/", {"date_from": DATE_RANGE[0], "date_to": DATE_RANGE[1]}),
        ("查阅台账, 只看有未处理意见的", "/ledger/", {"open_comments": "on"}),
        ("a collective's ledger page", f"/ledger/collectives/{collective_id}/", {}),
    ]
    if who in ("unit", "city"):
        requests.append(("unit export .xlsx (own unit)", "/ledger/export.xlsx", {}))
    requests.append(("API GET /collectives/{id}/ledger", f"/api/v1/collectives/{collective_id}/ledger", {}))
    requests.append(("API GET /units/{id}/indicators", f"/api/v1/units/{user.unit_id}/indicators", {}))
    return requests


def measure(users: dict, size: int, show_plans: bool) -> list[dict]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from wenminghao.accounts.services import issue_api_token
    from wenminghao.ledger.models import LedgerEntry

    if connection.vendor == "postgresql":  # as autovacuum would have; SQLite gets none, as in a deployment
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
            cursor.execute(f"SET statement_timeout = {LIMIT_SECONDS * 1000}")
    # The collective whose ledger is fetched: the first of the unit admin's district, visible to all three.
    collective_id = (LedgerEntry.objects.filter(collective__unit=users["unit"].unit).order_by("collective_id")
                     .values_list("collective_id", flat=True).first())
    results = []
    for who, user in users.items():
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user, backend="wenminghao.accounts.backends.UsernameOrMobileBackend")
        bearer = {"Authorization": f"Bearer {issue_api_token(user=user)}"}
        visible = LedgerEntry.objects.filter(collective__unit__path__startswith=user.unit.path).count()

        def fetch(url, params, client=client, bearer=bearer):
            headers = bearer if url.startswith("/api/") else {}
            with time_limit(connection):
                response = client.get(url, params, headers=headers)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            if response.status_code != 200:
                raise RuntimeError(f"{url} {params} answered {response.status_code}: {body[:300]!r}")
            return response, body

        for label, url, params in requests_for(who, users, collective_id):
            row = {"size": size, "who": who, "visible": visible, "what": label}
            try:
                with CaptureQueriesContext(connection) as warm_queries:
                    started = time.perf_counter()
                    response, body = fetch(url, params)  # warm-up: templates compiled, caches filled
                    warm = time.perf_counter() - started
            except Exception as error:  # a failing page is a finding: report it and measure the rest
                interrupted = "interrupt" in str(error) or "statement timeout" in str(error)
                row.update(median_ms=None, queries=None, slowest_sql_ms=None, runs=0,
                           note=f"over {LIMIT_SECONDS} s: interrupted" if interrupted
                           else f"FAILS: {type(error).__name__}: {error}")
                results.append(row)
                print(f"  {who:9} {label:40} FAILS {error!r}", file=sys.stderr, flush=True)
                continue
            if warm > TOO_SLOW_SECONDS:  # not repeated: the warm-up is the one run, its queries those counted
                runs, times, queries = 1, [warm], warm_queries.captured_queries
            else:
                runs = SLOW_RUNS if warm > SLOW_SECONDS else RUNS
                times = []
                for _ in range(runs):
                    started = time.perf_counter()
                    response, body = fetch(url, params)
                    times.append(time.perf_counter() - started)
                with CaptureQueriesContext(connection) as captured:
                    response, body = fetch(url, params)
                queries = captured.captured_queries
            slowest = max(queries, key=lambda q: float(q["time"]), default={"time": 0, "sql": ""})
            extra = ""
            if url.startswith("/api/") and "items" in (data := json.loads(body)):
                extra = f"{len(data['items'])} of {data['count']:,} entries"
            elif url.startswith("/api/"):
                extra = f"{data['collectives']:,} creating collectives"
            elif "export" in url:
                extra = f"{len(body) // 1024:,} KiB, {export_rows(body):,} rows"
            row.update(median_ms=round(statistics.median(times) * 1000), runs=runs, queries=len(queries),
                       slowest_sql_ms=round(float(slowest["time"]) * 1000), note=extra)
            results.append(row)
            print(f"  {size:>7,} {who:9} {label:40} {row['median_ms']:>7} ms {row['queries']:>4} queries "
                  f"slowest {row['slowest_sql_ms']:>5} ms {extra}", file=sys.stderr, flush=True)
            if show_plans and slowest["sql"]:
                print(f"    slowest SQL: {slowest['sql'][:1500]}", file=sys.stderr)
                print("    plan:\n      " + explain(slowest["sql"]).replace("\n", "\n      "), file=sys.stderr,
                      flush=True)
    return results


class time_limit:  # noqa: N801 - a context manager, used as one
    """Interrupts the request's query when the request is still running after LIMIT_SECONDS (PostgreSQL: the
    statement_timeout set in ``measure``; SQLite: ``interrupt()`` from a timer), so that the run stays bounded."""

    def __init__(self, connection):
        self.connection = connection
        self.timer = None

    def __enter__(self):
        if self.connection.vendor == "sqlite":
            self.connection.ensure_connection()
            self.timer = threading.Timer(LIMIT_SECONDS, self.connection.connection.interrupt)
            self.timer.start()

    def __exit__(self, *exc):
        if self.timer is not None:
            self.timer.cancel()


def export_rows(body: bytes) -> int:
    """Data rows of the .xlsx (the header row not counted)."""
    import io

    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(body), read_only=True)
    rows = sum(1 for _ in workbook.worksheets[0].iter_rows(values_only=True))
    workbook.close()
    return max(rows - 1, 0)


def child(backend: str, sizes: list[int], show_plans: bool) -> None:
    data_dir = tempfile.mkdtemp(prefix="wmh-ledger-bench-")
    try:
        setup_django(backend, data_dir)
        from django.db import connection

        from wenminghao.campaigns.models import Campaign

        stats: dict = {"backend": backend}
        users = scale_lists.build(stats)
        stats["db"] = scale_lists.db_description(connection)
        campaign = Campaign.objects.get()
        started = time.perf_counter()
        ledger = Ledger(campaign, users["city"], users["city"].unit)
        ledger.add_pairings()
        stats["sizes"] = []
        for size in sizes:
            ledger.grow_to(size)
            built = ledger_stats()
            built["grow_seconds"] = round(time.perf_counter() - started, 1)
            print(f"  built {built}", file=sys.stderr, flush=True)
            built["results"] = measure(users, size, show_plans)
            stats["sizes"].append(built)
            started = time.perf_counter()
        connection.close()
        print(json.dumps(stats, ensure_ascii=False))
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


# --- the parent process: one child per database, then the tables ------------------------------------

def run_child(backend: str, sizes: list[int], show_plans: bool) -> dict:
    print(f"[{backend}] building and measuring …", file=sys.stderr, flush=True)
    started = time.perf_counter()
    command = [sys.executable, __file__, "--child", backend, "--sizes", ",".join(map(str, sizes))]
    if show_plans:
        command.append("--explain")
    out = subprocess.run(command, check=True, stdout=subprocess.PIPE, text=True)
    stats = json.loads(out.stdout.strip().splitlines()[-1])
    stats["total_seconds"] = round(time.perf_counter() - started)
    return stats


NAMES = {"province": "province office admin", "city": "city admin (威海)", "unit": "unit admin (威海第1区)"}


def table(stats: dict) -> str:
    lines = []
    for built in stats["sizes"]:
        lines += [
            f"**{stats['db']}, {built['entries']:,} entries** — {built['attendees']:,} attendee rows, "
            f"{built['help_kinds']:,} kinds of help, {built['shown_items']:,} items shown, "
            f"{built['attachments']:,} files, {built['comments']:,} comments ({built['open_comments']:,} open), "
            f"{built['pairings']:,} pairings (entries added in {built['grow_seconds']} s).",
            "",
            "| signed in as (entries visible) | request | median of 5 | SQL queries | slowest query | note |",
            "|---|---|---:|---:|---:|---|",
        ]
        for row in built["results"]:
            who = f"{NAMES[row['who']]} ({row['visible']:,})"
            if row["median_ms"] is None:
                lines.append(f"| {who} | {row['what']} | — | — | — | {row['note']} |")
                continue
            note = row["note"]
            if row["runs"] != RUNS:
                note += ("; " if note else "") + (f"median of {row['runs']}" if row["runs"] > 1
                                                   else "one run (too slow to repeat)")
            lines.append(f"| {who} | {row['what']} | {row['median_ms']:,} ms | {row['queries']} | "
                         f"{row['slowest_sql_ms']:,} ms | {note} |")
        lines.append("")
    return "\n".join(lines)


FINDINGS = "### What the ledger figures show"


def kept_findings() -> str:
    """The findings written by hand under the section's tables (kept when the tables are rewritten)."""
    current = DOC.read_text(encoding="utf-8") if DOC.exists() else ""
    if SECTION not in current:
        return ""
    section = current.split(SECTION, 1)[1]
    end = section.find("\n## ")
    section = section[:end] if end >= 0 else section
    return section[section.index(FINDINGS):].rstrip("\n") + "\n" if FINDINGS in section else ""


def write_doc(all_stats: list[dict]) -> None:
    cpu = platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        models = [line.split(":", 1)[1].strip() for line in cpuinfo.read_text().splitlines()
                  if line.startswith("model name")]
        cpu = models[0] if models else cpu
    section = "\n".join([
        SECTION,
        "",
        f"Measured {datetime.date.today():%Y-%m-%d} on {os.cpu_count()} cores ({cpu}), Python "
        f"{platform.python_version()}, with `bench/ledger_scale.py`: the Django test client in one process (no web "
        "server, no network), median of 5 runs after one warm-up (3 runs for a request whose warm-up took over "
        f"{SLOW_SECONDS:.0f} s, the warm-up alone over {TOO_SLOW_SECONDS:.0f} s, and a request still running after "
        f"{LIMIT_SECONDS} s is interrupted, as noted); the query count and the slowest query are of one further run "
        "(the count includes the session and account lookups every request makes). On SQLite a query's time is that "
        "of its `execute()`, up to its first row: rows read afterwards are not in it, so a median well above the "
        "slowest query is time spent reading rows or in Python. PostgreSQL got a `VACUUM ANALYZE` after loading, "
        "as autovacuum would; SQLite has no planner statistics (nothing runs `ANALYZE` in a deployment).",
        "",
        "The data: the province of *Lists at province scale* (993 units, 10,000 collectives, ~200,000 members, one "
        "province campaign with 5,000 filings, of which 2,500 pending or accepted), 13,334 pairings, then a year of "
        "that campaign's ledger spread evenly over the 10,000 collectives — 40% 青年大学习 sessions (5 to two thirds "
        "of the members attending), 27% 助千家 visits (1–3 kinds of help), 20% 对标创优, 13% 开放周 (2–4 items "
        f"shown); files on {ATTACHMENT_SHARE:.0%} of the entries, a comment of the city on {COMMENT_SHARE:.0%} "
        "(40% of them open). First 20,000 entries (a city's year, here over the whole province: 2 per collective), "
        "then 300,000 (a province's year: 30 per collective; the city admin then sees 18,300, a city's year as "
        "SCALE.md puts it). The collective's ledger and the entry-list API are "
        "of one collective of 威海第1区 (seen by all three); the indicators are of the account's own unit; the export "
        "is the account's own unit, every activity.",
        "",
        *[table(stats) for stats in all_stats],
        "Rerun (a few minutes; SQLite in a temporary directory, and PostgreSQL when `DATABASE_URL` is set — "
        f"the script creates and then drops a separate database `{BENCH_DB}` on that server; `--explain` prints "
        "the plan of each request's slowest query):",
        "",
        "```sh",
        ".venv/bin/python bench/ledger_scale.py",
        "DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/ledger_scale.py",
        "```",
        "",
        kept_findings(),
    ])
    write_section(SECTION, section, DOC)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--child", choices=["sqlite", "postgres"], help=argparse.SUPPRESS)
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="entry counts, ascending")
    parser.add_argument("--explain", action="store_true", help="print the plan of each request's slowest query")
    parser.add_argument("--sqlite-only", action="store_true", help="skip PostgreSQL even when DATABASE_URL is set")
    parser.add_argument("--no-doc", action="store_true", help="print the tables only; leave docs/benchmarks.md")
    parser.add_argument("--json", type=Path, help="also write the figures to this file (JSON)")
    parser.add_argument("--from-json", type=Path, help="measure nothing: write the doc from figures saved by --json")
    args = parser.parse_args()
    sizes = sorted(int(size) for size in args.sizes.split(","))
    if args.child:
        child(args.child, sizes, args.explain)
        return
    if args.from_json:
        write_doc(json.loads(args.from_json.read_text(encoding="utf-8")))
        return

    started = time.perf_counter()
    all_stats = [run_child("sqlite", sizes, args.explain)]
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")) and not args.sqlite_only:
        if urlsplit(url).path.lstrip("/") == BENCH_DB:
            raise SystemExit(f"DATABASE_URL should name another database than {BENCH_DB}: the script creates "
                             f"and drops {BENCH_DB} itself.")
        scale_lists.postgres_admin(url, f'DROP DATABASE IF EXISTS "{BENCH_DB}"')
        scale_lists.postgres_admin(url, f'CREATE DATABASE "{BENCH_DB}"')
        try:
            all_stats.append(run_child("postgres", sizes, args.explain))
        finally:
            scale_lists.postgres_admin(url, f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
    for stats in all_stats:
        print()
        print(table(stats))
        print(f"({stats['backend']}: {stats['total_seconds']} s in all)")
    if args.json:
        args.json.write_text(json.dumps(all_stats, ensure_ascii=False, indent=1), encoding="utf-8")
    if not args.no_doc:
        write_doc(all_stats)
        print(f"\nwritten to {DOC.relative_to(ROOT)}")
    print(f"total {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
