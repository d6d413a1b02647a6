"""The “Done when” walk-through of issue 10 on the demo data, in Chromium, through the pages as a new user does it.

1. ``hc_zwfw`` on a 360×740 phone opens 台账 from the menu and records one entry of each activity: a 对标创优 result
   that meets one of its targets, a 开放周 with the items shown and the visitors, a 青年大学习 session led by a member
   with exactly five attendees ticked; registers a pairing with the guardian's consent (a made-up registry number),
   records two visits naming it and a 回头看 on its page, and uploads a JPEG made here with Pillow. The ledger shows
   the entries (“5人参学”), the pairing list the masked number only, the pairing's page the full one, and the
   workbench card follows (coverage, the pairing due for a 回头看, open comments).
2. ``huancui`` (desktop) filters 查阅台账 to the collective and the activity, opens the new 开放周 entry and comments
   on it, downloads the collective's .docx (the new titles and the masked number, never the full one); ``hc_zwfw``
   sees the notification and the comment and marks it handled.
3. ``wendeng`` and ``judge1`` get 404 for every address of that ledger, the entry, its file, the pairings, the
   export and the API.

Throughout, no page but the pairing's own holds a full registry number, and each view of that page is in the audit
log (``pairing.view``)."""

import datetime
import json
import re
import zipfile
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.utils import timezone
from docx import Document
from PIL import Image, ImageDraw

from wenminghao.accounts.models import User
from wenminghao.core.models import AuditEntry, Notification
from wenminghao.ledger import selectors
from wenminghao.ledger.models import EntryComment, LedgerEntry, Pairing

from .conftest import sign_in, wait_for_function

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "wenming2018"
FULL_REF = "3710020099001234"  # made up, as a user would type it
MASKED_REF = "************1234"
DEMO_REF = "3710020018600031"  # hc_zwfw's demo pairing (docs/demo-accounts.md, 演示台账)
PAIRING_PAGE = re.compile(r"^/ledger/pairings/\d+/$")

BENCHMARK_TITLE = "综合窗口企业开办“一日办结”落地"
OPEN_WEEK_TITLE = "开放周·走进综合窗口"
STUDY_TITLE = "微团课：政务服务“好差评”制度解读"
VISIT_TITLES = ("入户走访：了解孩子的学习需要", "周末陪伴孩子到社区图书室阅读")
NEW_TITLES = (BENCHMARK_TITLE, OPEN_WEEK_TITLE, STUDY_TITLE, *VISIT_TITLES)
COMMENT = "开放周记录很完整。请在内容中补充现场收集到的意见建议及其办理情况。"


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path / "media")}}}
    call_command("load_demo_data", verbosity=0)
    return User.objects.get(username="hc_zwfw").collective


class Walk:
    """The pages as one person moves through them. Every page arrived at is read: a full registry number may only
    be on a pairing's own page (``leaks`` lists any other), and the showings of that page are counted."""

    def __init__(self, page):
        self.page = page
        self.pages, self.pairing_views, self.leaks = 0, 0, []

    def look(self) -> None:
        path, html = urlsplit(self.page.url).path, self.page.content()
        self.pages += 1
        if PAIRING_PAGE.match(path) and 'data-testid="family-ref"' in html:
            self.pairing_views += 1
        elif FULL_REF in html or DEMO_REF in html:
            self.leaks.append(path)

    def follow(self, locator, url="**") -> None:
        """Click ``locator``, wait for the page it leads to and read it."""
        with self.page.expect_navigation(url=url):
            locator.click()
        self.look()

    def goto(self, address):
        """Only where a step is “try this address”."""
        response = self.page.goto(address)
        self.look()
        return response

    def switch_user(self, username) -> None:
        self.page.context.clear_cookies()
        sign_in(self.page, username, PASSWORD)
        self.look()

    def menu(self):
        toggler = self.page.get_by_role("button", name="展开菜单")
        if toggler.is_visible():  # on a phone the menu is folded
            toggler.click()
        return self.page.locator("#mainnav")

    def menu_item(self, test_id) -> None:
        self.follow(self.menu().get_by_test_id(test_id))

    def workbench(self) -> None:
        self.follow(self.menu().get_by_role("link", name="工作台", exact=True), "**/")


