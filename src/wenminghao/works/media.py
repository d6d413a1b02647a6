"""What a file really is: read from its content, never from its name or a declared field.

``inspect_picture`` and ``inspect_video`` return the facts that ``works.attachment1`` judges. They never
raise on a hostile file (wrong format, truncated, empty, a decompression bomb, garbage): whatever goes
wrong becomes a fact (``format=None``, ``decoded=False``, ``too_many_pixels=True``, ``has_video=False``).
``docx_text`` reads the text of a Word document and refuses anything that is not a plain .docx.
"""

import io
import logging
import os
import warnings
import zipfile
from decimal import Decimal
from fractions import Fraction

import av
import docx
from django.conf import settings
from docx.oxml.ns import qn
from PIL import Image, UnidentifiedImageError

from wenminghao.core import ooxml
from wenminghao.core.errors import RuleViolationError, Violation

from .attachment1 import ARCHIVE_APPENDED, PictureFacts, VideoFacts
from .uploads import docx_max_bytes

logger = logging.getLogger(__name__)

# EXIF orientations that turn the picture a quarter (5–8): the displayed width is the stored height.
_QUARTER_TURNS = {5, 6, 7, 8}
_EXIF_ORIENTATION = 0x0112
# Pillow calls a JPEG with extra pictures appended (many cameras do this) MPO; it is a JPEG file all the same.
_FORMAT_ALIASES = {"MPO": "JPEG"}
# A JPEG's integrity is checked by decoding it at 1/8 of its size (see verify_scale).
_VERIFY_SCALE = 8
# An audio track may run this much past the picture without counting: encoders pad the last audio frame.
AUDIO_PADDING = Fraction(1, 10)


def max_image_pixels() -> int:
    return int(getattr(settings, "WMH_MAX_IMAGE_PIXELS", 120_000_000))


