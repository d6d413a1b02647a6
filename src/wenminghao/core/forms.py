from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from .audit_actions import action_label
from .audit_display import object_type_label
from .errors import RuleViolationError, Violation


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(label="操作", required=False)
    object_type = forms.ChoiceField(label="对象类型", required=False)
    actor = forms.CharField(label="操作人", required=False, max_length=150, widget=forms.TextInput(
        attrs={"placeholder": "账号或姓名；平台自动操作填“系统”", "type": "search"}))

    def __init__(self, *args, actions, object_types, **kwargs):
        super().__init__(*args, **kwargs)
        labelled = sorted(((key, action_label(key)) for key in actions), key=lambda item: item[1])
        self.fields["action"].choices = [("", "全部操作"), *labelled]
        self.fields["object_type"].choices = [("", "全部类型"), *((t, object_type_label(t)) for t in object_types)]
        for name, field in self.fields.items():
            field.widget.attrs["class"] = "form-control" if name == "actor" else "form-select"

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {key: data.get(key) or "" for key in ("action", "object_type", "actor")}


class PlainSelect(forms.Select):
    """A single-choice ``<select>`` written out in Python instead of through Django's widget templates: the same
    HTML (name, attributes, options, optgroups, the first matching value selected), at a small fraction of the
    cost — a filter form with a few long option lists spent more time rendering its options, one template each,
    than the page spent on its rows. style_form gives it to every plain Select."""

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        wanted = {str(v) for v in self.format_value(value)}
        parts = [format_html('<select name="{}"{}>', name, flatatt(attrs))]
        selected = False

        def option(option_value, label):
            nonlocal selected
            option_value = "" if option_value is None else str(option_value)
            chosen = not selected and option_value in wanted
            selected = selected or chosen
            return format_html('\n  <option value="{}"{}>{}</option>', option_value,
                               mark_safe(" selected") if chosen else "", label)

        for group_value, group_label in self.choices:
            if isinstance(group_label, list | tuple):
                parts.append(format_html('\n  <optgroup label="{}">', group_value))
                parts.extend(option(v, label) for v, label in group_label)
                parts.append(mark_safe("\n  </optgroup>"))
            else:
                parts.append(option(group_value, group_label))
        parts.append(mark_safe("\n</select>"))
        return mark_safe("".join(parts))


def style_form(form: forms.BaseForm) -> forms.BaseForm:
    """Bootstrap's classes on every widget of a form (check boxes and radios, selects, the rest), once for all
    the platform's forms; a widget that already has a class keeps it. Returns the form."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.HiddenInput):
            continue
        if isinstance(widget, forms.CheckboxInput | forms.RadioSelect | forms.CheckboxSelectMultiple):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            widget.attrs.setdefault("class", "form-select")
            if type(widget) is forms.Select:
                widget.__class__ = PlainSelect  # same state, same HTML, rendered without a template per option
        else:
            widget.attrs.setdefault("class", "form-control")
    return form


def violations_into_form(form: forms.BaseForm, error: RuleViolationError) -> list[Violation]:
    """Put each violation of a service on its field where the form has one; return the others, for the summary box
    above the form."""
    rest = []
    for violation in error.violations:
        if violation.field and violation.field in form.fields:
            form.add_error(violation.field, violation.message)
        else:
            rest.append(violation)
    return rest
