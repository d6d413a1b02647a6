"""manage.py backup and restore (core/backup.py): one archive of the database and every stored file round-trips into
a fresh data directory (SQLite) or a fresh database (PostgreSQL, made and dropped here) with every table's row count
and every file's SHA-256 equal; a tampered or truncated archive and a target that holds data are refused with
nothing changed.

The data is made through the services (works with pictures and their thumbnails and web copies, a video, a stamped
scan with a Chinese name, an export file, the audit entries they write); the restore runs as the real command in a
process of its own, configured only by WMH_DATA_DIR and DATABASE_URL, as an operator runs it on a new machine.
"""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection

from tests import factories
from tests.works.media_fixtures import add_pictures, make_work, media_storage, upload, video  # noqa: F401
from wenminghao.core.models import ExportJob
from wenminghao.works.services import add_work_file

pytestmark = pytest.mark.django_db(transaction=True)  # the backup reads committed rows, as on a running server

PROJECT = Path(__file__).resolve().parents[2]
POSTGRES = connection.vendor == "postgresql"


def file_hashes(root: Path) -> dict[str, str]:
    return {str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(root.rglob("*")) if path.is_file()}


def source_rows() -> dict[str, int]:
    with connection.cursor() as cursor:
        counts = {}
        for name in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(name)}")  # noqa: S608
            counts[name] = cursor.fetchone()[0]
    return counts


def rows_of(cursor, tables) -> dict[str, int]:
    counts = {}
    for name in tables:
        cursor.execute(f'SELECT count(*) FROM "{name}"')  # noqa: S608
        counts[name] = cursor.fetchone()[0]
    return counts


@pytest.fixture
def platform(tree, users, media_storage):  # noqa: F811
    """A campaign's works with their files and derivatives, a stamped scan and an export: what a backup must keep."""
    campaign = factories.campaign(office=tree["city"])
    photo = make_work(actor=users["leader_a"], collective=tree["collective_a"], campaign=campaign)
    add_pictures(photo, users["leader_a"], 3)  # derivatives are made at once (immediate tasks, autocommit)
    clip = make_work(actor=users["leader_b"], collective=tree["collective_b"], campaign=campaign, category="publicity")
    add_work_file(actor=users["leader_b"], work=clip, upload=upload("宣传片.mp4", video(5)))
    default_storage.save("reports/1/1/盖章汇总表（环翠区）.pdf", ContentFile(b"%PDF-1.4 stamped" * 100))
    stored = default_storage.save("exports/1/作品清单.xlsx", ContentFile(b"PK\x03\x04" + bytes(range(256)) * 40))
    ExportJob.objects.create(kind="campaign_works", title="作品清单", requested_by=users["city_admin"],
                             status="done", file=stored, file_name="作品清单.xlsx")
    media_root = media_storage[0]
    hashes = file_hashes(media_root)
    assert len(hashes) >= 10, hashes  # 4 originals, thumbnails and web copies, a poster, the scan, the export
    return {"media_root": media_root, "hashes": hashes, "rows": source_rows()}


def backup(path) -> str:
    out = io.StringIO()
    call_command("backup", str(path), stdout=out)
    return out.getvalue()


