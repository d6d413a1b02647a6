from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import render

from wenminghao.campaigns.enums import FilingStatus
from wenminghao.campaigns.selectors import campaigns_visible_to, filings_visible_to
from wenminghao.collectives.selectors import collectives_visible_to
from wenminghao.evaluation.selectors.inspections import rectifications_due
from wenminghao.evaluation.selectors.naming import title_warnings_due
from wenminghao.ledger import selectors as ledger_selectors
from wenminghao.notices import selectors as notice_selectors

UNREAD_NOTICES_SHOWN = 5


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
        # evaluation: rectifications to answer (or overdue below an admin), warned titles to fix (or overdue)
        "rectifications": rectifications_due(user),
        "title_warnings": title_warnings_due(user),
    }
    if user.collective_id and not user.is_admin:
        # unread notices first: one more than shown, to know whether to say there are more (one query)
        unread = notice_selectors.unread_notices(user, limit=UNREAD_NOTICES_SHOWN + 1)
        context["unread_notices"] = unread[:UNREAD_NOTICES_SHOWN]
        context["more_unread_notices"] = len(unread) > UNREAD_NOTICES_SHOWN
        # execution norms (执行规范): the current norms of the collective's unit chain, nearest first (one query)
        context["chain_norms"] = notice_selectors.current_chain_norms(user)
        context["show_norms_card"] = True
    if user.collective_id:
        context["own_filings"] = list(
            filings_visible_to(user).select_related("campaign").order_by("-campaign__year", "campaign__level")
        )
        context.update(_ledger_card(user))
    elif user.has_perm("ledger.review_ledgers"):
        context["ledger_open_comment_entries"] = ledger_selectors.entry_list(user, open_comments=True).count()
    return render(request, "workbench/home.html", context)


def _ledger_card(user) -> dict:
    """What the collective's ledger still lacks in the newest campaign it takes part in (a fixed number of
    queries: selectors.ledger_gaps)."""
    collective = user.collective
    campaign = ledger_selectors.campaign_of_ledger(collective)
    if campaign is None:
        return {"ledger_gaps": None}
    gaps = ledger_selectors.ledger_gaps(collective, campaign)
    return {"ledger_gaps": gaps, "never_attended": gaps.study.members - gaps.study.attended}
