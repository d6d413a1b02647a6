"""Forms of the ledger's pages. They only parse input and draw the fields: every rule of an entry lives in
``services.clean_entry``, which names every unmet one at once in its own words (a form that refused first would
show only some of them, in Django's words). So the fields here accept what they are given; ``entry_data()`` hands
it on in the API's field names."""

from django import forms
from django.utils import timezone

from wenminghao.collectives.forms import UnitChoiceField
from wenminghao.core.forms import style_form

from .enums import (
    Activity,
    BenchmarkStage,
    BenefitKind,
    HelpKind,
    OpenWeekItem,
    PairingState,
    StudyForm,
    focus_choices_for,
)
from .models import COMMENT_MAX_CHARS, CONTENT_MAX_CHARS, TITLE_MAX_CHARS
from .services import BENCHMARK_AGAINST_MAX_CHARS, BENEFIT_UNIT_MAX_CHARS, TOPIC_MAX_CHARS


class OfferedChoiceField(forms.ChoiceField):
    """A select or radio group whose value the service checks (an unknown one is named in its message)."""

    def validate(self, value):
        pass


class OfferedMultipleChoiceField(forms.MultipleChoiceField):
    """Check boxes whose values the service checks."""

    def validate(self, value):
        pass


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date", "max": timezone.localdate().isoformat()}, format="%Y-%m-%d")


# Which fields each activity shows, in order, after the date, title and content that every entry has.
ACTIVITY_FIELDS = {
    Activity.BENCHMARK: ("stage", "benchmark_against", "focus", "benefit_kind", "benefit_value", "benefit_unit",
                         "meets_target"),
    Activity.STUDY: ("form", "topic", "led_by", "attendees"),
    Activity.FAMILIES: ("pairing", "help_kinds", "follow_up"),
    Activity.OPEN_WEEK: ("shown", "visitors"),
}
# What the service requires (marked with a red star; the service says so when one is missing).
REQUIRED_FIELDS = {"date", "title", "stage", "benchmark_against", "form", "topic", "led_by", "attendees", "pairing",
                   "help_kinds", "shown"}
LIST_FIELDS = {"attendees", "help_kinds", "shown"}


def member_label(member) -> str:
    return f"{member.name}（号长）" if member.is_leader else member.name


def pairing_label(pairing) -> str:
    """A pairing as a choice: its registry number masked (never in full outside the pairing's own page)."""
    parts = [pairing.family_ref_masked or "（已撤回同意）"]
    if pairing.area:
        parts.append(pairing.area)
    if pairing.state != PairingState.ACTIVE:
        parts.append(pairing.get_state_display())
    return " · ".join(parts)


