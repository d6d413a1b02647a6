"""What a signed-in account must do before anything else, for pages (``middleware.AccountGateMiddleware``) and the API
(``api.auth``) alike:

1. change its password, when an admin created the account or reset its password (``User.must_change_password``);
2. enrol an authenticator, when ``WMH_REQUIRE_2FA_FOR_ADMINS`` is on and the account is an admin without one.
"""

from __future__ import annotations

from .twofactor import has_device, two_factor_required

PASSWORD_CHANGE = "password_change"
TWO_FACTOR_ENROL = "two_factor_enrol"

PAGE_MESSAGES = {
    PASSWORD_CHANGE: "您的密码由管理员设置，为保护账号安全，请先修改密码，然后即可使用平台的其他功能。",
    TWO_FACTOR_ENROL: ("本平台要求管理员账号启用两步验证：请先用手机上的身份验证器扫码绑定，"
                       "然后即可使用平台的其他功能。"),
}
API_CODES = {PASSWORD_CHANGE: "auth.password_change_required", TWO_FACTOR_ENROL: "auth.two_factor_required"}
API_MESSAGES = {
    PASSWORD_CHANGE: "您的密码由管理员设置，须先在网页上登录并修改密码（/accounts/password/），然后才能使用接口。",
    TWO_FACTOR_ENROL: ("本平台要求管理员账号启用两步验证，须先在网页上登录并绑定身份验证器（/accounts/2fa/），"
                       "然后才能使用接口。"),
}


def required_step(user) -> str | None:
    """The step ``user`` must take first (PASSWORD_CHANGE, TWO_FACTOR_ENROL), or None. No query unless the second
    factor is compulsory and ``user`` is an admin (then one)."""
    if user is None or not user.is_authenticated:
        return None
    if user.must_change_password:
        return PASSWORD_CHANGE
    if two_factor_required(user) and not has_device(user):
        return TWO_FACTOR_ENROL
    return None
