"""Forms of the central review pages (rounds, rubric, judges, scores). They only parse input: the rules live
in reviews.services."""

from django import forms

from wenminghao.works.enums import Category, WorkStatus

from .services import ROUND_TRIM_MAX


class RoundForm(forms.Form):
    category = forms.ChoiceField(label="作品类别", choices=Category.choices)
    name = forms.CharField(label="名称", max_length=100, help_text="例如“图片作品集中评议”。")
    is_blind = forms.BooleanField(label="匿名评审", required=False, initial=True,
                                  help_text="评委看不到创作集体和归口单位的名称，作品以“作品 #编号”显示。")
    trim_count = forms.IntegerField(label="去掉最高分和最低分各几个", min_value=0, max_value=ROUND_TRIM_MAX, initial=1,
                                    help_text="计算截尾平均分时使用；评分人数不超过该数的两倍时取算术平均。")


class CriterionForm(forms.Form):
    name = forms.CharField(label="评分项", max_length=50, required=False)
    weight = forms.DecimalField(label="权重", required=False, min_value=0, max_digits=6, decimal_places=3)
    max_score = forms.DecimalField(label="满分", required=False, min_value=0, max_digits=6, decimal_places=2)

    def is_blank(self) -> bool:
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return not data.get("name") and data.get("weight") is None and data.get("max_score") is None


CriterionFormSet = forms.formset_factory(CriterionForm, extra=2, max_num=12, absolute_max=12)


class JudgesForm(forms.Form):
    judges = forms.ModelMultipleChoiceField(label="评委", queryset=None, required=False,
                                            widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}))

    def __init__(self, *args, judge_queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["judges"].queryset = judge_queryset
        self.fields["judges"].label_from_instance = lambda user: (
            f"{user.display_name or user.username}（{user.username}"
            + (f"，{user.unit.name}" if user.unit_id else "") + "）"
        )


class DecisionForm(forms.Form):
    """The city's decision on a work of a round: showcase (or undo a forwarding: back to showcased), forward to
    the province, or undo the showcase (back to shortlisted). works.transitions decides what is allowed."""

    to_status = forms.ChoiceField(choices=[(WorkStatus.SHOWCASED, "优秀展示"), (WorkStatus.FORWARDED, "推报团省委"),
                                           (WorkStatus.SHORTLISTED, "入围")])


class ScoreForm(forms.Form):
    """One number field per criterion (criterion_<id>, 0..max, two decimals) and the comment."""

    comment = forms.CharField(label="评语", required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        comment = self.fields.pop("comment")
        for criterion in self.criteria:
            self.fields[f"criterion_{criterion.pk}"] = forms.DecimalField(
                label=f"{criterion.name}（满分{criterion.max_score.normalize():f}）", required=False,
                widget=forms.NumberInput(attrs={"min": 0, "max": f"{criterion.max_score:f}", "step": "0.01",
                                                "inputmode": "decimal"}),
            )
        self.fields["comment"] = comment

    def raw_scores(self) -> dict:
        """{criterion id: the text typed} (the service checks range and precision with its own messages)."""
        return {c.pk: (self.data.get(f"criterion_{c.pk}") or "").strip() for c in self.criteria}
