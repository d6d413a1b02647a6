"""The Attachment 2 summary table (“青年文明号”创建推荐成果汇总表, DOMAIN.md "Attachment 2") as .docx, .xlsx and .pdf.

One table per reporting unit: the title, 报送单位（加盖公章） with the unit's name, 报送日期 with the date, then the
columns 作品类别 | 作品名称 | 展示形式 | 创作集体 | 集体联系人及联系方式, rows grouped by category in the official
order with the category cell merged over its rows, on A4 landscape with room for the seal. Used by a unit (its
recommended works) and by the city (forwarded works: the province package). Rows are plain data (``SummaryRow``),
built from works by ``rows_from_works`` so the exporters never query.
"""

from __future__ import annotations

import datetime
import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path
from typing import BinaryIO
from xml.sax.saxutils import escape

from django.utils import timezone
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt
from fpdf import FPDF
from openpyxl.styles import Alignment, Border, Font, Side

from wenminghao.core.exporters import Exporter, RawRows, SpreadsheetExporter, xml_safe
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


ROW_VALUES = ("category", "title", "display_form", "collective__name", "contact_name", "contact_phone")


def rows_from_values(works) -> list[SummaryRow]:
    """The same rows as ``rows_from_works`` from a queryset of works read as ``values_list`` (no model
    instances: a tenth of the time for 10,000 works)."""
    forms = {value: str(label) for value, label in DisplayForm.choices}
    return [
        SummaryRow(category=category, title=title, display_form=forms.get(form, form) if form else "",
                   collective=collective, contact=contact_text(name, phone))
        for category, title, form, collective, name, phone in works.values_list(*ROW_VALUES).iterator(chunk_size=2000)
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


@functools.cache
def _char_width(char: str) -> int:
    return 2 if unicodedata.east_asian_width(char) in "WF" else 1


def text_width(text: str) -> int:
    """Width in spreadsheet character units: a CJK (wide) character takes two, others one."""
    return sum(map(_char_width, text or ""))


def row_height(cells, widths, *, line_points: float = 15.0) -> float:
    """The height in points of a row whose cells wrap within their columns' widths (at least one line)."""
    lines = 1
    for text, width in zip(cells, widths, strict=True):
        usable = max(1, int(width) - 2)
        lines = max(lines, -(-text_width(str(text or "")) // usable))
    return lines * line_points + 4


class SummaryXlsx(SpreadsheetExporter, SummaryTable):
    """A write-only workbook: the styles are computed once, the body rows are written as XML text (RawRows) and
    merged ranges as ranges (no placeholder cells): 10,000 rows in well under a second (docs/benchmarks.md)."""
    identifier = "xlsx"
    widths = (26, 36, 22, 30, 26)

    def write(self, stream: BinaryIO) -> None:
        book = self.workbook(write_only=True)
        sheet = book.create_sheet("汇总表")
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = 9  # A4
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.print_title_rows = "4:4"
        widths = self.widths
        for letter, width in zip("ABCDE", widths, strict=True):
            sheet.column_dimensions[letter].width = width
        thin = Side(style="thin")
        border = Border(left=thin, right=thin, top=thin, bottom=thin)
        wrap = Alignment(wrap_text=True, vertical="center", horizontal="center")
        title_style = self.style(sheet, font=Font(size=16, bold=True),
                                 alignment=Alignment(horizontal="center", vertical="center"))
        header_style = self.style(sheet, font=Font(bold=True), alignment=wrap, border=border)
        body_style = self.style(sheet, alignment=wrap, border=border)
        sheet.merged_cells.add("A1:E1")
        sheet.merged_cells.add("B2:C2")
        sheet.row_dimensions[1].height = 32
        sheet.append([self.cell(sheet, TITLE, style=title_style)])
        sheet.row_dimensions[2].height = 48  # room for the seal
        sheet.append([self.plain(sheet, UNIT_LABEL), self.plain(sheet, self.unit_name), None,
                      self.plain(sheet, DATE_LABEL), self.plain(sheet, date_text(self.day))])
        sheet.append([])
        sheet.row_dimensions[4].height = row_height(HEADERS, widths)
        sheet.append([self.cell(sheet, header, style=header_style) for header in HEADERS])
        body = RawRows(book, sheet, first_row=5)
        for label, rows in self.body():
            first = body.next_row
            for cells in rows:
                # spreadsheet programs do not grow wrapped rows by themselves on opening: give each row its lines
                body.append((label if body.next_row == first else None, *[value or None for value in cells]),
                            body_style, height=row_height(("", *cells), widths))
            if body.next_row - 1 > first:
                sheet.merged_cells.add(f"A{first}:A{body.next_row - 1}")
        self.save(book, stream, body)


def _docx_text(text: str) -> str:
    """A run's content as python-docx's ``text`` setter writes it: tabs and line breaks as their elements."""
    parts = []
    for piece in re.split(r"(\t|\r\n|\n|\r)", xml_safe(text)):
        if piece == "\t":
            parts.append("<w:tab/>")
        elif piece in ("\n", "\r", "\r\n"):
            parts.append("<w:br/>")
        elif piece:
            parts.append(f'<w:t xml:space="preserve">{escape(piece)}</w:t>')
    return "".join(parts)


def _docx_cell(width: int, text: str | None, merge: str = "") -> str:
    """One ``w:tc`` of the given width (twips): a paragraph with one run of ``text``; an empty paragraph for
    ``None`` (the continuation of a merged cell)."""
    run = "" if text is None else f"<w:r>{_docx_text(text)}</w:r>"
    return f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{merge}</w:tcPr><w:p>{run}</w:p></w:tc>'


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
        # python-docx spends ~1 ms on each cell it fills (it walks the table's XML for every lookup): the header
        # row goes through it, the body rows are written as one XML text, parsed once and appended.
        table = document.add_table(rows=1, cols=5)
        table.style = "Table Grid"
        widths = [Cm(5.5), Cm(6.5), Cm(4.5), Cm(5.5), Cm(3.7)]
        for cell, header, width in zip(table.rows[0].cells, HEADERS, widths, strict=True):
            cell.text = header
            cell.paragraphs[0].runs[0].bold = True
            cell.width = width
        twips = [int(width.twips) for width in widths]
        rows_xml = []
        for label, rows in body:
            for position, cells in enumerate(rows):
                merge = "" if len(rows) == 1 else (
                    '<w:vMerge w:val="restart"/>' if position == 0 else '<w:vMerge/>')
                head = _docx_cell(twips[0], label if position == 0 else None, merge)
                rows_xml.append("<w:tr>" + head + "".join(
                    _docx_cell(width, value) for width, value in zip(twips[1:], cells, strict=True)) + "</w:tr>")
        for start in range(0, len(rows_xml), 2000):  # parsed in parts: no one huge string
            fragment = parse_xml(f'<w:tbl {nsdecls("w")}>{"".join(rows_xml[start:start + 2000])}</w:tbl>')
            table._tbl.extend(list(fragment))
        document.save(stream)


class SummaryPdf(SummaryTable):
    """The table laid out here rather than by fpdf2's ``table()`` (which breaks every cell's lines twice, with
    ``multi_cell``, and took 30 s for 10,000 rows): each cell's lines are broken once with the font's glyph widths,
    borders are rectangles and each line is one ``text()``; the layout is the one ``table()`` made (centred cells,
    the header row repeated on every page, the category cell merged over blocks of at most ``rows_per_block`` rows
    that never straddle a page, its label repeated for each block)."""
    identifier = "pdf"
    extension = "pdf"
    content_type = "application/pdf"
    widths = (55, 75, 45, 55, 47)  # mm, 277 = A4 landscape minus 10 mm margins
    line_height = 7
    rows_per_block = 8
    margin = 10
    top, bottom = 12, 12

    def write(self, stream: BinaryIO) -> None:
        pdf = FPDF(orientation="landscape", unit="mm", format="A4")
        pdf.set_margins(self.margin, self.top, self.margin)
        pdf.set_auto_page_break(False)
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
        _PdfTable(pdf, self.widths, self.line_height, self.page_end(pdf)).render(self.body(), self.rows_per_block)
        pdf.output(stream)

    def page_end(self, pdf) -> float:
        return pdf.h - self.bottom


class _PdfTable:
    """Draws the summary table on ``pdf`` from its current position (see SummaryPdf)."""

    font_size = 10

    def __init__(self, pdf, widths, line_height, page_end):
        self.pdf, self.widths, self.line_height, self.page_end = pdf, widths, line_height, page_end
        self.widths_by_style: dict[str, dict[str, float]] = {"": {}, "B": {}}
        self.known_lines: dict[tuple, list[tuple[str, float]]] = {}

    def set_style(self, style: str) -> None:
        self.style = style
        self.pdf.set_font(FONT_NAME, style, self.font_size)
        self.char_widths = self.widths_by_style[style]
        self.glyph_widths = self.pdf.current_font.cw
        self.scale = self.pdf.font_size_pt * 0.001 / self.pdf.k  # glyph units to mm

    def char_width(self, char: str) -> float:
        found = self.char_widths.get(char)
        if found is None:
            found = self.char_widths[char] = self.glyph_widths[ord(char)] * self.scale
        return found

    def width(self, text: str) -> float:
        return sum(map(self.char_width, text))

    def lines(self, text: str, width: float) -> list[tuple[str, float]]:
        """``text`` broken into lines (each with its width) of at most ``width`` mm: at the last space that fits,
        else between characters (Chinese has no spaces), and at every line break of its own. Remembered per
        text, width and style: names and forms repeat on many rows."""
        key = (self.style, text, width)
        found = self.known_lines.get(key)
        if found is not None:
            return found
        usable = width - 2 * self.pdf.c_margin
        char_width = self.char_width
        out: list[tuple[str, float]] = []
        for paragraph in (text or "").split("\n"):
            line, line_width, space = "", 0.0, -1
            for char in paragraph:
                step = char_width(char)
                if line and line_width + step > usable:
                    if space > 0 and char != " ":
                        out.append((line[:space], self.width(line[:space])))
                        line = line[space + 1:]
                        line_width = self.width(line)
                    else:
                        out.append((line, line_width))
                        line, line_width = "", 0.0
                    space = -1
                    if char == " " and not line:
                        continue
                if char == " ":
                    space = len(line)
                line += char
                line_width += step
            out.append((line, line_width))
        if len(self.known_lines) > 50_000:
            self.known_lines.clear()
        self.known_lines[key] = out
        return out

    def row_lines(self, cells) -> list[list[tuple[str, float]]]:
        return [self.lines(str(text or ""), width) for text, width in zip(cells, self.widths, strict=True)]

    def draw_cell(self, x: float, y: float, width: float, height: float, lines: list[tuple[str, float]]) -> None:
        pdf = self.pdf
        pdf.rect(x, y, width, height)
        top = y + (height - len(lines) * self.line_height) / 2 + 0.5 * self.line_height + 0.3 * pdf.font_size
        for index, (line, line_width) in enumerate(lines):
            if line:
                pdf.text(x + (width - line_width) / 2, top + index * self.line_height, line)

    def header(self) -> None:
        self.set_style("B")
        lines = self.row_lines(HEADERS)
        height = max(len(cell) for cell in lines) * self.line_height
        self.draw_row(lines, height)
        self.set_style("")

    def draw_row(self, lines, height, *, skip_first: bool = False) -> None:
        x = self.pdf.l_margin
        for index, (cell, width) in enumerate(zip(lines, self.widths, strict=True)):
            if not (skip_first and index == 0):
                self.draw_cell(x, self.y, width, height, cell)
            x += width
        self.y += height

    def render(self, body, rows_per_block: int) -> None:
        self.y = self.pdf.get_y()
        self.header()
        for label, rows in body:
            for start in range(0, len(rows), rows_per_block):
                block = [self.row_lines(("", *cells))[1:] for cells in rows[start:start + rows_per_block]]
                heights = [max(1, *(len(cell) for cell in cells)) * self.line_height for cells in block]
                label_lines = self.lines(label, self.widths[0])
                heights[0] = max(heights[0], len(label_lines) * self.line_height - sum(heights[1:]))
                if self.y + sum(heights) > self.page_end:
                    self.pdf.add_page()
                    self.y = self.pdf.t_margin
                    self.header()
                self.draw_cell(self.pdf.l_margin, self.y, self.widths[0], sum(heights), label_lines)
                for cells, height in zip(block, heights, strict=True):
                    self.draw_row([[], *cells], height, skip_first=True)
        self.pdf.set_y(self.y)


FORMATS: dict[str, type[SummaryTable]] = {cls.identifier: cls for cls in (SummaryXlsx, SummaryDocx, SummaryPdf)}


def summary_table(fmt: str, *, unit_name: str, rows: Iterable[SummaryRow], day: datetime.date | None = None):
    """The exporter for ``fmt`` (xlsx, docx or pdf); KeyError for any other."""
    return FORMATS[fmt](unit_name=unit_name, rows=rows, day=day)
