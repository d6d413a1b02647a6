"""The public face on a 360×740 phone with the demo data (issue 12, “done when”).

A visitor scans the plaque's QR code of 环翠区政务服务中心综合窗口 (``hc_zwfw``): the PNG, decoded here with zxing-cpp,
gives the page's address on the live server (WMH_SITE_URL unset: the host asked). The page shows the name, the
commitment and the supervision phone; 我要监督 leads to the form, the visitor leaves a suggestion and gets its
reference. ``hc_zwfw`` signs in and answers it on the management page; the visitor follows it by its reference and
reads the answer. Then the showcase: the 2018 city campaign's works, the video played in place, the picture group in
its viewer. Nothing scrolls sideways and the console shows no error."""

import io

import pytest
import zxingcpp
from django.core.management import call_command
from PIL import Image

from wenminghao.accounts.models import User
from wenminghao.public.models import Feedback
from wenminghao.works.models import Work

from .conftest import SCREENSHOT_DIR, sign_in, wait_for_function

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "wenming2018"
SUGGESTION = "大厅的自助填表机旁边没有填写样例，第一次来的老人不知道怎么填，建议在每台机器旁贴一份样例。"
ANSWER = "感谢您的建议。我们已在三台自助填表机旁张贴了常办事项的填写样例，并安排青年志愿者在上午高峰时段现场指导。"


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path / "media")}}}
    settings.WMH_SITE_URL = ""  # the QR code names the address the request came to: the live server's
    call_command("load_demo_data", verbosity=0)


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def decoded_qr(content: bytes) -> str:
    results = zxingcpp.read_barcodes(Image.open(io.BytesIO(content)).convert("L"))
    assert len(results) == 1
    return results[0].text


def test_scan_supervise_get_an_answer_and_browse_the_showcase_on_a_phone(page, screenshot, demo, live_server,
                                                                            request):
    problems = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    post = User.objects.get(username="hc_zwfw").collective

    # --- scan the plaque's QR code: it opens the identity page ------------------------------------------------------
    qr = page.request.get(f"/posts/{post.pk}/qr.png")
    assert qr.ok and qr.headers["content-type"] == "image/png"
    address = decoded_qr(qr.body())
    assert address == f"{live_server.url}/posts/{post.pk}/"
    page.goto(address)
    assert page.locator("[data-field=name]").inner_text() == post.name
    assert page.locator("[data-field=public_commitment]").inner_text().strip() == post.public_commitment
    assert post.supervision_phone in page.get_by_test_id("post-supervision").inner_text()
    assert "一窗受理、集成服务" in page.locator("[data-field=service_items]").inner_text()
    assert page.get_by_test_id("post-photos").locator("img").count() == 2
    assert no_sideways_scroll(page)
    screenshot("post-page")

    # --- 我要监督: leave a suggestion, get its reference ----------------------------------------------------------
    with page.expect_navigation(url=f"**/posts/{post.pk}/feedback/"):
        page.get_by_test_id("post-feedback-link").click()
    form = page.get_by_test_id("feedback-form")
    form.get_by_label("建议", exact=True).check()
    form.get_by_label("意见内容").fill(SUGGESTION)
    form.get_by_label("基本满意").check()
    assert no_sideways_scroll(page)
    form.get_by_role("button", name="提交").click()
    reference = page.get_by_test_id("reference").inner_text().strip()
    item = Feedback.objects.get(reference=reference)
    assert item.collective_id == post.pk and item.text == SUGGESTION and item.state == "open"
    assert no_sideways_scroll(page)
    screenshot("feedback-sent")

    # --- hc_zwfw answers it on the management page -----------------------------------------------------------------
    visitor = page.context
    leader = page.context.browser.new_context(viewport={"width": 360, "height": 740}, locale="zh-CN",
                                              timezone_id="Asia/Shanghai", base_url=live_server.url)
    try:
        desk = leader.new_page()
        desk.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
        sign_in(desk, "hc_zwfw", PASSWORD)
        desk.goto("/feedback/manage/")
        row = desk.locator(f"[data-feedback='{item.pk}']")
        assert reference in row.inner_text()
        with desk.expect_navigation(url=f"**/feedback/manage/{item.pk}/"):
            row.get_by_role("link").click()
        answer_form = desk.get_by_test_id("answer-form")
        answer_form.get_by_label("答复内容").fill(ANSWER)
        answer_form.get_by_role("button", name="答复").click()
        desk.wait_for_load_state("networkidle")
        assert desk.get_by_test_id("answer").inner_text().strip() == ANSWER
        assert no_sideways_scroll(desk)
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        desk.screenshot(path=str(SCREENSHOT_DIR / f"{request.node.name}-manage-answered.png"), full_page=True)
    finally:
        leader.close()
    item.refresh_from_db()
    assert item.state == "answered" and item.answered_by.username == "hc_zwfw"

    # --- the visitor follows it by its reference -------------------------------------------------------------------
    assert page.context is visitor
    page.goto("/feedback/")
    page.get_by_label("查询编号").fill(reference.lower())
    page.get_by_test_id("reference-form").get_by_role("button", name="查询").click()
    page.wait_for_url(f"**/feedback/{reference}/")
    assert page.get_by_test_id("state").inner_text().strip() == "已答复"
    assert page.get_by_test_id("answer").inner_text().strip() == ANSWER
    assert no_sideways_scroll(page)
    screenshot("feedback-followed")

    # --- the showcase on the phone: the video plays in place, the pictures open in the viewer ---------------------
    page.goto("/showcase/")
    cards = page.get_by_test_id("showcase-card")
    assert cards.count() >= 3
    titles = cards.locator("h2").all_inner_texts()
    video_work = Work.objects.get(display_form="video", status__in=["showcased", "forwarded"])
    picture_work = Work.objects.get(display_form="picture", status__in=["showcased", "forwarded"])
    essay_work = Work.objects.get(display_form="essay", status__in=["showcased", "forwarded"])
    assert {video_work.title, picture_work.title, essay_work.title} <= set(titles)
    assert no_sideways_scroll(page)
    screenshot("showcase")

    with page.expect_navigation(url=f"**/showcase/{video_work.pk}/"):
        page.get_by_role("link", name=video_work.title).click()
    video = page.get_by_test_id("work-video")
    assert video.get_attribute("poster")  # the poster shows before it plays
    page.evaluate("async () => { const video = document.querySelector('[data-testid=work-video]');"
                  " video.muted = true; await video.play(); }")
    wait_for_function(page, "() => { const video = document.querySelector('[data-testid=work-video]');"
                           " return video.currentTime > 0 || video.readyState >= 2; }")
    assert no_sideways_scroll(page)
    screenshot("video-playing")

    page.goto("/showcase/")
    with page.expect_navigation(url=f"**/showcase/{picture_work.pk}/"):
        page.get_by_role("link", name=picture_work.title).click()
    page.locator("[data-viewer-item]").first.click()
    viewer = page.locator("#showcase-viewer")
    viewer.wait_for(state="visible")
    wait_for_function(page, "() => { const image = document.querySelector('[data-viewer-image]');"
                           " return image.complete && image.naturalWidth > 0; }")
    assert "第1张，共5张" in viewer.locator("[data-viewer-caption]").inner_text()
    viewer.locator("[data-viewer-next]").click()
    assert "第2张，共5张" in viewer.locator("[data-viewer-caption]").inner_text()
    assert no_sideways_scroll(page)
    screenshot("picture-viewer")
    viewer.locator("[data-viewer-close]").click()
    viewer.wait_for(state="hidden")

    assert problems == []
