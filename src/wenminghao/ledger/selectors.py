"""Every read of the ledger and the pairings, scoped to the user: the collective's own accounts see its records,
admins those of the collectives in their unit subtree (by the materialized path), nobody else anything (judges
included). Lists are paged in the database; their per-row counts are correlated subqueries, evaluated for the
page's rows only; summaries are aggregates in SQL."""

import datetime
from dataclasses import dataclass, field

from django.db.models import (
    Aggregate,
    BooleanField,
    Count,
    ExpressionWrapper,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.utils import timezone

from wenminghao.campaigns.models import Campaign
from wenminghao.campaigns.selectors import creating_filings, structure_of
from wenminghao.collectives.models import Collective, Member
from wenminghao.core.http import get_object_for, get_visible_or_404, int_or_none
from wenminghao.core.queries import count_of

from .enums import Activity, PairingState
from .models import EntryAttachment, EntryComment, LedgerEntry, LedgerTally, Pairing, PairingReview

# A pairing is due for its follow-up review (回头看) when its last one (or its start) is this long ago.
FOLLOW_UP_INTERVAL = datetime.timedelta(days=180)


def in_subtree(path: str, collective_field: str = "collective") -> Q:
    """Rows of the collectives in the subtree of the unit whose path is ``path``. The condition is written twice on
    purpose, once for each planner (bench/ledger_scale.py, docs/benchmarks.md): the join on the unit's path lets
    PostgreSQL start from the path's index; the list of the subtree's collective ids lets SQLite, which has no
    planner statistics, reach the entries through the (collective, campaign, …) index instead of reading every
    entry of the campaign."""
    return Q(**{f"{collective_field}__unit__path__startswith": path,
                f"{collective_field}__in": Collective.objects.filter(unit__path__startswith=path).values("pk")})


def _scope(user, queryset: QuerySet, collective_field: str = "collective") -> QuerySet:
    if not user.is_authenticated:
        return queryset.none()
    if user.is_admin and user.unit_id:
        return queryset.filter(in_subtree(user.unit.path, collective_field))
    if user.collective_id:
        return queryset.filter(**{f"{collective_field}_id": user.collective_id})
    return queryset.none()  # judges, and accounts without a place


def entries_visible_to(user) -> QuerySet[LedgerEntry]:
    return _scope(user, LedgerEntry.objects.all())


def pairings_visible_to(user) -> QuerySet[Pairing]:
    return _scope(user, Pairing.objects.all())


def comments_visible_to(user) -> QuerySet[EntryComment]:
    return _scope(user, EntryComment.objects.all(), "entry__collective")


def with_list_counts(queryset: QuerySet[LedgerEntry]) -> QuerySet[LedgerEntry]:
    """Each entry with its attendee, attachment, comment and open comment counts (for its row of a list)."""
    return queryset.annotate(
        attendee_count=count_of(LedgerEntry.attendees.through.objects.filter(ledgerentry=OuterRef("pk")),
                                "ledgerentry"),
        attachment_count=count_of(EntryAttachment.objects.filter(entry=OuterRef("pk")), "entry"),
        comment_count=count_of(EntryComment.objects.filter(entry=OuterRef("pk")), "entry"),
        open_comment_count=count_of(EntryComment.objects.filter(entry=OuterRef("pk"), resolved_at__isnull=True),
                                    "entry"),
    )


def entry_list(user, *, collective=None, campaign=None, unit=None, activity: str = "",
               date_from: datetime.date | None = None, date_to: datetime.date | None = None,
               search: str = "", open_comments: bool = False) -> QuerySet[LedgerEntry]:
    """The visible entries, filtered, newest first, with what a row of a list shows: the collective and its unit,
    the pairing (masked), the leader of a study session, the kinds of help and the items shown, and the counts.
    A fixed number of queries per page (one, plus one per prefetch), whatever the number of entries."""
    queryset = entries_visible_to(user)
    if collective is not None:
        queryset = queryset.filter(collective=collective)
    if campaign is not None:
        queryset = queryset.filter(campaign=campaign)
    if unit is not None:
        queryset = queryset.filter(in_subtree(unit.path))
    if activity:
        queryset = queryset.filter(activity=activity)
    if date_from is not None:
        queryset = queryset.filter(date__gte=date_from)
    if date_to is not None:
        queryset = queryset.filter(date__lte=date_to)
    if search:
        queryset = queryset.filter(Q(title__icontains=search) | Q(collective__name__icontains=search))
    if open_comments:
        # The open comments are few (they get handled): their entries' ids as a list, not a probe per entry.
        queryset = queryset.filter(pk__in=EntryComment.objects.filter(resolved_at__isnull=True).values("entry_id"))
    return with_list_counts(
        queryset.select_related("collective", "collective__unit", "campaign", "pairing", "led_by", "created_by")
        .prefetch_related("help_kinds", "shown_items")
        .order_by("-date", "-id")
    )


def _comments_prefetch() -> Prefetch:
    return Prefetch("comments", queryset=EntryComment.objects.select_related("author", "author_unit", "resolved_by")
                    .order_by("created_at", "id"))


def entry_detail_queryset(user) -> QuerySet[LedgerEntry]:
    """The visible entries with everything their own page and the API's answer show."""
    return entries_visible_to(user).select_related(
        "collective", "collective__unit", "campaign", "campaign__office", "pairing", "led_by", "created_by",
        "meets_target",
    ).prefetch_related(
        "help_kinds", "shown_items", "attachments", _comments_prefetch(),
        Prefetch("attendees", queryset=Member.objects.order_by("-is_leader", "id")),
    )


def api_entry_list(user, **filters) -> QuerySet[LedgerEntry]:
    """``entry_list`` with what the API answers of each entry: attendees' ids, files and comments (one query
    each per page)."""
    return entry_list(user, **filters).prefetch_related(
        "attachments", _comments_prefetch(),
        Prefetch("attendees", queryset=Member.objects.order_by("-is_leader", "id").only("id", "collective_id")),
    )


def get_entry_for(user, pk: int, perm: str | None = None, *, denied: str = "您没有权限执行此操作。") -> LedgerEntry:
    """One entry the user may see (404 otherwise), with its details, checked for ``perm`` (403 with ``denied``)."""
    return get_object_for(user, entry_detail_queryset(user), pk, perm, denied=denied)


def get_attachment_for(user, entry_pk: int, pk: int) -> EntryAttachment:
    """A file of an entry the user may see: 404 for a file of an invisible entry, as for one that is not there."""
    return get_visible_or_404(
        EntryAttachment.objects.filter(entry__in=entries_visible_to(user)).select_related("entry"),
        pk=pk, entry_id=entry_pk,
    )


def get_comment_for(user, pk: int, perm: str | None = None, *, denied: str = "您没有权限执行此操作。") -> EntryComment:
    """A comment on an entry the user may see (404 otherwise); ``perm`` is checked on its entry."""
    comment = get_visible_or_404(comments_visible_to(user).select_related("entry", "entry__collective__unit"), pk=pk)
    get_object_for(user, LedgerEntry.objects.filter(pk=comment.entry_id).select_related("collective__unit"),
                   comment.entry_id, perm, denied=denied)
    return comment


def ledger_campaigns(collective) -> QuerySet:
    """The campaigns a collective keeps a ledger for: those run by an office above its unit, newest first."""
    return Campaign.objects.filter(office_id__in=collective.unit.ancestor_ids).select_related("office") \
        .order_by("-year", "-id")


def campaign_of_ledger(collective, requested=None):
    """The campaign a ledger page shows: the requested one (an id; ignored unless it is one of the collective's),
    else the newest. None when the collective takes part in none."""
    campaigns = ledger_campaigns(collective)
    requested = int_or_none(requested)
    chosen = campaigns.filter(pk=requested).first() if requested is not None else None
    return chosen or campaigns.first()


def targets_of(collective, campaign=None) -> QuerySet[LedgerEntry]:
    """The collective's 创优目标 (a result may name the one it meets)."""
    queryset = LedgerEntry.objects.filter(collective=collective, activity=Activity.BENCHMARK, stage="target")
    if campaign is not None:
        queryset = queryset.filter(campaign=campaign)
    return queryset.order_by("-date", "-id")


# --- pairings ------------------------------------------------------------------------------------------------


def _follow_up_due(today: datetime.date | None = None) -> Q:
    """The rule, on rows annotated with ``last_review``: an active pairing whose last 回头看 (or, with none, its
    start) lies more than FOLLOW_UP_INTERVAL back."""
    cutoff = (today or timezone.localdate()) - FOLLOW_UP_INTERVAL
    return Q(state=PairingState.ACTIVE) & (Q(last_review__lt=cutoff) | Q(last_review__isnull=True, started__lt=cutoff))


def _with_follow_up(queryset: QuerySet[Pairing]) -> QuerySet[Pairing]:
    """Each pairing with its last 回头看 date and whether one is due."""
    return queryset.annotate(last_review=_last_review_date()).annotate(
        follow_up_due=ExpressionWrapper(_follow_up_due(), output_field=BooleanField()))


def _last_review_date() -> Subquery:
    return Subquery(PairingReview.objects.filter(pairing=OuterRef("pk")).order_by("-date", "-id").values("date")[:1])


def pairing_list(user, *, collective=None, state: str = "") -> QuerySet[Pairing]:
    """The visible pairings with their visit count, last 回头看 date and whether one is due (for the page's rows
    only)."""
    queryset = pairings_visible_to(user)
    if collective is not None:
        queryset = queryset.filter(collective=collective)
    if state:
        queryset = queryset.filter(state=state)
    queryset = (queryset.select_related("collective", "collective__unit").prefetch_related("help_kinds")
                .annotate(visit_count=count_of(LedgerEntry.objects.filter(pairing=OuterRef("pk")), "pairing")))
    return _with_follow_up(queryset).order_by("state", "-started", "-id")


def get_pairing_for(user, pk: int, perm: str | None = None, *, denied: str = "您没有权限执行此操作。") -> Pairing:
    """One pairing the user may see (404 otherwise) with its kinds of help and reviews, its last 回头看 date and
    whether one is due, checked for ``perm``."""
    queryset = pairings_visible_to(user).select_related(
        "collective", "collective__unit", "created_by", "consent_recorded_by", "consent_withdrawn_by",
    ).prefetch_related("help_kinds", Prefetch("reviews", queryset=PairingReview.objects.select_related("created_by")))
    return get_object_for(user, _with_follow_up(queryset), pk, perm, denied=denied)


def pairing_visits(pairing) -> QuerySet[LedgerEntry]:
    """The 助千家 entries (visits) of a pairing, newest first."""
    return with_list_counts(
        LedgerEntry.objects.filter(pairing=pairing).select_related("campaign", "created_by")
        .prefetch_related("help_kinds").order_by("-date", "-id")
    )


def pairings_due_for_follow_up(collective, *, today: datetime.date | None = None) -> QuerySet[Pairing]:
    """The collective's pairings due for a 回头看 (``_follow_up_due``), the longest waiting first."""
    return (
        Pairing.objects.filter(collective=collective)
        .annotate(last_review=_last_review_date())
        .filter(_follow_up_due(today))
        .order_by("started", "id")
    )


# --- summaries -----------------------------------------------------------------------------------------------


@dataclass
class StudySummary:
    """青年大学习 of a collective in a campaign: sessions, rotation of who led (领学领讲) and coverage."""

    sessions: int
    members: int
    leaders: int  # distinct members who led a session
    led_by_leader: int  # sessions the 号长 led
    attended: int  # distinct members who attended at least one session

    @property
    def coverage(self) -> float:
        return self.attended / self.members if self.members else 0.0

    @property
    def coverage_percent(self) -> int:
        """Rounded half up (四舍五入, as people round: 5 of 8 is 63%), in integers."""
        return (200 * self.attended + self.members) // (2 * self.members) if self.members else 0


def _attended_one_of(sessions: QuerySet[LedgerEntry]) -> Q:
    """Members who attended at least one of ``sessions`` (ids): the attendees' ids as one list, read once. (A
    correlated EXISTS per member, joined to the campaign's entries, had SQLite read every entry of the campaign for
    each member: docs/benchmarks.md, "The ledger at city and province scale".)"""
    return Q(pk__in=LedgerEntry.attendees.through.objects.filter(ledgerentry__in=sessions).values("member_id"))


def study_summary(collective, campaign) -> StudySummary:
    """Two aggregate queries, whatever the number of sessions and members."""
    sessions = LedgerEntry.objects.filter(collective=collective, campaign=campaign, activity=Activity.STUDY)
    led = sessions.aggregate(
        sessions=Count("id"),
        leaders=Count("led_by", distinct=True),
        led_by_leader=Count("id", filter=Q(led_by__is_leader=True)),
    )
    members = Member.objects.filter(collective=collective).aggregate(
        members=Count("id"), attended=Count("id", filter=_attended_one_of(sessions.values("pk"))),
    )
    return StudySummary(sessions=led["sessions"], members=members["members"], leaders=led["leaders"],
                        led_by_leader=led["led_by_leader"], attended=members["attended"])


def activity_counts(collective, campaign) -> dict[str, int]:
    """Entries per activity of the collective in the campaign (every activity, zeros included)."""
    counts = dict.fromkeys(Activity.values, 0)
    rows = (LedgerEntry.objects.filter(collective=collective, campaign=campaign).order_by()
            .values("activity").annotate(n=Count("id")))
    counts.update({row["activity"]: row["n"] for row in rows})
    return counts


@dataclass
class LedgerGaps:
    """What a collective's ledger still lacks in a campaign (its leader's workbench)."""

    campaign: object
    counts: dict[str, int]
    study: StudySummary
    pairings_due: list = field(default_factory=list)
    open_comments: list = field(default_factory=list)
    open_comment_count: int = 0

    @property
    def missing_activities(self) -> list[tuple[str, str]]:
        return [(value, label) for value, label in Activity.choices if not self.counts.get(value)]

    @property
    def is_complete(self) -> bool:
        return not self.missing_activities and not self.pairings_due and not self.open_comment_count


def ledger_gaps(collective, campaign, *, shown_comments: int = 5) -> LedgerGaps:
    comments = (EntryComment.objects.filter(entry__collective=collective, resolved_at__isnull=True)
                .select_related("entry", "author_unit").order_by("-created_at", "-id"))
    return LedgerGaps(
        campaign=campaign,
        counts=activity_counts(collective, campaign),
        study=study_summary(collective, campaign),
        pairings_due=list(pairings_due_for_follow_up(collective)[:5]),
        open_comments=list(comments[:shown_comments]),
        open_comment_count=comments.count(),
    )


@dataclass
class ActivityIndicator:
    collectives: int = 0  # creating collectives with at least one entry of the activity
    entries: int = 0


@dataclass
class Indicators:
    """The indicators of a unit's creating collectives in a campaign (API.md, GET /units/{id}/indicators)."""

    collectives: int
    activities: dict[str, ActivityIndicator]
    coverage: float
    pairings: int
    structure: dict[str, float]

    def as_dict(self) -> dict:
        activities = {key: {"collectives": value.collectives, "entries": value.entries}
                      for key, value in self.activities.items()}
        activities[Activity.STUDY]["coverage"] = round(self.coverage, 4)
        activities[Activity.FAMILIES]["pairings"] = self.pairings
        return {"collectives": self.collectives, "activities": activities, "structure": self.structure}


def pairings_in_campaign_year(collectives, campaign) -> QuerySet[Pairing]:
    """Pairings of these collectives that ran during the campaign's year (withdrawn ones still count)."""
    year_start, year_end = datetime.date(campaign.year, 1, 1), datetime.date(campaign.year, 12, 31)
    return Pairing.objects.filter(collective__in=collectives, started__lte=year_end).exclude(ended__lt=year_start)


def tallies_of(collectives, campaign) -> QuerySet[LedgerTally]:
    """The kept tallies (``ledger.tallies``) of ``collectives`` (a query of their ids) in the campaign: one row per
    collective with entries."""
    return LedgerTally.objects.filter(campaign=campaign, collective__in=collectives).order_by()


def tally_sums(through: str = "") -> dict[str, Aggregate]:
    """The aggregates of a group of tallies: per activity the collectives with an entry of it
    (``<activity>_collectives``) and the entries (``<activity>_entries``), the open-week ``visitors`` and the members
    who attended a study session (``attended``). ``through``: the path to the tally from the query's model (e.g. a
    ``FilteredRelation``'s name), empty for a query of tallies."""
    field = f"{through}__" if through else ""
    sums: dict[str, Aggregate] = {"visitors": Sum(f"{field}visitors"), "attended": Sum(f"{field}study_attended")}
    for value in Activity.values:
        sums[f"{value}_collectives"] = Count(f"{field}id", filter=Q(**{f"{field}{value}__gt": 0}))
        sums[f"{value}_entries"] = Sum(f"{field}{value}")
    return sums


def activity_indicators(summed: dict) -> dict[str, ActivityIndicator]:
    """The per-activity figures of a row of ``tally_sums``."""
    return {value: ActivityIndicator(collectives=summed[f"{value}_collectives"] or 0,
                                     entries=summed[f"{value}_entries"] or 0) for value in Activity.values}


def indicators(unit, campaign) -> Indicators:
    """Four aggregate queries over the unit's subtree, whatever its size: the structure shares with the number of
    creating collectives (filings pending or accepted), the entries per activity and the members who attended a
    study session from the kept tallies (``ledger.tallies``: one row per collective, where counting the entries and
    attendances took 0.4 s for a province and 1.8–3 s for the country on PostgreSQL, docs/benchmarks.md), the
    members (coverage), and pairings."""
    # The creating collectives' ids, the subtree given twice as in ``in_subtree``: without the list SQLite joined
    # every creating filing of the campaign to its collective and unit to test the path, in each query below (75,000
    # filings nationally: 0.37 s for a district's 3 collectives, 0.22 s with it; PostgreSQL is unaffected).
    creating = (creating_filings(campaign, unit)
                .filter(collective__in=Collective.objects.filter(unit__path__startswith=unit.path).values("pk"))
                .values("collective_id"))
    structure = structure_of(campaign, unit)  # its total: the creating collectives (one filing each)
    summed = tallies_of(creating, campaign).aggregate(**tally_sums())
    member_count = Member.objects.filter(collective__in=creating).count()
    attended = summed["attended"] or 0
    return Indicators(
        collectives=structure.total,
        activities=activity_indicators(summed),
        coverage=attended / member_count if member_count else 0.0,
        pairings=pairings_in_campaign_year(creating, campaign).count(),
        structure=structure.as_shares(),
    )


def last_entry_dates(collectives, campaign) -> dict[int, dict[str, datetime.date]]:
    """For the 查阅台账 overview: per collective, the latest entry date of each activity (one grouped query)."""
    rows = (LedgerEntry.objects.filter(campaign=campaign, collective__in=collectives).order_by()
            .values("collective_id", "activity").annotate(last=Max("date")))
    result: dict[int, dict[str, datetime.date]] = {}
    for row in rows:
        result.setdefault(row["collective_id"], {})[row["activity"]] = row["last"]
    return result
