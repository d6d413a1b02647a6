"""A work's files on S3-compatible storage (moto's server on loopback, tests/storage/conftest.py): uploaded through
the page and the API (the one intake, core/uploads.py and works/uploads.py), they land in the bucket byte for byte;
the task worker's previews are written there too; downloads are redirects to short-lived signed addresses that the
object storage answers (ranges included); a refused upload leaves no object; removing a file removes its objects."""

import hashlib
import io
import time
from urllib.error import HTTPError
from urllib.parse import parse_qs, urlsplit
from urllib.request import Request, urlopen

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from storages.backends.s3 import S3Storage

from tests import factories
from tests.works.media_fixtures import jpeg, make_work, not_media, upload, video
from wenminghao.accounts.services import issue_api_token
from wenminghao.works.enums import DerivativeState
from wenminghao.works.models import WorkFile

pytestmark = [pytest.mark.s3, pytest.mark.django_db]
JSON = {"Accept": "application/json"}


@pytest.fixture
def campaign(tree):
    return factories.campaign(office=tree["city"])


@pytest.fixture
def photo_work(tree, users, campaign, s3):
    return make_work(actor=users["leader_a"], collective=tree["collective_a"], campaign=campaign)


@pytest.fixture
def video_work(tree, users, campaign, s3):
    return make_work(actor=users["leader_a"], collective=tree["collective_a"], campaign=campaign, category="publicity")


def post_file(client, work, name: str, data: bytes):
    return client.post(reverse("works:upload", args=[work.pk]), {"file": upload(name, data)}, headers=JSON)


def fetch(url: str, **headers) -> tuple[int, dict, bytes]:
    """GET an address on the loopback S3 server, as the browser does after the redirect: status, headers (by
    lower-case name), body."""
    assert url.startswith("http://127.0.0.1:"), url  # the loopback server, never the internet
    with urlopen(Request(url, headers=headers), timeout=10) as answer:  # noqa: S310 - our loopback server
        return answer.status, {name.lower(): value for name, value in answer.headers.items()}, answer.read()


def lifetime(query: dict) -> int:
    """Seconds the signed address is good for, from now: SigV4 says so (X-Amz-Expires), SigV2 names the instant
    (Expires, on the clock the address was signed by: the tests' clock). Both carry a signature."""
    if "X-Amz-Expires" in query:
        assert query["X-Amz-Signature"][0] and query["X-Amz-Credential"][0]
        return int(query["X-Amz-Expires"][0])
    assert query["Signature"][0] and query["AWSAccessKeyId"][0]
    return round((int(query["Expires"][0]) - time.time()) / 10) * 10


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_the_storage_is_configured_by_the_deployments_variables(s3):
    """settings.py under WMH_STORAGE=s3 and the WMH_S3_* variables (docs/deployment.md), as the fixture set them."""
    assert (default_storage.bucket_name, default_storage.endpoint_url) == (s3.name, s3.endpoint)
    assert isinstance(default_storage._wrapped, S3Storage)
    assert default_storage.default_acl == "private" and default_storage.querystring_auth
    assert default_storage.querystring_expire == 300 and default_storage.file_overwrite is False
    first = default_storage.save("works/1/同名.jpg", ContentFile(b"first"))
    second = default_storage.save("works/1/同名.jpg", ContentFile(b"second"))
    assert first == "works/1/同名.jpg" and second != first  # never overwritten: a free name like it
    assert s3.body(first) == b"first" and s3.body(second) == b"second"


