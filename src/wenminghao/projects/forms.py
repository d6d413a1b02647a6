"""Forms of the joint projects' pages. They parse input and draw the fields; every rule (lengths, dates, the two
collectives, partners under the same city office, hosts among the partners) lives in ``services``, which names every
unmet one at once. Photos are not form fields: they arrive through the one upload intake (core.uploads). The collectives
(lead, partners, an added partner) are chosen with the platform's picker (partials/collective_picker.html) whose
options come from ``views.collective_options``: no page lists every collective of the city."""

from django import forms
from django.utils import timezone

from wenminghao.campaigns.selectors import campaigns_visible_to
from wenminghao.core.forms import style_form
from wenminghao.core.http import int_or_none

from .enums import ProjectKind
from .models import TEXT_MAX_CHARS, TITLE_MAX_CHARS, TOPIC_MAX_CHARS

STATE_CHOICES = [("", "全部"), ("ongoing", "进行中"), ("ended", "已结项")]


class OfferedMultipleChoiceField(forms.MultipleChoiceField):
    """Ids the service checks (an unknown one is named in its message)."""

    def validate(self, value):
        pass

    def clean(self, value):
        return [pk for pk in (int_or_none(item) for item in (value or [])) if pk is not None]


class OfferedChoiceField(forms.ChoiceField):
    def validate(self, value):
        pass

    def clean(self, value):
        return int_or_none(value)


def _date_widget():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProjectForm(forms.Form):
    title = forms.CharField(label="项目名称", required=False, widget=forms.TextInput(
        attrs={"maxlength": TITLE_MAX_CHARS, "autocomplete": "off"}))
    kind = forms.ChoiceField(label="类型", required=False, choices=ProjectKind.choices, initial=ProjectKind.PROJECT)
    goals = forms.CharField(label="项目目标", required=False, widget=forms.Textarea(
        attrs={"rows": 5, "maxlength": TEXT_MAX_CHARS}))
    started = forms.DateField(label="开始日期", required=False, widget=_date_widget())
    ended = forms.DateField(label="结束日期", required=False, widget=_date_widget(),
                            help_text="选填：计划结束的日期，不早于开始日期。")

    def __init__(self, *args, user, edit: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if user.is_admin and not edit:
            self.fields["lead"] = OfferedChoiceField(
                label="牵头集体", required=False,
                help_text=f"{user.unit.name}或下级单位的一个集体：输入名称或所在单位搜索，勾选一个。")
        if not edit:
            self.fields["partners"] = OfferedMultipleChoiceField(
                label="合作集体", required=False,
                help_text="可多选：本市（同一市级团委之下）任何单位的集体，每搜索到一个，勾选后加入上面的名单；"
                          "连同牵头集体至少2个。")
        self.fields["campaign"] = forms.ModelChoiceField(
            label="计入创建活动", required=False, empty_label="本市当前的创建活动（默认）",
            queryset=campaigns_visible_to(user).order_by("-year", "level"))
        for name in ("title", "goals", "started"):
            self.fields[name].wmh_required = True
        self.initial.setdefault("started", timezone.localdate())
        self.order_fields([name for name in ("title", "kind", "lead", "partners", "goals", "started", "ended",
                                             "campaign") if name in self.fields])
        style_form(self)

    def project_data(self) -> dict:
        data = self.cleaned_data
        result = {"title": data.get("title", ""), "kind": data.get("kind") or ProjectKind.PROJECT,
                  "partners": data.get("partners") or [], "goals": data.get("goals", ""),
                  "started": data.get("started"), "ended": data.get("ended")}
        if "lead" in self.fields:
            result["lead"] = data.get("lead")
        if data.get("campaign") is not None:
            result["campaign"] = data["campaign"]
        return result


class ProgressForm(forms.Form):
    date = forms.DateField(label="日期", required=False, widget=_date_widget())
    text = forms.CharField(label="进展情况", required=False, widget=forms.Textarea(
        attrs={"rows": 4, "maxlength": TEXT_MAX_CHARS,
               "placeholder": "例如：两区窗口联合开展“周末不打烊”服务，共办理业务86件。"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("date", timezone.localdate())
        self.fields["date"].widget.attrs["max"] = timezone.localdate().isoformat()
        self.fields["text"].wmh_required = True
        style_form(self)


class VisitForm(forms.Form):
    date = forms.DateField(label="互访日期", required=False, widget=_date_widget())
    host = OfferedChoiceField(label="东道集体", required=False)
    visitors = OfferedMultipleChoiceField(label="来访集体", required=False, widget=forms.CheckboxSelectMultiple)
    topic = forms.CharField(label="交流主题", required=False, widget=forms.TextInput(
        attrs={"maxlength": TOPIC_MAX_CHARS, "autocomplete": "off"}))
    notes = forms.CharField(label="交流情况", required=False, widget=forms.Textarea(
        attrs={"rows": 3, "maxlength": TEXT_MAX_CHARS}))

    def __init__(self, *args, partners, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(partner.collective_id, partner.collective.name) for partner in partners]
        self.fields["host"].choices = [("", "请选择"), *choices]
        self.fields["visitors"].choices = choices
        self.initial.setdefault("date", timezone.localdate())
        for name in ("date", "host", "visitors", "topic"):
            self.fields[name].wmh_required = True
        style_form(self)


class PartnerForm(forms.Form):
    """The project page's "添加集体": one collective of the city office, chosen with the picker."""

    collective = OfferedChoiceField(label="添加集体", required=False,
                                    help_text="本市任何单位的集体：输入名称或所在单位搜索，勾选一个。")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_form(self)


class FinishForm(forms.Form):
    results = forms.CharField(label="项目成果", required=False, widget=forms.Textarea(
        attrs={"rows": 5, "maxlength": TEXT_MAX_CHARS}))
    ended = forms.DateField(label="结束日期", required=False, widget=_date_widget())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("ended", timezone.localdate())
        self.fields["results"].wmh_required = True
        style_form(self)


class ProjectFilterForm(forms.Form):
    kind = forms.ChoiceField(label="类型", required=False, choices=[("", "全部类型"), *ProjectKind.choices])
    scope = forms.ChoiceField(label="范围", required=False, choices=[("", "我能看到的全部"), ("mine", "本集体参与的")])
    state = forms.ChoiceField(label="状态", required=False, choices=STATE_CHOICES)
    q = forms.CharField(label="搜索", required=False, max_length=100, widget=forms.TextInput(
        attrs={"placeholder": "项目名称或目标", "type": "search"}))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None and user.is_admin:  # "mine" is the projects the admin's unit manages
            self.fields["scope"].choices = [("", "我能看到的全部"), ("mine", "本单位管理的")]
        style_form(self)

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {"kind": data.get("kind") or "", "scope": data.get("scope") or "", "state": data.get("state") or "",
                "search": (data.get("q") or "").strip()}
