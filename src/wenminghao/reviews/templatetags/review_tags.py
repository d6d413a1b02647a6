"""{% review_panel work %}: the review decisions the signed-in user may take on a work, and the work's history,
for the work's page (works/detail.html)."""

from django import template

from wenminghao.reviews import selectors

register = template.Library()


@register.inclusion_tag("reviews/unit_review/panel.html", takes_context=True)
def review_panel(context, work):
    request = context["request"]
    return {
        "work": work,
        "actions": selectors.review_actions(request.user, work),
        "history": list(selectors.work_history(work)),
        "csrf_token": context.get("csrf_token"),
        "request": request,
    }
