"""The public identity page as JSON (API.md, "Public pages"): ``GET /public/posts/{id}``, without sign-in. It answers
exactly what the page shows of the post's identity, ``{id, name, host_org, titles: [{level, year, title}],
public_commitment, supervision_phone, members: [{name, post}]}``: valid titles only (never a revoked or expired one),
members except those left off the page, nothing else personal. 404, like an id that does not exist, when the page is
not published, its unit hid it, or the collective holds no valid title and no accepted creation filing."""

from ninja import Field, Router, Schema

from wenminghao.collectives.enums import HonourLevel
from wenminghao.public.selectors.pages import get_public_post, post_identity

from .schemas import answers

router = Router(tags=["公开页面"])


class PublicTitleOut(Schema):
    level: HonourLevel = Field(
        ..., description="级别：district（区市级）、city（市级）、province（省级）、national（全国）")
    year: int
    title: str


class PublicMemberOut(Schema):
    name: str
    post: str = Field(..., description="岗位；未填写为空字符串")


class PublicPostOut(Schema):
    id: int
    name: str
    host_org: str
    titles: list[PublicTitleOut] = Field(..., description="有效的称号，年度从近到远；已撤销或已过届期的不列出")
    public_commitment: str
    supervision_phone: str
    members: list[PublicMemberOut] = Field(..., description="成员姓名和岗位，号长在前；集体设为不公开的成员不列出")


@router.get("/public/posts/{post_id}", response=answers({200: PublicPostOut}, 404), auth=None,
            summary="公开身份页")
def public_post(request, post_id: int):
    """集体的公开身份页（亮身份、亮承诺），无需登录。身份页未公开、被归口单位隐藏，或集体既无有效称号也无已被接受的创建报备时，
    返回 404（与不存在相同）。"""
    collective = get_public_post(post_id)
    identity = post_identity(collective, with_photos=False)
    return {
        "id": collective.pk,
        "name": collective.name,
        "host_org": collective.host_org,
        "titles": [{"level": honour.level, "year": honour.year, "title": honour.title} for honour in identity.titles],
        "public_commitment": collective.public_commitment,
        "supervision_phone": collective.supervision_phone,
        "members": [{"name": member.name, "post": member.post} for member in identity.members],
    }
