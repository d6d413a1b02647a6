"""Forms of the training, exchange and pairing pages. They only parse input: every rule (dates, lengths, which
collectives may be chosen and why not) lives in ``services.development``, which reports all unmet rules at once; so
no field is required here and dates arrive as text for the service to read. The collectives are chosen with the
platform's picker (``partials/collective_picker.html``): their ids arrive as ``host``, ``visitors``, ``mentor``,
``mentee``."""

from django import forms
from django.utils import timezone

from wenminghao.collectives.forms import UnitChoiceField
from wenminghao.core.forms import style_form

from .models import TEXT_MAX_CHARS
from .selectors.development import ATTENDANCE_FILTERS, TRAINED_FILTERS
from .services.development import PLACE_MAX_CHARS, TITLE_MAX_CHARS


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date", "max": timezone.localdate().isoformat()}, format="%Y-%m-%d")


class IdListField(forms.Field):
    """The ids a picker sends (a list; the service says which are not to be chosen)."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value) -> list[str]:
        if not value:
            return []
        return [str(item) for item in value] if isinstance(value, list | tuple) else [str(value)]


class _ServiceForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            for name in ("date", "started"):
                if name in self.fields:
                    self.initial.setdefault(name, timezone.localdate().isoformat())
        style_form(self)
        for name in ("date", "started"):
            if name in self.fields:
                self.fields[name].widget.attrs["max"] = timezone.localdate().isoformat()

    def service_data(self) -> dict:
        return dict(self.cleaned_data)


class TrainingForm(_ServiceForm):
    date = forms.CharField(label="培训日期", required=False, widget=_date_input(),
                           help_text="培训举办的日期，不能晚于今天。")
    title = forms.CharField(label="培训主题", required=False, widget=forms.TextInput(
        attrs={"maxlength": TITLE_MAX_CHARS, "placeholder": "如 2018年度青年文明号号长培训班"}))
    place = forms.CharField(label="培训地点", required=False, widget=forms.TextInput(
        attrs={"maxlength": PLACE_MAX_CHARS, "placeholder": "如 团市委三楼会议室"}))
    content = forms.CharField(label="培训内容", required=False, widget=forms.Textarea(
        attrs={"rows": 4, "maxlength": TEXT_MAX_CHARS,
               "placeholder": "授课人、课程安排、学习的文件（如创建活动通知、台账填报要求）等"}))
    date.wmh_required = True
    title.wmh_required = True


class ExchangeForm(_ServiceForm):
    date = forms.CharField(label="观摩日期", required=False, widget=_date_input(), help_text="不能晚于今天。")
    host = IdListField(label="东道集体（观摩地点）", required=False)
    visitors = IdListField(label="参加观摩的集体", required=False)
    topic = forms.CharField(label="观摩主题", required=False, widget=forms.TextInput(
        attrs={"maxlength": TITLE_MAX_CHARS, "placeholder": "如 窗口服务标准化建设现场观摩"}))
    notes = forms.CharField(label="交流情况", required=False, widget=forms.Textarea(
        attrs={"rows": 4, "maxlength": TEXT_MAX_CHARS,
               "placeholder": "观摩了哪些做法、交流了什么、各集体的收获和下一步打算"}))
    date.wmh_required = True
    topic.wmh_required = True

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["host"] = data["host"][:1]
        return data


class MentorPairForm(_ServiceForm):
    mentor = IdListField(label="老号（已获称号的集体）", required=False)
    mentee = IdListField(label="新号（本次创建集体）", required=False)
    started = forms.CharField(label="结对日期", required=False, widget=_date_input(), help_text="不能晚于今天。")
    goals = forms.CharField(label="结对内容", required=False, widget=forms.Textarea(
        attrs={"rows": 3, "maxlength": TEXT_MAX_CHARS,
               "placeholder": "老号在哪些方面帮带新号：台账建设、服务标准、开放周、成果作品等"}))
    started.wmh_required = True


class LeaderFilterForm(forms.Form):
    """The leaders' training list: a unit of the admin's subtree, trained or not, a collective's name."""

    unit = UnitChoiceField(label="单位", queryset=None, required=False, empty_label="全部单位")
    trained = forms.ChoiceField(label="培训情况", required=False, choices=TRAINED_FILTERS)
    q = forms.CharField(label="集体名称", required=False, max_length=100, widget=forms.TextInput(
        attrs={"type": "search", "placeholder": "集体或所在单位名称"}))

    def __init__(self, *args, units, base_depth: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].base_depth = base_depth
        style_form(self)

    def value(self, name: str):
        return self.cleaned_data.get(name) if self.is_bound and self.is_valid() else None


class AttendanceFilterForm(LeaderFilterForm):
    """The candidates of a training's attendance: at this session, all, or trained at none yet."""

    trained = None
    show = forms.ChoiceField(label="显示", required=False, choices=ATTENDANCE_FILTERS)
    field_order = ["show", "unit", "q"]
