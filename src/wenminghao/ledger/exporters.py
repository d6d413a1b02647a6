"""The ledger's files: one collective's ledger for a campaign as a printable .docx or .pdf (for the 查阅台账 visit),
and the entries of a unit's collectives as one .xlsx. All three are ``core.exporters`` exporters.

The family's registry number (建档立卡编号) is never in any of them: a pairing shows ``family_ref_masked`` only, and
free text (titles, content, comments, file names) goes through ``FamilyRefs.scrub``, which masks a number of the
collective's pairings typed there (the services refuse one typed after the pairing exists, not one typed before).

- ``ledger_book(collective, campaign)`` reads everything the .docx and .pdf show in a fixed number of queries;
  pictures are embedded as thumbnails read one at a time while writing: the task worker's thumbnail when it made
  one, else one made in memory from the original (decoded at reduced size, ``works.tasks.open_picture``).
- ``unit_ledger_export(user, unit=…, …)`` gives the .xlsx: openpyxl's write-only workbook fed by
  ``selectors.entry_list`` read in chunks (one query per chunk plus one per prefetch), so neither the memory nor
  the number of queries grows with the rows.
"""

from __future__ import annotations

import datetime
import io
import logging
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, ClassVar
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.files.storage import default_storage
from django.db.models import Case, IntegerField, OuterRef, Prefetch, Q, Subquery, Value, When
from django.utils import timezone
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from fpdf import FPDF
from fpdf.enums import WrapMode
from fpdf.fonts import FontFace
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from PIL import Image

from wenminghao.campaigns.selectors import campaigns_visible_to
from wenminghao.collectives.models import Member
from wenminghao.collectives.selectors import collectives_visible_to
from wenminghao.core.errors import NotPermitted
from wenminghao.core.exporters import Exporter, SpreadsheetExporter, xml_safe
from wenminghao.core.http import int_or_none
from wenminghao.orgs.selectors import units_visible_to
from wenminghao.works.tasks import THUMBNAIL_SIDE, fit_within, jpeg_without_metadata, local_path, open_picture

from . import selectors
from .enums import Activity, AttachmentKind, BenchmarkStage
from .masking import mask_family_ref
from .models import EntryAttachment, EntryComment, LedgerEntry, Pairing, PairingReview

logger = logging.getLogger(__name__)

SHANGHAI = ZoneInfo("Asia/Shanghai")
FONT_DIR = Path(__file__).resolve().parent.parent / "core" / "fonts"
FONT_NAME = "Noto Sans SC"
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TITLE = "青年文明号创建台账"
NUMERALS = "一二三四五六七八九十"
MASKED_LABEL = "结对家庭"
WITHDRAWN = "（监护人已撤回同意）"
NONE_YET = "本活动暂无记录。"
# A stored thumbnail is at most THUMBNAIL_SIDE px (tens of KB); anything bigger is not read into memory.
MAX_THUMBNAIL_BYTES = 2 * 1024 * 1024
XLSX_CHUNK = 500


