"""Norms, stories and joint projects (issue 15) at province scale: how the execution norms' overview and chain, the
stories' list, API and public showcase, and the joint projects' list, API, page, ledger card and picker behave with
a province's data.

Run by hand (not by pytest):

    .venv/bin/python bench/exchange_scale.py              # SQLite in a throwaway data directory
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/exchange_scale.py
                                                          # SQLite, then PostgreSQL too

It builds, in a throwaway database, the province of ``bench/scale_lists.py`` (one province office, 16 cities of 61
district or industry units, 10,000 collectives of 10–30 members), plus a street committee (街道团工委) under 威海第1区
with 10 collectives, so that a leader there has a chain of four units, a campaign of the province and one of each
city. Then, in bulk (bulk_create): execution norms for half of the ~1,000 units (1–3 versions each, some pending),
10,000 stories in every status across the province's collectives (about 500 promoted, with photos) and 5,000 joint
projects of 2–5 partners each within a city, with progress entries, photos and 互学互访 visits.

The data is added in two halves. After the first half every request is fetched once to count its SQL queries; after
the second the Django test client, signed in as a province office admin, a city admin (威海), a unit admin
(威海第1区) and a collective's leader (under 环翠街道), and anonymously for the public showcase, fetches each page:
the median wall time of 5 runs after one warm-up and the SQL queries of one further run (CaptureQueriesContext: how
many, the slowest). A query count that differs between the halves grows with the data.

SQLite lives in a temporary WMH_DATA_DIR that is removed afterwards. For PostgreSQL the server of DATABASE_URL gets
a separate database, ``wmh_bench_exchange`` (or WMH_EXCHANGE_BENCH_DB), created at the start and dropped at the end;
the database named in DATABASE_URL itself is only used to connect and is never written to or dropped.
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
from urllib.parse import urlsplit

import ledger_scale  # bench/ledger_scale.py: setup_django with a database name
import scale_lists  # bench/scale_lists.py: the tree, collectives, accounts and campaign builders
from benchdoc import write_section

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"
SECTION = "## Norms, stories and joint projects at province scale (issue 15)"
RUNS = 5
BENCH_DB = os.environ.get("WMH_EXCHANGE_BENCH_DB", "wmh_bench_exchange")
STORIES = 10_000
PROJECTS = 5_000
HALVES = 2
SUB_COLLECTIVES = 10
# Titles cycle through these topics: the stories' search looks for "志愿", the projects' for "社区" (one in eight).
TOPICS = ["便民窗口延时服务", "志愿服务进社区", "青年大学习领学", "助千家结对帮扶", "开放周走进车间", "对标创优提效率",
          "首问负责制落地", "夜间值守暖心服务"]
# 20 stories in turn: 1 promoted (5%), 4 drafts, 7 submitted, 5 forwarded to the city, 3 returned.
STATUS_CYCLE = (["promoted"] + ["draft"] * 4 + ["submitted"] * 7 + ["forwarded"] * 5 + ["returned"] * 3)
ACTIVITIES = ["", "benchmark", "study", "families", "open_week"]
PARAGRAPH = ("围绕群众反映集中的问题，岗位青年梳理服务流程，推出预约办、延时办、上门办等举措，"
             "每周复盘一次，把好的做法固化为岗位规范，群众满意率明显提升。")
NAMES = {"province": "province office admin (山东)", "city": "city admin (威海)", "unit": "unit admin (威海第1区)",
         "leader": "collective leader (环翠街道)", "anonymous": "anonymous"}


# --- the child process: build one database, measure it -----------------------------------------------------

def city_index(collective, city_ids: dict) -> int:
    return city_ids[collective.unit.parent_id if collective.unit.parent_id in city_ids
                    else collective.unit.parent.parent_id]


def build_tree(stats: dict) -> dict:
    """The province, its collectives, the street committee under 威海第1区 and its collectives, the accounts and
    the campaigns. Returns the world the halves are added to."""
    from django.core.management import call_command
    from django.db import transaction

    from wenminghao.accounts.models import User
    from wenminghao.core.roles import Role
    from wenminghao.orgs.enums import UnitKind

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    with transaction.atomic():
        province, cities, leaves = scale_lists.make_province()
        collectives = scale_lists.make_collectives(leaves)
        weihai = scale_lists.CITIES.index("威海")
        district = leaves[weihai * scale_lists.UNITS_PER_CITY]
        street = scale_lists.make_units(district, [("环翠街道团工委", "环翠街道", UnitKind.AREA)])[0]
        street.parent = district
        street_collectives = scale_lists.make_collectives([street], SUB_COLLECTIVES)
        for collective in street_collectives:
            collective.unit = street
        users = scale_lists.make_accounts({"province": province, "city": cities[weihai], "unit": district})
        leader = User(username="bench_leader", role=Role.COLLECTIVE, collective=street_collectives[0])
        leader.set_unusable_password()
        leader.save()
        users["leader"] = leader
        scale_lists.make_campaign(province, "province", [], users["province"])
        city_campaigns = [scale_lists.make_campaign(city, "city", [], users["province"]) for city in cities]
    stats["tree_seconds"] = round(time.perf_counter() - started, 1)
    city_ids = {city.pk: index for index, city in enumerate(cities)}
    everyone = collectives + street_collectives
    by_city: list[list] = [[] for _ in cities]
    for collective in everyone:
        by_city[city_index(collective, city_ids)].append(collective)
    chain = [province, cities[weihai], district, street]
    units = [province, *cities, *leaves, street]
    return {"users": users, "units": units, "chain": chain, "leaves": leaves, "cities": cities, "weihai": weihai,
            "collectives": everyone, "by_city": by_city, "city_ids": city_ids, "leader_collective": leader.collective,
            "city_campaigns": city_campaigns, "measured_project": None}


def add_norms(world: dict, half: int) -> None:
    """Half of the units have norms at the end (a quarter after each half), 1–3 versions each, the newest of one in
    ten still pending; the four units of the leader's chain get one version in the first half and two more (the
    city's newest pending) in the second."""
    from django.utils import timezone

    from wenminghao.notices.models import Norm

    today = timezone.localdate()
    author = world["users"]["city"]
    body = "\n".join([f"第{n}条 " + PARAGRAPH for n in range(1, 13)])
    chain_ids = {unit.pk for unit in world["chain"]}
    rows = []
    for index, unit in enumerate(world["units"]):
        if unit.pk in chain_ids:
            versions = [1] if half == 0 else [2, 3]
            pending_last = half == 1 and unit.pk == world["chain"][1].pk
        elif index % 4 == 2 * half:
            versions = list(range(1, 2 + index % 3))
            pending_last = index % 10 == 0
        else:
            continue
        for version in versions:
            pending = pending_last and version == versions[-1]
            rows.append(Norm(unit=unit, version=version, title=f"{unit.short_name}青年文明号创建工作执行规范",
                             body=body, change_note="" if version == 1 else f"第{version}版：根据年度要求修订",
                             effective_on=today + datetime.timedelta(days=10) if pending
                             else today - datetime.timedelta(days=400 - 100 * version),
                             author=author))
    Norm.objects.bulk_create(rows, batch_size=2000)


