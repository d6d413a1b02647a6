"""The showcase's pages (/showcase/ and /showcase/<id>/): the works the city made excellent, by campaign and
category, each card and page with its collective and description, pictures in a viewer (a plain list without
JavaScript), a video that plays in place, an essay to read; meta tags for sharing; the same for every visitor,
cacheable (ETag, Last-Modified, 304), a constant number of queries; never a private field."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories
from tests.public import showcase_fixtures
from tests.public.showcase_fixtures import ESSAY_TEXT, PRIVATE
from tests.works import media_fixtures
from wenminghao.works.enums import WorkStatus
from wenminghao.works.models import Work
from wenminghao.works.transitions import change_work_status

LIST_URL = reverse("public:showcase")

# pytest fixtures (tests/public/showcase_fixtures.py)
media_storage = media_fixtures.media_storage
make_showcased = showcase_fixtures.make_showcased
showcase_campaign = showcase_fixtures.showcase_campaign


def page_url(work) -> str:
    return reverse("public:showcase_work", args=[work.pk])


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# --- what is shown, and what never is ----------------------------------------------------------------------------

# Every public field of a work and where it appears: (field, list page, work page).
SHOWN = [
    ("title", True, True),
    ("collective name", True, True),
    ("category label", True, True),
    ("display form label", True, True),
    ("description", True, True),
    ("campaign name", True, True),
    ("picture caption", False, True),
]


def shown_value(field, work) -> str:
    return {
        "title": work.title,
        "collective name": work.collective.name,
        "category label": work.get_category_display(),
        "display form label": work.get_display_form_display(),
        "description": work.description,
        "campaign name": work.campaign.name,
        "picture caption": "第1张说明",
    }[field]


@pytest.mark.parametrize(("field", "on_list", "on_page"), SHOWN, ids=[row[0] for row in SHOWN])
def test_public_fields_are_shown(make_showcased, field, on_list, on_page):
    work = make_showcased("photo", description="四十年窗口变迁的见证。")
    value = shown_value(field, work)
    assert (value in text(Client().get(LIST_URL))) is on_list
    assert (value in text(Client().get(page_url(work)))) is on_page


@pytest.mark.parametrize("field", sorted(PRIVATE))
def test_private_fields_never_appear(make_showcased, users, field, signed_in):
    works = [make_showcased("photo"), make_showcased("video"), make_showcased("essay")]
    pages = [LIST_URL, *(page_url(work) for work in works), reverse("public:showcase_essay", args=[works[2].pk])]
    for client in (Client(), signed_in(users["city_admin"])):  # the same public page, even for the city office
        for address in pages:
            assert PRIVATE[field] not in text(client.get(address)), (field, address)


def test_essay_is_there_to_read_and_to_download(make_showcased):
    essay = make_showcased("essay", title="一个窗口的品牌之路")
    page = text(Client().get(page_url(essay)))
    for paragraph in ESSAY_TEXT.splitlines():
        assert f"<p>{paragraph}</p>" in page
    download = Client().get(reverse("public:showcase_essay", args=[essay.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "text/plain; charset=utf-8"
    assert "attachment" in download["Content-Disposition"]
    assert ESSAY_TEXT in download.content.decode()
    assert f'href="{reverse("public:showcase_essay", args=[essay.pk])}"' in page


def test_pictures_are_a_plain_list_with_responsive_lazy_images_and_a_viewer_script(make_showcased):
    work = make_showcased("photo", pictures=3)
    page = text(Client().get(page_url(work)))
    images = re.findall(r"<img [^>]*>", page)
    pictures = [image for image in images if "第" in image and "张图片" in image]
    assert len(pictures) == 3
    for image in pictures:
        assert "?variant=thumbnail 400w" in image and "?variant=web 1600w" in image  # srcset: 1600×1200 originals
        assert 'sizes="' in image
        assert 'width="1600" height="1200"' in image
    assert 'loading="lazy"' in pictures[1] and 'loading="lazy"' in pictures[2]
    files = list(work.files.order_by("position"))
    for item in files:  # without JavaScript each picture links to its web copy
        assert f'href="{reverse("public:showcase_file", args=[work.pk, item.pk])}?variant=web"' in page
    assert "public/showcase.js" in page and "data-showcase-viewer" in page
    assert "<script>" not in page  # nothing inline (CSP)


def test_video_plays_in_place_with_its_poster(make_showcased):
    work = make_showcased("video")
    item = work.files.get()
    page = text(Client().get(page_url(work)))
    (tag,) = re.findall(r"<video [^>]*>", page)
    address = reverse("public:showcase_file", args=[work.pk, item.pk])
    for attribute in ("controls", 'preload="none"', "playsinline", f'poster="{address}?variant=poster"'):
        assert attribute in tag
    assert f'<source src="{address}" type="video/mp4">' in page


def test_work_page_has_meta_tags_for_sharing(make_showcased):
    work = make_showcased("photo", title="窗口里的四十年", description="从手写票据到掌上办理。")
    page = text(Client().get(page_url(work)))
    first = work.files.order_by("position").first()
    assert "<title>窗口里的四十年 · 优秀作品展示" in page
    assert '<meta property="og:title" content="窗口里的四十年">' in page
    assert '<meta property="og:description" content="从手写票据到掌上办理。">' in page
    assert f'<meta property="og:url" content="http://testserver{page_url(work)}">' in page
    image = f"http://testserver{reverse('public:showcase_file', args=[work.pk, first.pk])}?variant=web"
    assert f'<meta property="og:image" content="{image}">' in page


def test_cards_show_thumbnails_with_srcset_and_size(make_showcased):
    make_showcased("photo", title="图片作品")
    make_showcased("video", title="视频作品")
    page = text(Client().get(LIST_URL))
    cards = re.findall(r'<article class="card[^"]*".*?</article>', page, flags=re.S)
    assert len(cards) == 2
    for card in cards:
        (image,) = re.findall(r"<img [^>]*>", card)
        assert 'loading="lazy"' in image and "srcset=" in image and "width=" in image and "height=" in image
    assert "?variant=poster" in page  # the video's card shows its poster


# --- by campaign and category --------------------------------------------------------------------------------


def test_only_showcased_and_forwarded_works_are_listed(make_showcased):
    make_showcased("photo", title="优秀展示的作品")
    make_showcased("photo", title="推报团省委的作品", status=WorkStatus.FORWARDED, seed=5)
    hidden = []
    for status in (WorkStatus.DRAFT, WorkStatus.SUBMITTED, WorkStatus.RETURNED, WorkStatus.RECOMMENDED,
                   WorkStatus.SHORTLISTED):
        work = make_showcased("essay", title=f"状态为{status.label}的作品", status=None)
        Work.objects.filter(pk=work.pk).update(status=status)
        hidden.append(work)
        assert Client().get(page_url(work)).status_code == 404
    page = text(Client().get(LIST_URL))
    assert "优秀展示的作品" in page and "推报团省委的作品" in page
    for work in hidden:
        assert work.title not in page


def test_newest_campaign_first_and_filters_by_campaign_and_category(make_showcased, tree):
    older = factories.campaign(office=tree["city"], year=2016, name="2016年度创建")
    newer = factories.campaign(office=tree["city"], year=2018, name="2018年度创建")
    make_showcased("photo", title="二〇一六年的图片", campaign=older)
    make_showcased("essay", title="二〇一八年的征文", campaign=newer)
    make_showcased("photo", title="二〇一八年的图片", campaign=newer, seed=7)
    page = text(Client().get(LIST_URL))
    assert page.index("二〇一八年的图片") < page.index("二〇一八年的征文") < page.index("二〇一六年的图片")
    assert page.index(">2018年度创建</option>") < page.index(">2016年度创建</option>")
    only_older = text(Client().get(LIST_URL, {"campaign": older.pk}))
    assert "二〇一六年的图片" in only_older and "二〇一八年" not in only_older.split("showcase-cards")[-1]
    essays = text(Client().get(LIST_URL, {"category": "essay"}))
    assert "二〇一八年的征文" in essays and "的图片" not in essays.split("showcase-cards")[-1]
    empty = text(Client().get(LIST_URL, {"campaign": older.pk, "category": "essay"}))
    assert "所选创建活动和类别下暂无优秀作品" in empty


def test_list_is_paginated(make_showcased):
    for index in range(13):
        make_showcased("essay", title=f"征文{index:02d}")
    first = text(Client().get(LIST_URL))
    assert first.count('data-testid="showcase-card"') == 12
    assert "第 1 / 2 页，共 13 条" in first
    assert text(Client().get(LIST_URL, {"page": 2})).count('data-testid="showcase-card"') == 1


# --- the same for everyone, cacheable ------------------------------------------------------------------------


def test_everyone_sees_the_same_page(make_showcased, users, signed_in):
    work = make_showcased("photo")
    for role in ("city_admin", "unit_admin_b", "leader_b", "judge"):
        client = signed_in(users[role])
        assert client.get(LIST_URL).status_code == 200
        assert client.get(page_url(work)).status_code == 200


@pytest.mark.parametrize("which", ["list", "work"])
def test_pages_are_cacheable_and_answer_304_while_nothing_changes(make_showcased, users, which):
    work = make_showcased("photo")
    other = make_showcased("essay", title="另一篇征文")
    address = LIST_URL if which == "list" else page_url(work)
    first = Client().get(address)
    assert first.status_code == 200
    assert first["Cache-Control"] == "public, max-age=60"
    assert first["ETag"] and first["Last-Modified"]
    again = Client().get(address, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304
    assert again["ETag"] == first["ETag"]
    assert Client().get(address, headers={"If-Modified-Since": first["Last-Modified"]}).status_code == 304
    # A change: the other work leaves the showcase by the city's decision (the list), or this one is renamed.
    if which == "list":
        change_work_status(actor=users["city_admin"], work=other, to_status=WorkStatus.SHORTLISTED)
    else:
        work.title = "改过名的作品"
        work.save()
    changed = Client().get(address, headers={"If-None-Match": first["ETag"]})
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]
    if which == "list":
        assert "另一篇征文" not in changed.content.decode()


def test_a_work_leaving_the_showcase_changes_the_list_etag_even_without_a_decision(make_showcased):
    work = make_showcased("photo")
    make_showcased("essay")
    etag = Client().get(LIST_URL)["ETag"]
    Work.objects.filter(pk=work.pk).update(status=WorkStatus.SHORTLISTED)
    assert Client().get(LIST_URL, headers={"If-None-Match": etag}).status_code == 200
    assert Client().get(page_url(work)).status_code == 404


# --- a constant number of queries ------------------------------------------------------------------------------


def queries_of(address) -> int:
    client = Client()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(address).status_code == 200
    return len(captured)


def test_list_makes_the_same_number_of_queries_for_1_and_6_works(make_showcased, tree):
    make_showcased("photo", pictures=1)
    small = queries_of(LIST_URL)
    for index in range(5):
        kind = ("photo", "video", "essay")[index % 3]
        make_showcased(kind, pictures=2, seed=10 + index * 3,
                       collective=("collective_a", "collective_b")[index % 2],
                       campaign=factories.campaign(office=tree["city"], year=2010 + index))
    assert queries_of(LIST_URL) == small
    assert queries_of(LIST_URL + "?category=photo") == small


def test_work_page_makes_the_same_number_of_queries_for_1_and_4_pictures(make_showcased):
    one = make_showcased("photo", pictures=1)
    four = make_showcased("photo", pictures=4, seed=20)
    assert queries_of(page_url(one)) == queries_of(page_url(four))
