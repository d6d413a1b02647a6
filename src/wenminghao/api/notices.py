"""Notices (通知公告) with read receipts (API.md, "Notices, stories and joint projects"; issue 15).

A thin layer over ``notices.selectors`` and ``notices.services`` (the same functions as the notices' pages). Who
*sees* a notice is ``notices_visible_to``: the collectives it reached, the admins of the unit that sent it and of
the units above, and the admins of the units below that it reached; everybody else gets 404 for it, exactly as for
one that does not exist. Of those who see it, who may do what is ``notices.rules``: 403 for a visible notice and a
forbidden action (an admin confirming reading, a collective asking for the receipts).

The input schema is deliberately permissive (text, lists, optional): ``publish_notice`` checks every rule and
reports all unmet ones at once (422), which a strict schema would cut short at the first malformed field.
"""

from dataclasses import dataclass

from django.http import Http404
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from wenminghao.campaigns.selectors import campaigns_visible_to
from wenminghao.core.http import client_ip, get_object_for, require_perm
from wenminghao.notices import selectors, services
from wenminghao.notices.models import BODY_MAX_CHARS, TITLE_MAX_CHARS
from wenminghao.orgs.selectors import units_visible_to

from .errors import visible_or_404
from .pagination import PageQuery, page_of
from .schemas import IsoDate, LocalDateTime, Page, Ref, answers

router = Router(tags=["通知公告"])

NOT_AN_ADMIN = "只有团委管理员可以发布通知。"
NOT_THE_SENDER = "只有发布该通知的单位及其上级团委可以查看阅读情况。"


# --- output ------------------------------------------------------------------------------------------------

class NoticeCreatedOut(Schema):
    id: int
    recipients: int = Field(..., description="通知送达的集体数")


class NoticeItemOut(Schema):
    id: int
    title: str
    sender: Ref = Field(..., description="发布单位")
    published_at: LocalDateTime
    read: bool | None = Field(..., description="集体账号：本集体是否已确认阅读；管理员为 null")
    deadline: IsoDate | None = Field(None, description="截止日期；没有为 null")
    asks_reply: bool = Field(False, description="是否要求各集体回复")
    forwarded_from: int | None = Field(None, description="转发的原通知编号；不是转发为 null")

    @staticmethod
    def resolve_sender(notice):
        return notice.sender_unit

    @staticmethod
    def resolve_read(notice):
        return getattr(notice, "read", None)

    @staticmethod
    def resolve_forwarded_from(notice):
        return notice.forwarded_from_id


class ReadOut(Schema):
    read: bool
    read_at: LocalDateTime = Field(..., description="本集体确认阅读的时间（首次确认的时间，再次确认不变）")


class ReceiptOut(Schema):
    collective: Ref
    unit: Ref = Field(..., description="集体在通知发布时的归口单位")
    read_at: LocalDateTime | None = Field(..., description="确认阅读的时间；未读为 null")
    replied_at: LocalDateTime | None = Field(None, description="回复的时间；未回复为 null")


class ReceiptsOut(Schema):
    read: int = Field(..., description="已确认阅读的集体数（全部回执，不受筛选影响）")
    unread: int = Field(..., description="尚未确认阅读的集体数（全部回执，不受筛选影响）")
    items: list[ReceiptOut] = Field(..., description="本页的回执，按归口单位、集体名称排列")
    count: int = Field(..., description="符合筛选条件的回执总数（不只是本页）")


# --- input -------------------------------------------------------------------------------------------------

class NoticeIn(Schema):
    """A notice's fields. Each is checked by the notices' rules, all at once."""

    title: str | None = Field(None, description=f"标题（必填），不超过{TITLE_MAX_CHARS}字")
    body: str | None = Field(
        None, description=f"正文（必填；转发时为本单位的工作要求，可以为空），不超过{BODY_MAX_CHARS}字")
    sectors: list[str] | None = Field(
        None, description="只发给这些行业类别的集体：production、administration、service、research；省略为全部")
    units: list[int] | None = Field(
        None, description="只发给这些单位（及其下级单位）的集体，须为本单位或下级单位的编号；省略为本单位的全部范围")
    campaign: int | None = Field(None, description="扩展：只发给已报备该创建活动（待审核或已接受）的集体")
    deadline: IsoDate | None = Field(None, description="扩展：截止日期，YYYY-MM-DD，不早于今天")
    asks_reply: bool = Field(False, description="扩展：要求各集体在平台上回复文字或上传文件")
    forwarded_from: int | None = Field(
        None, description="扩展：转发上级发来的通知（其编号），正文为本单位的工作要求；原通知保持不变")


class NoticeQuery(PageQuery):
    unread: bool = Field(False, description="集体账号：只看本集体尚未确认阅读的通知")
    search: str = Field("", description="按标题或正文搜索")


class ReceiptQuery(PageQuery):
    read: bool | None = Field(None, description="true：只看已读的集体；false：只看未读的集体；省略为全部")
    unit: int | None = Field(None, description="只看该单位及其下级单位的集体；须为您可见的单位")