def manage(*arguments, data_dir: Path, database_url: str = "", **environment: str) -> subprocess.CompletedProcess:
    """manage.py in a process of its own on a fresh data directory (and database), like an operator's shell."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith("WMH_") and key not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env.update(WMH_DATA_DIR=str(data_dir), WMH_TESTING="1", **environment)
    if database_url:
        env["DATABASE_URL"] = database_url
    return subprocess.run([sys.executable, "manage.py", *arguments], cwd=PROJECT, env=env, capture_output=True,
                          text=True, timeout=120, check=False)


@pytest.fixture
def target(tmp_path):
    """Where a restore goes: a fresh data directory, and for PostgreSQL a fresh empty database beside the test's."""
    data_dir = tmp_path / "restored"
    data_dir.mkdir()
    if not POSTGRES:
        yield {"data_dir": data_dir, "url": "", "rows": lambda: sqlite_rows(data_dir / "wenminghao.sqlite3")}
        return
    if shutil.which("pg_dump") is None or shutil.which("pg_restore") is None:
        pytest.skip("pg_dump/pg_restore 不在 PATH 中：PostgreSQL 的备份恢复测试需要 PostgreSQL 客户端工具")
    import psycopg

    settings_dict = connection.settings_dict
    name = f"{settings_dict['NAME']}_restore"
    admin = psycopg.connect(dbname="postgres", host=settings_dict["HOST"] or None, port=settings_dict["PORT"] or None,
                            user=settings_dict["USER"] or None, password=settings_dict["PASSWORD"] or None,
                            autocommit=True)
    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.execute(f'CREATE DATABASE "{name}"')
    credentials = settings_dict["USER"] + (f":{settings_dict['PASSWORD']}" if settings_dict["PASSWORD"] else "")
    url = f"postgres://{credentials}@{settings_dict['HOST'] or '127.0.0.1'}:{settings_dict['PORT'] or 5432}/{name}"

    def rows():
        with psycopg.connect(url.replace("postgres://", "postgresql://", 1)) as restored:
            cursor = restored.cursor()
            cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
            return rows_of(cursor, sorted(row[0] for row in cursor.fetchall()))

    yield {"data_dir": data_dir, "url": url, "rows": rows}
    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def sqlite_rows(path: Path) -> dict[str, int]:
    if not path.exists():
        return {}
    with sqlite3.connect(path) as restored:
        cursor = restored.cursor()
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        return rows_of(cursor, sorted(row[0] for row in cursor.fetchall()))


def test_backup_then_restore_keeps_every_row_and_every_file(platform, target, tmp_path):
    archives = tmp_path / "backups"
    archives.mkdir()
    said = backup(archives)
    [archive] = list(archives.iterdir())  # one archive under its final name, no temporary file left beside it
    assert archive.name.startswith("wenminghao-") and archive.suffix == ".tar"
    assert "备份完成" in said and f"文件{len(platform['hashes'])}个" in said
    assert hashlib.sha256(archive.read_bytes()).hexdigest() in said

    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
        assert tar.getnames()[-1] == "manifest.json"
    assert manifest["vendor"] == connection.vendor
    assert manifest["tables"] == platform["rows"]
    assert manifest["schema"]["works"].startswith("00") and manifest["schema"]["core"].startswith("00")
    files = {entry["name"].removeprefix("files/"): entry["sha256"] for entry in manifest["members"]
             if entry["kind"] == "file"}
    assert files == platform["hashes"]

    result = manage("restore", str(archive), data_dir=target["data_dir"], database_url=target["url"])
    assert result.returncode == 0, result.stderr
    assert "恢复完成" in result.stdout and "行数和 SHA-256 均与备份清单一致" in result.stdout

    restored_rows = target["rows"]()
    assert restored_rows == platform["rows"]  # every table, row for row
    assert sum(restored_rows.values()) > 100
    assert file_hashes(target["data_dir"] / "media") == platform["hashes"]  # every file, byte for byte


def test_restore_into_a_target_that_holds_data_is_refused(platform, target, tmp_path, monkeypatch):
    archive = tmp_path / "nightly.tar"
    backup(archive)
    with pytest.raises(CommandError, match="已存在：备份不覆盖已有文件"):
        backup(archive)
    with pytest.raises(CommandError, match="备份不能写在存储目录 .* 里面"):
        backup(platform["media_root"])
    # the test's own database and storage hold the data: refused, nothing changed
    with pytest.raises(CommandError, match=r"数据库已有数据：.*行.*未做任何更改"):
        call_command("restore", str(archive), stdout=io.StringIO())
    assert source_rows() == platform["rows"]
    assert file_hashes(platform["media_root"]) == platform["hashes"]
    # an empty database but a storage with a file in it: refused, nothing changed
    stray = target["data_dir"] / "media" / "works" / "9" / "旧照片.jpg"
    stray.parent.mkdir(parents=True)
    stray.write_bytes(b"old")
    result = manage("restore", str(archive), data_dir=target["data_dir"], database_url=target["url"])
    assert result.returncode != 0
    assert "存储" in result.stderr and "已有文件，如 works/9/旧照片.jpg" in result.stderr, result.stderr
    assert file_hashes(target["data_dir"] / "media") == {"works/9/旧照片.jpg": hashlib.sha256(b"old").hexdigest()}
    assert sum(target["rows"]().values()) == 0
    assert POSTGRES or not (target["data_dir"] / "wenminghao.sqlite3").exists()  # not even an empty database made
    if POSTGRES:  # without pg_dump on PATH: a clear message, and no partial archive left
        empty = tmp_path / "no-tools"
        empty.mkdir()
        monkeypatch.setenv("PATH", str(empty))
        with pytest.raises(CommandError, match="找不到 pg_dump：请安装 PostgreSQL 客户端工具"):
            backup(empty)
        assert list(empty.iterdir()) == []


