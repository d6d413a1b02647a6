"""The ledger (台账) of the four themed activities and the pairings (结对帮扶) of 助千家 (API.md, "Ledger").

Who sees what is the ledger's own (``ledger.rules``, ``ledger.selectors``): the collective's accounts, the admins
of the units above it and the office; judges, other units, other collectives see nothing, and every call about
such a ledger or pairing answers 404 exactly as for one that does not exist. 403 is only for a visible object and
a forbidden action (the collective commenting on its own entry, a review of an ended pairing).

The input schemas are deliberately permissive (text, lists, optional): ``ledger.services`` checks every rule and
reports all unmet ones at once (422), which a strict schema would cut short at the first malformed field. The
family's registry number appears in full only in ``GET /pairings/{id}``, and each such read is audited.
"""


from django.http import Http404
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from wenminghao.campaigns.selectors import campaigns_visible_to
from wenminghao.collectives.models import Collective
from wenminghao.collectives.selectors import collectives_visible_to
from wenminghao.core.errors import RuleViolationError, Violation
from wenminghao.core.http import client_ip, get_object_for, require_perm
from wenminghao.core.uploads import megabytes, reject_oversized
from wenminghao.ledger import selectors, services
from wenminghao.ledger.enums import (
    Activity,
    AttachmentKind,
    BenchmarkFocus,
    BenchmarkStage,
    BenefitKind,
    DerivativeState,
    HelpKind,
    IncomeTrend,
    OpenWeekItem,
    PairingOutcome,
    PairingState,
    StudyForm,
)
from wenminghao.ledger.models import CONTENT_MAX_CHARS, TITLE_MAX_CHARS, LedgerEntry, Pairing
from wenminghao.orgs.selectors import units_visible_to

from .errors import visible_or_404
from .pagination import PageQuery, page_of
from .schemas import IsoDate, LocalDateTime, Page, Ref, answers
from .uploads import UPLOAD_AUTH, answering_413, receive_api_upload

router = Router(tags=["台账与助千家"])

NOT_YOURS_TO_COMMENT = "只有集体的归口单位、上级团委和团市委可以评阅台账；集体可以查看评阅意见并标记为已处理。"


# --- output ------------------------------------------------------------------------------------------------

class PersonOut(Schema):
    """An account, by id and the name it shows (its name, else its account name)."""

    id: int
    name: str

    @staticmethod
    def resolve_name(user):
        return str(user)


class EntryFileOut(Schema):
    id: int
    name: str = Field(..., description="上传时的文件名")
    size: int = Field(..., description="字节数")
    sha256: str = Field(..., description="原文件的 SHA-256（十六进制）")
    kind: AttachmentKind = Field(..., description="picture：JPEG或PNG图片；pdf：PDF文档；docx：Word文档")
    content_type: str = Field(..., description="按文件内容识别的类型")
    width: int | None = Field(..., description="图片的宽（像素）；文档为 null")
    height: int | None = Field(..., description="图片的高（像素）；文档为 null")
    derivatives: DerivativeState = Field(..., description="缩略图的处理状态；文档为 none")
    created_at: LocalDateTime

    @staticmethod
    def resolve_name(attachment):
        return attachment.original_name


class CommentOut(Schema):
    id: int
    author: PersonOut = Field(..., description="评阅人")
    author_unit: Ref = Field(..., description="评阅人所在单位")
    text: str
    created_at: LocalDateTime
    resolved_at: LocalDateTime | None = Field(..., description="集体标记为已处理的时间；未处理为 null")


def _when(activity: str, read):
    """A resolver: ``read(entry)`` on the entries of ``activity``, null on those of the other activities."""
    return staticmethod(lambda entry: read(entry) if entry.activity == activity else None)


