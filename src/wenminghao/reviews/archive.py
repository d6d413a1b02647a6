"""The zip of a set of works' files (a unit's recommended works, the city's selection, the province package),
streamed with constant memory whatever its size.

Layout (names safe on Windows, UTF-8 in the zip)::

    推荐成果汇总表.xlsx                                   the Attachment 2 table of these works
    1-“改革开放青观察”图片作品/                           <序号>-<category label>, official order
        01-窗口里的四十年（环翠区政务服务中心窗口）/      <NN>-<作品名称>（<创作集体>）, in the works' order
            01-照片1.jpg                                  <NN>-<original file name>, in the work's file order
    3-“品牌建设青之见”征文/
        01-一个窗口的品牌之路（…）/征文正文.txt           an essay's text (UTF-8), when it has one
    2-…/02-…/H5链接.txt                                   an H5 work's link
    作品清单.csv                                          one line per file (UTF-8 with BOM, for Excel)

How it streams: ``zipfile`` writes into ``_Drain``, a write-only object without ``tell``/``seek``, so zipfile
treats the output as unseekable and puts each member's CRC and sizes in a data descriptor after its bytes. The
generator reads each stored file from ``default_storage`` 1 MiB at a time (so S3 works as well as local disk),
writes the chunk into the member and hands on whatever zipfile has produced: at most about one chunk is held at
any time, never a whole file or the whole zip. Media are stored as they are (already compressed), text is
deflated; a member that could pass 4 GiB is written with ZIP64 sizes from the start.

Everything from the database is read when ``works_archive`` is called (two queries), before the first byte is
sent; the returned generator only reads storage. A stored file that is gone is left out (logged, and the manifest
says so); a storage error in the middle of a file ends the download, which the browser then reports as failed.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from urllib.parse import quote

from django.core.files.storage import default_storage
from django.db.models import Prefetch, prefetch_related_objects
from django.http import StreamingHttpResponse
from django.utils import timezone

from wenminghao.core.exporters import CsvExporter, Exporter
from wenminghao.works.enums import Category, DisplayForm, WorkStatus
from wenminghao.works.models import WorkFile

from .summary import CATEGORY_ORDER, rows_from_works, summary_table

logger = logging.getLogger(__name__)
CHUNK_SIZE = 1024 * 1024
# Formats that are compressed already: deflating them again costs time and gains nothing.
STORED_EXTENSIONS = frozenset({
    "jpg", "jpeg", "png", "gif", "webp", "mp4", "m4v", "mov", "webm", "avi", "pdf", "docx", "xlsx", "zip",
})
# A member this large or larger gets ZIP64 sizes (zipfile would refuse to pass 4 GiB without them).
ZIP64_FROM = 2 * 1024 * 1024 * 1024
SUMMARY_NAME = "推荐成果汇总表.xlsx"
MANIFEST_NAME = "作品清单.csv"
ESSAY_TEXT_NAME = "征文正文.txt"
H5_LINK_NAME = "H5链接.txt"
MISSING_PATH = "（存储中缺少此文件，未能打包）"
MANIFEST_HEADERS = ("作品类别", "作品名称", "展示形式", "创作集体", "归口单位", "状态", "联系人", "联系电话", "文件",
                    "大小（字节）", "SHA-256", "路径")
TITLE_LIMIT = 60
COLLECTIVE_LIMIT = 40
FILE_STEM_LIMIT = 80
UNTITLED = "未命名"

# --- names safe on Windows ------------------------------------------------------------------------------------

# The characters Windows refuses in a name become their full-width forms, which read the same to a Chinese user.
_FULL_WIDTH = str.maketrans({"/": "／", "\\": "＼", ":": "：", "*": "＊", "?": "？", '"': "＂", "<": "＜", ">": "＞",
                             "|": "｜"})
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_RESERVED = re.compile(r"^(con|prn|aux|nul|com[1-9]|lpt[1-9])(\..*)?$", re.IGNORECASE)


def safe_name(text: str, *, limit: int, fallback: str = UNTITLED) -> str:
    """``text`` as one path component any system accepts: Windows' forbidden characters turned full-width,
    control characters dropped, spaces collapsed, at most ``limit`` characters, no trailing dot or space, never a
    reserved device name (CON, NUL, COM1…), never empty."""
    name = _CONTROL.sub("", str(text or "")).translate(_FULL_WIDTH)
    name = " ".join(name.split())[:limit].rstrip(". ").lstrip()
    if not name:
        return fallback
    if _RESERVED.match(name):
        name = f"_{name}"
    return name


def safe_file_name(original: str, *, limit: int = FILE_STEM_LIMIT) -> str:
    """An uploaded file's name made safe (see safe_name), keeping its extension when the name is trimmed."""
    name = _CONTROL.sub("", str(original or "")).replace("\\", "/").rsplit("/", 1)[-1]
    stem, dot, extension = name.rpartition(".")
    if not dot or not stem or len(extension) > 10:
        return safe_name(name, limit=limit, fallback="文件")
    extension = safe_name(extension, limit=10, fallback="")
    return f"{safe_name(stem, limit=limit, fallback='文件')}.{extension}" if extension else safe_name(stem, limit=limit)


