"""The only code that changes the ledger and the pairings. Every function is atomic and audited, and raises
RuleViolationError listing every unmet rule at once (nothing changed then), or NotPermitted (403).

Inputs use the API's field names (API.md, "Ledger: the fields of each activity"): ``form`` is the study form,
``attendees`` and ``help_kinds`` and ``shown`` are lists. The family's registry number never reaches the audit log
or a notification in full (``masking``); it may not be typed into an entry's or a comment's text either.
"""

import datetime
import os
import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from wenminghao.accounts.models import User
from wenminghao.core.audit import changed_only, record_audit, snapshot
from wenminghao.core.errors import NotPermitted, RuleViolationError, Violation
from wenminghao.core.http import int_or_none
from wenminghao.core.notifications import notify
from wenminghao.core.roles import Role
from wenminghao.core.uploads import megabytes
from wenminghao.works import media
from wenminghao.works.uploads import Received, attachment_max_bytes, discard, received, store

from . import tallies
from .enums import (
    Activity,
    AttachmentKind,
    BenchmarkStage,
    BenefitKind,
    DerivativeState,
    HelpKind,
    IncomeTrend,
    OpenWeekItem,
    PairingOutcome,
    PairingState,
    StudyForm,
    focus_choices_for,
)
from .masking import mask_family_ref
from .models import (
    COMMENT_MAX_CHARS,
    CONTENT_MAX_CHARS,
    NOTE_MAX_CHARS,
    TITLE_MAX_CHARS,
    EntryAttachment,
    EntryComment,
    EntryHelpKind,
    EntryShownItem,
    LedgerEntry,
    Pairing,
    PairingHelpKind,
    PairingReview,
)
from .tasks import make_attachment_thumbnail

ENTRY_AUDIT_FIELDS = (
    "campaign", "activity", "date", "title", "content", "stage", "benchmark_against", "focus", "benefit_kind",
    "benefit_value", "benefit_unit", "meets_target", "study_form", "topic", "led_by", "pairing", "follow_up",
    "visitors",
)
# The columns of each activity (API names where they differ: ``form`` is study_form).
ACTIVITY_COLUMNS = {
    Activity.BENCHMARK: ("stage", "benchmark_against", "focus", "benefit_kind", "benefit_value", "benefit_unit",
                         "meets_target"),
    Activity.STUDY: ("study_form", "topic", "led_by", "led_by_name"),
    Activity.FAMILIES: ("pairing", "follow_up"),
    Activity.OPEN_WEEK: ("visitors",),
}
BLANK_COLUMNS = {
    "stage": "", "benchmark_against": "", "focus": "", "benefit_kind": "", "benefit_value": None, "benefit_unit": "",
    "meets_target": None, "study_form": "", "topic": "", "led_by": None, "led_by_name": "", "pairing": None,
    "follow_up": False, "visitors": None,
}
BENCHMARK_AGAINST_MAX_CHARS = 200
TOPIC_MAX_CHARS = 200
BENEFIT_UNIT_MAX_CHARS = 16
AREA_MAX_CHARS = 64
MAX_ATTACHMENTS = 20
FAMILY_REF_PATTERN = re.compile(r"^[0-9A-Za-z-]{6,32}$")
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _labels(enum, values: Iterable[str]) -> str:
    return "、".join(str(enum(value).label) for value in values)


def _choices_text(enum) -> str:
    return "、".join(f"{value}（{label}）" for value, label in enum.choices)


def _is_future(day: datetime.date) -> bool:
    return day > timezone.localdate()


def _future_violation(day: datetime.date, field: str, what: str) -> Violation:
    today = timezone.localdate()
    return Violation("ledger.date_future",
                     f"{what}{day:%Y-%m-%d}晚于今天（{today:%Y-%m-%d}），台账只记录已经开展的工作，请核对日期", field)


def _as_date(value, field: str, what: str, violations: list[Violation], *, prefix: str = "ledger"
             ) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str) and value.strip():
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError:
            pass
        violations.append(Violation(f"{prefix}.{field}", f"{what}“{value}”不是有效日期，请按2018-06-01的格式填写",
                                    field))
        return None
    violations.append(Violation(f"{prefix}.{field}_required", f"请填写{what}", field))
    return None


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _check_length(text: str, limit: int, code: str, what: str, field: str, violations: list[Violation]) -> None:
    if len(text) > limit:
        violations.append(Violation(code, f"{what}为{len(text)}字，超过{limit}字的上限，请精简", field))


def _ids(value, field: str, what: str, violations: list[Violation]) -> list[int] | None:
    """A list of integer ids (a single id is taken as a list of one); None after a violation."""
    if value is None or value == "":
        return []
    items = value if isinstance(value, list | tuple | set) else [value]
    ids: list[int] = []
    for index, item in enumerate(items, start=1):
        try:
            ids.append(int(item))
        except (TypeError, ValueError):
            violations.append(Violation(f"ledger.{field}", f"{what}第{index}项“{item}”不是有效的编号", field))
            return None
    return list(dict.fromkeys(ids))


