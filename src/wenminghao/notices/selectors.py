"""Every read of notices and receipts, scoped to the user (``notices_visible_to``). Lists are paged in the database;
read and reply counts are aggregates in SQL; a collective's read state is a correlated subquery for the page's
rows only."""

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from .models import Notice, NoticeReceipt


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
