"""Who is calling: bearer tokens for integrations, the signed-in session for same-site pages.

``POST /auth/token`` exchanges an account name (or 11-digit mobile number) and password for a
bearer token. Failures count under the same rules as the sign-in page (``accounts.throttling``): a name that
keeps failing from one address waits longer each time (429 with ``Retry-After``).
"""

from django.conf import settings
from ninja import Router, Schema
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from wenminghao.accounts.services import issue_api_token, user_for_token
from wenminghao.accounts.throttling import attempt_sign_in
from wenminghao.core.errors import NotPermitted
from wenminghao.core.http import client_ip
from wenminghao.core.roles import Role

from .errors import CSRF_MESSAGE, ApiError
from .schemas import Ref, answers

BAD_CREDENTIALS_MESSAGE = "账号或密码不正确，请检查后重试（账号可以是用户名或11位手机号）。"


class BearerTokenAuth(HttpBearer):
    """``Authorization: Bearer <token>`` with a token from ``POST /auth/token``."""

    def authenticate(self, request, token):
        user = user_for_token(token.strip()) if token and token.strip() else None
        if user is not None:
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
            return request.user
        return None


router = Router(tags=["登录与账号"])


class TokenIn(Schema):
    username: str
    password: str


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


@router.post("/auth/token", auth=None, response=answers({200: TokenOut}, 422, 429), summary="获取接口令牌")
def issue_token(request, payload: TokenIn):
    """用账号（或11位手机号）和密码换取 Bearer 令牌。同一账号在同一地址连续失败后须等待（429，Retry-After 为秒数），
    等待时间逐次加倍；未失败过的账号不受同一地址其他账号失败的影响。"""
    attempt = attempt_sign_in(request, login=payload.username, password=payload.password, ip_address=client_ip(request))
    if attempt.throttled:
        raise ApiError(429, "auth.throttled", attempt.message, headers={"Retry-After": str(attempt.retry_after)})
    if attempt.user is None:
        raise ApiError(401, "auth.invalid_credentials", BAD_CREDENTIALS_MESSAGE)
    return {"token": issue_api_token(user=attempt.user)}


@router.get("/me", response=answers({200: MeOut}), summary="当前账号")
def me(request):
    """当前账号：账号名、角色、所在单位（集体账号为其集体的归口单位）和所属集体。"""
    return request.user
