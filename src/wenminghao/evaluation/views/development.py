"""The pages of leader training (号长培训), exchange visits (交流观摩) and new-and-old pairs (新老号结对), per campaign:
the trainings with the figure the office follows (已培训号长 n / 创建集体 m) and who has and has not been trained, a
training's page where its attendees are ticked, the visits, the pairs, and their forms.

Admins only: a campaign fetched through ``campaigns_visible_to`` and then ``evaluation.view_development`` (404 for
collectives, judges and units outside the campaign: the whole section is invisible to them). A collective reads its
own part on its page (``development_panel``). Every change goes through ``services.development``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_GET, require_POST

from wenminghao.campaigns.selectors import get_campaign_for
from wenminghao.core.errors import RuleViolationError, Violation
from wenminghao.core.forms import violations_into_form
from wenminghao.core.http import NOT_VISIBLE, client_ip, int_or_none, paginate, safe_next
from wenminghao.ledger.selectors import campaign_of_ledger
from wenminghao.orgs.selectors import units_visible_to

from ..development_forms import AttendanceFilterForm, ExchangeForm, LeaderFilterForm, MentorPairForm, TrainingForm
from ..selectors import development as selectors
from ..services import development as services

PER_PAGE = 30
CANDIDATES_PER_PAGE = 50
PICKED_FIELDS = ("host", "visitors", "mentor", "mentee")
PICKER_EMPTY = {"any": "没有找到集体", "mentor": "没有找到持有有效称号的集体",
                "mentee": "没有找到本次创建活动的创建集体"}


def _campaign_for(user, campaign_id: int):
    campaign = get_campaign_for(user, campaign_id)
    if not user.has_perm("evaluation.view_development", campaign):
        raise Http404(NOT_VISIBLE)
    return campaign


def _unit_choices(user, base_unit, requested):
    """Units of ``base_unit``'s subtree the user sees: two levels below it, and a deeper one when it is asked for."""
    requested_id = int_or_none(requested)
    extra = Q(pk=requested_id) if requested_id is not None else Q(pk__in=[])
    return (units_visible_to(user).filter(path__startswith=base_unit.path)
            .filter(Q(depth__lte=base_unit.depth + 2) | extra).order_by("path"))


def _context(campaign, section: str, **extra) -> dict:
    return {"campaign": campaign, "section": section, **extra}


# --- leader training (号长培训) ---------------------------------------------------------------------------------


@login_required
@require_GET
def trainings(request, campaign_id: int):
    """The campaign's trainings the admin sees, or (``?show=leaders``) the creating collectives of its subtree with
    whether their leader has been trained; the figure 已培训号长 n / 创建集体 m above both."""
    user = request.user
    campaign = _campaign_for(user, campaign_id)
    form = LeaderFilterForm(request.GET or None, units=_unit_choices(user, user.unit, request.GET.get("unit")),
                            base_depth=user.unit.depth)
    unit = form.value("unit") or user.unit
    show_leaders = request.GET.get("show") == "leaders"
    trained = form.value("trained") or ""
    if show_leaders:
        queryset = selectors.leader_training_status(campaign, unit, trained=trained, search=form.value("q") or "")
    else:
        queryset = selectors.training_list(user, campaign)
    return render(request, "evaluation/development/trainings.html", _context(
        campaign, "trainings",
        **paginate(request, queryset, per_page=PER_PAGE),
        form=form,
        unit=unit,
        summary=selectors.development_summary(unit, campaign),
        show_leaders=show_leaders,
        trained=trained,
        trained_filters=selectors.TRAINED_FILTERS,
        filtered=bool(form.value("unit") or form.value("q")),
        can_add=user.has_perm("evaluation.add_development", campaign),
    ))


def _record(request, campaign_id: int, *, form_class, create, template: str, section: str, done):
    """The page of a form that records one thing (a training, a visit, a pair) through ``create`` (a service), for
    the admins who may add to the campaign (404 for anyone else); ``done(obj)`` gives the success message and the
    address to go to. A form sent back shows every violation and what its pickers held."""
    user = request.user
    campaign = _campaign_for(user, campaign_id)
    if not user.has_perm("evaluation.add_development", campaign):
        raise Http404(NOT_VISIBLE)
    form = form_class(request.POST or None)
    violations: list[Violation] = []
    if request.method == "POST" and form.is_valid():
        try:
            made = create(actor=user, campaign=campaign, data=form.service_data(), ip_address=client_ip(request))
        except RuleViolationError as error:
            violations = violations_into_form(form, error)
        else:
            message, target = done(made)
            messages.success(request, message)
            return redirect(target)
    return render(request, template, _context(
        campaign, section, form=form, violations=violations,
        picked=_picked(user, request.POST if request.method == "POST" else None)),
        status=422 if request.method == "POST" else 200)