def test_a_picture_uploaded_through_the_page_lands_in_the_bucket_with_its_previews(
        photo_work, users, signed_in, s3, django_capture_on_commit_callbacks):
    data = jpeg(1600, 1200, seed=7)
    with django_capture_on_commit_callbacks(execute=True):  # the previews task runs at once in tests
        response = post_file(signed_in(users["leader_a"]), photo_work, "窗口全景.jpg", data)
    assert response.status_code == 201, response.content
    stored = WorkFile.objects.get(pk=response.json()["file"]["id"])
    assert stored.original.name.startswith(f"works/{photo_work.pk}/") and stored.original.name.endswith(".jpg")
    assert s3.sha256(stored.original.name) == sha256(data) == stored.sha256 == response.json()["file"]["sha256"]
    assert s3.head(stored.original.name)["ContentLength"] == len(data) == stored.size
    assert s3.head(stored.original.name)["ContentType"] == "image/jpeg"
    # the task read the original back from the bucket and wrote its previews beside it
    assert stored.derivatives == DerivativeState.READY
    derived = f"works/{photo_work.pk}/derived/"
    assert s3.keys(derived) == sorted([stored.thumbnail.name, stored.web_copy.name])
    with Image.open(io.BytesIO(s3.body(stored.thumbnail.name))) as thumbnail:
        assert thumbnail.format == "JPEG" and thumbnail.size == (400, 300)
    with Image.open(io.BytesIO(s3.body(stored.web_copy.name))) as web:
        assert web.format == "JPEG" and web.size == (1600, 1200)
    assert s3.keys() == sorted([stored.original.name, stored.thumbnail.name, stored.web_copy.name])
    assert s3.local_files() == []  # nothing on local disk: not in MEDIA_ROOT, no temporary file left


