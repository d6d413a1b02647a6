"""Public supervision (API.md, "Public pages"): ``POST /public/posts/{id}/feedback``, a visitor's praise, suggestion or
complaint about a post whose identity page is public, without sign-in.

The endpoint takes no authentication (``auth=None``): it reads nobody's session and acts for nobody, so it needs no
CSRF token (the API's session check applies only to signed-in callers of the other endpoints) and a scripted client
posts plain JSON. The rules are the page's (``public.services.feedback.clean_feedback``: every unmet one at once,
422), and so are the limits per address and per post (``public.throttling``: 429 with ``Retry-After``). A post that
is not public answers 404 like one that does not exist. The answer is only the reference: never the contact."""

from ninja import Field, Router, Schema

from wenminghao.core.http import client_ip
from wenminghao.public.selectors.feedback import get_post_for_feedback
from wenminghao.public.services.feedback import submit_feedback
from wenminghao.public.throttling import FeedbackThrottled

from .errors import ApiError
from .schemas import answers

router = Router(tags=["公开页面"])


class FeedbackIn(Schema):
    kind: str | None = Field(None, description="praise（表扬）、suggestion（建议）或 complaint（投诉）")
    text: str | None = Field(None, description="意见内容，1至500字；网页代码会被去除，链接不会显示为链接")
    contact: str | None = Field(None, description="联系方式（选填，不超过64个字符），只有处理意见的人员可见，不会公开")
    satisfaction: str | None = Field(None, description="满意度（选填）：satisfied（满意）、basically（基本满意）、"
                                                       "dissatisfied（不满意）")


class FeedbackOut(Schema):
    reference: str = Field(..., description="查询编号（12位），凭它在 /feedback/<编号>/ 查看处理进度和答复")


@router.post("/public/posts/{post_id}/feedback", auth=None, response=answers({201: FeedbackOut}, 404, 422, 429),
             summary="提交公众监督意见")
def post_feedback(request, post_id: int, payload: FeedbackIn):
    """访客对公开岗位提出表扬、建议或投诉（公众监督），无需登录。返回 201 与查询编号 `reference`。
    意见内容为空返回 422 feedback.text_required，超过500字返回 422 feedback.text_too_long；类型不对返回 422
    feedback.kind_required 或 feedback.kind，联系方式过长 feedback.contact_too_long，满意度不对 feedback.satisfaction
    （一次列出全部问题）。同一地址提交过多（默认10分钟5条、一天20条）或该岗位一小时内收到过多（默认30条）时返回 429，
    `Retry-After` 为需等待的秒数。岗位不存在、未公开或已被归口单位隐藏时返回 404。"""
    collective = get_post_for_feedback(post_id)
    try:
        submitted = submit_feedback(collective=collective, data=payload.model_dump(), ip_address=client_ip(request))
    except FeedbackThrottled as error:
        raise ApiError(429, "feedback.throttled", error.message,
                       headers={"Retry-After": str(error.retry_after)}) from error
    return 201, {"reference": submitted.reference}
