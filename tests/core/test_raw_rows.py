"""core.exporters.RawRows writes a large sheet's rows as XML text: the cells must be the ones openpyxl itself
writes through ``SpreadsheetExporter.cell`` (value, type, number format, quote prefix, style), for every kind of
value an export holds, and the file must stay a workbook openpyxl reads back whole."""

import datetime
import io
from decimal import Decimal

from openpyxl import load_workbook
from openpyxl.styles import Alignment, Border, Font, Side

from wenminghao.core.exporters import RawRows, SpreadsheetExporter

VALUES = [
    "海岸线上的青春", '=HYPERLINK("http://example.org","点此")', "+cmd|' /C calc'!A0", "＝1+1", "#N/A",
    "  有空格的文字 ", "a & b < c > d", "控制\x07字符", "", 0, 7, -5, 12345678901, True, False, Decimal("80.00"),
    Decimal("95.5"), Decimal("-0.25"), 3.14159, datetime.datetime(2018, 9, 10, 9, 30, 15, 250000),
    datetime.date(2026, 11, 28), None,
]


class _Sheet(SpreadsheetExporter):
    """The same row written twice: by openpyxl (row 1) and by RawRows (row 2), both styled the same."""

    def __init__(self, *, styled: bool):
        self.styled = styled

    def write(self, stream) -> None:
        book = self.workbook(write_only=True)
        sheet = book.create_sheet("表")
        thin = Side(style="thin")
        style = self.style(sheet, font=Font(bold=True), alignment=Alignment(wrap_text=True),
                           border=Border(left=thin, right=thin, top=thin, bottom=thin)) if self.styled else None
        sheet.append([self.cell(sheet, value, style=style) if value is not None or style is not None else None
                      for value in VALUES])
        rows = RawRows(book, sheet, first_row=2)
        rows.append(VALUES, style, height=30)
        self.save(book, stream, rows)


def _cells(styled: bool):
    sheet = load_workbook(io.BytesIO(_Sheet(styled=styled).to_bytes())).active
    columns = range(1, len(VALUES) + 1)
    return sheet, [sheet.cell(1, c) for c in columns], [sheet.cell(2, c) for c in columns]


def test_raw_rows_write_the_cells_openpyxl_writes():
    for styled in (False, True):
        sheet, ours, theirs = _cells(styled)
        assert len(ours) == len(theirs) == len(VALUES)
        for by_openpyxl, raw in zip(ours, theirs, strict=True):
            where = f"{raw.coordinate} ({'styled' if styled else 'plain'})"
            assert raw.value == by_openpyxl.value, where
            assert raw.data_type == by_openpyxl.data_type, where
            assert raw.number_format == by_openpyxl.number_format, where
            assert raw.quotePrefix == by_openpyxl.quotePrefix, where
            assert repr(raw.font) == repr(by_openpyxl.font) and repr(raw.border) == repr(by_openpyxl.border), where
            assert repr(raw.alignment) == repr(by_openpyxl.alignment), where
        assert sheet.row_dimensions[2].height == 30


def test_raw_rows_keep_hostile_text_as_text():
    _, _, row = _cells(False)
    by_value = dict(zip(range(len(VALUES)), row, strict=True))
    assert by_value[1].value == '=HYPERLINK("http://example.org","点此")' and by_value[1].data_type == "s"
    assert by_value[1].quotePrefix and by_value[3].quotePrefix  # full-width ＝ too
    assert by_value[4].value == "#N/A" and by_value[4].data_type == "s"  # an error code typed as text stays text
    assert by_value[5].value == "  有空格的文字 "  # spaces kept
    assert by_value[7].value == "控制字符"  # what XML cannot hold is dropped
    assert by_value[15].value == 80 and by_value[16].value == 95.5


def test_raw_rows_follow_the_rows_openpyxl_appended_and_many_rows_survive():
    class Many(SpreadsheetExporter):
        def write(self, stream):
            book = self.workbook(write_only=True)
            sheet = book.create_sheet("表")
            sheet.append(["编号", "名称"])
            rows = RawRows(book, sheet, first_row=2)
            for index in range(1, 2001):
                rows.append([index, f"作品{index}"])
            self.save(book, stream, rows)

    sheet = load_workbook(io.BytesIO(Many().to_bytes()), read_only=True).active
    read = list(sheet.iter_rows(values_only=True))
    assert read[0] == ("编号", "名称")
    assert len(read) == 2001 and read[-1] == (2000, "作品2000")
