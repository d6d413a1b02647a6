"""Reads of naming (命名) and of the titles held (动态管理), scoped to the user.

- ``naming_candidates(campaign, unit)``: the central evaluation's ranking (``selectors.assessments.ranking``) narrowed
  to the collectives whose creation filing was accepted, each marked ``named`` when the campaign already named it;
- ``namings_in(campaign, unit)`` and ``naming_list(campaign, unit)``: the campaign's namings under a unit, the latter
  grouped by unit in the tree's order (the 命名名单 of the official notice);
- ``title_list(user, …)``: the titles held in the user's subtree, each with its state on a day computed in SQL
  (``Honour.valid_on_q``) and whether its latest warning's period to fix problems has passed unanswered.
"""

import datetime
from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import Rank
from django.utils import timezone

from wenminghao.campaigns.enums import FilingStatus
from wenminghao.campaigns.models import CreationFiling
from wenminghao.collectives.enums import HonourState
from wenminghao.collectives.models import Collective, Honour
from wenminghao.core.http import get_object_for
from wenminghao.orgs.models import Unit

from ..enums import ReviewResult, TitleEventKind
from ..models import Inspection, Naming, TitleEvent
from .assessments import assessment_scope, ranking

# --- naming ------------------------------------------------------------------------------------------------------


def naming_scope(user, campaign) -> Unit:
    """The subtree in which an admin reads the campaign's namings: the same as the ranking's (the whole campaign for
    an admin of its office or above, else the admin's own unit)."""
    return assessment_scope(user, campaign)


def naming_candidates(campaign, unit) -> QuerySet[Collective]:
    """The creating collectives under ``unit`` whose filing the unit accepted, in the ranking's order (best score
    first, ``assessed_score`` None until scored), each with ``rank`` among them (competition ranks, computed over all
    of them before the page is cut) and ``named``: already named in this campaign. Paginate it."""
    accepted = CreationFiling.objects.filter(campaign=campaign, collective=OuterRef("pk"),
                                             status=FilingStatus.ACCEPTED)
    named = Naming.objects.filter(campaign=campaign, collective=OuterRef("pk"))
    return ranking(campaign, unit).filter(Exists(accepted)).annotate(
        named=Exists(named), rank=Window(Rank(), order_by=F("assessed_score").desc(nulls_last=True)))


def namings_in(campaign, unit, day: datetime.date | None = None) -> QuerySet[Naming]:
    """The campaign's namings of collectives under ``unit``, with what the pages show and ``honour_state``, the
    title's state on ``day`` (today by default)."""
    return (
        Naming.objects.filter(campaign=campaign, collective__unit__path__startswith=unit.path)
        .select_related("collective__unit", "honour", "named_by")
        .annotate(honour_state=state_expression(day or timezone.localdate(), "honour__"))
        .order_by("collective__unit__path", "collective__name", "pk")
    )


@dataclass(frozen=True)
class NamingGroup:
    """The namings of one unit's collectives (the unit itself, not its sub-units), for the 命名名单."""

    unit: Unit
    namings: list


def tree_order_key(units_by_id: dict[int, Unit], unit: Unit) -> tuple:
    """Sort key of a unit in the tree's order (depth first, siblings by ``sort_order`` then id), from its path."""
    return tuple((units_by_id[pk].sort_order, pk) if pk in units_by_id else (0, pk) for pk in unit.ancestor_ids)


def naming_list(campaign, unit) -> list[NamingGroup]:
    """The 命名名单 under ``unit``: the namings grouped by their collective's unit, units in the tree's order,
    collectives by name. Two queries (the namings, the units above them), whatever the number of namings."""
    namings = list(namings_in(campaign, unit))
    ancestor_ids = {pk for naming in namings for pk in naming.collective.unit.ancestor_ids}
    units_by_id = {item.pk: item for item in Unit.objects.filter(pk__in=ancestor_ids)}
    groups: dict[int, NamingGroup] = {}
    for naming in sorted(namings, key=lambda n: (tree_order_key(units_by_id, n.collective.unit),
                                                 n.collective.name, n.pk)):
        group = groups.get(naming.collective.unit_id)
        if group is None:
            group = groups[naming.collective.unit_id] = NamingGroup(naming.collective.unit, [])
        group.namings.append(naming)
    return list(groups.values())


# --- titles ------------------------------------------------------------------------------------------------------


def honours_visible_to(user) -> QuerySet[Honour]:
    """The titles a user may see: those of the collectives in an admin's subtree, or a collective account's own."""
    if not user.is_authenticated:
        return Honour.objects.none()
    if user.is_admin and user.unit_id:
        return Honour.objects.filter(collective__unit__path__startswith=user.unit.path)
    if user.collective_id:
        return Honour.objects.filter(collective_id=user.collective_id)
    return Honour.objects.none()


def state_expression(day: datetime.date, prefix: str = "") -> Case:
    """``Honour.state_on(day)`` as SQL: revoked wins over expired (the same rule, from ``Honour.valid_on_q``);
    ``prefix`` reaches the honour from another model (``"honour__"``)."""
    return Case(
        When(**{f"{prefix}revoked_at__isnull": False}, then=Value(HonourState.REVOKED)),
        When(Honour.valid_on_q(day, prefix), then=Value(HonourState.VALID)),
        default=Value(HonourState.EXPIRED),
        output_field=CharField(),
    )


