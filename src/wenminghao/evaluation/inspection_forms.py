"""Forms of the inspection pages. They only carry what was typed: every rule of an inspection and of its
rectification (dates, lengths, a rectification when the rating is 不合格 or an item is not in order, the deadline
with it) lives in ``services.inspections``, which names every unmet one at once; so no field is required here."""

from django import forms
from django.utils import timezone

from wenminghao.core.forms import style_form

from .enums import InspectionItem, InspectionRating, RectificationState
from .models import TEXT_MAX_CHARS
from .services.inspections import COMMENT_MAX_CHARS, IN_ORDER, INSPECTORS_MAX_CHARS, NOT_IN_ORDER


class OfferedChoiceField(forms.ChoiceField):
    """A select or radio group whose value the service checks (and names in its message when unknown)."""

    def validate(self, value):
        pass


def _date_input(*, past: bool = False, future: bool = False) -> forms.DateInput:
    attrs = {"type": "date"}
    today = timezone.localdate().isoformat()
    if past:
        attrs["max"] = today
    if future:
        attrs["min"] = today
    return forms.DateInput(attrs=attrs, format="%Y-%m-%d")


def check_field_name(item: str) -> str:
    return f"check_{item}"


class InspectionForm(forms.Form):
    """An inspection: its campaign (``campaigns``: those visible to the admin in which the collective takes part),
    date, inspectors, one result per InspectionItem (未检查 / 符合要求 / 不符合要求), findings, rating and the
    rectification with its deadline."""

    campaign = OfferedChoiceField(label="创建活动", required=False)
    date = forms.CharField(label="考察日期", required=False, widget=_date_input(past=True))
    inspectors = forms.CharField(label="考察人员", required=False, widget=forms.TextInput(
        attrs={"maxlength": INSPECTORS_MAX_CHARS, "placeholder": "如：解庆林、张建刚"}),
        help_text="参加考察的人员姓名，多人用顿号分隔。")
    findings = forms.CharField(label="考察发现", required=False, strip=False, widget=forms.Textarea(
        attrs={"rows": 4, "maxlength": TEXT_MAX_CHARS}), help_text=f"现场看到的情况和问题，不超过{TEXT_MAX_CHARS}字。")
    rating = OfferedChoiceField(label="考察结果", required=False, choices=InspectionRating.choices,
                                widget=forms.RadioSelect)
    rectification = forms.CharField(label="整改要求", required=False, strip=False, widget=forms.Textarea(
        attrs={"rows": 3, "maxlength": TEXT_MAX_CHARS}),
        help_text="考察结果为不合格或有项目不符合要求时必填；集体会收到通知，并在平台上反馈整改情况。")
    rectify_by = forms.CharField(label="整改期限", required=False, widget=_date_input(),
                                 help_text="与整改要求一起填写，须晚于考察日期。")

    def __init__(self, *args, campaigns=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].choices = [(str(campaign.pk), campaign.name) for campaign in campaigns]
        for name in ("campaign", "date", "inspectors", "findings", "rating"):
            self.fields[name].wmh_required = True
        for value, label in InspectionItem.choices:
            self.fields[check_field_name(value)] = OfferedChoiceField(
                label=label, required=False, widget=forms.RadioSelect,
                choices=[("", "未检查"), (IN_ORDER, "符合"), (NOT_IN_ORDER, "不符合")])
        style_form(self)

    def check_fields(self):
        return [self[check_field_name(value)] for value in InspectionItem.values]

    def inspection_data(self) -> dict:
        """The service's data: the fields as typed, the items' results as ``checks``."""
        data = {name: self.data.get(name, "") for name in
                ("campaign", "date", "inspectors", "findings", "rating", "rectification", "rectify_by")}
        data["checks"] = {value: self.data.get(check_field_name(value), "") for value in InspectionItem.values}
        return data


class ResponseForm(forms.Form):
    response = forms.CharField(label="整改情况", required=False, strip=False, widget=forms.Textarea(
        attrs={"rows": 4, "maxlength": TEXT_MAX_CHARS}),
        help_text=f"针对整改要求做了哪些改变，不超过{TEXT_MAX_CHARS}字。提交前请先上传整改后的现场照片。")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["response"].wmh_required = True
        style_form(self)


class ReopenForm(forms.Form):
    comment = forms.CharField(label="再次整改意见", required=False, strip=False, widget=forms.Textarea(
        attrs={"rows": 3, "maxlength": COMMENT_MAX_CHARS}), help_text="说明还有哪些问题需要整改。")
    rectify_by = forms.CharField(label="新的整改期限", required=False, widget=_date_input(future=True))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("comment", "rectify_by"):
            self.fields[name].wmh_required = True
        style_form(self)


class InspectionFilterForm(forms.Form):
    """The list's filters; wrong values are ignored (and said so), never an error page."""

    campaign = forms.ChoiceField(label="创建活动", required=False)
    unit = forms.ChoiceField(label="单位", required=False)
    rating = forms.ChoiceField(label="考察结果", required=False, choices=[("", "全部结果"), *InspectionRating.choices])
    state = forms.ChoiceField(label="整改状态", required=False,
                              choices=[("", "全部状态"), *RectificationState.choices])
    overdue = forms.BooleanField(label="只看整改逾期", required=False)

    def __init__(self, *args, campaigns=(), units=(), base_depth: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].choices = [("", "全部创建活动"), *((str(c.pk), c.name) for c in campaigns)]
        unit_choices = [(str(unit.pk), "　" * (unit.depth - base_depth) + unit.name) for unit in units]
        if len(unit_choices) > 1:
            self.fields["unit"].choices = [("", "全部单位"), *unit_choices]
        else:
            del self.fields["unit"]
        style_form(self)
