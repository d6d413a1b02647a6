"""The ledger's tallies (ledger.tallies) hold what a recount of the ledger gives, after every kind of write: entries
created, changed (another month, other attendees, other visitors) and deleted, a member removed from the collective;
``rebuild`` and ``manage.py recount_ledger_tallies`` count them from scratch, ``--check`` finds a drift."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wenminghao.collectives.services import update_collective
from wenminghao.core.errors import RuleViolationError
from wenminghao.ledger import services, tallies
from wenminghao.ledger.models import LedgerMonthTally, LedgerTally

from .conftest import entry_data


def tally_of(collective, campaign) -> dict | None:
    row = LedgerTally.objects.filter(collective=collective, campaign=campaign).values(*tallies.TALLY_FIELDS).first()
    return row


def months_of(collective, campaign) -> dict:
    return {row.month: (row.benchmark, row.study, row.families, row.open_week)
            for row in LedgerMonthTally.objects.filter(collective=collective, campaign=campaign)}


def a_day_of_last_month() -> datetime.date:
    return timezone.localdate().replace(day=1) - datetime.timedelta(days=3)


@pytest.fixture
def pairing(make_pairing, tree):
    return make_pairing(tree["collective_a"])


def test_the_tally_follows_every_write_of_an_entry(tree, users, campaign, make_entry, pairing):
    collective = tree["collective_a"]
    members = list(collective.members.order_by("id"))
    assert tally_of(collective, campaign) is None

    study = make_entry("study", collective)  # members 1–5 attend
    make_entry("study", collective, attendees=[members[4].pk, members[5].pk])  # 5 again, and 6
    make_entry("benchmark", collective)
    make_entry("families", collective)
    week = make_entry("open_week", collective, visitors=36)
    make_entry("open_week", collective, visitors=14)
    assert tally_of(collective, campaign) == {"benchmark": 1, "study": 2, "families": 1, "open_week": 2,
                                              "visitors": 50, "study_attended": 6}
    this_month = (timezone.localdate() - datetime.timedelta(days=1)).replace(day=1)
    assert months_of(collective, campaign) == {this_month: (1, 2, 1, 2)}

    # changed: the first session moves to last month with two attendees, the open week counts 20 visitors
    earlier = a_day_of_last_month()
    services.update_entry(actor=users["leader_a"], entry=study, data=entry_data(
        "study", collective, date=earlier.isoformat(), attendees=[members[0].pk, members[1].pk]))
    services.update_entry(actor=users["leader_a"], entry=week, data=entry_data("open_week", collective, visitors=20))
    assert tally_of(collective, campaign) == {"benchmark": 1, "study": 2, "families": 1, "open_week": 2,
                                              "visitors": 34, "study_attended": 4}  # members 1, 2, 5, 6
    assert months_of(collective, campaign) == {earlier.replace(day=1): (0, 1, 0, 0), this_month: (1, 1, 1, 2)}

    services.delete_entry(actor=users["leader_a"], entry=study)
    assert tally_of(collective, campaign)["study_attended"] == 2
    assert months_of(collective, campaign) == {this_month: (1, 1, 1, 2)}
    assert tallies.discrepancies() == []


def test_the_last_entry_deleted_takes_the_tally_with_it(tree, users, campaign, make_entry):
    entry = make_entry("benchmark", tree["collective_a"])
    assert tally_of(tree["collective_a"], campaign)["benchmark"] == 1
    services.delete_entry(actor=users["leader_a"], entry=entry)
    assert tally_of(tree["collective_a"], campaign) is None
    assert months_of(tree["collective_a"], campaign) == {}


def test_a_refused_entry_leaves_the_tally_as_it_was(tree, users, campaign, make_entry):
    make_entry("open_week", tree["collective_a"], visitors=36)
    before = tally_of(tree["collective_a"], campaign)
    with pytest.raises(RuleViolationError):
        make_entry("open_week", tree["collective_a"], visitors=-5)
    assert tally_of(tree["collective_a"], campaign) == before


def test_a_member_removed_from_the_collective_leaves_the_attended_count(tree, users, campaign, make_entry):
    collective = tree["collective_a"]
    members = list(collective.members.order_by("id"))
    make_entry("study", collective, attendees=[members[1].pk, members[2].pk])
    assert tally_of(collective, campaign)["study_attended"] == 2
    kept = [{"id": member.pk, "name": member.name, "birth_date": member.birth_date, "post": member.post,
             "is_leader": member.is_leader} for member in members if member.pk != members[2].pk]
    update_collective(actor=users["unit_admin_a"], collective=collective, fields={}, members=kept)
    assert tally_of(collective, campaign)["study_attended"] == 1
    assert tallies.discrepancies() == []


def test_rebuild_counts_the_same_tallies_from_the_ledger(tree, users, campaign, make_entry, pairing):
    for collective in (tree["collective_a"], tree["collective_b"]):
        make_entry("study", collective, actor=users["city_admin"])
        make_entry("open_week", collective, actor=users["city_admin"], visitors=7)
    make_entry("families", tree["collective_a"])
    kept = sorted(LedgerTally.objects.values_list("collective", "campaign", *tallies.TALLY_FIELDS))
    kept_months = sorted(LedgerMonthTally.objects.values_list("collective", "campaign", "month",
                                                              *tallies.ACTIVITY_FIELDS))
    LedgerTally.objects.all().delete()
    assert tallies.rebuild() == (2, 2)
    assert sorted(LedgerTally.objects.values_list("collective", "campaign", *tallies.TALLY_FIELDS)) == kept
    assert sorted(LedgerMonthTally.objects.values_list("collective", "campaign", "month",
                                                       *tallies.ACTIVITY_FIELDS)) == kept_months


def test_the_command_finds_a_drift_and_recounts(tree, users, campaign, make_entry):
    make_entry("open_week", tree["collective_a"], visitors=36)
    LedgerTally.objects.update(visitors=5)
    out = io.StringIO()
    with pytest.raises(CommandError, match="台账计数有 1 处与台账不一致"):
        call_command("recount_ledger_tallies", "--check", stdout=out)
    assert "kept (0, 0, 0, 1, 5, 0), counted (0, 0, 0, 1, 36, 0)" in out.getvalue()
    call_command("recount_ledger_tallies", f"--campaign={campaign.pk}", stdout=out)
    assert "已重新统计：1 个集体的台账计数，1 个月度计数。" in out.getvalue()
    call_command("recount_ledger_tallies", "--check", stdout=out)
    assert out.getvalue().endswith("台账计数与台账一致。\n")
    with pytest.raises(CommandError, match="没有 id 为 999999 的创建活动"):
        call_command("recount_ledger_tallies", "--campaign=999999")


WRITES = st.lists(st.tuples(st.sampled_from(["create", "update", "delete"]),
                            st.sampled_from(["benchmark", "study", "open_week"]),
                            st.integers(min_value=0, max_value=40),  # days ago
                            st.sets(st.integers(min_value=0, max_value=7), min_size=1, max_size=4),  # attendees
                            st.integers(min_value=0, max_value=300)),  # visitors
                  min_size=1, max_size=8)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(writes=WRITES)
def test_any_sequence_of_writes_keeps_the_tallies_equal_to_a_recount(writes, tree, users, campaign):
    collective = tree["collective_b"]
    members = list(collective.members.order_by("id"))
    made = []
    try:
        for kind, activity, days_ago, attendees, visitors in writes:
            day = (timezone.localdate() - datetime.timedelta(days=days_ago)).isoformat()
            data = entry_data(activity, collective, date=day, attendees=[members[i].pk for i in attendees],
                              visitors=visitors)
            if kind == "create" or not made:
                made.append(services.create_entry(actor=users["leader_b"], collective=collective, campaign=campaign,
                                                  data=data))
            elif kind == "update":
                entry = made[visitors % len(made)]
                services.update_entry(actor=users["leader_b"], entry=entry,
                                      data=entry_data(entry.activity, collective, date=day, visitors=visitors,
                                                      attendees=[members[i].pk for i in attendees]))
            else:
                services.delete_entry(actor=users["leader_b"], entry=made.pop(visitors % len(made)))
        assert tallies.discrepancies() == []
    finally:
        for entry in made:
            services.delete_entry(actor=users["leader_b"], entry=entry)


@pytest.mark.django_db(transaction=True)
def test_the_migration_counts_the_tallies_of_the_ledger_it_finds(tree, users, campaign, make_entry):
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    make_entry("study", tree["collective_a"])
    make_entry("open_week", tree["collective_a"], visitors=12)
    make_entry("benchmark", tree["collective_b"], actor=users["city_admin"])
    kept = sorted(LedgerTally.objects.values_list("collective", "campaign", *tallies.TALLY_FIELDS))
    executor = MigrationExecutor(connection)
    executor.migrate([("ledger", "0002_ledgerentry_campaign_date_index")])  # the tables go
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())  # and come back, counted from the entries
    assert sorted(LedgerTally.objects.values_list("collective", "campaign", *tallies.TALLY_FIELDS)) == kept
    assert kept == [(tree["collective_a"].pk, campaign.pk, 0, 1, 0, 1, 12, 5),
                    (tree["collective_b"].pk, campaign.pk, 1, 0, 0, 0, 0, 0)]
    assert tallies.discrepancies() == []
