"""{% review_panel work %}: the review decisions the signed-in user may take on a work, and the work's history,
for the work's page (works/detail.html)."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

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


@register.simple_tag
def score_cell(assignment) -> str:
    """One judge's cell of the results table: the score, 未评, or 回避 (never assigned: conflict of interest), with
    the comment's icon. One call per cell instead of a block of template tags (a page has 50 works × the panel)."""
    if assignment is None:
        return format_html('<span class="text-muted" title="{}">回避</span>', "评委所在单位的作品，按回避规则未分配")
    shown = (format_html("{}", assignment.score) if assignment.score is not None
             else mark_safe('<span class="text-muted">未评</span>'))
    if assignment.comment:
        shown = format_html('{}<i class="bi bi-chat-left-text ms-1" title="{}" aria-label="评语：{}"></i>', shown,
                            assignment.comment, assignment.comment)
    return shown