class EntryForm(forms.Form):
    """One entry of one activity: the fields every entry has, then that activity's own (``ACTIVITY_FIELDS``).
    ``members`` are the collective's members (号长 first), ``pairings`` the pairings a visit may name (active ones,
    and on editing the entry's own), ``targets`` the collective's 创优目标 a result may meet."""

    date = forms.CharField(label="日期", required=False)
    title = forms.CharField(label="标题", required=False, strip=False)
    content = forms.CharField(label="内容", required=False, strip=False)
    # 对标创优
    stage = OfferedChoiceField(label="类型", required=False, choices=BenchmarkStage.choices,
                               widget=forms.RadioSelect)
    benchmark_against = forms.CharField(label="对标对象", required=False,
                                        help_text="对照的先进单位、行业标杆或标准。")
    focus = OfferedChoiceField(label="创优方向", required=False)
    benefit_kind = OfferedChoiceField(label="效益类型", required=False,
                                      choices=[("", "不填写"), *BenefitKind.choices])
    benefit_value = forms.CharField(label="效益数值", required=False)
    benefit_unit = forms.CharField(label="效益单位", required=False, help_text="如万元、小时、件；与数值一起填写。")
    meets_target = OfferedChoiceField(label="对应的创优目标", required=False)
    # 青年大学习
    form = OfferedChoiceField(label="学习形式", required=False,
                              choices=[("", "请选择学习形式"), *StudyForm.choices])
    topic = forms.CharField(label="学习主题", required=False)
    led_by = OfferedChoiceField(label="领学人", required=False, help_text="号长领学，成员轮流领学领讲。")
    attendees = OfferedMultipleChoiceField(label="参学成员", required=False, widget=forms.CheckboxSelectMultiple)
    # 助千家
    pairing = OfferedChoiceField(label="走访的结对家庭", required=False)
    help_kinds = OfferedMultipleChoiceField(label="本次帮扶方式", required=False, choices=HelpKind.choices,
                                            widget=forms.CheckboxSelectMultiple)
    follow_up = forms.BooleanField(label="这是一次回头看走访", required=False)
    # 开放周
    shown = OfferedMultipleChoiceField(label="展示内容", required=False, choices=OpenWeekItem.choices,
                                       widget=forms.CheckboxSelectMultiple)
    visitors = forms.CharField(label="参观人数", required=False)

    def __init__(self, *args, activity: str, collective, members=(), pairings=(), targets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.activity = activity
        keep = {"date", "title", "content", *ACTIVITY_FIELDS[activity]}
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        self.fields["date"].widget = _date_input()
        self.fields["title"].widget = forms.TextInput(attrs={"maxlength": TITLE_MAX_CHARS})
        self.fields["content"].widget = forms.Textarea(attrs={"rows": 4, "maxlength": CONTENT_MAX_CHARS})
        self.fields["content"].help_text = f"开展情况，不超过{CONTENT_MAX_CHARS}字。"
        if activity == Activity.BENCHMARK:
            self.fields["benchmark_against"].widget.attrs["maxlength"] = BENCHMARK_AGAINST_MAX_CHARS
            self.fields["focus"].choices = [("", "请选择创优方向"), *focus_choices_for(collective.sector)]
            self.fields["focus"].help_text = f"按本集体的行业类别（{collective.get_sector_display()}）提供。"
            self.fields["benefit_value"].widget.attrs.update(inputmode="decimal", placeholder="如 30")
            self.fields["benefit_unit"].widget.attrs["maxlength"] = BENEFIT_UNIT_MAX_CHARS
            self.fields["meets_target"].choices = [("", "不对应具体目标"), *(
                (str(target.pk), f"{target.date:%Y-%m-%d} {target.title}") for target in targets)]
        elif activity == Activity.STUDY:
            self.fields["topic"].widget.attrs["maxlength"] = TOPIC_MAX_CHARS
            choices = [(str(member.pk), member_label(member)) for member in members]
            self.fields["led_by"].choices = [("", "请选择领学人"), *choices]
            self.fields["attendees"].choices = choices
        elif activity == Activity.FAMILIES:
            self.fields["pairing"].choices = [("", "请选择结对家庭"), *(
                (str(pairing.pk), pairing_label(pairing)) for pairing in pairings)]
        elif activity == Activity.OPEN_WEEK:
            self.fields["visitors"].widget = forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"})
        style_form(self)
        for name, field in self.fields.items():
            field.wmh_required = name in REQUIRED_FIELDS

    @property
    def activity_label(self) -> str:
        return Activity(self.activity).label

    @classmethod
    def initial_of(cls, entry) -> dict:
        """The form's values for editing ``entry`` (its lists from the prefetched rows)."""
        initial = {"date": entry.date, "title": entry.title, "content": entry.content}
        if entry.activity == Activity.BENCHMARK:
            initial.update(stage=entry.stage, benchmark_against=entry.benchmark_against, focus=entry.focus,
                           benefit_kind=entry.benefit_kind, benefit_unit=entry.benefit_unit,
                           benefit_value="" if entry.benefit_value is None else f"{entry.benefit_value.normalize():f}",
                           meets_target=str(entry.meets_target_id or ""))
        elif entry.activity == Activity.STUDY:
            initial.update(form=entry.study_form, topic=entry.topic, led_by=str(entry.led_by_id or ""),
                           attendees=[str(member.pk) for member in entry.attendees.all()])
        elif entry.activity == Activity.FAMILIES:
            initial.update(pairing=str(entry.pairing_id or ""), follow_up=entry.follow_up,
                           help_kinds=[item.kind for item in entry.help_kinds.all()])
        elif entry.activity == Activity.OPEN_WEEK:
            initial.update(visitors="" if entry.visitors is None else entry.visitors,
                           shown=[item.item for item in entry.shown_items.all()])
        return initial

    def entry_data(self) -> dict:
        """What the services take (API names): the activity, and every shown field's value as given."""
        data = {"activity": self.activity}
        for name in self.fields:
            value = self.cleaned_data.get(name)
            if name in LIST_FIELDS:
                value = list(value or [])
            elif name == "follow_up":
                value = bool(value)
            data[name] = "" if value is None else value
        return data


class LedgerFilterForm(forms.Form):
    """A collective's ledger: one activity and a date range (invalid values are left out)."""

    activity = forms.ChoiceField(label="活动", required=False, choices=[("", "全部活动"), *Activity.choices])
    date_from = forms.DateField(label="起始日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label="截止日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_form(self)

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", f"截止日期{end:%Y-%m-%d}早于起始日期{start:%Y-%m-%d}")
        return data

    def filters(self) -> dict:
        """Keyword arguments of ``selectors.entry_list``; a field with an error is left out."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = self.cleaned_data
        return {name: data[name] for name in ("activity", "date_from", "date_to")
                if name not in self.errors and data.get(name)}


class ReviewFilterForm(LedgerFilterForm):
    """查阅台账: the campaign (the newest when none is asked for; the empty choice is every campaign), a unit of the
    admin's subtree, a collective's name or a title, one activity, a date range, and only entries with open
    comments."""

    campaign = forms.ModelChoiceField(label="创建活动", queryset=None, required=False, empty_label="全部创建活动")
    unit = UnitChoiceField(label="单位", queryset=None, required=False, empty_label="全部单位")
    q = forms.CharField(label="集体或标题", required=False, max_length=100, widget=forms.TextInput(
        attrs={"type": "search", "placeholder": "集体名称或记录标题"}))
    open_comments = forms.BooleanField(label="只看有未处理意见的", required=False)

    field_order = ["campaign", "unit", "q", "activity", "date_from", "date_to", "open_comments"]

    def __init__(self, *args, campaigns, units, base_depth: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = campaigns
        self.fields["unit"].queryset = units
        self.fields["unit"].base_depth = base_depth
        style_form(self)

    def filters(self) -> dict:
        found = super().filters()
        if self.is_bound:
            data = self.cleaned_data
            for name, key in (("campaign", "campaign"), ("unit", "unit"), ("q", "search"),
                              ("open_comments", "open_comments")):
                if name not in self.errors and data.get(name):
                    found[key] = data[name]
        return found


class CommentForm(forms.Form):
    text = forms.CharField(label="评阅意见", required=False, strip=False, widget=forms.Textarea(
        attrs={"rows": 3, "maxlength": COMMENT_MAX_CHARS, "placeholder": "对这条记录的意见或建议"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_form(self)
