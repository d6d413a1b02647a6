"""Good practices and typical stories (好做法、典型事迹): a collective's or a unit's write-up, reported up the tree
during the year (the notice's “及时报送实施过程中涌现的好做法和典型事迹”), promoted by the city office to the public
showcase.

A story belongs to a collective (written by its leader or delegate) or to a unit (written by its admin, no
collective). ``unit`` is the owner's unit (the collective's, or the writing unit); ``office`` the city office above
it (the nearest 市级团委, else the top of the tree), which alone promotes. ``reached`` is the unit it was last reported
to (empty while never submitted): a collective's story goes to its collective's unit, a unit's own to the unit above
(a district's straight to the office); a forward sends it to the office. Who sees it follows from these
(``selectors.stories_visible_to``); its status moves only through ``services`` by the table ``TRANSITIONS``.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from wenminghao.ledger.enums import Activity

TITLE_MAX_CHARS = 100
TEXT_MAX_CHARS = 3_000
REASON_MAX_CHARS = 500
MAX_PHOTOS = 9


class StoryKind(models.TextChoices):
    PRACTICE = "practice", "好做法"
    STORY = "story", "典型事迹"


class StoryStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已报送"
    FORWARDED = "forwarded", "已报送团市委"
    PROMOTED = "promoted", "已推广"
    RETURNED = "returned", "退回"


class Story(models.Model):
    kind = models.CharField("类型", max_length=16, choices=StoryKind.choices, default=StoryKind.PRACTICE)
    title = models.CharField("标题", max_length=TITLE_MAX_CHARS)
    text = models.TextField("正文")
    activity = models.CharField("所属活动", max_length=16, choices=Activity.choices, blank=True)
    collective = models.ForeignKey("collectives.Collective", verbose_name="集体", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="stories")
    unit = models.ForeignKey("orgs.Unit", verbose_name="所属单位", on_delete=models.PROTECT, related_name="stories")
    unit_path = models.CharField(max_length=255, editable=False, db_index=True)
    # the city office (团市委) above the story's unit: the one that promotes it (the nearest 市级团委, else the top)
    office = models.ForeignKey("orgs.Unit", verbose_name="团市委", on_delete=models.PROTECT, related_name="+")
    reached = models.ForeignKey("orgs.Unit", verbose_name="报送至", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")
    reached_path = models.CharField(max_length=255, editable=False, blank=True, default="", db_index=True)
    status = models.CharField("状态", max_length=16, choices=StoryStatus.choices, default=StoryStatus.DRAFT)
    return_reason = models.CharField("退回理由", max_length=REASON_MAX_CHARS, blank=True)
    entries = models.ManyToManyField("ledger.LedgerEntry", verbose_name="关联台账记录", blank=True, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="撰写人", on_delete=models.PROTECT,
                               related_name="+")
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    updated_at = models.DateTimeField("修改时间", auto_now=True)
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True)
    promoted_at = models.DateTimeField("推广时间", null=True, blank=True)

    class Meta:
        verbose_name = "好做法与典型事迹"
        verbose_name_plural = "好做法与典型事迹"
        ordering = ["-updated_at", "-id"]
        indexes = [
            models.Index(fields=["status", "-promoted_at"]),
            models.Index(fields=["unit_path", "status"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def author_name(self) -> str:
        """Who wrote it, as shown: the collective's name, else the unit's."""
        return self.collective.name if self.collective_id else self.unit.name


class StoryPhoto(models.Model):
    """A JPEG or PNG photo of the story, checked by its content through the one upload path; its web copy is made
    on upload (EXIF orientation applied, metadata stripped) and is what the public showcase serves."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="photos")
    original = models.FileField("文件", max_length=255)
    original_name = models.CharField("文件名", max_length=255)
    # a JPEG of at most 1600 px without any metadata (no camera data, no location): the only copy the public gets
    web_copy = models.FileField("公开副本", max_length=255, blank=True)
    content_type = models.CharField("类型", max_length=100)
    size = models.BigIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "事迹照片"
        verbose_name_plural = "事迹照片"
        ordering = ["story", "id"]

    def __str__(self) -> str:
        return self.original_name


# The one table of the story's life: action -> (the statuses it starts from, the status it leads to). ``submit``
# leads to FORWARDED instead when the unit it goes to is the city office itself (see services.submit_story).
TRANSITIONS: dict[str, tuple[frozenset, str]] = {
    "submit": (frozenset({StoryStatus.DRAFT, StoryStatus.RETURNED}), StoryStatus.SUBMITTED),
    "forward": (frozenset({StoryStatus.SUBMITTED}), StoryStatus.FORWARDED),
    "return": (frozenset({StoryStatus.SUBMITTED, StoryStatus.FORWARDED}), StoryStatus.RETURNED),
    "promote": (frozenset({StoryStatus.FORWARDED}), StoryStatus.PROMOTED),
    "unpromote": (frozenset({StoryStatus.PROMOTED}), StoryStatus.FORWARDED),
}
EDITABLE = frozenset({StoryStatus.DRAFT, StoryStatus.RETURNED})
