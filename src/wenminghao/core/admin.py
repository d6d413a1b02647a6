"""The operations admin's lists of core and of the task library (core/admin_site.py: read-only, superusers)."""

import importlib

from django.apps import apps
from django.contrib import admin

from .admin_site import ReadOnlyAdmin
from .models import AuditEntry, ExportJob


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "actor_name", "action", "object_type", "object_id", "object_repr", "unit_path",
                    "ip_address")
    list_filter = ("action", "object_type", "created_at")
    search_fields = ("actor_name", "object_repr", "=object_id", "unit_path", "=ip_address")
    date_hierarchy = "created_at"
    list_select_related = ()
    raw_id_fields = ("actor",)


@admin.register(ExportJob)
class ExportJobAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "title", "kind", "status", "requested_by", "size", "finished_at")
    list_filter = ("status", "kind", "created_at")
    search_fields = ("title", "file_name", "requested_by__username", "error")
    list_select_related = ("requested_by",)
    raw_id_fields = ("requested_by",)


# The task results of django-tasks-db (a library, read through the app registry): its own admin is read-only but
# has no search; this one takes its place. Its admin module is imported first (whatever the order of the apps), so
# that the admin's autodiscovery finds it done and does not register it again over this one.
if apps.is_installed("django_tasks_db"):
    importlib.import_module("django_tasks_db.admin")
    TaskResult = apps.get_model("django_tasks_database", "DBTaskResult")
    if admin.site.is_registered(TaskResult):
        admin.site.unregister(TaskResult)

    @admin.register(TaskResult)
    class TaskResultAdmin(ReadOnlyAdmin):
        list_display = ("enqueued_at", "task_path", "status", "started_at", "finished_at", "queue_name",
                        "exception_class_path")
        list_filter = ("status", "queue_name", "task_path", "enqueued_at")
        search_fields = ("=id", "task_path", "exception_class_path", "traceback")
        date_hierarchy = "enqueued_at"
        ordering = ("-enqueued_at",)
