from django.conf import settings
from django.db import models

from .audit_actions import action_label


class AuditEntry(models.Model):
    """One change of state or edit: who did what to which object, when, and the values before and after.

    ``unit_path`` is the materialized path of the unit the object belongs to, so that the admins of that
    unit and of every unit above it see the entry with one indexed prefix query.
    """

    created_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField("操作人账号", max_length=150, blank=True)
    action = models.CharField("操作", max_length=64)
    object_type = models.CharField("对象类型", max_length=64)
    object_id = models.CharField("对象编号", max_length=64)
    object_repr = models.CharField("对象", max_length=255)
    unit_path = models.CharField("所属单位路径", max_length=255, db_index=True)
    before = models.JSONField("修改前", null=True, blank=True)
    after = models.JSONField("修改后", null=True, blank=True)
    ip_address = models.GenericIPAddressField("来源地址", null=True, blank=True)

    class Meta:
        verbose_name = "操作记录"
        verbose_name_plural = "操作记录"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.actor_name} {self.action_label} {self.object_repr}"

    @property
    def action_label(self) -> str:
        return action_label(self.action)


class ExportJob(models.Model):
    """A large export made by a task worker, not in the request: who asked, for what, its state and, once done,
    the file in private storage. Only the account that asked downloads it (core.exports)."""

    class Status(models.TextChoices):
        PENDING = "pending", "排队中"
        RUNNING = "running", "生成中"
        DONE = "done", "已完成"
        FAILED = "failed", "生成失败"

    kind = models.CharField("导出内容", max_length=32)
    params = models.JSONField("参数", default=dict)
    title = models.CharField("名称", max_length=255)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="申请人", on_delete=models.CASCADE,
                                     related_name="+")
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.PENDING)
    file = models.FileField("文件", max_length=255, blank=True)
    file_name = models.CharField("下载文件名", max_length=255, blank=True)
    size = models.BigIntegerField("大小（字节）", null=True, blank=True)
    error = models.TextField("失败原因", blank=True)
    created_at = models.DateTimeField("申请时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "导出任务"
        verbose_name_plural = "导出任务"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["requested_by", "kind", "created_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class Notification(models.Model):
    """A message in the platform for one account (also e-mailed when the account has an address): written by
    ``core.notifications.notify`` in the transaction of the change it tells about."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    message = models.TextField("内容")
    link = models.CharField("链接", max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "通知"
        verbose_name_plural = "通知"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.message[:40]


class WorkerHeartbeat(models.Model):
    """A task worker alive: ``manage.py db_worker`` writes its row every WMH_WORKER_HEARTBEAT_SECONDS; the tasks a
    worker not seen for WMH_WORKER_STALE_SECONDS left RUNNING are run again (core.workers)."""

    worker_id = models.CharField("任务进程", max_length=64, primary_key=True)
    host = models.CharField("主机", max_length=255)
    pid = models.IntegerField("进程号")
    started_at = models.DateTimeField("启动时间")
    seen_at = models.DateTimeField("最近心跳", db_index=True)

    class Meta:
        verbose_name = "任务进程心跳"
        verbose_name_plural = "任务进程心跳"

    def __str__(self) -> str:
        return f"{self.worker_id}（{self.host}，进程{self.pid}）"
