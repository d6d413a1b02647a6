"""The unit's review: the queue of its collectives' works for a campaign, the decision on one work (recommend,
return with a comment, withdraw; for the campaign office also 入围 / 优秀展示 / 推报团省委 and their undo), the
order of its recommended works.

Campaigns come through campaigns_visible_to and works through works_visible_to (invisible: 404); a visible page
the user may not use answers 403. Every decision goes through works.transitions.change_work_status.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from wenminghao.campaigns.selectors import get_campaign_for
from wenminghao.collectives.selectors import collectives_visible_to
from wenminghao.core.errors import RuleViolationError
from wenminghao.core.http import get_visible_or_404, paginate, querystring_without, safe_next
from wenminghao.orgs.selectors import units_visible_to
from wenminghao.works.enums import Category, WorkStatus
from wenminghao.works.selectors import works_visible_to
from wenminghao.works.transitions import change_work_status, may_change

from .. import selectors, services

ADMINS_ONLY = "只有归口单位和团委的管理员可以审核作品。"


def _admin_campaign(request, campaign_id: int):
    return get_campaign_for(request.user, campaign_id, "reviews.act_for_unit", denied=ADMINS_ONLY)


class QueueFilterForm(forms.Form):
    q = forms.CharField(label="搜索", required=False, max_length=100,
                        widget=forms.TextInput(attrs={"placeholder": "作品名称或创作集体", "class": "form-control"}))
    status = forms.ChoiceField(label="状态", required=False, choices=[
        ("submitted", "待审核（已提交）"), *[(s, WorkStatus(s).label) for s in selectors.QUEUE_STATUSES[1:]],
        ("all", "全部（不含草稿）")], widget=forms.Select(attrs={"class": "form-select"}))
    category = forms.ChoiceField(label="作品类别", required=False, choices=[("", "全部类别"), *Category.choices],
                                 widget=forms.Select(attrs={"class": "form-select"}))
    unit = forms.ModelChoiceField(label="归口单位", required=False, queryset=None, empty_label="全部单位",
                                  widget=forms.Select(attrs={"class": "form-select"}))
    # One collective, from the 只看该集体 link of a work (a province has thousands: no drop-down of them).
    collective = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


@login_required
@require_GET
def review_queue(request, campaign_id: int):
    """作品审核: the campaign's works under the admin's unit, waiting ones (submitted) first by default."""
    campaign = _admin_campaign(request, campaign_id)
    user = request.user
    units = units_visible_to(user).filter(depth=user.unit.depth + 1).order_by("path")  # the direct children
    data = request.GET.copy()
    data.setdefault("status", "submitted")
    form = QueueFilterForm(data, units=units)
    filters = form.cleaned_data if form.is_valid() else {"status": "submitted"}
    status = filters.get("status") or "submitted"
    collective = None
    if filters.get("collective"):
        collective = get_visible_or_404(collectives_visible_to(user), pk=filters["collective"])
    works = selectors.review_queue(
        user, campaign, status="" if status == "all" else status, category=filters.get("category", ""),
        unit=filters.get("unit"), collective_id=getattr(collective, "pk", None),
        search=(filters.get("q") or "").strip())
    counts = selectors.queue_counts(user, campaign)
    # with no filter but the tab, the page's count is the tab's (the same visible works): not counted a second time
    search = (filters.get("q") or "").strip()
    unfiltered = not (filters.get("category") or filters.get("unit") or collective or search)
    known = (sum(counts.values()) if status == "all" else counts.get(status)) if unfiltered else None
    page = paginate(request, works, per_page=30, count=known)
    for work in page["object_list"]:  # the quick 推荐 button: permission only (the service says why if refused)
        work.may_recommend = may_change(user, work, WorkStatus.RECOMMENDED)
    tabs = [(s, "待审核" if s == "submitted" else WorkStatus(s).label, counts[s]) for s in selectors.QUEUE_STATUSES]
    return render(request, "reviews/unit_review/queue.html", {
        "campaign": campaign, "form": form, "status": status, "tabs": tabs, "chosen_collective": collective,
        "querystring_without_collective": querystring_without(request.GET, "collective", "page"), **page,
    })


def _next_url(request, work) -> str:
    return safe_next(request, reverse("works:detail", args=[work.pk]))


@login_required
@require_POST
def work_decide(request, work_id: int):
    """One decision on a work (to_status, comment): messages say what happened or every reason it did not."""
    work = get_visible_or_404(works_visible_to(request.user).select_related("collective__unit", "campaign__office"),
                              pk=work_id)
    to_status = request.POST.get("to_status", "")
    try:
        work = change_work_status(actor=request.user, work=work, to_status=to_status,
                                  comment=request.POST.get("comment", ""))
    except RuleViolationError as error:
        for violation in error.violations:
            messages.error(request, violation.message)
    else:
        if to_status == WorkStatus.RETURNED:
            done = f"作品“{work.title}”已退回，创作集体会看到您的意见"
        else:
            done = f"作品“{work.title}”的状态已改为“{work.get_status_display()}”"
        messages.success(request, f"{done}，已通知相关账号。")
    return redirect(_next_url(request, work))


# --- the order of the unit's recommended works ------------------------------------------------------------------


def _unit_campaign(request, campaign_id: int):
    campaign = _admin_campaign(request, campaign_id)
    return campaign, request.user.unit


@login_required
@require_GET
def recommended_order(request, campaign_id: int):
    """调整推荐顺序: the unit's recommended works per category in the order of the Attachment 2 table, one list per
    reporting unit (the city sees every unit's list; a street committee sees its works in its parent's list, read
    only: the parent reports the table and sets the order)."""
    campaign, unit = _unit_campaign(request, campaign_id)
    groups = selectors.recommended_order(campaign, unit)
    for group in groups:
        for item in group["lists"]:
            reporting = item["reporting_unit"]
            item["may_move"] = reporting is not None and reporting.path.startswith(unit.path)
            item["named"] = reporting is not None and reporting.pk != unit.pk
    later = selectors.recommended_works(campaign, unit).exclude(status=WorkStatus.RECOMMENDED).count()
    return render(request, "reviews/unit_review/order.html",
                  {"campaign": campaign, "unit": unit, "groups": groups, "later": later})


@login_required
@require_POST
def recommended_move(request, campaign_id: int):
    campaign, unit = _unit_campaign(request, campaign_id)
    work = get_visible_or_404(works_visible_to(request.user, campaign=campaign),
                              pk=request.POST.get("work") or 0)
    try:
        services.move_recommended(actor=request.user, campaign=campaign, unit=unit, work=work,
                                  direction=request.POST.get("direction", ""))
    except RuleViolationError as error:
        for violation in error.violations:
            messages.error(request, violation.message)
    return redirect(f"{reverse('reviews:recommended_order', args=[campaign.pk])}#work-{work.pk}")
