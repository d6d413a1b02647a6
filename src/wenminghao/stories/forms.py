"""Forms of the stories' pages. They parse input and draw the fields; every rule of a story (title, 3,000 字, the
activity, the ledger entries, the photos) lives in ``services``, which names every unmet one at once. Photos are
not form fields: they arrive through the one upload intake (core.uploads) and are handed to the services."""

from django import forms

from wenminghao.core.forms import style_form
from wenminghao.ledger.enums import Activity

from .models import REASON_MAX_CHARS, TEXT_MAX_CHARS, TITLE_MAX_CHARS, StoryKind, StoryStatus
from .selectors import own_entries


class EntriesField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.date:%Y-%m-%d} {obj.get_activity_display()}：{obj.title}（{obj.campaign.name}）"


class StoryForm(forms.Form):
    kind = forms.ChoiceField(label="类型", required=False, choices=StoryKind.choices, initial=StoryKind.PRACTICE)
    title = forms.CharField(label="标题", required=False, widget=forms.TextInput(
        attrs={"maxlength": TITLE_MAX_CHARS, "autocomplete": "off"}))
    text = forms.CharField(label="正文", required=False, help_text=f"不超过{TEXT_MAX_CHARS:,}字。写清做法、过程和成效；"
                           "不要写服务对象的姓名、电话、住址等个人信息。", widget=forms.Textarea(attrs={"rows": 12}))
    activity = forms.ChoiceField(label="所属活动", required=False, choices=[("", "不属于某项活动"), *Activity.choices])

    def __init__(self, *args, collective=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].wmh_required = True
        self.fields["text"].wmh_required = True
        if collective is not None:
            entries = EntriesField(label="关联台账记录", required=False, queryset=own_entries(collective),
                                   help_text="选填：本集体台账中与此相关的记录（在电脑上按住Ctrl键可多选）。")
            entries.widget.attrs["size"] = 6
            self.fields["entries"] = entries
        style_form(self)

    def story_data(self) -> dict:
        data = self.cleaned_data
        return {"kind": data.get("kind") or StoryKind.PRACTICE, "title": data.get("title", ""),
                "text": data.get("text", ""), "activity": data.get("activity") or "",
                "entries": [entry.pk for entry in data.get("entries") or []]}


class ReturnForm(forms.Form):
    reason = forms.CharField(label="退回理由", required=False, widget=forms.Textarea(
        attrs={"rows": 3, "maxlength": REASON_MAX_CHARS,
               "placeholder": "例如：请补充做法的成效数据，删去服务对象的姓名。"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_form(self)


class StoryFilterForm(forms.Form):
    q = forms.CharField(label="标题", required=False, max_length=100, widget=forms.TextInput(
        attrs={"placeholder": "按标题搜索", "type": "search"}))
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部状态"), *StoryStatus.choices])
    kind = forms.ChoiceField(label="类型", required=False, choices=[("", "全部类型"), *StoryKind.choices])
    activity = forms.ChoiceField(label="活动", required=False, choices=[("", "全部活动"), *Activity.choices])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_form(self)

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {"status": data.get("status") or "", "kind": data.get("kind") or "",
                "activity": data.get("activity") or "", "search": (data.get("q") or "").strip()}
