"""Forms of the naming and title pages. They only parse input: the rules (who may be named, the reason, the period to
fix problems, one review a year) live in ``services.naming``, which reports every unmet one at once; so no field is
required here (the red stars are ``wmh_required``)."""

from django import forms
from django.utils import timezone

from wenminghao.collectives.enums import HonourLevel, HonourState
from wenminghao.collectives.forms import UnitChoiceField
from wenminghao.core.forms import style_form

from .enums import ReviewResult
from .models import REASON_MAX_CHARS


def _reason(label: str, placeholder: str) -> forms.CharField:
    field = forms.CharField(label=label, required=False, widget=forms.Textarea(
        attrs={"rows": 3, "maxlength": REASON_MAX_CHARS, "placeholder": placeholder}))
    field.wmh_required = True
    return field


class TitleFilterForm(forms.Form):
    """The filters of the titles list (the query string): state, level, unit, search, overdue warnings."""

    q = forms.CharField(label="搜索", required=False, max_length=100, widget=forms.TextInput(
        attrs={"placeholder": "集体名称、所在单位或称号", "type": "search"}))
    state = forms.ChoiceField(label="状态", required=False, choices=[("", "全部状态"), *HonourState.choices])
    level = forms.ChoiceField(label="级别", required=False, choices=[("", "全部级别"), *HonourLevel.choices])
    overdue = forms.BooleanField(label="只看整改逾期", required=False)

    def __init__(self, *args, units=None, base_depth: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["unit"] = UnitChoiceField(queryset=units, label="归口单位", required=False,
                                                  empty_label="全部归口单位")
            self.fields["unit"].base_depth = base_depth
            self.order_fields(["q", "state", "level", "unit", "overdue"])
        style_form(self)

    def filters(self) -> dict:
        """The keyword arguments of ``selectors.naming.title_list``; invalid values are left out."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "search": (data.get("q") or "").strip(),
            "state": data.get("state") or "",
            "level": data.get("level") or "",
            "unit": data.get("unit"),
            "overdue": bool(data.get("overdue")),
        }


class ReviewForm(forms.Form):
    year = forms.IntegerField(label="复核年度", required=False,
                              widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    result = forms.ChoiceField(label="复核结果", required=False, choices=[("", "请选择"), *ReviewResult.choices])
    reason = _reason("复核情况", "查阅台账、察看标识、服务承诺和监督电话公示的情况")
    year.wmh_required = True
    result.wmh_required = True

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_review_%s")  # three forms on one page: ids of their own
        super().__init__(*args, **kwargs)
        self.initial.setdefault("year", timezone.localdate().year)
        style_form(self)


class WarnForm(forms.Form):
    reason = _reason("警告事由", "需要整改的问题，如台账记录不全、监督电话未公示")
    fix_by = forms.DateField(label="整改期限", required=False, widget=forms.DateInput(
        attrs={"type": "date"}, format="%Y-%m-%d"), help_text="须晚于今天；到期未整改的，称号列表中标记为“整改逾期”。")
    fix_by.wmh_required = True

    def __init__(self, *args, inspections=(), **kwargs):
        kwargs.setdefault("auto_id", "id_warn_%s")  # three forms on one page: ids of their own
        super().__init__(*args, **kwargs)
        self.fields["inspection"] = forms.ModelChoiceField(
            queryset=inspections, label="相关实地考察", required=False, empty_label="（无）",
            help_text="可选：警告所依据的实地考察。")
        style_form(self)


class RevokeForm(forms.Form):
    reason = _reason("撤销理由", "如经核实的群众投诉、实地考察不合格、发生重大安全责任事故")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_revoke_%s")  # three forms on one page: ids of their own
        super().__init__(*args, **kwargs)
        style_form(self)
