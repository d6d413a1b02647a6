"""The one way a file goes into the platform's storage: whole, or not at all.

A process killed while writing (the server during an upload, a task worker making a thumbnail or an export) must
never leave a half-written file under a name that a row could point to. Every file is therefore written completely
to FILE_UPLOAD_TEMP_DIR first and then handed to the storage as a file on disk: FileSystemStorage moves it into
place with a rename (the temporary folder is on the same file system as the media folder: both are under
``$WMH_DATA_DIR``), so the stored name holds the whole file or nothing; S3 and other storages read it in chunks and
upload it as one object, which the storage itself makes visible only once complete. A temporary file left by a
killed process is listed and removed by ``manage.py sweep_orphan_files``.

- ``store_local_file(path, name)``: a finished file on local disk (an upload's body, an export being written).
- ``store_bytes(contents, name)``: bytes made in memory (a thumbnail, a web copy, a poster frame).

Both return the stored name (``name``, or a free name like it) and leave no temporary file behind.
"""

from __future__ import annotations

import contextlib
import os
import tempfile

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage


class _FileOnDisk(File):
    """A complete file on local disk that FileSystemStorage moves into place instead of copying."""

    def __init__(self, path: str):
        super().__init__(open(path, "rb"), name=os.path.basename(path))  # noqa: SIM115 - closed by store_local_file
        self._path = path

    def temporary_file_path(self) -> str:
        return self._path


def store_local_file(path: str, name: str) -> str:
    """Put the complete file at ``path`` into the default storage under ``name`` (or a free name like it); returns
    the stored name. On local storage the file is moved (``path`` no longer exists afterwards); elsewhere copied."""
    content = _FileOnDisk(path)
    try:
        return default_storage.save(name, content)
    finally:
        content.close()


def store_bytes(contents: bytes, name: str) -> str:
    """Write ``contents`` to a temporary file, then store it as ``store_local_file`` does; returns the stored name."""
    folder = settings.FILE_UPLOAD_TEMP_DIR or None
    if folder:
        os.makedirs(folder, exist_ok=True)
    handle, path = tempfile.mkstemp(prefix="wmh-store-", suffix=".part", dir=folder)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(contents)
        return store_local_file(path, name)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.remove(path)
