import hashlib
import io
import json
import os

import pytest
from django.core.files.uploadedfile import TemporaryUploadedFile
from django.core.handlers.wsgi import WSGIRequest
from django.test import RequestFactory
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

from tests import factories
from tests.works.media_fixtures import files_under, jpeg, make_work, media_storage, not_media  # noqa: F401
from wenminghao.core.errors import RuleViolationError
from wenminghao.core.uploads import LimitedUploadHandler, UploadTooLarge, receive_upload, reject_oversized
from wenminghao.works.models import Work, WorkFile
from wenminghao.works.services import add_work_file
from wenminghao.works.uploads import upload_limit_for


class CountingInput:
    """A request body that counts how much of it the server read."""

    def __init__(self, data: bytes):
        self.stream = io.BytesIO(data)
        self.read_bytes = 0

    def read(self, size=-1):
        chunk = self.stream.read(size)
        self.read_bytes += len(chunk)
        return chunk

    def readline(self, size=-1):
        line = self.stream.readline(size)
        self.read_bytes += len(line)
        return line


def multipart_request(name: str, data: bytes, **fields) -> tuple[WSGIRequest, CountingInput]:
    body = encode_multipart(BOUNDARY, {"file": _named(name, data), **fields})
    environ = RequestFactory()._base_environ(
        REQUEST_METHOD="POST", CONTENT_TYPE=MULTIPART_CONTENT, CONTENT_LENGTH=str(len(body)), PATH_INFO="/upload",
    )
    counting = CountingInput(body)
    environ["wsgi.input"] = counting
    return WSGIRequest(environ), counting


def _named(name: str, data: bytes):
    handle = io.BytesIO(data)
    handle.name = name
    return handle


def test_receive_upload_streams_to_a_temporary_file_and_hashes(media_storage):  # noqa: F811
    data = jpeg()
    request, _ = multipart_request("照片.jpg", data, caption="说明")
    upload = receive_upload(request, limit=len(data))
    try:
        assert isinstance(upload, TemporaryUploadedFile)  # on disk even when small: never held in memory
        assert os.path.dirname(upload.temporary_file_path()) == str(media_storage[1])
        assert upload.sha256 == hashlib.sha256(data).hexdigest()
        assert upload.size == len(data)
        assert upload.name == "照片.jpg"
        assert request.POST["caption"] == "说明"
    finally:
        upload.close()
    assert files_under(media_storage[1]) == []


def test_receive_upload_stops_past_the_limit_and_leaves_nothing(media_storage):  # noqa: F811
    data = os.urandom(5 * 1024 * 1024)
    request, counting = multipart_request("大.jpg", data)
    with pytest.raises(UploadTooLarge) as error:
        receive_upload(request, limit=100 * 1024)
    assert error.value.violation.code == "file.too_large"
    assert error.value.status_code == 413
    assert "大.jpg" in error.value.violation.message and "100KB" in error.value.violation.message
    assert isinstance(error.value, RuleViolationError)
    assert counting.read_bytes < 1024 * 1024  # stopped long before the whole body was read
    assert files_under(media_storage[1]) == []


def test_receive_upload_exactly_at_the_limit(media_storage):  # noqa: F811
    data = b"x" * 4096
    request, _ = multipart_request("a.bin", data)
    upload = receive_upload(request, limit=4096)
    assert upload.size == 4096
    upload.close()


def test_receive_upload_without_a_file(media_storage):  # noqa: F811
    request = RequestFactory().post("/upload", {"caption": "无文件"})
    assert receive_upload(request, limit=1024) is None


def test_limited_upload_handler_removes_an_interrupted_upload(media_storage):  # noqa: F811
    handler = LimitedUploadHandler(None, limit=1024)
    handler.new_file("file", "a.jpg", "image/jpeg", 10)
    handler.receive_data_chunk(b"12345", 0)
    path = handler.file.temporary_file_path()
    assert os.path.exists(path)
    handler.upload_interrupted()
    assert not os.path.exists(path)


def test_reject_oversized_answers_413_before_reading():
    request = RequestFactory().post("/upload", b"", content_type="multipart/form-data; boundary=x",
                                    CONTENT_LENGTH=str(30 * 1024 * 1024))
    response = reject_oversized(request, 20 * 1024 * 1024)
    assert response.status_code == 413
    body = json.loads(response.content)
    assert body["errors"][0]["code"] == "file.too_large"
    assert "20MB" in body["errors"][0]["message"]
    small = RequestFactory().post("/upload", b"", content_type="multipart/form-data; boundary=x",
                                  CONTENT_LENGTH=str(20 * 1024 * 1024 + 100))
    assert reject_oversized(small, 20 * 1024 * 1024) is None  # the multipart envelope is allowed for


@pytest.mark.parametrize(("form", "setting", "value"), [
    ("picture", "WMH_PICTURE_MAX_BYTES", 1000), ("comic", "WMH_PICTURE_MAX_BYTES", 1000),
    ("h5", "WMH_PICTURE_MAX_BYTES", 1000), ("video", "WMH_VIDEO_MAX_BYTES", 2000),
    ("animation", "WMH_VIDEO_MAX_BYTES", 2000), ("essay", "WMH_DOCX_MAX_BYTES", 3000),
])
def test_upload_limit_for_each_display_form(settings, form, setting, value):
    setattr(settings, setting, value)
    assert upload_limit_for(Work(display_form=form)) == value


