"""Media checks: how long the server takes to check uploads, and how much memory a 300 MB upload costs it.

Run by hand (not by pytest); it needs a few minutes and about 1.5 GB of temporary disk space:

    .venv/bin/python bench/media_checks.py              # all three measurements, written to docs/benchmarks.md
    .venv/bin/python bench/media_checks.py --no-doc     # print only
    .venv/bin/python bench/media_checks.py --no-server  # (a) and (b) only
    .venv/bin/python bench/media_checks.py --doc /tmp/x.md  # write the section to another file

Everything happens in a throwaway data directory (WMH_DATA_DIR, SQLite, local storage), removed afterwards:

(a) a group of 9 photo-like 4000×3000 JPEGs (generated with Pillow): the time of ``works.media.inspect_picture``
    on each (content sniffing, EXIF orientation, the decode at 1/8 scale that reads every coded block), where
    that time goes (header and EXIF, the 1/8 decode, against the full-size decode the check used to make and the
    SHA-256 that is taken while the bytes arrive), the group checked on 2 threads as 2 cores take the upload
    page's parallel requests, and the whole upload path — ``POST
    /api/v1/works/{id}/files`` through Django's test client, one request per picture as the upload page sends
    them (streamed to a temporary file and hashed, checked, moved into storage, recorded, audited, task queued);
    then the time of the background task (``works.tasks.make_derivatives``) per picture, which is not in the
    request.
(b) a 30.0 s 1080p H.264 video (generated with PyAV; MPEG-4 Part 2 if no H.264 encoder is available): the time of
    ``works.media.inspect_video`` (headers, every packet's timestamps, the first keyframe decoded) and where it
    goes, against the way it was checked before (the demuxer's probe decoding frames, a second pass from the
    start decoding until the first frame came out), of the upload request, and of the task.
(c) the real server, as ``scripts/serve.sh`` runs it (granian, 2 WSGI worker processes, and a ``db_worker``), on
    a free loopback port: a genuine 1080p video of just under 300 MB (MPEG-4 Part 2 at a very high bit rate, so
    that it is under 30 s yet that large) is uploaded with a streaming client (http.client, read from disk 1 MB at
    a time), while the resident memory (VmRSS in /proc) of every server process is sampled every 50 ms; the
    baseline is taken after four small warm-up uploads. The task worker's memory is sampled until it has made
    the poster.
"""

import argparse
import contextlib
import datetime
import json
import os
import platform
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from fractions import Fraction
from pathlib import Path

from benchdoc import write_section  # bench/benchdoc.py, beside this script

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"
SECTION = "## Media checks"
RUNS = 5
PICTURES = 9
PICTURE_SIZE = (4000, 3000)
VIDEO_SECONDS = 30
VIDEO_SIZE = (1920, 1080)
VIDEO_FPS = 30
BIG_VIDEO_TARGET = 300 * 1000 * 1000  # bytes: "300 MB", and under the 300 MiB default limit
SAMPLE_SECONDS = 0.05
PASSWORD = "bench-media-2018"


# --- set-up ------------------------------------------------------------------------------------------------

def setup_django(data_dir: Path) -> None:
    os.environ["WMH_DATA_DIR"] = str(data_dir)
    os.environ["WMH_DEMO"] = "1"  # the settings of `make run`: tasks go to the database queue, as in production
    os.environ.pop("WMH_TESTING", None)
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "wenminghao.settings"
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build() -> dict:
    """A city office, one collective with its leader's account, an open campaign; an API token."""
    from django.utils import timezone

    from wenminghao.accounts.models import User
    from wenminghao.accounts.services import issue_api_token
    from wenminghao.campaigns.models import Campaign
    from wenminghao.collectives.models import Collective
    from wenminghao.core.roles import Role
    from wenminghao.orgs.enums import UnitKind
    from wenminghao.orgs.services import create_unit

    city = create_unit(actor=None, parent=None, name="威海市团委", kind=UnitKind.CITY)
    area = create_unit(actor=None, parent=city, name="环翠区团委", kind=UnitKind.AREA)
    collective = Collective.objects.create(
        unit=area, name="环翠区政务服务中心窗口", host_org="环翠区政务服务中心", sector="service",
        org_type="public_institution", unit_form="window", contact_name="张联系", contact_phone="13800000000",
    )
    leader = User(username="leader", role=Role.COLLECTIVE, collective=collective)
    leader.set_password(PASSWORD)
    leader.save()
    now = timezone.now()
    campaign = Campaign.objects.create(
        office=city, name="2018年度威海市青年文明号创建", level="city", year=2018,
        filing_deadline=now + datetime.timedelta(days=30), deadline=now + datetime.timedelta(days=30),
        reference_date=datetime.date(2018, 8, 20),
    )
    return {"leader": leader, "collective": collective, "campaign": campaign, "token": issue_api_token(user=leader)}


