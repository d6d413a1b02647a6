"""Backup and restore of the whole platform: the database and every stored file, in one tar archive.

An archive (uncompressed PAX tar: pictures, videos and .docx are compressed already) holds

    database/wenminghao.sqlite3   a copy made with SQLite's online backup API, or
    database/wenminghao.pgdump    pg_dump's custom format, for PostgreSQL
    files/<stored name>           every file of the default storage (local or S3, walked through Django's storage API)
    manifest.json                 last: the vendor, the creation time, the schema (the latest applied migration of
                                  every app), each table's row count, and the size and SHA-256 of every member

The database is copied first, from one consistent snapshot (SQLite's backup API; PostgreSQL's REPEATABLE READ
snapshot, exported to pg_dump with ``--snapshot`` so the row counts and the dump see the same rows), then the files,
streamed one by one. Stored files are written once under fresh names and never changed, so every file a row of the
snapshot names is there unless it was deleted while the backup ran (those are listed in the manifest as
``missing``); files stored after the snapshot are in the archive without a row (``sweep_orphan_files`` finds them
after a restore). The archive is written under a hidden temporary name beside PATH and renamed when complete.

A restore reads the archive twice: first it checks every member against the manifest (sizes, SHA-256, nothing
missing, nothing extra; the manifest is the last member, so a truncated archive has none) and refuses with
nothing changed; then it writes the files into the storage, hashing again as it writes, and puts the database
back last (SQLite: a verified copy renamed over the database file; PostgreSQL: ``pg_restore --single-transaction``),
removing the files it wrote if that fails. It refuses a target that holds data (rows in any table but the ones
``migrate`` fills, or any stored file), a vendor other than the archive's, and an archive made by a newer version.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage, Storage, default_storage
from django.db import connections
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone
from django.utils.functional import LazyObject

FORMAT = "wenminghao-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MANIFEST_MAX_BYTES = 256 * 1024 * 1024
FILES_PREFIX = "files/"
DATABASE_MEMBERS = {"sqlite": "database/wenminghao.sqlite3", "postgresql": "database/wenminghao.pgdump"}
VENDOR_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
# Tables `migrate` fills by itself: a freshly migrated database holding only these counts as empty.
MIGRATE_TABLES = {"django_migrations", "django_content_type", "auth_permission"}
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; the message (Chinese) says why and what to do."""


# --- hashing streams ---------------------------------------------------------------------------------------------


class HashingReader:
    """Reads a file object through, counting and hashing (SHA-256) what passes; not seekable, so a storage reads it
    once from the start."""

    def __init__(self, raw):
        self.raw = raw
        self.digest = hashlib.sha256()
        self.size = 0
        self.closed = False

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(size)
        self.digest.update(data)
        self.size += len(data)
        return data

    def seekable(self) -> bool:
        return False

    def seek(self, *args):
        raise io.UnsupportedOperation("seek")

    def close(self) -> None:
        self.closed = True

    def hexdigest(self) -> str:
        return self.digest.hexdigest()


class HashingWriter:
    """Writes through to a file, hashing the whole archive as it is written (the SHA-256 to note beside a copy)."""

    def __init__(self, raw):
        self.raw = raw
        self.digest = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> int:
        self.digest.update(data)
        self.size += len(data)
        return self.raw.write(data)


def file_sha256(path: Path) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as source:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


# --- the database ------------------------------------------------------------------------------------------------


def vendor_of(alias: str = "default") -> str:
    vendor = connections[alias].vendor
    if vendor not in DATABASE_MEMBERS:
        raise BackupError(f"不支持备份 {vendor} 数据库：只支持 SQLite 和 PostgreSQL。")
    return vendor


