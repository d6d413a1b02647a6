"""The dashboard's .xlsx read back with openpyxl: the unit's figures (概况), the units side by side (单位对比) and every
collective lacking an activity (缺项集体), the same numbers as the page; the download is audited."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.evaluation import dashboard_data
from wenminghao.core.models import AuditEntry
from wenminghao.evaluation.exporters.dashboard import DashboardXlsx
from wenminghao.evaluation.selectors import dashboard as selectors

pytestmark = pytest.mark.django_db
campaign = dashboard_data.campaign  # the fixtures of the dashboard's world
dashboard_world = dashboard_data.dashboard_world


def download(client, campaign, unit=None):
    address = reverse("evaluation:dashboard_xlsx", args=[campaign.pk])
    response = client.get(address + (f"?unit={unit.pk}" if unit is not None else ""))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert "attachment" in response["Content-Disposition"]
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def overview(book) -> dict:
    return {row[0]: row[1] for row in book["概况"].iter_rows(min_row=5, values_only=True) if row and row[0]}


def test_the_sheets_and_the_figures_of_the_city(dashboard_world, campaign, users, signed_in):
    book = download(signed_in(users["city_admin"]), campaign)
    assert book.sheetnames == ["概况", "单位对比", "缺项集体"]
    figures = overview(book)
    assert book["概况"]["A1"].value == f"威海市团委 · {campaign.name} · 创建指标"
    expected = {
        "创建集体": 3, "其中：已接受": 1, "其中：待审核": 2,
        "对标创优：有记录的集体": 2, "对标创优：台账记录": 3, "对标创优：无记录的集体": 1,
        "青年大学习：有记录的集体": 2, "青年大学习：台账记录": 3, "助千家：无记录的集体": 2,
        "开放周：台账记录": 2, "青年大学习：学习次数": 3, "青年大学习：成员": 24, "青年大学习：参学成员": 13,
        "青年大学习：覆盖率": 0.541, "助千家：结对家庭": 3, "助千家：帮扶青少年": 6, "助千家：回头看次数": 3,
        "助千家：已回头看的结对": 2, "助千家：最近一次回头看为“已脱贫”": 1, "助千家：最近一次回头看为“未脱贫”": 1,
        "开放周：活动次数": 2, "开放周：参观人数": 46, "成果作品：已提交": 6, "成果作品：已推荐": 3,
        "创建结构：非公经济组织集体": 0.333, "创建结构：往届青年文明号集体": 0.0, "实地考察：次数": 0,
        "号长培训：号长未参训的集体": 3,
    }
    assert {key: figures[key] for key in expected} == expected
    months = {row[0]: row[1:] for row in book["概况"].iter_rows(values_only=True)
              if row and str(row[0]).startswith("2018-")}
    assert list(months) == [f"2018-{month:02d}" for month in range(1, 13)]
    assert months["2018-05"] == (1, 1, 1, 1, 4)


def test_the_units_side_by_side(dashboard_world, campaign, users, signed_in):
    sheet = download(signed_in(users["city_admin"]), campaign)["单位对比"]
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    assert header[:5] == ("单位", "创建集体", "已接受", "对标创优：有记录的集体", "对标创优：台账记录")
    by_unit = {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    assert list(by_unit) == ["环翠区团委", "文登区团委", "合计（威海市团委）"]
    assert by_unit["环翠区团委"]["创建集体"] == 2 and by_unit["环翠区团委"]["青年大学习：台账记录"] == 3
    assert by_unit["环翠区团委"]["参学覆盖率"] == 0.812 and by_unit["环翠区团委"]["非公经济组织集体占比"] == 0.5
    assert by_unit["文登区团委"]["已提交作品"] == 2 and by_unit["文登区团委"]["回头看次数"] == 1
    assert by_unit["合计（威海市团委）"]["帮扶青少年"] == 6
    assert sheet.cell(row=2, column=header.index("参学覆盖率") + 1).number_format == "0.0%"


def test_every_collective_lacking_an_activity(dashboard_world, campaign, users, signed_in):
    sheet = download(signed_in(users["unit_admin_a"]), campaign, dashboard_world["area_a"])["缺项集体"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("归口单位", "集体", "报备状态", "对标创优记录", "青年大学习记录", "助千家记录", "开放周记录",
                       "缺少的活动")
    assert rows[1:] == [("环翠楼街道团委", "环翠楼社区服务站", "待归口单位审核", 0, 2, 0, 1, "对标创优、助千家")]


def test_the_area_sheet_has_its_own_level(dashboard_world, campaign, users, signed_in):
    sheet = download(signed_in(users["unit_admin_a"]), campaign, dashboard_world["area_a"])["单位对比"]
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        "环翠楼街道团委", "环翠区团委本级直属", "合计（环翠区团委）"]


def test_the_download_is_audited(dashboard_world, campaign, users, signed_in):
    download(signed_in(users["unit_admin_a"]), campaign, dashboard_world["area_a"])
    entry = AuditEntry.objects.get(action="evaluation.indicators_export")
    assert entry.actor == users["unit_admin_a"] and entry.unit_path == dashboard_world["area_a"].path
    assert entry.after == {"format": "xlsx", "campaign": campaign.pk, "unit": dashboard_world["area_a"].pk,
                           "collectives": 2}


def test_the_missing_sheet_is_read_in_chunks(dashboard_world, campaign):
    """All of them, whatever their number: the queryset is read with ``iterator``, not loaded whole."""
    read = []

    class Watched:
        def iterator(self, chunk_size):
            read.append(chunk_size)
            return iter(selectors.creating_collectives(campaign, dashboard_world["city"], missing="any"))

    exporter = DashboardXlsx(selectors.dashboard(campaign, dashboard_world["city"]), Watched())
    book = load_workbook(io.BytesIO(exporter.to_bytes()))
    assert read == [500] and exporter.missing_count == 2
    assert book["缺项集体"].max_row == 3