def tampered_copies(archive: Path, tmp_path: Path) -> dict[str, tuple[Path, str]]:
    """Copies of the archive spoiled in the ways that happen: one byte of a picture changed, cut short in the
    middle, a member added, and the database swapped (its size kept) — with the reason the restore must give."""
    data = archive.read_bytes()
    with tarfile.open(archive) as tar:
        picture = next(info for info in tar.getmembers() if info.name.endswith(".jpg"))
        database = tar.getmembers()[0]
    flipped = bytearray(data)
    flipped[picture.offset_data + picture.size // 2] ^= 0xFF
    swapped = bytearray(data)
    swapped[database.offset_data:database.offset_data + 512] = bytes(512)
    copies = {
        "flipped": (bytes(flipped), "SHA-256 与清单不符"),
        "truncated": (data[: len(data) // 2], "截断"),
        "database": (bytes(swapped), f"成员 {database.name} 的 SHA-256 与清单不符"),
    }
    extra = io.BytesIO(data)
    with tarfile.open(fileobj=extra, mode="a") as tar:  # appended after the manifest
        info = tarfile.TarInfo("files/works/1/植入.jpg")
        info.size = 3
        tar.addfile(info, io.BytesIO(b"bad"))
    copies["appended"] = (extra.getvalue(), "末尾没有 manifest.json")
    paths = {}
    for name, (body, reason) in copies.items():
        path = tmp_path / f"{name}.tar"
        path.write_bytes(body)
        paths[name] = (path, reason)
    return paths


def with_manifest(archive: Path, path: Path, change) -> Path:
    """A copy of the archive whose manifest ``change`` edits (the members unchanged)."""
    with tarfile.open(archive) as source, tarfile.open(path, "w", format=tarfile.PAX_FORMAT) as copy:
        for info in source.getmembers():
            data = source.extractfile(info).read()
            if info.name == "manifest.json":
                manifest = json.loads(data)
                change(manifest)
                data = json.dumps(manifest).encode()
                info.size = len(data)
            copy.addfile(info, io.BytesIO(data))
    return path


def test_an_archive_of_a_newer_version_is_refused(platform, tmp_path):
    archive = tmp_path / "nightly.tar"
    backup(archive)
    newer = with_manifest(archive, tmp_path / "newer.tar", lambda manifest: manifest["schema"].update(
        works="9999_from_the_future"))
    call_command("restore", "--check", str(newer), stdout=io.StringIO())  # a whole archive…
    with pytest.raises(CommandError, match=r"备份来自更新版本的平台（本版本没有迁移 works\.9999_from_the_future）"):
        call_command("restore", str(newer), stdout=io.StringIO())  # …that this version cannot take
    assert source_rows() == platform["rows"]


def test_a_tampered_or_truncated_archive_is_refused_and_changes_nothing(platform, target, tmp_path):
    archive = tmp_path / "nightly.tar"
    backup(archive)
    out = io.StringIO()
    call_command("restore", "--check", str(archive), stdout=out)
    assert "归档完好" in out.getvalue()
    for name, (path, reason) in tampered_copies(archive, tmp_path).items():
        with pytest.raises(CommandError, match=reason) as refused:
            call_command("restore", "--check", str(path), stdout=io.StringIO())
        assert "未做任何更改" in str(refused.value), name
    path, reason = tampered_copies(archive, tmp_path)["flipped"]
    result = manage("restore", str(path), data_dir=target["data_dir"], database_url=target["url"])
    assert result.returncode != 0 and reason in result.stderr and "未做任何更改" in result.stderr
    assert file_hashes(target["data_dir"] / "media") == {}  # no file written
    assert sum(target["rows"]().values()) == 0  # no row written (no SQLite file made at all)
