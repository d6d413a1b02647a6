"""manage.py backup and restore with the files in S3 (core/backup.py walks the storage through Django's API): the
objects of one bucket of the loopback S3 server go into the archive with their SHA-256, and a restore in a process
of its own, configured by WMH_STORAGE=s3 and the WMH_S3_* variables like a deployment, writes them into a fresh
empty bucket byte for byte, with the database beside them; a bucket that holds objects is refused."""

import hashlib
import io
import json
import os
import tarfile
import uuid

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from tests.core.test_backup_restore import manage, source_rows, target  # noqa: F401 - a pytest fixture
from tests.storage.conftest import ACCESS_KEY, REGION, SECRET_KEY

pytestmark = [pytest.mark.s3, pytest.mark.django_db(transaction=True)]


def test_backup_from_a_bucket_restores_into_a_fresh_bucket(s3, tree, users, target, tmp_path):  # noqa: F811
    stored = {
        "works/1/照片（一）.jpg": b"\xff\xd8" + os.urandom(3 * 1024 * 1024),  # past the 2 MiB spooled in memory
        "works/1/thumbs/照片（一）.webp": b"RIFF" + os.urandom(2000),
        "reports/1/1/盖章汇总表.pdf": b"%PDF-1.4" * 50,
        "exports/3/作品清单.xlsx": b"PK\x03\x04" * 10,
    }
    for name, data in stored.items():
        assert default_storage.save(name, ContentFile(data)) == name
    hashes = {key: s3.sha256(key) for key in s3.keys()}  # noqa: SIM118 - a Bucket is no dict
    assert sorted(hashes) == sorted(stored)

    archive = tmp_path / "nightly.tar"
    call_command("backup", str(archive), stdout=io.StringIO())
    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
    assert {entry["name"].removeprefix("files/"): entry["sha256"] for entry in manifest["members"]
            if entry["kind"] == "file"} == hashes
    assert s3.name in manifest["storage"]
    assert s3.local_files() == []  # nothing of the bucket's reached the local disk
    with pytest.raises(CommandError, match=rf"存储 S3Storage（桶 {s3.name}）已有文件，如 exports/3/作品清单.xlsx"):
        call_command("restore", str(archive), stdout=io.StringIO())  # a bucket with objects is no target

    fresh = f"wmh-{uuid.uuid4().hex[:16]}"
    s3.client.create_bucket(Bucket=fresh)
    environment = {"WMH_STORAGE": "s3", "WMH_S3_BUCKET": fresh, "WMH_S3_ENDPOINT_URL": s3.endpoint,
                   "WMH_S3_REGION": REGION, "WMH_S3_ACCESS_KEY": ACCESS_KEY, "WMH_S3_SECRET_KEY": SECRET_KEY}
    try:
        result = manage("restore", str(archive), data_dir=target["data_dir"], database_url=target["url"],
                        **environment)
        assert result.returncode == 0, result.stderr
        pages = s3.client.get_paginator("list_objects_v2").paginate(Bucket=fresh)
        keys = sorted(item["Key"] for page in pages for item in page.get("Contents", []))
        restored = {key: hashlib.sha256(
            s3.client.get_object(Bucket=fresh, Key=key)["Body"].read()).hexdigest() for key in keys}
        assert restored == hashes
        assert target["rows"]() == source_rows()
        assert not (target["data_dir"] / "media").exists() or not any((target["data_dir"] / "media").rglob("*"))
    finally:
        for key in s3.client.list_objects_v2(Bucket=fresh).get("Contents", []):
            s3.client.delete_object(Bucket=fresh, Key=key["Key"])
        s3.client.delete_bucket(Bucket=fresh)
