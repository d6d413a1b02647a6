"""Office-scale speed over HTTP, side by side with pretalx (issue 13).

Run by hand on an otherwise idle machine (not while a test suite runs), from the repository:

    .venv/bin/python bench/vs_pretalx.py                       # pretalx and us at 10,000; us at 200,000 (SQLite, PG)
    .venv/bin/python bench/vs_pretalx.py --sizes 10000 --no-pretalx --duration 5   # a quick try of our half
    .venv/bin/python bench/vs_pretalx.py --reuse ...            # keep and reuse built data (/tmp/wmh-vs-pretalx)

Our half: for each size and database, a throwaway data directory (and for PostgreSQL a database
``wmh_vs_<size>`` on ``postgres://postgres@127.0.0.1:5432``) gets, in a fresh process, the city of
``bench/campaign_export.py`` (50 units, 500 collectives, a campaign of N works mostly recommended, three rounds
of 7 judges with every score) built in bulk, then the rounds' standings (``reviews.standings.rebuild_round``) and
a signed-in session for the office admin, a unit admin, a judge of the biggest round and a collective leader. The
app is served as ``make run`` serves it (``scripts/serve.sh``: granian, 2 workers, plus a task worker), and each
page is fetched once to check it is the page (200, not the sign-in form), timed alone (median of 3), then loaded
with wrk (2 connections, 2 threads, ``--duration`` seconds, and 1 connection). Afterwards the app workers' peak
resident memory (VmHWM) is read from /proc.

pretalx's half (``bench/pretalx_side.py``): pretalx 2025.2.2 from PyPI in its own environment under /tmp, 10,000
proposals, served the same way, its organiser list, review dashboard and CSV export measured with the same wrk
settings. The table with the ratios goes into docs/benchmarks.md (``--doc``), section "## Office-scale speed".
"""

import argparse
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchdoc import write_section  # noqa: E402
from wrk import child_pids, cpu_seconds, median_request, run_wrk, timed_request, warm_up  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"
SECTION = "## Office-scale speed"
WORK_DIR = Path("/tmp/wmh-vs-pretalx")
PG_BASE = "postgres://postgres@127.0.0.1:5432"
PORT = int(os.environ.get("WMH_BENCH_PORT", "8090"))  # another port lets two runs measure at once (rarely wise)


# --- building our data (child process) ------------------------------------------------------------------------

def build(data_dir: Path, n: int, database_url: str | None) -> dict:
    os.environ["WMH_DATA_DIR"] = str(data_dir)
    os.environ["WMH_DEMO"] = "1"
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "wenminghao.settings"
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    import campaign_export as ce
    from django.core.management import call_command
    from django.db import connection, transaction

    from wenminghao.accounts.models import User
    from wenminghao.reviews import standings
    from wenminghao.reviews.models import Assignment, ReviewRound

    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)
    started = time.perf_counter()
    with transaction.atomic():
        world = ce.build_world()
        ce.build_campaign(world, ce.WARM_UP_WORKS, name="预热用创建活动", categories=("photo",), seed=1)
        if n > FAST_ABOVE:
            stats = fast_campaign(world, n, name="2026年度威海市青年文明号创建")
        else:
            stats = ce.build_campaign(world, n, name="2026年度威海市青年文明号创建")
        for round_ in ReviewRound.objects.all():
            standings.rebuild_round(round_)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            cursor.execute("ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")  # the visibility map too, as autovacuum would leave it: index-only counts
    stats["build_seconds"] = round(time.perf_counter() - started, 1)
    biggest = max(ReviewRound.objects.filter(campaign_id=stats["campaign"]),
                  key=lambda r: Assignment.objects.filter(round=r).count())
    judge = User.objects.filter(assignments__round=biggest).order_by("id").first()
    return {**stats, "round": biggest.pk, "round_works": biggest.entries.count(),
            "round_assignments": Assignment.objects.filter(round=biggest).count(),
            "judge_assignments": Assignment.objects.filter(round=biggest, judge=judge).count(),
            "judge": judge.username, "database": connection.vendor}


def sign_in(data_dir: Path, database_url: str | None, usernames: dict) -> dict:
    """A fresh session (a row in the session table, as a sign-in makes it) for each of ``usernames``."""
    os.environ["WMH_DATA_DIR"] = str(data_dir)
    os.environ["WMH_DEMO"] = "1"
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "wenminghao.settings"
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from wenminghao.accounts.models import User

    sessions = {}
    for label, username in usernames.items():
        user = User.objects.get(username=username)
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        sessions[label] = store.session_key
    return {"cookie_name": settings.SESSION_COOKIE_NAME, "sessions": sessions}


