"""The city compares units on the indicator dashboard, on a 360×740 phone, with the demo data (issue 11, item 1).

``city`` opens 评价与命名 from the menu and lands on the dashboard of the current city campaign (the newest with
creating collectives); the figures are those of the API's indicators, the charts are drawn, nothing scrolls the page
sideways. The units side by side show 环翠区 and 文登区 (the table and the chart's data); city follows 环翠区's link to
its dashboard (鲸园街道 beside 环翠区's own collectives), filters the collectives lacking 助千家 (the list is swapped in
place) whose reminder button carries the activity and the unit, and downloads the .xlsx, read back here."""

import io
import json
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from wenminghao.campaigns.models import Campaign
from wenminghao.core.models import AuditEntry
from wenminghao.evaluation.selectors import dashboard as selectors
from wenminghao.orgs.models import Unit

from .conftest import sign_in, wait_for_function

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "wenming2018"


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path / "media")}}}
    call_command("load_demo_data", verbosity=0)


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def chart_drawn(page, element_id) -> bool:
    page.locator(f"#{element_id}").scroll_into_view_if_needed()
    return wait_for_function(
        page, "id => { const box = document.getElementById(id); const canvas = box && box.querySelector('canvas');"
        " return !!canvas && canvas.width > 0 && canvas.getBoundingClientRect().width <= box.clientWidth + 1; }",
        arg=element_id)


def table_rows(page, testid) -> dict[str, list[str]]:
    rows = page.get_by_test_id(testid).locator("tbody tr")
    return {cells[0]: cells[1:] for cells in
            (rows.nth(index).locator("th, td").all_inner_texts() for index in range(rows.count()))}


