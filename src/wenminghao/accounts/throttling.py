"""Sign-in throttling: slow an attacker down, never lock a colleague out (docs/decisions.md, "Sign-in throttling").

League offices sit behind one NAT address, and behind the reverse proxy every request would carry the proxy's
address if wsgi.py did not take the client's from X-Forwarded-For. So failures are counted per *pair* of account
name and address, and the address alone never refuses anyone:

- A pair may fail ``WMH_LOGIN_MAX_FAILURES`` times within the window; after the n-th failure beyond that the next
  try waits ``WMH_LOGIN_DELAY_SECONDS × 2^(n − max)`` seconds (30 s, 1, 2, 4, 8 min…), at most the window.
- An address with ``WMH_LOGIN_MAX_FAILURES_PER_IP`` failures for any names, or an account with
  ``WMH_LOGIN_MAX_FAILURES_PER_ACCOUNT`` failures from any addresses, is under attack: its pairs wait after their
  first failure already. Someone trying many names from one address so gets one guess per name and window.
- A pair without failures is always checked: the right password of an account that has not failed from this
  address gets in, whatever others did from it.

A wait is an answer (429 with ``Retry-After``), not a pause: no worker thread sleeps. The web form and the API
token call both go through ``attempt_sign_in``. Failures live in the database so several app servers agree.
"""

from __future__ import annotations

import datetime
import logging
import math
import re
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import authenticate
from django.db.models import Count, Max, Q
from django.utils import timezone

from .models import LoginFailure, User

MOBILE = re.compile(r"^1\d{10}$")
# INFO lines of refused sign-ins (the name tried, never the password) and of throttled ones.
logger = logging.getLogger("wenminghao.signin")


@dataclass(frozen=True)
class SignInAttempt:
    """What came of a sign-in: the account (None when refused), and the seconds to wait when throttled."""

    user: User | None
    retry_after: int = 0

    @property
    def throttled(self) -> bool:
        return self.retry_after > 0

    @property
    def message(self) -> str:
        return throttle_message(self.retry_after)


def login_key(login: str) -> str:
    """The name failures are counted under: the account name in lower case; a mobile number counts as its
    account's name, so switching between the two gives no more tries."""
    key = (login or "").strip().lower()[:150]
    if MOBILE.match(key):
        username = User.objects.filter(mobile=key).values_list("username", flat=True).first()
        if username:
            return username.lower()
    return key


def _window() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.WMH_LOGIN_WINDOW_SECONDS)


def seconds_to_wait(*, key: str, ip_address: str | None, now: datetime.datetime | None = None) -> int:
    """How many seconds this account name must wait before trying again from this address (0: it may try now).
    One query."""
    now = now or timezone.now()
    pair = Q(login=key, ip_address=ip_address)
    counts = (LoginFailure.objects.filter(created_at__gte=now - _window())
              .filter(Q(login=key) | Q(ip_address=ip_address))
              .aggregate(pair=Count("pk", filter=pair), last=Max("created_at", filter=pair),
                         address=Count("pk", filter=Q(ip_address=ip_address)),
                         account=Count("pk", filter=Q(login=key))))
    failures = counts["pair"]
    if not failures:
        return 0
    under_attack = (counts["address"] >= settings.WMH_LOGIN_MAX_FAILURES_PER_IP
                    or counts["account"] >= settings.WMH_LOGIN_MAX_FAILURES_PER_ACCOUNT)
    allowed = 1 if under_attack else max(1, settings.WMH_LOGIN_MAX_FAILURES)
    if failures < allowed:
        return 0
    delay = min(settings.WMH_LOGIN_WINDOW_SECONDS,
                settings.WMH_LOGIN_DELAY_SECONDS * 2 ** min(failures - allowed, 30))
    remaining = (counts["last"] + datetime.timedelta(seconds=delay) - now).total_seconds()
    return max(0, math.ceil(remaining))


def record_failure(*, key: str, ip_address: str | None) -> None:
    LoginFailure.objects.create(login=key, ip_address=ip_address)
    LoginFailure.objects.filter(created_at__lt=timezone.now() - _window() - datetime.timedelta(days=1)).delete()


def clear_failures(*, key: str, ip_address: str | None) -> None:
    """A successful sign-in forgets the pair's failures (not the account's from elsewhere)."""
    LoginFailure.objects.filter(login=key, ip_address=ip_address).delete()


def forget_account_failures(account: User) -> None:
    """A new password (set by the person or reset by an admin above) forgets the account's failures from every
    address, so the person can sign in at once."""
    LoginFailure.objects.filter(login=account.username.lower()).delete()


def attempt_sign_in(request, *, login: str, password: str, ip_address: str | None) -> SignInAttempt:
    """Check a sign-in under the throttling rules. A throttled pair is refused before its password is checked;
    otherwise a wrong password is recorded as a failure and a right one clears the pair's failures."""
    key = login_key(login)
    wait = seconds_to_wait(key=key, ip_address=ip_address)
    if wait:
        logger.info("sign-in throttled: %s from %s, %s s to wait", key, ip_address, wait,
                    extra={"login": key, "ip_address": ip_address, "retry_after": wait})
        return SignInAttempt(user=None, retry_after=wait)
    user = authenticate(request, username=login, password=password)
    if user is None:
        record_failure(key=key, ip_address=ip_address)
        logger.info("sign-in failed: %s from %s", key, ip_address, extra={"login": key, "ip_address": ip_address})
        return SignInAttempt(user=None)
    clear_failures(key=key, ip_address=ip_address)
    return SignInAttempt(user=user)


def wait_text(seconds: int) -> str:
    """30秒, 2分钟 (minutes rounded up), for the messages."""
    if seconds < 60:
        return f"{max(1, seconds)}秒"
    return f"{math.ceil(seconds / 60)}分钟"


def throttle_message(seconds: int) -> str:
    return (f"该账号在本网络的登录失败次数较多，为保护账号安全，请{wait_text(seconds)}后再试；"
            "如忘记密码，请联系上级管理员重置。")
