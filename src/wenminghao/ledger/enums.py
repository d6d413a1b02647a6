"""The ledger's choices (API.md, "Ledger: the fields of each activity"); the values are the API's."""

from django.db import models

from wenminghao.collectives.enums import Sector


class Activity(models.TextChoices):
    """The four themed activities of the notice (二、重点工作), the year's evaluation indicators."""

    BENCHMARK = "benchmark", "对标创优"
    STUDY = "study", "青年大学习"
    FAMILIES = "families", "助千家"
    OPEN_WEEK = "open_week", "开放周"


ACTIVITY_LONG_NAMES = {
    Activity.BENCHMARK: "青年文明号对标创优",
    Activity.STUDY: "青年文明号青年大学习",
    Activity.FAMILIES: "青年文明号助千家",
    Activity.OPEN_WEEK: "青年文明号开放周",
}


class BenchmarkStage(models.TextChoices):
    TARGET = "target", "创优目标"
    RESULT = "result", "创优成果"


class BenefitKind(models.TextChoices):
    ECONOMIC = "economic", "经济效益"
    SOCIAL = "social", "社会效益"


class BenchmarkFocus(models.TextChoices):
    """The notice's areas of 对标创优, by the collective's sector (offered by sector, with 其他)."""

    PROCESS = "process", "生产工艺"
    OPERATION = "operation", "技术操作"
    MECHANISM = "mechanism", "工作机制"
    PRODUCT = "product", "服务产品"
    DESIGN = "design", "设计创意"
    MANAGEMENT_IDEA = "management_idea", "管理理念"
    MANAGEMENT_MODEL = "management_model", "管理模式"
    EFFICIENCY = "efficiency", "办事效率"
    SERVICE_METHOD = "service_method", "服务方式"
    CONVENIENCE = "convenience", "便民服务举措"
    SERVICE_ENVIRONMENT = "service_environment", "服务环境"
    LEADING_STANDARD = "leading_standard", "行业领先标准"
    POST_TARGET = "post_target", "岗位创优目标"
    CRAFTSMANSHIP = "craftsmanship", "工匠精神"
    OTHER = "other", "其他"


FOCUS_BY_SECTOR: dict[str, tuple[str, ...]] = {
    Sector.PRODUCTION: (BenchmarkFocus.PROCESS, BenchmarkFocus.OPERATION, BenchmarkFocus.MECHANISM,
                        BenchmarkFocus.PRODUCT, BenchmarkFocus.DESIGN),
    Sector.ADMINISTRATION: (BenchmarkFocus.MANAGEMENT_IDEA, BenchmarkFocus.MANAGEMENT_MODEL,
                            BenchmarkFocus.EFFICIENCY),
    Sector.SERVICE: (BenchmarkFocus.SERVICE_METHOD, BenchmarkFocus.CONVENIENCE, BenchmarkFocus.SERVICE_ENVIRONMENT),
    Sector.RESEARCH: (BenchmarkFocus.LEADING_STANDARD, BenchmarkFocus.POST_TARGET, BenchmarkFocus.CRAFTSMANSHIP),
}


def focus_choices_for(sector: str) -> list[tuple[str, str]]:
    """The areas offered to a collective of ``sector``, then 其他."""
    values = (*FOCUS_BY_SECTOR.get(sector, ()), BenchmarkFocus.OTHER)
    return [(value, BenchmarkFocus(value).label) for value in values]


class StudyForm(models.TextChoices):
    """领学领讲 plus: 研讨、考察、征文、微团课 (the notice's “领学领讲+研讨、+考察、+征文、+微团课”)."""

    SEMINAR = "seminar", "研讨"
    VISIT = "visit", "考察"
    ESSAY = "essay", "征文"
    MICRO_LECTURE = "micro_lecture", "微团课"
    OTHER = "other", "其他"


class HelpKind(models.TextChoices):
    """The notice's six kinds of help to a family (助千家)."""

    COMPANIONSHIP = "companionship", "亲情陪伴"
    COUNSELLING = "counselling", "心理疏导"
    EDUCATION = "education", "助学扶智"
    RIGHTS = "rights", "权益维护"
    INCOME = "income", "创业增收"
    INSURANCE = "insurance", "保险救助"


class OpenWeekItem(models.TextChoices):
    """What an open-week event showed (亮身份、亮形象、亮承诺)."""

    COMMITMENT = "commitment", "示范承诺"
    SUPERVISION_PHONE = "supervision_phone", "监督电话"
    IDENTITY = "identity", "成员身份"
    BADGES = "badges", "佩戴标志"
    POSTERS = "posters", "标识海报"
    CONVENIENCE = "convenience", "便民措施"
    OTHER = "other", "其他"


class PairingOutcome(models.TextChoices):
    OUT_OF_POVERTY = "out_of_poverty", "已脱贫"
    IMPROVING = "improving", "好转"
    NOT_YET = "not_yet", "未脱贫"


class IncomeTrend(models.TextChoices):
    RISING = "rising", "收入增加"
    STEADY = "steady", "收入稳定"
    FALLING = "falling", "收入下降"


class PairingState(models.TextChoices):
    ACTIVE = "active", "帮扶中"
    ENDED = "ended", "已结束"
    WITHDRAWN = "withdrawn", "监护人已撤回同意"


class AttachmentKind(models.TextChoices):
    PICTURE = "picture", "图片"
    PDF = "pdf", "PDF文档"
    DOCX = "docx", "Word文档"


class DerivativeState(models.TextChoices):
    PENDING = "pending", "处理中"
    READY = "ready", "已完成"
    FAILED = "failed", "失败"
    NONE = "none", "无需处理"
