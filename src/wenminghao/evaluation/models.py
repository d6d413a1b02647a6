"""Evaluation and dynamic management (三、工作要求): reminders to collectives that lack an activity, field inspections
(实地考察) with their rectification, the central evaluation (集中评议) of creating collectives with the weights the
office sets, leader training (号长培训), exchange visits (交流观摩), new-and-old pairs (新老号结对), the naming (命名)
that writes a collective's ``Honour``, and the events of a title's life (复核, 警告提醒, 撤销称号).

Every figure of the dashboards is counted from these rows and the ledger's in the database (``selectors``)."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from wenminghao.ledger.enums import Activity

from .enums import InspectionItem, InspectionRating, RectificationState, ReviewResult, TitleEventKind

TEXT_MAX_CHARS = 2000
REASON_MAX_CHARS = 500


# --- reminders -----------------------------------------------------------------------------------------------


class Reminder(models.Model):
    """A reminder (催办) a unit or the office sent, in the platform and by e-mail, to the creating collectives of its
    subtree that had no ledger entry of an activity in a campaign; its recipients are rows (who was reminded when)."""

    campaign = models.ForeignKey("campaigns.Campaign", verbose_name="创建活动", on_delete=models.CASCADE,
                                 related_name="reminders")
    unit = models.ForeignKey("orgs.Unit", verbose_name="发送单位", on_delete=models.PROTECT, related_name="+")
    activity = models.CharField("缺少的活动", max_length=16, choices=Activity.choices)
    message = models.TextField("提醒内容", max_length=TEXT_MAX_CHARS)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="发送人", on_delete=models.PROTECT,
                                related_name="+")
    sent_at = models.DateTimeField("发送时间", auto_now_add=True)
    recipient_count = models.PositiveIntegerField("提醒集体数", default=0)

    class Meta:
        verbose_name = "催办提醒"
        verbose_name_plural = "催办提醒"
        ordering = ["-sent_at", "-id"]
        indexes = [models.Index(fields=["campaign", "unit", "-sent_at"], name="reminder_campaign_unit")]

    def __str__(self) -> str:
        return f"{self.get_activity_display()}催办（{self.recipient_count}个集体）"


class ReminderRecipient(models.Model):
    reminder = models.ForeignKey(Reminder, on_delete=models.CASCADE, related_name="recipients")
    collective = models.ForeignKey("collectives.Collective", verbose_name="集体", on_delete=models.CASCADE,
                                   related_name="reminders_received")

    class Meta:
        verbose_name = "提醒对象"
        verbose_name_plural = "提醒对象"
        constraints = [models.UniqueConstraint(fields=["reminder", "collective"], name="reminder_recipient_once")]
        indexes = [models.Index(fields=["collective", "reminder"], name="reminder_recipient_collective")]

    def __str__(self) -> str:
        return str(self.collective)


# --- field inspections (实地考察) -----------------------------------------------------------------------------


class Inspection(models.Model):
    """A field inspection of a collective's post: what the inspectors checked, what they found, a rating and the
    rectification (整改) they asked for with its deadline; the collective answers with what it changed."""

    campaign = models.ForeignKey("campaigns.Campaign", verbose_name="创建活动", on_delete=models.PROTECT,
                                 related_name="inspections")
    collective = models.ForeignKey("collectives.Collective", verbose_name="集体", on_delete=models.PROTECT,
                                   related_name="inspections")
    unit = models.ForeignKey("orgs.Unit", verbose_name="考察单位", on_delete=models.PROTECT, related_name="+")
    date = models.DateField("考察日期")
    inspectors = models.CharField("考察人员", max_length=200)
    findings = models.TextField("考察发现", max_length=TEXT_MAX_CHARS)
    rating = models.CharField("考察结果", max_length=16, choices=InspectionRating.choices)
    rectification = models.TextField("整改要求", max_length=TEXT_MAX_CHARS, blank=True)
    rectify_by = models.DateField("整改期限", null=True, blank=True)
    rectification_state = models.CharField("整改状态", max_length=16, choices=RectificationState.choices,
                                           default=RectificationState.NONE)
    response = models.TextField("整改情况", max_length=TEXT_MAX_CHARS, blank=True)
    responded_at = models.DateTimeField("反馈时间", null=True, blank=True)
    responded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="反馈人", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "实地考察"
        verbose_name_plural = "实地考察"
        ordering = ["-date", "-id"]
        indexes = [
            models.Index(fields=["campaign", "-date", "-id"], name="inspection_campaign_date"),
            models.Index(fields=["collective", "-date"], name="inspection_collective_date"),
            models.Index(fields=["rectification_state", "rectify_by"], name="inspection_rectification"),
        ]

    def __str__(self) -> str:
        # The audit log's object column names the collective (the services load it with the inspection).
        return f"{self.collective.name} {self.date:%Y-%m-%d} 实地考察（{self.get_rating_display()}）"


class InspectionCheck(models.Model):
    """One item the inspectors checked, and whether it was in order (a row each, so that they count in SQL)."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="checks")
    item = models.CharField("检查项目", max_length=32, choices=InspectionItem.choices)
    in_order = models.BooleanField("符合要求", default=True)

    class Meta:
        verbose_name = "考察项目"
        verbose_name_plural = "考察项目"
        constraints = [models.UniqueConstraint(fields=["inspection", "item"], name="inspection_item_once")]

    def __str__(self) -> str:
        return f"{self.get_item_display()}：{'符合' if self.in_order else '不符合'}"


