"""Joint projects (项目联创、区域联创) of two or more collectives, possibly of different units, and the 互学互访
visits between their posts.

A project has a lead collective (``lead``) and its partners (``ProjectPartner``, one row per collective, the lead's
row included): visibility and the ledger's and the dashboard's counts are questions about those rows in the
database (the partner's unit path by prefix), never lists in memory. ``owner_unit`` is the unit that manages it
with the lead's leader: the creating admin's unit, or the lead collective's unit when its leader created it.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from .enums import ProjectKind

TITLE_MAX_CHARS = 100
TEXT_MAX_CHARS = 3_000
TOPIC_MAX_CHARS = 100
MIN_COLLECTIVES = 2
MAX_PHOTOS = 9  # of a progress entry


class Project(models.Model):
    title = models.CharField("项目名称", max_length=TITLE_MAX_CHARS)
    kind = models.CharField("类型", max_length=16, choices=ProjectKind.choices, default=ProjectKind.PROJECT)
    lead = models.ForeignKey("collectives.Collective", verbose_name="牵头集体", on_delete=models.PROTECT,
                             related_name="projects_led")
    owner_unit = models.ForeignKey("orgs.Unit", verbose_name="管理单位", on_delete=models.PROTECT, related_name="+")
    campaign = models.ForeignKey("campaigns.Campaign", verbose_name="计入创建活动", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    goals = models.TextField("项目目标")
    started = models.DateField("开始日期")
    ended = models.DateField("结束日期", null=True, blank=True)
    results = models.TextField("项目成果", blank=True)
    finished_at = models.DateTimeField("结项时间", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="创建人", on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField("创建时间", default=timezone.now)

    class Meta:
        verbose_name = "联创项目"
        verbose_name_plural = "联创项目"
        ordering = ["-started", "-id"]
        indexes = [models.Index(fields=["campaign", "lead"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_finished(self) -> bool:
        return self.finished_at is not None


class ProjectPartner(models.Model):
    """A collective taking part in a project (the lead included)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="partners")
    collective = models.ForeignKey("collectives.Collective", verbose_name="参与集体", on_delete=models.PROTECT,
                                   related_name="project_partnerships")
    joined_at = models.DateTimeField("加入时间", default=timezone.now)

    class Meta:
        verbose_name = "联创项目参与集体"
        verbose_name_plural = "联创项目参与集体"
        ordering = ["project", "id"]
        constraints = [models.UniqueConstraint(fields=["project", "collective"], name="project_partner_once")]
        indexes = [models.Index(fields=["collective", "project"])]

    def __str__(self) -> str:
        return f"{self.project} · {self.collective}"


class ProgressEntry(models.Model):
    """A dated progress entry (进展) written by an account of a partner collective."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="progress")
    collective = models.ForeignKey("collectives.Collective", verbose_name="记录集体", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    date = models.DateField("日期")
    text = models.TextField("进展情况")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="记录人", on_delete=models.PROTECT,
                               related_name="+")
    created_at = models.DateTimeField("记录时间", default=timezone.now)

    class Meta:
        verbose_name = "项目进展"
        verbose_name_plural = "项目进展"
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["project", "-date", "-id"])]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.text[:20]}"


class ProgressPhoto(models.Model):
    """A JPEG or PNG photo of a progress entry, checked by its content through the one upload path."""

    entry = models.ForeignKey(ProgressEntry, on_delete=models.CASCADE, related_name="photos")
    original = models.FileField("文件", max_length=255)
    original_name = models.CharField("文件名", max_length=255)
    size = models.BigIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    content_type = models.CharField("类型", max_length=100)
    width = models.PositiveIntegerField("宽", default=0)
    height = models.PositiveIntegerField("高", default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "进展照片"
        verbose_name_plural = "进展照片"
        ordering = ["entry", "id"]

    def __str__(self) -> str:
        return self.original_name


class ProjectVisit(models.Model):
    """A 互学互访 visit between the posts of a project: visiting partners at a host partner's post."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="visits")
    date = models.DateField("互访日期")
    host = models.ForeignKey("collectives.Collective", verbose_name="东道集体", on_delete=models.PROTECT,
                             related_name="+")
    visitors = models.ManyToManyField("collectives.Collective", verbose_name="来访集体", related_name="+")
    topic = models.CharField("交流主题", max_length=TOPIC_MAX_CHARS)
    notes = models.TextField("交流情况", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField("登记时间", default=timezone.now)

    class Meta:
        verbose_name = "互学互访"
        verbose_name_plural = "互学互访"
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.topic}"
