from django.db import models


class CampaignLevel(models.TextChoices):
    DISTRICT = "district", "区市级"
    CITY = "city", "市级"
    PROVINCE = "province", "省级"
    NATIONAL = "national", "全国"


class FilingStatus(models.TextChoices):
    PENDING = "pending", "待归口单位审核"
    ACCEPTED = "accepted", "已接受"
    RETURNED = "returned", "已退回"
