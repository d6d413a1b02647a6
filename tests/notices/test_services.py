"""The notices' writes: whom a notice reaches (the sender's subtree narrowed by sectors, units or a campaign's
filings), its receipts written in bulk, reading (idempotent), reminding the unread, forwarding with guidance (the
original unchanged), replying with a text or a file through the one upload path; every refusal writes nothing, every
change its audit entry."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.works.media_fixtures import docx, files_under, jpeg, not_media, upload
from wenminghao.core.errors import NotPermitted, RuleViolationError
from wenminghao.core.models import AuditEntry, Notification
from wenminghao.core.roles import Role
from wenminghao.notices.models import REPLY_MAX_CHARS, TITLE_MAX_CHARS, Notice, NoticeAttachment, NoticeReceipt
from wenminghao.notices.services import (
    MAX_FILES,
    confirm_read,
    publish_notice,
    recipients_of,
    remind_unread,
    reply_to_notice,
)

pytestmark = pytest.mark.django_db

ALL = ["文登区供电所", "文登区曲轴车间", "环翠区政务服务中心窗口", "环翠楼社区服务站"]


def names(collectives) -> list[str]:
    return sorted(collective.name for collective in collectives)


def reached(notice) -> list[str]:
    return sorted(notice.receipts.values_list("collective__name", flat=True))


def written() -> dict[str, int]:
    """What a refused call must leave as it was."""
    return {"notices": Notice.objects.count(), "receipts": NoticeReceipt.objects.count(),
            "files": NoticeAttachment.objects.count(), "notifications": Notification.objects.count(),
            "audit": AuditEntry.objects.count(),
            "read": NoticeReceipt.objects.filter(read_at__isnull=False).count(),
            "replied": NoticeReceipt.objects.filter(replied_at__isnull=False).count()}


def audit(action: str, notice) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action, object_type="notices.notice", object_id=str(notice.pk)))


# --- whom a notice reaches ---------------------------------------------------------------------------------------

# (sender, selection, the collectives reached). Selection values name fixtures: units by tree key, "campaign".
REACH = [
    ("city_admin", {}, ALL),
    ("unit_admin_a", {}, ["环翠区政务服务中心窗口", "环翠楼社区服务站"]),  # its subtree, the 街道 included
    ("unit_admin_b", {}, ["文登区供电所", "文登区曲轴车间"]),
    ("unit_admin_sub", {}, ["环翠楼社区服务站"]),
    ("city_admin", {"sectors": ["service"]}, ["文登区供电所", "环翠区政务服务中心窗口", "环翠楼社区服务站"]),
    ("city_admin", {"sectors": ["production"]}, ["文登区曲轴车间"]),
    ("city_admin", {"sectors": ["service", "production"]}, ALL),
    ("unit_admin_b", {"sectors": ["service"]}, ["文登区供电所"]),
    ("city_admin", {"units": ["sub_a"]}, ["环翠楼社区服务站"]),
    ("city_admin", {"units": ["area_a"]}, ["环翠区政务服务中心窗口", "环翠楼社区服务站"]),
    ("city_admin", {"units": ["sub_a", "area_b"]}, ["文登区供电所", "文登区曲轴车间", "环翠楼社区服务站"]),
    ("city_admin", {"units": ["area_b"], "sectors": ["production"]}, ["文登区曲轴车间"]),
    ("unit_admin_a", {"units": ["sub_a"]}, ["环翠楼社区服务站"]),
    # a campaign: the creating collectives (filing pending or accepted), not the returned one
    ("city_admin", {"campaign": True}, ["文登区供电所", "环翠区政务服务中心窗口"]),
    ("unit_admin_a", {"campaign": True}, ["环翠区政务服务中心窗口"]),
    ("city_admin", {"campaign": True, "sectors": ["service"], "units": ["area_b"]}, ["文登区供电所"]),
]


def _selection(world, selection: dict) -> dict:
    resolved = dict(selection)
    if "units" in resolved:
        resolved["units"] = [world[key] for key in resolved["units"]]
    if resolved.get("campaign"):
        resolved["campaign"] = world["campaign"]
    return resolved


@pytest.mark.parametrize(("sender", "selection", "expected"), REACH)
def test_a_notice_reaches_exactly_the_collectives_of_the_selection_in_the_senders_subtree(
        world, publish, sender, selection, expected):
    resolved = _selection(world, selection)
    actor = world["accounts"][sender]
    assert names(recipients_of(actor, **resolved)) == expected
    notice = publish(sender, **resolved)
    assert reached(notice) == expected
    assert notice.recipients == len(expected) == Notice.objects.get(pk=notice.pk).recipients
    assert notice.sender_unit == actor.unit and notice.author == actor
    assert notice.sectors == list(selection.get("sectors", []))
    assert sorted(unit.pk for unit in notice.units.all()) == sorted(unit.pk for unit in resolved.get("units", []))


def test_each_receipt_keeps_the_collectives_unit_and_path_and_starts_unread(world, publish):
    notice = publish()
    for receipt in notice.receipts.select_related("collective"):
        assert receipt.unit_id == receipt.collective.unit_id
        assert receipt.unit_path == receipt.collective.unit.path
        assert (receipt.read_at, receipt.read_by, receipt.replied_at, receipt.reminded_at) == (None, None, None, None)


def test_publishing_notifies_every_active_account_of_the_collectives_reached_and_is_audited(
        world, publish, mailoutbox, django_capture_on_commit_callbacks):
    accounts = world["accounts"]
    accounts["leader_a"].email = "leader-a@example.cn"
    accounts["leader_a"].save()
    factories.account(username="gone_a", role=Role.COLLECTIVE, collective=world["collective_a"], is_delegate=True,
                      is_active=False, email="gone@example.cn")
    with django_capture_on_commit_callbacks(execute=True):
        notice = publish("unit_admin_a", title="环翠区开放周安排", deadline=timezone.localdate(), asks_reply=True,
                         ip_address="10.0.0.8")
    notified = set(Notification.objects.values_list("recipient__username", flat=True))
    assert notified == {"leader_a", "delegate_a", "leader_sub"}  # not 文登区's, not the inactive account
    message = Notification.objects.get(recipient=accounts["leader_a"])
    assert message.message == "环翠区团委发布通知：环翠区开放周安排"
    assert message.link == reverse("notices:detail", args=[notice.pk])
    assert [mail.to for mail in mailoutbox] == [["leader-a@example.cn"]]
    (entry,) = audit("notice.publish", notice)
    assert entry.actor == accounts["unit_admin_a"] and entry.unit_path == world["area_a"].path
    assert entry.ip_address == "10.0.0.8"
    assert entry.after["recipients"] == 2 and entry.after["asks_reply"] is True
    assert entry.after["forwarded_from"] is None and entry.after["files"] == []


def test_the_queries_of_publishing_do_not_grow_with_the_collectives_reached(world, publish):
    """Receipts and notifications are written in bulk: 4 collectives or 40 (each with its leader's account), the
    same statements."""

    def queries_to_reach(unit) -> int:
        with CaptureQueriesContext(connection) as captured:
            notice = publish(units=[unit])
        assert notice.recipients == unit.collectives.count()
        return len(captured)

    small = factories.unit(parent=world["city"], name="小单位团委")
    large = factories.unit(parent=world["city"], name="大单位团委")
    for unit, count in ((small, 4), (large, 40)):
        for _ in range(count):
            collective = factories.collective(unit=unit)
            factories.account(role=Role.COLLECTIVE, collective=collective)
    assert queries_to_reach(small) == queries_to_reach(large)


def test_attachments_are_checked_by_their_content_and_stored(world, publish, media_storage):
    media_root, _ = media_storage
    notice = publish(files=[upload("执行规范.docx", docx("一、报备时间")), upload("海报.jpg", jpeg(800, 600)),
                            upload("通知.pdf", b"%PDF-1.4\n%%EOF\n")])
    files = list(notice.attachments.order_by("id"))
    assert [(item.original_name, item.kind) for item in files] == [
        ("执行规范.docx", "docx"), ("海报.jpg", "picture"), ("通知.pdf", "pdf")]
    assert len(files_under(media_root)) == 3
    assert all(item.uploaded_by == world["accounts"]["city_admin"] for item in files)
    assert audit("notice.publish", notice)[0].after["files"] == ["执行规范.docx", "海报.jpg", "通知.pdf"]


# --- what publishing refuses: nothing is written -------------------------------------------------------------

PAST = timezone.localdate() - datetime.timedelta(days=1)

# (sender, fields, the codes refused)
REFUSED = [
    ("city_admin", {"title": "  "}, ["notice.title_required"]),
    ("city_admin", {"title": "通" * (TITLE_MAX_CHARS + 1)}, ["notice.title_too_long"]),
    ("city_admin", {"body": ""}, ["notice.body_required"]),
    ("city_admin", {"body": "正" * 20_001}, ["notice.body_too_long"]),
    ("city_admin", {"sectors": ["shipping"]}, ["notice.sector"]),
    ("unit_admin_a", {"units": ["area_b"]}, ["notice.unit_outside"]),
    ("unit_admin_sub", {"units": ["area_a"]}, ["notice.unit_outside"]),  # above its own unit
    ("city_admin", {"deadline": PAST}, ["notice.deadline_past"]),
    ("city_admin", {"sectors": ["research"]}, ["notice.no_recipients"]),
    ("unit_admin_a", {"sectors": ["production"]}, ["notice.no_recipients"]),
    ("unit_admin_a", {"campaign": "area_b"}, ["notice.campaign"]),  # a campaign run by 文登区: not 环翠区's to see
    ("city_admin", {"title": "", "body": "", "sectors": ["shipping"], "deadline": PAST},
     ["notice.title_required", "notice.body_required", "notice.sector", "notice.deadline_past"]),
]


@pytest.mark.parametrize(("sender", "fields", "codes"), REFUSED)
def test_publishing_refuses_every_broken_rule_at_once_and_writes_nothing(world, publish, sender, fields, codes):
    fields = dict(fields)
    if "units" in fields:
        fields["units"] = [world[key] for key in fields["units"]]
    if fields.get("campaign"):
        fields["campaign"] = factories.campaign(office=world[fields["campaign"]], level="district")
    before = written()
    with pytest.raises(RuleViolationError) as refused:
        publish(sender, **fields)
    assert [violation.code for violation in refused.value.violations] == codes
    assert written() == before


def test_a_past_deadline_names_the_day(world, publish):
    with pytest.raises(RuleViolationError, match=f"截止日期{PAST:%Y年%m月%d日}已过"):
        publish(deadline=PAST)


def test_publishing_refuses_too_many_files_before_storing_any(world, publish, media_storage):
    media_root, _ = media_storage
    files = [upload(f"附件{index}.pdf", b"%PDF-1.4\n%%EOF\n") for index in range(MAX_FILES + 1)]
    before = written()
    with pytest.raises(RuleViolationError) as refused:
        publish(files=files)
    assert refused.value.violations[0].code == "notice.too_many_files"
    assert written() == before and files_under(media_root) == []


def test_a_file_that_is_not_a_document_or_picture_refuses_the_notice_and_leaves_no_file(
        world, publish, media_storage):
    media_root, _ = media_storage
    before = written()
    with pytest.raises(RuleViolationError) as refused:
        publish(files=[upload("执行规范.docx", docx("正文")), upload("通知.pdf", not_media())])
    assert "通知附件可上传" in refused.value.violations[0].message
    assert written() == before and files_under(media_root) == []


@pytest.mark.parametrize("role", ["leader_a", "delegate_a", "leader_b", "judge"])
def test_only_admins_publish(world, publish, role):
    before = written()
    with pytest.raises(NotPermitted):
        publish(role)
    assert written() == before


# --- reading ------------------------------------------------------------------------------------------------------


def test_confirming_marks_the_collectives_receipt_read_once_and_is_audited_once(world, publish):
    accounts = world["accounts"]
    notice = publish()
    receipt = confirm_read(actor=accounts["leader_a"], notice=notice, ip_address="10.0.0.9")
    assert receipt.read_by == accounts["leader_a"] and receipt.read_at is not None
    first_read = receipt.read_at
    again = confirm_read(actor=accounts["delegate_a"], notice=notice)  # the same collective: nothing changes
    assert (again.read_at, again.read_by) == (first_read, accounts["leader_a"])
    confirm_read(actor=accounts["leader_a"], notice=notice)
    (entry,) = audit("notice.read", notice)
    assert entry.actor == accounts["leader_a"] and entry.unit_path == world["area_a"].path
    assert entry.after == {"collective": world["collective_a"].pk} and entry.ip_address == "10.0.0.9"
    # only this collective's receipt
    assert reached_read(notice) == ["环翠区政务服务中心窗口"]


def reached_read(notice) -> list[str]:
    return sorted(notice.receipts.filter(read_at__isnull=False).values_list("collective__name", flat=True))


def test_a_delegate_confirms_for_the_collective(world, publish):
    notice = publish()
    receipt = confirm_read(actor=world["accounts"]["delegate_a"], notice=notice)
    assert receipt.read_by == world["accounts"]["delegate_a"]
    assert reached_read(notice) == ["环翠区政务服务中心窗口"]


@pytest.mark.parametrize("role", ["leader_b", "city_admin", "unit_admin_a", "judge"])
def test_only_a_collective_the_notice_reached_confirms_it(world, publish, role):
    notice = publish("unit_admin_a")  # 环翠区's: not 文登区's collectives
    before = written()
    with pytest.raises(NotPermitted):
        confirm_read(actor=world["accounts"][role], notice=notice)
    assert written() == before


# --- reminding the unread ----------------------------------------------------------------------------------------


def test_reminding_notifies_only_the_accounts_of_the_unread_collectives(
        world, publish, mailoutbox, django_capture_on_commit_callbacks):
    accounts = world["accounts"]
    accounts["leader_b"].email = "leader-b@example.cn"
    accounts["leader_b"].save()
    accounts["leader_a"].email = "leader-a@example.cn"
    accounts["leader_a"].save()
    notice = publish()
    confirm_read(actor=accounts["leader_a"], notice=notice)
    confirm_read(actor=accounts["leader_p"], notice=notice)
    Notification.objects.all().delete()
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        count = remind_unread(actor=accounts["city_admin"], notice=notice, ip_address="10.0.0.7")
    assert count == 2
    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {"leader_b", "leader_sub"}
    assert Notification.objects.first().message == f"提醒：请阅读威海市团委的通知“{notice.title}”并确认已读"
    assert [mail.to for mail in mailoutbox] == [["leader-b@example.cn"]]
    reminded = sorted(notice.receipts.filter(reminded_at__isnull=False).values_list("collective__name", flat=True))
    assert reminded == ["文登区供电所", "环翠楼社区服务站"]
    (entry,) = audit("notice.remind", notice)
    assert entry.after == {"unread": 2} and entry.unit_path == world["city"].path
    assert entry.actor == accounts["city_admin"] and entry.ip_address == "10.0.0.7"


def test_a_second_reminder_within_the_hour_is_refused_with_the_time_and_writes_nothing(world, publish):
    notice = publish()
    remind_unread(actor=world["accounts"]["city_admin"], notice=notice)
    last = notice.receipts.values_list("reminded_at", flat=True).first()
    before = written()
    with pytest.raises(RuleViolationError) as refused:
        remind_unread(actor=world["accounts"]["city_admin"], notice=notice)
    (violation,) = refused.value.violations
    assert violation.code == "notice.reminded_recently"
    assert f"已于{timezone.localtime(last):%H:%M}提醒过" in violation.message
    assert "分钟后再提醒" in violation.message
    assert written() == before
    assert set(notice.receipts.values_list("reminded_at", flat=True)) == {last}


def test_after_an_hour_the_unread_are_reminded_again(world, publish):
    notice = publish()
    remind_unread(actor=world["accounts"]["city_admin"], notice=notice)
    confirm_read(actor=world["accounts"]["leader_a"], notice=notice)
    notice.receipts.update(reminded_at=timezone.now() - datetime.timedelta(minutes=61))
    assert remind_unread(actor=world["accounts"]["city_admin"], notice=notice) == 3
    assert len(audit("notice.remind", notice)) == 2


def test_a_reminder_when_every_collective_has_read_is_refused(world, publish):
    accounts = world["accounts"]
    notice = publish("unit_admin_a")
    confirm_read(actor=accounts["leader_a"], notice=notice)
    confirm_read(actor=accounts["leader_sub"], notice=notice)
    before = written()
    with pytest.raises(RuleViolationError) as refused:
        remind_unread(actor=accounts["unit_admin_a"], notice=notice)
    assert refused.value.violations[0].code == "notice.all_read"
    assert written() == before


# (sender, reminder, allowed): the sender's unit and those above it
REMINDERS = [
    ("unit_admin_a", "unit_admin_a", True),
    ("unit_admin_a", "city_admin", True),
    ("unit_admin_sub", "unit_admin_a", True),
    ("city_admin", "unit_admin_a", False),  # a unit below the sender
    ("unit_admin_a", "unit_admin_b", False),
    ("unit_admin_a", "unit_admin_sub", False),
    ("unit_admin_a", "leader_a", False),
    ("unit_admin_a", "judge", False),
]


@pytest.mark.parametrize(("sender", "role", "allowed"), REMINDERS)
def test_the_sender_and_the_units_above_it_remind(world, publish, sender, role, allowed):
    notice = publish(sender)
    if allowed:
        assert remind_unread(actor=world["accounts"][role], notice=notice) == notice.recipients
        return
    before = written()
    with pytest.raises(NotPermitted):
        remind_unread(actor=world["accounts"][role], notice=notice)
    assert written() == before


# --- forwarding ---------------------------------------------------------------------------------------------------


def snapshot(notice) -> dict:
    notice = Notice.objects.get(pk=notice.pk)
    return {"fields": {field.name: getattr(notice, field.attname) for field in Notice._meta.concrete_fields},
            "receipts": list(notice.receipts.order_by("pk").values())}


def test_a_forward_is_a_notice_of_the_unit_with_its_guidance_and_the_original_stays_as_it_was(world, publish):
    accounts = world["accounts"]
    original = publish(deadline=timezone.localdate() + datetime.timedelta(days=30))
    confirm_read(actor=accounts["leader_b"], notice=original)
    before = snapshot(original)
    forward = publish_notice(actor=accounts["unit_admin_a"], title="转发：关于做好青年文明号创建工作的通知",
                             body="环翠区各集体请于7月25日前完成报备。", forwarded_from=original)
    assert forward.forwarded_from == original and forward.sender_unit == world["area_a"]
    assert forward.body == "环翠区各集体请于7月25日前完成报备。"
    assert reached(forward) == ["环翠区政务服务中心窗口", "环翠楼社区服务站"]
    assert snapshot(original) == before
    assert list(original.forwards.all()) == [forward]
    # reading the forward is reading the forward only
    confirm_read(actor=accounts["leader_a"], notice=forward)
    assert reached_read(original) == ["文登区供电所"]
    assert reached_read(forward) == ["环翠区政务服务中心窗口"]
    (entry,) = audit("notice.forward", forward)
    assert entry.after["forwarded_from"] == original.pk and entry.after["recipients"] == 2
    assert audit("notice.publish", forward) == []
    assert set(Notification.objects.filter(message__startswith="环翠区团委转发通知")
               .values_list("recipient__username", flat=True)) == {"leader_a", "delegate_a", "leader_sub"}


def test_a_forward_may_have_no_guidance_and_a_selection_of_its_own(world, publish):
    original = publish()
    forward = publish_notice(actor=world["accounts"]["unit_admin_a"], title="转发", body="",
                             units=[world["sub_a"]], forwarded_from=original)
    assert forward.body == "" and reached(forward) == ["环翠楼社区服务站"]


# (sent by, to, forwarded by, allowed): a unit strictly below the sender that the notice reached
FORWARDS = [
    ("city_admin", {}, "unit_admin_a", True),
    ("city_admin", {}, "unit_admin_sub", True),  # two levels below
    ("city_admin", {"units": ["sub_a"]}, "unit_admin_a", True),  # it reached 环翠区's subtree
    ("unit_admin_a", {}, "unit_admin_sub", True),
    ("city_admin", {"units": ["area_a"]}, "unit_admin_b", False),  # it did not reach 文登区
    ("city_admin", {"sectors": ["production"]}, "unit_admin_a", False),
    ("city_admin", {}, "city_admin", False),  # its own
    ("unit_admin_a", {}, "unit_admin_a", False),
    ("unit_admin_a", {}, "city_admin", False),  # above the sender
    ("unit_admin_a", {}, "unit_admin_b", False),
    ("city_admin", {}, "leader_a", False),
    ("city_admin", {}, "judge", False),
]


@pytest.mark.parametrize(("sender", "selection", "role", "allowed"), FORWARDS)
def test_only_a_unit_below_the_sender_that_the_notice_reached_forwards_it(world, publish, sender, selection, role,
                                                                          allowed):
    original = publish(sender, **_selection(world, selection))
    actor = world["accounts"][role]
    if allowed:
        forward = publish_notice(actor=actor, title="转发", body="请认真落实。", forwarded_from=original)
        assert forward.forwarded_from == original
        return
    before = written()
    with pytest.raises(NotPermitted):
        publish_notice(actor=actor, title="转发", body="请认真落实。", forwarded_from=original)
    assert written() == before


# --- replies ------------------------------------------------------------------------------------------------------


@pytest.fixture
def asking(world, publish):
    return publish(asks_reply=True, title="请报送开放周安排")


def test_a_text_reply_is_kept_on_the_receipt_confirms_reading_and_is_audited(world, asking):
    leader = world["accounts"]["leader_a"]
    receipt = reply_to_notice(actor=leader, notice=asking, text="  本集体将于9月第一周开展开放周活动。 ",
                              ip_address="10.0.0.6")
    receipt.refresh_from_db()
    assert receipt.reply_text == "本集体将于9月第一周开展开放周活动。"
    assert receipt.replied_by == leader and receipt.replied_at is not None
    assert receipt.read_by == leader and receipt.read_at == receipt.replied_at
    (entry,) = audit("notice.reply", asking)
    assert entry.after == {"collective": world["collective_a"].pk, "text": "本集体将于9月第一周开展开放周活动。",
                           "file": None}
    assert entry.unit_path == world["area_a"].path and entry.ip_address == "10.0.0.6"
    (read,) = audit("notice.read", asking)  # the reading it confirmed, audited once like confirm_read
    assert read.actor == leader and read.after == {"collective": world["collective_a"].pk}
    reply_to_notice(actor=leader, notice=asking, text="改为9月第二周。")
    confirm_read(actor=leader, notice=asking)
    assert len(audit("notice.read", asking)) == 1 and len(audit("notice.reply", asking)) == 2


def test_a_reply_keeps_an_earlier_reading(world, asking):
    accounts = world["accounts"]
    read = confirm_read(actor=accounts["leader_a"], notice=asking)
    receipt = reply_to_notice(actor=accounts["delegate_a"], notice=asking, text="已安排。")
    assert (receipt.read_at, receipt.read_by) == (read.read_at, accounts["leader_a"])
    assert len(audit("notice.read", asking)) == 1


def test_a_reply_file_goes_through_the_one_upload_path_and_a_new_one_replaces_it(
        world, asking, media_storage, django_capture_on_commit_callbacks):
    media_root, _ = media_storage
    leader = world["accounts"]["leader_a"]
    with django_capture_on_commit_callbacks(execute=True):
        receipt = reply_to_notice(actor=leader, notice=asking, upload=upload("开放周安排.docx", docx("开放周安排")))
    first = receipt.reply_file.name
    assert receipt.reply_file_name == "开放周安排.docx" and first.endswith(".docx")
    assert [path.name for path in files_under(media_root)] == [first.rsplit("/", 1)[1]]
    assert audit("notice.reply", asking)[0].after["file"] == "开放周安排.docx"
    with django_capture_on_commit_callbacks(execute=True):
        receipt = reply_to_notice(actor=leader, notice=asking, text="补充现场照片。",
                                  upload=upload("现场.jpg", jpeg(800, 600)))
    assert receipt.reply_file_name == "现场.jpg" and receipt.reply_text == "补充现场照片。"
    assert [path.name for path in files_under(media_root)] == [receipt.reply_file.name.rsplit("/", 1)[1]]
    assert len(audit("notice.reply", asking)) == 2


# (text, file, codes)
REPLY_REFUSED = [
    ("", None, ["notice.reply_required"]),
    ("   ", None, ["notice.reply_required"]),
    ("字" * (REPLY_MAX_CHARS + 1), None, ["notice.reply_too_long"]),
    ("字" * (REPLY_MAX_CHARS + 1), "docx", ["notice.reply_too_long"]),  # the file is not even stored
    ("附件如下。", "not_media", ["file.type"]),
]


@pytest.mark.parametrize(("text", "file", "codes"), REPLY_REFUSED)
def test_a_refused_reply_writes_nothing_and_leaves_no_file(world, asking, media_storage, text, file,
                                                          codes):
    media_root, _ = media_storage
    data = {"docx": lambda: docx("回复"), "not_media": not_media}[file]() if file else None
    before = written()
    with pytest.raises(RuleViolationError) as refused:
        reply_to_notice(actor=world["accounts"]["leader_a"], notice=asking, text=text,
                        upload=upload("回复.docx", data) if data is not None else None)
    assert [violation.code for violation in refused.value.violations] == codes
    assert written() == before and files_under(media_root) == []


def test_the_reply_text_may_be_exactly_the_limit(world, asking):
    receipt = reply_to_notice(actor=world["accounts"]["leader_a"], notice=asking, text="字" * REPLY_MAX_CHARS)
    assert len(receipt.reply_text) == REPLY_MAX_CHARS


@pytest.mark.parametrize("role", ["leader_a", "leader_b", "city_admin", "unit_admin_a", "judge"])
def test_replies_only_to_a_notice_that_asks_for_one_and_only_from_a_collective_it_reached(world, publish, role,
                                                                                       media_storage):
    media_root, _ = media_storage
    notices = [publish(asks_reply=False)]
    if role != "leader_a":
        notices.append(publish("unit_admin_a", asks_reply=True))  # not 文登区's; nobody's but a collective's
    for notice in notices:
        before = written()
        with pytest.raises(NotPermitted):
            reply_to_notice(actor=world["accounts"][role], notice=notice, text="收到。",
                            upload=upload("回复.docx", docx("回复")))
        assert written() == before and files_under(media_root) == []


@pytest.mark.django_db
def test_a_forward_reaches_only_what_the_original_reached(world, publish):
    """A notice to the service sector, forwarded by a unit with no selection of its own, still goes to the service
    sector only (the unit's collective of another sector never received the original)."""
    from tests import factories
    from wenminghao.collectives.models import Collective
    from wenminghao.notices.models import NoticeReceipt

    production = factories.collective(unit=world["area_a"], name="环翠区机加工车间", sector="production")
    original = publish(sectors=["service"])
    forward = publish("unit_admin_a", title="转发", body="指引",
                      forwarded_from=original)
    reached = set(NoticeReceipt.objects.filter(notice=forward).values_list("collective_id", flat=True))
    of_original = set(NoticeReceipt.objects.filter(notice=original).values_list("collective_id", flat=True))
    assert reached and reached <= of_original and production.pk not in reached
    assert set(Collective.objects.filter(pk__in=reached).values_list("sector", flat=True)) == {"service"}
    assert forward.recipients == len(reached)
