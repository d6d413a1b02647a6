"""Messages to accounts: a Notification row in the platform (written in the caller's transaction, so it exists
exactly when the change does) and an e-mail through Django's e-mail settings, handed after commit to the task worker
(console in demo mode), one message per address so that no recipient sees another's. A failing mail server never
undoes a change: the failure is logged. Any app may notify; the pages that list an account's messages are core's
(core:notifications)."""

import logging

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone
from django_tasks import task

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
        transaction.on_commit(lambda: _enqueue_mail(addresses, message, link))
    return rows


def _enqueue_mail(addresses: list[str], message: str, link: str) -> None:
    try:
        send_notification_mail.enqueue(addresses, message, link)
    except Exception:  # noqa: BLE001 - a failing queue must not break the request after commit
        logger.exception("通知邮件未能排队：%s", addresses)


@task()
def send_notification_mail(addresses: list[str], message: str, link: str) -> int:
    """One e-mail per address (a reminder to a thousand collectives must not show them each other's addresses),
    over one connection. Returns how many were sent; a failure is logged, never raised."""
    base = settings.WMH_SITE_URL
    body = message + (f"\n\n查看详情：{base}{link}" if link else "")
    body += "\n\n——青年文明号创建平台（此邮件由系统发送，请勿回复）"
    subject = f"【青年文明号】{message[:40]}"
    try:
        connection = get_connection(fail_silently=False)
        return connection.send_messages([EmailMessage(subject, body, to=[address], connection=connection)
                                         for address in addresses]) or 0
    except Exception:  # noqa: BLE001 - a mail failure is logged; the change it reports stands
        logger.exception("通知邮件发送失败：%s", addresses)
        return 0


def unread_count(user) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notifications_of(user):
    """The account's own notifications, newest first (nobody sees another's)."""
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")


def mark_notifications_read(*, user) -> int:
    """Mark all of the user's unread notifications read; returns how many. (Not audited: a notification is a
    message to its reader, not state of the campaign.)"""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())
