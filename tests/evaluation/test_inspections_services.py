"""Recording a field inspection (实地考察) and its rectification (整改): every rule at once, the records and the audit,
who hears of what (platform and e-mail), the photos through the one upload path (nothing left behind when one
fails), and overdue rectifications."""

import datetime

import pytest
from django.utils import timezone

from tests import factories
from tests.works.media_fixtures import files_under, jpeg, media_storage, png, upload  # noqa: F401 (a fixture)
from wenminghao.core.errors import NotPermitted, RuleViolationError
from wenminghao.core.models import AuditEntry, Notification
from wenminghao.core.roles import Role
from wenminghao.core.uploads import UploadTooLarge
from wenminghao.evaluation.models import Inspection, InspectionCheck, InspectionPhoto
from wenminghao.evaluation.selectors.inspections import inspection_history, inspection_summary, overdue_q
from wenminghao.evaluation.services import inspections as services
from wenminghao.evaluation.services.inspections import (
    MAX_PHOTOS,
    add_inspection_photo,
    change_rectification,
    record_inspection,
    remove_inspection_photo,
)


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def inspection_data(campaign, /, **overrides) -> dict:
    """A valid inspection of ``campaign``: rated 合格 with the sign not on the wall and a rectification due in 30
    days."""
    data = {
        "campaign": campaign.pk, "date": days(-2).isoformat(), "inspectors": "解庆林、张建刚",
        "checks": {"ledger": "in_order", "sign": "not_in_order", "commitment": "in_order", "supervision_phone": ""},
        "findings": "台账齐全；青年文明号标识未上墙。", "rating": "pass",
        "rectification": "在服务大厅醒目位置张贴青年文明号标识和监督电话。", "rectify_by": days(28).isoformat(),
    }
    data.update(overrides)
    return data


def codes(error) -> list[str]:
    return [violation.code for violation in error.value.violations]


# --- recording -----------------------------------------------------------------------------------------------


def test_an_inspection_is_recorded_with_its_checks_and_audited(tree, users, campaign):
    inspection = record_inspection(actor=users["city_admin"], collective=tree["collective_a"],
                                   data=inspection_data(campaign), ip_address="10.0.0.9")
    assert (inspection.unit, inspection.created_by) == (tree["city"], users["city_admin"])
    assert inspection.campaign == campaign
    assert inspection.rectification_state == "asked" and inspection.rectify_by == days(28)
    checks = dict(InspectionCheck.objects.filter(inspection=inspection).values_list("item", "in_order"))
    assert checks == {"ledger": True, "sign": False, "commitment": True}  # the phone was not checked
    entry = AuditEntry.objects.get(action="inspection.create")
    assert entry.unit_path == tree["collective_a"].unit.path and entry.ip_address == "10.0.0.9"
    assert entry.after["checks"] == {"台账": "符合要求", "标识上墙": "不符合要求", "服务承诺": "符合要求"}
    assert entry.after["rating"] == "pass" and "环翠区政务服务中心窗口" in entry.object_repr


def test_a_rectification_asked_notifies_the_collectives_accounts_by_platform_and_mail(
        tree, users, campaign, mailoutbox, settings, django_capture_on_commit_callbacks):
    settings.WMH_SITE_URL = "http://wmh.example.org"
    users["leader_a"].email = "leader@example.cn"
    users["leader_a"].save()
    factories.account(username="delegate_a", role=Role.COLLECTIVE, collective=tree["collective_a"],
                      is_delegate=True, email="delegate@example.cn")
    with django_capture_on_commit_callbacks(execute=True):
        inspection = record_inspection(actor=users["unit_admin_a"], collective=tree["collective_a"],
                                       data=inspection_data(campaign))
    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {"leader_a", "delegate_a"}
    message = Notification.objects.first().message
    assert "环翠区团委" in message and "考察结果：合格" in message and "张贴青年文明号标识" in message
    assert f"{days(28).year}年{days(28).month}月{days(28).day}日前完成整改" in message
    assert sorted(mail.to for mail in mailoutbox) == [["delegate@example.cn"], ["leader@example.cn"]]
    assert f"http://wmh.example.org/evaluation/inspections/{inspection.pk}/" in mailoutbox[0].body


def test_an_inspection_without_rectification_notifies_nobody(tree, users, campaign):
    inspection = record_inspection(actor=users["unit_admin_a"], collective=tree["collective_a"], data=inspection_data(
        campaign, rating="good", checks={"ledger": "in_order", "sign": "in_order"}, rectification="", rectify_by=""))
    assert inspection.rectification_state == "none" and not Notification.objects.exists()


