"""Forms of public supervision (公众监督). They only carry what was typed: every rule (kind, 1–500 字, the contact's
length, the satisfaction mark) lives in ``services.feedback.clean_feedback``, shared with the API, which names every
unmet one at once; so no field is required here. ``website`` is the honeypot: hidden from people by CSS
(``public/feedback.css``), filled only by programs."""

from django import forms

from wenminghao.core.forms import style_form

from .enums import FeedbackKind, FeedbackState, Satisfaction
from .models import ANSWER_MAX_CHARS, FEEDBACK_CONTACT_MAX_CHARS, FEEDBACK_TEXT_MAX_CHARS

HONEYPOT = "website"


class OfferedChoiceField(forms.ChoiceField):
    """A radio group whose value the service checks (and names in its message when unknown)."""

    def validate(self, value):
        pass


class FeedbackForm(forms.Form):
    kind = OfferedChoiceField(label="意见类型", required=False, choices=FeedbackKind.choices,
                              widget=forms.RadioSelect)
    text = forms.CharField(label="意见内容", required=False, strip=False, widget=forms.Textarea(
        attrs={"rows": 5, "maxlength": FEEDBACK_TEXT_MAX_CHARS}),
        help_text=f"1至{FEEDBACK_TEXT_MAX_CHARS}字。请写明时间、地点和经过；链接和网页代码不会显示为链接。")
    contact = forms.CharField(label="联系方式（选填）", required=False, widget=forms.TextInput(
        attrs={"maxlength": FEEDBACK_CONTACT_MAX_CHARS, "autocomplete": "tel"}),
        help_text="手机号或电子邮箱，只有该岗位及其上级单位处理意见时可见，不会公开。")
    satisfaction = OfferedChoiceField(label="满意度（选填）", required=False,
                                      choices=[("", "不评价"), *Satisfaction.choices], widget=forms.RadioSelect)
    website = forms.CharField(label="网站（请勿填写）", required=False, widget=forms.TextInput(
        attrs={"autocomplete": "off", "tabindex": "-1"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].wmh_required = True
        self.fields["text"].wmh_required = True
        style_form(self)

    def feedback_data(self) -> dict:
        data = self.data
        return {name: data.get(name, "") for name in ("kind", "text", "contact", "satisfaction")}

    def honeypot(self) -> str:
        return self.data.get(HONEYPOT, "")


class ReferenceForm(forms.Form):
    reference = forms.CharField(label="查询编号", required=False, max_length=40, widget=forms.TextInput(
        attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false",
               "placeholder": "提交意见后得到的12位编号"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_form(self)


class FeedbackFilterForm(forms.Form):
    state = forms.ChoiceField(label="状态", required=False, choices=[("", "全部状态"), *FeedbackState.choices])
    kind = forms.ChoiceField(label="类型", required=False, choices=[("", "全部类型"), *FeedbackKind.choices])
    verified = forms.BooleanField(label="只看已核实的投诉", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_form(self)

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {"state": data.get("state") or "", "kind": data.get("kind") or "",
                "verified": bool(data.get("verified"))}


class AnswerForm(forms.Form):
    answer = forms.CharField(label="答复内容", required=False, strip=False, widget=forms.Textarea(
        attrs={"rows": 4, "maxlength": ANSWER_MAX_CHARS}),
        help_text=f"不超过{ANSWER_MAX_CHARS}字。答复会显示在公众凭编号查询的页面上，请勿写入个人信息。")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["answer"].wmh_required = True
        style_form(self)
