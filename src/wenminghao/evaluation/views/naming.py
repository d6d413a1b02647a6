"""Naming (命名) and the titles held (动态管理).

- ``namings``: the office's page of a campaign: the ranking of the creating collectives whose filing was accepted
  (the central evaluation's scores), 50 a page, where it ticks those to name and confirms; and the collectives named
  in the campaign. Unit admins see the namings of their subtree, read-only; collectives and judges get 404.
- ``naming_list_docx`` / ``naming_list_xlsx``: the 命名名单 by unit, for the official notice (each download audited).
- ``titles``: the titles held in the caller's subtree with their state (computed in SQL), filtered and paginated;
  warnings whose period to fix problems has passed are flagged. A collective account sees its own titles.
- ``title``: one title, its events (复核, 警告提醒, 撤销称号) and, for an office admin who manages it, the three forms
  (``title_review``, ``title_warn``, ``title_revoke``: each posts and comes back).

Every change goes through ``services.naming``; the lists make a fixed number of queries whatever their length."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wenminghao.campaigns.selectors import get_campaign_for
from wenminghao.collectives.selectors import collectives_visible_to
from wenminghao.core.errors import RuleViolationError
from wenminghao.core.forms import violations_into_form
from wenminghao.core.http import client_ip, int_or_none, paginate, require_perm

from ..exporters.naming import FORMATS, naming_list_sections
from ..naming_forms import ReviewForm, RevokeForm, TitleFilterForm, WarnForm
from ..selectors import naming as selectors
from ..selectors.assessments import scope_units
from ..services import naming as services

PER_PAGE = 50
NOT_HERE = "未找到该页面，或您无权查看。"
NOT_MANAGER = services.NOT_MANAGER


def _campaign_for(user, campaign_id: int):
    """The campaign (404 when invisible), for an admin only: collectives and judges get 404 on this section."""
    campaign = get_campaign_for(user, campaign_id)
    if not user.has_perm("evaluation.view_namings", campaign):
        raise Http404(NOT_HERE)
    return campaign


# --- the namings of a campaign -----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def namings(request, campaign_id: int):
    """GET: the candidates (``?show=named``: the collectives named) of the caller's scope. POST (the office):
    ``collectives`` = the ids ticked; names them (``services.name_collectives``) and comes back to the named list."""
    user = request.user
    campaign = _campaign_for(user, campaign_id)
    can_name = user.has_perm("evaluation.name_collectives", campaign)
    violations = []
    if request.method == "POST":
        require_perm(user, "evaluation.name_collectives", campaign, denied=services.NOT_OFFICE)
        ids = {value for value in map(int_or_none, request.POST.getlist("collectives")) if value is not None}
        chosen = list(collectives_visible_to(user).filter(pk__in=ids))
        if len(chosen) != len(ids):
            raise Http404("所选集体中有不存在或您无权查看的集体。")
        try:
            named = services.name_collectives(actor=user, campaign=campaign, collectives=chosen)
        except RuleViolationError as error:
            violations = error.violations
        else:
            names = "、".join(naming.collective.name for naming in named)
            messages.success(request, f"已将{len(named)}个集体命名为“{named[0].honour.title}”：{names}。"
                                      "其称号已写入集体的荣誉记录，下一年度的创建资格检查将据此认定。")
            return redirect(f"{reverse('evaluation:namings', args=[campaign.pk])}?show=named")
    scope = selectors.naming_scope(user, campaign)
    show_named = not can_name or request.GET.get("show") == "named"
    named_count = selectors.namings_in(campaign, scope).count()
    if show_named:
        page = paginate(request, selectors.namings_in(campaign, scope), per_page=PER_PAGE)
        for naming in page["object_list"]:  # the page's rows (at most PER_PAGE), for the state badge
            naming.honour.state = naming.honour_state
    else:
        page = paginate(request, selectors.naming_candidates(campaign, scope), per_page=PER_PAGE)
    context = {
        **page,
        "campaign": campaign,
        "scope": scope,
        "whole": scope.pk == campaign.office_id,
        "can_name": can_name,
        "show_named": show_named,
        "named_count": named_count,
        "title": services.title_of(campaign),
        "valid_until": services.term_end(campaign.level, campaign.year),
        "violations": violations,
        "chosen": {str(value) for value in request.POST.getlist("collectives")} if violations else set(),
    }
    return render(request, "evaluation/naming/namings.html", context, status=422 if violations else 200)


@login_required
@require_GET
def naming_list_export(request, campaign_id: int, fmt: str):
    """The 命名名单 of the caller's scope as .docx or .xlsx (two queries), audited (``naming.export``)."""
    user = request.user
    campaign = _campaign_for(user, campaign_id)
    scope = selectors.naming_scope(user, campaign)
    sections = naming_list_sections(selectors.naming_list(campaign, scope))
    exporter = FORMATS[fmt](title=services.title_of(campaign), scope=scope.name, whole=scope.pk == campaign.office_id,
                            sections=sections)
    response = exporter.file_response()
    services.record_naming_list_export(actor=user, campaign=campaign, unit=scope, fmt=fmt,
                                       collectives=exporter.count, ip_address=client_ip(request))
    return response


# --- the titles held ---------------------------------------------------------------------------------------------


