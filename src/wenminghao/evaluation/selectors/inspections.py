"""Reads of field inspections (实地考察) and their rectifications."""

import datetime
from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from wenminghao.core.http import get_object_for, get_visible_or_404
from wenminghao.core.models import AuditEntry
from wenminghao.ledger.selectors import in_subtree

from ..enums import InspectionItem, InspectionRating, RectificationState
from ..models import Inspection, InspectionCheck, InspectionPhoto


@dataclass(frozen=True)
class InspectionSummary:
    """The dashboard's figures of inspections of collectives under a unit in a campaign."""

    inspections: int
    collectives: int  # collectives inspected at least once
    by_rating: dict[str, int]  # InspectionRating value -> inspections
    open_rectifications: int  # asked or answered, not yet accepted
    overdue: int  # asked, past their deadline, not answered


def overdue_q(today: datetime.date | None = None) -> Q:
    """A rectification asked and not answered by its deadline: the one rule of "overdue" (整改逾期)."""
    today = today or timezone.localdate()
    return Q(rectification_state=RectificationState.ASKED, rectify_by__lt=today)


def inspection_summary(unit, campaign) -> InspectionSummary:
    """One aggregate query."""
    counts = Inspection.objects.filter(campaign=campaign, collective__unit__path__startswith=unit.path).aggregate(
        inspections=Count("id"),
        collectives=Count("collective", distinct=True),
        open=Count("id", filter=Q(rectification_state__in=(RectificationState.ASKED, RectificationState.ANSWERED))),
        overdue=Count("id", filter=overdue_q()),
        **{f"rating_{value}": Count("id", filter=Q(rating=value)) for value in InspectionRating.values},
    )
    return InspectionSummary(
        inspections=counts["inspections"],
        collectives=counts["collectives"],
        by_rating={value: counts[f"rating_{value}"] for value in InspectionRating.values},
        open_rectifications=counts["open"],
        overdue=counts["overdue"],
    )


# --- the pages' reads (scoped to the user) ---------------------------------------------------------------------


def inspections_visible_to(user) -> QuerySet[Inspection]:
    """The inspections of the collectives in an admin's subtree (by the inspected collective's unit, whoever
    inspected), or of a collective account's own collective; nothing for judges and anyone else."""
    if not user.is_authenticated:
        return Inspection.objects.none()
    if user.is_admin and user.unit_id:
        return Inspection.objects.filter(in_subtree(user.unit.path))
    if user.collective_id:
        return Inspection.objects.filter(collective_id=user.collective_id)
    return Inspection.objects.none()


def with_overdue(queryset: QuerySet[Inspection]) -> QuerySet[Inspection]:
    """Each inspection with ``is_overdue`` (``overdue_q``: asked, past its deadline, not answered)."""
    return queryset.annotate(is_overdue=ExpressionWrapper(overdue_q(), output_field=BooleanField()))


def inspection_list(user, *, campaign=None, unit=None, collective=None, rating: str = "", state: str = "",
                    overdue: bool = False) -> QuerySet[Inspection]:
    """The visible inspections, filtered, newest first, with the collective and its unit, the campaign, the inspecting
    unit, ``is_overdue`` and ``photo_count`` (a subquery for the page's rows only)."""
    queryset = inspections_visible_to(user)
    if campaign is not None:
        queryset = queryset.filter(campaign=campaign)
    if unit is not None:
        queryset = queryset.filter(in_subtree(unit.path))
    if collective is not None:
        queryset = queryset.filter(collective=collective)
    if rating:
        queryset = queryset.filter(rating=rating)
    if state:
        queryset = queryset.filter(rectification_state=state)
    if overdue:
        queryset = queryset.filter(overdue_q())
    photos = (InspectionPhoto.objects.filter(inspection=OuterRef("pk")).order_by().values("inspection")
              .annotate(n=Count("pk")).values("n")[:1])
    return with_overdue(
        queryset.select_related("collective", "collective__unit", "campaign", "unit")
        .annotate(photo_count=Coalesce(Subquery(photos, output_field=IntegerField()), 0))
        .order_by("-date", "-id")
    )