def local_time(moment: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(moment, SHANGHAI)


def day_text(day: datetime.date | None) -> str:
    return f"{day:%Y-%m-%d}" if day else ""


def number_text(value) -> str:
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def labels(rows, name: str) -> str:
    """The Chinese labels of an entry's or pairing's list rows (kinds of help, items shown)."""
    return "、".join(str(getattr(row, f"get_{name}_display")()) for row in rows)


def masked_ref(pairing: Pairing | None) -> str:
    if pairing is None:
        return ""
    return pairing.family_ref_masked or WITHDRAWN


class FamilyRefs:
    """The registry numbers of the exported collectives' pairings, to mask any of them typed into free text."""

    def __init__(self, pairings):
        refs: dict[int, list[str]] = defaultdict(list)
        for collective_id, ref in pairings.exclude(family_ref="").order_by().values_list("collective_id",
                                                                                          "family_ref"):
            refs[collective_id].append(ref)
        self.patterns = {collective_id: re.compile("|".join(re.escape(ref) for ref in sorted(values, key=len,
                                                                                              reverse=True)),
                                                   re.IGNORECASE)
                         for collective_id, values in refs.items()}

    def scrub(self, text: str | None, collective_id: int) -> str:
        """The text as a file may hold it: control characters dropped, registry numbers masked."""
        text = xml_safe(text or "")
        pattern = self.patterns.get(collective_id)
        return pattern.sub(lambda match: mask_family_ref(match.group(0)), text) if pattern else text


# --- one collective's ledger (.docx, .pdf) ---------------------------------------------------------------------


@dataclass
class Thumbnail:
    data: bytes
    width: int
    height: int


@dataclass
class LedgerBook:
    """What one collective's ledger file shows, read once (``ledger_book``)."""

    collective: object
    campaign: object
    leader: str
    counts: dict[str, int]
    study: selectors.StudySummary
    sections: list[tuple[str, str, list[LedgerEntry]]]
    pairings: list[Pairing]
    refs: FamilyRefs
    generated_at: datetime.datetime = field(default_factory=lambda: local_time(timezone.now()))

    @property
    def entry_count(self) -> int:
        return sum(len(entries) for _, _, entries in self.sections)

    def text(self, value: str | None) -> str:
        return self.refs.scrub(value, self.collective.pk)

    def cover(self) -> list[tuple[str, str]]:
        collective = self.collective
        return [
            ("集体名称", self.text(collective.name)),
            ("所在单位", self.text(collective.host_org)),
            ("归口单位", collective.unit.name),
            ("创建活动", self.campaign.name),
            ("号长", self.leader or "（未登记）"),
            ("成员数", f"{self.study.members}人"),
            ("示范承诺", self.text(collective.public_commitment) or "（未填写）"),
            ("监督电话", collective.supervision_phone or "（未填写）"),
            ("生成时间", f"{self.generated_at:%Y-%m-%d %H:%M}（北京时间）"),
        ]

    def summary(self) -> list[tuple[str, str, str]]:
        """(activity, number of entries, what they add up to) in the notice's order."""
        entries = {activity: items for activity, _, items in self.sections}
        benchmark = entries[Activity.BENCHMARK]
        targets = sum(1 for entry in benchmark if entry.stage == BenchmarkStage.TARGET)
        study = self.study
        active = sum(1 for pairing in self.pairings if pairing.state == "active")
        follow_ups = sum(1 for entry in entries[Activity.FAMILIES] if entry.follow_up)
        visitors = sum(entry.visitors or 0 for entry in entries[Activity.OPEN_WEEK])
        notes = {
            Activity.BENCHMARK: f"创优目标{targets}条，创优成果{len(benchmark) - targets}条",
            Activity.STUDY: f"学习{study.sessions}次，{study.leaders}名成员领学，参学覆盖率{study.coverage_percent}%"
                            f"（{study.attended}/{study.members}名成员参学）",
            Activity.FAMILIES: f"结对家庭{len(self.pairings)}户（帮扶中{active}户），回头看走访{follow_ups}次",
            Activity.OPEN_WEEK: f"参观{visitors}人次",
        }
        return [(label, f"{self.counts.get(activity, 0)}条", notes[activity]) for activity, label, _ in self.sections]

    def entry_rows(self, entry: LedgerEntry) -> list[tuple[str, str]]:
        """(label, text) of one entry: its date, the activity's fields, its content, documents and comments."""
        rows = [("日期", day_text(entry.date)), *self.activity_rows(entry), ("内容", self.text(entry.content))]
        others = [self.text(item.original_name) for item in entry.attachments.all()
                  if item.kind != AttachmentKind.PICTURE]
        if others:
            rows.append(("附件", "、".join(others)))
        for number, comment in enumerate(entry.comments.all(), start=1):
            handled = f"已处理（{local_time(comment.resolved_at):%Y-%m-%d}）" if comment.resolved_at else "未处理"
            rows.append((f"评阅意见{number}", f"{comment.author_unit.name}　{local_time(comment.created_at):%Y-%m-%d}"
                                            f"　{handled}\n{self.text(comment.text)}"))
        return [(label, value) for label, value in rows if value]

    def activity_rows(self, entry: LedgerEntry) -> list[tuple[str, str]]:
        if entry.activity == Activity.BENCHMARK:
            benefit = ""
            if entry.benefit_kind or entry.benefit_value is not None:
                value = number_text(entry.benefit_value) if entry.benefit_value is not None else ""
                benefit = f"{entry.get_benefit_kind_display()} {value}{entry.benefit_unit}".strip()
            target = entry.meets_target
            return [("类型", entry.get_stage_display()), ("对标对象", self.text(entry.benchmark_against)),
                    ("创优方向", entry.get_focus_display() if entry.focus else ""), ("效益", benefit),
                    ("对应目标", f"{day_text(target.date)} {self.text(target.title)}" if target else "")]
        if entry.activity == Activity.STUDY:
            attendees = [member.name for member in entry.attendees.all()]
            return [("学习形式", entry.get_study_form_display()), ("学习主题", self.text(entry.topic)),
                    ("领学人", entry.led_by.name if entry.led_by else entry.led_by_name),
                    (f"参学成员（{len(attendees)}人）", "、".join(attendees))]
        if entry.activity == Activity.FAMILIES:
            return [(MASKED_LABEL, masked_ref(entry.pairing)), ("帮扶方式", labels(entry.help_kinds.all(), "kind")),
                    ("回头看走访", "是" if entry.follow_up else "否")]
        return [("展示内容", labels(entry.shown_items.all(), "item")),
                ("参观人数", f"{entry.visitors}人" if entry.visitors is not None else "")]

    def pictures(self, entry: LedgerEntry) -> Iterable[tuple[str, Thumbnail | None]]:
        """(file name, thumbnail or None when none could be made) of each picture of the entry, one at a time."""
        for item in entry.attachments.all():
            if item.kind == AttachmentKind.PICTURE:
                yield self.text(item.original_name), picture_thumbnail(item)

    def pairing_rows(self) -> list[list[str]]:
        rows = []
        for pairing in self.pairings:
            review = "尚未回头看"
            if pairing.last_review_date:
                outcome = PairingReview(outcome=pairing.last_review_outcome, income_trend=pairing.last_review_trend)
                review = (f"{day_text(pairing.last_review_date)}\n{outcome.get_outcome_display()}"
                          f"（{outcome.get_income_trend_display()}）")
            rows.append([masked_ref(pairing), self.text(pairing.area) or "—", f"{pairing.youth_count}人",
                         labels(pairing.help_kinds.all(), "kind"), day_text(pairing.started),
                         pairing.get_state_display(), review])
        return rows


PAIRING_HEADERS = ("建档立卡编号（已隐去）", "所在乡镇（街道）", "青少年", "帮扶方式", "结对日期", "状态", "最近回头看")


def picture_thumbnail(attachment: EntryAttachment) -> Thumbnail | None:
    """The picture's thumbnail: the stored one when the task worker made it, else one made now from the original
    (decoded at reduced size, then dropped). None when neither can be read (the file is then listed by name)."""
    try:
        data = b""
        if attachment.thumbnail.name:
            try:
                with default_storage.open(attachment.thumbnail.name, "rb") as handle:
                    data = handle.read(MAX_THUMBNAIL_BYTES + 1)
            except OSError:
                data = b""
            if len(data) > MAX_THUMBNAIL_BYTES:
                data = b""
        if data:
            with Image.open(io.BytesIO(data)) as image:
                return Thumbnail(data, *image.size)
        with local_path(attachment.original.name) as path:
            picture = fit_within(open_picture(path, THUMBNAIL_SIDE), THUMBNAIL_SIDE)
        return Thumbnail(jpeg_without_metadata(picture), *picture.size)
    except Exception:
        logger.exception("ledger export: no thumbnail of ledger file %s (%s)", attachment.pk, attachment.original_name)
        return None


def _last_review(column: str) -> Subquery:
    return Subquery(PairingReview.objects.filter(pairing=OuterRef("pk")).order_by("-date", "-id").values(column)[:1])


def ledger_book(collective, campaign) -> LedgerBook:
    """Everything one collective's ledger file shows for ``campaign``: its facts, the summary, the entries of the
    four activities (oldest first) with their fields, files and comments, and the pairings that ran in the
    campaign's year. About fifteen queries, whatever the number of entries, members and pairings."""
    leader = Member.objects.filter(collective=collective, is_leader=True).values_list("name", flat=True).first()
    entries = list(
        LedgerEntry.objects.filter(collective=collective, campaign=campaign)
        .select_related("pairing", "led_by", "meets_target")
        .prefetch_related(
            "help_kinds", "shown_items",
            Prefetch("attachments", queryset=EntryAttachment.objects.order_by("id")),
            Prefetch("comments", queryset=EntryComment.objects.select_related("author_unit").order_by("created_at",
                                                                                                       "id")),
            Prefetch("attendees", queryset=Member.objects.order_by("-is_leader", "id").only("id", "name",
                                                                                          "is_leader")),
        )
        .order_by("date", "id")
    )
    sections = [(activity, str(label), [entry for entry in entries if entry.activity == activity])
                for activity, label in Activity.choices]
    pairings = list(
        selectors.pairings_in_campaign_year([collective], campaign).prefetch_related("help_kinds")
        .annotate(last_review_date=_last_review("date"), last_review_outcome=_last_review("outcome"),
                  last_review_trend=_last_review("income_trend"))
        .order_by("-started", "-id")
    )
    return LedgerBook(
        collective=collective, campaign=campaign, leader=leader or "",
        counts=selectors.activity_counts(collective, campaign), study=selectors.study_summary(collective, campaign),
        sections=sections, pairings=pairings, refs=FamilyRefs(Pairing.objects.filter(collective=collective)),
    )


class CollectiveLedgerFile(Exporter):
    """Base of the .docx and .pdf of one collective's ledger."""

    def __init__(self, book: LedgerBook):
        self.book = book
        self.basename = f"{book.collective.name}-{book.campaign.year}年度台账"

    @property
    def entry_count(self) -> int:
        return self.book.entry_count

    def headings(self) -> Iterable[tuple[str, str, list[LedgerEntry]]]:
        """(numbered heading, activity, entries) of the four activities, after 一、台账概况."""
        for number, (activity, label, entries) in enumerate(self.book.sections, start=1):
            yield f"{NUMERALS[number]}、{label}（{len(entries)}条）", activity, entries

    def pairings_heading(self) -> str:
        return f"{NUMERALS[len(self.book.sections) + 1]}、助千家结对家庭（{len(self.book.pairings)}户）"


class LedgerDocx(CollectiveLedgerFile):
    identifier = "docx"
    extension = "docx"
    content_type = DOCX_CONTENT_TYPE
    picture_side = Cm(3.6)

    def write(self, stream: BinaryIO) -> None:
        book = self.book
        document = Document()
        section = document.sections[0]
        section.page_width, section.page_height = Cm(21.0), Cm(29.7)
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Cm(2))
        for name, size in (("Normal", 10.5), ("Title", 22), ("Heading 1", 15), ("Heading 2", 12)):
            style = document.styles[name]
            style.font.name = FONT_NAME
            style.font.size = Pt(size)
            style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT_NAME)
            if name != "Normal":
                style.font.color.rgb = RGBColor(0x1F, 0x1F, 0x1F)
        footer = section.footer.paragraphs[0]
        footer.text = f"{book.text(book.collective.name)} · {book.campaign.name}"
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER

        document.add_heading(TITLE, level=0).alignment = WD_ALIGN_PARAGRAPH.CENTER
        self._table(document, book.cover(), widths=(Cm(3), Cm(14)))
        document.add_heading("一、台账概况", level=1)
        self._grid(document, ("活动", "记录", "情况"), book.summary(), widths=(Cm(3), Cm(2), Cm(12)))
        for heading, _, entries in self.headings():
            document.add_heading(heading, level=1)
            if not entries:
                document.add_paragraph(NONE_YET)
            for number, entry in enumerate(entries, start=1):
                document.add_heading(f"{number}. {book.text(entry.title)}", level=2)
                table = self._table(document, book.entry_rows(entry), widths=(Cm(3), Cm(14)))
                self._pictures(table, entry)
        document.add_heading(self.pairings_heading(), level=1)
        if book.pairings:
            self._grid(document, PAIRING_HEADERS, book.pairing_rows(),
                       widths=(Cm(3.8), Cm(2.4), Cm(1.3), Cm(2.6), Cm(2.3), Cm(1.8), Cm(2.8)), size=9)
        else:
            document.add_paragraph("本年度没有结对家庭。")
        document.save(stream)

    @staticmethod
    def _table(document, rows, *, widths):
        """A two-column table of (label, text) rows, the labels bold."""
        table = document.add_table(rows=len(rows), cols=2)
        table.style = "Table Grid"
        LedgerDocx._widths(table, widths)
        for row, (label, value) in zip(table.rows, rows, strict=True):
            row.cells[0].text = label
            row.cells[0].paragraphs[0].runs[0].bold = True
            row.cells[1].text = value
            for cell, width in zip(row.cells, widths, strict=True):
                cell.width = width
        return table

    @staticmethod
    def _widths(table, widths) -> None:
        """Fixed column widths (the grid for LibreOffice and WPS, each cell for Word)."""
        table.autofit = False
        for column, width in zip(table.columns, widths, strict=True):
            column.width = width

    @staticmethod
    def _grid(document, headers, rows, *, widths, size: float | None = None) -> None:
        table = document.add_table(rows=1 + len(rows), cols=len(headers))
        table.style = "Table Grid"
        LedgerDocx._widths(table, widths)
        table_rows = list(table.rows)
        for cell, header in zip(table_rows[0].cells, headers, strict=True):
            cell.text = header
            cell.paragraphs[0].runs[0].bold = True
        for row, values in zip(table_rows[1:], rows, strict=True):
            for cell, value in zip(row.cells, values, strict=True):
                cell.text = value
        if size is not None:
            for row in table_rows:
                for cell in row.cells:
                    for run in cell.paragraphs[0].runs:
                        run.font.size = Pt(size)
        for row in table_rows:
            for cell, width in zip(row.cells, widths, strict=True):
                cell.width = width

    def _pictures(self, table, entry) -> None:
        """A row 图片 with the entry's pictures as thumbnails (a picture that cannot be read: its name)."""
        pictures = self.book.pictures(entry)
        first = next(pictures, None)
        if first is None:
            return
        row = table.add_row()
        row.cells[0].text = "图片"
        row.cells[0].paragraphs[0].runs[0].bold = True
        paragraph = row.cells[1].paragraphs[0]
        unreadable = []
        for name, thumbnail in (first, *pictures):
            if thumbnail is None:
                unreadable.append(name)
                continue
            run = paragraph.add_run()
            if thumbnail.width >= thumbnail.height:
                run.add_picture(io.BytesIO(thumbnail.data), width=self.picture_side)
            else:
                run.add_picture(io.BytesIO(thumbnail.data), height=self.picture_side)
            run.add_text(" ")
        if unreadable:
            row.cells[1].add_paragraph(f"（无法生成缩略图：{'、'.join(unreadable)}）")