def test_a_video_uploaded_through_the_api_lands_in_the_bucket_with_its_poster(
        client, video_work, users, s3, django_capture_on_commit_callbacks):
    data = video(3, size=(320, 240))
    token = issue_api_token(user=users["leader_a"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/api/v1/works/{video_work.pk}/files", {"file": SimpleUploadedFile("宣传片.mp4", data)},
                               headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 201, response.content
    stored = WorkFile.objects.get(pk=response.json()["id"])
    assert s3.sha256(stored.original.name) == sha256(data) == stored.sha256
    assert stored.derivatives == DerivativeState.READY and stored.poster.name and stored.thumbnail.name
    with Image.open(io.BytesIO(s3.body(stored.poster.name))) as poster:
        assert poster.format == "JPEG" and poster.size == (320, 240)
    assert s3.keys() == sorted([stored.original.name, stored.poster.name, stored.thumbnail.name])
    assert s3.local_files() == []


def test_a_download_is_a_redirect_to_a_signed_address_the_storage_answers(
        photo_work, users, signed_in, s3, django_capture_on_commit_callbacks):
    data = jpeg(1600, 1200, seed=8)
    client = signed_in(users["leader_a"])
    with django_capture_on_commit_callbacks(execute=True):
        file_id = post_file(client, photo_work, "窗口全景.jpg", data).json()["file"]["id"]
    stored = WorkFile.objects.get(pk=file_id)
    address = reverse("works:file", args=[photo_work.pk, file_id])

    response = client.get(address, {"download": "1"})
    assert response.status_code == 302
    signed = urlsplit(response["Location"])
    query = parse_qs(signed.query)
    assert f"{signed.scheme}://{signed.netloc}" == s3.endpoint and signed.path == f"/{s3.name}/{stored.original.name}"
    assert lifetime(query) == 300  # short-lived (settings.py: querystring_expire), and signed
    assert query["response-content-type"] == ["image/jpeg"]
    status, headers, body = fetch(response["Location"])
    assert status == 200 and sha256(body) == sha256(data)
    assert headers["content-type"] == "image/jpeg"
    assert headers["content-disposition"] == "attachment; filename*=utf-8''%E7%AA%97%E5%8F%A3%E5%85%A8%E6%99%AF.jpg"
    with pytest.raises(HTTPError) as unsigned:  # the objects are private: without its signature, refused
        fetch(response["Location"].split("?")[0])
    assert unsigned.value.code == 403
    # the storage answers byte ranges itself (a video on an iPhone)
    status, headers, body = fetch(response["Location"], Range="bytes=0-99")
    assert status == 206 and body == data[:100] and headers["content-range"] == f"bytes 0-99/{len(data)}"

    thumbnail = client.get(address, {"variant": "thumbnail"})
    assert thumbnail.status_code == 302
    status, headers, body = fetch(thumbnail["Location"])
    assert body == s3.body(stored.thumbnail.name) and headers["content-type"] == "image/jpeg"
    assert "inline" in headers["content-disposition"]
    # nobody else gets an address
    assert signed_in(users["leader_b"]).get(address).status_code == 404


def test_a_file_gone_from_the_bucket_answers_404_not_a_dead_address(
        photo_work, users, signed_in, s3):
    client = signed_in(users["leader_a"])
    file_id = post_file(client, photo_work, "窗口.jpg", jpeg(seed=9)).json()["file"]["id"]
    stored = WorkFile.objects.get(pk=file_id)
    s3.client.delete_object(Bucket=s3.name, Key=stored.original.name)
    response = client.get(reverse("works:file", args=[photo_work.pk, file_id]))
    assert response.status_code == 404


@pytest.mark.parametrize(("name", "data", "status", "message"), [
    ("说明.jpg", not_media(), 422, "JPEG"),
    ("小图.jpg", jpeg(1200, 900), 422, "1600"),
])
def test_a_refused_upload_leaves_no_object(photo_work, users, signed_in, s3, name, data, status, message):
    response = post_file(signed_in(users["leader_a"]), photo_work, name, data)
    assert response.status_code == status
    assert message in " ".join(error["message"] for error in response.json()["errors"])
    assert s3.keys() == [] and s3.local_files() == []
    assert not WorkFile.objects.exists()


def test_an_upload_past_the_limit_while_streaming_leaves_no_object(photo_work, users, signed_in, s3, settings):
    settings.WMH_PICTURE_MAX_BYTES = 100 * 1024
    data = jpeg(1600, 1200, seed=3, quality=100)
    assert len(data) > settings.WMH_PICTURE_MAX_BYTES + 64 * 1024
    client = signed_in(users["leader_a"])
    response = client.post(reverse("works:upload", args=[photo_work.pk]), {"file": upload("大图.jpg", data)},
                           headers=JSON)
    assert response.status_code == 413
    assert s3.keys() == [] and s3.local_files() == []


def test_a_failure_after_the_move_into_the_bucket_takes_the_object_out_again(
        photo_work, users, signed_in, s3, monkeypatch):
    """The object is uploaded just before its row is written; when the transaction fails it is deleted again."""
    from wenminghao.works import services

    def broken_audit(**kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(services, "record_audit", broken_audit)
    with pytest.raises(RuntimeError):
        services.add_work_file(actor=users["leader_a"], work=photo_work, upload=upload("窗口.jpg", jpeg(seed=4)))
    assert s3.keys() == [] and not WorkFile.objects.exists()


def test_removing_a_file_removes_its_objects_and_only_those(
        photo_work, users, signed_in, s3, django_capture_on_commit_callbacks):
    client = signed_in(users["leader_a"])
    with django_capture_on_commit_callbacks(execute=True):
        first = post_file(client, photo_work, "一.jpg", jpeg(seed=11)).json()["file"]["id"]
        second = post_file(client, photo_work, "二.jpg", jpeg(seed=12)).json()["file"]["id"]
    removed, kept = WorkFile.objects.get(pk=first), WorkFile.objects.get(pk=second)
    kept_names = [kept.original.name, kept.thumbnail.name, kept.web_copy.name]
    assert len(s3.keys()) == 6
    with django_capture_on_commit_callbacks(execute=True):  # the objects go once the removal is committed
        response = client.post(reverse("works:file_remove", args=[photo_work.pk, first]))
    assert response.status_code == 302
    assert not WorkFile.objects.filter(pk=first).exists()
    remaining = s3.keys()
    assert not {removed.original.name, removed.thumbnail.name, removed.web_copy.name} & set(remaining)
    assert remaining == sorted(kept_names)
