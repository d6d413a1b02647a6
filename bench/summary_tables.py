"""Summary tables: time and peak memory to produce the Attachment 2 table (.xlsx, .docx, .pdf) for 1,000 and
10,000 works.

Run by hand (not by pytest):

    .venv/bin/python bench/summary_tables.py                  # measure, write its section of docs/benchmarks.md
    .venv/bin/python bench/summary_tables.py --no-doc         # print only
    .venv/bin/python bench/summary_tables.py --doc /tmp/x.md  # write the section into another file

The rows are in-memory ``SummaryRow`` objects (no database): the exporters never query, so this is the cost of
building the file. Each case runs in a fresh Python process: after one warm-up export of 10 rows (imports
excluded), ``--runs`` exports (5) to an in-memory buffer, timed one by one: the median is reported, with the
fastest and slowest (each export loads its fonts: the .pdf's two Noto Sans SC faces take about 0.3 s of it); the
peak RSS is the process's highest resident memory (ru_maxrss) minus its resident memory just before the first of
them; the Python heap peak is tracemalloc's peak during one more export (it does not see lxml's C allocations,
RSS does).
"""

import argparse
import datetime
import gc
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

from benchdoc import DOC, write_section  # bench/benchdoc.py, beside this script

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
SECTION = "## Summary tables"

SIZES = (1_000, 10_000)
FORMATS = ("xlsx", "docx", "pdf")


def rows(n):
    from wenminghao.reviews.summary import SummaryRow

    categories = ("photo", "publicity", "essay")
    forms = {"photo": "图片", "publicity": "视频", "essay": "征文"}
    return [
        SummaryRow(categories[i % 3], f"第{i}号作品：海岸线上的青春与担当", forms[categories[i % 3]],
                   f"威海市第{i % 400}青年文明号集体", f"联系人{i} 138{i:08d}")
        for i in range(n)
    ]


def rss_kib():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def one(fmt, n, runs):
    from wenminghao.reviews.summary import summary_table

    day = datetime.date(2026, 11, 28)
    summary_table(fmt, unit_name="共青团威海市委", rows=rows(10), day=day).to_bytes()  # warm-up
    data = rows(n)
    before = rss_kib()
    times = []
    for _ in range(runs):
        gc.collect()  # python-docx leaves reference cycles: free the previous export's document first
        started = time.perf_counter()
        size = len(summary_table(fmt, unit_name="共青团威海市委", rows=data, day=day).to_bytes())
        times.append(time.perf_counter() - started)
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    tracemalloc.start()
    summary_table(fmt, unit_name="共青团威海市委", rows=data, day=day).to_bytes()
    heap = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(json.dumps({"fmt": fmt, "n": n, "seconds": statistics.median(times), "fastest": min(times),
                      "slowest": max(times), "runs": runs, "rss_kib": max(peak_rss, 0), "heap": heap, "size": size}))


