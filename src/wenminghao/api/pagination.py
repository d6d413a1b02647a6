"""Pages of a list: ``?page=`` (from 1) and ``?page_size=`` (default 50). A page size above 200 is
taken as 200 rather than refused, so a client asking for "everything" gets the largest page and
reads ``count`` to know how many pages follow. Paging happens in the database: one COUNT and one
sliced SELECT (plus each prefetch), whatever the number of rows."""

from ninja import Field, Schema

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


class PageQuery(Schema):
    page: int = Field(1, ge=1, description="页码，从1开始；超出末页时返回空列表")
    page_size: int = Field(
        DEFAULT_PAGE_SIZE, ge=1,
        description=f"每页条数，默认{DEFAULT_PAGE_SIZE}；超过{MAX_PAGE_SIZE}按{MAX_PAGE_SIZE}计",
    )


def page_of(queryset, query: PageQuery) -> dict:
    """``{"items": [...], "count": N}`` for one page of an ordered queryset."""
    size = min(query.page_size, MAX_PAGE_SIZE)
    start = (query.page - 1) * size
    count = queryset.count()
    items = list(queryset[start:start + size]) if start < count else []
    return {"items": items, "count": count}