def _numbered(index: int, count: int) -> str:
    return f"{index:0{max(2, len(str(count)))}d}"


class _UniquePaths:
    """Paths already used in the zip, compared as Windows and macOS do (ignoring case)."""

    def __init__(self):
        self._used: set[str] = set()

    def claim(self, folder: str, name: str) -> str:
        stem, dot, extension = name.rpartition(".") if "." in name[1:] else (name, "", "")
        candidate, number = f"{folder}{name}", 2
        while candidate.lower() in self._used:
            candidate = f"{folder}{stem}（{number}）{dot}{extension}"
            number += 1
        self._used.add(candidate.lower())
        return candidate


# --- the plan: every member of the zip, from the database --------------------------------------------------------


@dataclass
class Member:
    path: str
    work: object
    file_name: str  # the manifest's 文件 column: the uploaded name, or the generated text's name
    size: int
    sha256: str
    modified: datetime.datetime
    stored: WorkFile | None = None  # read from storage while streaming
    data: bytes | None = None  # generated text
    missing: bool = False  # set while streaming when storage no longer has the file

    @property
    def compress_type(self) -> int:
        extension = self.path.rsplit(".", 1)[-1].lower() if "." in self.path else ""
        return zipfile.ZIP_STORED if extension in STORED_EXTENSIONS else zipfile.ZIP_DEFLATED


def _text_member(path: str, work, name: str, text: str, modified) -> Member:
    data = "\ufeff".encode() + text.encode("utf-8")  # the BOM: Notepad and Office read it as UTF-8
    return Member(path=path, work=work, file_name=name, size=len(data), sha256=hashlib.sha256(data).hexdigest(),
                  modified=modified, data=data)


def plan_members(works: list) -> list[Member]:
    """The members of the zip for ``works`` (in their given order, grouped by category in the official order;
    each work's files prefetched as ``work.files.all()``), with their paths in the zip. Works without any
    member get no entry here (the manifest still lists them)."""
    members: list[Member] = []
    paths = _UniquePaths()
    now = timezone.localtime()
    for category_index, category in enumerate(CATEGORY_ORDER, start=1):
        in_category = [work for work in works if work.category == category]
        category_folder = f"{category_index}-{safe_name(str(category.label), limit=40)}/"
        for work_index, work in enumerate(in_category, start=1):
            title = safe_name(work.title, limit=TITLE_LIMIT)
            collective = safe_name(work.collective.name, limit=COLLECTIVE_LIMIT)
            work_folder = f"{category_folder}{_numbered(work_index, len(in_category))}-{title}（{collective}）/"
            files = list(work.files.all())
            for file_index, stored in enumerate(files, start=1):
                name = f"{_numbered(file_index, len(files))}-{safe_file_name(stored.original_name)}"
                members.append(Member(
                    path=paths.claim(work_folder, name), work=work, file_name=stored.original_name, size=stored.size,
                    sha256=stored.sha256, modified=timezone.localtime(stored.created_at), stored=stored,
                ))
            if work.category == Category.ESSAY and work.essay_text.strip():
                members.append(_text_member(paths.claim(work_folder, ESSAY_TEXT_NAME), work, ESSAY_TEXT_NAME,
                                            work.essay_text, now))
            if work.display_form == DisplayForm.H5 and work.url:
                members.append(_text_member(paths.claim(work_folder, H5_LINK_NAME), work, H5_LINK_NAME,
                                            f"作品名称：{work.title}\r\nH5链接：{work.url}\r\n", now))
    return members


# --- the manifest ----------------------------------------------------------------------------------------------

def _label(choices, value) -> str:
    return str(choices(value).label) if value in choices.values else (value or "")


def manifest_rows(works: list, members: list[Member]) -> Iterator[list[str]]:
    """The manifest's lines after its header: one per member (file) in zip order, one for each work without any."""
    by_work: dict[int, list[Member]] = {}
    for member in members:
        by_work.setdefault(member.work.pk, []).append(member)
    ordered = [work for category in CATEGORY_ORDER for work in works if work.category == category]
    for work in ordered:
        common = [
            _label(Category, work.category), work.title, _label(DisplayForm, work.display_form), work.collective.name,
            work.collective.unit.name, _label(WorkStatus, work.status), work.contact_name, work.contact_phone,
        ]
        own = by_work.get(work.pk)
        if not own:
            yield [*common, "", "", "", ""]
            continue
        for member in own:
            path = MISSING_PATH if member.missing else member.path
            yield [*common, member.file_name, str(member.size), member.sha256, path]


