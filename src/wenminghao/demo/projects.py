"""The demo's joint project (联创项目, issue 15), made through ``projects.services`` (so partners are rows and every
step is audited): a 区域联创 of the 政务服务 windows of 环翠区 and 文登区 —

- created by 环翠区团委 (``huancui``): 环翠区政务服务中心综合窗口 (``hc_zwfw``) leading, 文登区社会保险服务大厅
  (``wd_sbdt``) its partner, counted in the current city campaign;
- four progress entries (进展) by the two posts, the first with a photo through the one upload path;
- one 互学互访 visit: 文登区社会保险服务大厅 at 环翠区政务服务中心.

So ``huancui``, ``wendeng`` and ``city`` see it (and the two posts' leaders), 荣成市 (``rongcheng``) does not; it
shows on both posts' ledger pages and in the dashboard's 联创 column. The services date everything today; the
project's start, entries and visit are given dates some days back (``DAYS_AGO``).

Idempotent: the project is found again by its lead and title (and then nothing is added). ``load(loader)`` returns
what it made by key: projects (联创项目, 个), project_progress (项目进展, 条), project_visits (互学互访, 次)."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from wenminghao.accounts.models import User
from wenminghao.demo.media import ledger_photo_jpeg
from wenminghao.projects.enums import ProjectKind
from wenminghao.projects.models import Project
from wenminghao.projects.services import add_progress, create_project, record_visit

CAMPAIGN = "current_city"
LEAD, PARTNER = "hc_zwfw", "wd_sbdt"
TITLE = "环翠·文登政务服务窗口区域联创"
GOALS = "\n".join([
    "一、统一标准：对照两区政务服务事项清单，梳理社保、医保等高频事项20项，形成两区通用的“一次告知单”和服务规范。",
    "二、互学互访：两区窗口青年每季度互访1次，互派业务骨干跟岗学习不少于5个工作日。",
    "三、跨区通办：年内实现养老保险关系转续、社保卡挂失补办等8个事项在两区窗口“异地受理、就近可办”。",
    "四、共同服务：联合开展“周末不打烊”“政务服务进企业”活动不少于4次，服务群众和企业职工1000人次以上。",
])
STARTED_DAYS_AGO = 75
PROGRESS = [  # (days ago, who, text, with a photo)
    (70, LEAD, "召开联创启动会。两区窗口号长、青年骨干共16人参加，逐项比对两区政务服务事项清单，确定首批20项高频事项"
               "和分工：环翠区负责起草“一次告知单”样稿，文登区负责梳理社保关系转续的材料清单。", True),
    (49, PARTNER, "文登区社会保险服务大厅完成社保关系转续等8个事项的材料清单，与环翠区样稿合并为两区通用的“一次告知单”"
                  "（第一版），已在两区窗口试用，群众反映材料一次备齐的比例明显提高。", False),
    (28, LEAD, "两区联合开展“周末不打烊”延时服务，环翠区政务服务中心、文登区社会保险服务大厅同步开放，当天共办理业务"
               "86件，其中跨区咨询21件，现场收集群众意见建议9条。", False),
    (9, PARTNER, "养老保险关系转续、社保卡挂失补办2个事项实现两区窗口“异地受理、就近可办”，首周办理12件；下一步推进"
                 "医保异地备案等6个事项。", False),
]
VISIT = {
    "days_ago": 35, "host": LEAD, "visitors": [PARTNER], "topic": "“一窗受理、集成服务”经验交流",
    "notes": "文登区社会保险服务大厅号长带领5名青年到环翠区政务服务中心综合窗口跟岗学习，现场观摩“一窗受理”流程和"
             "“好差评”回访做法，两区就窗口青年轮岗培训、业务骨干结对达成一致，约定下季度回访文登区。",
}


def _date(loader, days: int) -> datetime.date:
    return loader.today - datetime.timedelta(days=days)


def load(loader) -> dict[str, int]:
    created = {"projects": 0, "project_progress": 0, "project_visits": 0}
    lead, partner = loader.collectives[LEAD], loader.collectives[PARTNER]
    if Project.objects.filter(lead=lead, title=TITLE).exists():
        return created
    huancui = User.objects.get(username="huancui")
    project = create_project(actor=huancui, title=TITLE, kind=ProjectKind.REGIONAL, lead=lead, partners=[partner],
                             goals=GOALS, started=_date(loader, STARTED_DAYS_AGO),
                             campaign=loader.campaigns[CAMPAIGN])
    created["projects"] += 1
    accounts = {LEAD: User.objects.get(username=LEAD), PARTNER: User.objects.get(username=PARTNER)}
    for days, who, text, with_photo in PROGRESS:
        day = _date(loader, days)
        photos = []
        if with_photo:
            photos = [SimpleUploadedFile("联创启动会.jpg", ledger_photo_jpeg("window", "两区窗口联创启动会", day),
                                         content_type="image/jpeg")]
        add_progress(actor=accounts[who], project=project, date=day, text=text, photos=photos)
        created["project_progress"] += 1
    record_visit(actor=accounts[PARTNER], project=project, date=_date(loader, VISIT["days_ago"]),
                 host=loader.collectives[VISIT["host"]],
                 visitors=[loader.collectives[key] for key in VISIT["visitors"]], topic=VISIT["topic"],
                 notes=VISIT["notes"])
    created["project_visits"] += 1
    return created
