"""Achievement works (成果作品): create, read, upload files, essays, submit.

Every rule is Attachment 1's (``works.attachment1``), applied by ``works.services``; this module only
parses the request and shapes the answer. File uploads never go through ninja's own file parameters:
the body of an upload is left unread until the caller, the work and the permission are known and the
declared size (Content-Length) is within the work's limit; then it streams to a temporary file through
``works.uploads`` (413 the moment it passes the limit).
"""

import json

from django.http import Http404, HttpResponse
from ninja import Field, Header, Query, Router, Schema
from ninja.errors import HttpError
from ninja.errors import ValidationError as RequestValidationError
from ninja.responses import Status
from pydantic import ValidationError as PydanticValidationError

from wenminghao.campaigns.selectors import campaigns_visible_to
from wenminghao.collectives.selectors import collectives_visible_to
from wenminghao.core.errors import RuleViolationError
from wenminghao.core.http import require_perm
from wenminghao.core.uploads import reject_oversized
from wenminghao.core.versions import etag, parse_if_match
from wenminghao.orgs.selectors import units_visible_to
from wenminghao.works import attachment1
from wenminghao.works.deadlines import effective_deadline
from wenminghao.works.enums import (
    EDITABLE_STATUSES,
    Category,
    DerivativeState,
    DisplayForm,
    EssayKind,
    FileRole,
    WorkStatus,
)
from wenminghao.works.media import StreamedJpegCheck
from wenminghao.works.models import Work, WorkFile
from wenminghao.works.selectors import work_detail, work_list, works_visible_to
from wenminghao.works.services import (
    add_work_file,
    create_work,
    remove_work_file,
    set_essay_docx,
    set_essay_text,
    submission_violations,
    update_work,
)
from wenminghao.works.transitions import submit_work
from wenminghao.works.uploads import upload_limit_for

from .errors import refuse_nul, visible_or_404
from .pagination import PageQuery, page_of
from .schemas import ErrorOut, LocalDateTime, Page, Ref, answers
from .uploads import UPLOAD_AUTH, answering_413, receive_api_upload

router = Router(tags=["成果作品"])


def _too_large(request, work: Work) -> HttpResponse | None:
    return reject_oversized(request, upload_limit_for(work))


def _multipart_body(description: str, *, caption: bool = False) -> dict:
    properties = {"file": {"type": "string", "format": "binary", "description": description}}
    if caption:
        properties["caption"] = {"type": "string", "maxLength": attachment1.CAPTION_MAX_CHARS,
                                 "description": "图片说明（可选）"}
    return {"type": "object", "properties": properties, "required": ["file"]}


# --- output ------------------------------------------------------------------------------------------------

class WorkRef(Schema):
    id: int
    title: str


class SimilarOut(Schema):
    kind: str = Field(..., description="identical：文件完全相同；perceptual：画面高度相似（重新压缩或缩放）")
    distance: int = Field(..., description="感知哈希相差的位数；文件完全相同时为0")
    file: int = Field(..., description="另一作品中相同或相似的文件编号")
    work: WorkRef | None = Field(..., description="另一作品；您无权查看时为 null")
    collective: str | None = Field(..., description="另一作品的创作集体；您无权查看时为 null")


class WorkFileOut(Schema):
    id: int
    name: str = Field(..., description="上传时的文件名")
    role: FileRole
    position: int = Field(..., description="同类文件中的顺序，从1开始")
    caption: str
    size: int = Field(..., description="字节数")
    sha256: str = Field(..., description="原文件的 SHA-256（十六进制）")
    content_type: str = Field(..., description="按文件内容识别的类型")
    width: int | None = Field(..., description="显示时的宽（像素，已按 EXIF 方向旋转）")
    height: int | None = Field(..., description="显示时的高（像素）")
    duration: float | None = Field(..., description="播放时长（秒）；图片为 null")
    derivatives: DerivativeState = Field(..., description="缩略图、网页图、封面帧和感知哈希的处理状态")
    similar: list[SimilarOut] = Field(..., description="原创性提示：其他作品中相同或高度相似的文件")
    created_at: LocalDateTime

    @staticmethod
    def resolve_name(work_file):
        return work_file.original_name

    @staticmethod
    def resolve_duration(work_file):
        return float(work_file.duration) if work_file.duration is not None else None

    @staticmethod
    def resolve_similar(work_file):
        return getattr(work_file, "flags", [])


