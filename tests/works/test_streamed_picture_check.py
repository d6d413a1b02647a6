"""A JPEG uploaded through a page or the API is decoded while its bytes arrive (works.media.StreamedJpegCheck fed by
the one upload handler, core.uploads), and the file check takes that verdict instead of decoding the file again:
a good picture is accepted, one cut short is refused the same as before, a PNG is judged from the file."""

import pytest

from tests.works.media_fixtures import (
    jpeg,
    media_storage,  # noqa: F401 - fixture
    png,
    truncated_jpeg,
    upload,
)
from tests.works.test_views import campaign, photo_work, post_file  # noqa: F401 - fixtures
from wenminghao.works import media
from wenminghao.works.models import WorkFile


@pytest.fixture
def verdicts(monkeypatch):
    """The ``streamed`` verdict each file check got (the real check runs: this only records its argument)."""
    seen = []
    real = media.inspect_picture

    def recording(path, name, *, streamed=None):
        seen.append(streamed)
        return real(path, name, streamed=streamed)

    monkeypatch.setattr(media, "inspect_picture", recording)
    return seen


def test_a_page_upload_is_checked_as_it_streams(photo_work, users, signed_in, verdicts):  # noqa: F811
    client = signed_in(users["leader_a"])
    assert post_file(client, photo_work, "窗口.jpg", jpeg(seed=3)).status_code == 201
    assert verdicts == [True]
    response = post_file(client, photo_work, "截断.jpg", truncated_jpeg())
    assert response.status_code == 422 and response.json()["errors"][0]["code"] == "photo.corrupt"
    assert verdicts == [True, False]
    # not a JPEG: nothing streamed to judge, the file check decodes the file itself
    assert post_file(client, photo_work, "假装.jpg", png()).status_code == 422
    assert verdicts[-1] is None
    assert WorkFile.objects.count() == 1


def test_an_api_upload_is_checked_as_it_streams(photo_work, users, signed_in, verdicts):  # noqa: F811
    client = signed_in(users["leader_a"])
    address = f"/api/v1/works/{photo_work.pk}/files"
    token = client.get("/api/v1/me").cookies.get("csrftoken")
    headers = {"X-CSRFToken": token.value} if token else {}
    answer = client.post(address, {"file": upload("窗口.jpg", jpeg(seed=5), "image/jpeg")}, headers=headers)
    assert answer.status_code == 201, answer.content
    refused = client.post(address, {"file": upload("截断.jpg", truncated_jpeg(), "image/jpeg")}, headers=headers)
    assert refused.status_code == 422 and refused.json()["errors"][0]["code"] == "photo.corrupt"
    assert verdicts == [True, False]
    assert WorkFile.objects.count() == 1
