from django.db import models


class RoundStatus(models.TextChoices):
    OPEN = "open", "评审中"
    CLOSED = "closed", "已结束"