class WorkItemOut(Schema):
    id: int
    title: str
    category: Category
    display_form: DisplayForm
    status: WorkStatus
    campaign: Ref
    collective: Ref
    unit: Ref = Field(..., description="创作集体的归口单位")
    contact_name: str
    contact_phone: str
    char_count: int = Field(..., description="征文字数（按 Word 字数统计）；其他类别为0")
    file_count: int
    picture_count: int
    submitted_at: LocalDateTime | None
    updated_at: LocalDateTime

    @staticmethod
    def resolve_unit(work):
        return work.collective.unit


class WorkOut(Schema):
    id: int
    title: str
    category: Category
    display_form: DisplayForm
    description: str
    description_chars: int = Field(..., description=f"作品说明的字数（不超过{attachment1.DESCRIPTION_MAX_CHARS}字）")
    contact_name: str
    contact_phone: str
    essay_kind: EssayKind | None
    essay_text: str
    char_count: int = Field(..., description="征文字数，按 Word 的“字数”统计")
    char_limit: int | None = Field(..., description="该类征文的字数上限；非征文为 null")
    url: str = Field(..., description="H5作品的网址")
    status: WorkStatus
    return_comment: str = Field(..., description="退回意见")
    campaign: Ref
    collective: Ref
    unit: Ref = Field(..., description="创作集体的归口单位")
    deadline: LocalDateTime = Field(..., description="本集体的报送截止时间（含批准的延期，北京时间）")
    editable: bool = Field(..., description="您现在能否修改和提交该作品（不含截止时间的判断，见 unmet_rules）")
    unmet_rules: list[ErrorOut] = Field(..., description="现在提交会被拒绝的全部原因；可以提交时为空")
    files: list[WorkFileOut]
    version: int = Field(..., description="作品的版本号，随作品字段、正文和状态的每次修改加1（文件的增删不计）；"
                                          "也作为响应头 ETag 返回，修改时放在请求头 If-Match 中可防止覆盖他人的修改")
    created_at: LocalDateTime
    updated_at: LocalDateTime
    submitted_at: LocalDateTime | None

    @staticmethod
    def resolve_essay_kind(work):
        return work.essay_kind or None

    @staticmethod
    def resolve_description_chars(work):
        return len(work.description.strip())

    @staticmethod
    def resolve_char_limit(work):
        return attachment1.ESSAY_MAX_CHARS.get(work.essay_kind) if work.category == Category.ESSAY else None

    @staticmethod
    def resolve_unit(work):
        return work.collective.unit

    @staticmethod
    def resolve_deadline(work):
        return effective_deadline(work.campaign, work.collective)

    @staticmethod
    def resolve_editable(work, context):
        return context["request"].user.has_perm("works.change_work", work)

    @staticmethod
    def resolve_unmet_rules(work):
        if work.status not in EDITABLE_STATUSES:
            return []
        return [violation.as_dict() for violation in submission_violations(work)]

    @staticmethod
    def resolve_files(work):
        return list(work.files.all())


class CharCountOut(Schema):
    char_count: int = Field(..., description="按 Word 的“字数”统计的正文字数")
    char_limit: int | None = Field(..., description="该类征文的字数上限")


class StatusOut(Schema):
    id: int
    status: WorkStatus
    submitted_at: LocalDateTime | None


# --- input -------------------------------------------------------------------------------------------------

class WorkIn(Schema):
    collective: int = Field(..., description="创作集体编号")
    campaign: int = Field(..., description="创建活动编号")
    category: Category
    title: str = Field(..., max_length=100)
    display_form: DisplayForm = Field(..., description="photo：picture、comic；publicity：video、animation、h5；"
                                                       "essay：essay")
    description: str = Field("", description=f"作品说明，不超过{attachment1.DESCRIPTION_MAX_CHARS}字")
    contact_name: str
    contact_phone: str
    essay_kind: EssayKind | None = Field(None, description="征文必填：practice（实践案例）或 theory（理论阐述）")
    url: str = Field("", description="H5作品的网址（http:// 或 https://）")


