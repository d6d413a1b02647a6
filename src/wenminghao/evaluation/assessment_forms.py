"""Forms of the central evaluation's pages. They only carry what was typed: every rule (a weight's range, the sum of
100, a score's range and decimals, the reason an adjusted score needs) lives in ``services.assessments``, which
reports all unmet rules at once; so no field is required here."""

from django import forms

from wenminghao.collectives.forms import UnitChoiceField
from wenminghao.core.forms import style_form

from .models import REASON_MAX_CHARS
from .scoring import PARTS


class WeightsForm(forms.Form):
    """The five weights (points out of 100), one field per part of ``scoring.PARTS``."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in PARTS:
            field = forms.CharField(label=label, required=False, widget=forms.NumberInput(
                attrs={"min": 0, "max": 100, "step": 1, "inputmode": "numeric", "data-weight": key}))
            field.wmh_required = True
            self.fields[key] = field
        style_form(self)

    def weights_data(self) -> dict[str, str]:
        return {key: self.data.get(key, "") for key, _ in PARTS}


class ScoreForm(forms.Form):
    score = forms.CharField(label="评议得分", required=False, widget=forms.NumberInput(
        attrs={"min": 0, "max": 100, "step": "0.01", "inputmode": "decimal"}),
        help_text="0到100分，最多两位小数。与建议得分不同时须填写调整理由。")
    reason = forms.CharField(label="调整理由", required=False, strip=False, widget=forms.Textarea(
        attrs={"rows": 3, "maxlength": REASON_MAX_CHARS,
               "placeholder": "例如：实地考察中发现服务承诺未上墙；群众评价突出等"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["score"].wmh_required = True
        style_form(self)


class RankingFilterForm(forms.Form):
    """The unit whose creating collectives are ranked (the admin's scope and two levels below it)."""

    unit = UnitChoiceField(label="单位", queryset=None, required=False, empty_label=None)

    def __init__(self, *args, units, base_depth: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].base_depth = base_depth
        style_form(self)
