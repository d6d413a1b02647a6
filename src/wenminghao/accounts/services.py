import datetime
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from wenminghao.core.audit import record_audit, snapshot
from wenminghao.core.errors import NotPermitted, RuleViolationError
from wenminghao.core.roles import Role

from .models import ApiToken, User
from .throttling import forget_account_failures
from .twofactor import DEVICE_NAME, DIGITS, STEP, TOLERANCE, matching_step, may_use_two_factor

ACCOUNT_FIELDS = ("username", "display_name", "mobile", "role", "unit", "collective", "is_delegate", "is_active")


def _audit_path(account: User) -> str:
    home = account.home_unit
    return home.path if home is not None else "/"


@transaction.atomic
def create_account(
    *,
    actor,
    username: str,
    password: str,
    role: str,
    unit=None,
    collective=None,
    display_name: str = "",
    mobile: str | None = None,
    is_delegate: bool = False,
    validate: bool = True,
    must_change_password: bool | None = None,
) -> User:
    """Create an account. The password is checked against the validators unless ``validate`` is False
    (demo data only) and stored with the project's hasher (Argon2).

    An account an admin creates (``actor`` given) must change its password at first sign-in
    (``must_change_password``, accounts.gates); one made without an actor (``manage.py create_office``, where the
    person types their own password, and the demo data, whose accounts keep the published demo password) need not,
    unless ``must_change_password`` says otherwise."""
    if must_change_password is None:
        must_change_password = actor is not None
    if role == Role.COLLECTIVE:
        unit = None
    account = User(
        username=username,
        role=role,
        unit=unit,
        collective=collective,
        display_name=display_name,
        mobile=mobile or None,
        is_delegate=is_delegate,
        must_change_password=must_change_password,
    )
    if validate:
        validate_password(password, account)
    account.set_password(password)
    account.full_clean(exclude=["password"])
    account.save()
    record_audit(
        actor=actor, action="account.create", target=account, unit_path=_audit_path(account),
        after=snapshot(account, ACCOUNT_FIELDS),
    )
    return account


@transaction.atomic
def set_password(*, actor, account: User, password: str) -> User:
    """Set a new password (own change, or reset by an admin above).

    Side effects: every session of the account ends (Django checks a hash of the password on each request; the view
    of an own change keeps its own session with ``update_session_auth_hash``); its API tokens are deleted; its failed
    sign-ins are forgotten (accounts.throttling). A reset by someone else makes the person change the password at next
    sign-in (``must_change_password``); their own change clears that."""
    validate_password(password, account)
    own = actor is not None and actor.pk == account.pk
    account.set_password(password)
    account.must_change_password = actor is not None and not own
    account.save(update_fields=["password", "must_change_password"])
    ApiToken.objects.filter(user=account).delete()
    forget_account_failures(account)
    action = "account.change_password" if own else "account.reset_password"
    record_audit(actor=actor, action=action, target=account, unit_path=_audit_path(account))
    return account


@transaction.atomic
def set_account_active(*, actor, account: User, active: bool) -> User:
    before = {"is_active": account.is_active}
    account.is_active = active
    account.save(update_fields=["is_active"])
    if not active:
        ApiToken.objects.filter(user=account).delete()
    record_audit(
        actor=actor, action="account.activate" if active else "account.deactivate", target=account,
        unit_path=_audit_path(account), before=before, after={"is_active": active},
    )
    return account


# --- the second factor (accounts/twofactor.py) ----------------------------------------------------------

INVALID_ENROL_CODE = ("验证码不正确：请输入身份验证器中刚添加的“青年文明号”当前显示的6位数字；"
                      "如仍不正确，请确认手机时间准确（设为自动），或删除后重新扫码。")


@transaction.atomic
def enable_two_factor(*, actor: User, key: str, code: str) -> TOTPDevice:
    """The admin ``actor`` enrols an authenticator whose key the enrolment page showed: ``code`` must be right for
    ``key`` now (``two_factor.invalid_code`` otherwise, nothing written). Replaces an earlier device of the account;
    the code just typed is used up. From the next sign-in a code is asked after the password. Audited
    (``account.enable_two_factor``)."""
    if not may_use_two_factor(actor):
        raise NotPermitted("只有团委管理员和归口单位管理员可以启用两步验证。")
    step = matching_step(key, code)
    if step is None:
        raise RuleViolationError.single("two_factor.invalid_code", INVALID_ENROL_CODE, "code")
    TOTPDevice.objects.filter(user=actor).delete()
    device = TOTPDevice.objects.create(user=actor, name=DEVICE_NAME, key=key, confirmed=True, step=STEP,
                                       digits=DIGITS, tolerance=TOLERANCE, last_t=step)
    record_audit(actor=actor, action="account.enable_two_factor", target=actor, unit_path=_audit_path(actor))
    return device


@transaction.atomic
def remove_two_factor(*, actor, account: User) -> None:
    """Remove the account's authenticator: the admin themself (the page has checked a current code first), an office
    admin above the account (``accounts.reset_two_factor``: the recovery when the phone is lost), or nobody
    (``actor=None``: ``manage.py remove_two_factor``). The next sign-in asks for the password only, or, with
    ``WMH_REQUIRE_2FA_FOR_ADMINS``, to enrol again. Audited: ``account.disable_two_factor`` (own),
    ``account.reset_two_factor`` (by someone else)."""
    own = actor is not None and actor.pk == account.pk
    if actor is not None and not own and not actor.has_perm("accounts.reset_two_factor", account):
        raise NotPermitted("只有该账号的上级团委（市级或省级）管理员可以移除其两步验证。")
    deleted, _ = TOTPDevice.objects.filter(user=account).delete()
    if not deleted:
        raise RuleViolationError.single("two_factor.not_enabled", f"账号“{account.username}”未启用两步验证，无需移除。")
    action = "account.disable_two_factor" if own else "account.reset_two_factor"
    record_audit(actor=actor, action=action, target=account, unit_path=_audit_path(account))


# --- API tokens ---------------------------------------------------------------------------------

def hash_token(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def issue_api_token(*, user: User) -> str:
    """A new bearer token for ``user``; only its hash is stored. Returns the token itself."""
    key = secrets.token_urlsafe(32)
    ApiToken.objects.create(
        user=user,
        key_hash=hash_token(key),
        expires_at=timezone.now() + datetime.timedelta(days=settings.WMH_API_TOKEN_DAYS),
    )
    return key


def user_for_token(key: str) -> User | None:
    token = (
        ApiToken.objects.select_related("user", "user__unit", "user__collective__unit")
        .filter(key_hash=hash_token(key), expires_at__gt=timezone.now(), user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > datetime.timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
