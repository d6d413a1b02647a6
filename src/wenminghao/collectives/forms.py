"""Forms of the collectives pages. They only parse input; the rules live in ``services``."""

from django import forms
from django.forms import formset_factory

from wenminghao.core.forms import style_form
from wenminghao.orgs.selectors import units_visible_to

from .enums import HonourLevel, OrgType, Sector
from .models import Collective

MAX_MEMBER_ROWS = 500
MAX_HONOUR_ROWS = 50


class UnitChoiceField(forms.ModelChoiceField):
    """A unit <select> that shows the tree by indenting each unit below the user's own."""

    base_depth = 0

    def label_from_instance(self, obj) -> str:
        return "\u3000" * max(0, obj.depth - self.base_depth) + obj.name



def _unit_field(user, **kwargs) -> UnitChoiceField:
    field = UnitChoiceField(queryset=units_visible_to(user).order_by("path"), **kwargs)
    field.base_depth = user.unit.depth if user.is_admin and user.unit_id else 0
    return field


class CollectiveFilterForm(forms.Form):
    """Search and filters of the list page and of the export (the same query string)."""

    q = forms.CharField(label="搜索", required=False, max_length=100, widget=forms.TextInput(
        attrs={"placeholder": "集体名称、所在单位或联系人", "type": "search"}))
    sector = forms.ChoiceField(label="行业类别", required=False, choices=[("", "全部行业类别"), *Sector.choices])
    org_type = forms.ChoiceField(label="单位性质", required=False, choices=[("", "全部单位性质"), *OrgType.choices])

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"] = _unit_field(user, label="归口单位", required=False, empty_label="全部归口单位")
        self.order_fields(["q", "unit", "sector", "org_type"])
        style_form(self)

    def filters(self) -> dict:
        """The keyword arguments of ``selectors.collective_list``; invalid values are left out."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = self.cleaned_data
        return {
            "search": (data.get("q") or "").strip(),
            "unit": data.get("unit"),
            "sector": data.get("sector") or "",
            "org_type": data.get("org_type") or "",
        }


class CollectiveForm(forms.ModelForm):
    """The collective's own fields. An admin chooses the unit among the units of their subtree;
    a collective's own account cannot change the unit, so the field is left out for it."""

    class Meta:
        model = Collective
        fields = [
            "name", "host_org", "unit", "sector", "org_type", "unit_form", "contact_name", "contact_phone",
            "public_commitment", "supervision_phone",
        ]
        widgets = {"public_commitment": forms.Textarea(attrs={"rows": 4})}

    # The version of the collective the page was made from (core.versions): a save after someone else's is refused.
    version = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        else:
            del self.fields["version"]
        if user.is_admin:
            self.fields["unit"] = _unit_field(user, label="归口单位", empty_label="请选择归口单位")
        else:
            del self.fields["unit"]
        self.fields["contact_phone"].widget.attrs.setdefault("inputmode", "tel")
        self.fields["supervision_phone"].widget.attrs.setdefault("inputmode", "tel")
        style_form(self)


class MemberForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(label="姓名", max_length=64)
    birth_date = forms.DateField(label="出生日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    post = forms.CharField(label="岗位", max_length=64, required=False)
    is_leader = forms.BooleanField(label="号长", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_form(self)


class HonourForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    level = forms.ChoiceField(label="级别", choices=[("", "请选择"), *HonourLevel.choices])
    year = forms.IntegerField(label="年度", min_value=1994, max_value=2100, widget=forms.NumberInput(
        attrs={"inputmode": "numeric"}))
    title = forms.CharField(label="称号", max_length=100)
    valid_until = forms.DateField(label="有效期至", required=False, help_text="届期届满之日；没有届期的留空。",
                                  widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_form(self)


MemberFormSet = formset_factory(
    MemberForm, extra=1, can_delete=True, max_num=MAX_MEMBER_ROWS, validate_max=True, absolute_max=MAX_MEMBER_ROWS
)
HonourFormSet = formset_factory(
    HonourForm, extra=1, can_delete=True, max_num=MAX_HONOUR_ROWS, validate_max=True, absolute_max=MAX_HONOUR_ROWS
)


def formset_rows(formset) -> list[dict]:
    """The filled-in, not deleted rows of a valid formset, in page order, as the services take them."""
    rows = []
    for form in formset.forms:
        data = getattr(form, "cleaned_data", None)
        if not data or data.get("DELETE"):
            continue
        rows.append({key: value for key, value in data.items() if key != "DELETE"})
    return rows


class DelegateForm(forms.Form):
    """A member account created by the collective's leader to fill in records on its behalf."""

    username = forms.CharField(label="登录账号", max_length=150, help_text="字母、数字或 @/./+/-/_，登录时使用。")
    display_name = forms.CharField(label="姓名", max_length=64)
    mobile = forms.CharField(label="手机号", max_length=11, required=False, help_text="选填，可用手机号登录。",
                             widget=forms.TextInput(attrs={"inputmode": "tel"}))
    password1 = forms.CharField(label="初始密码", strip=False, widget=forms.PasswordInput(
        attrs={"autocomplete": "new-password"}), help_text="至少8位，不能全为数字。")
    password2 = forms.CharField(label="再次输入密码", strip=False, widget=forms.PasswordInput(
        attrs={"autocomplete": "new-password"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_form(self)

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password2") and data["password1"] != data["password2"]:
            self.add_error("password2", "两次输入的密码不一致，请重新输入。")
        return data


class ImportForm(forms.Form):
    file = forms.FileField(label="Excel 文件（.xlsx）", allow_empty_file=True, widget=forms.ClearableFileInput(
        attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_form(self)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload is not None and not upload.size:
            raise forms.ValidationError(
                f"“{upload.name}”是空文件（0字节），请选择填写好的 Excel 工作簿（.xlsx）后上传。")
        return upload