class WorkChangeIn(Schema):
    category: Category | None = None
    title: str | None = Field(None, max_length=100)
    display_form: DisplayForm | None = None
    description: str | None = None
    contact_name: str | None = None
    contact_phone: str | None = None
    essay_kind: EssayKind | None = None
    url: str | None = None


class EssayIn(Schema):
    text: str = Field(..., description="征文正文")


class WorkQuery(PageQuery):
    campaign: int | None = None
    collective: int | None = None
    unit: int | None = Field(None, description="只看该单位及其下属单位集体的作品")
    category: Category | None = None
    status: WorkStatus | None = None
    search: str = Field("", description="按作品名称、创作集体或联系人搜索")


# --- helpers -----------------------------------------------------------------------------------------------

def _editable_work(request, work_id: int, perm: str = "works.change_work") -> Work:
    """A work the caller may see (else 404) and change now (else 403, saying why)."""
    work = visible_or_404(works_visible_to(request.user).select_related("campaign", "collective__unit"), pk=work_id)
    if work.status not in EDITABLE_STATUSES:
        message = (f"作品“{work.title}”当前状态为“{work.get_status_display()}”，"
                   "只有草稿或被退回的作品可以修改和提交。")
    else:
        message = "只有创作集体的账号和其上级团委管理员可以修改该作品。"
    require_perm(request.user, perm, work, denied=message)
    return work


def _flag(user, files) -> list[WorkFile]:
    """Attach each file's originality flags (prefetched ``similar``), naming the other work only where the
    caller may see it: one query for the whole list."""
    others = {flag.other.work_id for item in files for flag in item.similar.all()}
    visible = set(works_visible_to(user).filter(pk__in=others).values_list("pk", flat=True)) if others else set()
    for item in files:
        item.flags = []
        for flag in item.similar.all():
            other_work = flag.other.work
            shown = other_work.pk in visible
            item.flags.append({
                "kind": flag.kind, "distance": flag.distance, "file": flag.other_id,
                "work": other_work if shown else None,
                "collective": other_work.collective.name if shown else None,
            })
    return files


def _versioned(response: HttpResponse, work: Work) -> Work:
    """The work, with its version as the answer's ETag (core.versions)."""
    response["ETag"] = etag(work.version)
    return work


def _detail(request, work_id: int) -> Work:
    try:
        work = work_detail(request.user, work_id)
    except Work.DoesNotExist as error:
        raise Http404 from error
    _flag(request.user, list(work.files.all()))
    return work


def _essay_json(request) -> str:
    try:
        data = json.loads(request.body or b"null")
    except ValueError as error:
        raise HttpError(400, "invalid JSON") from error
    refuse_nul(data, "body")
    try:
        return EssayIn.model_validate(data).text
    except PydanticValidationError as error:
        raise RequestValidationError([
            {**item, "loc": ("body", "payload", *item["loc"])} for item in error.errors(include_url=False)
        ]) from error


