import datetime
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils import timezone

from wenminghao.core.audit import record_audit, snapshot
from wenminghao.core.roles import Role

from .models import ApiToken, User
from .throttling import forget_account_failures

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
) -> User:
    """Create an account. The password is checked against the validators unless ``validate`` is False
    (demo data only) and stored with the project's hasher (Argon2)."""
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
    """Set a new password (own change, or reset by an admin above); ends the account's API tokens and forgets its
    failed sign-ins (accounts.throttling)."""
    validate_password(password, account)
    account.set_password(password)
    account.save(update_fields=["password"])
    ApiToken.objects.filter(user=account).delete()
    forget_account_failures(account)
    action = "account.change_password" if actor is not None and actor.pk == account.pk else "account.reset_password"
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