def from_database(data_dir, fmt, runs):
    """The office's own table of a campaign built by bench/campaign_export.py (``--keep``): the rows read from the
    database as the task worker reads them (``reviews.exports.SummaryRequest``: a count, then the rows), then the
    file; as the worker's ``summary_for_job`` would, minus the job's bookkeeping."""
    from campaign_export import setup_django

    setup_django(Path(data_dir), migrate=False)
    from wenminghao.campaigns.models import Campaign
    from wenminghao.reviews.exports import SummaryRequest

    built = json.loads((Path(data_dir) / "built.json").read_text())
    campaign = Campaign.objects.select_related("office").get(pk=built["campaign"])
    warm_up = Campaign.objects.select_related("office").get(pk=built["warm_up_campaign"])
    SummaryRequest(scope="unit", campaign=warm_up, unit=warm_up.office, fmt=fmt).exporter().to_bytes()
    found = SummaryRequest(scope="unit", campaign=campaign, unit=campaign.office, fmt=fmt)
    times = []
    for _ in range(runs):
        gc.collect()
        started = time.perf_counter()
        n = found.count()
        size = len(found.exporter().to_bytes())
        times.append(time.perf_counter() - started)
    print(json.dumps({"fmt": fmt, "n": n, "seconds": statistics.median(times), "fastest": min(times),
                      "slowest": max(times), "size": size}))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--no-doc", action="store_true")
    parser.add_argument("--doc", type=Path, default=DOC, help="the file to write the section into")
    parser.add_argument("--runs", type=int, default=5, help="timed exports per case (the median is reported)")
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--database", type=Path,
                        help="also the office's table read from a data folder of bench/campaign_export.py --keep")
    parser.add_argument("--one", nargs=2)
    parser.add_argument("--one-database", nargs=2)
    args = parser.parse_args()
    if args.one:
        one(args.one[0], int(args.one[1]), args.runs)
        return
    if args.one_database:
        from_database(args.one_database[0], args.one_database[1], args.runs)
        return
    results = []
    for n in args.sizes:
        for fmt in FORMATS:
            out = subprocess.run([sys.executable, __file__, "--one", fmt, str(n), "--runs", str(args.runs)],
                                 capture_output=True, text=True,
                                 check=True, env={**os.environ, "PYTHONPATH": str(ROOT / "src")}).stdout
            result = json.loads(out.strip().splitlines()[-1])
            print(result, flush=True)
            results.append(result)
    load = os.getloadavg()[0]
    lines = [
        SECTION,
        "",
        f"Measured {datetime.datetime.now(datetime.UTC):%Y-%m-%d} on {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, with `bench/summary_tables.py`: the Attachment 2 table "
        "(`reviews/summary.py`) built from in-memory rows (no database), one process per case, the median of "
        f"{args.runs} exports after a warm-up (fastest–slowest beside it; load average {load:.1f} when done). "
        "Peak RSS is the process's highest resident memory minus its memory just before the exports; the Python "
        "heap peak is tracemalloc's.",
        "",
        "| works | format | time (median) | fastest–slowest | peak RSS | Python heap peak | file size |",
        "|---:|---|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(f"| {r['n']:,} | .{r['fmt']} | {r['seconds'] * 1000:,.0f} ms "
                     f"| {r['fastest'] * 1000:,.0f}–{r['slowest'] * 1000:,.0f} ms | {r['rss_kib'] / 1024:,.1f} MiB "
                     f"| {r['heap'] / 1048576:,.1f} MiB | {r['size'] / 1024:,.0f} KiB |")
    if args.database:
        database = []
        for fmt in FORMATS:
            out = subprocess.run([sys.executable, __file__, "--one-database", str(args.database), fmt, "--runs",
                                  str(args.runs)], capture_output=True, text=True, check=True,
                                 env={**os.environ, "PYTHONPATH": str(ROOT / "src")}).stdout
            database.append(json.loads(out.strip().splitlines()[-1]))
            print(database[-1], flush=True)
        lines += [
            "",
            "The office's own table read from the database as the task worker makes it (`reviews.exports."
            "SummaryRequest`: a count and one `values_list` of the rows, then the file), on the 10,000-work campaign "
            "of `bench/campaign_export.py` (SQLite; titles of 25 characters, two lines in the table), median of "
            f"{args.runs} after a warm-up, load average {os.getloadavg()[0]:.1f} when done:",
            "",
            "| works | format | time (median) | fastest–slowest | file size |",
            "|---:|---|---:|---:|---:|",
        ]
        for r in database:
            lines.append(f"| {r['n']:,} | .{r['fmt']} | {r['seconds'] * 1000:,.0f} ms "
                         f"| {r['fastest'] * 1000:,.0f}–{r['slowest'] * 1000:,.0f} ms | {r['size'] / 1024:,.0f} KiB |")
    lines.append("")
    text = "\n".join(lines)
    print(text)
    if not args.no_doc:
        write_section(SECTION, text, args.doc)


if __name__ == "__main__":
    main()
