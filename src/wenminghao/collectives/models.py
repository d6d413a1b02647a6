import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from .enums import HonourLevel, HonourState, OrgType, Sector, WorkingUnitForm


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    """Full years of age (周岁) on a day."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


class Collective(models.Model):
    """A workplace collective of young people (集体) that creates a Youth Civilization Post.
    It reports through exactly one reviewing unit (归口单位)."""

    name = models.CharField("集体名称", max_length=100)
    host_org = models.CharField("所在单位", max_length=100)
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name="归口单位", on_delete=models.PROTECT, related_name="collectives"
    )
    sector = models.CharField("行业类别", max_length=16, choices=Sector.choices)
    org_type = models.CharField("单位性质", max_length=20, choices=OrgType.choices)
    unit_form = models.CharField(
        "工作单元形式", max_length=16, choices=WorkingUnitForm.choices, default=WorkingUnitForm.TEAM
    )
    contact_name = models.CharField("联系人", max_length=64)
    contact_phone = models.CharField("联系电话", max_length=32)
    public_commitment = models.TextField("示范承诺", blank=True)
    supervision_phone = models.CharField("监督电话", max_length=32, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Raised by one with every saved change (services.update_collective, under the row lock): an edit made on an
    # older version is refused (core.versions), so two people editing at once never overwrite each other.
    version = models.PositiveIntegerField("版本", default=1, editable=False)

    class Meta:
        verbose_name = "集体"
        verbose_name_plural = "集体"
        ordering = ["unit__path", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "host_org", "name"],
                name="collective_unique_per_unit",
                violation_error_message="该归口单位下已有所在单位和集体名称都相同的集体，请勿重复创建",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Member(models.Model):
    collective = models.ForeignKey(Collective, on_delete=models.CASCADE, related_name="members")
    name = models.CharField("姓名", max_length=64)
    birth_date = models.DateField("出生日期")
    post = models.CharField("岗位", max_length=64, blank=True)
    is_leader = models.BooleanField("号长", default=False)

    class Meta:
        verbose_name = "成员"
        verbose_name_plural = "成员"
        ordering = ["-is_leader", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["collective"], condition=models.Q(is_leader=True), name="member_one_leader_per_collective"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Honour(models.Model):
    """A title the collective holds (level, year, title): typed in from its records, or written by a naming (命名)
    of the platform (``awarded_by`` is then the office that named it, and the row is not edited by hand).
    A title has a term (届期): ``valid_until``, set at naming from ``WMH_TITLE_TERM_YEARS``; empty for a title
    recorded without one. A revoked (撤销) or expired title no longer counts for eligibility."""

    collective = models.ForeignKey(Collective, on_delete=models.CASCADE, related_name="honours")
    level = models.CharField("级别", max_length=16, choices=HonourLevel.choices)
    year = models.PositiveSmallIntegerField(
        "年度", validators=[MinValueValidator(1994), MaxValueValidator(2100)]
    )
    title = models.CharField("称号", max_length=100)
    awarded_by = models.ForeignKey("orgs.Unit", verbose_name="命名单位", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+",
                                   help_text="由本平台命名时为命名的团委；手工录入的荣誉为空。")
    valid_until = models.DateField("有效期至", null=True, blank=True, help_text="届期届满之日；为空表示未设届期。")
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="撤销人", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    revoked_reason = models.TextField("撤销理由", blank=True)

    class Meta:
        verbose_name = "荣誉"
        verbose_name_plural = "荣誉"
        ordering = ["-year", "id"]

    def __str__(self) -> str:
        return f"{self.year}年 {self.title}"

    @property
    def is_named(self) -> bool:
        """Written by a naming of the platform (not typed in by hand)."""
        return self.awarded_by_id is not None

    def state_on(self, day: datetime.date) -> str:
        """``HonourState`` on ``day``: revoked wins over expired."""
        if self.revoked_at is not None:
            return HonourState.REVOKED
        if self.valid_until is not None and self.valid_until < day:
            return HonourState.EXPIRED
        return HonourState.VALID

    @staticmethod
    def valid_on_q(day: datetime.date, prefix: str = "") -> Q:
        """The same rule as ``state_on`` as a filter: the titles valid on ``day`` (for queries over many)."""
        return Q(**{f"{prefix}revoked_at__isnull": True}) & (
            Q(**{f"{prefix}valid_until__isnull": True}) | Q(**{f"{prefix}valid_until__gte": day})
        )
