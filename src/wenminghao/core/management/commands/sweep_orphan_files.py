"""Find (and with --delete remove) stored files that no database row refers to.

A file is moved into storage before its row is committed; if the process dies between the two (a crash, a
killed worker), the file stays without a row. Every service deletes its file when the transaction fails, so
this only mops up after crashes. Files younger than --min-age hours are left alone: an upload may be between
its move into storage and its commit right now. Works with local storage and S3 alike (Django's storage API).
With --delete it also removes export files (core.exports) older than a week. It also lists (and with --delete
removes) the files older than --min-age in FILE_UPLOAD_TEMP_DIR: request bodies and export files being written
when their process was killed (never in storage, never named by a row). Run it by hand or nightly, e.g.
``manage.py sweep_orphan_files --delete``.
"""

import contextlib
import datetime
import time
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand
from django.db import models
from django.db.models import Q
from django.utils import timezone

from wenminghao.core.exports import KEEP_DAYS, sweep_exports

# The folders the platform writes into: works' originals and derivatives, units' stamped scans, identity-page
# photos, ledger files, inspection photos and exports (an export file no job names: its worker was killed between
# storing it and saving the job; the files of old jobs go by their own rule, sweep_exports).
PREFIXES = ("works", "reports", "public", "ledger", "inspections", "exports")


def file_fields() -> list[tuple[type[models.Model], list[str]]]:
    """Every model with file fields, and their names, from Django's app registry (core knows no app by name)."""
    found = []
    for model in apps.get_models():
        names = [field.name for field in model._meta.get_fields() if isinstance(field, models.FileField)]
        if names:
            found.append((model, names))
    return found


def referenced(names: list[str]) -> set[str]:
    """Which of ``names`` a database row refers to (one query per model with file fields, for a whole folder)."""
    if not names:
        return set()
    found: set[str] = set()
    for model, fields in file_fields():
        query = Q()
        for field in fields:
            query |= Q(**{f"{field}__in": names})
        for row in model._default_manager.filter(query).values_list(*fields):
            found.update(row)
    return found & set(names)


def walk(folder: str):
    """(folder, [file names with their folder]) for ``folder`` and every folder below it."""
    try:
        folders, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return
    yield folder, [f"{folder}/{name}" for name in files]
    for child in folders:
        yield from walk(f"{folder}/{child}")


def stale_temporary_files(min_age_hours: float) -> list[Path]:
    """The files of FILE_UPLOAD_TEMP_DIR not written to for ``min_age_hours`` (an upload streaming in writes its file
    all the time; a killed one stops)."""
    folder = Path(settings.FILE_UPLOAD_TEMP_DIR or "")
    if not settings.FILE_UPLOAD_TEMP_DIR or not folder.is_dir():
        return []
    cutoff = time.time() - min_age_hours * 3600
    return sorted(path for path in folder.iterdir() if path.is_file() and path.stat().st_mtime <= cutoff)


class Command(BaseCommand):
    help = "列出（加 --delete 时删除）存储中没有任何记录引用的文件（进程崩溃遗留）。"

    def add_arguments(self, parser):
        parser.add_argument("--delete", action="store_true", help="删除找到的文件（默认只列出）")
        parser.add_argument("--min-age", type=float, default=24.0,
                            help="只处理早于这么多小时的文件（默认24），以免误删正在上传的文件")

    def handle(self, *args, delete: bool = False, min_age: float = 24.0, **options):
        cutoff = timezone.now() - datetime.timedelta(hours=min_age)
        orphans, total_bytes, checked = [], 0, 0
        for prefix in PREFIXES:
            for _folder, names in walk(prefix):
                checked += len(names)
                for name in sorted(set(names) - referenced(names)):
                    if default_storage.get_modified_time(name) > cutoff:
                        continue
                    size = default_storage.size(name)
                    orphans.append(name)
                    total_bytes += size
                    self.stdout.write(f"{'删除' if delete else '孤立文件'} {name}（{size}字节）")
                    if delete:
                        default_storage.delete(name)
        leftovers = stale_temporary_files(min_age)
        leftover_bytes = 0
        for path in leftovers:
            with contextlib.suppress(FileNotFoundError):
                size = path.stat().st_size
                leftover_bytes += size
                self.stdout.write(f"{'删除' if delete else '临时文件'} {path.name}（{size}字节）")
                if delete:
                    path.unlink()
        if leftovers:
            self.stdout.write(f"上传临时目录中{'删除了' if delete else '有'}{len(leftovers)}个中断遗留的临时文件，"
                              f"共{leftover_bytes}字节" + ("。" if delete else "；加 --delete 删除它们。"))
        if delete:
            expired = sweep_exports()
            self.stdout.write(f"删除了{expired}个超过{KEEP_DAYS}天的导出文件。")
        verb = "已删除" if delete else "找到"
        self.stdout.write(self.style.SUCCESS(
            f"检查了{checked}个文件，{verb}孤立文件{len(orphans)}个，共{total_bytes}字节"
            + ("" if delete or not orphans else "；加 --delete 删除它们") + "。"))
