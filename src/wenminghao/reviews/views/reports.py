"""The unit's report for a campaign (its recommended works, the Attachment 2 table in three formats, the stamped
scan) and the campaign office's overview of which units have reported, not reported, or reported late.

Campaigns come through campaigns_visible_to (invisible answers 404); a visible page the user may not use answers
403; the scan is served only to admins whose subtree contains the reporting unit.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wenminghao.campaigns.selectors import get_campaign_for
from wenminghao.core.errors import RuleViolationError
from wenminghao.core.exports import latest_jobs
from wenminghao.core.files import stored_file_response
from wenminghao.core.http import paginate
from wenminghao.core.uploads import receive_streamed_upload

from .. import selectors, services
from ..exports import SUMMARY_FORMAT_LABELS, SUMMARY_KIND, UNIT_SCOPE, SummaryRequest, direct_summary_rows
from ..models import UnitReport
from ..summary import FORMATS

FORMAT_LABELS = SUMMARY_FORMAT_LABELS
WORKS_PER_PAGE = 100


def _reporting_unit(request, campaign_id):
    campaign = get_campaign_for(request.user, campaign_id, "reviews.act_for_unit",
                                denied="只有单位管理员可以查看和报送本单位的推荐成果汇总表。")
    return campaign, request.user.unit


def _report_context(request, campaign, unit, violations=None):
    # paged in the database: an office's report holds the whole city's recommended works (10,000 and more)
    page = paginate(request, selectors.recommended_works(campaign, unit), per_page=WORKS_PER_PAGE)
    works = list(page["object_list"])
    report = UnitReport.objects.filter(campaign=campaign, unit=unit).select_related("uploaded_by").first()
    deadline = selectors.unit_deadline(campaign, unit)
    return {
        **page, "campaign": campaign, "unit": unit, "works": works, "work_total": page["page_obj"].paginator.count,
        "report": report, "deadline": deadline,
        "late": selectors.is_report_late(report, deadline), "formats": FORMAT_LABELS,
        "scan_limit_mb": services.SCAN_MAX_BYTES // (1024 * 1024), "violations": violations or [],
    }


@login_required
@require_GET
def unit_report(request, campaign_id: int):
    campaign, unit = _reporting_unit(request, campaign_id)
    return render(request, "reviews/reports/unit_report.html", _report_context(request, campaign, unit))


def summary_format(request) -> str:
    """?format=xlsx|docx|pdf (xlsx when absent; the POST's field of the same name)."""
    fmt = (request.POST if request.method == "POST" else request.GET).get("format", "xlsx")
    if fmt not in FORMATS:
        raise Http404("没有这种格式的汇总表。")
    return fmt


def summary_answer(request, found: SummaryRequest, back_url: str):
    """The table in the answer up to ``direct_summary_rows()`` rows. Above, GET shows the count and a button
    that asks the task worker for it (POST: an ExportJob, core.exports), whose page offers the file once made."""
    if request.method == "POST":
        return redirect("core:export_detail", pk=found.request_job(request.user).pk)
    rows = found.count()
    if rows <= direct_summary_rows():
        return found.exporter().response()
    return render(request, "reviews/reports/summary_export.html", {
        "found": found, "rows": rows, "limit": direct_summary_rows(), "back_url": back_url,
        "format_label": FORMAT_LABELS[found.fmt], "jobs": latest_jobs(request.user, SUMMARY_KIND, found.params()),
    })


@login_required
@require_http_methods(["GET", "POST"])
def summary_download(request, campaign_id: int):
    """?format=xlsx|docx|pdf (xlsx when absent): the unit's Attachment 2 table (see summary_answer)."""
    campaign, unit = _reporting_unit(request, campaign_id)
    found = SummaryRequest(scope=UNIT_SCOPE, campaign=campaign, unit=unit, fmt=summary_format(request))
    return summary_answer(request, found, reverse("reviews:unit_report", args=[campaign.pk]))


@csrf_exempt  # receive_streamed_upload checks the CSRF token once the streaming handler is in place
@login_required
@require_POST
def scan_upload(request, campaign_id: int):
    campaign, unit = _reporting_unit(request, campaign_id)
    received = receive_streamed_upload(request, limit=services.SCAN_MAX_BYTES)
    if received.csrf_failure is not None:
        return received.csrf_failure
    if received.too_large is not None:
        context = _report_context(request, campaign, unit, [services.scan_too_large_violation(request)])
        return render(request, "reviews/reports/unit_report.html", context, status=413)
    upload = received.file
    try:
        report = services.upload_stamped_scan(actor=request.user, campaign=campaign, unit=unit, upload=upload)
    except RuleViolationError as error:
        context = _report_context(request, campaign, unit, error.violations)
        return render(request, "reviews/reports/unit_report.html", context, status=422)
    finally:
        if upload is not None:
            upload.close()
    messages.success(request, f"已上传盖章汇总表“{report.scan_name}”，本单位的报送已完成。")
    return redirect("reviews:unit_report", campaign_id=campaign.pk)


@login_required
@require_GET
def report_overview(request, campaign_id: int):
    campaign = get_campaign_for(request.user, campaign_id, "reviews.run_campaign_review",
                                denied="只有组织本次创建活动的团委管理员可以查看各单位的报送情况。")
    rows = selectors.report_status(campaign, campaign.office)
    counts = {
        "reported": sum(1 for row in rows if row["report"]),
        "missing": sum(1 for row in rows if not row["report"]),
        "late": sum(1 for row in rows if row["late"]),
    }
    return render(request, "reviews/reports/overview.html", {"campaign": campaign, "rows": rows, "counts": counts})


@login_required
@require_GET
def report_scan(request, report_id: int):
    report = selectors.get_report_for(request.user, report_id)
    return stored_file_response(request, report.stamped_scan.name, content_type=report.scan_content_type,
                                filename=report.scan_name)
