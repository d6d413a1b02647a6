from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in


class AccountsConfig(AppConfig):
    name = "wenminghao.accounts"
    label = "accounts"
    verbose_name = "账号"

    def ready(self):
        # Imported here, not at the top: the middleware imports models, which may be imported only once the app
        # registry is ready (Django).
        from .middleware import start_session_clocks

        # Every sign-in (the pages' and the tests' force_login) starts the idle and absolute clocks of its session.
        user_logged_in.connect(start_session_clocks, dispatch_uid="wenminghao.accounts.start_session_clocks")
