"""manage.py sweep_orphan_files: stored files without a row (left by a crash between the move into storage and
the commit) are listed, and removed with --delete; files with a row, and recent files, are never touched."""

import io
import os
import time

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command

from tests import factories
from tests.works.media_fixtures import add_pictures, make_work, media_storage  # noqa: F401 - fixture


def run(*args) -> str:
    out = io.StringIO()
    call_command("sweep_orphan_files", *args, stdout=out)
    return out.getvalue()


def age(name: str, hours: float) -> None:
    path = default_storage.path(name)
    then = time.time() - hours * 3600
    os.utime(path, (then, then))


def test_sweep_lists_then_deletes_only_old_orphans(tree, users, media_storage,  # noqa: F811
                                                   django_capture_on_commit_callbacks):
    campaign = factories.campaign(office=tree["city"])
    work = make_work(actor=users["leader_a"], collective=tree["collective_a"], campaign=campaign)
    with django_capture_on_commit_callbacks(execute=True):  # the derivatives task runs at once in tests
        kept = add_pictures(work, users["leader_a"], 2)
    orphan = default_storage.save(f"works/{work.pk}/crashed.jpg", ContentFile(b"x" * 10))
    recent = default_storage.save(f"works/{work.pk}/uploading.jpg", ContentFile(b"y"))
    scan = default_storage.save("reports/9/9/盖章汇总表.pdf", ContentFile(b"%PDF-"))
    media_root = media_storage[0]
    stored = [str(path.relative_to(media_root)) for path in media_root.rglob("*") if path.is_file()]
    for name in stored:
        if name != recent:
            age(name, 48)  # originals, derived thumbnails and web copies (when made), the two orphans
    listed = run()
    assert orphan in listed and scan in listed and recent not in listed
    assert "找到孤立文件2个，共15字节；加 --delete 删除它们。" in listed
    assert default_storage.exists(orphan)  # listing deletes nothing
    run("--delete")
    assert not default_storage.exists(orphan) and not default_storage.exists(scan)
    assert default_storage.exists(recent)
    for item in kept:
        item.refresh_from_db()
        assert item.thumbnail.name and item.web_copy.name
        for field in ("original", "thumbnail", "web_copy"):
            name = getattr(item, field).name
            assert not name or default_storage.exists(name), f"{field} of a kept file was removed"
    assert "找到孤立文件0个" in run()


def test_sweep_delete_removes_exports_older_than_a_week(users, media_storage):  # noqa: F811
    import datetime

    from django.utils import timezone

    from wenminghao.core.models import ExportJob

    def job(days_ago):
        stored = default_storage.save("exports/x/导出.xlsx", ContentFile(b"PK"))
        return ExportJob.objects.create(kind="campaign_works", title="导出", requested_by=users["city_admin"],
                                        status="done", file=stored, file_name="导出.xlsx",
                                        finished_at=timezone.now() - datetime.timedelta(days=days_ago))

    old, fresh = job(8), job(1)
    assert "删除了1个超过7天的导出文件" in run("--delete")
    assert not ExportJob.objects.filter(pk=old.pk).exists() and not default_storage.exists(old.file.name)
    assert ExportJob.objects.filter(pk=fresh.pk).exists() and default_storage.exists(fresh.file.name)


def test_sweep_lists_then_deletes_old_temporary_files_of_killed_uploads(db, media_storage):  # noqa: F811
    temp_dir = media_storage[1]
    killed = temp_dir / "tmpk1ll3d.upload"  # the body of an upload whose server was killed (bench/crash_safety.py)
    killed.write_bytes(b"x" * 100)
    then = time.time() - 48 * 3600
    os.utime(killed, (then, then))
    streaming = temp_dir / "tmpstr3am.upload"  # an upload arriving now
    streaming.write_bytes(b"y")
    listed = run()
    assert "临时文件 tmpk1ll3d.upload（100字节）" in listed and "tmpstr3am" not in listed
    assert "上传临时目录中有1个中断遗留的临时文件，共100字节；加 --delete 删除它们。" in listed
    assert killed.exists()  # listing deletes nothing
    run("--delete")
    assert not killed.exists() and streaming.exists()
