"""Sections that higher apps add to a collective's page: its creation filings (campaigns), its ledger; and the page
each title links to (evaluation: the title's page, ``register_honour_link``). The collective's page shows them
without importing those apps (collectives knows no campaigns: docs/architecture.md).

An app registers its panel once, in its ``AppConfig.ready()``::

    register_panel(CollectivePanel(key="filings", slot="side", order=20,
                                   template="campaigns/panels/collective_filings.html", context=filings_context))

``context(request, collective)`` returns the panel's template variables, or None when this user is not to see it;
the variables join the page's context (one query or two per panel, whatever the collective holds).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

SLOTS = ("side", "bottom")  # beside the honours; below the members


@dataclass(frozen=True)
class CollectivePanel:
    key: str
    slot: str
    order: int
    template: str
    context: Callable[..., dict | None]


_PANELS: dict[str, CollectivePanel] = {}


def register_panel(panel: CollectivePanel) -> None:
    if panel.slot not in SLOTS:
        raise ValueError(f"unknown slot {panel.slot!r}")
    _PANELS[panel.key] = panel  # registering again (a reloaded app) replaces


def panels_for(request, collective) -> tuple[dict[str, list[str]], dict]:
    """({slot: [template, ...]}, the panels' variables) for this user's view of the collective."""
    templates: dict[str, list[str]] = {slot: [] for slot in SLOTS}
    variables: dict = {}
    for panel in sorted(_PANELS.values(), key=lambda item: (item.slot, item.order, item.key)):
        context = panel.context(request, collective)
        if context is None:
            continue
        templates[panel.slot].append(panel.template)
        variables.update(context)
    return templates, variables


# --- a higher app's page for one title ---------------------------------------------------------------------------
# The evaluation app manages titles (复核, 警告提醒, 撤销称号) on a page of its own; the collective's page links each
# title there for everyone who may open it. ``link(request, honour)`` returns the address, or None for this user.

_HONOUR_LINKS: dict[str, Callable[..., str | None]] = {}


def register_honour_link(key: str, link: Callable[..., str | None]) -> None:
    _HONOUR_LINKS[key] = link  # registering again (a reloaded app) replaces


def honour_links(request, honours) -> dict[int, str]:
    """{honour id: the first registered page for it this user may open}."""
    links: dict[int, str] = {}
    for honour in honours:
        for link in _HONOUR_LINKS.values():
            url = link(request, honour)
            if url:
                links[honour.pk] = url
                break
    return links
