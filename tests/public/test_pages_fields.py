"""What the public sees of a post, and what it never sees: a table of every field shown on the identity page and in
its JSON, and of every private field around the post, searched in both responses; when the page answers at all
(published, not hidden, a valid title or an accepted filing); its photos' addresses; its caching."""

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.public.pages_fixtures import (  # noqa: F401 - media_storage, post_a, post_campaign: pytest fixtures
    PRIVATE,
    PUBLIC,
    make_post,
    media_storage,
    post_a,
    post_campaign,
    publish,
)
from wenminghao.campaigns.enums import FilingStatus
from wenminghao.campaigns.models import CreationFiling
from wenminghao.collectives.models import Honour
from wenminghao.public.models import PostPage, PostPhoto, PublicEventPhoto
from wenminghao.public.services import pages as services

pytestmark = pytest.mark.django_db

# (field, where it shows): "page" the HTML, "api" the JSON, both unless said.
SHOWN = [
    ("name", ("page", "api")),
    ("host_org", ("page", "api")),
    ("public_commitment", ("page", "api")),
    ("supervision_phone", ("page", "api")),
    ("valid_title", ("page", "api")),
    ("leader_name", ("page", "api")),
    ("leader_post", ("page", "api")),
    ("member_name", ("page", "api")),
    ("member_post", ("page", "api")),
    ("service_items", ("page",)),
    ("convenience_measures", ("page",)),
    ("creation", ("page",)),
]
NEVER = sorted(PRIVATE)


def page_html(client, collective) -> str:
    response = client.get(reverse("public:post", args=[collective.pk]))
    assert response.status_code == 200
    return response.content.decode()


def api_text(client, collective) -> str:
    response = client.get(f"/api/v1/public/posts/{collective.pk}")
    assert response.status_code == 200
    return json.dumps(response.json(), ensure_ascii=False)


@pytest.mark.parametrize(("field", "where"), SHOWN, ids=[field for field, _ in SHOWN])
def test_public_field_is_shown(client, post_a, field, where):  # noqa: F811
    if "page" in where:
        assert PUBLIC[field] in page_html(client, post_a)
    if "api" in where:
        assert PUBLIC[field] in api_text(client, post_a)


@pytest.mark.parametrize("field", NEVER)
def test_private_field_never_appears(client, post_a, field):  # noqa: F811
    assert PRIVATE[field] not in page_html(client, post_a)
    assert PRIVATE[field] not in api_text(client, post_a)


def test_api_answers_exactly_the_shape_of_api_md(client, post_a):  # noqa: F811
    body = client.get(f"/api/v1/public/posts/{post_a.pk}").json()
    assert body == {
        "id": post_a.pk, "name": PUBLIC["name"], "host_org": PUBLIC["host_org"],
        "titles": [{"level": "district", "year": 2016, "title": PUBLIC["valid_title"]}],
        "public_commitment": PUBLIC["public_commitment"], "supervision_phone": PUBLIC["supervision_phone"],
        "members": [{"name": PUBLIC["leader_name"], "post": PUBLIC["leader_post"]},
                    {"name": PUBLIC["member_name"], "post": PUBLIC["member_post"]}],
    }


def test_page_links_the_phone_and_the_feedback_form(client, post_a):  # noqa: F811
    html = page_html(client, post_a)
    assert 'href="tel:0631-5221234"' in html
    assert f'href="/posts/{post_a.pk}/feedback/"' in html and "我要监督" in html
    assert f'src="/posts/{post_a.pk}/qr.svg"' in html


def test_page_works_without_sign_in_state(client, post_a, signed_in, users):  # noqa: F811
    """The page holds no CSRF token, no user and no script it needs: the same bytes for everyone."""
    anonymous = client.get(reverse("public:post", args=[post_a.pk]))
    assert "csrfmiddlewaretoken" not in anonymous.content.decode() and "X-CSRFToken" not in anonymous.content.decode()
    assert "<script" not in anonymous.content.decode()
    signed = signed_in(users["city_admin"]).get(reverse("public:post", args=[post_a.pk]))
    assert signed.content == anonymous.content
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in anonymous.content.decode()


# --- when the page answers --------------------------------------------------------------------------------------


def statuses(client, collective) -> dict:
    page = PostPage.objects.get(collective=collective)
    photo = PostPhoto.objects.filter(page=page).first()
    event = PublicEventPhoto.objects.filter(page=page).first()
    urls = {
        "page": reverse("public:post", args=[collective.pk]),
        "api": f"/api/v1/public/posts/{collective.pk}",
        "qr.svg": reverse("public:post_qr_svg", args=[collective.pk]),
        "qr.png": reverse("public:post_qr_png", args=[collective.pk]),
        "photo": reverse("public:post_photo", args=[collective.pk, photo.pk]),
        "event photo": reverse("public:post_event_photo", args=[collective.pk, event.pk]),
    }
    return {name: fetched(client, url).status_code for name, url in urls.items()}


def fetched(client, url, **kwargs):
    """A GET read to the end (a file answer is then closed by the test client)."""
    response = client.get(url, **kwargs)
    if response.streaming:
        b"".join(response.streaming_content)
    return response


ALL_OK = {"page": 200, "api": 200, "qr.svg": 200, "qr.png": 200, "photo": 200, "event photo": 200}
ALL_GONE = {name: 404 for name in ALL_OK}


def test_published_page_and_its_files_answer(client, post_a):  # noqa: F811
    assert statuses(client, post_a) == ALL_OK


def test_unpublished_page_and_its_files_answer_404(client, post_a, users):  # noqa: F811
    services.set_page_published(actor=users["leader_a"], collective=post_a, published=False)
    assert statuses(client, post_a) == ALL_GONE


