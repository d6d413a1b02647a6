from django.db import models


class Sector(models.TextChoices):
    PRODUCTION = "production", "生产经营"
    ADMINISTRATION = "administration", "行政管理"
    SERVICE = "service", "服务行业和窗口单位"
    RESEARCH = "research", "生产科研"


class OrgType(models.TextChoices):
    STATE_ENTERPRISE = "state_enterprise", "国有企业"
    PUBLIC_INSTITUTION = "public_institution", "机关事业单位"
    NON_PUBLIC = "non_public", "非公经济组织"
    SOCIAL = "social", "社会组织"


class WorkingUnitForm(models.TextChoices):
    """The basic condition asks for a stable working unit (窗口、班组、车间、厂站、科室)."""

    WINDOW = "window", "窗口"
    TEAM = "team", "班组"
    WORKSHOP = "workshop", "车间"
    STATION = "station", "厂站"
    SECTION = "section", "科室"
    OTHER = "other", "其他（非固定工作单元）"


STABLE_UNIT_FORMS = {
    WorkingUnitForm.WINDOW,
    WorkingUnitForm.TEAM,
    WorkingUnitForm.WORKSHOP,
    WorkingUnitForm.STATION,
    WorkingUnitForm.SECTION,
}


class HonourLevel(models.TextChoices):
    DISTRICT = "district", "区市级"
    CITY = "city", "市级"
    PROVINCE = "province", "省级"
    NATIONAL = "national", "全国"


class HonourState(models.TextChoices):
    """A title's state as API.md names it (``Honour.state_on``): valid, expired at the end of its term (届期), or
    revoked (撤销称号). Only a valid title counts for eligibility."""

    VALID = "valid", "有效"
    EXPIRED = "expired", "已到期"
    REVOKED = "revoked", "已撤销"


HONOUR_RANK = {
    HonourLevel.DISTRICT: 1,
    HonourLevel.CITY: 2,
    HonourLevel.PROVINCE: 3,
    HonourLevel.NATIONAL: 4,
}
