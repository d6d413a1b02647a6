from django.db import models

from wenminghao.collectives.enums import HonourLevel

# A campaign creates titles of the same levels a collective can hold.
CampaignLevel = HonourLevel


class FilingStatus(models.TextChoices):
    PENDING = "pending", "待归口单位审核"
    ACCEPTED = "accepted", "已接受"
    RETURNED = "returned", "已退回"
