"""The 助千家 pairing pages: a collective's pairings (the registry number masked), registering one with the
guardian's consent, and the pairing's own page, the only one showing the number in full: every time it is shown
the view is written to the audit log (``services.record_pairing_view``) and the response is never cached. Its
forms (回头看, 结束帮扶, 监护人撤回同意) post to their own addresses and come back to it.

Who sees a pairing is the selectors' business (the collective, the units above it, the office; nobody else: 404);
what they may do, the rules' (visible but not allowed: 403); every change goes through ``services``, whose
violations are shown all at once."""


from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from wenminghao.collectives.selectors import collectives_visible_to
from wenminghao.core.errors import RuleViolationError, Violation
from wenminghao.core.forms import violations_into_form
from wenminghao.core.http import client_ip, get_object_for, paginate

from .. import selectors, services
from ..enums import Activity, PairingState
from ..models import Pairing
from ..pairing_forms import EndPairingForm, PairingForm, PairingReviewForm, WithdrawConsentForm

PER_PAGE = 30
VISITS_PER_PAGE = 20
STATE_FILTERS = (("", "全部"), *PairingState.choices)


def _collective_for(user, collective_id: int, perm: str, denied: str):
    return get_object_for(user, collectives_visible_to(user).select_related("unit"), collective_id, perm,
                          denied=denied)


# --- a collective's pairings -----------------------------------------------------------------------------------


@login_required
@require_GET
def pairing_list(request, collective_id: int):
    """The collective's pairings, paged in the database, each row with the number masked, never in full."""
    user = request.user
    collective = _collective_for(user, collective_id, "ledger.view_ledger", "您不能查看该集体的台账。")
    state = request.GET.get("state", "")
    if state not in PairingState.values:
        state = ""
    page = paginate(request, selectors.pairing_list(user, collective=collective, state=state), per_page=PER_PAGE)
    return render(request, "ledger/pairing_list.html", {
        **page,
        "collective": collective,
        "state": state,
        "state_filters": STATE_FILTERS,
        "can_add": user.has_perm("ledger.add_pairing", collective),
        "follow_up_days": selectors.FOLLOW_UP_INTERVAL.days,
    })


@never_cache  # a form sent back with its errors holds the number as typed
@login_required
def pairing_create(request, collective_id: int):
    user = request.user
    collective = _collective_for(user, collective_id, "ledger.add_pairing", "您不能为该集体登记结对家庭。")
    form = PairingForm(request.POST or None)
    violations: list[Violation] = []
    if request.method == "POST" and form.is_valid():
        try:
            pairing = services.create_pairing(actor=user, collective=collective, data=form.service_data(),
                                              ip_address=client_ip(request))
        except RuleViolationError as error:
            violations = violations_into_form(form, error)
        else:
            messages.success(request, f"已登记结对家庭（编号{pairing.family_ref_masked}），"
                                      "请在走访后登记助千家台账，每半年开展一次回头看。")
            return redirect("ledger:pairing", pairing_id=pairing.pk)
    return render(request, "ledger/pairing_form.html", {
        "form": form, "violations": violations, "collective": collective,
    })


# --- the pairing's own page ------------------------------------------------------------------------------------


def _render_pairing(request, pairing: Pairing, *, review_form=None, end_form=None, withdraw_form=None,
                    failed: str = "", violations=(), violations_title: str = ""):
    """The pairing's page. It shows the registry number in full, so each rendering is audited (also when a form
    comes back with its errors), and the response is marked never to be cached (the views are ``never_cache``)."""
    user = request.user
    services.record_pairing_view(actor=user, pairing=pairing, ip_address=client_ip(request))
    reviews = list(pairing.reviews.all())  # newest first (PairingReview.Meta.ordering)
    active = pairing.state == PairingState.ACTIVE
    can_change = user.has_perm("ledger.change_pairing", pairing)
    context = {
        **paginate(request, selectors.pairing_visits(pairing), per_page=VISITS_PER_PAGE),
        "pairing": pairing,
        "collective": pairing.collective,
        "reviews": reviews,
        "help_kinds": [item.get_kind_display() for item in pairing.help_kinds.all()],
        "follow_up_due": pairing.follow_up_due,
        "follow_up_days": selectors.FOLLOW_UP_INTERVAL.days,
        "can_change": can_change,
        "can_add_visit": active and user.has_perm("ledger.add_entry", pairing.collective),
        "can_withdraw": pairing.state != PairingState.WITHDRAWN,  # the page's own permission suffices
        "visit_activity": Activity.FAMILIES,
        "review_form": review_form or PairingReviewForm(),
        "end_form": end_form or EndPairingForm(),
        "withdraw_form": withdraw_form or WithdrawConsentForm(),
        "failed": failed,  # the section whose form came back with errors (opened, and named at the top)
        "violations": violations,
        "violations_title": violations_title,
    }
    return render(request, "ledger/pairing_detail.html", context)


