"""The naming list (命名名单) of a campaign, the annex of the official naming notice, as .docx and .xlsx
(``evaluation:naming_list_docx`` / ``naming_list_xlsx``).

Collectives are grouped by their unit, units in the tree's order (``selectors.naming.naming_list``), and numbered
1…N across the whole list; each row shows the host organisation and the collective's name. The title says what the
notice names: “2018年度威海市青年文明号命名名单”; a unit's admin gets the list of its own subtree, which the heading
says. Rows are plain data (``NamingListSection``) built by ``naming_list_sections``, so the exporters never query;
the .xlsx writes every cell through the exporter base (formula-safe text)."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import BinaryIO

from django.utils import timezone
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from wenminghao.core.exporters import Exporter, SpreadsheetExporter

from ..selectors.naming import NamingGroup

FONT_NAME = "Noto Sans SC"
HEADERS = ("序号", "所在单位", "集体名称")
XLSX_HEADERS = ("序号", "归口单位", "所在单位", "集体名称", "称号")
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass(frozen=True)
class NamingListEntry:
    number: int
    host_org: str
    collective: str
    title: str


@dataclass(frozen=True)
class NamingListSection:
    unit: str
    entries: list[NamingListEntry]


def naming_list_sections(groups: Iterable[NamingGroup]) -> list[NamingListSection]:
    """The list's sections from the selector's groups, numbered 1…N in order."""
    sections, number = [], 0
    for group in groups:
        entries = []
        for naming in group.namings:
            number += 1
            entries.append(NamingListEntry(number, naming.collective.host_org, naming.collective.name,
                                           naming.honour.title))
        sections.append(NamingListSection(group.unit.name, entries))
    return sections


def date_text(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


class NamingList(Exporter):
    """Base of both formats: the title, the scope (the office, or a unit for its subtree's list), the sections."""

    def __init__(self, *, title: str, scope: str, whole: bool, sections: Iterable[NamingListSection],
                 day: datetime.date | None = None):
        self.title = f"{title}命名名单"
        self.scope = scope
        self.whole = whole  # the whole campaign (the office's list), not one unit's part of it
        self.sections = list(sections)
        self.day = day or timezone.localdate()
        self.basename = self.title if whole else f"{self.title}-{scope}"

    @property
    def count(self) -> int:
        return sum(len(section.entries) for section in self.sections)

    def subtitle(self) -> str:
        where = "" if self.whole else f"{self.scope}范围内，"
        return f"（{where}共{self.count}个集体）"


class NamingListDocx(NamingList):
    identifier = "naming-list"
    extension = "docx"
    content_type = DOCX_CONTENT_TYPE

    def write(self, stream: BinaryIO) -> None:
        document = Document()
        section = document.sections[0]
        section.page_width, section.page_height = Cm(21.0), Cm(29.7)
        for side in ("left_margin", "right_margin"):
            setattr(section, side, Cm(2.5))
        normal = document.styles["Normal"]
        normal.font.name = FONT_NAME
        normal.font.size = Pt(12)
        normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT_NAME)

        heading = document.add_paragraph()
        heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = heading.add_run(self.title)
        run.bold = True
        run.font.size = Pt(18)
        subtitle = document.add_paragraph(self.subtitle())
        subtitle.alignment = WD_ALIGN_PARAGRAPH.CENTER

        rows = 1 + sum(1 + len(part.entries) for part in self.sections)
        table = document.add_table(rows=rows, cols=len(HEADERS))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table_rows = list(table.rows)  # indexing table.rows is linear: keep one list
        for cell, header in zip(table_rows[0].cells, HEADERS, strict=True):
            cell.text = header
            cell.paragraphs[0].runs[0].bold = True
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        index = 1
        for part in self.sections:
            cells = table_rows[index].cells
            merged = cells[0].merge(cells[-1])  # the unit's line across the table
            merged.text = f"{part.unit}（{len(part.entries)}个）"
            merged.paragraphs[0].runs[0].bold = True
            index += 1
            for entry in part.entries:
                cells = table_rows[index].cells
                cells[0].text = str(entry.number)
                cells[0].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
                cells[1].text = entry.host_org
                cells[2].text = entry.collective
                index += 1
        for column, width in zip(table.columns, (Cm(1.6), Cm(7.4), Cm(7.0)), strict=True):
            for cell in column.cells:
                cell.width = width
        if not self.sections:
            document.add_paragraph("本活动尚未命名任何集体。")
        footer = document.add_paragraph(date_text(self.day))
        footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        document.save(stream)


class NamingListXlsx(SpreadsheetExporter, NamingList):
    identifier = "naming-list"

    def write(self, stream: BinaryIO) -> None:
        book = self.workbook()
        sheet = book.active
        sheet.title = "命名名单"
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.print_title_rows = "3:3"
        widths = (7, 24, 34, 34, 26)
        for letter, width in zip("ABCDE", widths, strict=True):
            sheet.column_dimensions[letter].width = width
        thin = Side(style="thin")
        border = Border(left=thin, right=thin, top=thin, bottom=thin)
        wrap = Alignment(wrap_text=True, vertical="center")
        centre = Alignment(wrap_text=True, vertical="center", horizontal="center")
        sheet.merge_cells("A1:E1")
        title = self.put(sheet, 1, 1, self.title)
        title.font = Font(size=16, bold=True)
        title.alignment = Alignment(horizontal="center", vertical="center")
        sheet.row_dimensions[1].height = 30
        sheet.merge_cells("A2:E2")
        self.put(sheet, 2, 1, f"{self.subtitle()}　{date_text(self.day)}").alignment = centre
        for column, header in enumerate(XLSX_HEADERS, start=1):
            cell = self.put(sheet, 3, column, header)
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="F2DCDB")
            cell.alignment = centre
            cell.border = border
        sheet.freeze_panes = "A4"
        row = 4
        for part in self.sections:
            first = row
            for entry in part.entries:
                values = (entry.number, part.unit if row == first else None, entry.host_org, entry.collective,
                          entry.title)
                for column, value in enumerate(values, start=1):
                    cell = self.put(sheet, row, column, value)
                    cell.border = border
                    cell.alignment = centre if column in (1, 2) else wrap
                row += 1
            if row - 1 > first:
                sheet.merge_cells(start_row=first, start_column=2, end_row=row - 1, end_column=2)
        book.save(stream)


FORMATS: dict[str, type[NamingList]] = {"docx": NamingListDocx, "xlsx": NamingListXlsx}
