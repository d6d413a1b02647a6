from django.db import models


class UnitKind(models.TextChoices):
    NATIONAL = "national", "全国"
    PROVINCE = "province", "省级团委"
    CITY = "city", "市级团委"
    AREA = "area", "区市团委"
    INDUSTRY = "industry", "市直/行业团委"


# Kinds whose office runs campaigns and sees everything below it.
OFFICE_KINDS = (UnitKind.NATIONAL, UnitKind.PROVINCE, UnitKind.CITY)

# Which kinds of unit may sit directly under a unit of each kind: province → cities (and provincial
# industry systems), city → area and municipal industry units, and each of those → its own sub-units.
CHILD_KINDS = {
    UnitKind.NATIONAL: (UnitKind.PROVINCE, UnitKind.INDUSTRY),
    UnitKind.PROVINCE: (UnitKind.CITY, UnitKind.INDUSTRY),
    UnitKind.CITY: (UnitKind.AREA, UnitKind.INDUSTRY),
    UnitKind.AREA: (UnitKind.AREA,),
    UnitKind.INDUSTRY: (UnitKind.INDUSTRY,),
}