def add_stories(world: dict, half: int) -> None:
    """5,000 stories a half over every collective (one in 25 a district's own), in the statuses of STATUS_CYCLE;
    the leader's collective gets one in 241. Promoted ones carry 1–3 photos, one in three of the rest one."""
    from django.utils import timezone

    from wenminghao.stories.models import Story, StoryPhoto

    now = timezone.now()
    author = world["users"]["city"]
    collectives, leaves, cities = world["collectives"], world["leaves"], world["cities"]
    text = "\n".join([PARAGRAPH] * 8)
    rows = []
    per_half = STORIES // HALVES
    for i in range(half * per_half, (half + 1) * per_half):
        status = STATUS_CYCLE[i % len(STATUS_CYCLE)]
        if i % 241 == 7:  # 241: its stories go through every status
            collective = world["leader_collective"]
        elif i % 25 == 3:
            collective = None
        else:
            collective = collectives[(i * 7919) % len(collectives)]
        unit = collective.unit if collective else leaves[(i * 31) % len(leaves)]
        office = cities[world["city_ids"][unit.parent_id] if unit.parent_id in world["city_ids"]
                        else world["city_ids"][unit.parent.parent_id]]
        if collective is None and status == "submitted":
            status = "forwarded"  # a district's own goes straight to its city office
        reached = {"draft": None, "submitted": unit, "returned": unit if collective else office}.get(status, office)
        kind = "story" if i % 3 == 0 else "practice"
        rows.append(Story(
            kind=kind, title=f"{TOPICS[i % len(TOPICS)]}的{'典型事迹' if kind == 'story' else '好做法'}（{i + 1}）",
            text=text, activity=ACTIVITIES[i % len(ACTIVITIES)], collective=collective, unit=unit,
            unit_path=unit.path, office=office, reached=reached, reached_path=reached.path if reached else "",
            status=status, return_reason="请补充做法的成效数据。" if status == "returned" else "", author=author,
            created_at=now - datetime.timedelta(hours=i), submitted_at=None if status == "draft" else now,
            promoted_at=now - datetime.timedelta(minutes=i) if status == "promoted" else None,
        ))
    stories = Story.objects.bulk_create(rows, batch_size=2000)
    photos = []
    for i, story in enumerate(stories):
        count = 1 + i % 3 if story.status == "promoted" else int(i % 3 == 0)
        for n in range(count):
            photos.append(StoryPhoto(story=story, original=f"stories/{story.pk}-{n}.jpg",
                                     original_name=f"现场照片{n + 1}.jpg", web_copy=f"stories/web/{story.pk}-{n}.jpg",
                                     content_type="image/jpeg", size=240_000, sha256="0" * 64, width=1600,
                                     height=1200, uploaded_by=author))
    StoryPhoto.objects.bulk_create(photos, batch_size=2000)


