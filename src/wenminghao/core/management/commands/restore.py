"""Put an archive of ``manage.py backup`` back on an empty database and an empty storage.

    manage.py restore /srv/backups/wenminghao-20261203-020000.tar
    manage.py restore --check /srv/backups/wenminghao-20261203-020000.tar   # verify only, change nothing

Every member is checked against the manifest's SHA-256 before anything is written; a tampered, truncated or foreign
archive is refused with nothing changed. A target that already holds data (rows beyond what `migrate` makes, or any
stored file) is refused too, and there is no option to force it: restoring over live data is the one mistake that
loses it, so move the data aside first (docs/deployment.md).
"""

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from wenminghao.core.backup import VENDOR_NAMES, BackupError, restore_archive, verify_archive


class Command(BaseCommand):
    help = "把 manage.py backup 的归档恢复到空的数据库和空的存储；先校验每个成员的 SHA-256，不符则不做任何更改。"

    def add_arguments(self, parser):
        parser.add_argument("path", help="manage.py backup 写出的归档文件")
        parser.add_argument("--check", action="store_true", help="只校验归档（大小、SHA-256、完整性），不恢复")

    def handle(self, *args, path: str, check: bool = False, **options):
        try:
            if check:
                archive = verify_archive(Path(path), progress=self.stdout.write)
                manifest = archive.manifest
                created = timezone.localtime(datetime.datetime.fromisoformat(manifest["created_at"]))
                self.stdout.write(self.style.SUCCESS(
                    f"归档完好：{created:%Y-%m-%d %H:%M:%S} 备份的{VENDOR_NAMES[archive.vendor]}数据库"
                    f"（{len(manifest['tables'])}张表"
                    f"共{sum(manifest['tables'].values())}行）和{len(archive.files)}个文件，"
                    "每个成员的 SHA-256 都与清单一致。"))
                return
            result = restore_archive(Path(path), progress=self.stdout.write)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(
            f"恢复完成（用时{result.seconds:.1f}秒）：数据库{result.tables}张表共{result.rows}行，"
            f"文件{result.files}个共{result.file_bytes}字节，行数和 SHA-256 均与备份清单一致。"))
        if result.migrate_apps:
            self.stdout.write(f"备份的数据库结构比当前版本旧（{'、'.join(result.migrate_apps)}）："
                              "请运行 manage.py migrate。")
