"""Django's admin app with the operations site as its default (core/admin_site.py). A module of its own: an app's
configuration is imported before the models, and the site's module needs them."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig


class OperationsAdminConfig(AdminConfig):
    default_site = "wenminghao.core.admin_site.OperationsAdminSite"

    def ready(self):
        super().ready()  # imports every app's admin module (theirs and the libraries')
        admin.site.keep_only_read_only()
