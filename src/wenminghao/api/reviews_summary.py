"""GET /api/v1/units/{id}/summary: the Attachment 2 table of a unit's recommended works (API.md).

The answer is the file, whatever the number of works (the contract of API.md): the table is made in the request —
10,000 rows in about 0.5 s (.xlsx), 0.7 s (.docx) and 3 s (.pdf), docs/benchmarks.md. The pages hand a table of
more than ``direct_summary_rows()`` works to the task worker instead (reviews.exports.SummaryRequest)."""

from typing import Literal

from ninja import Query, Router, Schema

from wenminghao.campaigns.selectors import campaigns_visible_to
from wenminghao.core.errors import RuleViolationError, Violation
from wenminghao.core.http import get_object_for
from wenminghao.orgs.selectors import units_visible_to
from wenminghao.reviews.exports import UNIT_SCOPE, SummaryRequest

from .errors import visible_or_404
from .schemas import answers

router = Router(tags=["评审与报送"])


class SummaryQuery(Schema):
    format: Literal["xlsx", "docx", "pdf"] = "xlsx"
    campaign: int | None = None


@router.get("/units/{unit_id}/summary", response=answers({200: None}, 403, 404, 422), summary="推荐成果汇总表")
def unit_summary(request, unit_id: int, query: Query[SummaryQuery]):
    """该单位推荐作品的“青年文明号”创建推荐成果汇总表（附件2）：`format` 为 xlsx、docx 或 pdf；`campaign` 为创建活动
    编号，省略时取可见的最近一次活动。本单位及上级团委的管理员可下载；看不到的单位答 404。"""
    unit = get_object_for(request.user, units_visible_to(request.user), unit_id, "reviews.view_unit_summary",
                          denied="只有该单位及上级团委的管理员可以下载其推荐成果汇总表。")
    campaigns = campaigns_visible_to(request.user).select_related("office")
    if query.campaign is not None:
        campaign = visible_or_404(campaigns, pk=query.campaign)
    else:
        campaign = campaigns.order_by("-year", "-id").first()
        if campaign is None:
            violation = Violation("campaign.missing", "没有可见的创建活动，无法生成汇总表。", "campaign")
            raise RuleViolationError([violation])
    return SummaryRequest(scope=UNIT_SCOPE, campaign=campaign, unit=unit, fmt=query.format).exporter().response()
