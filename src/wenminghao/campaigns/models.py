from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from .enums import CampaignLevel, FilingStatus

share_validators = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))]


class Campaign(models.Model):
    """One creation track for one period, run by an office (a city, or a province above it).

    The basic conditions of a collective are fields here, so a campaign can follow its own notice;
    the defaults are those of DOMAIN.md.
    """

    office = models.ForeignKey(
        "orgs.Unit", verbose_name="主办团委", on_delete=models.PROTECT, related_name="campaigns"
    )
    name = models.CharField("名称", max_length=100)
    level = models.CharField("创建级别", max_length=16, choices=CampaignLevel.choices)
    year = models.PositiveSmallIntegerField("年度")
    filing_deadline = models.DateTimeField("创建报备截止时间")
    deadline = models.DateTimeField("成果报送截止时间")
    reference_date = models.DateField("年龄计算基准日", help_text="成员年龄按此日计算。")
    min_members = models.PositiveIntegerField("成员人数下限", default=6)
    max_members = models.PositiveIntegerField("成员人数上限", default=200)
    youth_max_age = models.PositiveSmallIntegerField("青年年龄上限（周岁）", default=35)
    min_youth_share = models.DecimalField(
        "青年成员占比应超过", max_digits=4, decimal_places=3, default=Decimal("0.5"), validators=share_validators
    )
    leader_max_age = models.PositiveSmallIntegerField("号长年龄上限（周岁）", default=40)
    require_stable_unit = models.BooleanField("须为相对稳定的工作单元", default=True)
    target_former_share = models.DecimalField(
        "往届集体目标占比", max_digits=4, decimal_places=3, default=Decimal("0.3"), validators=share_validators
    )
    target_non_public_share = models.DecimalField(
        "非公经济组织目标占比", max_digits=4, decimal_places=3, default=Decimal("0.15"), validators=share_validators
    )
    target_social_share = models.DecimalField(
        "社会组织目标占比", max_digits=4, decimal_places=3, default=Decimal("0.05"), validators=share_validators
    )
    contact_info = models.TextField("联系方式", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "创建活动"
        verbose_name_plural = "创建活动"
        ordering = ["-year", "level", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_filing_open(self) -> bool:
        return timezone.now() < self.filing_deadline

    @property
    def is_open(self) -> bool:
        return timezone.now() < self.deadline


class CreationFiling(models.Model):
    """A collective's filing of its creation (创建报备) for a campaign, reviewed by its unit."""

    campaign = models.ForeignKey(Campaign, verbose_name="创建活动", on_delete=models.PROTECT, related_name="filings")
    collective = models.ForeignKey(
        "collectives.Collective", verbose_name="集体", on_delete=models.PROTECT, related_name="filings"
    )
    status = models.CharField("状态", max_length=16, choices=FilingStatus.choices, default=FilingStatus.PENDING)
    is_former = models.BooleanField("往届集体", default=False, help_text="报备时已获本级及以上称号。")
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="报备人", on_delete=models.PROTECT, related_name="+"
    )
    filed_at = models.DateTimeField("报备时间", default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="审核人", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField("审核时间", null=True, blank=True)
    comment = models.TextField("审核意见", blank=True)

    class Meta:
        verbose_name = "创建报备"
        verbose_name_plural = "创建报备"
        ordering = ["-filed_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "collective"], name="filing_one_per_campaign"),
        ]
        indexes = [models.Index(fields=["campaign", "status"])]

    def __str__(self) -> str:
        return f"{self.collective} · {self.campaign}"


class DeadlineExtension(models.Model):
    """The office's permission for one unit (and everything under it) or one collective to submit and
    change works after the campaign's deadline, until ``until``. Granting one is audited."""

    campaign = models.ForeignKey(Campaign, verbose_name="创建活动", on_delete=models.CASCADE,
                                 related_name="extensions")
    unit = models.ForeignKey("orgs.Unit", verbose_name="单位", null=True, blank=True, on_delete=models.CASCADE,
                             related_name="+")
    collective = models.ForeignKey("collectives.Collective", verbose_name="集体", null=True, blank=True,
                                   on_delete=models.CASCADE, related_name="+")
    until = models.DateTimeField("延期至")
    reason = models.TextField("延期理由")
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="批准人", on_delete=models.PROTECT,
                                   related_name="+")
    granted_at = models.DateTimeField("批准时间", auto_now_add=True)

    class Meta:
        verbose_name = "报送延期"
        verbose_name_plural = "报送延期"
        ordering = ["-granted_at"]
        constraints = [
            models.CheckConstraint(
                name="extension_for_unit_or_collective",
                condition=(models.Q(unit__isnull=False, collective__isnull=True)
                           | models.Q(unit__isnull=True, collective__isnull=False)),
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit or self.collective} 延期至 {self.until:%Y-%m-%d %H:%M}"
