"""The other stored files on S3-compatible storage (moto's server on loopback, tests/storage/conftest.py): an export
job's file (core/exports.py) written to the bucket and downloaded; the zip of a unit's works streamed from the
bucket; ``manage.py sweep_orphan_files`` listing and deleting only the objects no row names and that are old enough;
an identity page's workplace photo (public/tasks.py) with its web copy and thumbnail in the bucket."""

import datetime
import hashlib
import io
import zipfile
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from PIL import Image

from tests import factories
from tests.public.pages_fixtures import make_post, publish
from tests.storage.test_s3_works import fetch, lifetime
from tests.works.media_fixtures import add_pictures, jpeg, make_work, upload
from wenminghao.core.models import ExportJob
from wenminghao.public.models import PostPhoto
from wenminghao.works.models import Work

pytestmark = [pytest.mark.s3, pytest.mark.django_db]


@pytest.fixture
def campaign(tree):
    return factories.campaign(office=tree["city"])


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- an export job's file -----------------------------------------------------------------------------------


def test_an_export_is_written_to_the_bucket_and_downloaded_from_it(
        tree, users, campaign, signed_in, s3, django_capture_on_commit_callbacks):
    make_work(actor=users["leader_a"], collective=tree["collective_a"], campaign=campaign, title="窗口里的四十年")
    client = signed_in(users["city_admin"])
    with django_capture_on_commit_callbacks(execute=True):  # the task worker's run, at once in tests
        response = client.post(reverse("reviews:campaign_export", args=[campaign.pk]))
    job = ExportJob.objects.get()
    assert response.status_code == 302 and job.status == ExportJob.Status.DONE, job.error
    assert job.file.name.startswith(f"exports/{job.pk}/") and job.file.name.endswith(".xlsx")
    assert s3.keys() == [job.file.name] and s3.head(job.file.name)["ContentLength"] == job.size > 0
    assert s3.local_files() == []

    download = client.get(reverse("core:export_download", args=[job.pk]))
    assert download.status_code == 302
    status, headers, body = fetch(download["Location"])
    assert status == 200 and body == s3.body(job.file.name) and lifetime_of(download) == 300
    assert headers["content-disposition"].startswith("attachment; filename*=utf-8''")
    cells = {cell for sheet in load_workbook(io.BytesIO(body)).worksheets
             for row in sheet.iter_rows(values_only=True) for cell in row}
    assert "窗口里的四十年" in cells
    assert signed_in(users["unit_admin_a"]).get(reverse("core:export_download", args=[job.pk])).status_code == 404

    # gone from the bucket (a lifecycle rule, a sweep): the page says so instead of sending to a dead address
    s3.client.delete_object(Bucket=s3.name, Key=job.file.name)
    gone = signed_in(users["city_admin"]).get(reverse("core:export_download", args=[job.pk]))
    assert gone.status_code == 404


def lifetime_of(response) -> int:
    return lifetime(parse_qs(urlsplit(response["Location"]).query))


# --- the zip of a unit's works --------------------------------------------------------------------------------


