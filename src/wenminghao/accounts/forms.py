import re

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.db.models import Q

from wenminghao.collectives.selectors import collectives_visible_to
from wenminghao.core.forms import style_form
from wenminghao.core.http import client_ip
from wenminghao.core.roles import Role
from wenminghao.orgs.enums import OFFICE_KINDS
from wenminghao.orgs.forms import unit_tree_field
from wenminghao.orgs.selectors import units_visible_to

from .models import User, mobile_validator
from .throttling import attempt_sign_in
from .twofactor import DIGITS, normalise_code

mobile_pattern = re.compile(r"^1\d{10}$")


class SignInForm(forms.Form):
    """Sign in with account name or mobile number. Failures are counted per name and per address."""
    login = forms.CharField(label="账号或手机号", max_length=150, widget=forms.TextInput(
        attrs={"class": "form-control", "autocomplete": "username", "autofocus": True}))
    password = forms.CharField(label="密码", strip=False, widget=forms.PasswordInput(
        attrs={"class": "form-control", "autocomplete": "current-password"}))

    def __init__(self, request, *args, **kwargs):
        self.request = request
        self.user = None
        self.throttled = False
        self.retry_after = 0
        super().__init__(*args, **kwargs)

    def clean(self):
        login = self.cleaned_data.get("login", "")
        password = self.cleaned_data.get("password")
        if not login or password is None:
            return self.cleaned_data
        attempt = attempt_sign_in(self.request, login=login, password=password, ip_address=client_ip(self.request))
        if attempt.throttled:
            self.throttled = True
            self.retry_after = attempt.retry_after
            raise forms.ValidationError(attempt.message, code="throttled")
        if attempt.user is None:
            raise forms.ValidationError(
                "账号或密码不正确，请检查后重试（账号可以是用户名或11位手机号）。", code="invalid"
            )
        self.user = attempt.user
        return self.cleaned_data


# --- account management by the admins above ------------------------------------------------------

class AccountFilterForm(forms.Form):
    q = forms.CharField(label="搜索", required=False, max_length=64, widget=forms.TextInput(
        attrs={"placeholder": "账号、姓名、手机号或集体名称", "type": "search"}))
    role = forms.ChoiceField(label="角色", required=False, choices=[("", "全部角色"), *Role.choices])

    def __init__(self, *args, user, **kwargs):

        super().__init__(*args, **kwargs)
        self.fields["unit"] = unit_tree_field(
            units_visible_to(user), base_depth=user.unit.depth, label="单位", required=False,
            empty_label="全部单位（含下级）",
        )
        style_form(self)

    def filters(self) -> dict:
        """The filters for accounts.selectors.account_list; an invalid value filters nothing."""
        data = self.cleaned_data if self.is_valid() else {}
        return {"role": data.get("role") or "", "unit": data.get("unit"), "search": (data.get("q") or "").strip()}


