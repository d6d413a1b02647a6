"""Failed sign-ins in the operations admin (core/admin_site.py: read-only, superusers only)."""

from django.contrib import admin

from wenminghao.core.admin_site import ReadOnlyAdmin

from .models import LoginFailure


@admin.register(LoginFailure)
class LoginFailureAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "login", "ip_address")
    list_filter = ("created_at",)
    search_fields = ("login", "=ip_address")
    date_hierarchy = "created_at"
