"""The showcase's third section, 好做法与典型事迹: the stories the city office promoted, on /showcase/ beside the works,
on their own list and page, with their photos (web copies without metadata), public only while promoted (404 once
the promotion is withdrawn); nothing private (no ledger entry, no writer's account, no return reason, no phone);
the JSON of GET /api/v1/public/showcase unchanged; cacheable; a constant number of queries."""

import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from tests.csp import markup_faults
from tests.ledger.conftest import entry_data
from tests.works import media_fixtures
from tests.works.media_fixtures import jpeg, upload
from wenminghao.ledger.services import create_entry
from wenminghao.stories import services

pytestmark = pytest.mark.django_db
media_storage = media_fixtures.media_storage  # a fixture: storage and upload temporary files in tmp_path

LIST_URL = reverse("public:showcase")
# Values around a story that must never appear on a public page.
PRIVATE_ENTRY_TITLE = "台账内部记录甲"
PRIVATE_ENTRY_CONTENT = "参观群众王某某的电话13912345678"
RETURN_REASON = "退回理由：请删去群众姓名"


@pytest.fixture
def promote(users, tree, media_storage):
    """promote(title=..., photos=1, collective="a") -> a story of that collective promoted by the city (after a
    return and a second submission, with a linked ledger entry)."""
    from tests import factories

    campaign = factories.campaign(office=tree["city"])

    def _promote(title="政务窗口“开放周”让群众看得见", photos=1, area="a", seed=1):
        leader = users[f"leader_{area}"]
        collective = tree[f"collective_{area}"]
        entry = create_entry(actor=leader, collective=collective, campaign=campaign,
                             data=entry_data("open_week", collective, title=PRIVATE_ENTRY_TITLE,
                                             content=PRIVATE_ENTRY_CONTENT))
        story = services.create_story(
            actor=leader, title=title, text="每月第一个周五开放后台。\n群众现场体验办事流程。", activity="open_week",
            entries=[entry.pk], photos=[upload(f"原始照片{n}.jpg", jpeg(800, 600, seed=seed + n, orientation=6))
                                        for n in range(photos)])
        story = services.submit_story(actor=leader, story=story)
        admin = users[f"unit_admin_{area}"]
        story = services.return_story(actor=admin, story=story, reason=RETURN_REASON)
        story = services.submit_story(actor=leader, story=story)
        story = services.forward_story(actor=admin, story=story)
        return services.promote_story(actor=users["city_admin"], story=story)

    return _promote


def html_of(response) -> str:
    html = response.content.decode()
    assert not markup_faults(html), markup_faults(html)
    return html


def story_url(story) -> str:
    return reverse("public:showcase_story", args=[story.pk])


def test_the_showcase_has_a_section_of_promoted_stories(promote, users, tree):
    story = promote()
    html = html_of(Client().get(LIST_URL))
    assert 'data-testid="showcase-stories"' in html and "好做法与典型事迹" in html
    assert "政务窗口“开放周”让群众看得见" in html and story_url(story) in html
    assert tree["collective_a"].name in html and tree["area_a"].name in html


def test_an_empty_section_says_so(media_storage):
    assert "暂无推广的好做法和典型事迹" in html_of(Client().get(LIST_URL))


def test_only_promoted_stories_appear(promote, users):
    draft = services.create_story(actor=users["leader_a"], title="尚未报送的草稿", text="正文")
    forwarded = services.forward_story(actor=users["unit_admin_a"], story=services.submit_story(
        actor=users["leader_a"], story=services.create_story(actor=users["leader_a"], title="报送团市委的",
                                                             text="正文")))
    promote()
    html = html_of(Client().get(LIST_URL)) + html_of(Client().get(reverse("public:showcase_stories")))
    assert "尚未报送的草稿" not in html and "报送团市委的" not in html
    assert Client().get(story_url(draft)).status_code == 404
    assert Client().get(story_url(forwarded)).status_code == 404


def test_the_story_page_shows_the_public_fields_and_nothing_private(promote, users, tree):
    story = promote()
    for client in (Client(), _signed_in(users["unit_admin_a"])):
        html = html_of(client.get(story_url(story)))
        assert "每月第一个周五开放后台。" in html and "群众现场体验办事流程。" in html
        assert "好做法" in html and "开放周" in html and tree["collective_a"].name in html
        for private in (PRIVATE_ENTRY_TITLE, PRIVATE_ENTRY_CONTENT, "13912345678", RETURN_REASON, "请删去群众姓名",
                        "leader_a", "原始照片", "unit_admin_a", "huancui"):
            assert private not in html, private
        assert 'property="og:title"' in html


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user, backend="wenminghao.accounts.backends.UsernameOrMobileBackend")
    return client


def test_photos_are_public_copies_without_metadata_while_promoted(promote, users):
    story = promote(photos=2)
    photo = story.photos.first()
    address = reverse("public:showcase_story_photo", args=[story.pk, photo.pk])
    response = Client().get(address)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "public, no-cache"
    data = b"".join(response.streaming_content)
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG" and not image.getexif()  # the original's EXIF (orientation 6) is gone
        assert image.size == (600, 800)  # turned as the camera meant it
    with photo.original.open("rb") as original, Image.open(original) as image:
        assert image.getexif()
    assert address in html_of(Client().get(story_url(story)))
    services.unpromote_story(actor=users["city_admin"], story=story)
    assert Client().get(address).status_code == 404
    assert Client().get(story_url(story)).status_code == 404
    assert "政务窗口“开放周”让群众看得见" not in html_of(Client().get(LIST_URL))


def test_the_public_showcase_json_is_unchanged_by_stories(promote):
    promote()
    body = Client().get("/api/v1/public/showcase").json()
    assert body == {"items": [], "count": 0}


def test_promoting_or_withdrawing_changes_the_showcase_etag(promote, users):
    story = promote()
    first = Client().get(LIST_URL)
    assert Client().get(LIST_URL, headers={"If-None-Match": first["ETag"]}).status_code == 304
    services.unpromote_story(actor=users["city_admin"], story=story)
    again = Client().get(LIST_URL, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 200 and again["ETag"] != first["ETag"]
    page = Client().get(story_url(promote(title="第二篇", area="b", seed=5)))
    assert page["Cache-Control"] == "public, max-age=60"
    assert Client().get(page.wsgi_request.path, headers={"If-None-Match": page["ETag"]}).status_code == 304


def test_the_stories_list_pages_twelve_at_a_time(promote):
    for index in range(13):
        promote(title=f"第{index}篇", photos=0)
    first = html_of(Client().get(reverse("public:showcase_stories")))
    assert first.count('data-testid="story-card"') == 12
    assert html_of(Client().get(LIST_URL)).count('data-testid="story-card"') == 6
    assert "查看全部" in html_of(Client().get(LIST_URL))


def queries_of(address) -> int:
    client = Client()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(address).status_code == 200
    return len(captured)


def test_the_pages_make_the_same_number_of_queries_for_1_and_8_stories(promote):
    first = promote(photos=1)
    few = {address: queries_of(address) for address in (LIST_URL, reverse("public:showcase_stories"))}
    for index in range(7):
        promote(title=f"第{index}篇", photos=2, area=("a", "b")[index % 2], seed=10 + index * 3)
    many = {address: queries_of(address) for address in (LIST_URL, reverse("public:showcase_stories"))}
    assert many == few
    assert queries_of(story_url(first)) == queries_of(story_url(promote(title="多图", photos=3, seed=40)))
