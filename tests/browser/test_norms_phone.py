"""The execution norms on a phone, in Chromium at 360×740: a collective's leader opens 执行规范 from the workbench
card, finds 环翠区's current version above the city's, opens the history and reads the superseded version; the
city's overview fits the screen. Skips, saying why, without Chromium (tests/browser/conftest.py)."""

import datetime

import pytest
from django.utils import timezone

from tests import factories
from wenminghao.notices.services import publish_norm

from .conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_leader_finds_and_reads_the_norms_on_a_phone(page, screenshot, tree, users):
    today = timezone.localdate()
    publish_norm(actor=users["city_admin"], title="威海市青年文明号创建工作执行规范",
                 body="一、按归口关系报备。\n\n二、四项主题活动随开展随记录台账。", effective_on=today)
    old = publish_norm(actor=users["unit_admin_a"], title="环翠区创建工作执行规范", body="一、7月25日前报备。",
                       effective_on=today - datetime.timedelta(days=10))
    publish_norm(actor=users["unit_admin_a"], title="环翠区创建工作执行规范（修订）",
                 body="一、7月25日前报备，街道初审。", effective_on=today - datetime.timedelta(days=1),
                 change_note="增加街道初审")

    sign_in(page, "leader_a", factories.PASSWORD)
    card = page.get_by_test_id("norms-card")
    assert "环翠区创建工作执行规范（修订）" in card.inner_text()
    card.get_by_test_id("norms-link").click()
    page.wait_for_url("**/notices/norms/")
    units = page.get_by_test_id("norm-unit")
    assert "环翠区团委" in units.nth(0).inner_text() and "威海市团委" in units.nth(1).inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_text("版本记录（含已废止的历史版本）").click()
    screenshot("chain")
    page.get_by_role("link", name="第1版").click()
    page.wait_for_url(f"**/notices/norms/{old.pk}/")
    assert "已废止的历史版本" in page.get_by_test_id("superseded").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot("superseded")

    page.context.clear_cookies()
    sign_in(page, "city", factories.PASSWORD)
    page.goto("/notices/norms/overview/")
    assert "1个单位已发布" not in page.get_by_test_id("norm-counts").inner_text()
    assert "2个单位已发布，2个尚未发布" in page.get_by_test_id("norm-counts").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot("overview")
