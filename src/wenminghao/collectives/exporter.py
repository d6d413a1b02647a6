"""Excel files of the collectives pages: the filtered list, and the import template.

Both are ``core.exporters.SpreadsheetExporter``s (every cell formula-safe), fed by selectors. The list is written
with openpyxl's write-only workbook, reading the rows in chunks (one query per chunk plus its prefetches), so its
memory does not grow with the list.
"""


from django.db.models import Prefetch
from django.utils import timezone
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from wenminghao.core.exporters import SpreadsheetExporter

from .enums import HonourLevel, OrgType, Sector, WorkingUnitForm
from .importer import (
    COLLECTIVE_COLUMNS,
    COLLECTIVE_SHEET,
    DATE_HINT,
    GUIDE_SHEET,
    MEMBER_COLUMNS,
    MEMBER_SHEET,
    NO,
    UNIT_LIST_SHEET,
    YES,
    choice_labels,
    format_honours,
)
from .models import Member

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="F2DCDB")
REQUIRED_FILL = PatternFill("solid", fgColor="F8CBAD")


class CollectiveListExporter(SpreadsheetExporter):
    """The collectives of a (filtered) list, one row each, with Chinese headers."""

    identifier = "collectives"
    headers = [column.header for column in COLLECTIVE_COLUMNS] + ["成员人数", "号长", "号长出生日期"]
    widths = [30, 26, 18, 18, 14, 12, 10, 16, 40, 16, 48, 10, 10, 14]

    def __init__(self, queryset):
        """``queryset``: ``selectors.collective_list(...)`` (visible, filtered, with member_count)."""
        self.queryset = queryset

    def filename(self) -> str:
        return f"集体名单-{timezone.localdate():%Y%m%d}.{self.extension}"

    def rows(self):
        queryset = self.queryset.prefetch_related(
            "honours",
            Prefetch("members", queryset=Member.objects.filter(is_leader=True), to_attr="leaders"),
        )
        for collective in queryset.iterator(chunk_size=1000):
            leader = collective.leaders[0] if collective.leaders else None
            yield [
                collective.name,
                collective.host_org,
                collective.unit.name,
                collective.get_sector_display(),
                collective.get_org_type_display(),
                collective.get_unit_form_display(),
                collective.contact_name,
                collective.contact_phone,
                collective.public_commitment,
                collective.supervision_phone,
                format_honours(collective.honours.all()),
                collective.member_count,
                leader.name if leader else "",
                leader.birth_date if leader else None,
            ]

    def write(self, stream) -> None:
        workbook = self.workbook(write_only=True)
        sheet = workbook.create_sheet(COLLECTIVE_SHEET)
        for index, width in enumerate(self.widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.freeze_panes = "A2"
        self.append(sheet, self.headers, font=HEADER_FONT, fill=HEADER_FILL)
        for values in self.rows():
            self.append(sheet, values)
        workbook.save(stream)


class ImportTemplateExporter(SpreadsheetExporter):
    """The import template: sheets 集体 and 成员 with headers and drop-down lists of the Chinese labels,
    the units the uploader may import into, and a sheet of instructions."""

    identifier = "collectives-import-template"
    data_rows = 2000

    def __init__(self, *, units, default_unit):
        self.units = list(units)
        self.default_unit = default_unit

    def filename(self) -> str:
        return f"集体导入模板.{self.extension}"

    def write(self, stream) -> None:
        workbook = self.workbook()
        collectives = workbook.active
        collectives.title = COLLECTIVE_SHEET
        members = workbook.create_sheet(MEMBER_SHEET)
        units = workbook.create_sheet(UNIT_LIST_SHEET)
        guide = workbook.create_sheet(GUIDE_SHEET)

        self._headers(collectives, COLLECTIVE_COLUMNS, widths=[30, 26, 20, 20, 16, 14, 10, 16, 40, 16, 50])
        self._headers(members, MEMBER_COLUMNS, widths=[30, 12, 14, 18, 10])
        self.append(units, ["归口单位名称", "上级单位"], font=HEADER_FONT)
        units.column_dimensions["A"].width = 36
        units.column_dimensions["B"].width = 30
        for unit in self.units:
            self.append(units, [unit.name, unit.parent.name if unit.parent_id else ""])

        last = self.data_rows + 1
        keys = [column.key for column in COLLECTIVE_COLUMNS]
        for key, choices in (("sector", Sector), ("org_type", OrgType), ("unit_form", WorkingUnitForm)):
            self._list(collectives, keys.index(key), last, f'"{",".join(choice_labels(choices))}"')
        if self.units:
            source = f"{quote_sheetname(UNIT_LIST_SHEET)}!$A$2:$A${len(self.units) + 1}"
            self._list(collectives, keys.index("unit"), last, source, allow_blank=True, strict=False)
        member_keys = [column.key for column in MEMBER_COLUMNS]
        self._list(members, member_keys.index("is_leader"), last, f'"{YES},{NO}"', allow_blank=True)
        date_column = get_column_letter(member_keys.index("birth_date") + 1)
        for row in range(2, last + 1):
            members[f"{date_column}{row}"].number_format = "yyyy-mm-dd"

        self._guide(guide)
        workbook.save(stream)

    def _headers(self, sheet, columns, *, widths) -> None:
        sheet.append([self.cell(sheet, column.header, font=HEADER_FONT,
                                fill=REQUIRED_FILL if column.required else HEADER_FILL) for column in columns])
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.freeze_panes = "A2"

    @staticmethod
    def _list(sheet, index: int, last: int, formula: str, *, allow_blank: bool = False, strict: bool = True) -> None:
        letter = get_column_letter(index + 1)
        validation = DataValidation(
            type="list", formula1=formula, allow_blank=allow_blank, showDropDown=False,
            showErrorMessage=strict, errorTitle="请从列表中选择", error="请从下拉列表中选择一个可选值。",
        )
        sheet.add_data_validation(validation)
        validation.add(f"{letter}2:{letter}{last}")

    def _guide(self, sheet) -> None:
        default = self.default_unit.name if self.default_unit else ""
        lines = [
            "集体导入模板填写说明",
            "",
            f"1. “{COLLECTIVE_SHEET}”表每行一个集体，从第2行开始填写；标红色表头的列必须填写。",
            f"2. “归口单位”填写“{UNIT_LIST_SHEET}”表中的单位名称；留空即为您所在的单位（{default}）。"
            "有同名单位时写成“上级单位/单位”。",
            f"3. 行业类别：{'、'.join(choice_labels(Sector))}。",
            f"4. 单位性质：{'、'.join(choice_labels(OrgType))}。",
            f"5. 工作单元形式：{'、'.join(choice_labels(WorkingUnitForm))}。",
            f"6. “荣誉”写成“级别:年度:称号”，多项之间用“；”分隔，级别为{'、'.join(choice_labels(HonourLevel))}，"
            "例如：区市级:2016:环翠区青年文明号；市级:2017:威海市青年文明号",
            f"7. “{MEMBER_SHEET}”表每行一位成员，“集体名称”须与“{COLLECTIVE_SHEET}”表中的集体名称完全一致；"
            f"出生日期{DATE_HINT.removeprefix('请')}；“是否号长”填“是”或“否”，每个集体只能有一位号长。",
            "8. 已存在的集体（同一归口单位、所在单位和集体名称）不能重复导入。",
            "9. 文件中只要有一行有误，整个文件都不会导入；请按提示修改全部问题后重新上传。",
            "",
            "示例（集体表）：",
            " | ".join(column.header for column in COLLECTIVE_COLUMNS),
            " | ".join(column.example for column in COLLECTIVE_COLUMNS),
            "示例（成员表）：",
            " | ".join(column.header for column in MEMBER_COLUMNS),
            " | ".join(column.example for column in MEMBER_COLUMNS),
        ]
        sheet.column_dimensions["A"].width = 120
        for line in lines:
            self.append(sheet, [line], alignment=Alignment(wrap_text=True))
        sheet["A1"].font = Font(bold=True, size=14)
