"""The reminder and the field inspection of issue 11's “Done when”, on a 360×740 phone, with the demo data (items 2
and 3).

1. ``city`` opens 评价与命名 from the menu, goes to 催办提醒, chooses 助千家: the preview lists exactly the creating
   collectives of the city with no 助千家 entry (环翠区政务服务中心综合窗口 has one and is not among them); it sends
   the reminder (confirming the dialog) and sees it with its recipients, each 尚未记录, and in 谁在何时被提醒.
2. ``hc_bdc``, the leader of one of them, finds the reminder behind the bell; its 查看 opens the collective's own
   ledger of the campaign.
3. ``city`` opens 环翠区政务服务中心综合窗口 from 集体 and records a 实地考察 from the page's panel: 服务承诺 not in
   order, rated 良好, a rectification with its deadline.
4. ``hc_zwfw`` sees it on the workbench's 实地考察整改 card, opens it, uploads a JPEG made here through the page's
   file input, answers with what it changed: the state becomes 已反馈整改, the card is gone.
5. ``city`` follows the bell's message to the inspection and accepts it (整改通过).

The pages never scroll sideways; the database ends with the reminder and its recipients, the inspection accepted and
its one photo."""

import datetime
import re
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.works.media_fixtures import jpeg
from wenminghao.accounts.models import User
from wenminghao.campaigns.models import Campaign
from wenminghao.core.models import AuditEntry, Notification
from wenminghao.evaluation.models import Inspection, InspectionPhoto, Reminder
from wenminghao.evaluation.selectors import reminders as reminder_selectors
from wenminghao.orgs.models import Unit

from .conftest import sign_in, wait_for_function

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "wenming2018"
POST = "环翠区政务服务中心综合窗口"
LEADER = "hc_bdc"  # 不动产登记受理窗口: no 助千家 entry in the demo ledger
INSPECTORS = "解庆林、曲晓东"
FINDINGS = "台账齐全，标识在综合窗口上方醒目位置；但服务承诺只贴在后台，群众在窗口前看不到，监督电话已公示。"
RECTIFICATION = "在综合窗口台面醒目位置公示青年文明号服务承诺，并拍照反馈。"
RESPONSE = "已在每个综合窗口的台面放置服务承诺公示牌，与监督电话并排，照片见上。"
PHOTO = "服务承诺公示牌.jpg"


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path / "media")}}}
    call_command("load_demo_data", verbosity=0)


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def follow(page, locator, url="**") -> None:
    with page.expect_navigation(url=url):
        locator.click()
    assert no_sideways_scroll(page), page.url


def switch_user(page, username) -> None:
    page.context.clear_cookies()
    sign_in(page, username, PASSWORD)
    assert urlsplit(page.url).path == "/" and no_sideways_scroll(page)  # the workbench


def menu(page):
    toggler = page.get_by_role("button", name="展开菜单")
    if toggler.is_visible():  # folded on a phone
        toggler.click()
    return page.locator("#mainnav")


def success(page) -> str:
    return page.locator(".alert-success").first.inner_text()


def choose(fieldset, text):
    """One of the large radio buttons of the inspection form, by its label."""
    return fieldset.locator("label.wmh-choice").filter(has_text=re.compile(f"^{re.escape(text)}$"))


def picture_shown(locator) -> bool:
    locator.scroll_into_view_if_needed()  # lazily loaded
    return wait_for_function(locator.page, "img => img.complete && img.naturalWidth > 0",
                             arg=locator.element_handle())


