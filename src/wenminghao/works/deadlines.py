"""When a collective may still submit and change works for a campaign.

The campaign's deadline (成果报送截止时间) holds for everyone, unless the office has granted an
extension (``campaigns.DeadlineExtension``) to the collective itself or to any unit above it; then the
latest such extension counts. Times are shown in Asia/Shanghai (北京时间).
"""

import datetime
from zoneinfo import ZoneInfo

from django.db.models import Max, Q
from django.utils import timezone

from wenminghao.campaigns.models import Campaign, DeadlineExtension
from wenminghao.core.errors import Violation

SHANGHAI = ZoneInfo("Asia/Shanghai")


def shanghai_text(moment: datetime.datetime) -> str:
    """2018年9月30日 17:00（北京时间）"""
    local = moment.astimezone(SHANGHAI)
    return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}（北京时间）"


def extensions_covering(campaign: Campaign, collective):
    """The campaign's extensions for the collective or for its unit or any unit above it."""
    unit_ids = collective.unit.ancestor_ids if collective.unit_id else []
    return DeadlineExtension.objects.filter(campaign=campaign).filter(
        Q(collective_id=collective.pk) | Q(unit_id__in=unit_ids)
    )


def latest_extension(campaign: Campaign, collective) -> datetime.datetime | None:
    return extensions_covering(campaign, collective).aggregate(latest=Max("until"))["latest"]


def effective_deadline(campaign: Campaign, collective) -> datetime.datetime:
    """The campaign's deadline, or the latest extension covering the collective if that is later."""
    extended = latest_extension(campaign, collective)
    if extended is not None and extended > campaign.deadline:
        return extended
    return campaign.deadline


def deadline_violation(campaign: Campaign, collective, *, now: datetime.datetime | None = None) -> Violation | None:
    """Why the collective can no longer submit or change works for the campaign, or None."""
    now = now or timezone.now()
    if now < campaign.deadline:  # open for everyone: no extension to look up
        return None
    extended = latest_extension(campaign, collective)
    if extended is not None and now < extended:
        return None
    message = f"“{campaign.name}”的成果报送已于{shanghai_text(campaign.deadline)}截止"
    if extended is not None and extended > campaign.deadline:
        message += f"，批准的延期也已于{shanghai_text(extended)}到期"
    message += "，不能再提交或修改作品；如确有特殊情况，请联系市团委申请延期"
    return Violation("deadline.passed", message, None)
