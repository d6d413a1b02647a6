from django.db import models


class Category(models.TextChoices):
    PHOTO = "photo", "“改革开放青观察”图片作品"
    PUBLICITY = "publicity", "“新时代青年说”宣传作品"
    ESSAY = "essay", "“品牌建设青之见”征文"


class DisplayForm(models.TextChoices):
    PICTURE = "picture", "图片"
    COMIC = "comic", "漫画"
    ANIMATION = "animation", "动漫"
    VIDEO = "video", "视频"
    H5 = "h5", "H5"
    ESSAY = "essay", "征文"


# Which display forms each category offers.
CATEGORY_FORMS = {
    Category.PHOTO: (DisplayForm.PICTURE, DisplayForm.COMIC),
    Category.PUBLICITY: (DisplayForm.VIDEO, DisplayForm.ANIMATION, DisplayForm.H5),
    Category.ESSAY: (DisplayForm.ESSAY,),
}


class EssayKind(models.TextChoices):
    PRACTICE = "practice", "实践案例（不超过2000字）"
    THEORY = "theory", "理论阐述（不超过5000字）"


class WorkStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已提交"
    RETURNED = "returned", "已退回"
    RECOMMENDED = "recommended", "已推荐"
    SHORTLISTED = "shortlisted", "入围"
    SHOWCASED = "showcased", "优秀展示"
    FORWARDED = "forwarded", "推报团省委"


EDITABLE_STATUSES = (WorkStatus.DRAFT, WorkStatus.RETURNED)


class FileRole(models.TextChoices):
    PICTURE = "picture", "图片"
    VIDEO = "video", "视频或动画"
    SCREENSHOT = "screenshot", "H5截图"
    ESSAY_DOCX = "essay_docx", "征文Word文档"


class DerivativeState(models.TextChoices):
    PENDING = "pending", "处理中"
    READY = "ready", "已完成"
    FAILED = "failed", "处理失败"


class WorkStage(models.TextChoices):
    """Who moves a work at each step of its life (works/transitions.py). Multi-level review is data: each decision
    records its stage."""

    COLLECTIVE = "collective", "创作集体提交"
    UNIT = "unit", "归口单位审核"
    CITY = "city", "团市委评审"
    PROVINCE = "province", "推报团省委"
