"""The issue's browser journey, in Chromium at phone width: a unit admin signs in, creates a
collective, tries to file it and sees every refusal reason, files an eligible collective, and accepts
the filing; the sibling unit's admin cannot reach any of it."""

import pytest

from tests import factories
from wenminghao.campaigns.enums import FilingStatus
from wenminghao.campaigns.models import CreationFiling
from wenminghao.collectives.models import Collective

from .conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fill_member(page, index, name, birth, leader=False):
    page.fill(f"#id_members-{index}-name", name)
    page.fill(f"#id_members-{index}-birth_date", birth)
    if leader:
        page.check(f"#id_members-{index}-is_leader")


def test_unit_admin_creates_files_sees_reasons_and_accepts(page, screenshot, tree, users):
    campaign = factories.campaign(office=tree["city"], level="city", name="2018年度威海市青年文明号创建")
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)

    sign_in(page, "huancui", factories.PASSWORD)
    assert page.get_by_text("环翠区团委").first.is_visible()

    # Create a collective that breaks four rules: no honour, 2 members, 1 of 2 young, leader aged 48.
    page.goto("/collectives/new/")
    page.fill("#id_name", "环翠区新建测试窗口")
    page.fill("#id_host_org", "环翠区行政审批服务局")
    page.select_option("#id_unit", str(tree["area_a"].pk))
    page.select_option("#id_sector", "service")
    page.select_option("#id_org_type", "public_institution")
    page.select_option("#id_unit_form", "window")
    page.fill("#id_contact_name", "何联系")
    page.fill("#id_contact_phone", "13700000000")
    page.get_by_role("button", name="添加成员").click()
    _fill_member(page, 0, "老号长", "1970-01-01", leader=True)
    _fill_member(page, 1, "小青年", "1995-01-01")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url("**/collectives/*/")
    assert page.text_content("h1") == "环翠区新建测试窗口"
    created = Collective.objects.get(name="环翠区新建测试窗口")

    # Try to file it: every unmet rule is listed with its specific reason.
    page.goto(f"/campaigns/{campaign.pk}/file/")
    page.select_option("#id_collective", str(created.pk))
    preview = page.get_by_test_id("eligibility-preview")
    preview.wait_for()
    text = preview.inner_text()
    screenshot("refusal-reasons")
    assert "须曾获区市级" in text
    assert "集体现有成员2人，应不少于6人" in text
    assert "35周岁以下成员占50%，应超过50%" in text
    assert "号长年龄为48周岁，应在40周岁以下" in text
    assert page.get_by_test_id("submit-filing").count() == 0
    assert not CreationFiling.objects.filter(collective=created).exists()

    # File an eligible collective.
    page.select_option("#id_collective", str(tree["collective_a"].pk))
    page.get_by_test_id("submit-filing").wait_for()
    page.get_by_test_id("submit-filing").click()
    page.wait_for_load_state("networkidle")
    filing = CreationFiling.objects.get(collective=tree["collective_a"], campaign=campaign)
    assert filing.status == FilingStatus.PENDING

    # Accept it from the filings list.
    page.goto(f"/campaigns/filings/?campaign={campaign.pk}&status=pending")
    page.get_by_role("button", name="接受").first.click()
    page.wait_for_load_state("networkidle")
    page.locator(f"#filing-{filing.pk} .badge", has_text="已接受").wait_for()
    screenshot("accepted")
    filing.refresh_from_db()
    assert filing.status == FilingStatus.ACCEPTED
    assert filing.decided_by == users["unit_admin_a"]
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert problems == []


def test_sibling_unit_admin_reaches_none_of_it(page, tree, users):
    campaign = factories.campaign(office=tree["city"])
    sign_in(page, "wendeng", factories.PASSWORD)
    for path in (
        f"/collectives/{tree['collective_a'].pk}/",
        f"/collectives/{tree['collective_a'].pk}/edit/",
        f"/units/{tree['area_a'].pk}/",
        f"/campaigns/{campaign.pk}/structure/?unit={tree['area_a'].pk}",
    ):
        response = page.goto(path)
        assert response.status == 404, path
    page.goto("/collectives/")
    assert page.get_by_text(tree["collective_a"].name).count() == 0
