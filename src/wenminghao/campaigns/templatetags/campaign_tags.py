from decimal import Decimal

from django import template

from wenminghao.campaigns.eligibility import percent as percent_text

register = template.Library()


@register.filter
def percent(share) -> str:
    """A fraction as a percentage, rounded down to one decimal place (0.333 → 33.3%)."""
    if share is None or share == "":
        return "—"
    return percent_text(Decimal(str(share)))