def test_hidden_page_and_its_files_answer_404_until_shown_again(client, post_a, users):  # noqa: F811
    services.set_page_hidden(actor=users["unit_admin_a"], collective=post_a, hidden=True, reason=PRIVATE["hide_reason"])
    assert statuses(client, post_a) == ALL_GONE
    services.set_page_hidden(actor=users["unit_admin_a"], collective=post_a, hidden=False)
    assert statuses(client, post_a) == ALL_OK


def test_without_valid_title_or_accepted_filing_the_page_answers_404(client, post_a):  # noqa: F811
    Honour.objects.filter(collective=post_a).update(revoked_at=timezone.now())
    assert statuses(client, post_a) == ALL_OK  # the accepted filing still counts
    CreationFiling.objects.filter(collective=post_a).update(status=FilingStatus.RETURNED)
    assert statuses(client, post_a) == ALL_GONE


def test_an_expired_title_alone_does_not_count(client, tree, users):
    collective = make_post(tree["collective_b"])
    publish(users["leader_b"], collective)
    assert client.get(reverse("public:post", args=[collective.pk])).status_code == 200
    Honour.objects.filter(collective=collective).update(valid_until=timezone.localdate() - datetime.timedelta(days=1))
    assert client.get(reverse("public:post", args=[collective.pk])).status_code == 404
    assert client.get(f"/api/v1/public/posts/{collective.pk}").status_code == 404


def test_an_accepted_filing_alone_shows_the_creation_status(client, tree, users, post_campaign):  # noqa: F811
    collective = make_post(tree["collective_b"])
    collective.honours.all().delete()
    CreationFiling.objects.create(campaign=post_campaign, collective=collective, status=FilingStatus.ACCEPTED,
                                  filed_by=users["leader_b"])
    publish(users["leader_b"], collective)
    html = page_html(client, collective)
    assert PUBLIC["creation"] in html
    assert client.get(f"/api/v1/public/posts/{collective.pk}").json()["titles"] == []


def test_a_missing_post_answers_the_same_404(client, post_a, users):  # noqa: F811
    missing = client.get(reverse("public:post", args=[post_a.pk + 1000]))
    services.set_page_published(actor=users["city_admin"], collective=post_a, published=False)
    unpublished = client.get(reverse("public:post", args=[post_a.pk]))
    assert missing.status_code == unpublished.status_code == 404
    api_missing = client.get(f"/api/v1/public/posts/{post_a.pk + 1000}").json()
    api_unpublished = client.get(f"/api/v1/public/posts/{post_a.pk}").json()
    assert api_missing == api_unpublished


def test_a_photo_of_another_post_is_not_served_under_this_one(client, post_a, tree, users):  # noqa: F811
    other = make_post(tree["collective_b"])
    publish(users["leader_b"], other)
    photo = PostPhoto.objects.get(page__collective=post_a)
    assert client.get(reverse("public:post_photo", args=[other.pk, photo.pk])).status_code == 404


def test_an_event_photo_no_longer_chosen_stops_being_public(client, post_a, users):  # noqa: F811
    event = PublicEventPhoto.objects.get(page__collective=post_a)
    url = reverse("public:post_event_photo", args=[post_a.pk, event.pk])
    assert fetched(client, url).status_code == 200
    page = post_a.post_page
    services.update_page(actor=users["leader_a"], collective=post_a, service_items=page.service_items,
                         convenience_measures=page.convenience_measures, event_attachment_ids=[])
    assert client.get(url).status_code == 404


# --- caching and queries ----------------------------------------------------------------------------------------


def test_page_is_cacheable_and_a_conditional_get_answers_304(client, post_a, users):  # noqa: F811
    url = reverse("public:post", args=[post_a.pk])
    first = client.get(url)
    assert first["Cache-Control"] == "public, no-cache"
    assert first["ETag"].startswith('"')
    again = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304 and again.content == b""
    services.update_page(actor=users["leader_a"], collective=post_a, service_items="新增：帮办代办",
                         event_attachment_ids=[])
    changed = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert changed.status_code == 200 and "新增：帮办代办" in changed.content.decode()
    assert changed["ETag"] != first["ETag"]


def test_qr_codes_and_photos_are_cacheable(client, post_a):  # noqa: F811
    svg = client.get(reverse("public:post_qr_svg", args=[post_a.pk]))
    assert svg["Cache-Control"] == "public, no-cache"
    assert client.get(reverse("public:post_qr_svg", args=[post_a.pk]),
                      headers={"If-None-Match": svg["ETag"]}).status_code == 304
    photo = PostPhoto.objects.get(page__collective=post_a)
    answer = fetched(client, reverse("public:post_photo", args=[post_a.pk, photo.pk]))
    assert answer["Cache-Control"] == "public, no-cache"


def _grow(post, count: int) -> None:
    make_post(post, members=count)
    page = post.post_page
    PostPhoto.objects.bulk_create([PostPhoto(page=page, original=page.photos.first().original.name,
                                             content_type="image/jpeg", caption=f"照片{index}", position=index + 1,
                                             uploaded_by_id=page.updated_by_id) for index in range(count)])
    Honour.objects.bulk_create([Honour(collective=post, level="district", year=2000 + index, title=f"称号{index}")
                                for index in range(count)])


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("route", ["page", "api"])
def test_page_and_api_make_the_same_number_of_queries_whatever_they_hold(client, post_a, route):  # noqa: F811
    url = reverse("public:post", args=[post_a.pk]) if route == "page" else f"/api/v1/public/posts/{post_a.pk}"
    _grow(post_a, 2)
    small = _queries(client, url)
    _grow(post_a, 20)
    assert _queries(client, url) == small
    assert small <= 7