def day(value: datetime.date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def test_the_city_reminds_and_inspects_and_the_post_answers_on_a_phone(page, screenshot, demo, live_server,
                                                                       tmp_path):
    problems = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    city_unit = Unit.objects.get(name="威海市团委")
    campaign = Campaign.objects.filter(office=city_unit, level="city").order_by("-year", "-id").first()
    lacking = list(reminder_selectors.lacking_collectives(campaign, city_unit, "families"))
    counts = reminder_selectors.missing_counts(campaign, city_unit)
    post = User.objects.get(username="hc_zwfw").collective
    leader = User.objects.get(username=LEADER)
    assert post.name == POST and post not in lacking  # hc_zwfw has its pairing's visits
    assert leader.collective in lacking and 1 < len(lacking) <= 20  # one page of the preview
    today = timezone.localdate()
    deadline = today + datetime.timedelta(days=14)

    # --- 1. city: 评价与命名 → 催办提醒 → 助千家 → 发送提醒 ---------------------------------------------------------
    switch_user(page, "city")
    follow(page, menu(page).get_by_test_id("nav-evaluation"), f"**/evaluation/campaigns/{campaign.pk}/")
    follow(page, page.get_by_role("navigation", name="评价与命名").get_by_role("link", name="催办提醒"),
           f"**/evaluation/campaigns/{campaign.pk}/reminders/")
    assert page.locator("h1").inner_text() == "催办提醒"
    assert page.get_by_label("单位").locator("option:checked").inner_text().strip() == "威海市团委"
    follow(page, page.get_by_test_id("missing-counts").locator('[data-activity="families"]'), "**activity=families")
    card = page.get_by_test_id("missing-counts").locator('[data-activity="families"]')
    assert card.get_attribute("aria-current") == "true"
    assert card.inner_text().split() == ["助千家无记录", str(len(lacking)), "/", f"{counts.creating}个集体"]
    assert counts.missing["families"] == len(lacking)
    compose = page.get_by_test_id("reminder-compose")
    assert compose.locator("h2").inner_text() == "发送提醒：助千家"
    assert compose.get_by_test_id("recipient-count").inner_text() == str(len(lacking))
    preview = page.get_by_test_id("lacking")
    assert preview.locator("h2").inner_text() == f"尚无“助千家”记录的集体（{len(lacking)}）"
    rows = preview.get_by_test_id("lacking-list").locator("li[data-collective]")
    assert rows.locator("a").all_inner_texts() == [collective.name for collective in lacking]
    assert POST not in preview.inner_text()
    assert all(text.endswith("尚未提醒过") for text in rows.locator(".small").all_inner_texts())
    message = page.get_by_label("提醒内容")
    assert message.input_value().startswith(f"威海市团委提醒：在“{campaign.name}”中，贵集体的台账还没有")
    assert "助千家" in message.input_value()
    screenshot("reminder-preview")

    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    follow(page, page.get_by_test_id("send-reminder"), "**/evaluation/reminders/*/")
    assert asked == [f"确定向{len(lacking)}个集体发送“助千家”的提醒吗？"]
    assert success(page) == f"已向威海市团委缺少“助千家”记录的{len(lacking)}个集体发送提醒（平台消息和邮件）。"
    reminder = Reminder.objects.get(pk=int(re.search(r"/reminders/(\d+)/", page.url).group(1)))
    recipients = page.get_by_test_id("recipients")
    assert recipients.locator("h2").inner_text() == f"提醒对象（{len(lacking)}）"
    assert recipients.locator("li a").all_inner_texts() == [collective.name for collective in lacking]
    assert recipients.get_by_test_id("no-entry").count() == len(lacking)
    assert recipients.get_by_test_id("has-entry").count() == 0
    assert "助千家" in page.get_by_test_id("reminder-message").inner_text()
    assert page.get_by_test_id("caught-up").inner_text() == "0"
    screenshot("reminder-recipients")

    follow(page, page.locator(".breadcrumb").get_by_role("link", name="催办提醒"), "**activity=families")
    sent = reminder.sent_at.astimezone(timezone.get_current_timezone()).strftime("%Y-%m-%d %H:%M")
    history = page.get_by_test_id("history-list").locator(f'[data-reminder="{reminder.pk}"]')
    assert history.locator("..").locator("li").first.get_attribute("data-reminder") == str(reminder.pk)  # newest
    assert f"助千家 提醒{len(lacking)}个集体，已补录0个" in history.inner_text()
    assert history.inner_text().startswith(f"{sent} · {city_unit.display_name} · ")
    assert all(text.endswith(f"上次提醒 {sent}") for text in rows.locator(".small").all_inner_texts())
    page.get_by_test_id("reminder-history").scroll_into_view_if_needed()
    screenshot("reminder-history")
    follow(page, history.get_by_role("link", name="名单"), f"**/evaluation/reminders/{reminder.pk}/")

    # --- 2. a reminded leader: the bell, the message, its ledger ------------------------------------------------
    switch_user(page, LEADER)
    unread = Notification.objects.filter(recipient=leader, read_at__isnull=True).count()
    assert page.get_by_test_id("unread-count").inner_text() == str(unread) and unread >= 1
    follow(page, page.get_by_test_id("notification-bell"), "**/notifications/**")
    item = page.get_by_test_id("notifications").locator(".list-group-item").filter(has_text="【催办提醒·助千家】")
    assert item.count() == 1
    assert "威海市团委提醒" in item.inner_text() and "未读" in item.inner_text()
    screenshot("leader-notification")
    follow(page, item.get_by_role("link", name="查看"), f"**/ledger/collectives/{leader.collective_id}/**")
    assert page.locator("h1").inner_text() == "台账"
    assert leader.collective.name in page.locator("main").inner_text()
    assert f"campaign={campaign.pk}" in page.url

    # --- 3. city records a field inspection of hc_zwfw's post ---------------------------------------------------
    switch_user(page, "city")
    follow(page, menu(page).get_by_role("link", name="集体", exact=True), "**/collectives/")
    page.get_by_label("搜索").fill(POST)
    follow(page, page.get_by_role("button", name="查询"), "**/collectives/?**")
    follow(page, page.get_by_test_id("collective-table").get_by_role("link", name=POST, exact=True),
           f"**/collectives/{post.pk}/")
    panel = page.locator('[data-panel="inspections"]')
    assert "尚无实地考察记录。" in panel.inner_text()
    follow(page, panel.get_by_test_id("add-inspection"), f"**/evaluation/collectives/{post.pk}/inspections/new/**")
    assert page.locator("h1").inner_text() == "记录实地考察"
    assert page.get_by_label("考察日期").input_value() == today.isoformat()
    page.get_by_label("创建活动").select_option(str(campaign.pk))
    page.get_by_label("考察人员").fill(INSPECTORS)
    checks = page.get_by_test_id("checks")
    for item_name, result in (("ledger", "符合"), ("sign", "符合"), ("commitment", "不符合"),
                              ("supervision_phone", "符合")):
        choose(checks.locator(f'[data-item="check_{item_name}"]'), result).click()
    page.get_by_label("考察发现").fill(FINDINGS)
    choose(page.locator("fieldset").filter(has_text="考察结果"), "良好").click()
    page.get_by_label("整改要求").fill(RECTIFICATION)
    page.get_by_label("整改期限").fill(deadline.isoformat())
    assert no_sideways_scroll(page)
    screenshot("inspection-form")
    follow(page, page.get_by_test_id("save-inspection"), "**/evaluation/inspections/*/")
    inspection = Inspection.objects.get(pk=int(re.search(r"/inspections/(\d+)/", page.url).group(1)))
    assert success(page) == f"已登记对“{POST}”的实地考察，已通知该集体按期整改。"
    assert page.locator("h1").inner_text() == f"{POST} · 实地考察"
    assert page.get_by_test_id("rating").inner_text() == "良好"
    assert page.get_by_test_id("rectification-state").inner_text() == "待整改"
    shown = {li.get_attribute("data-item"): li.inner_text() for li in page.get_by_test_id("checks").locator("li").all()}
    assert shown["commitment"].endswith("不符合要求") and shown["ledger"].endswith("符合要求")
    assert INSPECTORS in page.get_by_test_id("inspection-fields").inner_text()
    assert page.get_by_test_id("rectify-by").inner_text() == day(deadline)
    assert RECTIFICATION in page.get_by_test_id("rectification").inner_text()
    assert page.get_by_test_id("photo-form").count() == 0 and page.get_by_test_id("respond-form").count() == 0
    screenshot("inspection-recorded")

    # --- 4. hc_zwfw: the workbench card, the photo, the answer --------------------------------------------------
    switch_user(page, "hc_zwfw")
    card = page.get_by_test_id("rectifications-card")
    assert card.get_by_test_id("rectifications-count").inner_text() == "1"
    assert f"整改期限 {deadline.isoformat()}" in card.inner_text() and "逾期" not in card.inner_text()
    screenshot("workbench-card")
    follow(page, card.get_by_role("link", name=f"{city_unit.display_name}{today.month}月{today.day}日的实地考察"),
           f"**/evaluation/inspections/{inspection.pk}/#rectification")
    assert page.get_by_test_id("rectification-state").inner_text() == "待整改"
    assert page.get_by_test_id("no-photos").inner_text() == "尚未上传整改照片。"
    picture = tmp_path / PHOTO
    picture.write_bytes(jpeg(1200, 900, seed=11))
    page.set_input_files("#inspection-photo", str(picture))
    follow(page, page.get_by_test_id("photo-form").locator("button[type=submit]"),
           f"**/evaluation/inspections/{inspection.pk}/#rectification")
    assert success(page) == f"已上传整改照片“{PHOTO}”。"
    photos = page.get_by_test_id("photos").locator("[data-photo]")
    assert photos.count() == 1 and photos.inner_text().strip().startswith(PHOTO)
    assert picture_shown(photos.locator("img"))
    page.get_by_label("整改情况").fill(RESPONSE)
    asked.clear()
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    follow(page, page.get_by_test_id("respond"), f"**/evaluation/inspections/{inspection.pk}/")
    assert asked == ["确定提交整改情况吗？提交后由考察单位验收，不能再修改或上传照片。"]
    assert success(page) == "已提交整改情况，考察单位会收到通知并进行验收。"
    assert page.get_by_test_id("rectification-state").inner_text() == "已反馈整改"
    assert RESPONSE in page.get_by_test_id("response").inner_text()
    assert page.get_by_test_id("photo-form").count() == 0 and page.get_by_test_id("respond-form").count() == 0
    assert page.get_by_test_id("remove-photo").count() == 0
    answered = page.get_by_test_id("history").locator('[data-action="inspection.respond"]')
    assert RESPONSE in answered.inner_text() and "（照片1张）" in answered.inner_text()
    screenshot("rectification-answered")
    follow(page, menu(page).get_by_role("link", name="工作台", exact=True), "**/")
    assert page.get_by_test_id("rectifications-card").count() == 0  # nothing left to answer

    # --- 5. city: the bell → the inspection → 验收通过 ------------------------------------------------------------
    switch_user(page, "city")
    follow(page, page.get_by_test_id("notification-bell"), "**/notifications/**")
    item = page.get_by_test_id("notifications").locator(".list-group-item").filter(
        has_text=f"{POST}反馈了{day(today)}实地考察的整改情况，请验收")
    assert item.count() == 1
    follow(page, item.get_by_role("link", name="查看"), f"**/evaluation/inspections/{inspection.pk}/**")
    assert page.get_by_test_id("rectification-state").inner_text() == "已反馈整改"
    decide = page.get_by_test_id("decide")
    assert "集体已反馈整改情况，请验收" in decide.inner_text()
    assert picture_shown(page.get_by_test_id("photos").locator("img"))  # the inspectors see the photo
    asked.clear()
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    follow(page, decide.get_by_test_id("accept"), f"**/evaluation/inspections/{inspection.pk}/")
    assert asked == ["确定验收通过这次整改吗？"]
    assert success(page) == "已验收通过整改，集体会收到通知。"
    assert page.get_by_test_id("rectification-state").inner_text() == "整改通过"
    assert page.get_by_test_id("decide").count() == 0
    assert [li.get_attribute("data-action") for li in page.get_by_test_id("history").locator("li").all()] == [
        "inspection.create", "inspection.respond", "inspection.accept"]
    screenshot("rectification-accepted")
    follow(page, page.locator(".breadcrumb").get_by_role("link", name="实地考察"), "**/evaluation/inspections/**")
    listed = page.get_by_test_id("inspection-list").locator(f'[data-inspection="{inspection.pk}"]')
    assert "整改通过" in listed.inner_text() and "整改照片1张" in listed.inner_text()
    assert problems == []

    # --- the database --------------------------------------------------------------------------------------------
    reminder.refresh_from_db()
    assert (reminder.campaign, reminder.unit, reminder.activity, reminder.sent_by.username) == (
        campaign, city_unit, "families", "city")
    assert reminder.recipient_count == len(lacking)
    assert Reminder.objects.filter(campaign=campaign, activity="families").get() == reminder  # sent once
    assert set(reminder.recipients.values_list("collective_id", flat=True)) == {c.pk for c in lacking}
    assert Notification.objects.filter(recipient=leader, message__startswith="【催办提醒·助千家】",
                                       link=f"/ledger/?campaign={campaign.pk}").count() == 1
    assert AuditEntry.objects.filter(action="reminder.send", actor__username="city").count() == 1

    inspection.refresh_from_db()
    assert (inspection.campaign, inspection.unit, inspection.created_by.username) == (campaign, city_unit, "city")
    assert (inspection.date, inspection.rating, inspection.rectify_by) == (today, "good", deadline)
    assert (inspection.rectification, inspection.response) == (RECTIFICATION, RESPONSE)
    assert inspection.rectification_state == "accepted" and inspection.responded_by.username == "hc_zwfw"
    assert dict(inspection.checks.values_list("item", "in_order")) == {
        "ledger": True, "sign": True, "commitment": False, "supervision_phone": True}
    photo = InspectionPhoto.objects.get(inspection=inspection)
    assert (photo.original_name, photo.content_type, photo.width, photo.height) == (PHOTO, "image/jpeg", 1200, 900)
    assert photo.uploaded_by.username == "hc_zwfw" and photo.size == picture.stat().st_size
    assert urlsplit(page.url).path == "/evaluation/inspections/"