def _pairing_for(request, pairing_id: int) -> Pairing:
    return selectors.get_pairing_for(request.user, pairing_id, "ledger.view_pairing",
                                     denied="您不能查看这个结对家庭。")


@never_cache
@login_required
@require_GET
def pairing_detail(request, pairing_id: int):
    return _render_pairing(request, _pairing_for(request, pairing_id))


@never_cache
@login_required
@require_POST
def pairing_review(request, pairing_id: int):
    """A 回头看 of an active pairing (``ledger.change_pairing``, checked by the service: 403 otherwise)."""
    pairing = _pairing_for(request, pairing_id)
    form = PairingReviewForm(request.POST)
    violations: list[Violation] = []
    if form.is_valid():
        try:
            review = services.add_pairing_review(actor=request.user, pairing=pairing, data=form.service_data(),
                                                 ip_address=client_ip(request))
        except RuleViolationError as error:
            violations = violations_into_form(form, error)
        else:
            messages.success(request, f"已登记{review.date:%Y-%m-%d}的回头看：{review.get_outcome_display()}，"
                                      f"{review.get_income_trend_display()}。")
            return redirect("ledger:pairing", pairing_id=pairing.pk)
    return _render_pairing(request, pairing, review_form=form, failed="review", violations=violations,
                           violations_title="未能登记回头看，请修改以下问题：")


@never_cache
@login_required
@require_POST
def pairing_end(request, pairing_id: int):
    """帮扶结束 (``ledger.change_pairing``: only an active pairing; the service says 403 otherwise)."""
    pairing = _pairing_for(request, pairing_id)
    form = EndPairingForm(request.POST)
    violations: list[Violation] = []
    if form.is_valid():
        try:
            pairing = services.end_pairing(actor=request.user, pairing=pairing, ended=form.cleaned_data["ended"],
                                           ip_address=client_ip(request))
        except RuleViolationError as error:
            violations = violations_into_form(form, error)
        else:
            messages.success(request, f"已结束结对帮扶（结束日期{pairing.ended:%Y-%m-%d}）。"
                                      "结对信息和走访记录保留在台账中。")
            return redirect("ledger:pairing", pairing_id=pairing.pk)
    return _render_pairing(request, pairing, end_form=form, failed="end", violations=violations,
                           violations_title="未能结束帮扶，请修改以下问题：")


@never_cache
@login_required
@require_POST
def pairing_withdraw(request, pairing_id: int):
    """The guardian withdrew consent: the service erases the number, the area and the visits' files."""
    pairing = _pairing_for(request, pairing_id)
    form = WithdrawConsentForm(request.POST)
    violations: list[Violation] = []
    if form.is_valid():
        try:
            services.withdraw_consent(actor=request.user, pairing=pairing, ip_address=client_ip(request))
        except RuleViolationError as error:
            violations = violations_into_form(form, error)
        else:
            messages.success(request, "已登记监护人撤回同意：该家庭的建档立卡编号、所在乡镇（街道）和走访照片、文档"
                                      "已删除，结对已结束；帮扶人数和走访、回头看次数保留用于统计。")
            return redirect("ledger:pairing", pairing_id=pairing.pk)
    return _render_pairing(request, pairing, withdraw_form=form, failed="withdraw", violations=violations,
                           violations_title="未能登记撤回同意，请处理以下问题：")


urlpatterns = [
    path("collectives/<int:collective_id>/pairings/", pairing_list, name="pairings"),
    path("collectives/<int:collective_id>/pairings/new/", pairing_create, name="pairing_create"),
    path("pairings/<int:pairing_id>/", pairing_detail, name="pairing"),
    path("pairings/<int:pairing_id>/reviews/", pairing_review, name="pairing_review"),
    path("pairings/<int:pairing_id>/end/", pairing_end, name="pairing_end"),
    path("pairings/<int:pairing_id>/withdraw/", pairing_withdraw, name="pairing_withdraw"),
]
