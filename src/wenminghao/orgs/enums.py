from django.db import models


class UnitKind(models.TextChoices):
    NATIONAL = "national", "全国"
    PROVINCE = "province", "省级团委"
    CITY = "city", "市级团委"
    AREA = "area", "区市团委"
    INDUSTRY = "industry", "市直/行业团委"


# Kinds whose office runs campaigns and sees everything below it.
OFFICE_KINDS = (UnitKind.NATIONAL, UnitKind.PROVINCE, UnitKind.CITY)
