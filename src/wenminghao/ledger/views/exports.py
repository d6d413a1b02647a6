"""The ledger's downloads: one collective's ledger for a campaign as .docx or .pdf (the 查阅台账 visit), and the
entries of a unit's collectives as .xlsx, filtered as on the 查阅台账 page. Each file is written to a temporary
file and streamed; each download is written to the audit log (``ledger.export``: format, campaign, entries).

Who may: the collective's own accounts, the admins of the units above it and the office (``ledger.export_ledger``);
for a unit, the admins of it or above (``ledger.export_unit_ledgers``). Everyone else gets 404, as for a ledger
that does not exist: judges, other units, other collectives.
"""


from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_GET, require_http_methods

from wenminghao.collectives.selectors import collectives_visible_to
from wenminghao.core.audit import record_audit
from wenminghao.core.exports import latest_jobs, request_export
from wenminghao.core.http import client_ip, get_object_for

from ..exporters import (
    COLLECTIVE_FORMATS,
    ExportNotFound,
    collective_ledger_export,
    direct_export_rows,
    unit_export_request,
    unit_ledger_export,
)
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


@login_required
@require_http_methods(["GET", "POST"])
def unit_export(request):
    """?unit= (the admin's own when absent) &campaign= &activity= &date_from= &date_to= (ISO dates) &collective=.
    Up to ``direct_export_rows()`` rows the GET answers the file; above, it shows the count and a button that asks
    the task worker for it (POST, with the same parameters: an ExportJob, core.exports), as the campaign export."""
    user = request.user
    source = request.POST if request.method == "POST" else request.GET
    try:
        found = unit_export_request(user, source)
    except ExportNotFound as error:
        raise Http404(str(error)) from error
    if request.method == "POST":
        job = request_export(actor=user, kind="ledger_unit", params=found.params(), title=found.title(),
                             unit_path=found.unit.path)
        return redirect("core:export_detail", pk=job.pk)
    exporter = unit_ledger_export(user, **found.filters())
    rows = exporter.queryset.count()
    if rows > direct_export_rows():
        return render(request, "ledger/export_unit.html", {
            "found": found, "rows": rows, "limit": direct_export_rows(), "params": found.params(),
            "jobs": latest_jobs(user, "ledger_unit", found.params()),
        })
    response = exporter.file_response()
    _audit_export(request, target=found.unit, unit_path=found.unit.path, fmt="xlsx", campaign=found.campaign,
                  entries=exporter.entry_count, activity=found.activity, date_from=found.date_from,
                  date_to=found.date_to, collective=found.collective.pk if found.collective is not None else None)
    return response


urlpatterns = [
    path("collectives/<int:collective_id>/export.<str:fmt>", collective_export, name="export_collective"),
    path("export.xlsx", unit_export, name="export_unit"),
]
