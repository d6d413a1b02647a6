"""Evaluation (issue 11) at province and national scale: how the dashboard of a unit's subtree, its .xlsx, the
indicators API, the ranking of the central evaluation (集中评议) and the list of titles behave with a year's data.

Run by hand (not by pytest):

    .venv/bin/python bench/evaluation_scale.py                       # province scale, SQLite (temp directory)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/evaluation_scale.py
                                                                     # province scale, SQLite then PostgreSQL
    … --scale national | both                                        # 100,000 collectives, 1,000,000 entries
    … --explain                                                      # the plan of each request's slowest query
    … --keep / --reuse                                               # keep the built database / measure it again

Province scale: the province of ``bench/scale_lists.py`` (993 units, 10,000 collectives, ~200,000 members, 5,000
honours, one province campaign), with a filing from every collective (7,500 creating: pending or accepted; 2,500
returned), then, through ``bench/ledger_scale.py``'s ``Ledger``, pairings (回头看 on half of them) and 300,000 ledger
entries of the campaign over 90% of the creating collectives (the other tenth has none: the dashboard flags them),
then the evaluation's own rows: two works per creating collective (draft, submitted, returned, recommended and
beyond, with their decisions), inspections of one collective in twenty (checks, ratings, rectifications, some
overdue), a leader training per city and one of the office (the leaders of 60% of the creating collectives
attended), exchange visits, new-and-old pairs, assessments of 60%, reminders, and titles named by the office the
year before (a term, yearly reviews, warnings, some revoked). National scale: the same shape under 团中央 —
31 provinces of 16 cities of 61 units (30,784 units), 100,000 collectives, ~2,000,000 members, a national campaign
and 1,000,000 entries.

The Django test client, signed in as the office admin at the top (the province office; at national scale also
团中央), a city admin (威海) and a unit admin (威海第1区), fetches each page for its own unit: the median wall time of
5 runs after one warm-up and the SQL queries of one further run (CaptureQueriesContext: how many, the slowest), and
``ledger.selectors.indicators`` is timed alone. A page not built yet (its URL name unknown) is reported as "not
built". Each request is bounded (60 s; PostgreSQL's statement_timeout, SQLite's interrupt()).

SQLite lives in a temporary WMH_DATA_DIR removed afterwards (with --keep: /tmp/evaluation-bench/sqlite-<scale>). For
PostgreSQL the server of DATABASE_URL gets a separate database, ``evaluation_bench`` (national scale:
``evaluation_bench_national``; or WMH_EVALUATION_BENCH_DB as the prefix), created at the start and dropped at the end
(kept with --keep); the database named in DATABASE_URL itself is only used to connect and is never written to.
The tables go to /tmp/eval/docs/benchmarks.md (or --doc PATH), as the section of docs/benchmarks.md they are for.
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
import time
from pathlib import Path
from urllib.parse import urlsplit

import ledger_scale  # bench/ledger_scale.py: the ledger's builder, the time limit, EXPLAIN
import scale_lists  # bench/scale_lists.py: the tree, collectives, accounts and campaign builders
from benchdoc import write_section

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"
SECTION = "## Evaluation at province and national scale"
STATE = Path("/tmp/evaluation-bench")  # kept databases' build figures (and SQLite's files) with --keep
BENCH_DB = os.environ.get("WMH_EVALUATION_BENCH_DB", "evaluation_bench")
RUNS = 5
SLOW_RUNS = 3
SLOW_SECONDS = 3.0
TOO_SLOW_SECONDS = 20.0
LIMIT_SECONDS = ledger_scale.LIMIT_SECONDS
SEED = 20261201
SCALES = {
    "province": {"collectives": 10_000, "entries": 300_000},
    "national": {"collectives": 100_000, "entries": 1_000_000},
}
PROVINCES = [
    "北京", "天津", "河北", "山西", "内蒙古", "辽宁", "吉林", "黑龙江", "上海", "江苏", "浙江", "安徽", "福建", "江西",
    "山东", "河南", "湖北", "湖南", "广东", "广西", "海南", "重庆", "四川", "贵州", "云南", "西藏", "陕西", "甘肃",
    "青海", "宁夏", "新疆",
]
# Works: two per creating collective, in these statuses (in turn).
WORK_STATUSES = (["draft"] * 3 + ["submitted"] * 7 + ["returned"] * 2 + ["recommended"] * 5 + ["shortlisted"] * 2
                 + ["showcased"])
WORK_CATEGORIES = (("photo", "picture"), ("publicity", "video"), ("essay", "essay"))
NAMES = {"national": "national office admin (团中央)", "province": "province office admin (山东)",
         "city": "city admin (威海)", "unit": "unit admin (威海第1区)"}


# --- the child process: build one database, measure it -----------------------------------------------------

def bench_db(scale: str) -> str:
    return BENCH_DB if scale == "province" else f"{BENCH_DB}_{scale}"


def build_tree(scale: str, stats: dict) -> tuple[dict, object]:
    """The units, collectives, members, honours, accounts and the campaign (as ``scale_lists`` builds them, then a
    filing from every collective); returns the accounts by key and the campaign."""
    from django.core.management import call_command
    from django.db import transaction

    from wenminghao.campaigns.models import Campaign
    from wenminghao.collectives.models import Collective, Member
    from wenminghao.orgs.enums import UnitKind
    from wenminghao.orgs.models import Unit

    started = time.perf_counter()
    if scale == "province":
        users = scale_lists.build(stats)
        campaign = Campaign.objects.get()
    else:
        call_command("migrate", verbosity=0, interactive=False)
        with transaction.atomic():
            root = scale_lists.make_units(None, [("共青团中央", "团中央", UnitKind.NATIONAL)])[0]
            leaves, places = [], {"national": root}
            for name in PROVINCES:
                cities = scale_lists.CITIES if name == "山东" else [f"{name}{n}" for n in range(1, 17)]
                province, city_units, province_leaves = scale_lists.make_province(root, f"共青团{name}省委", name,
                                                                                  cities)
                leaves += province_leaves
                if name == "山东":
                    weihai = scale_lists.CITIES.index("威海")
                    places.update(province=province, city=city_units[weihai],
                                  unit=province_leaves[weihai * scale_lists.UNITS_PER_CITY])
            collectives = scale_lists.make_collectives(leaves, SCALES[scale]["collectives"])
            users = scale_lists.make_accounts(places)
            campaign = scale_lists.make_campaign(root, "national", collectives, users["national"])
    file_the_rest(campaign, users[top_key(users)])
    stats.update(units=Unit.objects.count(), collectives=Collective.objects.count(), members=Member.objects.count(),
                 filings=campaign.filings.count())
    stats["tree_seconds"] = round(time.perf_counter() - started, 1)
    return users, campaign


def top_key(users: dict) -> str:
    return "national" if "national" in users else "province"


def file_the_rest(campaign, filed_by) -> None:
    """``make_campaign`` files every other collective (half of them returned); the rest file too, pending or
    accepted: three quarters of the collectives create, as a province's campaign of the year would have it."""
    from wenminghao.campaigns.enums import FilingStatus
    from wenminghao.campaigns.models import CreationFiling
    from wenminghao.collectives.models import Collective

    filed = CreationFiling.objects.filter(campaign=campaign).values("collective_id")
    rest = Collective.objects.exclude(pk__in=filed).order_by("pk").values_list("pk", flat=True)
    CreationFiling.objects.bulk_create(
        [CreationFiling(campaign=campaign, collective_id=pk, filed_by=filed_by, is_former=i % 4 == 0,
                        status=FilingStatus.ACCEPTED if i % 2 else FilingStatus.PENDING)
         for i, pk in enumerate(rest.iterator(chunk_size=10_000))],
        batch_size=5000,
    )