def _open_image(path):
    """Open a picture reading only its header; Pillow's own bomb warning is ours to judge (we cap from settings)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        return Image.open(path)


def verify_scale(image: Image.Image) -> None:
    """Make a JPEG decode at the smallest DCT scale libjpeg offers (1/8: each 8×8 block becomes one pixel); other
    formats are left as they are.

    The entropy-coded data is still decoded to its last block (the Huffman codes cannot be skipped), so a file
    cut short or with damaged data fails exactly as it fails a full-size decode; what is saved is the inverse
    DCT, the upsampling and the colour conversion at full size, and 63/64 of the memory. Call it on a freshly
    opened image, before ``load()``; afterwards ``image.size`` is the reduced size."""
    width, height = image.size
    image.draft(image.mode, (max(1, width // _VERIFY_SCALE), max(1, height // _VERIFY_SCALE)))  # JPEG only


class StreamedJpegCheck:
    """The integrity check of a JPEG made while its bytes arrive: the upload handler feeds it each chunk as it
    feeds the SHA-256, and it runs the decode ``inspect_picture`` makes (1/8 scale, every coded block, the same
    libjpeg decoder fed the same bytes), so once the last byte is in only the last chunk is left to decode.

    ``verdict()``, after the last chunk: True (decoded to its end), False (damaged or cut short: the refusal a
    decode of the file gives), or None when it could not judge (not a JPEG, a header longer than HEADER_LIMIT,
    too many pixels, or fed nothing) — ``inspect_picture`` then decodes the file itself. Never raises."""

    HEADER_LIMIT = 1024 * 1024  # the markers before the first scan (EXIF, ICC profile, thumbnails)

    def __init__(self):
        self._head = bytearray()
        self._pending = b""
        self._decoder = None
        self._image = None  # the 1/8-scale picture the decoder writes into
        self._verdict: bool | None = None
        self._settled = False

    def feed(self, chunk: bytes) -> None:
        if self._settled or not chunk:
            return
        try:
            if self._decoder is None:
                self._head += chunk
                if not self._start():
                    return
                chunk, self._head = bytes(self._head), bytearray()
            self._decode(chunk)
        except Exception:  # a hostile file must never break the upload: judge it from the file instead
            logger.info("streamed JPEG check gave up", exc_info=True)
            self._settle(None)

    def verdict(self) -> bool | None:
        if not self._settled:
            # The bytes ended before the picture did (a file cut short), or before the header was complete.
            self._settle(False if self._decoder is not None else None)
        return self._verdict

    def _start(self) -> bool:
        """Open the header once it is complete (up to the first scan); False while more is needed."""
        if not self._head.startswith(b"\xff\xd8"[:len(self._head)]):  # no JPEG start-of-image: not ours to judge
            self._settle(None)
            return False
        try:
            image = _open_image(io.BytesIO(bytes(self._head)))
        except Exception:
            if len(self._head) > self.HEADER_LIMIT:
                self._settle(None)
            return False
        width, height = image.size
        if _FORMAT_ALIASES.get(image.format, image.format) != "JPEG" or width * height > max_image_pixels() \
                or len(image.tile) != 1:
            self._settle(None)
            return False
        verify_scale(image)
        image.load_prepare()
        decoder_name, extents, offset, args = image.tile[0]
        self._decoder = Image._getdecoder(image.mode, decoder_name, args, image.decoderconfig)
        self._decoder.setimage(image.im, extents)
        self._image = image
        self._head = self._head[offset:]
        return True

    def _decode(self, chunk: bytes) -> None:
        data = self._pending + chunk
        consumed, error = self._decoder.decode(data)
        if consumed < 0:  # the decoder reached the end of the picture
            self._settle(error >= 0)
        else:
            self._pending = data[consumed:]

    def _settle(self, verdict: bool | None) -> None:
        self._verdict, self._settled, self._pending = verdict, True, b""
        if self._decoder is not None:
            self._decoder.cleanup()
            self._decoder = self._image = None


# The brands of an ISO media file (ftyp box) that are pictures Pillow does not read: an iPhone's photos (HEIC/HEIF).
_PICTURE_BRANDS = {b"heic": "HEIC", b"heix": "HEIC", b"heim": "HEIC", b"heis": "HEIC", b"hevc": "HEIC",
                   b"hevx": "HEIC", b"mif1": "HEIF", b"msf1": "HEIF"}


def hides_archive(path) -> bool:
    """Whether a ZIP archive with at least one entry is appended to (or is) the file: its central directory at the
    end of the file reads. Only the end of the file is read."""
    try:
        with zipfile.ZipFile(path) as archive:
            return bool(archive.infolist())
    except Exception:
        return False


def _iso_media_brand(path) -> str | None:
    """HEIC or HEIF when the file is an ISO media file (ftyp box) of a picture brand; None otherwise."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(64)
    except OSError:
        return None
    if head[4:8] != b"ftyp":
        return None
    size = int.from_bytes(head[:4], "big")
    brands = [head[8:12]] + [head[index:index + 4] for index in range(16, min(size, len(head)) - 3, 4)]
    for brand in brands:
        if brand in _PICTURE_BRANDS:
            return _PICTURE_BRANDS[brand]
    return None


def inspect_picture(path, name: str, *, streamed: bool | None = None) -> PictureFacts:
    """The format (by content), displayed size (EXIF orientation applied) and integrity of a picture.

    ``streamed`` is the verdict of a StreamedJpegCheck fed the file's bytes as they arrived: for a JPEG it
    stands for the decode (which it was), so the file is not decoded again; None decodes the file here.

    The pixel count is read from the header and capped (settings.WMH_MAX_IMAGE_PIXELS) before anything is
    decoded; only then is the whole image data decoded, so a truncated or corrupt file is found. A JPEG is
    decoded at 1/8 scale (``verify_scale``): every coded block is still read, only the pixels are not rebuilt
    at full size, which the task worker does for the previews (works.tasks)."""
    try:
        if os.path.getsize(path) == 0:
            return PictureFacts(name=name, format=None)
        image = _open_image(path)
    except Image.DecompressionBombError:
        return PictureFacts(name=name, format=None, too_many_pixels=True)
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError):
        return PictureFacts(name=name, format=_iso_media_brand(path))
    except Exception:  # a hostile file must never take the worker down
        logger.warning("picture %s could not be opened", name, exc_info=True)
        return PictureFacts(name=name, format=None)
    if hides_archive(path):
        image.close()
        return PictureFacts(name=name, format=ARCHIVE_APPENDED, decoded=False)
    with image:
        kind = _FORMAT_ALIASES.get(image.format, image.format)
        width, height = image.size
        if width * height > max_image_pixels():
            return PictureFacts(name=name, format=kind, width=width, height=height, decoded=False,
                                too_many_pixels=True)
        try:
            orientation = image.getexif().get(_EXIF_ORIENTATION)
        except Exception:
            orientation = None
        if orientation in _QUARTER_TURNS:
            width, height = height, width
        if streamed is not None and kind == "JPEG":
            return PictureFacts(name=name, format=kind, width=width, height=height, decoded=streamed)
        try:
            verify_scale(image)
            image.load()
            decoded = True
        except Exception:
            decoded = False
    return PictureFacts(name=name, format=kind, width=width, height=height, decoded=decoded)


