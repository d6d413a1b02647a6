"""A JPEG's integrity is checked at 1/8 scale (works.media.verify_scale): every coded block is still decoded, so
each file a full-size decode refuses is refused, and every picture a full-size decode accepts is accepted."""

import io
import random

import pytest
from PIL import Image, ImageDraw, ImageFilter

from tests.works.media_fixtures import jpeg, png
from wenminghao.works import attachment1
from wenminghao.works.media import StreamedJpegCheck, inspect_picture, verify_scale


def photo_like(size=(1600, 1200), seed: int = 3) -> Image.Image:
    """Shapes, softened, with sensor-like noise: entropy data like a camera's, not a flat test card."""
    rnd = random.Random(seed)
    image = Image.new("RGB", size, (120, 140, 160))
    draw = ImageDraw.Draw(image)
    for _ in range(20):
        x0, y0 = rnd.randrange(size[0]), rnd.randrange(size[1])
        box = (x0, y0, x0 + rnd.randrange(50, size[0] // 2), y0 + rnd.randrange(50, size[1] // 2))
        (draw.ellipse if rnd.random() < 0.5 else draw.rectangle)(box, fill=tuple(rnd.randrange(256) for _ in "rgb"))
    image = image.filter(ImageFilter.GaussianBlur(3))
    return Image.blend(image, Image.effect_noise(size, 20).convert("RGB"), 0.1)


def encoded(image: Image.Image, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", **options)
    return buffer.getvalue()


def scan_start(data: bytes) -> int:
    """Where the entropy-coded data of the first scan begins (just after the SOS segment)."""
    index = 2
    while True:
        marker, length = data[index + 1], int.from_bytes(data[index + 2:index + 4], "big")
        index += 2 + length
        if marker == 0xDA:
            return index


def flipped(data: bytes, fraction: float, count: int) -> bytes:
    """``count`` bytes inverted at ``fraction`` of the way through the entropy data."""
    at = scan_start(data) + int((len(data) - scan_start(data)) * fraction)
    damaged = bytearray(data)
    for offset in range(count):
        damaged[at + offset] ^= 0xFF
    return bytes(damaged)


def scrambled(data: bytes, fraction: float, count: int) -> bytes:
    """``count`` random bytes written over the entropy data at ``fraction`` of the way through."""
    at = scan_start(data) + int((len(data) - scan_start(data)) * fraction)
    rnd = random.Random(count)
    return data[:at] + bytes(rnd.randrange(256) for _ in range(count)) + data[at + count:]


def full_size_decodes(data: bytes) -> bool:
    """What the check did before it decoded at reduced scale: the whole picture at full size."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
        return True
    except Exception:
        return False


@pytest.fixture
def check(tmp_path):
    def _check(data: bytes):
        path = tmp_path / "照片.jpg"
        path.write_bytes(data)
        return inspect_picture(path, "照片.jpg")

    return _check


BASELINE = photo_like()
SHOT = encoded(BASELINE, quality=90)  # about 330 kB
PROGRESSIVE = encoded(BASELINE, quality=90, progressive=True)


@pytest.mark.parametrize(("damage", "data"), [
    ("cut at 60 %", SHOT[: len(SHOT) * 6 // 10]),
    ("cut at 99.9 %", SHOT[: len(SHOT) * 999 // 1000]),
    ("end-of-image marker missing", SHOT[:-2]),
    ("cut just after the scan header", SHOT[: scan_start(SHOT) + 10]),
    ("64 bytes flipped in the middle of the entropy data", flipped(SHOT, 0.5, 64)),
    ("16 bytes flipped in the middle (test card)", flipped(jpeg(1600, 1200), 0.5, 16)),
    ("progressive, cut at 60 %", PROGRESSIVE[: len(PROGRESSIVE) * 6 // 10]),
])
def test_a_damaged_jpeg_is_refused_at_reduced_scale(check, damage, data):
    assert not full_size_decodes(data), "the damage must be one a full-size decode refuses"
    facts = check(data)
    assert (facts.format, facts.width, facts.height, facts.decoded) == ("JPEG", 1600, 1200, False)
    assert [v.code for v in attachment1.check_picture(facts, 1)] == ["photo.corrupt"]


def damaged_variants():
    sources = {"baseline": SHOT, "progressive": PROGRESSIVE, "test card": jpeg(1600, 1200)}
    for name, data in sources.items():
        for fraction in (0.2, 0.5, 0.8):
            for count in (1, 4, 16, 64, 256):
                yield f"{name}, {count} flipped at {fraction}", flipped(data, fraction, count)
                yield f"{name}, {count} random at {fraction}", scrambled(data, fraction, count)
        for cut in (0.1, 0.6, 0.95):
            yield f"{name}, cut at {cut}", data[: int(len(data) * cut)]
        yield f"{name}, 1000 bytes taken out", data[: len(data) // 2] + data[len(data) // 2 + 1000:]


def test_reduced_scale_refuses_exactly_what_a_full_decode_refuses(check):
    """Over 100 kinds of damage, the verdict at 1/8 scale is the verdict at full size: no refusal lost, no new
    one made (libjpeg decodes the same entropy data either way; only the pixels it rebuilds differ)."""
    verdicts = {name: (check(data).decoded, full_size_decodes(data)) for name, data in damaged_variants()}
    differing = {name: verdict for name, verdict in verdicts.items() if verdict[0] != verdict[1]}
    assert differing == {}
    assert sum(not full for _, full in verdicts.values()) >= 30  # the damage really is caught, often


@pytest.mark.parametrize(("kind", "data", "shown"), [
    ("baseline 4:2:0", SHOT, (1600, 1200)),
    ("progressive", PROGRESSIVE, (1600, 1200)),
    ("4:4:4", encoded(BASELINE, quality=95, subsampling=0), (1600, 1200)),
    ("greyscale", encoded(BASELINE.convert("L"), quality=90), (1600, 1200)),
    ("CMYK", encoded(BASELINE.convert("CMYK"), quality=90), (1600, 1200)),
    ("optimised Huffman tables", encoded(BASELINE, quality=90, optimize=True), (1600, 1200)),
    ("sides not a multiple of 8", encoded(photo_like((1603, 1205)), quality=90), (1603, 1205)),
    ("turned a quarter by EXIF", jpeg(1600, 1200, orientation=6), (1200, 1600)),
])
def test_good_jpegs_pass_at_reduced_scale(check, kind, data, shown):
    facts = check(data)
    assert (facts.format, (facts.width, facts.height), facts.decoded) == ("JPEG", shown, True)
    assert attachment1.check_picture(facts, 1) == []


def test_the_check_decodes_an_eighth_of_each_side():
    with Image.open(io.BytesIO(encoded(photo_like((4000, 3000)), quality=90))) as image:
        verify_scale(image)
        image.load()
        assert image.size == (500, 375)


def test_other_formats_are_decoded_whole(tmp_path):
    """Only JPEG has a reduced-scale decode; a PNG (an H5 screenshot) cut short is still refused."""
    data = png(1600, 1200)
    path = tmp_path / "截图.png"
    path.write_bytes(data[: len(data) * 6 // 10])
    facts = inspect_picture(path, "截图.png")
    assert (facts.format, facts.decoded) == ("PNG", False)
    path.write_bytes(data)
    assert inspect_picture(path, "截图.png").decoded


# --- the same check made while the bytes arrive ------------------------------------------------------------------


def streamed(data: bytes, chunk: int) -> bool | None:
    check = StreamedJpegCheck()
    for start in range(0, len(data), chunk):
        check.feed(data[start:start + chunk])
    return check.verdict()


@pytest.mark.parametrize("chunk", [64 * 1024, 7001, 10**9], ids=["Django's 64 kB chunks", "odd chunks", "whole"])
def test_the_streamed_check_gives_the_verdict_of_the_file_check(check, chunk):
    variants = dict(damaged_variants())
    variants |= {"good baseline": SHOT, "good progressive": PROGRESSIVE, "good test card": jpeg(1600, 1200),
                 "good CMYK": encoded(BASELINE.convert("CMYK"), quality=90),
                 "good, EXIF": jpeg(1600, 1200, orientation=6)}
    verdicts = {name: (streamed(data, chunk), check(data).decoded) for name, data in variants.items()}
    assert {name: v for name, v in verdicts.items() if v[0] != v[1]} == {}


@pytest.mark.parametrize(("what", "data"), [
    ("a PNG", png(64, 48)),
    ("not a picture", b"\x89PNG\r\n\x1a\n" + bytes(20)),
    ("nothing", b""),
    ("cut inside the header", SHOT[:300]),
])
def test_the_streamed_check_leaves_what_it_cannot_judge_to_the_file_check(what, data):
    assert streamed(data, 64 * 1024) is None


def test_a_streamed_verdict_stands_for_the_decode(tmp_path):
    path = tmp_path / "照片.jpg"
    path.write_bytes(SHOT)
    facts = inspect_picture(path, "照片.jpg", streamed=False)
    assert (facts.format, facts.width, facts.height, facts.decoded) == ("JPEG", 1600, 1200, False)
    assert [v.code for v in attachment1.check_picture(facts, 1)] == ["photo.corrupt"]
    assert inspect_picture(path, "照片.jpg", streamed=True).decoded
    path.write_bytes(png(1600, 1200)[:5000])  # a verdict about a JPEG says nothing about a PNG
    assert not inspect_picture(path, "截图.png", streamed=True).decoded
