"""The collectives pages: list (with search, filters and Excel export), detail, create and edit with
members and honours, delegate accounts, and the .xlsx import. Views parse input with forms, read
through selectors and change state through services only."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from wenminghao.core.errors import RuleViolationError, StaleEditError
from wenminghao.core.http import get_object_for, get_visible_or_404, paginate, require_perm
from wenminghao.orgs.selectors import units_visible_to

from . import selectors, services
from .exporter import CollectiveListExporter, ImportTemplateExporter
from .forms import (
    CollectiveFilterForm,
    CollectiveForm,
    DelegateForm,
    HonourFormSet,
    ImportForm,
    MemberFormSet,
    formset_rows,
)
from .importer import import_collectives
from .models import Collective, age_on
from .panels import honour_links, panels_for

NOT_FOUND = "未找到该集体，或您无权查看。"


def _visible_collective(user, pk: int):
    return get_visible_or_404(selectors.collectives_visible_to(user).select_related("unit"), pk=pk)


# --- list and export -----------------------------------------------------------------------------

@login_required
def collective_list(request):
    user = request.user
    if not user.has_perm("collectives.list_collectives"):
        if user.collective_id:
            return redirect("collectives:detail", user.collective_id)
        raise Http404(NOT_FOUND)
    form = CollectiveFilterForm(request.GET or None, user=user)
    queryset = selectors.collective_list(user, **form.filters())
    context = paginate(request, queryset)
    context.update(
        form=form,
        export_querystring=context["querystring_without_page"],
        can_add=user.has_perm("collectives.add_collective"),
        can_import=user.has_perm("collectives.import_collectives"),
    )
    return render(request, "collectives/list.html", context)


@login_required
def collective_export(request):
    user = request.user
    if not user.has_perm("collectives.list_collectives"):
        raise Http404(NOT_FOUND)
    form = CollectiveFilterForm(request.GET or None, user=user)
    return CollectiveListExporter(selectors.collective_list(user, **form.filters())).file_response()


# --- detail --------------------------------------------------------------------------------------

def render_collective_page(request, pk: int, *, delegate_form=None, status: int = 200):
    """The collective's page: its facts, honours and members, the delegate accounts for who manages them, and the
    panels other apps add (collectives.panels: its filings, …). ``delegate_form`` shows a refused delegate form
    with its errors (accounts.views)."""
    user = request.user
    try:
        collective = selectors.collective_detail(user, pk)
    except Collective.DoesNotExist as error:
        raise Http404(NOT_FOUND) from error
    today = timezone.localdate()
    members = list(collective.members.all())
    for member in members:
        member.age = age_on(member.birth_date, today)
    can_manage_delegates = user.has_perm("collectives.manage_delegates", collective)
    panels, panel_context = panels_for(request, collective)
    honours = list(collective.honours.all())
    links = honour_links(request, honours)
    for honour in honours:
        honour.state = honour.state_on(today)
        honour.link = links.get(honour.pk, "")
    context = {
        "collective": collective,
        "members": members,
        "honours": honours,
        "can_change": user.has_perm("collectives.change_collective", collective),
        "can_manage_delegates": can_manage_delegates,
        "panels": panels,
        **panel_context,
    }
    if can_manage_delegates:
        context["delegates"] = list(collective.accounts.filter(is_delegate=True).order_by("-is_active", "id"))
        context["delegate_form"] = delegate_form or DelegateForm()
    return render(request, "collectives/detail.html", context, status=status)


@login_required
def collective_detail(request, pk: int):
    return render_collective_page(request, pk)


# --- create and edit -----------------------------------------------------------------------------

def _member_initial(collective) -> list[dict]:
    return [
        {"id": m.pk, "name": m.name, "birth_date": m.birth_date, "post": m.post, "is_leader": m.is_leader}
        for m in collective.members.all()
    ]


def _honour_initial(collective) -> list[dict]:
    """The honour rows of the form: the titles typed in by hand and not revoked (named and revoked ones are shown
    above the rows, read-only: services.protected_honours)."""
    return [{"id": h.pk, "level": h.level, "year": h.year, "title": h.title, "valid_until": h.valid_until}
            for h in services.editable_honours(collective)]


def _edit_page(request, *, collective=None):
    """The create and edit form: the collective's fields, member rows and honour rows, saved together."""
    user = request.user
    data = request.POST if request.method == "POST" else None
    # The form writes the posted values onto the instance while validating: remember the unit first.
    original_unit_id = collective.unit_id if collective else None
    form = CollectiveForm(data, user=user, instance=collective)
    members = MemberFormSet(data, prefix="members", initial=_member_initial(collective) if collective else None)
    honours = HonourFormSet(data, prefix="honours", initial=_honour_initial(collective) if collective else None)
    # A collective's own account edits its facts and members; its titles are the unit's to type in.
    can_edit_honours = collective is None or user.has_perm("collectives.change_honours", collective)
    violations = []
    stale = False  # saved by someone else since this page was made: the page offers to reopen the form
    if data is not None:
        valid = [form.is_valid(), members.is_valid(), honours.is_valid() if can_edit_honours else True]
        if all(valid):
            fields = {name: form.cleaned_data[name] for name in form.fields if name != "version"}
            try:
                if collective is None:
                    unit = fields.get("unit")
                    if unit is None or not user.has_perm("collectives.add_collective_to_unit", unit):
                        raise PermissionDenied("您只能在本单位及下级单位中新建集体。")
                    collective = services.create_collective(
                        actor=user, fields=fields, members=formset_rows(members), honours=formset_rows(honours)
                    )
                    messages.success(request, f"已新建集体“{collective.name}”。")
                else:
                    moving = "unit" in fields and fields["unit"].pk != original_unit_id
                    if moving and not user.has_perm("collectives.move_collective", collective):
                        raise PermissionDenied("您无权调整该集体的归口单位。")
                    collective = services.update_collective(
                        actor=user, collective=collective, fields=fields, members=formset_rows(members),
                        honours=formset_rows(honours) if can_edit_honours else None,
                        expected_version=form.cleaned_data.get("version"),
                    )
                    messages.success(request, f"已保存集体“{collective.name}”的修改。")
                return redirect("collectives:detail", collective.pk)
            except StaleEditError as error:
                violations, stale = error.violations, True
            except RuleViolationError as error:
                violations = error.violations
    context = {
        "stale": stale,
        "form": form,
        "members": members,
        "honours": honours,
        "can_edit_honours": can_edit_honours,
        "collective_honours": list(collective.honours.order_by("-year", "-id")) if collective else [],
        "collective": collective,
        "protected_honours": list(services.protected_honours(collective).select_related("awarded_by"))
        if collective else [],
        "violations": violations,
    }
    return render(request, "collectives/form.html", context)