def new_work(env: dict, category: str):
    from wenminghao.works.services import create_work

    fields = {"photo": {"category": "photo", "display_form": "picture", "title": "窗口里的四十年"},
              "publicity": {"category": "publicity", "display_form": "video", "title": "三十秒讲清新思想"}}[category]
    return create_work(actor=env["leader"], collective=env["collective"], campaign=env["campaign"],
                       fields={**fields, "contact_name": "王联系", "contact_phone": "13900000000"})


# --- media -------------------------------------------------------------------------------------------------

def photo(seed: int, size=PICTURE_SIZE):
    """A photograph-like picture: soft overlapping shapes with sensor-like noise (so it compresses like a photo,
    about 4–5 MB as JPEG at quality 90, like a phone's 12-megapixel photo)."""
    from PIL import Image, ImageDraw, ImageFilter

    rnd = random.Random(seed)
    image = Image.new("RGB", size, tuple(rnd.randrange(256) for _ in range(3)))
    draw = ImageDraw.Draw(image)
    width, height = size
    for _ in range(40):
        x0, y0 = rnd.randrange(width), rnd.randrange(height)
        box = [x0, y0, x0 + rnd.randrange(width // 10, width // 2), y0 + rnd.randrange(height // 10, height // 2)]
        (draw.ellipse if rnd.random() < 0.5 else draw.rectangle)(box, fill=tuple(rnd.randrange(256) for _ in "rgb"))
    image = image.filter(ImageFilter.GaussianBlur(4))
    return Image.blend(image, Image.effect_noise(size, 60).convert("RGB"), 0.18)


def make_pictures(folder: Path) -> list[Path]:
    paths = []
    for index in range(1, PICTURES + 1):
        path = folder / f"照片{index}.jpg"
        photo(index).save(path, "JPEG", quality=90)
        paths.append(path)
    return paths


def video_codec() -> str:
    import av

    return "libx264" if "libx264" in av.codecs_available else "mpeg4"


def make_video(path: Path) -> str:
    """30.0 s of 1080p at 30 frames a second, at a phone camera's bit rate (16 Mbit/s): a camera panning slowly
    over a photo-like scene, with changing sensor noise so that the encoder has to spend those bits."""
    import av
    from PIL import Image

    codec = video_codec()
    scene = photo(99, (2600, 1500))
    grain = [Image.effect_noise(VIDEO_SIZE, 40).convert("RGB") for _ in range(7)]
    with av.open(str(path), "w", format="mp4") as container:
        options = {"preset": "veryfast"} if codec == "libx264" else {}
        stream = container.add_stream(codec, rate=VIDEO_FPS, options=options)
        stream.width, stream.height = VIDEO_SIZE
        stream.pix_fmt = "yuv420p"
        stream.bit_rate = 16_000_000
        frames = VIDEO_SECONDS * VIDEO_FPS
        for index in range(frames):
            x = round((scene.width - VIDEO_SIZE[0]) * index / frames)
            y = round((scene.height - VIDEO_SIZE[1]) * index / frames / 2)
            view = scene.crop((x, y, x + VIDEO_SIZE[0], y + VIDEO_SIZE[1]))
            frame = av.VideoFrame.from_image(Image.blend(view, grain[index % len(grain)], 0.1))
            frame.pts = index
            frame.time_base = Fraction(1, VIDEO_FPS)
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return {"libx264": "H.264 by libx264, veryfast preset, 16 Mbit/s", "mpeg4": "MPEG-4 Part 2, 16 Mbit/s"}[codec]


def make_big_video(path: Path, target: int = BIG_VIDEO_TARGET) -> dict:
    """A genuine 1080p MPEG-4 video of just under ``target`` bytes and under 30 s: frames of noise at a fine
    quantiser are about 0.5 MB each. Muxing stops when the file is within 3 MB of the target."""
    import av
    from PIL import Image

    noise = [Image.effect_noise(VIDEO_SIZE, 70).convert("RGB") for _ in range(12)]
    frames = 0
    with av.open(str(path), "w", format="mp4") as container:
        stream = container.add_stream("mpeg4", rate=VIDEO_FPS, options={"qscale": "3"})
        stream.width, stream.height = VIDEO_SIZE
        stream.pix_fmt = "yuv420p"
        while frames < 29 * VIDEO_FPS and (path.stat().st_size if path.exists() else 0) < target - 3_000_000:
            frame = av.VideoFrame.from_image(noise[frames % len(noise)])
            frame.pts = frames
            frame.time_base = Fraction(1, VIDEO_FPS)
            for packet in stream.encode(frame):
                container.mux(packet)
            frames += 1
        for packet in stream.encode():
            container.mux(packet)
    return {"bytes": path.stat().st_size, "seconds": frames / VIDEO_FPS}


# --- (a) and (b): in this process ----------------------------------------------------------------------------

def timed(function, *args, **kwargs):
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - started, result


def api_post_file(client, token: str, work_id: int, path: Path):
    with open(path, "rb") as handle:
        return client.post(f"/api/v1/works/{work_id}/files", {"file": handle},
                           headers={"Authorization": f"Bearer {token}"})


def median_ms(function, runs: int = RUNS) -> float:
    """The median over ``runs`` of the time of ``function()``, in milliseconds (after one warm-up call)."""
    function()
    return round(statistics.median(timed(function)[0] for _ in range(runs)) * 1000, 1)


def profile_pictures(paths: list[Path]) -> dict:
    """Where the time of checking the 9 goes: each stage on all 9, median of RUNS."""
    import hashlib
    from concurrent.futures import ThreadPoolExecutor

    from PIL import Image

    from wenminghao.works import media

    def header_and_exif():
        for path in paths:
            with Image.open(path) as image:
                image.getexif().get(0x0112)

    def decode(reduced: bool):
        def run():
            for path in paths:
                with Image.open(path) as image:
                    if reduced:
                        media.verify_scale(image)
                    image.load()
        return run

    def sha256():
        for path in paths:
            hashlib.sha256(path.read_bytes()).hexdigest()

    def streamed() -> tuple[float, float]:
        """Each picture fed to StreamedJpegCheck in the upload handler's 64 kB chunks: the seconds spent while
        the bytes arrive (every chunk but the last), and after the last byte (the last chunk, the verdict and
        inspect_picture given it)."""
        during = after = 0.0
        for path in paths:
            data = path.read_bytes()
            chunks = [data[start:start + 64 * 1024] for start in range(0, len(data), 64 * 1024)]
            check = media.StreamedJpegCheck()
            started = time.perf_counter()
            for chunk in chunks[:-1]:
                check.feed(chunk)
            arrived = time.perf_counter()
            check.feed(chunks[-1])
            facts = media.inspect_picture(str(path), path.name, streamed=check.verdict())
            after += time.perf_counter() - arrived
            during += arrived - started
            assert facts.decoded
        return during, after

    streamed()
    streamed_runs = [streamed() for _ in range(RUNS)]

    def on_two_threads():
        with ThreadPoolExecutor(2) as pool:
            list(pool.map(lambda path: media.inspect_picture(str(path), path.name), paths))

    return {
        "header_exif_ms": median_ms(header_and_exif),
        "reduced_decode_ms": median_ms(decode(True)),
        "full_decode_ms": median_ms(decode(False)),
        "sha256_ms": median_ms(sha256),
        "two_threads_ms": median_ms(on_two_threads),
        "streamed_during_ms": round(statistics.median(run[0] for run in streamed_runs) * 1000, 1),
        "streamed_after_ms": round(statistics.median(run[1] for run in streamed_runs) * 1000, 1),
    }


def profile_video(path: Path) -> dict:
    """Where the time of checking the video goes, and the way it was checked before, median of RUNS."""
    import av

    from wenminghao.works import media

    probe = media._PROBE_OPTIONS

    def open_with_probe_decoding():
        with av.open(str(path), metadata_errors="ignore") as container:
            assert container.streams.video[0].codec_context.width

    def open_headers_only():
        with av.open(str(path), metadata_errors="ignore", options=probe) as container:
            assert container.streams.video[0].codec_context.width

    def packet_pass():
        with av.open(str(path), metadata_errors="ignore", options=probe) as container:
            video = container.streams.video[0]
            media._read_packets(container, video, list(container.streams.audio), gif=False)

    def first_keyframe():
        with av.open(str(path), metadata_errors="ignore", options=probe) as container:
            video = container.streams.video[0]
            packet = next(container.demux(video))
            assert media._opening_decodes(video, [packet])

    def as_before():
        """Probe decoding frames at open, every packet, then seek back and decode until a frame comes out."""
        with av.open(str(path), metadata_errors="ignore") as container:
            video = container.streams.video[0]
            for packet in container.demux(video):
                packet.pts  # noqa: B018 - read as the check read it
            container.seek(0)
            for frame in container.decode(video):
                assert frame is not None
                break

    return {
        "open_probe_ms": median_ms(open_with_probe_decoding),
        "open_headers_ms": median_ms(open_headers_only),
        "packets_ms": median_ms(packet_pass),
        "first_keyframe_ms": median_ms(first_keyframe),
        "as_before_ms": median_ms(as_before),
    }


def measure_pictures(env: dict, folder: Path) -> dict:
    from django.test import Client

    from wenminghao.works import media
    from wenminghao.works.models import WorkFile
    from wenminghao.works.tasks import make_derivatives

    paths = make_pictures(folder)
    sizes = [path.stat().st_size for path in paths]
    for path in paths:  # warm-up, and a check that the pictures pass
        facts = media.inspect_picture(str(path), path.name)
        assert facts.format == "JPEG" and facts.decoded and facts.width == PICTURE_SIZE[0], facts
    inspect_totals = []
    for _ in range(RUNS):
        inspect_totals.append(sum(timed(media.inspect_picture, str(path), path.name)[0] for path in paths))
    profile = profile_pictures(paths)

    client = Client(HTTP_HOST="127.0.0.1")
    upload_totals, per_request = [], []
    file_ids = []
    for run in range(RUNS + 1):  # the first run warms up
        work = new_work(env, "photo")
        total = 0.0
        for path in paths:
            seconds, response = timed(api_post_file, client, env["token"], work.pk, path)
            if response.status_code != 201:
                raise SystemExit(f"upload of {path.name} answered {response.status_code}: {response.content[:400]!r}")
            if run:
                total += seconds
                per_request.append(seconds)
            file_ids.append(response.json()["id"])
        if run:
            upload_totals.append(total)
    task_times = []
    for file_id in file_ids[-PICTURES:]:
        seconds, state = timed(make_derivatives.call, file_id)
        assert state == "ready", state
        task_times.append(seconds)
    similar = WorkFile.objects.get(pk=file_ids[-1]).similar.count()
    return {
        "megabytes": [round(size / 1e6, 1) for size in sizes],
        "inspect_total_ms": round(statistics.median(inspect_totals) * 1000),
        "upload_total_ms": round(statistics.median(upload_totals) * 1000),
        "upload_each_ms": round(statistics.median(per_request) * 1000),
        "upload_max_ms": round(max(per_request) * 1000),
        "task_each_ms": round(statistics.median(task_times) * 1000),
        "similar_rows_of_last": similar,
        **profile,
    }


def measure_video(env: dict, folder: Path) -> dict:
    from django.test import Client

    from wenminghao.works import media
    from wenminghao.works.tasks import make_derivatives

    path = folder / "宣传片.mp4"
    seconds, codec = timed(make_video, path)
    print(f"  generated the 30 s video in {seconds:.0f} s", file=sys.stderr, flush=True)
    facts = media.inspect_video(str(path), path.name)
    assert facts.has_video and facts.duration is not None, facts
    inspect_times = [timed(media.inspect_video, str(path), path.name)[0] for _ in range(RUNS)]
    profile = profile_video(path)
    client = Client(HTTP_HOST="127.0.0.1")
    upload_times, file_ids = [], []
    for run in range(RUNS + 1):
        work = new_work(env, "publicity")
        seconds, response = timed(api_post_file, client, env["token"], work.pk, path)
        if response.status_code != 201:
            raise SystemExit(f"video upload answered {response.status_code}: {response.content[:400]!r}")
        if run:
            upload_times.append(seconds)
        file_ids.append(response.json()["id"])
    task_times = []
    for file_id in file_ids[-3:]:
        took, state = timed(make_derivatives.call, file_id)
        assert state == "ready", state
        task_times.append(took)
    return {
        "codec": codec, "megabytes": round(path.stat().st_size / 1e6, 1), "duration": str(facts.duration),
        "inspect_ms": round(statistics.median(inspect_times) * 1000),
        "upload_ms": round(statistics.median(upload_times) * 1000),
        "task_ms": round(statistics.median(task_times) * 1000),
        **profile,
    }


# --- (c): the real server ------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rss_kib(pid: int, field: str = "VmRSS") -> int:
    """The resident set (VmRSS) of a process in KiB, or its high-water mark (VmHWM)."""
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith(f"{field}:"):
                    return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError):
        pass
    return 0


def reset_high_water_marks(pids: list[int]) -> bool:
    """Set each process's VmHWM back to its current RSS (Linux: write 5 to clear_refs), so that afterwards VmHWM
    is the exact peak in between, which 50 ms sampling might miss. False where that is not permitted."""
    try:
        for pid in pids:
            with open(f"/proc/{pid}/clear_refs", "w") as handle:
                handle.write("5")
        return True
    except OSError:
        return False


def descendants(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                stat = handle.read()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    found, queue = [], [root]
    while queue:
        pid = queue.pop()
        found.append(pid)
        queue.extend(children.get(pid, []))
    return found


class Sampler(threading.Thread):
    """Samples the RSS of a process tree every 50 ms: per process and the sum, kept as peaks."""

    def __init__(self, root: int):
        super().__init__(daemon=True)
        self.root = root
        self.pids = descendants(root)
        self.peak_each: dict[int, int] = {}
        self.peak_sum = 0
        self.samples = 0
        self.running = threading.Event()
        self.running.set()

    def sample(self) -> dict[int, int]:
        return {pid: rss_kib(pid) for pid in self.pids}

    def run(self):
        while self.running.is_set():
            now = self.sample()
            self.samples += 1
            self.peak_sum = max(self.peak_sum, sum(now.values()))
            for pid, value in now.items():
                self.peak_each[pid] = max(self.peak_each.get(pid, 0), value)
            time.sleep(SAMPLE_SECONDS)

    def stop(self):
        self.running.clear()
        self.join()


def wait_for_server(port: int, process, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server stopped at start-up (exit {process.returncode})")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/me", timeout=2)
            return
        except urllib.error.HTTPError:
            return  # 401: it answers
        except OSError:
            time.sleep(0.2)
    raise SystemExit("the server did not answer within a minute")


def stream_upload(port: int, token: str, work_id: int, path: Path) -> dict:
    """POST a file as multipart/form-data, read from disk and sent 1 MB at a time (never whole in memory)."""
    import http.client

    boundary = uuid.uuid4().hex
    head = (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{path.name}"\r\n'
            f"Content-Type: application/octet-stream\r\n\r\n").encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    size = path.stat().st_size
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=900)
    started = time.perf_counter()
    connection.putrequest("POST", f"/api/v1/works/{work_id}/files")
    connection.putheader("Authorization", f"Bearer {token}")
    connection.putheader("Content-Type", f"multipart/form-data; boundary={boundary}")
    connection.putheader("Content-Length", str(len(head) + size + len(tail)))
    connection.endheaders()
    connection.send(head)
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            connection.send(chunk)
    connection.send(tail)
    sent = time.perf_counter()
    response = connection.getresponse()
    body = response.read()
    answered = time.perf_counter()
    connection.close()
    return {"status": response.status, "body": body[:300].decode("utf-8", "replace"),
            "send_s": sent - started, "answer_s": answered - sent}


def measure_server(env: dict, folder: Path, data_dir: Path) -> dict:
    from django.db import connections
    from django_tasks_db.models import DBTaskResult

    from wenminghao.works.models import WorkFile

    DBTaskResult.objects.all().delete()  # (a) and (b) ran their tasks themselves: the worker starts with none

    print("  generating the 300 MB video …", file=sys.stderr, flush=True)
    big = folder / "大视频.mp4"
    big_facts = make_big_video(big)
    small = folder / "warm.mp4"
    make_small_video(small)
    warm_works = [new_work(env, "publicity").pk for _ in range(4)]
    work_id = new_work(env, "publicity").pk
    connections.close_all()

    port = free_port()
    environment = {**os.environ, "WMH_DATA_DIR": str(data_dir), "WMH_DEMO": "1"}
    bin_dir = ROOT / ".venv" / "bin"
    server = subprocess.Popen(
        [str(bin_dir / "granian"), "--interface", "wsgi", "--host", "127.0.0.1", "--port", str(port),
         "--workers", "2", "--blocking-threads", "4", "--working-dir", "src", "--no-ws",
         "wenminghao.wsgi:application"],
        cwd=ROOT, env=environment, stdout=subprocess.DEVNULL, stderr=open(data_dir / "server.log", "wb"),  # noqa: SIM115
    )
    worker = subprocess.Popen(
        [str(bin_dir / "python"), "manage.py", "db_worker", "--queue-name", "default", "--interval", "0.2"],
        cwd=ROOT, env=environment, stdout=subprocess.DEVNULL, stderr=open(data_dir / "worker.log", "wb"),  # noqa: SIM115
    )
    try:
        wait_for_server(port, server)
        time.sleep(1)
        for warm_id in warm_works:
            answer = stream_upload(port, env["token"], warm_id, small)
            if answer["status"] != 201:
                raise SystemExit(f"warm-up upload answered {answer['status']}: {answer['body']}")
        time.sleep(2)
        sampler = Sampler(server.pid)
        baseline = sampler.sample()
        exact = reset_high_water_marks(sampler.pids)
        sampler.start()
        answer = stream_upload(port, env["token"], work_id, big)
        sampler.stop()
        high_water = {pid: rss_kib(pid, "VmHWM") for pid in sampler.pids} if exact else {}
        if answer["status"] != 201:
            raise SystemExit(f"the 300 MB upload answered {answer['status']}: {answer['body']}")
        # The task worker makes the poster and the hash of the big video.
        worker_sampler = Sampler(worker.pid)
        worker_baseline = sum(worker_sampler.sample().values())
        worker_sampler.start()
        started = time.perf_counter()
        state = "pending"
        while time.perf_counter() - started < 300:
            work_file = WorkFile.objects.filter(work_id=work_id).first()
            state = work_file.derivatives if work_file else "missing"
            if state != "pending":
                break
            time.sleep(0.2)
        task_wait = time.perf_counter() - started
        worker_sampler.stop()
        connections.close_all()
    finally:
        for process in (server, worker):
            process.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=20)
            if process.poll() is None:
                process.kill()
    pids = sorted(sampler.pids)
    return {
        "video_bytes": big_facts["bytes"], "video_seconds": round(big_facts["seconds"], 2),
        "send_s": round(answer["send_s"], 1), "answer_s": round(answer["answer_s"], 2), "samples": sampler.samples,
        "processes": [{"pid": pid, "role": "granian main" if pid == server.pid else "granian worker",
                       "baseline_mib": round(baseline.get(pid, 0) / 1024, 1),
                       "peak_mib": round(sampler.peak_each.get(pid, 0) / 1024, 1),
                       "hwm_mib": round(high_water[pid] / 1024, 1) if pid in high_water else None} for pid in pids],
        "baseline_sum_mib": round(sum(baseline.values()) / 1024, 1),
        "peak_sum_mib": round(sampler.peak_sum / 1024, 1),
        "task_worker_baseline_mib": round(worker_baseline / 1024, 1),
        "task_worker_peak_mib": round(worker_sampler.peak_sum / 1024, 1),
        "task_state": str(state), "task_wait_s": round(task_wait, 1),
    }