class InspectionPhoto(models.Model):
    """A photo of the collective's rectification (JPEG or PNG), stored only once fully written and checked."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="photos")
    original = models.FileField("原文件", max_length=255)
    original_name = models.CharField("上传文件名", max_length=255)
    size = models.BigIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    content_type = models.CharField("类型", max_length=100)
    width = models.PositiveIntegerField("宽（像素）", null=True, blank=True)
    height = models.PositiveIntegerField("高（像素）", null=True, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "整改照片"
        verbose_name_plural = "整改照片"
        ordering = ["inspection", "id"]

    def __str__(self) -> str:
        return self.original_name


# --- central evaluation (集中评议) ----------------------------------------------------------------------------


class AssessmentWeights(models.Model):
    """The weights (in points out of 100) the office sets per campaign for the suggested score of a creating
    collective: the four activities and its works (``scoring.suggested_score``)."""

    campaign = models.OneToOneField("campaigns.Campaign", verbose_name="创建活动", on_delete=models.CASCADE,
                                    related_name="assessment_weights")
    benchmark = models.PositiveSmallIntegerField("对标创优", default=20, validators=[MaxValueValidator(100)])
    study = models.PositiveSmallIntegerField("青年大学习", default=20, validators=[MaxValueValidator(100)])
    families = models.PositiveSmallIntegerField("助千家", default=20, validators=[MaxValueValidator(100)])
    open_week = models.PositiveSmallIntegerField("开放周", default=20, validators=[MaxValueValidator(100)])
    works = models.PositiveSmallIntegerField("成果作品", default=20, validators=[MaxValueValidator(100)])
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="设置人", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField("设置时间", auto_now=True)

    class Meta:
        verbose_name = "评议权重"
        verbose_name_plural = "评议权重"

    def __str__(self) -> str:
        return f"{self.campaign.name}：评议权重"


class Assessment(models.Model):
    """The leadership group's score of one creating collective in a campaign: the suggested score computed from its
    indicators when it was scored, and the score given (equal, or adjusted with a reason)."""

    campaign = models.ForeignKey("campaigns.Campaign", verbose_name="创建活动", on_delete=models.CASCADE,
                                 related_name="assessments")
    collective = models.ForeignKey("collectives.Collective", verbose_name="集体", on_delete=models.PROTECT,
                                   related_name="assessments")
    suggested_score = models.DecimalField("建议得分", max_digits=5, decimal_places=2)
    score = models.DecimalField("评议得分", max_digits=5, decimal_places=2,
                                validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))])
    adjustment_reason = models.TextField("调整理由", max_length=REASON_MAX_CHARS, blank=True)
    scored_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="评议人", on_delete=models.PROTECT,
                                  related_name="+")
    scored_at = models.DateTimeField("评议时间", auto_now=True)

    class Meta:
        verbose_name = "集中评议"
        verbose_name_plural = "集中评议"
        ordering = ["-score", "collective_id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "collective"], name="assessment_once")]
        indexes = [models.Index(fields=["campaign", "-score", "collective"], name="assessment_ranking")]

    def __str__(self) -> str:
        # The audit log's object column: the collective is named (the services set it, so no query is made).
        return f"{self.collective.name}：评议得分 {self.score}"


# --- leader training, exchange visits, new-and-old pairs -------------------------------------------------------


class TrainingSession(models.Model):
    """A leader training (号长培训) held by a unit or the office; its attendees are collectives' leaders."""

    campaign = models.ForeignKey("campaigns.Campaign", verbose_name="创建活动", on_delete=models.PROTECT,
                                 related_name="trainings")
    unit = models.ForeignKey("orgs.Unit", verbose_name="举办单位", on_delete=models.PROTECT, related_name="+")
    date = models.DateField("培训日期")
    title = models.CharField("培训主题", max_length=100)
    place = models.CharField("地点", max_length=100, blank=True)
    content = models.TextField("培训内容", max_length=TEXT_MAX_CHARS, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "号长培训"
        verbose_name_plural = "号长培训"
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["campaign", "-date"], name="training_campaign_date")]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.title}"


