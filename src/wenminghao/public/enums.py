from django.db import models


class FeedbackKind(models.TextChoices):
    PRAISE = "praise", "表扬"
    SUGGESTION = "suggestion", "建议"
    COMPLAINT = "complaint", "投诉"


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", "满意"
    BASICALLY = "basically", "基本满意"
    DISSATISFIED = "dissatisfied", "不满意"


class FeedbackState(models.TextChoices):
    OPEN = "open", "待答复"
    ANSWERED = "answered", "已答复"
    CLOSED = "closed", "已办结"
