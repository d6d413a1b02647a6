"""Campaigns, and collectives' creation filings for them (``/applications``)."""


from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from wenminghao.campaigns.enums import CampaignLevel, FilingStatus
from wenminghao.campaigns.selectors import campaigns_visible_to, filing_list, filings_visible_to
from wenminghao.campaigns.services import decide_filing, file_creation
from wenminghao.collectives.selectors import collectives_visible_to
from wenminghao.core.http import get_object_for, require_perm
from wenminghao.orgs.selectors import units_visible_to

from .errors import visible_or_404
from .pagination import PageQuery, page_of
from .schemas import IsoDate, LocalDateTime, Page, Ref, answers

router = Router(tags=["创建活动与创建报备"])


# --- campaigns ---------------------------------------------------------------------------------

class CampaignOut(Schema):
    id: int
    name: str
    level: CampaignLevel
    year: int
    office: Ref = Field(..., description="主办团委")
    filing_deadline: LocalDateTime = Field(..., description="创建报备截止时间（北京时间）")
    deadline: LocalDateTime = Field(..., description="成果报送截止时间（北京时间）")
    reference_date: IsoDate = Field(..., description="成员年龄按此日计算")
    is_filing_open: bool
    is_open: bool


class ConditionsOut(Schema):
    min_members: int
    max_members: int
    youth_max_age: int
    min_youth_share: float = Field(..., description="35周岁以下成员占比应超过此值（0至1）")
    leader_max_age: int
    require_stable_unit: bool


class CampaignDetailOut(CampaignOut):
    conditions: ConditionsOut
    contact_info: str

    @staticmethod
    def resolve_conditions(campaign):
        return campaign


class CampaignQuery(PageQuery):
    year: int | None = None
    level: CampaignLevel | None = None


@router.get("/campaigns", response=answers({200: Page[CampaignOut]}, 422), summary="可见的创建活动")
def list_campaigns(request, query: Query[CampaignQuery]):
    """上级团委主办的、以及（管理员）本单位范围内主办的创建活动，新的在前。"""
    queryset = campaigns_visible_to(request.user)
    if query.year is not None:
        queryset = queryset.filter(year=query.year)
    if query.level is not None:
        queryset = queryset.filter(level=query.level)
    return page_of(queryset.order_by("-year", "level", "id"), query)


@router.get("/campaigns/{campaign_id}", response=answers({200: CampaignDetailOut}, 404), summary="创建活动详情")
def get_campaign(request, campaign_id: int):
    """一个创建活动，含集体基本条件（成员人数、青年占比、号长年龄等）。"""
    return visible_or_404(campaigns_visible_to(request.user), pk=campaign_id)


# --- creation filings --------------------------------------------------------------------------

class ApplicationOut(Schema):
    id: int
    status: FilingStatus
    is_former: bool = Field(..., description="报备时已获本级及以上称号（往届集体）")
    collective: Ref
    unit: Ref = Field(..., description="集体的归口单位")
    campaign: Ref
    filed_at: LocalDateTime
    decided_at: LocalDateTime | None
    comment: str = Field(..., description="审核意见（退回时必有）")

    @staticmethod
    def resolve_unit(filing):
        return filing.collective.unit


class ApplicationIn(Schema):
    collective: int
    campaign: int


class ApplicationQuery(PageQuery):
    campaign: int | None = None
    unit: int | None = Field(None, description="只看该单位及其下属单位集体的报备")
    status: FilingStatus | None = None
    search: str = ""


class ReturnIn(Schema):
    comment: str = Field(..., description="退回意见：说明需要修改的内容")


def _filings(user):
    return filings_visible_to(user).select_related("collective__unit", "campaign")


@router.get("/applications", response=answers({200: Page[ApplicationOut]}, 404, 422), summary="创建报备列表")
def list_applications(request, query: Query[ApplicationQuery]):
    """您可见的创建报备，可按创建活动、单位、状态筛选；筛选用的活动或单位不可见时返回 404。"""
    user = request.user
    campaign = visible_or_404(campaigns_visible_to(user), pk=query.campaign) if query.campaign is not None else None
    unit = visible_or_404(units_visible_to(user), pk=query.unit) if query.unit is not None else None
    queryset = filing_list(user, campaign=campaign, unit=unit, status=query.status or "", search=query.search.strip())
    return page_of(queryset, query)


@router.post("/applications", response=answers({201: ApplicationOut}, 403, 404, 422), summary="创建报备")
def file_application(request, payload: ApplicationIn):
    """为集体报备创建某一创建活动。不符合条件时返回 422，每条未满足的规则一项：
    eligibility.prior_honour、eligibility.member_count、eligibility.youth_share、eligibility.leader_age、
    eligibility.leader_missing、eligibility.stable_unit；
    以及 deadline.passed、filing.duplicate、filing.out_of_scope。"""
    user = request.user
    collective = visible_or_404(collectives_visible_to(user).select_related("unit"), pk=payload.collective)
    campaign = visible_or_404(campaigns_visible_to(user), pk=payload.campaign)
    require_perm(user, "campaigns.file_creation", collective, denied=f"您不能为“{collective.name}”报备。")
    filing = file_creation(actor=user, collective=collective, campaign=campaign)
    return Status(201, visible_or_404(_filings(user), pk=filing.pk))


@router.get("/applications/{application_id}", response=answers({200: ApplicationOut}, 404), summary="创建报备详情")
def get_application(request, application_id: int):
    return visible_or_404(_filings(request.user), pk=application_id)


@router.post(
    "/applications/{application_id}/accept", response=answers({200: ApplicationOut}, 403, 404, 422),
    summary="接受创建报备",
)
def accept_application(request, application_id: int):
    """归口单位（或上级）接受一份待审核的报备。"""
    filing = get_object_for(request.user, _filings(request.user), application_id, "campaigns.review_filing",
                            denied="只有集体的归口单位或上级团委可以审核报备。")
    return decide_filing(actor=request.user, filing=filing, accept=True)


@router.post(
    "/applications/{application_id}/return", response=answers({200: ApplicationOut}, 403, 404, 422),
    summary="退回创建报备",
)
def return_application(request, application_id: int, payload: ReturnIn):
    """归口单位（或上级）退回一份待审核的报备，须写明退回意见；集体修改后可重新报备。"""
    filing = get_object_for(request.user, _filings(request.user), application_id, "campaigns.review_filing",
                            denied="只有集体的归口单位或上级团委可以审核报备。")
    return decide_filing(actor=request.user, filing=filing, accept=False, comment=payload.comment)