class EntryOut(Schema):
    """An entry with its activity's fields (the fields of the other activities are null)."""

    id: int
    campaign: int = Field(..., description="创建活动编号")
    collective: Ref
    activity: Activity
    date: IsoDate
    title: str
    content: str
    # 对标创优
    stage: BenchmarkStage | None = Field(None, description="对标创优：target（创优目标）或 result（创优成果）")
    benchmark_against: str | None = Field(None, description="对标创优：对标的先进单位或标准")
    focus: BenchmarkFocus | None = Field(None, description="对标创优：创优方向（按集体的行业类别），未选为 null")
    benefit_kind: BenefitKind | None = Field(None, description="对标创优：economic（经济效益）或 social（社会效益）")
    benefit_value: float | None = Field(None, description="对标创优：效益数值")
    benefit_unit: str | None = Field(None, description="对标创优：效益单位，如万元、小时、件")
    meets_target: int | None = Field(None, description="对标创优：创优成果对应的创优目标（记录编号）")
    # 青年大学习
    form: StudyForm | None = Field(None, description="青年大学习：学习形式")
    topic: str | None = Field(None, description="青年大学习：学习主题")
    led_by: int | None = Field(None, description="青年大学习：领学人（本集体成员编号）；成员已移除时为 null")
    led_by_name: str | None = Field(None, description="青年大学习：领学人姓名（成员移除后仍保留）")
    attendees: list[int] | None = Field(None, description="青年大学习：参学成员编号")
    # 助千家
    pairing: int | None = Field(None, description="助千家：走访的结对家庭编号")
    family_ref_masked: str | None = Field(None, description="助千家：结对家庭的建档立卡编号（仅显示后4位）")
    help_kinds: list[HelpKind] | None = Field(None, description="助千家：本次走访的帮扶方式")
    follow_up: bool | None = Field(None, description="助千家：是否为回头看走访")
    # 开放周
    shown: list[OpenWeekItem] | None = Field(None, description="开放周：展示内容")
    visitors: int | None = Field(None, description="开放周：参观人数")

    files: list[EntryFileOut]
    comments: list[CommentOut] = Field(..., description="归口单位及上级的评阅意见，先提出的在前")
    created_by: PersonOut
    created_at: LocalDateTime
    updated_at: LocalDateTime

    @staticmethod
    def resolve_campaign(entry):
        return entry.campaign_id

    @staticmethod
    def resolve_files(entry):
        return list(entry.attachments.all())

    @staticmethod
    def resolve_comments(entry):
        return list(entry.comments.all())

    resolve_stage = _when(Activity.BENCHMARK, lambda entry: entry.stage)
    resolve_benchmark_against = _when(Activity.BENCHMARK, lambda entry: entry.benchmark_against)
    resolve_focus = _when(Activity.BENCHMARK, lambda entry: entry.focus or None)
    resolve_benefit_kind = _when(Activity.BENCHMARK, lambda entry: entry.benefit_kind or None)
    resolve_benefit_value = _when(Activity.BENCHMARK, lambda entry: None if entry.benefit_value is None
                                  else float(entry.benefit_value))
    resolve_benefit_unit = _when(Activity.BENCHMARK, lambda entry: entry.benefit_unit)
    resolve_meets_target = _when(Activity.BENCHMARK, lambda entry: entry.meets_target_id)
    resolve_form = _when(Activity.STUDY, lambda entry: entry.study_form)
    resolve_topic = _when(Activity.STUDY, lambda entry: entry.topic)
    resolve_led_by = _when(Activity.STUDY, lambda entry: entry.led_by_id)
    resolve_led_by_name = _when(Activity.STUDY, lambda entry: entry.led_by_name)
    resolve_attendees = _when(Activity.STUDY, lambda entry: [member.pk for member in entry.attendees.all()])
    resolve_pairing = _when(Activity.FAMILIES, lambda entry: entry.pairing_id)
    resolve_family_ref_masked = _when(Activity.FAMILIES, lambda entry: entry.pairing.family_ref_masked)
    resolve_help_kinds = _when(Activity.FAMILIES, lambda entry: [row.kind for row in entry.help_kinds.all()])
    resolve_follow_up = _when(Activity.FAMILIES, lambda entry: entry.follow_up)
    resolve_shown = _when(Activity.OPEN_WEEK, lambda entry: [row.item for row in entry.shown_items.all()])
    resolve_visitors = _when(Activity.OPEN_WEEK, lambda entry: entry.visitors)


class PairingItemOut(Schema):
    """A pairing as every list shows it: the registry number masked, never in full."""

    id: int
    collective: Ref
    family_ref_masked: str = Field(..., description="建档立卡编号，除后4位外以 * 代替；监护人撤回同意后为空")
    area: str = Field(..., description="所在乡镇（街道）；监护人撤回同意后为空")
    youth_count: int
    help_kinds: list[HelpKind]
    started: IsoDate
    state: PairingState
    ended: IsoDate | None
    consent_date: IsoDate
    visit_count: int = Field(..., description="走访次数（助千家台账记录数）")
    last_review: IsoDate | None = Field(..., description="最近一次回头看的日期")
    created_at: LocalDateTime

    @staticmethod
    def resolve_help_kinds(pairing):
        return [row.kind for row in pairing.help_kinds.all()]


