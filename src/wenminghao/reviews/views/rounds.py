"""Central review (集中评议). City pages: the rounds of a campaign, a new round, its rubric, its judges, the
assignment of works (skipping conflicts of interest), progress, results with ranking and the decisions
优秀展示 / 推报团省委, closing. Judge pages: "我的评审" and the scoring page of one assignment.

Campaigns come through campaigns_visible_to and rounds through their campaign (invisible: 404); a visible round
the user may not run answers 403. A judge reaches assignments only through selectors.judge_assignments (their
own, never a work of their own unit's subtree: 404 otherwise). In a blind round the judge's pages show
"作品 #n" and never the collective's or the unit's name, nor the files' names.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wenminghao.campaigns.selectors import get_campaign_for
from wenminghao.core.errors import RuleViolationError, Violation
from wenminghao.core.forms import style_form
from wenminghao.core.http import int_or_none, paginate
from wenminghao.orgs.models import Unit
from wenminghao.works.enums import Category, FileRole, WorkStatus
from wenminghao.works.models import WorkFile
from wenminghao.works.transitions import change_work_status

from .. import scoring, selectors, services, standings
from ..enums import RoundStatus
from ..models import Assignment, Criterion, ReviewRound, RoundEntry, RoundJudge, Score
from ..round_forms import CriterionFormSet, DecisionForm, JudgesForm, RoundForm, ScoreForm

NOT_FOUND = "未找到该内容，或您无权查看。"
OFFICE_ONLY = "只有组织本次创建活动的团委管理员可以管理集中评议。"



def _office_campaign(request, campaign_id: int):
    return get_campaign_for(request.user, campaign_id, "reviews.run_campaign_review", denied=OFFICE_ONLY)


def _office_round(request, round_id: int) -> ReviewRound:
    return _labelled(selectors.get_round_for(request.user, round_id, "reviews.manage_round"))


def _labelled(round_: ReviewRound) -> ReviewRound:
    round_.category_label = Category(round_.category).label if round_.category in Category.values else round_.category
    return round_


# --- city: rounds -----------------------------------------------------------------------------------------------


@login_required
@require_GET
def round_list(request, campaign_id: int):
    campaign = _office_campaign(request, campaign_id)
    rounds = [_labelled(round_) for round_ in selectors.campaign_rounds(campaign)]
    return render(request, "reviews/rounds/list.html", {"campaign": campaign, "rounds": rounds})


@login_required
@require_http_methods(["GET", "POST"])
def round_create(request, campaign_id: int):
    campaign = _office_campaign(request, campaign_id)
    form = style_form(RoundForm(request.POST or None))
    violations = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            round_ = services.create_round(actor=request.user, campaign=campaign, category=data["category"],
                                           name=data["name"], is_blind=data["is_blind"],
                                           trim_count=data["trim_count"])
        except RuleViolationError as error:
            violations = error.violations
        else:
            messages.success(request, f"已开设评审轮次“{round_.name}”。下一步：设置评分标准。")
            return redirect("reviews:round_rubric", round_id=round_.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "reviews/rounds/create.html",
                  {"campaign": campaign, "form": form, "violations": violations}, status=status)


@login_required
@require_GET
def round_detail(request, round_id: int):
    """The round's page: settings, rubric, judges, progress per judge and per work, and the conflicts skipped."""
    round_ = _office_round(request, round_id)
    context = {
        "round": round_,
        "criteria": list(Criterion.objects.filter(round=round_)),
        "progress": selectors.round_progress(round_),
        "conflicts": selectors.round_conflicts(round_),
        "assignable": selectors.assignable_works(round_).count(),
        "is_open": round_.status == RoundStatus.OPEN,
    }
    return render(request, "reviews/rounds/detail.html", context)


def _rubric_initial(round_) -> list[dict]:
    existing = list(Criterion.objects.filter(round=round_))
    if existing:
        return [{"name": c.name, "weight": c.weight, "max_score": c.max_score} for c in existing]
    return [{"name": name, "weight": weight, "max_score": maximum} for name, weight, maximum in services.DEFAULT_RUBRIC]


