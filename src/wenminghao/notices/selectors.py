"""Every read of notices and receipts, scoped to the user (``notices_visible_to``). Lists are paged in the database;
read and reply counts are aggregates in SQL; a collective's read state is a correlated subquery for the page's
rows only. The execution norms (``norms_visible_to``): a collective's accounts read those of its unit chain, the
admins those of their chain and of their subtree; the overview of a subtree is one paged query of units with their
current version as correlated subqueries."""

import datetime

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from wenminghao.orgs.models import Unit

from .models import Norm, Notice, NoticeReceipt


def notices_visible_to(user) -> QuerySet[Notice]:
    """The collectives' accounts: the notices that reached their collective. Admins: those sent from their unit's
    subtree, and those from above that reached it. Nobody else any."""
    if not user.is_authenticated:
        return Notice.objects.none()
    if user.is_admin and user.unit_id:
        path = user.unit.path
        reached = NoticeReceipt.objects.filter(notice=OuterRef("pk"), unit_path__startswith=path)
        return Notice.objects.filter(Q(sender_unit__path__startswith=path) | Q(Exists(reached)))
    if user.collective_id:
        return Notice.objects.filter(Exists(NoticeReceipt.objects.filter(notice=OuterRef("pk"),
                                                                         collective_id=user.collective_id)))
    return Notice.objects.none()


def notice_list(user, *, unread_only: bool = False, search: str = "") -> QuerySet[Notice]:
    """The list of the notices page and the API, newest first; for a collective, its unread ones first, each row
    with ``read`` (its collective has confirmed it). Admins' rows carry ``read`` None."""
    queryset = notices_visible_to(user).select_related("sender_unit", "forwarded_from")
    if search:
        queryset = queryset.filter(Q(title__icontains=search) | Q(body__icontains=search))
    if user.is_authenticated and user.collective_id and not user.is_admin:
        read = NoticeReceipt.objects.filter(notice=OuterRef("pk"), collective_id=user.collective_id,
                                            read_at__isnull=False)
        queryset = queryset.annotate(read=Exists(read))
        if unread_only:
            queryset = queryset.filter(read=False)
        return queryset.order_by("read", "-published_at", "-id")
    return queryset.order_by("-published_at", "-id")


def unread_notices(user, limit: int = 5) -> list[Notice]:
    """A collective's unread notices, newest first, for its workbench (one query)."""
    if not (user.is_authenticated and user.collective_id) or user.is_admin:
        return []
    return list(notice_list(user, unread_only=True)[:limit])


def receipt_of(user, notice: Notice) -> NoticeReceipt | None:
    """The user's collective's receipt of the notice, if it reached that collective."""
    if not (user.is_authenticated and user.collective_id):
        return None
    return NoticeReceipt.objects.filter(notice=notice, collective_id=user.collective_id).first()


def receipt_totals(notice: Notice) -> dict[str, int]:
    """{"total", "read", "unread", "replied"} over every receipt of the notice (one aggregate)."""
    totals = notice.receipts.aggregate(total=Count("pk"), read=Count("pk", filter=Q(read_at__isnull=False)),
                                       replied=Count("pk", filter=Q(replied_at__isnull=False)))
    totals["unread"] = totals["total"] - totals["read"]
    return totals


def receipts_by_unit(notice: Notice) -> QuerySet:
    """Per reviewing unit: its name, how many collectives the notice reached, read and replied (one grouped query;
    page it)."""
    return (notice.receipts.values("unit_id", "unit__name", "unit_path")
            .annotate(total=Count("pk"), read=Count("pk", filter=Q(read_at__isnull=False)),
                      replied=Count("pk", filter=Q(replied_at__isnull=False)))
            .order_by("unit_path", "unit_id"))


def receipt_list(notice: Notice, *, state: str = "", unit=None) -> QuerySet[NoticeReceipt]:
    """The receipts of the notice (``state``: "read", "unread", "replied" or all), optionally of one unit's subtree,
    by unit then collective."""
    queryset = notice.receipts.select_related("collective", "unit", "read_by")
    if state == "read":
        queryset = queryset.filter(read_at__isnull=False)
    elif state == "unread":
        queryset = queryset.filter(read_at__isnull=True)
    elif state == "replied":
        queryset = queryset.filter(replied_at__isnull=False)
    if unit is not None:
        queryset = queryset.filter(unit_path__startswith=unit.path)
    return queryset.order_by("unit_path", "collective__name", "pk")


# --- execution norms (执行规范) ---------------------------------------------------------------------------------

CURRENT, PENDING, SUPERSEDED = "current", "pending", "superseded"


def _home_path(user) -> str | None:
    """The unit path the user's norms are read from: the admin's unit, or the unit of the account's collective."""
    if not user.is_authenticated:
        return None
    if user.is_admin and user.unit_id:
        return user.unit.path
    if user.collective_id:
        return user.collective.unit.path
    return None


def _ids_of(path: str) -> list[int]:
    return [int(part) for part in path.strip("/").split("/") if part]


