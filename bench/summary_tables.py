"""Summary tables: time and peak memory to produce the Attachment 2 table (.xlsx, .docx, .pdf) for 1,000 and
10,000 works.

Run by hand (not by pytest):

    .venv/bin/python bench/summary_tables.py           # measure and append a section to docs/benchmarks.md
    .venv/bin/python bench/summary_tables.py --no-doc  # print only

The rows are in-memory ``SummaryRow`` objects (no database): the exporters never query, so this is the cost of
building the file. Each case runs in a fresh Python process: the time is of one export to an in-memory buffer
after one warm-up export of 10 rows (font loading and imports excluded); the peak RSS is the process's highest
resident memory (ru_maxrss) minus its resident memory just before the export; the Python heap peak is
tracemalloc's peak during a second export (it does not see lxml's C allocations, RSS does).
"""

import argparse
import datetime
import json
import os
import platform
import resource
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

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


def one(fmt, n):
    from wenminghao.reviews.summary import summary_table

    day = datetime.date(2026, 11, 28)
    summary_table(fmt, unit_name="共青团威海市委", rows=rows(10), day=day).to_bytes()  # warm-up
    data = rows(n)
    before = rss_kib()
    started = time.perf_counter()
    size = len(summary_table(fmt, unit_name="共青团威海市委", rows=data, day=day).to_bytes())
    seconds = time.perf_counter() - started
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    tracemalloc.start()
    summary_table(fmt, unit_name="共青团威海市委", rows=data, day=day).to_bytes()
    heap = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(json.dumps({"fmt": fmt, "n": n, "seconds": seconds, "rss_kib": max(peak_rss, 0), "heap": heap,
                      "size": size}))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--no-doc", action="store_true")
    parser.add_argument("--one", nargs=2)
    args = parser.parse_args()
    if args.one:
        one(args.one[0], int(args.one[1]))
        return
    results = []
    for n in SIZES:
        for fmt in FORMATS:
            out = subprocess.run([sys.executable, __file__, "--one", fmt, str(n)], capture_output=True, text=True,
                                 check=True, env={**os.environ, "PYTHONPATH": str(ROOT / "src")}).stdout
            result = json.loads(out.strip().splitlines()[-1])
            print(result, flush=True)
            results.append(result)
    lines = [
        "",
        "## Summary tables",
        "",
        f"Measured {datetime.date.today().isoformat()} on {os.cpu_count()} cores, Python {platform.python_version()}, "
        "with `bench/summary_tables.py`: the Attachment 2 table (`reviews/summary.py`) built from in-memory rows "
        "(no database), one process per case, one export after a warm-up. Peak RSS is the process's highest "
        "resident memory minus its memory just before the export; the Python heap peak is tracemalloc's.",
        "",
        "| works | format | time | peak RSS | Python heap peak | file size |",
        "|---:|---|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(f"| {r['n']:,} | .{r['fmt']} | {r['seconds'] * 1000:,.0f} ms | {r['rss_kib'] / 1024:,.1f} MiB "
                     f"| {r['heap'] / 1048576:,.1f} MiB | {r['size'] / 1024:,.0f} KiB |")
    lines.append("")
    text = "\n".join(lines)
    print(text)
    if not args.no_doc:
        with open(ROOT / "docs" / "benchmarks.md", "a", encoding="utf-8") as doc:
            doc.write(text)


if __name__ == "__main__":
    main()
