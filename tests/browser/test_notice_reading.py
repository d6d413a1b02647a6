"""A notice on a phone, in Chromium at 360×740: the city publishes a notice to every collective; a collective's leader
signs in, finds it first on the workbench marked unread, opens it, downloads nothing and confirms reading with the
big button, and sees “已于…确认阅读”; the workbench no longer lists it and the city's receipts count one read. Skips,
saying why, without Chromium (tests/browser/conftest.py)."""

import pytest

from tests import factories
from wenminghao.notices.models import NoticeReceipt
from wenminghao.notices.selectors import receipt_totals
from wenminghao.notices.services import publish_notice

from .conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_leader_reads_and_confirms_a_notice_on_a_phone(page, screenshot, tree, users):
    notice = publish_notice(actor=users["city_admin"], title="关于开展2018年度青年文明号创建工作的通知",
                            body="各区市团委、各青年文明号集体：\n现将创建工作有关事项通知如下。\n一、创建范围……")
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)

    sign_in(page, "leader_a", factories.PASSWORD)
    card = page.get_by_test_id("unread-notices")
    assert card.is_visible()
    assert "关于开展2018年度青年文明号创建工作的通知" in card.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot("workbench")

    card.get_by_role("link", name="关于开展2018年度青年文明号创建工作的通知").click()
    page.wait_for_url(f"**/notices/{notice.pk}/")
    assert "现将创建工作有关事项通知如下。" in page.get_by_test_id("notice-body").inner_text()
    button = page.get_by_test_id("confirm-read")
    box = button.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 280, box  # a big target on a 360 px screen
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot("notice")

    button.click()
    page.wait_for_url(f"**/notices/{notice.pk}/")
    assert "确认阅读" in page.get_by_test_id("read-at").inner_text()
    receipt = NoticeReceipt.objects.get(notice=notice, collective=tree["collective_a"])
    assert receipt.read_at is not None and receipt.read_by == users["leader_a"]
    assert receipt_totals(notice)["read"] == 1
    screenshot("confirmed")

    page.goto("/")
    assert page.get_by_test_id("unread-notices").count() == 0
    assert problems == []
