"""Crash safety: uploads from several browsers while the server is killed with SIGKILL again and again, the task
worker killed in the middle of a thumbnail and of an export, and then the proof that nothing was lost.

Run by hand (not by pytest):

    .venv/bin/python bench/crash_safety.py                                   # SQLite, 90 s of kills
    .venv/bin/python bench/crash_safety.py --database-url postgres://postgres@127.0.0.1:5432/wmh_crash
    .venv/bin/python bench/crash_safety.py --duration 30 --min-uploads 40    # a quick try

What it does, from nothing:
1. a fresh data directory (``--data-dir``) and database (SQLite in the data directory, or the PostgreSQL database
   of ``--database-url``, dropped and created again): ``migrate``, ``collectstatic``, a city office with its admin,
   two district units, ``--clients`` collectives with their accounts and an open city campaign (bench/surge.py
   ``seed``);
2. ``--pictures`` distinct JPEGs of 1600×1200 (a few hundred kB each) and ``--videos`` small MP4s (PyAV, 2 s),
   cached in ``--media-dir``;
3. granian with the options of scripts/serve.sh and one ``manage.py db_worker`` (as serve.sh: ``nice -n 10``,
   queue ``default``), each in a process group of its own; the worker's heartbeat every 2 s and its tasks
   reclaimed after 10 s of silence (``WMH_WORKER_HEARTBEAT_SECONDS``, ``WMH_WORKER_STALE_SECONDS``: a deployment
   keeps the defaults, 10 s and 60 s);
4. ``--clients`` browsers (bench/surge.py ``HttpClient``, each from its own loopback address) sign in through the
   real form (CSRF) and upload through the page's upload path (``/works/<id>/files/upload/``, multipart with the
   CSRF header, as Uppy posts it): pictures into photo works of up to 9 pictures, every fifth upload a video into
   a video work of its own. A request that fails on the connection (refused, reset, closed) is sent again after a
   short pause, as Uppy retries; every upload answered 2xx is recorded with the SHA-256 the client computed;
5. meanwhile the killer sends SIGKILL to granian's process group 1–4 s (uniform) after it answers again, and starts
   it again at once, until ``--duration`` has passed, at least ``--min-kills`` kills were made and at least
   ``--min-uploads`` uploads were accepted; and every 6–12 s the worker killer waits for a thumbnail task to be
   RUNNING (``make_derivatives``) and sends SIGKILL to the worker's process group, then starts a new worker;
6. then the office admin asks for the campaign export (``/reviews/campaigns/<id>/export/``) and the worker is
   killed the moment the job is being made (``ExportJob`` running), started again, and the job must end ``done``
   with a valid .xlsx downloaded through the page; then the queue must drain (every thumbnail made);
7. the checks, in the database and the storage: every upload answered 2xx has its ``WorkFile`` row in its work,
   with the SHA-256 the client sent, and its stored file has that SHA-256 byte for byte (lost: must be 0); no row
   names a missing file (originals, thumbnails, web copies, posters, export files); no file a row names is partial
   (every original's bytes match its row's SHA-256, every derivative decodes whole); every file in storage that no
   row names is an orphan, sorted by kind: an original whose bytes equal a picture or video a client sent (the
   upload's transaction was killed after the file was moved in: expected), a derivative that decodes whole (a
   killed task's run: expected), anything else (a partial file: a defect); ``manage.py sweep_orphan_files
   --min-age 0`` (report mode, nothing deleted) must list exactly those orphans. Tasks: how many were retried
   (claimed by more than one worker), still READY or RUNNING (stuck: must be 0), failed.

The figures are printed, and with ``--doc FILE`` written as a section of that Markdown file (bench/benchdoc.py).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hashlib
import io
import json
import os
import platform
import random
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import surge  # bench/surge.py: the client, the processes, the seeding  # noqa: E402
from benchdoc import write_section  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SECTION = "## Crash safety: SIGKILL during uploads and tasks"
PICTURE_SIZE = (1600, 1200)
VIDEO_SIZE = (320, 240)
HEARTBEAT_SECONDS, STALE_SECONDS = 2, 10


# --- media ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Media:
    path: Path
    sha256: str
    kind: str  # picture | video


def make_picture(args: tuple[int, str]) -> tuple[int, str]:
    """A 1600×1200 JPEG of its own (a random 8×6 pattern under light noise), a few hundred kB."""
    index, folder = args
    path = Path(folder) / f"crash-{index:04d}.jpg"
    if not path.exists():
        from PIL import Image, ImageChops

        rng = random.Random(20261203 + index)
        blocks = Image.frombytes("RGB", (8, 6), bytes(rng.randrange(256) for _ in range(8 * 6 * 3)))
        pattern = blocks.resize(PICTURE_SIZE, Image.Resampling.BILINEAR)
        noise = Image.effect_noise(PICTURE_SIZE, 8 + index % 5)
        picture = ImageChops.add(pattern, Image.merge("RGB", (noise, noise, noise)), scale=1.0, offset=-128)
        partial = path.with_suffix(".part")
        picture.save(partial, "JPEG", quality=82)
        partial.rename(path)
    return index, hashlib.sha256(path.read_bytes()).hexdigest()


def make_video(args: tuple[int, str]) -> tuple[int, str]:
    """A 2 s MP4 (MPEG-4 part 2, 320×240, 15 frames/s) of moving noise, its own colours, about 100–300 kB."""
    index, folder = args
    path = Path(folder) / f"crash-{index:04d}.mp4"
    if not path.exists():
        import av
        from PIL import Image, ImageChops

        rng = random.Random(777 + index)
        fps = 15
        partial = path.with_suffix(".part")
        with av.open(str(partial), mode="w", format="mp4") as container:
            stream = container.add_stream("mpeg4", rate=fps)
            stream.width, stream.height = VIDEO_SIZE
            stream.pix_fmt = "yuv420p"
            base = Image.new("RGB", VIDEO_SIZE, tuple(rng.randrange(256) for _ in range(3)))
            for n in range(2 * fps):
                noise = Image.effect_noise(VIDEO_SIZE, 20).convert("RGB")
                frame = av.VideoFrame.from_image(ImageChops.add(base, noise, scale=2.0, offset=-64))
                frame.pts, frame.time_base = n, Fraction(1, fps)
                for packet in stream.encode(frame):
                    container.mux(packet)
            for packet in stream.encode():
                container.mux(packet)
        partial.rename(path)
    return index, hashlib.sha256(path.read_bytes()).hexdigest()


def prepare_media(pictures: int, videos: int, folder: Path) -> tuple[list[Media], list[Media]]:
    folder.mkdir(parents=True, exist_ok=True)
    with ProcessPoolExecutor(max_workers=2) as pool:
        picture_hashes = dict(pool.map(make_picture, [(i, str(folder)) for i in range(pictures)], chunksize=8))
        video_hashes = dict(pool.map(make_video, [(i, str(folder)) for i in range(videos)], chunksize=4))
    made_pictures = [Media(folder / f"crash-{i:04d}.jpg", picture_hashes[i], "picture") for i in range(pictures)]
    made_videos = [Media(folder / f"crash-{i:04d}.mp4", video_hashes[i], "video") for i in range(videos)]
    assert len({m.sha256 for m in made_pictures + made_videos}) == pictures + videos, "two media files are equal"
    return made_pictures, made_videos


# --- the processes ---------------------------------------------------------------------------------------------------


class Process:
    """granian or the task worker, in a process group of its own, killed with SIGKILL and started again."""

    def __init__(self, name: str, start):
        self.name, self._start = name, start
        self.process: subprocess.Popen | None = None
        self.kills = 0
        self.starts = 0
        self.lock = threading.Lock()

    def start(self) -> None:
        with self.lock:
            self.process = self._start(self.starts)
            self.worker_id = f"crash-worker-{self.starts}"  # the task worker's --worker-id (bench only)
            self.starts += 1

    def kill(self) -> None:
        with self.lock:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)
            self.kills += 1

    def stop(self) -> None:
        if self.process is not None:
            surge.stop(self.process)


# --- the browsers ------------------------------------------------------------------------------------------------


@dataclass
class Accepted:
    work_id: int
    file_id: int
    sha256: str
    kind: str


@dataclass
class Tally:
    attempted: int = 0  # upload requests sent (retries included)
    accepted: list[Accepted] = field(default_factory=list)
    refused_connections: int = 0  # upload requests not sent: the server was down (connection refused)
    connection_errors: int = 0  # upload requests sent but cut off without an answer (the server was killed)
    other_errors: int = 0  # requests other than uploads that got no answer
    refused: dict[str, int] = field(default_factory=dict)  # 4xx/5xx answers to uploads, by status and code
    server_errors: int = 0  # 5xx answers, any request


class Browser:
    def __init__(self, index: int, port: int, campaign: int, tally: Tally, stop: asyncio.Event,
                 pictures: list[Media], videos: list[Media], clients: int = 1):
        self.index, self.campaign, self.tally, self.stop_event, self.clients = index, campaign, tally, stop, clients
        self.client = surge.HttpClient("127.0.0.1", port, source=f"127.0.1.{10 + index}", timeout=60)
        self.pictures, self.videos = pictures, videos
        self.photo_work: str | None = None  # path of the photo work being filled
        self.photo_count = 0

    async def send(self, call, *, upload: bool = False) -> surge.Answer | None:
        """The answer of ``call()``, sent again after a connection error (a pause of 0.3–1 s) until the bench
        stops; None when it stopped first."""
        while True:
            try:
                answer = await call()
            except surge.HttpError as error:
                if upload and "ConnectionRefused" in str(error):
                    self.tally.refused_connections += 1
                elif upload:
                    self.tally.connection_errors += 1
                else:
                    self.tally.other_errors += 1
                if self.stop_event.is_set() and upload:
                    return None
                await asyncio.sleep(random.uniform(0.3, 1.0))
                continue
            if answer.status >= 500:
                self.tally.server_errors += 1
            return answer

    async def sign_in(self, login: str) -> None:
        page = await self.send(lambda: self.client.request("GET", "/accounts/login/"))
        answer = await self.send(lambda: self.client.post_form("/accounts/login/", {
            "login": login, "password": surge.PASSWORD, "csrfmiddlewaretoken": surge.form_token(page.text)}))
        if answer.status != 302:
            raise SystemExit(f"{login} could not sign in: HTTP {answer.status}")

    async def new_work(self, category: str, form: str, n: int) -> str:
        while True:
            page = await self.send(lambda: self.client.request("GET", "/works/new/"))
            fields = {"csrfmiddlewaretoken": surge.form_token(page.text), "campaign": self.campaign,
                      "category": category, "title": f"海岸线上的青春（第{self.index + 1}组第{n}件）",
                      "display_form": form, "description": "记录岗位上的青年在服务一线的日常与担当。",
                      "contact_name": "王伟", "contact_phone": f"139{self.index:08d}", "essay_kind": "", "url": ""}
            answer = await self.send(lambda fields=fields: self.client.post_form("/works/new/", fields))
            if answer.status == 302:
                return surge.location_path(answer)
            if answer.status < 500:
                raise SystemExit(f"creating a work: HTTP {answer.status} {answer.text[:300]}")

    async def upload(self, work_path: str, media: Media, n: int) -> surge.Answer | None:
        content = media.path.read_bytes()
        name = f"IMG_{self.index:02d}_{n:03d}{media.path.suffix}"

        async def post():
            self.tally.attempted += 1
            return await self.client.post_file(f"{work_path}files/upload/", name, content,
                                               {"caption": f"第{n}张：窗口服务的一天"})

        return await self.send(post, upload=True)

    async def run(self) -> None:
        await self.sign_in(f"surge_{self.index:04d}")
        works = 0
        for n, media in enumerate(self._queue(), start=1):
            if self.stop_event.is_set():
                return
            if media.kind == "video":
                works += 1
                work_path = await self.new_work("publicity", "video", works)
            else:
                if self.photo_work is None or self.photo_count >= 9:
                    works += 1
                    self.photo_work, self.photo_count = await self.new_work("photo", "picture", works), 0
                work_path = self.photo_work
            answer = await self.upload(work_path, media, n)
            if answer is None:
                return
            if 200 <= answer.status < 300:
                record = answer.json()["file"]
                if record["sha256"] != media.sha256:
                    raise SystemExit(f"the server's SHA-256 {record['sha256']} is not the file's {media.sha256}")
                work_id = int(work_path.strip("/").split("/")[-1])
                self.tally.accepted.append(Accepted(work_id, record["id"], media.sha256, media.kind))
                if media.kind == "picture":
                    self.photo_count += 1
                continue
            try:
                codes = ",".join(error.get("code", "") for error in answer.json().get("errors", []))
            except (ValueError, AttributeError):
                codes = answer.text[:80]
            key = f"{answer.status} {codes}"
            self.tally.refused[key] = self.tally.refused.get(key, 0) + 1
            if "too_many" in codes:  # a retried upload had landed after all: the work is full, take a new one
                self.photo_work = None

    def _queue(self):
        """This browser's media, every fifth one a video, round after round (the same files again in new works
        once all were sent: they are then the same SHA-256 in another work, which the platform accepts)."""
        pictures = self.pictures[self.index::self.clients] or self.pictures
        videos = self.videos[self.index::self.clients] or self.videos
        n = 0
        while True:
            for i in range(4):
                yield pictures[(n * 4 + i) % len(pictures)]
            yield videos[n % len(videos)]
            n += 1


# --- the database, read by this process (Django set up on the run's settings) -------------------------------------


def setup_django(env: dict) -> None:
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "wenminghao.settings"
    sys.path.insert(0, str(surge.TREE / "src"))
    import django

    django.setup()


def running_task(path_suffix: str, worker_id: str) -> str | None:
    """A task of ``path_suffix`` that the worker ``worker_id`` is running now, in its first attempt (a task run again
    after a kill is left to finish: three dead workers in a row would give it up, WMH_TASK_MAX_ATTEMPTS)."""
    from django_tasks_db.models import DBTaskResult

    for task_id, worker_ids in DBTaskResult.objects.filter(status="RUNNING", task_path__endswith=path_suffix
                                                           ).values_list("id", "worker_ids"):
        if worker_ids == [worker_id]:
            return str(task_id)
    return None


def wait_for(predicate, seconds: float, step: float = 0.005):
    """The first true value of ``predicate()`` within ``seconds`` (polling every ``step``), else None."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    return None


