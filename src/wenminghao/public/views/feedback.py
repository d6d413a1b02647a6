"""Public supervision (公众监督): the visitor's form on a public post (``/posts/<id>/feedback/``), the receipt with the
reference, following an item by its reference (``/feedback/``, ``/feedback/<reference>/``); and, signed in, the
feedback of the user's scope (the collective's own accounts, the admins above it) with answering, closing and
verifying, the response times per child unit, and the panel on the collective's page (registered in public/apps.py).

Views stay thin: posts come through ``selectors.pages.public_posts`` (not public: 404), items through
``selectors.feedback`` (invisible: 404), every action names a permission (403), every change goes through
``services.feedback`` and a refusal shows all of its messages at once. The visitor's pages never show a contact: the
follow page reads only the public fields (``selectors.feedback.public_feedback``). The form page carries a CSRF token
and so is never cached by others (``private``); the follow page is (``public``, short, with an ETag)."""

import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, re_path, reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import condition, require_GET, require_http_methods, require_POST

from wenminghao.collectives.selectors import collectives_visible_to
from wenminghao.core.errors import RuleViolationError
from wenminghao.core.forms import violations_into_form
from wenminghao.core.http import NOT_VISIBLE, client_ip, get_visible_or_404, int_or_none, paginate

from ..feedback_forms import AnswerForm, FeedbackFilterForm, FeedbackForm, ReferenceForm
from ..models import FEEDBACK_TEXT_MAX_CHARS
from ..selectors import feedback as selectors
from ..services import feedback as services
from ..throttling import FeedbackThrottled

PER_PAGE = 20
PANEL_SHOWN = 5
FOLLOW_MAX_AGE = 60  # seconds a follow page may be kept by browsers and proxies


def _not_found(request, message: str):
    response = render(request, "public/feedback_not_found.html", {"message": message}, status=404)
    patch_cache_control(response, private=True, no_cache=True)
    return response


# --- the visitor's side -------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def post_feedback(request, pk: int):
    """The form (GET); POST checks it (``services.submit_feedback``: every rule at once, the limits per address and
    per post) and shows the receipt with the reference (200), the form with the messages (422) or the limit (429
    with Retry-After)."""
    try:
        collective = selectors.get_post_for_feedback(pk)
    except Http404:
        return _not_found(request, selectors.POST_NOT_PUBLIC)
    data = request.POST if request.method == "POST" else None
    form = FeedbackForm(data)
    violations, status, throttled, headers = [], 200, "", {}
    if data is not None:
        try:
            submitted = services.submit_feedback(collective=collective, data=form.feedback_data(),
                                                 ip_address=client_ip(request), honeypot=form.honeypot())
        except RuleViolationError as error:
            violations, status = violations_into_form(form, error), 422
        except FeedbackThrottled as error:
            throttled, status, headers = error.message, 429, {"Retry-After": str(error.retry_after)}
        else:
            response = render(request, "public/feedback_sent.html", {
                "collective": collective, "reference": submitted.reference,
                "follow_url": reverse("public:feedback_follow", args=[submitted.reference])})
            patch_cache_control(response, private=True, no_store=True)
            return response
    response = render(request, "public/feedback_form.html", {
        "collective": collective, "form": form, "violations": violations, "throttled": throttled,
        "text_max": FEEDBACK_TEXT_MAX_CHARS}, status=status)
    for name, value in headers.items():
        response[name] = value
    patch_cache_control(response, private=True, no_cache=True)
    return response


@require_GET
def feedback_lookup(request):
    """The small form to follow an item: ``?reference=`` goes to its page (an unknown one: 404 with the message)."""
    form = ReferenceForm(request.GET or None)
    if request.GET.get("reference") is not None:
        reference = selectors.normalize_reference(request.GET.get("reference"))
        if reference:
            return redirect("public:feedback_follow", reference)
        form.add_error("reference", "请输入提交意见后得到的12位查询编号")
    return render(request, "public/feedback_lookup.html", {"form": form})


def _follow_etag(request, reference: str) -> str | None:
    try:
        item = selectors.public_feedback(reference)
    except Http404:
        return None
    request.public_feedback = item  # read once: the view uses it
    # what the page shows that can change: the state, the answer (which may be amended) and the times
    seen = f"{item.state}|{item.answer}|{item.changed_at.isoformat()}"
    return f'"{item.reference}-{hashlib.sha256(seen.encode()).hexdigest()[:16]}"'


@require_GET
@condition(etag_func=_follow_etag)
def feedback_follow(request, reference: str):
    """An item by its reference: kind, text, state, the answer and when; never the contact."""
    item = getattr(request, "public_feedback", None)
    if item is None:
        return _not_found(request, selectors.REFERENCE_NOT_FOUND)
    canonical = selectors.normalize_reference(reference)
    if canonical != reference:
        return redirect("public:feedback_follow", canonical)
    response = render(request, "public/feedback_follow.html", {"item": item, "form": ReferenceForm()})
    patch_cache_control(response, public=True, max_age=FOLLOW_MAX_AGE)
    return response