@login_required
def collective_create(request):
    require_perm(request.user, "collectives.add_collective", denied="只有团委管理员可以新建集体。")
    return _edit_page(request)


@login_required
def collective_edit(request, pk: int):
    collective = get_object_for(request.user, selectors.collectives_visible_to(request.user).select_related("unit"), pk,
                                "collectives.change_collective", denied="您无权修改该集体。")
    return _edit_page(request, collective=collective)


# --- import --------------------------------------------------------------------------------------

def _require_import(user) -> None:
    require_perm(user, "collectives.import_collectives", denied="只有团委管理员可以导入集体。")


@login_required
def collective_import(request):
    user = request.user
    _require_import(user)
    form = ImportForm(request.POST or None, request.FILES or None)
    violations = []
    if request.method == "POST" and form.is_valid():
        try:
            summary = import_collectives(actor=user, upload=form.cleaned_data["file"])
        except RuleViolationError as error:
            violations = error.violations
        else:
            return render(request, "collectives/import_result.html", {"summary": summary})
    context = {
        "form": form,
        "violations": violations,
        "max_mb": settings.WMH_IMPORT_MAX_BYTES / 1024 / 1024,
        "default_unit": user.unit,
    }
    return render(request, "collectives/import.html", context, status=422 if request.method == "POST" else 200)


@login_required
def import_template(request):
    user = request.user
    _require_import(user)
    units = units_visible_to(user).select_related("parent").order_by("path")
    return ImportTemplateExporter(units=units, default_unit=user.unit).file_response()