def picture_shown(locator) -> bool:
    locator.scroll_into_view_if_needed()  # the thumbnails load lazily
    return wait_for_function(locator.page, "img => img.complete && img.naturalWidth > 0",
                             arg=locator.element_handle())


def choice(page, text):
    """One of the large check boxes or radios of an entry's form, by its label."""
    return page.locator("label.wmh-choice").filter(has_text=re.compile(f"^{re.escape(text)}$"))


def entry_id(page) -> int:
    return int(re.search(r"/ledger/entries/(\d+)/", page.url).group(1))


def jpeg(path):
    picture = Image.new("RGB", (800, 600), (205, 40, 40))
    ImageDraw.Draw(picture).rectangle((120, 90, 680, 510), fill=(250, 235, 200))
    picture.save(path, "JPEG", quality=85)
    return path


def docx_text(path) -> str:
    document = Document(path)
    parts = [paragraph.text for paragraph in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_the_ledger_walkthrough_on_the_demo_data(page, screenshot, demo, live_server, tmp_path):
    collective = demo
    campaign = selectors.campaign_of_ledger(collective)
    members = list(collective.members.order_by("-is_leader", "id"))  # the order of the study form
    attended = set(LedgerEntry.objects.filter(collective=collective, campaign=campaign, activity="study")
                   .values_list("attendees", flat=True))
    never_attended = [index for index, member in enumerate(members) if member.pk not in attended]
    assert len(members) == 14 and len(never_attended) == 2  # 12/14 (86%) in the demo
    ticked = [*never_attended, 1, 4, 7]  # five members, two of whom never attended before
    leader_of_session = members[never_attended[0]]
    assert not leader_of_session.is_leader
    target = LedgerEntry.objects.get(collective=collective, title="企业开办“一日办结”")
    counts_before = selectors.activity_counts(collective, campaign)
    started = timezone.localdate() - datetime.timedelta(days=200)  # registered late: due for a 回头看 at once
    walk = Walk(page)
    problems = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)

    # --- 1. hc_zwfw on a phone ------------------------------------------------------------------------------------
    walk.switch_user("hc_zwfw")
    card = page.get_by_test_id("ledger-card")
    assert "86%" in card.get_by_test_id("ledger-coverage").inner_text()
    assert "还有2名成员从未参学" in card.inner_text()
    assert "1条评阅意见待处理" in card.get_by_test_id("ledger-open-comments").inner_text()
    assert card.get_by_test_id("ledger-follow-up").count() == 0
    walk.menu_item("nav-ledger")
    assert urlsplit(page.url).path == f"/ledger/collectives/{collective.pk}/"

    # 对标创优: a result meeting the target 企业开办“一日办结”
    walk.follow(page.get_by_test_id("add-entry").locator('[data-activity="benchmark"]'), "**/new/benchmark/**")
    page.get_by_label("标题").fill(BENCHMARK_TITLE)
    assert not page.get_by_test_id("meets-target").is_visible()
    choice(page, "创优成果").click()
    page.get_by_label("对标对象").fill("杭州市民中心“最多跑一次”综合窗口（全国青年文明号）")
    page.get_by_label("创优方向").select_option("service_method")
    page.get_by_label("效益类型").select_option("social")
    page.get_by_label("效益数值").fill("25")
    page.get_by_label("效益单位").fill("分钟")
    page.get_by_label("对应的创优目标").select_option(str(target.pk))
    page.get_by_label("内容").fill("企业开办4个环节一窗受理、并联审批，群众平均办事时间再缩短25分钟。")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    walk.follow(page.get_by_test_id("save-entry"), "**/ledger/entries/*/")
    benchmark_id = entry_id(page)
    fields = page.get_by_test_id("entry-fields").inner_text()
    assert "创优成果" in fields and "社会效益 25分钟" in fields and "企业开办“一日办结”" in fields
    walk.follow(page.get_by_test_id("ledger-link"), "**/ledger/collectives/*/**")

    # 开放周: what was shown and how many came
    walk.follow(page.get_by_test_id("add-entry").locator('[data-activity="open_week"]'), "**/new/open_week/**")
    page.get_by_label("标题").fill(OPEN_WEEK_TITLE)
    for item in ("示范承诺", "监督电话", "成员身份", "便民措施"):
        choice(page, item).click()
    page.get_by_label("参观人数").fill("58")
    page.get_by_label("内容").fill("邀请社区居民和企业代表走进综合窗口，体验一窗受理，现场公开示范承诺和监督电话。")
    walk.follow(page.get_by_test_id("save-entry"), "**/ledger/entries/*/")
    open_week_id = entry_id(page)
    fields = page.get_by_test_id("entry-fields").inner_text()
    assert "示范承诺、监督电话、成员身份、便民措施" in fields and "58人" in fields

    # a picture on it, made here
    page.set_input_files("#ledger-file", str(jpeg(tmp_path / "开放周合影.jpg")))
    walk.follow(page.get_by_test_id("upload-form").locator("button[type=submit]"), "**/ledger/entries/*/")
    assert page.get_by_test_id("file-name").inner_text() == "开放周合影.jpg"
    assert picture_shown(page.get_by_test_id("thumbnail"))
    attachment = LedgerEntry.objects.get(pk=open_week_id).attachments.get()
    assert attachment.kind == "picture" and attachment.thumbnail
    walk.follow(page.get_by_test_id("ledger-link"), "**/ledger/collectives/*/**")

    # 青年大学习: led by a member, five attendees ticked
    walk.follow(page.get_by_test_id("add-entry").locator('[data-activity="study"]'), "**/new/study/**")
    page.get_by_label("标题").fill(STUDY_TITLE)
    page.get_by_label("学习形式").select_option("micro_lecture")
    page.get_by_label("学习主题").fill("学习《政务服务评价工作指南》")
    page.get_by_label("领学人").select_option(str(leader_of_session.pk))
    for index in ticked:
        page.get_by_test_id("attendees").locator(f'label[for="id_attendees_{index}"]').click()
    assert page.get_by_test_id("attendee-selected").inner_text() == "5"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot("study-form")
    walk.follow(page.get_by_test_id("save-entry"), "**/ledger/entries/*/")
    study_id = entry_id(page)
    assert page.get_by_test_id("attendees").inner_text().startswith("5人参学")
    study = LedgerEntry.objects.get(pk=study_id)
    assert study.led_by == leader_of_session and {m.pk for m in study.attendees.all()} == {
        members[index].pk for index in ticked}

    # a new pairing, with the guardian's consent
    walk.follow(page.get_by_test_id("ledger-link"), "**/ledger/collectives/*/**")
    walk.follow(page.get_by_test_id("pairings-link"), "**/pairings/")
    assert page.get_by_test_id("pairing-list").get_by_role("link").all_inner_texts() == ["************0031"]
    walk.follow(page.get_by_test_id("new-pairing"), "**/pairings/new/")
    page.get_by_label("建档立卡编号").fill(FULL_REF)
    page.get_by_label("所在乡镇（街道）").fill("竹岛街道")
    page.get_by_label("帮扶青少年人数").fill("1")
    page.get_by_label("结对日期").fill(started.isoformat())
    page.get_by_label("助学扶智").check()
    page.get_by_label("亲情陪伴").check()
    page.get_by_label("已取得监护人书面同意并存档").check()
    page.get_by_label("监护人同意日期").fill(started.isoformat())
    walk.follow(page.get_by_test_id("pairing-form").get_by_role("button", name="登记结对家庭"), "**/ledger/pairings/*/")
    pairing = Pairing.objects.get(collective=collective, area="竹岛街道")
    assert pairing.family_ref == FULL_REF and pairing.consent_date == started
    assert page.get_by_test_id("family-ref").inner_text() == FULL_REF
    assert MASKED_REF in page.locator(".alert-success").inner_text()
    assert page.get_by_test_id("follow-up-due").is_visible()

    # the workbench now asks for its 回头看; the link leads back to the pairing
    walk.workbench()
    due = page.get_by_test_id("ledger-follow-up")
    assert "100%" in page.get_by_test_id("ledger-coverage").inner_text()
    assert "全体成员都已参学" in page.get_by_test_id("ledger-card").inner_text()
    walk.follow(due.get_by_role("link", name=MASKED_REF), f"**/ledger/pairings/{pairing.pk}/")

    # two visits, each from the pairing's page (which chooses the pairing), then the 回头看
    for title, help_kind in zip(VISIT_TITLES, ("助学扶智", "亲情陪伴"), strict=True):
        walk.follow(page.get_by_test_id("add-visit"), "**/new/families/**")
        assert page.get_by_label("走访的结对家庭").input_value() == str(pairing.pk)
        assert MASKED_REF in page.get_by_label("走访的结对家庭").inner_text()
        page.get_by_label("标题").fill(title)
        choice(page, help_kind).click()
        walk.follow(page.get_by_test_id("save-entry"), "**/ledger/entries/*/")
        assert page.get_by_test_id("pairing-link").inner_text() == MASKED_REF
        walk.follow(page.get_by_test_id("pairing-link"), f"**/ledger/pairings/{pairing.pk}/")
    assert sorted(page.get_by_test_id("visits").get_by_role("link").all_inner_texts()) == sorted(VISIT_TITLES)
    page.locator("#review summary").click()
    review_form = page.get_by_test_id("review-form")
    review_form.get_by_label("帮扶成效").select_option("improving")
    review_form.get_by_label("收入变化").select_option("rising")
    review_form.get_by_label("情况说明").fill("孩子的功课有进步，家长已在社区公益岗位就业。继续助学扶智和亲情陪伴。")
    walk.follow(review_form.get_by_role("button", name="登记回头看"), f"**/ledger/pairings/{pairing.pk}/")
    reviews = page.get_by_test_id("reviews").inner_text()
    assert "好转" in reviews and "收入增加" in reviews and timezone.localdate().isoformat() in reviews
    assert page.get_by_test_id("follow-up-due").count() == 0
    assert page.get_by_test_id("family-ref").inner_text() == FULL_REF
    assert page.content().count(FULL_REF) == 1  # in its place, and nowhere else on the page
    screenshot("pairing")

    # the ledger: the five new entries first, the tabs counted, the study session with 5人参学
    walk.follow(page.locator(".breadcrumb").get_by_role("link", name="台账", exact=True), "**/ledger/collectives/*/**")
    rows = page.get_by_test_id("entry-list").locator("[data-entry]")
    shown = {int(rows.nth(i).get_attribute("data-entry")): rows.nth(i).inner_text() for i in range(rows.count())}
    new = {entry.pk: entry for entry in LedgerEntry.objects.filter(collective=collective, title__in=NEW_TITLES)}
    assert len(new) == 5 and set(new) <= set(shown)
    assert set(list(shown)[:5]) == set(new)  # dated today, before the demo's (20 days ago and earlier)
    assert "5人参学" in shown[study_id] and f"领学人：{leader_of_session.name}" in shown[study_id]
    assert "1个附件" in shown[open_week_id] and "参观58人" in shown[open_week_id]
    assert "对标：杭州市民中心" in shown[benchmark_id] and "社会效益25分钟" in shown[benchmark_id]
    for pk, entry in new.items():
        if entry.activity == "families":
            assert MASKED_REF in shown[pk]
    grown = {"benchmark": 1, "study": 1, "families": 2, "open_week": 1}
    for activity, more in grown.items():
        count = page.get_by_test_id("activity-tabs").locator(f'[data-count="{activity}"]').inner_text()
        assert int(count) == counts_before[activity] + more, activity
    assert "（14/14人至少参学一次）" in page.get_by_test_id("study-coverage").inner_text()
    assert page.get_by_test_id("study-sessions").inner_text() == "7"
    assert page.get_by_test_id("study-leaders").inner_text() == "7"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot("ledger")

    # the pairing list: masked numbers only
    walk.follow(page.get_by_test_id("pairings-link"), "**/pairings/")
    row = page.locator(f'[data-pairing="{pairing.pk}"]')
    assert row.get_by_role("link").inner_text() == MASKED_REF
    assert "走访：2次" in row.inner_text() and f"回头看：{timezone.localdate().isoformat()}" in row.inner_text()
    assert FULL_REF not in page.content() and DEMO_REF not in page.content()
    screenshot("pairings")

    # the workbench card: full coverage, nothing due, the one open comment of the demo
    walk.workbench()
    card = page.get_by_test_id("ledger-card")
    assert "100%" in card.get_by_test_id("ledger-coverage").inner_text()
    assert card.get_by_test_id("ledger-follow-up").count() == 0
    assert "1条评阅意见待处理" in card.get_by_test_id("ledger-open-comments").inner_text()

    # the session's own API answers for the collective (so the 404s below are about who asks)
    api_ledger = f"{live_server.url}/api/v1/collectives/{collective.pk}/ledger"
    api_pairing = f"{live_server.url}/api/v1/pairings/{pairing.pk}"
    listed = page.request.get(api_ledger, params={"campaign": campaign.pk, "page_size": 50})
    assert listed.status == 200 and {item["title"] for item in listed.json()["items"]} >= set(NEW_TITLES)
    assert FULL_REF not in listed.text()
    assert page.request.get(api_pairing).status == 200  # the full number, audited (via api)

    # --- 2. huancui reads the ledger and comments; hc_zwfw handles the comment --------------------------------------
    page.set_viewport_size({"width": 1280, "height": 900})
    walk.switch_user("huancui")
    walk.menu_item("nav-ledger")
    assert urlsplit(page.url).path == "/ledger/"
    page.get_by_label("集体或标题").fill(collective.name)
    walk.follow(page.get_by_role("button", name="查询"), "**/ledger/?**")
    names = page.get_by_test_id("collective-ledger-link").all_inner_texts()
    assert set(names) == {collective.name}
    assert len(names) == LedgerEntry.objects.filter(collective=collective, campaign=campaign).count() == 17 + 5
    page.get_by_text("更多筛选：单位、活动、日期").click()
    page.get_by_label("活动", exact=True).select_option("open_week")
    walk.follow(page.get_by_role("button", name="查询"), "**/ledger/?**")
    listed = page.get_by_test_id("review-list").locator("[data-entry]")
    assert listed.count() == 3  # the demo's two and the new one
    screenshot("review")
    walk.follow(page.get_by_test_id("review-list").get_by_role("link", name=OPEN_WEEK_TITLE),
           f"**/ledger/entries/{open_week_id}/")
    assert picture_shown(page.get_by_test_id("thumbnail"))
    page.get_by_label("写评阅意见").fill(COMMENT)
    walk.follow(page.get_by_test_id("comment-form").get_by_role("button", name="发送意见"),
           f"**/ledger/entries/{open_week_id}/**")
    comment = EntryComment.objects.get(entry_id=open_week_id)
    item = page.locator(f'[data-comment="{comment.pk}"]')
    assert COMMENT in item.inner_text() and item.get_by_test_id("open").is_visible()

    walk.follow(page.get_by_test_id("ledger-link"), f"**/ledger/collectives/{collective.pk}/**")
    with page.expect_download() as download:
        page.get_by_test_id("export-docx").click()
    assert download.value.suggested_filename.endswith(".docx")
    saved = tmp_path / "ledger.docx"
    download.value.save_as(saved)
    text = docx_text(saved)
    missing = [title for title in NEW_TITLES if title not in text]
    assert not missing, missing
    assert MASKED_REF in text and "************0031" in text
    with zipfile.ZipFile(saved) as archive:  # every part of the file: body, tables, headers, properties
        raw = b"".join(archive.read(name) for name in archive.namelist())
    assert FULL_REF.encode() not in raw and DEMO_REF.encode() not in raw

    page.set_viewport_size({"width": 360, "height": 740})
    walk.switch_user("hc_zwfw")
    card = page.get_by_test_id("ledger-card")
    assert "2条评阅意见待处理" in card.get_by_test_id("ledger-open-comments").inner_text()
    unread = int(page.get_by_test_id("unread-count").inner_text())
    assert unread == Notification.objects.filter(recipient__username="hc_zwfw", read_at__isnull=True).count() >= 1
    walk.follow(page.get_by_test_id("notification-bell"), "**/notifications/**")
    newest = page.get_by_test_id("notifications").locator(".list-group-item").first
    assert f"环翠区团委评阅了台账记录《{OPEN_WEEK_TITLE}》（开放周）" in newest.inner_text()
    walk.follow(newest.get_by_role("link", name="查看"), f"**/ledger/entries/{open_week_id}/**")
    item = page.locator(f'[data-comment="{comment.pk}"]')
    assert COMMENT in item.inner_text() and "环翠区团委" in item.inner_text()
    walk.follow(item.get_by_test_id("resolve-comment"), f"**/ledger/entries/{open_week_id}/**")
    assert "已处理" in page.locator(f'[data-comment="{comment.pk}"]').get_by_test_id("resolved").inner_text()
    comment.refresh_from_db()
    assert comment.resolved_by.username == "hc_zwfw"
    walk.workbench()
    assert "1条评阅意见待处理" in page.get_by_test_id("ledger-open-comments").inner_text()

    assert problems == []  # no script error on any page so far (404s below are logged by the browser)

    # --- 3. another unit and a judge: nothing of it exists for them -------------------------------------------------
    views = AuditEntry.objects.filter(action="pairing.view", object_id=str(pairing.pk))
    audited = views.count()
    forbidden = [
        f"/ledger/collectives/{collective.pk}/",
        f"/ledger/entries/{open_week_id}/",
        f"/ledger/entries/{open_week_id}/files/{attachment.pk}/",
        f"/ledger/entries/{open_week_id}/files/{attachment.pk}/?thumb=1",
        f"/ledger/collectives/{collective.pk}/pairings/",
        f"/ledger/pairings/{pairing.pk}/",
        f"/ledger/collectives/{collective.pk}/export.docx?campaign={campaign.pk}",
    ]
    answers = {}
    for username in ("wendeng", "judge1"):
        walk.switch_user(username)
        for address in forbidden:
            answers[username, address] = walk.goto(address).status
        for address in (api_ledger, f"{api_ledger}?campaign={campaign.pk}", api_pairing):
            answers[username, address] = page.request.get(address).status
    assert set(answers.values()) == {404}, {key: value for key, value in answers.items() if value != 404}
    assert views.count() == audited  # a refused look is no view

    # the audit log: each showing of the pairing's page, by whom, and never the number in full
    assert views.filter(after__via="page").count() == walk.pairing_views >= 5
    assert views.filter(after__via="api").count() == 1
    assert set(views.values_list("actor__username", flat=True)) == {"hc_zwfw"}
    for row in AuditEntry.objects.all():
        logged = row.object_repr + json.dumps([row.before, row.after], ensure_ascii=False)
        assert FULL_REF not in logged and DEMO_REF not in logged, (row.action, row.object_repr)
    assert not Notification.objects.filter(message__contains=FULL_REF).exists()
    assert walk.leaks == [], walk.leaks
    assert walk.pages >= 50
