"""A collective leader's picture work in Chromium at phone width: creates the work (the display forms follow
the category, the description is counted live), uploads a group of JPEGs through Uppy with progress bars,
sees the exact refusal for a picture that is too small, reorders and captions the pictures, and submits.
Also: the page's Word count (static/works/wordcount.js) agrees with the server's, and the pages at 360 px and
1280 px are captured for a person to look at."""

import pytest

from tests import factories
from tests.works.media_fixtures import jpeg, media_storage  # noqa: F401 - fixture
from wenminghao.works.attachment1 import count_characters
from wenminghao.works.enums import DerivativeState, WorkStatus
from wenminghao.works.models import Work, WorkFile

from .conftest import sign_in, wait_for_function

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAMPLES = [
    "", "青年文明号", "青年文明号 2018年 WiFi！", "e-mail 3.5 元，“优质服务”……", "Hello, world.",
    "全角　空格与\u00a0不换行空格", "𠀀𠀁 CJK扩展B", "第1张图片为1280×960像素", "  前后空白  \n\t",
]


def watch(page) -> list[str]:
    """Script errors (a CSP refusal shows here) and failed loads, except the refusal the test provokes."""
    problems: list[str] = []

    def on_console(message):
        refusal = message.text.startswith("[Uppy]") and "低于1600×1200" in message.text  # Uppy logs it too
        expected = "status of 422" in message.text or refusal
        if message.type == "error" and not expected:
            problems.append(message.text)

    page.on("console", on_console)
    page.on("response", lambda response: problems.append(f"{response.status} {response.url}")
            if response.status >= 400 and not (response.status == 422 and "/files/upload/" in response.url)
            else None)
    return problems


def card_names(page) -> list[str]:
    return page.locator("[data-testid=file-card] [data-testid=file-name]").all_inner_texts()


