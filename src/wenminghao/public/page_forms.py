"""Forms of the identity pages: what the page holds (edited by the collective and the admins above it), hiding it
(the unit), and the public list's filters. The rules are the services' (services/pages.py), which report every
unmet one at once; the forms only carry the values."""

from django import forms

from wenminghao.collectives.enums import Sector
from wenminghao.core.forms import style_form

from .models import SERVICE_MAX_CHARS
from .services.pages import HIDE_REASON_MAX_CHARS


class PageForm(forms.Form):
    service_items = forms.CharField(
        label="服务项目", required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=f"本岗位对外提供的服务，一行一项，最多{SERVICE_MAX_CHARS}字。")
    convenience_measures = forms.CharField(
        label="便民措施", required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=f"如延时服务、预约服务、上门服务等，一行一项，最多{SERVICE_MAX_CHARS}字。")
    hidden_members = forms.MultipleChoiceField(
        label="不在公开页显示的成员", required=False, widget=forms.CheckboxSelectMultiple,
        help_text="勾选的成员不会出现在公开身份页和公开接口中（公开页只显示姓名和岗位）。")
    event_photos = forms.MultipleChoiceField(
        label="在公开页展示的开放周照片", required=False, widget=forms.CheckboxSelectMultiple,
        help_text="可选本集体开放周台账中的图片，公开页按活动日期从近到远最多展示12张。")

    def __init__(self, *args, members=(), pictures=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hidden_members"].choices = [
            (str(member.pk), f"{member.name}{'（' + member.post + '）' if member.post else ''}") for member in members]
        self.fields["event_photos"].choices = [
            (str(picture.pk), f"{picture.entry.date:%Y-%m-%d} {picture.entry.title} · {picture.original_name}")
            for picture in pictures]
        style_form(self)


class HideForm(forms.Form):
    reason = forms.CharField(label="隐藏原因", max_length=HIDE_REASON_MAX_CHARS, required=False,
                             widget=forms.TextInput(attrs={"placeholder": "如：监督电话无人接听，整改后恢复显示"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_form(self)


class PhotoForm(forms.Form):
    caption = forms.CharField(label="照片说明", max_length=100, required=False)


class PostSearchForm(forms.Form):
    q = forms.CharField(label="名称", required=False, max_length=50,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": "集体名称或所在单位"}))
    unit = forms.TypedChoiceField(label="区市或系统", required=False, coerce=int, empty_value=None)
    sector = forms.ChoiceField(label="行业类别", required=False, choices=[("", "全部行业"), *Sector.choices])

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", "全部区市和系统"), *((unit.pk, unit.name) for unit in units)]
        style_form(self)

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {"search": (data.get("q") or "").strip(), "unit": data.get("unit"), "sector": data.get("sector") or ""}
