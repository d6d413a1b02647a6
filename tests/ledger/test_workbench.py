"""The workbench's ledger card: for a collective's leader, what its ledger still lacks in the newest campaign (the
activities with no entry, study coverage, pairings due for a 回头看, open comments of the unit), or 台账齐全; for an
admin, the entries of the subtree with open comments. A fixed number of queries whatever the ledger holds."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.ledger.conftest import FAMILY_REF
from wenminghao.ledger import services

pytestmark = pytest.mark.django_db
HOME = "/"


def home_of(client) -> str:
    response = client.get(HOME)
    assert response.status_code == 200
    return response.content.decode()


def test_the_home_url(tree):
    assert reverse("workbench:home") == HOME


def test_a_new_ledger_lists_every_activity_to_record_and_full_coverage_missing(tree, users, signed_in, campaign):
    text = home_of(signed_in(users["leader_a"]))
    assert 'data-testid="ledger-card"' in text and 'data-testid="ledger-complete"' not in text
    for activity in ("benchmark", "study", "families", "open_week"):
        url = reverse("ledger:entry_create", args=[tree["collective_a"].pk, activity])
        assert f"{url}?campaign={campaign.pk}" in text, activity
    assert "参学覆盖率 <strong>0%</strong>" in text and "还有8名成员从未参学" in text


def test_the_card_names_due_pairings_masked_and_open_comments(tree, users, signed_in, campaign, make_entry,
                                                              make_pairing):
    pairing = make_pairing(tree["collective_a"])  # paired 200 days ago, never reviewed: due
    study = make_entry("study", tree["collective_a"], title="五月的微团课")
    services.add_comment(actor=users["unit_admin_a"], entry=study, text="请补充参学照片。")
    text = home_of(signed_in(users["leader_a"]))
    assert 'data-testid="ledger-follow-up"' in text and "**************0042" in text and FAMILY_REF not in text
    assert reverse("ledger:pairing", args=[pairing.pk]) in text
    assert "1条评阅意见待处理" in text and "五月的微团课" in text and "请补充参学照片。" in text
    assert f'{reverse("ledger:entry", args=[study.pk])}#comments' in text
    assert "还有3名成员从未参学" in text  # 5 of the 8 attended
    missing = text[text.index('data-testid="ledger-missing"'):text.index('data-testid="ledger-coverage"')]
    assert "记录青年大学习" not in missing and "记录开放周" in missing


def test_a_complete_ledger_says_so(tree, users, signed_in, campaign, make_entry, make_pairing):
    pairing = make_pairing(tree["collective_a"])
    services.add_pairing_review(actor=users["leader_a"], pairing=pairing, data={
        "date": (timezone.localdate() - datetime.timedelta(days=3)).isoformat(), "outcome": "improving",
        "income_trend": "rising"})
    for activity in ("benchmark", "study", "families", "open_week"):
        make_entry(activity, tree["collective_a"])
    text = home_of(signed_in(users["leader_a"]))
    assert 'data-testid="ledger-complete"' in text and "台账齐全" in text
    assert 'data-testid="ledger-missing"' not in text and 'data-testid="ledger-follow-up"' not in text
    assert 'data-testid="ledger-open-comments"' not in text


def test_without_a_campaign_there_is_nothing_to_record(tree, users, signed_in):
    assert "尚无创建活动，暂不需要记录台账。" in home_of(signed_in(users["leader_a"]))


def test_an_admin_sees_the_entries_with_open_comments_in_its_subtree(tree, users, signed_in, campaign, make_entry):
    first = make_entry("study", tree["collective_a"])
    second = make_entry("open_week", tree["collective_a"])
    other = make_entry("open_week", tree["collective_b"], actor=users["leader_b"])
    services.add_comment(actor=users["unit_admin_a"], entry=first, text="请补充。")
    services.add_comment(actor=users["unit_admin_a"], entry=first, text="还有一处。")
    services.add_comment(actor=users["unit_admin_a"], entry=second, text="请补充。")
    services.add_comment(actor=users["unit_admin_b"], entry=other, text="请补充。")
    text = home_of(signed_in(users["unit_admin_a"]))
    assert 'data-testid="ledger-open-count">2<' in text
    assert f'{reverse("ledger:review")}?campaign=&amp;open_comments=on' in text
    assert 'data-testid="ledger-open-count">3<' in home_of(signed_in(users["city_admin"]))
    assert 'data-testid="ledger-open-count">1<' in home_of(signed_in(users["unit_admin_b"]))
    services.resolve_comment(actor=users["leader_b"], comment=other.comments.get())
    assert "辖区内没有待处理的评阅意见" in home_of(signed_in(users["unit_admin_b"]))


def test_a_judge_has_no_ledger_card(users, signed_in, campaign):
    assert 'data-testid="ledger-card"' not in home_of(signed_in(users["judge"]))


@pytest.mark.parametrize("role", ["leader_a", "unit_admin_a"])
def test_the_workbenchs_queries_do_not_grow_with_the_ledger(role, tree, users, signed_in, campaign, make_entry,
                                                            make_pairing, django_assert_num_queries):
    client = signed_in(users[role])

    def add(count: int, first: int):
        for index in range(first, first + count):
            make_pairing(tree["collective_a"], family_ref=f"37100200000{index:05d}")
            for activity in ("study", "families"):
                entry = make_entry(activity, tree["collective_a"], title=f"{activity}{index}")
                services.add_comment(actor=users["unit_admin_a"], entry=entry, text=f"意见{index}")

    add(1, 0)
    client.get(HOME)
    with CaptureQueriesContext(connection) as few:
        home_of(client)
    add(6, 1)
    with django_assert_num_queries(len(few.captured_queries)):
        home_of(client)
