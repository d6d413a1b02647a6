"""The central evaluation (集中评议) of creating collectives: the ranking of a campaign's creating collectives under a
unit (the office: the whole campaign; a unit admin: its subtree, read-only), 50 a page, each with its facts, its
suggested score, the score given and whether it was adjusted; the weights page of the office; a collective's page with
its suggested score part by part, where the office accepts the suggestion or gives another score with a reason; and
the office's action that scores every collective not yet scored with its suggestion.

Collectives and judges get 404 on every page (the section is not theirs); unit admins see the ranking and the
collectives' pages of their subtree and get 403 on the office's forms. Every change goes through
``services.assessments``; the pages make a fixed number of queries whatever the number of collectives."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_GET, require_POST

from wenminghao.campaigns.enums import FilingStatus
from wenminghao.campaigns.selectors import get_campaign_for
from wenminghao.core.errors import NotPermitted, RuleViolationError
from wenminghao.core.forms import violations_into_form
from wenminghao.core.http import client_ip, int_or_none, paginate, require_perm, safe_next

from ..assessment_forms import RankingFilterForm, ScoreForm, WeightsForm
from ..scoring import EXPECTED_STUDY_SESSIONS, PARTS
from ..selectors import assessments as selectors
from ..services import assessments as services

PER_PAGE = 50
NOT_HERE = "未找到该页面，或您无权查看。"


def _campaign_for(user, campaign_id: int):
    """The campaign (404 when invisible), for an admin only: collectives and judges get 404 on this section."""
    campaign = get_campaign_for(user, campaign_id)
    if not user.has_perm("evaluation.view_assessments", campaign):
        raise Http404(NOT_HERE)
    return campaign


@login_required
@require_GET
def assessments(request, campaign_id: int):
    """The ranking under the chosen unit (``?unit=``, one of the scope's; 404 outside it), best score first, with
    every row's facts and suggestion: a fixed number of queries whatever the number of collectives (the page's rows
    are counted alone: tests/evaluation/test_assessments_pages.py)."""
    user = request.user
    campaign = _campaign_for(user, campaign_id)
    scope = selectors.assessment_scope(user, campaign)
    requested = int_or_none(request.GET.get("unit"))
    unit = selectors.chosen_unit(scope, requested)
    weights = selectors.weights_of(campaign)
    page = paginate(request, selectors.ranked(campaign, unit), per_page=PER_PAGE)
    rows = selectors.ranking_rows(campaign, list(page["object_list"]), weights)
    can_score = user.has_perm("evaluation.score_assessments", campaign)
    counts = selectors.scored_counts(campaign, unit)
    context = {
        **page,
        "campaign": campaign,
        "scope": scope,
        "unit": unit,
        "rows": rows,
        "weights": weights,
        "weight_items": [(label, getattr(weights, key)) for key, label in PARTS],
        "filter_form": RankingFilterForm(initial={"unit": unit.pk}, units=selectors.scope_units(scope, requested),
                                         base_depth=scope.depth),
        "has_subunits": scope.children.exists(),
        "counts": counts,
        "unscored_everywhere": counts["everywhere"] - counts["scored_everywhere"] if can_score else 0,
        "can_score": can_score,
        "can_set_weights": user.has_perm("evaluation.set_assessment_weights", campaign),
        "pending": FilingStatus.PENDING,
        "expected_sessions": EXPECTED_STUDY_SESSIONS,
    }
    return render(request, "evaluation/assessments/ranking.html", context)


@login_required
def assessment_weights(request, campaign_id: int):
    """The five weights of the campaign's suggested score; POST saves them (services.set_assessment_weights)."""
    user = request.user
    campaign = _campaign_for(user, campaign_id)
    require_perm(user, "evaluation.set_assessment_weights", campaign, denied=services.OFFICE_ONLY_WEIGHTS)
    weights = selectors.weights_of(campaign)
    form = WeightsForm(request.POST if request.method == "POST" else None, initial=weights.as_dict())
    violations, failed = [], False
    if request.method == "POST":
        try:
            services.set_assessment_weights(actor=user, campaign=campaign, data=form.weights_data(),
                                            ip_address=client_ip(request))
        except RuleViolationError as error:
            violations, failed = violations_into_form(form, error), True
        else:
            saved = selectors.weights_of(campaign)
            if saved == weights:
                messages.info(request, "评议权重没有变化。")
            else:
                messages.success(request, "已保存评议权重：" + "，".join(
                    f"{label}{getattr(saved, key)}分" for key, label in PARTS) + "。各集体的建议得分已按新权重计算；"
                    "已评议的得分保持不变，如需按新权重评议，请逐个重新评议。")
            return redirect("evaluation:assessments", campaign.pk)
    return render(request, "evaluation/assessments/weights.html", {
        "campaign": campaign,
        "form": form,
        "fields": [form[key] for key, _ in PARTS],
        "violations": violations,
        "weights": weights,
        "row": selectors.weights_row(campaign),
        "expected_sessions": EXPECTED_STUDY_SESSIONS,
        "scored": selectors.scored_counts(campaign, campaign.office)["scored_everywhere"],
    }, status=422 if failed else 200)