def creating_rows(campaign) -> list[tuple[int, int, str]]:
    """(collective id, its unit's id, the unit's path) of the campaign's creating collectives, by id."""
    from wenminghao.campaigns.models import CreationFiling
    from wenminghao.campaigns.selectors import CREATING_STATUSES

    return list(CreationFiling.objects.filter(campaign=campaign, status__in=CREATING_STATUSES)
                .order_by("collective_id")
                .values_list("collective_id", "collective__unit_id", "collective__unit__path"))


def build_ledger(campaign, users: dict, creating: list, entries: int, stats: dict) -> None:
    """Pairings and ``entries`` entries (``ledger_scale.Ledger``) over nine tenths of the creating collectives."""
    started = time.perf_counter()
    top = users[top_key(users)]
    ledger = ledger_scale.Ledger(campaign, top, top.unit)
    with_ledger = {pk for index, (pk, _, _) in enumerate(creating) if index % 10 != 9}
    ledger.collectives = [row for row in ledger.collectives if row[0] in with_ledger]
    ledger.add_pairings()
    ledger.grow_to(entries)
    stats.update(ledger_scale.ledger_stats())
    stats["ledger_collectives"] = len(with_ledger)
    stats["tally_seconds"] = ledger.tally_seconds
    stats["ledger_seconds"] = round(time.perf_counter() - started, 1)


