from django.db.models import Case, CharField, Count, Q, QuerySet, Value, When
from django.db.models.functions import StrIndex, Substr

from .models import Unit


def units_visible_to(user) -> QuerySet[Unit]:
    """Admins: their unit's subtree. Other accounts: the unit they sit in."""
    if not user.is_authenticated:
        return Unit.objects.none()
    if user.is_admin and user.unit_id:
        return Unit.objects.filter(path__startswith=user.unit.path)
    home = user.home_unit
    if home is None:
        return Unit.objects.none()
    return Unit.objects.filter(pk=home.pk)


def child_under(unit: Unit, path_field: str) -> Case:
    """SQL: the id, as text, of the direct child of ``unit`` whose subtree holds the row's materialized path
    ``path_field`` (a path under ``unit.path``, e.g. ``collective__unit__path``); '' for ``unit`` itself. Group by it
    (``.values(child=child_under(unit, …))``) to roll a subtree's figures up per child in the database: one row per
    child instead of one per unit of the subtree (a country's 30,000) summed in Python. ``child_id`` reads it."""
    rest = Substr(path_field, len(unit.path) + 1)  # "42/7/" for "/1/42/7/" under "/1/"
    return Case(When(**{path_field: unit.path}, then=Value("")),
                default=Substr(rest, 1, StrIndex(rest, Value("/")) - 1), output_field=CharField())


def child_id(value: str) -> int | None:
    """The child unit's id from a ``child_under`` column (None for the unit itself)."""
    return int(value) if value else None


def unit_tree(user) -> list[Unit]:
    """The units an admin manages as a depth-first list (each unit followed by its subtree, siblings
    by ``sort_order``), from one query.

    Each unit carries ``collective_count`` (its own collectives), ``subtree_collective_count`` (with
    every unit below it, rolled up from the same rows by path) and ``level`` (depth below the admin's unit).
    """
    units = list(units_visible_to(user).annotate(collective_count=Count("collectives")))
    if not units:
        return []
    by_id = {unit.pk: unit for unit in units}
    base_depth = min(unit.depth for unit in units)
    children: dict[int | None, list[Unit]] = {}
    # Every counter first: the grouped query comes in no particular order (PostgreSQL may give a unit
    # before its ancestors).
    for unit in units:
        unit.subtree_collective_count = 0
    for unit in units:
        unit.level = unit.depth - base_depth
        parent_key = unit.parent_id if unit.parent_id in by_id else None
        children.setdefault(parent_key, []).append(unit)
        for ancestor_id in unit.ancestor_ids:
            ancestor = by_id.get(ancestor_id)
            if ancestor is not None:
                ancestor.subtree_collective_count += unit.collective_count
    ordered: list[Unit] = []
    stack = sorted(children.get(None, []), key=_sibling_order, reverse=True)
    while stack:
        unit = stack.pop()
        ordered.append(unit)
        stack.extend(sorted(children.get(unit.pk, []), key=_sibling_order, reverse=True))
    return ordered


def _sibling_order(unit: Unit) -> tuple[int, int]:
    return (unit.sort_order, unit.pk)


def unit_children(unit: Unit) -> list[Unit]:
    """The direct children of ``unit`` with ``collective_count`` (their own) and
    ``subtree_collective_count`` (with everything below them): two queries whatever the size. Collectives are
    counted through the units' reverse relation (``Unit.collectives``): the tree imports nothing of them."""
    children = list(
        Unit.objects.filter(parent=unit).annotate(collective_count=Count("collectives")).order_by("sort_order", "path")
    )
    totals = {child.pk: 0 for child in children}
    rows = (
        Unit.objects.filter(path__startswith=unit.path).exclude(pk=unit.pk)
        .order_by()
        .values(child=child_under(unit, "path"))
        .annotate(total=Count("collectives"))
    )
    for row in rows:
        if child_id(row["child"]) in totals:
            totals[child_id(row["child"])] += row["total"]
    for child in children:
        child.subtree_collective_count = totals[child.pk]
    return children


def collective_counts(unit: Unit) -> dict[str, int]:
    """How many collectives report directly to ``unit`` (own) and to its whole subtree (total)."""
    return Unit.objects.filter(path__startswith=unit.path).aggregate(
        own=Count("collectives", filter=Q(pk=unit.pk)), total=Count("collectives")
    )
