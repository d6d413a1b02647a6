"""Two writers that lock different rows never deadlock on PostgreSQL: a collective's ledger entry (which locks the
collective and refers to the campaign) and the office scoring the campaign in bulk (which locks the campaign and
writes assessments referring to the collective). Row locks that are mutexes are FOR NO KEY UPDATE: PostgreSQL's
deferred foreign-key checks at commit take FOR KEY SHARE on the rows referred to, which FOR UPDATE would block —
each transaction then waited for the other's lock at its commit until PostgreSQL aborted one."""

import re
import threading
from pathlib import Path

import pytest
from django.db import connection, connections, transaction

from wenminghao.evaluation.models import Assessment
from wenminghao.evaluation.services.assessments import score_unscored_with_suggestions
from wenminghao.ledger import services as ledger_services
from wenminghao.ledger.models import LedgerEntry

from .conftest import entry_data

SOURCE = Path(__file__).resolve().parents[2] / "src" / "wenminghao"


def test_every_row_lock_lets_rows_that_refer_to_it_be_written():
    plain = [f"{path.relative_to(SOURCE)}:{number}" for path in SOURCE.rglob("*.py")
             for number, line in enumerate(path.read_text().splitlines(), start=1)
             if "select_for_update(" in line and not re.search(r"select_for_update\(no_key=True", line)]
    assert plain == [], "select_for_update(no_key=True) — FOR UPDATE blocks the foreign-key checks of other writers"


@pytest.mark.django_db(transaction=True)
def test_a_ledger_entry_and_the_bulk_scoring_at_once_both_commit(tree, users, campaign, filings):
    if connection.vendor != "postgresql":
        pytest.skip("row locks and deferred foreign-key checks are PostgreSQL's (SQLite runs one writer at a time)")
    both_written = threading.Barrier(2, timeout=10)
    failures = []

    def run(work):
        try:
            with transaction.atomic():
                work()
                both_written.wait()  # each holds its lock and its uncommitted rows: now both commit
        except Exception as error:  # noqa: BLE001  (reported below, from the main thread)
            failures.append(error)
            both_written.abort()
        finally:
            connections.close_all()

    collective = tree["collective_a"]
    writers = [
        threading.Thread(target=run, args=(lambda: ledger_services.create_entry(
            actor=users["leader_a"], collective=collective, campaign=campaign,
            data=entry_data("benchmark", collective)),)),
        threading.Thread(target=run, args=(lambda: score_unscored_with_suggestions(
            actor=users["city_admin"], campaign=campaign),)),
    ]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(timeout=30)
    assert failures == []
    assert LedgerEntry.objects.filter(collective=collective).count() == 1
    assert Assessment.objects.filter(campaign=campaign).count() == 3