class ReviewOut(Schema):
    id: int
    date: IsoDate
    outcome: PairingOutcome
    income_trend: IncomeTrend
    note: str
    created_by: PersonOut
    created_at: LocalDateTime


class PairingOut(Schema):
    """A pairing on its own: the registry number in full (each read audited), its 回头看 reviews."""

    id: int
    collective: Ref
    family_ref: str = Field(..., description="建档立卡编号（完整）；每次读取都记入操作记录")
    family_ref_masked: str
    area: str
    youth_count: int
    help_kinds: list[HelpKind]
    started: IsoDate
    state: PairingState
    ended: IsoDate | None
    consent_date: IsoDate
    consent_withdrawn_at: LocalDateTime | None
    reviews: list[ReviewOut] = Field(..., description="回头看，近的在前")
    created_at: LocalDateTime

    @staticmethod
    def resolve_help_kinds(pairing):
        return [row.kind for row in pairing.help_kinds.all()]

    @staticmethod
    def resolve_reviews(pairing):
        return list(pairing.reviews.all())


class ActivityCountOut(Schema):
    collectives: int = Field(..., description="至少有一条该活动台账记录的创建集体数")
    entries: int = Field(..., description="该活动的台账记录数")


class StudyCountOut(ActivityCountOut):
    coverage: float = Field(..., description="创建集体的成员中至少参加过一次青年大学习的比例（0至1）")


class FamiliesCountOut(ActivityCountOut):
    pairings: int = Field(..., description="创建活动年度内的结对家庭数")


class ActivitiesOut(Schema):
    benchmark: ActivityCountOut
    study: StudyCountOut
    families: FamiliesCountOut
    open_week: ActivityCountOut


class StructureOut(Schema):
    former: float = Field(..., description="往届青年文明号集体的占比")
    non_public: float = Field(..., description="非公经济组织集体的占比")
    social: float = Field(..., description="社会组织集体的占比")


class IndicatorsOut(Schema):
    collectives: int = Field(..., description="该单位及下属单位的创建集体数（报备待审核或已接受）")
    activities: ActivitiesOut
    structure: StructureOut


# --- input -------------------------------------------------------------------------------------------------

Number = int | float | str


class EntryFieldsIn(Schema):
    """An entry's fields. Each is checked by the ledger's rules, all at once; only the activity's own apply."""

    date: str | None = Field(None, description="日期，YYYY-MM-DD，不晚于今天")
    title: str | None = Field(None, description=f"标题，不超过{TITLE_MAX_CHARS}字")
    content: str | None = Field(None, description=f"内容，不超过{CONTENT_MAX_CHARS}字")
    stage: str | None = Field(None, description="对标创优（必填）：target（创优目标）或 result（创优成果）")
    benchmark_against: str | None = Field(None, description="对标创优（必填）：对标的先进单位、行业标杆或标准")
    focus: str | None = Field(None, description="对标创优：创优方向，按集体的行业类别可选，或 other")
    benefit_kind: str | None = Field(None, description="对标创优：economic（经济效益）或 social（社会效益）")
    benefit_value: Number | None = Field(None, description="对标创优：效益数值，与 benefit_unit 一起填写")
    benefit_unit: str | None = Field(None, description="对标创优：效益单位，如万元、小时、件")
    meets_target: int | str | None = Field(None, description="对标创优：创优成果对应的本集体创优目标（记录编号）")
    form: str | None = Field(None, description="青年大学习（必填）：seminar、visit、essay、micro_lecture 或 other")
    topic: str | None = Field(None, description="青年大学习（必填）：学习主题")
    led_by: int | str | None = Field(None, description="青年大学习（必填）：领学人，本集体成员的编号")
    attendees: list[int | str] | int | str | None = Field(
        None, description="青年大学习（至少一人）：参学成员，本集体成员的编号")
    pairing: int | str | None = Field(None, description="助千家（必填）：本集体帮扶中的结对家庭编号")
    help_kinds: list[str] | str | None = Field(None, description="助千家（至少一项）：本次走访的帮扶方式")
    follow_up: bool | None = Field(None, description="助千家：是否为回头看走访")
    shown: list[str] | str | None = Field(None, description="开放周（至少一项）：展示内容")
    visitors: int | str | None = Field(None, description="开放周：参观人数")