def norms_visible_to(user) -> QuerySet[Norm]:
    """Admins: the versions of the units on their chain (their own up to the top) and in their subtree. A collective's
    accounts: those of its unit chain. Nobody else any."""
    path = _home_path(user)
    if path is None:
        return Norm.objects.none()
    chain = Q(unit_id__in=_ids_of(path))
    if user.is_admin:
        return Norm.objects.filter(chain | Q(unit__path__startswith=path))
    return Norm.objects.filter(chain)


def mark_states(versions, today: datetime.date | None = None) -> list[Norm]:
    """Each version of one unit with its ``state``: ``pending`` (effective after today), ``current`` (the newest
    effective by today) or ``superseded``; newest first."""
    today = today or timezone.localdate()
    versions = sorted(versions, key=lambda norm: norm.version, reverse=True)
    found_current = False
    for norm in versions:
        if norm.effective_on > today:
            norm.state = PENDING
        elif not found_current:
            norm.state, found_current = CURRENT, True
        else:
            norm.state = SUPERSEDED
    return versions


def norm_chain(user) -> list[dict]:
    """The units of the user's chain, nearest first (the admin's own unit, or the collective's, up to the top),
    each as {"unit", "current", "pending", "versions"} with every version of it marked (``mark_states``). A fixed
    number of queries (the units, the versions, their files) whatever the number of versions."""
    path = _home_path(user)
    if path is None:
        return []
    units = sorted(Unit.objects.filter(pk__in=_ids_of(path)), key=lambda unit: unit.depth, reverse=True)
    by_unit: dict[int, list[Norm]] = {}
    versions = (Norm.objects.filter(unit_id__in=[unit.pk for unit in units])
                .select_related("author").prefetch_related("attachments"))
    for norm in versions:
        by_unit.setdefault(norm.unit_id, []).append(norm)
    chain = []
    for unit in units:
        marked = mark_states(by_unit.get(unit.pk, []))
        chain.append({
            "unit": unit,
            "versions": marked,
            "current": next((norm for norm in marked if norm.state == CURRENT), None),
            "pending": [norm for norm in marked if norm.state == PENDING],
        })
    return chain


def unit_versions(norm: Norm) -> list[Norm]:
    """Every version of the norm's unit, newest first, marked (one query)."""
    return mark_states(Norm.objects.filter(unit_id=norm.unit_id).select_related("author"))


def latest_norm(unit) -> Norm | None:
    """The unit's newest version, pending or not (the one a new version follows)."""
    return Norm.objects.filter(unit=unit).order_by("-version").first()


def _overview_units(user) -> QuerySet[Unit]:
    if not (user.is_authenticated and user.is_admin and user.unit_id):
        return Unit.objects.none()
    return Unit.objects.filter(path__startswith=user.unit.path)


def norm_overview(user, *, missing_only: bool = False) -> QuerySet[Unit]:
    """The units of the admin's subtree (its own first, then by path), each with its current version as
    ``current_id``, ``current_title``, ``current_version``, ``current_effective_on``, its newest version
    (``latest_id``, ``latest_version``, ``latest_effective_on``: a pending one shows 将于…生效), when it was last
    revised (``last_revised``) and ``has_norms``. One query a page (correlated subqueries); ``missing_only``: the
    units without any version (无执行规范)."""
    today = timezone.localdate()
    versions = Norm.objects.filter(unit=OuterRef("pk"))
    current = versions.filter(effective_on__lte=today).order_by("-effective_on", "-version")
    latest = versions.order_by("-version")
    queryset = _overview_units(user).annotate(
        has_norms=Exists(versions),
        current_id=Subquery(current.values("pk")[:1]),
        current_title=Subquery(current.values("title")[:1]),
        current_version=Subquery(current.values("version")[:1]),
        current_effective_on=Subquery(current.values("effective_on")[:1]),
        latest_id=Subquery(latest.values("pk")[:1]),
        latest_version=Subquery(latest.values("version")[:1]),
        latest_effective_on=Subquery(latest.values("effective_on")[:1]),
        last_revised=Subquery(latest.values("published_at")[:1]),
    )
    if missing_only:
        queryset = queryset.filter(has_norms=False)
    return queryset.order_by("path", "pk")


def norm_counts(user) -> dict[str, int]:
    """{"units", "published", "missing"} of the admin's subtree: how many units have published norms (any version)
    and how many none (one aggregate)."""
    totals = (_overview_units(user).annotate(has_norms=Exists(Norm.objects.filter(unit=OuterRef("pk"))))
              .aggregate(units=Count("pk"), published=Count("pk", filter=Q(has_norms=True))))
    totals["missing"] = totals["units"] - totals["published"]
    return totals


def current_chain_norms(user) -> list[Norm]:
    """The current version of each unit on the user's chain that has one, nearest unit first (the workbench's card:
    one query)."""
    path = _home_path(user)
    if path is None:
        return []
    current: dict[int, Norm] = {}
    for norm in (Norm.objects.filter(unit_id__in=_ids_of(path), effective_on__lte=timezone.localdate())
                 .select_related("unit").order_by("unit_id", "-version")):
        current.setdefault(norm.unit_id, norm)
    return sorted(current.values(), key=lambda norm: norm.unit.depth, reverse=True)
