"""Reads of the indicator dashboard (指标看板) of a unit's subtree in a campaign, and of its .xlsx.

Whose figures: the campaign's creating collectives under the unit, i.e. those whose filing is pending or accepted (a
returned filing is not creating), as ``ledger.selectors.indicators`` counts them for
``GET /api/v1/units/{id}/indicators``; works are counted for every collective under the unit (a work needs no filing).

Every figure is an aggregate in the database: one query per figure, grouped by the direct child unit whose subtree
holds the collective (``orgs.selectors.child_under``), as ``campaigns.selectors.structure_by_child_unit`` does: the
units side by side, whose sum is the unit's (the API's figures of ``indicators`` are built from it rather than read a
second time). Python goes over the grouped rows (one per child unit and value), never over collectives or
entries. So a dashboard makes the same number of queries whatever the number of units, collectives and entries."""

import datetime
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.db.models import (
    Count,
    Exists,
    FilteredRelation,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from wenminghao.campaigns.enums import FilingStatus
from wenminghao.campaigns.models import Campaign, CreationFiling
from wenminghao.campaigns.selectors import (
    CREATING_STATUSES,
    ShareLine,
    Structure,
    campaigns_visible_to,
    creating_filings,
    structure_by_child_unit,
    structure_of,
)
from wenminghao.collectives.models import Collective, Member
from wenminghao.ledger.enums import Activity, PairingOutcome
from wenminghao.ledger.models import LedgerMonthTally, LedgerTally, PairingReview
from wenminghao.ledger.selectors import (
    ActivityIndicator,
    Indicators,
    activity_indicators,
    pairings_in_campaign_year,
    tally_sums,
)
from wenminghao.orgs.models import Unit
from wenminghao.orgs.selectors import child_id, child_under, units_visible_to
from wenminghao.projects.selectors import joint_sums
from wenminghao.works.enums import WorkStatus
from wenminghao.works.models import Work

from .development import DevelopmentSummary, development_summary
from .inspections import InspectionSummary, inspection_summary

# A work counts as submitted from its submission on (every status but the draft: a returned work was submitted and
# is back with its collective for changes), as recommended from its unit's recommendation on (and the city's steps
# after it: shortlisted, showcased, forwarded to the province).
SUBMITTED_STATUSES = tuple(status for status in WorkStatus.values if status != WorkStatus.DRAFT)
RECOMMENDED_STATUSES = (WorkStatus.RECOMMENDED, WorkStatus.SHORTLISTED, WorkStatus.SHOWCASED, WorkStatus.FORWARDED)
# The submitted works not (or no longer) recommended: SUBMITTED_STATUSES less RECOMMENDED_STATUSES.
NOT_RECOMMENDED_STATUSES = tuple(status for status in SUBMITTED_STATUSES if status not in RECOMMENDED_STATUSES)
MISSING_ANY = "any"  # the missing list's filter: collectives without an entry in at least one activity
OWN_LEVEL = None  # the key of the collectives attached to the unit itself (本级直属) among its children's


def _no_activities() -> dict[str, ActivityIndicator]:
    return {value: ActivityIndicator() for value in Activity.values}


def _no_outcomes() -> dict[str, int]:
    return dict.fromkeys(PairingOutcome.values, 0)


@dataclass
class Figures:
    """The figures of one group of creating collectives: a unit's subtree, one child unit's subtree, or the
    collectives attached to the unit itself."""

    creating: int = 0  # creating collectives (filings pending or accepted)
    accepted: int = 0  # of those, filings their unit accepted
    activities: dict[str, ActivityIndicator] = field(default_factory=_no_activities)
    members: int = 0  # members of the creating collectives
    attended: int = 0  # of those, the members at one study session of the campaign at least
    visitors: int = 0  # visitors of the open-week events (as recorded)
    pairings: int = 0  # 助千家 pairings that ran during the campaign's year
    youth: int = 0  # young people of those families
    reviewed_pairings: int = 0  # of those pairings, the ones with a 回头看 by the end of the campaign's year
    reviews: int = 0  # 回头看 of those pairings by the end of the campaign's year
    outcomes: dict[str, int] = field(default_factory=_no_outcomes)  # reviewed pairings by their latest outcome
    works_submitted: int = 0
    works_recommended: int = 0
    joint_collectives: int = 0  # collectives taking part in a joint project (联创项目) counted in the campaign
    joint_projects: int = 0  # those projects, each once per group (projects.selectors.joint_sums)
    joint_projects_once: int = 0  # the same, each once in the whole subtree looked at: the total's joint_projects

    @property
    def pending(self) -> int:
        return self.creating - self.accepted

    @property
    def coverage(self) -> float:
        return self.attended / self.members if self.members else 0.0

    @property
    def sessions(self) -> int:
        return self.activities[Activity.STUDY].entries

    @property
    def open_week_events(self) -> int:
        return self.activities[Activity.OPEN_WEEK].entries

    def add(self, other: "Figures") -> None:
        for name in ("creating", "accepted", "members", "attended", "visitors", "pairings", "youth",
                     "reviewed_pairings", "reviews", "works_submitted", "works_recommended", "joint_collectives"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for value, indicator in other.activities.items():
            self.activities[value].collectives += indicator.collectives
            self.activities[value].entries += indicator.entries
        for value, count in other.outcomes.items():
            self.outcomes[value] += count
        # a project with partners in two groups is one project of their sum: counted once in the subtree
        self.joint_projects_once += other.joint_projects_once
        self.joint_projects = self.joint_projects_once


@dataclass
class UnitRow:
    """One row of the units side by side: a direct child unit (``unit`` None: the collectives attached to the unit
    looked at itself, 本级直属), its figures and its structure shares."""

    unit: Unit | None
    figures: Figures
    structure: Structure

    @property
    def label(self) -> str:
        return self.unit.display_name if self.unit is not None else "本级直属"


@dataclass
class MonthCount:
    month: datetime.date  # its first day
    counts: dict[str, int]  # Activity value -> entries dated in the month

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass
class Dashboard:
    unit: Unit
    campaign: Campaign
    indicators: Indicators  # the API's figures (ledger.selectors.indicators)
    figures: Figures  # the same and the others, summed over ``rows``' groups
    structure: Structure
    rows: list[UnitRow]  # the direct child units, then 本级直属 when it has collectives or works
    months: list[MonthCount]
    inspections: InspectionSummary
    development: DevelopmentSummary

    @property
    def missing(self) -> dict[str, int]:
        """Per activity, how many creating collectives have no entry of it."""
        return {value: self.indicators.collectives - indicator.collectives
                for value, indicator in self.indicators.activities.items()}


# --- which campaign, which unit ----------------------------------------------------------------------------------


def _creating_here(user) -> QuerySet[CreationFiling]:
    return CreationFiling.objects.filter(campaign=OuterRef("pk"), status__in=CREATING_STATUSES,
                                         collective__unit__path__startswith=user.unit.path)


def dashboard_campaigns(user) -> QuerySet[Campaign]:
    """The campaigns an admin sees, newest first, each with ``creating_here``: its creating collectives in the
    admin's subtree (one query)."""
    counted = _creating_here(user).order_by().values("campaign").annotate(n=Count("pk")).values("n")[:1]
    return campaigns_visible_to(user).annotate(
        creating_here=Coalesce(Subquery(counted, output_field=IntegerField()), 0)).order_by("-year", "-id")


def home_campaign(user) -> Campaign | None:
    """The newest campaign an admin sees that has creating collectives in the admin's subtree."""
    return campaigns_visible_to(user).filter(Exists(_creating_here(user))).order_by("-year", "-id").first()


def dashboard_unit(user, requested: int | None) -> Unit | None:
    """The unit a dashboard looks at: the requested one (an id) if it lies in the user's subtree, the user's own if
    none is asked for; None otherwise (the page answers 404, as for a unit that does not exist)."""
    if requested is None:
        return user.unit
    return units_visible_to(user).filter(pk=requested).first()


def unit_trail(user, unit) -> list[Unit]:
    """The units from the user's own down to ``unit``'s parent (the breadcrumbs), one query."""
    return list(Unit.objects.filter(pk__in=unit.ancestor_ids, path__startswith=user.unit.path)
                .exclude(pk=unit.pk).order_by("depth"))


# --- the figures, grouped by child unit --------------------------------------------------------------------------


def _creating_ids(campaign, unit):
    return creating_filings(campaign, unit).values("collective_id")


def _year_end(campaign) -> datetime.date:
    return datetime.date(campaign.year, 12, 31)


def _latest_outcome(campaign) -> Subquery:
    reviews = PairingReview.objects.filter(pairing=OuterRef("pk"), date__lte=_year_end(campaign))
    return Subquery(reviews.order_by("-date", "-id").values("outcome")[:1])


def _grouped_queries(campaign, unit) -> list[tuple[Iterable[dict], Callable[[Figures, dict], None]]]:
    """Each figure's grouped query (rows with ``child``: the direct child unit whose subtree holds the collective,
    '' for the unit's own, grouped in the database by ``orgs.selectors.child_under``) and how a row adds to a group's
    figures. One query each when read, a row per child unit and value whatever the size of the subtree (grouped by
    the collectives' unit path instead, a country's dashboard summed 22,692 rows per figure in Python). The ledger's
    figures come from its kept tallies (``ledger.tallies``), one row per collective: counting a province's 300,000
    entries and 1,000,000 attendances took 0.9 s on PostgreSQL (bench/evaluation_scale.py, docs/benchmarks.md)."""
    creating = _creating_ids(campaign, unit)
    child = child_under(unit, "collective__unit__path")
    # The filings, the collectives' tallies and their members in one query over the creating filings, each filing
    # joined to its collective's tally of the campaign (at most one) and its members counted per collective (an
    # index-only count): three queries that each found the creating collectives again took 20–30 ms more for a
    # province; grouping 150,000 members joined to their collective and unit by path took 65 ms, this 35 ms.
    member_count = (Member.objects.filter(collective=OuterRef("collective_id")).order_by().values("collective")
                    .annotate(n=Count("*")).values("n"))
    filings = (creating_filings(campaign, unit).order_by()
               .annotate(tally=FilteredRelation("collective__ledger_tallies",
                                                condition=Q(collective__ledger_tallies__campaign=campaign)))
               .values(child=child)
               .annotate(creating=Count("id"), accepted=Count("id", filter=Q(status=FilingStatus.ACCEPTED)),
                         members=Sum(Coalesce(Subquery(member_count, output_field=IntegerField()), 0)),
                         **tally_sums(through="tally")))
    pairings = pairings_in_campaign_year(creating, campaign)
    families = (pairings.annotate(latest_outcome=_latest_outcome(campaign)).order_by()
                .values("latest_outcome", child=child).annotate(pairings=Count("id"), youth=Sum("youth_count")))
    reviews = (PairingReview.objects.filter(pairing__in=pairings.values("pk"), date__lte=_year_end(campaign))
               .order_by().values(child=child_under(unit, "pairing__collective__unit__path"))
               .annotate(reviews=Count("id")))
    # The works counted per collective of the subtree (ranges of the index (collective, campaign, status), counted
    # without reading an entry), then summed per child unit: grouping every work of a province's campaign joined to
    # its collective and unit took 610 ms at 200,000 works on SQLite (120 ms PostgreSQL), this 15 (20). A collective's
    # works are counted once in all, then the few statuses before a recommendation taken off (the statuses partition
    # WorkStatus, a test holds them to it): counting the submitted and the recommended ones read most works twice.
    campaign_works = Work.objects.filter(campaign=campaign, collective=OuterRef("pk")).order_by()
    works = (Collective.objects.filter(unit__path__startswith=unit.path).order_by()
             .values(child=child_under(unit, "unit__path"))
             .annotate(all=Sum(_row_count(campaign_works)),
                       drafts=Sum(_row_count(campaign_works.filter(status=WorkStatus.DRAFT))),
                       unrecommended=Sum(_row_count(campaign_works.filter(status__in=NOT_RECOMMENDED_STATUSES))),
                       **joint_sums(unit, campaign)))
    return [(filings, _add_filings), (families, _add_families), (reviews, _add_reviews), (works, _add_works)]


def _row_count(queryset: QuerySet) -> Coalesce:
    """The number of rows of ``queryset`` (correlated to the outer row) as a column: COUNT(*), no GROUP BY."""
    counted = queryset.annotate(n=Func(template="COUNT(*)", output_field=IntegerField())).values("n")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _add_filings(figures: Figures, row: dict) -> None:
    figures.creating += row["creating"]
    figures.accepted += row["accepted"]
    figures.members += row["members"] or 0
    for value, indicator in activity_indicators(row).items():
        figures.activities[value].collectives += indicator.collectives
        figures.activities[value].entries += indicator.entries
    figures.visitors += row["visitors"] or 0
    figures.attended += row["attended"] or 0


def _add_families(figures: Figures, row: dict) -> None:
    figures.pairings += row["pairings"]
    figures.youth += row["youth"] or 0
    if row["latest_outcome"] in figures.outcomes:
        figures.reviewed_pairings += row["pairings"]
        figures.outcomes[row["latest_outcome"]] += row["pairings"]


def _add_reviews(figures: Figures, row: dict) -> None:
    figures.reviews += row["reviews"]


def _add_works(figures: Figures, row: dict) -> None:
    figures.works_submitted += (row["all"] or 0) - (row["drafts"] or 0)
    figures.works_recommended += (row["all"] or 0) - (row["drafts"] or 0) - (row["unrecommended"] or 0)
    figures.joint_collectives += row["joint_collectives"] or 0
    figures.joint_projects += row["joint_projects"] or 0
    figures.joint_projects_once += row["joint_projects_once"] or 0


def _own_level_structure(own: Structure, children: list[Structure]) -> Structure:
    """The structure of the collectives attached to the unit itself: the unit's less its children's."""
    total = own.total - sum(child.total for child in children)
    lines = [ShareLine(line.key, line.label, line.count - sum(child.lines[index].count for child in children), total,
                       line.target) for index, line in enumerate(own.lines)]
    return Structure(unit=None, total=total, lines=lines)


def _months(campaign, rows: Iterable[dict], today: datetime.date) -> list[MonthCount]:
    """Every month from the first with entries (or January of the campaign's year, if earlier) to the last with
    entries (or, if later, the campaign year's last month gone by: December of a past year, this month of this
    year); months without entries included, so the line shows the gaps. Empty when there are no entries and the
    campaign's year has not begun."""
    counted: dict[datetime.date, dict[str, int]] = {}
    for row in rows:
        counted.setdefault(row["month"], dict.fromkeys(Activity.values, 0))[row["activity"]] += row["n"]
    bounds = list(counted)
    this_month = today.replace(day=1)
    if campaign.year <= today.year:
        bounds += [datetime.date(campaign.year, 1, 1), min(datetime.date(campaign.year, 12, 1), this_month)]
    if not bounds:
        return []
    month, last = min(bounds), max(bounds)
    months = []
    while month <= last:
        months.append(MonthCount(month, counted.get(month, dict.fromkeys(Activity.values, 0))))
        month = datetime.date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return months


def month_rows(campaign, unit) -> Iterator[dict]:
    """Entries of the creating collectives per month and activity (rows of ``month``, ``activity``, ``n``): one query
    over the kept month tallies (``ledger.tallies``) grouped by month, a sum per activity."""
    rows = (LedgerMonthTally.objects.filter(campaign=campaign, collective__in=_creating_ids(campaign, unit))
            .order_by().values("month").annotate(**{value: Sum(value) for value in Activity.values}))
    return ({"month": row["month"], "activity": value, "n": row[value]}
            for row in rows for value in Activity.values if row[value])


def dashboard(campaign, unit, *, today: datetime.date | None = None) -> Dashboard:
    """Every figure of the dashboard of ``unit``'s subtree in ``campaign``: thirteen queries, whatever the number
    of units, collectives and entries (the structure 3, the grouped figures 4, the months 1, the inspections 1, the
    training and exchange 4). The API's figures (``indicators``) are the totals of the grouped ones, not read again."""
    own_structure = structure_of(campaign, unit)
    child_structures = structure_by_child_unit(campaign, unit)
    groups: dict[int | None, Figures] = {child.unit.pk: Figures() for child in child_structures}
    groups[OWN_LEVEL] = Figures()
    for rows, add in _grouped_queries(campaign, unit):
        for row in rows:
            add(groups.get(child_id(row["child"]), groups[OWN_LEVEL]), row)
    totals = Figures()
    for figures in groups.values():
        totals.add(figures)
    rows = [UnitRow(child.unit, groups[child.unit.pk], child) for child in child_structures]
    own_level = groups[OWN_LEVEL]
    if rows and (own_level.creating or own_level.works_submitted):
        rows.append(UnitRow(None, own_level, _own_level_structure(own_structure, child_structures)))
    api = Indicators(
        collectives=totals.creating,
        activities={value: ActivityIndicator(indicator.collectives, indicator.entries)
                    for value, indicator in totals.activities.items()},
        coverage=totals.coverage,
        pairings=totals.pairings,
        structure=own_structure.as_shares(),
    )
    return Dashboard(
        unit=unit,
        campaign=campaign,
        indicators=api,
        figures=totals,
        structure=own_structure,
        rows=rows,
        months=_months(campaign, month_rows(campaign, unit), today or timezone.localdate()),
        inspections=inspection_summary(unit, campaign),
        development=development_summary(unit, campaign),
    )


# --- the creating collectives and what they lack -------------------------------------------------------------


def creating_collectives(campaign, unit, *, missing: str = "") -> QuerySet[Collective]:
    """The campaign's creating collectives under ``unit``, by unit and name, each with its filing's
    ``filing_status`` and its entry count per activity (``<activity>_entries``). ``missing``: an Activity value
    keeps those without an entry of it, ``MISSING_ANY`` those without an entry in at least one activity, anything
    else every one. Paginate it (or read it with ``iterator``): the counts are subqueries of the rows read, from the
    collective's kept tally (``ledger.tallies``)."""
    tally = LedgerTally.objects.filter(campaign=campaign, collective=OuterRef("pk"))

    def count(activity):
        return Coalesce(Subquery(tally.values(activity)[:1], output_field=IntegerField()), 0)

    status = CreationFiling.objects.filter(campaign=campaign, collective=OuterRef("pk")).values("status")[:1]
    queryset = (Collective.objects.filter(pk__in=_creating_ids(campaign, unit)).select_related("unit")
                .annotate(filing_status=Subquery(status), **{f"{value}_entries": count(value)
                                                              for value in Activity.values}))
    if missing in Activity.values:
        queryset = queryset.filter(~Exists(tally.filter(**{f"{missing}__gt": 0})))
    elif missing == MISSING_ANY:
        queryset = queryset.filter(~Exists(tally.filter(**{f"{value}__gt": 0 for value in Activity.values})))
    return queryset.order_by("unit__path", "name", "pk")


def activity_cells(collective) -> list[tuple[str, str, int]]:
    """(activity, label, entries) of a row of ``creating_collectives``, in the notice's order."""
    return [(value, label, getattr(collective, f"{value}_entries")) for value, label in Activity.choices]
