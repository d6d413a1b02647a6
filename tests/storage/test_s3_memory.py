"""Reading a stored object back on S3-compatible storage (moto's server on loopback, tests/storage/conftest.py): the
task worker's copy of an original (works.tasks.local_path) and the zip of a unit's works (reviews/archive.py) read
through ``default_storage.open``; a 300 MB video must not sit whole in an app server's or a worker's memory."""

import os
import tracemalloc

import pytest
from django.core.files.storage import default_storage

pytestmark = [pytest.mark.s3, pytest.mark.django_db]
MiB = 1024 * 1024


def held_in_memory_while_open(name: str) -> int:
    """Bytes the open object holds in this process's memory (SpooledTemporaryFile's buffer: django-storages downloads
    the object into it when it is first read), after the first byte is read."""
    tracemalloc.start(1)
    try:
        with default_storage.open(name, "rb") as handle:
            assert handle.read(1)
            snapshot = tracemalloc.take_snapshot()
    finally:
        tracemalloc.stop()
    held = snapshot.filter_traces([tracemalloc.Filter(True, "*/tempfile.py")])
    return sum(stat.size for stat in held.statistics("filename"))


def test_an_open_object_spools_to_disk_not_memory(s3):
    s3.put("works/1/宣传片.mp4", os.urandom(8 * MiB))
    assert held_in_memory_while_open("works/1/宣传片.mp4") < 3 * MiB
