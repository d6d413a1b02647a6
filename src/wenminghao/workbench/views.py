from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import render

from wenminghao.campaigns.enums import FilingStatus
from wenminghao.campaigns.selectors import campaigns_visible_to, filings_visible_to
from wenminghao.collectives.selectors import collectives_visible_to


@login_required
def home(request):
    """The workbench: what the signed-in person has to do now."""
    user = request.user
    campaigns = list(campaigns_visible_to(user).order_by("-year", "level"))
    filing_counts = filings_visible_to(user).aggregate(
        pending=Count("id", filter=Q(status=FilingStatus.PENDING)),
        accepted=Count("id", filter=Q(status=FilingStatus.ACCEPTED)),
        returned=Count("id", filter=Q(status=FilingStatus.RETURNED)),
    )
    context = {
        "campaigns": campaigns,
        "filing_counts": filing_counts,
        "collective_count": collectives_visible_to(user).count(),
    }
    if user.collective_id:
        context["own_filings"] = list(
            filings_visible_to(user).select_related("campaign").order_by("-campaign__year", "campaign__level")
        )
    return render(request, "workbench/home.html", context)
