"""The Attachment 2 summary table (“青年文明号”创建推荐成果汇总表, DOMAIN.md "Attachment 2") as .docx, .xlsx and .pdf.

One table per reporting unit: the title, 报送单位（加盖公章） with the unit's name, 报送日期 with the date, then the
columns 作品类别 | 作品名称 | 展示形式 | 创作集体 | 集体联系人及联系方式, rows grouped by category in the official
order with the category cell merged over its rows, on A4 landscape with room for the seal. Used by a unit (its
recommended works) and by the city (forwarded works: the province package). Rows are plain data (``SummaryRow``),
built from works by ``rows_from_works`` so the exporters never query.
"""

from __future__ import annotations

import datetime
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path
from typing import BinaryIO

from django.utils import timezone
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.oxml.simpletypes import ST_Merge
from docx.shared import Cm, Pt
from fpdf import FPDF
from openpyxl.styles import Alignment, Border, Font, Side

from wenminghao.core.exporters import Exporter, SpreadsheetExporter
from wenminghao.works.enums import Category, DisplayForm

TITLE = "“青年文明号”创建推荐成果汇总表"
UNIT_LABEL = "报送单位（加盖公章）"
DATE_LABEL = "报送日期"
HEADERS = (
    "作品类别",
    "作品名称",
    "展示形式（图片、动漫、视频、H5、征文等）",
    "创作集体",
    "集体联系人及联系方式",
)
CATEGORY_ORDER = (Category.PHOTO, Category.PUBLICITY, Category.ESSAY)
FONT_DIR = Path(__file__).resolve().parent.parent / "core" / "fonts"
FONT_NAME = "Noto Sans SC"


@dataclass(frozen=True)
class SummaryRow:
    category: str  # a Category value
    title: str
    display_form: str  # the label, e.g. 图片
    collective: str
    contact: str  # 联系人 and phone

    @property
    def category_label(self) -> str:
        return str(Category(self.category).label)


def contact_text(name: str, phone: str) -> str:
    return f"{name} {phone}".strip()


def rows_from_works(works: Iterable) -> list[SummaryRow]:
    """Rows from works (with ``collective`` selected), kept in the given order within each category."""
    return [
        SummaryRow(
            category=work.category,
            title=work.title,
            display_form=str(DisplayForm(work.display_form).label) if work.display_form else "",
            collective=work.collective.name,
            contact=contact_text(work.contact_name, work.contact_phone),
        )
        for work in works
    ]


def ordered_groups(rows: Iterable[SummaryRow]) -> list[tuple[str, list[SummaryRow]]]:
    """(category label, rows) in the official category order; a category with no rows keeps one empty row,
    as on the printed form. Within a category rows keep their given order (unit rank)."""
    rank = {value: index for index, value in enumerate(CATEGORY_ORDER)}
    ordered = sorted(rows, key=lambda row: rank[row.category])  # stable: keeps unit order inside a category
    present = {key: list(group) for key, group in groupby(ordered, key=lambda row: row.category)}
    return [(str(category.label), present.get(category.value, [])) for category in CATEGORY_ORDER]


