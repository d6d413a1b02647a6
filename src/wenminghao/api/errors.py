"""Every error of the API has one shape: ``{"errors": [{"code", "message", "field"}]}`` with a specific
Simplified Chinese message. This module turns exceptions into that shape (401, 403, 404, 412, 413, 422, 429)
and holds ``visible_or_404``; endpoints check permissions with ``core.http.require_perm`` and ``get_object_for``, as
pages do.
"""

import json
import re

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser

from wenminghao.campaigns.enums import FilingStatus
from wenminghao.collectives.enums import HonourLevel, OrgType, Sector, WorkingUnitForm
from wenminghao.core.errors import NotPermitted, RuleViolationError, StaleEditError, Violation
from wenminghao.core.http import get_visible_or_404
from wenminghao.ledger.enums import Activity, PairingState
from wenminghao.works.enums import Category, DisplayForm, EssayKind, WorkStatus

NOT_FOUND_MESSAGE = "未找到该内容，或您无权查看。"
NOT_AUTHENTICATED_MESSAGE = (
    "请先登录：在请求头中提供“Authorization: Bearer <令牌>”（令牌由 POST /api/v1/auth/token 获取），"
    "或在同一站点内使用已登录的会话。"
)
FORBIDDEN_MESSAGE = "您没有权限执行此操作。"
CSRF_MESSAGE = "使用登录会话调用接口修改数据时，须在请求头 X-CSRFToken 中携带 CSRF 令牌；脚本请改用 Bearer 令牌。"

# Chinese names of the request fields, for messages about malformed input.
FIELD_LABELS = {
    "username": "账号",
    "password": "密码",
    "name": "名称",
    "host_org": "所在单位",
    "unit": "归口单位",
    "sector": "行业类别",
    "org_type": "单位性质",
    "unit_form": "工作单元形式",
    "contact_name": "联系人",
    "contact_phone": "联系电话",
    "public_commitment": "示范承诺",
    "supervision_phone": "监督电话",
    "members": "成员",
    "honours": "荣誉",
    "birth_date": "出生日期",
    "is_leader": "是否号长",
    "post": "岗位",
    "level": "级别",
    "year": "年度",
    "title": "名称",
    "collective": "集体",
    "campaign": "创建活动",
    "status": "状态",
    "comment": "意见",
    "page": "页码",
    "page_size": "每页条数",
    "search": "搜索词",
    "collective_id": "集体编号",
    "campaign_id": "创建活动编号",
    "application_id": "报备编号",
    "category": "作品类别",
    "display_form": "展示形式",
    "description": "作品说明",
    "essay_kind": "征文类型",
    "url": "H5网址",
    "text": "征文正文",
    "unit_id": "单位编号",
    "work_id": "作品编号",
    "file_id": "文件编号",
    # the ledger (台账) and the pairings (助千家)
    "activity": "活动",
    "date": "日期",
    "content": "内容",
    "stage": "类型",
    "benchmark_against": "对标对象",
    "focus": "创优方向",
    "benefit_kind": "效益类型",
    "benefit_value": "效益数值",
    "benefit_unit": "效益单位",
    "meets_target": "对应的创优目标",
    "form": "学习形式",
    "topic": "学习主题",
    "led_by": "领学人",
    "attendees": "参学成员",
    "pairing": "结对家庭",
    "help_kinds": "帮扶方式",
    "follow_up": "回头看走访",
    "shown": "展示内容",
    "visitors": "参观人数",
    "date_from": "起始日期",
    "date_to": "截止日期",
    "open_comments": "只看未处理意见",
    "family_ref": "建档立卡编号",
    "area": "所在乡镇（街道）",
    "youth_count": "帮扶青少年人数",
    "started": "结对日期",
    "consent": "监护人同意",
    "consent_date": "监护人同意日期",
    "state": "结对状态",
    "outcome": "帮扶成效",
    "income_trend": "收入变化",
    "note": "情况说明",
    "ended": "结束日期",
    "entry_id": "台账记录编号",
    "comment_id": "评阅意见编号",
    "pairing_id": "结对家庭编号",
    # uploads, exports, evaluation and the public pages
    "file": "文件",
    "caption": "图片说明",
    "format": "文件格式",
    "valid_until": "有效期至",
    "collectives": "命名的集体",
    "honour_id": "称号编号",
    "reason": "撤销理由",
    "post_id": "身份页编号",
    "kind": "意见类型",
    "contact": "联系方式",
    "satisfaction": "满意度",
    # notices (通知公告) and their read receipts
    "body": "通知正文",
    "sectors": "行业类别",
    "units": "发送范围内的单位",
    "deadline": "截止日期",
    "asks_reply": "是否要求回复",
    "forwarded_from": "转发的通知",
    "notice_id": "通知编号",
    "unread": "只看未读",
    "read": "阅读状态",
    # good practices and typical stories (好做法、典型事迹)
    "entries": "关联台账记录",
    "submit": "是否立即报送",
    # joint projects (联创项目)
    "lead": "牵头集体",
    "partners": "参与集体",
    "goals": "项目目标",
    "mine": "只看本集体或本单位管理的",
    # sign-in with a second factor, and edits that name the version they read
    "code": "两步验证码",
    "If-Match": "请求头 If-Match",
}

