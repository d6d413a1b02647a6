from urllib.parse import urlencode

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
from wenminghao.core.http import get_object_for, get_visible_or_404, paginate, safe_next
from wenminghao.core.roles import Role

from . import selectors, services
from .forms import AccountCreateForm, AccountFilterForm, AccountPasswordResetForm, SignInForm


def sign_in(request):
    if request.user.is_authenticated:
        return redirect("workbench:home")
    form = SignInForm(request, data=request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            auth_login(request, form.user, backend="wenminghao.accounts.backends.UsernameOrMobileBackend")
            return redirect(safe_next(request, reverse("workbench:home")))
        status = 429 if form.throttled else 200
    response = render(request, "accounts/login.html", {"form": form, "next": request.GET.get("next", "")},
                      status=status)
    if form.throttled:
        response["Retry-After"] = str(form.retry_after)
    return response


@require_POST
def sign_out(request):
    auth_logout(request)
    messages.info(request, "您已安全退出。")
    return redirect("accounts:login")


@login_required
def password_change(request):
    form = PasswordChangeForm(request.user, data=request.POST or None)
    for field in form.fields.values():
        field.widget.attrs["class"] = "form-control"
    if request.method == "POST" and form.is_valid():
        services.set_password(actor=request.user, account=request.user, password=form.cleaned_data["new_password1"])
        update_session_auth_hash(request, request.user)
        messages.success(request, "密码已修改。")
        return redirect("workbench:home")
    return render(request, "accounts/password_change.html", {"form": form})


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
        messages.success(request, f"已为账号“{account.username}”重置密码，请通过安全渠道告知本人。")
        return redirect(f"{reverse('accounts:list')}?{urlencode({'q': account.username})}")
    return render(request, "accounts/reset_password.html", {"form": form, "account": account})


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
