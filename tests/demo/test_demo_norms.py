"""The demo's execution norms (执行规范, issue 15 item 2): the city's one version with its checklist file, 环翠区's two
(the first superseded, the second current, with its change note), grounded in the 2018 notice; units without any so
the city's overview shows both; a 环翠区 collective finds 环翠区's first, then the city's; a second load adds nothing.
Loaded as tests/demo/test_demo_data.py loads it."""

import pytest
from django.utils import timezone

from tests.demo.test_demo_data import _demo_media, load, loaded  # noqa: F401 - fixtures
from tests.works.media_fixtures import media_storage  # noqa: F401 - a pytest fixture
from wenminghao.accounts.models import User
from wenminghao.core.models import AuditEntry
from wenminghao.demo import norms as demo_norms
from wenminghao.notices.models import Norm
from wenminghao.notices.selectors import CURRENT, SUPERSEDED, norm_chain, norm_counts, norm_overview

pytestmark = pytest.mark.django_db


@pytest.mark.usefixtures("loaded")
def test_the_city_and_huancui_published_their_norms_through_the_service():
    city = Norm.objects.get(unit__name="威海市团委")
    assert (city.version, city.author.username, city.change_note) == (1, "city", "")
    for words in ("威创青文字〔2018〕3号", "归口关系", "对标创优", "青年大学习", "助千家", "开放周", "8月20日前",
                  "5225125"):
        assert words in city.body, words
    (checklist,) = city.attachments.all()
    assert checklist.original_name.endswith(".docx") and checklist.kind == "docx" and checklist.size > 0
    huancui = list(Norm.objects.filter(unit__name="环翠区团委").order_by("version"))
    assert [norm.version for norm in huancui] == [1, 2]
    assert huancui[1].change_note and "鲸园街道" in huancui[1].body and "曲晓东" in huancui[1].body
    assert huancui[0].effective_on < huancui[1].effective_on <= timezone.localdate()
    assert AuditEntry.objects.filter(action="norm.publish").count() == 3
    # dated back, like the demo's other past events
    assert all(norm.published_at < timezone.now() - timezone.timedelta(days=5) for norm in [city, *huancui])


@pytest.mark.usefixtures("loaded")
def test_a_huancui_collective_finds_huancuis_current_norms_first_then_the_citys():
    leader = User.objects.get(username="hc_zwfw")
    chain = norm_chain(leader)
    with_norms = [item for item in chain if item["versions"]]
    assert [item["unit"].name for item in with_norms] == ["环翠区团委", "威海市团委"]
    huancui = with_norms[0]
    assert huancui["current"].version == 2 and [norm.state for norm in huancui["versions"]] == [CURRENT, SUPERSEDED]
    assert with_norms[1]["current"].title == demo_norms.VERSIONS[0].title


@pytest.mark.usefixtures("loaded")
def test_the_citys_overview_shows_units_with_norms_and_units_without():
    city = User.objects.get(username="city")
    counts = norm_counts(city)
    assert counts["published"] == 2 and counts["missing"] == counts["units"] - 2 > 0
    missing = {unit.name for unit in norm_overview(city, missing_only=True)}
    assert "文登区团委" in missing and "鲸园街道团工委" in missing and "环翠区团委" not in missing


def test_a_second_load_adds_no_version(db):
    load()
    before = Norm.objects.count()
    assert "执行规范" not in load()
    assert Norm.objects.count() == before == len(demo_norms.VERSIONS)
