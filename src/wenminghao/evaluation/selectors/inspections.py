"""Reads of field inspections (实地考察) and their rectifications."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from ..enums import InspectionRating, RectificationState
from ..models import Inspection


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
