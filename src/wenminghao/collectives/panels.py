"""Sections that higher apps add to a collective's page: its creation filings (campaigns), later its ledger. The
collective's page shows them without importing those apps (collectives knows no campaigns: docs/architecture.md).

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
