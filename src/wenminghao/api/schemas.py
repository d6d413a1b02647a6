"""Schemas shared by every router: the error shape, references to other objects, pages of a list,
and datetimes shown in Asia/Shanghai."""

import datetime
import re
from typing import Annotated, Generic, TypeVar

from django.utils import timezone
from ninja import Field, Schema
from pydantic import AfterValidator, BeforeValidator
from pydantic_core import PydanticCustomError

T = TypeVar("T")

# A datetime answered in the site's zone (Asia/Shanghai), e.g. "2018-08-20T17:00:00+08:00".
LocalDateTime = Annotated[datetime.datetime, AfterValidator(timezone.localtime)]

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date_only(value):
    """A date is written YYYY-MM-DD. Pydantic would also take a number (or "0.0" in a query) as seconds since 1970,
    so that ``?date_to=0.0`` meant 1970-01-01 (found by tests/api/test_fuzz_schemathesis.py)."""
    if isinstance(value, datetime.date) or value is None:
        return value
    if isinstance(value, str) and ISO_DATE.fullmatch(value):
        return value
    raise PydanticCustomError("date_parsing", "Input should be a date written YYYY-MM-DD")


# A date, in a body or a query: only YYYY-MM-DD (or a date object, for answers).
IsoDate = Annotated[datetime.date, BeforeValidator(_iso_date_only)]


class ErrorOut(Schema):
    code: str = Field(..., description="稳定的机器可读代码，例如 eligibility.member_count")
    message: str = Field(..., description="具体的中文说明")
    field: str | None = Field(None, description="相关字段，例如 members.2.birth_date；与整体有关时为 null")


class ErrorsOut(Schema):
    errors: list[ErrorOut]


class Ref(Schema):
    """Another object, by id and name."""

    id: int
    name: str


class Page(Schema, Generic[T]):
    items: list[T]
    count: int = Field(..., description="符合条件的总条数（不只是本页）")


def answers(ok: dict, *errors: int) -> dict:
    """The response table of an operation: its success schemas plus the error statuses it may give,
    all in the one errors shape, so that the OpenAPI document lists them."""
    table = dict(ok)
    for status in (401, *errors):
        table[status] = ErrorsOut
    return table


MALFORMED_INPUT = {"description": "Unprocessable Entity",
                   "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorsOut"}}}}


def declare_malformed_input(document: dict) -> dict:
    """Every operation that takes a parameter or a body may answer 422 for malformed input
    (``errors.install_error_handlers``), e.g. a path id that is not an integer, even where its ``answers`` table
    lists no rule of its own: the OpenAPI document says so."""
    for operations in document["paths"].values():
        for operation in operations.values():
            if operation.get("parameters") or operation.get("requestBody"):
                operation["responses"].setdefault(422, MALFORMED_INPUT)
    return document
