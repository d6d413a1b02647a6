"""Zip of works' files: time, throughput and peak memory of streaming a 2 GiB zip (``reviews.archive``).

Run by hand (not by pytest); it needs about twice the chosen size of temporary disk space (the files, then the
zip written once to check it) and removes all of it afterwards:

    .venv/bin/python bench/zip_archive.py                   # 2 GiB in 20 files, written to docs/benchmarks.md
    .venv/bin/python bench/zip_archive.py --size-gb 5       # 5 GiB (members past 4 GiB offsets: ZIP64)
    .venv/bin/python bench/zip_archive.py --files 200 --no-doc

In a throwaway data directory (WMH_DATA_DIR: SQLite, local storage) it creates a city, a district, a collective,
a campaign and ``--files`` recommended publicity works, each with one file of incompressible bytes (os.urandom,
written 1 MiB at a time) as its WorkFile, together ``--size-gb`` GiB. A fresh Python process then sets Django up
and streams ``works_archive(recommended_works(campaign, district))`` twice: into /dev/null (the time and
throughput of making the zip), and into a file in the temporary directory under tracemalloc (the Python heap
peak), after which the zip's central directory is read back with zipfile (members, names and sizes) and every
member's CRC is checked (``testzip``). The peak RSS is that process's ru_maxrss (Django set up included),
beside its resident memory just before the first stream.
"""

import argparse
import datetime
import hashlib
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
import zipfile
from pathlib import Path

from benchdoc import write_section  # bench/benchdoc.py, beside this script

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"
SECTION = "## Zip of works' files"
MIB = 1024 * 1024
GIB = 1024 * MIB


def setup_django(data_dir: Path, *, migrate: bool) -> None:
    os.environ["WMH_DATA_DIR"] = str(data_dir)
    os.environ["WMH_TESTING"] = "1"  # plain settings: no HTTPS redirect, no static manifest needed
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("WMH_STORAGE", None)  # local files under the data directory
    os.environ["DJANGO_SETTINGS_MODULE"] = "wenminghao.settings"
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    if migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)


def rss_kib() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


# --- the data (parent process) -------------------------------------------------------------------------------------


def build(files: int, total: int) -> dict:
    """The works and their files; returns the ids the measuring process needs."""
    from django.core.files.storage import default_storage
    from django.utils import timezone

    from wenminghao.accounts.models import User
    from wenminghao.campaigns.models import Campaign
    from wenminghao.collectives.models import Collective
    from wenminghao.core.roles import Role
    from wenminghao.orgs.enums import UnitKind
    from wenminghao.orgs.services import create_unit
    from wenminghao.works.models import Work, WorkFile

    city = create_unit(actor=None, parent=None, name="威海市团委", kind=UnitKind.CITY)
    area = create_unit(actor=None, parent=city, name="环翠区团委", kind=UnitKind.AREA)
    collective = Collective.objects.create(
        unit=area, name="环翠区政务服务中心窗口", host_org="环翠区政务服务中心", sector="service",
        org_type="public_institution", unit_form="window", contact_name="张联系", contact_phone="13800000000",
    )
    leader = User.objects.create(username="leader", role=Role.COLLECTIVE, collective=collective)
    now = timezone.now()
    campaign = Campaign.objects.create(
        office=city, name="2018年度威海市青年文明号创建", level="city", year=2018,
        filing_deadline=now + datetime.timedelta(days=30), deadline=now + datetime.timedelta(days=30),
        reference_date=datetime.date(2018, 8, 20),
    )
    started = time.perf_counter()
    base, extra = divmod(total, files)
    for index in range(files):
        size = base + (1 if index < extra else 0)
        work = Work.objects.create(
            campaign=campaign, collective=collective, category="publicity", display_form="video",
            title=f"新时代青年说·第{index + 1}集", contact_name="王联系", contact_phone="13900000000",
            status="recommended", unit_rank=index + 1, created_by=leader, submitted_at=now,
        )
        name = f"works/{work.pk}/bench.mp4"
        path = Path(default_storage.path(name))
        path.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        with open(path, "wb") as handle:
            left = size
            while left:
                block = os.urandom(min(MIB, left))
                digest.update(block)
                handle.write(block)
                left -= len(block)
        WorkFile.objects.create(work=work, role="video", position=1, original=name,
                                original_name=f"第{index + 1}集.mp4", size=size, sha256=digest.hexdigest(),
                                content_type="video/mp4", uploaded_by=leader)
    return {"campaign": campaign.pk, "unit": area.pk, "generate_seconds": time.perf_counter() - started}


