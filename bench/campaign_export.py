"""Campaign export with scores: time, queries and memory of the office's spreadsheet of all works of a campaign with
every judge's score (``reviews.exports.CampaignWorksExport``) for 1,000 and 15,000 works.

Run by hand (not by pytest), on an otherwise idle machine (not while a test suite runs):

    .venv/bin/python bench/campaign_export.py                    # 1,000 and 15,000 works, into docs/benchmarks.md
    .venv/bin/python bench/campaign_export.py --sizes 300 --no-doc  # a quick try, printed only
    .venv/bin/python bench/campaign_export.py --sizes 10000 --keep /tmp/data --doc /tmp/x.md  # keep the data
    .venv/bin/python bench/campaign_export.py --reuse /tmp/data/works-10000 --doc /tmp/x.md    # measure it again

For each size a throwaway data directory (WMH_DATA_DIR: SQLite) gets, in a fresh Python process, with bulk_create
for speed: a city office (威海市团委) with 50 district and industry units under it, 500 collectives (10 per unit),
one admin per unit, and a city campaign whose works are spread over the collectives in the three categories
(40 % photo, 35 % publicity, 25 % essay), mostly recommended (92 %; 4 % shortlisted, 3 % showcased, 1 % forwarded).
Every work has its unit-stage WorkDecision (推荐作品) and, past recommended, its city-stage ones. Through the
services (cheap at this size): three review rounds, one per category, each with the default rubric
(``services.DEFAULT_RUBRIC``, 4 criteria) and a panel of 7 judges. Then, bulk-created again: every work of the
round's category assigned to every judge of its panel, and every assignment scored (one Score per criterion),
except about 1 % left without any score and 2 % with one criterion missing (both shown as "未评分"); 40 % of the
scored assignments carry a comment. A small warm-up campaign (30 works, one round) sits beside it.

Bulk-created rows bypass the services that keep each round's standings (reviews.standings: each assignment's
weighted score, each work's count, mean and trimmed mean), so the build ends with ``standings.rebuild_round`` for
each round, as ``manage.py recount_round_standings`` would.

A second fresh process sets Django up, makes one warm-up export of the small campaign, then writes
``CampaignWorksExport(campaign).write`` into a file in the data directory ``--runs`` times (5), timed one by one
(the median is reported; peak RSS: the process's highest resident memory, ru_maxrss, minus its resident memory
just before the first); once more under CaptureQueriesContext (the number of SQL queries and their own time); and
once under tracemalloc (the Python heap peak; it slows the run and does not see C allocations). The file is read
back with openpyxl (read_only): rows, columns and "未评分" cells are counted against what was built. Then the parts
of the export that read the database are timed on their own (``round_columns``: the panels, the assignments with
their kept scores and the entries of every round; ``last_decisions``; ``campaign_works``). Each data directory is
removed once measured, unless ``--keep`` names a folder to build it in (measured again with ``--reuse``).
"""

import argparse
import datetime
import json
import os
import platform
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path

from benchdoc import write_section  # bench/benchdoc.py, beside this script

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"
SECTION = "## Campaign export with scores"
SIZES = (1_000, 15_000)
UNITS = 50
COLLECTIVES_PER_UNIT = 10
JUDGES_PER_ROUND = 7
WARM_UP_WORKS = 30
MIB = 1024 * 1024

# (category, share in twentieths): 8/20 photo, 7/20 publicity, 5/20 essay
CATEGORY_SHARES = (("photo", 8), ("publicity", 7), ("essay", 5))
FORMS = {"photo": ("picture", "comic"), "publicity": ("video", "animation", "h5"), "essay": ("essay",)}
ROUND_NAMES = {"photo": "图片作品集中评议", "publicity": "宣传作品集中评议", "essay": "征文集中评议"}
TITLES = {"photo": "改革开放青观察：海岸线上的青春与担当", "publicity": "新时代青年说：窗口里的微笑服务",
          "essay": "品牌建设青之见：以文明号引领岗位建功"}
COMMENTS = ("主题鲜明，构图完整，建议加强细节表现。", "立意新颖，叙事流畅，具有较好的示范推广价值。",
            "内容充实，但表现手法略显单一。", "贴近岗位实际，感染力强。")