def _container_kind(container, path) -> str | None:
    """mp4, mov, webm or gif by what the demuxer and the file's own header say; another name for other media."""
    names = set((container.format.name or "").split(","))
    if "gif" in names:
        return "gif"
    if "mp4" in names or "mov" in names:
        brand = (container.metadata.get("major_brand") or "").strip().lower()
        return "mov" if brand == "qt" else "mp4"
    if "matroska" in names or "webm" in names:
        with open(path, "rb") as handle:
            head = handle.read(64)
        return "webm" if b"webm" in head else "mkv"
    return container.format.name or "unknown"


class _Span:
    """The playing time of one stream, gathered packet by packet: the end of the last packet minus the start of
    the first (for a GIF, the sum of the frames' delays)."""

    def __init__(self, stream, *, gif: bool):
        self.time_base = stream.time_base
        self.gif = gif
        self.start = self.end = None
        self.total = 0

    def add(self, packet) -> None:
        length = packet.duration or 0
        self.total += length
        if self.start is None or packet.pts < self.start:
            self.start = packet.pts
        if self.end is None or packet.pts + length > self.end:
            self.end = packet.pts + length

    def seconds(self) -> Fraction | None:
        if self.start is None or self.time_base is None:
            return None
        ticks = self.total if self.gif else self.end - self.start
        return Fraction(ticks) * Fraction(self.time_base)


def _read_packets(container, video, audios, *, gif: bool):
    """One pass over the file's packets (their timestamps; nothing is decoded): the span of the video stream, of
    each sound stream, and the video packets up to and including the first keyframe (normally just one).

    Sound packets stamped before 0 are the encoder's priming (an AAC encoder's first 1024 samples), which a player
    drops: they do not count."""
    spans = {stream.index: _Span(stream, gif=gif) for stream in (video, *audios)}
    opening: list = []
    opened = False
    for packet in container.demux(video, *audios):
        if packet.pts is None or packet.size == 0:
            continue
        if packet.stream_index != video.index and packet.pts < 0:
            continue
        spans[packet.stream_index].add(packet)
        if packet.stream_index == video.index and not opened:
            opening.append(packet)
            opened = packet.is_keyframe
    return spans[video.index], [spans[stream.index] for stream in audios], opening


def _opening_decodes(video, opening) -> bool:
    """Whether the first keyframe decodes into a picture: only those packets are sent, then the decoder is
    drained, so no later frame is decoded (a decoder otherwise holds frames back for reordering)."""
    if not opening:
        return False
    codec = video.codec_context
    try:
        for packet in opening:
            if codec.decode(packet):
                return True
        return bool(codec.decode(None))
    except av.FFmpegError:
        return False


def _first_frame_decodes(path) -> bool:
    """The first frame the stream gives, decoding from the start as a player does (for the rare stream whose
    first keyframe does not decode on its own)."""
    try:
        with av.open(str(path), metadata_errors="ignore") as container:
            for frame in container.decode(container.streams.video[0]):
                return frame is not None
    except av.FFmpegError:
        pass
    return False


# The demuxer's probe (avformat_find_stream_info) would decode a few frames to guess the decoder's delay, which
# the check does not need: it decodes the first picture itself. The probe still reads every header.
_PROBE_OPTIONS = {"skip_frame": "all"}


