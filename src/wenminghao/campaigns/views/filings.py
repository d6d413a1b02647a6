"""Filing a creation (创建报备) and the review of filings: the filing form with its live eligibility
preview, the list of filings and the decision."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from wenminghao.collectives.selectors import collectives_visible_to
from wenminghao.core.errors import RuleViolationError, Violation
from wenminghao.core.http import get_object_for, get_visible_or_404, int_or_none, is_htmx, paginate, safe_next
from wenminghao.orgs.selectors import units_visible_to

from .. import selectors, services
from ..eligibility import evaluate_collective
from ..enums import FilingStatus
from ..forms import CollectivePickForm, FilingCreateForm, FilingDecisionForm, FilingFilterForm
from ..models import Campaign, CreationFiling

CANDIDATE_LIMIT = 200


def _fileable_collective(user, collective_id):
    """The collective the user files for: visible (else 404) and theirs to file for (else 403)."""
    if collective_id is None:
        raise Http404("请选择要报备的集体。")
    collectives = collectives_visible_to(user).select_related("unit").prefetch_related("members", "honours")
    return get_object_for(user, collectives, collective_id, "campaigns.file_creation",
                          denied="您不能为该集体报备创建。")


def _preview_context(user, campaign: Campaign, collective) -> dict:
    """Pass or fail per rule for one collective, and whether it may file now."""
    results = evaluate_collective(campaign, collective)
    existing = selectors.filings_visible_to(user).filter(campaign=campaign, collective=collective).first()
    in_scope = collective.unit.path.startswith(campaign.office.path)
    all_passed = all(result.passed for result in results)
    blocked = existing is not None and existing.status != FilingStatus.RETURNED
    return {
        "campaign": campaign,
        "chosen": collective,
        "results": results,
        "existing": existing,
        "in_scope": in_scope,
        "all_passed": all_passed,
        "can_submit": campaign.is_filing_open and in_scope and not blocked and all_passed,
    }


def _filing_subjects(user):
    if user.collective_id:
        return "collective"
    if user.is_admin:
        return "admin"
    raise PermissionDenied("您的账号不能报备创建：请使用集体账号或归口单位、团市委管理员账号。")


@login_required
def filing_create(request, pk: int):
    """GET: the collective(s) the user may file for and the eligibility of the chosen one.
    POST: file through services.file_creation; a refusal shows every reason at once."""
    user = request.user
    campaign = get_visible_or_404(selectors.campaigns_visible_to(user), pk=pk)
    subject = _filing_subjects(user)
    violations: list[Violation] = []
    chosen = None

    if request.method == "POST":
        form = FilingCreateForm(request.POST)
        collective_id = form.cleaned_data["collective"] if form.is_valid() else user.collective_id
        chosen = _fileable_collective(user, collective_id)
        try:
            filing = services.file_creation(actor=user, collective=chosen, campaign=campaign)
        except RuleViolationError as error:
            violations = error.violations
        else:
            messages.success(
                request,
                f"已为“{chosen.name}”报备“{campaign.name}”，请等待{chosen.unit.name}审核。",
            )
            if subject == "collective":
                return redirect("campaigns:detail", pk=campaign.pk)
            return redirect(f"{reverse('campaigns:filings')}?campaign={campaign.pk}&status={filing.status}")

    pick = CollectivePickForm(request.GET or None)
    candidates: list = []
    truncated = False
    if subject == "collective":
        chosen = chosen or _fileable_collective(user, user.collective_id)
    else:
        search = pick.cleaned_data.get("q", "") if pick.is_valid() else ""
        candidates, truncated = _candidates(user, campaign, search)
        if chosen is None and pick.is_valid() and pick.cleaned_data.get("collective"):
            chosen = _fileable_collective(user, pick.cleaned_data["collective"])

    context = {
        "campaign": campaign,
        "subject": subject,
        "pick": pick,
        "candidates": candidates,
        "truncated": truncated,
        "candidate_limit": CANDIDATE_LIMIT,
        "violations": violations,
    }
    if chosen is not None:
        context.update(_preview_context(user, campaign, chosen))
    return render(request, "campaigns/filing_create.html", context)


def _candidates(user, campaign: Campaign, search: str):
    """Collectives in the admin's subtree that the campaign covers and that have no live filing for it."""
    live = CreationFiling.objects.filter(
        collective=OuterRef("pk"), campaign=campaign, status__in=[FilingStatus.PENDING, FilingStatus.ACCEPTED]
    )
    queryset = (
        collectives_visible_to(user)
        .filter(unit__path__startswith=campaign.office.path)
        .exclude(Exists(live))
        .select_related("unit")
        .order_by("unit__path", "name", "id")
    )
    if search:
        queryset = queryset.filter(Q(name__icontains=search) | Q(host_org__icontains=search))
    found = list(queryset[: CANDIDATE_LIMIT + 1])
    return found[:CANDIDATE_LIMIT], len(found) > CANDIDATE_LIMIT


