"""The review of issue 4 on the demo data, in Chromium, as the people who do it: 环翠区团委 recommends its photo
works from its queue, returns its video with a comment and reorders its recommendations; the city opens a blind
photo round with judge1–judge3 and the suggested rubric, assigns (judge3, of 环翠区团委, is skipped for 环翠区's
works and the skip is listed); each judge scores every work assigned to them without ever seeing a collective's
or unit's name; the city reads the ranking, showcases the best work and forwards it to the province, and
downloads the province package: the table names 威海市团委 as the reporting unit and lists the work; the zip
holds its pictures, the table and the manifest."""

import zipfile

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from wenminghao.accounts.models import User
from wenminghao.core.models import Notification
from wenminghao.reviews.models import Assignment, ReviewRound
from wenminghao.works.models import Work, WorkDecision
from wenminghao.works.transitions import reporting_unit_path

from .conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "wenming2018"
CRITERIA = ("主题契合", "原创性", "表现力", "示范推广价值")
SCORES = {"judge1": ("9", "8", "8", "7"), "judge2": ("8", "8", "7", "7"), "judge3": ("9", "9", "8", "8")}


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path / "media")}}}
    call_command("load_demo_data", verbosity=0)
    # the current city campaign, where the demo's works wait for their units (the 2018 one holds the showcase)
    return Work.objects.filter(status="submitted").values_list("campaign", flat=True).first()


def switch_user(page, username):
    page.context.clear_cookies()
    sign_in(page, username, PASSWORD)