@login_required
def assess(request, campaign_id: int, collective_id: int):
    """A creating collective's facts and suggested score part by part; the office accepts the suggestion (the button
    ``accept``) or gives another score with a reason (services.score_collective)."""
    user = request.user
    campaign = _campaign_for(user, campaign_id)
    scope = selectors.assessment_scope(user, campaign)
    collective = selectors.get_assessed_collective(campaign, scope, collective_id)
    can_score = user.has_perm("evaluation.score_assessments", campaign)
    back = safe_next(request, reverse("evaluation:assessments", args=[campaign.pk]))
    form = None
    violations, failed = [], False
    if request.method == "POST":
        if not can_score:
            raise NotPermitted(services.OFFICE_ONLY_SCORES)
        form = ScoreForm(request.POST)
        form.is_valid()
        use_suggestion = "accept" in request.POST
        try:
            assessment = services.score_collective(
                actor=user, campaign=campaign, collective=collective, score=form.data.get("score"),
                reason=form.data.get("reason", ""), use_suggestion=use_suggestion, ip_address=client_ip(request))
        except RuleViolationError as error:
            violations, failed = violations_into_form(form, error), True
        else:
            how = "采用建议得分" if assessment.score == assessment.suggested_score else "调整后"
            messages.success(request, f"已为“{collective.name}”评议打分：{assessment.score}分（{how}）。")
            return redirect(back)
    sheet = selectors.assessment_sheet(campaign, scope, collective)
    if form is None and can_score:
        current = sheet.assessment
        form = ScoreForm(initial={"score": current.score if current else sheet.suggested,
                                  "reason": current.adjustment_reason if current else ""})
    return render(request, "evaluation/assessments/assess.html", {
        "campaign": campaign,
        "collective": collective,
        "scope": scope,
        "sheet": sheet,
        "form": form,
        "violations": violations,
        "can_score": can_score,
        "back": back,
        "pending": FilingStatus.PENDING,
        "expected_sessions": EXPECTED_STUDY_SESSIONS,
    }, status=422 if failed else 200)


@login_required
@require_POST
def score_all(request, campaign_id: int):
    """Score every creating collective not yet scored with its suggestion (services.score_unscored_with_suggestions)."""
    user = request.user
    campaign = _campaign_for(user, campaign_id)
    require_perm(user, "evaluation.score_assessments", campaign, denied=services.OFFICE_ONLY_SCORES)
    made = services.score_unscored_with_suggestions(actor=user, campaign=campaign, ip_address=client_ip(request))
    if made:
        messages.success(request, f"已按建议得分为{len(made)}个尚未评议的创建集体评议打分。"
                                  "如对个别集体的得分有不同意见，请点击“评议”调整并填写理由。")
    else:
        messages.info(request, "所有创建集体均已评议，没有需要按建议得分评议的集体。")
    return redirect(safe_next(request, reverse("evaluation:assessments", args=[campaign.pk])))


urlpatterns = [
    path("campaigns/<int:campaign_id>/assessments/", assessments, name="assessments"),
    path("campaigns/<int:campaign_id>/assessments/weights/", assessment_weights, name="assessment_weights"),
    path("campaigns/<int:campaign_id>/assessments/score-all/", score_all, name="assessments_score_all"),
    path("campaigns/<int:campaign_id>/assessments/<int:collective_id>/", assess, name="assess"),
]