@pytest.mark.parametrize(("overrides", "expected"), [
    ({"date": days(1).isoformat()}, ["inspection.date_future"]),
    ({"date": ""}, ["inspection.date_required"]),
    ({"date": "2018-13-01"}, ["inspection.date"]),
    ({"inspectors": " "}, ["inspection.inspectors_required"]),
    ({"inspectors": "人" * 201}, ["inspection.inspectors_too_long"]),
    ({"checks": {}}, ["inspection.checks_required"]),
    ({"checks": {"ledger": "maybe"}}, ["inspection.check_result", "inspection.checks_required"]),
    ({"checks": {"roof": "in_order"}}, ["inspection.checks"]),
    ({"findings": ""}, ["inspection.findings_required"]),
    ({"findings": "发" * 2001}, ["inspection.findings_too_long"]),
    ({"rating": ""}, ["inspection.rating_required"]),
    ({"rating": "superb"}, ["inspection.rating"]),
    # a rectification and its deadline come together, and are required for 不合格 or an item not in order
    ({"rectify_by": ""}, ["inspection.rectify_by_required"]),
    ({"rectification": ""}, ["inspection.rectification_required"]),
    ({"rectification": "", "rectify_by": ""}, ["inspection.rectification_needed"]),
    ({"rectification": "", "rectify_by": "", "rating": "fail", "checks": {"ledger": "in_order"}},
     ["inspection.rectification_needed"]),
    ({"rectify_by": days(-2).isoformat()}, ["inspection.rectify_by"]),
    ({"campaign": ""}, ["inspection.campaign_required"]),
    ({"campaign": 999999}, ["inspection.campaign"]),
    # every rule at once
    ({"date": "", "inspectors": "", "findings": "", "rating": ""},
     ["inspection.date_required", "inspection.inspectors_required", "inspection.findings_required",
      "inspection.rating_required"]),
])
def test_every_rule_of_an_inspection(overrides, expected, tree, users, campaign):
    with pytest.raises(RuleViolationError) as raised:
        record_inspection(actor=users["unit_admin_a"], collective=tree["collective_a"],
                          data=inspection_data(campaign, **overrides))
    assert codes(raised) == expected
    assert not Inspection.objects.exists() and not AuditEntry.objects.filter(action="inspection.create").exists()


def test_the_messages_say_which_value_and_which_item(tree, users, campaign):
    with pytest.raises(RuleViolationError) as raised:
        record_inspection(actor=users["unit_admin_a"], collective=tree["collective_a"], data=inspection_data(
            campaign, rectification="", rectify_by="", rating="fail", date=days(3).isoformat()))
    messages = [violation.message for violation in raised.value.violations]
    assert f"考察日期{days(3):%Y-%m-%d}晚于今天" in messages[0]
    assert messages[1] == "考察结果为不合格，“标识上墙”不符合要求，须提出整改要求并填写整改期限"


def test_a_campaign_the_collective_does_not_take_part_in_is_refused(tree, users):
    other_city = factories.unit(name="烟台市团委", kind="city")
    district = factories.campaign(office=tree["area_b"], level="district")  # 文登区's own: not for 环翠
    for campaign in (factories.campaign(office=other_city), district):
        with pytest.raises(RuleViolationError) as raised:
            record_inspection(actor=users["city_admin"], collective=tree["collective_a"],
                              data=inspection_data(campaign))
        assert codes(raised) == ["inspection.campaign"]


@pytest.mark.parametrize(("actor", "collective"), [
    ("unit_admin_b", "collective_a"), ("leader_a", "collective_a"), ("judge", "collective_a")])
def test_only_an_admin_above_the_collective_records_an_inspection(actor, collective, tree, users, campaign):
    with pytest.raises(NotPermitted):
        record_inspection(actor=users[actor], collective=tree[collective], data=inspection_data(campaign))


# --- the rectification ---------------------------------------------------------------------------------------


@pytest.fixture
def asked(tree, users, campaign):
    """The city's inspection of collective_sub (under sub_a, under area_a), a rectification asked."""
    return record_inspection(actor=users["city_admin"], collective=tree["collective_sub"],
                             data=inspection_data(campaign))


@pytest.fixture
def leader_sub(tree):
    return factories.account(username="leader_sub", role=Role.COLLECTIVE, collective=tree["collective_sub"],
                             email="sub@example.cn")


