"""The demo's 2018 naming (``demo.evaluation_naming``): three titles named through the service, one warned and
reviewed in 2019, one revoked; the current campaigns' eligibility outcomes of every demo collective unchanged
(docs/demo-accounts.md), only the reason of the two that lost a title naming it; a second run makes nothing."""

from io import StringIO
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.works.media_fixtures import media_storage  # noqa: F401 - a pytest fixture
from wenminghao.accounts.models import User
from wenminghao.campaigns.eligibility import check_collective
from wenminghao.campaigns.models import Campaign
from wenminghao.collectives.enums import HonourState
from wenminghao.demo import data as demo
from wenminghao.demo import evaluation_naming
from wenminghao.evaluation.enums import TitleEventKind
from wenminghao.evaluation.models import Naming, TitleEvent


@pytest.fixture
def loader(db, media_storage):  # noqa: F811
    call_command("load_demo_data", stdout=StringIO())
    today = timezone.localdate()
    office = User.objects.get(username="city").unit
    campaigns = {spec.key: Campaign.objects.get(office=office, name=spec.name) for spec in demo.campaigns(today)}
    collectives = {spec.username: User.objects.get(username=spec.username).collective for spec in demo.COLLECTIVES}
    return SimpleNamespace(today=today, campaigns=campaigns, collectives=collectives)


def outcomes(loader) -> dict[str, tuple]:
    current = (loader.campaigns["current_city"], loader.campaigns["current_province"])
    return {username: tuple(tuple(v.code for v in check_collective(campaign, collective)) for campaign in current)
            for username, collective in loader.collectives.items()}


def test_the_2018_naming_and_what_became_of_its_titles(loader):
    # load_demo_data ran the module; what it made:
    assert Naming.objects.filter(campaign=loader.campaigns["2018_city"]).count() == 3
    assert TitleEvent.objects.filter(kind=TitleEventKind.WARNING).count() == 1
    assert TitleEvent.objects.filter(kind=TitleEventKind.REVIEW).count() == 1
    assert TitleEvent.objects.filter(kind=TitleEventKind.REVOCATION).count() == 1
    today = timezone.localdate()
    by_key = {key: Naming.objects.select_related("honour").get(collective=loader.collectives[key]).honour
              for key in evaluation_naming.NAMED}
    assert {key: honour.state_on(today) for key, honour in by_key.items()} == {
        "zj_wyfw": HonourState.EXPIRED, "rs_mawh": HonourState.EXPIRED, "gd_ddzy": HonourState.REVOKED}
    assert all(honour.title == "2018年度威海市青年文明号" and str(honour.valid_until) == "2021-12-31"
               for honour in by_key.values())
    assert [e.kind for e in by_key["zj_wyfw"].events.order_by("created_at")] == [TitleEventKind.WARNING,
                                                                                 TitleEventKind.REVIEW]
    assert by_key["gd_ddzy"].revoked_at.year == 2019
    assert Naming.objects.filter(named_at__year=2018).count() == 3


def test_the_current_eligibility_outcomes_stay_as_documented(loader):
    assert outcomes(loader) == {spec.username: spec.expect for spec in demo.COLLECTIVES}
    province = loader.campaigns["current_province"]
    reasons = {key: check_collective(province, loader.collectives[key])[0].message for key in ("rs_mawh", "gd_ddzy")}
    assert "该集体的2018年市级称号已过届期，不再计入" in reasons["rs_mawh"]
    assert "该集体的2018年市级称号已被撤销，不再计入" in reasons["gd_ddzy"]


def test_a_second_run_makes_nothing(loader):
    assert evaluation_naming.load(loader) == {"namings": 0, "title_warnings": 0, "title_reviews": 0,
                                              "revocations": 0}
