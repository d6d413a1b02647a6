"""The storage against a real S3-compatible server on loopback: moto's server (``moto[server]``, pinned in
requirements-dev.txt) listening on a free 127.0.0.1 port for the whole test session, so these tests need no
internet and no account anywhere.

``s3`` (a fixture) makes a fresh bucket on it and switches the default storage (works' files, previews, exports,
identity-page photos) to django-storages' S3Storage, configured by ``settings.py`` itself from the ``WMH_STORAGE=s3``
and ``WMH_S3_*`` variables exactly as a deployment sets them (docs/deployment.md); it returns a ``Bucket`` that
reads the objects back with boto3, as a second client would. Local storage (MEDIA_ROOT) points at an empty
directory that must stay empty. The server keeps its objects in memory; each test's bucket goes at its end.

The server runs in a thread of the test process (moto's ThreadedMotoServer) and speaks HTTP to the app's boto3 like
any S3 service; living in the process, it shares the tests' clock (tests/clock.py), so objects' LastModified and the
sweep's cutoff (``manage.py sweep_orphan_files --min-age``) are compared on one clock, and a test may move both.
"""

import contextlib
import hashlib
import logging
import os
import runpy
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

import wenminghao.settings

REGION = "us-east-1"  # moto's default: buckets need no location constraint there
ACCESS_KEY, SECRET_KEY = "wmh-test-access-key", "wmh-test-secret-key"  # moto takes any pair


def pytest_configure(config):
    config.addinivalue_line("markers", "s3: runs the storage against moto's S3 server on loopback (tests/storage)")


@pytest.fixture(scope="session")
def s3_endpoint():
    """The address of moto's S3 server on 127.0.0.1 (a free port), for the whole session."""
    try:
        from moto.server import ThreadedMotoServer
    except ImportError as error:  # requirements-dev.txt pins moto[server]: CI and `make venv` install it
        pytest.fail(f"未安装 moto[server]（{error}）：请先运行 make venv 安装 requirements-dev.txt 中的测试依赖")
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per request otherwise
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@dataclass
class Bucket:
    """The test's bucket, read with boto3 beside the app (not through Django's storage)."""

    name: str
    endpoint: str
    client: object
    media_root: Path
    temp_dir: Path

    def keys(self, prefix: str = "") -> list[str]:
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.name, Prefix=prefix)
        return sorted(item["Key"] for page in pages for item in page.get("Contents", []))

    def body(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.name, Key=key)["Body"].read()

    def sha256(self, key: str) -> str:
        return hashlib.sha256(self.body(key)).hexdigest()

    def head(self, key: str) -> dict:
        return self.client.head_object(Bucket=self.name, Key=key)

    def put(self, key: str, data: bytes) -> None:
        self.client.put_object(Bucket=self.name, Key=key, Body=data)

    def local_files(self) -> list[Path]:
        """Whatever reached the local disk: media files (none may) and upload temporary files left behind."""
        return sorted(path for root in (self.media_root, self.temp_dir) for path in root.rglob("*") if path.is_file())


def storage_settings_for(environment: dict[str, str]) -> dict:
    """STORAGES["default"] as settings.py builds it under these environment variables (the deployment's code)."""
    saved = {name: os.environ.get(name) for name in environment}
    os.environ.update(environment)
    try:
        namespace = runpy.run_path(wenminghao.settings.__file__, run_name="wmh_settings_under_s3")
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    return namespace["STORAGES"]["default"]


@pytest.fixture
def s3(s3_endpoint, settings, tmp_path) -> Bucket:
    """A fresh bucket on the loopback S3 server as the default storage of this test (see the module's docstring)."""
    import boto3
    from django.core.files.storage import default_storage, storages
    from storages.backends.s3 import S3Storage

    name = f"wmh-{uuid.uuid4().hex[:16]}"
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name=REGION,
                          aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY)
    client.create_bucket(Bucket=name)
    media_root, temp_dir = tmp_path / "media-unused", tmp_path / "upload-tmp"
    media_root.mkdir()
    temp_dir.mkdir()
    settings.MEDIA_ROOT = media_root
    settings.FILE_UPLOAD_TEMP_DIR = temp_dir
    settings.STORAGES = {**settings.STORAGES, "default": storage_settings_for({
        "WMH_STORAGE": "s3", "WMH_S3_BUCKET": name, "WMH_S3_ENDPOINT_URL": s3_endpoint, "WMH_S3_REGION": REGION,
        "WMH_S3_ACCESS_KEY": ACCESS_KEY, "WMH_S3_SECRET_KEY": SECRET_KEY,
    })}
    # Django's setting_changed receiver (django.test.signals.storages_changed) forgets the built backends when
    # STORAGES changes: django.core.files.storage.storages caches them, default_storage (which every FileField
    # holds) wraps the cached one. Say so here, so that a Django that stopped doing it fails loudly.
    assert isinstance(storages["default"], S3Storage), "the storage backends were not rebuilt for the test"
    assert default_storage.bucket_name == name and isinstance(default_storage._wrapped, S3Storage)
    bucket = Bucket(name=name, endpoint=s3_endpoint, client=client, media_root=media_root, temp_dir=temp_dir)
    yield bucket
    with contextlib.suppress(Exception):  # the bucket lives in the server's memory: leave nothing for the next test
        for key in bucket.keys():  # noqa: SIM118 - Bucket.keys() lists the objects; a Bucket is no dict
            client.delete_object(Bucket=name, Key=key)
        client.delete_bucket(Bucket=name)