def get_inspection_for(user, pk: int, perm: str | None = None, *, denied: str = "您没有权限执行此操作。"
                       ) -> Inspection:
    """One inspection the user may see (404 otherwise) with what its page shows: the collective and its unit, the
    campaign, the inspecting unit, who recorded and who answered, its checks and photos, ``is_overdue``; checked for
    ``perm`` (403 with ``denied``)."""
    queryset = with_overdue(inspections_visible_to(user)).select_related(
        "collective", "collective__unit", "campaign", "campaign__office", "unit", "created_by", "responded_by",
    ).prefetch_related(
        Prefetch("checks", queryset=InspectionCheck.objects.order_by("id")),
        Prefetch("photos", queryset=InspectionPhoto.objects.select_related("uploaded_by").order_by("id")),
    )
    return get_object_for(user, queryset, pk, perm, denied=denied)


def get_inspection_photo_for(user, inspection_pk: int, pk: int) -> InspectionPhoto:
    """A photo of an inspection the user may see: 404 for one of an invisible inspection, as for one not there."""
    return get_visible_or_404(
        InspectionPhoto.objects.filter(inspection__in=inspections_visible_to(user)).select_related("inspection"),
        pk=pk, inspection_id=inspection_pk)


def checks_in_order(inspection) -> list[tuple[str, str, bool | None]]:
    """Every inspection item in the enumeration's order: (value, label, in order; None when not checked)."""
    found = {check.item: check.in_order for check in inspection.checks.all()}
    return [(value, label, found.get(value)) for value, label in InspectionItem.choices]


# The moves of a rectification, as the audit log keeps them (services.inspections.RECTIFICATION_TRANSITIONS).
HISTORY_ACTIONS = ("inspection.create", "inspection.respond", "inspection.accept", "inspection.reopen")


def inspection_history(inspection) -> list[AuditEntry]:
    """The inspection's record and its rectification's moves, oldest first, from the audit log (which keeps each
    answer, each new request with its comment and deadline, and each decision): one query."""
    return list(AuditEntry.objects.filter(object_type=Inspection._meta.label_lower, object_id=str(inspection.pk),
                                          action__in=HISTORY_ACTIONS)
                .select_related("actor").order_by("created_at", "id"))


def collective_inspections(collective, *, shown: int = 5) -> tuple[list[Inspection], int]:
    """The collective's newest inspections (for its page's panel) and how many it has in all: two queries."""
    queryset = with_overdue(Inspection.objects.filter(collective=collective)).select_related("campaign", "unit")
    return list(queryset.order_by("-date", "-id")[:shown]), queryset.count()


# --- the workbench ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RectificationsDue:
    """For a collective: the rectifications it must answer (asked), soonest deadline first. For an admin: the
    overdue rectifications of the collectives in its subtree, longest overdue first."""

    for_collective: bool
    items: list  # Inspection rows with collective, unit, campaign and ``is_overdue``
    count: int
    overdue: int


def rectifications_due(user, *, shown: int = 5) -> RectificationsDue | None:
    """The workbench's card of rectifications (two queries), or None for an account that has none to follow
    (judges)."""
    if user.is_authenticated and user.collective_id:
        queryset = Inspection.objects.filter(collective_id=user.collective_id,
                                             rectification_state=RectificationState.ASKED)
        order = ("rectify_by", "id")
    elif user.is_authenticated and user.is_admin and user.unit_id:
        queryset = Inspection.objects.filter(in_subtree(user.unit.path)).filter(overdue_q())
        order = ("rectify_by", "id")
    else:
        return None
    counts = queryset.aggregate(count=Count("id"), overdue=Count("id", filter=overdue_q()))
    items = list(with_overdue(queryset).select_related("collective", "collective__unit", "campaign", "unit")
                 .order_by(*order)[:shown])
    return RectificationsDue(for_collective=bool(user.collective_id), items=items, count=counts["count"],
                             overdue=counts["overdue"])