@login_required
@require_GET
def titles(request):
    """The titles the caller may see (an admin's subtree; a collective account's own), with the filters of
    ``TitleFilterForm``: one COUNT and one SELECT per page, whatever the number of titles and events."""
    user = request.user
    if not user.has_perm("evaluation.view_titles"):
        raise Http404(NOT_HERE)
    if user.is_admin:  # the unit filter: the admin's unit and two levels below (and a deeper one asked for)
        units = scope_units(user.unit, int_or_none(request.GET.get("unit")))
        form = TitleFilterForm(request.GET or None, units=units, base_depth=user.unit.depth)
    else:
        form = TitleFilterForm(request.GET or None)
    filters = form.filters()
    page = paginate(request, selectors.title_list(user, **filters), per_page=PER_PAGE)
    return render(request, "evaluation/naming/titles.html", {
        **page,
        "form": form,
        "filtered": any(filters.values()),
        "today": timezone.localdate(),
    })


def _title_for(request, honour_id: int):
    return selectors.get_title_for(request.user, honour_id, "evaluation.view_title", denied="您不能查看这个称号。")


def _render_title(request, honour, *, review_form=None, warn_form=None, revoke_form=None, failed: str = "",
                  violations=(), violations_title: str = ""):
    user = request.user
    can_manage = user.has_perm("evaluation.manage_title", honour)
    inspections = selectors.inspections_for_warning(honour)
    context = {
        "honour": honour,
        "collective": honour.collective,
        "naming": selectors.naming_of(honour),
        "events": selectors.title_events(honour),
        "can_manage": can_manage,
        "is_active": honour.state == "valid",
        "review_form": review_form or ReviewForm(),
        "warn_form": warn_form or WarnForm(inspections=inspections),
        "revoke_form": revoke_form or RevokeForm(),
        "failed": failed,
        "violations": violations,
        "violations_title": violations_title,
        "today": timezone.localdate(),
    }
    return render(request, "evaluation/naming/title.html", context, status=422 if failed else 200)


@login_required
@require_GET
def title(request, honour_id: int):
    return _render_title(request, _title_for(request, honour_id))


def _managed_title(request, honour_id: int):
    honour = _title_for(request, honour_id)
    require_perm(request.user, "evaluation.manage_title", honour, denied=NOT_MANAGER)
    return honour


@login_required
@require_POST
def title_review(request, honour_id: int):
    honour = _managed_title(request, honour_id)
    form = ReviewForm(request.POST)
    violations = []
    if form.is_valid():
        data = form.cleaned_data
        try:
            event = services.review_honour(actor=request.user, honour=honour, year=data["year"],
                                           result=data["result"], reason=data["reason"])
        except RuleViolationError as error:
            violations = violations_into_form(form, error)
        else:
            messages.success(request, f"已登记{event.year}年度复核：{event.get_result_display()}。")
            return redirect("evaluation:title", honour_id=honour.pk)
    return _render_title(request, honour, review_form=form, failed="review", violations=violations,
                         violations_title="未能登记复核，请修改以下问题：")


@login_required
@require_POST
def title_warn(request, honour_id: int):
    honour = _managed_title(request, honour_id)
    form = WarnForm(request.POST, inspections=selectors.inspections_for_warning(honour))
    violations = []
    if form.is_valid():
        data = form.cleaned_data
        try:
            event = services.warn_honour(actor=request.user, honour=honour, reason=data["reason"],
                                         fix_by=data["fix_by"], inspection=data.get("inspection"))
        except RuleViolationError as error:
            violations = violations_into_form(form, error)
        else:
            messages.success(request, f"已发出警告提醒，整改期限{event.fix_by:%Y-%m-%d}；集体及其归口单位已收到通知。")
            return redirect("evaluation:title", honour_id=honour.pk)
    return _render_title(request, honour, warn_form=form, failed="warn", violations=violations,
                         violations_title="未能发出警告提醒，请修改以下问题：")


@login_required
@require_POST
def title_revoke(request, honour_id: int):
    honour = _managed_title(request, honour_id)
    form = RevokeForm(request.POST)
    violations = []
    if form.is_valid():
        try:
            services.revoke_honour(actor=request.user, honour=honour, reason=form.cleaned_data["reason"])
        except RuleViolationError as error:
            violations = violations_into_form(form, error)
        else:
            messages.success(request, f"已撤销“{honour.title}”称号：该称号不再计入创建资格，"
                                      "集体及其归口单位已收到通知。")
            return redirect("evaluation:title", honour_id=honour.pk)
    return _render_title(request, honour, revoke_form=form, failed="revoke", violations=violations,
                         violations_title="未能撤销称号，请修改以下问题：")


def title_link(request, honour) -> str | None:
    """The title's page, for the collective's page (``collectives.panels.register_honour_link``): for everyone who
    may open it (the admins above the collective, the office that manages it, the collective's own accounts)."""
    if request.user.has_perm("evaluation.view_title", honour):
        return reverse("evaluation:title", args=[honour.pk])
    return None


urlpatterns = [
    path("campaigns/<int:campaign_id>/namings/", namings, name="namings"),
    path("campaigns/<int:campaign_id>/namings/list.docx", naming_list_export, {"fmt": "docx"},
         name="naming_list_docx"),
    path("campaigns/<int:campaign_id>/namings/list.xlsx", naming_list_export, {"fmt": "xlsx"},
         name="naming_list_xlsx"),
    path("titles/", titles, name="titles"),
    path("titles/<int:honour_id>/", title, name="title"),
    path("titles/<int:honour_id>/review/", title_review, name="title_review"),
    path("titles/<int:honour_id>/warn/", title_warn, name="title_warn"),
    path("titles/<int:honour_id>/revoke/", title_revoke, name="title_revoke"),
]
