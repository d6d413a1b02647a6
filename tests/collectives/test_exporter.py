import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests import factories
from wenminghao.collectives.enums import OrgType, Sector

EXPORT_URL = reverse("collectives:export")


def exported_rows(response) -> list[tuple]:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.sheetnames == ["集体"]
    return list(workbook["集体"].iter_rows(values_only=True))


def test_export_contains_visible_collectives_with_chinese_headers(users, tree, signed_in):
    rows = exported_rows(signed_in(users["unit_admin_a"]).get(EXPORT_URL))
    assert rows[0] == (
        "集体名称", "所在单位", "归口单位", "行业类别", "单位性质", "工作单元形式", "联系人", "联系电话",
        "示范承诺", "监督电话", "荣誉", "成员人数", "号长", "号长出生日期",
    )
    by_name = {row[0]: row for row in rows[1:]}
    assert sorted(by_name) == sorted(["环翠区政务服务中心窗口", "环翠楼社区服务站"])
    row = by_name["环翠区政务服务中心窗口"]
    assert row[1:8] == ("测试所在单位", "环翠区团委", "服务行业和窗口单位", "国有企业", "窗口", "张联系", "13800000000")
    assert row[10] == "区市级:2016:2016年度district青年文明号"
    assert row[11:13] == (8, "成员1")
    assert row[13] == datetime.datetime(1985, 1, 1)


def test_export_applies_the_list_filters(users, tree, signed_in):
    factories.collective(unit=tree["area_b"], name="文登社会组织服务队", org_type=OrgType.SOCIAL, sector=Sector.SERVICE)
    client = signed_in(users["city_admin"])
    rows = exported_rows(client.get(EXPORT_URL, {"org_type": OrgType.SOCIAL}))
    assert [row[0] for row in rows[1:]] == ["文登社会组织服务队"]
    rows = exported_rows(client.get(EXPORT_URL, {"unit": tree["area_a"].pk, "q": "社区"}))
    assert [row[0] for row in rows[1:]] == ["环翠楼社区服务站"]


def test_export_keeps_formula_like_text_as_text(users, tree, signed_in):
    factories.collective(unit=tree["area_a"], name='=HYPERLINK("http://example.com","点我")')
    response = signed_in(users["unit_admin_a"]).get(EXPORT_URL, {"q": "HYPERLINK"})
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    cell = workbook["集体"]["A2"]
    assert cell.value == '=HYPERLINK("http://example.com","点我")'
    assert cell.data_type == "s"


@pytest.mark.parametrize("extra", [0, 4])
def test_export_query_count_does_not_grow_with_rows(users, tree, signed_in, django_assert_num_queries, extra):
    for index in range(extra):
        factories.collective(unit=tree["area_b"], name=f"导出集体{index}", honours=[("city", 2017)])
    client = signed_in(users["unit_admin_b"])
    # session, user, user's unit, the rows, their honours, their leaders
    with django_assert_num_queries(6):
        rows = exported_rows(client.get(EXPORT_URL))
    assert len(rows) == 2 + extra


def test_export_is_404_for_non_admins(users, signed_in):
    assert signed_in(users["leader_a"]).get(EXPORT_URL).status_code == 404
    assert signed_in(users["judge"]).get(EXPORT_URL).status_code == 404