class EntryIn(EntryFieldsIn):
    campaign: int = Field(..., description="创建活动编号；须为本集体参与的创建活动")
    activity: str | None = Field(None, description="benchmark（对标创优）、study（青年大学习）、families（助千家）"
                                                   "或 open_week（开放周）")


class EntryQuery(PageQuery):
    campaign: int | None = Field(None, description="只看该创建活动的记录；须为您可见的创建活动")
    activity: Activity | None = None
    date_from: IsoDate | None = Field(None, description="只看该日及以后的记录")
    date_to: IsoDate | None = Field(None, description="只看该日及以前的记录")
    open_comments: bool = Field(False, description="只看有未处理评阅意见的记录")


class CommentIn(Schema):
    text: str | None = Field(None, description="评阅意见，不超过1000字")


class PairingIn(Schema):
    family_ref: str | None = Field(None, description="建档立卡编号：6至32位数字、字母或连字符")
    area: str | None = Field(None, description="所在乡镇（街道），不填详细地址")
    youth_count: int | str | None = Field(None, description="帮扶青少年人数，1至20")
    help_kinds: list[str] | str | None = Field(None, description="帮扶方式，至少一项")
    started: str | None = Field(None, description="结对日期，YYYY-MM-DD，不晚于今天")
    consent: bool | int | str | None = Field(
        None, description="须为 true：监护人的书面同意已存档；否则返回 422 pairing.consent")
    consent_date: str | None = Field(None, description="监护人同意的日期，省略时为今天")


class PairingQuery(PageQuery):
    state: PairingState | None = None


class ReviewIn(Schema):
    date: str | None = Field(None, description="回头看日期，YYYY-MM-DD，在结对日期与今天之间")
    outcome: str | None = Field(None, description="out_of_poverty（已脱贫）、improving（好转）或 not_yet（未脱贫）")
    income_trend: str | None = Field(None, description="rising（收入增加）、steady（收入稳定）或 falling（收入下降）")
    note: str | None = Field(None, description="情况说明，不超过1000字")


class EndIn(Schema):
    ended: IsoDate | None = Field(None, description="结束日期，省略时为今天")


class IndicatorsQuery(Schema):
    campaign: int | None = Field(None, description="创建活动编号；省略时取可见的最近一次活动")


# --- helpers -----------------------------------------------------------------------------------------------

def _ledger_collective(request, collective_id: int) -> Collective:
    """A collective whose ledger the caller may see; anything else (absent, invisible, or visible without its
    ledger) is the same 404."""
    collective = visible_or_404(collectives_visible_to(request.user).select_related("unit"), pk=collective_id)
    if not request.user.has_perm("ledger.view_ledger", collective):
        raise Http404
    return collective


def _entry(request, entry_id: int) -> LedgerEntry:
    return selectors.get_entry_for(request.user, entry_id)


def _pairing_item(request, pairing_id: int) -> Pairing:
    return visible_or_404(selectors.pairing_list(request.user), pk=pairing_id)


def _pairing(request, pairing_id: int) -> Pairing:
    return selectors.get_pairing_for(request.user, pairing_id)


FILE_DESCRIPTION = (
    "以 multipart/form-data 上传一个文件（字段 file），按文件内容检查，不看文件名：JPEG或PNG图片、PDF文档或Word文档"
    f"（.docx），每条记录最多{services.MAX_ATTACHMENTS}个。超过大小上限（设置 WMH_LEDGER_FILE_MAX_BYTES，默认"
    f"{megabytes(20 * 1024 * 1024)}）返回 413 file.too_large，按 Content-Length 在读取请求内容之前判断；"
    "其他格式（包括改了扩展名的文本文件）返回 422 file.type，损坏的图片 photo.corrupt，空文件 file.empty，"
    ".docm 或加密文档 file.type，已达上限 ledger.too_many_files。图片的缩略图随后由后台任务生成。"
    "使用登录会话时，CSRF 令牌须放在请求头 X-CSRFToken 中。"
)