FAST_ABOVE = 20_000


def fast_campaign(world: dict, n: int, *, name: str) -> dict:
    """The campaign of ``ce.build_campaign`` for a national size: the works and their unit-stage decisions in bulk,
    the three rounds through the services, and then every assignment (every work of the round's category to each
    of its 7 judges) and every score written by one INSERT … SELECT each, in the database, instead of a Python object
    per row (5.6 million scores at 200,000 works). Scores are 5.0–10.0 from the ids; 1 % of the assignments have
    none, 40 % a comment."""
    import datetime

    import campaign_export as ce
    from django.db import connection
    from django.utils import timezone

    from wenminghao.accounts.models import User
    from wenminghao.campaigns.models import Campaign
    from wenminghao.core.roles import Role
    from wenminghao.reviews import services
    from wenminghao.works.models import Work, WorkDecision

    now = timezone.now()
    office, admin, collectives, leaders = world["office"], world["admin"], world["collectives"], world["leaders"]
    campaign = Campaign.objects.create(
        office=office, name=name, level="city", year=2026, filing_deadline=now - datetime.timedelta(days=60),
        deadline=now - datetime.timedelta(days=10), reference_date=datetime.date(2026, 8, 20))
    shares = [category for category, share in ce.CATEGORY_SHARES for _ in range(share)]
    statuses = ["recommended"] * 92 + ["shortlisted"] * 4 + ["showcased"] * 3 + ["forwarded"]
    for start in range(0, n, 10_000):
        works = Work.objects.bulk_create([
            Work(campaign=campaign, collective=collectives[i % len(collectives)], category=shares[i % len(shares)],
                 display_form=ce.FORMS[shares[i % len(shares)]][i % len(ce.FORMS[shares[i % len(shares)]])],
                 title=f"{ce.TITLES[shares[i % len(shares)]]}（第{i + 1}号）", contact_name=ce.person(i),
                 contact_phone=f"138{i:08d}", status=statuses[(i * 37) % 100], created_by=leaders[i % len(leaders)],
                 submitted_at=now - datetime.timedelta(days=12, minutes=i), unit_rank=i // len(collectives) + 1)
            for i in range(start, min(n, start + 10_000))], batch_size=5000)
        WorkDecision.objects.bulk_create([
            WorkDecision(work=work, stage="unit", from_status="submitted", to_status="recommended",
                         actor=world["unit_admins"][work.collective.unit_id]) for work in works], batch_size=5000)
    rubric = [{"name": name_, "weight": weight, "max_score": maximum}
              for name_, weight, maximum in services.DEFAULT_RUBRIC]
    stats = {"campaign": campaign.pk, "works": n, "rounds": 0, "judges": 0}
    for category in ("photo", "publicity", "essay"):
        round_ = services.create_round(actor=admin, campaign=campaign, category=category, name=ce.ROUND_NAMES[category])
        services.set_rubric(actor=admin, round_=round_, criteria=rubric)
        first = User.objects.filter(role=Role.JUDGE).count()
        panel = [User(username=f"bench_judge_{first + j + 1}", role=Role.JUDGE, unit=office,
                      display_name=ce.person(first + j + 11)) for j in range(ce.JUDGES_PER_ROUND)]
        for user in panel:
            user.set_unusable_password()
        panel = User.objects.bulk_create(panel)
        services.set_judges(actor=admin, round_=round_, judges=panel)
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO reviews_assignment (round_id, work_id, judge_id, comment, scored_at) "
                "SELECT %s, w.id, j.judge_id, CASE WHEN (w.id + j.judge_id) %% 5 < 2 THEN %s ELSE '' END, "
                "CASE WHEN (w.id * 7 + j.judge_id) %% 100 = 0 THEN NULL ELSE %s END "
                "FROM works_work w CROSS JOIN reviews_roundjudge j WHERE w.campaign_id = %s AND w.category = %s "
                "AND w.status IN ('recommended', 'shortlisted', 'showcased', 'forwarded') AND j.round_id = %s",
                [round_.pk, ce.COMMENTS[0], connection.ops.adapt_datetimefield_value(now), campaign.pk, category,
                 round_.pk])
            cursor.execute(
                "INSERT INTO reviews_score (assignment_id, criterion_id, value) "
                "SELECT a.id, c.id, ((a.id * 7 + c.id * 13) %% 51 + 50) / 10.0 FROM reviews_assignment a "
                "JOIN reviews_criterion c ON c.round_id = a.round_id WHERE a.round_id = %s AND a.scored_at IS NOT NULL",
                [round_.pk])
        stats["rounds"] += 1
        stats["judges"] += len(panel)
    return stats