def date_text(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


class SummaryTable(Exporter):
    """Base of the three formats: holds the unit name, the date and the rows."""
    basename = "推荐成果汇总表"

    def __init__(self, *, unit_name: str, rows: Iterable[SummaryRow], day: datetime.date | None = None):
        self.unit_name = unit_name
        self.rows = list(rows)
        self.day = day or timezone.localdate()
        self.basename = f"推荐成果汇总表-{unit_name}"

    def groups(self):
        return ordered_groups(self.rows)

    @staticmethod
    def cells(row: SummaryRow | None) -> tuple[str, str, str, str]:
        if row is None:
            return ("", "", "", "")
        return (row.title, row.display_form, row.collective, row.contact)

    def body(self):
        """(category label, [cells...]) with at least one (possibly empty) row per category."""
        for label, rows in self.groups():
            yield label, [self.cells(row) for row in rows] or [self.cells(None)]


def text_width(text: str) -> int:
    """Width in spreadsheet character units: a CJK (wide) character takes two, others one."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text or "")


def row_height(cells, widths, *, line_points: float = 15.0) -> float:
    """The height in points of a row whose cells wrap within their columns' widths (at least one line)."""
    lines = 1
    for text, width in zip(cells, widths, strict=True):
        usable = max(1, int(width) - 2)
        lines = max(lines, -(-text_width(str(text or "")) // usable))
    return lines * line_points + 4


class SummaryXlsx(SpreadsheetExporter, SummaryTable):
    identifier = "xlsx"

    def write(self, stream: BinaryIO) -> None:

        book = self.workbook()
        sheet = book.active
        sheet.title = "汇总表"
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.print_title_rows = "4:4"
        widths = (26, 36, 22, 30, 26)
        for letter, width in zip("ABCDE", widths, strict=True):
            sheet.column_dimensions[letter].width = width
        thin = Side(style="thin")
        border = Border(left=thin, right=thin, top=thin, bottom=thin)
        wrap = Alignment(wrap_text=True, vertical="center", horizontal="center")
        sheet.merge_cells("A1:E1")
        title = self.put(sheet, 1, 1, TITLE)
        title.font = Font(size=16, bold=True)
        title.alignment = Alignment(horizontal="center", vertical="center")
        sheet.row_dimensions[1].height = 32
        self.put(sheet, 2, 1, UNIT_LABEL)
        sheet.merge_cells("B2:C2")
        self.put(sheet, 2, 2, self.unit_name)
        self.put(sheet, 2, 4, DATE_LABEL)
        self.put(sheet, 2, 5, date_text(self.day))
        sheet.row_dimensions[2].height = 48  # room for the seal
        for column, header in enumerate(HEADERS, start=1):
            cell = self.put(sheet, 4, column, header)
            cell.font = Font(bold=True)
            cell.alignment = wrap
            cell.border = border
        sheet.row_dimensions[4].height = row_height(HEADERS, widths)
        row_index = 5
        for label, rows in self.body():
            first = row_index
            for cells in rows:
                self.put(sheet, row_index, 1, label if row_index == first else None)
                for column, value in enumerate(cells, start=2):
                    self.put(sheet, row_index, column, value or None)
                for column in range(1, 6):
                    sheet.cell(row=row_index, column=column).border = border
                    sheet.cell(row=row_index, column=column).alignment = wrap
                # spreadsheet programs do not grow wrapped rows by themselves on opening: give each row its lines
                sheet.row_dimensions[row_index].height = row_height(("", *cells), widths)
                row_index += 1
            if row_index - 1 > first:
                sheet.merge_cells(start_row=first, start_column=1, end_row=row_index - 1, end_column=1)
        book.save(stream)


class SummaryDocx(SummaryTable):
    identifier = "docx"
    extension = "docx"
    content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

    def write(self, stream: BinaryIO) -> None:

        document = Document()
        section = document.sections[0]
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Cm(29.7), Cm(21.0)
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Cm(2))
        normal = document.styles["Normal"]
        normal.font.name = FONT_NAME
        normal.font.size = Pt(11)
        normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT_NAME)

        title = document.add_paragraph()
        title.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = title.add_run(TITLE)
        run.bold = True
        run.font.size = Pt(18)
        heading = document.add_paragraph()
        heading.paragraph_format.space_after = Pt(30)  # room for the seal
        heading.add_run(f"{UNIT_LABEL}：{self.unit_name}")
        heading.add_run("\u3000" * 8)
        heading.add_run(f"{DATE_LABEL}：{date_text(self.day)}")

        body = list(self.body())
        table = document.add_table(rows=1 + sum(len(rows) for _, rows in body), cols=5)
        table.style = "Table Grid"
        table_rows = list(table.rows)  # indexing table.rows is linear: keep one list
        for cell, header in zip(table_rows[0].cells, HEADERS, strict=True):
            cell.text = header
            cell.paragraphs[0].runs[0].bold = True
        index = 1
        for label, rows in body:
            first = index
            for cells in rows:
                for cell, value in zip(table_rows[index].cells[1:], cells, strict=True):
                    cell.text = value
                index += 1
            # Merge the category cell vertically (w:vMerge restart/continue): python-docx's merge() recurses
            # per row and fails on thousands of rows.
            head = table_rows[first].cells[0]
            head.text = label
            if index - 1 > first:
                head._tc.vMerge = ST_Merge.RESTART
                for row in table_rows[first + 1:index]:
                    row.cells[0]._tc.vMerge = ST_Merge.CONTINUE
        for column, width in zip(table.columns, (Cm(5.5), Cm(6.5), Cm(4.5), Cm(5.5), Cm(3.7)), strict=True):
            for cell in column.cells:
                cell.width = width
        document.save(stream)


class SummaryPdf(SummaryTable):
    identifier = "pdf"
    extension = "pdf"
    content_type = "application/pdf"
    widths = (55, 75, 45, 55, 47)  # mm, 277 = A4 landscape minus 10 mm margins
    line_height = 7
    rows_per_block = 8

    def write(self, stream: BinaryIO) -> None:

        pdf = FPDF(orientation="landscape", unit="mm", format="A4")
        pdf.set_margins(10, 12, 10)
        pdf.set_auto_page_break(True, margin=12)
        pdf.add_font(FONT_NAME, "", str(FONT_DIR / "NotoSansSC-Regular.ttf"))
        pdf.add_font(FONT_NAME, "B", str(FONT_DIR / "NotoSansSC-Bold.ttf"))
        pdf.set_title(TITLE)
        pdf.add_page()
        pdf.set_font(FONT_NAME, "B", 18)
        pdf.cell(0, 12, TITLE, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FONT_NAME, "", 12)
        pdf.cell(170, 10, f"{UNIT_LABEL}：{self.unit_name}")
        pdf.cell(0, 10, f"{DATE_LABEL}：{date_text(self.day)}", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(18)  # room for the seal
        pdf.set_font(FONT_NAME, "", 10)
        with pdf.table(col_widths=self.widths, text_align="CENTER", line_height=self.line_height,
                       repeat_headings=1, first_row_as_headings=True) as table:
            header = table.row()
            for text in HEADERS:
                header.cell(text)
            for label, rows in self.body():
                # A merged cell must fit on one page: a long category is merged in blocks, label repeated.
                for start in range(0, len(rows), self.rows_per_block):
                    block = rows[start:start + self.rows_per_block]
                    for position, cells in enumerate(block):
                        row = table.row()
                        if position == 0:
                            row.cell(label, rowspan=len(block))
                        for value in cells:
                            row.cell(value)
        pdf.output(stream)


FORMATS: dict[str, type[SummaryTable]] = {cls.identifier: cls for cls in (SummaryXlsx, SummaryDocx, SummaryPdf)}


def summary_table(fmt: str, *, unit_name: str, rows: Iterable[SummaryRow], day: datetime.date | None = None):
    """The exporter for ``fmt`` (xlsx, docx or pdf); KeyError for any other."""
    return FORMATS[fmt](unit_name=unit_name, rows=rows, day=day)
