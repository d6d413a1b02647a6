"""Lists at province scale: how the list pages, the export and the API behave with a province's data.

Run by hand (not by pytest):

    .venv/bin/python bench/scale_lists.py                 # SQLite in a throwaway data directory
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/scale_lists.py
                                                          # SQLite, then PostgreSQL too

It builds, in a throwaway database, a province-sized tree: one province office, 16 cities, 61 district
and industry units under each (993 units in three levels below the root), 10,000 collectives with
about 200,000 members, 5,000 honours and a province campaign with 5,000 creation filings. Then the
Django test client, signed in as a province office admin, a city admin and a unit admin, fetches the
collectives list (first page and a filtered search), the collectives .xlsx export, the filings list,
``GET /api/v1/collectives`` and the unit tree: the median wall time of 5 runs and the number of SQL
queries of each (CaptureQueriesContext) are printed and written into docs/benchmarks.md.

SQLite lives in a temporary WMH_DATA_DIR that is removed afterwards. For PostgreSQL the server of
DATABASE_URL gets a separate database, ``wmh_bench`` (or WMH_BENCH_DB), created at the start and
dropped at the end; the database named in DATABASE_URL itself is only used to connect and is never
written to or dropped.
"""

import argparse
import datetime
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from benchdoc import write_section  # bench/benchdoc.py, beside this script

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"
SECTION = "## Lists at province scale"
RUNS = 5
BENCH_DB = os.environ.get("WMH_BENCH_DB", "wmh_bench")

CITIES = [
    "济南", "青岛", "淄博", "枣庄", "东营", "烟台", "潍坊", "济宁",
    "泰安", "威海", "日照", "临沂", "德州", "聊城", "滨州", "菏泽",
]
UNITS_PER_CITY = 61
COLLECTIVES = 10_000
# Collective names cycle through these working units; the filtered search looks for "车间".
FORMS = [("服务窗口", "window", "service"), ("生产车间", "workshop", "production"),
         ("检修班组", "team", "production"), ("综合服务站", "station", "service"), ("研发科室", "section", "research")]
ORG_TYPES = ["state_enterprise", "public_institution", "non_public", "social"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
GIVEN = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋",
         "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英", "霞", "平"]


# --- the child process: one database ----------------------------------------------------------------

def setup_django(backend: str, data_dir: str) -> None:
    os.environ["WMH_DATA_DIR"] = data_dir
    os.environ["WMH_TESTING"] = "1"  # plain static files storage (no collectstatic needed), no HTTPS redirect
    os.environ["DJANGO_SETTINGS_MODULE"] = "wenminghao.settings"
    if backend == "sqlite":
        os.environ.pop("DATABASE_URL", None)
    else:
        os.environ["DATABASE_URL"] = bench_url(os.environ["DATABASE_URL"])
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


def bench_url(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + BENCH_DB))


def place(units, parent) -> None:
    """Paths and depths as orgs.services._set_path sets them, for bulk-created units."""
    from wenminghao.orgs.models import Unit

    for unit in units:
        parent_path = parent.path if parent else "/"
        unit.path = f"{parent_path}{unit.pk}/"
        unit.depth = parent_path.count("/") - 1
    Unit.objects.bulk_update(units, ["path", "depth"])


def make_units(parent, rows: list[tuple[str, str, str]], first: int = 0) -> list:
    """Children of ``parent`` (None: a root) from (name, short name, kind) rows, in bulk, placed in the tree; their
    sort order counts from ``first``."""
    from wenminghao.orgs.models import Unit

    units = Unit.objects.bulk_create([Unit(parent=parent, name=name, short_name=short, kind=kind, sort_order=index)
                                      for index, (name, short, kind) in enumerate(rows, first)])
    place(units, parent)
    return units


def make_province(parent=None, name: str = "山东省团委", short: str = "团省委", cities: list[str] = CITIES):
    """A province office, its cities and the 61 district or industry units of each: (province, cities, leaves)."""
    from wenminghao.orgs.enums import UnitKind

    province = make_units(parent, [(name, short, UnitKind.PROVINCE)])[0]
    cities = make_units(province, [(f"{city}市团委", city, UnitKind.CITY) for city in cities])
    leaves = []
    for city in cities:
        leaves += make_units(city, [
            (f"{city.short_name}第{n}区团委" if n <= 20 else f"{city.short_name}市直第{n - 20}系统团委",
             f"{city.short_name}{n}", UnitKind.AREA if n <= 20 else UnitKind.INDUSTRY)
            for n in range(1, UNITS_PER_CITY + 1)
        ], first=1)
    return province, cities, leaves


