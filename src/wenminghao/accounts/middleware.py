"""Sessions of signed-in pages: how long they last, and what an account must do first.

``IdleSessionMiddleware`` signs a page session out after ``WMH_SESSION_IDLE_MINUTES`` without a request, and after
``SESSION_COOKIE_AGE`` from sign-in whatever the activity (the absolute limit: the session is written once a minute,
which would otherwise push its expiry forward). The last activity is written at most once a minute, so a page
that makes many requests does not write the session on each. API calls with a bearer token carry no session and
are not concerned; those made with the page's session count as activity, like the page.

``AccountGateMiddleware`` sends an account that must change its password, or an admin that must enrol a second
factor (``accounts.gates``), to that page from every other page except signing out and static files. The API
answers 403 in its error shape instead (``api.auth``).
"""

from __future__ import annotations

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from wenminghao.core.http import is_htmx

from . import gates

LAST_ACTIVITY = "_wmh_last_activity"
SIGNED_IN_AT = "_wmh_signed_in_at"
WRITE_EVERY_SECONDS = 60
API_PREFIX = "/api/"


def idle_message() -> str:
    return f"由于长时间未操作，您已退出登录（超过{settings.WMH_SESSION_IDLE_MINUTES}分钟无操作），请重新登录。"


def absolute_message() -> str:
    hours = settings.SESSION_COOKIE_AGE / 3600
    span = f"{hours:g}小时" if hours >= 1 else f"{settings.SESSION_COOKIE_AGE // 60}分钟"
    return f"您本次登录已超过{span}，为保护账号安全已自动退出，请重新登录。"


def start_session_clocks(sender, request, user, **kwargs) -> None:
    """On sign-in (``user_logged_in``): the session's last activity and sign-in time are now."""
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[LAST_ACTIVITY] = now
        request.session[SIGNED_IN_AT] = now


def _to_sign_in(request) -> HttpResponse:
    """Where a signed-out request goes: the sign-in page, back to this page afterwards when it was a page view."""
    login_url = reverse("accounts:login")
    if request.method == "GET" and not is_htmx(request):
        login_url += "?" + urlencode({"next": request.get_full_path()})
    if is_htmx(request):
        response = HttpResponse(status=200)
        response["HX-Redirect"] = login_url
        return response
    return redirect(login_url)


class IdleSessionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            # no session to end (nor to read: reading it would add "Vary: Cookie" to the public pages)
            return self.get_response(request)
        session = request.session
        if session.get(SESSION_KEY) is not None:
            expired = self._check(session)
            if expired:
                logout(request)
                messages.info(request, expired)
                if not request.path_info.startswith(API_PREFIX):
                    return _to_sign_in(request)
                # the API goes on without the session: 401 in its error shape
        response = self.get_response(request)
        if LAST_ACTIVITY not in session and session.get(SESSION_KEY) is not None:
            # a session from before this middleware: its clocks start now (sign-ins start them: start_session_clocks)
            start_session_clocks(None, request, None)
        return response

    @staticmethod
    def _check(session) -> str | None:
        """The message when the session has ended, else None (and the activity noted, at most once a minute)."""
        now = int(time.time())
        last = session.get(LAST_ACTIVITY)
        started = session.get(SIGNED_IN_AT, last)
        if last is None:
            return None  # started after the response
        idle = settings.WMH_SESSION_IDLE_MINUTES * 60
        if idle > 0 and now - last > idle:
            return idle_message()
        if started is not None and now - started > settings.SESSION_COOKIE_AGE:
            return absolute_message()
        if now - last >= WRITE_EVERY_SECONDS:
            session[LAST_ACTIVITY] = now
        return None


class AccountGateMiddleware:
    # the pages each step leaves open (besides signing out and static files)
    OPEN_PAGES = {gates.PASSWORD_CHANGE: ("accounts:password_change",),
                  gates.TWO_FACTOR_ENROL: ("accounts:two_factor", "accounts:password_change")}
    TARGET = {gates.PASSWORD_CHANGE: "accounts:password_change", gates.TWO_FACTOR_ENROL: "accounts:two_factor"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if (settings.SESSION_COOKIE_NAME not in request.COOKIES or path.startswith((API_PREFIX, settings.STATIC_URL))
                or not request.user.is_authenticated):
            return self.get_response(request)
        step = gates.required_step(request.user)
        if step is None or path in {reverse(name) for name in (*self.OPEN_PAGES[step], "accounts:logout")}:
            return self.get_response(request)
        target = reverse(self.TARGET[step])
        if is_htmx(request):
            response = HttpResponse(status=200)
            response["HX-Redirect"] = target
            return response
        messages.warning(request, gates.PAGE_MESSAGES[step])
        return redirect(target)