# --- the signed-in side -------------------------------------------------------------------------------------------


@login_required
@require_GET
def feedback_manage(request):
    """The feedback of the user's scope, newest first, filtered by ``?state=&kind=&verified=1&collective=``."""
    user = request.user
    if not user.has_perm("public.list_feedback"):
        raise Http404(NOT_VISIBLE)
    form = FeedbackFilterForm(request.GET or None)
    filters = form.filters()
    collective = None
    if request.GET.get("collective"):
        collective = get_visible_or_404(collectives_visible_to(user), pk=int_or_none(request.GET.get("collective")))
    queryset = selectors.feedback_list(user, collective=collective, **filters)
    return render(request, "public/manage_feedback_list.html", {
        "form": form, "collective": collective, "filtered": any(filters.values()) or collective is not None,
        "can_see_stats": user.is_admin,
        **paginate(request, queryset, per_page=PER_PAGE),
    })


def _item_page(request, feedback, *, answer_form=None, violations=(), status=200):
    user = request.user
    moves = services.moves_for(user, feedback)
    return render(request, "public/manage_feedback_item.html", {
        "feedback": feedback, "moves": moves, "violations": list(violations),
        "answer_form": answer_form or AnswerForm(initial={"answer": feedback.answer}),
    }, status=status)


@login_required
@require_GET
def feedback_item(request, pk: int):
    feedback = selectors.get_feedback_for(request.user, pk, "public.view_feedback")
    return _item_page(request, feedback)


def _move(request, pk: int, move: str, done: str):
    user = request.user
    feedback = selectors.get_feedback_for(user, pk, "public.view_feedback")
    form = AnswerForm(request.POST) if move == "answer" else None
    try:
        services.move_feedback(actor=user, feedback=feedback, move=move,
                               answer=request.POST.get("answer", "") if move == "answer" else "",
                               ip_address=client_ip(request))
    except RuleViolationError as error:
        rest = violations_into_form(form, error) if form is not None else error.violations
        return _item_page(request, feedback, answer_form=form, violations=rest, status=422)
    messages.success(request, done)
    return redirect("public:feedback_item", feedback.pk)


@login_required
@require_POST
def feedback_answer(request, pk: int):
    return _move(request, pk, "answer", "答复已保存，公众凭查询编号即可看到。")


@login_required
@require_POST
def feedback_close(request, pk: int):
    return _move(request, pk, "close", "这条意见已办结。")


@login_required
@require_POST
def feedback_verify(request, pk: int):
    return _move(request, pk, "verify", "已核实这条投诉，它已列入该集体的称号动态管理记录。")


@login_required
@require_GET
def feedback_stats(request):
    """Response times and open items per direct child unit of ``?unit=`` (the admin's own unit by default)."""
    user = request.user
    if not user.is_admin:
        raise Http404(NOT_VISIBLE)
    units = selectors.stats_units(user)
    requested = int_or_none(request.GET.get("unit"))
    unit = user.unit if requested is None else get_visible_or_404(units, pk=requested)
    rows, total = selectors.feedback_by_child_unit(unit)
    parent = unit.parent if unit.pk != user.unit_id and unit.parent_id else None
    return render(request, "public/manage_feedback_stats.html", {
        "unit": unit, "rows": rows, "total": total, "parent": parent,
    })


# --- the panel on the collective's page ---------------------------------------------------------------------------


def collective_panel(request, collective) -> dict | None:
    """The collective's feedback counted by state and kind and its verified complaints (for the dynamic management
    of its title), for its own accounts and the admins above it."""
    if not request.user.has_perm("public.view_collective_feedback", collective):
        return None
    return {"feedback_summary": selectors.collective_feedback_summary(collective, shown=PANEL_SHOWN)}


REFERENCE_IN_PATH = r"(?P<reference>[0-9A-Za-z-]{12,16})"

urlpatterns = [
    path("posts/<int:pk>/feedback/", post_feedback, name="post_feedback"),
    path("feedback/", feedback_lookup, name="feedback_lookup"),
    path("feedback/manage/", feedback_manage, name="feedback_manage"),
    path("feedback/manage/<int:pk>/", feedback_item, name="feedback_item"),
    path("feedback/manage/<int:pk>/answer/", feedback_answer, name="feedback_answer"),
    path("feedback/manage/<int:pk>/close/", feedback_close, name="feedback_close"),
    path("feedback/manage/<int:pk>/verify/", feedback_verify, name="feedback_verify"),
    path("feedback/stats/", feedback_stats, name="feedback_stats"),
    re_path(rf"^feedback/{REFERENCE_IN_PATH}/$", feedback_follow, name="feedback_follow"),
]
