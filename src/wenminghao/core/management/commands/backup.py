"""Write one archive of the whole platform: the database and every stored file, with a manifest of SHA-256.

    manage.py backup /srv/backups/                 # a new wenminghao-YYYYMMDD-HHMMSS.tar in that directory
    manage.py backup /srv/backups/nightly.tar      # that name (never overwritten)

Safe while the platform runs: the database is copied from one consistent snapshot (core/backup.py), then the files.
The archive appears under its name only once complete. docs/deployment.md says how to schedule it and restore it.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from wenminghao.core.backup import BackupError, write_backup


class Command(BaseCommand):
    help = "备份数据库和存储中的全部文件到一个归档文件（含 SHA-256 清单）；运行中的平台也可备份。"

    def add_arguments(self, parser):
        parser.add_argument("path", help="归档文件路径（不得已存在），"
                                         "或一个已有目录（自动命名为 wenminghao-日期-时间.tar）")

    def handle(self, *args, path: str, **options):
        try:
            result = write_backup(Path(path), progress=self.stdout.write)
        except BackupError as error:
            raise CommandError(str(error)) from error
        for name in result.missing:
            self.stderr.write(f"注意：文件 {name} 在备份期间被删除，未包含在归档中。")
        self.stdout.write(self.style.SUCCESS(
            f"备份完成：{result.path}（{result.size}字节，用时{result.seconds:.1f}秒）。"
            f"数据库{result.tables}张表共{result.rows}行，文件{result.files}个共{result.file_bytes}字节。"))
        self.stdout.write(f"归档的 SHA-256：{result.sha256}（请与异地副本一同记录）")