def _choice_list(value, enum, field: str, what: str, violations: list[Violation], *, required: bool,
                 prefix: str = "ledger") -> list[str]:
    items = [] if value in (None, "") else value if isinstance(value, list | tuple | set) else [value]
    chosen = list(dict.fromkeys(str(item) for item in items))
    unknown = [item for item in chosen if item not in enum.values]
    if unknown:
        violations.append(Violation(f"{prefix}.{field}", f"{what}中的“{'、'.join(unknown)}”不是可选的值，"
                                                         f"可选：{_choices_text(enum)}", field))
    elif required and not chosen:
        violations.append(Violation(f"{prefix}.{field}_required", f"请至少选择一项{what}", field))
    return [item for item in chosen if item in enum.values]


def _choice(value, enum, field: str, what: str, violations: list[Violation], *, required: bool,
            prefix: str = "ledger") -> str:
    text = _text(value)
    if not text:
        if required:
            violations.append(Violation(f"{prefix}.{field}_required", f"请选择{what}", field))
        return ""
    if text not in enum.values:
        violations.append(Violation(f"{prefix}.{field}", f"{what}“{text}”不是可选的值，可选：{_choices_text(enum)}",
                                    field))
        return ""
    return text


def _family_refs_of(collective) -> list[str]:
    return [ref for ref in Pairing.objects.filter(collective=collective).exclude(family_ref="")
            .values_list("family_ref", flat=True)]


def _refs_in_text(collective, texts: Mapping[str, str]) -> list[Violation]:
    """A family's registry number typed into free text would leak it unmasked into lists, exports and
    notifications: refuse it, naming the field (and the number only masked)."""
    refs = _family_refs_of(collective)
    violations = []
    for field, text in texts.items():
        folded = text.upper()
        for ref in refs:
            if ref.upper() in folded:
                violations.append(Violation(
                    "ledger.family_ref_in_text",
                    f"{FIELD_NAMES.get(field, field)}中含有结对家庭的建档立卡编号（{mask_family_ref(ref)}），"
                    f"该编号属于个人信息，请删去后再保存（可在结对家庭页面查看）", field))
                break
    return violations


FIELD_NAMES = {"file": "文件名", "title": "标题", "content": "内容", "text": "意见", "note": "情况说明",
               "topic": "学习主题", "benchmark_against": "对标对象"}


# --- entries -------------------------------------------------------------------------------------------------


@dataclass
class CleanEntry:
    """An entry's validated values: its columns, and its lists (attendees, kinds of help, items shown)."""

    columns: dict[str, Any]
    attendees: list | None = None
    help_kinds: list[str] | None = None
    shown: list[str] | None = None


def _clean_benchmark(collective, campaign, data, columns, violations, entry=None) -> None:
    columns["stage"] = _choice(data.get("stage"), BenchmarkStage, "stage", "类型（创优目标或创优成果）", violations,
                               required=True)
    against = _text(data.get("benchmark_against"))
    if not against:
        violations.append(Violation("ledger.benchmark_against_required",
                                    "请填写对标对象：对照的先进单位、行业标杆或标准", "benchmark_against"))
    _check_length(against, BENCHMARK_AGAINST_MAX_CHARS, "ledger.benchmark_against_too_long", "对标对象",
                  "benchmark_against", violations)
    columns["benchmark_against"] = against
    focus = _text(data.get("focus"))
    offered = dict(focus_choices_for(collective.sector))
    if focus and focus not in offered:
        listed = "、".join(f"{key}（{label}）" for key, label in offered.items())
        violations.append(Violation(
            "ledger.focus", f"创优方向“{focus}”不适用于{collective.get_sector_display()}的集体，可选：{listed}",
            "focus"))
        focus = ""
    columns["focus"] = focus
    columns["benefit_kind"] = _choice(data.get("benefit_kind"), BenefitKind, "benefit_kind", "效益类型", violations,
                                      required=False)
    raw_value, unit = data.get("benefit_value"), _text(data.get("benefit_unit"))
    value = None
    if raw_value not in (None, ""):
        try:
            value = Decimal(str(raw_value).strip())
            if not value.is_finite() or abs(value) >= Decimal("1e12"):
                raise InvalidOperation
            value = value.quantize(Decimal("0.01"))
        except (InvalidOperation, ValueError):
            violations.append(Violation("ledger.benefit_value", f"效益数值“{raw_value}”不是有效的数字",
                                        "benefit_value"))
            value = None
    if (value is None) != (not unit) and not any(v.field == "benefit_value" for v in violations):
        missing, field = (("效益单位（如万元、小时、件）", "benefit_unit") if value is not None
                          else ("效益数值", "benefit_value"))
        violations.append(Violation("ledger.benefit_incomplete", f"效益数值和单位须一起填写，请补填{missing}", field))
    _check_length(unit, BENEFIT_UNIT_MAX_CHARS, "ledger.benefit_unit_too_long", "效益单位", "benefit_unit", violations)
    columns["benefit_value"], columns["benefit_unit"] = value, unit
    target_id = data.get("meets_target")
    columns["meets_target"] = None
    if target_id not in (None, ""):
        if columns["stage"] != BenchmarkStage.RESULT:
            violations.append(Violation("ledger.meets_target", "只有创优成果可以对应创优目标", "meets_target"))
        else:
            target = LedgerEntry.objects.filter(
                pk=int_or_none(target_id), collective=collective, activity=Activity.BENCHMARK,
                stage=BenchmarkStage.TARGET,
            ).exclude(pk=getattr(entry, "pk", None)).first()
            if target is None:
                violations.append(Violation("ledger.meets_target",
                                            f"编号为{target_id}的记录不是本集体的创优目标", "meets_target"))
            columns["meets_target"] = target