def test_city_runs_a_blind_round_and_forwards_the_best_work(page, screenshot, demo, tmp_path):
    campaign_id = demo
    huancui = User.objects.get(username="huancui")
    problems = []
    page.on("response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 and r.status != 422
            else None)

    # 环翠区团委, on a phone: the queue of submitted works; recommends the photo works, returns the video with a
    # comment from its page, and puts its second photo work first
    switch_user(page, "huancui")
    page.goto(f"/campaigns/{campaign_id}/")
    page.get_by_test_id("queue-link").click()
    waiting = Work.objects.filter(campaign_id=campaign_id, status="submitted",
                                  collective__unit__path__startswith=huancui.unit.path)
    assert page.get_by_test_id("queue-item").count() == waiting.count() >= 4
    page.get_by_label("作品类别").select_option("photo")
    page.get_by_role("button", name="筛选").click()
    photos = list(waiting.filter(category="photo").order_by("submitted_at", "id"))
    assert page.get_by_test_id("queue-item").count() == len(photos) >= 2
    screenshot("queue")
    for _ in photos:
        page.get_by_test_id("quick-recommend").first.click()
        page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("queue-empty").is_visible()
    video = waiting.get(category="publicity", display_form="video")
    page.goto(f"/works/{video.pk}/")
    page.get_by_test_id("decide-returned").click()  # without a comment: the browser asks for one
    assert Work.objects.get(pk=video.pk).status == "submitted"
    page.get_by_label("退回意见").fill("视频结尾请加上集体名称字幕后重新提交。")
    page.get_by_test_id("decide-returned").click()
    page.wait_for_load_state("networkidle")
    assert "已退回" in page.get_by_test_id("review-history").inner_text()
    screenshot("work-returned")
    page.goto(f"/reviews/campaigns/{campaign_id}/order/")
    second = photos[1]
    page.locator(f"li[data-work='{second.pk}']").get_by_role("button", name="上移").click()
    page.wait_for_load_state("networkidle")
    assert Work.objects.get(pk=second.pk).unit_rank == 1
    screenshot("order")
    video.refresh_from_db()
    assert video.status == "returned" and "字幕" in video.return_comment

    photo_works = Work.objects.filter(campaign_id=campaign_id, category="photo", status="recommended")
    huancui_works = {w.pk for w in photo_works if w.collective.unit.path.startswith(huancui.unit.path)}
    assert len(photo_works) >= 4 and len(huancui_works) == len(photos)

    # the city opens a blind photo round from the campaign's page
    page.set_viewport_size({"width": 1280, "height": 900})
    switch_user(page, "city")
    page.goto(f"/campaigns/{campaign_id}/")
    page.get_by_test_id("rounds-link").click()
    page.get_by_role("link", name="开设评审轮次").click()
    page.get_by_label("作品类别").select_option("photo")
    page.get_by_label("名称").fill("图片作品集中评议")
    assert page.get_by_label("匿名评审").is_checked()
    page.get_by_role("button", name="开设并设置评分标准").click()
    page.get_by_role("button", name="保存评分标准").click()  # the suggested four criteria
    round_ = ReviewRound.objects.get(campaign_id=campaign_id)
    assert [c.name for c in round_.criteria.all()] == ["主题契合", "原创性", "表现力", "示范推广价值"]
    page.get_by_role("link", name="选择评委").click()
    for username in SCORES:
        page.get_by_test_id("judge-choices").get_by_text(username, exact=False).click()
    page.get_by_role("button", name="保存评委").click()
    page.get_by_test_id("assign").click()
    page.wait_for_load_state("networkidle")
    conflicts = page.get_by_test_id("conflicts").inner_text()
    assert "毕振华" in conflicts or "judge3" in conflicts
    assert not Assignment.objects.filter(round=round_, judge__username="judge3", work_id__in=huancui_works).exists()
    assert Assignment.objects.filter(round=round_).count() == 3 * len(photo_works) - len(huancui_works)
    screenshot("round-assigned")

    # each judge scores every work assigned, on a phone, never seeing who made it
    page.set_viewport_size({"width": 360, "height": 740})
    names = [w.collective.name for w in photo_works] + [w.collective.unit.name for w in photo_works]
    for username, values in SCORES.items():
        switch_user(page, username)
        page.goto("/reviews/judging/")
        links = page.get_by_test_id("assignment-link")
        hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
        assert len(hrefs) == Assignment.objects.filter(round=round_, judge__username=username).count()
        for index, href in enumerate(hrefs):
            page.goto(href)
            # the platform's own text: what the collective wrote (description, captions, essay) may name itself
            body = page.evaluate("""() => { const copy = document.body.cloneNode(true);
                copy.querySelectorAll('[data-author-content]').forEach(node => node.remove());
                return copy.innerText; }""")
            assert not [name for name in names if name in body], f"{username} sees a name in a blind round"
            # the first work of each judge gets a little more, so the ranking has a clear winner
            bonus = "10" if index == 0 and username != "judge3" else values[0]
            for label, value in zip(CRITERIA, (bonus, *values[1:]), strict=True):
                page.get_by_label(label).fill(value)
            page.get_by_label("评语").fill("主题鲜明，画面真实。")
            page.get_by_role("button", name="保存评分").click()
            page.wait_for_load_state("networkidle")
            assert "您的得分" in page.get_by_test_id("own-score").inner_text()
    assert not Assignment.objects.filter(round=round_, scored_at__isnull=True).exists()

    # the city reads the ranking, showcases the best work and forwards it
    page.set_viewport_size({"width": 1280, "height": 900})
    switch_user(page, "city")
    page.goto(f"/reviews/rounds/{round_.pk}/results/")
    first_row = page.get_by_test_id("results").locator("tbody tr").first
    assert first_row.get_by_test_id("rank").inner_text() == "1"
    best = Work.objects.get(pk=int(first_row.get_attribute("data-work")))
    first_row.get_by_role("button", name="优秀展示").click()
    page.wait_for_load_state("networkidle")
    page.locator(f"tr[data-work='{best.pk}']").get_by_role("button", name="推报团省委").click()
    page.wait_for_load_state("networkidle")
    best.refresh_from_db()
    assert best.status == "forwarded"
    assert list(WorkDecision.objects.filter(work=best, stage="city").values_list("to_status", flat=True)) == [
        "showcased", "forwarded"]
    unit_admins = set(User.objects.filter(unit__path=reporting_unit_path(best), role="unit_admin")
                      .values_list("username", flat=True))
    notified = set(Notification.objects.filter(message__contains=best.title).values_list("recipient__username",
                                                                                         flat=True))
    leaders = set(User.objects.filter(collective=best.collective).values_list("username", flat=True))
    assert unit_admins and leaders and unit_admins | leaders <= notified
    screenshot("results-decided")

    # the province package: the city's table and the zip of the forwarded work's files
    page.goto(f"/campaigns/{campaign_id}/")
    page.get_by_test_id("province-link").click()
    assert best.title in page.get_by_test_id("forwarded-works").inner_text()
    with page.expect_download() as download:
        page.get_by_role("link", name="下载汇总表 Excel").click()
    download.value.save_as(tmp_path / "province.xlsx")
    sheet = load_workbook(tmp_path / "province.xlsx").active
    assert sheet["B2"].value == "威海市团委"
    assert best.title in [sheet.cell(row=r, column=2).value for r in range(5, 8)]
    with page.expect_download() as download:
        page.get_by_test_id("province-archive").click()
    archive = zipfile.ZipFile(download.value.path())
    assert archive.testzip() is None
    names = archive.namelist()
    assert "作品清单.csv" in names and "推荐成果汇总表.xlsx" in names
    pictures = [name for name in names if name.endswith(".jpg")]
    assert len(pictures) == best.files.filter(role="picture").count() >= 4
    assert all(best.title in name for name in pictures)
    screenshot("province-package")

    # the export of every work with every score, made in the background and downloaded from its page
    page.goto(f"/reviews/rounds/{round_.pk}/")
    page.get_by_role("link", name="全部轮次").click()
    page.get_by_test_id("export-link").click()
    page.get_by_test_id("request-export").click()
    with page.expect_download() as download:
        page.get_by_test_id("export-download").click()
    download.value.save_as(tmp_path / "export.xlsx")
    sheet = load_workbook(tmp_path / "export.xlsx").active
    assert sheet.max_row == 1 + Work.objects.filter(campaign_id=campaign_id).count()
    best_row = next(row for row in sheet.iter_rows(values_only=True) if row[0] == best.pk)
    assert best.title in best_row and "推报团省委" in best_row
    assert problems == []