def child(*args: str) -> dict:
    completed = subprocess.run([sys.executable, __file__, "--child", *args], capture_output=True, text=True,
                               cwd=ROOT)
    if completed.returncode != 0:
        raise RuntimeError(f"child failed:\n{completed.stderr[-4000:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


# --- serving and measuring ------------------------------------------------------------------------------------

class Server:
    """scripts/serve.sh on PORT with the data directory (and database) of one build."""

    def __init__(self, data_dir: Path, database_url: str | None, extra_env: dict | None = None):
        self.env = {**os.environ, "WMH_DATA_DIR": str(data_dir), "WMH_DEMO": "1", "PORT": str(PORT),
                    "WMH_SITE_URL": f"http://127.0.0.1:{PORT}", **(extra_env or {})}
        if database_url:
            self.env["DATABASE_URL"] = database_url
        else:
            self.env.pop("DATABASE_URL", None)
        self.process = None

    def __enter__(self):
        self.process = subprocess.Popen(["bash", "scripts/serve.sh"], cwd=ROOT, env=self.env,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                if timed_request(f"http://127.0.0.1:{PORT}/accounts/login/", timeout=5)["status"] == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.5)
        raise RuntimeError("the server did not start")

    def app_workers(self) -> list[int]:
        """granian's worker processes: the processes under serve.sh that run granian and whose parent does too
        (the granian master's children; the task worker beside it is not one)."""
        def command(pid: int) -> str:
            try:
                return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                return ""

        workers, queue = [], [self.process.pid]
        while queue:
            parent = queue.pop()
            for pid in child_pids(parent):
                queue.append(pid)
                if "granian" in command(pid) and "granian" in command(parent):
                    workers.append(pid)
        return sorted(workers)

    def memory(self) -> list[dict]:
        rows = []
        for pid in self.app_workers():
            status = Path(f"/proc/{pid}/status").read_text()
            fields = {line.split(":")[0]: line.split()[1] for line in status.splitlines() if line.startswith("Vm")}
            rows.append({"pid": pid, "rss_mib": round(int(fields.get("VmRSS", 0)) / 1024),
                         "peak_mib": round(int(fields.get("VmHWM", 0)) / 1024)})
        return rows

    def __exit__(self, *exc):
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)


def pages(built: dict) -> list[tuple[str, str, str]]:
    campaign, round_ = built["campaign"], built["round"]
    return [
        ("office", "office's works list", f"/works/?campaign={campaign}"),
        ("office", "office's works list, all campaigns", "/works/?campaign="),
        ("office", "office's review queue, all statuses", f"/reviews/campaigns/{campaign}/queue/?status=all"),
        ("office", "API GET /api/v1/works?campaign= (50 items)", f"/api/v1/works?campaign={campaign}"),
        ("unit", "a unit's queue, all statuses", f"/reviews/campaigns/{campaign}/queue/?status=all"),
        ("office", "round list", f"/reviews/campaigns/{campaign}/rounds/"),
        ("office", "round page (progress, conflicts)", f"/reviews/rounds/{round_}/"),
        ("office", "round results of the biggest round (50 a page)", f"/reviews/rounds/{round_}/results/"),
        ("judge", "a judge's home (50 a page)", "/reviews/judging/"),
        ("office", "filing list", "/campaigns/filings/"),
        ("office", "collectives list", "/collectives/"),
        ("office", "dashboard", f"/evaluation/campaigns/{campaign}/"),
    ]


def measure_pages(built: dict, *, duration: int, server_pids: list[int]) -> list[dict]:
    results = []
    for who, label, path in pages(built):
        headers = {"Cookie": f"{built['cookie_name']}={built['sessions'][who]}"}
        url = f"http://127.0.0.1:{PORT}{path}"
        check = timed_request(url, headers=headers)
        body = check.pop("body")
        if check["status"] != 200 or b'name="password"' in body:
            raise RuntimeError(f"{label}: {url} answered {check['status']} (not the page)")
        warm_up(url, headers=headers)
        cpu_before = cpu_seconds(server_pids)
        single = median_request(url, headers=headers, runs=3)
        single_cpu = (cpu_seconds(server_pids) - cpu_before) / 3
        row = {"who": who, "label": label, "path": path, "bytes": check["bytes"], "single_s": single["seconds"],
               "single_cpu_ms": round(single_cpu * 1000, 1)}
        for connections in (2, 1):
            run = run_wrk(url, connections=connections, threads=connections, duration=duration, headers=headers,
                          server_pids=server_pids)
            latency = run["latency_ms"] or {}
            row[f"c{connections}"] = {"rps": run["rps"], "p50": latency.get("p50"), "p99": latency.get("p99"),
                                      "errors": run["error_total"], "non_2xx": run["non_2xx"],
                                      "cpu_ms": run.get("server_cpu_ms_per_request"), "load": run.get("load_1m")}
        print(json.dumps(row, ensure_ascii=False), file=sys.stderr)
        results.append(row)
    return results