# --- the measurement (child process) -------------------------------------------------------------------------------


def measure(data_dir: Path, campaign_id: int, unit_id: int) -> dict:
    setup_django(data_dir, migrate=False)
    from wenminghao.campaigns.models import Campaign
    from wenminghao.orgs.models import Unit
    from wenminghao.reviews.archive import works_archive
    from wenminghao.reviews.selectors import recommended_works
    from wenminghao.works.models import WorkFile

    campaign = Campaign.objects.get(pk=campaign_id)
    unit = Unit.objects.get(pk=unit_id)
    expected = {row.original_name: row.size for row in WorkFile.objects.filter(work__campaign=campaign)}

    def archive():
        return works_archive(recommended_works(campaign, unit), summary_unit_name=unit.name)

    list(works_archive([], summary_unit_name="warm-up"))  # imports, the summary table's first build
    rss_before = rss_kib()

    started = time.perf_counter()
    size, largest_chunk = 0, 0
    with open(os.devnull, "wb") as sink:
        for chunk in archive():
            size += len(chunk)
            largest_chunk = max(largest_chunk, len(chunk))
            sink.write(chunk)
    null_seconds = time.perf_counter() - started

    target = data_dir / "bench.zip"
    tracemalloc.start()
    started = time.perf_counter()
    with open(target, "wb") as out:
        for chunk in archive():
            out.write(chunk)
    file_seconds = time.perf_counter() - started
    heap_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux

    started = time.perf_counter()
    with zipfile.ZipFile(target) as zipped:
        infos = zipped.infolist()
        members = {info.filename.rsplit("/", 1)[-1].split("-", 1)[-1]: info.file_size for info in infos
                   if info.filename.endswith(".mp4")}
        directory_ok = (members == expected and len(infos) == len(expected) + 2
                        and {"推荐成果汇总表.xlsx", "作品清单.csv"} <= {info.filename for info in infos})
        directory_seconds = time.perf_counter() - started
        started = time.perf_counter()
        bad = zipped.testzip()
        crc_seconds = time.perf_counter() - started
    zip_size = target.stat().st_size
    target.unlink()
    return {
        "files": len(expected), "data_bytes": sum(expected.values()), "zip_bytes": size, "zip_file_bytes": zip_size,
        "null_seconds": null_seconds, "file_seconds": file_seconds, "largest_chunk": largest_chunk,
        "rss_before_kib": rss_before, "peak_rss_kib": peak_rss, "heap_peak": heap_peak, "members": len(infos),
        "directory_ok": directory_ok, "directory_seconds": directory_seconds, "crc_ok": bad is None,
        "crc_seconds": crc_seconds,
    }


# --- the report ----------------------------------------------------------------------------------------------------