def test_the_zip_of_a_units_works_streams_the_files_from_the_bucket(
        tree, users, campaign, signed_in, s3):
    work = make_work(actor=users["leader_a"], collective=tree["collective_a"], campaign=campaign)
    files = add_pictures(work, users["leader_a"], 2)
    Work.objects.filter(pk=work.pk).update(status="recommended", unit_rank=1)
    response = signed_in(users["unit_admin_a"]).get(reverse("reviews:unit_archive", args=[campaign.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as zipped:
        pictures = [sha256(zipped.read(name)) for name in zipped.namelist() if name.endswith(".jpg")]
    assert sorted(pictures) == sorted(item.sha256 for item in files)
    assert sorted(pictures) == sorted(s3.sha256(item.original.name) for item in files)


# --- manage.py sweep_orphan_files ---------------------------------------------------------------------------


def sweep(*args) -> str:
    out = io.StringIO()
    call_command("sweep_orphan_files", *args, stdout=out)
    return out.getvalue()


def test_the_sweep_lists_then_deletes_only_old_objects_no_row_names(
        tree, users, campaign, s3, django_capture_on_commit_callbacks):
    """S3 has no modification time to set: the server shares the tests' clock, so the test moves the clock two days
    on instead, after storing the old objects and before storing the one being uploaded "now"."""
    work = make_work(actor=users["leader_a"], collective=tree["collective_a"], campaign=campaign)
    with django_capture_on_commit_callbacks(execute=True):  # originals and their previews (works/<id>/derived/)
        kept = add_pictures(work, users["leader_a"], 2)
    for item in kept:
        item.refresh_from_db()
    orphan = default_storage.save(f"works/{work.pk}/crashed.jpg", ContentFile(b"x" * 10))
    scan = default_storage.save(f"reports/{campaign.pk}/{tree['area_a'].pk}/盖章汇总表.pdf", ContentFile(b"%PDF-"))
    outside = default_storage.save("elsewhere/notes.txt", ContentFile(b"not the platform's folders"))
    referenced = sorted(name for item in kept for name in (item.original.name, item.thumbnail.name,
                                                           item.web_copy.name))
    assert all(referenced) and len(s3.keys()) == 9

    with time_machine.travel(timezone.now() + datetime.timedelta(hours=48), tick=True):
        recent = default_storage.save(f"works/{work.pk}/uploading.jpg", ContentFile(b"y"))  # between move and commit
        listed = sweep()
        assert f"孤立文件 {orphan}（10字节）" in listed and f"孤立文件 {scan}（5字节）" in listed
        assert recent not in listed and outside not in listed
        assert not any(name in listed for name in referenced)
        assert "检查了9个文件，找到孤立文件2个，共15字节；加 --delete 删除它们。" in listed
        assert len(s3.keys()) == 10  # listing deletes nothing

        deleted = sweep("--delete")
        assert f"删除 {orphan}（10字节）" in deleted and "已删除孤立文件2个，共15字节" in deleted
        assert s3.keys() == sorted([*referenced, recent, outside])
        assert "找到孤立文件0个" in sweep()

        # a day later the upload that never committed is old enough too
        with time_machine.travel(timezone.now() + datetime.timedelta(hours=25), tick=True):
            assert f"孤立文件 {recent}（1字节）" in sweep("--min-age", "24")


@pytest.mark.parametrize("folder", ["public/1", "ledger/1/1", "inspections/1/1"])
def test_the_sweep_finds_orphans_in_every_folder_files_are_stored_in(s3, db, folder):
    orphan = default_storage.save(f"{folder}/crashed.jpg", ContentFile(b"z" * 7))
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=48), tick=True):
        assert f"孤立文件 {orphan}（7字节）" in sweep()


def test_the_sweep_deletes_export_files_older_than_a_week(users, s3):
    job = ExportJob.objects.create(kind="campaign_works", params={}, title="旧导出", requested_by=users["city_admin"],
                                   status=ExportJob.Status.DONE)
    job.file = default_storage.save(f"exports/{job.pk}/旧导出.xlsx", ContentFile(b"PK old"))
    job.finished_at = timezone.now() - datetime.timedelta(days=8)
    job.save()
    fresh = ExportJob.objects.create(kind="campaign_works", params={}, title="新导出",
                                     requested_by=users["city_admin"], status=ExportJob.Status.DONE,
                                     finished_at=timezone.now())
    fresh.file = default_storage.save(f"exports/{fresh.pk}/新导出.xlsx", ContentFile(b"PK new"))
    fresh.save()
    assert "删除了1个超过7天的导出文件。" in sweep("--delete")
    assert s3.keys() == [fresh.file.name]
    assert list(ExportJob.objects.all()) == [fresh]


# --- an identity page's workplace photo (public/tasks.py) -------------------------------------------------------


def test_a_workplace_photo_and_its_copies_live_in_the_bucket(
        tree, users, signed_in, client, s3, django_capture_on_commit_callbacks):
    post = make_post(tree["collective_a"])
    publish(users["leader_a"], post)
    data = jpeg(2000, 1500, seed=21)
    manager = signed_in(users["leader_a"])
    with django_capture_on_commit_callbacks(execute=True):  # the copies are made by the task worker after commit
        response = manager.post(reverse("public:page_photo_add", args=[post.pk]),
                                {"file": upload("窗口.jpg", data), "caption": "综合受理大厅"})
    assert response.status_code == 302
    photo = PostPhoto.objects.get()
    assert photo.original.name.startswith(f"public/{post.pk}/")
    assert s3.sha256(photo.original.name) == sha256(data)
    assert photo.web_copy.name and photo.thumbnail.name
    assert s3.keys() == sorted([photo.original.name, photo.web_copy.name, photo.thumbnail.name])
    with Image.open(io.BytesIO(s3.body(photo.web_copy.name))) as web:
        assert web.size == (1600, 1200) and "exif" not in web.info
    with Image.open(io.BytesIO(s3.body(photo.thumbnail.name))) as thumbnail:
        assert thumbnail.size == (400, 300)
    assert s3.local_files() == []

    # the public page sends its visitors to the web copy, never to the upload itself
    shown = client.get(reverse("public:post_photo", args=[post.pk, photo.pk]))
    assert shown.status_code == 302
    status, headers, body = fetch(shown["Location"])
    assert status == 200 and body == s3.body(photo.web_copy.name) and headers["content-type"] == "image/jpeg"

    with django_capture_on_commit_callbacks(execute=True):
        removed = manager.post(reverse("public:page_photo_remove", args=[post.pk, photo.pk]))
    assert removed.status_code == 302 and not PostPhoto.objects.exists()
    assert s3.keys() == []


def test_a_refused_workplace_photo_leaves_no_object(tree, users, signed_in, s3):
    post = make_post(tree["collective_a"])
    response = signed_in(users["leader_a"]).post(reverse("public:page_photo_add", args=[post.pk]),
                                                 {"file": upload("窗口.jpg", b"GIF89a not a photo" * 50)})
    assert response.status_code == 422
    assert s3.keys() == [] and s3.local_files() == [] and not PostPhoto.objects.exists()
