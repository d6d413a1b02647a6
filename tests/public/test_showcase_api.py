"""GET /api/v1/public/showcase (API.md, "Public pages"): the showcased and forwarded works as JSON, for anyone, in
exactly the documented shape; every file url opens without sign-in while the work is public and answers 404 once it
is not; paginated like every list of the API, with a constant number of queries; never a private field."""

import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.public import showcase_fixtures
from tests.public.showcase_fixtures import PRIVATE
from tests.works import media_fixtures
from wenminghao.accounts.services import issue_api_token
from wenminghao.works.enums import WorkStatus
from wenminghao.works.transitions import change_work_status

URL = "/api/v1/public/showcase"

# pytest fixtures (tests/public/showcase_fixtures.py)
media_storage = media_fixtures.media_storage
make_showcased = showcase_fixtures.make_showcased
showcase_campaign = showcase_fixtures.showcase_campaign


def get(params=None, **headers):
    response = Client().get(URL, params or {}, headers=headers)
    assert response.status_code == 200, response.content
    return response.json()


def test_shape_is_exactly_api_md(make_showcased):
    photo = make_showcased("photo", title="窗口里的四十年", description="四十年变迁。")
    answer = get()
    assert set(answer) == {"items", "count"}
    assert answer["count"] == 1
    (item,) = answer["items"]
    assert set(item) == {"id", "title", "category", "display_form", "description", "collective", "campaign", "files"}
    assert item["id"] == photo.pk
    assert (item["title"], item["category"], item["display_form"], item["description"]) == (
        "窗口里的四十年", "photo", "picture", "四十年变迁。")
    assert item["collective"] == {"id": photo.collective_id, "name": photo.collective.name}
    assert item["campaign"] == {"id": photo.campaign_id, "name": photo.campaign.name}
    assert len(item["files"]) == 2
    for entry in item["files"]:
        assert set(entry) == {"url", "width", "height", "duration"}
        assert (entry["width"], entry["height"], entry["duration"]) == (1600, 1200, None)
        assert entry["url"].startswith("http://testserver/showcase/")


def test_video_files_have_their_duration(make_showcased):
    make_showcased("video")
    (entry,) = get()["items"][0]["files"]
    assert entry["duration"] == pytest.approx(3.0)
    assert entry["width"] and entry["height"]


def test_urls_open_without_sign_in_and_close_when_the_work_leaves(make_showcased, users):
    work = make_showcased("video")
    (entry,) = get()["items"][0]["files"]
    response = Client().get(entry["url"])
    assert response.status_code == 200
    b"".join(response.streaming_content)
    ranged = Client().get(entry["url"], headers={"Range": "bytes=0-1"})
    assert ranged.status_code == 206
    b"".join(ranged.streaming_content)
    change_work_status(actor=users["city_admin"], work=work, to_status=WorkStatus.SHORTLISTED)
    assert Client().get(entry["url"]).status_code == 404
    assert get() == {"items": [], "count": 0}


def test_only_public_works_and_filters(make_showcased):
    make_showcased("photo", title="展示的图片")
    make_showcased("essay", title="推报的征文", status=WorkStatus.FORWARDED)
    make_showcased("essay", title="草稿征文", status=None)
    assert sorted(item["title"] for item in get()["items"]) == ["展示的图片", "推报的征文"]
    assert [item["title"] for item in get({"category": "essay"})["items"]] == ["推报的征文"]
    response = Client().get(URL, {"category": "poetry"})
    assert response.status_code == 422
    assert "errors" in response.json()


def test_paginated_like_other_lists(make_showcased):
    for index in range(3):
        make_showcased("essay", title=f"征文{index}")
    answer = get({"page": 2, "page_size": 2})
    assert answer["count"] == 3 and len(answer["items"]) == 1
    assert get({"page": 5, "page_size": 2}) == {"items": [], "count": 3}


def test_same_answer_with_a_token(make_showcased, users):
    make_showcased("essay")
    token = issue_api_token(user=users["leader_b"])
    assert get(Authorization=f"Bearer {token}") == get()


@pytest.mark.parametrize("field", sorted(PRIVATE))
def test_private_fields_never_appear(make_showcased, field):
    make_showcased("photo")
    make_showcased("video")
    make_showcased("essay")
    assert PRIVATE[field] not in json.dumps(get(), ensure_ascii=False)


def queries() -> int:
    with CaptureQueriesContext(connection) as captured:
        get()
    return len(captured)


def test_constant_queries_for_1_and_5_works(make_showcased):
    make_showcased("photo", pictures=1)
    small = queries()
    for index in range(4):
        make_showcased(("video", "essay", "photo", "essay")[index], seed=10 + index * 3)
    assert queries() == small