UPLOAD_DESCRIPTION = (
    "以 multipart/form-data 上传一个文件（字段 file，可附 caption），按文件内容检查，不看文件名。"
    f"图片作品：JPEG，不低于{attachment1.PHOTO_MIN_LONG_SIDE}×{attachment1.PHOTO_MIN_SHORT_SIDE}像素（横竖均可），"
    f"每组最多{attachment1.PHOTO_MAX_COUNT}张；宣传作品：一个MP4、MOV、WebM视频或GIF动画，"
    f"播放时长不超过{attachment1.seconds(attachment1.VIDEO_MAX_SECONDS)}秒；H5作品：JPEG或PNG截图。"
    "不符合时返回 422：photo.not_jpeg、photo.too_small、photo.corrupt、photo.too_many、video.too_long、"
    "video.unreadable、file.type 等。超过大小上限（设置 WMH_PICTURE_MAX_BYTES、WMH_VIDEO_MAX_BYTES）返回 413 "
    "file.too_large，按 Content-Length 在读取请求内容之前判断。使用登录会话时，CSRF 令牌须放在请求头 X-CSRFToken 中。"
)
ESSAY_DESCRIPTION = (
    "征文正文：JSON `{\"text\": \"...\"}`，或以 multipart/form-data 上传 .docx 文档（字段 file）。"
    "按 Word 的“字数”统计（每个汉字和全角标点计1，每串连续的字母或数字计1）；超过上限（"
    + "、".join(f"{kind.label.split('（')[0]}{limit}字" for kind, limit in attachment1.ESSAY_MAX_CHARS.items())
    + "）时返回 422 essay.too_long；.docm、.doc、加密或损坏的文档返回 422 file.type 或 essay.docx；"
    "文档超过大小上限（设置 WMH_DOCX_MAX_BYTES）返回 413。"
    "可带请求头 If-Match（读取作品时的 ETag）：作品已被他人修改时返回 412（work.stale），正文不保存。"
)


# --- endpoints ---------------------------------------------------------------------------------------------

@router.get("/works", response=answers({200: Page[WorkItemOut]}, 404, 422), summary="可见的作品")
def list_works(request, query: Query[WorkQuery]):
    """您可见的作品：集体账号为本集体的作品，管理员为本单位及下属单位集体的作品。可按创建活动、集体、单位、
    类别、状态筛选；筛选用的活动、集体或单位不可见时返回 404。"""
    user = request.user
    campaign = visible_or_404(campaigns_visible_to(user), pk=query.campaign) if query.campaign is not None else None
    collective = (visible_or_404(collectives_visible_to(user), pk=query.collective)
                  if query.collective is not None else None)
    unit = visible_or_404(units_visible_to(user), pk=query.unit) if query.unit is not None else None
    queryset = work_list(user, campaign=campaign, unit=unit, collective=collective, category=query.category or "",
                         status=query.status or "", search=query.search.strip())
    return page_of(queryset, query)


@router.post("/works", response=answers({201: WorkOut}, 403, 404, 422), summary="新建作品")
def add_work(request, payload: WorkIn):
    """为集体新建一件作品（草稿）。集体号长及成员账号、其归口单位和上级团委可以新建。不符合规则时返回 422，
    一次列出全部问题：work.display_form（展示形式与类别不符）、description.too_long、essay.kind、h5.url、
    deadline.passed、work.out_of_scope 等。"""
    user = request.user
    collective = visible_or_404(collectives_visible_to(user).select_related("unit"), pk=payload.collective)
    campaign = visible_or_404(campaigns_visible_to(user).select_related("office"), pk=payload.campaign)
    require_perm(user, "works.add_work", collective, denied=f"您不能为“{collective.name}”新建作品。")
    work = create_work(actor=user, collective=collective, campaign=campaign,
                       fields=payload.model_dump(exclude={"collective", "campaign"}))
    return Status(201, _detail(request, work.pk))


@router.get("/works/{work_id}", response=answers({200: WorkOut}, 404), summary="作品详情")
def get_work(request, work_id: int, response: HttpResponse):
    """一件作品：各字段、文件（大小、SHA-256、显示尺寸、时长）、原创性提示、状态，以及现在提交会被拒绝的原因。
    响应头 ETag 为作品的版本号（同 version），修改时可放在 If-Match 中。"""
    return _versioned(response, _detail(request, work_id))


IF_MATCH = ("可选：读取作品时得到的 ETag（如 \"3\"）。作品在此之后已被他人修改（字段、正文或状态）时返回 412"
            "（work.stale），不做任何修改；不提供时以最后一次保存为准。")


