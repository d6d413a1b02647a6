"""Forms of the notices' pages. They parse input and draw the fields; every rule of a notice (title, length,
selection, deadline, files) lives in ``services.publish_notice``, which names every unmet one at once. The files of a
notice and of a reply are not form fields: they arrive through the one upload intake (core.uploads) and are handed to
the services as they are."""

from django import forms
from django.utils import timezone

from wenminghao.campaigns.selectors import campaigns_visible_to
from wenminghao.collectives.enums import Sector
from wenminghao.collectives.forms import UnitChoiceField
from wenminghao.core.forms import style_form
from wenminghao.orgs.selectors import units_visible_to

from .models import (
    BODY_MAX_CHARS,
    CHANGE_NOTE_MAX_CHARS,
    NORM_BODY_MAX_CHARS,
    NORM_TITLE_MAX_CHARS,
    REPLY_MAX_CHARS,
    TITLE_MAX_CHARS,
)


class OfferedMultipleChoiceField(forms.MultipleChoiceField):
    """Check boxes whose values the service checks (an unknown one is named in its message)."""

    def validate(self, value):
        pass


class IndentedUnitsField(forms.ModelMultipleChoiceField):
    """The units of the admin's subtree, each indented below the admin's own."""

    base_depth = 0

    def label_from_instance(self, obj) -> str:
        return "\u3000" * max(0, obj.depth - self.base_depth) + obj.name


class NoticeForm(forms.Form):
    """A new notice, or a forward (``forward=True``: the body is the unit's own guidance and may be empty)."""

    title = forms.CharField(label="标题", required=False, widget=forms.TextInput(
        attrs={"maxlength": TITLE_MAX_CHARS, "autocomplete": "off"}))
    body = forms.CharField(label="正文", required=False, widget=forms.Textarea(
        attrs={"rows": 10, "maxlength": BODY_MAX_CHARS}))
    sectors = OfferedMultipleChoiceField(label="行业类别", required=False, choices=Sector.choices,
                                         widget=forms.CheckboxSelectMultiple,
                                         help_text="不选即发给全部行业类别的集体。")
    deadline = forms.DateField(label="截止日期", required=False, help_text="选填：需要各集体在某日前办理时填写。")
    asks_reply = forms.BooleanField(label="要求各集体回复（文字或上传一个文件）", required=False)

    def __init__(self, *args, user, forward: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.forward = forward
        self.fields["title"].wmh_required = True
        if forward:
            body = self.fields["body"]
            body.label = "本单位的执行要求和工作指引"
            body.help_text = "选填：写给本单位所属集体的具体要求，显示在原通知的上方；原通知及其附件不变。"
            body.widget.attrs["placeholder"] = "例如：请各集体于截止日期前对照通知完成自查，并在平台上回复自查情况。"
        else:
            self.fields["body"].wmh_required = True
        units = IndentedUnitsField(
            label="单位范围", required=False, queryset=units_visible_to(user).order_by("path"),
            help_text="选填：只发给所选单位（含其下级单位）的集体；不选即发给本单位及全部下级单位的集体。"
                      "在电脑上按住Ctrl键可多选。")
        units.base_depth = user.unit.depth if user.unit_id else 0
        units.widget.attrs["size"] = 6
        self.fields["units"] = units
        self.fields["campaign"] = forms.ModelChoiceField(
            label="创建活动", required=False, empty_label="不限创建活动",
            queryset=campaigns_visible_to(user).order_by("-year", "level"),
            help_text="选填：只发给已报备该创建活动的集体。")
        self.fields["deadline"].widget = forms.DateInput(
            attrs={"type": "date", "min": timezone.localdate().isoformat()}, format="%Y-%m-%d")
        self.order_fields(["title", "body", "sectors", "units", "campaign", "deadline", "asks_reply"])
        style_form(self)

    def notice_data(self) -> dict:
        """The service's keyword arguments (without the files)."""
        data = self.cleaned_data
        return {"title": data.get("title", ""), "body": data.get("body", ""), "sectors": data.get("sectors") or [],
                "units": list(data.get("units") or []), "campaign": data.get("campaign"),
                "deadline": data.get("deadline"), "asks_reply": bool(data.get("asks_reply"))}


class ReplyForm(forms.Form):
    text = forms.CharField(label="回复内容", required=False, widget=forms.Textarea(
        attrs={"rows": 4, "maxlength": REPLY_MAX_CHARS, "placeholder": "请填写回复内容；也可以只上传文件。"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_form(self)


class NoticeFilterForm(forms.Form):
    q = forms.CharField(label="搜索", required=False, max_length=100, widget=forms.TextInput(
        attrs={"placeholder": "通知标题或正文", "type": "search"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_form(self)

    def search(self) -> str:
        return (self.cleaned_data.get("q") or "").strip() if self.is_valid() else ""


RECEIPT_STATES = [("", "全部集体"), ("unread", "未读"), ("read", "已读"), ("replied", "已回复")]


class ReceiptFilterForm(forms.Form):
    state = forms.ChoiceField(label="阅读情况", required=False, choices=RECEIPT_STATES)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        unit = UnitChoiceField(label="单位", required=False, empty_label="全部单位",
                               queryset=units_visible_to(user).order_by("path"))
        unit.base_depth = user.unit.depth if user.is_admin and user.unit_id else 0
        self.fields["unit"] = unit
        style_form(self)

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {"state": data.get("state") or "", "unit": data.get("unit")}


class NormForm(forms.Form):
    """A new version of the unit's execution norms (the files arrive through the upload intake, not as a field)."""

    title = forms.CharField(label="标题", required=False, widget=forms.TextInput(
        attrs={"maxlength": NORM_TITLE_MAX_CHARS, "autocomplete": "off",
               "placeholder": "例如：环翠区青年文明号创建工作执行规范"}))
    body = forms.CharField(label="正文", required=False, help_text=f"最多{NORM_BODY_MAX_CHARS}字，分段显示。",
                           widget=forms.Textarea(attrs={"rows": 16, "maxlength": NORM_BODY_MAX_CHARS}))
    effective_on = forms.DateField(label="生效日期", required=False,
                                   help_text="可选今天、以前或以后的日期；以后的日期到当天才成为现行版本。",
                                   error_messages={"invalid": "生效日期无法识别，请按“年-月-日”填写，例如2018-07-25"})
    change_note = forms.CharField(label="修订说明", required=False, widget=forms.TextInput(
        attrs={"maxlength": CHANGE_NOTE_MAX_CHARS, "autocomplete": "off",
               "placeholder": "例如：补充作品报送时间和联系人"}))

    def __init__(self, *args, previous=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("title", "body", "effective_on"):
            self.fields[name].wmh_required = True
        self.fields["effective_on"].widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        if previous is not None:
            self.fields["change_note"].wmh_required = True
            self.fields["change_note"].help_text = f"与第{previous.version}版相比改了什么，显示在版本记录中。"
        else:
            self.fields["change_note"].help_text = "选填：首次发布可不填。"
        style_form(self)

    def norm_data(self) -> dict:
        data = self.cleaned_data
        return {"title": data.get("title", ""), "body": data.get("body", ""),
                "effective_on": data.get("effective_on"), "change_note": data.get("change_note", "")}


class NormOverviewFilterForm(forms.Form):
    missing = forms.BooleanField(label="只看无执行规范的单位", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_form(self)

    def missing_only(self) -> bool:
        return bool(self.is_valid() and self.cleaned_data.get("missing"))