class _LedgerPdfDocument(FPDF):
    footer_text = ""

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT_NAME, "", 8)
        self.set_text_color(110)
        self.cell(0, 6, f"{self.footer_text} · 第{self.page_no()}/{{nb}}页", align="C")
        self.set_text_color(0)


class LedgerPdf(CollectiveLedgerFile):
    identifier = "pdf"
    extension = "pdf"
    content_type = "application/pdf"
    label_width = 30  # mm; A4 portrait with 15 mm margins leaves 180
    line_height = 6
    picture_box: ClassVar[tuple[float, float]] = (42, 32)  # mm, four to a row
    gap = 3
    keep_with_heading = 45  # mm: a heading starts a new page rather than end one without what follows it
    header_style = FontFace(emphasis="BOLD", fill_color=(242, 242, 242))

    def write(self, stream: BinaryIO) -> None:
        book = self.book
        pdf = _LedgerPdfDocument(orientation="portrait", unit="mm", format="A4")
        pdf.footer_text = f"{book.text(book.collective.name)} · {book.campaign.name}"
        pdf.set_margins(15, 15, 15)
        pdf.set_auto_page_break(True, margin=16)
        pdf.add_font(FONT_NAME, "", str(FONT_DIR / "NotoSansSC-Regular.ttf"))
        pdf.add_font(FONT_NAME, "B", str(FONT_DIR / "NotoSansSC-Bold.ttf"))
        pdf.set_title(f"{book.text(book.collective.name)}-{book.campaign.year}年度台账")
        pdf.add_page()
        pdf.set_font(FONT_NAME, "B", 20)
        pdf.cell(0, 14, TITLE, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
        self.pdf = pdf
        for label, value in book.cover():
            self._field(label, value)
        self._heading("一、台账概况")
        pdf.set_font(FONT_NAME, "", 9.5)
        with pdf.table(col_widths=(28, 18, 134), line_height=self.line_height, text_align=("LEFT", "CENTER", "LEFT"),
                       wrapmode=WrapMode.CHAR, headings_style=self.header_style) as table:
            for values in (("活动", "记录", "情况"), *book.summary()):
                row = table.row()
                for value in values:
                    row.cell(value)
        for heading, _, entries in self.headings():
            self._heading(heading)
            if not entries:
                self._paragraph(NONE_YET)
            for number, entry in enumerate(entries, start=1):
                self._entry(number, entry)
        self._heading(self.pairings_heading())
        if book.pairings:
            pdf.set_font(FONT_NAME, "", 8.5)
            with pdf.table(col_widths=(36, 28, 14, 32, 20, 20, 30), line_height=5, text_align="LEFT",
                           wrapmode=WrapMode.CHAR, repeat_headings=1, headings_style=self.header_style) as table:
                for values in (PAIRING_HEADERS, *book.pairing_rows()):
                    row = table.row()
                    for value in values:
                        row.cell(value)
        else:
            self._paragraph("本年度没有结对家庭。")
        pdf.output(stream)

    def _heading(self, text: str) -> None:
        pdf = self.pdf
        if pdf.will_page_break(self.keep_with_heading):
            pdf.add_page()
        pdf.ln(4)
        pdf.set_font(FONT_NAME, "B", 14)
        pdf.multi_cell(0, 9, text, new_x="LMARGIN", new_y="NEXT", wrapmode=WrapMode.CHAR)
        pdf.set_draw_color(180, 40, 40)
        pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
        pdf.set_draw_color(0)
        pdf.ln(2)

    def _paragraph(self, text: str) -> None:
        self.pdf.set_font(FONT_NAME, "", 10)
        self.pdf.multi_cell(0, self.line_height, text, new_x="LMARGIN", new_y="NEXT", wrapmode=WrapMode.CHAR)

    def _field(self, label: str, value: str) -> None:
        """The label in bold on the left, the text wrapping on its right (and across pages when long)."""
        pdf, height = self.pdf, self.line_height
        pdf.set_font(FONT_NAME, "B", 10)
        label_lines = len(pdf.multi_cell(self.label_width, height, label, dry_run=True, output="LINES",
                                         wrapmode=WrapMode.CHAR))
        if pdf.will_page_break(height * label_lines):
            pdf.add_page()
        top, page = pdf.get_y(), pdf.page_no()
        pdf.multi_cell(self.label_width, height, label, new_x="RIGHT", new_y="TOP", wrapmode=WrapMode.CHAR)
        pdf.set_font(FONT_NAME, "", 10)
        pdf.multi_cell(0, height, value.replace("\t", " "), new_x="LMARGIN", new_y="NEXT", wrapmode=WrapMode.CHAR)
        if pdf.page_no() == page:
            pdf.set_y(max(pdf.get_y(), top + height * label_lines))
        pdf.ln(0.8)

    def _entry(self, number: int, entry: LedgerEntry) -> None:
        pdf, book = self.pdf, self.book
        if pdf.will_page_break(30):
            pdf.add_page()
        pdf.ln(1.5)
        pdf.set_font(FONT_NAME, "B", 11)
        pdf.set_fill_color(242, 220, 219)
        pdf.multi_cell(0, 7.5, f"{number}. {book.text(entry.title)}", fill=True, new_x="LMARGIN", new_y="NEXT",
                       wrapmode=WrapMode.CHAR, padding=(0, 2))
        pdf.set_fill_color(255)
        pdf.ln(1)
        for label, value in book.entry_rows(entry):
            self._field(label, value)
        self._pictures(entry)

    def _pictures(self, entry: LedgerEntry) -> None:
        """The entry's pictures as thumbnails, four to a row, a row never split over two pages."""
        pdf = self.pdf
        box_width, box_height = self.picture_box
        unreadable, column = [], 0
        for name, thumbnail in self.book.pictures(entry):
            if thumbnail is None:
                unreadable.append(name)
                continue
            if column == 0:
                if pdf.will_page_break(box_height + self.gap):
                    pdf.add_page()
                top = pdf.get_y() + 1
            scale = min(box_width / thumbnail.width, box_height / thumbnail.height)
            width, height = thumbnail.width * scale, thumbnail.height * scale
            left = pdf.l_margin + column * (box_width + self.gap)
            pdf.image(io.BytesIO(thumbnail.data), x=left + (box_width - width) / 2, y=top, w=width, h=height)
            column += 1
            if column == 4:
                pdf.set_y(top + box_height + self.gap)
                column = 0
        if column:
            pdf.set_y(top + box_height + self.gap)
        if unreadable:
            self._field("图片", f"（无法生成缩略图：{'、'.join(unreadable)}）")


COLLECTIVE_FORMATS: dict[str, type[CollectiveLedgerFile]] = {cls.identifier: cls for cls in (LedgerDocx, LedgerPdf)}


def collective_ledger_export(fmt: str, collective, campaign) -> CollectiveLedgerFile:
    """The .docx or .pdf of ``collective``'s ledger for ``campaign`` (KeyError for another format)."""
    return COLLECTIVE_FORMATS[fmt](ledger_book(collective, campaign))


# --- the entries of a unit's collectives (.xlsx) -------------------------------------------------------------


XLSX_COLUMNS = (
    ("归口单位", 18), ("集体", 28), ("活动", 10), ("日期", 11), ("标题", 30), ("内容", 50),
    ("对标类型", 10), ("对标对象", 24), ("创优方向", 12), ("效益类型", 10), ("效益数值", 10), ("效益单位", 8),
    ("对应的创优目标", 24), ("学习形式", 8), ("学习主题", 24), ("领学人", 10), ("参学人数", 8), ("参学成员", 30),
    ("结对家庭编号（已隐去）", 22), ("帮扶方式", 20), ("回头看走访", 10), ("展示内容", 24), ("参观人数", 8),
    ("附件数", 7), ("评阅意见数", 8), ("未处理意见数", 8),
)
# how many columns each activity has, in the order of XLSX_COLUMNS
ACTIVITY_WIDTHS = {Activity.BENCHMARK: 7, Activity.STUDY: 5, Activity.FAMILIES: 3, Activity.OPEN_WEEK: 2}
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="F2DCDB")
HEADER_ALIGNMENT = Alignment(wrap_text=True, vertical="center", horizontal="center")


