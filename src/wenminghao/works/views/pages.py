"""The works pages: the list, creating and editing a work, the work's page and its file list, the essay text, and
submission.

Views stay thin: every work comes through a visible-to selector (invisible answers 404), every action names a
permission (visible but forbidden answers 403), every change goes through ``works.services`` and every refusal
shows the service's own messages, all at once.
"""

import os

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from wenminghao.campaigns.selectors import campaigns_visible_to
from wenminghao.collectives.selectors import collectives_visible_to
from wenminghao.core.errors import RuleViolationError, StaleEditError, Violation
from wenminghao.core.forms import violations_into_form
from wenminghao.core.http import get_visible_or_404, paginate, querystring_without
from wenminghao.core.uploads import receive_streamed_upload
from wenminghao.orgs.selectors import units_visible_to

from .. import attachment1, selectors, services, transitions, uploads
from ..deadlines import deadline_violation
from ..enums import Category, WorkStage, WorkStatus
from ..forms import EssayTextForm, WorkFilterForm, WorkForm, category_forms_data
from .common import NOT_FOUND, changeable_work, detail_context, files_context, visible_work

PER_PAGE = 30


# --- the list ----------------------------------------------------------------------------------------------


@login_required
@require_GET
def work_list(request):
    """A collective's own works with their status; for a unit or the city, the works of the collectives
    under it, filtered by campaign, category, status, unit or one collective, and searched."""
    user = request.user
    campaigns = campaigns_visible_to(user).order_by("-year", "level", "-id")
    units = None
    base_depth = 0
    if user.is_admin:
        base_depth = user.unit.depth
        requested = request.GET.get("unit")
        extra = Q(pk=int(requested)) if requested and requested.isdigit() else Q(pk__in=[])
        units = units_visible_to(user).filter(Q(depth__lte=base_depth + 2) | extra).order_by("path")
    form = WorkFilterForm(request.GET or None, campaigns=campaigns, units=units, base_depth=base_depth)
    filters = form.filters()
    collective = None
    collective_id = form.cleaned_data.get("collective") if form.is_bound and form.is_valid() else None
    if collective_id:
        collective = get_visible_or_404(collectives_visible_to(user).select_related("unit"), pk=collective_id)
    queryset = selectors.work_list(user, collective=collective, **filters)
    page = paginate(request, queryset, per_page=PER_PAGE)
    chosen_campaign = filters.get("campaign")
    context = {
        **page,
        "form": form,
        "chosen_collective": collective,
        "querystring_without_collective": querystring_without(request.GET, "page", "collective"),
        "can_add": _may_add_any(user),
        "is_collective": bool(user.collective_id),
        "chosen_campaign": chosen_campaign,
        "can_grant": chosen_campaign is not None and user.has_perm("campaigns.change_campaign", chosen_campaign),
    }
    return render(request, "works/list.html", context)


def _may_add_any(user) -> bool:
    if user.collective_id:
        return user.has_perm("works.add_work", user.collective)
    return user.is_admin


# --- create and edit ---------------------------------------------------------------------------------------


def _create_subject(user):
    """Who the user creates works for: their own collective, or (admins) a collective of their subtree."""
    if user.collective_id:
        return "collective"
    if user.is_admin:
        return "admin"
    raise PermissionDenied("只有集体账号和归口单位、团市委管理员可以新建作品。")


@login_required
def work_create(request):
    user = request.user
    subject = _create_subject(user)
    campaigns = campaigns_visible_to(user).order_by("-year", "level", "-id")
    collectives = collectives_visible_to(user) if subject == "admin" else None
    initial = {}
    if subject == "collective":
        own = user.collective
        initial.update(contact_name=own.contact_name, contact_phone=own.contact_phone)
    campaign_id = request.GET.get("campaign")
    if campaign_id and campaign_id.isdigit():
        initial["campaign"] = int(campaign_id)
    elif (latest := campaigns.filter(deadline__gt=timezone.now()).first()) is not None:
        initial["campaign"] = latest.pk
    category = request.GET.get("category")
    if category in Category.values:
        initial["category"] = category
    form = WorkForm(request.POST or None, campaigns=campaigns, collectives=collectives, initial=initial)
    violations: list[Violation] = []
    if request.method == "POST" and form.is_valid():
        collective = form.cleaned_data["collective"] if subject == "admin" else user.collective
        if not user.has_perm("works.add_work", collective):
            raise PermissionDenied("您不能为该集体新建作品。")
        try:
            work = services.create_work(
                actor=user, collective=collective, campaign=form.cleaned_data["campaign"], fields=form.work_fields()
            )
        except RuleViolationError as error:
            violations = violations_into_form(form, error)
        else:
            messages.success(request, f"已新建作品“{work.title}”（草稿），请上传作品文件后提交。")
            return redirect("works:detail", pk=work.pk)
    return render(request, "works/form.html", {
        "form": form, "violations": violations, "work": None, "category_forms": category_forms_data(),
        "description_limit": attachment1.DESCRIPTION_MAX_CHARS,
    }, status=422 if request.method == "POST" else 200)  # a refused form answers 422, with every reason


