"""The demo's leader training (号长培训), exchange visits (交流观摩) and new-and-old pairs (新老号结对) in the current
city campaign, written through ``evaluation.services.development`` (so every rule holds and every step is audited):

- the city's training of the creating collectives' leaders, 45 days ago, attended by two thirds of them (every
  creating collective but each third one, in the order of the units and names), so that the office has some left to
  follow up on the trainings page (未培训);
- 环翠区团委's own training, 20 days ago, of three of its leaders (one of them missed the city's);
- two visits: the city's to 环翠区政务服务中心综合窗口 by windows of four other units, and 文登区团委's to
  文登区人民医院急诊科;
- two pairs: 威海公交集团1路车队 (``jt_1lu``, holding the province title) guides 文登区社会保险服务大厅 (``wd_sbdt``),
  recorded by the city; 不动产登记受理窗口 (``hc_bdc``, city title) guides 鲸园街道便民服务中心综合窗口
  (``jy_bmfw``), recorded by 环翠区团委.

Idempotent: a training is found again by its title, a visit by its topic, a pair by its two collectives; ticking
attendees again changes nothing. ``load(loader)`` returns what it made by key: trainings (号长培训, 次),
trained_leaders (参训号长, 人次), exchange_visits (交流观摩, 次), mentor_pairs (新老号结对, 对)."""

import datetime

from wenminghao.accounts.models import User
from wenminghao.campaigns.selectors import creating_filings
from wenminghao.evaluation.models import ExchangeVisit, MentorPair, TrainingSession
from wenminghao.evaluation.services import development as services

CAMPAIGN = "current_city"

CITY_TRAINING = ("city", 45, "青年文明号号长培训班", "团市委三楼会议室",
                 "学习创建活动通知和“四个一”重点工作；台账（对标创优、青年大学习、助千家、开放周）的填报要求；"
                 "成果作品的报送标准与8月20日的截止时间；优秀号长交流带队经验。")
HUANCUI_TRAINING = ("huancui", 20, "环翠区青年文明号号长业务培训", "环翠区团委会议室",
                    "逐项讲解台账填报中常见的问题，现场演示在平台上登记青年大学习和开放周。")
HUANCUI_ATTENDEES = ("hc_jjy", "jy_bmfw", "jy_lele")
VISITS = [
    ("city", 30, "hc_zwfw", ("wd_sbdt", "jq_bdc", "jy_bmfw", "jr_yyb"), "政务服务窗口“一次办好”现场观摩",
     "观摩综合窗口“一窗受理、集成服务”的流程和服务承诺、监督电话的公示方式；各窗口号长交流了帮办代办和延时服务的做法。"),
    ("wendeng", 15, "wd_jzk", ("wd_sbdt", "wd_jmcj"), "急诊科青年文明号创建经验交流",
     "急诊科介绍了台账整理和青年大学习轮流领学的做法，参观了急救绿色通道和志愿服务岗。"),
]
PAIRS = [
    ("city", 40, "jt_1lu", "wd_sbdt", "老号在服务标准、示范承诺和开放周活动组织方面帮带新号，每季度互访一次。"),
    ("huancui", 35, "hc_bdc", "jy_bmfw", "不动产登记窗口帮带街道便民服务中心：窗口规范化、台账建设和青年大学习。"),
]


def load(loader) -> dict[str, int]:
    created = {"trainings": 0, "trained_leaders": 0, "exchange_visits": 0, "mentor_pairs": 0}
    campaign = loader.campaigns[CAMPAIGN]
    today = loader.today

    def day(days_ago: int) -> datetime.date:
        return max(today - datetime.timedelta(days=days_ago), services.earliest_day(campaign))

    def training(spec, attendees) -> None:
        unit_key, days_ago, title, place, content = spec
        actor = User.objects.get(username=unit_key)
        session = TrainingSession.objects.filter(campaign=campaign, unit=loader.units[unit_key], title=title).first()
        if session is None:
            session = services.create_training(actor=actor, campaign=campaign, data={
                "date": day(days_ago), "title": title, "place": place, "content": content})
            created["trainings"] += 1
        added, _ = services.set_training_attendance(actor=actor, session=session, shown=[], attended=attendees)
        created["trained_leaders"] += len(added)

    # Two thirds of the city's creating collectives, read from the filings the demo made (pending or accepted).
    city_creating = list(creating_filings(campaign, loader.units["city"])
                         .order_by("collective__unit__path", "collective__name", "collective_id")
                         .values_list("collective_id", flat=True))
    training(CITY_TRAINING, [pk for index, pk in enumerate(city_creating) if index % 3 != 2])
    training(HUANCUI_TRAINING, [loader.collectives[name] for name in HUANCUI_ATTENDEES])

    for unit_key, days_ago, host, visitors, topic, notes in VISITS:
        if not ExchangeVisit.objects.filter(campaign=campaign, topic=topic).exists():
            services.create_exchange_visit(actor=User.objects.get(username=unit_key), campaign=campaign, data={
                "date": day(days_ago), "host": loader.collectives[host].pk, "topic": topic, "notes": notes,
                "visitors": [loader.collectives[name].pk for name in visitors]})
            created["exchange_visits"] += 1

    for unit_key, days_ago, mentor, mentee, goals in PAIRS:
        mentor, mentee = loader.collectives[mentor], loader.collectives[mentee]
        if not MentorPair.objects.filter(campaign=campaign, mentor=mentor, mentee=mentee).exists():
            services.create_mentor_pair(actor=User.objects.get(username=unit_key), campaign=campaign, data={
                "mentor": mentor.pk, "mentee": mentee.pk, "started": day(days_ago), "goals": goals})
            created["mentor_pairs"] += 1
    return created
