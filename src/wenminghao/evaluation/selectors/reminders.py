"""Reads of reminders (催办提醒): which creating collectives of a unit's subtree have no ledger entry of an activity
in a campaign, the reminders sent in a subtree, and who was reminded when and whether they have since made an entry.

Every count is an aggregate in SQL and every list is paged in the database; a row's facts (when it was last reminded,
whether it has made an entry since) are correlated subqueries, evaluated for the rows of the page only."""

from dataclasses import dataclass

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from wenminghao.campaigns.selectors import creating_filings
from wenminghao.collectives.models import Collective
from wenminghao.core.http import get_object_for
from wenminghao.ledger.enums import ACTIVITY_LONG_NAMES, Activity
from wenminghao.ledger.models import LedgerEntry
from wenminghao.orgs.selectors import units_visible_to

from ..models import Reminder, ReminderRecipient

# The units offered on the page: the admin's own and this many levels below (a deeper one when it is asked for).
UNIT_CHOICE_DEPTH = 2


def reminders_visible_to(user) -> QuerySet[Reminder]:
    """The reminders sent by the admin's unit or a unit below it; nothing for anyone else (collectives hear of
    reminders in their messages, judges not at all)."""
    if not user.is_authenticated or not user.is_admin or not user.unit_id:
        return Reminder.objects.none()
    return Reminder.objects.filter(unit__path__startswith=user.unit.path)


def get_reminder_for(user, pk: int, perm: str | None = "evaluation.view_reminder") -> Reminder:
    """One reminder the user may see, with its campaign, unit and sender (404 otherwise)."""
    queryset = reminders_visible_to(user).select_related("campaign", "campaign__office", "unit", "sent_by")
    return get_object_for(user, queryset, pk, perm)


def reminder_units(user, requested: int | None = None) -> QuerySet:
    """The units an admin may remind: their own and UNIT_CHOICE_DEPTH levels below it, and ``requested`` when it is
    deeper in their subtree. Tree order."""
    extra = Q(pk=requested) if requested is not None else Q(pk__in=[])
    return units_visible_to(user).filter(Q(depth__lte=user.unit.depth + UNIT_CHOICE_DEPTH) | extra).order_by("path")


def _has_entry(campaign, activity: str, collective_ref: str = "pk") -> Exists:
    return Exists(LedgerEntry.objects.filter(campaign=campaign, activity=activity,
                                             collective_id=OuterRef(collective_ref)))


@dataclass(frozen=True)
class MissingCounts:
    """The creating collectives of a subtree, and how many of them have no entry of each activity."""

    creating: int
    missing: dict[str, int]  # Activity value -> collectives without an entry of it

    def tabs(self) -> list[tuple[str, str, int]]:
        return [(value, label, self.missing[value]) for value, label in Activity.choices]


def missing_counts(campaign, unit) -> MissingCounts:
    """One aggregate query over the unit's creating filings (pending or accepted; returned ones are not creating)."""
    counts = creating_filings(campaign, unit).aggregate(
        creating=Count("id"),
        **{value: Count("id", filter=~Q(_has_entry(campaign, value, "collective_id"))) for value in Activity.values},
    )
    return MissingCounts(creating=counts["creating"], missing={value: counts[value] for value in Activity.values})


def lacking_collectives(campaign, unit, activity: str) -> QuerySet[Collective]:
    """The campaign's creating collectives under ``unit`` (sub-units included) without any ledger entry of
    ``activity`` in the campaign: exactly whom a reminder reaches. Each with its unit and ``last_reminded``, when a
    reminder about this activity in this campaign last reached it (None if never). Tree order, then name."""
    last = (ReminderRecipient.objects.filter(collective_id=OuterRef("pk"), reminder__campaign=campaign,
                                             reminder__activity=activity)
            .order_by("-reminder__sent_at").values("reminder__sent_at")[:1])
    return (
        Collective.objects.filter(pk__in=creating_filings(campaign, unit).values("collective_id"))
        .filter(~_has_entry(campaign, activity))
        .select_related("unit")
        .annotate(last_reminded=Subquery(last))
        .order_by("unit__path", "name", "pk")
    )


def _entry_since_reminded() -> Exists:
    """On reminder recipients: the collective has recorded an entry of the reminder's activity in its campaign since
    the reminder was sent (``created_at``: when it was recorded, whatever day the activity took place)."""
    return Exists(LedgerEntry.objects.filter(
        collective_id=OuterRef("collective_id"), campaign_id=OuterRef("reminder__campaign_id"),
        activity=OuterRef("reminder__activity"), created_at__gte=OuterRef("reminder__sent_at")))


def reminders_sent(campaign, unit) -> QuerySet[Reminder]:
    """The reminders of the campaign sent by ``unit`` or a unit below it, newest first, each with its unit, its
    sender and ``caught_up``: how many of its recipients have made an entry of the activity since."""
    caught_up = (ReminderRecipient.objects.filter(reminder_id=OuterRef("pk")).filter(_entry_since_reminded())
                 .order_by().values("reminder_id").annotate(n=Count("pk")).values("n"))
    return (
        Reminder.objects.filter(campaign=campaign, unit__path__startswith=unit.path)
        .select_related("unit", "sent_by")
        .annotate(caught_up=Coalesce(Subquery(caught_up, output_field=IntegerField()), 0))
        .order_by("-sent_at", "-id")
    )


def reminder_recipients(reminder) -> QuerySet[ReminderRecipient]:
    """Who a reminder reached, in tree order, each with ``has_entry`` (an entry of the activity recorded since) and
    ``first_entry_at`` (when the first of them was recorded)."""
    first = (LedgerEntry.objects.filter(collective_id=OuterRef("collective_id"), campaign_id=reminder.campaign_id,
                                        activity=reminder.activity, created_at__gte=reminder.sent_at)
             .order_by("created_at").values("created_at")[:1])
    return (
        ReminderRecipient.objects.filter(reminder=reminder)
        .select_related("collective", "collective__unit")
        .annotate(has_entry=_entry_since_reminded(), first_entry_at=Subquery(first))
        .order_by("collective__unit__path", "collective__name", "pk")
    )


def caught_up_count(reminder) -> int:
    """How many of a reminder's recipients have made an entry of its activity since (one query)."""
    return ReminderRecipient.objects.filter(reminder=reminder).filter(_entry_since_reminded()).count()


def default_message(campaign, unit, activity: str) -> str:
    """The message a reminder starts with on the page (the admin may edit it)."""
    name = ACTIVITY_LONG_NAMES[Activity(activity)]
    return (f"{unit.name}提醒：在“{campaign.name}”中，贵集体的台账还没有“{name}”活动的记录。请按创建工作通知的要求"
            f"开展{Activity(activity).label}活动，并及时在平台的台账中记录（附活动照片和情况说明）；已经开展的，请尽快补录。"
            f"如有困难，请与{unit.name}联系。")
