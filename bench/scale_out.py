"""Scale-out, really: two app servers and two task workers behind one address, on one PostgreSQL database and one
shared data directory, and the checks that sessions, uploads, exports and sign-in throttling work across them.

Run by hand (not by pytest); it needs a PostgreSQL server that trusts local connections:

    .venv/bin/python bench/scale_out.py                 # into docs/benchmarks.md
    .venv/bin/python bench/scale_out.py --no-doc        # printed only

From nothing, each run: a throwaway database (``--database-url``, dropped and created again) and data directory,
``migrate``, ``collectstatic``, a city office with its admin, two district units, four collectives with their
accounts and an open city campaign (bench/surge.py ``seed``). Then two granian servers (A and B, each started on
its own, one worker each, the options of scripts/serve.sh) and two ``manage.py db_worker`` processes (``bench-w1``,
``bench-w2``), all with ``WMH_TRUSTED_PROXIES=127.0.0.1``, and the reverse proxy of bench/loadproxy.py on
127.0.0.1 in front of A and B (round robin per request; ``X-Bench-Backend`` pins a request, ``X-Backend`` on the
answer names the server that gave it). The client (bench/surge.py ``HttpClient``) connects to the proxy only, each
person from their own loopback address (127.0.0.x), which the proxy forwards in ``X-Forwarded-For``.

The checks (each one a row of the pass/fail table):
1. round robin: four unpinned requests of one browser are answered by A, B, A, B;
2. a session made on A (the sign-in form with CSRF) is signed in on B (``/api/v1/me`` names the account), and a
   CSRF-protected POST made with it on B (creating a work) succeeds;
3. four pictures uploaded alternately through A and B, each downloaded through the other server byte for byte
   (SHA-256), and the work submitted through A;
4. each picture's thumbnails made by exactly one of the two task workers (one task result each, one worker id;
   which worker took which is listed, both usually share them but nothing makes them);
5. an export requested on A (the office's campaign export), a second click on B while it is pending giving the same
   job, made by one of the two workers exactly once (one ``run_export`` result, one worker id, one file), its page
   followed on B and its file downloaded through B (a valid .xlsx);
6. sign-in throttling counted across the servers: wrong passwords for one account from one address spread over A
   and B trip the throttle after ``WMH_LOGIN_MAX_FAILURES`` (5) failures in all, on either server (429), the right
   password from that address is refused too, and the same account from another address still gets in; the failures
   are recorded under the client's address, not the proxy's.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import secrets
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import surge  # bench/surge.py: client, processes, seeding  # noqa: E402
from benchdoc import write_section  # noqa: E402
from loadproxy import Proxy  # noqa: E402

SECTION = "## Two app servers and two task workers behind one address"


class Checks:
    def __init__(self):
        self.rows: list[tuple[str, bool, str]] = []

    def add(self, name: str, ok: bool, detail: str) -> bool:
        self.rows.append((name, bool(ok), detail))
        print(f"{'PASS' if ok else 'FAIL'}  {name}: {detail}", flush=True)
        return bool(ok)


def db(url: str, sql: str, *params):
    import psycopg

    with psycopg.connect(url) as connection:
        return connection.execute(sql, params).fetchall()


async def sign_in(client: surge.HttpClient, login: str, password: str, pin: str | None) -> surge.Answer:
    headers = {"X-Bench-Backend": pin} if pin else {}
    page = await client.request("GET", "/accounts/login/", headers=headers)
    return await client.post_form("/accounts/login/", {"login": login, "password": password,
                                                       "csrfmiddlewaretoken": surge.form_token(page.text)},
                                  headers=headers)


async def run_checks(args, port: int, seeded: dict, checks: Checks) -> None:
    pin_a, pin_b = {"X-Bench-Backend": "A"}, {"X-Bench-Backend": "B"}
    url = args.database_url

    # 1. round robin
    browser = surge.HttpClient("127.0.0.1", port, source="127.0.0.2")
    seen = []
    for _ in range(4):
        answer = await browser.request("GET", "/accounts/login/")
        seen.append((answer.header("x-backend"), answer.status))
    checks.add("round robin per request", [b for b, _ in seen] in (list("ABAB"), list("BABA"))
               and all(s == 200 for _, s in seen), "four requests of one connection answered by "
               + ", ".join(f"{b} ({s})" for b, s in seen))

    # 2. session made on A, used on B
    answer = await sign_in(browser, "surge_0000", surge.PASSWORD, "A")
    me = await browser.request("GET", "/api/v1/me", headers=pin_b)
    name = me.json().get("username") if me.status == 200 else None
    page = await browser.request("GET", "/works/new/", headers=pin_b)
    created = await browser.post_form("/works/new/", {
        "csrfmiddlewaretoken": surge.form_token(page.text), "campaign": seeded["campaign"], "category": "photo",
        "title": "海岸线上的青春（两台服务器）", "display_form": "picture", "description": "跨服务器测试。",
        "contact_name": "王伟", "contact_phone": "13900000000", "essay_kind": "", "url": ""}, headers=pin_b)
    work_path = surge.location_path(created) if created.status == 302 else ""
    checks.add("session made on A is signed in on B",
               answer.status == 302 and answer.header("x-backend") == "A" and name == "surge_0000"
               and me.header("x-backend") == "B" and created.status == 302 and created.header("x-backend") == "B",
               f"sign-in on {answer.header('x-backend')} → {answer.status}; /api/v1/me on {me.header('x-backend')} → "
               f"{me.status} {name}; create work (CSRF form) on {created.header('x-backend')} → {created.status} "
               f"{work_path}")
    if not work_path:
        return

    # 3. uploads through A and B, each downloaded through the other
    pictures = surge.prepare_pictures(4, Path(args.pictures_dir))
    results = []
    for n, (path, sha) in enumerate(pictures):
        up, down = ("A", "B") if n % 2 == 0 else ("B", "A")
        answer = await browser.post_file(f"{work_path}files/upload/", f"IMG_{n + 1}.jpg", path.read_bytes(),
                                         {"caption": f"第{n + 1}张"}, headers={"X-Bench-Backend": up})
        if answer.status != 201:
            results.append((up, answer.status, None, None))
            continue
        record = answer.json()["file"]
        got = await browser.request("GET", record["url"], headers={"X-Bench-Backend": down})
        results.append((up, answer.status, got.header("x-backend"),
                        got.status == 200 and hashlib.sha256(got.body).hexdigest() == sha == record["sha256"]))
    submitted = await browser.post_form(f"{work_path}submit/", {}, headers=pin_a)
    work_id = int(work_path.strip("/").split("/")[-1])
    status = db(url, "SELECT status FROM works_work WHERE id = %s", work_id)[0][0]
    checks.add("upload through one server, download through the other",
               all(r[1] == 201 and r[3] for r in results) and status == "submitted",
               "; ".join(f"uploaded on {u} → {s}, downloaded on {d}: {'same SHA-256' if ok else 'DIFFERENT'}"
                         for u, s, d, ok in results) + f"; submitted on A → {submitted.status}, status {status}")

    # 4. thumbnails made once each, by the two workers
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and db(url, "SELECT count(*) FROM works_workfile WHERE work_id = %s AND "
                                             "derivatives = 'pending'", work_id)[0][0]:
        await asyncio.sleep(1)
    states = db(url, "SELECT derivatives, count(*) FROM works_workfile WHERE work_id = %s GROUP BY 1", work_id)
    tasks = db(url, "SELECT args_kwargs, status, worker_ids FROM django_tasks_database_dbtaskresult WHERE "
                    "task_path LIKE %s", "%make_derivatives")
    file_ids = [r[0] for r in db(url, "SELECT id FROM works_workfile WHERE work_id = %s", work_id)]
    per_file = {fid: [t for t in tasks if _first_arg(t[0]) == fid] for fid in file_ids}
    once = all(len(v) == 1 and v[0][1] == "SUCCESSFUL" and len(v[0][2]) == 1 for v in per_file.values())
    workers = sorted({w for v in per_file.values() for t in v for w in t[2]})
    made_by = ", ".join(f"{w} ({sum(1 for v in per_file.values() for t in v if w in t[2])})" for w in workers)
    checks.add("thumbnails made once each by one of two workers", once and dict(states) == {"ready": 4},
               f"file states {dict(states)}; task results per file {[len(v) for v in per_file.values()]}; "
               f"workers that made them: {made_by}")

    # 5. export requested on A, made once by a worker, followed and downloaded on B
    office = surge.HttpClient("127.0.0.1", port, source="127.0.0.3")
    signed = await sign_in(office, "surge_office", surge.PASSWORD, "A")
    export_path = f"/reviews/campaigns/{seeded['campaign']}/export/"
    await office.request("GET", export_path, headers=pin_a)
    first = await office.post_form(export_path, {}, headers=pin_a)
    second = await office.post_form(export_path, {}, headers=pin_b)
    job_path = surge.location_path(first)
    same_job = job_path and job_path == surge.location_path(second)
    job_id = int(job_path.strip("/").split("/")[-1]) if job_path else 0
    deadline = time.monotonic() + 90
    page = None
    while time.monotonic() < deadline:
        page = await office.request("GET", job_path, headers=pin_b)
        if "download/" in page.text:
            break
        await asyncio.sleep(1)
    download = await office.request("GET", f"{job_path}download/", headers=pin_b)
    jobs = db(url, "SELECT id, status, file FROM core_exportjob")
    runs = [t for t in db(url, "SELECT args_kwargs, status, worker_ids, return_value FROM "
                               "django_tasks_database_dbtaskresult WHERE task_path LIKE %s", "%run_export")]
    runs_for_job = [t for t in runs if _first_arg(t[0]) == job_id]
    made = [t for t in runs_for_job if t[3] != "skipped"]
    files = list((Path(args.data_dir) / "media" / "exports" / str(job_id)).glob("*")) if job_id else []
    checks.add("export requested on A, made once, downloaded on B",
               signed.status == 302 and same_job and len(jobs) == 1 and jobs[0][1] == "done" and len(made) == 1
               and len(runs_for_job) == 1 and len(made[0][2]) == 1 and len(files) == 1 and download.status == 200
               and download.body[:2] == b"PK" and download.header("x-backend") == "B",
               f"POST on {first.header('x-backend')} → {job_path}; second click on {second.header('x-backend')} → "
               f"{'the same job' if same_job else surge.location_path(second)}; export jobs {len(jobs)} "
               f"({', '.join(j[1] for j in jobs)}); run_export results for it {len(runs_for_job)}, made by "
               f"{', '.join(w for t in made for w in t[2]) or 'none'}; files in storage {len(files)}; page on B "
               f"{page.header('x-backend') if page else '?'}; download on {download.header('x-backend')} → "
               f"{download.status}, {len(download.body):,} bytes, "
               f"{'a zip (.xlsx)' if download.body[:2] == b'PK' else 'not a zip'}")

    # 6. throttling counted across A and B
    attacker = surge.HttpClient("127.0.0.1", port, source="127.0.0.4")
    outcomes = []
    for n in range(7):
        answer = await sign_in(attacker, "surge_0001", "wrong-password-1", "A" if n % 2 == 0 else "B")
        outcomes.append((answer.header("x-backend"), answer.status))
    right_same = await sign_in(attacker, "surge_0001", surge.PASSWORD, "B")
    other = surge.HttpClient("127.0.0.1", port, source="127.0.0.5")
    right_other = await sign_in(other, "surge_0001", surge.PASSWORD, "A")
    failures = db(url, "SELECT host(ip_address), count(*) FROM accounts_loginfailure GROUP BY 1")
    expected = [200] * 5 + [429, 429]
    checks.add("sign-in throttling counted across both servers",
               [s for _, s in outcomes] == expected and right_same.status == 429 and right_other.status == 302
               and dict(failures) == {"127.0.0.4": 5},
               "wrong passwords: " + ", ".join(f"{b} {s}" for b, s in outcomes)
               + f"; right password from the same address on {right_same.header('x-backend')} → {right_same.status}"
               f" (Retry-After {right_same.header('retry-after') or '—'} s); from another address on "
               f"{right_other.header('x-backend')} → {right_other.status}; failures recorded by address "
               f"{dict(failures)}")
    for client in (browser, office, attacker, other):
        await client.close()


def _first_arg(args_kwargs) -> int | None:
    data = args_kwargs if isinstance(args_kwargs, dict) else json.loads(args_kwargs)
    values = data.get("args") or list((data.get("kwargs") or {}).values())
    return int(values[0]) if values else None


async def serve_and_check(args, ports: dict, seeded: dict, checks: Checks) -> dict:
    proxy = Proxy({"A": ("127.0.0.1", ports["A"]), "B": ("127.0.0.1", ports["B"])})
    port = await proxy.start("127.0.0.1", args.port)
    print(f"proxy on 127.0.0.1:{port} → A 127.0.0.1:{ports['A']}, B 127.0.0.1:{ports['B']}", flush=True)
    try:
        await asyncio.wait_for(run_checks(args, port, seeded, checks), args.max_seconds)
    finally:
        await proxy.close()
    return dict(proxy.served)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/wmh_scaleout")
    parser.add_argument("--data-dir", default=str(Path(tempfile.gettempdir()) / "wmh_scaleout"))
    parser.add_argument("--static-root", default=str(Path(tempfile.gettempdir()) / "wmh_surge_static"))
    parser.add_argument("--pictures-dir", default=str(Path(tempfile.gettempdir()) / "wmh_scaleout_pictures"))
    parser.add_argument("--port", type=int, default=0, help="the proxy's port (0: any free one)")
    parser.add_argument("--max-seconds", type=float, default=240)
    parser.add_argument("--tree", default=str(surge.ROOT), help="run the platform from this copy of the project")
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--doc", default=str(surge.DOC))
    parser.add_argument("--no-doc", action="store_true")
    args = parser.parse_args()
    surge.TREE = Path(args.tree).resolve()

    started = time.perf_counter()
    data_dir = Path(args.data_dir)
    env = surge.prepare_platform(args.database_url, data_dir, Path(args.static_root), secrets.token_urlsafe(50),
                                 WMH_TRUSTED_PROXIES="127.0.0.1")
    seeded = surge.run_seed(env, 4, 2, office_admin=True)
    logs = data_dir / "logs"
    logs.mkdir(exist_ok=True)
    ports = {"A": surge.free_port(), "B": surge.free_port()}
    processes = [surge.start_granian(env, ports[name], workers=1, threads=4, log=logs / f"granian-{name}.log")
                 for name in ("A", "B")]
    processes += [surge.start_worker(env, logs / f"worker-{n}.log", worker_id=f"bench-w{n}") for n in (1, 2)]
    checks = Checks()
    served: dict = {}
    try:
        for name in ("A", "B"):
            surge.wait_until_up(ports[name])
        served = asyncio.run(serve_and_check(args, ports, seeded, checks))
    finally:
        for process in processes:
            surge.stop(process)
        if not args.keep:
            shutil.rmtree(data_dir, ignore_errors=True)
            surge.drop_database(args.database_url)
    passed = sum(1 for _, ok, _ in checks.rows if ok)
    lines = [SECTION, "",
             "`bench/scale_out.py`: two granian servers (A, B: one worker × 4 threads each, started separately) and "
             "two `db_worker` processes on one PostgreSQL database and one data directory, behind the reverse proxy "
             "of bench/loadproxy.py on 127.0.0.1 (round robin per request, `X-Forwarded-For`; the servers trust it "
             "by `WMH_TRUSTED_PROXIES=127.0.0.1`). Every request went through the proxy; `X-Backend` on each "
             f"answer names the server. Requests served: A {served.get('A', 0)}, B {served.get('B', 0)}; "
             f"{passed} of {len(checks.rows)} checks passed in {time.perf_counter() - started:.0f} s "
             "(set-up included).", "",
             "| check | result | what was seen |", "|---|---|---|"]
    lines += [f"| {name} | {'pass' if ok else '**FAIL**'} | {detail.replace('|', '/')} |"
              for name, ok, detail in checks.rows]
    text = "\n".join(lines) + "\n"
    print(text)
    if not args.no_doc:
        write_section(SECTION, text, Path(args.doc))
        print(f"written to {args.doc}")
    sys.exit(0 if checks.rows and passed == len(checks.rows) else 1)


if __name__ == "__main__":
    main()