def test_the_collective_answers_and_the_admins_from_the_inspecting_unit_down_hear_of_it(
        tree, users, asked, leader_sub, mailoutbox, django_capture_on_commit_callbacks):
    province = factories.unit(name="山东省团委", kind="province")
    factories.account(username="province", role=Role.CITY_ADMIN, unit=province)
    admin_sub = factories.account(username="jingyuan", role=Role.UNIT_ADMIN, unit=tree["sub_a"],
                                  email="jy@example.cn")
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        answered = change_rectification(actor=leader_sub, inspection=asked, to_state="answered",
                                        response="  已在大厅入口张贴标识和监督电话。 ")
    assert answered.rectification_state == "answered" and answered.response == "已在大厅入口张贴标识和监督电话。"
    assert answered.responded_by == leader_sub and answered.responded_at is not None
    notified = set(Notification.objects.values_list("recipient__username", flat=True))
    assert notified == {"city", "huancui", admin_sub.username}  # not wendeng, not the collective itself
    assert "环翠楼社区服务站反馈了" in Notification.objects.first().message
    assert [mail.to for mail in mailoutbox] == [["jy@example.cn"]]
    entry = AuditEntry.objects.get(action="inspection.respond")
    assert entry.before == {"rectification_state": "asked"}
    assert entry.after["response"] == "已在大厅入口张贴标识和监督电话。" and entry.after["photos"] == 0


def test_an_answer_needs_what_was_changed(asked, leader_sub):
    with pytest.raises(RuleViolationError) as raised:
        change_rectification(actor=leader_sub, inspection=asked, to_state="answered", response=" ")
    assert codes(raised) == ["inspection.response_required"]
    asked.refresh_from_db()
    assert asked.rectification_state == "asked"


def test_the_inspecting_unit_accepts_and_the_collective_hears_of_it(users, asked, leader_sub):
    change_rectification(actor=leader_sub, inspection=asked, to_state="answered", response="已整改。")
    Notification.objects.all().delete()
    accepted = change_rectification(actor=users["city_admin"], inspection=asked, to_state="accepted")
    assert accepted.rectification_state == "accepted"
    day = f"{asked.date.year}年{asked.date.month}月{asked.date.day}日"
    assert list(Notification.objects.values_list("recipient__username", "message")) == [
        ("leader_sub", f"威海市团委已验收通过{day}实地考察的整改，感谢配合。")]
    assert AuditEntry.objects.filter(action="inspection.accept").count() == 1


def test_asking_again_sets_a_new_deadline_with_a_comment_and_keeps_the_history(users, asked, leader_sub):
    change_rectification(actor=leader_sub, inspection=asked, to_state="answered", response="已张贴标识。")
    with pytest.raises(RuleViolationError) as raised:
        change_rectification(actor=users["city_admin"], inspection=asked, to_state="asked", comment="",
                             rectify_by=days(-1))
    assert codes(raised) == ["inspection.comment_required", "inspection.rectify_by"]
    again = change_rectification(actor=users["city_admin"], inspection=asked, to_state="asked",
                                 comment="监督电话号码有误，请更正。", rectify_by=days(7))
    assert again.rectification_state == "asked" and again.rectify_by == days(7)
    assert "新的整改期限为" in Notification.objects.filter(recipient__username="leader_sub").first().message
    change_rectification(actor=leader_sub, inspection=asked, to_state="answered", response="已更正监督电话。")
    history = inspection_history(asked)
    assert [entry.action for entry in history] == ["inspection.create", "inspection.respond", "inspection.reopen",
                                                   "inspection.respond"]
    assert history[2].after["comment"] == "监督电话号码有误，请更正。"
    assert history[2].after["rectify_by"] == days(7).isoformat()
    assert history[1].after["response"] == "已张贴标识。" and history[3].after["response"] == "已更正监督电话。"


def test_overdue_is_a_rectification_asked_past_its_deadline_and_not_answered(tree, users, campaign, asked,
                                                                             leader_sub):
    Inspection.objects.filter(pk=asked.pk).update(rectify_by=days(-1))
    assert Inspection.objects.filter(overdue_q()).count() == 1
    assert Inspection.objects.filter(overdue_q(days(-1))).count() == 0  # due today is not overdue yet
    assert inspection_summary(tree["area_a"], campaign).overdue == 1
    assert inspection_summary(tree["area_b"], campaign).overdue == 0
    change_rectification(actor=leader_sub, inspection=asked, to_state="answered", response="已整改。")
    assert not Inspection.objects.filter(overdue_q()).exists()  # answered late is no longer overdue


# --- photos --------------------------------------------------------------------------------------------------