def _clean_study(collective, data, columns, violations) -> list | None:
    columns["study_form"] = _choice(data.get("form"), StudyForm, "form", "学习形式", violations, required=True)
    topic = _text(data.get("topic"))
    if not topic:
        violations.append(Violation("ledger.topic_required", "请填写学习主题", "topic"))
    _check_length(topic, TOPIC_MAX_CHARS, "ledger.topic_too_long", "学习主题", "topic", violations)
    columns["topic"] = topic
    members = {member.pk: member for member in collective.members.all()}
    led_by_id = data.get("led_by")
    columns["led_by"], columns["led_by_name"] = None, ""
    if led_by_id in (None, ""):
        violations.append(Violation("ledger.led_by_required", "请选择领学人（号长或轮流领学的成员）", "led_by"))
    else:
        leader = members.get(int_or_none(led_by_id))
        if leader is None:
            violations.append(Violation("ledger.led_by", f"领学人（编号{led_by_id}）不是本集体的成员", "led_by"))
        else:
            columns["led_by"], columns["led_by_name"] = leader, leader.name
    ids = _ids(data.get("attendees"), "attendees", "参学成员", violations)
    if ids is None:
        return None
    unknown = [str(pk) for pk in ids if pk not in members]
    if unknown:
        violations.append(Violation("ledger.attendees",
                                    f"参学成员中编号为{'、'.join(unknown)}的人不是本集体的成员", "attendees"))
        return None
    if not ids:
        violations.append(Violation("ledger.attendees_required", "请至少勾选一位参学成员", "attendees"))
    return [members[pk] for pk in ids]


def _clean_families(collective, data, columns, violations, entry=None) -> list[str]:
    pairing_id = data.get("pairing")
    columns["pairing"] = None
    if pairing_id in (None, ""):
        violations.append(Violation("ledger.pairing_required", "请选择走访的结对家庭", "pairing"))
    else:
        pairing = Pairing.objects.filter(pk=int_or_none(pairing_id), collective=collective).first()
        if pairing is None:
            violations.append(Violation("ledger.pairing", f"编号为{pairing_id}的结对家庭不是本集体的结对家庭",
                                        "pairing"))
        elif pairing.state != PairingState.ACTIVE and getattr(entry, "pairing_id", None) != pairing.pk:
            family = pairing.family_ref_masked or "该家庭"
            violations.append(Violation("ledger.pairing_inactive",
                                        f"与{family}的结对状态为“{pairing.get_state_display()}”，不能再登记走访",
                                        "pairing"))
        else:
            columns["pairing"] = pairing
    columns["follow_up"] = bool(data.get("follow_up"))
    return _choice_list(data.get("help_kinds"), HelpKind, "help_kinds", "帮扶方式", violations, required=True)


def _clean_open_week(data, columns, violations) -> list[str]:
    visitors = data.get("visitors")
    columns["visitors"] = None
    if visitors not in (None, ""):
        count = int_or_none(visitors)
        if count is None or count < 0 or count > 10_000_000:
            violations.append(Violation("ledger.visitors", f"参观人数“{visitors}”不是有效的人数", "visitors"))
        else:
            columns["visitors"] = count
    return _choice_list(data.get("shown"), OpenWeekItem, "shown", "展示内容", violations, required=True)


