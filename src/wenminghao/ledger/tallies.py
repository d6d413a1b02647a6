"""The ledger's tallies (``LedgerTally``, ``LedgerMonthTally``): per collective and campaign, the entries of each
activity, the open-week visitors and the members who attended a study session, and the entries per month.

They are counts of the ledger kept beside it so that a dashboard over a province's 7,500 collectives reads 7,500
rows instead of its 300,000 entries and 1,000,000 attendances (docs/benchmarks.md). Kept, not cached: every write of
an entry recounts its collective's tally in the write's own transaction (``recount``, from ``ledger.services``), as
does the removal of a member (``member_removed``, connected to ``Member``'s ``post_delete`` in ``apps.py``: the
collectives app, a lower layer, knows nothing of the ledger). ``rebuild`` recounts every tally from the ledger in a
few grouped queries (``manage.py recount_ledger_tallies``, the benchmarks' bulk loads; the migration that created
the tables counts them with its own copy of the queries); ``tests/ledger/test_tallies.py`` holds the tallies against
a recount after every kind of write.

Recounting, not adding and subtracting: a collective's entries of a campaign are at most some hundreds, and a recount
cannot drift (a whole entry write with its recount: 8–24 ms, bench/evaluation_scale.py). The collective's row is
locked first, so that two writers of one collective's ledger recount one after the other, each seeing the other's
entry."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice

from django.db import connection, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.db.models.functions import TruncMonth

from wenminghao.collectives.models import Collective, Member

from .enums import Activity
from .models import LedgerEntry, LedgerMonthTally, LedgerTally

ACTIVITY_FIELDS = tuple(Activity.values)  # a tally's count of an activity is the field named as its value
TALLY_FIELDS = (*ACTIVITY_FIELDS, "visitors", "study_attended")
BATCH_SIZE = 2000
Attendance = LedgerEntry.attendees.through


def _activity_counts() -> dict:
    return {value: Count("id", filter=Q(activity=value)) for value in ACTIVITY_FIELDS}


def _write(model, objects: Iterable) -> int:
    """Insert ``objects`` in batches, never holding more than one batch of them; returns how many."""
    written = 0
    objects = iter(objects)
    while batch := list(islice(objects, BATCH_SIZE)):
        model.objects.bulk_create(batch)
        written += len(batch)
    return written


def lock_collective(collective_id: int) -> None:
    """Lock the collective's row for the transaction (FOR NO KEY UPDATE: rows referring to it may still be written).
    Every writer of a collective's ledger takes it first, before any entry's row, so that writers of one ledger
    queue in one order: an entry's writer and a member's removal (which touches the entries it attended) cannot
    deadlock."""
    list(Collective.objects.select_for_update(no_key=True).filter(pk=collective_id).values_list("pk"))


def recount(collective_id: int, campaign_id: int) -> None:
    """Recount the tallies of one collective in one campaign from its ledger; deletes them when it has no entry
    left. Call it inside the transaction that changed the ledger (it locks the collective's row)."""
    with transaction.atomic():
        lock_collective(collective_id)
        entries = LedgerEntry.objects.filter(collective_id=collective_id, campaign_id=campaign_id).order_by()
        counts = entries.aggregate(total=Count("id"), visitors=Sum("visitors", filter=Q(activity=Activity.OPEN_WEEK)),
                                   **_activity_counts())
        LedgerMonthTally.objects.filter(collective_id=collective_id, campaign_id=campaign_id).delete()
        if not counts["total"]:
            LedgerTally.objects.filter(collective_id=collective_id, campaign_id=campaign_id).delete()
            return
        attended = Member.objects.filter(collective_id=collective_id).filter(Exists(
            Attendance.objects.filter(member_id=OuterRef("pk"), ledgerentry__campaign_id=campaign_id,
                                      ledgerentry__collective_id=collective_id))).count()
        LedgerTally.objects.update_or_create(
            collective_id=collective_id, campaign_id=campaign_id,
            defaults={**{value: counts[value] for value in ACTIVITY_FIELDS}, "visitors": counts["visitors"] or 0,
                      "study_attended": attended})
        months = entries.annotate(month=TruncMonth("date")).values("month").annotate(**_activity_counts())
        LedgerMonthTally.objects.bulk_create([
            LedgerMonthTally(collective_id=collective_id, campaign_id=campaign_id, month=row["month"],
                             **{value: row[value] for value in ACTIVITY_FIELDS})
            for row in months])


def member_removed(sender, instance, **kwargs) -> None:
    """``post_delete`` of a member: its attendances went with it, so the collective's tallies that count attended
    members are recounted (in the deleting transaction)."""
    campaign_ids = list(LedgerTally.objects.filter(collective_id=instance.collective_id, study_attended__gt=0)
                        .values_list("campaign_id", flat=True))
    for campaign_id in campaign_ids:
        recount(instance.collective_id, campaign_id)


def _counted(campaign_id: int | None) -> tuple[Iterator[dict], Iterator[dict]]:
    """The tallies and month tallies the ledger holds now (of one campaign, or of all), as the fields of their rows,
    counted in three grouped queries and read as they are needed."""
    entries = LedgerEntry.objects.order_by()
    attendance = Attendance.objects.order_by().filter(member__collective_id=F("ledgerentry__collective_id"))
    if campaign_id is not None:
        entries = entries.filter(campaign_id=campaign_id)
        attendance = attendance.filter(ledgerentry__campaign_id=campaign_id)
    attended = {(row["ledgerentry__collective_id"], row["ledgerentry__campaign_id"]): row["n"] for row in (
        attendance.values("ledgerentry__collective_id", "ledgerentry__campaign_id")
        .annotate(n=Count("member_id", distinct=True)))}
    rows = (entries.values("collective_id", "campaign_id")
            .annotate(visitors=Sum("visitors", filter=Q(activity=Activity.OPEN_WEEK)), **_activity_counts()))
    months = (entries.annotate(month=TruncMonth("date")).values("collective_id", "campaign_id", "month")
              .annotate(**_activity_counts()))
    tallies = ({**row, "visitors": row["visitors"] or 0,
                "study_attended": attended.get((row["collective_id"], row["campaign_id"]), 0)}
               for row in rows.iterator(chunk_size=BATCH_SIZE))
    return tallies, months.iterator(chunk_size=BATCH_SIZE)


@transaction.atomic
def rebuild(*, campaign_id: int | None = None) -> tuple[int, int]:
    """Recount every tally (of one campaign, or of all) from the ledger; returns the number of tallies and of month
    tallies written. On PostgreSQL the two tables are locked against writes meanwhile (a writer's recount waits and
    then writes its own count); SQLite runs one writer at a time anyway."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {LedgerTally._meta.db_table}, {LedgerMonthTally._meta.db_table} "
                           "IN SHARE ROW EXCLUSIVE MODE")
    stale = {} if campaign_id is None else {"campaign_id": campaign_id}
    LedgerTally.objects.filter(**stale).delete()
    LedgerMonthTally.objects.filter(**stale).delete()
    tallies, months = _counted(campaign_id)
    return (_write(LedgerTally, (LedgerTally(**row) for row in tallies)),
            _write(LedgerMonthTally, (LedgerMonthTally(**row) for row in months)))


def discrepancies(*, campaign_id: int | None = None) -> list[str]:
    """How the kept tallies differ from a recount of the ledger, one line each (empty: they agree). For
    ``manage.py recount_ledger_tallies --check`` and the tests; holds a campaign's counts in memory."""
    stale = {} if campaign_id is None else {"campaign_id": campaign_id}
    tallies, months = _counted(campaign_id)
    key_fields = {"tally": ("collective_id", "campaign_id"), "month": ("collective_id", "campaign_id", "month")}
    value_fields = {"tally": TALLY_FIELDS, "month": ACTIVITY_FIELDS}
    problems = []
    for kind, counted, kept in (("tally", tallies, LedgerTally.objects.filter(**stale)),
                                ("month", months, LedgerMonthTally.objects.filter(**stale))):
        keys, values = key_fields[kind], value_fields[kind]
        expected = {tuple(row[name] for name in keys): tuple(row[name] for name in values) for row in counted}
        actual = {tuple(row[:len(keys)]): tuple(row[len(keys):])
                  for row in kept.values_list(*keys, *values).iterator(chunk_size=BATCH_SIZE)}
        for key in sorted(expected.keys() | actual.keys(), key=str):
            if expected.get(key) != actual.get(key):
                problems.append(f"{kind} {dict(zip(keys, key, strict=True))}: kept {actual.get(key)}, "
                                f"counted {expected.get(key)} ({', '.join(values)})")
    return problems
