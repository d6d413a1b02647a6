"""Forms of the works pages. They only parse input: the rules of Attachment 1 live in ``attachment1``
and the services apply them (a form never restates a limit, it reads the constants from there)."""

from django import forms

from wenminghao.campaigns.forms import LocalDateTimeInput
from wenminghao.collectives.forms import UnitChoiceField
from wenminghao.core.forms import style_form

from . import attachment1
from .enums import CATEGORY_FORMS, Category, DisplayForm, EssayKind, WorkStatus

WORK_FIELDS = (
    "category", "title", "display_form", "description", "contact_name", "contact_phone", "essay_kind", "url",
)
# Fields that stay as created: a work does not change campaign, collective or category afterwards.
EDIT_FIELDS = tuple(name for name in WORK_FIELDS if name != "category")



class CollectiveChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name}（{obj.unit.name}）"


class WorkForm(forms.Form):
    """A work's own fields. On creation also its campaign and (for admins) the creating collective."""
    campaign = forms.ModelChoiceField(label="创建活动", queryset=None, empty_label="请选择创建活动")
    collective = CollectiveChoiceField(label="创作集体", queryset=None, empty_label="请选择创作集体")
    category = forms.ChoiceField(label="作品类别", choices=Category.choices)
    title = forms.CharField(label="作品名称", max_length=100)
    display_form = forms.ChoiceField(
        label="展示形式", choices=DisplayForm.choices, help_text="可选的展示形式随作品类别而定。"
    )
    description = forms.CharField(
        label="作品说明", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=f"不超过{attachment1.DESCRIPTION_MAX_CHARS}字。",
    )
    contact_name = forms.CharField(label="联系人", max_length=64)
    contact_phone = forms.CharField(label="联系电话", max_length=32, widget=forms.TextInput(attrs={"type": "tel"}))
    essay_kind = forms.ChoiceField(
        label="征文类型", required=False, choices=[("", "请选择征文类型"), *EssayKind.choices],
    )
    url = forms.CharField(
        label="H5作品网址", required=False, max_length=500,
        widget=forms.TextInput(attrs={"type": "url", "placeholder": "https://", "inputmode": "url"}),
        help_text="以 http:// 或 https:// 开头的网页地址。",
    )

    # The version of the work the page was made from (core.versions): a save after someone else's is refused.
    version = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, campaigns=None, collectives=None, work=None, **kwargs):
        """``campaigns`` and ``collectives`` are the visible-to querysets to choose from on creation;
        ``collectives`` is None for a collective account (it creates for itself). With ``work`` the
        form edits that work: campaign, collective and category stay as they are, and the form carries the
        work's ``version``."""
        super().__init__(*args, **kwargs)
        self.work = work
        if work is not None:
            self.fields["version"].initial = work.version
            for name in ("campaign", "collective", "category"):
                del self.fields[name]
            self.fields["display_form"].choices = [
                (form.value, form.label) for form in _forms_of(work.category)
            ]
        else:
            self.fields["campaign"].queryset = campaigns
            if collectives is None:
                del self.fields["collective"]
            else:
                self.fields["collective"].queryset = collectives.select_related("unit").order_by(
                    "unit__path", "name", "id"
                )
            del self.fields["version"]
        style_form(self)
        # Alpine (static/works/works.js): the display forms follow the category, the description is counted live.
        if "category" in self.fields:
            self.fields["category"].widget.attrs.update({"x-ref": "category", "x-on:change": "filter()"})
        self.fields["display_form"].widget.attrs.update({"x-ref": "displayForm", "x-on:change": "sync()"})
        self.fields["description"].widget.attrs.update({"x-ref": "field", "x-on:input": "update()"})

    @classmethod
    def initial_of(cls, work) -> dict:
        return {name: getattr(work, name) for name in EDIT_FIELDS}

    def work_fields(self) -> dict:
        """The cleaned values of the work's own fields, as the services take them."""
        names = EDIT_FIELDS if self.work is not None else WORK_FIELDS
        return {name: self.cleaned_data.get(name, "") for name in names}

    def expected_version(self) -> int | None:
        """The version the editor saw (None on creation, or from a page made before versions existed)."""
        return self.cleaned_data.get("version")


