"""Good practices and typical stories (好做法、典型事迹): GET/POST /api/v1/stories (API.md, "Notices, stories and
joint projects"; docs/api.md).

A thin layer over ``stories.selectors`` and ``stories.services`` (the same functions as the stories' pages). Who
*sees* a story is ``stories_visible_to``: its collective's accounts, the admins of its unit (a unit's own) and,
once it is reported, of the units above it (the city office: what was reported to it). A POST by a collective
account writes a draft of its collective, by a unit admin a draft of its unit (``submit: true`` reports it at once);
judges get 403.

The input schema is deliberately permissive (text, lists, optional): ``create_story`` checks every rule and reports
all unmet ones at once (422), which a strict schema would cut short at the first malformed field.
"""

from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from wenminghao.core.errors import RuleViolationError, Violation
from wenminghao.core.http import client_ip, require_perm
from wenminghao.ledger.enums import Activity
from wenminghao.stories import selectors, services
from wenminghao.stories.models import TEXT_MAX_CHARS, TITLE_MAX_CHARS, StoryKind, StoryStatus

from .pagination import PageQuery, page_of
from .schemas import LocalDateTime, Page, Ref, answers

router = Router(tags=["好做法与典型事迹"])

NOT_A_WRITER = "只有集体账号和团委管理员可以撰写好做法和典型事迹。"


class StoryCreatedOut(Schema):
    id: int
    status: str = Field(
        ..., description="draft（草稿）；submit 为 true 时为 submitted（已报送）或 forwarded（已报送团市委）")


class StoryItemOut(Schema):
    id: int
    title: str
    kind: str = Field(..., description="practice（好做法）或 story（典型事迹）")
    activity: str | None = Field(..., description="所属活动：benchmark、study、families、open_week；没有为 null")
    status: str = Field(..., description="draft、submitted、forwarded、promoted、returned")
    collective: Ref | None = Field(..., description="撰写的集体；单位自己的为 null")
    unit: Ref = Field(..., description="所属单位（集体的归口单位，或撰写的单位）")
    photos: int = Field(..., description="照片张数")
    updated_at: LocalDateTime

    @staticmethod
    def resolve_activity(story):
        return story.activity or None

    @staticmethod
    def resolve_photos(story):
        return story.photo_count


class StoryIn(Schema):
    """A story's fields. Each is checked by the stories' rules, all at once."""

    title: str | None = Field(None, description=f"标题（必填），不超过{TITLE_MAX_CHARS}字")
    text: str | None = Field(None, description=f"正文（必填），不超过{TEXT_MAX_CHARS:,}字")
    activity: str | None = Field(None, description="所属活动（选填）：benchmark、study、families、open_week")
    kind: str | None = Field(None, description="扩展：practice（好做法，默认）或 story（典型事迹）")
    entries: list[int] | None = Field(None, description="扩展：关联本集体的台账记录编号（单位自己的不能关联）")
    submit: bool = Field(False, description="扩展：保存后立即报送")


class StoryQuery(PageQuery):
    status: str = Field("", description="只看该状态：draft、submitted、forwarded、promoted、returned")
    kind: str = Field("", description="只看该类型：practice、story")
    activity: str = Field("", description="只看该活动：benchmark、study、families、open_week")
    search: str = Field("", description="按标题搜索")


def _filter_violations(query: StoryQuery) -> None:
    problems = []
    for name, value, enum, label in (("status", query.status, StoryStatus, "状态"),
                                     ("kind", query.kind, StoryKind, "类型"),
                                     ("activity", query.activity, Activity, "活动")):
        if value and value not in enum.values:
            choices = "、".join(f"{v}（{lab}）" for v, lab in enum.choices)
            problems.append(Violation(f"story.filter_{name}", f"{label}“{value}”不存在，可选：{choices}", name))
    if problems:
        raise RuleViolationError(problems)


@router.post("/stories", response=answers({201: StoryCreatedOut}, 403, 422), summary="撰写好做法或典型事迹")
def create(request, payload: StoryIn):
    """集体账号（号长或其授权成员）撰写本集体的、团委管理员撰写本单位的好做法或典型事迹：`{title, text, activity?}`，
    答复 201 `{id, status}`，status 为 `draft`（草稿，在页面上补充照片后报送）。扩展：`kind`（practice 好做法、story
    典型事迹）、`entries`（本集体的台账记录编号）、`submit`（true 时保存后立即报送：集体的报送给归口单位，status 为
    `submitted`；单位的报送给上级，到团市委时为 `forwarded`）。评委返回 403。不符合规则时返回 422，一次列出全部问题：
    story.title_required、story.title_too_long、story.text_required、story.text_too_long（正文超过3,000字）、
    story.kind、story.activity、story.entry_outside（不是本集体的台账记录）、story.entries_unit。"""
    user = request.user
    require_perm(user, "stories.create_story", None, denied=NOT_A_WRITER)
    ip = client_ip(request)
    story = services.create_story(actor=user, title=payload.title or "", text=payload.text or "",
                                  kind=payload.kind or StoryKind.PRACTICE, activity=payload.activity or "",
                                  entries=payload.entries or [], ip_address=ip)
    if payload.submit:
        story = services.submit_story(actor=user, story=story, ip_address=ip)
    return Status(201, {"id": story.pk, "status": story.status})


@router.get("/stories", response=answers({200: Page[StoryItemOut]}, 422), summary="好做法与典型事迹列表")
def list_stories(request, query: Query[StoryQuery]):
    """调用者能看到的好做法和典型事迹，最近修改的在前：集体账号为本集体的（含草稿）；管理员为本单位自己的，以及下级
    单位和集体已报送的（不含别人的草稿）；团市委为报送到团市委的。可按 `status`、`kind`、`activity` 筛选，按标题
    搜索（`search`）。评委没有（空列表）。"""
    _filter_violations(query)
    queryset = selectors.story_list(request.user, status=query.status, kind=query.kind, activity=query.activity,
                                    search=query.search.strip())
    return page_of(queryset, query)