def make_small_video(path: Path) -> None:
    import av
    from PIL import Image

    with av.open(str(path), "w", format="mp4") as container:
        stream = container.add_stream("mpeg4", rate=10)
        stream.width, stream.height = 640, 360
        stream.pix_fmt = "yuv420p"
        for index in range(20):
            frame = av.VideoFrame.from_image(Image.new("RGB", (640, 360), (index * 10, 90, 160)))
            frame.pts = index
            frame.time_base = Fraction(1, 10)
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)


# --- the report ----------------------------------------------------------------------------------------------

def cpu_name() -> str:
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.machine()


def mib(value) -> str:
    return "—" if value is None else f"{value} MiB"


def megabytes_range(values: list[float]) -> str:
    low, high = min(values), max(values)
    return f"{low}" if low == high else f"{low}–{high}"


def section(results: dict) -> str:
    pictures, video, server = results["pictures"], results["video"], results.get("server")
    lines = [
        SECTION,
        "",
        f"Measured {datetime.date.today():%Y-%m-%d} on {os.cpu_count()} cores ({cpu_name()}), Python "
        f"{platform.python_version()}, with `bench/media_checks.py`, in a throwaway data directory (SQLite, local "
        f"storage). Times are medians of {RUNS} runs after one warm-up. (a) and (b) run in one process through "
        "Django's test client (no network); (c) runs the real server. Load average (1 min) on the machine at the "
        f"start and end of the run: {results['load'][0]:.1f} / {results['load'][1]:.1f} (other work shares the "
        "2 cores; figures are medians for that reason).",
        "",
        "| what | figure |",
        "|---|---:|",
        f"| **(a) `inspect_picture` on the group of 9 JPEGs of 4000×3000** "
        f"({megabytes_range(pictures['megabytes'])} MB each): sniff, EXIF orientation, decode at 1/8 scale "
        f"(every coded block read) | **{pictures['inspect_total_ms']:,} ms for the 9** |",
        f"| (a) where it goes: header and EXIF of the 9 | {pictures['header_exif_ms']:,} ms |",
        f"| (a) where it goes: the 9 decoded at 1/8 scale (libjpeg's Huffman decoding of every block) | "
        f"{pictures['reduced_decode_ms']:,} ms |",
        f"| (a) for comparison: the 9 decoded at full size, as the check did before | "
        f"{pictures['full_decode_ms']:,} ms |",
        f"| (a) for comparison: SHA-256 of the 9 (taken while the bytes arrive, not after) | "
        f"{pictures['sha256_ms']:,} ms |",
        f"| (a) the same check made while the bytes arrive (`StreamedJpegCheck` fed the upload handler's 64 kB "
        f"chunks, as the SHA-256 is): time left after the last byte of each, for the 9 | "
        f"{pictures['streamed_after_ms']:,} ms (and {pictures['streamed_during_ms']:,} ms spread over the receiving) |",
        f"| (a) the 9 checked on 2 threads (the upload page sends up to 5 at once; 2 cores) | "
        f"{pictures['two_threads_ms']:,} ms wall clock |",
        f"| (a) the same 9 through `POST /api/v1/works/{{id}}/files`, one request each (stream to disk + SHA-256, "
        f"checks, move into storage, row, audit, task queued) | {pictures['upload_total_ms']:,} ms for the 9 "
        f"({pictures['upload_each_ms']} ms median, {pictures['upload_max_ms']} ms slowest) |",
        f"| (a) background task per picture (full-size decode for the thumbnail and web copy, pHash, similarity "
        f"lookup; not in the request) | {pictures['task_each_ms']} ms |",
        f"| **(b) `inspect_video` on a 30 s 1080p video** ({video['codec']}, {video['megabytes']} MB, "
        f"{VIDEO_FPS} frames/s; measured duration {video['duration']} s): headers, every packet's timestamps, "
        f"first keyframe decoded | **{video['inspect_ms']:,} ms** |",
        f"| (b) where it goes: opening, headers only (the probe told to decode nothing) | "
        f"{video['open_headers_ms']:,} ms |",
        f"| (b) where it goes: one pass over every packet's timestamps (data read, not decoded) | "
        f"{video['packets_ms']:,} ms (opening included) |",
        f"| (b) where it goes: the first keyframe decoded on its own | {video['first_keyframe_ms']:,} ms "
        "(opening included) |",
        f"| (b) for comparison: opening with the demuxer's probe decoding frames (as before) | "
        f"{video['open_probe_ms']:,} ms |",
        f"| (b) for comparison: the check as it was (probe decoding, every packet, seek back, decode until a frame "
        f"comes out) | {video['as_before_ms']:,} ms |",
        f"| (b) the same video through `POST /api/v1/works/{{id}}/files` | {video['upload_ms']:,} ms |",
        f"| (b) background task (poster frame at 1 s, thumbnail, pHash) | {video['task_ms']:,} ms |",
    ]
    if server:
        workers = [p for p in server["processes"] if p["role"] == "granian worker"]
        busiest = max(workers, key=lambda p: (p["hwm_mib"] or p["peak_mib"]) - p["baseline_mib"])
        growth = (busiest["hwm_mib"] or busiest["peak_mib"]) - busiest["baseline_mib"]
        lines += [
            "",
            f"(c) Peak memory while a {server['video_bytes'] / 1e6:.0f} MB video uploads "
            f"({server['video_bytes']:,} bytes: a genuine 1080p MPEG-4 video of {server['video_seconds']} s at a very "
            "high bit rate, made with PyAV so that it is that large yet under 30 s), sent by a streaming client "
            "(http.client, 1 MB at a time from disk) over loopback to granian as `scripts/serve.sh` starts it "
            "(2 WSGI worker processes, 4 threads each); the RSS of every server process read from /proc every "
            f"50 ms ({server['samples']} samples); baseline after four small warm-up uploads:",
            "",
            "| process | baseline RSS | peak RSS sampled during the upload | exact peak (VmHWM) |",
            "|---|---:|---:|---:|",
            *[f"| {p['role']} | {p['baseline_mib']} MiB | {p['peak_mib']} MiB | {mib(p['hwm_mib'])} |"
              for p in server["processes"]],
            f"| all server processes | {server['baseline_sum_mib']} MiB | {server['peak_sum_mib']} MiB | — |",
            f"| task worker (`db_worker`) making the poster afterwards | {server['task_worker_baseline_mib']} MiB | "
            f"{server['task_worker_peak_mib']} MiB | — |",
            "",
            f"The worker that took the upload grew by {growth:.1f} MiB at most for a "
            f"{server['video_bytes'] / 2**20:.0f} MiB body: the body goes to a temporary file as it arrives and is "
            f"never held in memory. Sending took {server['send_s']} s; the answer (201) came "
            f"{server['answer_s']} s after the client's last byte: what was left of the server's work once the body "
            "was in (the check reads every packet of the video from disk for its duration; then the file is moved "
            "into storage and recorded), the hashing and writing having gone on while it arrived. The task worker made "
            f"the poster {server['task_wait_s']} s after the answer (state: {server['task_state']}).",
        ]
    else:
        lines += ["", f"(c) not measured: {results.get('server_note', 'skipped (--no-server)')}."]
    lines += [
        "",
        "Rerun (a few minutes; about 1.5 GB of temporary disk space):",
        "",
        "```sh",
        ".venv/bin/python bench/media_checks.py",
        "```",
        "",
    ]
    return "\n".join(lines)


