"""Forms of the campaign pages: they parse input only; the services validate and change state."""

from decimal import Decimal

from django import forms
from django.utils import timezone

from .enums import CampaignLevel, FilingStatus

PERCENT_FIELDS = ("min_youth_share", "target_former_share", "target_non_public_share", "target_social_share")


class LocalDateTimeInput(forms.DateTimeInput):
    """A ``datetime-local`` input. The browser sends a wall-clock time without a zone; Django reads it
    in the current time zone (Asia/Shanghai), and shows stored times converted back to it."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs={"class": "form-control", **(attrs or {})}, format="%Y-%m-%dT%H:%M")


def _percent_field(label: str, help_text: str = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label, min_value=Decimal("0"), max_value=Decimal("100"), decimal_places=1, max_digits=4,
        help_text=help_text, widget=forms.NumberInput(attrs={"class": "form-control", "step": "0.1"}),
    )


def _number(label: str, min_value: int = 0, max_value: int | None = None) -> forms.IntegerField:
    return forms.IntegerField(
        label=label, min_value=min_value, max_value=max_value, widget=forms.NumberInput(attrs={"class": "form-control"})
    )


def _as_percent(fraction: Decimal) -> Decimal:
    """0.5 → 50, 0.155 → 15.5 (never scientific notation such as 5E+1)."""
    value = (fraction * 100).quantize(Decimal("0.1"))
    return value.quantize(Decimal("1")) if value == value.to_integral_value() else value


class CampaignForm(forms.Form):
    """All fields of a campaign. Shares are entered as percentages (50 means 50%) and stored as fractions."""

    name = forms.CharField(
        label="名称", max_length=100, widget=forms.TextInput(attrs={"class": "form-control"}),
        help_text="例如：2018年度威海市青年文明号创建",
    )
    level = forms.ChoiceField(
        label="创建级别", choices=CampaignLevel.choices, widget=forms.Select(attrs={"class": "form-select"})
    )
    year = _number("年度", 1994, 2100)
    filing_deadline = forms.DateTimeField(
        label="创建报备截止时间", widget=LocalDateTimeInput(), help_text="北京时间。过此时间集体不能再报备。"
    )
    deadline = forms.DateTimeField(
        label="成果报送截止时间", widget=LocalDateTimeInput(), help_text="北京时间。过此时间活动只读，不能再修改。"
    )
    reference_date = forms.DateField(
        label="年龄计算基准日",
        widget=forms.DateInput(attrs={"class": "form-control", "type": "date"}, format="%Y-%m-%d"),
        help_text="成员年龄（周岁）按此日计算。",
    )
    min_members = _number("成员人数下限", 1)
    max_members = _number("成员人数上限", 1)
    youth_max_age = _number("青年年龄上限（周岁）", 1, 120)
    min_youth_share = _percent_field("青年成员占比应超过（%）", "例如填50，表示青年成员占比须超过50%。")
    leader_max_age = _number("号长年龄上限（周岁）", 1, 120)
    require_stable_unit = forms.BooleanField(
        label="须为相对稳定的工作单元（窗口、班组、车间、厂站、科室）", required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    target_former_share = _percent_field("往届青年文明号集体目标占比（%）")
    target_non_public_share = _percent_field("非公经济组织集体目标占比（%）")
    target_social_share = _percent_field("社会组织集体目标占比（%）")
    contact_info = forms.CharField(
        label="联系方式", required=False, widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
        help_text="显示在活动页面，例如：联系人 解庆林、张建刚，联系电话 5225125。",
    )

    @classmethod
    def initial_of(cls, campaign) -> dict:
        """The form's initial values for an existing campaign (fractions shown as percentages)."""
        initial = {name: getattr(campaign, name) for name in cls.base_fields}
        for name in PERCENT_FIELDS:
            initial[name] = _as_percent(getattr(campaign, name))
        for name in ("filing_deadline", "deadline"):
            initial[name] = timezone.localtime(initial[name])
        return initial

    def campaign_fields(self) -> dict:
        """The cleaned values as the services take them."""
        fields = dict(self.cleaned_data)
        for name in PERCENT_FIELDS:
            fields[name] = (fields[name] / 100).quantize(Decimal("0.001"))
        return fields


class FilingCreateForm(forms.Form):
    """Which collective files (admins choose; a collective account files for itself)."""

    collective = forms.IntegerField(widget=forms.HiddenInput)


class CollectivePickForm(forms.Form):
    """The admin's choice of a collective on the filing page (GET)."""

    q = forms.CharField(
        label="按名称筛选", required=False, max_length=100,
        widget=forms.TextInput(attrs={"class": "form-control", "placeholder": "集体名称或所在单位"}),
    )
    collective = forms.IntegerField(required=False, min_value=1)


class FilingDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", "接受"), ("return", "退回")])
    comment = forms.CharField(required=False, max_length=2000)

    @property
    def accept(self) -> bool:
        return self.cleaned_data["decision"] == "accept"


class FilingFilterForm(forms.Form):
    """Filters of the filing list; the querysets come from the visible-to selectors."""

    campaign = forms.ModelChoiceField(
        label="创建活动", queryset=None, required=False, empty_label="全部活动",
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    unit = forms.ModelChoiceField(
        label="归口单位", queryset=None, required=False, empty_label="全部单位",
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    status = forms.ChoiceField(
        label="状态", choices=[("", "全部状态"), *FilingStatus.choices], required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    q = forms.CharField(
        label="搜索", required=False, max_length=100,
        widget=forms.TextInput(attrs={"class": "form-control", "placeholder": "集体名称或所在单位"}),
    )

    def __init__(self, *args, campaigns, units, base_depth: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = campaigns
        if units is None:
            del self.fields["unit"]
        else:
            self.fields["unit"].queryset = units
            self.fields["unit"].label_from_instance = lambda unit: "　" * max(unit.depth - base_depth, 0) + unit.name
