"""Media made in the tests: pictures (Pillow), videos and animations (PyAV), Word documents (python-docx),
and the hostile files the upload checks must refuse. Every generator returns bytes; ``upload(name, data)``
turns them into an UploadedFile for the services and ``media_storage`` points storage and temporary files
at a fresh directory. Other test modules import from here.

    from tests.works.media_fixtures import jpeg, video, upload
    from tests.works.media_fixtures import media_storage  # noqa: F401 - a pytest fixture
"""

import functools
import io
import random
import struct
import zipfile
from fractions import Fraction
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

# --- pictures ------------------------------------------------------------------------------------------------


def picture(width: int, height: int, *, seed: int = 1, mode: str = "RGB") -> Image.Image:
    """A picture with some shapes on a gradient, different for each seed (so perceptual hashes differ)."""
    rng = random.Random(seed)
    base = Image.linear_gradient("L").resize((width, height)).convert(mode)
    draw = ImageDraw.Draw(base)
    for _ in range(6):
        x0, y0 = rng.randrange(width), rng.randrange(height)
        x1, y1 = x0 + rng.randrange(1, max(2, width // 2)), y0 + rng.randrange(1, max(2, height // 2))
        fill = tuple(rng.randrange(256) for _ in range(len(mode))) if mode != "L" else rng.randrange(256)
        (draw.ellipse if rng.random() < 0.5 else draw.rectangle)((x0, y0, x1, y1), fill=fill)
    return base


@functools.lru_cache(maxsize=64)
def jpeg(width: int = 1600, height: int = 1200, *, orientation: int | None = None, seed: int = 1,
         quality: int = 80) -> bytes:
    """A real JPEG of width×height stored pixels; ``orientation`` sets the EXIF orientation tag (6 = shown
    turned a quarter clockwise, so displayed as height×width)."""
    image = picture(width, height, seed=seed)
    buffer = io.BytesIO()
    if orientation is not None:
        exif = Image.Exif()
        exif[0x0112] = orientation
        image.save(buffer, "JPEG", quality=quality, exif=exif.tobytes())
    else:
        image.save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()


@functools.lru_cache(maxsize=16)
def png(width: int = 1600, height: int = 1200, *, seed: int = 1) -> bytes:
    buffer = io.BytesIO()
    picture(width, height, seed=seed).save(buffer, "PNG")
    return buffer.getvalue()


def gif(width: int = 1600, height: int = 1200, *, seed: int = 1) -> bytes:
    """A still GIF."""
    buffer = io.BytesIO()
    picture(width, height, seed=seed).convert("P").save(buffer, "GIF")
    return buffer.getvalue()


def truncated_jpeg(width: int = 1600, height: int = 1200) -> bytes:
    """A JPEG cut off half way: the header is fine, the picture data ends early."""
    data = jpeg(width, height)
    return data[: len(data) // 2]


def jpeg_bomb(width: int = 40000, height: int = 40000) -> bytes:
    """A tiny JPEG whose header claims width×height pixels (a decompression bomb): the SOF marker is rewritten."""
    data = bytearray(jpeg(16, 16))
    index = 2
    while index < len(data):
        marker, length = data[index + 1], struct.unpack(">H", data[index + 2:index + 4])[0]
        if marker in (0xC0, 0xC1, 0xC2):
            data[index + 5:index + 9] = struct.pack(">HH", height, width)
            return bytes(data)
        index += 2 + length
    raise AssertionError("no SOF marker")


def not_media() -> bytes:
    return "这不是图片，也不是视频。\n".encode() * 100


# --- videos and animations -----------------------------------------------------------------------------------

VIDEO_CODECS = {"mp4": ("mp4", "mpeg4"), "mov": ("mov", "mpeg4"), "webm": ("webm", "libvpx")}


@functools.lru_cache(maxsize=32)
def video(seconds: float | str = 5, *, kind: str = "mp4", fps: int = 10, size: tuple[int, int] = (64, 48),
          audio_seconds: float | None = None) -> bytes:
    """A tiny video of exactly ``seconds`` (a whole number of frames at ``fps``) in ``kind`` (mp4, mov, webm),
    optionally with a silent audio track of ``audio_seconds``."""
    import av

    fmt, codec = VIDEO_CODECS[kind]
    frames = round(Fraction(str(seconds)) * fps)
    buffer = io.BytesIO()
    with av.open(buffer, mode="w", format=fmt) as container:
        stream = container.add_stream(codec, rate=fps)
        stream.width, stream.height = size
        stream.pix_fmt = "yuv420p"
        audio = None
        if audio_seconds is not None:
            audio = container.add_stream("libopus" if kind == "webm" else "aac", rate=48000)
            audio.layout = "mono"
        for index in range(frames):
            image = Image.new("RGB", size, ((index * 7) % 256, 80, 160))
            frame = av.VideoFrame.from_image(image)
            frame.pts = index
            frame.time_base = Fraction(1, fps)
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
        if audio is not None:
            _write_silence(container, audio, audio_seconds)
    return buffer.getvalue()


def _write_silence(container, stream, seconds: float, rate: int = 48000) -> None:
    import av

    samples = round(Fraction(str(seconds)) * rate)
    pts = 0
    while pts < samples:
        count = min(1024, samples - pts)
        frame = av.AudioFrame(format="fltp", layout="mono", samples=count)
        for plane in frame.planes:
            plane.update(bytes(plane.buffer_size))
        frame.sample_rate = rate
        frame.pts = pts
        frame.time_base = Fraction(1, rate)
        pts += count
        for packet in stream.encode(frame):
            container.mux(packet)
    for packet in stream.encode():
        container.mux(packet)


def audio_only(seconds: float = 3) -> bytes:
    """An MP4 (M4A) with a sound track and no video stream."""
    import av

    buffer = io.BytesIO()
    with av.open(buffer, mode="w", format="mp4") as container:
        stream = container.add_stream("aac", rate=48000)
        stream.layout = "mono"
        _write_silence(container, stream, seconds)
    return buffer.getvalue()


def animated_gif(seconds: float | str = 3, *, size: tuple[int, int] = (48, 32), frame_ms: int = 500) -> bytes:
    """An animated GIF playing exactly ``seconds`` (GIF delays are in hundredths): frames of ``frame_ms``,
    the last one shortened or lengthened to make up the exact total."""
    total = round(Fraction(str(seconds)) * 100)  # hundredths
    step = frame_ms // 10
    delays = [step] * (total // step)
    if total % step:
        delays.append(total % step)
    frames = [Image.new("P", size, index % 200 + 20) for index in range(len(delays))]
    for index, frame in enumerate(frames):
        frame.putpalette([(i * 3 + index) % 256 for i in range(768)])
        ImageDraw.Draw(frame).rectangle((index % size[0], 0, index % size[0] + 3, 5), fill=(index * 5) % 256)
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=[d * 10 for d in delays],
                   loop=0, disposal=1, optimize=False)
    return buffer.getvalue()


# --- Word documents ------------------------------------------------------------------------------------------


def docx(*paragraphs: str, table: list[list[str]] | None = None) -> bytes:
    import docx as python_docx

    document = python_docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for row_index, row in enumerate(table):
            for col_index, value in enumerate(row):
                grid.cell(row_index, col_index).text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def docm(*paragraphs: str) -> bytes:
    """A macro-enabled Word document (.docm): the main part's content type says so and a vbaProject.bin is inside."""
    source = zipfile.ZipFile(io.BytesIO(docx(*paragraphs)))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(
                    b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
                    b"application/vnd.ms-word.document.macroEnabled.main+xml",
                ).replace(b"</Types>", b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
                          b"</Types>")
            target.writestr(item, data)
        target.writestr("word/vbaProject.bin", b"\xd0\xcf\x11\xe0 macro")
    return buffer.getvalue()


def zip_not_docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "not a Word document")
    return buffer.getvalue()


# --- uploads and storage ---------------------------------------------------------------------------------------


def upload(name: str, data: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    """An uploaded file as the services receive it (the declared content type is never trusted)."""
    return SimpleUploadedFile(name, data, content_type=content_type)


def files_under(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*") if path.is_file())


@pytest.fixture
def media_storage(settings, tmp_path):
    """Storage (MEDIA_ROOT) and upload temporary files in fresh directories; returns (media_root, temp_dir)."""
    media_root = tmp_path / "media"
    temp_dir = tmp_path / "upload-tmp"
    media_root.mkdir()
    temp_dir.mkdir()
    settings.MEDIA_ROOT = media_root
    settings.FILE_UPLOAD_TEMP_DIR = temp_dir
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": media_root}},
    }
    return media_root, temp_dir


# --- works ---------------------------------------------------------------------------------------------------

WORK_DEFAULTS = {
    "photo": {"display_form": "picture", "title": "窗口里的四十年", "description": "从手写票据到掌上办理。"},
    "publicity": {"display_form": "video", "title": "三十秒讲清新思想", "description": ""},
    "essay": {"display_form": "essay", "title": "一个窗口的品牌之路", "essay_kind": "practice", "description": ""},
}


def work_fields(category: str = "photo", **overrides) -> dict:
    fields = {"category": category, "contact_name": "王联系", "contact_phone": "13900000000",
              **WORK_DEFAULTS[category]}
    fields.update(overrides)
    return fields


def make_work(*, actor, collective, campaign, category: str = "photo", **overrides):
    from wenminghao.works.services import create_work

    return create_work(actor=actor, collective=collective, campaign=campaign,
                       fields=work_fields(category, **overrides))


def add_pictures(work, actor, count: int, *, first_seed: int = 1):
    """``count`` valid 1600×1200 JPEGs added to a photo work."""
    from wenminghao.works.services import add_work_file

    return [add_work_file(actor=actor, work=work, upload=upload(f"照片{seed}.jpg", jpeg(seed=seed)))
            for seed in range(first_seed, first_seed + count)]
