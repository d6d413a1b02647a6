import datetime
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from tests import factories
from wenminghao.collectives.importer import parse_date
from wenminghao.collectives.models import Collective, Honour, Member
from wenminghao.core.models import AuditEntry

IMPORT_URL = reverse("collectives:import")
TEMPLATE_URL = reverse("collectives:import_template")

COLLECTIVE_HEADERS = ["集体名称", "所在单位", "归口单位", "行业类别", "单位性质", "工作单元形式", "联系人", "联系电话",
                      "示范承诺", "监督电话", "荣誉"]
MEMBER_HEADERS = ["集体名称", "姓名", "出生日期", "岗位", "是否号长"]


def collective_row(name="荣成市石岛港务窗口", *, host_org="荣成市石岛港务局", unit="", sector="服务行业和窗口单位",
                   org_type="国有企业", unit_form="窗口", contact="周联系", phone="13812345678",
                   commitment="安全高效", supervision="0631-7654321", honours=""):
    return [name, host_org, unit, sector, org_type, unit_form, contact, phone, commitment, supervision, honours]


def workbook_bytes(collective_rows, member_rows, *, collective_headers=None, member_headers=None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "集体"
    sheet.append(collective_headers or COLLECTIVE_HEADERS)
    for row in collective_rows:
        sheet.append(row)
    members = workbook.create_sheet("成员")
    members.append(member_headers or MEMBER_HEADERS)
    for row in member_rows:
        members.append(row)
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def upload(client, content: bytes, name="集体名单.xlsx"):
    return client.post(IMPORT_URL, {"file": SimpleUploadedFile(name, content)})


def messages_of(response) -> list[str]:
    return [violation.message for violation in response.context["violations"]]


# --- the template --------------------------------------------------------------------------------

def test_template_downloads_with_sheets_and_dropdowns(users, tree, signed_in):
    response = signed_in(users["unit_admin_a"]).get(TEMPLATE_URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.sheetnames[:2] == ["集体", "成员"]
    assert [cell.value for cell in workbook["集体"][1]] == COLLECTIVE_HEADERS
    assert [cell.value for cell in workbook["成员"][1]] == MEMBER_HEADERS
    formulas = {validation.formula1 for validation in workbook["集体"].data_validations.dataValidation}
    assert '"生产经营,行政管理,服务行业和窗口单位,生产科研"' in formulas
    assert '"国有企业,机关事业单位,非公经济组织,社会组织"' in formulas
    assert any("归口单位列表" in formula for formula in formulas)
    member_formulas = {v.formula1 for v in workbook["成员"].data_validations.dataValidation}
    assert '"是,否"' in member_formulas
    unit_names = [row[0] for row in workbook["归口单位列表"].iter_rows(min_row=2, values_only=True)]
    assert sorted(unit_names) == sorted(["环翠区团委", "环翠楼街道团委"])


def test_template_round_trip_imports(users, tree, signed_in):
    client = signed_in(users["unit_admin_a"])
    workbook = load_workbook(io.BytesIO(b"".join(client.get(TEMPLATE_URL).streaming_content)))
    workbook["集体"].append(collective_row(unit="环翠楼街道团委",
                                           honours="区市级:2016:环翠区青年文明号；市级:2017:威海市青年文明号"))
    workbook["集体"].append(collective_row("环翠区人民医院急诊科", host_org="环翠区人民医院", unit=""))
    members = workbook["成员"]
    members.append(["荣成市石岛港务窗口", "吴号长", datetime.datetime(1985, 3, 1), "班长", "是"])
    members.append(["荣成市石岛港务窗口", "郑成员", "1996-07-15", "调度员", "否"])
    members.append(["荣成市石岛港务窗口", "冯成员", "1997/1/2", "", ""])
    members.append(["环翠区人民医院急诊科", "陈护士", "1994年5月6日", "护士", "是"])
    stream = io.BytesIO()
    workbook.save(stream)

    response = upload(client, stream.getvalue())
    assert response.status_code == 200
    summary = response.context["summary"]
    assert (summary.collectives, summary.members, summary.honours) == (2, 4, 2)
    assert "已导入 <strong>2</strong> 个集体、<strong>4</strong> 位成员" in response.content.decode()

    port = Collective.objects.get(name="荣成市石岛港务窗口")
    assert port.unit == tree["sub_a"]
    assert (port.sector, port.org_type, port.unit_form) == ("service", "state_enterprise", "window")
    assert port.contact_phone == "13812345678"
    assert [(m.name, m.birth_date, m.is_leader) for m in port.members.all()] == [
        ("吴号长", datetime.date(1985, 3, 1), True),
        ("郑成员", datetime.date(1996, 7, 15), False),
        ("冯成员", datetime.date(1997, 1, 2), False),
    ]
    assert sorted(port.honours.values_list("level", "year", "title")) == [
        ("city", 2017, "威海市青年文明号"), ("district", 2016, "环翠区青年文明号")]
    hospital = Collective.objects.get(name="环翠区人民医院急诊科")
    assert hospital.unit == tree["area_a"]  # blank 归口单位: the uploader's own unit
    created = AuditEntry.objects.filter(action="collective.create", object_id__in=[str(port.pk), str(hospital.pk)])
    assert created.count() == 2


def test_numeric_phone_cells_are_kept_as_text(users, tree, signed_in):
    content = workbook_bytes([collective_row(phone=13812345678)], [])
    response = upload(signed_in(users["unit_admin_a"]), content)
    assert response.context["summary"].collectives == 1
    assert Collective.objects.get(name="荣成市石岛港务窗口").contact_phone == "13812345678"


# --- bad rows: everything reported, nothing written ------------------------------------------------

def test_import_reports_every_bad_row_and_writes_nothing(users, tree, signed_in):
    before = (Collective.objects.count(), Member.objects.count(), Honour.objects.count(), AuditEntry.objects.count())
    content = workbook_bytes(
        [
            collective_row("正确的集体"),
            collective_row("行业错误的集体", sector="制造业"),
            collective_row("", contact=""),
            collective_row("外单位的集体", unit="文登区团委"),
            collective_row("荣誉错误的集体", honours="市级-2017-威海市青年文明号；县级:2016:某称号"),
            collective_row(tree["collective_a"].name, host_org=tree["collective_a"].host_org),
            collective_row("行业错误的集体"),
        ],
        [
            ["正确的集体", "甲", "1990-01-31", "岗位", "是"],
            ["正确的集体", "乙", "1990/13/01", "岗位", "否"],
            ["正确的集体", "丙", "1991-02-03", "岗位", "是"],
            ["不存在的集体", "丁", "1992-02-03", "", ""],
            ["正确的集体", "", "1992-02-03", "", "可能"],
        ],
    )
    response = upload(signed_in(users["unit_admin_a"]), content)
    assert response.status_code == 422  # refused, with every bad row
    assert "summary" not in response.context
    found = messages_of(response)
    expected = [
        "集体表第3行：行业类别“制造业”不是可选值，请从下拉列表中选择：生产经营、行政管理、服务行业和窗口单位、生产科研",
        "集体表第4行：“集体名称”不能为空",
        "集体表第4行：“联系人”不能为空",
        "集体表第5行：归口单位“文登区团委”不在您管理的单位中",
        "集体表第6行：荣誉“市级-2017-威海市青年文明号”格式不对",
        "集体表第6行：荣誉“县级:2016:某称号”中的级别“县级”不是可选值",
        f"集体表第7行：归口单位“环翠区团委”下已有所在单位为“{tree['collective_a'].host_org}”、"
        f"名称为“{tree['collective_a'].name}”的集体，不能重复导入",
        "集体表第8行：与第3行重复",
        "成员表第3行：出生日期“1990/13/01”无法识别，请使用 1990-01-31 格式",
        "成员表第4行：集体“正确的集体”已在成员表第2行指定了号长",
        "成员表第5行：集体名称“不存在的集体”在集体表中找不到",
        "成员表第6行：“姓名”不能为空",
        "成员表第6行：是否号长“可能”请填写“是”或“否”",
    ]
    for start in expected:
        assert any(message.startswith(start) for message in found), (start, found)
    assert len(found) == len(expected)
    page = response.content.decode()
    assert "成员表第3行：出生日期“1990/13/01”无法识别，请使用 1990-01-31 格式" in page
    after = (Collective.objects.count(), Member.objects.count(), Honour.objects.count(), AuditEntry.objects.count())
    assert after == before


def test_a_valid_row_is_not_imported_when_another_row_is_bad(users, tree, signed_in):
    content = workbook_bytes(
        [collective_row("好集体"), collective_row("坏集体", org_type="私营")],
        [["好集体", "甲", "1990-01-31", "", "是"], ["坏集体", "乙", "1990-01-31", "", "是"]],
    )
    found = messages_of(upload(signed_in(users["unit_admin_a"]), content))
    assert found == [
        "集体表第3行：单位性质“私营”不是可选值，请从下拉列表中选择：国有企业、机关事业单位、非公经济组织、社会组织"
    ]
    assert not Collective.objects.filter(name__in=["好集体", "坏集体"]).exists()
    assert not Member.objects.filter(name="甲").exists()


def test_member_of_an_ambiguous_collective_name_is_an_error(users, tree, signed_in):
    content = workbook_bytes(
        [collective_row("同名窗口", host_org="甲单位"), collective_row("同名窗口", host_org="乙单位")],
        [["同名窗口", "甲", "1990-01-31", "", ""]],
    )
    found = messages_of(upload(signed_in(users["unit_admin_a"]), content))
    assert found == ["成员表第2行：集体名称“同名窗口”在集体表中出现了多次（第2、3行），无法确定成员属于哪一个集体"]
    assert not Collective.objects.filter(name="同名窗口").exists()


def test_unit_with_a_duplicated_name_needs_its_parent(users, tree, signed_in):
    factories.unit(parent=tree["sub_a"], name="环翠楼街道团委", kind="area")  # same name one level down
    client = signed_in(users["unit_admin_a"])
    found = messages_of(upload(client, workbook_bytes([collective_row(unit="环翠楼街道团委")], [])))
    assert found == ["集体表第2行：归口单位“环翠楼街道团委”有多个同名单位，请写成“上级单位/单位”，"
                     "例如“环翠区团委/环翠楼街道团委”"]
    response = upload(client, workbook_bytes([collective_row(unit="环翠区团委/环翠楼街道团委")], []))
    assert response.context["summary"].collectives == 1
    assert Collective.objects.get(name="荣成市石岛港务窗口").unit == tree["sub_a"]


def test_missing_sheet_and_missing_headers_are_reported(users, tree, signed_in):
    client = signed_in(users["unit_admin_a"])
    workbook = Workbook()
    workbook.active.title = "Sheet1"
    stream = io.BytesIO()
    workbook.save(stream)
    found = messages_of(upload(client, stream.getvalue()))
    assert found[0] == "文件中缺少名为“集体”的工作表（现有工作表：“Sheet1”）。请使用导入模板。"
    content = workbook_bytes([collective_row()], [], collective_headers=["集体名称", "所在单位"])
    found = messages_of(upload(client, content))
    assert found == [
        "集体表：第1行（表头）缺少列：行业类别、单位性质、工作单元形式、联系人、联系电话。请使用导入模板，不要修改表头。"
    ]


def test_empty_collective_sheet_is_reported(users, tree, signed_in):
    found = messages_of(upload(signed_in(users["unit_admin_a"]), workbook_bytes([], [])))
    assert found == ["“集体”工作表中没有数据：请从第2行起每行填写一个集体。"]


# --- files that are not .xlsx ---------------------------------------------------------------------

def test_non_xlsx_upload_is_refused(users, tree, signed_in):
    client = signed_in(users["unit_admin_a"])
    found = messages_of(upload(client, "集体名称,所在单位\n".encode(), name="名单.csv"))
    assert found == ["只能导入 Excel 工作簿（.xlsx）文件，“名单.csv”不是 .xlsx 文件。请下载导入模板，填写后上传。"]
    found = messages_of(upload(client, b"\xd0\xcf\x11\xe0old excel", name="名单.xls"))
    assert "旧版 Excel 文件" in found[0]


def test_renamed_or_corrupt_file_is_refused(users, tree, signed_in):
    client = signed_in(users["unit_admin_a"])
    found = messages_of(upload(client, b"just text", name="名单.xlsx"))
    assert found[0].startswith("无法读取“名单.xlsx”：文件内容不是有效的 Excel 工作簿")
    not_a_workbook = io.BytesIO()
    with zipfile.ZipFile(not_a_workbook, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    found = messages_of(upload(client, not_a_workbook.getvalue(), name="其实是文档.xlsx"))
    assert found[0].startswith("无法读取“其实是文档.xlsx”")
    broken = workbook_bytes([collective_row()], [])[:400]  # a zip cut short
    found = messages_of(upload(client, broken, name="损坏.xlsx"))
    assert found[0].startswith("无法读取“损坏.xlsx”")
    assert not Collective.objects.filter(name="荣成市石岛港务窗口").exists()


def test_too_large_file_is_refused(users, tree, signed_in, settings):
    settings.WMH_IMPORT_MAX_BYTES = 1024 * 1024
    content = b"PK\x03\x04" + b"0" * (1024 * 1024 + 10)
    found = messages_of(upload(signed_in(users["unit_admin_a"]), content, name="大文件.xlsx"))
    assert found == ["文件“大文件.xlsx”大小为1.0 MB，超过了 1 MB 的上限。请删除无关的工作表或分批导入。"]


# --- who may import -------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ["leader_a", "judge"])
def test_import_is_forbidden_to_non_admins(users, signed_in, role):
    client = signed_in(users[role])
    assert client.get(IMPORT_URL).status_code == 403
    assert client.get(TEMPLATE_URL).status_code == 403


def test_import_page_renders(users, signed_in):
    response = signed_in(users["unit_admin_a"]).get(IMPORT_URL)
    assert response.status_code == 200
    assert "下载导入模板" in response.content.decode()


# --- dates ----------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1990-01-31", datetime.date(1990, 1, 31)),
        ("1990/1/31", datetime.date(1990, 1, 31)),
        ("1990.01.31", datetime.date(1990, 1, 31)),
        ("19900131", datetime.date(1990, 1, 31)),
        (19900131, datetime.date(1990, 1, 31)),
        ("1990年1月31日", datetime.date(1990, 1, 31)),
        (datetime.datetime(1990, 1, 31), datetime.date(1990, 1, 31)),
        (32904, datetime.date(1990, 1, 31)),  # an Excel serial number
        ("1990/13/01", None),
        ("1990-02-30", None),
        ("31/01/1990", None),
        ("不详", None),
    ],
)
def test_parse_date(value, expected):
    assert parse_date(value) == expected