# Where one name means something else on a route (a project's ``started`` is no pairing's 结对日期), the route's own
# names, by the first segment of the path after /api/v1/, come before FIELD_LABELS.
ROUTE_FIELD_LABELS = {
    "projects": {"title": "项目名称", "kind": "项目类型", "started": "开始日期", "ended": "结束日期",
                 "state": "项目状态", "campaign": "计入的创建活动"},
    "stories": {"title": "标题", "kind": "类型", "text": "正文"},
}

# The choices of enumerated fields, to list them with their Chinese names when a value is not one of them;
# where one name serves several enumerations, the one whose values the error expects.
FIELD_CHOICES = {
    "sector": Sector,
    "org_type": OrgType,
    "unit_form": WorkingUnitForm,
    "level": HonourLevel,
    "status": (FilingStatus, WorkStatus),
    "category": Category,
    "display_form": DisplayForm,
    "essay_kind": EssayKind,
    "activity": Activity,
    "state": PairingState,
}

# What was wrong, by pydantic error type; {…} are filled from the error's context.
PROBLEMS = {
    "missing": "为必填项，请提供",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "float_parsing": "应为数字",
    "string_type": "应为文本",
    "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false",
    "date_parsing": "应为日期，格式为 YYYY-MM-DD，例如 1990-01-31",
    "date_from_datetime_parsing": "应为日期，格式为 YYYY-MM-DD，例如 1990-01-31",
    "date_from_datetime_inexact": "应为日期，不含时间，格式为 YYYY-MM-DD",
    "date_type": "应为日期，格式为 YYYY-MM-DD",
    "datetime_parsing": "应为日期时间，格式如 2018-08-20T17:00:00+08:00",
    "datetime_from_date_parsing": "应为日期时间，格式如 2018-08-20T17:00:00+08:00",
    "datetime_type": "应为日期时间，格式如 2018-08-20T17:00:00+08:00",
    "enum": "的取值不在可选范围内，应为以下之一：{expected}",
    "literal_error": "的取值不在可选范围内，应为以下之一：{expected}",
    "greater_than_equal": "应不小于{ge}",
    "greater_than": "应大于{gt}",
    "less_than_equal": "应不大于{le}",
    "less_than": "应小于{lt}",
    "string_too_long": "最多{max_length}个字符",
    "string_too_short": "至少需要{min_length}个字符",
    "list_type": "应为列表（JSON 数组）",
    "dict_type": "应为对象（JSON 对象）",
    "model_type": "应为对象（JSON 对象）",
    "model_attributes_type": "应为对象（JSON 对象）",
    "extra_forbidden": "不是可接受的字段，请删除",
    "null_character": "不能包含空字符（U+0000），请删除后重试",
}


def error_body(violations: list[Violation]) -> dict:
    return {"errors": [_public(v) for v in violations]}


