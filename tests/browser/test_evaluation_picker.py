"""Evaluation's exchange form with the platform's collective picker (partials/collective_picker.html, static
wmh/picker.js), on a 360×740 phone: 环翠区's admin picks the host (one: a second pick replaces it) and a visitor, and
the visit is recorded with them. Skips, saying why, without Chromium (tests/browser/conftest.py)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories
from wenminghao.evaluation.models import ExchangeVisit

from .conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _pick(page, field: str, search: str, name: str):
    picker = page.get_by_test_id(f"picker-{field}")
    picker.locator("[data-picker-search]").fill(search)
    picker.locator("[data-picker-options] li", has_text=name).locator("input[type=checkbox]").check()
    return picker.locator("[data-picker-picked]")


def test_an_admin_records_a_visit_with_the_picker_on_a_phone(page, screenshot, tree, users):
    a, sub, b = tree["collective_a"], tree["collective_sub"], tree["collective_b"]
    campaign = factories.campaign(office=tree["city"], year=timezone.localdate().year)
    sign_in(page, "huancui", factories.PASSWORD)
    page.goto(reverse("evaluation:exchange_new", args=[campaign.pk]))
    page.get_by_label("观摩日期").fill(timezone.localdate().isoformat())
    page.get_by_label("观摩主题").fill("社区服务观摩")
    _pick(page, "host", "环翠区政务", a.name)
    host = _pick(page, "host", "社区", sub.name)  # one host: the second replaces the first
    assert sub.name in host.inner_text() and a.name not in host.inner_text()
    visitors = page.get_by_test_id("picker-visitors")
    visitors.locator("[data-picker-search]").fill("文登")
    visitors.locator("[data-picker-options] li").first.wait_for()
    assert b.name not in visitors.locator("[data-picker-options]").inner_text()  # outside 环翠区团委
    _pick(page, "visitors", "环翠区政务", a.name)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot("picked")
    page.get_by_role("button", name="保存交流观摩").click()
    page.wait_for_url("**/exchanges/*/")
    visit = ExchangeVisit.objects.get()
    assert visit.host == sub and list(visit.visitors.all()) == [a]
