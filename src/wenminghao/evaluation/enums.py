"""The choices of evaluation and dynamic management (三、工作要求): inspections, titles, training and exchange."""

from django.db import models


class InspectionItem(models.TextChoices):
    """What a field inspection (实地考察) checks on site: the ledger and the open-week items on display."""

    LEDGER = "ledger", "台账"
    SIGN = "sign", "标识上墙"
    COMMITMENT = "commitment", "服务承诺"
    SUPERVISION_PHONE = "supervision_phone", "监督电话"


class InspectionRating(models.TextChoices):
    EXCELLENT = "excellent", "优秀"
    GOOD = "good", "良好"
    PASS = "pass", "合格"
    FAIL = "fail", "不合格"


class RectificationState(models.TextChoices):
    """The rectification (整改) an inspection asks for: none, asked (awaiting the collective), answered (awaiting
    the inspectors), accepted. ``services.inspections.RECTIFICATION_TRANSITIONS`` is its one transition table."""

    NONE = "none", "无需整改"
    ASKED = "asked", "待整改"
    ANSWERED = "answered", "已反馈整改"
    ACCEPTED = "accepted", "整改通过"


class TitleEventKind(models.TextChoices):
    """What happens to a title (动态管理): the yearly review (复核), a warning (警告提醒) with a period to fix
    problems, revocation (撤销称号)."""

    REVIEW = "review", "年度复核"
    WARNING = "warning", "警告提醒"
    REVOCATION = "revocation", "撤销称号"


class ReviewResult(models.TextChoices):
    PASSED = "passed", "复核通过"
    FAILED = "failed", "复核未通过"

