"""The ledger on a phone, in Chromium at 360×740: a collective's leader records a 青年大学习 session led by a member,
ticks five attendees on the large check boxes (trying the 全选 toggle on the way), saves, and finds the session in
the ledger with “5人参学” and the coverage updated. Skips, saying why, without Chromium (tests/browser/conftest.py)."""

import pytest
from django.utils import timezone

from tests import factories
from wenminghao.ledger.models import LedgerEntry

from .conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_leader_records_a_study_session_on_a_phone(page, screenshot, tree, users):
    collective = tree["collective_a"]
    factories.campaign(office=tree["city"], year=timezone.localdate().year, name="本年度威海市青年文明号创建")
    members = list(collective.members.order_by("-is_leader", "id"))
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)

    sign_in(page, "leader_a", factories.PASSWORD)
    page.get_by_role("button", name="展开菜单").click()
    page.get_by_test_id("nav-ledger").click()
    page.wait_for_url(f"**/ledger/collectives/{collective.pk}/")
    assert "0%" in page.get_by_test_id("study-coverage").inner_text()
    screenshot("ledger-empty")

    page.get_by_test_id("add-entry").locator('[data-activity="study"]').click()
    page.wait_for_url(f"**/ledger/collectives/{collective.pk}/new/study/**")
    assert page.input_value("#id_date") == timezone.localdate().isoformat()
    page.fill("#id_title", "学习新思想微团课")
    page.select_option("#id_form", "micro_lecture")
    page.fill("#id_topic", "学习习近平新时代中国特色社会主义思想")
    page.select_option("#id_led_by", str(members[2].pk))

    attendees = page.get_by_test_id("attendees")
    toggle = page.get_by_test_id("select-all")
    selected = page.get_by_test_id("attendee-selected")
    toggle.click()
    assert selected.inner_text() == "8" and toggle.inner_text() == "全不选"
    toggle.click()
    assert selected.inner_text() == "0" and toggle.inner_text() == "全选"
    for member in members[1:6]:
        label = attendees.locator(f'label[for="id_attendees_{members.index(member)}"]')
        box = label.bounding_box()
        assert box["height"] >= 40 and box["width"] >= 140, box  # a finger's target on a 360 px screen
        label.click()
    assert selected.inner_text() == "5"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot("study-form")

    page.get_by_test_id("save-entry").click()
    page.wait_for_url("**/ledger/entries/*/")
    entry = LedgerEntry.objects.get(title="学习新思想微团课")
    assert entry.led_by == members[2] and entry.attendees.count() == 5
    assert "5人参学" in page.get_by_test_id("attendees").inner_text()
    screenshot("entry")

    page.get_by_test_id("ledger-link").click()
    page.wait_for_url(f"**/ledger/collectives/{collective.pk}/**")
    row = page.locator(f'[data-entry="{entry.pk}"]')
    assert "5人参学" in row.inner_text() and f"领学人：{members[2].name}" in row.inner_text()
    coverage = page.get_by_test_id("study-coverage").inner_text()
    assert "（5/8人至少参学一次）" in coverage and "0%" not in coverage
    assert page.get_by_test_id("study-sessions").inner_text() == "1"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot("ledger")
    assert problems == []
