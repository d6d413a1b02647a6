"""works.media reads the facts from the files themselves and never raises on a hostile file."""

from decimal import Decimal

import pytest

from tests.works.media_fixtures import (
    animated_gif,
    audio_only,
    docm,
    docx,
    gif,
    jpeg,
    jpeg_bomb,
    not_media,
    png,
    truncated_jpeg,
    video,
    zip_not_docx,
)
from wenminghao.core.errors import RuleViolationError
from wenminghao.works.media import docx_text, inspect_picture, inspect_video


@pytest.fixture
def write(tmp_path):
    def _write(data: bytes, name: str = "file.bin"):
        path = tmp_path / name
        path.write_bytes(data)
        return path

    return _write


# --- pictures ---------------------------------------------------------------------------------------------------


def test_inspect_picture_a_good_jpeg(write):
    facts = inspect_picture(write(jpeg(1600, 1200)), "a.jpg")
    assert (facts.name, facts.format, facts.width, facts.height, facts.decoded, facts.too_many_pixels) == (
        "a.jpg", "JPEG", 1600, 1200, True, False)


@pytest.mark.parametrize(("orientation", "shown"), [
    (1, (1600, 1200)), (3, (1600, 1200)), (5, (1200, 1600)), (6, (1200, 1600)), (8, (1200, 1600)),
])
def test_inspect_picture_applies_exif_orientation(write, orientation, shown):
    facts = inspect_picture(write(jpeg(1600, 1200, orientation=orientation)), "a.jpg")
    assert (facts.width, facts.height) == shown


@pytest.mark.parametrize(("make", "expected_format"), [(png, "PNG"), (gif, "GIF")])
def test_inspect_picture_format_is_read_from_content_not_name(write, make, expected_format):
    facts = inspect_picture(write(make(64, 48), "looks.jpg"), "looks.jpg")
    assert facts.format == expected_format


def test_inspect_picture_truncated_jpeg_does_not_decode(write):
    facts = inspect_picture(write(truncated_jpeg()), "cut.jpg")
    assert (facts.format, facts.width, facts.height, facts.decoded) == ("JPEG", 1600, 1200, False)


def test_inspect_picture_bomb_is_capped_before_decoding(write, settings):
    settings.WMH_MAX_IMAGE_PIXELS = 100_000_000
    facts = inspect_picture(write(jpeg_bomb(11000, 10000)), "bomb.jpg")
    assert facts.too_many_pixels and (facts.width, facts.height) == (11000, 10000) and not facts.decoded


def test_inspect_picture_huge_bomb_refused_by_pillow_too(write):
    assert inspect_picture(write(jpeg_bomb(60000, 60000)), "bomb.jpg").too_many_pixels


@pytest.mark.parametrize("data", [b"", not_media(), b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n" + bytes(20)],
                         ids=["empty", "text", "jpeg-magic-only", "png-magic-only"])
def test_inspect_picture_garbage_never_raises(write, data):
    facts = inspect_picture(write(data), "x.jpg")
    assert facts.format is None or not facts.decoded


def test_inspect_picture_missing_file_never_raises(tmp_path):
    assert inspect_picture(tmp_path / "nothing.jpg", "nothing.jpg").format is None


# --- videos -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["mp4", "mov", "webm"])
@pytest.mark.parametrize("seconds", ["0.5", "29.9", "30.0", "30.1"])
def test_inspect_video_duration_from_the_streams(write, kind, seconds):
    facts = inspect_video(write(video(seconds, kind=kind)), f"v.{kind}")
    assert (facts.container, facts.has_video, facts.duration) == (kind, True, Decimal(seconds))
    assert (facts.width, facts.height) == (64, 48)


@pytest.mark.parametrize("seconds", ["0.3", "29.9", "30.0", "30.1"])
def test_inspect_video_animated_gif_sums_frame_delays(write, seconds):
    facts = inspect_video(write(animated_gif(seconds, frame_ms=100)), "a.gif")
    assert (facts.container, facts.has_video, facts.duration) == ("gif", True, Decimal(seconds))


def test_inspect_video_sound_longer_than_picture_counts(write):
    assert inspect_video(write(video("10", audio_seconds=12)), "a.mp4").duration == Decimal("12")


def test_inspect_video_sound_padding_does_not_count(write):
    assert inspect_video(write(video("30", kind="webm", audio_seconds=30)), "a.webm").duration == Decimal("30")


def test_inspect_video_audio_only_has_no_video(write):
    facts = inspect_video(write(audio_only()), "a.mp4")
    assert facts.container == "mp4" and not facts.has_video


def test_inspect_video_still_gif_is_not_an_animation(write):
    facts = inspect_video(write(gif(32, 32)), "a.gif")
    assert facts.container == "gif" and not facts.has_video


@pytest.mark.parametrize("data", [b"", not_media(), b"\x00\x00\x00\x18ftypmp42" + bytes(100)],
                         ids=["empty", "text", "mp4-header-only"])
def test_inspect_video_garbage_never_raises(write, data):
    facts = inspect_video(write(data), "x.mp4")
    assert not facts.has_video


def test_inspect_video_a_picture_is_not_a_video_format(write):
    facts = inspect_video(write(jpeg(64, 48)), "x.mp4")
    assert facts.container not in ("mp4", "mov", "webm", "gif")


def test_inspect_video_pixel_cap(write, settings):
    settings.WMH_MAX_IMAGE_PIXELS = 64 * 48 - 1
    assert not inspect_video(write(video("1")), "a.mp4").has_video


# --- Word documents ---------------------------------------------------------------------------------------------


def test_docx_text_paragraphs_and_tables(write):
    text = docx_text(write(docx("第一段", "", "Second 段", table=[["甲", "乙"]])), "a.docx")
    assert text == "第一段\n\nSecond 段\n甲\n乙"


@pytest.mark.parametrize(("make", "code"), [
    (lambda: docm("宏"), "file.type"),
    (lambda: not_media(), "file.type"),
    (lambda: b"", "file.type"),
    (lambda: zip_not_docx(), "essay.docx"),
])
def test_docx_text_refuses(write, make, code):
    with pytest.raises(RuleViolationError) as error:
        docx_text(write(make()), "a.docx")
    assert [v.code for v in error.value.violations] == [code]


def test_docx_text_refuses_a_broken_document_part(write):
    import io
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(docx("正文")))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            target.writestr(item, b"<not-xml" if item.filename == "word/document.xml" else data)
    with pytest.raises(RuleViolationError) as error:
        docx_text(write(buffer.getvalue()), "a.docx")
    assert [v.code for v in error.value.violations] == ["essay.docx"]


def test_docx_text_refuses_a_zip_bomb(write, settings):
    settings.WMH_DOCX_MAX_BYTES = 1000
    with pytest.raises(RuleViolationError) as error:
        docx_text(write(docx("字" * 5000)), "a.docx")
    assert "解压后过大" in error.value.violations[0].message
