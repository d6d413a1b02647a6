"""The one base of every file export (summary tables, archives, spreadsheets).

An exporter knows its identifier (``"xlsx"``), file extension, content type, and writes itself to a binary
stream; ``filename()``, ``response()`` and ``file_response()`` (streamed from a temporary file) are shared so
every download is named and served the same way.

Every spreadsheet the platform writes is a ``SpreadsheetExporter`` (.xlsx) or a ``CsvExporter`` (.csv), and every
cell goes through them, so text stays text: a work titled ``=HYPERLINK("http://…","点此")`` or a unit named
``+cmd|' /C calc'!A0`` is never run as a formula when an office opens the file (CSV/formula injection, OWASP).

- .xlsx: a text cell is written as a string cell (openpyxl would otherwise store a leading "=" as a formula); text
  that starts like a formula also gets Excel's quote prefix (the cell style of a text typed as ``'=…``), so it stays
  text when someone edits the cell. The text itself is unchanged; characters XML cannot hold are dropped.
- .csv: there are no types, so text that starts like a formula gets a leading apostrophe; numbers and phone
  numbers (``-5``, ``+86 631 5201234``) stay as they are. UTF-8 with a byte-order mark (Excel and WPS read it as
  UTF-8), CRLF line ends.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import tempfile
from collections.abc import Iterable, Sequence
from typing import Any, BinaryIO, ClassVar
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, HttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
# What a spreadsheet program may take as the start of a formula: = + - @ (and their full-width forms, which some
# Chinese input methods type), and tab, carriage return and line feed before one.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
NUMBER_LIKE = re.compile(r"^[+\-]?[\d\s\-().]+$")


def looks_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_START)


def xml_safe(text: str) -> str:
    """The text without the control characters XML refuses (openpyxl would raise on them)."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def csv_text(value: Any) -> str:
    """One CSV field that no spreadsheet program runs as a formula (see the module's docstring)."""
    text = "" if value is None else str(value)
    if looks_like_formula(text) and not NUMBER_LIKE.match(text):
        return f"'{text}"
    return text


class Exporter:
    identifier: ClassVar[str] = ""
    extension: ClassVar[str] = ""
    content_type: ClassVar[str] = "application/octet-stream"
    #: Human-readable base of the download name (Chinese allowed), without extension.
    basename: str = "export"

    def write(self, stream: BinaryIO) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def filename(self) -> str:
        return f"{self.basename}.{self.extension}"

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.write(buffer)
        return buffer.getvalue()

    def response(self) -> HttpResponse:
        """An attachment response; the name is RFC 5987-encoded so Chinese names survive every browser."""
        response = HttpResponse(self.to_bytes(), content_type=self.content_type)
        ascii_name = f"{self.identifier or 'export'}.{self.extension}"
        response["Content-Disposition"] = (
            f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(self.filename())}"
        )
        return response

    def file_response(self) -> FileResponse:
        """An attachment response streamed from a temporary file on disk (for files too large to hold as bytes):
        the file is written whole first, so an error still answers 500 instead of a cut file; FileResponse closes
        and so deletes it once sent."""
        stream = tempfile.TemporaryFile(dir=settings.FILE_UPLOAD_TEMP_DIR or None)  # noqa: SIM115
        try:
            self.write(stream)
        except BaseException:
            stream.close()
            raise
        stream.seek(0)
        return FileResponse(stream, as_attachment=True, filename=self.filename(), content_type=self.content_type)


class SpreadsheetExporter(Exporter):
    """Base of every .xlsx. Make the workbook with ``workbook()`` and write every cell with ``cell()`` (write-only
    sheets, and ``append``) or ``put()`` (ordinary sheets); either makes text formula-safe."""

    extension: ClassVar[str] = "xlsx"
    content_type: ClassVar[str] = XLSX_CONTENT_TYPE

    @staticmethod
    def workbook(*, write_only: bool = False) -> Workbook:
        return Workbook(write_only=write_only)

    @staticmethod
    def set_value(cell, value):
        """Give ``cell`` its value; text becomes a string cell, quote-prefixed when it starts like a formula."""
        if isinstance(value, str):
            text = xml_safe(value)
            cell.value = text
            cell.data_type = "s"
            if looks_like_formula(text):
                cell.quotePrefix = True
        else:
            cell.value = value
            if isinstance(value, datetime.datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
            elif isinstance(value, datetime.date):
                cell.number_format = "yyyy-mm-dd"
        return cell

    def cell(self, sheet, value, *, font=None, fill=None, alignment=None, number_format=None):
        """A cell for ``sheet.append`` (write-only or ordinary sheets), styled as given."""
        cell = self.set_value(WriteOnlyCell(sheet), value)
        if font is not None:
            cell.font = font
        if fill is not None:
            cell.fill = fill
        if alignment is not None:
            cell.alignment = alignment
        if number_format is not None:
            cell.number_format = number_format
        return cell

    def append(self, sheet, values: Iterable, **style) -> None:
        """One row of formula-safe cells."""
        sheet.append([self.cell(sheet, value, **style) for value in values])

    def put(self, sheet, row: int, column: int, value):
        """Set one cell of an ordinary sheet; returns it for styling."""
        return self.set_value(sheet.cell(row=row, column=column), value)


class CsvExporter(Exporter):
    """Base of every .csv: ``headers`` and ``rows()`` give the lines; every field goes through ``csv_text``."""

    extension: ClassVar[str] = "csv"
    content_type: ClassVar[str] = CSV_CONTENT_TYPE
    headers: Sequence[str] = ()

    def rows(self) -> Iterable[Sequence]:  # pragma: no cover - abstract
        raise NotImplementedError

    def write(self, stream: BinaryIO) -> None:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        if self.headers:
            writer.writerow([csv_text(header) for header in self.headers])
        for row in self.rows():
            writer.writerow([csv_text(value) for value in row])
        stream.write("\ufeff".encode() + buffer.getvalue().encode("utf-8"))