def test_leader_uploads_a_picture_group_reorders_and_submits(page, screenshot, tree, users, media_storage,  # noqa: F811
                                                             tmp_path):
    campaign = factories.campaign(office=tree["city"], name="2018年度威海市青年文明号创建")
    files = []
    for name, data in [("一九七八.jpg", jpeg(seed=11)), ("一九八八.jpg", jpeg(1200, 1600, seed=12)),
                       ("太小.jpg", jpeg(1280, 960, seed=13)), ("一九九八.jpg", jpeg(seed=14)),
                       ("二〇一八.jpg", jpeg(seed=15))]:
        path = tmp_path / name
        path.write_bytes(data)
        files.append(str(path))
    problems = watch(page)

    sign_in(page, "leader_a", factories.PASSWORD)
    page.goto("/works/new/")
    # The display forms follow the category; the description is counted as it is typed.
    page.select_option("#id_category", "publicity")
    assert page.eval_on_selector("#id_display_form", "s => s.value") == "video"
    assert page.eval_on_selector("#id_display_form option[value=picture]", "o => o.disabled")
    page.select_option("#id_category", "photo")
    assert page.eval_on_selector("#id_display_form", "s => s.value") == "picture"
    assert page.eval_on_selector("#id_display_form option[value=h5]", "o => o.disabled")
    page.fill("#id_title", "窗口里的四十年")
    page.fill("#id_description", "从手写票据到掌上办理，" * 19)  # 209 characters
    page.get_by_test_id("description-count").get_by_text("超出 9 字").wait_for()
    page.fill("#id_description", "从手写票据到掌上办理。")
    assert "已输入 11 / 200 字" in page.get_by_test_id("description-count").inner_text()
    screenshot("create-phone")
    page.get_by_role("button", name="保存草稿").click()
    page.wait_for_url("**/works/*/")
    work = Work.objects.get(title="窗口里的四十年")
    assert (work.collective, work.campaign) == (tree["collective_a"], campaign)

    # The same counting rule in the page as on the server.
    page_counts = page.evaluate("samples => samples.map(s => window.wmhCountCharacters(s))", SAMPLES)
    assert page_counts == [count_characters(sample) for sample in SAMPLES]
    page_lengths = page.evaluate("samples => samples.map(s => window.wmhCountLength(s))", SAMPLES)
    assert page_lengths == [len(sample.strip()) for sample in SAMPLES]

    # Upload the group through Uppy on a slow connection, so the progress shows.
    page.locator(".uppy-Dashboard").wait_for()
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": 20, "downloadThroughput": -1,
                                                   "uploadThroughput": 400 * 1024})
    page.locator(".uppy-Dashboard-input").first.set_input_files(files)
    page.locator(".uppy-StatusBar.is-uploading").wait_for()
    page.locator(".uppy-Dashboard-Item-progress").first.wait_for()
    screenshot("uploading-phone")
    refusal = page.get_by_test_id("upload-errors")
    refusal.get_by_text("第3张图片为1280×960像素，低于1600×1200").wait_for(timeout=60_000)
    wait_for_function(page, "document.querySelectorAll('[data-testid=file-card]').length === 4", timeout=60_000)
    cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": 0, "downloadThroughput": -1,
                                                   "uploadThroughput": -1})
    assert card_names(page) == ["一九七八.jpg", "一九八八.jpg", "一九九八.jpg", "二〇一八.jpg"]
    assert WorkFile.objects.filter(work=work).count() == 4
    # The previews are made by the task; the list shows the thumbnails once they are ready.
    assert set(WorkFile.objects.filter(work=work).values_list("derivatives", flat=True)) == {DerivativeState.READY}
    wait_for_function(
        page,
        "[...document.querySelectorAll('[data-testid=file-card] img')].filter(i => i.complete && i.naturalWidth > 0)"
        ".length === 4")
    screenshot("uploaded-phone")

    # Reorder with the buttons (a phone has no mouse to drag with), and caption the new first picture.
    page.locator("[data-testid=file-card]").nth(2).get_by_test_id("move-up").click()
    wait_for_function(page, "document.querySelectorAll('[data-testid=file-name]')[1].textContent === '一九九八.jpg'")
    page.locator("[data-testid=file-card]").nth(0).get_by_test_id("move-down").click()
    wait_for_function(page, "document.querySelectorAll('[data-testid=file-name]')[0].textContent === '一九九八.jpg'")
    assert card_names(page) == ["一九九八.jpg", "一九七八.jpg", "一九八八.jpg", "二〇一八.jpg"]
    first = page.locator("[data-testid=file-card]").nth(0)
    first.get_by_placeholder("说明（选填）").fill("1998年的办税大厅")
    first.get_by_role("button", name="保存").click()
    wait_for_function(
        page,
        "document.querySelector('[data-testid=file-card] input[name=caption]').defaultValue === '1998年的办税大厅'")
    ordered = list(WorkFile.objects.filter(work=work).order_by("position").values_list("original_name", "caption"))
    assert ordered[0] == ("一九九八.jpg", "1998年的办税大厅")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360  # nothing forces sideways scrolling on a phone

    page.get_by_test_id("checklist-ok").wait_for()
    page.get_by_test_id("submit-work").click()
    page.wait_for_url(f"**/works/{work.pk}/")
    page.get_by_text("已提交“窗口里的四十年”").wait_for()
    screenshot("submitted-phone")
    work.refresh_from_db()
    assert work.status == WorkStatus.SUBMITTED
    assert page.locator("[data-uppy]").count() == 0

    # The same pages on a desktop.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"/works/{work.pk}/")
    screenshot("submitted-desktop")
    page.goto("/works/")
    screenshot("list-desktop")
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto("/works/")
    screenshot("list-phone")

    assert problems == []


def test_office_grants_a_collective_an_extension(page, screenshot, tree, users, media_storage):  # noqa: F811
    campaign = factories.campaign(office=tree["city"], name="2018年度威海市青年文明号创建")
    problems = watch(page)
    sign_in(page, "city", factories.PASSWORD)
    page.goto(f"/works/campaigns/{campaign.pk}/extensions/")
    page.get_by_label("单个集体").check()
    page.locator("#id_unit").wait_for(state="hidden")
    page.select_option("#id_collective", str(tree["collective_b"].pk))
    page.fill("#id_until", "2035-10-08T17:00")
    page.fill("#id_reason", "供电抢修任务重，材料延后报送")
    screenshot("extension-phone")
    page.get_by_role("button", name="批准延期").click()
    page.get_by_text("已批准文登区供电所延期报送至2035年10月8日 17:00（北京时间）").wait_for()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.reload()
    screenshot("extension-desktop")
    assert "供电抢修任务重" in page.get_by_test_id("extension-table").inner_text()
    assert problems == []