# --- entries -----------------------------------------------------------------------------------------------

@router.get("/collectives/{collective_id}/ledger", response=answers({200: Page[EntryOut]}, 404, 422),
            summary="集体的台账")
def list_entries(request, collective_id: int, query: Query[EntryQuery]):
    """集体的台账记录，日期近的在前：集体账号、其归口单位及上级团委、团市委可以查看，其他人（包括评委）返回 404。
    可按创建活动、活动（benchmark、study、families、open_week）、日期范围筛选；每条记录含其活动的字段、附件和
    评阅意见（结对家庭的编号只显示后4位）。"""
    user = request.user
    collective = _ledger_collective(request, collective_id)
    campaign = visible_or_404(campaigns_visible_to(user), pk=query.campaign) if query.campaign is not None else None
    queryset = selectors.api_entry_list(
        user, collective=collective, campaign=campaign, activity=query.activity or "", date_from=query.date_from,
        date_to=query.date_to, open_comments=query.open_comments,
    )
    return page_of(queryset, query)


@router.post("/collectives/{collective_id}/ledger", response=answers({201: EntryOut}, 403, 404, 422),
             summary="记录台账")
def add_entry(request, collective_id: int, payload: EntryIn):
    """在集体的台账中记录一条：集体账号、其归口单位及上级团委、团市委可以记录。`activity` 为 benchmark（对标创优）、
    study（青年大学习）、families（助千家）或 open_week（开放周），并填写该活动的字段。创建活动不可见时返回 404，
    不是本集体参与的活动时返回 422 ledger.campaign。不符合规则时返回 422，一次列出全部问题：ledger.date_future
    （日期晚于今天）、ledger.title_required、ledger.title_too_long、ledger.content_too_long、
    ledger.benchmark_against_required、ledger.benefit_incomplete、ledger.focus、ledger.led_by（不是本集体成员）、
    ledger.attendees、ledger.attendees_required、ledger.pairing（不是本集体的结对家庭）、ledger.help_kinds_required、
    ledger.shown_required、ledger.family_ref_in_text 等，field 指明字段。"""
    user = request.user
    collective = _ledger_collective(request, collective_id)
    campaign = visible_or_404(campaigns_visible_to(user).select_related("office"), pk=payload.campaign)
    require_perm(user, "ledger.add_entry", collective, denied=f"您不能在“{collective.name}”的台账中记录。")
    entry = services.create_entry(actor=user, collective=collective, campaign=campaign,
                                  data=payload.model_dump(exclude={"campaign"}), ip_address=client_ip(request))
    return Status(201, _entry(request, entry.pk))


@router.get("/ledger/{entry_id}", response=answers({200: EntryOut}, 404), summary="台账记录详情")
def get_entry(request, entry_id: int):
    """一条台账记录：其活动的字段、附件和评阅意见。看不到该集体台账的人返回 404。"""
    return _entry(request, entry_id)


@router.put("/ledger/{entry_id}", response=answers({200: EntryOut}, 403, 404, 422), summary="修改台账记录")
def change_entry(request, entry_id: int, payload: EntryFieldsIn):
    """以请求内容替换一条台账记录的字段（创建活动和活动不变，未提供的字段清空）；规则与记录时相同，一次列出全部问题。"""
    entry = selectors.get_entry_for(request.user, entry_id, "ledger.change_entry", denied="您不能修改这条台账记录。")
    services.update_entry(actor=request.user, entry=entry, data=payload.model_dump(), ip_address=client_ip(request))
    return _entry(request, entry_id)


@router.delete("/ledger/{entry_id}", response=answers({204: None}, 403, 404), summary="删除台账记录")
def delete_entry(request, entry_id: int):
    """删除一条台账记录及其附件和评阅意见。"""
    entry = selectors.get_entry_for(request.user, entry_id, "ledger.change_entry", denied="您不能删除这条台账记录。")
    services.delete_entry(actor=request.user, entry=entry, ip_address=client_ip(request))
    return Status(204, None)


