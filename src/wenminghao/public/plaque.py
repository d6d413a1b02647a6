"""The printable plaque (公示牌) of a post, A5 portrait, one page per post: the post's name and host organisation,
its newest valid title (or its accepted creation), the QR code of its identity page, its public commitment and its
supervision phone. Fonts: the vendored Noto Sans SC (core/fonts), as the summary table's PDF (reviews/summary.py)."""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from fpdf import FPDF

from .qr import qr_png

FONT_DIR = Path(__file__).resolve().parent.parent / "core" / "fonts"
FONT_NAME = "Noto Sans SC"
WIDTH, HEIGHT, MARGIN = 148, 210, 12  # A5 portrait, mm
QR_SIZE = 62  # mm
COMMITMENT_MAX_CHARS = 240  # what fits under the QR code at 11 pt; the page holds the whole text
RED = (178, 34, 34)


@dataclass(frozen=True)
class PlaqueEntry:
    name: str
    host_org: str
    title: str  # “2018年度 威海市青年文明号”, or the accepted creation; may be empty
    commitment: str
    phone: str
    url: str  # the identity page, encoded in the QR code


def _shortened(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _page(pdf: FPDF, entry: PlaqueEntry) -> None:
    pdf.add_page()
    inner = WIDTH - 2 * MARGIN
    pdf.set_fill_color(*RED)
    pdf.rect(0, 0, WIDTH, 8, style="F")
    pdf.set_y(14)
    pdf.set_text_color(*RED)
    pdf.set_font(FONT_NAME, "B", 22)
    pdf.cell(inner, 11, "青年文明号", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.set_font(FONT_NAME, "B", 17)
    pdf.multi_cell(inner, 8, entry.name, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT_NAME, "", 11)
    if entry.host_org:
        pdf.multi_cell(inner, 6, entry.host_org, align="C", new_x="LMARGIN", new_y="NEXT")
    if entry.title:
        pdf.set_font(FONT_NAME, "B", 12)
        pdf.set_text_color(*RED)
        pdf.multi_cell(inner, 7, entry.title, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(0, 0, 0)
    pdf.ln(2)
    top = pdf.get_y()
    pdf.image(io.BytesIO(qr_png(entry.url, scale=8)), x=(WIDTH - QR_SIZE) / 2, y=top, w=QR_SIZE, h=QR_SIZE)
    pdf.set_y(top + QR_SIZE + 1)
    pdf.set_font(FONT_NAME, "", 9)
    pdf.cell(inner, 5, "扫码查看公开身份页 · 我要监督", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    if entry.commitment:
        pdf.set_font(FONT_NAME, "B", 12)
        pdf.cell(inner, 7, "示范承诺", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FONT_NAME, "", 11)
        pdf.multi_cell(inner, 6, _shortened(entry.commitment, COMMITMENT_MAX_CHARS), new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(HEIGHT - MARGIN - 14)
    pdf.set_font(FONT_NAME, "B", 15)
    pdf.set_text_color(*RED)
    pdf.cell(inner, 9, f"监督电话：{entry.phone or '—'}", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)


def plaque_pdf(entries: Iterable[PlaqueEntry], *, title: str = "青年文明号公示牌") -> bytes:
    """One A5 page per post, as PDF bytes."""
    pdf = FPDF(orientation="portrait", unit="mm", format=(WIDTH, HEIGHT))  # A5 (not "A5": fpdf2 warns of its change)
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(False)
    pdf.add_font(FONT_NAME, "", str(FONT_DIR / "NotoSansSC-Regular.ttf"))
    pdf.add_font(FONT_NAME, "B", str(FONT_DIR / "NotoSansSC-Bold.ttf"))
    pdf.set_title(title)
    for entry in entries:
        _page(pdf, entry)
    if pdf.page == 0:
        pdf.add_page()
        pdf.set_font(FONT_NAME, "", 12)
        pdf.cell(0, 10, "暂无已公开的身份页", align="C")
    return bytes(pdf.output())