def clean_entry(*, collective, campaign, data: Mapping[str, Any], entry: LedgerEntry | None = None) -> CleanEntry:
    """Every rule of an entry at once (RuleViolationError listing them all), or its clean values."""
    violations: list[Violation] = []
    activity = _text(data.get("activity")) if entry is None else entry.activity
    if activity not in Activity.values:
        violations.append(Violation("ledger.activity", f"活动“{activity}”不是可选的值，可选：{_choices_text(Activity)}",
                                    "activity"))
    columns: dict[str, Any] = {"activity": activity, **BLANK_COLUMNS}
    day = _as_date(data.get("date"), "date", "日期", violations)
    if day is not None and _is_future(day):
        violations.append(_future_violation(day, "date", "日期"))
    columns["date"] = day
    title, content = _text(data.get("title")), _text(data.get("content"))
    if not title:
        violations.append(Violation("ledger.title_required", "请填写标题", "title"))
    _check_length(title, TITLE_MAX_CHARS, "ledger.title_too_long", "标题", "title", violations)
    _check_length(content, CONTENT_MAX_CHARS, "ledger.content_too_long", "内容", "content", violations)
    columns["title"], columns["content"] = title, content
    clean = CleanEntry(columns)
    if activity == Activity.BENCHMARK:
        _clean_benchmark(collective, campaign, data, columns, violations, entry)
    elif activity == Activity.STUDY:
        clean.attendees = _clean_study(collective, data, columns, violations)
    elif activity == Activity.FAMILIES:
        clean.help_kinds = _clean_families(collective, data, columns, violations, entry)
    elif activity == Activity.OPEN_WEEK:
        clean.shown = _clean_open_week(data, columns, violations)
    violations += _refs_in_text(collective, {key: columns[key] for key in
                                             ("title", "content", "topic", "benchmark_against")})
    if violations:
        raise RuleViolationError(violations)
    return clean


def entry_snapshot(entry: LedgerEntry) -> dict[str, Any]:
    """The audit's before/after of an entry: its columns, its lists, never a family's number (only the pairing's id)."""
    data = snapshot(entry, ENTRY_AUDIT_FIELDS)
    if entry.pk:
        data["attendees"] = [{"id": pk, "name": name} for pk, name in
                             entry.attendees.order_by("id").values_list("pk", "name")]
        data["help_kinds"] = _labels_in_order(HelpKind, entry.help_kinds.values_list("kind", flat=True))
        data["shown"] = _labels_in_order(OpenWeekItem, entry.shown_items.values_list("item", flat=True))
    return data


def _labels_in_order(enum, values) -> list[str]:
    """Chosen values of an enumeration by their Chinese labels, in the enumeration's order (for the audit log)."""
    chosen = set(values)
    return [str(label) for value, label in enum.choices if value in chosen]


def _save_lists(entry: LedgerEntry, clean: CleanEntry) -> None:
    if clean.attendees is not None:
        entry.attendees.set(clean.attendees)
    if clean.help_kinds is not None:
        entry.help_kinds.all().delete()
        EntryHelpKind.objects.bulk_create([EntryHelpKind(entry=entry, kind=kind) for kind in clean.help_kinds])
    if clean.shown is not None:
        entry.shown_items.all().delete()
        EntryShownItem.objects.bulk_create([EntryShownItem(entry=entry, item=item) for item in clean.shown])


def _require(actor, perm: str, obj, denied: str) -> None:
    if not actor.has_perm(perm, obj):
        raise NotPermitted(denied)


def _check_campaign(collective, campaign) -> None:
    """The campaign must be one the collective takes part in: run by an office above its unit."""
    if campaign is None or not collective.unit.path.startswith(campaign.office.path):
        raise RuleViolationError.single("ledger.campaign", "所选创建活动不在本集体的范围内，请选择本集体参与的创建活动",
                                        "campaign")


@transaction.atomic
def create_entry(*, actor, collective, campaign, data: Mapping[str, Any], ip_address: str | None = None) -> LedgerEntry:
    """Record an entry in the collective's ledger for the campaign. Side effects: the entry with its lists, the
    collective's tallies recounted (``ledger.tallies``), and an audit entry ``ledger.entry_create``. The collective's
    own accounts, its unit and the units above it may."""
    _require(actor, "ledger.add_entry", collective, f"您不能在“{collective.name}”的台账中记录。")
    _check_campaign(collective, campaign)
    tallies.lock_collective(collective.pk)
    clean = clean_entry(collective=collective, campaign=campaign, data=data)
    entry = LedgerEntry(collective=collective, campaign=campaign, created_by=actor, **clean.columns)
    entry.save()
    _save_lists(entry, clean)
    tallies.recount(collective.pk, campaign.pk)
    record_audit(actor=actor, action="ledger.entry_create", target=entry, unit_path=collective.unit.path,
                 after=entry_snapshot(entry), ip_address=ip_address)
    return entry