def _public(violation: Violation) -> dict:
    data = violation.as_dict()
    if data["field"] == "__all__":  # Django's "non-field" errors concern the object as a whole
        data["field"] = None
    return data


def error_response(api: NinjaAPI, request: HttpRequest, status: int, code: str, message: str,
                   field: str | None = None) -> HttpResponse:
    return api.create_response(request, error_body([Violation(code, message, field)]), status=status)


# --- helpers for endpoints ---------------------------------------------------------------------

class ApiError(Exception):
    """An answer other than success that is neither 404, 403 nor a rule violation (e.g. 401, 429)."""
    def __init__(self, status: int, code: str, message: str, field: str | None = None,
                 headers: dict[str, str] | None = None):
        self.status = status
        self.violation = Violation(code, message, field)
        self.headers = headers or {}
        super().__init__(message)


def visible_or_404(queryset, **lookup):
    """One object through a visible-to selector's queryset; anything else (absent or invisible) is
    the same 404."""
    return get_visible_or_404(queryset, **lookup)


# --- request validation ------------------------------------------------------------------------

def _field_path(error: dict) -> list:
    """The field's location inside the request, without the source ("body", "query", "path") and
    without the name of a body parameter, with list positions counted from 1 like the services do."""
    loc = list(error.get("loc", ()))
    source = loc.pop(0) if loc and loc[0] in {"body", "query", "path", "header", "cookie", "form", "file"} else None
    if source == "body" and loc and loc[0] == "payload":
        loc.pop(0)
    return [item + 1 if isinstance(item, int) else item for item in loc]


def _route_labels(request: HttpRequest | None) -> dict[str, str]:
    """The route's own field names (ROUTE_FIELD_LABELS) for a request under /api/v1/."""
    if request is None:
        return {}
    segment = request.path.removeprefix("/api/v1/").split("/", 1)[0]
    return ROUTE_FIELD_LABELS.get(segment, {})


def _describe(path: list, labels: dict[str, str] | None = None) -> str:
    """A Chinese name for a field path: ``members.2.birth_date`` → ``第2位成员的出生日期``; ``labels`` (the route's
    own names) before FIELD_LABELS."""
    labels = labels or {}
    if not path:
        return "请求内容"
    parts: list[str] = []
    index = 0
    while index < len(path):
        name = path[index]
        # a name the API does not know (a typo, an extra) is named as it came
        label = labels.get(str(name)) or FIELD_LABELS.get(str(name)) or f"字段“{name}”"
        if index + 1 < len(path) and isinstance(path[index + 1], int):
            unit = {"members": "位成员", "honours": "项荣誉"}.get(str(name), f"项{label}")
            parts.append(f"第{path[index + 1]}{unit}")
            index += 2
            continue
        parts.append(label)
        index += 1
    return "的".join(parts)


def _choices(name: str, expected: str):
    candidates = FIELD_CHOICES.get(name)
    candidates = candidates if isinstance(candidates, tuple) else (candidates,) if candidates else ()
    for choices in candidates:
        if all(f"'{choice.value}'" in expected for choice in choices):
            return choices
    return None


def _violation_from_request_error(error: dict, request: HttpRequest | None = None) -> Violation:
    path = _field_path(error)
    field = ".".join(str(item) for item in path) or None
    kind = error.get("type", "")
    context = dict(error.get("ctx") or {})
    if "expected" in context:
        choices = _choices(str(path[-1]), str(context["expected"])) if path else None
        if choices is not None:
            context["expected"] = "、".join(f"{choice.value}（{choice.label}）" for choice in choices)
        else:
            context["expected"] = str(context["expected"]).replace(" or ", "、").replace(", ", "、").replace("'", "")
    template = PROBLEMS.get(kind)
    if template is None:
        problem = f"格式不正确（{error.get('msg', kind)}）"
    else:
        try:
            problem = template.format(**context)
        except (KeyError, IndexError):
            problem = template
    if not path and kind == "missing":
        return Violation("field.required", "请求内容为空，请以 JSON 对象提交所需字段。", None)
    described = _describe(path, _route_labels(request))
    name = f"{described}（{field}）" if field and f"“{field}”" not in described else described
    code = "field.required" if kind == "missing" else "field.invalid"
    return Violation(code, f"{name}{problem}", field)