def inspect_video(path, name: str) -> VideoFacts:
    """The container (by content), whether a readable video stream is present, its size and its playing
    time in seconds, measured from the packets of the streams (never the file name or a declared field).

    What is read: the container's headers (format, streams, codec parameters, the pixel size checked against
    settings.WMH_MAX_IMAGE_PIXELS before anything is decoded); the timestamps and durations of every video and
    sound packet, in one pass (the packets' data is read from disk but not decoded); and the first keyframe,
    decoded to prove the video stream holds a picture this platform can show. No other frame is decoded."""
    try:
        if os.path.getsize(path) == 0:
            return VideoFacts(name=name, container=None)
        if hides_archive(path):
            return VideoFacts(name=name, container=ARCHIVE_APPENDED)
        with av.open(str(path), metadata_errors="ignore", options=_PROBE_OPTIONS) as container:
            kind = _container_kind(container, path)
            videos = [stream for stream in container.streams.video]
            if not videos:
                return VideoFacts(name=name, container=kind, has_video=False)
            video = videos[0]
            width = video.codec_context.width or None
            height = video.codec_context.height or None
            if not width or not height or width * height > max_image_pixels():
                return VideoFacts(name=name, container=kind, has_video=False, width=width, height=height)
            gif = kind == "gif"
            audios = [] if gif else list(container.streams.audio)
            span, sound_spans, opening = _read_packets(container, video, audios, gif=gif)
            seconds = span.seconds()
            for sound in sound_spans if seconds is not None else ():
                # Sound that goes on after the picture ends is played too; a few milliseconds more are only
                # the padding of the last audio frame, not playing time.
                audio_seconds = sound.seconds()
                if audio_seconds is not None and audio_seconds > seconds + AUDIO_PADDING:
                    seconds = audio_seconds
            if seconds is None or seconds <= 0 or not (_opening_decodes(video, opening) or _first_frame_decodes(path)):
                return VideoFacts(name=name, container=kind, has_video=False, width=width, height=height)
            if gif and video.frames == 1:
                return VideoFacts(name=name, container=kind, has_video=False, width=width, height=height)
            duration = (Decimal(seconds.numerator) / Decimal(seconds.denominator)).quantize(Decimal("0.001"))
            return VideoFacts(name=name, container=kind, has_video=True, duration=duration, width=width,
                              height=height)
    except Exception:  # av.FFmpegError and anything else: not a readable media file
        logger.info("video %s could not be read", name, exc_info=True)
        return VideoFacts(name=name, container=None)


# --- Word documents ---------------------------------------------------------------------------------------

_MACRO_MARKERS = ("macroenabled", "vbaproject", "vbadata")
_DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
# A .docx is compressed XML; ten times its size limit unpacked is already far more than any essay needs.
_DOCX_EXPANSION = 10