def our_side(size: int, database: str, *, duration: int, reuse: bool) -> dict:
    data_dir = WORK_DIR / f"{database}-{size}"
    database_url = f"{PG_BASE}/wmh_vs_{size}" if database == "postgresql" else None
    saved = data_dir / "built.json"
    if reuse and saved.exists():
        built = json.loads(saved.read_text())
    else:
        shutil.rmtree(data_dir, ignore_errors=True)
        data_dir.mkdir(parents=True)
        if database_url:
            subprocess.run(["psql", f"{PG_BASE}/postgres", "-qc", f"DROP DATABASE IF EXISTS wmh_vs_{size}"],
                           check=True, capture_output=True)
            subprocess.run(["psql", f"{PG_BASE}/postgres", "-qc", f"CREATE DATABASE wmh_vs_{size}"], check=True,
                           capture_output=True)
        built = child("build", str(data_dir), str(size), database_url or "")
        saved.write_text(json.dumps(built))
    built.update(child("sign_in", str(data_dir), json.dumps({
        "office": "bench_office", "unit": "bench_unit_0", "judge": built["judge"], "leader": "bench_leader_0"}),
        database_url or ""))
    with Server(data_dir, database_url) as server:
        results = measure_pages(built, duration=duration, server_pids=server.app_workers())
        memory = server.memory()
    return {"size": size, "database": database, "built": {k: v for k, v in built.items() if k != "sessions"},
            "pages": results, "memory": memory}


# --- the document ---------------------------------------------------------------------------------------------

def fmt_rps(value) -> str:
    return f"{value:,.1f}" if value is not None else "—"