@router.post(
    "/ledger/{entry_id}/files", auth=UPLOAD_AUTH, response=answers({201: EntryFileOut}, 403, 404, 413, 422),
    summary="上传台账附件", description=FILE_DESCRIPTION,
    openapi_extra={"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
        "type": "object", "required": ["file"],
        "properties": {"file": {"type": "string", "format": "binary",
                                "description": "JPEG或PNG图片、PDF文档或Word文档（.docx）"}},
    }}}}},
)
def upload_file(request, entry_id: int):
    entry = selectors.get_entry_for(request.user, entry_id, "ledger.change_entry",
                                    denied="您不能给这条台账记录上传附件。")
    limit = services.attachment_max_bytes()
    too_large = reject_oversized(request, limit)
    if too_large is not None:
        return too_large
    upload = receive_api_upload(request, limit)
    with answering_413():
        attachment = services.add_attachment(actor=request.user, entry=entry, upload=upload,
                                             ip_address=client_ip(request))
    return Status(201, attachment)


@router.delete("/ledger/{entry_id}/files/{file_id}", response=answers({204: None}, 403, 404),
               summary="删除台账附件")
def delete_file(request, entry_id: int, file_id: int):
    """删除台账记录的一个附件（连同缩略图）。不是该记录的附件时返回 404。"""
    entry = selectors.get_entry_for(request.user, entry_id, "ledger.change_entry",
                                    denied="您不能删除这条台账记录的附件。")
    attachment = selectors.get_attachment_for(request.user, entry.pk, file_id)
    services.remove_attachment(actor=request.user, entry=entry, attachment_id=attachment.pk,
                               ip_address=client_ip(request))
    return Status(204, None)


# --- comments (查阅台账) ------------------------------------------------------------------------------------

@router.post("/ledger/{entry_id}/comments", response=answers({201: CommentOut}, 403, 404, 422),
             summary="评阅台账记录")
def add_comment(request, entry_id: int, payload: CommentIn):
    """集体的归口单位、上级团委或团市委对一条台账记录提出评阅意见（查阅台账）；集体的账号收到通知。集体自己的账号
    可以查看但不能评阅（403）。422：ledger.comment_required、ledger.comment_too_long（超过1000字）、
    ledger.family_ref_in_text（意见中含结对家庭的编号）。"""
    entry = selectors.get_entry_for(request.user, entry_id, "ledger.comment_entry", denied=NOT_YOURS_TO_COMMENT)
    comment = services.add_comment(actor=request.user, entry=entry, text=payload.text or "",
                                   ip_address=client_ip(request))
    return Status(201, comment)


@router.post("/ledger/comments/{comment_id}/resolve", response=answers({200: CommentOut}, 403, 404),
             summary="标记评阅意见已处理")
def resolve_comment(request, comment_id: int):
    """集体（或其上级）按意见整改后，把评阅意见标记为已处理，它不再列在集体的待处理意见中。已处理的再次标记不变。"""
    comment = selectors.get_comment_for(request.user, comment_id, "ledger.resolve_comment",
                                        denied="您不能处理这条评阅意见。")
    return services.resolve_comment(actor=request.user, comment=comment, ip_address=client_ip(request))


# --- pairings (助千家) --------------------------------------------------------------------------------------

@router.get("/collectives/{collective_id}/pairings", response=answers({200: Page[PairingItemOut]}, 404, 422),
            summary="集体的结对家庭")
def list_pairings(request, collective_id: int, query: Query[PairingQuery]):
    """集体的结对家庭（助千家），帮扶中的在前：编号只显示后4位（完整编号只在 GET /pairings/{id} 中），
    含走访次数和最近一次回头看的日期。集体账号、其归口单位及上级团委、团市委可以查看，其他人返回 404。"""
    collective = _ledger_collective(request, collective_id)
    queryset = selectors.pairing_list(request.user, collective=collective, state=query.state or "")
    return page_of(queryset, query)


@router.post("/collectives/{collective_id}/pairings", response=answers({201: PairingItemOut}, 403, 404, 422),
             summary="登记结对家庭")
def add_pairing(request, collective_id: int, payload: PairingIn):
    """登记与建档立卡贫困青少年家庭的结对，只记录必要信息（编号、乡镇街道、人数、帮扶方式、结对日期），须已取得
    监护人的书面同意（`consent` 为 true，否则 422 pairing.consent）。答复中的编号只显示后4位。422 一次列出全部问题：
    pairing.consent、pairing.family_ref_required、pairing.family_ref、pairing.duplicate、pairing.area_required、
    pairing.youth_count、pairing.help_kinds、pairing.help_kinds_required、pairing.started_required、
    ledger.date_future 等。"""
    collective = _ledger_collective(request, collective_id)
    data = payload.model_dump()
    data["consent"] = payload.consent is True  # only JSON true is the guardian's consent on file
    pairing = services.create_pairing(actor=request.user, collective=collective, data=data,
                                      ip_address=client_ip(request))
    return Status(201, _pairing_item(request, pairing.pk))