def state_filter(state: str, day: datetime.date) -> Q:
    """The titles in ``state`` on ``day``."""
    if state == HonourState.VALID:
        return Honour.valid_on_q(day)
    if state == HonourState.REVOKED:
        return Q(revoked_at__isnull=False)
    return Q(revoked_at__isnull=True) & ~Honour.valid_on_q(day)


def with_title_facts(queryset: QuerySet[Honour], day: datetime.date) -> QuerySet[Honour]:
    """Each title with ``state`` on ``day``, its latest warning (``warning_fix_by``, ``warning_at``),
    ``warning_open``: a valid title warned with no review passed since, and ``warning_overdue``: open, and the
    period to fix problems ended before ``day`` (整改逾期). Subqueries per row: paginate first."""
    latest_warning = TitleEvent.objects.filter(honour=OuterRef("pk"), kind=TitleEventKind.WARNING).order_by(
        "-created_at", "-pk")
    passed_since = TitleEvent.objects.filter(honour=OuterRef("pk"), kind=TitleEventKind.REVIEW,
                                             result=ReviewResult.PASSED, created_at__gt=OuterRef("warning_at"))
    open_q = Honour.valid_on_q(day) & Q(warning_at__isnull=False) & ~Q(Exists(passed_since))
    return queryset.annotate(
        state=state_expression(day),
        warning_fix_by=Subquery(latest_warning.values("fix_by")[:1]),
        warning_at=Subquery(latest_warning.values("created_at")[:1]),
    ).annotate(
        warning_open=Case(When(open_q, then=Value(True)), default=Value(False), output_field=BooleanField()),
        warning_overdue=Case(When(open_q & Q(warning_fix_by__lt=day), then=Value(True)), default=Value(False),
                             output_field=BooleanField()),
    )


def title_list(user, *, state: str = "", level: str = "", unit: Unit | None = None, search: str = "",
               overdue: bool = False, day: datetime.date | None = None) -> QuerySet[Honour]:
    """The titles the user may see, filtered: ``state`` on ``day`` (today by default), ``level``, the subtree of
    ``unit``, ``search`` in the collective's name, host organisation or the title, only those whose warning is
    overdue; newest year first, then in unit order. One COUNT and one SELECT per page."""
    day = day or timezone.localdate()
    queryset = with_title_facts(honours_visible_to(user), day).select_related("collective__unit", "awarded_by")
    if state in HonourState.values:
        queryset = queryset.filter(state_filter(state, day))
    if level:
        queryset = queryset.filter(level=level)
    if unit is not None:
        queryset = queryset.filter(collective__unit__path__startswith=unit.path)
    if search:
        queryset = queryset.filter(Q(collective__name__icontains=search) | Q(collective__host_org__icontains=search)
                                   | Q(title__icontains=search))
    if overdue:
        queryset = queryset.filter(warning_overdue=True)
    return queryset.order_by("-year", "collective__unit__path", "collective__name", "pk")


def get_title_for(user, pk: int, perm: str | None = None, *, denied: str = "您没有权限执行此操作。") -> Honour:
    """One title the user may see, with its collective, the naming that wrote it (if any) and its state facts
    (404 otherwise), checked for ``perm`` (403 with ``denied``)."""
    queryset = with_title_facts(honours_visible_to(user), timezone.localdate()).select_related(
        "collective__unit", "awarded_by", "revoked_by", "naming__campaign", "naming__named_by")
    return get_object_for(user, queryset, pk, perm, denied=denied)


def naming_of(honour: Honour) -> Naming | None:
    """The naming that wrote the title (selected with it by ``get_title_for``), or None for one typed in by hand."""
    try:
        return honour.naming
    except Naming.DoesNotExist:
        return None


def title_events(honour: Honour) -> list[TitleEvent]:
    """The title's reviews, warnings and revocation, newest first."""
    return list(honour.events.select_related("actor", "unit", "inspection__collective")
                .order_by("-created_at", "-pk"))


def inspections_for_warning(honour: Honour) -> QuerySet[Inspection]:
    """The collective's inspections (a handful a year), newest first, which a warning may cite."""
    return (Inspection.objects.filter(collective_id=honour.collective_id).select_related("collective")
            .order_by("-date", "-id"))


# --- the workbench ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TitleWarnings:
    """For a collective: its titles warned and not yet reviewed since (the period to fix problems running or
    passed), soonest deadline first. For an office admin: the titles of its subtree whose period passed unanswered
    (整改逾期), longest overdue first."""

    for_collective: bool
    items: list  # Honour rows with collective and the facts of ``with_title_facts``
    count: int


def title_warnings_due(user, *, shown: int = 5) -> TitleWarnings | None:
    """The workbench's card of title warnings (two queries), or None for an account with none to follow (unit
    admins, who do not manage titles, and judges)."""
    if not user.is_authenticated or not (user.collective_id or (user.is_city_admin and user.unit_id)):
        return None
    queryset = with_title_facts(honours_visible_to(user), timezone.localdate())
    queryset = queryset.filter(warning_open=True) if user.collective_id else queryset.filter(warning_overdue=True)
    items = list(queryset.select_related("collective__unit").order_by("warning_fix_by", "pk")[:shown])
    return TitleWarnings(for_collective=bool(user.collective_id), items=items, count=queryset.count())