def make_collectives(leaves: list, count: int = COLLECTIVES) -> list:
    """``count`` collectives spread evenly over ``leaves``, 10 to 30 members each (20 on average), a district or
    city honour on every second one."""
    from wenminghao.collectives.models import Collective, Honour, Member

    collectives = Collective.objects.bulk_create(
        [
            Collective(
                unit=leaves[i % len(leaves)],
                name=f"第{i + 1}号{FORMS[i % 5][0]}",
                host_org=f"{leaves[i % len(leaves)].short_name}示范单位{i // len(leaves) + 1}",
                sector=FORMS[i % 5][2],
                org_type=ORG_TYPES[i % 4],
                unit_form=FORMS[i % 5][1],
                contact_name=SURNAMES[i % len(SURNAMES)] + GIVEN[i % len(GIVEN)],
                contact_phone=f"139{i:08d}",
                public_commitment="立足岗位、文明规范、优质高效。",
                supervision_phone=f"0631-{5000000 + i}",
            )
            for i in range(count)
        ],
        batch_size=2000,
    )
    members = []
    for i, collective in enumerate(collectives):
        for m in range(10 + i % 21):  # 10 to 30 members, 20 on average
            members.append(Member(
                collective=collective,
                name=SURNAMES[(i + m) % len(SURNAMES)] + GIVEN[(i * 3 + m) % len(GIVEN)],
                birth_date=datetime.date(1975 + (i + m * 7) % 28, 1 + m % 12, 1 + (i + m) % 28),
                post="岗位",
                is_leader=m == 0,
            ))
        if len(members) >= 20_000:
            Member.objects.bulk_create(members, batch_size=5000)
            members = []
    Member.objects.bulk_create(members, batch_size=5000)
    Honour.objects.bulk_create(
        [Honour(collective=c, level="district" if i % 4 else "city", year=2010 + i % 8,
                title=f"{2010 + i % 8}年度青年文明号") for i, c in enumerate(collectives) if i % 2 == 0],
        batch_size=5000,
    )
    return collectives


def make_accounts(places: dict) -> dict:
    """One admin (no usable password) per {key: unit}: a city admin at an office, a unit admin below."""
    from wenminghao.accounts.models import User
    from wenminghao.core.roles import Role
    from wenminghao.orgs.enums import OFFICE_KINDS

    users = {}
    for key, unit in places.items():
        users[key] = User(username=f"bench_{key}", unit=unit,
                          role=Role.CITY_ADMIN if unit.kind in OFFICE_KINDS else Role.UNIT_ADMIN)
        users[key].set_unusable_password()
        users[key].save()
    return users


def make_campaign(office, level: str, collectives: list, filed_by):
    """A campaign of ``office`` this year, with a filing from every other collective: pending, accepted and returned
    in turn (half of them pending or accepted)."""
    from django.utils import timezone

    from wenminghao.campaigns.enums import FilingStatus
    from wenminghao.campaigns.models import Campaign, CreationFiling

    now = timezone.now()
    names = {"province": "省级", "national": "全国", "city": "市级"}
    campaign = Campaign.objects.create(
        office=office, name=f"{now.year}年度{names.get(level, '')}青年文明号创建", level=level, year=now.year,
        filing_deadline=now + datetime.timedelta(days=60), deadline=now + datetime.timedelta(days=90),
        reference_date=(now + datetime.timedelta(days=90)).date(),
    )
    statuses = [FilingStatus.PENDING, FilingStatus.ACCEPTED, FilingStatus.PENDING, FilingStatus.RETURNED]
    CreationFiling.objects.bulk_create(
        [CreationFiling(campaign=campaign, collective=c, status=statuses[i % 4], is_former=i % 8 == 0,
                        filed_by=filed_by, comment="请补充材料。" if i % 4 == 3 else "")
         for i, c in enumerate(collectives) if i % 2 == 1],
        batch_size=5000,
    )
    return campaign


