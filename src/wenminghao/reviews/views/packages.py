"""Downloads of whole sets of works: a unit's zip of its recommended works, the office's zip of a selection of the
campaign's works, the package for the province (the forwarded works' summary table and zip), and the office's
spreadsheet of all works with their reviews.

Campaigns come through campaigns_visible_to (invisible: 404). The unit's zip is for the same admins as the unit's
report page (views.reports._reporting_unit); everything else only for the admins of the office running the
campaign (reviews.run_campaign_review; others who see the campaign: 403). Zips stream
(reviews.archive); the database is read before the first byte goes out.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from wenminghao.campaigns.selectors import get_campaign_for
from wenminghao.core.exports import latest_jobs, request_export
from wenminghao.core.http import paginate
from wenminghao.works.enums import Category, WorkStatus

from .. import selectors
from ..archive import WorksArchive
from ..exports import PROVINCE_SCOPE, SummaryRequest
from .reports import FORMAT_LABELS, WORKS_PER_PAGE, _reporting_unit, summary_answer, summary_format

OFFICE_ONLY = "只有组织本次创建活动的团委管理员可以下载全市作品、推报团省委材料和评审情况。"
# The statuses the office chooses from: the works units have reported (recommended) and what the office made of them.
REPORTED_STATUSES = (WorkStatus.RECOMMENDED, WorkStatus.SHORTLISTED, WorkStatus.SHOWCASED, WorkStatus.FORWARDED)


def _office_campaign(request, campaign_id: int):
    return get_campaign_for(request.user, campaign_id, "reviews.run_campaign_review", denied=OFFICE_ONLY)


def forwarded_works(campaign):
    """The works the office forwards to the province, in the summary table's order."""
    return selectors.recommended_works(campaign, campaign.office).filter(status=WorkStatus.FORWARDED)


@login_required
@require_GET
def unit_archive(request, campaign_id: int):
    """The admin's own unit's recommended works (and later), files laid out by category and work."""
    campaign, unit = _reporting_unit(request, campaign_id)
    works = selectors.recommended_works(campaign, unit)
    return WorksArchive(works, summary_unit_name=unit.name, basename=f"{unit.name}-推荐成果").response()


@login_required
@require_GET
def campaign_archive(request, campaign_id: int):
    """?category=photo|publicity|essay (all when absent) &status=recommended|shortlisted|showcased|forwarded
    (recommended and later when absent)."""
    campaign = _office_campaign(request, campaign_id)
    category, status = request.GET.get("category", ""), request.GET.get("status", "")
    if category and category not in Category.values:
        raise Http404(f"没有“{category}”这个作品类别。")
    if status and status not in REPORTED_STATUSES:
        raise Http404(f"只能按“已推荐”“入围”“优秀展示”“推报团省委”下载作品，没有“{status}”这个状态。")
    works = selectors.recommended_works(campaign, campaign.office)
    parts = [campaign.office.name]
    if status:
        works = works.filter(status=status)
        parts.append(str(WorkStatus(status).label))
    if category:
        works = works.filter(category=category)
        parts.append(str(Category(category).label).replace("“", "").replace("”", ""))
    basename = "-".join([*parts, "作品"])
    return WorksArchive(works, summary_unit_name=campaign.office.name, basename=basename).response()


@login_required
@require_GET
def province_package(request, campaign_id: int):
    campaign = _office_campaign(request, campaign_id)
    page = paginate(request, forwarded_works(campaign), per_page=WORKS_PER_PAGE)
    return render(request, "reviews/packages/province.html", {
        **page, "campaign": campaign, "works": list(page["object_list"]),
        "work_total": page["page_obj"].paginator.count, "formats": FORMAT_LABELS})


@login_required
@require_http_methods(["GET", "POST"])
def province_summary(request, campaign_id: int):
    """?format=xlsx|docx|pdf (xlsx when absent): the office's Attachment 2 table of its forwarded works; a large
    one is made by the task worker (reports.summary_answer)."""
    campaign = _office_campaign(request, campaign_id)
    found = SummaryRequest(scope=PROVINCE_SCOPE, campaign=campaign, unit=campaign.office, fmt=summary_format(request))
    return summary_answer(request, found, reverse("reviews:province_package", args=[campaign.pk]))


@login_required
@require_GET
def province_archive(request, campaign_id: int):
    campaign = _office_campaign(request, campaign_id)
    return WorksArchive(forwarded_works(campaign), summary_unit_name=campaign.office.name,
                        basename=f"{campaign.office.name}-推报团省委作品").response()


@login_required
@require_http_methods(["GET", "POST"])
def campaign_export(request, campaign_id: int):
    """All works of the campaign with unit decisions, every judge's score and comment, and each round's figures:
    made by a task worker (10,000 works with every score: about 1 s of its time, docs/benchmarks.md). GET shows
    the user's recent exports of the campaign; POST asks for a new one and goes to its page, which offers the file
    once it is ready."""
    campaign = _office_campaign(request, campaign_id)
    params = {"campaign": campaign.pk}
    if request.method == "POST":
        job = request_export(actor=request.user, kind="campaign_works", params=params,
                             title=f"{campaign.name} · 作品与评审情况（.xlsx）", unit_path=campaign.office.path)
        return redirect("core:export_detail", pk=job.pk)
    return render(request, "reviews/packages/export.html",
                  {"campaign": campaign, "jobs": latest_jobs(request.user, "campaign_works", params)})
