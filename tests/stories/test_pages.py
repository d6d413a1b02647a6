"""The stories' pages: writing one up through the form with photos (422 on bad input and nothing written), its page
and the steps (submit, forward, return with a reason, promote), who sees which (404 for the rest, judges none), the
navigation; and the list in a fixed number of queries at two sizes."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.pages import BACKEND, page, text_of
from tests.works.media_fixtures import files_under, jpeg, not_media, upload
from wenminghao.core.models import AuditEntry
from wenminghao.stories import services
from wenminghao.stories.models import Story, StoryStatus

pytestmark = pytest.mark.django_db


def detail(story) -> str:
    return reverse("stories:detail", args=[story.pk])


def test_a_leader_writes_up_a_practice_with_photos_and_submits_it(as_, world, media_storage):
    client = as_("leader_a")
    form = client.get(reverse("stories:create"))
    assert "撰写好做法或典型事迹" in page(form) and "最多9张" in page(form)
    assert "测试open_week记录" in page(form)  # the collective's own ledger entries are offered
    response = client.post(reverse("stories:create"), {
        "kind": "practice", "title": "政务窗口“开放周”", "text": "每月第一个周五开放后台。\n群众现场体验。",
        "activity": "open_week", "entries": [world["entry_a"].pk],
        "photos": [upload("现场.jpg", jpeg(800, 600)), upload("合影.jpg", jpeg(800, 600, seed=2))]})
    story = Story.objects.get()
    assert response.status_code == 302 and response["Location"] == detail(story)
    html = page(client.get(detail(story)))
    assert "政务窗口“开放周”" in html and "草稿" in html and "群众现场体验。" in html
    assert html.count('data-testid="remove-photo"') == 2
    photo = story.photos.first()
    served = client.get(reverse("stories:photo", args=[story.pk, photo.pk]))
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    b"".join(served.streaming_content)
    assert client.post(reverse("stories:submit", args=[story.pk])).status_code == 302
    story.refresh_from_db()
    assert story.status == StoryStatus.SUBMITTED and story.reached == world["area_a"]
    assert 'data-testid="edit-story"' not in page(client.get(detail(story)))


def test_a_refused_form_names_every_problem_and_writes_nothing(as_, world, media_storage):
    response = as_("leader_a").post(reverse("stories:create"), {
        "title": "", "text": "字" * 3001, "photos": [upload("假.jpg", not_media())]})
    assert response.status_code == 422
    html = text_of(page(response))
    assert "请填写标题" in html and "正文为3,001字，最多3,000字，请删减1字" in html
    assert Story.objects.count() == 0 and files_under(media_storage[0]) == []


def test_a_bad_photo_is_refused_with_its_name(as_, world, media_storage):
    response = as_("leader_a").post(reverse("stories:create"), {
        "title": "标题", "text": "正文", "photos": [upload("扫描件.jpg", not_media())]})
    assert response.status_code == 422 and "扫描件.jpg" in page(response)
    assert Story.objects.count() == 0 and files_under(media_storage[0]) == []


def test_the_unit_forwards_and_the_city_promotes_it_into_the_showcase(as_, world, write, media_storage):
    story = services.submit_story(actor=world["accounts"]["leader_a"],
                                  story=write(photos=[upload("现场.jpg", jpeg(800, 600))]))
    assert as_("city_admin").get(detail(story)).status_code == 404  # not yet the city's
    html = page(as_("unit_admin_a").get(detail(story)))
    assert 'data-testid="forward-story"' in html and 'data-testid="promote-story"' not in html
    assert as_("unit_admin_a").post(reverse("stories:forward", args=[story.pk])).status_code == 302
    html = page(as_("city_admin").get(detail(story)))
    assert 'data-testid="promote-story"' in html
    assert as_("city_admin").post(reverse("stories:promote", args=[story.pk])).status_code == 302
    public = as_(None).get(reverse("public:showcase"))
    assert "好做法与典型事迹" in page(public) and "政务窗口“开放周”让群众看得见" in page(public)
    assert as_(None).get(reverse("public:showcase_story", args=[story.pk])).status_code == 200


def test_returning_asks_for_a_reason_and_shows_it_to_the_writers(as_, world, write):
    story = services.submit_story(actor=world["accounts"]["leader_a"], story=write())
    refused = as_("unit_admin_a").post(reverse("stories:return", args=[story.pk]), {"reason": ""})
    assert refused.status_code == 422 and "请填写退回理由" in page(refused)
    assert Story.objects.get(pk=story.pk).status == StoryStatus.SUBMITTED
    as_("unit_admin_a").post(reverse("stories:return", args=[story.pk]), {"reason": "请补充群众满意度数据。"})
    html = page(as_("leader_a").get(detail(story)))
    assert "退回理由：请补充群众满意度数据。" in html and 'data-testid="edit-story"' in html
    edited = as_("leader_a").post(reverse("stories:edit", args=[story.pk]), {
        "kind": "practice", "title": "补充后的标题", "text": "群众满意度98%。"})
    assert edited.status_code == 302 and Story.objects.get(pk=story.pk).title == "补充后的标题"


def test_a_submitted_story_cannot_be_changed_any_more(as_, world, write):
    story = services.submit_story(actor=world["accounts"]["leader_a"], story=write())
    response = as_("leader_a").post(reverse("stories:edit", args=[story.pk]), {"title": "改", "text": "改"})
    assert response.status_code == 302  # back to its page, unchanged
    assert Story.objects.get(pk=story.pk).title != "改"
    assert not AuditEntry.objects.filter(action="story.update").exists()


def test_who_sees_a_draft(as_, world, write):
    story = write()
    for role in ("leader_a", "delegate_a"):
        assert as_(role).get(detail(story)).status_code == 200
    for role in ("unit_admin_a", "city_admin", "leader_b", "unit_admin_b", "judge"):
        assert as_(role).get(detail(story)).status_code == 404, role
    assert as_("judge").get(reverse("stories:list")).status_code == 404


def test_the_navigation_links_the_section(as_, world):
    html = page(as_("leader_a").get(reverse("stories:list")))
    assert 'data-testid="nav-stories"' in html and 'data-testid="create-story"' in html


# --- a fixed number of queries ------------------------------------------------------------------------------------


def _grow(world, count: int) -> None:
    accounts = world["accounts"]
    for i in range(count):
        story = services.create_story(actor=accounts["leader_a"], title=f"第{i}篇", text="正文")
        if i % 2:
            story = services.submit_story(actor=accounts["leader_a"], story=story)
        if i % 4 == 1:
            services.forward_story(actor=accounts["unit_admin_a"], story=story)


def _counts(client, world) -> dict[str, int]:
    pages = [("leader_a", reverse("stories:list")), ("leader_a", reverse("stories:list") + "?status=draft&q=篇"),
             ("unit_admin_a", reverse("stories:list")), ("city_admin", reverse("stories:list")),
             ("city_admin", reverse("stories:list") + "?kind=practice&activity=")]
    found = {}
    for role, url in pages:
        client.force_login(world["accounts"][role], backend=BACKEND)
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, url
        found[f"{role} {url}"] = len(captured.captured_queries)
    return found


def test_the_list_makes_the_same_queries_at_two_sizes(client, world):
    _grow(world, 4)
    few = _counts(client, world)
    _grow(world, 40)
    many = _counts(client, world)
    assert many == few
    assert max(many.values()) <= 12, many


def test_the_upload_forms_check_the_csrf_token_and_the_size(world, write, settings, media_storage):
    from django.test import Client

    media_root, _ = media_storage
    client = Client(enforce_csrf_checks=True)
    client.force_login(world["accounts"]["leader_a"], backend=BACKEND)
    assert client.post(reverse("stories:create"), {"title": "标题", "text": "正文"}).status_code == 403
    form = client.get(reverse("stories:create"))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.content.decode()).group(1)
    settings.WMH_LEDGER_FILE_MAX_BYTES = 1000
    too_large = client.post(reverse("stories:create"), {"csrfmiddlewaretoken": token, "title": "标题", "text": "正文",
                                                        "photos": [upload("大图.jpg", jpeg(800, 600))]})
    assert too_large.status_code == 413 and "超过" in page(too_large)
    story = write()
    one = client.post(reverse("stories:photo_add", args=[story.pk]),
                      {"csrfmiddlewaretoken": token, "file": upload("大图.jpg", jpeg(800, 600))})
    assert one.status_code == 413
    assert Story.objects.count() == 1 and story.photos.count() == 0 and files_under(media_root) == []
    settings.WMH_LEDGER_FILE_MAX_BYTES = 20 * 1024 * 1024
    sent = client.post(reverse("stories:photo_add", args=[story.pk]),
                       {"csrfmiddlewaretoken": token, "file": upload("图.jpg", jpeg(800, 600))})
    assert sent.status_code == 302 and story.photos.count() == 1