def test_the_city_compares_units_on_a_phone_and_downloads_the_figures(page, screenshot, demo, live_server, tmp_path):
    problems = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    city = Unit.objects.get(name="威海市团委")
    huancui, wendeng = Unit.objects.get(name="环翠区团委"), Unit.objects.get(name="文登区团委")
    campaign = Campaign.objects.filter(office=city, level="city").order_by("-year", "-id").first()
    board = selectors.dashboard(campaign, city)
    rows = {row.unit.name: row.figures for row in board.rows if row.unit is not None}
    assert rows["环翠区团委"].creating > 0 and rows["文登区团委"].creating > 0  # the demo ledger's two areas

    # --- from the menu to the city's dashboard ----------------------------------------------------------------
    sign_in(page, "city", PASSWORD)
    page.get_by_role("button", name="展开菜单").click()
    with page.expect_navigation(url=f"**/evaluation/campaigns/{campaign.pk}/"):
        page.locator("#mainnav").get_by_test_id("nav-evaluation").click()
    assert page.locator("h1").inner_text() == "指标看板 · 威海市团委"
    assert page.get_by_test_id("creating").inner_text() == str(board.indicators.collectives)
    activities = table_rows(page, "activities-table")
    for value, label in (("benchmark", "对标创优"), ("study", "青年大学习"), ("families", "助千家"),
                         ("open_week", "开放周")):
        indicator = board.indicators.activities[value]
        assert activities[label] == [str(indicator.collectives), str(board.missing[value]), str(indicator.entries)]
    for chart in ("chart-activities", "chart-months", "chart-units"):
        assert chart_drawn(page, chart), chart
    assert no_sideways_scroll(page)
    screenshot("city-dashboard")

    # --- units side by side: both areas, in the table and in the chart's numbers -------------------------------
    units = table_rows(page, "units-table")
    for name, unit in (("环翠区团委", huancui), ("文登区团委", wendeng)):
        figures = rows[name]
        row = units[unit.display_name]
        assert row[0] == str(figures.creating)
        assert row[1:5] == [f"{figures.activities[value].collectives}/{figures.activities[value].entries}"
                            for value in ("benchmark", "study", "families", "open_week")]
    data = json.loads(page.locator("#dashboard-data").text_content())["units"]
    assert {"环翠区团委", "文登区团委"} <= set(data["names"])
    assert data["labels"][data["names"].index("环翠区团委")] == huancui.display_name
    page.get_by_test_id("units").scroll_into_view_if_needed()
    assert no_sideways_scroll(page)
    screenshot("units-side-by-side")

    # --- 环翠区's own dashboard ----------------------------------------------------------------------------------
    with page.expect_navigation(url=f"**/evaluation/campaigns/{campaign.pk}/?unit={huancui.pk}"):
        page.get_by_test_id("units-table").get_by_role("link", name=huancui.display_name, exact=True).click()
    assert page.locator("h1").inner_text() == "指标看板 · 环翠区团委"
    assert page.get_by_test_id("creating").inner_text() == str(rows["环翠区团委"].creating)
    assert list(table_rows(page, "units-table")) == ["鲸园街道", "环翠区本级直属"]
    assert chart_drawn(page, "chart-units") and no_sideways_scroll(page)

    # the collectives with no 助千家 entry, swapped in place, and the reminder for them
    lacking = selectors.creating_collectives(campaign, huancui, missing="families")
    page.get_by_test_id("missing-filter").select_option("families")
    with page.expect_response(lambda response: "missing=families" in response.url):
        page.get_by_test_id("missing").get_by_role("button", name="筛选").click()
    wait_for_function(page, "() => document.querySelector('[data-testid=missing-count]').innerText.includes('"
                           f"共 {lacking.count()} 个')")
    names = page.get_by_test_id("missing-table").locator("tbody tr td.wmh-collective a").all_inner_texts()
    assert names == [collective.name for collective in lacking]
    assert "missing=families" in page.url  # pushed, so the address can be shared
    remind = page.get_by_test_id("remind")
    if remind.count():  # the reminders page (another part) is there
        query = parse_qs(urlsplit(remind.get_attribute("href")).query)
        assert query == {"activity": ["families"], "unit": [str(huancui.pk)]}
    screenshot("missing-families")

    # --- the .xlsx -------------------------------------------------------------------------------------------
    page.locator("h1").scroll_into_view_if_needed()
    with page.expect_download() as download:
        page.get_by_test_id("dashboard-xlsx").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    saved = tmp_path / "indicators.xlsx"
    download.value.save_as(saved)
    book = load_workbook(io.BytesIO(saved.read_bytes()))
    assert book.sheetnames == ["概况", "单位对比", "缺项集体"]
    overview = {row[0]: row[1] for row in book["概况"].iter_rows(min_row=5, values_only=True) if row and row[0]}
    assert overview["创建集体"] == rows["环翠区团委"].creating
    assert [row[0] for row in book["单位对比"].iter_rows(min_row=2, values_only=True)] == [
        "鲸园街道团工委", "环翠区团委本级直属", "合计（环翠区团委）"]
    missing = selectors.creating_collectives(campaign, huancui, missing=selectors.MISSING_ANY)
    assert [row[1] for row in book["缺项集体"].iter_rows(min_row=2, values_only=True)] == [
        collective.name for collective in missing]
    assert AuditEntry.objects.filter(action="evaluation.indicators_export", actor__username="city",
                                     unit_path=huancui.path).count() == 1
    assert problems == []


def test_a_unit_name_is_text_in_the_units_chart_tooltip(page, demo, live_server):
    """A unit's name is typed by an admin: in the units chart's tooltip (HTML) it is shown, never run."""
    wendeng = Unit.objects.get(name="文登区团委")
    hostile = '<img src=x onerror="window.__xss = 1">文登区团委'
    Unit.objects.filter(pk=wendeng.pk).update(name=hostile, short_name="")
    campaign = Campaign.objects.filter(office__name="威海市团委", level="city").order_by("-year", "-id").first()
    sign_in(page, "city", PASSWORD)
    page.goto(f"{live_server.url}/evaluation/campaigns/{campaign.pk}/")
    assert chart_drawn(page, "chart-units")
    names = json.loads(page.locator("#dashboard-data").text_content())["units"]["names"]
    shown = page.evaluate(
        """index => {
            const box = document.getElementById('chart-units');
            window.echarts.getInstanceByDom(box).dispatchAction({type: 'showTip', seriesIndex: 0, dataIndex: index});
            const tip = [...box.querySelectorAll('div')].find(div => div.innerHTML.includes('创建集体'));
            return tip ? {text: tip.innerText, images: tip.querySelectorAll('img').length} : null;
        }""", names.index(hostile))
    page.wait_for_timeout(300)  # an onerror would have fired by now
    assert shown is not None and hostile in shown["text"] and shown["images"] == 0
    assert page.evaluate("window.__xss") is None
