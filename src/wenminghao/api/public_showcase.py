"""The showcase as JSON (API.md, "Public pages"): the works the city made excellent (showcased or forwarded), for
anyone, without sign-in. The same works, in the same order, as the page /showcase/ (works.selectors.showcase_works);
each file's ``url`` is its public address, which opens without sign-in while the work is showcased or forwarded and
answers 404 the moment it is not. Nothing private: no contact person or phone, no decisions, judges or scores."""

from django.urls import reverse
from ninja import Field, Query, Router, Schema

from wenminghao.works.enums import Category
from wenminghao.works.selectors import showcase_works

from .pagination import PageQuery, page_of
from .schemas import Page, Ref, answers

router = Router(tags=["公开页面"])


class ShowcaseQuery(PageQuery):
    campaign: int | None = Field(None, description="只看该创建活动的作品")
    category: Category | None = Field(None, description="只看该类别的作品：photo、publicity 或 essay")


class ShowcaseFileOut(Schema):
    url: str = Field(..., description="文件的公开地址，无需登录；作品不再展示后返回404")
    width: int | None = Field(None, description="宽（像素），图片和视频才有")
    height: int | None = Field(None, description="高（像素），图片和视频才有")
    duration: float | None = Field(None, description="时长（秒），视频和动画才有")


class ShowcaseItemOut(Schema):
    id: int
    title: str
    category: str = Field(..., description="photo、publicity 或 essay")
    display_form: str = Field(..., description="picture、comic、animation、video、h5 或 essay")
    description: str
    collective: Ref
    campaign: Ref
    files: list[ShowcaseFileOut]


def _item(request, work) -> dict:
    return {
        "id": work.pk,
        "title": work.title,
        "category": work.category,
        "display_form": work.display_form,
        "description": work.description,
        "collective": {"id": work.collective.pk, "name": work.collective.name},
        "campaign": {"id": work.campaign.pk, "name": work.campaign.name},
        "files": [{
            "url": request.build_absolute_uri(reverse("public:showcase_file", args=[work.pk, item.pk])),
            "width": item.width,
            "height": item.height,
            "duration": float(item.duration) if item.duration is not None else None,
        } for item in work.files.all()],
    }


@router.get("/public/showcase", auth=None, response=answers({200: Page[ShowcaseItemOut]}, 422),
            summary="优秀作品展示（公开）")
def showcase(request, query: Query[ShowcaseQuery]):
    """团市委评为优秀展示或推报团省委的作品，无需登录；新的创建活动在前。可按 `campaign`、`category` 筛选。
    每个文件的 `url` 在作品展示期间无需登录即可打开，作品不再展示后返回404。"""
    queryset = showcase_works(campaign_id=query.campaign, category=query.category or "")
    page = page_of(queryset, query)
    return {"items": [_item(request, work) for work in page["items"]], "count": page["count"]}
