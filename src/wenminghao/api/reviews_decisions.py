"""The unit's decisions on a work (API.md): ``POST /api/v1/works/{id}/recommend`` and ``/return``.

Both go through works.transitions.change_work_status, the one transition function of the pages too: the work
is fetched through works_visible_to (404 otherwise), the function decides who may act (403) and whether the move
is allowed from the work's status (422 ``work.state``); a return needs a comment (422 ``review.comment_required``).
"""

from ninja import Router, Schema
from pydantic import Field

from wenminghao.works.enums import WorkStatus
from wenminghao.works.selectors import works_visible_to
from wenminghao.works.transitions import change_work_status

from .errors import visible_or_404
from .schemas import answers

router = Router(tags=["作品审核"])


class DecisionOut(Schema):
    id: int
    status: WorkStatus
    unit_rank: int | None = Field(None, description="在归口单位推荐作品中的顺序（推荐后排在本类别最后）")


class ReturnIn(Schema):
    # absent or empty: the service answers review.comment_required, as for an empty comment on the page
    comment: str = Field("", description="退回意见：需要修改的地方，创作集体会看到（最多1000字）")


def _decide(request, work_id: int, to_status: str, comment: str = "") -> dict:
    work = visible_or_404(works_visible_to(request.user), pk=work_id)
    work = change_work_status(actor=request.user, work=work, to_status=to_status, comment=comment)
    return {"id": work.pk, "status": work.status, "unit_rank": work.unit_rank}


@router.post("/works/{work_id}/recommend", response=answers({200: DecisionOut}, 403, 404, 422), summary="推荐作品")
def recommend(request, work_id: int):
    """归口单位（或其上级团委）推荐一件已提交的作品，作品排在本单位同类推荐作品的最后。作品不是“已提交”状态时
    返回 422（work.state）；创作集体的账号和评委返回 403。"""
    return _decide(request, work_id, WorkStatus.RECOMMENDED)


@router.post("/works/{work_id}/return", response=answers({200: DecisionOut}, 403, 404, 422), summary="退回作品")
def return_work(request, work_id: int, payload: ReturnIn):
    """退回作品并说明原因，创作集体修改后可重新提交。已提交的作品由归口单位（或其上级团委）退回；已推荐的作品由
    组织本次创建活动的团委退回。缺少意见返回 422（review.comment_required），状态不允许返回 422（work.state）。"""
    return _decide(request, work_id, WorkStatus.RETURNED, payload.comment)
