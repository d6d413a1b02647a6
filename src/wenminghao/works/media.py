"""What a file really is: read from its content, never from its name or a declared field.

``inspect_picture`` and ``inspect_video`` return the facts that ``works.attachment1`` judges. They never
raise on a hostile file (wrong format, truncated, empty, a decompression bomb, garbage): whatever goes
wrong becomes a fact (``format=None``, ``decoded=False``, ``too_many_pixels=True``, ``has_video=False``).
``docx_text`` reads the text of a Word document and refuses anything that is not a plain .docx.
"""

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

from wenminghao.core.errors import RuleViolationError

from .attachment1 import PictureFacts, VideoFacts
from .uploads import docx_max_bytes

logger = logging.getLogger(__name__)

# EXIF orientations that turn the picture a quarter (5–8): the displayed width is the stored height.
_QUARTER_TURNS = {5, 6, 7, 8}
_EXIF_ORIENTATION = 0x0112
# Pillow calls a JPEG with extra pictures appended (many cameras do this) MPO; it is a JPEG file all the same.
_FORMAT_ALIASES = {"MPO": "JPEG"}
# An audio track may run this much past the picture without counting: encoders pad the last audio frame.
AUDIO_PADDING = Fraction(1, 10)


def max_image_pixels() -> int:
    return int(getattr(settings, "WMH_MAX_IMAGE_PIXELS", 120_000_000))


def _open_image(path):
    """Open a picture reading only its header; Pillow's own bomb warning is ours to judge (we cap from settings)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        return Image.open(path)


def inspect_picture(path, name: str) -> PictureFacts:
    """The format (by content), displayed size (EXIF orientation applied) and integrity of a picture.

    The pixel count is read from the header and capped (settings.WMH_MAX_IMAGE_PIXELS) before anything is
    decoded; only then is the whole image data decoded, so a truncated or corrupt file is found."""
    try:
        if os.path.getsize(path) == 0:
            return PictureFacts(name=name, format=None)
        image = _open_image(path)
    except Image.DecompressionBombError:
        return PictureFacts(name=name, format=None, too_many_pixels=True)
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError):
        return PictureFacts(name=name, format=None)
    except Exception:  # a hostile file must never take the worker down
        logger.warning("picture %s could not be opened", name, exc_info=True)
        return PictureFacts(name=name, format=None)
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
        try:
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


def _stream_seconds(container, stream, *, gif: bool) -> Fraction | None:
    """The playing time of one stream, from its packets: the end of the last packet minus the start of the
    first (for a GIF, the sum of the frames' delays)."""
    start = end = None
    total = 0
    for packet in container.demux(stream):
        if packet.pts is None or packet.size == 0:
            continue
        length = packet.duration or 0
        total += length
        if start is None or packet.pts < start:
            start = packet.pts
        if end is None or packet.pts + length > end:
            end = packet.pts + length
    if start is None or stream.time_base is None:
        return None
    ticks = total if gif else end - start
    return Fraction(ticks) * Fraction(stream.time_base)


def _first_frame_decodes(container, stream) -> bool:
    container.seek(0)
    for frame in container.decode(stream):
        return frame is not None
    return False


def inspect_video(path, name: str) -> VideoFacts:
    """The container (by content), whether a readable video stream is present, its size and its playing
    time in seconds, measured from the packets of the streams (never the file name or a declared field)."""
    try:
        if os.path.getsize(path) == 0:
            return VideoFacts(name=name, container=None)
        with av.open(str(path), metadata_errors="ignore") as container:
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
            seconds = _stream_seconds(container, video, gif=gif)
            for audio in container.streams.audio if not gif and seconds is not None else ():
                # Sound that goes on after the picture ends is played too; a few milliseconds more are only
                # the padding of the last audio frame, not playing time.
                container.seek(0)
                audio_seconds = _stream_seconds(container, audio, gif=False)
                if audio_seconds is not None and audio_seconds > seconds + AUDIO_PADDING:
                    seconds = audio_seconds
            if seconds is None or seconds <= 0 or not _first_frame_decodes(container, video):
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
