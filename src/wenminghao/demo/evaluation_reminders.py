"""The demo's reminder (催办提醒) in the current city campaign: 环翠区团委 (``huancui``) reminded its creating
collectives with no 开放周 entry, sent through ``evaluation.services.reminders`` (its recipients are whoever lacks the
activity when it is sent: with the demo ledger, 生鲜加工班组 ``hc_jjy``, 鲸园街道便民服务中心综合窗口 ``jy_bmfw``
and 鲸园街道乐龄社会工作服务站 ``jy_lele``), each notified in the platform. It is dated 12 days back, like the demo's
other past events (the service dates it now; the date is then set, as the loader does for the 2018 filings), so that
it reads as history on the reminders page and never stands in the way of a reminder the tester sends.

Idempotent: found again by its unit, activity and message. ``load(loader)`` returns what it made by key: reminders
(催办提醒, 次)."""

import datetime

from wenminghao.accounts.models import User
from wenminghao.evaluation.models import Reminder
from wenminghao.evaluation.services.reminders import send_reminder
from wenminghao.ledger.enums import Activity

CAMPAIGN = "current_city"
SENDER = "huancui"
DAYS_AGO = 12
MESSAGE = ("环翠区团委提醒：青年文明号开放周活动已经开始，贵集体的台账中还没有“青年文明号开放周”的记录。"
           "请在本月内组织开放日，亮明示范承诺、监督电话和成员身份，并在平台台账中记录活动情况和现场照片。如有困难，请与环翠区团委曲晓东联系。")


def load(loader) -> dict[str, int]:
    campaign = loader.campaigns[CAMPAIGN]
    unit = loader.units[SENDER]
    if Reminder.objects.filter(campaign=campaign, unit=unit, activity=Activity.OPEN_WEEK, message=MESSAGE).exists():
        return {"reminders": 0}
    reminder = send_reminder(actor=User.objects.get(username=SENDER), campaign=campaign, unit=unit,
                             activity=Activity.OPEN_WEEK, message=MESSAGE)
    Reminder.objects.filter(pk=reminder.pk).update(sent_at=reminder.sent_at - datetime.timedelta(days=DAYS_AGO))
    return {"reminders": 1}
