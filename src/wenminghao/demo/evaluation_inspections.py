"""The demo's field inspections (实地考察) in the current city campaign, written through
``evaluation.services.inspections`` (every rule holds, every step is audited, the photo goes through the one checked
upload path):

- 文登区团委 inspected 文登区人民医院急诊科 (``wd_jzk``) 20 days ago: every item in order, rated 良好, no
  rectification;
- 环翠区团委 inspected 不动产登记受理窗口 (``hc_bdc``) 25 days ago: the sign not on the wall, rated 合格, a
  rectification asked; the collective answered with a photo of the sign on the wall, and the answer waits for
  ``huancui`` to accept it (or ask again);
- 文登区团委 inspected 曲轴精磨车间 (``wd_jmcj``) 40 days ago: the ledger incomplete and the supervision phone not on
  display, rated 不合格, a rectification due 5 days ago and not answered: flagged 整改逾期.

There is deliberately none of 环翠区政务服务中心综合窗口 (``hc_zwfw``): the city's inspection of it is the tester's
to record by hand. Idempotent: an inspection is found again by its collective and findings, its photo by its name,
its answer by the state. ``load(loader)`` returns what it made by key: inspections (实地考察, 次), inspection_photos
(整改照片, 张), rectification_answers (整改反馈, 次)."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from wenminghao.accounts.models import User
from wenminghao.demo import media as demo_media
from wenminghao.evaluation.enums import RectificationState
from wenminghao.evaluation.models import Inspection
from wenminghao.evaluation.services import inspections as services

CAMPAIGN = "current_city"
IN_ORDER, NOT_IN_ORDER = services.IN_ORDER, services.NOT_IN_ORDER
EVERY_ITEM_IN_ORDER = {"ledger": IN_ORDER, "sign": IN_ORDER, "commitment": IN_ORDER, "supervision_phone": IN_ORDER}

INSPECTIONS = [
    {"by": "wendeng", "collective": "wd_jzk", "days_ago": 20, "inspectors": "毕文静、刘海燕",
     "checks": EVERY_ITEM_IN_ORDER, "rating": "good",
     "findings": "台账记录完整，青年大学习轮流领学有签到和照片；急诊大厅醒目位置有青年文明号标识、服务承诺和监督电话；"
                 "急救绿色通道运转顺畅。建议把“进门至球囊扩张时间”的改进做法整理成案例。"},
    {"by": "huancui", "collective": "hc_bdc", "days_ago": 25, "inspectors": "曲晓东、王倩",
     "checks": {"ledger": IN_ORDER, "sign": NOT_IN_ORDER, "commitment": IN_ORDER, "supervision_phone": IN_ORDER},
     "rating": "pass", "rectify_in": 30,
     "findings": "台账齐全，服务承诺和监督电话在受理台公示；但青年文明号标识只放在后台办公室，群众在受理大厅看不到。",
     "rectification": "在受理大厅入口或叫号屏旁的醒目位置悬挂青年文明号标识，并拍照反馈。",
     "answer": "已在受理大厅入口的叫号屏旁悬挂青年文明号标识牌，与监督电话并排公示，照片见附件。",
     "photo": ("标识上墙整改后.jpg", "window", "青年文明号标识已悬挂在受理大厅入口"), "answered_days_ago": 6},
    {"by": "wendeng", "collective": "wd_jmcj", "days_ago": 40, "inspectors": "毕文静、孙磊",
     "checks": {"ledger": NOT_IN_ORDER, "sign": IN_ORDER, "commitment": IN_ORDER, "supervision_phone": NOT_IN_ORDER},
     "rating": "fail", "rectify_in": 35,
     "findings": "台账中青年大学习缺少签到表，对标创优成果没有测算依据；车间入口的监督电话公示牌已拆除，未重新张贴。",
     "rectification": "补齐青年大学习签到表和对标创优成果的测算依据；在车间入口重新公示监督电话。"},
]


def load(loader) -> dict[str, int]:
    created = {"inspections": 0, "inspection_photos": 0, "rectification_answers": 0}
    campaign = loader.campaigns[CAMPAIGN]
    for spec in INSPECTIONS:
        collective = loader.collectives[spec["collective"]]
        inspection = Inspection.objects.filter(collective=collective, findings=spec["findings"]).first()
        if inspection is None:
            day = loader.today - datetime.timedelta(days=spec["days_ago"])
            rectify_by = day + datetime.timedelta(days=spec["rectify_in"]) if spec.get("rectification") else None
            inspection = services.record_inspection(actor=User.objects.get(username=spec["by"]), collective=collective,
                                                    data={
                "campaign": campaign.pk, "date": day, "inspectors": spec["inspectors"], "checks": spec["checks"],
                "findings": spec["findings"], "rating": spec["rating"],
                "rectification": spec.get("rectification", ""), "rectify_by": rectify_by,
            })
            created["inspections"] += 1
        if "answer" in spec:
            _answer(loader, inspection, spec, created)
    return created


def _answer(loader, inspection: Inspection, spec: dict, created: dict[str, int]) -> None:
    """The leader uploads the photo of the change and answers, as it would on the inspection's page."""
    leader = User.objects.get(username=spec["collective"])
    name, motif, caption = spec["photo"]
    answered_on = loader.today - datetime.timedelta(days=spec["answered_days_ago"])
    if inspection.rectification_state == RectificationState.ASKED:
        if not inspection.photos.filter(original_name=name).exists():
            data = demo_media.ledger_photo_jpeg(motif, caption, answered_on)
            services.add_inspection_photo(actor=leader, inspection=inspection, upload=SimpleUploadedFile(name, data))
            created["inspection_photos"] += 1
        services.change_rectification(actor=leader, inspection=inspection, to_state=RectificationState.ANSWERED,
                                      response=spec["answer"])
        created["rectification_answers"] += 1
