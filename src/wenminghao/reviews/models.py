from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models

from .enums import RoundStatus


class UnitReport(models.Model):
    """A reviewing unit's report for a campaign: its recommended works and the stamped Attachment 2 table.
    The report is complete only once the stamped scan is uploaded."""
    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="unit_reports")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.CASCADE, related_name="reports")
    stamped_scan = models.FileField("盖章汇总表扫描件", max_length=255)
    scan_name = models.CharField("上传文件名", max_length=255)
    scan_size = models.BigIntegerField("大小（字节）")
    scan_sha256 = models.CharField("SHA-256", max_length=64)
    scan_content_type = models.CharField("类型", max_length=100)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField("报送时间")
    work_count = models.PositiveIntegerField("推荐作品数", default=0)

    class Meta:
        verbose_name = "单位报送"
        verbose_name_plural = "单位报送"
        constraints = [models.UniqueConstraint(fields=["campaign", "unit"], name="one_report_per_unit")]

    def __str__(self) -> str:
        return f"{self.unit} · {self.campaign}"


class ReviewRound(models.Model):
    """A round of central review (集中评议) of one category of a campaign by a panel of judges."""
    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.PROTECT, related_name="review_rounds")
    category = models.CharField("作品类别", max_length=16)
    name = models.CharField("名称", max_length=100)
    is_blind = models.BooleanField("匿名评审", default=True,
                                   help_text="评委看不到创作集体和归口单位的名称。")
    status = models.CharField("状态", max_length=16, choices=RoundStatus.choices, default=RoundStatus.OPEN)
    trim_count = models.PositiveSmallIntegerField(
        "去掉最高分和最低分各几个", default=1, help_text="计算截尾平均分时，去掉的最高分和最低分的个数。"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField("结束时间", null=True, blank=True)
    judges = models.ManyToManyField(settings.AUTH_USER_MODEL, through="RoundJudge", related_name="review_rounds")

    class Meta:
        verbose_name = "评审轮次"
        verbose_name_plural = "评审轮次"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name


class RoundJudge(models.Model):
    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="round_judges")
    judge = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The judge's progress in the round, kept by reviews.standings in the transaction of every change of the
    # round's assignments and of the judge's first save of a work's scores, so that the round's page reads a row
    # per judge instead of grouping the round's hundreds of thousands of assignments.
    assigned = models.PositiveIntegerField("分配作品数", default=0)
    scored = models.PositiveIntegerField("已评分数", default=0)  # assignments with scored_at

    class Meta:
        verbose_name = "评委"
        verbose_name_plural = "评委"
        constraints = [models.UniqueConstraint(fields=["round", "judge"], name="judge_once_per_round")]

    def __str__(self) -> str:
        return f"{self.judge} @ {self.round}"


class Criterion(models.Model):
    """One line of a round's rubric, e.g. 主题契合 (weight 0.3, max 10)."""
    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField("评分项", max_length=50)
    weight = models.DecimalField("权重", max_digits=5, decimal_places=3, validators=[MinValueValidator(0)])
    max_score = models.DecimalField("满分", max_digits=6, decimal_places=2, validators=[MinValueValidator(0)])
    position = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        verbose_name = "评分项"
        verbose_name_plural = "评分项"
        ordering = ["round", "position", "id"]

    def __str__(self) -> str:
        return self.name


class Assignment(models.Model):
    """A work given to a judge in a round; the judge's comment lives here, the scores per criterion below."""
    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="assignments")
    work = models.ForeignKey("works.Work", on_delete=models.PROTECT, related_name="assignments")
    judge = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments")
    comment = models.TextField("评语", blank=True)
    scored_at = models.DateTimeField("评分时间", null=True, blank=True)
    # The judge's weighted score out of 100 (reviews.scoring), kept by reviews.standings whenever the scores change;
    # None until every criterion is scored.
    score = models.DecimalField("得分（百分制）", max_digits=6, decimal_places=2, null=True, blank=True)
    # The work's number in the round (its RoundEntry's), copied here by reviews.standings so that a judge's list
    # is sorted on an index.
    number = models.PositiveIntegerField("编号", null=True, blank=True)

    class Meta:
        verbose_name = "评审分配"
        verbose_name_plural = "评审分配"
        constraints = [
            models.UniqueConstraint(fields=["round", "work", "judge"], name="assignment_once"),
        ]
        indexes = [
            # a judge's list in the works' order, and its counts of what is scored, each read off one index
            models.Index(fields=["judge", "round", "number"], name="assignment_judge_number"),
            models.Index(fields=["judge", "round", "scored_at"], name="assignment_judge_scored"),
        ]

    def __str__(self) -> str:
        return f"{self.work} → {self.judge}"