# --- NUL characters ----------------------------------------------------------------------------
# No text field takes a NUL character (U+0000): PostgreSQL cannot store one, and no one types it. The API's parser
# refuses it in a JSON body and in the query string, naming the field, before any endpoint runs.


def _nul_paths(value, path: tuple = ()):
    if isinstance(value, str):
        if "\x00" in value:
            yield path
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _nul_paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _nul_paths(item, (*path, index))


def refuse_nul(data, source: str) -> None:
    """ValidationError (null_character) naming each string of ``data`` that holds a NUL character."""
    errors = [{"loc": (source, *path), "type": "null_character", "msg": "NUL"} for path in _nul_paths(data)]
    if errors:
        raise ValidationError(errors)


# --- integers beyond 64 bits ---------------------------------------------------------------------
# Every integer the API takes (ids, years, counts) fits in the database's 64-bit integer; a larger one in a JSON
# body or a query made SQLite raise OverflowError, a 500 (``POST /campaigns/{id}/namings`` with an id of 2**63 in
# the body, ``GET /public/showcase?campaign=2**63``: a foreign key's lookup, unlike a primary key's, passes the value
# to SQLite as it is; both found by tests/api/test_fuzz_schemathesis.py). Path ids are looked up by primary key,
# which Django answers with no row.

INTEGER_RANGE = (-(2**63), 2**63 - 1)
INTEGER_TEXT = re.compile(r"\s*([-+]?)0*(\d+)\s*")


