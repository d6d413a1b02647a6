"""The reminders page (催办提醒) and a reminder's page: what an admin sees, sending from the page (once, whatever the
double clicks), who gets 404, and a fixed number of queries whatever the number of collectives and reminders."""

import datetime
import re

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories
from wenminghao.campaigns.services import file_creation
from wenminghao.core.models import Notification
from wenminghao.core.roles import Role
from wenminghao.evaluation.models import Reminder
from wenminghao.evaluation.services.reminders import send_reminder


def page_text(response) -> str:
    return response.content.decode()


def url(campaign, **params) -> str:
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return reverse("evaluation:reminders", args=[campaign.pk]) + (f"?{query}" if query else "")


def test_the_page_counts_each_activity_and_lists_the_collectives_lacking_the_chosen_one(
        tree, users, campaign, filings, make_entry, signed_in):
    make_entry("study", tree["collective_a"])
    text = page_text(signed_in(users["unit_admin_a"]).get(url(campaign, activity="study")))
    assert re.search(r'data-testid="missing-study">1<', text)
    assert re.search(r'data-testid="missing-open_week">2<', text)
    assert " / 2个集体" in text
    lacking = text[text.index('data-testid="lacking-list"'):text.index('data-testid="reminder-history"')]
    assert "环翠楼社区服务站" in lacking and "环翠区政务服务中心窗口" not in lacking and "文登区供电所" not in lacking
    assert "尚未提醒过" in lacking
    # the message is prefilled in Chinese, naming the unit, the campaign and the activity
    assert "环翠区团委提醒：在“" in text and campaign.name in text and "青年文明号青年大学习" in text


def test_the_first_activity_someone_lacks_is_chosen_by_default(tree, users, campaign, filings, make_entry, signed_in):
    for key in ("collective_a", "collective_sub"):
        make_entry("benchmark", tree[key])
    text = page_text(signed_in(users["unit_admin_a"]).get(url(campaign)))
    assert 'name="activity" value="study"' in text


def test_an_admin_may_look_at_a_unit_below(tree, users, campaign, filings, signed_in):
    text = page_text(signed_in(users["unit_admin_a"]).get(url(campaign, unit=tree["sub_a"].pk, activity="study")))
    assert " / 1个集体" in text and "环翠楼社区服务站" in text


@pytest.mark.parametrize(("role", "unit"), [
    ("unit_admin_a", "area_b"),  # another unit
    ("unit_admin_a", "city"),  # the unit above
    ("unit_admin_a", "junk"),
    ("leader_a", None),  # a collective hears of reminders in its messages
    ("judge", None),
])
def test_others_get_404(role, unit, tree, users, campaign, filings, signed_in):
    params = {"unit": tree[unit].pk if unit in tree else unit} if unit else {}
    assert signed_in(users[role]).get(url(campaign, **params)).status_code == 404


def test_sending_from_the_page_goes_to_the_reminders_page_of_recipients(tree, users, campaign, filings, signed_in):
    client = signed_in(users["unit_admin_a"])
    response = client.post(url(campaign), {"unit": tree["area_a"].pk, "activity": "open_week",
                                           "message": "请记录开放周活动。"})
    reminder = Reminder.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("evaluation:reminder", args=[reminder.pk])
    assert reminder.recipient_count == 2 and reminder.message == "请记录开放周活动。"
    text = page_text(client.get(response["Location"]))
    assert "已向环翠区团委缺少“开放周”记录的2个集体发送提醒" in text
    assert "环翠区政务服务中心窗口" in text and "环翠楼社区服务站" in text and "尚未记录" in text


def test_a_double_submit_sends_once_and_says_it_was_just_sent(tree, users, campaign, filings, signed_in):
    client = signed_in(users["unit_admin_a"])
    data = {"unit": tree["area_a"].pk, "activity": "open_week", "message": "请记录开放周活动。"}
    assert client.post(url(campaign), data).status_code == 302
    notifications = Notification.objects.count()
    again = client.post(url(campaign), data)
    assert again.status_code == 422
    assert "刚向环翠区团委缺少“开放周”记录的2个集体发送过提醒，本次未重复发送" in page_text(again)
    assert Reminder.objects.count() == 1 and Notification.objects.count() == notifications