@login_required
def work_edit(request, pk: int):
    user = request.user
    work = changeable_work(user, pk)
    form = WorkForm(request.POST or None, work=work, initial=WorkForm.initial_of(work))
    violations: list[Violation] = []
    stale = False  # saved by someone else since this page was made: the page offers to reopen the form
    if request.method == "POST" and form.is_valid():
        try:
            work = services.update_work(actor=user, work=work, fields=form.work_fields(),
                                        expected_version=form.expected_version())
        except StaleEditError as error:
            violations, stale = error.violations, True
        except RuleViolationError as error:
            violations = violations_into_form(form, error)
        else:
            messages.success(request, f"已保存“{work.title}”的修改。")
            return redirect("works:detail", pk=work.pk)
    closed = deadline_violation(work.campaign, work.collective)
    if closed is not None and closed not in violations:
        violations.append(closed)
    return render(request, "works/form.html", {
        "form": form, "violations": violations, "work": work, "category_forms": category_forms_data(),
        "description_limit": attachment1.DESCRIPTION_MAX_CHARS, "read_only": closed is not None, "stale": stale,
    }, status=422 if request.method == "POST" else 200)


# --- the work's page -------------------------------------------------------------------------------------


@login_required
@require_GET
def work_detail(request, pk: int):
    work = visible_work(request.user, pk)
    return render(request, "works/detail.html", detail_context(request, work))


@login_required
@require_GET
def work_files(request, pk: int):
    """The file list alone (htmx): refreshed after an upload, and polled while previews are being made."""
    work = visible_work(request.user, pk)
    return render(request, "works/partials/files.html", files_context(request.user, work, oob=True))


# --- essays --------------------------------------------------------------------------------------------------


@csrf_exempt  # receive_streamed_upload checks the CSRF token once the streaming handler is in place
@login_required
@require_POST
def essay_save(request, pk: int):
    """The essay's text, pasted (field ``text``) or as a .docx (field ``file``); the stored count is the server's."""
    work = changeable_work(request.user, pk)
    if work.category != Category.ESSAY:
        raise Http404(NOT_FOUND)
    limit = uploads.docx_max_bytes()
    received = receive_streamed_upload(request, limit=limit)
    if received.csrf_failure is not None:
        return received.csrf_failure
    if received.declared_too_large:
        messages.error(request, f"Word文档超过{attachment1.megabytes(limit)}的上限，请压缩后再上传。")
        return redirect("works:detail", pk=work.pk)
    if received.too_large is not None:
        messages.error(request, received.too_large.message)
        return redirect("works:detail", pk=work.pk)
    user, upload = request.user, received.file
    try:
        if upload is not None:
            work = services.set_essay_docx(actor=user, work=work, upload=upload)
            done = f"已读取Word文档“{os.path.basename(upload.name)}”的正文"
        else:
            form = EssayTextForm(request.POST)
            text = form.cleaned_data["text"] if form.is_valid() else ""
            if not form.is_valid():
                problems = form.errors.get("text", ["请刷新页面后重试。"])
                raise RuleViolationError([Violation("essay.text", " ".join(problems), "text")])
            work = services.set_essay_text(actor=user, work=work, text=text,
                                           expected_version=form.cleaned_data.get("version"))
            done = "已保存征文正文"
    except RuleViolationError as error:
        work = visible_work(user, work.pk)
        essay_form = EssayTextForm(request.POST if upload is None else None,
                                   initial={"text": work.essay_text, "version": work.version})
        return render(request, "works/detail.html", detail_context(
            request, work, violations=error.violations, essay_form=essay_form,
            violations_title="未能保存征文，请修改以下问题：",
        ), status=422)
    finally:
        if upload is not None:
            upload.close()
    messages.success(request, f"{done}，共{work.char_count}字。")
    return redirect("works:detail", pk=work.pk)


# --- submission ----------------------------------------------------------------------------------------------


@login_required
@require_POST
def work_submit(request, pk: int):
    """Submit through ``transitions.submit_work``: every unmet rule is listed at once, nothing changes then."""
    user = request.user
    work = visible_work(user, pk)
    if work.status == WorkStatus.SUBMITTED and transitions.may_act_at(user, work, WorkStage.COLLECTIVE):
        # a second click (or a second tab) after the submission went through: say so, submit nothing
        messages.info(request, f"作品“{work.title}”已提交，无需重复提交。")
        return redirect("works:detail", pk=work.pk)
    if not user.has_perm("works.submit_work", work):
        if work.status not in (WorkStatus.DRAFT, WorkStatus.RETURNED):
            raise PermissionDenied(f"该作品状态为“{work.get_status_display()}”，不能再次提交。")
        raise PermissionDenied("您不能提交该作品。")
    try:
        work = transitions.submit_work(actor=user, work=work)
    except RuleViolationError as error:
        work = visible_work(user, pk)
        if work.status == WorkStatus.SUBMITTED:  # two clicks at once: the other one submitted it
            messages.info(request, error.violations[0].message)
            return redirect("works:detail", pk=work.pk)
        return render(request, "works/detail.html", detail_context(
            request, work, violations=error.violations, violations_title="暂不能提交，请先解决以下问题：",
        ))
    messages.success(request, f"已提交“{work.title}”，请等待{work.collective.unit.name}审核推荐。")
    return redirect("works:detail", pk=work.pk)