@transaction.atomic
def update_entry(*, actor, entry: LedgerEntry, data: Mapping[str, Any], ip_address: str | None = None) -> LedgerEntry:
    """Change an entry (its activity stays); the collective's tallies are recounted. Audited ``ledger.entry_update``
    with what changed."""
    _require(actor, "ledger.change_entry", entry, "您不能修改这条台账记录。")
    tallies.lock_collective(entry.collective_id)  # the collective first, then the entry (tallies.lock_collective)
    entry = LedgerEntry.objects.select_for_update(no_key=True).select_related("collective__unit").get(pk=entry.pk)
    before = entry_snapshot(entry)
    clean = clean_entry(collective=entry.collective, campaign=entry.campaign, data=data, entry=entry)
    for name, value in clean.columns.items():
        setattr(entry, name, value)
    entry.save()
    _save_lists(entry, clean)
    tallies.recount(entry.collective_id, entry.campaign_id)
    old, new = changed_only(before, entry_snapshot(entry))
    if old or new:
        record_audit(actor=actor, action="ledger.entry_update", target=entry, unit_path=entry.collective.unit.path,
                     before=old, after=new, ip_address=ip_address)
    return entry


def delete_entry(*, actor, entry: LedgerEntry, ip_address: str | None = None) -> None:
    """Delete an entry with its files and comments; the collective's tallies are recounted. Audited
    ``ledger.entry_delete``; files go after commit."""
    _require(actor, "ledger.change_entry", entry, "您不能删除这条台账记录。")
    with transaction.atomic():
        tallies.lock_collective(entry.collective_id)  # the collective first, then the entry
        entry = LedgerEntry.objects.select_for_update(no_key=True).select_related("collective__unit").get(pk=entry.pk)
        names = [name for pair in entry.attachments.values_list("original", "thumbnail") for name in pair if name]
        record_audit(actor=actor, action="ledger.entry_delete", target=entry, unit_path=entry.collective.unit.path,
                     before=entry_snapshot(entry), ip_address=ip_address)
        entry.results.update(meets_target=None)
        entry.delete()
        tallies.recount(entry.collective_id, entry.campaign_id)
        transaction.on_commit(lambda: discard(*names))


# --- files of an entry ---------------------------------------------------------------------------------------


def _empty_file(item: Received) -> Violation:
    return Violation("file.empty", f"文件（{item.name}）是空文件，请重新选择", "file")


def sniff_attachment(item: Received, *, accepted: str = "台账附件可上传JPEG或PNG图片、PDF或Word（.docx）文档"
                     ) -> tuple[str, str, str, dict[str, Any]] | Violation:
    """(kind, content type, extension, facts) of a JPEG/PNG picture, PDF or .docx by its content; or why not
    (``accepted`` says what the caller takes). The one intake of documents and photos, public for the apps above
    that take the same files (the notices' attachments and replies)."""
    with open(item.path, "rb") as handle:
        head = handle.read(8)
    if item.size == 0:
        return _empty_file(item)
    if head.startswith(b"%PDF-"):
        return AttachmentKind.PDF, "application/pdf", ".pdf", {}
    if head.startswith(b"PK"):
        media.docx_text(item.path, item.name)  # raises file.type / essay.docx for anything but a plain .docx
        return AttachmentKind.DOCX, DOCX_CONTENT_TYPE, ".docx", {}
    picture = media.sniff_picture(item, accepted=accepted, unknown="不是可识别的图片或文档")
    if isinstance(picture, Violation):
        return picture
    return (AttachmentKind.PICTURE, *picture)


def add_attachment(*, actor, entry: LedgerEntry, upload, ip_address: str | None = None) -> EntryAttachment:
    """Attach a checked file to an entry. The file is checked by its content outside any transaction, then moved
    into storage under ledger/<collective>/<entry>/ and recorded with its audit entry (``ledger.file_upload``) in
    one transaction; if that fails, the stored file is deleted again. A picture's thumbnail follows by a task."""
    _require(actor, "ledger.change_entry", entry, "您不能给这条台账记录上传附件。")
    _refuse_withdrawn_visit(entry)
    if upload is None:
        raise RuleViolationError.single("file.missing", "请选择要上传的图片或文档", "file")
    name_violations = _refs_in_text(entry.collective, {"file": os.path.basename(getattr(upload, "name", "") or "")})
    if name_violations:
        raise RuleViolationError(name_violations)
    if entry.attachments.count() >= MAX_ATTACHMENTS:
        raise RuleViolationError([_too_many_files()])
    with received(upload, limit=attachment_max_bytes()) as item:  # UploadTooLarge (413) past the limit
        kind = sniff_attachment(item)
        if isinstance(kind, Violation):
            raise RuleViolationError([kind])
        kind, content_type, extension, facts = kind
        stored = store(item, f"ledger/{entry.collective_id}/{entry.pk}/{uuid.uuid4().hex}{extension}")
    try:
        with transaction.atomic():
            # one upload at a time
            LedgerEntry.objects.select_for_update(no_key=True).filter(pk=entry.pk).order_by().exists()
            _refuse_withdrawn_visit(entry, lock=True)
            if entry.attachments.count() >= MAX_ATTACHMENTS:
                raise RuleViolationError([_too_many_files()])
            attachment = EntryAttachment.objects.create(
                entry=entry, kind=kind, original=stored, original_name=item.name[:255], size=item.size,
                sha256=item.sha256, content_type=content_type, uploaded_by=actor,
                derivatives=DerivativeState.PENDING if kind == AttachmentKind.PICTURE else DerivativeState.NONE,
                **facts,
            )
            record_audit(actor=actor, action="ledger.file_upload", target=entry,
                         unit_path=entry.collective.unit.path, ip_address=ip_address,
                         after={"file": item.name, "size": item.size, "sha256": item.sha256, "kind": kind})
            if kind == AttachmentKind.PICTURE:
                attachment_id = attachment.pk
                transaction.on_commit(lambda: make_attachment_thumbnail.enqueue(attachment_id), robust=True)
    except BaseException:
        discard(stored)
        raise
    return attachment