def add_projects(world: dict, half: int) -> None:
    """2,500 projects a half, each of 2–5 collectives of one city (spread over its units), one in a hundred with the
    leader's collective (威海); progress entries (0–3 each) and a visit on one in ten. The first project of the
    leader's collective (led by it, 5 partners) is the measured one: 40 progress entries, 10 photos, 5 visits."""
    from django.utils import timezone

    from wenminghao.projects.models import ProgressEntry, ProgressPhoto, Project, ProjectPartner, ProjectVisit

    today, now = timezone.localdate(), timezone.now()
    author = world["users"]["city"]
    leader_collective = world["leader_collective"]
    per_half = PROJECTS // HALVES
    plans = []
    for i in range(half * per_half, (half + 1) * per_half):
        city = world["weihai"] if i % 100 == 9 else i % len(world["cities"])
        pool = world["by_city"][city]
        size = 5 if i == 9 else 2 + i % 4
        picked = list(dict.fromkeys(pool[(i * 13 + k * 41) % len(pool)] for k in range(size)))
        if i % 100 == 9:
            picked = [c for c in picked if c.pk != leader_collective.pk]
            picked.insert(0 if i % 200 == 9 else 1, leader_collective)
            picked = picked[:size]
        started = today - datetime.timedelta(days=i % 700)
        finished = i % 3 == 0 and i != 9
        plans.append((i, picked, Project(
            title=f"{world['cities'][city].short_name}{TOPICS[i % len(TOPICS)]}联创项目（{i + 1}）",
            kind="regional" if i % 2 else "project", lead=picked[0], owner_unit=picked[0].unit,
            campaign=world["city_campaigns"][city], goals="统一服务标准，互派骨干跟岗学习，共建共享志愿服务队伍。",
            started=started, ended=started + datetime.timedelta(days=180) if i % 2 else None,
            results="形成联创服务规范一套，开展联合服务12次。" if finished else "",
            finished_at=now if finished else None, created_by=author, created_at=now)))
    projects = Project.objects.bulk_create([project for _, _, project in plans], batch_size=2000)
    partners, entries, visits = [], [], []
    for (i, picked, _), project in zip(plans, projects, strict=True):
        partners += [ProjectPartner(project=project, collective=collective) for collective in picked]
        count = 40 if i == 9 else i % 4
        entries += [ProgressEntry(project=project, collective=picked[n % len(picked)],
                                  date=project.started + datetime.timedelta(days=n), text=PARAGRAPH, author=author)
                    for n in range(count)]
        for n in range(5 if i == 9 else int(i % 10 == 0)):
            visits.append((picked[1:], ProjectVisit(project=project, date=project.started + datetime.timedelta(days=n),
                                                    host=picked[0], topic="窗口服务标准互学", notes=PARAGRAPH,
                                                    created_by=author)))
        if i == 9:
            world["measured_project"] = project
    ProjectPartner.objects.bulk_create(partners, batch_size=5000)
    entries = ProgressEntry.objects.bulk_create(entries, batch_size=2000)
    measured = world["measured_project"]
    ProgressPhoto.objects.bulk_create(
        [ProgressPhoto(entry=entry, original=f"projects/{entry.pk}.jpg", original_name="进展照片.jpg", size=200_000,
                       sha256="0" * 64, content_type="image/jpeg", width=1600, height=1200, uploaded_by=author)
         for entry in entries if entry.project_id == measured.pk][:10])
    made = ProjectVisit.objects.bulk_create([visit for _, visit in visits], batch_size=2000)
    through = ProjectVisit.visitors.through
    through.objects.bulk_create([through(projectvisit_id=visit.pk, collective_id=collective.pk)
                                 for (visitors, _), visit in zip(visits, made, strict=True)
                                 for collective in visitors], batch_size=5000)


