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
import shutil
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any, BinaryIO, ClassVar
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, HttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.compat import safe_string
from openpyxl.styles.cell_style import StyleArray
from openpyxl.styles.numbers import BUILTIN_FORMATS_MAX_SIZE, BUILTIN_FORMATS_REVERSE
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel

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
    sheets, and ``append``), ``plain()`` (write-only sheets, values without a style) or ``put()`` (ordinary
    sheets); each makes text formula-safe.

    Speed (docs/benchmarks.md): openpyxl hashes a style object (font, border, ...) on every assignment to a cell,
    and a write-only sheet first tries every appended ``Cell`` as a plain value (an exception per cell). For large
    sheets compute each style once with ``style()`` and pass it to ``cell(..., style=)``, append plain values
    (``plain()``) wherever no style is needed, and write the body rows with ``RawRows`` (then ``save()``): the
    same cells as XML text, 10,000 rows of the campaign export's 71 columns in well under a second.
    """

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

    @staticmethod
    def style(sheet, *, font=None, fill=None, alignment=None, border=None, number_format=None) -> StyleArray:
        """The style of a cell styled as given, computed once: pass it to ``cell(..., style=)`` for every cell
        that has it."""
        cell = WriteOnlyCell(sheet)
        for name, value in (("font", font), ("fill", fill), ("alignment", alignment), ("border", border),
                            ("number_format", number_format)):
            if value is not None:
                setattr(cell, name, value)
        return cell._style

    @staticmethod
    def plain(sheet, value):
        """``value`` as a write-only sheet may take it without a cell (the fast path of ``append``), or a
        formula-safe string cell when it needs one: text that starts like a formula (quote prefix) or is an
        error code such as ``#N/A``, and dates (their number format). Text loses characters XML cannot hold."""
        if isinstance(value, str):
            text = xml_safe(value)
            if looks_like_formula(text) or text in ERROR_CODES:
                return SpreadsheetExporter.set_value(WriteOnlyCell(sheet), text)
            return text
        if isinstance(value, datetime.date):
            return SpreadsheetExporter.set_value(WriteOnlyCell(sheet), value)
        return value

    def cell(self, sheet, value, *, style: StyleArray | None = None, font=None, fill=None, alignment=None,
             number_format=None):
        """A cell for ``sheet.append`` (write-only or ordinary sheets), styled as given (``style`` from
        ``style()`` first, then the others)."""
        cell = WriteOnlyCell(sheet)
        if style is not None:
            cell._style = StyleArray(style)
        cell = self.set_value(cell, value)
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

    @staticmethod
    def save(book, stream: BinaryIO, rows: RawRows | None = None) -> None:
        """Save the workbook to ``stream``; with ``rows``, their XML follows the rows appended through openpyxl
        in their sheet (the sheet's file in the package is rewritten, streaming)."""
        if rows is None:
            book.save(stream)
            return
        with tempfile.TemporaryFile() as package:
            book.save(package)
            package.seek(0)
            rows.splice(package, stream)


def _xml_text(text: str) -> str:
    if "&" in text or "<" in text or ">" in text:
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text


