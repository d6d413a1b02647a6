"""The optional second factor of office and unit admins: an authenticator app on the phone (TOTP, RFC 6238: six digits
that change every 30 seconds), stored as django-otp's ``TOTPDevice`` (docs/decisions.md, "Second factor").

- An admin enrols on the page ``accounts:two_factor``: the page makes a new random key, keeps it in the session until
  it is confirmed (no unconfirmed device rows), shows it as a QR code and as text, and ``services.enable_two_factor``
  stores the device once a code computed from that key is typed back.
- With a device, signing in asks for a code after the password (``views.sign_in_code``), and so does
  ``POST /api/v1/auth/token``. A code is accepted once: django-otp remembers the last time step used.
- Wrong codes count like wrong passwords (``accounts.throttling``, the same limits), under their own name
  ``totp:<account>`` so that typing the right password again does not clear them.
- ``WMH_REQUIRE_2FA_FOR_ADMINS`` makes it compulsory for admins: the gate (``accounts.gates``) sends an admin without
  a device to the enrolment page before anything else.
"""

from __future__ import annotations

import base64
import logging
import secrets
import time
import unicodedata

import segno
from django.conf import settings
from django.db import transaction
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import User
from .throttling import SignInAttempt, clear_failures, record_failure, seconds_to_wait, wait_text

# INFO lines of wrong and throttled codes, beside those of the passwords (accounts.throttling); never the code.
logger = logging.getLogger("wenminghao.signin")

DIGITS = 6
STEP = 30  # seconds
TOLERANCE = 1  # one step either side: a phone clock a little off, a code typed as it changes
DEVICE_NAME = "身份验证器"
CODE_KEY_PREFIX = "totp:"


def may_use_two_factor(user) -> bool:
    """Office and unit admins may enrol; collective accounts and judges have no second factor."""
    return bool(getattr(user, "is_authenticated", False) and user.is_admin)


def two_factor_required(user) -> bool:
    return bool(settings.WMH_REQUIRE_2FA_FOR_ADMINS) and may_use_two_factor(user)


def device_of(user) -> TOTPDevice | None:
    """The account's confirmed authenticator, if any (one query)."""
    if user is None or not user.pk:
        return None
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-pk").first()


def has_device(user) -> bool:
    return bool(user is not None and user.pk and TOTPDevice.objects.filter(user=user, confirmed=True).exists())


def new_key() -> str:
    """A new secret: 20 random bytes (160 bits, RFC 4226's recommendation), hex as django-otp stores it."""
    return secrets.token_hex(20)


def manual_key(key_hex: str) -> str:
    """The key as authenticator apps take it typed in: base32, in groups of four."""
    text = base64.b32encode(bytes.fromhex(key_hex)).decode().rstrip("=")
    return " ".join(text[index:index + 4] for index in range(0, len(text), 4))


def setup_url(user: User, key_hex: str) -> str:
    """The otpauth:// address the QR code holds (issuer ``OTP_TOTP_ISSUER``, the account name as label)."""
    return TOTPDevice(user=user, key=key_hex, step=STEP, digits=DIGITS).config_url


def qr_data_uri(url: str) -> str:
    """The QR code as an SVG data: address for an <img> (the CSP allows data: images, no inline script)."""
    return segno.make(url, error="m").svg_data_uri(scale=5, border=2)


def normalise_code(code: str | None) -> str:
    """What was typed, as digits: full-width digits (a Chinese input method) become ASCII, spaces go."""
    return "".join(unicodedata.normalize("NFKC", code or "").split())


def matching_step(key_hex: str, code: str, *, after: int = -1) -> int | None:
    """The time step at which ``code`` is right for ``key_hex`` now (within the tolerance), or None."""
    code = normalise_code(code)
    if len(code) != DIGITS or not code.isdigit():
        return None
    totp = TOTP(bytes.fromhex(key_hex), STEP, 0, DIGITS, 0)
    totp.time = time.time()
    if totp.verify(int(code), TOLERANCE, after + 1):
        return totp.t()
    return None


def code_key(user: User) -> str:
    """The name wrong codes are counted under in ``LoginFailure`` (apart from the account's wrong passwords)."""
    return f"{CODE_KEY_PREFIX}{user.username.lower()}"[:150]


def attempt_code(*, user: User, code: str, ip_address: str | None) -> SignInAttempt:
    """Check a code of ``user``'s authenticator under the sign-in throttling rules: a throttled pair (account, address)
    is refused before the code is looked at; a wrong code is recorded as a failure, a right one clears the pair's
    failures and is used up (the device's ``last_t``, under a row lock, so two requests cannot both use it)."""
    key = code_key(user)
    wait = seconds_to_wait(key=key, ip_address=ip_address)
    if wait:
        logger.info("second factor throttled: %s from %s, %s s to wait", key, ip_address, wait,
                    extra={"login": key, "ip_address": ip_address, "retry_after": wait})
        return SignInAttempt(user=None, retry_after=wait)
    code = normalise_code(code)
    with transaction.atomic():
        device = (TOTPDevice.objects.select_for_update(no_key=True).filter(user=user, confirmed=True)
                  .order_by("-pk").first())
        verified = device is not None and len(code) == DIGITS and code.isdigit() and device.verify_token(code)
    if not verified:
        record_failure(key=key, ip_address=ip_address)
        logger.info("second factor failed: %s from %s", key, ip_address, extra={"login": key, "ip_address": ip_address})
        return SignInAttempt(user=None)
    clear_failures(key=key, ip_address=ip_address)
    return SignInAttempt(user=user)


INVALID_CODE_MESSAGE = (
    "验证码不正确或已使用：请输入手机身份验证器中“青年文明号”当前显示的6位数字（每30秒更新一次，每组数字只能使用一次）。"
)


def code_throttle_message(seconds: int) -> str:
    return (f"验证码错误次数较多，为保护账号安全，请{wait_text(seconds)}后再试；"
            "如手机丢失或无法获取验证码，请联系上级团委管理员移除两步验证。")
