from django import forms
from django.contrib.auth import authenticate

from .services import clear_login_failures, is_login_throttled, record_login_failure, throttle_message


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
        super().__init__(*args, **kwargs)

    def clean(self):
        from wenminghao.core.http import client_ip

        login = self.cleaned_data.get("login", "")
        password = self.cleaned_data.get("password")
        if not login or password is None:
            return self.cleaned_data
        ip = client_ip(self.request)
        if is_login_throttled(login=login, ip_address=ip):
            self.throttled = True
            raise forms.ValidationError(throttle_message(), code="throttled")
        user = authenticate(self.request, username=login, password=password)
        if user is None:
            record_login_failure(login=login, ip_address=ip)
            raise forms.ValidationError(
                "账号或密码不正确，请检查后重试（账号可以是用户名或11位手机号）。", code="invalid"
            )
        clear_login_failures(login=login)
        self.user = user
        return self.cleaned_data