def close_db() -> None:
    from django.db import connections

    connections.close_all()


# --- the run -----------------------------------------------------------------------------------------------------


@dataclass
class Run:
    args: argparse.Namespace
    env: dict
    port: int
    seeded: dict
    server: Process
    worker: Process
    tally: Tally = field(default_factory=Tally)
    thumbnail_kills: list[str] = field(default_factory=list)  # ids of the tasks RUNNING when the worker was killed
    export: dict = field(default_factory=dict)
    phase_seconds: float = 0.0
    drained_after: float | None = None


async def killer(run: Run, stop: asyncio.Event, started: float) -> None:
    rng = random.Random(run.args.seed)
    while True:
        await asyncio.to_thread(surge.wait_until_up, run.port, 60)
        done = (time.monotonic() - started >= run.args.duration and run.server.kills >= run.args.min_kills
                and len(run.tally.accepted) >= run.args.min_uploads)
        if done or time.monotonic() - started >= run.args.duration * 4:
            stop.set()
            return
        await asyncio.sleep(rng.uniform(1.0, 4.0))
        run.server.kill()
        print(f"  {time.monotonic() - started:5.1f} s: server killed ({run.server.kills}), "
              f"{len(run.tally.accepted)} uploads accepted so far", flush=True)
        run.server.start()