class ManifestCsv(CsvExporter):
    """作品清单.csv inside a zip: one line per file (formula-safe, UTF-8 with BOM, see core.exporters)."""

    identifier = "manifest"
    basename = "作品清单"
    headers = MANIFEST_HEADERS

    def __init__(self, works: list, members: list[Member]):
        self.works = works
        self.members = members

    def rows(self):
        return manifest_rows(self.works, self.members)


def manifest_bytes(works: list, members: list[Member]) -> bytes:
    return ManifestCsv(works, members).to_bytes()


# --- streaming ---------------------------------------------------------------------------------------------------


class _Drain:
    """The zip's output. Write-only, without tell() or seek(), so zipfile writes data descriptors instead of
    seeking back; the generator takes out what was written after every chunk."""

    def __init__(self):
        self._parts: list[bytes] = []

    def write(self, data) -> int:
        self._parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data = b"".join(self._parts)
        self._parts.clear()
        return data


def _info(path: str, modified: datetime.datetime, compress_type: int, size: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(path, date_time=max(modified.timetuple()[:6], (1980, 1, 1, 0, 0, 0)))
    info.compress_type = compress_type
    info.external_attr = 0o644 << 16  # rw-r--r-- when unpacked on Linux or macOS
    info.file_size = size  # the expected size: lets zipfile choose ZIP64 sizes for a big member
    return info


def _stream(works: list, members: list[Member], summary: bytes) -> Iterator[bytes]:
    drain = _Drain()
    with zipfile.ZipFile(drain, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        summary_info = _info(SUMMARY_NAME, timezone.localtime(), zipfile.ZIP_STORED, len(summary))
        with archive.open(summary_info, "w") as target:
            target.write(summary)
        yield drain.take()
        for member in members:
            info = _info(member.path, member.modified, member.compress_type, member.size)
            if member.data is not None:
                with archive.open(info, "w") as target:
                    target.write(member.data)
                continue
            try:
                source = default_storage.open(member.stored.original.name, "rb")
            except FileNotFoundError:
                logger.warning("zip of works: stored file %s of work %s is missing", member.stored.original.name,
                               member.work.pk)
                member.missing = True  # the manifest says so; the zip goes on without it
                continue
            with source, archive.open(info, "w", force_zip64=member.size >= ZIP64_FROM) as target:
                while chunk := source.read(CHUNK_SIZE):
                    target.write(chunk)
                    if data := drain.take():
                        yield data
            if data := drain.take():
                yield data
        manifest = manifest_bytes(works, members)
        with archive.open(_info(MANIFEST_NAME, timezone.localtime(), zipfile.ZIP_DEFLATED, len(manifest)),
                          "w") as target:
            target.write(manifest)
    yield drain.take()


def works_archive(works: Iterable, *, summary_unit_name: str, day: datetime.date | None = None) -> Iterator[bytes]:
    """The zip of ``works`` (Work objects with ``collective`` and ``collective__unit`` selected, in the order of
    the summary table: ``selectors.recommended_works``), as a generator of bytes. Reads the works and their files
    (two queries) now, the stored files while it is iterated. The summary table inside is titled with
    ``summary_unit_name`` (报送单位) and dated ``day`` (today)."""
    works = list(works)
    prefetch_related_objects(works, Prefetch("files", queryset=WorkFile.objects.order_by("role", "position", "id")))
    members = plan_members(works)
    summary = summary_table("xlsx", unit_name=summary_unit_name, rows=rows_from_works(works), day=day).to_bytes()
    return _stream(works, members, summary)


def attachment_disposition(filename: str, ascii_fallback: str) -> str:
    """A Content-Disposition for a download whose (Chinese) name every browser keeps (RFC 5987)."""
    return f"attachment; filename=\"{ascii_fallback}\"; filename*=UTF-8''{quote(filename)}"


class WorksArchive(Exporter):
    """The zip of works as an exporter: ``write(stream)`` for scripts, ``response()`` streams it to the browser."""

    identifier = "works"
    extension = "zip"
    content_type = "application/zip"

    def __init__(self, works: Iterable, *, summary_unit_name: str, basename: str, day: datetime.date | None = None):
        self.chunks = works_archive(works, summary_unit_name=summary_unit_name, day=day)
        self.basename = basename

    def write(self, stream) -> None:
        for chunk in self.chunks:
            stream.write(chunk)

    def response(self) -> StreamingHttpResponse:
        response = StreamingHttpResponse(self.chunks, content_type=self.content_type)
        response["Content-Disposition"] = attachment_disposition(self.filename(), f"{self.identifier}.zip")
        response["X-Accel-Buffering"] = "no"  # a proxy (nginx) passes the zip on as it comes, never buffering it
        response["Cache-Control"] = "private, no-store"
        return response
