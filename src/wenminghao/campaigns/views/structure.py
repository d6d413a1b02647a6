"""The structure page of a campaign (rule 2 of the notice): the shares of former holders, non-public and
social organisations among the creating collectives, per unit."""

from decimal import ROUND_FLOOR, Decimal

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views.decorators.http import require_GET

from wenminghao.core.http import get_object_for, get_visible_or_404, int_or_none
from wenminghao.orgs.models import Unit
from wenminghao.orgs.selectors import units_visible_to

from .. import selectors
from ..eligibility import percent
from .common import share_targets

CANDIDATE_LIMIT = 200


def _percent_number(share: Decimal) -> float:
    """A share as a percentage number for the chart, rounded down like the tables."""
    return float((share * 100).quantize(Decimal("0.1"), rounding=ROUND_FLOOR))


@login_required
@require_GET
def structure(request, pk: int):
    user = request.user
    campaign = get_visible_or_404(selectors.campaigns_visible_to(user), pk=pk)
    unit_id = request.GET.get("unit") or (user.unit_id if user.is_admin else None)
    if int_or_none(unit_id) is None:
        raise PermissionDenied("只有归口单位和团市委管理员可以查看创建结构。")
    unit = get_object_for(user, units_visible_to(user), int(unit_id), "orgs.view_overview",
                          denied="只有归口单位和团市委管理员可以查看创建结构。")
    own = selectors.structure_of(campaign, unit)
    children = selectors.structure_by_child_unit(campaign, unit)
    trail = list(
        Unit.objects.filter(pk__in=unit.ancestor_ids, path__startswith=user.unit.path)
        .exclude(pk=unit.pk)
        .order_by("depth")
    )
    chart = None
    if children:
        chart = {
            "units": [child.unit.display_name for child in children],
            "series": [
                {
                    "name": own.lines[index].label,
                    "target": _percent_number(own.lines[index].target),
                    "data": [
                        _percent_number(child.lines[index].share) if child.total else None for child in children
                    ],
                }
                for index in range(len(own.lines))
            ],
        }
    return render(
        request,
        "campaigns/structure.html",
        {
            "campaign": campaign,
            "unit": unit,
            "own": own,
            "children": children,
            "trail": trail,
            "chart": chart,
            "targets_text": "，".join(f"{label}不低于{percent(target)}" for label, target in share_targets(campaign)),
        },
    )


