"""查阅台账: the entries of the collectives in an admin's subtree, filtered and paged in the database; a collective
account goes to its own ledger, judges get 404; constant queries whatever the number of entries."""

import datetime
from urllib.parse import parse_qs, urlparse

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests import factories
from wenminghao.ledger import services

pytestmark = pytest.mark.django_db
URL = "/ledger/"


def text_of(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def ledgers(tree, users, make_entry):
    """An entry of each of the three collectives, and an older one of collective_a."""
    older = (timezone.localdate() - datetime.timedelta(days=60)).isoformat()
    return {
        "a": make_entry("study", tree["collective_a"], title="环翠窗口的学习"),
        "a_old": make_entry("open_week", tree["collective_a"], title="环翠窗口早先的开放周", date=older),
        "sub": make_entry("benchmark", tree["collective_sub"], actor=users["unit_admin_a"], title="社区对标"),
        "b": make_entry("open_week", tree["collective_b"], actor=users["leader_b"], title="文登供电开放周"),
    }


def test_the_url_is_the_ledgers_root(tree):
    assert reverse("ledger:review") == URL


def test_a_unit_admin_sees_the_entries_of_its_subtree_only(users, signed_in, ledgers):
    text = text_of(signed_in(users["unit_admin_a"]).get(URL))
    assert "环翠窗口的学习" in text and "社区对标" in text and "环翠窗口早先的开放周" in text
    assert "文登供电开放周" not in text
    other = text_of(signed_in(users["unit_admin_b"]).get(URL))
    assert "文登供电开放周" in other and "环翠窗口的学习" not in other


def test_the_city_sees_every_collective_and_each_row_links_to_the_entry_and_the_ledger(tree, users, signed_in,
                                                                                       ledgers):
    text = text_of(signed_in(users["city_admin"]).get(URL))
    for entry in ledgers.values():
        assert reverse("ledger:entry", args=[entry.pk]) in text
    ledger = reverse("ledger:collective", args=[tree["collective_b"].pk])
    assert f'{ledger}?campaign={ledgers["b"].campaign_id}' in text


def test_a_collective_account_goes_to_its_own_ledger_and_a_judge_gets_404(tree, users, signed_in):
    response = signed_in(users["leader_a"]).get(URL)
    assert response.status_code == 302
    assert response["Location"] == reverse("ledger:collective", args=[tree["collective_a"].pk])
    assert signed_in(users["judge"]).get(URL).status_code == 404


def test_filters_by_activity_unit_name_and_dates(tree, users, signed_in, ledgers):
    client = signed_in(users["unit_admin_a"])
    text = text_of(client.get(URL, {"activity": "study"}))
    assert "环翠窗口的学习" in text and "社区对标" not in text and "早先的开放周" not in text
    text = text_of(client.get(URL, {"unit": tree["sub_a"].pk}))
    assert "社区对标" in text and "环翠窗口的学习" not in text
    text = text_of(client.get(URL, {"q": "社区服务站"}))  # the collective's name
    assert "社区对标" in text and "环翠窗口的学习" not in text
    recent = (timezone.localdate() - datetime.timedelta(days=10)).isoformat()
    text = text_of(client.get(URL, {"date_from": recent}))
    assert "环翠窗口的学习" in text and "早先的开放周" not in text
    text = text_of(client.get(URL, {"date_to": recent}))
    assert "环翠窗口的学习" not in text and "早先的开放周" in text


def test_a_unit_outside_the_subtree_is_ignored(tree, users, signed_in, ledgers):
    text = text_of(signed_in(users["unit_admin_a"]).get(URL, {"unit": tree["area_b"].pk}))
    assert "文登供电开放周" not in text and "环翠窗口的学习" in text and "部分筛选条件有误" in text


def test_only_entries_with_open_comments(tree, users, signed_in, ledgers):
    services.add_comment(actor=users["unit_admin_a"], entry=ledgers["a"], text="请补充照片。")
    handled = services.add_comment(actor=users["unit_admin_a"], entry=ledgers["sub"], text="很好。")
    services.resolve_comment(actor=users["unit_admin_a"], comment=handled)
    client = signed_in(users["unit_admin_a"])
    text = text_of(client.get(URL, {"open_comments": "on"}))
    assert "环翠窗口的学习" in text and "社区对标" not in text and "早先的开放周" not in text
    assert "1条意见未处理" in text
    assert "1条意见（已处理）" in text_of(client.get(URL))


def test_the_newest_campaign_by_default_another_or_every_one_on_request(tree, users, signed_in, campaign, ledgers):
    older = factories.campaign(office=tree["city"], year=campaign.year - 1, name="上一年度的创建")
    services.create_entry(actor=users["leader_a"], collective=tree["collective_a"], campaign=older,
                          data={"activity": "open_week", "date": "2018-06-01", "title": "去年的开放周",
                                "shown": ["commitment"]})
    client = signed_in(users["unit_admin_a"])
    text = text_of(client.get(URL))
    assert "环翠窗口的学习" in text and "去年的开放周" not in text
    assert f'<option value="{campaign.pk}" selected>' in text
    text = text_of(client.get(URL, {"campaign": older.pk}))
    assert "去年的开放周" in text and "环翠窗口的学习" not in text
    text = text_of(client.get(URL, {"campaign": ""}))
    assert "去年的开放周" in text and "环翠窗口的学习" in text


def test_the_export_link_carries_the_filters(tree, users, signed_in, campaign, ledgers):
    text = text_of(signed_in(users["unit_admin_a"]).get(URL, {
        "unit": tree["sub_a"].pk, "activity": "benchmark", "date_from": "2018-01-01"}))
    start = text.index('data-testid="export-unit"')
    href = text[text.rindex('href="', 0, start) + 6:text.index('"', text.rindex('href="', 0, start) + 6)]
    address = urlparse(href.replace("&amp;", "&"))
    assert address.path == reverse("ledger:export_unit")
    assert parse_qs(address.query) == {"unit": [str(tree["sub_a"].pk)], "campaign": [str(campaign.pk)],
                                       "activity": ["benchmark"], "date_from": ["2018-01-01"]}


def test_the_list_is_paged(tree, users, signed_in, campaign, make_entry):
    for index in range(31):
        make_entry("open_week", tree["collective_a"], title=f"开放周{index:02d}")
    client = signed_in(users["unit_admin_a"])
    first = text_of(client.get(URL))
    assert "第 1 / 2 页，共 31 条" in first
    assert first.count('data-testid="collective-ledger-link"') == 30
    assert text_of(client.get(URL, {"page": 2})).count('data-testid="collective-ledger-link"') == 1


@pytest.mark.parametrize("role", ["unit_admin_a", "city_admin"])
def test_the_review_pages_queries_do_not_grow_with_the_entries(role, tree, users, signed_in, campaign, make_entry,
                                                               make_pairing, django_assert_num_queries):
    make_pairing(tree["collective_a"])
    client = signed_in(users[role])

    def add(count: int):
        for index in range(count):
            for activity in ("benchmark", "study", "families", "open_week"):
                entry = make_entry(activity, tree["collective_a"], title=f"{activity}{index}")
                services.add_comment(actor=users["unit_admin_a"], entry=entry, text="请补充。")
            make_entry("benchmark", tree["collective_sub"], actor=users["unit_admin_a"], title=f"社区{index}")

    add(1)
    client.get(URL)
    with CaptureQueriesContext(connection) as few:
        text_of(client.get(URL, {"open_comments": "on"}))
    add(5)
    with django_assert_num_queries(len(few.captured_queries)):
        text_of(client.get(URL, {"open_comments": "on"}))
