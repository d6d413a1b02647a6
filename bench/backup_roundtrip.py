"""Backup and restore of the full demo data: `manage.py backup`, then `manage.py restore` into a fresh data directory
(and a fresh PostgreSQL database), and a comparison of every table's row count and every stored file's SHA-256.

Run by hand (not by pytest); every step is the real command in a process of its own, as an operator runs it:

    .venv/bin/python bench/backup_roundtrip.py                                   # SQLite, demo in /tmp/wmh-backup-demo
    .venv/bin/python bench/backup_roundtrip.py --data-dir /tmp/h14backup-demo    # reuse a loaded data directory
    .venv/bin/python bench/backup_roundtrip.py --postgres postgres://postgres@127.0.0.1:5432 --prefix wmh_backup

With ``--postgres`` the demo is loaded into a new database ``<prefix>_source`` and restored into ``<prefix>_restored``
(both dropped at the end unless ``--keep``). A data directory that already holds a database is reused as it is
(SQLite only); otherwise it is made with ``migrate`` and ``load_demo_data`` (WMH_DEMO=1). Prints a Markdown block.
"""

import argparse
import hashlib
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def manage(*arguments: str, data_dir: Path, database_url: str = "") -> tuple[float, float | None]:
    """(the process's seconds, the seconds the command itself reports with 用时…秒, if it does)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("WMH_") and key != "DATABASE_URL"}
    env.update(WMH_DATA_DIR=str(data_dir), WMH_DEMO="1")
    if database_url:
        env["DATABASE_URL"] = database_url
    started = time.monotonic()
    result = subprocess.run([sys.executable, "manage.py", *arguments], cwd=ROOT, env=env, capture_output=True,
                            text=True, check=False)
    seconds = time.monotonic() - started
    if result.returncode != 0:
        sys.exit(f"manage.py {' '.join(arguments)} failed:\n{result.stdout[-2000:]}\n{result.stderr[-4000:]}")
    reported = re.search(r"用时([0-9.]+)秒", result.stdout)
    return seconds, float(reported.group(1)) if reported else None


def file_hashes(root: Path) -> dict[str, str]:
    hashes = {}
    for path in sorted(root.rglob("*")):
        if path.is_file():
            digest = hashlib.sha256()
            with open(path, "rb") as source:
                while chunk := source.read(1024 * 1024):
                    digest.update(chunk)
            hashes[str(path.relative_to(root))] = digest.hexdigest()
    return hashes


def count_rows(cursor, names) -> dict[str, int]:
    counts = {}
    for name in names:
        cursor.execute(f'SELECT count(*) FROM "{name}"')  # noqa: S608 - names from the catalog
        counts[name] = cursor.fetchone()[0]
    return counts


def sqlite_rows(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as database:
        cursor = database.cursor()
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        return count_rows(cursor, sorted(row[0] for row in cursor.fetchall()))


def postgres_rows(url: str) -> dict[str, int]:
    import psycopg

    with psycopg.connect(url.replace("postgres://", "postgresql://", 1)) as database:
        cursor = database.cursor()
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
        return count_rows(cursor, sorted(row[0] for row in cursor.fetchall()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", type=Path, default=Path(tempfile.gettempdir()) / "wmh-backup-demo")
    parser.add_argument("--postgres", default="", help="postgres://user@host:port (no database name)")
    parser.add_argument("--prefix", default="wmh_backup_bench")
    parser.add_argument("--keep", action="store_true")
    options = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="wmh-backup-bench-"))
    source_dir, restored_dir = options.data_dir, work / "restored"
    source_url = restored_url = ""
    admin = None
    if options.postgres:
        import psycopg

        base = options.postgres.rstrip("/")
        admin = psycopg.connect(f"{base.replace('postgres://', 'postgresql://', 1)}/postgres", autocommit=True)
        for suffix in ("source", "restored"):
            admin.execute(f'DROP DATABASE IF EXISTS "{options.prefix}_{suffix}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{options.prefix}_{suffix}"')
        source_url, restored_url = f"{base}/{options.prefix}_source", f"{base}/{options.prefix}_restored"
        source_dir = work / "source"
    load_seconds = None
    if source_url or not (source_dir / "wenminghao.sqlite3").exists():
        started = time.monotonic()
        manage("migrate", "-v0", data_dir=source_dir, database_url=source_url)
        manage("load_demo_data", data_dir=source_dir, database_url=source_url)
        load_seconds = time.monotonic() - started
    try:
        archive = work / "demo.tar"
        backup_seconds = manage("backup", str(archive), data_dir=source_dir, database_url=source_url)
        restore_seconds = manage("restore", str(archive), data_dir=restored_dir, database_url=restored_url)
        if source_url:
            before, after = postgres_rows(source_url), postgres_rows(restored_url)
        else:
            before = sqlite_rows(source_dir / "wenminghao.sqlite3")
            after = sqlite_rows(restored_dir / "wenminghao.sqlite3")
        files_before, files_after = file_hashes(source_dir / "media"), file_hashes(restored_dir / "media")
        file_bytes = sum((source_dir / "media" / name).stat().st_size for name in files_before)
        vendor = "PostgreSQL" if source_url else "SQLite"
        differing = sorted(name for name in before.keys() | after.keys() if before.get(name) != after.get(name))
        print(f"### Backup round trip of the demo data ({vendor})")
        loaded = f"; demo loaded in {load_seconds:.1f} s" if load_seconds else ""
        print(f"- tables {len(before)}, rows {sum(before.values())}; files {len(files_before)}, {file_bytes} bytes; "
              f"archive {archive.stat().st_size} bytes{loaded}")
        print(f"- `manage.py backup` {backup_seconds[1]} s of its own work ({backup_seconds[0]:.1f} s for the whole "
              f"process, Django's start-up included), `manage.py restore` {restore_seconds[1]} s "
              f"({restore_seconds[0]:.1f} s), verification of every SHA-256 included")
        print(f"- after restore: row counts equal in {len(before) - len(differing)} of {len(before)} tables"
              + (f" (differ: {', '.join(differing)})" if differing else "")
              + f"; file SHA-256 equal: {files_before == files_after} ({len(files_after)} files restored)")
        if differing or files_before != files_after:
            sys.exit(1)
    finally:
        if admin is not None and not options.keep:
            for suffix in ("source", "restored"):
                admin.execute(f'DROP DATABASE IF EXISTS "{options.prefix}_{suffix}" WITH (FORCE)')
        if not options.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
