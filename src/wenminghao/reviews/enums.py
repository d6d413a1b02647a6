from django.db import models


class ReviewStage(models.TextChoices):
    """The levels a work passes through. Multi-level review is data: each decision records its stage."""

    UNIT = "unit", "归口单位审核"
    CITY = "city", "团市委评审"
    PROVINCE = "province", "推报团省委"


class RoundStatus(models.TextChoices):
    OPEN = "open", "评审中"
    CLOSED = "closed", "已结束"
