"""Reads of the central evaluation (集中评议): the ranking of creating collectives by their score, each row's rank
(in SQL, right across pages), the facts the suggested score reads (one query for a page of collectives, whatever its
size), the campaign's weights, and the scope an admin sees (the office: the whole campaign; a unit: its subtree)."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Window,
)
from django.db.models.functions import Coalesce, Rank

from wenminghao.campaigns.models import CreationFiling
from wenminghao.campaigns.selectors import creating_filings
from wenminghao.collectives.models import Collective, Member
from wenminghao.core.http import get_visible_or_404
from wenminghao.ledger.enums import Activity, BenchmarkStage, OpenWeekItem
from wenminghao.ledger.models import EntryShownItem, LedgerEntry, PairingReview
from wenminghao.orgs.models import Unit
from wenminghao.works.enums import WorkStatus
from wenminghao.works.models import Work

from ..models import Assessment, AssessmentWeights
from ..scoring import CollectiveFacts, PartScore, Weights, score_parts, suggested_score

# A work counts as submitted once the collective sent it and it was not returned; recommended and every step after.
RECOMMENDED_STATUSES = (WorkStatus.RECOMMENDED, WorkStatus.SHORTLISTED, WorkStatus.SHOWCASED, WorkStatus.FORWARDED)
SUBMITTED_STATUSES = (WorkStatus.SUBMITTED, *RECOMMENDED_STATUSES)


def ranking(campaign, unit) -> QuerySet[Collective]:
    """The campaign's creating collectives (filings pending or accepted; returned ones never) under ``unit``, best
    score first (not yet scored last, by name): each annotated with ``assessed_score`` (None until scored). Paginate
    it; the score is a subquery per row, read from the (campaign, collective) index."""
    scores = Assessment.objects.filter(campaign=campaign, collective=OuterRef("pk"))
    return (
        Collective.objects.filter(pk__in=creating_filings(campaign, unit).values("collective_id"))
        .select_related("unit")
        .annotate(assessed_score=Subquery(scores.values("score")[:1]))
        .order_by(F("assessed_score").desc(nulls_last=True), "name", "pk")
    )


def ranked(campaign, unit) -> QuerySet[Collective]:
    """``ranking`` with each row's ``rank`` among the scored collectives under ``unit`` (competition ranks: 1, 2, 2,
    4), computed by the database over the whole ranking before the page is cut, so a page's ranks are right whatever
    page it is. Rows not yet scored share the rank after the last scored one (pages show no rank for them). Do not
    filter it further: a filter would narrow the rows the ranks are counted over."""
    return ranking(campaign, unit).annotate(
        rank=Window(Rank(), order_by=F("assessed_score").desc(nulls_last=True)))


def rank_of(campaign, unit, score: Decimal | None) -> int | None:
    """The rank a score has under ``unit``: 1 + the scored creating collectives with a higher score (one query)."""
    if score is None:
        return None
    return 1 + Assessment.objects.filter(
        campaign=campaign, score__gt=score,
        collective__in=creating_filings(campaign, unit).values("collective_id")).count()


def assessment_scope(user, campaign) -> Unit:
    """Where an admin's ranking starts: the campaign's office when the admin's unit holds it (the office running the
    campaign, or one above: city-wide), else the admin's own unit (a unit's subtree)."""
    office = campaign.office
    return office if office.path.startswith(user.unit.path) else user.unit


def scope_units(scope: Unit, requested: int | None = None) -> QuerySet[Unit]:
    """The units offered in the ranking's unit filter: the scope and two levels below it, and a deeper one when it is
    the one asked for."""
    extra = Q(pk=requested) if requested is not None else Q(pk__in=[])
    return Unit.objects.filter(path__startswith=scope.path).filter(Q(depth__lte=scope.depth + 2) | extra).order_by(
        "path")


def chosen_unit(scope: Unit, requested: int | None) -> Unit:
    """The unit asked for with ``?unit=``, when it lies in the scope (404 otherwise); the scope when none is asked."""
    if requested is None:
        return scope
    return get_visible_or_404(Unit.objects.filter(path__startswith=scope.path), pk=requested)


def scored_counts(campaign, unit) -> dict[str, int]:
    """How many creating collectives there are under ``unit`` (``creating``) and in the whole campaign
    (``everywhere``), and how many of each are scored (``scored``, ``scored_everywhere``): one query."""
    scored = Q(Exists(Assessment.objects.filter(campaign=campaign, collective=OuterRef("collective_id"))))
    here = Q(collective__unit__path__startswith=unit.path)
    return creating_filings(campaign, campaign.office).aggregate(
        creating=Count("id", filter=here), scored=Count("id", filter=here & scored),
        everywhere=Count("id"), scored_everywhere=Count("id", filter=scored))


# --- weights --------------------------------------------------------------------------------------------------


def weights_of(campaign) -> Weights:
    """The campaign's weights as the office set them, or the defaults (20 each) until it does (one query)."""
    row = AssessmentWeights.objects.filter(campaign=campaign).first()
    if row is None:
        return Weights()
    return Weights(benchmark=row.benchmark, study=row.study, families=row.families, open_week=row.open_week,
                   works=row.works)


