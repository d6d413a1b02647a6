"""Attachment 1 of the notice (“青年文明号”创建成果征集要求), the one place its rules live.

Forms, the API, the submission check and the tests all use these limits and functions. Media facts
(format, pixels, duration) come from ``works.media``, which reads the files themselves; this module
only judges the facts. Every refusal says which file, what was found and what is required.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings

from wenminghao.core.errors import Violation
from wenminghao.core.uploads import megabytes

from .enums import CATEGORY_FORMS, Category, DisplayForm, EssayKind

PHOTO_MIN_COUNT = 4
PHOTO_MAX_COUNT = 9
PHOTO_MIN_LONG_SIDE = 1600
PHOTO_MIN_SHORT_SIDE = 1200
DESCRIPTION_MAX_CHARS = 200
VIDEO_MAX_SECONDS = Decimal("30.0")
ESSAY_MAX_CHARS = {EssayKind.PRACTICE: 2000, EssayKind.THEORY: 5000}
SCREENSHOT_MAX_COUNT = 9
CAPTION_MAX_CHARS = 200

VIDEO_FORMATS = {"mp4": "MP4", "mov": "MOV", "webm": "WebM", "gif": "GIF动画"}
# The format ``works.media`` reports for a picture or video with a ZIP archive appended to it (a polyglot: it opens
# as the picture and as the archive, a way to smuggle files past a check of the picture alone).
ARCHIVE_APPENDED = "ZIP"
# Where an iPhone's photos (HEIC) are turned into JPEG, for the refusal of one.
_HEIC_HINT = "；苹果手机可在“设置—相机—格式”中选择“兼容性最佳”，或将照片导出为JPEG"


def picture_max_bytes() -> int:
    return int(getattr(settings, "WMH_PICTURE_MAX_BYTES", 20 * 1024 * 1024))


def video_max_bytes() -> int:
    return int(getattr(settings, "WMH_VIDEO_MAX_BYTES", 300 * 1024 * 1024))


@dataclass(frozen=True)
class PictureFacts:
    """What ``works.media.inspect_picture`` found in a file."""
    name: str
    format: str | None  # "JPEG", "PNG", ... by content; None if not an image at all
    width: int | None = None  # as displayed (EXIF orientation applied)
    height: int | None = None
    decoded: bool = True  # the whole image data decoded without error
    too_many_pixels: bool = False


@dataclass(frozen=True)
class VideoFacts:
    name: str
    container: str | None  # "mp4", "mov", "webm", "gif"; None if not a media file
    has_video: bool = False
    duration: Decimal | None = None  # seconds, from the streams
    width: int | None = None
    height: int | None = None


def check_picture(facts: PictureFacts, index: int) -> list[Violation]:
    """The rules for one picture of a photo work; ``index`` is its 1-based place in the group."""
    label = f"第{index}张图片（{facts.name}）"
    if facts.too_many_pixels:
        return [Violation("photo.corrupt", f"{label}像素数过大，超出平台可处理的上限，请缩小后再上传", "file")]
    if facts.format is None:
        return [Violation("photo.not_jpeg", f"{label}不是可识别的图片文件，请上传JPEG格式的照片", "file")]
    if facts.format == ARCHIVE_APPENDED:
        return [Violation("photo.not_jpeg", f"{label}在图片数据之后附加了ZIP压缩包，出于安全原因不予接受，"
                                            "请用看图或修图软件重新另存为JPEG后上传", "file")]
    if facts.format != "JPEG":
        hint = _HEIC_HINT if facts.format in ("HEIC", "HEIF") else ""
        return [Violation("photo.not_jpeg",
                          f"{label}实际为{facts.format}格式，要求为JPEG格式（仅修改扩展名无效，请另存为JPEG{hint}）",
                          "file")]
    if not facts.decoded:
        return [Violation("photo.corrupt", f"{label}已损坏或不完整，无法完整解码，请重新导出后上传", "file")]
    long_side, short_side = max(facts.width, facts.height), min(facts.width, facts.height)
    if long_side < PHOTO_MIN_LONG_SIDE or short_side < PHOTO_MIN_SHORT_SIDE:
        return [Violation(
            "photo.too_small",
            f"第{index}张图片为{facts.width}×{facts.height}像素，低于{PHOTO_MIN_LONG_SIDE}×{PHOTO_MIN_SHORT_SIDE}"
            f"（横竖均可，长边不少于{PHOTO_MIN_LONG_SIDE}、短边不少于{PHOTO_MIN_SHORT_SIDE}像素）",
            "file",
        )]
    return []


def check_video(facts: VideoFacts) -> list[Violation]:
    label = f"视频文件（{facts.name}）"
    if facts.container == ARCHIVE_APPENDED:
        return [Violation("file.type",
                          f"{label}在视频数据之后附加了ZIP压缩包，出于安全原因不予接受，请重新导出视频后上传", "file")]
    if facts.container not in VIDEO_FORMATS:
        allowed = "、".join(VIDEO_FORMATS.values())
        return [Violation("file.type", f"{label}不是支持的视频或动画格式，请上传{allowed}文件", "file")]
    if not facts.has_video or facts.duration is None:
        return [Violation("video.unreadable", f"{label}中没有可读取的视频画面，无法确定播放时长，请检查文件", "file")]
    if facts.duration > VIDEO_MAX_SECONDS:
        return [Violation(
            "video.too_long",
            f"{label}播放时长为{seconds(facts.duration)}秒，超过{seconds(VIDEO_MAX_SECONDS)}秒的上限",
            "file",
        )]
    return []


def seconds(value: Decimal) -> str:
    """Seconds with one decimal place, never rounding a too-long video down to the limit."""
    tenths = (Decimal(value) * 10).to_integral_value(rounding="ROUND_CEILING")
    return f"{tenths / 10:.1f}"


def check_no_nul(value: str, label: str, field: str) -> list[Violation]:
    """A text with a NUL character (U+0000), which no one types and the database cannot store, is refused."""
    if "\x00" in (value or ""):
        return [Violation("field.invalid", f"{label}中含有空字符（U+0000），请删除后重试", field)]
    return []


def check_photo_count(count: int) -> list[Violation]:
    if count < PHOTO_MIN_COUNT or count > PHOTO_MAX_COUNT:
        return [Violation("photo.count",
                          f"图片作品须为{PHOTO_MIN_COUNT}—{PHOTO_MAX_COUNT}张为一组，现有{count}张", "files")]
    return []


def check_description(text: str) -> list[Violation]:
    length = len((text or "").strip())
    if length > DESCRIPTION_MAX_CHARS:
        return [Violation("description.too_long",
                          f"作品说明为{length}字，超过{DESCRIPTION_MAX_CHARS}字的上限", "description")]
    return []


# Word's 字数: keep static/works/wordcount.js (the live count while typing) in step with this rule;
# tests/browser/test_works_upload.py compares the two on sample strings.
# Each CJK character or full-width punctuation mark counts one; each run of Latin letters,
# digits (and the characters that join them, like 3.5 or e-mail) counts one.
_CJK = (
    "\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u3190-\u31ef\u3200-\u32ff\u3400-\u4dbf"
    "\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\u2018-\u201f\u2026\u2014\u00b7"
    "\U00020000-\U0002fa1f"
)
_WORD_PATTERN = re.compile(rf"[{_CJK}]|[^\s{_CJK}]+")


def count_characters(text: str) -> int:
    """Count as Word's 字数 does for Chinese text."""
    return len(_WORD_PATTERN.findall(text or ""))