def _picked(user, data) -> dict:
    """What the pickers of a form sent back with its errors, as the admin's collectives (one query)."""
    if data is None:
        return {name: [] for name in PICKED_FIELDS}
    ids = {name: [int_or_none(value) for value in data.getlist(name)] for name in PICKED_FIELDS}
    wanted = [number for values in ids.values() for number in values if number]
    found = {collective.pk: collective for collective in selectors.collectives_by_ids(user, wanted)} if wanted else {}
    return {name: [found[number] for number in values if number in found] for name, values in ids.items()}


@login_required
def training_new(request, campaign_id: int):
    return _record(request, campaign_id, form_class=TrainingForm, create=services.create_training,
                   template="evaluation/development/training_form.html", section="trainings",
                   done=lambda session: (f"已登记号长培训“{session.title}”。请在下面勾选参加培训的号长。",
                                         f"{reverse('evaluation:training', args=[session.pk])}?show=all"))


def _candidates_form(request, user, session):
    units = _unit_choices(user, session.unit, request.GET.get("unit"))
    return AttendanceFilterForm(request.GET or None, units=units, base_depth=session.unit.depth)


@login_required
def training(request, pk: int):
    """A training's page. Its recorder's unit and the units above tick the attendees among the leaders of the
    creating collectives under the unit that held it (a page of the list at a time: the boxes shown are saved, the
    others keep what they had); other admins read the attendees of their own subtree."""
    user = request.user
    session = selectors.get_training_for(user, pk, denied="您不能查看这次培训。")
    campaign = session.campaign
    can_change = user.has_perm("evaluation.change_training", session)
    violations: list[Violation] = []
    if request.method == "POST":
        try:  # the service refuses (403) an admin who may only read
            added, removed = services.set_training_attendance(
                actor=user, session=session, shown=request.POST.getlist("shown"),
                attended=request.POST.getlist("attended"), ip_address=client_ip(request))
        except RuleViolationError as error:
            violations = error.violations
        else:
            if added or removed:
                messages.success(request, f"已保存参训名单：新增{len(added)}人，取消{len(removed)}人。")
            else:
                messages.info(request, "参训名单没有变化。")
            return redirect(safe_next(request, reverse("evaluation:training", args=[session.pk])))
    form = _candidates_form(request, user, session) if can_change else None
    if can_change:
        has_attendees = session.attendances.exists()
        show = (form.value("show") or "") or ("attending" if has_attendees else "all")
        queryset = selectors.attendance_candidates(session, show=show, search=form.value("q") or "",
                                                   within=form.value("unit"))
        per_page = CANDIDATES_PER_PAGE
    else:
        show = "attending"
        queryset = selectors.training_attendees(session, user.unit)
        per_page = PER_PAGE
    attendance = session.attendances.aggregate(
        total=Count("pk"), own=Count("pk", filter=Q(collective__unit__path__startswith=user.unit.path)))
    return render(request, "evaluation/development/training.html", _context(
        campaign, "trainings",
        **paginate(request, queryset, per_page=per_page),
        session=session,
        form=form,
        show=show,
        can_change=can_change,
        attendance=attendance,
        violations=violations,
        violations_title="未能保存参训名单，请修改以下问题：",
        ticked=set(request.POST.getlist("attended")) if violations else None,  # a refused list keeps its ticks
        next_url=request.get_full_path(),
    ), status=422 if violations else 200)


# --- exchange visits (交流观摩) ---------------------------------------------------------------------------------


@login_required
@require_GET
def exchanges(request, campaign_id: int):
    user = request.user
    campaign = _campaign_for(user, campaign_id)
    queryset = selectors.exchange_list(user, campaign).prefetch_related(selectors.visitors_in(user.unit))
    page = paginate(request, queryset, per_page=PER_PAGE)
    for visit in page["object_list"]:  # the page's rows: a unit sees only its own collectives by name
        visit.host_shown = selectors.shown_by_name(visit.host, user.unit)
        visit.visitors_shown = list(visit.visitors.all())
        visit.visitors_hidden = visit.visitor_count - len(visit.visitors_shown)
    return render(request, "evaluation/development/exchanges.html", _context(
        campaign, "exchanges", **page,
        summary=selectors.development_summary(user.unit, campaign),
        can_add=user.has_perm("evaluation.add_development", campaign),
    ))


@login_required
def exchange_new(request, campaign_id: int):
    return _record(request, campaign_id, form_class=ExchangeForm, create=services.create_exchange_visit,
                   template="evaluation/development/exchange_form.html", section="exchanges",
                   done=lambda visit: (f"已登记交流观摩“{visit.topic}”。",
                                       reverse("evaluation:exchange", args=[visit.pk])))


@login_required
@require_GET
def exchange(request, pk: int):
    user = request.user
    visit = selectors.get_exchange_for(user, pk, denied="您不能查看这次交流观摩。")
    page = paginate(request, selectors.exchange_visitors(visit, user.unit), per_page=CANDIDATES_PER_PAGE)
    return render(request, "evaluation/development/exchange.html", _context(
        visit.campaign, "exchanges", **page,
        visit=visit,
        host_shown=selectors.shown_by_name(visit.host, user.unit),
        visitors_hidden=visit.visitors.count() - page["page_obj"].paginator.count,
    ))


