"""What the public sees of a post (亮身份、亮形象、亮承诺) and what it says back (公众监督).

A post's identity page (``PostPage``) is public only once the collective (or its unit) publishes it and while its unit
has not hidden it, and only for a collective that holds a valid title or whose creation filing was accepted
(``public.selectors``). It shows the collective's own public fields (name, host organisation, commitment, supervision
phone), its valid titles, the members' names and posts (``HiddenMember`` leaves one off), its service items and
convenience measures, photos of the workplace (``PostPhoto``) and of recent open-week events the collective chose
(``PublicEventPhoto``). Nothing else personal: no birth dates, no contact phone, nothing of 助千家.

A visitor's praise, suggestion or complaint (``Feedback``) reaches the collective and its unit, who answer and close
it; the visitor follows it by its ``reference``. The visitor's contact, if given, is personal data: shown only to the
collective's accounts and the admins above it, never on a public page or API."""

from django.conf import settings
from django.db import models

from .enums import FeedbackKind, FeedbackState, Satisfaction

SERVICE_MAX_CHARS = 1000
FEEDBACK_TEXT_MAX_CHARS = 500
FEEDBACK_CONTACT_MAX_CHARS = 64
ANSWER_MAX_CHARS = 1000
CAPTION_MAX_CHARS = 100


class PostPage(models.Model):
    """The public identity page of a collective's post: whether it is published, and what only the page holds."""

    collective = models.OneToOneField("collectives.Collective", verbose_name="集体", on_delete=models.CASCADE,
                                      related_name="post_page")
    published = models.BooleanField("已公开", default=False)
    published_at = models.DateTimeField("公开时间", null=True, blank=True)
    hidden_by_unit = models.BooleanField("已被单位隐藏", default=False)
    hidden_reason = models.CharField("隐藏原因", max_length=200, blank=True)
    service_items = models.TextField("服务项目", max_length=SERVICE_MAX_CHARS, blank=True)
    convenience_measures = models.TextField("便民措施", max_length=SERVICE_MAX_CHARS, blank=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="修改人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "公开身份页"
        verbose_name_plural = "公开身份页"

    def __str__(self) -> str:
        return f"{self.collective_id} 的公开身份页"


class HiddenMember(models.Model):
    """A member left off the public page (at the member's wish, or the collective's)."""

    page = models.ForeignKey(PostPage, on_delete=models.CASCADE, related_name="hidden_members")
    member = models.ForeignKey("collectives.Member", on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = "不公开的成员"
        verbose_name_plural = "不公开的成员"
        constraints = [models.UniqueConstraint(fields=["page", "member"], name="public_hidden_member_once")]

    def __str__(self) -> str:
        return f"{self.page_id}/{self.member_id}"


class PostPhoto(models.Model):
    """A photo of the workplace on the public page, stored through the one upload path (``works.uploads``)."""

    page = models.ForeignKey(PostPage, on_delete=models.CASCADE, related_name="photos")
    original = models.FileField("原图", max_length=255)
    thumbnail = models.FileField("缩略图", max_length=255, blank=True)
    web_copy = models.FileField("网页浏览图", max_length=255, blank=True)
    content_type = models.CharField("类型", max_length=100)
    width = models.PositiveIntegerField("宽（像素）", null=True, blank=True)
    height = models.PositiveIntegerField("高（像素）", null=True, blank=True)
    caption = models.CharField("说明", max_length=CAPTION_MAX_CHARS, blank=True)
    position = models.PositiveSmallIntegerField("顺序", default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "工作场所照片"
        verbose_name_plural = "工作场所照片"
        ordering = ["page", "position", "id"]

    def __str__(self) -> str:
        return self.caption or f"照片 {self.pk}"


class PublicEventPhoto(models.Model):
    """A photo of one of the collective's open-week entries (a ledger attachment) that it shows on its page."""

    page = models.ForeignKey(PostPage, on_delete=models.CASCADE, related_name="event_photos")
    attachment = models.ForeignKey("ledger.EntryAttachment", on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = "公开的开放周照片"
        verbose_name_plural = "公开的开放周照片"
        constraints = [models.UniqueConstraint(fields=["page", "attachment"], name="public_event_photo_once")]

    def __str__(self) -> str:
        return f"{self.page_id}/{self.attachment_id}"


class Feedback(models.Model):
    """A visitor's praise, suggestion or complaint about a post (公众监督), followed by its reference."""

    reference = models.CharField("查询编号", max_length=16, unique=True)
    collective = models.ForeignKey("collectives.Collective", verbose_name="集体", on_delete=models.CASCADE,
                                   related_name="feedback")
    kind = models.CharField("类型", max_length=16, choices=FeedbackKind.choices)
    text = models.TextField("内容", max_length=FEEDBACK_TEXT_MAX_CHARS)
    contact = models.CharField("联系方式", max_length=FEEDBACK_CONTACT_MAX_CHARS, blank=True)
    satisfaction = models.CharField("满意度", max_length=16, choices=Satisfaction.choices, blank=True)
    state = models.CharField("状态", max_length=16, choices=FeedbackState.choices, default=FeedbackState.OPEN)
    answer = models.TextField("答复", max_length=ANSWER_MAX_CHARS, blank=True)
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="答复人", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    verified = models.BooleanField("投诉经核实", default=False)
    verified_at = models.DateTimeField("核实时间", null=True, blank=True)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="核实人", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    address_hash = models.CharField("来源地址摘要", max_length=64, blank=True,
                                    help_text="访客地址的加盐摘要，只用于限流，不保存地址本身。")
    created_at = models.DateTimeField("提交时间", auto_now_add=True)

    class Meta:
        verbose_name = "公众监督"
        verbose_name_plural = "公众监督"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["collective", "state", "created_at"]),
            models.Index(fields=["address_hash", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.get_kind_display()}"