UNRANKED_KEY = 1000


class RoundEntry(models.Model):
    """One work of a round with its standing: its number in the round (作品 #n: given once, in the order of the
    works' ids when they are assigned, and kept), how many judges it is assigned to and how many have scored it,
    the mean and the trimmed mean. Kept by reviews.standings in the same transaction as every change of the
    round's assignments and scores, so that the results page sorts and pages a province round in the database;
    ranks are counted at read time from the trimmed means (``standings.ranks_for``)."""
    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="entries")
    work = models.ForeignKey("works.Work", on_delete=models.CASCADE, related_name="round_entries")
    number = models.PositiveIntegerField("编号")
    judge_count = models.PositiveSmallIntegerField("分配评委数", default=0)
    scored_count = models.PositiveSmallIntegerField("评分人数", default=0)
    mean = models.DecimalField("平均分", max_digits=6, decimal_places=2, null=True, blank=True)
    trimmed_mean = models.DecimalField("截尾平均分", max_digits=6, decimal_places=2, null=True, blank=True)
    # The order of the results page as one ascending key, so that both databases read it off a plain index: minus
    # the trimmed mean (the best first), UNRANKED_KEY for a work without any score (last).
    rank_key = models.DecimalField("排序键", max_digits=7, decimal_places=2, default=UNRANKED_KEY)

    class Meta:
        verbose_name = "评审作品"
        verbose_name_plural = "评审作品"
        constraints = [
            models.UniqueConstraint(fields=["round", "work"], name="round_entry_once"),
            models.UniqueConstraint(fields=["round", "number"], name="round_entry_number_once"),
        ]
        # the results page's order (best trimmed mean first, unscored last, then by number), read off the index
        indexes = [models.Index(fields=["round", "rank_key", "number"], name="round_entry_standing")]

    def __str__(self) -> str:
        return f"{self.round} · 作品 #{self.number}"


class RoundTally(models.Model):
    """A round's totals over its entries (RoundEntry), kept by reviews.standings with them: its works, those every
    assigned judge has scored (complete), some (partly), none (unscored), and the sums of the entries' judge and
    scored counts. The round list and a round's page read this row instead of summing a province round's entries;
    ``manage.py recount_round_standings`` rebuilds it and ``--check`` compares it with the entries."""
    round = models.OneToOneField(ReviewRound, on_delete=models.CASCADE, primary_key=True, related_name="tally")
    works = models.PositiveIntegerField(default=0)
    complete = models.PositiveIntegerField(default=0)
    partly = models.PositiveIntegerField(default=0)
    unscored = models.PositiveIntegerField(default=0)
    assignments = models.PositiveIntegerField(default=0)  # the sum of the entries' judge_count
    scored = models.PositiveIntegerField(default=0)  # the sum of the entries' scored_count (complete scores)

    class Meta:
        verbose_name = "评审轮次汇总"
        verbose_name_plural = "评审轮次汇总"

    def __str__(self) -> str:
        return f"{self.round}: {self.scored}/{self.assignments}"


class Score(models.Model):
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    value = models.DecimalField("得分", max_digits=6, decimal_places=2, validators=[MinValueValidator(0)])

    class Meta:
        verbose_name = "评分"
        verbose_name_plural = "评分"
        constraints = [models.UniqueConstraint(fields=["assignment", "criterion"], name="score_once")]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.value}"
