"""The notices' pages: who sees which notice (404 for the rest, judges see none), publishing through the form with
files (422 on bad input and nothing written), confirming reading, replying with a file, forwarding with guidance (the
original unchanged, beneath the forward), the receipts and the reminder, the files' downloads, the workbench's unread
notices first and the navigation; and the list and receipts pages in a fixed number of queries."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.pages import BACKEND, page, text_of
from tests.works.media_fixtures import docx, files_under, jpeg, not_media, upload
from wenminghao.core.models import AuditEntry
from wenminghao.notices.models import Notice, NoticeAttachment, NoticeReceipt
from wenminghao.notices.services import confirm_read, publish_notice, reply_to_notice

pytestmark = pytest.mark.django_db


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]] if response.context else []


def detail(notice) -> str:
    return reverse("notices:detail", args=[notice.pk])


# --- who sees which notice --------------------------------------------------------------------------------------


def test_a_city_notice_reaches_every_collective_and_the_units_below(as_, publish):
    notice = publish("city_admin", title="关于开展2018年度青年文明号创建工作的通知")
    for role in ("city_admin", "unit_admin_a", "unit_admin_b", "leader_a", "delegate_a", "leader_b", "leader_p"):
        response = as_(role).get(detail(notice))
        assert response.status_code == 200, role
        assert "关于开展2018年度青年文明号创建工作的通知" in page(response)
    assert as_("judge").get(detail(notice)).status_code == 404
    assert as_("judge").get(reverse("notices:list")).status_code == 404
    assert as_(None).get(detail(notice)).status_code == 302


def test_a_units_notice_is_invisible_outside_its_subtree(as_, publish, world):
    notice = publish("unit_admin_a", title="环翠区创建工作安排")
    for role in ("city_admin", "unit_admin_a", "leader_a", "delegate_a", "leader_sub", "unit_admin_sub"):
        assert as_(role).get(detail(notice)).status_code == 200, role
    for role in ("unit_admin_b", "leader_b", "leader_p", "judge"):
        assert as_(role).get(detail(notice)).status_code == 404, role
    for role in ("unit_admin_b", "leader_b"):
        assert "环翠区创建工作安排" not in page(as_(role).get(reverse("notices:list")))


def test_a_selection_by_sector_reaches_only_those_collectives(as_, publish):
    notice = publish("city_admin", sectors=["production"], title="生产经营类集体专项通知")
    assert as_("leader_p").get(detail(notice)).status_code == 200
    assert as_("leader_a").get(detail(notice)).status_code == 404
    assert as_("unit_admin_b").get(detail(notice)).status_code == 200  # reached its subtree
    assert as_("unit_admin_a").get(detail(notice)).status_code == 404  # reached nothing under 环翠区


def test_the_list_puts_a_collectives_unread_notices_first(as_, publish, world):
    first = publish("city_admin", title="第一份通知")
    second = publish("city_admin", title="第二份通知")
    Notice.objects.filter(pk=first.pk).update(published_at=timezone.now() - datetime.timedelta(days=2))
    confirm_read(actor=world["accounts"]["leader_a"], notice=second)
    html = page(as_("leader_a").get(reverse("notices:list")))
    assert html.index("第一份通知") < html.index("第二份通知")
    unread_row = html[html.index(f'data-notice="{first.pk}"'):html.index(f'data-notice="{second.pk}"')]
    assert "未读" in unread_row
    assert "发布通知" not in html  # no publish button for a collective
    admin = page(as_("unit_admin_a").get(reverse("notices:list")))
    assert "发布通知" in admin and "第一份通知" in admin and "未读" not in text_of(admin)
    found = page(as_("leader_a").get(reverse("notices:list"), {"q": "第二"}))
    assert "第二份通知" in found and "第一份通知" not in found


# --- publishing through the form ---------------------------------------------------------------------------------


def test_an_admin_publishes_a_notice_with_a_file(as_, world, media_storage):
    client = as_("city_admin")
    form = client.get(reverse("notices:create"))
    assert form.status_code == 200 and "发布通知" in page(form)
    response = client.post(reverse("notices:create"), {
        "title": "关于报送服务行业创建材料的通知", "body": "请各集体按附件要求报送。\n联系人：张老师",
        "sectors": ["service"], "deadline": (timezone.localdate() + datetime.timedelta(days=10)).isoformat(),
        "asks_reply": "on",
        "files": [upload("创建材料要求.docx", docx("报送要求")), upload("示例.jpg", jpeg(400, 300))],
    }, follow=True)
    notice = Notice.objects.get(title="关于报送服务行业创建材料的通知")
    assert response.redirect_chain[-1][0] == detail(notice)
    assert notice.recipients == 3 and notice.asks_reply and notice.sectors == ["service"]
    assert any("送达3个集体" in message for message in messages_of(response))
    html = page(response)
    assert "联系人：张老师" in html and "<br>" in html[html.index("请各集体按附件要求报送"):]
    assert "创建材料要求.docx" in html and "示例.jpg" in html
    assert "服务行业和窗口单位" in text_of(html)
    files = {item.original_name: item for item in notice.attachments.all()}
    assert set(files) == {"创建材料要求.docx", "示例.jpg"}
    url = reverse("notices:attachment", args=[notice.pk, files["创建材料要求.docx"].pk])
    download = as_("leader_a").get(url)
    assert download.status_code == 200 and "attachment" in download["Content-Disposition"]
    b"".join(download.streaming_content)
    assert as_("leader_p").get(url).status_code == 404  # a production collective: not reached
    assert AuditEntry.objects.filter(action="notice.publish").count() == 1


def test_a_refused_notice_answers_422_and_writes_nothing(as_, world, media_storage):
    media_root, _ = media_storage
    client = as_("city_admin")
    response = client.post(reverse("notices:create"), {
        "title": "", "body": "正文", "deadline": "2018-01-01", "files": [upload("说明.docx", docx("说明"))]})
    assert response.status_code == 422
    html = page(response)
    assert "请填写通知标题" in html and "已过" in html
    assert Notice.objects.count() == 0 and NoticeAttachment.objects.count() == 0 and files_under(media_root) == []
    bad_file = client.post(reverse("notices:create"), {
        "title": "通知", "body": "正文", "files": [upload("通知.pdf", not_media())]})
    assert bad_file.status_code == 422 and Notice.objects.count() == 0 and files_under(media_root) == []
    nobody = client.post(reverse("notices:create"), {"title": "通知", "body": "正文", "units": [world["sub_a"].pk],
                                                     "sectors": ["research"]})
    assert nobody.status_code == 422 and "所选范围内没有集体" in nobody.content.decode()
    assert AuditEntry.objects.filter(action="notice.publish").count() == 0


def test_only_admins_publish(as_):
    assert as_("leader_a").get(reverse("notices:create")).status_code == 403
    assert as_("leader_a").post(reverse("notices:create"), {"title": "通知", "body": "正文"}).status_code == 403
    assert as_("judge").get(reverse("notices:create")).status_code == 404
    assert Notice.objects.count() == 0


def test_the_form_counts_the_recipients_of_a_selection(as_, world):
    client = as_("city_admin")
    assert "将送达 <strong>4</strong> 个集体" in client.get(reverse("notices:recipients")).content.decode()
    assert "<strong>1</strong>" in client.get(reverse("notices:recipients"), {"sectors": "production"}).content.decode()
    area_a = client.get(reverse("notices:recipients"), {"units": world["area_a"].pk}).content.decode()
    assert "<strong>2</strong>" in area_a
    assert as_("leader_a").get(reverse("notices:recipients")).status_code == 403


# --- reading and replying ----------------------------------------------------------------------------------------


def test_a_leader_confirms_reading(as_, publish, world):
    notice = publish("city_admin")
    client = as_("leader_a")
    html = page(client.get(detail(notice)))
    assert "确认已读" in html
    response = client.post(reverse("notices:read", args=[notice.pk]), follow=True)
    receipt = NoticeReceipt.objects.get(notice=notice, collective=world["collective_a"])
    assert receipt.read_at is not None and receipt.read_by == world["accounts"]["leader_a"]
    html = page(response)
    assert "确认阅读" in html and 'data-testid="confirm-read"' not in html
    assert client.post(reverse("notices:read", args=[notice.pk])).status_code == 302  # again: nothing changes
    assert AuditEntry.objects.filter(action="notice.read").count() == 1
    assert as_("unit_admin_a").post(reverse("notices:read", args=[notice.pk])).status_code == 403
    assert as_("leader_a").get(reverse("notices:read", args=[notice.pk])).status_code == 405


def test_a_leader_replies_with_a_file(as_, publish, world, media_storage):
    notice = publish("city_admin", asks_reply=True)
    client = as_("leader_a")
    assert 'data-testid="reply-form"' in page(client.get(detail(notice)))
    empty = client.post(reverse("notices:reply", args=[notice.pk]), {"text": ""})
    assert empty.status_code == 422 and "请填写回复内容或选择要上传的文件" in page(empty)
    response = client.post(reverse("notices:reply", args=[notice.pk]), {
        "text": "本集体已完成自查。", "file": upload("自查报告.pdf", b"%PDF-1.4\n%%EOF\n")}, follow=True)
    receipt = NoticeReceipt.objects.get(notice=notice, collective=world["collective_a"])
    assert receipt.reply_text == "本集体已完成自查。" and receipt.reply_file_name == "自查报告.pdf"
    assert receipt.read_at is not None
    html = page(response)
    assert "本集体已完成自查。" in html and "自查报告.pdf" in html
    url = reverse("notices:reply_file", args=[notice.pk, receipt.pk])
    for role, status in (("leader_a", 200), ("delegate_a", 200), ("city_admin", 200), ("leader_b", 404),
                         ("unit_admin_a", 404), ("unit_admin_b", 404), ("judge", 404)):
        answer = as_(role).get(url)
        assert answer.status_code == status, role
        if answer.streaming:
            b"".join(answer.streaming_content)
    no_reply = publish("city_admin", title="无需回复的通知")
    assert as_("leader_a").post(reverse("notices:reply", args=[no_reply.pk]), {"text": "收到"}).status_code == 403


# --- forwarding ---------------------------------------------------------------------------------------------------


def test_a_unit_forwards_a_city_notice_with_its_guidance(as_, publish, world, media_storage):
    original = publish("city_admin", title="全市创建工作通知", body="全市统一要求。",
                       files=[upload("全市方案.docx", docx("方案"))])
    assert 'data-testid="forward-notice"' in page(as_("unit_admin_a").get(detail(original)))
    assert 'data-testid="forward-notice"' not in page(as_("city_admin").get(detail(original)))
    assert as_("city_admin").get(reverse("notices:forward", args=[original.pk])).status_code == 403
    assert as_("leader_a").get(reverse("notices:forward", args=[original.pk])).status_code == 403
    client = as_("unit_admin_a")
    form = page(client.get(reverse("notices:forward", args=[original.pk])))
    assert 'value="转发：全市创建工作通知"' in form and "执行要求" in form
    response = client.post(reverse("notices:forward", args=[original.pk]), {
        "title": "转发：全市创建工作通知", "body": "环翠区各集体请于月底前完成自查。"}, follow=True)
    forward = Notice.objects.get(forwarded_from=original)
    assert forward.sender_unit == world["area_a"] and forward.recipients == 2
    assert any("送达2个集体" in message for message in messages_of(response))
    original.refresh_from_db()
    assert original.body == "全市统一要求。" and original.recipients == 4 and original.attachments.count() == 1
    html = page(as_("leader_a").get(detail(forward)))
    assert "环翠区各集体请于月底前完成自查。" in html
    assert html.index("环翠区各集体请于月底前完成自查。") < html.index("全市统一要求。")
    assert 'data-testid="original"' in html and "全市方案.docx" in html
    # the original's file through the forward's page
    item = original.attachments.get()
    download = as_("leader_sub").get(reverse("notices:attachment", args=[forward.pk, item.pk]))
    assert download.status_code == 200
    b"".join(download.streaming_content)
    assert as_("leader_b").get(detail(forward)).status_code == 404
    assert AuditEntry.objects.filter(action="notice.forward").count() == 1


def test_a_notice_from_a_sibling_unit_cannot_be_forwarded(as_, publish):
    notice = publish("unit_admin_a")
    assert as_("unit_admin_b").get(reverse("notices:forward", args=[notice.pk])).status_code == 404


# --- receipts and reminders ------------------------------------------------------------------------------------


def test_the_sender_sees_who_has_read_and_reminds_the_unread(as_, publish, world):
    notice = publish("city_admin", asks_reply=True)
    confirm_read(actor=world["accounts"]["leader_a"], notice=notice)
    reply_to_notice(actor=world["accounts"]["leader_b"], notice=notice, text="已收到，按要求办理。")
    client = as_("city_admin")
    detail_html = page(client.get(detail(notice)))
    assert 'data-testid="receipts-link"' in detail_html
    html = page(client.get(reverse("notices:receipts", args=[notice.pk])))
    text = text_of(html)
    assert "环翠区团委" in text and "文登区团委" in text and "环翠楼街道团委" in text
    assert "已收到，按要求办理。" in html
    unread = page(client.get(reverse("notices:receipts", args=[notice.pk]), {"state": "unread"}))
    assert "环翠楼社区服务站" in unread and "环翠区政务服务中心窗口" not in unread
    area_b = page(client.get(reverse("notices:receipts", args=[notice.pk]), {"unit": world["area_b"].pk}))
    assert "文登区供电所" in area_b and "环翠楼社区服务站" not in area_b
    replied = page(client.get(reverse("notices:receipts", args=[notice.pk]), {"state": "replied"}))
    assert "文登区供电所" in replied and "环翠区政务服务中心窗口" not in replied

    response = client.post(reverse("notices:remind", args=[notice.pk]), follow=True)
    assert any("已提醒2个未读的集体" in message for message in messages_of(response))
    assert NoticeReceipt.objects.filter(notice=notice, reminded_at__isnull=False).count() == 2
    again = client.post(reverse("notices:remind", args=[notice.pk]), follow=True)
    assert any("提醒过未读的集体" in message for message in messages_of(again))
    assert AuditEntry.objects.filter(action="notice.remind").count() == 1

    for role in ("unit_admin_a", "leader_a"):
        assert as_(role).get(reverse("notices:receipts", args=[notice.pk])).status_code == 403, role
        assert as_(role).post(reverse("notices:remind", args=[notice.pk])).status_code == 403, role
    assert as_("judge").get(reverse("notices:receipts", args=[notice.pk])).status_code == 404


def test_a_units_own_notice_receipts_are_its_own(as_, publish):
    notice = publish("unit_admin_a")
    assert as_("unit_admin_a").get(reverse("notices:receipts", args=[notice.pk])).status_code == 200
    assert as_("city_admin").get(reverse("notices:receipts", args=[notice.pk])).status_code == 200
    assert as_("unit_admin_b").get(reverse("notices:receipts", args=[notice.pk])).status_code == 404


# --- the workbench and the navigation ----------------------------------------------------------------------------


def test_the_workbench_shows_unread_notices_first(as_, publish, world):
    factories.campaign(office=world["city"], year=timezone.localdate().year)
    unread = publish("city_admin", title="请尽快阅读的通知")
    read = publish("city_admin", title="已经读过的通知")
    confirm_read(actor=world["accounts"]["leader_a"], notice=read)
    html = page(as_("leader_a").get(reverse("workbench:home")))
    assert 'data-testid="unread-notices"' in html
    section = html[html.index('data-testid="unread-notices"'):]
    assert "请尽快阅读的通知" in section and "已经读过的通知" not in html
    assert detail(unread) in section
    assert html.index('data-testid="unread-notices"') < html.index('data-testid="ledger-card"')
    confirm_read(actor=world["accounts"]["leader_a"], notice=unread)
    after = page(as_("leader_a").get(reverse("workbench:home")))
    assert 'data-testid="unread-notices"' not in after
    assert 'data-testid="nav-notices"' in after
    assert 'data-testid="unread-notices"' not in page(as_("unit_admin_a").get(reverse("workbench:home")))
    assert 'data-testid="nav-notices"' in page(as_("unit_admin_a").get(reverse("workbench:home")))
    assert 'data-testid="nav-notices"' not in page(as_("judge").get(reverse("workbench:home")))


# --- a fixed number of queries ------------------------------------------------------------------------------------


def _grow(objects, notice, count: int) -> None:
    """``count`` more collectives under 环翠区 and 文登区 reached by ``notice``, half of them read and replied, and
    ``count`` more notices of the city that reach collective_a."""
    city = objects["accounts"]["city_admin"]
    units = [objects["area_a"], objects["sub_a"], objects["area_b"]]
    collectives = [factories.collective(unit=units[i % 3], name=f"增加的集体{i}", members=[]) for i in range(count)]
    NoticeReceipt.objects.bulk_create([
        NoticeReceipt(notice=notice, collective=collective, unit=collective.unit, unit_path=collective.unit.path,
                      read_at=timezone.now() if i % 2 else None, read_by=city if i % 2 else None,
                      reply_text="已办理" if i % 2 else "", replied_at=timezone.now() if i % 2 else None,
                      reply_file=f"notices/reply{i}.pdf" if i % 4 == 1 else "", reply_file_name="回复.pdf")
        for i, collective in enumerate(collectives)])
    for i in range(count):
        publish_notice(actor=city, title=f"增加的通知{i}", body="正文", units=[objects["area_a"]])


def _counts(client, objects, notice) -> dict[str, int]:
    pages = [("leader_a", reverse("notices:list")), ("leader_a", reverse("notices:list") + "?q=通知"),
             ("city_admin", reverse("notices:list")), ("unit_admin_a", reverse("notices:list")),
             ("city_admin", reverse("notices:receipts", args=[notice.pk])),
             ("city_admin", reverse("notices:receipts", args=[notice.pk]) + "?state=read"),
             ("city_admin", detail(notice)), ("leader_a", detail(notice))]
    found = {}
    for role, url in pages:
        client.force_login(objects["accounts"][role], backend=BACKEND)
        client.get(url)  # warm: content types, the session
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, url
        found[f"{role} {url}"] = len(captured.captured_queries)
    return found


def test_the_list_and_receipts_pages_make_the_same_queries_at_two_sizes(client, world, publish):
    notice = publish("city_admin", asks_reply=True)
    reply_to_notice(actor=world["accounts"]["leader_b"], notice=notice, text="已收到")
    few = _counts(client, world, notice)
    _grow(world, notice, 60)
    assert notice.receipts.count() == 64 and Notice.objects.count() == 61
    many = _counts(client, world, notice)
    assert many == few
    assert max(many.values()) <= 20, many


def test_the_upload_forms_check_the_csrf_token_and_the_size(world, settings, media_storage):
    from django.test import Client

    media_root, _ = media_storage
    client = Client(enforce_csrf_checks=True)
    client.force_login(world["accounts"]["city_admin"], backend=BACKEND)
    assert client.post(reverse("notices:create"), {"title": "通知", "body": "正文"}).status_code == 403
    form = client.get(reverse("notices:create"))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.content.decode()).group(1)
    settings.WMH_LEDGER_FILE_MAX_BYTES = 1000
    too_large = client.post(reverse("notices:create"), {"csrfmiddlewaretoken": token, "title": "通知", "body": "正文",
                                                        "files": [upload("大图.jpg", jpeg(800, 600))]})
    assert too_large.status_code == 413 and "超过" in page(too_large)
    assert Notice.objects.count() == 0 and files_under(media_root) == []
    settings.WMH_LEDGER_FILE_MAX_BYTES = 20 * 1024 * 1024
    sent = client.post(reverse("notices:create"), {"csrfmiddlewaretoken": token, "title": "通知", "body": "正文",
                                                   "files": [upload("图.jpg", jpeg(800, 600))]})
    assert sent.status_code == 302 and Notice.objects.get().attachments.count() == 1
