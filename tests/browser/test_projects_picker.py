"""The joint projects' form on a phone, in Chromium at 360×740: 环翠区's admin picks the lead and a partner with the
collective picker (type a few characters, tick a result), a refused form keeps them, the project is created; on its
page another partner is added with the same picker, which no longer offers the project's partners. Skips, saying why,
without Chromium (tests/browser/conftest.py)."""

import pytest

from tests import factories
from wenminghao.orgs.enums import UnitKind
from wenminghao.projects.models import Project

from .conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _pick(page, field: str, search: str, name: str) -> None:
    picker = page.get_by_test_id(f"picker-{field}")
    picker.locator("[data-picker-search]").fill(search)
    option = picker.locator("[data-picker-options] li", has_text=name)
    option.locator("input[type=checkbox]").check()
    picked = picker.locator("[data-picker-picked] li", has_text=name)
    assert picked.locator("input[type=checkbox]").is_checked()


def test_an_admin_picks_the_collectives_of_a_project_on_a_phone(page, screenshot, tree, users):
    a, b, sub = tree["collective_a"], tree["collective_b"], tree["collective_sub"]
    other_city = factories.unit(name="烟台市团委", kind=UnitKind.CITY)
    factories.collective(unit=other_city, name="烟台市政务服务中心窗口")

    sign_in(page, "huancui", factories.PASSWORD)
    page.goto("/projects/new/")
    page.get_by_label("项目名称").fill("两区窗口区域联创")
    _pick(page, "lead", "政务", a.name)
    # partners come from the whole city, never another city's
    partners = page.get_by_test_id("picker-partners")
    partners.locator("[data-picker-search]").fill("政务服务中心")
    partners.locator("[data-picker-options] li").first.wait_for()
    assert "烟台" not in partners.locator("[data-picker-options]").inner_text()
    _pick(page, "partners", "文登", b.name)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot("picked")

    page.get_by_test_id("save-project").click()  # no goals yet: refused, the picked ones kept
    page.wait_for_load_state("networkidle")
    assert "请填写项目目标" in page.content()
    assert page.get_by_test_id("picker-lead").locator("[data-picker-picked] input").is_checked()
    assert b.name in page.get_by_test_id("picker-partners").locator("[data-picker-picked]").inner_text()
    page.get_by_label("项目目标").fill("统一两区窗口服务标准。")
    page.get_by_test_id("save-project").click()
    page.wait_for_url("**/projects/*/")
    project = Project.objects.get()
    assert project.lead == a and set(project.partners.values_list("collective_id", flat=True)) == {a.pk, b.pk}

    adding = page.get_by_test_id("picker-collective")
    adding.locator("[data-picker-search]").fill("环翠")
    adding.locator("[data-picker-options] li", has_text=sub.name).wait_for()
    assert a.name not in adding.locator("[data-picker-options]").inner_text()  # already a partner
    _pick(page, "collective", "环翠", sub.name)
    page.get_by_test_id("add-partner").click()
    page.wait_for_load_state("networkidle")
    assert project.partners.filter(collective=sub).exists()
    assert f"已添加{sub.name}为参与集体" in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot("added")
