"""The form of a reminder (催办提醒): the message, prefilled on the page and editable. The rules (not empty, the
length limit) are ``services.reminders``'s, which reports them in its own words."""

from django import forms

from wenminghao.core.forms import style_form

from .services.reminders import MESSAGE_MAX_CHARS


class ReminderForm(forms.Form):
    message = forms.CharField(label="提醒内容", required=False, strip=False, widget=forms.Textarea(
        attrs={"rows": 5, "maxlength": MESSAGE_MAX_CHARS}),
        help_text=f"可修改，不超过{MESSAGE_MAX_CHARS}字。集体的号长和成员账号会在平台消息和邮件中收到，"
                  f"并可从链接直接打开本集体的台账。")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["message"].wmh_required = True
        style_form(self)
