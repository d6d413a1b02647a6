"""The ledger (台账): what a collective did in the four themed activities of a campaign, each entry with its
activity's own columns (counted in the database, never a JSON blob), its files and the comments of the units
that read it (查阅台账); and the pairings (结对帮扶) of 助千家 with registered poor youth families, whose data is
personal data (``ledger.masking``)."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from .enums import (
    Activity,
    AttachmentKind,
    BenchmarkFocus,
    BenchmarkStage,
    BenefitKind,
    DerivativeState,
    HelpKind,
    IncomeTrend,
    OpenWeekItem,
    PairingOutcome,
    PairingState,
    StudyForm,
)
from .masking import mask_family_ref

TITLE_MAX_CHARS = 100
CONTENT_MAX_CHARS = 5000
COMMENT_MAX_CHARS = 1000
NOTE_MAX_CHARS = 1000


class Pairing(models.Model):
    """A pairing (结对帮扶) of a collective with a registered poor youth family (建档立卡贫困青少年家庭) near it.
    Minimum data only: the registry number, the area (乡镇/街道), how many young people, the kinds of help, the
    date paired; no names, ID numbers or addresses. Recorded only with the guardian's consent on file;
    withdrawing it ends the pairing and blanks the identifying fields (the counts stay for the indicators)."""

    collective = models.ForeignKey("collectives.Collective", verbose_name="集体", on_delete=models.PROTECT,
                                   related_name="pairings")
    family_ref = models.CharField("建档立卡编号", max_length=32, blank=True)
    area = models.CharField("所在乡镇（街道）", max_length=64, blank=True)
    youth_count = models.PositiveSmallIntegerField("帮扶青少年人数", validators=[MinValueValidator(1)])
    started = models.DateField("结对日期")
    state = models.CharField("状态", max_length=16, choices=PairingState.choices, default=PairingState.ACTIVE)
    ended = models.DateField("结束日期", null=True, blank=True)
    consent_date = models.DateField("监护人同意日期")
    consent_recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="同意书登记人",
                                            on_delete=models.PROTECT, related_name="+")
    consent_withdrawn_at = models.DateTimeField("撤回同意时间", null=True, blank=True)
    consent_withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="撤回登记人", null=True,
                                             blank=True, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "结对帮扶"
        verbose_name_plural = "结对帮扶"
        ordering = ["collective", "-started", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["collective", "family_ref"], condition=~Q(family_ref=""), name="pairing_family_once",
                violation_error_message="本集体已与该建档立卡家庭结对，请勿重复登记",
            ),
        ]

    def __str__(self) -> str:
        # Never the full number: this is what the audit log and notifications show.
        return f"结对家庭 {self.family_ref_masked or '（已撤回同意）'}"

    @property
    def family_ref_masked(self) -> str:
        return mask_family_ref(self.family_ref)


class PairingHelpKind(models.Model):
    """One kind of help a pairing gives (a row each, so that they count in SQL)."""

    pairing = models.ForeignKey(Pairing, on_delete=models.CASCADE, related_name="help_kinds")
    kind = models.CharField("帮扶方式", max_length=16, choices=HelpKind.choices)

    class Meta:
        verbose_name = "帮扶方式"
        verbose_name_plural = "帮扶方式"
        ordering = ["pairing", "id"]
        constraints = [models.UniqueConstraint(fields=["pairing", "kind"], name="pairing_help_kind_once")]

    def __str__(self) -> str:
        return self.get_kind_display()


class PairingReview(models.Model):
    """A follow-up review (回头看) of a pairing: did the family get out of poverty, does its income rise."""

    pairing = models.ForeignKey(Pairing, on_delete=models.CASCADE, related_name="reviews")
    date = models.DateField("回头看日期")
    outcome = models.CharField("帮扶成效", max_length=16, choices=PairingOutcome.choices)
    income_trend = models.CharField("收入变化", max_length=16, choices=IncomeTrend.choices)
    note = models.TextField("情况说明", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "回头看"
        verbose_name_plural = "回头看"
        ordering = ["pairing", "-date", "-id"]
        # A pairing's latest 回头看 (the dashboard's outcomes, the pairing's page) read from the index's end.
        indexes = [models.Index(fields=["pairing", "date", "id"], name="ledger_review_latest")]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} 回头看：{self.get_outcome_display()}"


class LedgerEntry(models.Model):
    """One entry of a collective's ledger for a campaign, in one of the four activities. The columns of the other
    activities stay empty (``services`` and the check constraints keep them so)."""

    campaign = models.ForeignKey("campaigns.Campaign", verbose_name="创建活动", on_delete=models.PROTECT,
                                 related_name="ledger_entries")
    collective = models.ForeignKey("collectives.Collective", verbose_name="集体", on_delete=models.PROTECT,
                                   related_name="ledger_entries")
    activity = models.CharField("活动", max_length=16, choices=Activity.choices)
    date = models.DateField("日期")
    title = models.CharField("标题", max_length=TITLE_MAX_CHARS)
    content = models.TextField("内容", blank=True)
    # 对标创优
    stage = models.CharField("类型", max_length=16, choices=BenchmarkStage.choices, blank=True)
    benchmark_against = models.CharField("对标对象", max_length=200, blank=True)
    focus = models.CharField("创优方向", max_length=32, choices=BenchmarkFocus.choices, blank=True)
    benefit_kind = models.CharField("效益类型", max_length=16, choices=BenefitKind.choices, blank=True)
    benefit_value = models.DecimalField("效益数值", max_digits=14, decimal_places=2, null=True, blank=True)
    benefit_unit = models.CharField("效益单位", max_length=16, blank=True)
    meets_target = models.ForeignKey("self", verbose_name="对应的创优目标", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="results")
    # 青年大学习
    study_form = models.CharField("学习形式", max_length=16, choices=StudyForm.choices, blank=True)
    topic = models.CharField("学习主题", max_length=200, blank=True)
    led_by = models.ForeignKey("collectives.Member", verbose_name="领学人", null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="led_sessions")
    led_by_name = models.CharField("领学人姓名", max_length=64, blank=True,
                                   help_text="领学人的姓名，成员日后被移除时仍可知是谁领学。")
    attendees = models.ManyToManyField("collectives.Member", verbose_name="参学成员", blank=True,
                                       related_name="attended_sessions")
    # 助千家
    pairing = models.ForeignKey(Pairing, verbose_name="结对家庭", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="visits")
    follow_up = models.BooleanField("回头看走访", default=False)
    # 开放周
    visitors = models.PositiveIntegerField("参观人数", null=True, blank=True)

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="记录人", on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField("记录时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "台账记录"
        verbose_name_plural = "台账记录"
        ordering = ["-date", "-id"]
        indexes = [
            models.Index(fields=["collective", "campaign", "activity", "date"]),
            models.Index(fields=["campaign", "activity", "date"]),
            # The lists show entries newest first (ordering): a page is read in this order from one of these,
            # 查阅台账's from the campaign's, a collective's ledger from its own, rather than sorting every entry
            # of the campaign for each page (bench/ledger_scale.py, docs/benchmarks.md).
            models.Index(fields=["campaign", "date", "id"]),
            models.Index(fields=["collective", "campaign", "date", "id"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(activity=Activity.BENCHMARK) | (Q(stage="") & Q(benchmark_against="")),
                name="ledger_benchmark_fields_only_on_benchmark",
            ),
            models.CheckConstraint(
                condition=~Q(activity=Activity.BENCHMARK) | ~Q(stage=""),
                name="ledger_benchmark_has_stage",
            ),
            models.CheckConstraint(
                condition=~Q(activity=Activity.STUDY) | ~Q(study_form=""), name="ledger_study_has_form",
            ),
            models.CheckConstraint(
                condition=Q(activity=Activity.FAMILIES) | Q(pairing__isnull=True),
                name="ledger_pairing_only_on_families",
            ),
            models.CheckConstraint(
                condition=~Q(activity=Activity.FAMILIES) | Q(pairing__isnull=False),
                name="ledger_families_has_pairing",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_activity_display()}：{self.title}"


class EntryHelpKind(models.Model):
    """A kind of help given on a 助千家 visit (a row each)."""

    entry = models.ForeignKey(LedgerEntry, on_delete=models.CASCADE, related_name="help_kinds")
    kind = models.CharField("帮扶方式", max_length=16, choices=HelpKind.choices)

    class Meta:
        verbose_name = "走访帮扶方式"
        verbose_name_plural = "走访帮扶方式"
        ordering = ["entry", "id"]
        constraints = [models.UniqueConstraint(fields=["entry", "kind"], name="entry_help_kind_once")]

    def __str__(self) -> str:
        return self.get_kind_display()


class EntryShownItem(models.Model):
    """One thing an open-week event showed (a row each)."""

    entry = models.ForeignKey(LedgerEntry, on_delete=models.CASCADE, related_name="shown_items")
    item = models.CharField("展示内容", max_length=24, choices=OpenWeekItem.choices)

    class Meta:
        verbose_name = "开放周展示内容"
        verbose_name_plural = "开放周展示内容"
        ordering = ["entry", "id"]
        constraints = [models.UniqueConstraint(fields=["entry", "item"], name="entry_shown_item_once")]

    def __str__(self) -> str:
        return self.get_item_display()


class EntryAttachment(models.Model):
    """A photo or document of an entry, kept byte for byte as uploaded; it exists only once fully written and
    checked (``works.uploads``). A picture's thumbnail is made afterwards by the task worker."""

    entry = models.ForeignKey(LedgerEntry, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField("类型", max_length=16, choices=AttachmentKind.choices)
    original = models.FileField("原文件", max_length=255)
    original_name = models.CharField("上传文件名", max_length=255)
    size = models.BigIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    content_type = models.CharField("类型", max_length=100)
    width = models.PositiveIntegerField("宽（像素）", null=True, blank=True)
    height = models.PositiveIntegerField("高（像素）", null=True, blank=True)
    thumbnail = models.FileField("缩略图", max_length=255, blank=True)
    derivatives = models.CharField("预览处理", max_length=16, choices=DerivativeState.choices,
                                   default=DerivativeState.PENDING)
    # the run of the thumbnail task that is making it (works.tasks.claim_derivatives): two workers never make it twice
    derivatives_claimed_at = models.DateTimeField("预览处理开始时间", null=True, blank=True, editable=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "台账附件"
        verbose_name_plural = "台账附件"
        ordering = ["entry", "id"]

    def __str__(self) -> str:
        return self.original_name


class EntryComment(models.Model):
    """A comment of a unit or the city office on an entry (查阅台账). The collective sees it, is notified, and
    marks it handled (处理) once it acted on it; until then it is an open comment on its workbench."""

    entry = models.ForeignKey(LedgerEntry, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="评阅人", on_delete=models.PROTECT,
                               related_name="+")
    author_unit = models.ForeignKey("orgs.Unit", verbose_name="评阅单位", on_delete=models.PROTECT,
                                    related_name="+")
    text = models.TextField("意见")
    created_at = models.DateTimeField("时间", auto_now_add=True)
    resolved_at = models.DateTimeField("处理时间", null=True, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="处理人", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "台账评阅意见"
        verbose_name_plural = "台账评阅意见"
        ordering = ["entry", "created_at", "id"]
        indexes = [models.Index(fields=["entry", "resolved_at"])]

    def __str__(self) -> str:
        return self.text[:40]


class LedgerTally(models.Model):
    """What a collective's ledger holds in a campaign, counted: kept by ``ledger.tallies`` in the transaction of
    every write of an entry (and of a member's removal), so that dashboards and indicators over thousands of
    collectives read one row per collective instead of the year's entries and attendances (docs/benchmarks.md:
    a province's dashboard 0.9 s → 0.27 s on PostgreSQL). A row exists while the collective has an entry in the
    campaign; ``manage.py recount_ledger_tallies`` rebuilds them all from the ledger."""

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="+")
    collective = models.ForeignKey("collectives.Collective", on_delete=models.CASCADE, related_name="ledger_tallies")
    benchmark = models.PositiveIntegerField("对标创优记录数", default=0)
    study = models.PositiveIntegerField("青年大学习记录数", default=0)
    families = models.PositiveIntegerField("助千家记录数", default=0)
    open_week = models.PositiveIntegerField("开放周记录数", default=0)
    visitors = models.PositiveBigIntegerField("开放周参观人数", default=0)  # up to 10,000,000 per entry
    study_attended = models.PositiveIntegerField("参加过青年大学习的成员数", default=0)

    class Meta:
        verbose_name = "台账统计"
        verbose_name_plural = "台账统计"
        constraints = [
            models.UniqueConstraint(fields=["collective", "campaign"], name="ledger_tally_one_per_collective"),
        ]
        indexes = [models.Index(fields=["campaign", "collective"])]

    def __str__(self) -> str:
        return f"台账统计 {self.collective_id}/{self.campaign_id}"


class LedgerMonthTally(models.Model):
    """A collective's entries of one month of a campaign, per activity (kept with ``LedgerTally``); a row exists for
    the months with entries."""

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="+")
    collective = models.ForeignKey("collectives.Collective", on_delete=models.CASCADE, related_name="+")
    month = models.DateField("月份", help_text="该月的第一天")
    benchmark = models.PositiveIntegerField("对标创优记录数", default=0)
    study = models.PositiveIntegerField("青年大学习记录数", default=0)
    families = models.PositiveIntegerField("助千家记录数", default=0)
    open_week = models.PositiveIntegerField("开放周记录数", default=0)

    class Meta:
        verbose_name = "台账月度统计"
        verbose_name_plural = "台账月度统计"
        constraints = [
            models.UniqueConstraint(fields=["collective", "campaign", "month"],
                                    name="ledger_month_tally_one_per_month"),
        ]
        indexes = [models.Index(fields=["campaign", "collective", "month"])]

    def __str__(self) -> str:
        return f"台账月度统计 {self.collective_id}/{self.campaign_id}/{self.month:%Y-%m}"
