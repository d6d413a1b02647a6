"""Reads of the central evaluation (集中评议): the ranking of creating collectives by their score."""

from django.db.models import F, OuterRef, QuerySet, Subquery

from wenminghao.campaigns.selectors import creating_filings
from wenminghao.collectives.models import Collective

from ..models import Assessment


def ranking(campaign, unit) -> QuerySet[Collective]:
    """The campaign's creating collectives under ``unit``, best score first (not yet scored last, by name): each
    annotated with ``assessed_score`` (None until scored). Paginate it; the score is a subquery per row."""
    scores = Assessment.objects.filter(campaign=campaign, collective=OuterRef("pk"))
    return (
        Collective.objects.filter(pk__in=creating_filings(campaign, unit).values("collective_id"))
        .select_related("unit")
        .annotate(assessed_score=Subquery(scores.values("score")[:1]))
        .order_by(F("assessed_score").desc(nulls_last=True), "name", "pk")
    )
