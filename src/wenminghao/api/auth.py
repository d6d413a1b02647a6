"""Who is calling: bearer tokens for integrations, the signed-in session for same-site pages.

``POST /auth/token`` exchanges an account name (or 11-digit mobile number) and password for a
bearer token. Failures count against the same per-name and per-address limits as the sign-in page;
past them the answer is 429 until the window has passed.
"""

from django.conf import settings
from django.contrib.auth import authenticate
from ninja import Router, Schema
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from wenminghao.accounts.enums import Role
from wenminghao.accounts.services import (
    clear_login_failures,
    is_login_throttled,
    issue_api_token,
    record_login_failure,
    throttle_message,
    user_for_token,
)
from wenminghao.core.errors import NotPermitted
from wenminghao.core.http import client_ip

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
    """用账号（或11位手机号）和密码换取 Bearer 令牌。连续失败过多时返回 429。"""
    ip = client_ip(request)
    if is_login_throttled(login=payload.username, ip_address=ip):
        raise ApiError(
            429, "auth.throttled", throttle_message(),
            headers={"Retry-After": str(settings.WMH_LOGIN_WINDOW_SECONDS)},
        )
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None:
        record_login_failure(login=payload.username, ip_address=ip)
        raise ApiError(401, "auth.invalid_credentials", BAD_CREDENTIALS_MESSAGE)
    clear_login_failures(login=payload.username)
    return {"token": issue_api_token(user=user)}


@router.get("/me", response=answers({200: MeOut}), summary="当前账号")
def me(request):
    """当前账号：账号名、角色、所在单位（集体账号为其集体的归口单位）和所属集体。"""
    return request.user
