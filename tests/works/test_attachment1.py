"""Attachment 1, rule by rule, at, below and above each limit; and Word's 字数."""

from decimal import Decimal

import pytest

from wenminghao.works import attachment1
from wenminghao.works.attachment1 import (
    PictureFacts,
    VideoFacts,
    WorkFacts,
    check_description,
    check_display_form,
    check_essay,
    check_photo_count,
    check_picture,
    check_submission,
    check_url,
    check_video,
    count_characters,
)


def codes(violations) -> list[str]:
    return [violation.code for violation in violations]


@pytest.mark.parametrize(("count", "ok"), [(0, False), (3, False), (4, True), (5, True), (9, True), (10, False)])
def test_photo_count(count, ok):
    violations = check_photo_count(count)
    assert (violations == []) == ok
    if not ok:
        assert codes(violations) == ["photo.count"]
        assert f"现有{count}张" in violations[0].message and "4—9张" in violations[0].message


@pytest.mark.parametrize(
    ("width", "height", "ok"),
    [
        (1600, 1200, True), (1200, 1600, True), (4000, 3000, True), (1600, 1600, True),
        (1599, 1200, False), (1600, 1199, False), (1200, 1599, False), (1199, 1600, False),
        (2000, 1000, False),  # long side enough, short side not
        (1280, 960, False),
    ],
)
def test_picture_size(width, height, ok):
    violations = check_picture(PictureFacts(name="a.jpg", format="JPEG", width=width, height=height), 2)
    assert (violations == []) == ok
    if not ok:
        assert codes(violations) == ["photo.too_small"]
        assert violations[0].message.startswith(f"第2张图片为{width}×{height}像素，低于1600×1200")


@pytest.mark.parametrize(
    ("facts", "code", "words"),
    [
        (PictureFacts(name="a.jpg", format="PNG", width=1600, height=1200), "photo.not_jpeg", "实际为PNG格式"),
        (PictureFacts(name="a.jpg", format=None), "photo.not_jpeg", "不是可识别的图片文件"),
        (PictureFacts(name="a.jpg", format="JPEG", width=1600, height=1200, decoded=False), "photo.corrupt",
         "无法完整解码"),
        (PictureFacts(name="a.jpg", format="JPEG", width=90000, height=90000, decoded=False, too_many_pixels=True),
         "photo.corrupt", "像素数过大"),
    ],
)
def test_picture_refusals_name_the_file(facts, code, words):
    violations = check_picture(facts, 1)
    assert codes(violations) == [code]
    assert words in violations[0].message and "a.jpg" in violations[0].message


@pytest.mark.parametrize(("seconds", "ok"), [("0.1", True), ("29.9", True), ("30.0", True), ("30.001", False),
                                             ("30.1", False), ("95", False)])
def test_video_duration(seconds, ok):
    violations = check_video(VideoFacts(name="v.mp4", container="mp4", has_video=True, duration=Decimal(seconds)))
    assert (violations == []) == ok
    if not ok:
        assert codes(violations) == ["video.too_long"]
        assert "超过30.0秒的上限" in violations[0].message


def test_video_a_hair_over_the_limit_is_never_shown_as_the_limit():
    violations = check_video(VideoFacts(name="v.mp4", container="mp4", has_video=True, duration=Decimal("30.001")))
    assert "播放时长为30.1秒" in violations[0].message


@pytest.mark.parametrize(("facts", "code"), [
    (VideoFacts(name="v.mkv", container="mkv", has_video=True, duration=Decimal(5)), "file.type"),
    (VideoFacts(name="v.mp4", container=None), "file.type"),
    (VideoFacts(name="v.mp4", container="mp4", has_video=False), "video.unreadable"),
])
def test_video_refusals(facts, code):
    assert codes(check_video(facts)) == [code]


@pytest.mark.parametrize(("length", "ok"), [(0, True), (199, True), (200, True), (201, False)])
def test_description_length(length, ok):
    violations = check_description("述" * length)
    assert (violations == []) == ok
    if not ok:
        assert codes(violations) == ["description.too_long"]


