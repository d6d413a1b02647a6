"""The ledger's downloads: one collective's ledger for a campaign as .docx or .pdf (the 查阅台账 visit), and the
entries of a unit's collectives as .xlsx, filtered as on the 查阅台账 page. Each file is written to a temporary
file and streamed; each download is written to the audit log (``ledger.export``: format, campaign, entries).

Who may: the collective's own accounts, the admins of the units above it and the office (``ledger.export_ledger``);
for a unit, the admins of it or above (``ledger.export_unit_ledgers``). Everyone else gets 404, as for a ledger
that does not exist: judges, other units, other collectives.
"""

import datetime

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.urls import path
from django.views.decorators.http import require_GET

from wenminghao.campaigns.selectors import campaigns_visible_to
from wenminghao.collectives.selectors import collectives_visible_to
from wenminghao.core.audit import record_audit
from wenminghao.core.http import NOT_VISIBLE, client_ip, get_object_for, get_visible_or_404
from wenminghao.orgs.selectors import units_visible_to

from ..enums import Activity
from ..exporters import COLLECTIVE_FORMATS, collective_ledger_export, unit_ledger_export
from ..selectors import campaign_of_ledger

NO_CAMPAIGN = "该集体尚未参与任何创建活动，没有可导出的台账。"
NO_UNIT_CAMPAIGN = "本单位没有可导出台账的创建活动。"


def _audit_export(request, *, target, unit_path: str, fmt: str, campaign, entries: int, **filters) -> None:
    after = {"format": fmt, "campaign": campaign.pk, "entries": entries}
    after.update({key: value for key, value in filters.items() if value not in (None, "")})
    with transaction.atomic():
        record_audit(actor=request.user, action="ledger.export", target=target, unit_path=unit_path, after=after,
                     ip_address=client_ip(request))


@login_required
@require_GET
def collective_export(request, collective_id: int, fmt: str):
    """?campaign= (the collective's newest campaign when absent or not one of its own)."""
    if fmt not in COLLECTIVE_FORMATS:
        raise Http404("台账只能导出为 Word（.docx）或 PDF 文件。")
    # Anyone who may see the collective may export its ledger; get_object_for answers 404 for everyone else.
    collective = get_object_for(request.user, collectives_visible_to(request.user).select_related("unit"),
                                collective_id, "ledger.export_ledger", denied="您不能导出该集体的台账。")
    campaign = campaign_of_ledger(collective, request.GET.get("campaign"))
    if campaign is None:
        raise Http404(NO_CAMPAIGN)
    exporter = collective_ledger_export(fmt, collective, campaign)
    response = exporter.file_response()
    _audit_export(request, target=collective, unit_path=collective.unit.path, fmt=fmt, campaign=campaign,
                  entries=exporter.entry_count)
    return response


def _int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _date_or_none(value):
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _unit_campaign(user, unit, requested):
    """The campaign of the export: the requested one when it is one the unit's collectives keep a ledger for (run
    by an office above the unit or inside it), else the newest of those; None when there is none."""
    campaigns = campaigns_visible_to(user).filter(
        Q(office_id__in=unit.ancestor_ids) | Q(office__path__startswith=unit.path)
    ).order_by("-year", "-id")
    requested = _int_or_none(requested)
    chosen = campaigns.filter(pk=requested).first() if requested is not None else None
    return chosen or campaigns.first()


@login_required
@require_GET
def unit_export(request):
    """?unit= (the admin's own when absent) &campaign= &activity= &date_from= &date_to= (ISO dates) &collective=."""
    user = request.user
    unit_id = _int_or_none(request.GET.get("unit")) or user.unit_id
    if unit_id is None:
        raise Http404(NOT_VISIBLE)
    unit = get_visible_or_404(units_visible_to(user), pk=unit_id)
    if not user.has_perm("ledger.export_unit_ledgers", unit):
        raise Http404(NOT_VISIBLE)  # a collective account or a judge sees its own unit, not its ledgers
    campaign = _unit_campaign(user, unit, request.GET.get("campaign"))
    if campaign is None:
        raise Http404(NO_UNIT_CAMPAIGN)
    activity = request.GET.get("activity", "")
    filters = {
        "activity": activity if activity in Activity.values else "",
        "date_from": _date_or_none(request.GET.get("date_from")),
        "date_to": _date_or_none(request.GET.get("date_to")),
        "collective": None,
    }
    collective_id = _int_or_none(request.GET.get("collective"))
    if collective_id is not None:
        filters["collective"] = get_visible_or_404(
            collectives_visible_to(user).filter(unit__path__startswith=unit.path), pk=collective_id)
    exporter = unit_ledger_export(user, unit=unit, campaign=campaign, **filters)
    response = exporter.file_response()
    _audit_export(request, target=unit, unit_path=unit.path, fmt="xlsx", campaign=campaign,
                  entries=exporter.entry_count, activity=filters["activity"], date_from=filters["date_from"],
                  date_to=filters["date_to"],
                  collective=filters["collective"].pk if filters["collective"] is not None else None)
    return response


urlpatterns = [
    path("collectives/<int:collective_id>/export.<str:fmt>", collective_export, name="export_collective"),
    path("export.xlsx", unit_export, name="export_unit"),
]