def _refuse_withdrawn_visit(entry: LedgerEntry, *, lock: bool = False) -> None:
    """A visit of a pairing whose guardian withdrew consent takes no more files: the withdrawal erased its photos
    and new ones would undo that. With ``lock`` the pairing's row is locked, so a withdrawal running at the same
    time either comes first (refused here) or waits and deletes this file with the others."""
    if entry.pairing_id is None:
        return
    rows = Pairing.objects.filter(pk=entry.pairing_id).order_by()
    if lock:
        rows = rows.select_for_update(no_key=True)
    if rows.values_list("state", flat=True).get() == PairingState.WITHDRAWN:
        raise RuleViolationError.single("ledger.pairing_withdrawn",
                                        "该走访的结对家庭监护人已撤回同意，不能再为这条记录上传照片或文档", "file")


def _too_many_files() -> Violation:
    return Violation("ledger.too_many_files",
                     f"每条台账记录最多{MAX_ATTACHMENTS}个附件，已达上限，请先删除不需要的附件", "file")


def remove_attachment(*, actor, entry: LedgerEntry, attachment_id: int, ip_address: str | None = None) -> None:
    _require(actor, "ledger.change_entry", entry, "您不能删除这条台账记录的附件。")
    with transaction.atomic():
        attachment = (EntryAttachment.objects.select_for_update(no_key=True).filter(pk=attachment_id, entry=entry)
                      .first())
        if attachment is None:
            raise RuleViolationError.single("file.not_found", "该附件不存在或已删除", "file")
        names = [attachment.original.name, attachment.thumbnail.name]
        record_audit(actor=actor, action="ledger.file_remove", target=entry, unit_path=entry.collective.unit.path,
                     before={"file": attachment.original_name, "sha256": attachment.sha256}, ip_address=ip_address)
        attachment.delete()
        transaction.on_commit(lambda: discard(*names))


def attachment_too_large_message(name: str = "") -> str:
    label = f"文件（{name}）" if name else "上传的文件"
    return f"{label}超过{megabytes(attachment_max_bytes())}的上限，请压缩后再上传"


# --- comments (查阅台账) --------------------------------------------------------------------------------------


def collective_accounts(collective_id: int) -> list:
    """The collective's accounts (leader and delegates), who hear of comments on its ledger."""
    return list(User.objects.filter(collective_id=collective_id, role=Role.COLLECTIVE, is_active=True))


@transaction.atomic
def add_comment(*, actor, entry: LedgerEntry, text: str, ip_address: str | None = None) -> EntryComment:
    """A unit's (or the office's) comment on an entry. Side effects: the comment, an audit entry ``ledger.comment``,
    and a notification to the collective's accounts (in the platform; e-mail after commit)."""
    _require(actor, "ledger.comment_entry", entry, "只有集体的归口单位及上级单位可以评阅台账。")
    text = _text(text)
    violations = []
    if not text:
        violations.append(Violation("ledger.comment_required", "请填写评阅意见", "text"))
    _check_length(text, COMMENT_MAX_CHARS, "ledger.comment_too_long", "评阅意见", "text", violations)
    violations += _refs_in_text(entry.collective, {"text": text})
    if violations:
        raise RuleViolationError(violations)
    comment = EntryComment.objects.create(entry=entry, author=actor, author_unit=actor.unit, text=text)
    record_audit(actor=actor, action="ledger.comment", target=entry, unit_path=entry.collective.unit.path,
                 after={"comment": comment.pk, "text": text}, ip_address=ip_address)
    excerpt = text if len(text) <= 80 else text[:80] + "…"
    notify(collective_accounts(entry.collective_id),
           f"{actor.unit.name}评阅了台账记录《{entry.title}》（{entry.get_activity_display()}）：{excerpt}",
           reverse("ledger:entry", args=[entry.pk]))
    return comment