def build_evaluation(campaign, users: dict, creating: list, stats: dict) -> None:
    """Works, inspections, trainings, exchange visits, new-and-old pairs, assessments, reminders and named titles,
    in bulk, in the shape the services would leave them."""
    from django.db import transaction
    from django.utils import timezone

    from wenminghao.campaigns.models import Campaign
    from wenminghao.collectives.models import Honour, Member
    from wenminghao.evaluation import models as ev
    from wenminghao.works.models import Work, WorkDecision

    started = time.perf_counter()
    rnd = random.Random(SEED + 1)
    top = users[top_key(users)]
    office = top.unit
    now = timezone.now()
    year = campaign.year
    first_day = datetime.date(year, 1, 1)
    days = (min(datetime.date(year, 12, 31), timezone.localdate()) - first_day).days
    ids = [pk for pk, _, _ in creating]

    def city_of(path: str) -> int:  # the lowest units' parent: a city
        return int(path.split("/")[-3])

    with transaction.atomic():
        # Works: two per creating collective, in every status, with the decisions that moved them.
        works = []
        for index, collective_id in enumerate(ids):
            for n in range(2):
                status = WORK_STATUSES[(index * 2 + n) % len(WORK_STATUSES)]
                category, form = WORK_CATEGORIES[(index + n) % 3]
                works.append(Work(campaign=campaign, collective_id=collective_id, category=category,
                                  display_form=form, title=f"第{index + 1}号集体作品{n + 1}", contact_name="王伟",
                                  contact_phone=f"138{index:08d}", status=status, created_by=top,
                                  submitted_at=None if status == "draft" else now - datetime.timedelta(days=20)))
        works = Work.objects.bulk_create(works, batch_size=5000)
        decisions = []
        for work in works:
            if work.status == "draft":
                continue
            decisions.append(WorkDecision(work=work, stage="collective", from_status="draft", to_status="submitted",
                                          actor=top))
            if work.status == "returned":
                decisions.append(WorkDecision(work=work, stage="unit", from_status="submitted", to_status="returned",
                                              actor=top, comment="请按要求修改。"))
            elif work.status != "submitted":
                decisions.append(WorkDecision(work=work, stage="unit", from_status="submitted",
                                              to_status="recommended", actor=top))
                if work.status != "recommended":
                    decisions.append(WorkDecision(work=work, stage="city", from_status="recommended",
                                                  to_status=work.status, actor=top))
        WorkDecision.objects.bulk_create(decisions, batch_size=5000)

        # Inspections of one creating collective in twenty: the four items checked, a rating, a rectification.
        ratings = ["excellent", "good", "good", "pass", "pass", "fail"]
        inspections = []
        for index, (collective_id, _, path) in enumerate(creating):
            if index % 20:
                continue
            rating = ratings[(index // 20) % len(ratings)]
            state = "none" if rating in ("excellent", "good") else rnd.choice(["asked", "answered", "accepted"])
            day = first_day + datetime.timedelta(days=rnd.randrange(days))
            inspections.append(ev.Inspection(
                campaign=campaign, collective_id=collective_id, unit_id=city_of(path), date=day,
                inspectors="李明、张华", findings="台账齐全，标识上墙，服务承诺公开。", rating=rating,
                rectification="" if state == "none" else "请补充开放周活动记录并更新监督电话。",
                rectify_by=None if state == "none" else day + datetime.timedelta(days=30), rectification_state=state,
                response="已补充。" if state in ("answered", "accepted") else "", created_by=top))
        inspections = ev.Inspection.objects.bulk_create(inspections, batch_size=5000)
        ev.InspectionCheck.objects.bulk_create(
            [ev.InspectionCheck(inspection=inspection, item=item, in_order=inspection.rating != "fail" or n % 2 == 0)
             for inspection in inspections
             for n, item in enumerate(["ledger", "sign", "commitment", "supervision_phone"])],
            batch_size=5000)

        # A leader training per city (and one of the office); the leaders of 60% of the creating collectives came.
        cities = sorted({city_of(path) for _, _, path in creating})
        sessions = {city: ev.TrainingSession(campaign=campaign, unit_id=city, date=first_day
                                             + datetime.timedelta(days=90 + city % 60), title="号长培训班",
                                             place="市青少年宫", created_by=top) for city in cities}
        sessions[office.pk] = ev.TrainingSession(campaign=campaign, unit=office, title="全省号长示范培训",
                                                 date=first_day + datetime.timedelta(days=60), created_by=top)
        ev.TrainingSession.objects.bulk_create(sessions.values(), batch_size=2000)
        leaders = dict((collective_id, (pk, name)) for pk, collective_id, name in Member.objects.filter(
            is_leader=True, collective_id__in=ids).values_list("pk", "collective_id", "name").iterator(10_000))
        ev.TrainingAttendance.objects.bulk_create(
            [ev.TrainingAttendance(session=sessions[office.pk] if index % 15 == 0 else sessions[city_of(path)],
                                   collective_id=collective_id, member_id=leaders[collective_id][0],
                                   member_name=leaders[collective_id][1])
             for index, (collective_id, _, path) in enumerate(creating) if index % 5 < 3],
            batch_size=5000)

        # Exchange visits: one creating collective in forty hosts four others of the list.
        visits, visitors = [], []
        for index in range(0, len(ids) - 5, 40):
            visits.append(ev.ExchangeVisit(campaign=campaign, unit_id=city_of(creating[index][2]), host_id=ids[index],
                                           date=first_day + datetime.timedelta(days=rnd.randrange(days)),
                                           topic="互学互访", created_by=top))
            visitors.append(ids[index + 1:index + 5])
        visits = ev.ExchangeVisit.objects.bulk_create(visits, batch_size=2000)
        through = ev.ExchangeVisit.visitors.through
        through.objects.bulk_create([through(exchangevisit_id=visit.pk, collective_id=collective_id)
                                     for visit, group in zip(visits, visitors, strict=True)
                                     for collective_id in group], batch_size=5000)

        # New-and-old pairs: a tenth of the creating collectives guided by a collective holding a title.
        titled = list(Honour.objects.order_by("collective_id").values_list("collective_id", flat=True).distinct())
        pairs = []
        for index, (collective_id, _, path) in enumerate(creating):
            if index % 10:
                continue
            mentor = titled[(index * 7) % len(titled)]
            if mentor == collective_id:
                mentor = titled[(index * 7 + 1) % len(titled)]
            pairs.append(ev.MentorPair(campaign=campaign, unit_id=city_of(path), mentor_id=mentor,
                                       mentee_id=collective_id, started=first_day + datetime.timedelta(days=45),
                                       created_by=top))
        ev.MentorPair.objects.bulk_create(pairs, batch_size=5000)

        # The central evaluation: 60% scored, a tenth of those adjusted with a reason.
        ev.AssessmentWeights.objects.create(campaign=campaign, updated_by=top)
        assessments = []
        for index, collective_id in enumerate(ids):
            if index % 5 >= 3:
                continue
            suggested = round(rnd.uniform(45, 95), 2)
            adjusted = index % 10 == 0
            assessments.append(ev.Assessment(
                campaign=campaign, collective_id=collective_id, suggested_score=suggested,
                score=min(100, round(suggested + 3, 2)) if adjusted else suggested,
                adjustment_reason="实地考察情况良好，酌情加分。" if adjusted else "", scored_by=top))
        ev.Assessment.objects.bulk_create(assessments, batch_size=5000)

        # Reminders of the office, one per activity, each to one creating collective in thirty.
        for n, activity in enumerate(["benchmark", "study", "families", "open_week"]):
            recipients = [pk for index, pk in enumerate(ids) if index % 30 == n]
            reminder = ev.Reminder.objects.create(campaign=campaign, unit=office, activity=activity,
                                                  message="请及时登记活动台账。", sent_by=top,
                                                  recipient_count=len(recipients))
            ev.ReminderRecipient.objects.bulk_create(
                [ev.ReminderRecipient(reminder=reminder, collective_id=pk) for pk in recipients], batch_size=5000)

        # Titles named by the office last year (one collective in twelve): a term, this year's review of half of
        # them, warnings, and one in twenty-five revoked.
        previous = Campaign.objects.create(
            office=office, name=f"{year - 1}年度{campaign.get_level_display()}青年文明号创建", level=campaign.level,
            year=year - 1, filing_deadline=now - datetime.timedelta(days=400),
            deadline=now - datetime.timedelta(days=370), reference_date=datetime.date(year - 1, 6, 30))
        named_ids = list(range(0, len(ids), 12))
        honours = Honour.objects.bulk_create(
            [Honour(collective_id=ids[index], level=campaign.level, year=year - 1, awarded_by=office,
                    title=f"{year - 1}年度{campaign.get_level_display()}青年文明号",
                    valid_until=datetime.date(year + 1, 12, 31),
                    revoked_at=now if k % 25 == 0 else None, revoked_by=top if k % 25 == 0 else None,
                    revoked_reason="经核实的投诉，实地考察不合格。" if k % 25 == 0 else "")
             for k, index in enumerate(named_ids)], batch_size=5000)
        ev.Naming.objects.bulk_create([ev.Naming(campaign=previous, collective_id=honour.collective_id,
                                                 honour=honour, named_by=top) for honour in honours],
                                      batch_size=5000)
        events = []
        for k, honour in enumerate(honours):
            if honour.revoked_at:
                events.append(ev.TitleEvent(honour=honour, kind="revocation", reason=honour.revoked_reason,
                                            actor=top, unit=office))
            elif k % 2 == 0:
                events.append(ev.TitleEvent(honour=honour, kind="review", year=year, result="passed",
                                            reason="年度复核通过。", actor=top, unit=office))
            elif k % 7 == 1:
                events.append(ev.TitleEvent(honour=honour, kind="warning", reason="开放周活动未按要求开展。",
                                            fix_by=datetime.date(year, 12, 31), actor=top, unit=office))
        ev.TitleEvent.objects.bulk_create(events, batch_size=5000)

    stats.update(
        works=len(works), work_decisions=len(decisions), inspections=len(inspections),
        trainings=len(sessions), trained=ev.TrainingAttendance.objects.count(), exchange_visits=len(visits),
        mentor_pairs=len(pairs), assessments=len(assessments), reminded=ev.ReminderRecipient.objects.count(),
        named=len(honours), honours=Honour.objects.count(), title_events=len(events),
        evaluation_seconds=round(time.perf_counter() - started, 1),
    )


def build(scale: str) -> dict:
    """Fill the empty database; returns the build's figures (``stats``)."""
    from django.db import connection

    stats: dict = {"scale": scale}
    users, campaign = build_tree(scale, stats)
    print(f"  tree built in {stats['tree_seconds']} s", file=sys.stderr, flush=True)
    creating = creating_rows(campaign)
    stats["creating"] = len(creating)
    build_ledger(campaign, users, creating, SCALES[scale]["entries"], stats)
    print(f"  ledger built in {stats['ledger_seconds']} s", file=sys.stderr, flush=True)
    build_evaluation(campaign, users, creating, stats)
    started = time.perf_counter()
    if connection.vendor == "postgresql":  # as autovacuum would have; SQLite gets none, as in a deployment
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    stats["analyze_seconds"] = round(time.perf_counter() - started, 1)
    stats["build_seconds"] = round(sum(stats[key] for key in ("tree_seconds", "ledger_seconds", "evaluation_seconds",
                                                              "analyze_seconds")), 1)
    print(f"  built {stats}", file=sys.stderr, flush=True)
    return stats


def accounts() -> tuple[dict, object]:
    """The accounts to sign in as (top first) and the campaign, read back from a built database."""
    from wenminghao.accounts.models import User
    from wenminghao.campaigns.models import Campaign

    users = {key: User.objects.select_related("unit").get(username=f"bench_{key}")
             for key in ("national", "province", "city", "unit") if User.objects.filter(username=f"bench_{key}")}
    campaign = Campaign.objects.filter(office=users[top_key(users)].unit).order_by("-year").first()
    return users, campaign


def page_url(name: str, *args) -> str | None:
    """The page's URL, or None while the page is not built (its URL name unknown)."""
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def requests_for(user, campaign) -> list[tuple[str, str | None, dict]]:
    unit = {"unit": user.unit_id}
    return [
        ("dashboard page", page_url("evaluation:dashboard", campaign.pk), unit),
        ("dashboard .xlsx", page_url("evaluation:dashboard_xlsx", campaign.pk), unit),
        ("API GET /units/{id}/indicators", f"/api/v1/units/{user.unit_id}/indicators", {"campaign": campaign.pk}),
        ("ranking (集中评议)", page_url("evaluation:assessments", campaign.pk), unit),
        ("titles list", page_url("evaluation:titles"), {}),
    ]


def timed(call, runs_after_warm_up: bool = True) -> tuple[float, list[float], list]:
    """(warm-up seconds, the times of the runs, the queries of one further run) of ``call()``."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as warm_queries:
        started = time.perf_counter()
        call()
        warm = time.perf_counter() - started
    if warm > TOO_SLOW_SECONDS or not runs_after_warm_up:
        return warm, [warm], warm_queries.captured_queries
    times = []
    for _ in range(SLOW_RUNS if warm > SLOW_SECONDS else RUNS):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    with CaptureQueriesContext(connection) as captured:
        call()
    return warm, times, captured.captured_queries


def entry_writer(user, campaign):
    """``ledger.services.create_entry`` of an open-week entry, rolled back, for the collective of the user's subtree
    with the most study sessions: the cost of a write with its tallies recounted (``ledger.tallies``)."""
    from django.db import transaction
    from django.utils import timezone

    from wenminghao.ledger import services
    from wenminghao.ledger.models import LedgerTally

    tally = (LedgerTally.objects.filter(campaign=campaign, collective__unit__path__startswith=user.unit.path)
             .select_related("collective__unit").order_by("-study", "collective_id").first())
    day = min(timezone.localdate() - datetime.timedelta(days=1), datetime.date(campaign.year, 12, 31))
    data = {"activity": "open_week", "date": day.isoformat(), "title": "开放周（基准测试）", "content": "测试",
            "shown": ["commitment"], "visitors": 10}

    def write():
        with transaction.atomic():
            services.create_entry(actor=user, collective=tally.collective, campaign=campaign, data=data)
            transaction.set_rollback(True)

    return write


def measure(users: dict, campaign, show_plans: bool, only: set[str] | None = None) -> list[dict]:
    from django.db import connection
    from django.test import Client

    from wenminghao.accounts.services import issue_api_token
    from wenminghao.campaigns.selectors import creating_filings
    from wenminghao.ledger import selectors as ledger_selectors
    from wenminghao.ledger.models import LedgerEntry

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET statement_timeout = {LIMIT_SECONDS * 1000}")
    results = []
    for who, user in users.items():
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user, backend="wenminghao.accounts.backends.UsernameOrMobileBackend")
        bearer = {"Authorization": f"Bearer {issue_api_token(user=user)}"}
        creating = creating_filings(campaign, user.unit).count()
        entries = LedgerEntry.objects.filter(campaign=campaign,
                                             collective__unit__path__startswith=user.unit.path).count()
        visible = {"creating": creating, "entries": entries}

        def fetch(url, params, client=client, bearer=bearer):
            headers = bearer if url.startswith("/api/") else {}
            with ledger_scale.time_limit(connection):
                response = client.get(url, params, headers=headers)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            if response.status_code != 200:
                raise RuntimeError(f"answered {response.status_code}")
            return body

        calls = [(label, url, (lambda url=url, params=params: fetch(url, params)))
                 for label, url, params in requests_for(user, campaign)]
        calls.append(("ledger.selectors.indicators() alone", "", lambda user=user: ledger_selectors.indicators(
            user.unit, campaign).as_dict()))
        calls.append(("an entry written (tallies recounted)", "", entry_writer(user, campaign)))
        for label, url, call in calls:
            if only and not any(word in label for word in only):
                continue
            row = {"who": who, **visible, "what": label}
            if url is None:
                row.update(median_ms=None, note="not built")
                results.append(row)
                print(f"  {who:9} {label:40} not built", file=sys.stderr, flush=True)
                continue
            try:
                warm, times, queries = timed(call)
            except Exception as error:  # a failing page is a finding: report it and measure the rest
                text = " ".join(str(error).split())
                interrupted = "interrupt" in text or "statement timeout" in text
                row.update(median_ms=None, note=f"over {LIMIT_SECONDS} s: interrupted" if interrupted
                           else f"fails: {type(error).__name__}: {text[:160]}")
                results.append(row)
                print(f"  {who:9} {label:40} FAILS {text[:300]}", file=sys.stderr, flush=True)
                continue
            slowest = max(queries, key=lambda q: float(q["time"]), default={"time": 0, "sql": ""})
            row.update(median_ms=round(statistics.median(times) * 1000), runs=len(times), queries=len(queries),
                       slowest_sql_ms=round(float(slowest["time"]) * 1000), warm_ms=round(warm * 1000),
                       slowest_sql=slowest["sql"][:2000], note="")
            if "xlsx" in label:
                body = call()
                row["note"] = f"{len(body) // 1024:,} KiB"
            results.append(row)
            print(f"  {who:9} {label:40} {row['median_ms']:>7} ms {row['queries']:>4} queries slowest "
                  f"{row['slowest_sql_ms']:>5} ms (creating {creating:,}, entries {entries:,})", file=sys.stderr,
                  flush=True)
            if show_plans and slowest["sql"]:
                print(f"    slowest SQL: {slowest['sql'][:3000]}", file=sys.stderr)
                try:
                    plan = ledger_scale.explain(slowest["sql"])
                except Exception as error:  # e.g. a query with parameters the logged SQL does not quote back
                    plan = f"(no plan: {error})"
                print("    plan:\n      " + plan.replace("\n", "\n      "), file=sys.stderr, flush=True)
    return results


def child(backend: str, scale: str, show_plans: bool, keep: bool, reuse: bool, only: set[str] | None) -> None:
    STATE.mkdir(exist_ok=True)
    saved = STATE / f"{backend}-{scale}.json"
    data_dir = str(STATE / f"sqlite-{scale}") if keep or reuse else tempfile.mkdtemp(prefix="wmh-evaluation-bench-")
    if keep and not reuse and backend == "sqlite":  # a new build: not on top of the one kept before
        shutil.rmtree(data_dir, ignore_errors=True)
    Path(data_dir).mkdir(exist_ok=True)
    try:
        ledger_scale.setup_django(backend, data_dir, bench_db(scale))
        from django.db import connection

        if reuse:
            stats = json.loads(saved.read_text(encoding="utf-8"))
        else:
            stats = build(scale)
            saved.write_text(json.dumps(stats, ensure_ascii=False), encoding="utf-8")
        stats["backend"] = backend
        stats["db"] = scale_lists.db_description(connection)
        users, campaign = accounts()
        stats["load_before"] = os.getloadavg()
        stats["results"] = measure(users, campaign, show_plans, only)
        stats["load_after"] = os.getloadavg()
        connection.close()
        print(json.dumps(stats, ensure_ascii=False))
    finally:
        if not (keep or reuse):
            shutil.rmtree(data_dir, ignore_errors=True)


# --- the parent process: one child per database and scale, then the tables --------------------------------

def run_child(backend: str, scale: str, args) -> dict:
    print(f"[{backend}, {scale}] {'measuring' if args.reuse else 'building and measuring'} …", file=sys.stderr,
          flush=True)
    started = time.perf_counter()
    command = [sys.executable, __file__, "--child", backend, "--scale", scale]
    command += ["--explain"] * args.explain + ["--keep"] * args.keep + ["--reuse"] * args.reuse
    if args.only:
        command += ["--only", args.only]
    out = subprocess.run(command, check=True, stdout=subprocess.PIPE, text=True)
    stats = json.loads(out.stdout.strip().splitlines()[-1])
    stats["total_seconds"] = round(time.perf_counter() - started)
    return stats


def table(stats: dict) -> str:
    lines = [
        f"**{stats['db']}, {stats['scale']} scale** — {stats['units']:,} units, {stats['collectives']:,} collectives "
        f"({stats['creating']:,} creating, {stats['ledger_collectives']:,} of them with entries), "
        f"{stats['members']:,} members, {stats['entries']:,} entries ({stats['attendees']:,} attendee rows), "
        f"{stats['pairings']:,} pairings, {stats['works']:,} works, {stats['inspections']:,} inspections, "
        f"{stats['trainings']:,} trainings ({stats['trained']:,} leaders trained), {stats['exchange_visits']:,} "
        f"exchange visits, {stats['mentor_pairs']:,} new-and-old pairs, {stats['assessments']:,} assessments, "
        f"{stats['honours']:,} titles ({stats['named']:,} named by the office). Built in {stats['build_seconds']:,} s "
        f"(tree {stats['tree_seconds']:,} s, ledger {stats['ledger_seconds']:,} s of which counting its tallies "
        f"{stats.get('tally_seconds', '—')} s, evaluation "
        f"{stats['evaluation_seconds']:,} s, ANALYZE {stats['analyze_seconds']:,} s); load average "
        f"{stats['load_before'][0]:.1f} before the measurements, {stats['load_after'][0]:.1f} after.",
        "",
        "| signed in as (creating collectives; entries) | request | median | SQL queries | slowest query | note |",
        "|---|---|---:|---:|---:|---|",
    ]
    for row in stats["results"]:
        who = f"{NAMES[row['who']]} ({row['creating']:,}; {row['entries']:,})"
        if row["median_ms"] is None:
            lines.append(f"| {who} | {row['what']} | — | — | — | {row['note']} |")
            continue
        note = row["note"]
        if row["runs"] != RUNS:
            note += ("; " if note else "") + (f"median of {row['runs']}" if row["runs"] > 1 else "one run")
        lines.append(f"| {who} | {row['what']} | {row['median_ms']:,} ms | {row['queries']} | "
                     f"{row['slowest_sql_ms']:,} ms | {note} |")
    lines.append("")
    return "\n".join(lines)


def cpu_name() -> str:
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        models = [line.split(":", 1)[1].strip() for line in cpuinfo.read_text().splitlines()
                  if line.startswith("model name")]
        if models:
            return models[0]
    return platform.machine()


def write_doc(all_stats: list[dict], doc: Path, findings: str = "") -> None:
    section = "\n".join([
        SECTION,
        "",
        f"Measured {datetime.date.today():%Y-%m-%d} on {os.cpu_count()} cores ({cpu_name()}), Python "
        f"{platform.python_version()}, with `bench/evaluation_scale.py`: the Django test client in one process (no "
        f"web server, no network), median of {RUNS} runs after one warm-up ({SLOW_RUNS} runs when the warm-up took "
        f"over {SLOW_SECONDS:.0f} s, the warm-up alone over {TOO_SLOW_SECONDS:.0f} s; a request still running after "
        f"{LIMIT_SECONDS} s is interrupted); the query count and the slowest query are of one further run (with the "
        "session and account lookups every request makes). Each account fetches the pages of its own unit "
        "(`?unit=` its unit). The machine's 2 cores were shared with other jobs running test suites: the figures "
        "are noisy (the load average is given), to be read to within some tens of percent.",
        "",
        "The data. Province scale: the province of *Lists at province scale* (山东, 16 cities of 61 district or "
        "industry units, 10,000 collectives of 10–30 members), a filing of every collective in the province "
        "campaign (7,500 creating — pending or accepted —, 2,500 returned), then `bench/ledger_scale.py`'s ledger: "
        "pairings (回头看 on half) and 300,000 entries (40% 青年大学习 with their attendees, 27% 助千家, 20% 对标创优, "
        "13% 开放周) over 90% of the creating collectives, the other tenth having none; two works per creating "
        "collective in every status with their decisions; an inspection of one in twenty (ratings, rectifications, "
        "some overdue); a leader training per city and one of the office, attended by the leaders of 60%; exchange "
        "visits, new-and-old pairs of a tenth, assessments of 60%, reminders; titles named by the office the year "
        "before (a term, reviews, warnings, one in twenty-five revoked). National scale: the same under 团中央, 31 "
        "provinces of 16 cities of 61 units, 100,000 collectives (~2,000,000 members), a national campaign with "
        "75,000 creating collectives and 1,000,000 entries; the province office is then 山东's (1/31 of the "
        "country). The city admin is 威海's, the unit admin 威海第1区's.",
        "",
        *[table(stats) for stats in all_stats],
        "Rerun (SQLite in a temporary directory, and PostgreSQL when `DATABASE_URL` is set — the script creates and "
        f"then drops a separate database `{BENCH_DB}` (`{BENCH_DB}_national`) on that server; the run above took "
        f"{sum(stats.get('total_seconds', 0) for stats in all_stats) / 60:.0f} minutes, building and measuring; "
        "`--keep` keeps the databases and `--reuse` measures them again without building; `--explain` prints the "
        "plan of each request's slowest query):",
        "",
        "```sh",
        ".venv/bin/python bench/evaluation_scale.py --scale province",
        "DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/evaluation_scale.py "
        "--scale both",
        "```",
        "",
        findings,
    ])
    doc.parent.mkdir(parents=True, exist_ok=True)
    if doc.resolve() == (ROOT / "docs" / "benchmarks.md").resolve():
        write_section(SECTION, section, doc)
    else:  # the section alone, to be merged into docs/benchmarks.md
        doc.write_text(section, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--child", choices=["sqlite", "postgres"], help=argparse.SUPPRESS)
    parser.add_argument("--scale", choices=["province", "national", "both"], default="province")
    parser.add_argument("--explain", action="store_true", help="print the plan of each request's slowest query")
    parser.add_argument("--sqlite-only", action="store_true", help="skip PostgreSQL even when DATABASE_URL is set")
    parser.add_argument("--postgres-only", action="store_true", help="skip SQLite")
    parser.add_argument("--keep", action="store_true", help="keep the built databases (see --reuse)")
    parser.add_argument("--reuse", action="store_true", help="measure the databases kept by --keep; build nothing")
    parser.add_argument("--only", help="measure only the requests whose label holds one of these words (comma)")
    parser.add_argument("--doc", type=Path, default=DOC, help=f"where to write the section (default {DOC})")
    parser.add_argument("--no-doc", action="store_true", help="print the tables only")
    parser.add_argument("--json", type=Path, help="also write the figures to this file (JSON)")
    parser.add_argument("--from-json", type=Path, nargs="+", help="measure nothing: write the doc from --json files")
    parser.add_argument("--findings", type=Path, help="text (markdown) to put under the tables")
    args = parser.parse_args()
    only = set(args.only.split(",")) if args.only else None
    scales = ["province", "national"] if args.scale == "both" else [args.scale]
    if args.child:
        child(args.child, scales[0], args.explain, args.keep, args.reuse, only)
        return
    findings = args.findings.read_text(encoding="utf-8") if args.findings else ""
    if args.from_json:
        write_doc([stats for path in args.from_json for stats in json.loads(path.read_text(encoding="utf-8"))],
                  args.doc, findings)
        return

    started = time.perf_counter()
    all_stats = []
    url = os.environ.get("DATABASE_URL", "")
    postgres = url.startswith(("postgres://", "postgresql://")) and not args.sqlite_only
    for scale in scales:
        if not args.postgres_only:
            all_stats.append(run_child("sqlite", scale, args))
        if postgres:
            database = bench_db(scale)
            if urlsplit(url).path.lstrip("/") in (database, "test"):
                raise SystemExit(f"DATABASE_URL should name another database than {database}: the script creates "
                                 f"and drops {database} itself.")
            if not args.reuse:
                scale_lists.postgres_admin(url, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
                scale_lists.postgres_admin(url, f'CREATE DATABASE "{database}"')
            try:
                all_stats.append(run_child("postgres", scale, args))
            finally:
                if not (args.keep or args.reuse):
                    scale_lists.postgres_admin(url, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    for stats in all_stats:
        print()
        print(table(stats))
        print(f"({stats['backend']}, {stats['scale']}: {stats['total_seconds']} s in all)")
    if args.json:
        args.json.write_text(json.dumps(all_stats, ensure_ascii=False, indent=1), encoding="utf-8")
    if not args.no_doc:
        write_doc(all_stats, args.doc, findings)
        print(f"\nwritten to {args.doc}")
    print(f"total {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