def test_upload_limit_defaults_are_20mb_and_300mb():
    assert upload_limit_for(Work(display_form="picture")) == 20 * 1024 * 1024
    assert upload_limit_for(Work(display_form="video")) == 300 * 1024 * 1024


# --- from the request into the work ---------------------------------------------------------------------------


def test_streamed_upload_is_renamed_into_storage(tree, users, media_storage):  # noqa: F811
    """The checked file is moved (renamed: same inode), not copied, and the temporary file is gone."""
    campaign = factories.campaign(office=tree["city"])
    work = make_work(actor=users["leader_a"], collective=tree["collective_a"], campaign=campaign)
    data = jpeg(seed=4)
    request, _ = multipart_request("窗口.jpg", data)
    upload = receive_upload(request, limit=upload_limit_for(work))
    temp_path = upload.temporary_file_path()
    inode = os.stat(temp_path).st_ino
    work_file = add_work_file(actor=users["leader_a"], work=work, upload=upload)
    upload.close()
    stored = media_storage[0] / work_file.original.name
    assert os.stat(stored).st_ino == inode
    assert not os.path.exists(temp_path)
    assert work_file.sha256 == hashlib.sha256(data).hexdigest()
    assert files_under(media_storage[1]) == []


def test_streamed_upload_refused_leaves_no_file(tree, users, media_storage):  # noqa: F811
    campaign = factories.campaign(office=tree["city"])
    work = make_work(actor=users["leader_a"], collective=tree["collective_a"], campaign=campaign)
    request, _ = multipart_request("假.jpg", not_media())
    upload = receive_upload(request, limit=upload_limit_for(work))
    with pytest.raises(RuleViolationError):
        add_work_file(actor=users["leader_a"], work=work, upload=upload)
    request.close()  # Django closes the request's files at the end of the request: the temporary file goes
    assert files_under(media_storage[0]) == []
    assert files_under(media_storage[1]) == []
    assert WorkFile.objects.count() == 0


@pytest.mark.parametrize("keep", [0.3, 0.6, 0.95])
def test_receive_upload_interrupted_body_leaves_nothing(media_storage, keep):  # noqa: F811
    """The client goes away part way through: the body ends before Content-Length says it should."""
    data = os.urandom(512 * 1024)
    body = encode_multipart(BOUNDARY, {"file": _named("断线.jpg", data)})
    environ = RequestFactory()._base_environ(
        REQUEST_METHOD="POST", CONTENT_TYPE=MULTIPART_CONTENT, CONTENT_LENGTH=str(len(body)), PATH_INFO="/upload",
    )
    environ["wsgi.input"] = CountingInput(body[: int(len(body) * keep)])
    request = WSGIRequest(environ)
    try:
        upload = receive_upload(request, limit=10 * 1024 * 1024)
    except Exception:  # Django may report the broken body; either way nothing may remain
        upload = None
    assert upload is None
    request.close()
    assert files_under(media_storage[1]) == []


class GeneratedBody:
    """A multipart body of one file of ``size`` bytes, made as it is read: the test itself holds no copy."""

    def __init__(self, size: int, name: str = "大视频.mp4"):
        head = (
            f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
            "Content-Type: video/mp4\r\n\r\n"
        ).encode()
        self.parts = [head, None, f"\r\n--{BOUNDARY}--\r\n".encode()]
        self.remaining = size
        self.digest = hashlib.sha256()
        self.length = len(head) + size + len(self.parts[2])
        self.pending = b""

    def read(self, size=-1):
        size = 64 * 1024 if size is None or size < 0 else size
        out = bytearray()
        while len(out) < size:
            if not self.pending:
                if self.parts[0] is not None:
                    self.pending, self.parts[0] = self.parts[0], None
                elif self.remaining:
                    chunk = bytes([self.remaining % 251]) * min(64 * 1024, self.remaining)
                    self.remaining -= len(chunk)
                    self.digest.update(chunk)
                    self.pending = chunk
                elif self.parts[2] is not None:
                    self.pending, self.parts[2] = self.parts[2], None
                else:
                    break
            take = self.pending[: size - len(out)]
            self.pending = self.pending[len(take):]
            out += take
        return bytes(out)

    def readline(self, size=-1):
        line = bytearray()
        while not line.endswith(b"\n") and (size < 0 or len(line) < size):
            byte = self.read(1)
            if not byte:
                break
            line += byte
        return bytes(line)


def test_receive_upload_memory_stays_small_whatever_the_file_size(media_storage):  # noqa: F811
    import tracemalloc

    size = 8 * 1024 * 1024
    body = GeneratedBody(size)
    environ = RequestFactory()._base_environ(
        REQUEST_METHOD="POST", CONTENT_TYPE=MULTIPART_CONTENT, CONTENT_LENGTH=str(body.length), PATH_INFO="/upload",
    )
    environ["wsgi.input"] = body
    request = WSGIRequest(environ)
    tracemalloc.start()
    try:
        upload = receive_upload(request, limit=size)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    try:
        assert upload.size == size
        assert upload.sha256 == body.digest.hexdigest()
        assert peak < 2 * 1024 * 1024, f"peak {peak} bytes while receiving {size} bytes"
    finally:
        upload.close()