@transaction.atomic
def resolve_comment(*, actor, comment: EntryComment, ip_address: str | None = None) -> EntryComment:
    """Mark a comment handled (已处理): it leaves the collective's list of open comments. Audited."""
    _require(actor, "ledger.resolve_comment", comment.entry, "您不能处理这条评阅意见。")
    comment = (EntryComment.objects.select_for_update(no_key=True).select_related("entry__collective__unit")
               .get(pk=comment.pk))
    if comment.resolved_at is not None:
        return comment
    comment.resolved_at, comment.resolved_by = timezone.now(), actor
    comment.save(update_fields=["resolved_at", "resolved_by"])
    record_audit(actor=actor, action="ledger.comment_resolve", target=comment.entry,
                 unit_path=comment.entry.collective.unit.path, after={"comment": comment.pk}, ip_address=ip_address)
    return comment


# --- pairings (助千家) ----------------------------------------------------------------------------------------


def pairing_snapshot(pairing: Pairing) -> dict[str, Any]:
    """The audit's view of a pairing: the registry number masked, never in full."""
    data = snapshot(pairing, ("area", "youth_count", "started", "state", "ended", "consent_date"))
    data["family_ref"] = pairing.family_ref_masked
    if pairing.pk:
        data["help_kinds"] = _labels_in_order(HelpKind, pairing.help_kinds.values_list("kind", flat=True))
    return data


def normalise_family_ref(value) -> str:
    return re.sub(r"\s+", "", _text(value)).upper()


@transaction.atomic
def create_pairing(*, actor, collective, data: Mapping[str, Any], ip_address: str | None = None) -> Pairing:
    """Record a pairing with a registered poor youth family, only with the guardian's consent on file. Side effects:
    the pairing and its kinds of help, and an audit entry ``pairing.create`` (the number masked)."""
    _require(actor, "ledger.add_pairing", collective, f"您不能为“{collective.name}”登记结对家庭。")
    violations: list[Violation] = []
    family_ref = normalise_family_ref(data.get("family_ref"))
    if not family_ref:
        violations.append(Violation("pairing.family_ref_required", "请填写家庭的建档立卡编号", "family_ref"))
    elif not FAMILY_REF_PATTERN.match(family_ref):
        violations.append(Violation(
            "pairing.family_ref", f"建档立卡编号应为6至32位数字、字母或连字符，现为{len(family_ref)}个字符，请核对",
            "family_ref"))
    elif Pairing.objects.filter(collective=collective, family_ref=family_ref).exists():
        violations.append(Violation(
            "pairing.duplicate", f"本集体已与编号{mask_family_ref(family_ref)}的家庭结对，请勿重复登记", "family_ref"))
    area = _text(data.get("area"))
    if not area:
        violations.append(Violation("pairing.area_required", "请填写家庭所在的乡镇（街道），无需填写详细地址", "area"))
    _check_length(area, AREA_MAX_CHARS, "pairing.area_too_long", "所在乡镇（街道）", "area", violations)
    youth_count = int_or_none(data.get("youth_count"))
    if _text(data.get("youth_count")) == "":
        violations.append(Violation("pairing.youth_count", "请填写帮扶青少年人数（1至20之间的整数）", "youth_count"))
    elif youth_count is None or not 1 <= youth_count <= 20:
        violations.append(Violation(
            "pairing.youth_count", f"帮扶青少年人数“{data.get('youth_count')}”无效，应为1至20之间的整数",
            "youth_count"))
    help_kinds = _choice_list(data.get("help_kinds"), HelpKind, "help_kinds", "帮扶方式", violations, required=True,
                              prefix="pairing")
    started = _as_date(data.get("started"), "started", "结对日期", violations, prefix="pairing")
    if started is not None and _is_future(started):
        violations.append(_future_violation(started, "started", "结对日期"))
    if data.get("consent") is not True:
        violations.append(Violation(
            "pairing.consent",
            "须先取得监护人的书面同意并存档，勾选“已取得监护人书面同意并存档”后才能登记结对", "consent"))
    consent_date = _as_date(data.get("consent_date") or timezone.localdate(), "consent_date", "同意日期", violations,
                            prefix="pairing")
    if consent_date is not None and _is_future(consent_date):
        violations.append(_future_violation(consent_date, "consent_date", "监护人同意日期"))
    if violations:
        raise RuleViolationError(violations)
    pairing = Pairing.objects.create(
        collective=collective, family_ref=family_ref, area=area, youth_count=youth_count, started=started,
        consent_date=consent_date, consent_recorded_by=actor, created_by=actor,
    )
    PairingHelpKind.objects.bulk_create([PairingHelpKind(pairing=pairing, kind=kind) for kind in help_kinds])
    record_audit(actor=actor, action="pairing.create", target=pairing, unit_path=collective.unit.path,
                 after=pairing_snapshot(pairing), ip_address=ip_address)
    return pairing


@transaction.atomic
def record_pairing_view(*, actor, pairing: Pairing, ip_address: str | None = None, via: str = "page") -> None:
    """Every read of a pairing's full registry number is written to the audit log (who, when, from where)."""
    record_audit(actor=actor, action="pairing.view", target=pairing, unit_path=pairing.collective.unit.path,
                 after={"via": via}, ip_address=ip_address)