@router.patch("/works/{work_id}", response=answers({200: WorkOut}, 403, 404, 412, 422), summary="修改作品")
def change_work(request, work_id: int, payload: WorkChangeIn, response: HttpResponse,
                if_match: str | None = Header(None, alias="If-Match", description=IF_MATCH)):
    """修改草稿或被退回作品的字段，只需提供要修改的字段。规则同新建；已上传与新展示形式不符的文件时返回 422
    （work.files）。带 If-Match 时，作品已被他人修改则返回 412（work.stale），请重新读取后再修改。"""
    work = _editable_work(request, work_id)
    update_work(actor=request.user, work=work, fields=payload.model_dump(exclude_unset=True),
                expected_version=parse_if_match(if_match))
    return _versioned(response, _detail(request, work_id))


@router.post(
    "/works/{work_id}/files", auth=UPLOAD_AUTH, response=answers({201: WorkFileOut}, 403, 404, 413, 422),
    summary="上传作品文件", description=UPLOAD_DESCRIPTION,
    openapi_extra={"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": _multipart_body(
        "图片作品：JPEG图片；宣传作品：MP4、MOV、WebM视频或GIF动画；H5作品：JPEG或PNG截图", caption=True,
    )}}}},
)
def upload_work_file(request, work_id: int):
    work = _editable_work(request, work_id)
    too_large = _too_large(request, work)
    if too_large is not None:
        return too_large
    upload = receive_api_upload(request, upload_limit_for(work), watch=StreamedJpegCheck)  # decoded as it arrives
    caption = request.POST.get("caption", "")
    refused = attachment1.check_no_nul(caption, "图片说明", "caption")
    if refused:
        upload.close()
        raise RuleViolationError(refused)
    with answering_413():
        work_file = add_work_file(actor=request.user, work=work, upload=upload, caption=caption)
    stored = WorkFile.objects.prefetch_related("similar__other__work__collective").get(pk=work_file.pk)
    return Status(201, _flag(request.user, [stored])[0])


@router.delete("/works/{work_id}/files/{file_id}", response=answers({204: None}, 403, 404, 422),
               summary="删除作品文件")
def delete_work_file(request, work_id: int, file_id: int):
    """删除作品的一个文件；其余同类文件的顺序随之重排。"""
    work = _editable_work(request, work_id)
    try:
        remove_work_file(actor=request.user, work=work, file_id=file_id)
    except WorkFile.DoesNotExist as error:
        raise Http404 from error
    return Status(204, None)


@router.put(
    "/works/{work_id}/essay", auth=UPLOAD_AUTH, response=answers({200: CharCountOut}, 403, 404, 412, 413, 422),
    summary="保存征文正文", description=ESSAY_DESCRIPTION,
    openapi_extra={"requestBody": {"required": True, "content": {
        "application/json": {"schema": EssayIn.model_json_schema()},
        "multipart/form-data": {"schema": _multipart_body("征文 Word 文档（.docx）")},
    }}},
)
def put_essay(request, work_id: int, response: HttpResponse,
              if_match: str | None = Header(None, alias="If-Match", description=IF_MATCH)):
    work = _editable_work(request, work_id)
    expected_version = parse_if_match(if_match)
    if request.content_type.startswith("multipart/"):
        too_large = _too_large(request, work)
        if too_large is not None:
            return too_large
        upload = receive_api_upload(request, upload_limit_for(work))
        with answering_413():
            work = set_essay_docx(actor=request.user, work=work, upload=upload, expected_version=expected_version)
    else:
        work = set_essay_text(actor=request.user, work=work, text=_essay_json(request),
                              expected_version=expected_version)
    response["ETag"] = etag(work.version)
    return {"char_count": work.char_count, "char_limit": attachment1.ESSAY_MAX_CHARS.get(work.essay_kind)}


@router.post("/works/{work_id}/submit", response=answers({200: StatusOut}, 403, 404, 422), summary="提交作品")
def submit(request, work_id: int):
    """提交草稿或被退回的作品。检查附件1的全部规则和截止时间，一次列出全部未满足的规则（422）：
    photo.count、description.too_long、essay.empty、essay.too_long、video.missing、h5.missing、
    deadline.passed 等。"""
    work = _editable_work(request, work_id, perm="works.submit_work")
    work = submit_work(actor=request.user, work=work)
    return {"id": work.pk, "status": work.status, "submitted_at": work.submitted_at}