def write_doc(text: str, doc: Path = DOC) -> None:
    """Replace this script's section of ``doc`` (docs/benchmarks.md unless told; bench/benchdoc.py)."""
    write_section(SECTION, text, doc)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-doc", action="store_true", help="print the figures only; leave docs/benchmarks.md")
    parser.add_argument("--no-server", action="store_true", help="skip (c), the 300 MB upload to the real server")
    parser.add_argument("--doc", type=Path, default=DOC, help="the file to write the section to (docs/benchmarks.md)")
    args = parser.parse_args()
    started = time.perf_counter()
    root = Path(tempfile.mkdtemp(prefix="wmh-media-bench-"))
    try:
        data_dir, folder = root / "data", root / "media"
        data_dir.mkdir()
        folder.mkdir()
        setup_django(data_dir)
        env = build()
        results: dict = {"load": [os.getloadavg()[0]]}
        print("(a) pictures …", file=sys.stderr, flush=True)
        results["pictures"] = measure_pictures(env, folder)
        print(json.dumps(results["pictures"]), file=sys.stderr, flush=True)
        print("(b) video …", file=sys.stderr, flush=True)
        results["video"] = measure_video(env, folder)
        print(json.dumps(results["video"]), file=sys.stderr, flush=True)
        if not args.no_server:
            print("(c) the real server …", file=sys.stderr, flush=True)
            results["server"] = measure_server(env, folder, data_dir)
            print(json.dumps(results["server"]), file=sys.stderr, flush=True)
        results["load"].append(os.getloadavg()[0])
        text = section(results)
        print()
        print(text)
        print(f"(a) the group of 9 pictures: {results['pictures']['inspect_total_ms']} ms; "
              f"(b) the 30 s 1080p video: {results['video']['inspect_ms']} ms (medians of {RUNS})", file=sys.stderr)
        if not args.no_doc:
            write_doc(text, args.doc)
            print(f"written to {args.doc}")
    finally:
        shutil.rmtree(root, ignore_errors=True)
    print(f"total {time.perf_counter() - started:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