def add_half(world: dict, half: int) -> float:
    from django.db import connection, transaction

    started = time.perf_counter()
    with transaction.atomic():
        add_norms(world, half)
        add_stories(world, half)
        add_projects(world, half)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return round(time.perf_counter() - started, 1)


def requests_of(world: dict) -> list[tuple[str, str, str, dict]]:
    """(who, label, url, params) of every request measured."""
    from django.urls import reverse

    project = world["measured_project"]
    ledger = reverse("ledger:collective", args=[world["leader_collective"].pk])
    options = reverse("projects:collective_options")
    rows = []
    for who in ("province", "city"):
        rows += [
            (who, "norms overview, page 1", reverse("notices:norm_overview"), {}),
            (who, "norms overview, ?missing=1", reverse("notices:norm_overview"), {"missing": "1"}),
        ]
    for who in ("province", "city", "unit", "leader"):
        rows += [
            (who, "stories list, page 1", reverse("stories:list"), {}),
            (who, "stories list, status 已报送团市委", reverse("stories:list"), {"status": "forwarded"}),
            (who, "stories list, search 志愿", reverse("stories:list"), {"q": "志愿"}),
            (who, "API GET /api/v1/stories", "/api/v1/stories", {}),
        ]
    rows.insert(4, ("leader", "norms chain page (4 units)", reverse("notices:norms"), {}))
    rows += [
        ("anonymous", "/showcase/ (works + 6 stories)", reverse("public:showcase"), {}),
        ("anonymous", "/showcase/stories/, page 1", reverse("public:showcase_stories"), {}),
        ("anonymous", "/showcase/stories/, page 40", reverse("public:showcase_stories"), {"page": "40"}),
    ]
    for who in ("city", "unit", "leader"):
        rows += [
            (who, "projects list, page 1", reverse("projects:list"), {}),
            (who, "projects list, search 社区 + ongoing", reverse("projects:list"), {"q": "社区", "state": "ongoing"}),
            (who, "API GET /api/v1/projects", "/api/v1/projects", {}),
            (who, "project page (5 partners, 40 entries)", reverse("projects:detail", args=[project.pk]), {}),
            (who, "ledger:collective (联创项目 card)", ledger, {}),
            (who, "collective_options ?q=车间", options, {"field": "partners", "q": "车间"}),
            (who, "collective_options ?q=威海第3区", options, {"field": "partners", "q": "威海第3区"}),
        ]
    return rows