def weights_row(campaign) -> AssessmentWeights | None:
    return AssessmentWeights.objects.filter(campaign=campaign).select_related("updated_by").first()


# --- facts ----------------------------------------------------------------------------------------------------


def _per_collective(queryset: QuerySet, collective_field: str, counted: str = "pk", *, distinct: bool = False
                    ) -> Coalesce:
    """A correlated COUNT of ``queryset``'s rows (of ``counted``, distinct or not) for the outer collective, 0 when
    there are none: evaluated for the rows of the outer query only."""
    rows = (queryset.filter(**{collective_field: OuterRef("pk")}).order_by().values(collective_field)
            .annotate(n=Count(counted, distinct=distinct)).values("n")[:1])
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def _shown(item: str) -> Exists:
    return Exists(EntryShownItem.objects.filter(entry=OuterRef("pk"), item=item))


FACT_NAMES = tuple(CollectiveFacts.__dataclass_fields__)


def collective_facts(campaign, collective_ids) -> dict[int, CollectiveFacts]:
    """The facts of each of these collectives in the campaign (``scoring.CollectiveFacts``), by collective id: one
    query whatever the number of collectives, entries, members and works, each fact a correlated count over the
    collective's own rows (the ledger's (collective, campaign, activity, date) index, works' (campaign, …))."""
    entries = LedgerEntry.objects.filter(campaign=campaign)
    attendance = LedgerEntry.attendees.through.objects.filter(ledgerentry__campaign=campaign,
                                                              ledgerentry__activity=Activity.STUDY)
    year_start, year_end = datetime.date(campaign.year, 1, 1), datetime.date(campaign.year, 12, 31)
    # 回头看 as the dashboard counts them: of pairings that ran during the campaign's year, dated by its end (a
    # campaign's work starts in the year before when its filing opens late in the year).
    reviews = PairingReview.objects.filter(date__lte=year_end, pairing__started__lte=year_end).exclude(
        pairing__ended__lt=year_start)
    works = Work.objects.filter(campaign=campaign)
    families = entries.filter(activity=Activity.FAMILIES)
    open_week = entries.filter(activity=Activity.OPEN_WEEK)
    benchmark = entries.filter(activity=Activity.BENCHMARK)
    counts = {
        "benchmark_targets": _per_collective(benchmark.filter(stage=BenchmarkStage.TARGET), "collective"),
        "benchmark_results": _per_collective(benchmark.filter(stage=BenchmarkStage.RESULT), "collective"),
        "study_sessions": _per_collective(entries.filter(activity=Activity.STUDY), "collective"),
        "members": _per_collective(Member.objects.all(), "collective"),
        "study_attended": _per_collective(attendance, "ledgerentry__collective", "member", distinct=True),
        "pairings_visited": _per_collective(families, "collective", "pairing", distinct=True),
        "family_visits": _per_collective(families, "collective"),
        "follow_up_visits": _per_collective(families.filter(follow_up=True), "collective"),
        "pairing_reviews": _per_collective(reviews, "pairing__collective"),
        "open_week_entries": _per_collective(open_week, "collective"),
        "open_week_shown": _per_collective(
            open_week.filter(_shown(OpenWeekItem.COMMITMENT), _shown(OpenWeekItem.SUPERVISION_PHONE)), "collective"),
        "works_submitted": _per_collective(works.filter(status__in=SUBMITTED_STATUSES), "collective"),
        "works_recommended": _per_collective(works.filter(status__in=RECOMMENDED_STATUSES), "collective"),
    }
    # The annotations are prefixed: some facts' names are the collective's own relations (``members``).
    rows = (Collective.objects.filter(pk__in=list(collective_ids))
            .annotate(**{f"fact_{name}": count for name, count in counts.items()})
            .values("pk", *(f"fact_{name}" for name in FACT_NAMES)))
    return {row["pk"]: CollectiveFacts(**{name: row[f"fact_{name}"] for name in FACT_NAMES}) for row in rows}