def _huge_integers(value, path: tuple = ()):
    if isinstance(value, int) and not isinstance(value, bool):
        if not INTEGER_RANGE[0] <= value <= INTEGER_RANGE[1]:
            yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _huge_integers(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _huge_integers(item, (*path, index))


def refuse_huge_integers(data, source: str) -> None:
    """ValidationError naming each integer of ``data`` outside the 64-bit range, with the bound it passes."""
    low, high = INTEGER_RANGE
    errors = [{"loc": (source, *path), "type": "less_than_equal", "msg": "too large", "ctx": {"le": high}}
              if value > high else
              {"loc": (source, *path), "type": "greater_than_equal", "msg": "too small", "ctx": {"ge": low}}
              for path, value in _huge_integers(data)]
    if errors:
        raise ValidationError(errors)


def _as_integers(query: dict) -> dict:
    """The query's values that read as integers (a query string holds only text), as integers."""
    def integer(text):
        match = INTEGER_TEXT.fullmatch(text) if isinstance(text, str) else None
        if match is None:
            return None
        sign, digits = match.groups()
        if len(digits) > 19:  # past 64 bits whatever the digits (and never handed to int(): 4,300 digits raise)
            return -(2**64) if sign == "-" else 2**64
        return int(sign + digits)
    found = {}
    for key, value in query.items():
        values = value if isinstance(value, list) else [value]
        integers = [number for number in map(integer, values) if number is not None]
        if integers:
            found[key] = integers if isinstance(value, list) else integers[0]
    return found


class NotAnObject(ValueError):
    """A JSON body that parses but is a number, a text, a list or true/false instead of an object."""

    KINDS = {bool: "true 或 false", int: "数字", float: "数字", str: "文本", list: "数组"}

    def __init__(self, value):
        self.kind = self.KINDS.get(type(value), "其他值")
        super().__init__(f"a JSON body that is not an object: {type(value).__name__}")


class NulRefusingParser(Parser):
    """ninja's JSON and query parser, refusing NUL characters in any string (422, the field named), and a JSON body
    that is not an object (or ``null``, where the body may be left out): ninja's schemas would read a number or a
    list as an object with every field omitted, so that ``PATCH /works/{id}`` with ``5`` changed nothing and
    answered 200 (found by tests/api/test_fuzz_schemathesis.py)."""

    def parse_body(self, request):
        data = super().parse_body(request)
        if data is not None and not isinstance(data, dict):
            raise NotAnObject(data)
        refuse_nul(data, "body")
        refuse_huge_integers(data, "body")
        return data

    def parse_querydict(self, data, list_fields, request):
        result = super().parse_querydict(data, list_fields, request)
        refuse_nul(result, "query")
        refuse_huge_integers(_as_integers(result), "query")
        return result


# --- handlers ----------------------------------------------------------------------------------

def install_error_handlers(api: NinjaAPI) -> None:
    """Make every error of ``api`` answer in the one errors shape."""
    @api.exception_handler(ValidationError)
    def on_validation_error(request, exc: ValidationError):
        violations = [_violation_from_request_error(error, request) for error in exc.errors]
        return api.create_response(request, error_body(violations), status=422)

    @api.exception_handler(ApiError)
    def on_api_error(request, exc: ApiError):
        response = api.create_response(request, error_body([exc.violation]), status=exc.status)
        for name, value in exc.headers.items():
            response[name] = value
        return response

    @api.exception_handler(RuleViolationError)
    def on_rule_violation(request, exc: RuleViolationError):
        return api.create_response(request, error_body(exc.violations), status=422)

    @api.exception_handler(StaleEditError)
    def on_stale_edit(request, exc: StaleEditError):
        # the client's If-Match names an older version of the object (core.versions): nothing was changed
        return api.create_response(request, error_body(exc.violations), status=412)

    @api.exception_handler(Http404)
    def on_not_found(request, exc):
        return error_response(api, request, 404, "not_found", NOT_FOUND_MESSAGE)

    @api.exception_handler(NotPermitted)
    def on_not_permitted(request, exc: NotPermitted):
        return error_response(api, request, 403, "forbidden", exc.message)

    @api.exception_handler(PermissionDenied)
    def on_permission_denied(request, exc):
        return error_response(api, request, 403, "forbidden", FORBIDDEN_MESSAGE)

    @api.exception_handler(AuthenticationError)
    def on_not_authenticated(request, exc):
        response = error_response(api, request, 401, "not_authenticated", NOT_AUTHENTICATED_MESSAGE)
        response["WWW-Authenticate"] = 'Bearer realm="api"'
        return response

    @api.exception_handler(RequestDataTooBig)
    def on_too_big(request, exc):

        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)
        return error_response(
            api, request, 413, "request.too_large", f"请求内容超过{limit}MB的上限，请减少内容后重试。"
        )

    @api.exception_handler(HttpError)
    def on_http_error(request, exc: HttpError):
        cause = exc.__cause__
        if exc.status_code == 400 and isinstance(cause, ValidationError):  # refused by NulRefusingParser
            return on_validation_error(request, cause)
        if exc.status_code == 400 and isinstance(cause, NotAnObject):
            return error_response(
                api, request, 422, "request.not_object",
                f"请求内容应为 JSON 对象（以 {{ 开头，列出各字段），而不是{cause.kind}。",
            )
        if exc.status_code == 400 and isinstance(cause, ValueError):
            # ninja reports a body it cannot parse as 400; it is malformed input like any other: 422.
            where = f"（第{cause.lineno}行第{cause.colno}列附近）" if isinstance(cause, json.JSONDecodeError) else ""
            return error_response(
                api, request, 422, "request.invalid_json", f"请求内容不是有效的 JSON{where}，请检查格式。"
            )
        codes = {400: "bad_request", 401: "not_authenticated", 403: "forbidden", 404: "not_found",
                 405: "method_not_allowed", 429: "throttled"}
        messages = {400: "请求格式不正确。", 401: NOT_AUTHENTICATED_MESSAGE, 403: FORBIDDEN_MESSAGE,
                    404: NOT_FOUND_MESSAGE, 405: "该地址不支持此请求方法。", 429: "请求过于频繁，请稍后再试。"}
        status = exc.status_code
        return error_response(api, request, status, codes.get(status, "error"), messages.get(status, str(exc)))
