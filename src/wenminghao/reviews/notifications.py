"""Messages to accounts: a Notification row in the platform (written in the caller's transaction, so it exists
exactly when the change does) and an e-mail through Django's e-mail settings, sent after commit (console in demo
mode). A failing mail server never undoes a decision: the failure is logged."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse

from wenminghao.accounts.enums import Role
from wenminghao.accounts.models import User

from .models import Notification

logger = logging.getLogger(__name__)


def notify(recipients, message: str, link: str = "") -> list[Notification]:
    """One notification per active recipient (duplicates dropped); e-mail to those with an address after the
    surrounding transaction commits."""
    unique = {user.pk: user for user in recipients if user.is_active}
    rows = Notification.objects.bulk_create(
        [Notification(recipient=user, message=message, link=link) for user in unique.values()])
    addresses = sorted({user.email for user in unique.values() if user.email})
    if addresses:
        transaction.on_commit(lambda: _send(addresses, message, link))
    return rows


def _send(addresses: list[str], message: str, link: str) -> None:
    base = settings.WMH_SITE_URL
    body = message + (f"\n\n查看详情：{base}{link}" if link else "")
    body += "\n\n——青年文明号创建平台（此邮件由系统发送，请勿回复）"
    try:
        send_mail(subject=f"【青年文明号】{message[:40]}", message=body, from_email=None,
                  recipient_list=addresses, fail_silently=False)
    except Exception:  # noqa: BLE001 - a mail failure must not break the request after commit
        logger.exception("通知邮件发送失败：%s", addresses)


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
    from wenminghao.works.enums import WorkStatus

    return WorkStatus(status).label if status in WorkStatus.values else status


def unread_count(user) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