def docx_text(path, name: str = "Word文档") -> str:
    """The text of a .docx, paragraph by paragraph (tables and text boxes included), as Word shows it.

    Refuses (RuleViolationError) a file that is not a zip (file.type: an old .doc, an encrypted document or
    not a document at all), a macro-enabled document (.docm, file.type), and a zip that is not a readable
    Word document (essay.docx)."""
    label = f"文件（{name}）"
    try:
        is_zip = os.path.getsize(path) > 0 and zipfile.is_zipfile(path)
    except OSError:
        is_zip = False
    if not is_zip:
        raise RuleViolationError.single(
            "file.type",
            f"{label}不是有效的Word文档（.docx）：可能是旧版.doc、加密文档或其他文件，请在Word中另存为.docx后上传",
            "file",
        )
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
            if sum(entry.file_size for entry in entries) > docx_max_bytes() * _DOCX_EXPANSION:
                raise RuleViolationError.single(
                    "essay.docx", f"{label}解压后过大，无法读取，请另存为普通.docx后上传", "file"
                )
            names = {entry.filename.lower() for entry in entries}
            content_types = archive.read("[Content_Types].xml").decode("utf-8", "replace").lower()
            declares_entities = ooxml.part_declaring_entities(archive) is not None
            external = ooxml.external_target(archive)
    except RuleViolationError:
        raise
    except Exception as error:
        raise RuleViolationError.single(
            "essay.docx", f"{label}已损坏或不是Word文档，无法读取，请在Word中重新保存为.docx后上传", "file"
        ) from error
    if any(marker in content_types for marker in _MACRO_MARKERS) or any("vbaproject" in n for n in names):
        raise RuleViolationError.single(
            "file.type",
            f"{label}是启用宏的Word文档（.docm），出于安全原因不予接受，请另存为不含宏的.docx后上传",
            "file",
        )
    if declares_entities:
        raise RuleViolationError.single(
            "essay.docx",
            f"{label}含有XML实体声明（DTD），Word保存的文档不会有这种内容，出于安全原因不予接受，"
            "请在Word中另存为新的.docx后上传", "file",
        )
    if external is not None:
        raise RuleViolationError.single(
            "essay.docx",
            f"{label}引用了外部的模板或对象（{external[:80]}），打开时会从网络或其他电脑读取内容，出于安全原因不予接受；"
            "请在Word中取消附加的模板（开发工具—文档模板）或删除链接的对象，另存为新的.docx后上传", "file",
        )
    if _DOCX_MAIN not in content_types:
        raise RuleViolationError.single(
            "essay.docx", f"{label}不是Word文档（可能是Excel或PowerPoint文件），请上传.docx格式的征文", "file"
        )
    try:
        document = docx.Document(str(path))
        return "\n".join(_paragraph_texts(document.element.body)).strip()
    except Exception as error:
        raise RuleViolationError.single(
            "essay.docx", f"{label}已损坏或不是Word文档，无法读取，请在Word中重新保存为.docx后上传", "file"
        ) from error


def _paragraph_texts(body):
    """Each paragraph's own text in document order: body, tables and text boxes; tracked deletions and the
    compatibility copies (mc:Fallback) of text boxes are left out, as Word's 字数 leaves them out."""
    paragraph_tag, text_tag, tab_tag, break_tag = qn("w:p"), qn("w:t"), qn("w:tab"), qn("w:br")
    fallback_tag = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
    for paragraph in body.iter(paragraph_tag):
        if any(True for _ in paragraph.iterancestors(fallback_tag)):
            continue
        parts = []
        for node in paragraph.iter(text_tag, tab_tag, break_tag):
            if next(node.iterancestors(paragraph_tag)) is not paragraph:
                continue  # a nested paragraph (text box): it is read on its own
            if node.tag == text_tag:
                parts.append(node.text or "")
            else:
                parts.append("\t" if node.tag == tab_tag else "\n")
        yield "".join(parts)


PICTURE_TYPES = {"JPEG": ("image/jpeg", ".jpg"), "PNG": ("image/png", ".png")}


def sniff_picture(item, *, accepted: str, unknown: str = "不是可识别的图片文件", field: str = "file"
                  ) -> tuple[str, str, dict] | Violation:
    """(content type, extension, {"width", "height"}) of a received JPEG or PNG picture (``uploads.Received``: its
    ``name``, ``path`` and ``size``) judged by its content (a full decode, ``inspect_picture``'s pixel cap), or why
    not, on ``field``: ``file.empty``, ``photo.corrupt``, or ``file.type``
    saying what the file is (``unknown`` when nothing could tell) and then ``accepted``, what the caller takes (e.g.
    “台账附件可上传JPEG或PNG图片、PDF或Word（.docx）文档”). The one picture intake of the photos of the ledger, the
    stories, the joint projects, the inspections and the public pages (the works' pictures have Attachment 1's own
    rules)."""
    label = f"文件（{item.name}）"
    if item.size == 0:
        return Violation("file.empty", f"{label}是空文件，请重新选择", field)
    facts = inspect_picture(item.path, item.name)
    if facts.format in PICTURE_TYPES:
        if facts.too_many_pixels or not facts.decoded:
            return Violation("photo.corrupt", f"{label}已损坏、不完整或像素过多，无法打开，请重新导出后上传", field)
        content_type, extension = PICTURE_TYPES[facts.format]
        return content_type, extension, {"width": facts.width, "height": facts.height}
    found = f"实际为{facts.format}格式" if facts.format else unknown
    return Violation("file.type", f"{label}{found}；{accepted}", field)
