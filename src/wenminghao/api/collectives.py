"""Collectives with their members and honours."""


from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from wenminghao.collectives.enums import HonourLevel, HonourState, OrgType, Sector, WorkingUnitForm
from wenminghao.collectives.selectors import collective_list, collectives_visible_to, honours_with_office
from wenminghao.collectives.services import create_collective
from wenminghao.core.http import require_perm
from wenminghao.orgs.selectors import units_visible_to

from .errors import visible_or_404
from .pagination import PageQuery, page_of
from .schemas import IsoDate, LocalDateTime, Page, Ref, answers

router = Router(tags=["集体"])


# --- output ------------------------------------------------------------------------------------

class CollectiveItemOut(Schema):
    id: int
    name: str
    host_org: str
    unit: Ref
    sector: Sector
    org_type: OrgType
    unit_form: WorkingUnitForm
    contact_name: str
    contact_phone: str
    member_count: int


class MemberOut(Schema):
    id: int
    name: str
    birth_date: IsoDate
    post: str
    is_leader: bool


class HonourOut(Schema):
    """A title the collective holds, with its state today (API.md: ``valid``, ``expired`` or ``revoked``; only a
    valid one counts for eligibility)."""

    id: int
    level: HonourLevel
    year: int
    title: str
    state: HonourState = Field(
        ..., description="valid（有效）、expired（已过届期）或 revoked（已撤销）：只有有效的称号计入创建资格")
    valid_until: IsoDate | None = Field(..., description="有效期至（届期届满之日）；未设届期为 null")
    awarded_by: Ref | None = Field(..., description="在本平台命名该称号的团委；手工录入的称号为 null")
    revoked_at: LocalDateTime | None = Field(..., description="撤销时间；未撤销为 null")

    @staticmethod
    def resolve_state(honour):
        return honour.state_on(timezone.localdate())


class CollectiveOut(Schema):
    id: int
    name: str
    host_org: str
    unit: Ref
    sector: Sector
    org_type: OrgType
    unit_form: WorkingUnitForm
    contact_name: str
    contact_phone: str
    public_commitment: str
    supervision_phone: str
    members: list[MemberOut]
    honours: list[HonourOut]
    created_at: LocalDateTime
    updated_at: LocalDateTime

    @staticmethod
    def resolve_members(collective):
        return list(collective.members.all())

    @staticmethod
    def resolve_honours(collective):
        return list(collective.honours.all())


# --- input -------------------------------------------------------------------------------------

class CollectiveQuery(PageQuery):
    unit: int | None = Field(None, description="只看该单位及其下属单位的集体；须为您可见的单位")
    search: str = Field("", description="按集体名称、所在单位或联系人搜索")
    sector: Sector | None = None
    org_type: OrgType | None = None


class MemberIn(Schema):
    name: str
    birth_date: IsoDate
    is_leader: bool = False
    post: str = ""


class HonourIn(Schema):
    level: HonourLevel
    year: int
    title: str
    valid_until: IsoDate | None = Field(None, description="有效期至（届期届满之日）；没有届期的省略或为 null")


class CollectiveIn(Schema):
    name: str
    host_org: str
    unit: int = Field(..., description="归口单位编号；须在您管理的范围内")
    sector: Sector
    org_type: OrgType
    unit_form: WorkingUnitForm = WorkingUnitForm.TEAM
    contact_name: str
    contact_phone: str
    public_commitment: str = ""
    supervision_phone: str = ""
    members: list[MemberIn] = []
    honours: list[HonourIn] = []


def _detail_queryset(user):
    return collectives_visible_to(user).select_related("unit").prefetch_related("members", honours_with_office())


# --- endpoints ---------------------------------------------------------------------------------

@router.get("/collectives", response=answers({200: Page[CollectiveItemOut]}, 404, 422), summary="可见的集体")
def list_collectives(request, query: Query[CollectiveQuery]):
    """您可见的集体。`?unit=` 只看该单位及其下属单位的集体（不可见的单位返回 404）。"""
    unit = visible_or_404(units_visible_to(request.user), pk=query.unit) if query.unit is not None else None
    queryset = collective_list(
        request.user, unit=unit, search=query.search.strip(), sector=query.sector or "",
        org_type=query.org_type or "",
    )
    return page_of(queryset, query)


@router.post("/collectives", response=answers({201: CollectiveOut}, 403, 404, 422), summary="新建集体")
def add_collective(request, payload: CollectiveIn):
    """归口单位或团市委管理员在其管理范围内的单位下新建集体，连同成员和荣誉；不符合规则时返回 422，列出每一处问题。"""
    require_perm(request.user, "collectives.add_collective", denied="只有归口单位或团市委管理员可以新建集体。")
    unit = visible_or_404(units_visible_to(request.user), pk=payload.unit)
    require_perm(request.user, "collectives.add_collective_to_unit", unit,
                 denied=f"您不能在“{unit.name}”下新建集体。")
    fields = payload.model_dump(exclude={"members", "honours"})
    fields["unit"] = unit
    collective = create_collective(
        actor=request.user,
        fields=fields,
        members=[member.model_dump() for member in payload.members],
        honours=[honour.model_dump() for honour in payload.honours],
    )
    return Status(201, visible_or_404(_detail_queryset(request.user), pk=collective.pk))


@router.get("/collectives/{collective_id}", response=answers({200: CollectiveOut}, 404), summary="集体详情")
def get_collective(request, collective_id: int):
    """一个集体及其成员和荣誉。不存在或无权查看时均返回 404。"""
    return visible_or_404(_detail_queryset(request.user), pk=collective_id)
