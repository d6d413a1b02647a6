"""The one base of every file export (summary tables, archives, spreadsheets).

An exporter knows its identifier (``"xlsx"``), file extension, content type, and writes itself to a binary
stream; ``filename()`` and ``response()`` are shared so every download is named and served the same way.
"""

from __future__ import annotations

import io
from typing import BinaryIO, ClassVar
from urllib.parse import quote

from django.http import HttpResponse


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
