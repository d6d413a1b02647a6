from django.conf import settings
from django.db import models

from .enums import Category, DerivativeState, DisplayForm, EssayKind, FileRole, WorkStage, WorkStatus


class Work(models.Model):
    """An achievement work (成果作品) of a collective for a campaign, in one of Attachment 1's three
    categories. It stays a draft until submitted; the rules of ``works.attachment1`` hold at submission."""

    campaign = models.ForeignKey("campaigns.Campaign", verbose_name="创建活动", on_delete=models.PROTECT,
                                 related_name="works")
    collective = models.ForeignKey("collectives.Collective", verbose_name="创作集体", on_delete=models.PROTECT,
                                   related_name="works")
    category = models.CharField("作品类别", max_length=16, choices=Category.choices)
    title = models.CharField("作品名称", max_length=100)
    display_form = models.CharField("展示形式", max_length=16, choices=DisplayForm.choices)
    description = models.TextField("作品说明", blank=True)
    contact_name = models.CharField("联系人", max_length=64)
    contact_phone = models.CharField("联系电话", max_length=32)
    essay_kind = models.CharField("征文类型", max_length=16, choices=EssayKind.choices, blank=True)
    essay_text = models.TextField("征文正文", blank=True)
    char_count = models.PositiveIntegerField("字数", default=0)
    url = models.URLField("H5链接", blank=True, max_length=500)
    status = models.CharField("状态", max_length=16, choices=WorkStatus.choices, default=WorkStatus.DRAFT,
                              db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="创建人", on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    return_comment = models.TextField("退回意见", blank=True)
    unit_rank = models.PositiveIntegerField(
        "单位推荐顺序", null=True, blank=True, help_text="归口单位对推荐作品的排序，1为最优先。"
    )
    # Raised by one, under the row lock, with every change of the work's own fields, essay or status (not of its
    # files): an edit made on an older version is refused (core.versions), so no update is lost; the API's ETag.
    version = models.PositiveIntegerField("版本", default=1, editable=False)

    class Meta:
        verbose_name = "成果作品"
        verbose_name_plural = "成果作品"
        ordering = ["-updated_at", "-id"]
        indexes = [
            models.Index(fields=["campaign", "category", "status"]),
            # the lists' orders, so that a page is read off an index instead of sorting every visible work:
            # newest change first (works list, API), oldest submission first (review queue)
            models.Index(fields=["campaign", "updated_at", "id"], name="work_campaign_updated"),
            models.Index(fields=["updated_at", "id"], name="work_updated"),
            models.Index(fields=["campaign", "submitted_at", "id"], name="work_campaign_submitted"),
            # a review queue's tab (one status, oldest submission first) read in order, and its counts per status:
            # one range per status, counted off the index without reading an entry (reviews.selectors.queue_counts).
            # Status first: an index starting (campaign, status) was also taken by SQLite for the "all" tab (every
            # status but the draft), whose works it then sorted instead of walking (campaign, submitted_at, id).
            models.Index(fields=["status", "campaign", "submitted_at", "id"], name="work_status_campaign"),
            # a collective's works of a campaign by status, counted off the index (the evaluation dashboard's works
            # per child unit: evaluation.selectors.dashboard)
            models.Index(fields=["collective", "campaign", "status"], name="work_collective_campaign"),
        ]

    def __str__(self) -> str:
        return self.title


class WorkFile(models.Model):
    """A file of a work, kept byte for byte as uploaded. It exists only once fully written and checked;
    thumbnails, web copies, posters and perceptual hashes are made afterwards by a task."""

    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="files")
    role = models.CharField("用途", max_length=16, choices=FileRole.choices)
    position = models.PositiveSmallIntegerField("顺序", default=0)
    caption = models.CharField("图片说明", max_length=200, blank=True)
    original = models.FileField("原文件", max_length=255)
    original_name = models.CharField("上传文件名", max_length=255)
    size = models.BigIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64, db_index=True)
    content_type = models.CharField("类型", max_length=100)
    width = models.PositiveIntegerField("宽（像素）", null=True, blank=True)
    height = models.PositiveIntegerField("高（像素）", null=True, blank=True)
    duration = models.DecimalField("时长（秒）", max_digits=9, decimal_places=3, null=True, blank=True)
    thumbnail = models.FileField("缩略图", max_length=255, blank=True)
    web_copy = models.FileField("网页浏览图", max_length=255, blank=True)
    poster = models.FileField("封面帧", max_length=255, blank=True)
    perceptual_hash = models.CharField("感知哈希", max_length=16, blank=True)
    # The 64-bit perceptual hash cut in four 16-bit bands: two pictures within 3 bits of each other share at
    # least one band exactly, so similar pictures are found with indexed equality, at any scale.
    hash_band_0 = models.CharField(max_length=4, blank=True, db_index=True)
    hash_band_1 = models.CharField(max_length=4, blank=True, db_index=True)
    hash_band_2 = models.CharField(max_length=4, blank=True, db_index=True)
    hash_band_3 = models.CharField(max_length=4, blank=True, db_index=True)
    derivatives = models.CharField("预览处理", max_length=16, choices=DerivativeState.choices,
                                   default=DerivativeState.PENDING)
    # When a task run took this file to make its derivatives (works.tasks: one run at a time; empty when none runs)
    derivatives_claimed_at = models.DateTimeField("预览处理开始时间", null=True, blank=True, editable=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "作品文件"
        verbose_name_plural = "作品文件"
        ordering = ["work", "role", "position", "id"]

    def __str__(self) -> str:
        return self.original_name


class SimilarFile(models.Model):
    """A file that repeats a file of another work: the same bytes, or the same picture re-encoded or
    resized (perceptual hash within a few bits). Shown to reviewers as an originality flag."""

    class Kind(models.TextChoices):
        IDENTICAL = "identical", "文件完全相同"
        PERCEPTUAL = "perceptual", "画面高度相似"

    file = models.ForeignKey(WorkFile, on_delete=models.CASCADE, related_name="similar")
    other = models.ForeignKey(WorkFile, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    distance = models.PositiveSmallIntegerField(default=0)
    found_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "相似文件"
        verbose_name_plural = "相似文件"
        constraints = [models.UniqueConstraint(fields=["file", "other"], name="similar_file_once")]

    def __str__(self) -> str:
        return f"{self.file} ~ {self.other}"


class WorkDecision(models.Model):
    """One change of a work's status (its submission by the collective; a reviewer's recommend, return, shortlist,
    showcase, forward...), with its stage and comment: the work's history, written only by
    ``works.transitions.change_work_status``."""
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="decisions")
    stage = models.CharField("审核层级", max_length=16, choices=WorkStage.choices)
    from_status = models.CharField("原状态", max_length=16)
    to_status = models.CharField("新状态", max_length=16)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.PROTECT,
                              related_name="+")
    comment = models.TextField("意见", blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "作品审核记录"
        verbose_name_plural = "作品审核记录"
        ordering = ["work", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.work} {self.from_status} → {self.to_status}"

    @property
    def from_status_label(self) -> str:
        return _status_label(self.from_status)

    @property
    def to_status_label(self) -> str:
        return _status_label(self.to_status)


def _status_label(status: str) -> str:

    return str(WorkStatus(status).label) if status in WorkStatus.values else status
