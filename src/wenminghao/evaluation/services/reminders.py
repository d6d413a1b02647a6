"""Sending a reminder (催办提醒) to the creating collectives of a unit's subtree that have no ledger entry of an
activity in a campaign: one atomic, audited write whatever the number of collectives."""

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from wenminghao.accounts.models import User
from wenminghao.campaigns.selectors import campaigns_visible_to
from wenminghao.core.audit import record_audit, snapshot
from wenminghao.core.errors import NotPermitted, RuleViolationError, Violation
from wenminghao.core.notifications import notify
from wenminghao.core.roles import Role
from wenminghao.ledger.enums import Activity
from wenminghao.orgs.models import Unit

from ..models import Reminder, ReminderRecipient
from ..selectors.reminders import lacking_collectives

MESSAGE_MAX_CHARS = 500
# A second reminder of the same unit about the same activity in the same campaign this soon is a double submit.
REPEAT_WINDOW = datetime.timedelta(seconds=60)


def _check(actor, campaign, unit, activity: str, message: str) -> tuple[str, list[Violation]]:
    if not actor.has_perm("evaluation.send_reminder", unit):
        raise NotPermitted(f"您不能向{unit.name}的集体发送提醒。")
    if not campaigns_visible_to(actor).filter(pk=campaign.pk).exists():
        raise NotPermitted(f"您不能就“{campaign.name}”发送提醒。")
    violations = []
    if activity not in Activity.values:
        choices = "、".join(f"{value}（{label}）" for value, label in Activity.choices)
        violations.append(Violation("reminder.activity", f"活动“{activity}”不是可选的值，可选：{choices}", "activity"))
    message = (message or "").strip()
    if not message:
        violations.append(Violation("reminder.message_required", "请填写提醒内容", "message"))
    elif len(message) > MESSAGE_MAX_CHARS:
        violations.append(Violation("reminder.message_too_long",
                                    f"提醒内容为{len(message)}字，超过{MESSAGE_MAX_CHARS}字的上限，请精简", "message"))
    return message, violations


def send_reminder(*, actor, campaign, unit, activity: str, message: str, ip_address: str | None = None) -> Reminder:
    """Remind the campaign's creating collectives under ``unit`` (sub-units included; pending or accepted filings)
    that have no ledger entry of ``activity`` in it. The recipients are found when it is sent, not when the page
    was drawn.

    Side effects, in one transaction: the ``Reminder`` and one ``ReminderRecipient`` per collective (one bulk
    insert), a notification to every active account of those collectives (leader and delegates), all in one
    ``notify`` call whose link opens each account's own ledger of the campaign (e-mail after commit), and an audit
    entry ``reminder.send``. Refused (RuleViolationError) when no creating collective lacks the activity
    (``reminder.nobody``) and when the same unit sent the same reminder less than a minute ago
    (``reminder.just_sent``: a double submit; the unit's row is locked so two at once cannot both pass)."""
    message, violations = _check(actor, campaign, unit, activity, message)
    if violations:
        raise RuleViolationError(violations)
    label = Activity(activity).label
    with transaction.atomic():
        # one reminder of a unit at a time
        Unit.objects.select_for_update(no_key=True).filter(pk=unit.pk).order_by().exists()
        recent = (Reminder.objects.filter(campaign=campaign, unit=unit, activity=activity,
                                          sent_at__gte=timezone.now() - REPEAT_WINDOW)
                  .select_related("sent_by").order_by("-sent_at").first())
        if recent is not None:
            seconds = max(1, int((timezone.now() - recent.sent_at).total_seconds()))
            raise RuleViolationError.single(
                "reminder.just_sent",
                f"{seconds}秒前{recent.sent_by}刚向{unit.name}缺少“{label}”记录的{recent.recipient_count}个集体发送过"
                f"提醒，本次未重复发送。如需再次提醒，请过一分钟后再发。", "activity")
        collective_ids = list(lacking_collectives(campaign, unit, activity).values_list("pk", flat=True))
        if not collective_ids:
            raise RuleViolationError.single(
                "reminder.nobody", f"{unit.name}在“{campaign.name}”中的创建集体都已有“{label}”的台账记录，"
                                   f"没有需要提醒的集体。", "activity")
        reminder = Reminder.objects.create(campaign=campaign, unit=unit, activity=activity, message=message,
                                           sent_by=actor, recipient_count=len(collective_ids))
        ReminderRecipient.objects.bulk_create(
            [ReminderRecipient(reminder=reminder, collective_id=pk) for pk in collective_ids], batch_size=500)
        accounts = User.objects.filter(role=Role.COLLECTIVE, is_active=True,
                                       collective__in=ReminderRecipient.objects.filter(reminder=reminder)
                                       .values("collective_id"))
        # One link for every account: the ledger's entry page sends a collective's account to its own ledger.
        link = f"{reverse('ledger:review')}?campaign={campaign.pk}"
        notify(accounts, f"【催办提醒·{label}】{message}", link)
        record_audit(actor=actor, action="reminder.send", target=reminder, unit_path=unit.path,
                     after=snapshot(reminder, ("campaign", "unit", "activity", "message", "recipient_count")),
                     ip_address=ip_address)
    return reminder
