from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "wenminghao.accounts"
    label = "accounts"
    verbose_name = "账号"