class AccountCreateForm(forms.Form):
    """A new account, created by an admin for a place in its subtree.

    Unit admins create unit-admin accounts for the units below their own and leader accounts for
    the collectives in their subtree; city (and province) admins may also create office admins for
    office units and judges. Whether the admin would manage the new account afterwards is the same
    question as ``accounts.manage_account``, so nobody creates an account they could not then reset.
    """
    role = forms.ChoiceField(label="角色")
    unit = forms.ModelChoiceField(label="所属单位", queryset=None, required=False,
                                  help_text="管理员和评委账号所在的单位。")
    collective = forms.ModelChoiceField(label="所属集体", queryset=None, required=False,
                                        help_text="号长账号所属的集体。")
    username = forms.CharField(label="账号", max_length=150, validators=[UnicodeUsernameValidator()],
                               help_text="用于登录，可用字母、数字和 @ . + - _，建议使用拼音，例如 hc_zwfw。")
    display_name = forms.CharField(label="姓名", max_length=64)
    mobile = forms.CharField(label="手机号", max_length=11, required=False, validators=[mobile_validator],
                             help_text="11位手机号，可用于登录；同一手机号只能绑定一个账号。")
    password1 = forms.CharField(label="初始密码", strip=False, widget=forms.PasswordInput(
        attrs={"autocomplete": "new-password"}), help_text="至少8位，不能全是数字，不能与账号、姓名过于相似。")
    password2 = forms.CharField(label="再次输入初始密码", strip=False, widget=forms.PasswordInput(
        attrs={"autocomplete": "new-password"}))

    def __init__(self, *args, actor, **kwargs):

        super().__init__(*args, **kwargs)
        self.actor = actor
        roles = [Role.UNIT_ADMIN, Role.COLLECTIVE]
        if actor.is_city_admin:
            roles = [Role.UNIT_ADMIN, Role.CITY_ADMIN, Role.JUDGE, Role.COLLECTIVE]
        self.fields["role"].choices = [(role.value, role.label) for role in roles]
        self.fields["unit"] = unit_tree_field(
            units_visible_to(actor), base_depth=actor.unit.depth, label="所属单位", required=False,
            empty_label="请选择单位", help_text="管理员和评委账号所在的单位。",
        )
        self.fields["collective"].queryset = (
            collectives_visible_to(actor).select_related("unit").order_by("unit__path", "name")
        )
        self.fields["collective"].empty_label = "请选择集体"
        self.fields["collective"].label_from_instance = lambda c: f"{c.name}（{c.unit.display_name}）"
        style_form(self)

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if mobile_pattern.match(username):
            raise forms.ValidationError("账号不能是11位手机号的形式，以免与手机号登录混淆；手机号请填在“手机号”一栏。")
        if User.objects.filter(Q(username__iexact=username) | Q(mobile=username)).exists():
            raise forms.ValidationError(f"账号“{username}”已被使用，请换一个。")
        return username

    def clean_mobile(self):
        mobile = (self.cleaned_data.get("mobile") or "").strip()
        if mobile and User.objects.filter(Q(mobile=mobile) | Q(username__iexact=mobile)).exists():
            raise forms.ValidationError(f"手机号{mobile}已绑定其他账号，同一手机号只能绑定一个账号。")
        return mobile or None

    def clean(self):
        data = super().clean()
        role = data.get("role")
        unit = data.get("unit")
        collective = data.get("collective")
        if not role:
            return data
        if role == Role.COLLECTIVE:
            if collective is None:
                self.add_error("collective", "号长账号须选择所属集体。")
                return data
            data["unit"] = unit = None
        else:
            data["collective"] = collective = None
            if unit is None:
                self.add_error("unit", f"{Role(role).label}账号须选择所属单位。")
                return data
            self._check_unit_for_role(role, unit)
        prospective = User(username=data.get("username") or "", role=role, unit=unit, collective=collective,
                           display_name=data.get("display_name") or "")
        if not self.errors and not self.actor.has_perm("accounts.manage_account", prospective):
            place = collective.name if collective is not None else unit.name
            self.add_error(None, f"“{place}”的账号由其上级团委管理员创建和管理，您不能为它创建账号。")
        self._check_passwords(data, prospective)
        return data

    def _check_unit_for_role(self, role: str, unit) -> None:

        if role == Role.CITY_ADMIN and unit.kind not in OFFICE_KINDS:
            self.add_error(
                "unit", f"团市委管理员账号只能设在市级或省级团委，“{unit.name}”是{unit.get_kind_display()}。"
            )
        if role == Role.UNIT_ADMIN and unit.kind in OFFICE_KINDS:
            self.add_error("unit", f"归口单位管理员账号应设在区市或市直单位，“{unit.name}”请使用团市委管理员账号。")

    def _check_passwords(self, data, prospective) -> None:
        password1, password2 = data.get("password1"), data.get("password2")
        if not password1 or not password2:
            return
        if password1 != password2:
            self.add_error("password2", "两次输入的密码不一致，请重新输入。")
            return
        try:
            password_validation.validate_password(password1, prospective)
        except forms.ValidationError as error:
            self.add_error("password1", error)


class AccountPasswordResetForm(SetPasswordForm):
    """An admin above sets a new password for an account; typed twice."""
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "新密码"
        self.fields["new_password2"].label = "再次输入新密码"
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-control"


class CodeForm(forms.Form):
    """The six digits of an authenticator app (full-width digits and spaces are accepted: twofactor.normalise_code)."""
    code = forms.CharField(label="6位验证码", max_length=16, widget=forms.TextInput(attrs={
        "class": "form-control", "inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True,
        "pattern": "[0-9０-９ ]*", "placeholder": "例如 123456"}))

    def clean_code(self):
        code = normalise_code(self.cleaned_data["code"])
        if len(code) != DIGITS or not code.isdigit():
            raise forms.ValidationError(f"请输入{DIGITS}位数字验证码（身份验证器中“青年文明号”下显示的数字）。")
        return code