def check_essay(text: str, essay_kind: str) -> list[Violation]:
    count = count_characters(text)
    if count == 0:
        return [Violation("essay.empty", "征文正文为空，请粘贴正文或上传Word文档（.docx）", "text")]
    limit = ESSAY_MAX_CHARS.get(essay_kind)
    if limit is None:
        return [Violation(
            "essay.kind", "请选择征文类型：实践案例（不超过2000字）或理论阐述（不超过5000字）", "essay_kind"
        )]
    if count > limit:
        kind_label = "实践案例" if essay_kind == EssayKind.PRACTICE else "理论阐述"
        return [Violation("essay.too_long", f"征文为{count}字，{kind_label}不超过{limit}字", "text")]
    return []


def check_display_form(category: str, display_form: str) -> list[Violation]:

    allowed = CATEGORY_FORMS.get(category, ())
    if display_form not in allowed:
        labels = "、".join(DisplayForm(f).label for f in allowed)
        return [Violation("work.display_form",
                          f"{Category(category).label}的展示形式应为：{labels}", "display_form")]
    return []


def check_url(url: str) -> list[Violation]:
    if not url:
        return [Violation("h5.missing", "H5作品请填写作品的网页地址（以 http:// 或 https:// 开头）", "url")]
    if not re.match(r"^https?://[^\s/]+", url, re.IGNORECASE):
        return [Violation("h5.url", f"H5作品地址“{url[:80]}”无效，只接受以 http:// 或 https:// 开头的网址", "url")]
    return []


@dataclass(frozen=True)
class WorkFacts:
    """What the submission check needs to know about a work."""
    category: str
    display_form: str
    description: str
    picture_count: int
    video_count: int
    essay_kind: str
    essay_text: str
    url: str


def check_submission(facts: WorkFacts) -> list[Violation]:
    """Every unmet rule of Attachment 1 for a whole work, at once. (Each file was checked on upload.)"""
    violations = check_display_form(facts.category, facts.display_form)
    violations += check_description(facts.description)
    if facts.category == Category.PHOTO:
        violations += check_photo_count(facts.picture_count)
    elif facts.category == Category.PUBLICITY:
        if facts.display_form == DisplayForm.H5:
            violations += check_url(facts.url)
        elif facts.video_count == 0:
            violations.append(Violation("video.missing", "宣传作品须上传一个不超过30秒的短视频或动画文件", "files"))
    elif facts.category == Category.ESSAY:
        violations += check_essay(facts.essay_text, facts.essay_kind)
    return violations


def picture_rules_text() -> Sequence[str]:
    """The rules in words, for the upload page."""
    return (
        f"每组{PHOTO_MIN_COUNT}—{PHOTO_MAX_COUNT}张，反映同一专题",
        f"JPEG格式，不低于{PHOTO_MIN_LONG_SIDE}×{PHOTO_MIN_SHORT_SIDE}像素（横竖均可）",
        f"作品说明不超过{DESCRIPTION_MAX_CHARS}字",
        f"单张不超过{megabytes(picture_max_bytes())}",
    )