class UnitLedgerXlsx(SpreadsheetExporter):
    """The entries of a unit's collectives, one row each (``unit_ledger_export`` makes it)."""

    identifier = "ledger-entries"

    def __init__(self, queryset, *, refs: FamilyRefs, basename: str):
        """``queryset``: ``selectors.entry_list`` rows with their attendees, ordered (``unit_ledger_entries``)."""
        self.queryset = queryset
        self.refs = refs
        self.basename = basename
        self.entry_count = 0

    def text(self, entry: LedgerEntry, value: str | None) -> str | None:
        return self.refs.scrub(value, entry.collective_id) or None

    def activity_cells(self, entry: LedgerEntry) -> list:
        """The cells of the entry's own activity's columns (the other activities' stay empty)."""
        if entry.activity == Activity.BENCHMARK:
            target = entry.meets_target
            return [entry.get_stage_display(), self.text(entry, entry.benchmark_against),
                    entry.get_focus_display() if entry.focus else None,
                    entry.get_benefit_kind_display() if entry.benefit_kind else None, entry.benefit_value,
                    entry.benefit_unit or None,
                    f"{day_text(target.date)} {self.text(entry, target.title)}" if target else None]
        if entry.activity == Activity.STUDY:
            return [entry.get_study_form_display(), self.text(entry, entry.topic),
                    (entry.led_by.name if entry.led_by else entry.led_by_name) or None, entry.attendee_count,
                    "、".join(member.name for member in entry.attendees.all()) or None]
        if entry.activity == Activity.FAMILIES:
            return [masked_ref(entry.pairing), labels(entry.help_kinds.all(), "kind"),
                    "是" if entry.follow_up else "否"]
        return [labels(entry.shown_items.all(), "item"), entry.visitors]

    def row(self, entry: LedgerEntry) -> list:
        cells = []
        for activity, width in ACTIVITY_WIDTHS.items():
            cells += self.activity_cells(entry) if activity == entry.activity else [None] * width
        return [
            entry.collective.unit.name, self.text(entry, entry.collective.name), entry.get_activity_display(),
            entry.date, self.text(entry, entry.title), self.text(entry, entry.content), *cells,
            entry.attachment_count, entry.comment_count, entry.open_comment_count,
        ]

    def write(self, stream: BinaryIO) -> None:
        workbook = self.workbook(write_only=True)
        sheet = workbook.create_sheet("台账记录")
        for index, (_, width) in enumerate(XLSX_COLUMNS, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.freeze_panes = "C2"
        self.append(sheet, [header for header, _ in XLSX_COLUMNS], font=HEADER_FONT, fill=HEADER_FILL,
                    alignment=HEADER_ALIGNMENT)
        self.entry_count = 0
        for entry in self.queryset.iterator(chunk_size=XLSX_CHUNK):
            self.append(sheet, self.row(entry))
            self.entry_count += 1
        workbook.save(stream)


def _activity_order() -> Case:
    return Case(*[When(activity=value, then=Value(index)) for index, value in enumerate(Activity.values)],
                output_field=IntegerField())


def unit_ledger_entries(user, *, unit, campaign, activity: str = "", date_from: datetime.date | None = None,
                        date_to: datetime.date | None = None, collective=None):
    """The visible entries of the collectives under ``unit`` in ``campaign``, filtered as on the 查阅台账 page,
    grouped by unit, collective and activity (the notice's order), oldest first within each."""
    return (
        selectors.entry_list(user, unit=unit, campaign=campaign, activity=activity, date_from=date_from,
                             date_to=date_to, collective=collective)
        .select_related("meets_target")
        .prefetch_related(Prefetch("attendees", queryset=Member.objects.order_by("-is_leader", "id")
                                   .only("id", "name", "is_leader")))
        .order_by("collective__unit__path", "collective__name", "collective_id", _activity_order(), "date", "id")
    )


def unit_ledger_export(user, *, unit, campaign, activity: str = "", date_from: datetime.date | None = None,
                       date_to: datetime.date | None = None, collective=None) -> UnitLedgerXlsx:
    """The .xlsx of the entries of ``unit``'s collectives (see ``unit_ledger_entries``)."""
    queryset = unit_ledger_entries(user, unit=unit, campaign=campaign, activity=activity, date_from=date_from,
                                   date_to=date_to, collective=collective)
    name = f"{unit.name}-{campaign.year}年度台账"
    if activity:
        name += f"-{Activity(activity).label}"
    refs = FamilyRefs(Pairing.objects.filter(collective__unit__path__startswith=unit.path))
    return UnitLedgerXlsx(queryset, refs=refs, basename=name)


# --- the unit export's request: from plain parameters (a page's query, a job's params) to what is exported -----


def direct_export_rows() -> int:
    """Above this many rows a unit's .xlsx is made by the task worker (a city's year, ~18,000 rows, takes 12–17 s:
    docs/benchmarks.md)."""
    return int(getattr(settings, "WMH_LEDGER_DIRECT_EXPORT_ROWS", 2000))


@dataclass
class UnitExportRequest:
    """A unit's export resolved for one user: the unit, the campaign and the filters, all visible to the user."""

    unit: object
    campaign: object
    activity: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    collective: object = None

    def filters(self) -> dict:
        return {"unit": self.unit, "campaign": self.campaign, "activity": self.activity, "date_from": self.date_from,
                "date_to": self.date_to, "collective": self.collective}

    def params(self) -> dict:
        """JSON-able and normalised, so that the same export asked twice is the same job."""
        return {"unit": self.unit.pk, "campaign": self.campaign.pk, "activity": self.activity,
                "date_from": self.date_from.isoformat() if self.date_from else "",
                "date_to": self.date_to.isoformat() if self.date_to else "",
                "collective": self.collective.pk if self.collective is not None else None}

    def title(self) -> str:
        title = f"{self.unit.name} · {self.campaign.name} · 台账记录"
        if self.activity:
            title += f"（{Activity(self.activity).label}）"
        return title + "（.xlsx）"


class ExportNotFound(Exception):
    """The unit, the campaign or the collective asked for is not one the user may export (the page answers 404)."""


def _date_or_none(value):
    try:
        return datetime.date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def unit_export_request(user, params) -> UnitExportRequest:
    """``params`` (unit — the admin's own when absent —, campaign, activity, date_from, date_to, collective) resolved
    for ``user``; ExportNotFound when the unit is invisible or not one whose ledgers the user may export (a
    collective account or a judge sees its own unit, not its ledgers), or it has no campaign."""
    unit_id = int_or_none(params.get("unit")) or user.unit_id
    unit = units_visible_to(user).filter(pk=unit_id).first() if unit_id is not None else None
    if unit is None or not user.has_perm("ledger.export_unit_ledgers", unit):
        raise ExportNotFound("未找到该内容，或您无权查看。")
    campaigns = campaigns_visible_to(user).filter(
        Q(office_id__in=unit.ancestor_ids) | Q(office__path__startswith=unit.path)
    ).order_by("-year", "-id")
    requested = int_or_none(params.get("campaign"))
    campaign = (campaigns.filter(pk=requested).first() if requested is not None else None) or campaigns.first()
    if campaign is None:
        raise ExportNotFound("本单位没有可导出台账的创建活动。")
    activity = params.get("activity") or ""
    found = UnitExportRequest(unit=unit, campaign=campaign, activity=activity if activity in Activity.values else "",
                              date_from=_date_or_none(params.get("date_from")),
                              date_to=_date_or_none(params.get("date_to")))
    collective_id = int_or_none(params.get("collective"))
    if collective_id is not None:
        found.collective = collectives_visible_to(user).filter(unit__path__startswith=unit.path,
                                                               pk=collective_id).first()
        if found.collective is None:
            raise ExportNotFound("未找到该内容，或您无权查看。")
    return found


def unit_export_for_job(job) -> UnitLedgerXlsx:
    """The export of an ExportJob (core.exports), if the account that asked may still export that unit's ledgers
    (NotPermitted otherwise: permissions may have changed since)."""
    try:
        found = unit_export_request(job.requested_by, job.params)
    except ExportNotFound as error:
        raise NotPermitted("您已不能导出该单位的台账记录。") from error
    return unit_ledger_export(job.requested_by, **found.filters())
