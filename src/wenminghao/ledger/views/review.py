"""查阅台账: the entries of every collective in an admin's unit subtree, filtered by campaign (the newest by
default), unit, collective or title, activity, date range and open comments, paged in the database. A collective
account is sent to its own ledger (of ``?campaign=`` when given); judges and everyone else get 404."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_GET

from wenminghao.campaigns.selectors import campaigns_visible_to
from wenminghao.core.http import int_or_none, paginate
from wenminghao.orgs.selectors import units_visible_to

from .. import selectors
from ..forms import ReviewFilterForm
from .entries import ledger_url

PER_PAGE = 30
EXPORT_FILTERS = ("activity", "date_from", "date_to")


def _unit_choices(user, requested: str | None):
    """The admin's unit and two levels below it (and a deeper unit when it is the one asked for)."""
    base_depth = user.unit.depth
    extra = Q(pk=int(requested)) if requested and requested.isdigit() else Q(pk__in=[])
    return units_visible_to(user).filter(Q(depth__lte=base_depth + 2) | extra).order_by("path"), base_depth


@login_required
@require_GET
def review(request):
    user = request.user
    if user.collective_id:  # its own ledger (of the campaign asked for: a reminder's link is the same for everyone)
        return redirect(ledger_url(user.collective_id, int_or_none(request.GET.get("campaign"))))
    if not user.has_perm("ledger.review_ledgers"):
        raise Http404("未找到该页面，或您无权查看。")
    campaigns = campaigns_visible_to(user).order_by("-year", "-id")
    units, base_depth = _unit_choices(user, request.GET.get("unit"))
    newest = campaigns.first()
    form = ReviewFilterForm(request.GET or None, initial={"campaign": newest.pk if newest else None},
                            campaigns=campaigns, units=units, base_depth=base_depth)
    filters = form.filters()
    # No campaign asked for: the newest; an empty one chosen (全部创建活动): every campaign.
    every_campaign = request.GET.get("campaign", None) == ""
    campaign = filters.pop("campaign", None) or (None if every_campaign else newest)
    unit = filters.get("unit") or user.unit
    queryset = selectors.entry_list(user, campaign=campaign, **filters) if newest is not None else None
    page = paginate(request, queryset, per_page=PER_PAGE) if queryset is not None else {}
    export_params = {"unit": unit.pk, "campaign": campaign.pk if campaign else ""}
    export_params.update({name: str(filters[name]) for name in EXPORT_FILTERS if filters.get(name)})
    context = {
        **page,
        "form": form,
        "campaign": campaign,
        "unit": unit,
        "can_export": campaign is not None and user.has_perm("ledger.export_unit_ledgers", unit),
        "export_query": urlencode({key: value for key, value in export_params.items() if value != ""}),
        "has_campaigns": newest is not None,
        "more_filters": any(name in filters for name in ("unit", "activity", "date_from", "date_to"))
        or any(name in form.errors for name in ("unit", "activity", "date_from", "date_to")),
        "filtered": bool(filters) or every_campaign,
    }
    return render(request, "ledger/review.html", context)


urlpatterns = [
    path("", review, name="review"),
]