def clients(world: dict) -> dict:
    from django.test import Client

    from wenminghao.accounts.services import issue_api_token

    made = {"anonymous": (Client(HTTP_HOST="127.0.0.1"), {})}
    for who, user in world["users"].items():
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user, backend="wenminghao.accounts.backends.UsernameOrMobileBackend")
        made[who] = (client, {"Authorization": f"Bearer {issue_api_token(user=user)}"})
    return made


def fetch(client, headers, url, params):
    response = client.get(url, params, headers=headers if url.startswith("/api/") else {})
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if response.status_code != 200:
        raise RuntimeError(f"{url} {params} answered {response.status_code}: {body[:300]!r}")
    return body


def count_queries(world: dict) -> dict:
    """{(who, label): queries} of one run after a warm-up (after the first half)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    made, counts = clients(world), {}
    for who, label, url, params in requests_of(world):
        client, headers = made[who]
        try:
            fetch(client, headers, url, params)
            with CaptureQueriesContext(connection) as captured:
                fetch(client, headers, url, params)
            counts[f"{who}|{label}"] = len(captured.captured_queries)
        except Exception as error:  # a failing page is a finding: the full measurement reports it
            counts[f"{who}|{label}"] = None
            print(f"  {who:9} {label:44} FAILS {error}", file=sys.stderr, flush=True)
    return counts


def measure(world: dict, half_counts: dict) -> list[dict]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    made, results = clients(world), []
    for who, label, url, params in requests_of(world):
        client, headers = made[who]
        row = {"who": who, "what": label, "queries_half": half_counts.get(f"{who}|{label}")}
        try:
            fetch(client, headers, url, params)  # warm-up: templates compiled, caches filled
            times = []
            for _ in range(RUNS):
                started = time.perf_counter()
                fetch(client, headers, url, params)
                times.append(time.perf_counter() - started)
            with CaptureQueriesContext(connection) as captured:
                body = fetch(client, headers, url, params)
        except Exception as error:  # a failing page is a finding: report it and measure the rest
            row.update(median_ms=None, note=f"FAILS: {' '.join(str(error).split())[:200]}")
            results.append(row)
            print(f"  {who:9} {label:44} FAILS {error}", file=sys.stderr, flush=True)
            continue
        queries = captured.captured_queries
        slowest = max(queries, key=lambda q: float(q["time"]), default={"time": 0, "sql": ""})
        note = ""
        if url.startswith("/api/"):
            data = json.loads(body)
            note = f"{len(data['items'])} of {data['count']:,} items"
        row.update(median_ms=round(statistics.median(times) * 1000), queries=len(queries),
                   slowest_sql_ms=round(float(slowest["time"]) * 1000), slowest_sql=slowest["sql"][:1500],
                   kib=len(body) // 1024, note=note)
        results.append(row)
        print(f"  {who:9} {label:44} {row['median_ms']:>6} ms {row['queries']:>3} queries "
              f"(half: {row['queries_half']}) slowest {row['slowest_sql_ms']} ms {note}", file=sys.stderr, flush=True)
    return results


def child(backend: str) -> None:
    data_dir = tempfile.mkdtemp(prefix="wmh-exchange-bench-")
    try:
        ledger_scale.setup_django(backend, data_dir, BENCH_DB)
        from django.db import connection

        from wenminghao.collectives.models import Collective, Member
        from wenminghao.notices.models import Norm
        from wenminghao.orgs.models import Unit
        from wenminghao.projects.models import ProgressEntry, Project, ProjectPartner, ProjectVisit
        from wenminghao.stories.models import Story, StoryPhoto

        stats: dict = {"backend": backend}
        started = time.perf_counter()
        world = build_tree(stats)
        stats["first_half_seconds"] = add_half(world, 0)
        print(f"  built the tree and the first half ({time.perf_counter() - started:.0f} s); counting queries …",
              file=sys.stderr, flush=True)
        half_counts = count_queries(world)
        stats["second_half_seconds"] = add_half(world, 1)
        stats["build_seconds"] = round(stats["tree_seconds"] + stats["first_half_seconds"]
                                       + stats["second_half_seconds"], 1)
        stats.update(
            units=Unit.objects.count(), collectives=Collective.objects.count(), members=Member.objects.count(),
            norm_units=Norm.objects.values("unit").distinct().count(), norms=Norm.objects.count(),
            stories=Story.objects.count(), promoted=Story.objects.filter(status="promoted").count(),
            story_photos=StoryPhoto.objects.count(), projects=Project.objects.count(),
            partners=ProjectPartner.objects.count(), progress=ProgressEntry.objects.count(),
            visits=ProjectVisit.objects.count(),
        )
        stats["db"] = scale_lists.db_description(connection)
        print(f"  built {stats}", file=sys.stderr, flush=True)
        stats["load_before"] = os.getloadavg()
        stats["results"] = measure(world, half_counts)
        stats["load_after"] = os.getloadavg()
        connection.close()
        print(json.dumps(stats, ensure_ascii=False))
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


# --- the parent process: one child per database, then the tables ---------------------------------------------

def run_child(backend: str) -> dict:
    print(f"[{backend}] building and measuring …", file=sys.stderr, flush=True)
    started = time.perf_counter()
    out = subprocess.run([sys.executable, __file__, "--child", backend], check=True, stdout=subprocess.PIPE,
                         text=True)
    stats = json.loads(out.stdout.strip().splitlines()[-1])
    stats["total_seconds"] = round(time.perf_counter() - started)
    return stats


def table(stats: dict) -> str:
    lines = [
        f"**{stats['db']}** — {stats['units']:,} units ({stats['norm_units']:,} with {stats['norms']:,} norms "
        f"versions), {stats['collectives']:,} collectives, {stats['members']:,} members, {stats['stories']:,} stories "
        f"({stats['promoted']:,} promoted, {stats['story_photos']:,} photos), {stats['projects']:,} projects "
        f"({stats['partners']:,} partners, {stats['progress']:,} progress entries, {stats['visits']:,} visits). Built "
        f"in {stats['build_seconds']} s (tree {stats['tree_seconds']} s, halves {stats['first_half_seconds']} + "
        f"{stats['second_half_seconds']} s); load average {stats['load_before'][0]:.1f} before the measurements, "
        f"{stats['load_after'][0]:.1f} after.",
        "",
        "| signed in as | request | median of 5 | SQL queries (at half the data) | slowest query | note |",
        "|---|---|---:|---:|---:|---|",
    ]
    for row in stats["results"]:
        if row["median_ms"] is None:
            lines.append(f"| {NAMES[row['who']]} | {row['what']} | — | — | — | {row['note']} |")
            continue
        half = row["queries_half"]
        queries = f"{row['queries']}" + ("" if half == row["queries"] else f" ({half}: grows)")
        note = row["note"] or f"{row['kib']:,} KiB"
        lines.append(f"| {NAMES[row['who']]} | {row['what']} | {row['median_ms']:,} ms | {queries} | "
                     f"{row['slowest_sql_ms']:,} ms | {note} |")
    return "\n".join(lines)


def cpu_name() -> str:
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        models = [line.split(":", 1)[1].strip() for line in cpuinfo.read_text().splitlines()
                  if line.startswith("model name")]
        if models:
            return models[0]
    return platform.machine()


def write_doc(all_stats: list[dict], findings: str = "") -> None:
    section = "\n".join([
        SECTION,
        "",
        f"Measured {datetime.date.today():%Y-%m-%d} on {os.cpu_count()} cores ({cpu_name()}), Python "
        f"{platform.python_version()}, with `bench/exchange_scale.py`: the Django test client in one process (no web "
        f"server, no network), median of {RUNS} runs after one warm-up; the query count and the slowest query are of "
        "one further run (with the session and account lookups every request makes). The data is added in two "
        "halves and every request is also counted after the first: a count in brackets differs between the halves "
        "(it grows with the data). The machine's 2 cores were shared with other helpers' test runs: the figures are "
        "noisy (the load average is given).",
        "",
        "The data: the province of *Lists at province scale* (山东, 16 cities of 61 district or industry units, 10,000 "
        "collectives of 10–30 members), a street committee (环翠街道团工委) under 威海第1区 with 10 collectives, a "
        "campaign of the province and of each city. Execution norms for half of the units, 1–3 versions each (the "
        "newest of one in ten pending), and 1–3 for each of the four units of the leader's chain. 10,000 stories "
        "over the collectives (one in 25 a district's own): 5% promoted (1–3 photos each), 20% drafts, 35% "
        "submitted, 25% forwarded to the city, 15% returned; the leader's collective has 43. 5,000 joint projects "
        "of 2–5 collectives within one city (spread over its units), a third finished, 0–3 progress entries each "
        "and a 互学互访 visit on one in ten; the leader's collective is in 50 of them, and the measured project page "
        "is the one it leads (5 partners, 40 progress entries with 10 photos, 5 visits). The province office admin "
        "sees the whole province, the city admin 威海 (62 units), the unit admin 威海第1区 and its street, the "
        "leader one collective.",
        "",
        *[table(stats) + "\n" for stats in all_stats],
        "Rerun (SQLite in a temporary directory, and PostgreSQL when `DATABASE_URL` is set — the script creates and "
        f"then drops a separate database `{BENCH_DB}` on that server; the run above took "
        f"{sum(stats.get('total_seconds', 0) for stats in all_stats):,} s, building and measuring):",
        "",
        "```sh",
        ".venv/bin/python bench/exchange_scale.py",
        "DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/exchange_scale.py",
        "```",
        "",
        findings,
    ])
    write_section(SECTION, section.rstrip("\n") + "\n", DOC)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--child", choices=["sqlite", "postgres"], help=argparse.SUPPRESS)
    parser.add_argument("--sqlite-only", action="store_true", help="skip PostgreSQL even when DATABASE_URL is set")
    parser.add_argument("--postgres-only", action="store_true", help="skip SQLite")
    parser.add_argument("--no-doc", action="store_true", help="print the tables only; leave docs/benchmarks.md")
    parser.add_argument("--json", type=Path, help="also write the figures to this file (JSON)")
    parser.add_argument("--from-json", type=Path, nargs="+", help="measure nothing: write the doc from --json files")
    parser.add_argument("--findings", type=Path, help="text (markdown) to put under the tables")
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    findings = args.findings.read_text(encoding="utf-8") if args.findings else ""
    if args.from_json:
        write_doc([stats for path in args.from_json for stats in json.loads(path.read_text(encoding="utf-8"))],
                  findings)
        print(f"written to {DOC.relative_to(ROOT)}")
        return

    started = time.perf_counter()
    all_stats = [] if args.postgres_only else [run_child("sqlite")]
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")) and not args.sqlite_only:
        if urlsplit(url).path.lstrip("/") == BENCH_DB:
            raise SystemExit(f"DATABASE_URL should name another database than {BENCH_DB}: the script creates "
                             f"and drops {BENCH_DB} itself.")
        scale_lists.postgres_admin(url, f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
        scale_lists.postgres_admin(url, f'CREATE DATABASE "{BENCH_DB}"')
        try:
            all_stats.append(run_child("postgres"))
        finally:
            scale_lists.postgres_admin(url, f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
    for stats in all_stats:
        print()
        print(table(stats))
        print(f"\n({stats['backend']}: {stats['total_seconds']} s in all)")
    if args.json:
        args.json.write_text(json.dumps(all_stats, ensure_ascii=False, indent=1), encoding="utf-8")
    if not args.no_doc:
        write_doc(all_stats, findings)
        print(f"\nwritten to {DOC.relative_to(ROOT)}")
    print(f"total {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
