"""The naming's “Done when” on a 360×740 phone with the demo data (issue 11, items 6 and 7).

``city`` opens 命名 of the current city campaign, ticks three accepted creating collectives that hold only
district titles (碳纤维工程技术中心 ``gq_tqw``, 青年路支行营业部 ``jr_yyb``, 鲸园街道乐龄社会工作服务站
``jy_lele``), confirms the dialog, and sees them on the 已命名 tab; downloads the 命名名单 (.xlsx: the three, by
unit); the province-level campaign of the same year now accepts the three on the prior-honour rule. It opens one
title from the collective's page and revokes it (refused without a reason, then confirmed with one): that
collective fails the rule again, with the message naming the revoked title. The pages never scroll sideways."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from wenminghao.accounts.models import User
from wenminghao.campaigns.eligibility import check_collective
from wenminghao.campaigns.models import Campaign
from wenminghao.collectives.models import Honour

from .conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "wenming2018"
CHOSEN = ("gq_tqw", "jr_yyb", "jy_lele")
PRIOR = "eligibility.prior_honour"


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path / "media")}}}
    call_command("load_demo_data", verbosity=0)
    campaigns = Campaign.objects.filter(office__name="威海市团委").order_by("-year", "-id")
    city = campaigns.filter(level="city").first()
    province = campaigns.filter(level="province", year=city.year).first()
    collectives = {key: User.objects.get(username=key).collective for key in CHOSEN}
    return city, province, collectives


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def prior_honour(campaign, collective):
    collective.refresh_from_db()
    return next((v for v in check_collective(campaign, collective) if v.code == PRIOR), None)


def test_the_city_names_three_collectives_and_revokes_one_on_a_phone(page, screenshot, demo):
    city_campaign, province, collectives = demo
    assert all(prior_honour(province, collective) for collective in collectives.values())

    sign_in(page, "city", PASSWORD)
    page.goto(f"/evaluation/campaigns/{city_campaign.pk}/namings/")
    assert no_sideways_scroll(page)
    for collective in collectives.values():
        page.get_by_label(f"命名{collective.name}").check()
    screenshot("ticked")
    page.once("dialog", lambda dialog: dialog.accept() if "3 个集体" in dialog.message else dialog.dismiss())
    with page.expect_navigation():
        page.get_by_test_id("name-button").click()
    named = page.get_by_test_id("named")
    for collective in collectives.values():
        assert collective.name in named.inner_text()
    assert f"{city_campaign.year}年度威海市青年文明号" in named.inner_text()
    assert no_sideways_scroll(page)
    screenshot("named")

    with page.expect_download() as download:
        page.get_by_role("link", name="命名名单（Excel）").click()
    sheet = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))["命名名单"]
    names = [row[3] for row in sheet.iter_rows(min_row=4, values_only=True)]
    assert sorted(names) == sorted(collective.name for collective in collectives.values())

    assert all(prior_honour(province, collective) is None for collective in collectives.values())

    lost = collectives["jr_yyb"]
    honour = Honour.objects.get(collective=lost, awarded_by__isnull=False)
    page.goto(f"/collectives/{lost.pk}/")
    with page.expect_navigation():
        page.get_by_test_id("honours").get_by_role("link", name=honour.title, exact=True).click()
    page.get_by_text("撤销称号", exact=True).first.click()  # open the section
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.get_by_test_id("revoke-form").get_by_role("button", name="撤销称号").click()
    assert "请填写撤销理由" in page.content()
    page.get_by_test_id("revoke-form").get_by_label("撤销理由").fill("经核实的群众投诉：窗口服务态度恶劣")
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.get_by_test_id("revoke-form").get_by_role("button", name="撤销称号").click()
    assert "已撤销" in page.content()
    assert no_sideways_scroll(page)
    screenshot("revoked")

    message = prior_honour(province, lost).message
    assert f"该集体的{city_campaign.year}年市级称号已被撤销，不再计入" in message
    assert all(prior_honour(province, collectives[key]) is None for key in ("gq_tqw", "jy_lele"))
