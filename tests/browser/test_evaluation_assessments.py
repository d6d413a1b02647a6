"""The city scores the creating collectives (集中评议) on a 360×740 phone, with the demo data (issue 11, item 4).

``city`` opens the ranking of the current city campaign: nothing is scored yet, the weights are the defaults, the
page does not scroll sideways. It opens 环翠区政务服务中心综合窗口 (``hc_zwfw``), sees its suggested score part by
part, gives it another score without a reason (refused, naming both numbers, the typed score kept), then with a
reason; back on the ranking the collective is first, marked adjusted. It scores the rest with their suggestions
(confirming the dialog), and every creating collective then has a score. ``huancui`` sees its subtree's ranking
read-only; ``wendeng`` gets 404 for hc_zwfw's page, hc_zwfw for the ranking."""

from decimal import Decimal

import pytest
from django.core.management import call_command

from wenminghao.accounts.models import User
from wenminghao.campaigns.models import Campaign
from wenminghao.campaigns.selectors import creating_filings
from wenminghao.evaluation.models import Assessment
from wenminghao.evaluation.scoring import suggested_score
from wenminghao.evaluation.selectors.assessments import collective_facts, weights_of

from .conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "wenming2018"
REASON = "实地考察中服务承诺和监督电话均已上墙，群众评价好"


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path / "media")}}}
    call_command("load_demo_data", verbosity=0)
    leader = User.objects.get(username="hc_zwfw")
    campaign = Campaign.objects.filter(office__name="威海市团委", level="city").order_by("-year", "-id").first()
    return campaign, leader.collective


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def test_the_city_scores_the_creating_collectives_on_a_phone(page, screenshot, demo, live_server):
    campaign, collective = demo
    ranking_url = f"/evaluation/campaigns/{campaign.pk}/assessments/"
    creating = creating_filings(campaign, campaign.office).count()
    assert not Assessment.objects.exists() and creating > 3
    suggestion = suggested_score(collective_facts(campaign, [collective.pk])[collective.pk], weights_of(campaign))

    sign_in(page, "city", PASSWORD)
    page.goto(ranking_url)
    assert page.get_by_test_id("weights").inner_text().count("20分") == 5
    assert page.get_by_test_id("scored").inner_text() == "0"
    assert no_sideways_scroll(page)
    screenshot("ranking-before")

    item = page.get_by_test_id("ranking-list").locator(f'li[data-collective="{collective.pk}"]')
    item.get_by_role("link", name="评议").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("suggested").inner_text() == str(suggestion)
    assert page.get_by_test_id("parts").locator("tbody tr").count() == 5
    assert no_sideways_scroll(page)

    page.get_by_label("评议得分").fill("96")
    page.get_by_test_id("save-score").click()
    page.wait_for_load_state("networkidle")
    assert f"评议得分96.00与建议得分{suggestion}不同，请填写调整理由" in page.content()
    assert page.get_by_label("评议得分").input_value() == "96"
    screenshot("reason-required")
    page.get_by_label("调整理由").fill(REASON)
    page.get_by_test_id("save-score").click()
    page.wait_for_url(f"**{ranking_url}**")
    assert Assessment.objects.get(collective=collective).score == Decimal("96.00")

    first = page.get_by_test_id("ranking-list").locator("li").first
    assert first.get_attribute("data-collective") == str(collective.pk)
    assert "已调整" in first.inner_text() and "96.00" in first.inner_text()

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("score-all").get_by_role("button").click()
    page.wait_for_load_state("networkidle")
    assert f"已按建议得分为{creating - 1}个尚未评议的创建集体评议打分" in page.content()
    assert Assessment.objects.count() == creating
    assert page.get_by_test_id("scored").inner_text() == str(creating)
    assert page.get_by_test_id("score-all").count() == 0
    assert no_sideways_scroll(page)
    screenshot("ranking-after")

    page.context.clear_cookies()
    sign_in(page, "huancui", PASSWORD)
    page.goto(ranking_url)
    html = page.content()
    assert "本页只供查看" in html and page.get_by_test_id("score-all").count() == 0
    first = page.get_by_test_id("ranking-list").locator("li").first
    assert first.get_attribute("data-collective") == str(collective.pk)
    assert first.get_by_role("link", name="查看").count() == 1

    page.context.clear_cookies()
    sign_in(page, "wendeng", PASSWORD)
    assert page.goto(f"{ranking_url}{collective.pk}/").status == 404
    page.context.clear_cookies()
    sign_in(page, "hc_zwfw", PASSWORD)
    assert page.goto(ranking_url).status == 404
