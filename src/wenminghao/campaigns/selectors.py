from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet

from wenminghao.collectives.enums import OrgType
from wenminghao.core.http import get_object_for
from wenminghao.orgs.models import Unit
from wenminghao.orgs.selectors import child_id, child_under

from .enums import FilingStatus
from .models import Campaign, CreationFiling


def campaigns_visible_to(user) -> QuerySet[Campaign]:
    """Campaigns run by an office above the user's place, and (for admins) inside their subtree."""
    if not user.is_authenticated:
        return Campaign.objects.none()
    home = user.home_unit
    condition = Q(pk__in=[])
    if home is not None:
        ancestor_ids = home.ancestor_ids
        condition |= Q(office_id__in=ancestor_ids)
    if user.is_admin and user.unit_id:
        condition |= Q(office__path__startswith=user.unit.path)
    return Campaign.objects.filter(condition).select_related("office")


def get_campaign_for(user, pk: int, perm: str | None = None, *, denied: str = "您没有权限执行此操作。") -> Campaign:
    """One campaign the user may see, with its office (404 otherwise), checked for ``perm`` (403 with ``denied``)."""
    return get_object_for(user, campaigns_visible_to(user).select_related("office"), pk, perm, denied=denied)


def filings_visible_to(user) -> QuerySet[CreationFiling]:
    if not user.is_authenticated:
        return CreationFiling.objects.none()
    if user.is_admin and user.unit_id:
        return CreationFiling.objects.filter(collective__unit__path__startswith=user.unit.path)
    if user.collective_id:
        return CreationFiling.objects.filter(collective_id=user.collective_id)
    return CreationFiling.objects.none()


def filing_list(user, *, campaign=None, unit=None, status: str = "", search: str = ""):
    queryset = filings_visible_to(user).select_related(
        "collective", "collective__unit", "campaign", "filed_by", "decided_by"
    )
    if campaign is not None:
        queryset = queryset.filter(campaign=campaign)
    if unit is not None:
        queryset = queryset.filter(collective__unit__path__startswith=unit.path)
    if status:
        queryset = queryset.filter(status=status)
    if search:
        queryset = queryset.filter(Q(collective__name__icontains=search) | Q(collective__host_org__icontains=search))
    return queryset.order_by("collective__unit__path", "collective__name", "id")


# --- structure (rule 2 of the notice) -----------------------------------------------------------


CREATING_STATUSES = (FilingStatus.PENDING, FilingStatus.ACCEPTED)


@dataclass
class ShareLine:
    key: str
    label: str
    count: int
    total: int
    target: Decimal

    @property
    def share(self) -> Decimal:
        return Decimal(self.count) / Decimal(self.total) if self.total else Decimal(0)

    @property
    def below_target(self) -> bool:
        return self.total > 0 and self.share < self.target


@dataclass
class Structure:
    unit: object
    total: int
    lines: list[ShareLine]

    @property
    def any_below(self) -> bool:
        return any(line.below_target for line in self.lines)

    def as_shares(self) -> dict[str, float]:
        return {line.key: round(float(line.share), 4) for line in self.lines}


def _structure_counts(filings) -> dict:
    return filings.aggregate(
        total=Count("id"),
        former=Count("id", filter=Q(is_former=True)),
        non_public=Count("id", filter=Q(collective__org_type=OrgType.NON_PUBLIC)),
        social=Count("id", filter=Q(collective__org_type=OrgType.SOCIAL)),
    )


def _lines(campaign, counts: dict) -> list[ShareLine]:
    total = counts["total"] or 0
    return [
        ShareLine("former", "往届青年文明号集体", counts["former"] or 0, total, campaign.target_former_share),
        ShareLine("non_public", "非公经济组织集体", counts["non_public"] or 0, total, campaign.target_non_public_share),
        ShareLine("social", "社会组织集体", counts["social"] or 0, total, campaign.target_social_share),
    ]


def creating_filings(campaign, unit):
    """The creating collectives' filings (pending or accepted) of a campaign under a unit's subtree."""
    return CreationFiling.objects.filter(
        campaign=campaign, status__in=CREATING_STATUSES, collective__unit__path__startswith=unit.path
    )


def structure_of(campaign, unit) -> Structure:
    """Shares of former holders, non-public and social organisations among the unit's creating
    collectives, against the campaign's targets. One aggregate query."""
    counts = _structure_counts(creating_filings(campaign, unit))
    return Structure(unit=unit, total=counts["total"] or 0, lines=_lines(campaign, counts))


def structure_by_child_unit(campaign, unit) -> list[Structure]:
    """The same for each direct child of ``unit``: one query over the subtree, grouped per child in the
    database (``orgs.selectors.child_under``)."""
    children = list(Unit.objects.filter(parent=unit).order_by("sort_order", "id"))
    rows = (
        creating_filings(campaign, unit)
        .order_by()
        .values(child=child_under(unit, "collective__unit__path"))
        .annotate(
            total=Count("id"),
            former=Count("id", filter=Q(is_former=True)),
            non_public=Count("id", filter=Q(collective__org_type=OrgType.NON_PUBLIC)),
            social=Count("id", filter=Q(collective__org_type=OrgType.SOCIAL)),
        )
    )
    per_child = {child.pk: {"total": 0, "former": 0, "non_public": 0, "social": 0} for child in children}
    for row in rows:
        if child_id(row["child"]) in per_child:
            for key in ("total", "former", "non_public", "social"):
                per_child[child_id(row["child"])][key] += row[key]
    return [
        Structure(unit=child, total=per_child[child.pk]["total"], lines=_lines(campaign, per_child[child.pk]))
        for child in children
    ]


# --- filing counts per unit and status (the 各单位报备情况 table) -------------------------------------


@dataclass
class UnitFilingCounts:
    """Filings per status under one unit; ``unit`` None stands for the collectives filed directly
    under the parent unit itself (本级直属)."""
    unit: object
    pending: int = 0
    accepted: int = 0
    returned: int = 0

    @property
    def total(self) -> int:
        return self.pending + self.accepted + self.returned


def filing_counts_by_child_unit(user, unit, *, campaign=None) -> tuple[list[UnitFilingCounts], UnitFilingCounts]:
    """Per direct child of ``unit`` (every child, zeros included, then 本级直属 if any), the user's
    visible filings by status, and the totals. Two queries whatever the number of filings: the
    children, and one aggregate grouped by child unit (``orgs.selectors.child_under``) and status."""
    children = list(Unit.objects.filter(parent=unit).order_by("sort_order", "id"))
    queryset = filings_visible_to(user).filter(collective__unit__path__startswith=unit.path)
    if campaign is not None:
        queryset = queryset.filter(campaign=campaign)
    rows = (queryset.order_by().values("status", child=child_under(unit, "collective__unit__path"))
            .annotate(n=Count("id")))
    per_child = {child.pk: UnitFilingCounts(child) for child in children}
    own = UnitFilingCounts(None)
    totals = UnitFilingCounts(unit)
    for row in rows:
        line = per_child.get(child_id(row["child"]), own)
        for target in (line, totals):
            setattr(target, row["status"], getattr(target, row["status"]) + row["n"])
    lines = list(per_child.values())
    if own.total:
        lines.append(own)
    return lines, totals


def collective_filings_panel(request, collective) -> dict:
    """The collective page's panel of its creation filings that this user may see (collectives.panels)."""
    return {"filings": list(
        filings_visible_to(request.user).filter(collective=collective).select_related("campaign")
        .order_by("-campaign__year", "campaign__level", "-id")
    )}
