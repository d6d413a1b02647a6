"""Who is calling: bearer tokens for integrations, the signed-in session for same-site pages.

``POST /auth/token`` exchanges an account name (or 11-digit mobile number) and password for a
bearer token; an admin with a second factor adds the 6-digit code of the authenticator (``code``). Failures count
under the same rules as the sign-in page (``accounts.throttling``, codes apart from passwords): a name that keeps
failing from one address waits longer each time (429 with ``Retry-After``).

An account that must first change its password, or an admin that must first enrol a second factor
(``accounts.gates``), gets no token and, with a token or a session, 403 from every endpoint, in the error shape.
"""

from django.conf import settings
from ninja import Field, Router, Schema
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from wenminghao.accounts import gates, twofactor
from wenminghao.accounts.services import issue_api_token, user_for_token
from wenminghao.accounts.throttling import attempt_sign_in
from wenminghao.core.errors import NotPermitted
from wenminghao.core.http import client_ip
from wenminghao.core.roles import Role

from .errors import CSRF_MESSAGE, ApiError
from .schemas import Ref, answers

BAD_CREDENTIALS_MESSAGE = "账号或密码不正确，请检查后重试（账号可以是用户名或11位手机号）。"
CODE_REQUIRED_MESSAGE = "该账号已启用两步验证：请在 code 中提供手机身份验证器当前显示的6位数字。"


def refuse_gated(user) -> None:
    """403 for an account that must first change its password or enrol a second factor on the web pages."""
    step = gates.required_step(user)
    if step is not None:
        raise ApiError(403, gates.API_CODES[step], gates.API_MESSAGES[step])


class BearerTokenAuth(HttpBearer):
    """``Authorization: Bearer <token>`` with a token from ``POST /auth/token``."""

    def authenticate(self, request, token):
        user = user_for_token(token.strip()) if token and token.strip() else None
        if user is not None:
            refuse_gated(user)
            request.user = user
        return user


class SessionCookieAuth(APIKeyCookie):
    """The session of a signed-in page. Unsafe methods need the CSRF token, exactly as forms do; a
    request without a signed-in session falls through to 401, not to a CSRF error."""

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request):
        key = request.COOKIES.get(self.param_name)
        must_check = key and request.user.is_authenticated and self.csrf
        if must_check and not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request) is not None:
            raise NotPermitted(CSRF_MESSAGE)
        return key

    def authenticate(self, request, key):
        if key and request.user.is_authenticated:
            refuse_gated(request.user)
            return request.user
        return None


router = Router(tags=["登录与账号"])


class TokenIn(Schema):
    username: str
    password: str
    code: str | None = Field(None, max_length=16, description="两步验证码：已启用两步验证的管理员账号必填，"
                                                              "为手机身份验证器当前显示的6位数字")


class TokenOut(Schema):
    token: str


class MeOut(Schema):
    username: str
    display_name: str
    role: Role
    unit: Ref | None
    collective: Ref | None

    @staticmethod
    def resolve_unit(user):
        return user.home_unit

    @staticmethod
    def resolve_collective(user):
        return user.collective if user.collective_id else None


@router.post("/auth/token", auth=None, response=answers({200: TokenOut}, 403, 422, 429), summary="获取接口令牌")
def issue_token(request, payload: TokenIn):
    """用账号（或11位手机号）和密码换取 Bearer 令牌；已启用两步验证的管理员还须在 code 中提供6位验证码。
    同一账号在同一地址连续失败后须等待（429，Retry-After 为秒数），等待时间逐次加倍；
    未失败过的账号不受同一地址其他账号失败的影响。
    由管理员设置密码、尚未修改的账号（及须启用两步验证而未启用的管理员）得到403，须先在网页上完成。"""
    address = client_ip(request)
    attempt = attempt_sign_in(request, login=payload.username, password=payload.password, ip_address=address)
    if attempt.throttled:
        raise ApiError(429, "auth.throttled", attempt.message, headers={"Retry-After": str(attempt.retry_after)})
    if attempt.user is None:
        raise ApiError(401, "auth.invalid_credentials", BAD_CREDENTIALS_MESSAGE)
    user = attempt.user
    if twofactor.has_device(user):
        if not (payload.code or "").strip():
            raise ApiError(401, "auth.code_required", CODE_REQUIRED_MESSAGE, field="code")
        checked = twofactor.attempt_code(user=user, code=payload.code, ip_address=address)
        if checked.throttled:
            raise ApiError(429, "auth.throttled", twofactor.code_throttle_message(checked.retry_after),
                           headers={"Retry-After": str(checked.retry_after)})
        if checked.user is None:
            raise ApiError(401, "auth.invalid_code", twofactor.INVALID_CODE_MESSAGE, field="code")
    refuse_gated(user)
    return {"token": issue_api_token(user=user)}


@router.get("/me", response=answers({200: MeOut}), summary="当前账号")
def me(request):
    """当前账号：账号名、角色、所在单位（集体账号为其集体的归口单位）和所属集体。"""
    return request.user
