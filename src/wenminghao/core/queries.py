"""Query building blocks shared by the apps' selectors."""

from django.db.models import Count, IntegerField, QuerySet, Subquery
from django.db.models.functions import Coalesce


def count_of(queryset: QuerySet, correlated: str):
    """A correlated count as a column (0 when none): ``queryset`` is already filtered on ``correlated`` = the outer
    row (``OuterRef``). As an annotation it is evaluated for the rows the outer query returns — the page's rows
    once the list is sliced — and it is dropped from ``.count()``, unlike ``Count()`` over a join, which groups
    every matching row before the page is taken."""
    counted = queryset.order_by().values(correlated).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted[:1], output_field=IntegerField()), 0)