def _raw_connection(alias: str):
    """A connection of the driver's own, outside Django's (and any test's) transaction."""
    connection = connections[alias]
    return connection.Database.connect(**connection.get_connection_params())


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _table_counts(cursor, vendor: str) -> dict[str, int]:
    if vendor == "sqlite":
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    else:
        cursor.execute("SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                       "WHERE c.relkind IN ('r', 'p') AND n.nspname = current_schema()")
    names = sorted(row[0] for row in cursor.fetchall())
    counts = {}
    for name in names:
        cursor.execute(f"SELECT count(*) FROM {_quote(name)}")  # noqa: S608 - a table name from the catalog
        counts[name] = cursor.fetchone()[0]
    return counts


def _applied_migrations(cursor, tables: dict[str, int]) -> list[tuple[str, str]]:
    if "django_migrations" not in tables:
        return []
    cursor.execute("SELECT app, name FROM django_migrations")
    return [(app, name) for app, name in cursor.fetchall()]


def latest_migrations(applied: list[tuple[str, str]]) -> dict[str, str]:
    """The latest applied migration of every app: the applied one with the longest plan in this code's graph (by
    name for migrations this code does not know)."""
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    latest: dict[str, tuple[int, str]] = {}
    for app, name in applied:
        node = (app, name)
        depth = len(graph.forwards_plan(node)) if node in graph.nodes else 10**6
        if app not in latest or (depth, name) > latest[app]:
            latest[app] = (depth, name)
    return {app: latest[app][1] for app in sorted(latest)}


@dataclass
class DatabaseCopy:
    path: Path
    member: str
    tables: dict[str, int]
    schema: dict[str, str]


def _pg_environment(settings_dict: dict) -> dict[str, str]:
    """libpq's variables for pg_dump and pg_restore (the password never on a command line)."""
    env = dict(os.environ)
    options = settings_dict.get("OPTIONS") or {}
    for variable, value in (("PGHOST", settings_dict.get("HOST")), ("PGPORT", settings_dict.get("PORT")),
                            ("PGUSER", settings_dict.get("USER")), ("PGPASSWORD", settings_dict.get("PASSWORD")),
                            ("PGDATABASE", settings_dict.get("NAME")), ("PGSSLMODE", options.get("sslmode"))):
        if value:
            env[variable] = str(value)
    return env


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(f"找不到 {name}：请安装 PostgreSQL 客户端工具（如 Debian/Ubuntu 的 "
                          f"postgresql-client，版本不低于数据库服务器），并确认 {name} 在 PATH 中。")
    return found


def _run_pg_tool(arguments: list[str], env: dict[str, str], what: str) -> None:
    result = subprocess.run(arguments, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip()[-2000:]
        raise BackupError(f"{what}失败（{Path(arguments[0]).name} 退出码 {result.returncode}）：{detail}")


def copy_database(alias: str, directory: Path) -> DatabaseCopy:
    """Copy the database from one consistent snapshot into ``directory``, with its row counts and schema."""
    vendor = vendor_of(alias)
    member = DATABASE_MEMBERS[vendor]
    path = directory / Path(member).name
    if vendor == "sqlite":
        source = _raw_connection(alias)
        target = sqlite3.connect(path)
        try:
            source.backup(target)  # all pages in one step: a read snapshot; writers go on (WAL)
            cursor = target.cursor()
            tables = _table_counts(cursor, vendor)
            applied = _applied_migrations(cursor, tables)
        finally:
            target.close()
            source.close()
        return DatabaseCopy(path, member, tables, latest_migrations(applied))

    pg_dump = _pg_tool("pg_dump")
    settings_dict = connections[alias].settings_dict
    source = _raw_connection(alias)
    try:
        source.autocommit = True
        cursor = source.cursor()
        cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        tables = _table_counts(cursor, vendor)
        applied = _applied_migrations(cursor, tables)
        # pg_dump reads the same snapshot while this transaction stays open
        _run_pg_tool([pg_dump, "--format=custom", f"--snapshot={snapshot}", f"--file={path}"],
                     _pg_environment(settings_dict), "pg_dump 导出数据库")
        cursor.execute("COMMIT")
    finally:
        source.close()
    return DatabaseCopy(path, member, tables, latest_migrations(applied))


def database_rows(alias: str) -> dict[str, int]:
    """Every table's row count of the configured database (a fresh connection of its own)."""
    vendor = vendor_of(alias)
    source = _raw_connection(alias)
    try:
        return _table_counts(source.cursor(), vendor)
    finally:
        source.close()


# --- the files ---------------------------------------------------------------------------------------------------


def walk_storage(storage: Storage, folder: str = "") -> Iterator[str]:
    """Every stored file's name under ``folder`` (the whole storage by default), folders in sorted order."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    prefix = f"{folder}/" if folder else ""
    for name in sorted(files):
        yield prefix + name
    for child in sorted(folders):
        yield from walk_storage(storage, prefix + child)


def storage_description(storage: Storage) -> str:
    bucket = getattr(storage, "bucket_name", None)  # (reading an attribute sets up default_storage's object)
    location = getattr(storage, "location", "")
    kind = type(storage._wrapped if isinstance(storage, LazyObject) else storage).__name__
    return f"{kind}（{'桶 ' + bucket if bucket else location}）"


# --- backup ------------------------------------------------------------------------------------------------------


@dataclass
class BackupResult:
    path: Path
    sha256: str
    size: int
    rows: int
    tables: int
    files: int
    file_bytes: int
    missing: list[str]
    seconds: float


def default_archive_name(now: datetime.datetime) -> str:
    return f"wenminghao-{timezone.localtime(now):%Y%m%d-%H%M%S}.tar"


def _tar_info(name: str, size: int, mtime: float) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mtime = mtime
    info.mode = 0o600
    return info


def write_backup(destination: Path, *, alias: str = "default", storage: Storage = default_storage,
                 progress=None) -> BackupResult:
    """Write one archive of the database and every stored file to ``destination`` (a new file, or an existing
    directory to hold ``wenminghao-YYYYMMDD-HHMMSS.tar``). Nothing appears under the final name until the archive
    is complete; the temporary file is removed on any failure."""
    started = time.monotonic()
    now = timezone.now()
    destination = Path(destination)
    if destination.is_dir():
        destination = destination / default_archive_name(now)
    if destination.exists():
        raise BackupError(f"{destination} 已存在：备份不覆盖已有文件，"
                          "请换一个文件名，或给出一个目录（自动按时间命名）。")
    if not destination.parent.is_dir():
        raise BackupError(f"目录 {destination.parent} 不存在：请先创建它。")
    storage_description(storage)  # (sets up default_storage's object)
    local = storage._wrapped if isinstance(storage, LazyObject) else storage
    if isinstance(local, FileSystemStorage) and destination.resolve().is_relative_to(Path(local.location).resolve()):
        raise BackupError(f"备份不能写在存储目录 {local.location} 里面（否则会把自己也备份进去）："
                          "请换一个目录，最好在另一块磁盘上。")
    vendor = vendor_of(alias)
    say = progress or (lambda message: None)
    mtime = now.timestamp()
    fd, partial_name = tempfile.mkstemp(prefix=f".{destination.name}.", suffix=".partial", dir=destination.parent)
    partial = Path(partial_name)
    try:
        with os.fdopen(fd, "wb") as raw, tempfile.TemporaryDirectory(prefix=".wmh-backup-",
                                                                     dir=destination.parent) as work:
            say(f"正在复制{VENDOR_NAMES[vendor]}数据库……")
            database = copy_database(alias, Path(work))
            sha256, size = file_sha256(database.path)
            members = [{"name": database.member, "kind": "database", "size": size, "sha256": sha256}]
            writer = HashingWriter(raw)
            with tarfile.open(fileobj=writer, mode="w|", format=tarfile.PAX_FORMAT) as tar:
                with open(database.path, "rb") as source:
                    tar.addfile(_tar_info(database.member, size, mtime), source)
                database.path.unlink()
                say(f"数据库：{len(database.tables)}张表，{sum(database.tables.values())}行，{size}字节。正在复制存储的文件……")
                missing, file_bytes = [], 0
                for name in walk_storage(storage):
                    try:
                        stored_size = storage.size(name)
                        stored = storage.open(name, "rb")
                    except FileNotFoundError:
                        missing.append(name)  # deleted since the listing
                        continue
                    with stored:
                        reader = HashingReader(stored)
                        try:
                            tar.addfile(_tar_info(FILES_PREFIX + name, stored_size, mtime), reader)
                        except OSError as error:  # shorter than its size said: changed while being copied
                            raise BackupError(f"复制文件 {name} 时出错（{error}）："
                                              "存储的文件在备份期间被改动，请重新备份。") from error
                    members.append({"name": FILES_PREFIX + name, "kind": "file", "size": reader.size,
                                    "sha256": reader.hexdigest()})
                    file_bytes += reader.size
                manifest = {
                    "format": FORMAT,
                    "format_version": FORMAT_VERSION,
                    "created_at": now.isoformat(),
                    "vendor": vendor,
                    "database_member": database.member,
                    "schema": database.schema,
                    "tables": database.tables,
                    "storage": storage_description(storage),
                    "missing": missing,
                    "members": members,
                }
                body = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
                tar.addfile(_tar_info(MANIFEST, len(body), mtime), io.BytesIO(body))
            raw.flush()
            os.fsync(raw.fileno())
        try:
            os.link(partial, destination)  # unlike a rename, never replaces an archive made meanwhile
        except FileExistsError as error:
            raise BackupError(f"{destination} 在备份期间被创建：备份不覆盖已有文件，请换一个文件名。") from error
        except OSError:  # a file system without hard links
            os.replace(partial, destination)
        partial.unlink(missing_ok=True)
        _fsync_directory(destination.parent)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    files = len(members) - 1
    return BackupResult(path=destination, sha256=writer.digest.hexdigest(), size=writer.size,
                        rows=sum(database.tables.values()), tables=len(database.tables), files=files,
                        file_bytes=file_bytes, missing=missing, seconds=time.monotonic() - started)


def _fsync_directory(directory: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


# --- verify ------------------------------------------------------------------------------------------------------


@dataclass
class VerifiedArchive:
    path: Path
    manifest: dict
    members: dict[str, dict] = field(default_factory=dict)  # name → its manifest entry

    @property
    def vendor(self) -> str:
        return self.manifest["vendor"]

    @property
    def files(self) -> list[dict]:
        return [entry for entry in self.manifest["members"] if entry["kind"] == "file"]


def _broken(path: Path, reason: str) -> BackupError:
    return BackupError(f"备份文件 {path} 无法使用：{reason}。未做任何更改。")


def _open_archive(path: Path) -> tarfile.TarFile:
    if not path.is_file():
        raise BackupError(f"找不到备份文件 {path}。")
    try:
        return tarfile.open(path, mode="r:")
    except (tarfile.TarError, OSError) as error:
        raise _broken(path, f"不是本平台的备份归档（{error}）") from error


def _read_manifest(path: Path, tar: tarfile.TarFile) -> tuple[dict, list[tarfile.TarInfo]]:
    try:
        infos = tar.getmembers()
    except (tarfile.TarError, OSError, EOFError) as error:
        raise _broken(path, f"归档已损坏或被截断（{error}）") from error
    if not infos or infos[-1].name != MANIFEST:
        raise _broken(path, "归档末尾没有 manifest.json，文件可能被截断或不是完整的备份")
    info = infos[-1]
    if not info.isfile() or info.size > MANIFEST_MAX_BYTES:
        raise _broken(path, "manifest.json 不是普通文件或过大")
    try:
        body = tar.extractfile(info).read()
        if len(body) != info.size:
            raise _broken(path, "manifest.json 不完整，文件可能被截断")
        manifest = json.loads(body)
    except (tarfile.TarError, OSError, EOFError, ValueError) as error:
        raise _broken(path, f"manifest.json 无法读取（{error}）") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _broken(path, "manifest.json 不是本平台的备份清单")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise _broken(path, f"备份格式版本 {manifest.get('format_version')} 不受支持（本版本读取 {FORMAT_VERSION}）")
    if manifest.get("vendor") not in DATABASE_MEMBERS or manifest.get("database_member") != DATABASE_MEMBERS.get(
            manifest.get("vendor")):
        raise _broken(path, "清单中的数据库类型无效")
    return manifest, infos[:-1]


def _safe_storage_name(name: str) -> bool:
    parts = name.split("/")
    return bool(name) and not name.startswith("/") and "\\" not in name and "\x00" not in name and all(
        part not in ("", ".", "..") for part in parts)


def verify_archive(path: Path, progress=None) -> VerifiedArchive:
    """Check every member of the archive against its manifest (names, sizes, SHA-256; nothing missing, nothing
    extra, nothing but regular files) by reading it through once. Raises BackupError saying what is wrong."""
    path = Path(path)
    say = progress or (lambda message: None)
    with _open_archive(path) as tar:
        manifest, infos = _read_manifest(path, tar)
        entries = manifest.get("members")
        if not isinstance(entries, list) or not all(isinstance(entry, dict) for entry in entries):
            raise _broken(path, "清单的成员列表无效")
        expected: dict[str, dict] = {}
        for entry in entries:
            name = entry.get("name")
            if not isinstance(name, str) or name in expected:
                raise _broken(path, f"清单中的成员名 {name!r} 无效或重复")
            if entry.get("kind") == "file":
                if not name.startswith(FILES_PREFIX) or not _safe_storage_name(name[len(FILES_PREFIX):]):
                    raise _broken(path, f"清单中的文件名 {name!r} 不安全")
            elif not (entry.get("kind") == "database" and name == manifest["database_member"]):
                raise _broken(path, f"清单中的成员 {name!r} 类型无效")
            expected[name] = entry
        if manifest["database_member"] not in expected:
            raise _broken(path, "清单中没有数据库")
        seen: set[str] = set()
        say(f"正在校验 {len(infos)} 个成员的 SHA-256……")
        for info in infos:
            entry = expected.get(info.name)
            if entry is None:
                raise _broken(path, f"归档中有清单未列出的成员 {info.name}（可能被篡改）")
            if info.name in seen:
                raise _broken(path, f"归档中成员 {info.name} 出现了两次（可能被篡改）")
            seen.add(info.name)
            if not info.isfile():
                raise _broken(path, f"成员 {info.name} 不是普通文件")
            if info.size != entry.get("size"):
                raise _broken(path, f"成员 {info.name} 的大小 {info.size} 字节与清单的 {entry.get('size')} 字节不符")
            try:
                reader = HashingReader(tar.extractfile(info))
                while reader.read(CHUNK):
                    pass
            except (tarfile.TarError, OSError, EOFError) as error:
                raise _broken(path, f"读取成员 {info.name} 失败，归档可能被截断（{error}）") from error
            if reader.size != entry["size"] or reader.hexdigest() != entry.get("sha256"):
                raise _broken(path, f"成员 {info.name} 的 SHA-256 与清单不符（清单 {str(entry.get('sha256'))[:12]}…，"
                                    f"实际 {reader.hexdigest()[:12]}…），归档被改动或已损坏")
        absent = [name for name in expected if name not in seen]
        if absent:
            raise _broken(path, f"清单列出的 {len(absent)} 个成员不在归档中（如 {absent[0]}），归档不完整")
    return VerifiedArchive(path=path, manifest=manifest, members=expected)


# --- restore -----------------------------------------------------------------------------------------------------


def target_contents(alias: str, storage: Storage) -> tuple[dict[str, int], list[str]]:
    """What the target already holds: tables with rows (but those `migrate` fills), and up to 5 stored files."""
    connection = connections[alias]
    rows = {}
    # no SQLite file yet: empty (opening a connection would make the file)
    if connection.vendor != "sqlite" or _in_memory(alias) or _sqlite_path(alias).exists():
        with connection.cursor() as cursor:
            tables = set(connection.introspection.table_names(cursor)) - MIGRATE_TABLES
            for name in sorted(tables):
                cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(name)}")  # noqa: S608
                count = cursor.fetchone()[0]
                if count:
                    rows[name] = count
    files = []
    for name in walk_storage(storage):
        files.append(name)
        if len(files) >= 5:
            break
    return rows, files


def check_compatible(archive: VerifiedArchive, alias: str) -> list[str]:
    """Refuse another vendor or a newer schema; return the apps whose migrations this code has beyond the
    archive's (a `migrate` after the restore brings them up)."""
    vendor = vendor_of(alias)
    if archive.vendor != vendor:
        raise BackupError(f"这是{VENDOR_NAMES[archive.vendor]}数据库的备份，而当前配置的是{VENDOR_NAMES[vendor]}："
                          f"请把 DATABASE_URL 设为{VENDOR_NAMES[archive.vendor]}数据库后再恢复。未做任何更改。")
    loader = MigrationLoader(None, ignore_no_migrations=True)
    schema = archive.manifest.get("schema") or {}
    unknown = [f"{app}.{name}" for app, name in schema.items() if (app, name) not in loader.graph.nodes]
    if unknown:
        raise BackupError(f"备份来自更新版本的平台（本版本没有迁移 {'、'.join(unknown[:3])}）："
                          "请先把平台升级到备份时的版本再恢复。未做任何更改。")
    behind = []
    for app, name in loader.graph.leaf_nodes():
        if schema.get(app) != name:  # not migrated at all, or to an earlier migration
            behind.append(app)
    return sorted(behind)


def refuse_unless_empty(alias: str, storage: Storage) -> None:
    rows, files = target_contents(alias, storage)
    problems = []
    if rows:
        listed = "、".join(f"{name}（{count}行）" for name, count in list(rows.items())[:5])
        problems.append(f"数据库已有数据：{listed}{'等' if len(rows) > 5 else ''}共{len(rows)}张表")
    if files:
        problems.append(f"存储 {storage_description(storage)}已有文件，如 {files[0]}")
    if problems:
        raise BackupError("恢复只能写入空的数据库和空的存储，以免覆盖现有数据：" + "；".join(problems)
                          + "。请先把现有数据移走（如换一个空的数据目录 WMH_DATA_DIR，"
                            "或新建一个空数据库并改 DATABASE_URL，空桶），再恢复。未做任何更改。")


@dataclass
class RestoreResult:
    rows: int
    tables: int
    files: int
    file_bytes: int
    seconds: float
    migrate_apps: list[str]


def _extract_verified(tar: tarfile.TarFile, entry: dict, target: Path) -> None:
    reader = HashingReader(tar.extractfile(entry["name"]))
    with open(target, "wb") as out:
        while chunk := reader.read(CHUNK):
            out.write(chunk)
        out.flush()
        os.fsync(out.fileno())
    if reader.hexdigest() != entry["sha256"] or reader.size != entry["size"]:
        raise BackupError(f"写入时成员 {entry['name']} 的 SHA-256 与清单不符：备份文件在恢复期间被改动。")


def _in_memory(alias: str) -> bool:
    name = str(connections[alias].settings_dict["NAME"])
    return name == ":memory:" or "mode=memory" in name


def _sqlite_path(alias: str) -> Path:
    if _in_memory(alias):
        raise BackupError("当前配置的是内存中的 SQLite 数据库，无法恢复到它：请使用数据目录中的数据库文件。")
    return Path(connections[alias].settings_dict["NAME"])


def restore_archive(path: Path, *, alias: str = "default", storage: Storage = default_storage,
                    progress=None) -> RestoreResult:
    """Verify the archive, refuse a non-empty or incompatible target, then write every file into the storage and
    put the database back (last, atomically). On failure the files written so far are removed again."""
    started = time.monotonic()
    say = progress or (lambda message: None)
    archive = verify_archive(Path(path), progress=say)
    migrate_apps = check_compatible(archive, alias)
    refuse_unless_empty(alias, storage)
    vendor = archive.vendor
    database_entry = archive.members[archive.manifest["database_member"]]
    written: list[str] = []
    sqlite_target = _sqlite_path(alias) if vendor == "sqlite" else None
    # the database is staged beside its file (one rename puts it in place), a dump in the upload temporary folder
    staging_dir = sqlite_target.parent if sqlite_target else settings.FILE_UPLOAD_TEMP_DIR
    with _open_archive(archive.path) as tar, tempfile.TemporaryDirectory(prefix=".wmh-restore-",
                                                                         dir=staging_dir) as work:
        staged = Path(work) / Path(database_entry["name"]).name
        _extract_verified(tar, database_entry, staged)
        try:
            say(f"正在写入 {len(archive.files)} 个文件到 {storage_description(storage)}……")
            file_bytes = 0
            for entry in archive.files:
                name = entry["name"][len(FILES_PREFIX):]
                reader = HashingReader(tar.extractfile(entry["name"]))
                saved = storage.save(name, File(reader, name=name))
                written.append(saved)
                if saved != name:
                    raise BackupError(f"存储把文件 {name} 保存成了 {saved}：目标存储不是空的。")
                if reader.hexdigest() != entry["sha256"] or reader.size != entry["size"]:
                    raise BackupError(f"写入时文件 {name} 的 SHA-256 与清单不符：备份文件在恢复期间被改动。")
                file_bytes += reader.size
            say(f"正在恢复{VENDOR_NAMES[vendor]}数据库……")
            connections[alias].close()
            if vendor == "sqlite":
                for suffix in ("-wal", "-shm", "-journal"):  # the empty target's, never to be replayed on the copy
                    Path(f"{sqlite_target}{suffix}").unlink(missing_ok=True)
                os.replace(staged, sqlite_target)
                _fsync_directory(sqlite_target.parent)
            else:
                settings_dict = connections[alias].settings_dict
                _run_pg_tool([_pg_tool("pg_restore"), "--single-transaction", "--exit-on-error", "--clean",
                              "--if-exists", "--no-owner", "--no-privileges", f"--dbname={settings_dict['NAME']}",
                              str(staged)], _pg_environment(settings_dict), "pg_restore 恢复数据库")
        except BaseException:
            for name in written:
                with contextlib.suppress(Exception):
                    storage.delete(name)
            raise
    rows = database_rows(alias)
    expected = archive.manifest.get("tables") or {}
    differ = [name for name in expected if rows.get(name) != expected[name]]
    if differ:
        raise BackupError(f"恢复后 {len(differ)} 张表的行数与备份清单不符（如 {differ[0]}："
                          f"清单 {expected[differ[0]]}行，实际 {rows.get(differ[0])}行）。")
    return RestoreResult(rows=sum(expected.values()), tables=len(expected), files=len(archive.files),
                         file_bytes=file_bytes, seconds=time.monotonic() - started, migrate_apps=migrate_apps)
