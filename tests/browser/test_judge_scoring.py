"""A judge in Chromium at phone width: signs in, opens "我的评审", opens the assigned work of a blind round (its
pictures, no collective or unit name), scores every criterion with a comment, sees the saved score, is refused a
score above the maximum with the exact reason, and revises the score."""

import pytest

from tests import factories
from tests.works.media_fixtures import add_pictures, make_work, media_storage  # noqa: F401 - fixture
from wenminghao.core.roles import Role
from wenminghao.reviews import services
from wenminghao.reviews.models import Assignment, Score
from wenminghao.works.models import Work

from .conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_judge_scores_an_assigned_work(page, screenshot, tree, users, media_storage):  # noqa: F811
    campaign = factories.campaign(office=tree["city"], name="2018年度威海市青年文明号创建")
    work = make_work(actor=users["leader_b"], collective=tree["collective_b"], campaign=campaign,
                     title="供电所的四十年")
    add_pictures(work, users["leader_b"], 4)
    Work.objects.filter(pk=work.pk).update(status="recommended")
    judge = factories.account(username="judge1", role=Role.JUDGE, display_name="于海波")
    round_ = services.create_round(actor=users["city_admin"], campaign=campaign, category="photo",
                                   name="图片作品集中评议", is_blind=True)
    services.set_rubric(actor=users["city_admin"], round_=round_, criteria=[
        {"name": name, "weight": weight, "max_score": maximum} for name, weight, maximum in services.DEFAULT_RUBRIC])
    services.set_judges(actor=users["city_admin"], round_=round_, judges=[judge])
    services.assign_works(actor=users["city_admin"], round_=round_)
    assignment = Assignment.objects.get(round=round_, judge=judge)
    problems = []
    page.on("response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 and r.status != 422
            else None)

    sign_in(page, "judge1", factories.PASSWORD)
    page.goto("/reviews/judging/")
    link = page.get_by_test_id("assignment-link")
    assert link.inner_text().startswith("作品 #1 《供电所的四十年》")
    link.click()
    page.wait_for_load_state("networkidle")
    body = page.locator("body").inner_text()
    assert "文登" not in body and "供电所的四十年" in body
    assert page.locator("[data-testid=judge-gallery] .card").count() == 4

    for label, value in (("主题契合", "9"), ("原创性", "8"), ("表现力", "7"), ("示范推广价值", "12")):
        page.get_by_label(label).fill(value)
    page.get_by_label("评语").fill("画面真实，主题鲜明。")
    page.get_by_role("button", name="保存评分").click()
    page.wait_for_load_state("networkidle")
    assert "“示范推广价值”的得分应在0到10分之间，现为12。" in page.get_by_test_id("violations").inner_text()
    assert not Score.objects.filter(assignment=assignment).exists()

    page.get_by_label("示范推广价值").fill("6")
    page.get_by_role("button", name="保存评分").click()
    page.wait_for_load_state("networkidle")
    # 0.3×0.9 + 0.3×0.8 + 0.2×0.7 + 0.2×0.6 = 0.77
    assert "您的得分：77.00" in page.get_by_test_id("own-score").inner_text()
    assert page.get_by_label("主题契合").input_value() == "9"
    assert page.get_by_label("评语").input_value() == "画面真实，主题鲜明。"
    screenshot("scored")

    page.get_by_label("主题契合").fill("10")
    page.get_by_role("button", name="保存评分").click()
    page.wait_for_load_state("networkidle")
    assert "您的得分：80.00" in page.get_by_test_id("own-score").inner_text()
    page.goto("/reviews/judging/")
    assert "已评 1 / 1" in page.locator("[data-testid=judge-round]").inner_text()
    assert problems == []
