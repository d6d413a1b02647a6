"""The operations admin (``/admin/``): Django's admin, read-only, for superusers only.

It shows what operators look into: the audit log, export jobs, task results, failed sign-ins (core/admin.py,
accounts/admin.py). Nothing is added, changed or deleted here: every change stays in the services, audited. Only
``is_superuser`` gets in (``is_staff`` alone is not enough: no account of the platform needs it). Signing in is the
platform's own form (accounts: throttled, with the second factor when enabled), never the admin's, and so is the
password change.
"""

from functools import update_wrapper

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse

from .errors import NotPermitted
from .http import safe_next


def is_operator(user) -> bool:
    return bool(user.is_active and user.is_superuser)


class OperationsAdminSite(admin.AdminSite):
    site_header = "青年文明号 运维查看（只读）"
    site_title = "运维查看"
    index_title = "运维记录"
    site_url = "/"
    enable_nav_sidebar = False

    def has_permission(self, request) -> bool:
        return is_operator(request.user)

    def admin_view(self, view, cacheable=False):
        """A signed-in account that is not a superuser is refused at once (403), not sent to sign in again."""
        inner = super().admin_view(view, cacheable)

        def guarded(request, *args, **kwargs):
            if request.user.is_authenticated and not is_operator(request.user):
                raise NotPermitted("运维查看页面只对超级管理员开放，您的账号无权访问。")
            return inner(request, *args, **kwargs)

        return update_wrapper(guarded, inner)

    def login(self, request, extra_context=None):
        """The platform's sign-in page; a signed-in account that is not a superuser is refused (403), not sent
        back to signing in."""
        target = safe_next(request, reverse("admin:index"))
        if request.user.is_authenticated:
            if is_operator(request.user):
                return redirect(target)
            raise NotPermitted("运维查看页面只对超级管理员开放，您的账号无权访问。")
        return redirect_to_login(target)

    def password_change(self, request, extra_context=None):
        return redirect("accounts:password_change")

    def keep_only_read_only(self) -> None:
        """Take out what apps and libraries registered with an admin that could write (django.contrib.auth's
        groups, django-otp's devices…): this site shows only ReadOnlyAdmin lists. Called once every admin module
        is imported (core/admin_apps.py)."""
        for model, model_admin in list(self._registry.items()):
            if not isinstance(model_admin, ReadOnlyAdmin):
                self.unregister(model)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Lists, filters, search and a read-only page per row; no add, change or delete for anyone."""

    list_per_page = 50
    show_full_result_count = False  # no COUNT(*) over the whole audit log on every page

    def has_view_permission(self, request, obj=None) -> bool:
        return is_operator(request.user)

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_actions(self, request):
        return {}