def build(stats: dict) -> dict:
    """Fill the empty database; returns the three accounts to sign in as."""
    from django.core.management import call_command
    from django.db import transaction

    from wenminghao.campaigns.models import CreationFiling
    from wenminghao.collectives.models import Collective, Honour, Member
    from wenminghao.orgs.models import Unit

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)

    with transaction.atomic():
        province, cities, leaves = make_province()
        collectives = make_collectives(leaves)
        weihai = CITIES.index("威海")
        users = make_accounts({"province": province, "city": cities[weihai],
                               "unit": leaves[weihai * UNITS_PER_CITY]})
        make_campaign(province, "province", collectives, users["province"])

    stats.update(
        units=Unit.objects.count(),
        collectives=Collective.objects.count(),
        members=Member.objects.count(),
        honours=Honour.objects.count(),
        filings=CreationFiling.objects.count(),
        build_seconds=round(time.perf_counter() - started, 1),
    )
    return users


def measure(users: dict) -> list[dict]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from wenminghao.accounts.services import issue_api_token
    from wenminghao.collectives.models import Collective

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    pages = [
        ("collectives list, page 1", "/collectives/", {}),
        ("collectives list, search 车间 + sector", "/collectives/", {"q": "车间", "sector": "production"}),
        ("collectives export .xlsx", "/collectives/export/", {}),
        ("filings list", "/campaigns/filings/", {}),
        ("API GET /api/v1/collectives", "/api/v1/collectives", {}),
        ("API GET /api/v1/collectives?page_size=500", "/api/v1/collectives", {"page_size": 500}),
        ("unit tree", "/units/", {}),
    ]
    results = []
    for who, user in users.items():
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user, backend="wenminghao.accounts.backends.UsernameOrMobileBackend")
        bearer = {"Authorization": f"Bearer {issue_api_token(user=user)}"}
        visible = Collective.objects.filter(unit__path__startswith=user.unit.path).count()

        def fetch(url, params, client=client, bearer=bearer):
            headers = bearer if url.startswith("/api/") else {}
            response = client.get(url, params, headers=headers)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            if response.status_code != 200:
                raise SystemExit(f"{url} {params} answered {response.status_code}: {body[:300]!r}")
            return response, body

        for label, url, params in pages:
            try:
                fetch(url, params)  # warm-up: templates compiled, caches filled
            except Exception as error:  # a failing page is a finding: report it and measure the rest
                results.append({"who": who, "visible": visible, "what": label, "median_ms": None, "queries": None,
                                "slowest_sql_ms": None, "note": f"FAILS: {type(error).__name__}: {error}"})
                print(f"  {who:9} {label:44} FAILS {error!r}", file=sys.stderr, flush=True)
                continue
            times = []
            for _ in range(RUNS):
                started = time.perf_counter()
                response, body = fetch(url, params)
                times.append(time.perf_counter() - started)
            with CaptureQueriesContext(connection) as captured:
                response, body = fetch(url, params)
            extra = ""
            if url.startswith("/api/"):
                data = json.loads(body)
                extra = f"{len(data['items'])} of {data['count']:,} items"
            elif "export" in url:
                extra = f"{len(body) // 1024} KiB"
            results.append({
                "who": who, "visible": visible, "what": label, "median_ms": round(statistics.median(times) * 1000),
                "queries": len(captured.captured_queries), "note": extra,
                "slowest_sql_ms": round(max((float(q["time"]) for q in captured.captured_queries), default=0) * 1000),
            })
            print(f"  {who:9} {label:44} {results[-1]['median_ms']:>7} ms {results[-1]['queries']:>4} queries "
                  f"{extra}", file=sys.stderr, flush=True)
    return results


def child(backend: str) -> None:
    data_dir = tempfile.mkdtemp(prefix="wmh-bench-")
    try:
        setup_django(backend, data_dir)
        from django.db import connection

        stats: dict = {"backend": backend}
        users = build(stats)
        stats["db"] = db_description(connection)
        print(f"  built {stats} ", file=sys.stderr, flush=True)
        stats["results"] = measure(users)
        connection.close()
        print(json.dumps(stats, ensure_ascii=False))
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


