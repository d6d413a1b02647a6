from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from .models import Collective, Honour, Member


def collectives_visible_to(user) -> QuerySet[Collective]:
    """Every collective the user may see: an admin's subtree, or a collective account's own one."""
    if not user.is_authenticated:
        return Collective.objects.none()
    if user.is_admin and user.unit_id:
        return Collective.objects.filter(unit__path__startswith=user.unit.path)
    if user.collective_id:
        return Collective.objects.filter(pk=user.collective_id)
    return Collective.objects.none()


def collective_list(user, *, unit=None, search: str = "", sector: str = "", org_type: str = ""):
    """The list page's and the API's query: visible collectives, filtered, with their unit and member count."""
    queryset = collectives_visible_to(user).select_related("unit")
    if unit is not None:
        queryset = queryset.filter(unit__path__startswith=unit.path)
    if search:
        queryset = queryset.filter(
            Q(name__icontains=search) | Q(host_org__icontains=search) | Q(contact_name__icontains=search)
        )
    if sector:
        queryset = queryset.filter(sector=sector)
    if org_type:
        queryset = queryset.filter(org_type=org_type)
    # A correlated subquery, evaluated only for the rows of the page (after LIMIT), not a GROUP BY over
    # every member of the subtree.
    members = (
        Member.objects.filter(collective=OuterRef("pk")).order_by().values("collective").annotate(n=Count("id"))
    )
    member_count = Coalesce(Subquery(members.values("n")[:1]), 0)
    return queryset.annotate(member_count=member_count).order_by("unit__path", "name", "id")


def collective_detail(user, pk: int) -> Collective:
    """One visible collective with members and honours, or Collective.DoesNotExist (a 404)."""
    return (
        collectives_visible_to(user)
        .select_related("unit")
        .prefetch_related("members", honours_with_office())
        .get(pk=pk)
    )


def honours_with_office() -> Prefetch:
    """The collective's honours, each with the office that named it (if any): one query for all of them."""
    return Prefetch("honours", queryset=Honour.objects.select_related("awarded_by"))
