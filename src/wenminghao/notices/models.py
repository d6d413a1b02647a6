"""Notices (通知公告) from the city office or a unit to the collectives of its subtree, with read receipts.

A notice is addressed when it is published: one ``NoticeReceipt`` per collective it reaches, written in bulk in the
publishing transaction, so "who has read it" is a count of rows in the database, never a list in memory. A unit
forwards a notice from above by publishing its own notice (its guidance as the body) that points to the original
(``forwarded_from``): the original stays as it was, shown beneath the forward.

Beside the notices live a unit's execution norms (执行规范, ``Norm``): one row per version, never overwritten, with
its files (``NormAttachment``, through the same upload path as a notice's).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

TITLE_MAX_CHARS = 100
BODY_MAX_CHARS = 20_000
REPLY_MAX_CHARS = 2_000


class Notice(models.Model):
    sender_unit = models.ForeignKey("orgs.Unit", verbose_name="发布单位", on_delete=models.PROTECT,
                                    related_name="notices_sent")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="发布人", on_delete=models.PROTECT,
                               related_name="+")
    title = models.CharField("标题", max_length=TITLE_MAX_CHARS)
    body = models.TextField("正文")
    # The selection it was sent to (empty: every collective under the sender's unit), kept to show it.
    sectors = models.JSONField("行业类别", default=list, blank=True)
    units = models.ManyToManyField("orgs.Unit", verbose_name="单位范围", blank=True, related_name="+")
    campaign = models.ForeignKey("campaigns.Campaign", verbose_name="创建活动", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+",
                                 help_text="只发给已报备该创建活动的集体")
    forwarded_from = models.ForeignKey("self", verbose_name="转发自", null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="forwards")
    deadline = models.DateField("截止日期", null=True, blank=True)
    asks_reply = models.BooleanField("要求回复", default=False, help_text="要求各集体在平台上回复文字或上传文件")
    recipients = models.PositiveIntegerField("发送集体数", default=0)
    published_at = models.DateTimeField("发布时间", default=timezone.now)

    class Meta:
        verbose_name = "通知公告"
        verbose_name_plural = "通知公告"
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["sender_unit", "-published_at"])]

    def __str__(self) -> str:
        return self.title


class Attachment(models.Model):
    """A file (.docx, .pdf or a picture) checked by its content through the one upload path
    (``services._check_files``): the columns of a notice's and of a norms version's files."""

    kind = models.CharField("类型", max_length=16)
    original = models.FileField("文件", max_length=255)
    original_name = models.CharField("文件名", max_length=255)
    size = models.BigIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    content_type = models.CharField("类型", max_length=100)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.original_name


class NoticeAttachment(Attachment):
    """A file of the notice."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="attachments")

    class Meta:
        verbose_name = "通知附件"
        verbose_name_plural = "通知附件"
        ordering = ["notice", "id"]


class NoticeReceipt(models.Model):
    """That a notice reached a collective, and whether it has been read (已读) and answered."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="receipts")
    collective = models.ForeignKey("collectives.Collective", verbose_name="集体", on_delete=models.CASCADE,
                                   related_name="+")
    # the collective's unit when the notice was published: receipts are counted per unit and scoped by subtree
    unit = models.ForeignKey("orgs.Unit", verbose_name="归口单位", on_delete=models.PROTECT, related_name="+")
    unit_path = models.CharField(max_length=255, editable=False)
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)
    read_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="确认人", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    reminded_at = models.DateTimeField("最近提醒时间", null=True, blank=True)
    reply_text = models.TextField("回复", blank=True)
    reply_file = models.FileField("回复文件", max_length=255, blank=True)
    reply_file_name = models.CharField("回复文件名", max_length=255, blank=True)
    replied_at = models.DateTimeField("回复时间", null=True, blank=True)
    replied_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="回复人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "阅读回执"
        verbose_name_plural = "阅读回执"
        ordering = ["notice", "unit_path", "collective_id"]
        constraints = [models.UniqueConstraint(fields=["notice", "collective"], name="receipt_one_per_collective")]
        indexes = [
            models.Index(fields=["notice", "unit_path"]),
            models.Index(fields=["collective", "read_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.notice} · {self.collective}"


NORM_TITLE_MAX_CHARS = 100
NORM_BODY_MAX_CHARS = 20_000
CHANGE_NOTE_MAX_CHARS = 200


class Norm(models.Model):
    """One version of a unit's execution norms and guidance for creation (执行规范), 基本原则 4 of the notice.

    A new version is a new row (``version`` counts up per unit); nothing is overwritten. The current version is the
    newest whose effective date (生效日期) is not after today in Asia/Shanghai; the service keeps effective dates
    in version order, so "newest" means the same by number and by date. Later ones are pending (将于…生效), earlier
    ones superseded (已废止)."""

    unit = models.ForeignKey("orgs.Unit", verbose_name="单位", on_delete=models.PROTECT, related_name="norms")
    version = models.PositiveIntegerField("版本号")
    title = models.CharField("标题", max_length=NORM_TITLE_MAX_CHARS)
    body = models.TextField("正文")
    effective_on = models.DateField("生效日期")
    change_note = models.CharField("修订说明", max_length=CHANGE_NOTE_MAX_CHARS, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="发布人", on_delete=models.PROTECT,
                               related_name="+")
    published_at = models.DateTimeField("发布时间", default=timezone.now)

    class Meta:
        verbose_name = "执行规范"
        verbose_name_plural = "执行规范"
        ordering = ["unit", "-version"]
        constraints = [models.UniqueConstraint(fields=["unit", "version"], name="norm_one_number_per_version")]
        indexes = [models.Index(fields=["unit", "-effective_on", "-version"])]

    def __str__(self) -> str:
        return f"{self.title}（第{self.version}版）"


class NormAttachment(Attachment):
    """A file of a norms version."""

    norm = models.ForeignKey(Norm, on_delete=models.CASCADE, related_name="attachments")

    class Meta:
        verbose_name = "执行规范附件"
        verbose_name_plural = "执行规范附件"
        ordering = ["norm", "id"]