async def worker_killer(run: Run, stop: asyncio.Event, started: float) -> None:
    rng = random.Random(run.args.seed + 1)
    while not stop.is_set():
        await asyncio.sleep(rng.uniform(6.0, 12.0))
        if stop.is_set():
            return
        current = run.worker.worker_id
        task_id = await asyncio.to_thread(
            wait_for, lambda current=current: running_task("make_derivatives", current), 8)
        if task_id is None:
            continue
        run.worker.kill()
        run.thumbnail_kills.append(task_id)
        print(f"  {time.monotonic() - started:5.1f} s: task worker killed while running thumbnail task {task_id}",
              flush=True)
        run.worker.start()


async def chaos(run: Run, pictures: list[Media], videos: list[Media]) -> None:
    stop = asyncio.Event()
    browsers = [Browser(i, run.port, run.seeded["campaign"], run.tally, stop, pictures, videos, run.args.clients)
                for i in range(run.args.clients)]
    started = time.monotonic()
    tasks = [asyncio.create_task(browser.run()) for browser in browsers]
    await asyncio.gather(killer(run, stop, started), worker_killer(run, stop, started))
    await asyncio.gather(*tasks)
    for browser in browsers:
        await browser.client.close()
    run.phase_seconds = time.monotonic() - started


async def export_under_kill(run: Run) -> None:
    """The office's campaign export, the worker killed while the job is being made (asked again, up to ten
    times, when the worker finished a job before it could be killed), then made by the next worker."""
    from wenminghao.core.models import ExportJob

    browser = Browser(200, run.port, run.seeded["campaign"], Tally(), asyncio.Event(), [], [])
    office = browser.client
    await browser.sign_in("surge_office")
    path = f"/reviews/campaigns/{run.seeded['campaign']}/export/"
    tries, job_id, caught = 0, None, False
    while tries < 10 and not caught:
        tries += 1
        page = await browser.send(lambda: office.request("GET", path))
        token = surge.form_token(page.text)
        answer = await browser.send(lambda token=token: office.post_form(path, {"csrfmiddlewaretoken": token}))
        if answer.status != 302:
            raise SystemExit(f"asking for the export: HTTP {answer.status} {answer.text[:300]}")
        job_id = int(surge.location_path(answer).strip("/").split("/")[-1])

        def state(pk=job_id):
            status = ExportJob.objects.filter(pk=pk).values_list("status", flat=True).first()
            return status if status != "pending" else None

        status = await asyncio.to_thread(wait_for, state, 30, 0.002)
        if status == "running":
            run.worker.kill()
            caught = True
    run.export.update(tries=tries, job=job_id, caught=caught)
    if caught:
        killed_at = time.monotonic()
        print(f"  task worker killed while making export job {job_id} (try {tries})", flush=True)
        run.export["status_after_kill"] = await asyncio.to_thread(
            lambda: ExportJob.objects.filter(pk=job_id).values_list("status", flat=True).first())
        run.worker.start()

        def finished():
            value = ExportJob.objects.filter(pk=job_id).values_list("status", flat=True).first()
            return value if value in ("done", "failed") else None

        run.export["status"] = await asyncio.to_thread(wait_for, finished, STALE_SECONDS + 90, 0.2) or "still running"
        run.export["seconds"] = time.monotonic() - killed_at
    download = await browser.send(lambda: office.request("GET", f"/exports/{job_id}/download/"))
    valid = False
    if download.status == 200:
        with contextlib.suppress(zipfile.BadZipFile), zipfile.ZipFile(io.BytesIO(download.body)) as archive:
            valid = archive.testzip() is None and "xl/workbook.xml" in archive.namelist()
    run.export.update(download=download.status, valid=valid, bytes=len(download.body))
    await office.close()