def _forms_of(category: str) -> tuple:

    return tuple(DisplayForm(value) for value in CATEGORY_FORMS.get(category, ()))


def category_forms_data() -> dict:
    """{category: [display form values]} for the page's script (json_script)."""
    return {str(category): [str(form) for form in forms_] for category, forms_ in CATEGORY_FORMS.items()}


class WorkFilterForm(forms.Form):
    """Search and filters of the works list; the querysets come from the visible-to selectors."""
    q = forms.CharField(label="搜索", required=False, max_length=100, widget=forms.TextInput(
        attrs={"placeholder": "作品名称或创作集体", "type": "search"}))
    campaign = forms.ModelChoiceField(label="创建活动", queryset=None, required=False, empty_label="全部活动")
    category = forms.ChoiceField(label="作品类别", required=False, choices=[("", "全部类别"), *Category.choices])
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部状态"), *WorkStatus.choices])
    unit = UnitChoiceField(label="归口单位", queryset=None, required=False, empty_label="全部单位")
    collective = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, campaigns, units=None, base_depth: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = campaigns
        if units is None:
            del self.fields["unit"]
        else:
            self.fields["unit"].queryset = units
            self.fields["unit"].base_depth = base_depth
        style_form(self)

    def filters(self) -> dict:
        """The keyword arguments of ``selectors.work_list`` (without ``collective``); invalid values are left out."""
        if not self.is_bound or not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "campaign": data.get("campaign"),
            "unit": data.get("unit"),
            "category": data.get("category", ""),
            "status": data.get("status", ""),
            "search": data.get("q", ""),
        }


class CaptionForm(forms.Form):
    caption = forms.CharField(label="图片说明", required=False, max_length=attachment1.CAPTION_MAX_CHARS)


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", "上移"), ("down", "下移")])


class ReorderForm(forms.Form):
    """The new order of a work's files, as comma-separated ids (from dragging)."""
    order = forms.CharField(max_length=2000)

    def clean_order(self) -> list[int]:
        try:
            return [int(part) for part in self.cleaned_data["order"].split(",") if part.strip()]
        except ValueError as error:
            raise forms.ValidationError("顺序格式不正确，请刷新页面后重试。") from error


class EssayTextForm(forms.Form):
    # The version of the work the text was loaded from (core.versions): two people pasting at once lose nothing.
    version = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    text = forms.CharField(
        label="征文正文", required=False, max_length=200_000,
        widget=forms.Textarea(attrs={"rows": 16, "class": "form-control", "x-ref": "field", "x-on:input": "update()"}),
    )


class ExtensionForm(forms.Form):
    """A deadline extension for one unit (and everything under it) or one collective."""
    target = forms.ChoiceField(
        label="延期对象", choices=[("unit", "单位（含其下所有集体）"), ("collective", "单个集体")],
        widget=forms.RadioSelect, initial="unit",
    )
    unit = UnitChoiceField(label="单位", queryset=None, required=False, empty_label="请选择单位")
    collective = CollectiveChoiceField(label="集体", queryset=None, required=False, empty_label="请选择集体")
    until = forms.DateTimeField(label="延期至", widget=LocalDateTimeInput(), help_text="北京时间。")
    reason = forms.CharField(label="延期理由", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, units, collectives, base_depth: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].base_depth = base_depth
        self.fields["collective"].queryset = collectives.select_related("unit").order_by("unit__path", "name", "id")
        style_form(self)

    def clean(self):
        data = super().clean()
        target = data.get("target")
        if target == "unit" and not data.get("unit"):
            self.add_error("unit", "请选择要延期的单位。")
        if target == "collective" and not data.get("collective"):
            self.add_error("collective", "请选择要延期的集体。")
        return data

    def grant_arguments(self) -> dict:
        data = self.cleaned_data
        unit = data["unit"] if data["target"] == "unit" else None
        collective = data["collective"] if data["target"] == "collective" else None
        return {"unit": unit, "collective": collective, "until": data["until"], "reason": data["reason"]}