# --- new-and-old pairs (新老号结对) -------------------------------------------------------------------------------


@login_required
@require_GET
def mentor_pairs(request, campaign_id: int):
    user = request.user
    campaign = _campaign_for(user, campaign_id)
    page = paginate(request, selectors.mentor_pair_list(user, campaign), per_page=PER_PAGE)
    for pair in page["object_list"]:
        pair.can_delete = user.has_perm("evaluation.delete_mentor_pair", pair)
        pair.mentor_shown = selectors.shown_by_name(pair.mentor, user.unit)  # only its own collectives by name
        pair.mentee_shown = selectors.shown_by_name(pair.mentee, user.unit)
    return render(request, "evaluation/development/mentor_pairs.html", _context(
        campaign, "pairs", **page,
        summary=selectors.development_summary(user.unit, campaign),
        can_add=user.has_perm("evaluation.add_development", campaign),
    ))


@login_required
def mentor_pair_new(request, campaign_id: int):
    return _record(request, campaign_id, form_class=MentorPairForm, create=services.create_mentor_pair,
                   template="evaluation/development/mentor_pair_form.html", section="pairs",
                   done=lambda pair: (f"已登记新老号结对：{pair.mentor.name} 帮带 {pair.mentee.name}。",
                                      reverse("evaluation:mentor_pairs", args=[pair.campaign_id])))


@login_required
@require_POST
def mentor_pair_delete(request, pk: int):
    user = request.user
    pair = selectors.get_mentor_pair_for(user, pk, "evaluation.delete_mentor_pair",
                                         denied="只有登记结对的单位及其上级单位可以解除结对。")
    campaign_id = pair.campaign_id
    names = f"{pair.mentor.name} 与 {pair.mentee.name}"
    services.delete_mentor_pair(actor=user, pair=pair, ip_address=client_ip(request))
    messages.success(request, f"已解除结对：{names}。")
    return redirect("evaluation:mentor_pairs", campaign_id=campaign_id)


# --- the options of the forms' collective pickers (partials/collective_picker.html; an htmx fragment) ----------


@login_required
@require_GET
def collective_options(request, campaign_id: int):
    """The collectives of the admin's subtree matching ``q`` for one picker (``field``; ``purpose`` mentor, mentee
    or any), leaving out those already picked in the form (sent back as ``host``, ``visitors``...)."""
    user = request.user
    campaign = _campaign_for(user, campaign_id)
    purpose = request.GET.get("purpose", "any")
    if purpose not in selectors.PICKER_PURPOSES:
        purpose = "any"
    field = request.GET.get("field", "")
    if field not in PICKED_FIELDS:
        raise Http404(NOT_VISIBLE)
    exclude = [number for name in PICKED_FIELDS for number in map(int_or_none, request.GET.getlist(name)) if number]
    search = request.GET.get("q", "").strip()[:100]
    options = selectors.collective_options(user, campaign, purpose=purpose, search=search, exclude=exclude)
    return render(request, "partials/collective_options.html", {
        "options": options, "field": field, "search": search, "empty": PICKER_EMPTY[purpose],
        "limit": selectors.OPTIONS_LIMIT,
    })


# --- a collective's own part, on its page (collectives.panels) ----------------------------------------------------


def development_panel(request, collective) -> dict | None:
    """The trainings its leader attended, the visits it hosted or made and its pairs in the newest campaign, for
    the collective's own accounts and the admins above it (register with ``collectives.panels.register_panel``)."""
    user = request.user
    if not user.has_perm("ledger.view_ledger", collective):
        return None
    campaign = campaign_of_ledger(collective)
    if campaign is None:
        return None
    return {"development_campaign": campaign,
            "development": selectors.development_of_collective(collective, campaign)}


urlpatterns = [
    path("campaigns/<int:campaign_id>/trainings/", trainings, name="trainings"),
    path("campaigns/<int:campaign_id>/trainings/new/", training_new, name="training_new"),
    path("trainings/<int:pk>/", training, name="training"),
    path("campaigns/<int:campaign_id>/exchanges/", exchanges, name="exchanges"),
    path("campaigns/<int:campaign_id>/exchanges/new/", exchange_new, name="exchange_new"),
    path("exchanges/<int:pk>/", exchange, name="exchange"),
    path("campaigns/<int:campaign_id>/pairs/", mentor_pairs, name="mentor_pairs"),
    path("campaigns/<int:campaign_id>/pairs/new/", mentor_pair_new, name="mentor_pair_new"),
    path("pairs/<int:pk>/delete/", mentor_pair_delete, name="mentor_pair_delete"),
    path("campaigns/<int:campaign_id>/collectives/options/", collective_options, name="collective_options"),
]
