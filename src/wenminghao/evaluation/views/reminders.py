"""Reminders (催办提醒): ``evaluation:reminders`` shows, for a campaign, an activity (``?activity=``) and a unit of the
admin's subtree (``?unit=``, the admin's own by default), how many creating collectives lack an entry of each
activity, a page of those lacking the chosen one and a message prefilled in Chinese; POST sends it
(``services.reminders.send_reminder``). Below, the reminders sent in the subtree (谁在何时被提醒), each opening
``evaluation:reminder``: who it reached and whether each has since made an entry of the activity.

Who may: unit and city admins, for their subtree. Collectives (who receive reminders in their messages) and judges get
404, as do a unit outside the subtree and a campaign the admin does not see."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_GET, require_http_methods

from wenminghao.campaigns.selectors import get_campaign_for
from wenminghao.core.errors import RuleViolationError
from wenminghao.core.forms import violations_into_form
from wenminghao.core.http import (
    NOT_VISIBLE,
    client_ip,
    get_visible_or_404,
    int_or_none,
    paginate,
    querystring_without,
    require_perm,
)
from wenminghao.ledger.enums import Activity

from ..reminder_forms import ReminderForm
from ..selectors import reminders as selectors
from ..services.reminders import send_reminder

PER_PAGE = 20
HISTORY_PER_PAGE = 10
RECIPIENTS_PER_PAGE = 30
DENIED = "您只能提醒本单位及下级单位的集体。"


def _unit_of(request, user):
    """The unit looked at (``unit`` of the form or the address): the admin's own by default; 404 outside the
    subtree or for anything but an id."""
    requested = request.POST.get("unit") or request.GET.get("unit")
    if not requested:
        return user.unit
    unit_id = int_or_none(requested)
    if unit_id is None:
        raise Http404(NOT_VISIBLE)
    return get_visible_or_404(selectors.reminder_units(user, unit_id), pk=unit_id)


def _history_page(request, queryset) -> dict:
    """The reminders sent, a page of their own (``?history=``) beside the page of collectives (``?page=``)."""
    page = Paginator(queryset, HISTORY_PER_PAGE).get_page(request.GET.get("history"))
    return {"history_page": page, "history_query": querystring_without(request.GET, "history")}


@login_required
@require_http_methods(["GET", "POST"])
def reminders(request, campaign_pk: int):
    user = request.user
    if not user.has_perm("evaluation.use_reminders"):
        raise Http404(NOT_VISIBLE)
    campaign = get_campaign_for(user, campaign_pk)
    unit = _unit_of(request, user)
    require_perm(user, "evaluation.send_reminder", unit, denied=DENIED)
    counts = selectors.missing_counts(campaign, unit)
    requested = request.POST.get("activity") or request.GET.get("activity")
    if requested in Activity.values:
        activity = requested
    else:  # the first activity someone lacks, else the first
        activity = next((value for value in Activity.values if counts.missing[value]), Activity.values[0])
    violations, status = [], 200
    if request.method == "POST":
        form = ReminderForm(request.POST)
        form.is_valid()
        try:
            reminder = send_reminder(actor=user, campaign=campaign, unit=unit, activity=requested or "",
                                     message=form.cleaned_data.get("message", ""), ip_address=client_ip(request))
        except RuleViolationError as error:
            violations, status = violations_into_form(form, error), 422
        else:
            messages.success(request, f"已向{unit.name}缺少“{reminder.get_activity_display()}”记录的"
                                      f"{reminder.recipient_count}个集体发送提醒（平台消息和邮件）。")
            return redirect("evaluation:reminder", reminder.pk)
    else:
        form = ReminderForm(initial={"message": selectors.default_message(campaign, unit, activity)})
    context = {
        "campaign": campaign,
        "unit": unit,
        "unit_choices": [(choice.pk, "　" * (choice.depth - user.unit.depth) + choice.name)
                         for choice in selectors.reminder_units(user, unit.pk)],
        "activity": activity,
        "activity_label": Activity(activity).label,
        "counts": counts,
        "missing": counts.missing[activity],
        "form": form,
        "violations": violations,
        **paginate(request, selectors.lacking_collectives(campaign, unit, activity), per_page=PER_PAGE),
        **_history_page(request, selectors.reminders_sent(campaign, unit)),
    }
    return render(request, "evaluation/reminders/reminders.html", context, status=status)


@login_required
@require_GET
def reminder_detail(request, pk: int):
    """One reminder: its message, who sent it when, and its recipients a page at a time with whether each has made
    an entry of the activity since."""
    reminder = selectors.get_reminder_for(request.user, pk)
    return render(request, "evaluation/reminders/reminder.html", {
        "reminder": reminder,
        "campaign": reminder.campaign,
        "caught_up": selectors.caught_up_count(reminder),
        **paginate(request, selectors.reminder_recipients(reminder), per_page=RECIPIENTS_PER_PAGE),
    })


urlpatterns = [
    path("campaigns/<int:campaign_pk>/reminders/", reminders, name="reminders"),
    path("reminders/<int:pk>/", reminder_detail, name="reminder"),
]
