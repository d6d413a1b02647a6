"""core.forms.PlainSelect writes the same <select> as Django's template-rendered Select, and style_form gives it to
every plain Select (the filter forms' long option lists)."""

from html.parser import HTMLParser

import pytest
from django import forms

from wenminghao.core.forms import PlainSelect, style_form

CHOICES = [("", "全部"), ("a", "A<b>"), ("组", [("x", "X"), ("y", "Y & \"Z\"")]), (None, "空"), (3, "三"),
           ("a", "重复的a")]


class Parsed(HTMLParser):
    def __init__(self, html: str):
        super().__init__()
        self.items = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.items.append(("start", tag, sorted(attrs)))

    def handle_endtag(self, tag):
        self.items.append(("end", tag))

    def handle_data(self, data):
        if data.strip():
            self.items.append(("text", data))


@pytest.mark.parametrize("value", ["a", "y", "", None, 3, "3", "not a choice", ["x"]])
@pytest.mark.parametrize("attrs", [{"id": "id_f"}, {"id": "id_f", "required": True, "disabled": False}])
def test_same_html_as_djangos_select(value, attrs):
    django_html = forms.Select(choices=CHOICES, attrs={"class": "form-select"}).render("f", value, attrs=attrs)
    plain_html = PlainSelect(choices=CHOICES, attrs={"class": "form-select"}).render("f", value, attrs=attrs)
    assert Parsed(plain_html).items == Parsed(django_html).items


def test_model_choices_and_style_form(db):
    from wenminghao.orgs.enums import UnitKind
    from wenminghao.orgs.models import Unit
    from wenminghao.orgs.services import create_unit

    create_unit(actor=None, parent=None, name="威海市团委", kind=UnitKind.CITY)

    class FilterForm(forms.Form):
        unit = forms.ModelChoiceField(queryset=Unit.objects.order_by("pk"), required=False, empty_label="全部单位")
        status = forms.ChoiceField(choices=[("", "全部"), ("open", "进行中")], required=False)
        many = forms.MultipleChoiceField(choices=[("a", "A")], required=False)

    form = style_form(FilterForm({"status": "open"}))
    assert type(form.fields["status"].widget) is PlainSelect
    assert type(form.fields["unit"].widget) is PlainSelect
    assert type(form.fields["many"].widget) is forms.SelectMultiple  # multiple choice keeps Django's widget
    html = str(form["status"])
    assert '<option value="open" selected>进行中</option>' in html and 'class="form-select"' in html
    assert '<option value="" selected>全部单位</option>' in str(form["unit"])
