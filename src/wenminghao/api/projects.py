"""Joint projects (项目联创、区域联创): GET/POST /api/v1/projects (API.md, "Notices, stories and joint projects";
docs/api.md "## 联创项目").

A thin layer over ``projects.selectors`` and ``projects.services`` (the same functions as the projects' pages). Who
*sees* a project is ``projects_visible_to``: the accounts of each partner collective and the admins of every unit
above any partner. The input schema is deliberately permissive (text, lists, optional): ``create_project`` checks
every rule and reports all unmet ones at once (422).
"""

from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from wenminghao.campaigns.selectors import campaigns_visible_to
from wenminghao.core.http import client_ip, require_perm
from wenminghao.projects import selectors, services
from wenminghao.projects.enums import ProjectKind
from wenminghao.projects.models import TEXT_MAX_CHARS, TITLE_MAX_CHARS

from .errors import visible_or_404
from .pagination import PageQuery, page_of
from .schemas import IsoDate, Page, Ref, answers

router = Router(tags=["联创项目"])

NOT_ALLOWED = "只有集体号长和团委管理员可以创建联创项目。"
KINDS = "、".join(f"{kind.value}（{kind.label}）" for kind in ProjectKind)


class ProjectCreatedOut(Schema):
    id: int


class ProjectItemOut(Schema):
    id: int
    title: str
    kind: str = Field(..., description=f"类型：{KINDS}")
    lead: Ref = Field(..., description="牵头集体")
    partners: list[int] = Field(..., description="参与集体的编号（含牵头集体）")
    goals: str
    started: IsoDate
    ended: IsoDate | None = Field(None, description="结束日期（计划或实际）；没有为 null")
    finished: bool = Field(..., description="是否已结项（填写了成果）")
    campaign: int | None = Field(None, description="计入的创建活动编号；没有为 null")

    @staticmethod
    def resolve_partners(project):
        return [partner.collective_id for partner in project.partners.all()]

    @staticmethod
    def resolve_finished(project):
        return project.finished_at is not None

    @staticmethod
    def resolve_campaign(project):
        return project.campaign_id


class ProjectIn(Schema):
    """A project's fields. Each is checked by the projects' rules, all at once."""

    title: str | None = Field(None, description=f"项目名称（必填），不超过{TITLE_MAX_CHARS}字")
    lead: int | None = Field(
        None, description="牵头集体的编号；集体号长省略时为本集体，管理员必填（本单位或下级单位的集体）")
    partners: list[int] | None = Field(
        None, description="参与集体的编号，可以含也可以不含牵头集体；连同牵头集体至少2个，须在同一市级团委之下")
    goals: str | None = Field(None, description=f"项目目标（必填），不超过{TEXT_MAX_CHARS}字")
    started: str | None = Field(None, description="开始日期（必填），YYYY-MM-DD")
    kind: str | None = Field(None, description=f"扩展：类型，{KINDS}；省略为 project")
    ended: str | None = Field(None, description="扩展：结束日期，YYYY-MM-DD，不早于开始日期")
    campaign: int | None = Field(None, description="扩展：计入的创建活动编号；省略为本市当前的创建活动")


class ProjectQuery(PageQuery):
    kind: str = Field("", description=f"只看该类型：{KINDS}")
    mine: bool = Field(False, description="集体账号：本集体参与的；管理员：本单位管理的")
    state: str = Field("", description="ongoing：进行中；ended：已结项；省略为全部")


@router.post("/projects", response=answers({201: ProjectCreatedOut}, 403, 404, 422), summary="创建联创项目")
def create(request, payload: ProjectIn):
    """集体号长（本集体牵头）或团委管理员（牵头集体在本单位范围内）创建联创项目，合作集体可以是同一市级团委之下任何
    单位的集体；`partners` 含不含牵头集体均可，连同牵头集体至少2个。答复 201 `{id}`。集体的授权成员和评委返回 403；
    `campaign` 不存在或无权查看时返回 404。不符合规则时返回 422，一次列出全部问题：project.title_required、
    project.title_too_long、project.goals_required、project.goals_too_long、project.kind、project.lead_required、
    project.lead_outside、project.lead_not_own、project.partner_outside（集体不存在或不在本市）、
    project.too_few_collectives、project.started_required、project.started、project.ended、
    project.ended_before_started。"""
    user = request.user
    require_perm(user, "projects.create_project", None, denied=NOT_ALLOWED)
    extra = {}
    if payload.campaign is not None:
        extra["campaign"] = visible_or_404(campaigns_visible_to(user), pk=payload.campaign)
    if payload.lead is not None:
        extra["lead"] = payload.lead
    project = services.create_project(
        actor=user, title=payload.title or "", partners=payload.partners or [], goals=payload.goals or "",
        started=payload.started, ended=payload.ended, kind=payload.kind or ProjectKind.PROJECT,
        ip_address=client_ip(request), **extra)
    return Status(201, project)


@router.get("/projects", response=answers({200: Page[ProjectItemOut]}, 422), summary="联创项目列表")
def list_projects(request, query: Query[ProjectQuery]):
    """调用者能看到的联创项目：集体账号为本集体参与的，管理员为本单位及下级单位的集体参与的；按开始日期从近到远。
    评委没有联创项目（空列表）。"""
    queryset = selectors.project_list(request.user, kind=query.kind if query.kind in ProjectKind.values else "",
                                      scope="mine" if query.mine else "",
                                      state=query.state if query.state in selectors.STATES else "")
    return page_of(queryset.prefetch_related("partners"), query)