def section(result: dict) -> str:
    data, zipped = result["data_bytes"], result["zip_bytes"]

    def rate(seconds):
        return f"{data / seconds / MIB:,.0f} MiB/s"

    lines = [
        SECTION,
        "",
        f"Measured {datetime.date.today().isoformat()} on {os.cpu_count()} cores, Python {platform.python_version()}, "
        "with `bench/zip_archive.py`: `reviews.archive.works_archive` streaming the zip of "
        f"{result['files']} recommended works of one district, one file each of incompressible bytes (os.urandom), "
        "from local storage (FileSystemStorage on the same disk; the files had just been written, so mostly read "
        "from the page cache). One fresh Python process after Django start-up: first into /dev/null, then into a "
        "file on disk under tracemalloc, which is then read back with zipfile and deleted.",
        "",
        "| what | figure |",
        "|---|---:|",
        f"| data: {result['files']} files | {data:,} bytes ({data / GIB:,.2f} GiB) |",
        f"| zip (summary table, files, manifest) | {zipped:,} bytes (+{zipped - data:,} bytes of zip structure, "
        "table and manifest) |",
        f"| stream into /dev/null | {result['null_seconds']:,.1f} s ({rate(result['null_seconds'])}) |",
        f"| stream into a file on disk | {result['file_seconds']:,.1f} s ({rate(result['file_seconds'])}) |",
        f"| largest chunk handed on | {result['largest_chunk'] / MIB:,.2f} MiB |",
        f"| peak RSS of the process (ru_maxrss, Django included) | {result['peak_rss_kib'] / 1024:,.1f} MiB "
        f"(resident before the first stream: {result['rss_before_kib'] / 1024:,.1f} MiB) |",
        f"| Python heap peak while streaming (tracemalloc) | {result['heap_peak'] / MIB:,.1f} MiB |",
        f"| central directory read back (zipfile) | {result['members']} members, names and sizes "
        f"{'match' if result['directory_ok'] else 'DO NOT match'} ({result['directory_seconds'] * 1000:,.0f} ms) |",
        f"| CRC of every member (`testzip`) | {'all correct' if result['crc_ok'] else 'FAILED'} "
        f"({result['crc_seconds']:,.1f} s) |",
        "",
        "The memory does not depend on the zip's size: zipfile writes into a buffer that is emptied after each "
        "1 MiB chunk read from storage (media are stored, not deflated: CRC-32 and copying are all the work), so "
        "the process holds about one chunk at a time. Served through Django the same generator feeds a "
        "`StreamingHttpResponse`; the time to the first byte is that of the database reads and the summary table.",
        "",
        "Rerun (about twice the size in temporary disk space, removed afterwards):",
        "",
        "```sh",
        ".venv/bin/python bench/zip_archive.py                         # 2 GiB in 20 files",
        ".venv/bin/python bench/zip_archive.py --size-gb 5 --files 2  # 2.5 GiB members, a 5 GiB zip: ZIP64",
        "```",
        "",
    ]
    return "\n".join(lines)


def write_doc(text: str) -> None:
    """Replace this script's section of docs/benchmarks.md (bench/benchdoc.py)."""
    write_section(SECTION, text, DOC)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-gb", type=float, default=2.0, help="total size of the files in GiB (default 2)")
    parser.add_argument("--files", type=int, default=20, help="number of works, one file each (default 20)")
    parser.add_argument("--no-doc", action="store_true", help="print the figures only; leave docs/benchmarks.md")
    parser.add_argument("--measure", nargs=3, metavar=("DATA_DIR", "CAMPAIGN", "UNIT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(Path(args.measure[0]), int(args.measure[1]), int(args.measure[2]))))
        return
    total = int(args.size_gb * GIB)
    root = Path(tempfile.mkdtemp(prefix="wmh-zip-bench-"))
    try:
        data_dir = root / "data"
        data_dir.mkdir()
        setup_django(data_dir, migrate=True)
        print(f"writing {args.files} files, {total:,} bytes …", file=sys.stderr, flush=True)
        ids = build(args.files, total)
        print(f"  {ids['generate_seconds']:.1f} s; streaming …", file=sys.stderr, flush=True)
        output = subprocess.run(
            [sys.executable, __file__, "--measure", str(data_dir), str(ids["campaign"]), str(ids["unit"])],
            capture_output=True, text=True, check=True, env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        ).stdout
        result = json.loads(output.strip().splitlines()[-1])
        print(json.dumps(result), file=sys.stderr, flush=True)
        text = section(result)
        print(text)
        if not args.no_doc:
            write_doc(text)
    finally:
        shutil.rmtree(root, ignore_errors=True)
        print(f"removed {root}" + (" (STILL THERE)" if root.exists() else ""), file=sys.stderr)


if __name__ == "__main__":
    main()
