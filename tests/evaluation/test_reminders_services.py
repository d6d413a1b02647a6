"""Sending a reminder (催办提醒): whom it reaches (exactly the creating collectives of the subtree that lack the
activity in the campaign), whom it notifies and how, what it records, and what it refuses."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories
from tests.ledger.conftest import entry_data
from wenminghao.campaigns.services import decide_filing, file_creation
from wenminghao.core.errors import NotPermitted, RuleViolationError
from wenminghao.core.models import AuditEntry, Notification
from wenminghao.core.roles import Role
from wenminghao.evaluation.models import Reminder, ReminderRecipient
from wenminghao.evaluation.selectors.reminders import (
    caught_up_count,
    lacking_collectives,
    missing_counts,
    reminder_recipients,
)
from wenminghao.evaluation.services.reminders import MESSAGE_MAX_CHARS, send_reminder
from wenminghao.ledger import services as ledger_services

MESSAGE = "请尽快开展并记录开放周活动。"


@pytest.fixture
def world(tree, users, campaign, filings, make_entry):
    """Besides the conftest's filings (collective_a accepted, collective_sub and collective_b pending): a collective of
    area_a whose filing was returned, one of area_a that never filed, a study session of collective_a in the
    campaign and one of collective_sub in another campaign."""
    returned = factories.collective(unit=tree["area_a"], name="已退回报备的集体", honours=[("district", 2016)])
    filing = file_creation(actor=users["city_admin"], collective=returned, campaign=campaign)
    decide_filing(actor=users["unit_admin_a"], filing=filing, accept=False, comment="材料不全。")
    factories.collective(unit=tree["area_a"], name="未报备的集体")
    make_entry("study", tree["collective_a"])
    other = factories.campaign(office=tree["city"], year=campaign.year)
    file_creation(actor=users["city_admin"], collective=tree["collective_sub"], campaign=other)
    ledger_services.create_entry(actor=users["city_admin"], collective=tree["collective_sub"], campaign=other,
                                 data=entry_data("study", tree["collective_sub"]))
    return {"returned": returned}


def names(queryset):
    return sorted(collective.name for collective in queryset)


@pytest.mark.parametrize(("unit", "activity", "expected"), [
    # sub-units included, returned and unfiled collectives and other units' excluded; an entry of another campaign
    # does not count
    ("area_a", "study", ["环翠楼社区服务站"]),
    ("area_a", "open_week", ["环翠区政务服务中心窗口", "环翠楼社区服务站"]),
    ("sub_a", "study", ["环翠楼社区服务站"]),
    ("area_b", "study", ["文登区供电所"]),
    ("city", "study", ["文登区供电所", "环翠楼社区服务站"]),
    ("city", "benchmark", ["文登区供电所", "环翠区政务服务中心窗口", "环翠楼社区服务站"]),
])
def test_the_collectives_lacking_an_activity_are_exactly_the_creating_ones_without_an_entry(
        unit, activity, expected, tree, campaign, world):
    assert names(lacking_collectives(campaign, tree[unit], activity)) == expected
    counts = missing_counts(campaign, tree[unit])
    assert counts.missing[activity] == len(expected)
    assert counts.creating == {"area_a": 2, "sub_a": 1, "area_b": 1, "city": 3}[unit]


def test_a_reminder_reaches_exactly_the_collectives_lacking_the_activity(tree, users, campaign, world):
    reminder = send_reminder(actor=users["unit_admin_a"], campaign=campaign, unit=tree["area_a"],
                             activity="open_week", message=MESSAGE)
    recipients = ReminderRecipient.objects.filter(reminder=reminder)
    assert names(row.collective for row in recipients) == ["环翠区政务服务中心窗口", "环翠楼社区服务站"]
    assert reminder.recipient_count == 2 and reminder.unit == tree["area_a"]
    assert reminder.sent_by == users["unit_admin_a"]
    assert (reminder.activity, reminder.message, reminder.campaign) == ("open_week", MESSAGE, campaign)


def test_sending_notifies_every_active_account_of_the_collectives_once_by_platform_and_mail(
        tree, users, campaign, world, mailoutbox, settings, django_capture_on_commit_callbacks):
    settings.WMH_SITE_URL = "http://wmh.example.org"
    users["leader_a"].email = "leader-a@example.cn"
    users["leader_a"].save()
    factories.account(username="delegate_a", role=Role.COLLECTIVE, collective=tree["collective_a"],
                      is_delegate=True, email="delegate-a@example.cn")
    factories.account(username="gone_a", role=Role.COLLECTIVE, collective=tree["collective_a"], is_delegate=True,
                      is_active=False, email="gone@example.cn")
    factories.account(username="leader_sub", role=Role.COLLECTIVE, collective=tree["collective_sub"])
    with django_capture_on_commit_callbacks(execute=True):
        send_reminder(actor=users["unit_admin_a"], campaign=campaign, unit=tree["area_a"], activity="open_week",
                      message=MESSAGE)
    notified = set(Notification.objects.values_list("recipient__username", flat=True))
    assert notified == {"leader_a", "delegate_a", "leader_sub"}  # not leader_b (area_b), not the inactive account
    notification = Notification.objects.get(recipient=users["leader_a"])
    assert MESSAGE in notification.message and "开放周" in notification.message
    assert notification.link == f"{reverse('ledger:review')}?campaign={campaign.pk}"
    # One message per address: no collective sees the addresses of the others reminded with it.
    assert sorted(mail.to for mail in mailoutbox) == [["delegate-a@example.cn"], ["leader-a@example.cn"]]
    assert MESSAGE in mailoutbox[0].body
    assert f"http://wmh.example.org/ledger/?campaign={campaign.pk}" in mailoutbox[0].body


def test_the_notifications_link_opens_each_collectives_own_ledger_of_the_campaign(tree, users, campaign, world,
                                                                                 signed_in):
    send_reminder(actor=users["city_admin"], campaign=campaign, unit=tree["city"], activity="open_week",
                  message=MESSAGE)
    link = Notification.objects.get(recipient=users["leader_b"]).link
    response = signed_in(users["leader_b"]).get(link)
    assert response.status_code == 302
    own_ledger = reverse("ledger:collective", args=[tree["collective_b"].pk])
    assert response["Location"] == f"{own_ledger}?campaign={campaign.pk}"


def test_sending_is_audited(tree, users, campaign, world):
    reminder = send_reminder(actor=users["city_admin"], campaign=campaign, unit=tree["city"], activity="benchmark",
                             message=MESSAGE, ip_address="10.0.0.8")
    entry = AuditEntry.objects.get(action="reminder.send")
    assert entry.object_id == str(reminder.pk) and entry.unit_path == tree["city"].path
    assert entry.after["recipient_count"] == 3 and entry.after["activity"] == "benchmark"
    assert entry.after["message"] == MESSAGE and entry.ip_address == "10.0.0.8"


def test_nobody_lacking_the_activity_is_refused_with_a_clear_message(tree, users, campaign, world):
    # collective_a (with a study session) is area_a's only creating collective outside sub_a; sub_a's lacks it
    unit = factories.unit(parent=tree["city"], name="只有一个集体的团委")
    collective_a = tree["collective_a"]
    collective_a.unit = unit
    collective_a.save(update_fields=["unit"])
    with pytest.raises(RuleViolationError) as raised:
        send_reminder(actor=users["city_admin"], campaign=campaign, unit=unit, activity="study", message=MESSAGE)
    violation = raised.value.violations[0]
    assert violation.code == "reminder.nobody"
    assert "只有一个集体的团委" in violation.message and "都已有“青年大学习”的台账记录" in violation.message
    assert not Reminder.objects.exists() and not Notification.objects.exists()
    assert not AuditEntry.objects.filter(action="reminder.send").exists()


def test_the_same_reminder_again_within_a_minute_is_not_sent_twice(tree, users, campaign, world):
    first = send_reminder(actor=users["unit_admin_a"], campaign=campaign, unit=tree["area_a"], activity="open_week",
                          message=MESSAGE)
    colleague = factories.account(username="colleague_a", role=Role.UNIT_ADMIN, unit=tree["area_a"])
    with pytest.raises(RuleViolationError) as raised:
        send_reminder(actor=colleague, campaign=campaign, unit=tree["area_a"], activity="open_week", message="再次")
    assert raised.value.violations[0].code == "reminder.just_sent"
    assert "秒前" in raised.value.violations[0].message and "本次未重复发送" in raised.value.violations[0].message
    assert Reminder.objects.count() == 1 and Notification.objects.count() == Notification.objects.filter(
        message__contains=MESSAGE).count()
    # another activity, or the same one a minute later, is a new reminder
    send_reminder(actor=users["unit_admin_a"], campaign=campaign, unit=tree["area_a"], activity="benchmark",
                  message=MESSAGE)
    Reminder.objects.filter(pk=first.pk).update(sent_at=first.sent_at - datetime.timedelta(seconds=61))
    send_reminder(actor=users["unit_admin_a"], campaign=campaign, unit=tree["area_a"], activity="open_week",
                  message=MESSAGE)
    assert Reminder.objects.count() == 3


@pytest.mark.parametrize(("message", "code"), [
    ("", "reminder.message_required"),
    ("   ", "reminder.message_required"),
    ("催" * (MESSAGE_MAX_CHARS + 1), "reminder.message_too_long"),
])
def test_the_message_is_required_and_limited(message, code, tree, users, campaign, world):
    with pytest.raises(RuleViolationError) as raised:
        send_reminder(actor=users["unit_admin_a"], campaign=campaign, unit=tree["area_a"], activity="open_week",
                      message=message)
    assert [violation.code for violation in raised.value.violations] == [code]
    if code.endswith("too_long"):
        assert f"{MESSAGE_MAX_CHARS + 1}字，超过{MESSAGE_MAX_CHARS}字" in raised.value.violations[0].message


def test_an_unknown_activity_is_refused(tree, users, campaign, world):
    with pytest.raises(RuleViolationError) as raised:
        send_reminder(actor=users["unit_admin_a"], campaign=campaign, unit=tree["area_a"], activity="party",
                      message=MESSAGE)
    assert raised.value.violations[0].code == "reminder.activity"


@pytest.mark.parametrize(("actor", "unit"), [
    ("unit_admin_b", "area_a"),  # another unit's subtree
    ("unit_admin_a", "city"),  # the unit above
    ("leader_a", "area_a"),  # a collective
    ("judge", "city"),
])
def test_only_an_admin_of_the_unit_or_above_may_remind_it(actor, unit, tree, users, campaign, world):
    with pytest.raises(NotPermitted):
        send_reminder(actor=users[actor], campaign=campaign, unit=tree[unit], activity="open_week", message=MESSAGE)
    assert not Reminder.objects.exists()


def test_a_campaign_the_admin_does_not_see_is_refused(tree, users, world):
    other_city = factories.unit(name="烟台市团委", kind="city")
    foreign = factories.campaign(office=other_city)
    with pytest.raises(NotPermitted):
        send_reminder(actor=users["unit_admin_a"], campaign=foreign, unit=tree["area_a"], activity="open_week",
                      message=MESSAGE)


def test_recipients_show_who_has_made_an_entry_since(tree, users, campaign, world, make_entry):
    reminder = send_reminder(actor=users["unit_admin_a"], campaign=campaign, unit=tree["area_a"],
                             activity="open_week", message=MESSAGE)
    make_entry("open_week", tree["collective_sub"])
    make_entry("study", tree["collective_a"])  # another activity does not count
    rows = {row.collective.name: row for row in reminder_recipients(reminder)}
    assert rows["环翠楼社区服务站"].has_entry and rows["环翠楼社区服务站"].first_entry_at is not None
    assert not rows["环翠区政务服务中心窗口"].has_entry and rows["环翠区政务服务中心窗口"].first_entry_at is None
    assert caught_up_count(reminder) == 1


def test_sending_makes_the_same_number_of_queries_for_3_or_30_collectives(tree, users, campaign, world):
    def send(count: int) -> int:
        unit = factories.unit(parent=tree["city"], name=f"有{count}个集体的团委")
        for index in range(count):
            collective = factories.collective(unit=unit, name=f"集体{count}-{index}", honours=[("district", 2016)])
            file_creation(actor=users["city_admin"], collective=collective, campaign=campaign)
            factories.account(username=f"leader{count}-{index}", role=Role.COLLECTIVE, collective=collective)
        with CaptureQueriesContext(connection) as queries:
            reminder = send_reminder(actor=users["city_admin"], campaign=campaign, unit=unit, activity="families",
                                     message=MESSAGE)
        assert reminder.recipient_count == count
        assert Notification.objects.filter(message__contains=MESSAGE, recipient__collective__unit=unit).count() == count
        return len(queries.captured_queries)

    assert send(3) == send(30)
