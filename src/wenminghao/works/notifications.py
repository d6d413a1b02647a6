"""Who hears of a decision on a work, and what they read (sent by ``core.notifications``: in the platform, and by
e-mail after commit)."""

from django.urls import reverse

from wenminghao.accounts.models import User
from wenminghao.core.notifications import notify
from wenminghao.core.roles import Role

from .enums import WorkStatus


def work_recipients(work, *, include_unit: bool, reporting_unit_path: str):
    """The collective's accounts (leader and delegates) and, when ``include_unit``, the admins of the unit that
    reported the work (exactly that unit, not the units above it)."""
    accounts = list(User.objects.filter(collective_id=work.collective_id, role=Role.COLLECTIVE, is_active=True))
    if include_unit:
        accounts += list(User.objects.filter(unit__path=reporting_unit_path, is_active=True,
                                             role__in=[Role.UNIT_ADMIN, Role.CITY_ADMIN]))
    return accounts


def notify_work_decision(decision, *, work, action: str, include_unit: bool, reporting_unit_path: str):
    actor = decision.actor.display_name or decision.actor.username
    message = f"作品《{work.title}》（{work.collective.name}）：{actor}" \
              f"{action}，状态由“{_label(decision.from_status)}”变为“{_label(decision.to_status)}”。"
    if decision.comment:
        message += f"意见：{decision.comment}"
    link = reverse("works:detail", args=[work.pk])
    return notify(work_recipients(work, include_unit=include_unit, reporting_unit_path=reporting_unit_path),
                  message, link)


def _label(status: str) -> str:
    return WorkStatus(status).label if status in WorkStatus.values else status