@pytest.mark.parametrize(
    ("kind", "count", "ok"),
    [("practice", 1, True), ("practice", 2000, True), ("practice", 2001, False),
     ("theory", 2001, True), ("theory", 5000, True), ("theory", 5001, False)],
)
def test_essay_length_by_kind(kind, count, ok):
    violations = check_essay("字" * count, kind)
    assert (violations == []) == ok
    if not ok:
        assert codes(violations) == ["essay.too_long"]
        assert f"征文为{count}字" in violations[0].message


def test_essay_empty_and_without_kind():
    assert codes(check_essay("  \n ", "practice")) == ["essay.empty"]
    assert codes(check_essay("正文", "")) == ["essay.kind"]


@pytest.mark.parametrize(("category", "form", "ok"), [
    ("photo", "picture", True), ("photo", "comic", True), ("photo", "video", False),
    ("publicity", "video", True), ("publicity", "animation", True), ("publicity", "h5", True),
    ("publicity", "essay", False), ("essay", "essay", True), ("essay", "picture", False),
])
def test_display_form_by_category(category, form, ok):
    assert (check_display_form(category, form) == []) == ok


@pytest.mark.parametrize(("url", "code"), [
    ("https://h5.example.com/a", None), ("http://h5.example.com", None), ("HTTPS://EXAMPLE.COM", None),
    ("", "h5.missing"), ("ftp://example.com", "h5.url"), ("javascript:alert(1)", "h5.url"),
    ("www.example.com", "h5.url"),
])
def test_h5_address(url, code):
    assert codes(check_url(url)) == ([code] if code else [])


def test_submission_lists_every_unmet_rule():
    facts = WorkFacts(category="photo", display_form="video", description="述" * 201, picture_count=3,
                      video_count=0, essay_kind="", essay_text="", url="")
    assert codes(check_submission(facts)) == ["work.display_form", "description.too_long", "photo.count"]


def test_submission_of_each_category_when_complete():
    assert check_submission(WorkFacts("photo", "picture", "说明", 4, 0, "", "", "")) == []
    assert check_submission(WorkFacts("publicity", "video", "", 0, 1, "", "", "")) == []
    assert check_submission(WorkFacts("publicity", "h5", "", 0, 0, "", "", "https://a.example/")) == []
    assert check_submission(WorkFacts("essay", "essay", "", 0, 0, "theory", "正文", "")) == []
    assert codes(check_submission(WorkFacts("publicity", "animation", "", 0, 0, "", "", ""))) == ["video.missing"]


# --- Word's 字数 ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("", 0),
        ("   \n\t ", 0),
        ("青年文明号", 5),  # each CJK character is one
        ("你好，世界！", 6),  # full-width punctuation is one each
        ("“引号”《书名》", 8),
        ("……——", 4),
        ("、；：？（）", 6),
        ("Hello world", 2),  # each run of Latin letters is one
        ("Hello, world!", 2),  # half-width punctuation stays with its word
        ("3.5", 1),  # digits with a decimal point: one
        ("共3.5万人", 4),
        ("2018年9月30日", 6),
        ("e-mail", 1),
        ("中文English混合", 5),
        ("第1张图片", 5),
        ("ＡＢＣ１２３", 6),  # full-width letters and digits count one each, as Word does
        ("𠀀𠀁", 2),  # characters beyond the BMP
        ("  前后 空格  ", 4),
        ("line one\nline two", 4),
    ],
)
def test_count_characters_like_word(text, count):
    assert count_characters(text) == count


def test_limits_come_from_one_place():
    assert (attachment1.PHOTO_MIN_COUNT, attachment1.PHOTO_MAX_COUNT) == (4, 9)
    assert (attachment1.PHOTO_MIN_LONG_SIDE, attachment1.PHOTO_MIN_SHORT_SIDE) == (1600, 1200)
    assert attachment1.DESCRIPTION_MAX_CHARS == 200
    assert str(attachment1.VIDEO_MAX_SECONDS) == "30.0"
    assert attachment1.ESSAY_MAX_CHARS == {"practice": 2000, "theory": 5000}