def db_description(connection) -> str:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0].split()[0]} (psycopg 3, same machine, TCP)"
    import sqlite3

    return f"SQLite {sqlite3.sqlite_version} (WAL, temp directory)"


# --- the parent process: one child per database, then the table --------------------------------------

def postgres_admin(url: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(statement)


def run_child(backend: str) -> dict:
    print(f"[{backend}] building and measuring …", file=sys.stderr, flush=True)
    started = time.perf_counter()
    out = subprocess.run(
        [sys.executable, __file__, "--child", backend], check=True, stdout=subprocess.PIPE, text=True,
    )
    stats = json.loads(out.stdout.strip().splitlines()[-1])
    stats["total_seconds"] = round(time.perf_counter() - started)
    return stats


def table(stats: dict) -> str:
    lines = [
        f"**{stats['db']}** — {stats['units']:,} units, {stats['collectives']:,} collectives, "
        f"{stats['members']:,} members, {stats['honours']:,} honours, {stats['filings']:,} filings "
        f"(built in {stats['build_seconds']} s).",
        "",
        "| signed in as (collectives visible) | request | median of 5 | SQL queries | slowest query | note |",
        "|---|---|---:|---:|---:|---|",
    ]
    names = {"province": "province office admin", "city": "city admin (威海)", "unit": "unit admin (威海第1区)"}
    for row in stats["results"]:
        if row["median_ms"] is None:
            lines.append(f"| {names[row['who']]} ({row['visible']:,}) | {row['what']} | — | — | — | {row['note']} |")
            continue
        lines.append(
            f"| {names[row['who']]} ({row['visible']:,}) | {row['what']} | {row['median_ms']:,} ms | "
            f"{row['queries']} | {row['slowest_sql_ms']:,} ms | {row['note']} |"
        )
    return "\n".join(lines)


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
        f"{platform.python_version()}, with `bench/scale_lists.py`: the Django test client in one process (no web "
        f"server, no network), so the times are the application's own (view, queries, template or file), "
        f"median of {RUNS} runs after one warm-up; the query count is of one further run "
        "(it includes the session and the account lookups every request makes).",
        "",
        "The data: a province office (山东省团委) with 16 cities and 61 district or industry units under each "
        f"(993 units), {COLLECTIVES:,} collectives spread evenly over the 976 lowest units, 10–30 members each, "
        "a district or city honour on every second collective, and one province campaign with a filing from "
        "every other collective (pending, accepted and returned). The three accounts see: the province office "
        "all of it, the city admin one city (62 units), the unit admin one district.",
        "",
        *[table(stats) + "\n" for stats in all_stats],
        "Rerun (about a minute; SQLite in a temporary directory, and PostgreSQL when `DATABASE_URL` is set — "
        f"the script creates and then drops a separate database `{BENCH_DB}` on that server):",
        "",
        "```sh",
        ".venv/bin/python bench/scale_lists.py",
        "DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/scale_lists.py",
        "```",
        "",
    ])
    write_section(SECTION, section, DOC)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--child", choices=["sqlite", "postgres"], help=argparse.SUPPRESS)
    parser.add_argument("--no-doc", action="store_true", help="print the tables only; leave docs/benchmarks.md")
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return

    started = time.perf_counter()
    all_stats = [run_child("sqlite")]
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        if urlsplit(url).path.lstrip("/") == BENCH_DB:
            raise SystemExit(f"DATABASE_URL should name another database than {BENCH_DB}: the script creates "
                             f"and drops {BENCH_DB} itself.")
        postgres_admin(url, f'DROP DATABASE IF EXISTS "{BENCH_DB}"')
        postgres_admin(url, f'CREATE DATABASE "{BENCH_DB}"')
        try:
            all_stats.append(run_child("postgres"))
        finally:
            postgres_admin(url, f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
    for stats in all_stats:
        print()
        print(table(stats))
        print(f"\n({stats['backend']}: {stats['total_seconds']} s in all)")
    if not args.no_doc:
        write_doc(all_stats)
        print(f"\nwritten to {DOC.relative_to(ROOT)}")
    print(f"total {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