@login_required
@require_http_methods(["GET", "POST"])
def round_rubric(request, round_id: int):
    """The rubric editor: one line per criterion (name, weight, max score); blank lines are ignored. An empty
    rubric starts with the suggested 主题契合, 原创性, 表现力, 示范推广价值."""
    round_ = _office_round(request, round_id)
    formset = CriterionFormSet(request.POST or None, initial=None if request.POST else _rubric_initial(round_))
    for form in formset:
        style_form(form)
    violations = []
    scored = Score.objects.filter(assignment__round=round_).exists()
    if scored or round_.status != RoundStatus.OPEN:
        for form in formset:
            for field in form.fields.values():
                field.disabled = True
    if request.method == "POST":
        if not formset.is_valid():
            violations = [
                Violation("rubric.form", f"第{index}项：{' '.join(m for e in form.errors.values() for m in e)}")
                for index, form in enumerate(formset, start=1) if form.errors
            ]
            violations += [Violation("rubric.form", message) for message in formset.non_form_errors()]
        else:
            lines = [form.cleaned_data for form in formset if form.cleaned_data and not form.is_blank()]
            try:
                services.set_rubric(actor=request.user, round_=round_, criteria=lines)
            except RuleViolationError as error:
                violations = error.violations
            else:
                messages.success(request, f"已保存评分标准（{len(lines)}项）。")
                return redirect("reviews:round_detail", round_id=round_.pk)
    status = 422 if violations else 200
    return render(request, "reviews/rounds/rubric.html",
                  {"round": round_, "formset": formset, "violations": violations, "scored": scored,
                   "is_open": round_.status == RoundStatus.OPEN}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def round_judges(request, round_id: int):
    round_ = _office_round(request, round_id)
    current = RoundJudge.objects.filter(round=round_).values_list("judge_id", flat=True)
    form = JudgesForm(request.POST or None, judge_queryset=selectors.judge_accounts(round_.campaign),
                      initial={"judges": list(current)})
    violations = []
    if request.method == "POST":
        if not form.is_valid():
            violations = [Violation("round.judges", "所选账号不是可选的评委，请重新选择。", "judges")]
        else:
            try:
                services.set_judges(actor=request.user, round_=round_, judges=form.cleaned_data["judges"])
            except RuleViolationError as error:
                violations = error.violations
            else:
                messages.success(request, f"已选择评委 {len(form.cleaned_data['judges'])} 位。")
                return redirect("reviews:round_detail", round_id=round_.pk)
    return render(request, "reviews/rounds/judges.html",
                  {"round": round_, "form": form, "violations": violations,
                   "is_open": round_.status == RoundStatus.OPEN}, status=422 if violations else 200)


@login_required
@require_POST
def round_assign(request, round_id: int):
    round_ = _office_round(request, round_id)
    try:
        result = services.assign_works(actor=request.user, round_=round_)
    except RuleViolationError as error:
        for violation in error.violations:
            messages.error(request, violation.message)
    else:
        text = f"已分配 {result['created']} 份评审任务。"
        if result["skipped"]:
            text += f"因回避规则（评委所在单位的作品）跳过 {len(result['skipped'])} 份，见下方“回避”列表。"
        messages.success(request, text)
    return redirect("reviews:round_detail", round_id=round_.pk)


@login_required
@require_POST
def round_close(request, round_id: int):
    round_ = _office_round(request, round_id)
    try:
        services.close_round(actor=request.user, round_=round_)
    except RuleViolationError as error:
        for violation in error.violations:
            messages.error(request, violation.message)
    else:
        messages.success(request, f"评审轮次“{round_.name}”已结束，评委不能再修改评分。")
    return redirect("reviews:round_detail", round_id=round_.pk)


class ResultsFilterForm(forms.Form):
    q = forms.CharField(label="搜索", required=False, max_length=100,
                        widget=forms.TextInput(attrs={"placeholder": "作品名称或创作集体", "type": "search"}))
    status = forms.ChoiceField(label="作品状态", required=False, choices=[
        ("", "全部状态"),
        *[(s, WorkStatus(s).label) for s in ("recommended", "shortlisted", "showcased", "forwarded")]])
    unit = forms.ModelChoiceField(label="归口单位", required=False, queryset=None, empty_label="全部单位")
    pending = forms.BooleanField(label="只看未评完的作品", required=False)
    order = forms.ChoiceField(label="排序", required=False, choices=[
        ("rank", "按名次"), ("number", "按编号"), ("pending", "未评评委多的在前")])

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        style_form(self)


RESULTS_PER_PAGE = 50


@login_required
@require_GET
def round_results(request, round_id: int):
    """Per work: n, mean, trimmed mean, missing judges, rank (ties share a rank); the decision buttons. Paged in
    the database (50 works a page) over the round's standings, filtered and ordered there."""
    round_ = _office_round(request, round_id)
    office = round_.campaign.office
    form = ResultsFilterForm(request.GET or None,
                             units=Unit.objects.filter(parent=office).order_by("path"))
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    entries = selectors.round_entries(
        round_, status=filters.get("status") or "", unit=filters.get("unit"), pending=bool(filters.get("pending")),
        search=(filters.get("q") or "").strip(), order=filters.get("order") or "rank")
    page = paginate(request, entries, per_page=RESULTS_PER_PAGE)
    rows = list(page["object_list"])
    judges = [rj.judge for rj in RoundJudge.objects.filter(round=round_).select_related("judge")
              .order_by("judge__username")]
    standings.ranks_for(round_, rows)
    selectors.entry_cells(round_, rows, judges)
    for row in rows:  # the decision buttons' address (the page's one form posts there)
        row.decide_url = reverse("reviews:round_decide", args=[round_.pk, row.work_id])
    return render(request, "reviews/rounds/results.html", {
        "round": round_, "results": rows, "judges": judges, "form": form, **page,
        "progress": selectors.round_totals(round_),
    })


@login_required
@require_POST
def round_decide(request, round_id: int, work_id: int):
    """优秀展示 / 推报团省委 and their undo, through works.transitions.change_work_status (locks, checks,
    audits and notifies the unit and the collective)."""
    round_ = _office_round(request, round_id)
    if not Assignment.objects.filter(round=round_, work_id=work_id).exists():
        raise Http404(NOT_FOUND)
    work = round_.assignments.filter(work_id=work_id).select_related("work").first().work
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择要执行的决定（优秀展示、推报团省委或撤销）。")
    else:
        to_status = form.cleaned_data["to_status"]
        try:
            change_work_status(actor=request.user, work=work, to_status=to_status)
        except RuleViolationError as error:
            for violation in error.violations:
                messages.error(request, violation.message)
        else:
            messages.success(request, f"《{work.title}》已设为“{WorkStatus(to_status).label}”。")
    return redirect("reviews:round_results", round_id=round_.pk)


# --- judges ---------------------------------------------------------------------------------------------------


def _judge_only(request):
    if not request.user.has_perm("reviews.judge_works"):
        raise Http404(NOT_FOUND)  # the judges' pages do not exist for anyone else


JUDGE_PER_PAGE = 50


@login_required
@require_GET
def judge_home(request):
    """我的评审: the judge's rounds with what is done, and one round's assignments (the chosen one, else the newest
    open one) paged in the database, blind-aware, with 待评/已评 filters."""
    _judge_only(request)
    rounds = selectors.judge_rounds(request.user)
    chosen = None
    requested = int_or_none(request.GET.get("round"))
    if requested is not None:
        chosen = next((round_ for round_ in rounds if round_.pk == requested), None)
        if chosen is None:
            raise Http404(NOT_FOUND)
    elif rounds:
        chosen = next((round_ for round_ in rounds if round_.status == RoundStatus.OPEN), rounds[0])
    scored = request.GET.get("scored", "")
    scored = scored if scored in ("yes", "no") else ""
    page = {}
    if chosen is not None:
        page = paginate(request, selectors.judge_round_assignments(request.user, chosen, scored=scored),
                        per_page=JUDGE_PER_PAGE)
    return render(request, "reviews/rounds/judge_home.html", {
        "rounds": rounds, "chosen": chosen, "scored": scored, **page})


@login_required
@require_http_methods(["GET", "POST"])
def judge_assignment(request, assignment_id: int):
    """The work (pictures, video, essay) and the score inputs; revisable until the round closes."""
    _judge_only(request)
    assignment = (selectors.judge_assignments(request.user).select_related("work__collective__unit")
                  .filter(pk=assignment_id).first())
    if assignment is None or not request.user.has_perm("reviews.score_assignment", assignment):
        raise Http404(NOT_FOUND)
    round_ = assignment.round
    criteria = list(Criterion.objects.filter(round=round_))
    saved = dict(Score.objects.filter(assignment=assignment).values_list("criterion_id", "value"))
    initial = {f"criterion_{pk}": f"{value.normalize():f}" for pk, value in saved.items()}
    initial["comment"] = assignment.comment
    form = style_form(ScoreForm(request.POST or None, criteria=criteria, initial=initial))
    violations = []
    status = 200
    if request.method == "POST":
        try:
            services.save_scores(actor=request.user, assignment=assignment, scores=form.raw_scores(),
                                 comment=request.POST.get("comment", ""))
        except RuleViolationError as error:
            violations = error.violations
            for violation in violations:
                if violation.field in form.fields:
                    form.add_error(violation.field, violation.message)
            status = 422
        else:
            messages.success(request, "已保存您的评分。本轮结束前您都可以修改。")
            return redirect("reviews:judge_assignment", assignment_id=assignment.pk)
    work = assignment.work
    files = list(WorkFile.objects.filter(work=work).order_by("role", "position", "id"))
    pictures = [f for f in files if f.role in (FileRole.PICTURE, FileRole.SCREENSHOT)]
    number = RoundEntry.objects.filter(round=round_, work=work).values_list("number", flat=True).first()
    own_score = scoring.weighted_score(saved, criteria)
    return render(request, "reviews/rounds/judge_assignment.html", {
        "assignment": assignment, "round": round_, "work": work, "number": number,
        "blind": round_.is_blind, "form": form, "violations": violations,
        "is_open": round_.status == RoundStatus.OPEN, "criteria": criteria, "saved": saved,
        "own_score": own_score, "pictures": pictures,
        "videos": [f for f in files if f.role == FileRole.VIDEO],
        "is_essay": work.category == Category.ESSAY,
    }, status=status)
