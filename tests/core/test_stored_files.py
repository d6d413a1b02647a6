"""Stored files answer byte ranges (issue 8, defect 4: videos did not play on iPhones).

Every private and public file goes through ``core.files.stored_file_response``: a work's file (to who may see the
work, and to anyone once showcased), a unit's stamped scan, a finished export. Each is asked here for ranges the
way iOS Safari asks for a video (``bytes=0-1`` first, then pieces), and for what a client must not get.
"""

import datetime
from urllib.parse import quote

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests import factories
from tests.works.media_fixtures import make_work, media_storage, upload, video  # noqa: F401 - media_storage: fixture
from wenminghao.core.files import Unsatisfiable, parse_byte_range
from wenminghao.core.models import ExportJob
from wenminghao.reviews.services import upload_stamped_scan
from wenminghao.works.enums import WorkStatus
from wenminghao.works.models import Work
from wenminghao.works.services import add_work_file

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n" + b"1 0 obj << /Type /Catalog >> endobj\n" * 40 + b"%%EOF\n"


@pytest.fixture
def campaign(tree):
    return factories.campaign(office=tree["city"])


def _work_video(tree, users, campaign, signed_in, *, public=False):
    work = make_work(actor=users["leader_a"], collective=tree["collective_a"], campaign=campaign,
                     category="publicity", title="三十秒读懂一窗受理")
    item = add_work_file(actor=users["leader_a"], work=work, upload=upload("一窗受理.mp4", video(2)))
    if public:
        Work.objects.filter(pk=work.pk).update(status=WorkStatus.SHOWCASED)
    client = Client() if public else signed_in(users["leader_a"])
    with item.original.open("rb") as handle:
        data = handle.read()
    return client, reverse("works:file", args=[work.pk, item.pk]), data, item.original.name, "video/mp4"


def _stamped_scan(tree, users, campaign, signed_in):
    work = make_work(actor=users["leader_a"], collective=tree["collective_a"], campaign=campaign)
    Work.objects.filter(pk=work.pk).update(status=WorkStatus.RECOMMENDED, unit_rank=1)
    report = upload_stamped_scan(actor=users["unit_admin_a"], campaign=campaign, unit=tree["area_a"],
                                 upload=SimpleUploadedFile("汇总表.pdf", PDF))
    return (signed_in(users["unit_admin_a"]), reverse("reviews:report_scan", args=[report.pk]), PDF,
            report.stamped_scan.name, "application/pdf")