def section(ours: list[dict], pretalx: dict | None, *, duration: int) -> str:
    lines = [SECTION, "", f"Measured {time.strftime('%Y-%m-%d')} on {os.cpu_count()} cores, Python "
             f"{platform.python_version()}, with `bench/vs_pretalx.py`: each app served as `make run` serves it "
             "(granian, 2 workers), each page first warmed up for 3 s, then wrk over loopback with 2 connections "
             f"(2 threads) and with 1, {duration} s each; p50/p99 in ms; \"alone\" is one request by itself "
             "(median of 3).", ""]
    if pretalx:
        names = {"submissions": "organiser's proposals list", "reviews": "review dashboard"}
        base = pretalx["pages"]["submissions"]
        base_rps = base["wrk_c2"]["rps"] or None
        base_cpu = base.get("single_server_cpu_s")
        lines += [f"**Side by side at 10,000 (SQLite)** — pretalx {pretalx['pretalx']} ({pretalx['server']}) with "
                  f"{pretalx['seed'].get('proposals', 10_000):,} proposals; wenminghao with the 10,000 works above. "
                  "The ratios divide by pretalx's organiser list: req/s at 2 connections, and server CPU per "
                  "request of a page alone (steadier when the machine is shared).", "",
                  "| page | req/s at 2 conn. | p50 | p99 | alone | CPU per request | size | × req/s | × CPU |",
                  "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]

        def ratio(value, reference, invert=False):
            if not value or not reference:
                return "—"
            figure = reference / value if invert else value / reference
            return f"{figure:,.0f}×" if figure >= 10 else f"{figure:.1f}×"

        for key, row in pretalx["pages"].items():
            run = row["wrk_c2"]
            latency = run.get("latency_ms") or {}
            cpu = row.get("single_server_cpu_s")
            lines.append(f"| pretalx: {names.get(key, key)} | {fmt_rps(run['rps'])} | {latency.get('p50', '—')} "
                         f"| {latency.get('p99', '—')} | {row['single_s'] * 1000:,.0f} ms "
                         f"| {cpu * 1000 if cpu else 0:,.0f} ms | {row['page_bytes'] // 1024} kB "
                         f"| {ratio(run['rps'], base_rps)} | {ratio(cpu, base_cpu, invert=True)} |")
        first = next((o for o in ours if o["size"] == 10_000 and o["database"] == "sqlite"), None)
        for row in (first or {"pages": []})["pages"]:
            lines.append(f"| wenminghao: {row['label']} | {fmt_rps(row['c2']['rps'])} | {row['c2']['p50']} "
                         f"| {row['c2']['p99']} | {row['single_s'] * 1000:.0f} ms | {row['single_cpu_ms']:.0f} ms "
                         f"| {row['bytes'] // 1024} kB | **{ratio(row['c2']['rps'], base_rps)}** "
                         f"| **{ratio(row['single_cpu_ms'] / 1000, base_cpu, invert=True)}** |")
        exports = "; ".join(f"{name}: {figures.get('seconds')} s" for name, figures in
                            pretalx.get("csv_export", {}).items())
        lines += ["", f"pretalx's CSV export of its 10,000 proposals: {exports}; its workers' peak resident memory "
                  f"{pretalx.get('worker_peak_rss_mib')} MiB.", ""]
    for result in ours:
        built = result["built"]
        lines += [f"**wenminghao at {result['size']:,} works, {result['database']}** — built in "
                  f"{built['build_seconds']} s; the biggest round {built['round_works']:,} works, "
                  f"{built['round_assignments']:,} assignments, its judge {built['judge_assignments']:,}.", "",
                  "| page | req/s at 2 conn. | p50 | p99 | req/s at 1 conn. | alone | CPU per request | size |",
                  "|---|---:|---:|---:|---:|---:|---:|---:|"]
        for row in result["pages"]:
            lines.append(f"| {row['label']} | {fmt_rps(row['c2']['rps'])} | {row['c2']['p50']} | {row['c2']['p99']} "
                         f"| {fmt_rps(row['c1']['rps'])} | {row['single_s'] * 1000:.0f} ms "
                         f"| {row['single_cpu_ms']:.0f} ms | {row['bytes'] // 1024} kB |")
        loads = [row["c2"].get("load") for row in result["pages"] if row["c2"].get("load")]
        if loads:
            lines += ["", f"Load average (1 min) during the runs: {min(min(pair) for pair in loads):.1f}–"
                          f"{max(max(pair) for pair in loads):.1f}."]
        memory = ", ".join(f"{m['peak_mib']} MiB" for m in result["memory"])
        lines += ["", f"App workers' peak resident memory after the run: {memory}.", ""]
    return "\n".join(lines).rstrip() + "\n"


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        _, _, what, data_dir, argument, database_url = sys.argv
        if what == "build":
            print(json.dumps(build(Path(data_dir), int(argument), database_url or None), default=str))
        else:
            print(json.dumps(sign_in(Path(data_dir), database_url or None, json.loads(argument))))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 200_000])
    parser.add_argument("--databases", nargs="+", default=["sqlite", "postgresql"])
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--no-pretalx", action="store_true")
    parser.add_argument("--reuse", action="store_true", help="reuse data built by an earlier run")
    parser.add_argument("--doc", type=Path, default=DOC)
    parser.add_argument("--no-doc", action="store_true")
    parser.add_argument("--json", type=Path, default=WORK_DIR / "results.json")
    parser.add_argument("--from-json", type=Path, nargs="+", help="write the section from earlier runs' JSON only")
    args = parser.parse_args()
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    if args.from_json:
        runs = [json.loads(path.read_text()) for path in args.from_json]
        ours = [result for run in runs for result in run["ours"]]
        pretalx = next((run["pretalx"] for run in runs if run.get("pretalx")), None)
        text = section(ours, pretalx, duration=args.duration)
        print(text)
        if not args.no_doc:
            write_section(SECTION, text, args.doc)
        return
    ours = []
    pretalx = None
    if not args.no_pretalx:
        import pretalx_side

        site = pretalx_side.prepare("sqlite", fresh=not args.reuse)
        with site.serve():
            pretalx = pretalx_side.measure_site(site, duration=args.duration)
    for size in args.sizes:
        for database in args.databases:
            ours.append(our_side(size, database, duration=args.duration, reuse=args.reuse))
            args.json.write_text(json.dumps({"ours": ours, "pretalx": pretalx}, ensure_ascii=False, indent=1))
    text = section(ours, pretalx, duration=args.duration)
    print(text)
    if not args.no_doc:
        write_section(SECTION, text, args.doc)


if __name__ == "__main__":
    main()
