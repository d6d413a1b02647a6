"""The demo's good practices and typical stories (issue 15): hc_zwfw's 开放周 practice with a photo drawn by the
demo, reported by 环翠区 and promoted by the city, in the public showcase; hc_zyz's 助千家 typical story still at
环翠区, naming no child or family; all through the services (audit entries are real), dated back, idempotent. Loaded
as tests/demo/test_demo_data.py loads it."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.demo.test_demo_data import _demo_media, load, loaded  # noqa: F401 - fixtures
from tests.works.media_fixtures import media_storage  # noqa: F401 - a pytest fixture
from wenminghao.accounts.models import User
from wenminghao.core.models import AuditEntry
from wenminghao.demo import stories as demo_stories
from wenminghao.ledger.models import Pairing
from wenminghao.stories.models import Story, StoryStatus
from wenminghao.stories.selectors import promoted_stories, story_list

pytestmark = pytest.mark.django_db


def stories() -> dict[str, Story]:
    practice, typical = demo_stories.STORIES
    return {"practice": Story.objects.get(title=practice.title), "typical": Story.objects.get(title=typical.title)}


@pytest.mark.usefixtures("loaded")
def test_the_open_week_practice_was_reported_and_promoted_and_is_in_the_showcase():
    practice = stories()["practice"]
    assert practice.collective.name == "环翠区政务服务中心综合窗口" and practice.kind == "practice"
    assert practice.status == StoryStatus.PROMOTED and practice.activity == "open_week"
    assert practice.reached.name == "威海市团委" and practice.office.name == "威海市团委"
    assert practice.photos.count() == 1 and practice.photos.get().web_copy.name
    assert len(practice.text) <= 3000 and "开放周" in practice.text
    assert all(entry.collective_id == practice.collective_id for entry in practice.entries.all())
    actions = list(AuditEntry.objects.filter(object_id=str(practice.pk), action__startswith="story.")
                   .order_by("id").values_list("action", "actor__username"))
    assert actions == [("story.create", "hc_zwfw"), ("story.submit", "hc_zwfw"), ("story.forward", "huancui"),
                       ("story.promote", "city")]
    assert list(promoted_stories()) == [practice]
    html = Client().get(reverse("public:showcase")).content.decode()
    assert practice.title in html
    page = Client().get(reverse("public:showcase_story", args=[practice.pk]))
    assert page.status_code == 200 and "环翠区政务服务中心综合窗口" in page.content.decode()
    # dated back: written before it was reported, promoted after, all in the past
    assert practice.created_at < practice.submitted_at < practice.promoted_at < timezone.now() - datetime.timedelta(
        days=6)


@pytest.mark.usefixtures("loaded")
def test_the_families_story_waits_at_huancui_and_names_no_child_or_family():
    typical = stories()["typical"]
    assert typical.collective.name == "环翠区青年志愿者服务队" and typical.kind == "story"
    assert typical.status == StoryStatus.SUBMITTED and typical.reached.name == "环翠区团委"
    assert typical.activity == "families"
    assert not re.search(r"1[3-9]\d{9}|\d{15,18}|\d+号|\d+室|小[明红刚]", typical.text)  # no phone, id, address, name
    for ref in Pairing.objects.values_list("family_ref", flat=True):
        assert ref not in typical.text
    assert typical in story_list(User.objects.get(username="huancui"))
    assert typical not in story_list(User.objects.get(username="city"))
    assert Client().get(reverse("public:showcase_story", args=[typical.pk])).status_code == 404


def test_a_second_load_adds_no_story(db):
    first = load()
    assert "好做法与典型事迹2篇" in first and "事迹照片1张" in first
    sizes = (Story.objects.count(), AuditEntry.objects.filter(action__startswith="story.").count())
    assert load().strip() == "演示数据已齐全，本次未做任何修改。"
    assert sizes == (Story.objects.count(), AuditEntry.objects.filter(action__startswith="story.").count())
