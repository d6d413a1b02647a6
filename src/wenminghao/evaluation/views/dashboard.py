"""The indicator dashboard (指标看板): ``evaluation:home`` sends an admin to the dashboard of the newest campaign with
creating collectives in their subtree; ``evaluation:dashboard`` shows a unit's figures for a campaign (``?unit=`` any
unit of the admin's subtree, the admin's own by default), the units below it side by side, and the creating
collectives that lack an activity; ``evaluation:dashboard_xlsx`` the same figures as an .xlsx (audited).

Who may: the admins of the unit and of the units above it, the office. A unit outside the admin's subtree, a campaign
the admin does not see, and every page for collectives and judges answer 404. The charts are drawn by
``evaluation/dashboard.js`` from a ``json_script`` data island (the Content-Security-Policy forbids inline scripts);
every chart has a table with the same numbers."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from wenminghao.campaigns.selectors import campaigns_visible_to
from wenminghao.core.http import (
    NOT_VISIBLE,
    client_ip,
    get_visible_or_404,
    int_or_none,
    is_htmx,
    paginate,
    require_perm,
)
from wenminghao.ledger.enums import Activity, PairingOutcome

from ..enums import InspectionRating
from ..exporters.dashboard import DashboardXlsx
from ..selectors import dashboard as selectors
from ..services.dashboard import record_indicators_export

PER_PAGE = 50
DENIED = "只有该单位及上级团委的管理员可以查看其创建指标。"
STRUCTURE_SHORT = {"former": "往届", "non_public": "非公", "social": "社会组织"}  # the units table's narrow headers
MISSING_CHOICES = [(selectors.MISSING_ANY, "任一活动"), *Activity.choices, ("all", "全部创建集体（不筛选）")]


def _require_admin(user) -> None:
    """Collectives and judges have no dashboard: 404, as for a page that is not there."""
    if not user.has_perm("evaluation.view_dashboards"):
        raise Http404(NOT_VISIBLE)


def _campaign_and_unit(request, campaign_pk: int):
    """The campaign (404 unless the user sees it) and the unit looked at (``?unit=``; 404 outside the subtree)."""
    user = request.user
    _require_admin(user)
    campaign = get_visible_or_404(campaigns_visible_to(user), pk=campaign_pk)
    requested = request.GET.get("unit")
    unit_id = int_or_none(requested) if requested else None
    unit = selectors.dashboard_unit(user, unit_id)
    if unit is None or (requested and unit_id is None):
        raise Http404(NOT_VISIBLE)
    require_perm(user, "evaluation.view_dashboard", unit, denied=DENIED)
    return campaign, unit


@login_required
@require_GET
def home(request):
    """The newest campaign with creating collectives in the admin's subtree; else the campaigns to choose from."""
    user = request.user
    _require_admin(user)
    campaign = selectors.home_campaign(user)
    if campaign is not None:
        return redirect("evaluation:dashboard", campaign.pk)
    return render(request, "evaluation/dashboard_home.html", {"campaigns": selectors.dashboard_campaigns(user)[:30]})


def _short(name: str, limit: int = 8) -> str:
    """A unit's name for a chart's axis (the table beside it has the whole name)."""
    return name if len(name) <= limit else f"{name[:limit - 1]}…"


def chart_data(board: selectors.Dashboard) -> dict:
    """What ``dashboard.js`` draws: the same numbers as the tables beside the charts."""
    api = board.indicators
    return {
        "activities": {
            "labels": Activity.labels,
            "collectives": [api.activities[value].collectives for value in Activity.values],
            "entries": [api.activities[value].entries for value in Activity.values],
            "creating": api.collectives,
        },
        "months": {
            "labels": [f"{month.month:%Y-%m}" for month in board.months],
            "total": [month.total for month in board.months],
            "series": [{"name": label, "data": [month.counts[value] for month in board.months]}
                       for value, label in Activity.choices],
        },
        "units": {
            "labels": [_short(row.label) for row in board.rows],
            "names": [row.unit.name if row.unit is not None else row.label for row in board.rows],
            "creating": [row.figures.creating for row in board.rows],
            "series": [{"name": label, "data": [row.figures.activities[value].entries for row in board.rows]}
                       for value, label in Activity.choices],
        },
    }


def _missing_filter(request) -> str:
    value = request.GET.get("missing", selectors.MISSING_ANY)
    return value if value in dict(MISSING_CHOICES) else selectors.MISSING_ANY


def _missing_page(request, campaign, unit, missing: str) -> dict:
    page = paginate(request, selectors.creating_collectives(campaign, unit, missing=missing), per_page=PER_PAGE)
    for collective in page["object_list"]:  # the page's rows (at most PER_PAGE), never every collective
        collective.cells = selectors.activity_cells(collective)
    return page


def _varying(response):
    """The same address answers the whole page or, for htmx, the missing list alone."""
    patch_vary_headers(response, ("HX-Request", "HX-Target"))
    return response


@login_required
@require_GET
def dashboard(request, campaign_pk: int):
    user = request.user
    campaign, unit = _campaign_and_unit(request, campaign_pk)
    missing = _missing_filter(request)
    context = {
        "campaign": campaign,
        "unit": unit,
        "missing": missing,
        "missing_choices": MISSING_CHOICES,
        "missing_activity": missing if missing in Activity.values else "",
        "activities": Activity.choices,
        **_missing_page(request, campaign, unit, missing),
    }
    if is_htmx(request) and request.headers.get("HX-Target") == "missing":
        return _varying(render(request, "evaluation/partials/dashboard_missing.html", context))
    board = selectors.dashboard(campaign, unit)
    context.update(
        board=board,
        figures=board.figures,
        api=board.indicators,
        activity_rows=[(value, label, board.indicators.activities[value], board.missing[value])
                       for value, label in Activity.choices],
        outcome_rows=[(label, board.figures.outcomes[value]) for value, label in PairingOutcome.choices],
        entries_total=sum(indicator.entries for indicator in board.indicators.activities.values()),
        trail=selectors.unit_trail(user, unit),
        rating_rows=[(label, board.inspections.by_rating[value]) for value, label in InspectionRating.choices],
        structure_headers=[(line.label, STRUCTURE_SHORT.get(line.key, line.label), line.target)
                           for line in board.structure.lines],
        chart=chart_data(board),
    )
    return _varying(render(request, "evaluation/dashboard.html", context))


@login_required
@require_GET
def dashboard_xlsx(request, campaign_pk: int):
    """The figures of ``dashboard`` as an .xlsx; audited (``evaluation.indicators_export``) once written."""
    user = request.user
    campaign, unit = _campaign_and_unit(request, campaign_pk)
    exporter = DashboardXlsx(selectors.dashboard(campaign, unit),
                             selectors.creating_collectives(campaign, unit, missing=selectors.MISSING_ANY))
    response = exporter.file_response()
    record_indicators_export(actor=user, unit=unit, campaign=campaign,
                             collectives=exporter.board.indicators.collectives, ip_address=client_ip(request))
    return response


urlpatterns = [
    path("", home, name="home"),
    path("campaigns/<int:campaign_pk>/", dashboard, name="dashboard"),
    path("campaigns/<int:campaign_pk>/indicators.xlsx", dashboard_xlsx, name="dashboard_xlsx"),
]