@dataclass
class RankingRow:
    """One creating collective on the ranking page: the collective (with its unit, ``assessed_score`` and ``rank``),
    its facts, the suggestion those facts give now, its assessment (None until scored) and its filing's status."""

    collective: Collective
    facts: CollectiveFacts
    parts: tuple[PartScore, ...]
    suggested: Decimal
    assessment: Assessment | None
    filing_status: str

    @property
    def rank(self) -> int | None:
        return self.collective.rank if self.assessment is not None else None

    @property
    def is_adjusted(self) -> bool:
        return self.assessment is not None and self.assessment.score != self.assessment.suggested_score

    @property
    def suggestion_changed(self) -> bool:
        """The facts changed since it was scored: the suggestion now differs from the one it was scored against."""
        return self.assessment is not None and self.assessment.suggested_score != self.suggested


def ranking_rows(campaign, collectives, weights: Weights) -> list[RankingRow]:
    """The rows of one page of ``ranked`` (a list of collectives): three queries whatever the page's size (the
    facts, the assessments, the filings' statuses)."""
    ids = [collective.pk for collective in collectives]
    if not ids:
        return []
    facts = collective_facts(campaign, ids)
    assessments = {row.collective_id: row for row in
                   Assessment.objects.filter(campaign=campaign, collective_id__in=ids).select_related("scored_by")}
    statuses = dict(CreationFiling.objects.filter(campaign=campaign, collective_id__in=ids)
                    .values_list("collective_id", "status"))
    rows = []
    for collective in collectives:
        parts = score_parts(facts[collective.pk], weights)
        rows.append(RankingRow(collective=collective, facts=facts[collective.pk], parts=parts,
                               suggested=suggested_score(facts[collective.pk], weights),
                               assessment=assessments.get(collective.pk),
                               filing_status=statuses.get(collective.pk, "")))
    return rows


@dataclass
class AssessmentSheet:
    """One creating collective's page: its facts, the suggested score part by part, its assessment and rank."""

    collective: Collective
    facts: CollectiveFacts
    weights: Weights
    parts: tuple[PartScore, ...]
    suggested: Decimal
    assessment: Assessment | None
    rank: int | None
    filing_status: str

    @property
    def is_adjusted(self) -> bool:
        return self.assessment is not None and self.assessment.score != self.assessment.suggested_score

    @property
    def suggestion_changed(self) -> bool:
        return self.assessment is not None and self.assessment.suggested_score != self.suggested


def get_assessed_collective(campaign, unit, pk) -> Collective:
    """A creating collective of the campaign under ``unit`` (404 for any other: not creating, a returned filing,
    outside the admin's subtree, or missing)."""
    return get_visible_or_404(ranking(campaign, unit), pk=pk)


def assessment_sheet(campaign, unit, collective, weights: Weights | None = None) -> AssessmentSheet:
    """Everything the assessment page shows of ``collective`` (from ``get_assessed_collective``): a fixed number of
    queries."""
    weights = weights or weights_of(campaign)
    facts = collective_facts(campaign, [collective.pk])[collective.pk]
    assessment = (Assessment.objects.filter(campaign=campaign, collective=collective)
                  .select_related("scored_by").first())
    status = (CreationFiling.objects.filter(campaign=campaign, collective=collective)
              .values_list("status", flat=True).first()) or ""
    return AssessmentSheet(
        collective=collective, facts=facts, weights=weights, parts=score_parts(facts, weights),
        suggested=suggested_score(facts, weights), assessment=assessment,
        rank=rank_of(campaign, unit, assessment.score if assessment else None), filing_status=status,
    )