def backlog() -> tuple[int, int]:
    from django_tasks_db.models import DBTaskResult

    from wenminghao.works.models import WorkFile

    return (WorkFile.objects.filter(derivatives="pending").count(),
            DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).count())


def drain(seconds: float) -> float | None:
    started = time.monotonic()
    found = wait_for(lambda: backlog() == (0, 0), seconds, 0.5)
    return time.monotonic() - started if found else None


# --- the checks ---------------------------------------------------------------------------------------------------


def sha_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def decodes_whole(path: Path) -> bool:
    from PIL import Image

    try:
        with Image.open(path) as image:
            image.load()
        return True
    except Exception:  # noqa: BLE001 - any failure to decode is a partial or broken file
        return False


def verify(run: Run, sent_hashes: set[str]) -> dict:
    from django_tasks_db.models import DBTaskResult

    from wenminghao.core.management.commands.sweep_orphan_files import PREFIXES, file_fields
    from wenminghao.works.models import WorkFile

    media = Path(run.args.data_dir) / "media"
    told = {a.file_id: a for a in run.tally.accepted}
    rows = {row["id"]: row for row in WorkFile.objects.values("id", "work_id", "sha256", "original", "size")}
    lost, wrong = [], []
    for file_id, accepted in told.items():
        row = rows.get(file_id)
        if row is None or row["work_id"] != accepted.work_id or row["sha256"] != accepted.sha256:
            lost.append(file_id)
            continue
        path = media / row["original"]
        if not path.exists() or sha_of(path) != accepted.sha256 or path.stat().st_size != row["size"]:
            wrong.append(file_id)
    untold = sorted(set(rows) - set(told))  # stored, but the answer never reached the browser (killed after commit)

    # every name a row refers to, in every model with file fields
    named: dict[str, tuple[str, str]] = {}
    for model, fields in file_fields():
        for values in model._default_manager.values_list(*fields):
            for name_, value in zip(fields, values, strict=True):
                if value:
                    named[value] = (model._meta.label, name_)
    dangling = sorted(name for name in named if not (media / name).exists())
    partial_named = []
    for row in rows.values():
        path = media / row["original"]
        if path.exists() and sha_of(path) != row["sha256"]:
            partial_named.append(row["original"])
    derived_named = [name for name, (label, field_name) in named.items()
                     if field_name in ("thumbnail", "web_copy", "poster") and (media / name).exists()]
    partial_named += [name for name in derived_named if not decodes_whole(media / name)]

    # every file in storage that no row names
    orphans: dict[str, list[str]] = {"upload whose transaction was killed": [], "derivative of a killed task run": [],
                                     "export of a killed task run": [], "partial or unknown (defect)": []}
    for path in sorted(p for p in media.rglob("*") if p.is_file()):
        name = path.relative_to(media).as_posix()
        if name in named:
            continue
        if "/derived/" in name and decodes_whole(path):
            orphans["derivative of a killed task run"].append(name)
        elif name.startswith("works/") and "/derived/" not in name and sha_of(path) in sent_hashes:
            orphans["upload whose transaction was killed"].append(name)
        elif name.startswith("exports/") and zipfile.is_zipfile(path):
            orphans["export of a killed task run"].append(name)
        else:
            orphans["partial or unknown (defect)"].append(name)
    leftovers = sorted(p.name for p in (Path(run.args.data_dir) / "tmp").glob("*") if p.is_file())

    sweep = subprocess.run([str(surge.PYTHON), "manage.py", "sweep_orphan_files", "--min-age", "0"], cwd=surge.TREE,
                           env=run.env, capture_output=True, text=True, check=True).stdout
    swept = sorted(re.findall(r"^孤立文件 (\S+?)（\d+字节）", sweep, re.MULTILINE))
    expected = sorted(name for names in orphans.values() for name in names if name.startswith(PREFIXES))
    tasks = list(DBTaskResult.objects.values("task_path", "status", "worker_ids"))
    return {
        "told": len(told), "rows": len(rows), "lost": len(lost), "wrong_bytes": len(wrong), "untold": len(untold),
        "dangling": len(dangling), "dangling_names": dangling[:5], "partial_named": len(partial_named),
        "orphans": {kind: len(names) for kind, names in orphans.items()},
        "orphan_names": {kind: names[:5] for kind, names in orphans.items() if names},
        "tmp_leftovers": len(leftovers),
        "sweep_found": len(swept), "sweep_matches": swept == expected,
        "sweep_temporary": len(re.findall(r"^临时文件 ", sweep, re.MULTILINE)),
        "sweep_summary": sweep.strip().splitlines()[-1] if sweep.strip() else "",
        "tasks": len(tasks),
        "retried": sum(1 for t in tasks if len(t["worker_ids"]) > 1),
        "retried_by_task": {path.rsplit(".", 1)[-1]: sum(1 for t in tasks if t["task_path"] == path
                                                          and len(t["worker_ids"]) > 1)
                            for path in sorted({t["task_path"] for t in tasks})},
        "stuck": sum(1 for t in tasks if t["status"] in ("READY", "RUNNING")),
        "failed": sum(1 for t in tasks if t["status"] == "FAILED"),
        "pending_derivatives": WorkFile.objects.filter(derivatives="pending").count(),
        "failed_derivatives": WorkFile.objects.filter(derivatives="failed").count(),
        "thumbnail_kills_finished": sum(1 for task_id in run.thumbnail_kills if DBTaskResult.objects.filter(
            pk=task_id, status="SUCCESSFUL").exists()),
    }