UNIT_FORMS = (("服务窗口", "window", "service"), ("生产车间", "workshop", "production"),
              ("检修班组", "team", "production"), ("综合服务站", "station", "service"),
              ("研发科室", "section", "research"))
ORG_TYPES = ("state_enterprise", "public_institution", "non_public", "social")
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
GIVEN = ("伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "霞")


def setup_django(data_dir: Path, *, migrate: bool) -> None:
    os.environ["WMH_DATA_DIR"] = str(data_dir)
    os.environ["WMH_TESTING"] = "1"  # plain settings: no HTTPS redirect, no static manifest needed
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("WMH_STORAGE", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "wenminghao.settings"
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    if migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)


def rss_kib() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def person(i: int) -> str:
    return SURNAMES[i % len(SURNAMES)] + GIVEN[(i * 7) % len(GIVEN)]


# --- the data (first child process) --------------------------------------------------------------------------------


def build_world() -> dict:
    """The city office, its units and collectives, the office admin, the unit admins and the collective leaders."""
    from wenminghao.accounts.models import User
    from wenminghao.collectives.models import Collective
    from wenminghao.core.roles import Role
    from wenminghao.orgs.enums import UnitKind
    from wenminghao.orgs.services import create_unit

    office = create_unit(actor=None, parent=None, name="威海市团委", kind=UnitKind.CITY)
    units = [
        create_unit(actor=None, parent=office, kind=UnitKind.AREA if n <= 20 else UnitKind.INDUSTRY,
                    name=f"威海第{n}区团委" if n <= 20 else f"威海市直第{n - 20}系统团委")
        for n in range(1, UNITS + 1)
    ]
    admin = User(username="bench_office", role=Role.CITY_ADMIN, unit=office, display_name="刘管理")
    unit_admins = [User(username=f"bench_unit_{i}", role=Role.UNIT_ADMIN, unit=unit, display_name=person(i))
                   for i, unit in enumerate(units)]
    for user in [admin, *unit_admins]:
        user.set_unusable_password()
    admin.save()
    unit_admins = User.objects.bulk_create(unit_admins)
    collectives = Collective.objects.bulk_create([
        Collective(
            unit=units[i % UNITS], name=f"第{i + 1}号{UNIT_FORMS[i % 5][0]}",
            host_org=f"{units[i % UNITS].name}示范单位{i // UNITS + 1}", sector=UNIT_FORMS[i % 5][2],
            org_type=ORG_TYPES[i % 4], unit_form=UNIT_FORMS[i % 5][1], contact_name=person(i),
            contact_phone=f"139{i:08d}",
        )
        for i in range(UNITS * COLLECTIVES_PER_UNIT)
    ])
    leaders = [User(username=f"bench_leader_{i}", role=Role.COLLECTIVE, collective=collective,
                    display_name=person(i + 3)) for i, collective in enumerate(collectives)]
    for user in leaders:
        user.set_unusable_password()
    leaders = User.objects.bulk_create(leaders)
    return {"office": office, "admin": admin, "unit_admins": {u.unit_id: u for u in unit_admins},
            "collectives": collectives, "leaders": leaders}


def build_campaign(world: dict, n: int, *, name: str, categories=("photo", "publicity", "essay"),
                   seed: int = 20261128) -> dict:
    """A campaign of ``n`` works with decisions, three rounds (or one per ``categories``) and every score."""
    from django.utils import timezone

    from wenminghao.accounts.models import User
    from wenminghao.campaigns.models import Campaign
    from wenminghao.core.roles import Role
    from wenminghao.reviews import services, standings
    from wenminghao.reviews.models import Assignment, Criterion, Score
    from wenminghao.works.models import Work, WorkDecision

    rng = random.Random(seed)
    now = timezone.now()
    office, admin = world["office"], world["admin"]
    collectives, leaders = world["collectives"], world["leaders"]
    campaign = Campaign.objects.create(
        office=office, name=name, level="city", year=2026, filing_deadline=now - datetime.timedelta(days=60),
        deadline=now - datetime.timedelta(days=10), reference_date=datetime.date(2026, 8, 20),
    )
    share_of = [category for category, share in CATEGORY_SHARES if category in categories for _ in range(share)]
    ranks: dict[int, int] = {}
    works = []
    for i in range(n):
        category = share_of[i % len(share_of)]
        collective = collectives[i % len(collectives)]
        roll = rng.random()
        status = ("recommended" if roll < 0.92 else "shortlisted" if roll < 0.96 else "showcased" if roll < 0.99
                  else "forwarded")
        ranks[collective.unit_id] = ranks.get(collective.unit_id, 0) + 1
        works.append(Work(
            campaign=campaign, collective=collective, category=category,
            display_form=FORMS[category][i % len(FORMS[category])], title=f"{TITLES[category]}（第{i + 1}号）",
            contact_name=person(i), contact_phone=f"138{i:08d}", status=status, created_by=leaders[i % len(leaders)],
            submitted_at=now - datetime.timedelta(days=12, minutes=i), unit_rank=ranks[collective.unit_id],
        ))
    works = Work.objects.bulk_create(works, batch_size=2000)

    decisions = []
    city_steps = {"shortlisted": [("recommended", "shortlisted")], "showcased": [("recommended", "showcased")],
                  "forwarded": [("recommended", "showcased"), ("showcased", "forwarded")]}
    for i, work in enumerate(works):
        decisions.append(WorkDecision(work=work, stage="unit", from_status="submitted", to_status="recommended",
                                      actor=world["unit_admins"][work.collective.unit_id],
                                      comment="同意推荐。" if i % 3 == 0 else ""))
        for from_status, to_status in city_steps.get(work.status, ()):
            decisions.append(WorkDecision(work=work, stage="city", from_status=from_status, to_status=to_status,
                                          actor=admin, comment="经集中评议，同意。"))
    WorkDecision.objects.bulk_create(decisions, batch_size=5000)

    rubric = [{"name": name_, "weight": weight, "max_score": maximum}
              for name_, weight, maximum in services.DEFAULT_RUBRIC]
    stats = {"campaign": campaign.pk, "works": n, "decisions": len(decisions), "rounds": 0, "judges": 0,
             "assignments": 0, "scores": 0, "not_scored": 0, "no_score": 0, "partly_scored": 0, "comments": 0}
    for category in categories:
        round_ = services.create_round(actor=admin, campaign=campaign, category=category,
                                       name=ROUND_NAMES[category])
        services.set_rubric(actor=admin, round_=round_, criteria=rubric)
        first = User.objects.filter(role=Role.JUDGE).count()
        panel = [User(username=f"bench_judge_{first + j + 1}", role=Role.JUDGE, unit=office,
                      display_name=person(first + j + 11)) for j in range(JUDGES_PER_ROUND)]
        for user in panel:
            user.set_unusable_password()
        panel = User.objects.bulk_create(panel)
        services.set_judges(actor=admin, round_=round_, judges=panel)
        criteria = list(Criterion.objects.filter(round=round_).order_by("position", "id"))
        assignments, plans = [], []
        for work in works:
            if work.category != category:
                continue
            for judge in panel:
                roll = rng.random()
                plan = 0 if roll < 0.01 else len(criteria) - 1 if roll < 0.03 else len(criteria)
                comment = rng.choice(COMMENTS) if plan == len(criteria) and rng.random() < 0.4 else ""
                assignments.append(Assignment(round=round_, work=work, judge=judge, comment=comment,
                                              scored_at=now if plan else None))
                plans.append(plan)
                stats["no_score"] += plan == 0
                stats["partly_scored"] += 0 < plan < len(criteria)
                stats["comments"] += bool(comment)
        assignments = Assignment.objects.bulk_create(assignments, batch_size=5000)
        scores = []
        for assignment, plan in zip(assignments, plans, strict=True):
            for criterion in criteria[:plan]:
                scores.append(Score(assignment=assignment, criterion=criterion,
                                    value=Decimal(rng.randint(50, 100)) / 10))
            if len(scores) >= 50_000:
                Score.objects.bulk_create(scores, batch_size=5000)
                stats["scores"] += len(scores)
                scores = []
        Score.objects.bulk_create(scores, batch_size=5000)
        stats["scores"] += len(scores)
        standings.rebuild_round(round_)  # bulk_create bypasses the services that keep the standings
        stats["rounds"] += 1
        stats["judges"] += len(panel)
        stats["assignments"] += len(assignments)
    stats["not_scored"] = stats["no_score"] + stats["partly_scored"]
    return stats


def build(data_dir: Path, n: int) -> dict:
    setup_django(data_dir, migrate=True)
    from django.db import connection, transaction

    started = time.perf_counter()
    with transaction.atomic():
        world = build_world()
        warm_up = build_campaign(world, WARM_UP_WORKS, name="预热用创建活动", categories=("photo",), seed=1)
        stats = build_campaign(world, n, name="2026年度威海市青年文明号创建")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        cursor.execute("ANALYZE")
    stats.update(warm_up_campaign=warm_up["campaign"], build_seconds=time.perf_counter() - started,
                 units=UNITS, collectives=len(world["collectives"]))
    return stats


# --- the measurement (second child process) ------------------------------------------------------------------------


def measure(data_dir: Path, built: dict, runs: int = 5) -> dict:
    setup_django(data_dir, migrate=False)
    import openpyxl
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from wenminghao.campaigns.models import Campaign
    from wenminghao.reviews import exports

    def campaign_with_office(pk):  # as the view reads it (campaigns_visible_to(...).select_related("office"))
        return Campaign.objects.select_related("office").get(pk=pk)

    target = data_dir / "export.xlsx"

    def export(campaign) -> float:
        started = time.perf_counter()
        with open(target, "wb") as stream:
            exports.CampaignWorksExport(campaign).write(stream)
        return time.perf_counter() - started

    warm_up = campaign_with_office(built["warm_up_campaign"])
    export(warm_up)  # imports, query compilation, openpyxl's first workbook
    rss_before = rss_kib()
    times = [export(campaign_with_office(built["campaign"])) for _ in range(runs)]
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before  # KiB on Linux
    size = target.stat().st_size

    campaign = campaign_with_office(built["campaign"])
    with CaptureQueriesContext(connection) as captured:
        export(campaign)
    queries = len(captured.captured_queries)
    sql_seconds = sum(float(query["time"]) for query in captured.captured_queries)

    campaign = campaign_with_office(built["campaign"])
    tracemalloc.start()
    traced_seconds = export(campaign)
    heap_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()

    started = time.perf_counter()
    book = openpyxl.load_workbook(target, read_only=True)
    sheet = book[exports.SHEET_TITLE]
    rows, columns, not_scored, ids = 0, 0, 0, set()
    for row in sheet.iter_rows(values_only=True):
        rows += 1
        columns = max(columns, len(row))
        if rows > 1:
            ids.add(row[0])
            not_scored += sum(1 for value in row if value == exports.NOT_SCORED)
    book.close()
    read_seconds = time.perf_counter() - started
    target.unlink()

    # the parts that read the database, on their own: time (median of 3), then the Python heap they hold once built
    campaign = campaign_with_office(built["campaign"])
    parts = {"round_columns": lambda: exports.round_columns(campaign),
             "last_decisions": lambda: exports.last_decisions(campaign),
             "campaign_works": lambda: list(exports.campaign_works(campaign))}
    part_seconds, part_held = {}, {}
    for name, read in parts.items():
        taken = []
        for _ in range(3):
            started = time.perf_counter()
            value = read()
            taken.append(time.perf_counter() - started)
            del value
        part_seconds[name] = statistics.median(taken)
        tracemalloc.start()
        value = read()
        part_held[name] = tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
        del value
    return {
        **built, "seconds": statistics.median(times), "fastest": min(times), "slowest": max(times), "runs": runs,
        "traced_seconds": traced_seconds, "queries": queries, "sql_execute_seconds": sql_seconds,
        "rss_before_kib": rss_before, "peak_rss_kib": max(peak_rss, 0), "load": os.getloadavg()[0],
        "heap_peak": heap_peak, "size": size, "rows": rows, "columns": columns, "not_scored_cells": not_scored,
        "rows_ok": rows == built["works"] + 1 and len(ids) == built["works"],
        "not_scored_ok": not_scored == built["not_scored"], "read_seconds": read_seconds,
        "part_seconds": part_seconds, "part_held": part_held,
    }


# --- the report ----------------------------------------------------------------------------------------------------


def part(result: dict, name: str) -> str:
    return f"{result['part_seconds'][name]:,.2f} s ({result['part_held'][name] / MIB:,.0f} MiB)"


def section(results: list[dict]) -> str:
    def row(label, fmt):
        return f"| {label} | " + " | ".join(fmt(r) for r in results) + " |"

    head = "| | " + " | ".join(f"{r['works']:,} works" for r in results) + " |"
    lines = [
        SECTION,
        "",
        f"Measured {datetime.datetime.now(datetime.UTC):%Y-%m-%d} on {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, with `bench/campaign_export.py`: `reviews.exports.CampaignWorksExport(campaign)"
        ".write` into a file on disk, as the task worker runs it, SQLite (WAL) in a throwaway data directory. The "
        f"data: a city office with {UNITS} units and {UNITS * COLLECTIVES_PER_UNIT} collectives, one campaign with the "
        "works spread over them (40 % photo, 35 % publicity, 25 % essay; 92 % recommended, the rest shortlisted, "
        "showcased or forwarded), a unit-stage decision per work (city-stage ones past recommended), three rounds "
        f"(one per category) with the default rubric (4 criteria) and {JUDGES_PER_ROUND} judges each, every work "
        "assigned to every judge of its round and scored, but for ~1 % of the assignments without any score and ~2 % "
        "with one criterion missing (\"未评分\"); the rounds' standings rebuilt from the scores. One fresh process per "
        "size, after a warm-up export of a 30-work campaign: the median of the timed runs (fastest–slowest beside it; "
        "peak RSS: the process's highest resident memory minus its memory just before), one run under "
        "CaptureQueriesContext, one under tracemalloc (Python heap peak; slower). The file is then read back with "
        "openpyxl (read_only).",
        "",
        head,
        "|---|" + "---:|" * len(results),
        row("assignments / Score rows", lambda r: f"{r['assignments']:,} / {r['scores']:,}"),
        row("sheet: rows × columns (cells)",
            lambda r: f"{r['rows']:,} × {r['columns']} ({r['rows'] * r['columns'] / 1e6:,.2f} M)"),
        row("**time (median)**", lambda r: f"**{r['seconds']:,.2f} s** of {r['runs']} "
            f"({r['fastest']:,.2f}–{r['slowest']:,.2f} s; load average {r['load']:.1f})"),
        row("SQL queries (their own time)", lambda r: f"{r['queries']} ({r['sql_execute_seconds']:,.2f} s)"),
        row("reading the rounds: panels, assignments with their kept scores, entries (memory held)",
            lambda r: part(r, "round_columns")),
        row("reading the works (`campaign_works`, values)", lambda r: part(r, "campaign_works")),
        row("reading the decisions (`last_decisions`, values)", lambda r: part(r, "last_decisions")),
        row("the rest: rows, XML text of the cells, zip (median − the three readings)",
            lambda r: f"{max(r['seconds'] - sum(r['part_seconds'].values()), 0):,.2f} s"),
        row("peak RSS growth (ru_maxrss − RSS before)",
            lambda r: f"{r['peak_rss_kib'] / 1024:,.0f} MiB (before: {r['rss_before_kib'] / 1024:,.0f} MiB)"),
        row("Python heap peak (tracemalloc; that run took)",
            lambda r: f"{r['heap_peak'] / MIB:,.0f} MiB ({r['traced_seconds']:,.1f} s)"),
        row("file size", lambda r: f"{r['size'] / MIB:,.1f} MiB"),
        row("read back (openpyxl read_only)", lambda r: (
            f"{'N+1 rows, every id once' if r['rows_ok'] else 'ROW COUNT WRONG'}; {r['not_scored_cells']:,} "
            f"\"未评分\" {'as built' if r['not_scored_ok'] else 'NOT as built'} ({r['read_seconds']:,.1f} s)")),
        row("building the data (bulk_create, standings rebuilt)", lambda r: f"{r['build_seconds']:,.0f} s"),
        "",
        reading(results),
        "",
        "Rerun (a few minutes; the temporary data directories are removed afterwards; `--keep DIR` keeps them "
        "for `--reuse DIR/works-N` and for `bench/summary_tables.py --database DIR/works-N`):",
        "",
        "```sh",
        ".venv/bin/python bench/campaign_export.py --sizes 10000",
        "```",
        "",
    ]
    return "\n".join(lines)


def reading(results: list[dict]) -> str:
    """The paragraph that reads the figures."""
    big = results[-1]
    per_1000 = big["seconds"] / big["works"] * 1000
    rest = max(big["seconds"] - sum(big["part_seconds"].values()), 0)
    same_queries = len({r["queries"] for r in results}) == 1
    return (
        f"Reading: the export makes {big['queries']} queries" + (" whatever the size" if same_queries else "")
        + " and the number of rounds, all `values_list` (no model instances): the judges' weighted scores, counts, "
        "means and trimmed means are the rounds' kept standings (reviews.standings), ranks are counted from the "
        "trimmed means. The rows are written as XML text (core.exporters.RawRows) instead of one openpyxl cell "
        f"object per value, which took half of the former 17.9 s. ~{per_1000:,.2f} s per 1,000 works; "
        f"{rest / big['seconds']:.0%} of it is building the rows, their XML and compressing the file. The task "
        f"worker holds {big['peak_rss_kib'] / 1024:,.0f} MiB more resident memory at {big['works']:,} works "
        f"({big['heap_peak'] / MIB:,.0f} MiB Python heap peak; the rows go to a temporary file as they are made)."
    )


def write_doc(text: str, doc: Path = DOC) -> None:
    """Replace this script's section of docs/benchmarks.md, or of ``doc`` (bench/benchdoc.py)."""
    write_section(SECTION, text, doc)


def child(*args: str) -> dict:
    output = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    if output.returncode:
        raise SystemExit(f"{args[0]} failed:\n{output.stderr[-3000:]}")
    return json.loads(output.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES), help="numbers of works (1000 15000)")
    parser.add_argument("--no-doc", action="store_true", help="print the figures only; leave docs/benchmarks.md")
    parser.add_argument("--doc", type=Path, default=DOC, help="the file to write the section into")
    parser.add_argument("--runs", type=int, default=5, help="timed exports per size (the median is reported)")
    parser.add_argument("--keep", type=Path, help="build the data here and keep it (works-N folders)")
    parser.add_argument("--reuse", type=Path, nargs="+", help="measure data folders kept with --keep")
    parser.add_argument("--build", nargs=2, metavar=("DATA_DIR", "WORKS"), help=argparse.SUPPRESS)
    parser.add_argument("--measure", nargs=3, metavar=("DATA_DIR", "BUILT_JSON", "RUNS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build:
        print(json.dumps(build(Path(args.build[0]), int(args.build[1]))))
        return
    if args.measure:
        print(json.dumps(measure(Path(args.measure[0]), json.loads(args.measure[1]), int(args.measure[2]))))
        return
    results = []
    if args.reuse:
        for data_dir in args.reuse:
            built = json.loads((data_dir / "built.json").read_text())
            print(f"measuring {data_dir} …", file=sys.stderr, flush=True)
            results.append(child("--measure", str(data_dir), json.dumps(built), str(args.runs)))
    else:
        root = args.keep or Path(tempfile.mkdtemp(prefix="wmh-export-bench-"))
        root.mkdir(parents=True, exist_ok=True)
        try:
            for n in args.sizes:
                data_dir = root / f"works-{n}"
                data_dir.mkdir()
                print(f"building {n:,} works …", file=sys.stderr, flush=True)
                built = child("--build", str(data_dir), str(n))
                (data_dir / "built.json").write_text(json.dumps(built))
                print(f"  {built['build_seconds']:.0f} s: {built['assignments']:,} assignments, "
                      f"{built['scores']:,} scores; measuring …", file=sys.stderr, flush=True)
                result = child("--measure", str(data_dir), json.dumps(built), str(args.runs))
                print(json.dumps(result), file=sys.stderr, flush=True)
                results.append(result)
                if not args.keep:
                    shutil.rmtree(data_dir)
        finally:
            if not args.keep:
                shutil.rmtree(root, ignore_errors=True)
                print(f"removed {root}" + (" (STILL THERE)" if root.exists() else ""), file=sys.stderr)
    text = section(results)
    print(text)
    if not args.no_doc:
        write_doc(text, args.doc)


if __name__ == "__main__":
    main()