# --- helpers -----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _UnitOutside:
    """A unit id of the body that is not in the caller's subtree (or does not exist: the two are not told apart).
    ``publish_notice`` reports it with the other problems (``notice.unit_outside``) and so writes nothing."""

    pk: int

    @property
    def name(self) -> str:
        return f"编号为{self.pk}的单位"

    path = ""  # under no unit's path


def _units(user, ids: list[int]) -> list:
    ids = list(dict.fromkeys(ids))
    found = units_visible_to(user).in_bulk(ids)
    return [found.get(pk) or _UnitOutside(pk) for pk in ids]


def _notice(request, notice_id: int, perm: str | None = None, denied: str = ""):
    return get_object_for(request.user, selectors.notices_visible_to(request.user).select_related("sender_unit"),
                          notice_id, perm, denied=denied)


# --- endpoints ---------------------------------------------------------------------------------------------

@router.post("/notices", response=answers({201: NoticeCreatedOut}, 403, 404, 422), summary="发布通知")
def publish(request, payload: NoticeIn):
    """团委管理员（团市委或归口单位）向本单位范围内的集体发布通知：省略 `sectors` 和 `units` 时发给本单位及下级单位
    的全部集体；给出时只发给这些行业类别的、这些单位（及其下级单位）的集体。答复 201 `{id, recipients}`，recipients
    为送达的集体数；每个集体的账号收到站内通知和邮件。扩展：`campaign`（只发给已报备该创建活动的集体）、`deadline`、`asks_reply`、
    `forwarded_from`（转发上级发来的通知，原通知不变；只有收到该通知的下级单位管理员可以转发）。集体账号和评委返回 403；
    创建活动或转发的通知不存在或无权查看时返回 404。不符合规则时返回 422，一次列出全部问题：notice.title_required、
    notice.title_too_long、notice.body_required、notice.body_too_long、notice.sector（行业类别不存在）、
    notice.unit_outside（单位不在本单位范围内，或不存在）、notice.campaign、notice.deadline_past、
    notice.no_recipients（所选范围内没有集体）。"""
    user = request.user
    if payload.forwarded_from is None:
        require_perm(user, "notices.publish_notice", None, denied=NOT_AN_ADMIN)
        original = None
    else:
        original = visible_or_404(selectors.notices_visible_to(user).select_related("sender_unit"),
                                  pk=payload.forwarded_from)
    campaign = None
    if payload.campaign is not None:
        campaign = visible_or_404(campaigns_visible_to(user).select_related("office"), pk=payload.campaign)
    notice = services.publish_notice(
        actor=user, title=payload.title or "", body=payload.body or "", sectors=payload.sectors or [],
        units=_units(user, payload.units or []), campaign=campaign, deadline=payload.deadline,
        asks_reply=payload.asks_reply, forwarded_from=original, ip_address=client_ip(request),
    )
    return Status(201, notice)


@router.get("/notices", response=answers({200: Page[NoticeItemOut]}, 422), summary="通知列表")
def list_notices(request, query: Query[NoticeQuery]):
    """集体账号：发给本集体的通知，未读的在前，再按发布时间从近到远；`read` 为本集体是否已确认阅读。管理员：本单位
    及下级单位发布的通知，以及上级发来、送达本单位范围的通知，按发布时间从近到远，`read` 为 null。评委没有通知
    （空列表）。"""
    queryset = selectors.notice_list(request.user, unread_only=query.unread, search=query.search.strip())
    return page_of(queryset, query)


@router.post("/notices/{notice_id}/read", response=answers({200: ReadOut}, 404), summary="确认已读")
def confirm_read(request, notice_id: int):
    """收到该通知的集体（号长或其授权成员）确认已读；再次确认不变，仍答复 200。通知没有送达的所有人（其他集体、
    管理员和评委）返回 404。"""
    notice = _notice(request, notice_id)
    if not request.user.has_perm("notices.read_notice", notice):  # API.md: 404 for everyone it does not reach
        raise Http404
    receipt = services.confirm_read(actor=request.user, notice=notice, ip_address=client_ip(request))
    return {"read": True, "read_at": receipt.read_at}


@router.get("/notices/{notice_id}/receipts", response=answers({200: ReceiptsOut}, 403, 404, 422),
            summary="通知的阅读情况")
def receipts(request, notice_id: int, query: Query[ReceiptQuery]):
    """发布单位及其上级团委的管理员查看通知的阅读回执：`read`、`unread` 为全部送达集体中已读、未读的数目；`items` 为
    一页回执（参数 page、page_size，与其他列表相同），按归口单位、集体名称排列，`count` 为符合筛选条件的回执总数。
    可按 `read`（true 已读、false 未读）和 `unit`（该单位及下级单位）筛选。能看到该通知的集体账号和下级单位返回 403，
    看不到的返回 404；`unit` 不可见时返回 404。"""
    user = request.user
    notice = _notice(request, notice_id, "notices.view_receipts", NOT_THE_SENDER)
    unit = visible_or_404(units_visible_to(user), pk=query.unit) if query.unit is not None else None
    state = "" if query.read is None else "read" if query.read else "unread"
    totals = selectors.receipt_totals(notice)
    page = page_of(selectors.receipt_list(notice, state=state, unit=unit), query)
    return {"read": totals["read"], "unread": totals["unread"], **page}
