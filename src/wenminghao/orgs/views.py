from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render

from wenminghao.core.errors import RuleViolationError, violations_from_validation_error
from wenminghao.core.http import get_object_for

from . import selectors, services
from .forms import UnitForm
from .models import Unit


def _require_admin(user) -> None:
    # The tree is the admin's working scope; others have no subtree, so the pages do not exist for them.
    if not user.has_perm("orgs.list_units"):
        raise Http404("未找到该内容，或您无权查看。")


def _visible_unit(user, pk, perm: str | None = None, *, denied: str = "您没有权限执行此操作。") -> Unit:
    _require_admin(user)
    return get_object_for(user, selectors.units_visible_to(user).select_related("parent"), pk, perm, denied=denied)


@login_required
def unit_tree(request):
    """The admin's subtree as an indented tree with collective counts (one query for the tree)."""
    user = request.user
    _require_admin(user)
    units = selectors.unit_tree(user)
    for unit in units:
        unit.can_add_child = user.has_perm("orgs.add_child_unit", unit)
        unit.can_edit = user.has_perm("orgs.change_unit", unit)
    return render(request, "orgs/tree.html", {"units": units})


@login_required
def unit_detail(request, pk):
    user = request.user
    unit = _visible_unit(user, pk)
    parent = unit.parent
    context = {
        "unit": unit,
        "parent_visible": parent is not None and user.has_perm("orgs.view_unit", parent),
        "children": selectors.unit_children(unit),
        "accounts": list(unit.accounts.order_by("role", "username")),
        "counts": selectors.collective_counts(unit),
        "can_add_child": user.has_perm("orgs.add_child_unit", unit),
        "can_edit": user.has_perm("orgs.change_unit", unit),
        "can_manage_accounts": user.has_perm("accounts.list_accounts"),
    }
    return render(request, "orgs/detail.html", context)


def _save(form, save):
    """Run a service with the form's values; returns the unit, or None with violations in the context."""
    try:
        return save(form.service_fields()), []
    except RuleViolationError as error:
        return None, error.violations
    except ValidationError as error:
        return None, violations_from_validation_error(error)


@login_required
def unit_create(request):
    """A new unit under ``?parent=<id>`` (one of the admin's units), through orgs.services.create_unit."""
    user = request.user
    _require_admin(user)
    parent_id = request.POST.get("parent") or request.GET.get("parent") or user.unit_id
    try:
        parent_id = int(parent_id)
    except (TypeError, ValueError) as error:
        raise Http404("未找到该上级单位。") from error
    parent = _visible_unit(user, parent_id, "orgs.add_child_unit", denied="您没有在该单位下新建下级单位的权限。")
    form = UnitForm(request.POST or None, parent=parent, instance=Unit(parent=parent))
    violations = []
    if request.method == "POST" and form.is_valid():
        def save(fields):
            name, kind = fields.pop("name"), fields.pop("kind")
            return services.create_unit(actor=user, parent=parent, name=name, kind=kind, **fields)

        unit, violations = _save(form, save)
        if unit is not None:
            messages.success(request, f"已在“{parent.name}”下新建单位“{unit.name}”。")
            return redirect("orgs:detail", pk=unit.pk)
    return render(request, "orgs/form.html", {"form": form, "parent": parent, "violations": violations})


@login_required
def unit_edit(request, pk):
    """Edit a unit's name and contacts (never its place in the tree) through orgs.services.update_unit.
    A unit admin edits the units below its own, not its own unit (that is its superior's record)."""
    user = request.user
    unit = _visible_unit(user, pk, "orgs.change_unit", denied="本单位的信息由上级团委维护，您可以修改下级单位的信息。")
    form = UnitForm(request.POST or None, parent=unit.parent, instance=Unit.objects.get(pk=unit.pk))
    violations = []
    if request.method == "POST" and form.is_valid():
        saved, violations = _save(form, lambda fields: services.update_unit(actor=user, unit=unit, **fields))
        if saved is not None:
            messages.success(request, f"已保存单位“{saved.name}”的信息。")
            return redirect("orgs:detail", pk=saved.pk)
    return render(request, "orgs/form.html", {"form": form, "unit": unit, "violations": violations})
