from django import forms

from wenminghao.core.forms import style_form

from .enums import CHILD_KINDS, UnitKind
from .models import Unit

UNIT_FIELDS = ("name", "short_name", "kind", "sort_order", "contact_name", "contact_phone", "email")



class UnitTreeChoiceField(forms.ModelChoiceField):
    """A unit <select> that shows the tree: each unit indented by its depth below ``base_depth``."""

    base_depth = 0

    def label_from_instance(self, obj) -> str:
        indent = "\u3000" * max(0, obj.depth - self.base_depth)
        return f"{indent}{obj.name}"


def unit_tree_field(units, *, base_depth: int, **kwargs) -> UnitTreeChoiceField:
    field = UnitTreeChoiceField(queryset=units.order_by("path"), **kwargs)
    field.base_depth = base_depth
    return field


class UnitForm(forms.ModelForm):
    """A unit's own fields. New units get a kind allowed under their parent (CHILD_KINDS); an existing
    unit keeps its kind and its place in the tree. Sibling units must have different names."""

    class Meta:
        model = Unit
        fields = UNIT_FIELDS
        help_texts = {
            "short_name": "用于列表和统计表，例如“高区”“经区”，可不填。",
            "sort_order": "同一上级单位下按此数字从小到大排列。",
        }

    def __init__(self, *args, parent: Unit | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.parent = parent
        if self.instance.pk:
            del self.fields["kind"]
        else:
            allowed = CHILD_KINDS.get(parent.kind, ()) if parent is not None else tuple(UnitKind)
            self.fields["kind"].choices = [(kind.value, kind.label) for kind in allowed]
            if allowed:
                self.fields["kind"].initial = allowed[0].value
        style_form(self)

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        siblings = Unit.objects.filter(parent=self.parent, name=name)
        if self.instance.pk:
            siblings = siblings.exclude(pk=self.instance.pk)
        if siblings.exists():
            where = f"“{self.parent.name}”下" if self.parent is not None else "顶层"
            raise forms.ValidationError(f"{where}已有名为“{name}”的单位，请换一个名称。")
        return name

    def clean_kind(self):
        kind = self.cleaned_data["kind"]
        if self.parent is not None and kind not in CHILD_KINDS.get(self.parent.kind, ()):
            allowed = "、".join(k.label for k in CHILD_KINDS.get(self.parent.kind, ())) or "无"
            raise forms.ValidationError(
                f"“{self.parent.get_kind_display()}”之下只能设立以下类型的单位：{allowed}。"
            )
        return kind

    def service_fields(self) -> dict:
        """The cleaned values for orgs.services (name and kind are passed separately on create)."""
        return {name: value for name, value in self.cleaned_data.items() if name in UNIT_FIELDS}