def test_a_refused_message_stays_in_its_field(tree, users, campaign, filings, signed_in):
    response = signed_in(users["unit_admin_a"]).post(url(campaign), {
        "unit": tree["area_a"].pk, "activity": "open_week", "message": "提" * 501})
    assert response.status_code == 422
    assert "提醒内容为501字，超过500字的上限" in page_text(response)
    assert not Reminder.objects.exists()


def test_nobody_lacking_says_so_and_offers_no_button(tree, users, campaign, filings, make_entry, signed_in):
    for key in ("collective_a", "collective_sub"):
        make_entry("open_week", tree[key])
    text = page_text(signed_in(users["unit_admin_a"]).get(url(campaign, activity="open_week")))
    assert 'data-testid="nobody-missing"' in text and 'data-testid="send-reminder"' not in text


def test_the_history_shows_reminders_of_the_subtree_only_and_who_caught_up(
        tree, users, campaign, filings, make_entry, signed_in):
    mine = send_reminder(actor=users["unit_admin_a"], campaign=campaign, unit=tree["area_a"], activity="open_week",
                         message="环翠区的提醒")
    city = send_reminder(actor=users["city_admin"], campaign=campaign, unit=tree["city"], activity="study",
                         message="全市的提醒")
    make_entry("open_week", tree["collective_sub"])
    text = page_text(signed_in(users["unit_admin_a"]).get(url(campaign)))
    history = text[text.index('data-testid="reminder-history"'):]
    assert f'data-reminder="{mine.pk}"' in history and f'data-reminder="{city.pk}"' not in history
    assert re.search(r'data-testid="caught-up">1<', history)
    city_text = page_text(signed_in(users["city_admin"]).get(url(campaign)))
    assert f'data-reminder="{mine.pk}"' in city_text and f'data-reminder="{city.pk}"' in city_text


@pytest.mark.parametrize(("role", "status"), [
    ("city_admin", 200), ("unit_admin_a", 200), ("unit_admin_b", 404), ("leader_a", 404), ("judge", 404)])
def test_a_reminders_page_is_for_the_admins_of_its_unit_and_above(role, status, tree, users, campaign, filings,
                                                                  signed_in):
    reminder = send_reminder(actor=users["unit_admin_a"], campaign=campaign, unit=tree["area_a"],
                             activity="open_week", message="提醒")
    assert signed_in(users[role]).get(reverse("evaluation:reminder", args=[reminder.pk])).status_code == status


def _creating(tree, users, campaign, count: int, prefix: str) -> None:
    for index in range(count):
        collective = factories.collective(unit=tree["sub_a"], name=f"{prefix}{index}", honours=[("district", 2016)])
        file_creation(actor=users["city_admin"], collective=collective, campaign=campaign)
        factories.account(username=f"{prefix}-leader{index}", role=Role.COLLECTIVE, collective=collective)


def test_the_reminders_page_makes_the_same_queries_whatever_the_collectives_and_reminders(
        tree, users, campaign, filings, signed_in):
    client = signed_in(users["unit_admin_a"])
    page = url(campaign, activity="open_week")

    def grow(count: int, prefix: str) -> None:
        _creating(tree, users, campaign, count, prefix)
        for activity in ("benchmark", "study", "families"):
            send_reminder(actor=users["unit_admin_a"], campaign=campaign, unit=tree["area_a"], activity=activity,
                          message=f"{prefix}{activity}")
        Reminder.objects.update(sent_at=F("sent_at") - datetime.timedelta(minutes=5))  # not a double submit

    grow(1, "少")
    client.get(page)  # the session's first request
    with CaptureQueriesContext(connection) as few:
        assert client.get(page).status_code == 200
    grow(25, "多")
    with CaptureQueriesContext(connection) as many:
        assert client.get(page).status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


def test_a_reminders_page_makes_the_same_queries_whatever_its_recipients(tree, users, campaign, filings,
                                                                         signed_in, make_entry):
    client = signed_in(users["city_admin"])

    def page_queries(count: int, prefix: str) -> int:
        _creating(tree, users, campaign, count, prefix)
        reminder = send_reminder(actor=users["city_admin"], campaign=campaign, unit=tree["city"],
                                 activity="open_week" if prefix == "少" else "study", message=prefix)
        address = reverse("evaluation:reminder", args=[reminder.pk])
        client.get(address)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(address).status_code == 200
        return len(queries.captured_queries)

    assert page_queries(1, "少") == page_queries(40, "多")