def _export(tree, users, campaign, signed_in):
    data = b"PK\x03\x04" + bytes(range(256)) * 20
    job = ExportJob.objects.create(kind="campaign_works", params={"campaign": campaign.pk}, title="作品与评审情况",
                                   requested_by=users["city_admin"], status=ExportJob.Status.DONE,
                                   file_name="作品与评审情况.xlsx", finished_at=datetime.datetime.now(datetime.UTC))
    job.file = default_storage.save(f"exports/{job.pk}/作品与评审情况.xlsx", ContentFile(data))
    job.save(update_fields=["file"])
    return (signed_in(users["city_admin"]), reverse("core:export_download", args=[job.pk]), data, job.file.name,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


KINDS = {
    "work file": _work_video,
    "showcased work file, anonymous": lambda *args: _work_video(*args, public=True),
    "stamped scan": _stamped_scan,
    "export": _export,
}


@pytest.fixture(params=list(KINDS))
def served(request, tree, users, campaign, signed_in, media_storage):  # noqa: F811
    client, url, data, name, content_type = KINDS[request.param](tree, users, campaign, signed_in)
    return {"client": client, "url": url, "data": data, "name": name, "type": content_type}


def fetch(served, **headers):
    """(response, its body), read to its end (the test client then closes the file, as a server does)."""
    response = served["client"].get(served["url"], headers=headers)
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return response, content


def test_the_whole_file_says_it_accepts_ranges(served):
    response, content = fetch(served)
    assert response.status_code == 200
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Type"] == served["type"]
    assert int(response["Content-Length"]) == len(served["data"])
    assert content == served["data"]
    assert response["ETag"].startswith('"') and response["Last-Modified"]


@pytest.mark.parametrize(("header", "piece"), [
    ("bytes=0-1", slice(0, 2)),  # iOS Safari's first question about a <video>
    ("bytes=0-99", slice(0, 100)),
    ("bytes=100-199", slice(100, 200)),
    ("bytes=100-", slice(100, None)),
    ("bytes=-100", slice(-100, None)),
    ("bytes=5-99999999", slice(5, None)),  # past the end: up to the end
])
def test_a_range_answers_206_with_just_those_bytes(served, header, piece):
    data = served["data"]
    response, content = fetch(served, Range=header)
    expected = data[piece]
    first = range(len(data))[piece][0]
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes {first}-{first + len(expected) - 1}/{len(data)}"
    assert int(response["Content-Length"]) == len(expected)
    assert response["Accept-Ranges"] == "bytes"
    assert content == expected


def test_a_range_beyond_the_end_answers_416(served):
    size = len(served["data"])
    response, content = fetch(served, Range=f"bytes={size}-")
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{size}"
    assert "超出了文件的大小" in content.decode()


@pytest.mark.parametrize("header", ["bytes=0-1,5-9", "items=0-9", "bytes=9-2", "bytes=abc", "bytes=-"])
def test_several_or_malformed_ranges_get_the_whole_file(served, header):
    response, content = fetch(served, Range=header)
    assert response.status_code == 200
    assert content == served["data"]


def test_if_range_gets_the_piece_only_while_the_file_is_the_same(served):
    etag = fetch(served)[0]["ETag"]
    same, content = fetch(served, Range="bytes=0-9", **{"If-Range": etag})
    assert same.status_code == 206 and content == served["data"][:10]
    changed, content = fetch(served, Range="bytes=0-9", **{"If-Range": '"another"'})
    assert changed.status_code == 200 and content == served["data"]


def test_a_file_the_browser_has_answers_304(served):
    etag = fetch(served)[0]["ETag"]
    response, _ = fetch(served, **{"If-None-Match": etag})
    assert response.status_code == 304


def test_behind_nginx_the_bytes_are_left_to_it(served, settings):
    settings.WMH_ACCEL_REDIRECT_PREFIX = "/_protected/"
    response, content = fetch(served, Range="bytes=0-99")
    assert response.status_code == 200 and content == b""
    assert response["X-Accel-Redirect"] == f"/_protected/{quote(served['name'])}"
    assert response["Content-Type"] == served["type"]


def test_who_may_not_have_the_file_gets_no_range_of_it(tree, users, campaign, signed_in, media_storage):  # noqa: F811
    client, url, _, _, _ = _work_video(tree, users, campaign, signed_in)
    response = signed_in(users["leader_b"]).get(url, headers={"Range": "bytes=0-99"})
    assert response.status_code == 404


# header → (first, last) for a file of 1,000 bytes; None: ignored (whole file)
@pytest.mark.parametrize(("header", "expected"), [
    ("bytes=0-0", (0, 0)), ("bytes=0-999", (0, 999)), ("bytes=0-5000", (0, 999)), ("bytes=999-", (999, 999)),
    ("bytes=-1", (999, 999)), ("bytes=-5000", (0, 999)), ("BYTES=1-2", (1, 2)), ("bytes= 1 - 2", (1, 2)),
    ("bytes=2-1", None), ("bytes=1-2,4-5", None), ("pages=1-2", None), ("bytes=", None), ("bytes=x-1", None),
    ("bytes=-", None), ("bytes", None),
])
def test_range_header_parsing(header, expected):
    assert parse_byte_range(header, 1000) == expected


@pytest.mark.parametrize(("header", "size"), [("bytes=1000-", 1000), ("bytes=-0", 1000), ("bytes=-5", 0),
                                              ("bytes=0-", 0)])
def test_unsatisfiable_ranges(header, size):
    with pytest.raises(Unsatisfiable):
        parse_byte_range(header, size)