class TrainingAttendance(models.Model):
    """A collective's leader at a training; the name is kept should the member later leave."""

    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="attendances")
    collective = models.ForeignKey("collectives.Collective", verbose_name="集体", on_delete=models.CASCADE,
                                   related_name="trainings_attended")
    member = models.ForeignKey("collectives.Member", verbose_name="参训号长", null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    member_name = models.CharField("参训人姓名", max_length=50)

    class Meta:
        verbose_name = "参训记录"
        verbose_name_plural = "参训记录"
        constraints = [models.UniqueConstraint(fields=["session", "collective"], name="training_collective_once")]
        indexes = [models.Index(fields=["collective", "session"], name="training_attendance_collective")]

    def __str__(self) -> str:
        return self.member_name


class ExchangeVisit(models.Model):
    """An exchange visit (交流观摩, 互学互访): visiting collectives learn at a host collective's post."""

    campaign = models.ForeignKey("campaigns.Campaign", verbose_name="创建活动", on_delete=models.PROTECT,
                                 related_name="exchange_visits")
    unit = models.ForeignKey("orgs.Unit", verbose_name="组织单位", on_delete=models.PROTECT, related_name="+")
    date = models.DateField("观摩日期")
    host = models.ForeignKey("collectives.Collective", verbose_name="观摩地点（东道集体）", on_delete=models.PROTECT,
                             related_name="exchange_visits_hosted")
    visitors = models.ManyToManyField("collectives.Collective", verbose_name="参加观摩的集体",
                                      related_name="exchange_visits_made")
    topic = models.CharField("观摩主题", max_length=100)
    notes = models.TextField("交流情况", max_length=TEXT_MAX_CHARS, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "交流观摩"
        verbose_name_plural = "交流观摩"
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["campaign", "-date"], name="exchange_campaign_date")]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.topic}"


class MentorPair(models.Model):
    """A new-and-old pair (新老号结对): a post holding a valid title guides a creating collective."""

    campaign = models.ForeignKey("campaigns.Campaign", verbose_name="创建活动", on_delete=models.PROTECT,
                                 related_name="mentor_pairs")
    unit = models.ForeignKey("orgs.Unit", verbose_name="组织单位", on_delete=models.PROTECT, related_name="+")
    mentor = models.ForeignKey("collectives.Collective", verbose_name="老号（已获称号）", on_delete=models.PROTECT,
                               related_name="mentor_pairs_as_mentor")
    mentee = models.ForeignKey("collectives.Collective", verbose_name="新号（创建集体）", on_delete=models.PROTECT,
                               related_name="mentor_pairs_as_mentee")
    started = models.DateField("结对日期")
    goals = models.TextField("结对内容", max_length=TEXT_MAX_CHARS, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "新老号结对"
        verbose_name_plural = "新老号结对"
        ordering = ["-started", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "mentor", "mentee"], name="mentor_pair_once",
                                    violation_error_message="这两个集体在本次创建活动中已结对"),
            models.CheckConstraint(condition=~Q(mentor=models.F("mentee")), name="mentor_pair_two_collectives",
                                   violation_error_message="新老号结对须为两个不同的集体"),
        ]

    def __str__(self) -> str:
        # The audit log's object column names both sides (the services and lists load them with the pair).
        return f"新老号结对：{self.mentor.name}—{self.mentee.name}"


# --- naming (命名) and the life of a title ----------------------------------------------------------------------


class Naming(models.Model):
    """The office's decision to name (命名) a creating collective at its campaign's level: it wrote ``honour``."""

    campaign = models.ForeignKey("campaigns.Campaign", verbose_name="创建活动", on_delete=models.PROTECT,
                                 related_name="namings")
    collective = models.ForeignKey("collectives.Collective", verbose_name="集体", on_delete=models.PROTECT,
                                   related_name="namings")
    honour = models.OneToOneField("collectives.Honour", verbose_name="称号", on_delete=models.PROTECT,
                                  related_name="naming")
    named_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="命名人", on_delete=models.PROTECT,
                                 related_name="+")
    named_at = models.DateTimeField("命名时间", auto_now_add=True)

    class Meta:
        verbose_name = "命名"
        verbose_name_plural = "命名"
        ordering = ["campaign", "collective__unit__path", "collective_id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "collective"], name="naming_once")]

    def __str__(self) -> str:
        return str(self.honour)


class TitleEvent(models.Model):
    """One event in the life of a title (动态管理): a yearly review (复核) with its result, a warning (警告提醒) with
    the date problems must be fixed by, or the revocation (撤销称号) with its reason."""

    honour = models.ForeignKey("collectives.Honour", verbose_name="称号", on_delete=models.CASCADE,
                               related_name="events")
    kind = models.CharField("类型", max_length=16, choices=TitleEventKind.choices)
    year = models.PositiveSmallIntegerField("复核年度", null=True, blank=True)
    result = models.CharField("复核结果", max_length=16, choices=ReviewResult.choices, blank=True)
    reason = models.TextField("理由", max_length=REASON_MAX_CHARS)
    fix_by = models.DateField("整改期限", null=True, blank=True)
    inspection = models.ForeignKey(Inspection, verbose_name="相关实地考察", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.PROTECT,
                              related_name="+")
    unit = models.ForeignKey("orgs.Unit", verbose_name="操作单位", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "称号管理记录"
        verbose_name_plural = "称号管理记录"
        ordering = ["honour", "-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["honour", "year"], condition=Q(kind=TitleEventKind.REVIEW),
                                    name="title_review_once_a_year",
                                    violation_error_message="该称号本年度已复核"),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()