class RawRows:
    """The body rows of one write-only sheet, written as XML text (``SpreadsheetExporter.save`` puts them after
    the rows appended through openpyxl): openpyxl spends 5–20 µs on each cell it writes, which is seconds for a
    sheet of 10,000 rows; this writes the same cells (types, styles, number formats, and the formula-safe rules of
    ``set_value``: text is always a string cell, quote-prefixed when it starts like a formula, without the
    characters XML cannot hold) at a fraction of that. Styles come from ``SpreadsheetExporter.style``."""

    #: texts up to this length are remembered with their XML (repeated labels, names and comments)
    MEMO_LENGTH = 80

    def __init__(self, book, sheet, *, first_row: int):
        self.book, self.sheet, self.next_row = book, sheet, first_row
        self.letters: list[str] = []
        self._ids: dict[bytes, int] = {}
        self._by_identity: dict[tuple, tuple] = {}  # (id(style), variant) -> (style kept alive, index)
        self._texts: dict[str, tuple[bool, str]] = {}  # text -> (starts like a formula, its XML)
        self._chunks = tempfile.TemporaryFile()  # noqa: SIM115 - closed by splice()
        self._pending: list[str] = []

    def _register(self, array: StyleArray) -> int:
        key = array.tobytes()
        found = self._ids.get(key)
        if found is None:
            found = self._ids[key] = self.book._cell_styles.add(array)
        return found

    def style_id(self, style: StyleArray | None, *, quote: bool = False, number_format: str | None = None) -> int:
        """The workbook's index of ``style`` (registered on first use), with the quote prefix or the number
        format when asked."""
        key = (id(style), quote, number_format)
        known = self._by_identity.get(key)
        if known is not None:
            return known[1]
        array = StyleArray(style) if style is not None else StyleArray()
        if quote:
            array.quotePrefix = True
        if number_format is not None:
            array.numFmtId = self._number_format_id(number_format)
        index = self._register(array)
        self._by_identity[key] = (style, index)
        return index

    def _letters(self, count: int) -> list[str]:
        while len(self.letters) < count:
            self.letters.append(get_column_letter(len(self.letters) + 1))
        return self.letters

    def _text(self, text: str) -> tuple[bool, str]:
        known = self._texts.get(text)
        if known is not None:
            return known
        safe = xml_safe(text)
        if not safe:
            xml = ""
        elif safe != safe.strip():
            xml = f'<is><t xml:space="preserve">{_xml_text(safe)}</t></is>'
        else:
            xml = f"<is><t>{_xml_text(safe)}</t></is>"
        found = (looks_like_formula(safe), xml)
        if len(text) <= self.MEMO_LENGTH:
            if len(self._texts) > 100_000:
                self._texts.clear()
            self._texts[text] = found
        return found

    def _cell(self, ref: str, value, style: StyleArray | None) -> str:
        kind = type(value)
        if kind is str:
            quote, xml = self._text(value)
            style_attr = f' s="{self.style_id(style, quote=quote)}"' if style is not None or quote else ""
            if not xml:
                return f'<c r="{ref}"{style_attr} t="inlineStr"/>'
            return f'<c r="{ref}"{style_attr} t="inlineStr">{xml}</c>'
        style_attr = f' s="{self.style_id(style)}"' if style is not None else ""
        if kind is int:
            return f'<c r="{ref}"{style_attr} t="n"><v>{value}</v></c>'
        if kind is bool:
            return f'<c r="{ref}"{style_attr} t="b"><v>{int(value)}</v></c>'
        if isinstance(value, datetime.date):
            fmt = "yyyy-mm-dd hh:mm" if isinstance(value, datetime.datetime) else "yyyy-mm-dd"
            return (f'<c r="{ref}" s="{self.style_id(style, number_format=fmt)}" t="n">'
                    f"<v>{to_excel(value, self.book.epoch):.16g}</v></c>")  # as openpyxl writes it
        if kind is Decimal and value.is_finite():
            return f'<c r="{ref}"{style_attr} t="n"><v>{value}</v></c>'
        if isinstance(value, (int, float, Decimal)):
            number = safe_string(value)
            return f'<c r="{ref}"{style_attr} t="n"><v>{number}</v></c>' if number else f'<c r="{ref}"{style_attr}/>'
        quote, xml = self._text(str(value))
        return f'<c r="{ref}" t="inlineStr">{xml}</c>'

    def _number_format_id(self, fmt: str) -> int:
        if fmt in BUILTIN_FORMATS_REVERSE:
            return BUILTIN_FORMATS_REVERSE[fmt]
        return self.book._number_formats.add(fmt) + BUILTIN_FORMATS_MAX_SIZE

    def append(self, values: Sequence, styles: Sequence[StyleArray | None] | StyleArray | None = None, *,
               height: float | None = None, fractions: StyleArray | None = None) -> int:
        """One row; ``styles`` one per value or one for all; ``fractions`` the style of the Decimal and float
        values without one (e.g. two decimals). Returns the row's number."""
        row = self.next_row
        self.next_row += 1
        letters = self._letters(len(values))
        number = str(row)
        each = styles if isinstance(styles, (list, tuple)) else None
        parts = [f'<row r="{row}" ht="{height:g}" customHeight="1">' if height is not None else f'<row r="{row}">']
        for index, value in enumerate(values):
            style = each[index] if each is not None else styles
            if value is None:
                if style is not None:
                    parts.append(f'<c r="{letters[index]}{number}" s="{self.style_id(style)}"/>')
                continue
            if style is None and fractions is not None and type(value) in (Decimal, float):
                style = fractions
            parts.append(self._cell(letters[index] + number, value, style))
        parts.append("</row>")
        self._pending.append("".join(parts))
        if len(self._pending) >= 500:
            self._flush()
        return row

    def _flush(self) -> None:
        self._chunks.write("".join(self._pending).encode("utf-8"))
        self._pending.clear()

    def splice(self, package: BinaryIO, stream: BinaryIO) -> None:
        """Copy the saved ``package`` to ``stream``, the rows inserted at the end of their sheet's data."""
        self._flush()
        self._chunks.seek(0)
        name = self.sheet.path.lstrip("/")
        with zipfile.ZipFile(package) as source, \
                zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as target:
            for info in source.infolist():
                if info.filename != name:
                    target.writestr(info, source.read(info.filename), compress_type=zipfile.ZIP_DEFLATED)
                    continue
                xml = source.read(name).decode("utf-8")
                if "</sheetData>" in xml:
                    head, tail = xml.split("</sheetData>", 1)
                    tail = "</sheetData>" + tail
                else:  # no row appended through openpyxl
                    head, tail = xml.split("<sheetData/>", 1)
                    head, tail = head + "<sheetData>", "</sheetData>" + tail
                entry = zipfile.ZipInfo(name, date_time=info.date_time)
                entry.compress_type = zipfile.ZIP_DEFLATED
                with target.open(entry, "w", force_zip64=True) as out:
                    out.write(head.encode("utf-8"))
                    shutil.copyfileobj(self._chunks, out, 1 << 20)
                    out.write(tail.encode("utf-8"))
        self._chunks.close()


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
