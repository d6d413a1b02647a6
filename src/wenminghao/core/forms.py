from django import forms

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