def _locked_pairing(pairing: Pairing) -> Pairing:
    return Pairing.objects.select_for_update(no_key=True).select_related("collective__unit").get(pk=pairing.pk)


@transaction.atomic
def add_pairing_review(*, actor, pairing: Pairing, data: Mapping[str, Any],
                       ip_address: str | None = None) -> PairingReview:
    """A follow-up review (回头看) of an active pairing: outcome and income trend. Audited ``pairing.review``."""
    _require(actor, "ledger.change_pairing", pairing, "只能对帮扶中的结对家庭登记回头看。")
    pairing = _locked_pairing(pairing)
    violations: list[Violation] = []
    day = _as_date(data.get("date"), "date", "回头看日期", violations, prefix="pairing")
    if day is not None and _is_future(day):
        violations.append(_future_violation(day, "date", "回头看日期"))
    if day is not None and day < pairing.started:
        violations.append(Violation("pairing.review_before_start",
                                    f"回头看日期{day:%Y-%m-%d}早于结对日期{pairing.started:%Y-%m-%d}", "date"))
    outcome = _choice(data.get("outcome"), PairingOutcome, "outcome", "帮扶成效", violations, required=True,
                      prefix="pairing")
    trend = _choice(data.get("income_trend"), IncomeTrend, "income_trend", "收入变化", violations, required=True,
                    prefix="pairing")
    note = _text(data.get("note"))
    _check_length(note, NOTE_MAX_CHARS, "pairing.note_too_long", "情况说明", "note", violations)
    violations += _refs_in_text(pairing.collective, {"note": note})
    if violations:
        raise RuleViolationError(violations)
    review = PairingReview.objects.create(pairing=pairing, date=day, outcome=outcome, income_trend=trend, note=note,
                                          created_by=actor)
    record_audit(actor=actor, action="pairing.review", target=pairing, unit_path=pairing.collective.unit.path,
                 after={"date": day, "outcome": outcome, "income_trend": trend}, ip_address=ip_address)
    return review


@transaction.atomic
def end_pairing(*, actor, pairing: Pairing, ended: datetime.date | None = None,
                ip_address: str | None = None) -> Pairing:
    """End an active pairing (帮扶结束); its data stays. Audited ``pairing.end``."""
    _require(actor, "ledger.change_pairing", pairing, "只能结束帮扶中的结对。")
    pairing = _locked_pairing(pairing)
    before = pairing_snapshot(pairing)
    ended = ended or timezone.localdate()
    if _is_future(ended) or ended < pairing.started:
        raise RuleViolationError.single("pairing.ended", f"结束日期{ended:%Y-%m-%d}应在结对日期与今天之间", "ended")
    pairing.state, pairing.ended = PairingState.ENDED, ended
    pairing.save(update_fields=["state", "ended"])
    old, new = changed_only(before, pairing_snapshot(pairing))
    record_audit(actor=actor, action="pairing.end", target=pairing, unit_path=pairing.collective.unit.path,
                 before=old, after=new, ip_address=ip_address)
    return pairing


def withdraw_consent(*, actor, pairing: Pairing, ip_address: str | None = None) -> Pairing:
    """The guardian withdrew consent (PIPL art. 15, 47): the pairing ends, its registry number and area are erased,
    and the photos and documents of its visits are deleted; the counts (young people, kinds of help, visits and
    reviews) stay for the indicators. Audited ``pairing.withdraw_consent`` (the number masked)."""
    if not actor.has_perm("ledger.view_pairing", pairing):
        raise NotPermitted("您不能处理这个结对家庭。")
    if pairing.state == PairingState.WITHDRAWN:
        raise RuleViolationError.single("pairing.withdrawn", "监护人已撤回同意，该结对的身份信息已删除", "consent")
    with transaction.atomic():
        pairing = _locked_pairing(pairing)
        before = pairing_snapshot(pairing)
        attachments = EntryAttachment.objects.filter(entry__pairing=pairing)
        names = [name for pair in attachments.values_list("original", "thumbnail") for name in pair if name]
        deleted = attachments.count()
        attachments.delete()
        pairing.family_ref, pairing.area = "", ""
        pairing.state = PairingState.WITHDRAWN
        pairing.ended = pairing.ended or timezone.localdate()
        pairing.consent_withdrawn_at, pairing.consent_withdrawn_by = timezone.now(), actor
        pairing.save()
        record_audit(actor=actor, action="pairing.withdraw_consent", target=pairing,
                     unit_path=pairing.collective.unit.path, before=before,
                     after={**pairing_snapshot(pairing), "deleted_files": deleted}, ip_address=ip_address)
        transaction.on_commit(lambda: discard(*names))
    return pairing