@login_required
@require_GET
def filing_preview(request, pk: int):
    """The htmx partial: pass or fail per rule for the chosen collective, and the filing button."""
    user = request.user
    campaign = get_visible_or_404(selectors.campaigns_visible_to(user), pk=pk)
    _filing_subjects(user)
    collective_id = int_or_none(request.GET.get("collective"))
    if collective_id is None:
        return render(request, "campaigns/partials/eligibility_preview.html", {"campaign": campaign})
    chosen = _fileable_collective(user, collective_id)
    return render(request, "campaigns/partials/eligibility_preview.html", _preview_context(user, campaign, chosen))


@login_required
@require_GET
def filing_list(request):
    user = request.user
    campaigns = selectors.campaigns_visible_to(user).order_by("-year", "level", "-id")
    units = None
    base_depth = 0
    if user.is_admin:
        base_depth = user.unit.depth
        # Three levels in the menu keep it short at any scale; deeper units come through the table's links.
        requested = int_or_none(request.GET.get("unit"))
        units = units_visible_to(user).filter(Q(depth__lte=base_depth + 2) | Q(pk=requested)).order_by("path")
    form = FilingFilterForm(request.GET or None, campaigns=campaigns, units=units, base_depth=base_depth)
    filters = form.cleaned_data if form.is_valid() else {}
    chosen_unit = filters.get("unit")
    chosen_campaign = filters.get("campaign")
    queryset = selectors.filing_list(
        user,
        campaign=chosen_campaign,
        unit=chosen_unit,
        status=filters.get("status", ""),
        search=filters.get("q", ""),
    )
    page = paginate(request, queryset, per_page=50)
    rows = [_row(user, filing) for filing in page["object_list"]]
    context = {**page, "form": form, "rows": rows, "is_collective": bool(user.collective_id)}
    if user.is_admin:
        base = chosen_unit or user.unit
        lines, totals = selectors.filing_counts_by_child_unit(user, base, campaign=chosen_campaign)
        context.update(count_base=base, count_lines=lines, count_totals=totals)
    return render(request, "campaigns/filing_list.html", context)


def _row(user, filing: CreationFiling) -> dict:
    return {
        "filing": filing,
        "can_review": filing.status == FilingStatus.PENDING and user.has_perm("campaigns.review_filing", filing),
        "can_refile": filing.status == FilingStatus.RETURNED
        and filing.campaign.is_filing_open
        and user.has_perm("campaigns.file_creation", filing.collective),
    }


@login_required
@require_POST
def filing_decide(request, pk: int):
    """Accept or return a pending filing (a comment is required to return). htmx gets the new row."""
    user = request.user
    related = ("collective__unit", "campaign__office", "filed_by", "decided_by")
    filing = get_object_for(user, selectors.filings_visible_to(user).select_related(*related), pk,
                            "campaigns.review_filing", denied="只有该集体的归口单位或上级团委可以审核报备。")
    form = FilingDecisionForm(request.POST)
    violations: list[Violation] = []
    if not form.is_valid():
        violations = [Violation("filing.decision", "请选择“接受”或“退回”。", "decision")]
    else:
        try:
            filing = services.decide_filing(
                actor=user, filing=filing, accept=form.accept, comment=form.cleaned_data["comment"]
            )
        except RuleViolationError as error:
            violations = error.violations
    if is_htmx(request):
        fresh = selectors.filings_visible_to(user).select_related(*related).get(pk=pk)
        return render(
            request,
            "campaigns/partials/filing_row.html",
            {"row": _row(user, fresh), "row_violations": violations, "next": safe_next(request, "")},
        )
    if violations:
        for violation in violations:
            messages.error(request, violation.message)
    else:
        verb = "接受" if form.accept else "退回"
        messages.success(request, f"已{verb}“{filing.collective.name}”的创建报备。")
    return redirect(safe_next(request, reverse("campaigns:filings")))


