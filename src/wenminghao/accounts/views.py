import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from wenminghao.collectives.forms import DelegateForm
from wenminghao.collectives.selectors import collectives_visible_to
from wenminghao.collectives.views import render_collective_page
from wenminghao.core.errors import RuleViolationError
from wenminghao.core.forms import violations_into_form
from wenminghao.core.http import client_ip, get_object_for, get_visible_or_404, paginate, safe_next
from wenminghao.core.roles import Role

from . import selectors, services, twofactor
from .forms import AccountCreateForm, AccountFilterForm, AccountPasswordResetForm, CodeForm, SignInForm
from .models import User

BACKEND = "wenminghao.accounts.backends.UsernameOrMobileBackend"
# Between the password and the code of the second factor the session remembers who is signing in, for a while.
PENDING_USER = "_wmh_2fa_user"
PENDING_AT = "_wmh_2fa_at"
PENDING_NEXT = "_wmh_2fa_next"
PENDING_SECONDS = 300
ENROL_KEY = "_wmh_2fa_enrol_key"


def sign_in(request):
    if request.user.is_authenticated:
        return redirect("workbench:home")
    form = SignInForm(request, data=request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            target = safe_next(request, reverse("workbench:home"))
            if twofactor.device_of(form.user) is not None:
                # the password was right; the account is signed in only once the code is
                request.session[PENDING_USER] = form.user.pk
                request.session[PENDING_AT] = int(time.time())
                request.session[PENDING_NEXT] = target
                return redirect("accounts:login_code")
            auth_login(request, form.user, backend=BACKEND)
            return redirect(target)
        status = 429 if form.throttled else 200
    response = render(request, "accounts/login.html", {"form": form, "next": request.GET.get("next", "")},
                      status=status)
    if form.throttled:
        response["Retry-After"] = str(form.retry_after)
    return response


def _pending_user(request) -> User | None:
    pk, started = request.session.get(PENDING_USER), request.session.get(PENDING_AT, 0)
    if pk is None or int(time.time()) - started > PENDING_SECONDS:
        return None
    return User.objects.filter(pk=pk, is_active=True).first()


def _end_pending(request) -> str:
    for key in (PENDING_USER, PENDING_AT):
        request.session.pop(key, None)
    return request.session.pop(PENDING_NEXT, "") or reverse("workbench:home")


def sign_in_code(request):
    """The second step of signing in for an account with an authenticator: its 6-digit code, throttled like the
    password (accounts.twofactor.attempt_code). Open for five minutes after the right password."""
    if request.user.is_authenticated:
        return redirect("workbench:home")
    user = _pending_user(request)
    if user is None:
        if request.session.get(PENDING_USER) is not None:
            _end_pending(request)
            messages.info(request, "输入验证码已超时（超过5分钟），请重新输入账号和密码。")
        return redirect("accounts:login")
    form = CodeForm(request.POST or None)
    status, retry_after = 200, 0
    if request.method == "POST" and form.is_valid():
        attempt = twofactor.attempt_code(user=user, code=form.cleaned_data["code"], ip_address=client_ip(request))
        if attempt.throttled:
            status, retry_after = 429, attempt.retry_after
            form.add_error(None, twofactor.code_throttle_message(attempt.retry_after))
        elif attempt.user is None:
            form.add_error("code", twofactor.INVALID_CODE_MESSAGE)
        else:
            target = _end_pending(request)
            auth_login(request, user, backend=BACKEND)
            return redirect(target)
    response = render(request, "accounts/login_code.html", {"form": form, "pending_user": user}, status=status)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


@require_POST
def sign_out(request):
    auth_logout(request)
    messages.info(request, "您已安全退出。")
    return redirect("accounts:login")


@login_required
def password_change(request):
    """One's own password. Every other session of the account ends (this one stays signed in); so do its API tokens.
    An account whose password an admin set (``must_change_password``) comes here first and may not keep it."""
    user = request.user
    forced = user.must_change_password
    form = PasswordChangeForm(user, data=request.POST or None)
    for field in form.fields.values():
        field.widget.attrs["class"] = "form-control"
    if request.method == "POST" and form.is_valid():
        if forced and form.cleaned_data["new_password1"] == form.cleaned_data["old_password"]:
            form.add_error("new_password1", "新密码不能与管理员设置的密码相同，请另设一个只有您知道的密码。")
        else:
            services.set_password(actor=user, account=user, password=form.cleaned_data["new_password1"])
            update_session_auth_hash(request, user)
            messages.success(request, "密码已修改，您在其他设备或浏览器上的登录已退出，原有的接口令牌已失效。")
            return redirect("workbench:home")
    return render(request, "accounts/password_change.html", {"form": form, "forced": forced})


# --- the second factor (accounts/twofactor.py) ----------------------------------------------------------

@login_required
def two_factor(request):
    """An admin's second factor: enrol an authenticator (QR code and key, confirmed with a code), or see it and
    turn it off. The key waits in the session until confirmed; reloading the page shows the same one."""
    user = request.user
    if not twofactor.may_use_two_factor(user):
        raise Http404("未找到该内容，或您无权查看。")
    context = {"required": twofactor.two_factor_required(user), "issuer": settings.OTP_TOTP_ISSUER}
    device = twofactor.device_of(user)
    if device is not None:
        return render(request, "accounts/two_factor.html", {**context, "device": device, "form": CodeForm()})
    key = request.session.get(ENROL_KEY)
    if not key:
        key = request.session[ENROL_KEY] = twofactor.new_key()
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.enable_two_factor(actor=user, key=key, code=form.cleaned_data["code"])
        except RuleViolationError as error:
            violations_into_form(form, error)
        else:
            request.session.pop(ENROL_KEY, None)
            messages.success(request, "已启用两步验证：以后登录时，输入密码后还须输入身份验证器中的6位数字。")
            return redirect("accounts:two_factor")
    url = twofactor.setup_url(user, key)
    return render(request, "accounts/two_factor.html", {
        **context, "device": None, "form": form, "qr_code": twofactor.qr_data_uri(url),
        "manual_key": twofactor.manual_key(key)})


@login_required
@require_POST
def two_factor_disable(request):
    """Turn one's own second factor off, with a current code (throttled like signing in)."""
    user = request.user
    if not twofactor.may_use_two_factor(user):
        raise Http404("未找到该内容，或您无权查看。")
    device = twofactor.device_of(user)
    if device is None:
        messages.info(request, "您尚未启用两步验证。")
        return redirect("accounts:two_factor")
    form = CodeForm(request.POST)
    status = 200
    if form.is_valid():
        attempt = twofactor.attempt_code(user=user, code=form.cleaned_data["code"], ip_address=client_ip(request))
        if attempt.throttled:
            status = 429
            form.add_error(None, twofactor.code_throttle_message(attempt.retry_after))
        elif attempt.user is None:
            form.add_error("code", twofactor.INVALID_CODE_MESSAGE)
        else:
            services.remove_two_factor(actor=user, account=user)
            text = "已关闭两步验证。"
            if twofactor.two_factor_required(user):
                text += "本平台要求管理员启用两步验证，请重新绑定身份验证器。"
            messages.success(request, text)
            return redirect("accounts:two_factor")
    return render(request, "accounts/two_factor.html", {
        "device": device, "form": form, "required": twofactor.two_factor_required(user),
        "issuer": settings.OTP_TOTP_ISSUER}, status=status)


# --- account management by the admins above ------------------------------------------------------

def _require_account_admin(user) -> None:
    # Collective accounts and judges have no subtree: the account pages do not exist for them.
    if not user.has_perm("accounts.list_accounts"):
        raise Http404("未找到该内容，或您无权查看。")


def _managed_account(request, pk):
    """A visible account the signed-in admin may manage: invisible answers 404, visible but not
    managed (own unit's colleagues, oneself) answers 403."""
    _require_account_admin(request.user)
    return get_object_for(request.user,
                          selectors.accounts_visible_to(request.user).select_related("unit", "collective__unit"), pk,
                          "accounts.manage_account", denied="该账号由其上级团委管理员管理，您不能修改它。")


@login_required
def account_list(request):
    """Accounts of the admin's subtree, filtered and paginated in the database (constant queries)."""
    user = request.user
    _require_account_admin(user)
    form = AccountFilterForm(request.GET or None, user=user)
    page = paginate(request, selectors.account_list(user, **form.filters()), per_page=50)
    for account in page["object_list"]:
        account.can_manage = user.has_perm("accounts.manage_account", account)
    return render(request, "accounts/list.html", {"form": form, **page})


@login_required
def account_create(request):
    user = request.user
    _require_account_admin(user)
    initial = {}
    if request.GET.get("unit"):
        initial["unit"] = request.GET["unit"]
    if request.GET.get("collective"):
        initial.update(collective=request.GET["collective"], role=Role.COLLECTIVE)
    form = AccountCreateForm(request.POST or None, actor=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            account = services.create_account(
                actor=user, username=data["username"], password=data["password1"], role=data["role"],
                unit=data["unit"], collective=data["collective"], display_name=data["display_name"],
                mobile=data["mobile"],
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, f"已创建账号“{account.username}”（{account.get_role_display()}），"
                                      "请通过安全渠道将初始密码告知本人，并提醒其登录后修改。")
            return redirect(f"{reverse('accounts:list')}?{urlencode({'q': account.username})}")
    return render(request, "accounts/form.html", {"form": form})


@login_required
def account_reset_password(request, pk):
    """An admin above sets a new password (typed twice); the account's API tokens end and its
    failed sign-in count is cleared, so the person can sign in at once."""
    account = _managed_account(request, pk)
    form = AccountPasswordResetForm(account, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.set_password(actor=request.user, account=account, password=form.cleaned_data["new_password1"])
        messages.success(request, f"已为账号“{account.username}”重置密码，请通过安全渠道告知本人；"
                                  "其原有登录已全部退出，下次登录时须先修改密码。")
        return redirect(f"{reverse('accounts:list')}?{urlencode({'q': account.username})}")
    return render(request, "accounts/reset_password.html", {
        "form": form, "account": account,
        "has_two_factor": account.is_admin and twofactor.has_device(account),
        "may_reset_two_factor": request.user.has_perm("accounts.reset_two_factor", account)})


@require_POST
@login_required
def account_reset_two_factor(request, pk):
    """The recovery of a lost phone: an office admin above the account removes its second factor (audited)."""
    account = _managed_account(request, pk)
    try:
        services.remove_two_factor(actor=request.user, account=account)
    except RuleViolationError as error:
        for violation in error.violations:
            messages.error(request, violation.message)
    else:
        messages.success(request, f"已移除账号“{account.username}”的两步验证：其下次登录只需密码"
                                  f"{'，随后须重新绑定身份验证器' if twofactor.two_factor_required(account) else ''}。")
    return redirect("accounts:reset_password", account.pk)


@require_POST
@login_required
def account_set_active(request, pk):
    account = _managed_account(request, pk)
    active = request.POST.get("active") == "1"
    services.set_account_active(actor=request.user, account=account, active=active)
    if active:
        messages.success(request, f"已启用账号“{account.username}”。")
    else:
        messages.success(request, f"已停用账号“{account.username}”，该账号将无法登录。")
    return redirect(safe_next(request, reverse("accounts:list")))


# --- a collective's delegate accounts (shown on the collective's page) ---------------------------------------


def _collective_for_delegates(user, pk: int):
    return get_object_for(user, collectives_visible_to(user).select_related("unit"), pk,
                          "collectives.manage_delegates", denied="只有号长或归口单位管理员可以管理成员账号。")


@login_required
@require_POST
def delegate_create(request, pk: int):
    """The leader (or an admin above) creates a member account that fills in records for the collective."""
    user = request.user
    collective = _collective_for_delegates(user, pk)
    form = DelegateForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            account = services.create_account(
                actor=user, username=data["username"], password=data["password1"], role=Role.COLLECTIVE,
                collective=collective, display_name=data["display_name"], mobile=data["mobile"] or None,
                is_delegate=True,
            )
        except ValidationError as error:
            _add_account_errors(form, error)
        else:
            messages.success(request, f"已为{account.display_name}创建成员账号“{account.username}”。")
            return redirect("collectives:detail", collective.pk)
    return render_collective_page(request, collective.pk, delegate_form=form)


def _add_account_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            target = name if name in form.fields else ("password1" if name == "password" else None)
            for item in errors:
                form.add_error(target, item)
    else:
        form.add_error("password1", error)


@login_required
@require_POST
def delegate_set_active(request, pk: int, account_id: int):
    user = request.user
    collective = _collective_for_delegates(user, pk)
    account = get_visible_or_404(collective.accounts.filter(is_delegate=True), pk=account_id)
    active = request.POST.get("active") == "1"
    services.set_account_active(actor=user, account=account, active=active)
    name = account.display_name or account.username
    messages.success(request, f"已{'启用' if active else '停用'}成员账号“{name}”。")
    return redirect("collectives:detail", collective.pk)
