"""The unit tree as the caller sees it."""

from ninja import Field, Query, Router, Schema

from wenminghao.orgs.enums import UnitKind
from wenminghao.orgs.selectors import units_visible_to

from .pagination import PageQuery, page_of
from .schemas import Page, answers

router = Router(tags=["单位"])


class UnitOut(Schema):
    id: int
    name: str
    short_name: str
    kind: UnitKind
    parent: int | None = Field(..., description="上级单位编号；顶层单位为 null")
    depth: int

    @staticmethod
    def resolve_parent(unit):
        return unit.parent_id


@router.get("/units", response=answers({200: Page[UnitOut]}, 422), summary="可见的单位")
def list_units(request, query: Query[PageQuery]):
    """管理员：本单位及其下属各级单位（按树的顺序）；其他账号：所在的单位。"""
    return page_of(units_visible_to(request.user).order_by("path"), query)