def test_a_photo_is_checked_by_its_content_stored_and_audited(asked, leader_sub, media_storage,  # noqa: F811
                                                              django_capture_on_commit_callbacks):
    media_root, temp_dir = media_storage
    photo = add_inspection_photo(actor=leader_sub, inspection=asked, upload=upload("整改后.png", png(800, 600)))
    assert (photo.content_type, photo.width, photo.height) == ("image/png", 800, 600)
    assert photo.original.name.startswith(f"inspections/{asked.collective_id}/{asked.pk}/")
    assert len(files_under(media_root)) == 1 and files_under(temp_dir) == []
    entry = AuditEntry.objects.get(action="inspection.photo_upload")
    assert entry.after["file"] == "整改后.png" and entry.after["sha256"] == photo.sha256
    with django_capture_on_commit_callbacks(execute=True):  # the file goes once the removal is committed
        remove_inspection_photo(actor=leader_sub, inspection=asked, photo_id=photo.pk)
    assert not InspectionPhoto.objects.exists() and files_under(media_root) == []
    assert AuditEntry.objects.filter(action="inspection.photo_remove").count() == 1


@pytest.mark.parametrize(("name", "data", "code", "text"), [
    ("说明.jpg", b"not a picture at all", "file.type", "不是可识别的图片文件；整改照片只能上传JPEG或PNG格式的图片"),
    ("方案.pdf", b"%PDF-1.4\n%%EOF\n", "file.type", "整改照片只能上传JPEG或PNG格式的图片"),
    ("空.jpg", b"", "file.empty", "是空文件"),
    ("残缺.jpg", jpeg(800, 600)[:2000], "photo.corrupt", "已损坏"),
])
def test_anything_but_a_whole_jpeg_or_png_is_refused_and_leaves_nothing(name, data, code, text, asked, leader_sub,
                                                                       media_storage):  # noqa: F811
    media_root, temp_dir = media_storage
    with pytest.raises(RuleViolationError) as raised:
        add_inspection_photo(actor=leader_sub, inspection=asked, upload=upload(name, data))
    assert codes(raised) == [code] and text in raised.value.violations[0].message
    assert not InspectionPhoto.objects.exists() and files_under(media_root) == [] and files_under(temp_dir) == []


def test_a_failing_upload_leaves_no_row_and_no_file(asked, leader_sub, media_storage, monkeypatch):  # noqa: F811
    media_root, _ = media_storage

    def broken(**kwargs):
        raise RuntimeError("the audit log is down")

    monkeypatch.setattr(services, "record_audit", broken)
    with pytest.raises(RuntimeError):
        add_inspection_photo(actor=leader_sub, inspection=asked, upload=upload("整改后.jpg", jpeg(800, 600)))
    assert not InspectionPhoto.objects.exists() and files_under(media_root) == []


def test_a_photo_too_large_is_refused_while_streaming(asked, leader_sub, media_storage, settings):  # noqa: F811
    media_root, _ = media_storage
    settings.WMH_LEDGER_FILE_MAX_BYTES = 10_000
    with pytest.raises(UploadTooLarge):
        add_inspection_photo(actor=leader_sub, inspection=asked, upload=upload("大图.jpg", jpeg(1600, 1200)))
    assert files_under(media_root) == []


def test_photos_change_only_while_the_collective_works_on_its_answer(asked, leader_sub, media_storage):  # noqa: F811
    photo = add_inspection_photo(actor=leader_sub, inspection=asked, upload=upload("1.jpg", jpeg(800, 600)))
    change_rectification(actor=leader_sub, inspection=asked, to_state="answered", response="已整改。")
    asked.refresh_from_db()
    for attempt in (lambda: add_inspection_photo(actor=leader_sub, inspection=asked,
                                                 upload=upload("2.jpg", jpeg(800, 600, seed=2))),
                    lambda: remove_inspection_photo(actor=leader_sub, inspection=asked, photo_id=photo.pk)):
        with pytest.raises(RuleViolationError) as raised:
            attempt()
        assert codes(raised) == ["inspection.state"]
    assert InspectionPhoto.objects.count() == 1


def test_only_the_collectives_accounts_add_photos(users, asked, media_storage):  # noqa: F811
    with pytest.raises(NotPermitted):
        add_inspection_photo(actor=users["city_admin"], inspection=asked, upload=upload("1.jpg", jpeg(800, 600)))


def test_photos_are_limited_in_number(asked, leader_sub, media_storage, monkeypatch):  # noqa: F811
    monkeypatch.setattr(services, "MAX_PHOTOS", 2)
    for seed in (1, 2):
        add_inspection_photo(actor=leader_sub, inspection=asked,
                             upload=upload(f"{seed}.jpg", jpeg(800, 600, seed=seed)))
    with pytest.raises(RuleViolationError) as raised:
        add_inspection_photo(actor=leader_sub, inspection=asked, upload=upload("3.jpg", jpeg(800, 600, seed=3)))
    assert codes(raised) == ["inspection.too_many_photos"] and MAX_PHOTOS == 20
