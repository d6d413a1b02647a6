"""Evaluation and naming (API.md, "Evaluation and naming"): the eligibility check of a collective for a campaign
without filing anything, the naming (命名) of creating collectives by the office running the campaign, and the
revocation (撤销称号) of a title.

The eligibility check answers exactly what ``POST /applications`` would refuse on the collective's own facts: the
campaign's scope (``filing.out_of_scope``) and every rule of ``campaigns.eligibility.check_collective`` (the function
the filing service calls), with the same codes and messages; deadlines and duplicate filings are the filing's own
business, not the collective's eligibility. A revoked or expired title no longer satisfies the prior-honour rule.

An object the caller may not see answers 404 (a collective, a campaign, a title); an action on one it sees but may
not do answers 403 (naming by anyone but the office; revoking by anyone but the office that named the title or
above)."""

from django.http import Http404
from ninja import Field, Query, Router, Schema

from wenminghao.campaigns.eligibility import check_collective
from wenminghao.campaigns.selectors import campaigns_visible_to
from wenminghao.collectives.enums import HonourState
from wenminghao.collectives.selectors import collectives_visible_to
from wenminghao.core.errors import Violation
from wenminghao.core.http import get_object_for, require_perm
from wenminghao.evaluation.selectors.naming import honours_visible_to
from wenminghao.evaluation.services.naming import NOT_MANAGER, NOT_OFFICE, name_collectives, revoke_honour

from .collectives import HonourOut
from .errors import NOT_FOUND_MESSAGE, error_body, visible_or_404
from .schemas import ErrorOut, answers

router = Router(tags=["评价与命名"])


# --- eligibility -------------------------------------------------------------------------------------------------


class EligibilityQuery(Schema):
    campaign: int = Field(..., description="创建活动编号；须为您可见的创建活动")


class EligibilityOut(Schema):
    eligible: bool = Field(..., description="是否符合报备该创建活动的条件")
    errors: list[ErrorOut] = Field(..., description="每条未满足的规则一项，代码与 POST /applications 的 422 相同")


def out_of_scope(campaign, collective) -> Violation | None:
    """The filing service's scope rule: a campaign is for the collectives under its office."""
    if collective.unit.path.startswith(campaign.office.path):
        return None
    return Violation("filing.out_of_scope", f"“{campaign.name}”不面向{collective.unit.name}的集体", "campaign")


@router.get("/collectives/{collective_id}/eligibility", response=answers({200: EligibilityOut}, 404, 422),
            summary="创建资格检查")
def eligibility(request, collective_id: int, query: Query[EligibilityQuery]):
    """集体是否符合报备某一创建活动的条件，不做任何报备。`errors` 与 POST /applications 的 422 相同：
    eligibility.prior_honour（已撤销或已过届期的称号不再计入）、eligibility.member_count、eligibility.youth_share、
    eligibility.leader_age、eligibility.leader_missing、eligibility.stable_unit，以及 filing.out_of_scope。
    集体或创建活动不存在或无权查看时返回 404。"""
    user = request.user
    collective = visible_or_404(
        collectives_visible_to(user).select_related("unit").prefetch_related("members", "honours"), pk=collective_id)
    campaign = visible_or_404(campaigns_visible_to(user), pk=query.campaign)
    scope = out_of_scope(campaign, collective)
    violations = [scope] if scope is not None else check_collective(campaign, collective)
    return {"eligible": not violations, "errors": error_body(violations)["errors"]}


# --- naming ------------------------------------------------------------------------------------------------------


class NamingIn(Schema):
    collectives: list[int] = Field(..., description="要命名的集体编号；每个都须在该创建活动中有已被接受的创建报备")


class NamedOut(Schema):
    collective: int
    honour: HonourOut


class NamingsOut(Schema):
    named: list[NamedOut]


@router.post("/campaigns/{campaign_id}/namings", response=answers({200: NamingsOut}, 403, 404, 422),
             summary="命名青年文明号")
def name(request, campaign_id: int, payload: NamingIn):
    """主办该创建活动的团委管理员将创建集体命名为该活动级别的青年文明号（如“2027年度威海市青年文明号”），
    写入集体的荣誉记录（下一年度的资格检查据此认定），并通知集体及其归口单位。集体在该活动中没有已接受的创建报备时
    返回 422 naming.not_creating（列出每一个），已在该活动中命名的返回 422 naming.already_named；有任何问题时不命名
    任何集体。集体或创建活动不存在或无权查看时返回 404。"""
    user = request.user
    campaign = visible_or_404(campaigns_visible_to(user), pk=campaign_id)
    require_perm(user, "evaluation.name_collectives", campaign, denied=NOT_OFFICE)
    ids = set(payload.collectives)
    chosen = list(collectives_visible_to(user).filter(pk__in=ids))
    if len(chosen) != len(ids):  # an unknown or invisible collective, like any object one may not see
        raise Http404(NOT_FOUND_MESSAGE)
    namings = name_collectives(actor=user, campaign=campaign, collectives=chosen)
    return {"named": [{"collective": naming.collective_id, "honour": naming.honour} for naming in namings]}


# --- revocation --------------------------------------------------------------------------------------------------


class RevokeIn(Schema):
    reason: str | None = Field(None, description="撤销理由（必填），如经核实的群众投诉、实地考察不合格")


class RevokedOut(Schema):
    id: int
    state: HonourState


@router.post("/honours/{honour_id}/revoke", response=answers({200: RevokedOut}, 403, 404, 422), summary="撤销称号")
def revoke(request, honour_id: int, payload: RevokeIn):
    """命名该称号的团委（或其上级团委）的管理员撤销称号（手工录入的称号：管理该集体的团委管理员），须写明理由，否则
    返回 422 honour.reason_required；已撤销的返回 422 honour.revoked。撤销后该称号不再计入创建资格，集体及其归口单位
    收到通知。称号不存在或无权查看时返回 404，可见但无权撤销时返回 403。"""
    user = request.user
    honour = get_object_for(user, honours_visible_to(user).select_related("collective__unit", "awarded_by"), honour_id,
                            "evaluation.manage_title", denied=NOT_MANAGER)
    honour = revoke_honour(actor=user, honour=honour, reason=payload.reason or "")
    return {"id": honour.pk, "state": HonourState.REVOKED}
