"""Sizes that depend on a value, as class names: the Content-Security-Policy allows no style="" attribute
(core/middleware.py), so a progress bar's width and a tree node's indent are classes of static/wmh/site.css."""

from django import template

register = template.Library()

INDENT_LEVELS = 8  # site.css has .wmh-indent-0 … .wmh-indent-8; deeper units indent as much as level 8


@register.filter
def width_class(percent) -> str:
    """``{{ 63|width_class }}`` → ``wmh-w-63``: width 63% (clamped to 0…100, rounded to a whole percent)."""
    try:
        value = round(float(percent))
    except (TypeError, ValueError):
        value = 0
    return f"wmh-w-{min(max(value, 0), 100)}"


@register.filter
def indent_class(level) -> str:
    """``{{ unit.level|indent_class }}`` → ``wmh-indent-2``: a left margin of 1.25rem per level."""
    try:
        value = int(level)
    except (TypeError, ValueError):
        value = 0
    return f"wmh-indent-{min(max(value, 0), INDENT_LEVELS)}"