# --- setting up, reporting -----------------------------------------------------------------------------------------


def prepare(args) -> tuple[dict, dict]:
    data_dir = Path(args.data_dir)
    if data_dir.exists():
        shutil.rmtree(data_dir)
    data_dir.mkdir(parents=True)
    database_url = args.database_url or f"sqlite:///{data_dir / 'wenminghao.sqlite3'}"
    if database_url.startswith("postgres"):
        surge.recreate_database(database_url)
    env = surge.app_env(database_url, data_dir, Path(args.static_root), secrets.token_urlsafe(50),
                        WMH_WORKER_HEARTBEAT_SECONDS=HEARTBEAT_SECONDS, WMH_WORKER_STALE_SECONDS=STALE_SECONDS)
    surge.manage(env, "migrate", "--verbosity", "0")
    surge.manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    seeded = surge.run_seed(env, args.clients, 2, office_admin=True)
    return env, seeded


def report(args, run: Run, check: dict, pictures_kb: float, videos_kb: float) -> str:
    database = "PostgreSQL" if (args.database_url or "").startswith("postgres") else "SQLite"
    tally = run.tally
    kinds = {kind: sum(1 for a in tally.accepted if a.kind == kind) for kind in ("picture", "video")}
    orphans = "; ".join(f"{kind} {n}" for kind, n in check["orphans"].items())
    export = run.export
    if export.get("caught"):
        export_text = (f"job {export['job']} `{export['status_after_kill']}` at the kill (try {export['tries']}), "
                       f"then `{export['status']}` {export['seconds']:.0f} s later")
    else:
        export_text = f"not caught running in {export.get('tries')} tries"
    lines = [
        f"{SECTION} ({database})", "",
        f"`bench/crash_safety.py{' --database-url …' if database == 'PostgreSQL' else ''} --duration "
        f"{args.duration:g} --clients {args.clients}` on {platform.python_implementation()} "
        f"{platform.python_version()}, {os.cpu_count()} cores: {run.phase_seconds:.0f} s of uploads under kills.", "",
        "| figure | value |", "|---|---:|",
        f"| upload attempts (retries included) | {tally.attempted} |",
        f"| uploads accepted (2xx) | {len(tally.accepted)} ({kinds['picture']} pictures of {pictures_kb:.0f} kB, "
        f"{kinds['video']} videos of {videos_kb:.0f} kB on average) |",
        f"| upload requests cut off by a kill (sent, no answer; sent again) | {tally.connection_errors} |",
        f"| upload attempts refused while the server was down (sent again) | {tally.refused_connections} |",
        f"| uploads refused (4xx/5xx) | {sum(tally.refused.values())} "
        f"{('(' + ', '.join(f'{k}: {v}' for k, v in tally.refused.items()) + ')') if tally.refused else ''} |",
        f"| 5xx answers (any request) | {tally.server_errors} |",
        f"| server kills (SIGKILL to granian's process group) | {run.server.kills} |",
        f"| task worker kills | {run.worker.kills} ({len(run.thumbnail_kills)} during a thumbnail, "
        f"{1 if export.get('caught') else 0} during an export) |",
        f"| **lost** (accepted, but no row, another SHA-256 or other bytes) | "
        f"**{check['lost'] + check['wrong_bytes']}** |",
        f"| stored without an answer (committed, then killed before answering; the browser sent it again) | "
        f"{check['untold']} |",
        f"| rows naming a missing file | {check['dangling']} |",
        f"| partial files named by a row | {check['partial_named']} |",
        f"| orphans in storage | {sum(check['orphans'].values())} ({orphans}) |",
        f"| `sweep_orphan_files --min-age 0` (report mode) | found {check['sweep_found']}, "
        f"{'exactly those' if check['sweep_matches'] else 'NOT the same as the orphans above'} |",
        f"| temporary files left in `tmp/` (bodies of killed uploads, outside storage, named by no row) | "
        f"{check['tmp_leftovers']}, listed by the sweep: {check['sweep_temporary']} |",
        f"| tasks | {check['tasks']}: retried {check['retried']} "
        f"({', '.join(f'{k} {v}' for k, v in check['retried_by_task'].items())}), stuck {check['stuck']}, "
        f"failed {check['failed']} |",
        f"| thumbnail tasks killed mid-run and then finished | {check['thumbnail_kills_finished']} of "
        f"{len(run.thumbnail_kills)} |",
        f"| export job killed mid-run | {export_text}; downloaded {export.get('download')}, a valid .xlsx: "
        f"{'yes' if export.get('valid') else 'no'} |",
        f"| thumbnails still pending at the end | {check['pending_derivatives']} "
        + (f"(queue drained {run.drained_after:.0f} s after the kills)" if run.drained_after is not None
           else f"(not drained within {args.drain_seconds} s)") + " |",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=90.0, help="seconds of uploads under kills (at least)")
    parser.add_argument("--clients", type=int, default=6)
    parser.add_argument("--min-uploads", type=int, default=100)
    parser.add_argument("--min-kills", type=int, default=5)
    parser.add_argument("--pictures", type=int, default=120)
    parser.add_argument("--videos", type=int, default=30)
    parser.add_argument("--drain-seconds", type=int, default=180)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--database-url", default="", help="PostgreSQL (dropped and created again); default SQLite")
    parser.add_argument("--data-dir", default=str(Path(tempfile.gettempdir()) / "wmh_crash"))
    parser.add_argument("--static-root", default=str(Path(tempfile.gettempdir()) / "wmh_crash_static"))
    parser.add_argument("--media-dir", default=str(Path(tempfile.gettempdir()) / "wmh_crash_media"))
    parser.add_argument("--doc", default="", help="a Markdown file whose section this run replaces")
    parser.add_argument("--keep", action="store_true", help="keep the data directory and database")
    parser.add_argument("--tree", default=str(ROOT), help="run the platform from this copy of the project (e.g. "
                        "`git archive HEAD | tar -x -C DIR`): edits in the work tree during a run then change nothing")
    args = parser.parse_args()
    surge.TREE = Path(args.tree).resolve()

    pictures, videos = prepare_media(args.pictures, args.videos, Path(args.media_dir))
    pictures_kb = sum(m.path.stat().st_size for m in pictures) / len(pictures) / 1e3
    videos_kb = sum(m.path.stat().st_size for m in videos) / len(videos) / 1e3
    print(f"{len(pictures)} pictures ({pictures_kb:.0f} kB) and {len(videos)} videos ({videos_kb:.0f} kB) ready",
          flush=True)
    env, seeded = prepare(args)
    setup_django(env)
    port = surge.free_port()
    logs = Path(args.data_dir) / "logs"
    logs.mkdir(exist_ok=True)
    server = Process("granian", lambda n: surge.start_granian(env, port, workers=2, threads=4,
                                                              log=logs / f"granian-{n}.log"))
    worker = Process("worker", lambda n: surge.start_worker(env, logs / f"worker-{n}.log", f"crash-worker-{n}"))
    run = Run(args, env, port, seeded, server, worker)
    server.start()
    worker.start()
    try:
        surge.wait_until_up(port)
        print(f"serving on 127.0.0.1:{port}; {args.clients} browsers uploading, kills for at least "
              f"{args.duration:g} s", flush=True)
        asyncio.run(chaos(run, pictures, videos))
        print(f"{len(run.tally.accepted)} uploads accepted, {server.kills} server kills; now the export", flush=True)
        surge.wait_until_up(port)
        asyncio.run(export_under_kill(run))
        run.drained_after = drain(args.drain_seconds)
        server.stop()
        worker.stop()
        close_db()
        check = verify(run, {m.sha256 for m in pictures + videos})
    finally:
        server.stop()
        worker.stop()
    print(json.dumps({k: v for k, v in check.items()}, ensure_ascii=False, indent=1))
    text = report(args, run, check, pictures_kb, videos_kb)
    print(text)
    if args.doc:
        database = "PostgreSQL" if (args.database_url or "").startswith("postgres") else "SQLite"
        write_section(f"{SECTION} ({database})", text, Path(args.doc))
    if not args.keep:
        close_db()
        shutil.rmtree(args.data_dir, ignore_errors=True)
        if (args.database_url or "").startswith("postgres"):
            surge.drop_database(args.database_url)
    if check["lost"] or check["wrong_bytes"] or check["dangling"] or check["partial_named"] or check["stuck"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