@router.get("/pairings/{pairing_id}", response=answers({200: PairingOut}, 404), summary="结对家庭详情")
def get_pairing(request, pairing_id: int):
    """一个结对家庭，含完整的建档立卡编号和回头看记录。每次读取都记入操作记录（pairing.view：谁、何时、从何处）。"""
    pairing = _pairing(request, pairing_id)
    services.record_pairing_view(actor=request.user, pairing=pairing, ip_address=client_ip(request), via="api")
    return pairing


@router.post("/pairings/{pairing_id}/reviews", response=answers({201: ReviewOut}, 403, 404, 422),
             summary="登记回头看")
def add_review(request, pairing_id: int, payload: ReviewIn):
    """对帮扶中的结对家庭登记一次回头看：帮扶成效（out_of_poverty 已脱贫、improving 好转、not_yet 未脱贫）和收入变化
    （rising、steady、falling）。已结束或已撤回同意的结对返回 403。422：pairing.date_required、ledger.date_future、
    pairing.review_before_start、pairing.outcome_required、pairing.outcome、pairing.income_trend 等。"""
    pairing = _pairing(request, pairing_id)
    review = services.add_pairing_review(actor=request.user, pairing=pairing, data=payload.model_dump(),
                                         ip_address=client_ip(request))
    return Status(201, review)


@router.post("/pairings/{pairing_id}/end", response=answers({200: PairingItemOut}, 403, 404, 422),
             summary="结束结对帮扶")
def end_pairing(request, pairing_id: int, payload: EndIn | None = None):
    """结束帮扶中的结对（数据保留）：`ended` 为结束日期，省略时为今天，须在结对日期与今天之间
    （否则 422 pairing.ended）。已结束的结对返回 403。"""
    pairing = _pairing(request, pairing_id)
    ended = payload.ended if payload is not None else None
    services.end_pairing(actor=request.user, pairing=pairing, ended=ended, ip_address=client_ip(request))
    return _pairing_item(request, pairing_id)


@router.post("/pairings/{pairing_id}/withdraw-consent", response=answers({200: PairingItemOut}, 403, 404, 422),
             summary="监护人撤回同意")
def withdraw_consent(request, pairing_id: int):
    """监护人撤回同意：结对结束，建档立卡编号和乡镇街道被删除，走访记录的照片和文档被删除；人数、帮扶方式、走访和
    回头看的次数保留，用于统计。已撤回的再次撤回返回 422 pairing.withdrawn。"""
    pairing = _pairing(request, pairing_id)
    services.withdraw_consent(actor=request.user, pairing=pairing, ip_address=client_ip(request))
    return _pairing_item(request, pairing_id)


# --- indicators --------------------------------------------------------------------------------------------

@router.get("/units/{unit_id}/indicators", response=answers({200: IndicatorsOut}, 403, 404, 422),
            summary="台账指标")
def unit_indicators(request, unit_id: int, query: Query[IndicatorsQuery]):
    """该单位及下属单位的创建集体（报备待审核或已接受，不含退回）在一次创建活动中的台账指标：各活动有记录的集体数和
    记录数、青年大学习的成员覆盖率、结对家庭数，以及往届、非公、社会组织集体的占比。本单位及上级团委的管理员可以查看；
    看不到的单位返回 404，能看到但不能查看指标（集体账号看其归口单位）返回 403。"""
    user = request.user
    unit = get_object_for(user, units_visible_to(user), unit_id, "ledger.view_indicators",
                          denied="只有该单位及上级团委的管理员可以查看其台账指标。")
    campaigns = campaigns_visible_to(user)
    if query.campaign is not None:
        campaign = visible_or_404(campaigns, pk=query.campaign)
    else:
        campaign = campaigns.order_by("-year", "-id").first()
        if campaign is None:
            violation = Violation("campaign.missing", "没有可见的创建活动，无法统计台账指标。", "campaign")
            raise RuleViolationError([violation])
    return selectors.indicators(unit, campaign).as_dict()

