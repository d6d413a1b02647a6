"""Field inspections (实地考察) and their rectification (整改): recording an inspection, the collective's answer with
its photos, the inspectors' acceptance or a new request. Each function is one atomic, audited write; rule breaks
raise RuleViolationError with every unmet rule at once (nothing written), a wrong actor NotPermitted (403).

The rectification's life is one table, ``RECTIFICATION_TRANSITIONS``: which state may move to which, who may move it
(a permission of evaluation/rules.py), what the move needs, how it is audited and whom it tells. Nothing else says
which moves are allowed: ``change_rectification`` follows it, the pages ask ``moves_for`` what to offer, and the
collective may add or remove photos exactly in the states from which it may answer."""

import datetime
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from wenminghao.accounts.models import User
from wenminghao.campaigns.selectors import campaigns_visible_to
from wenminghao.core.audit import record_audit, snapshot
from wenminghao.core.errors import NotPermitted, RuleViolationError, Violation
from wenminghao.core.http import int_or_none
from wenminghao.core.notifications import notify
from wenminghao.core.roles import Role
from wenminghao.ledger.services import collective_accounts
from wenminghao.works.media import sniff_picture
from wenminghao.works.uploads import attachment_max_bytes, discard, received, store

from ..enums import InspectionItem, InspectionRating, RectificationState
from ..models import TEXT_MAX_CHARS, Inspection, InspectionCheck, InspectionPhoto

INSPECTORS_MAX_CHARS = 200
COMMENT_MAX_CHARS = 500
MAX_PHOTOS = 20
IN_ORDER, NOT_IN_ORDER = "in_order", "not_in_order"  # a checked item's result; not checked: ""
CHECK_RESULTS = {IN_ORDER: "符合要求", NOT_IN_ORDER: "不符合要求"}
PHOTOS_ACCEPTED = "整改照片只能上传JPEG或PNG格式的图片"

ASKED, ANSWERED, ACCEPTED = RectificationState.ASKED, RectificationState.ANSWERED, RectificationState.ACCEPTED
COLLECTIVE, INSPECTORS = "collective", "inspectors"  # whom a move notifies


@dataclass(frozen=True)
class Move:
    """One allowed move of a rectification."""

    perm: str  # who may make it (evaluation/rules.py)
    action: str  # the audit key
    verb: str  # what it is called on the page and in messages
    notifies: str  # COLLECTIVE (its accounts) or INSPECTORS (the admins from the inspecting unit down to its unit)
    needs_response: bool = False  # what the collective changed
    needs_new_deadline: bool = False  # a comment and a new deadline


RECTIFICATION_TRANSITIONS: dict[tuple[str, str], Move] = {
    (ASKED, ANSWERED): Move("evaluation.answer_rectification", "inspection.respond", "反馈整改情况", INSPECTORS,
                            needs_response=True),
    (ANSWERED, ACCEPTED): Move("evaluation.decide_rectification", "inspection.accept", "整改验收通过", COLLECTIVE),
    (ANSWERED, ASKED): Move("evaluation.decide_rectification", "inspection.reopen", "要求再次整改", COLLECTIVE,
                            needs_new_deadline=True),
}
# The states in which the collective works on its answer, and so may add or remove photos: those it may answer from.
ANSWERING_STATES = frozenset(source for (source, _), move in RECTIFICATION_TRANSITIONS.items() if move.needs_response)


def moves_for(user, inspection: Inspection) -> dict[str, Move]:
    """The moves this user may make on the inspection now (target state -> move), for the page to offer."""
    return {target: move for (source, target), move in RECTIFICATION_TRANSITIONS.items()
            if source == inspection.rectification_state and user.has_perm(move.perm, inspection)}


def may_change_photos(user, inspection: Inspection) -> bool:
    return inspection.rectification_state in ANSWERING_STATES and user.has_perm(
        "evaluation.answer_rectification", inspection)


def photo_max_bytes() -> int:
    """The ledger's limit for a photo (WMH_LEDGER_FILE_MAX_BYTES): a rectification photo is a record like theirs."""
    return attachment_max_bytes()


def _require(actor, perm: str, obj, denied: str) -> None:
    if not actor.has_perm(perm, obj):
        raise NotPermitted(denied)


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _check_length(text: str, limit: int, code: str, what: str, field: str, violations: list[Violation]) -> None:
    if len(text) > limit:
        violations.append(Violation(code, f"{what}为{len(text)}字，超过{limit}字的上限，请精简", field))


def _date(value, field: str, what: str, violations: list[Violation], *, required: bool) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(value)
    if not text:
        if required:
            violations.append(Violation(f"inspection.{field}_required", f"请填写{what}", field))
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        violations.append(Violation(f"inspection.{field}", f"{what}“{text}”不是有效日期，请按2018-06-01的格式填写",
                                    field))
        return None


def _labels(values, enum) -> str:
    return "、".join(str(enum(value).label) for value in values)


# --- recording an inspection ---------------------------------------------------------------------------------


@dataclass
class CleanInspection:
    columns: dict[str, Any]
    checks: dict[str, bool]  # item -> in order


def _clean_campaign(actor, collective, value, violations: list[Violation]):
    campaign = value if hasattr(value, "office_id") else None
    if campaign is None:
        pk = int_or_none(value)
        if pk is None:
            violations.append(Violation("inspection.campaign_required", "请选择创建活动", "campaign"))
            return None
        campaign = campaigns_visible_to(actor).filter(pk=pk).first()
    elif not campaigns_visible_to(actor).filter(pk=campaign.pk).exists():
        campaign = None
    if campaign is None or not collective.unit.path.startswith(campaign.office.path):
        violations.append(Violation(
            "inspection.campaign", f"所选创建活动不在{collective.name}参与的范围内，请选择该集体参与的创建活动",
            "campaign"))
        return None
    return campaign


def _clean_checks(value, violations: list[Violation]) -> dict[str, bool]:
    """{item: in order} of the items checked, from {item: "in_order" | "not_in_order" | ""}."""
    given = dict(value or {})
    unknown = [str(item) for item in given if item not in InspectionItem.values]
    if unknown:
        violations.append(Violation("inspection.checks", f"检查项目“{'、'.join(unknown)}”不是可选的项目，可选："
                                                         f"{'、'.join(InspectionItem.labels)}", "checks"))
    checks: dict[str, bool] = {}
    for item in InspectionItem.values:
        result = _text(given.get(item))
        if result in CHECK_RESULTS:
            checks[item] = result == IN_ORDER
        elif result:
            violations.append(Violation(
                "inspection.check_result",
                f"“{InspectionItem(item).label}”的检查结果“{result}”无效，请选择符合要求或不符合要求", f"check_{item}"))
    if not checks and not unknown:
        violations.append(Violation("inspection.checks_required",
                                    f"请至少填写一项检查结果（{'、'.join(InspectionItem.labels)}）", "checks"))
    return checks


def clean_inspection(*, actor, collective, data: Mapping[str, Any]) -> CleanInspection:
    """Every rule of an inspection at once (RuleViolationError listing them all), or its clean values."""
    violations: list[Violation] = []
    campaign = _clean_campaign(actor, collective, data.get("campaign"), violations)
    day = _date(data.get("date"), "date", "考察日期", violations, required=True)
    today = timezone.localdate()
    if day is not None and day > today:
        violations.append(Violation(
            "inspection.date_future", f"考察日期{day:%Y-%m-%d}晚于今天（{today:%Y-%m-%d}），请登记已经进行的考察",
            "date"))
    inspectors = _text(data.get("inspectors"))
    if not inspectors:
        violations.append(Violation("inspection.inspectors_required", "请填写考察人员的姓名", "inspectors"))
    _check_length(inspectors, INSPECTORS_MAX_CHARS, "inspection.inspectors_too_long", "考察人员", "inspectors",
                  violations)
    checks = _clean_checks(data.get("checks"), violations)
    findings = _text(data.get("findings"))
    if not findings:
        violations.append(Violation("inspection.findings_required", "请填写考察发现", "findings"))
    _check_length(findings, TEXT_MAX_CHARS, "inspection.findings_too_long", "考察发现", "findings", violations)
    rating = _text(data.get("rating"))
    if not rating:
        violations.append(Violation("inspection.rating_required", "请选择考察结果（优秀、良好、合格或不合格）",
                                    "rating"))
    elif rating not in InspectionRating.values:
        violations.append(Violation("inspection.rating", f"考察结果“{rating}”不是可选的值，可选："
                                                         f"{'、'.join(InspectionRating.labels)}", "rating"))
    rectification = _text(data.get("rectification"))
    _check_length(rectification, TEXT_MAX_CHARS, "inspection.rectification_too_long", "整改要求", "rectification",
                  violations)
    rectify_by = _date(data.get("rectify_by"), "rectify_by", "整改期限", violations, required=False)
    failing = [item for item, in_order in checks.items() if not in_order]
    if rectification and rectify_by is None and not any(v.field == "rectify_by" for v in violations):
        violations.append(Violation("inspection.rectify_by_required", "提出了整改要求，请同时填写整改期限",
                                    "rectify_by"))
    elif rectify_by is not None and not rectification:
        violations.append(Violation("inspection.rectification_required", "填写了整改期限，请同时填写整改要求",
                                    "rectification"))
    elif not rectification and (rating == InspectionRating.FAIL or failing):
        reasons = []
        if rating == InspectionRating.FAIL:
            reasons.append("考察结果为不合格")
        if failing:
            reasons.append(f"“{_labels(failing, InspectionItem)}”不符合要求")
        violations.append(Violation("inspection.rectification_needed",
                                    f"{'，'.join(reasons)}，须提出整改要求并填写整改期限", "rectification"))
    if rectify_by is not None and day is not None and rectify_by <= day:
        violations.append(Violation("inspection.rectify_by", f"整改期限{rectify_by:%Y-%m-%d}应晚于考察日期"
                                                             f"{day:%Y-%m-%d}", "rectify_by"))
    if violations:
        raise RuleViolationError(violations)
    return CleanInspection(
        columns={"campaign": campaign, "date": day, "inspectors": inspectors, "findings": findings, "rating": rating,
                 "rectification": rectification, "rectify_by": rectify_by,
                 "rectification_state": RectificationState.ASKED if rectification else RectificationState.NONE},
        checks=checks,
    )


def inspection_snapshot(inspection: Inspection, checks: Mapping[str, bool] | None = None) -> dict[str, Any]:
    data = snapshot(inspection, ("campaign", "collective", "unit", "date", "inspectors", "findings", "rating",
                                 "rectification", "rectify_by", "rectification_state"))
    if checks is not None:
        data["checks"] = {str(InspectionItem(item).label): CHECK_RESULTS[IN_ORDER if ok else NOT_IN_ORDER]
                          for item, ok in checks.items()}
    return data


def _inspection_link(inspection: Inspection) -> str:
    return reverse("evaluation:inspection", args=[inspection.pk])


@transaction.atomic
def record_inspection(*, actor, collective, data: Mapping[str, Any], ip_address: str | None = None) -> Inspection:
    """Record a field inspection of ``collective`` by the actor's unit. ``data``: ``campaign`` (id), ``date`` (not in
    the future), ``inspectors`` (names), ``checks`` ({InspectionItem: "in_order" | "not_in_order" | ""}, one at
    least), ``findings``, ``rating``, and ``rectification`` with ``rectify_by`` (both or neither; required when the
    rating is 不合格 or an item is not in order; the deadline after the inspection's date).

    Side effects: the inspection and one InspectionCheck per item checked, an audit entry ``inspection.create``, and,
    when a rectification is asked, a notification to the collective's accounts (e-mail after commit)."""
    _require(actor, "evaluation.add_inspection", collective, f"您不能登记对“{collective.name}”的实地考察。")
    clean = clean_inspection(actor=actor, collective=collective, data=data)
    inspection = Inspection.objects.create(collective=collective, unit=actor.unit, created_by=actor, **clean.columns)
    InspectionCheck.objects.bulk_create([InspectionCheck(inspection=inspection, item=item, in_order=in_order)
                                         for item, in_order in clean.checks.items()])
    record_audit(actor=actor, action="inspection.create", target=inspection, unit_path=collective.unit.path,
                 after=inspection_snapshot(inspection, clean.checks), ip_address=ip_address)
    if inspection.rectification:
        notify(collective_accounts(collective.pk),
               f"{actor.unit.name}于{_day(inspection.date)}对本集体进行了实地考察（考察结果："
               f"{inspection.get_rating_display()}），要求在{_day(inspection.rectify_by)}前完成整改并在平台上"
               f"反馈：{_excerpt(inspection.rectification)}",
               _inspection_link(inspection))
    return inspection


def _day(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _excerpt(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


# --- the rectification's moves -------------------------------------------------------------------------------


def _inspectors_of(inspection: Inspection) -> list:
    """The active admins of the units from the inspecting unit down to the collective's own unit (the inspecting
    unit hears of the answer it must judge, the collective's unit of its collective)."""
    unit = inspection.collective.unit
    return list(User.objects.filter(role__in=(Role.CITY_ADMIN, Role.UNIT_ADMIN), is_active=True,
                                    unit_id__in=unit.ancestor_ids, unit__path__startswith=inspection.unit.path))


def _locked(inspection: Inspection) -> Inspection:
    return (Inspection.objects.select_for_update(no_key=True).select_related("collective__unit", "unit", "campaign")
            .get(pk=inspection.pk))


def _state_violation(inspection: Inspection, target: str) -> Violation:
    verb = next(move.verb for (_, to), move in RECTIFICATION_TRANSITIONS.items() if to == target)
    return Violation("inspection.state", f"这次考察的整改状态为“{inspection.get_rectification_state_display()}”，"
                                         f"不能{verb}", "state")


def change_rectification(*, actor, inspection: Inspection, to_state: str, response: str = "", comment: str = "",
                         rectify_by=None, ip_address: str | None = None) -> Inspection:
    """Move the inspection's rectification to ``to_state`` as ``RECTIFICATION_TRANSITIONS`` allows: the collective
    answers (asked → answered, with ``response``: what it changed; its photos are already uploaded), the inspecting
    unit or a unit above it accepts the answer (answered → accepted) or asks again (answered → asked, with a
    ``comment`` and a new deadline ``rectify_by``, not before today).

    Locks the inspection's row, checks the actor (NotPermitted) and the move (RuleViolationError
    ``inspection.state`` and the move's own rules, all at once), saves with ``update_fields``, writes the move's
    audit entry (the response, or the comment and the deadlines, in ``after``: the page's history reads them), and
    notifies: an answer the admins from the inspecting unit down to the collective's unit, a decision the
    collective's accounts (e-mail after commit)."""
    targets = {target: move.perm for (_, target), move in RECTIFICATION_TRANSITIONS.items()}
    if to_state not in targets:
        raise RuleViolationError.single("inspection.state", f"整改状态“{to_state}”不是可以转入的状态", "state")
    _require(actor, targets[to_state], inspection, "您不能处理这次考察的整改。")
    with transaction.atomic():
        inspection = _locked(inspection)
        move = RECTIFICATION_TRANSITIONS.get((inspection.rectification_state, to_state))
        violations = [] if move is not None else [_state_violation(inspection, to_state)]
        fields = ["rectification_state"]
        after: dict[str, Any] = {"rectification_state": to_state}
        if move is not None and move.needs_response:
            response = _text(response)
            if not response:
                violations.append(Violation("inspection.response_required", "请填写整改情况：针对整改要求做了哪些改变",
                                            "response"))
            _check_length(response, TEXT_MAX_CHARS, "inspection.response_too_long", "整改情况", "response", violations)
            inspection.response, inspection.responded_at, inspection.responded_by = response, timezone.now(), actor
            fields += ["response", "responded_at", "responded_by"]
            after.update(response=response, photos=inspection.photos.count())
        if move is not None and move.needs_new_deadline:
            comment = _text(comment)
            if not comment:
                violations.append(Violation("inspection.comment_required", "请说明还需要整改什么", "comment"))
            _check_length(comment, COMMENT_MAX_CHARS, "inspection.comment_too_long", "再次整改意见", "comment",
                          violations)
            deadline = _date(rectify_by, "rectify_by", "新的整改期限", violations, required=True)
            today = timezone.localdate()
            if deadline is not None and deadline < today:
                violations.append(Violation("inspection.rectify_by", f"新的整改期限{deadline:%Y-%m-%d}早于今天"
                                                                     f"（{today:%Y-%m-%d}）", "rectify_by"))
            after.update(comment=comment, previous_rectify_by=inspection.rectify_by, rectify_by=deadline)
            inspection.rectify_by = deadline
            fields.append("rectify_by")
        if violations:
            raise RuleViolationError(violations)
        before = {"rectification_state": inspection.rectification_state}
        inspection.rectification_state = to_state
        inspection.save(update_fields=fields)
        record_audit(actor=actor, action=move.action, target=inspection, unit_path=inspection.collective.unit.path,
                     before=before, after=after, ip_address=ip_address)
        _notify_move(actor, inspection, move, comment)
    return inspection


def _notify_move(actor, inspection: Inspection, move: Move, comment: str) -> None:
    collective, link = inspection.collective, _inspection_link(inspection)
    day = _day(inspection.date)
    if move.notifies == INSPECTORS:
        notify(_inspectors_of(inspection),
               f"{collective.name}反馈了{day}实地考察的整改情况，请验收：{_excerpt(inspection.response)}", link)
        return
    if inspection.rectification_state == ACCEPTED:
        message = f"{actor.unit.name}已验收通过{day}实地考察的整改，感谢配合。"
    else:
        message = (f"{actor.unit.name}要求对{day}实地考察的问题再次整改，新的整改期限为"
                   f"{_day(inspection.rectify_by)}：{_excerpt(comment)}")
    notify(collective_accounts(collective.pk), message, link)


# --- rectification photos ------------------------------------------------------------------------------------


def _refuse_photo_change(inspection: Inspection) -> None:
    if inspection.rectification_state not in ANSWERING_STATES:
        raise RuleViolationError.single(
            "inspection.state", f"这次考察的整改状态为“{inspection.get_rectification_state_display()}”，"
                                f"现在不能上传或删除整改照片", "file")


def _too_many_photos() -> Violation:
    return Violation("inspection.too_many_photos", f"每次考察最多上传{MAX_PHOTOS}张整改照片，已达上限，"
                                                   f"请先删除不需要的照片", "file")


def add_inspection_photo(*, actor, inspection: Inspection, upload, ip_address: str | None = None) -> InspectionPhoto:
    """A photo (JPEG or PNG) of the collective's rectification, while it works on its answer. Checked by its content
    outside any transaction (``works.media.sniff_picture``: the one picture intake), moved into storage under
    inspections/<collective>/<inspection>/, then recorded with its audit entry ``inspection.photo_upload`` in one
    transaction with the inspection's row locked (state and count checked again); if that fails, the stored file is
    deleted again, so a failed upload leaves neither a row nor a file."""
    _require(actor, "evaluation.answer_rectification", inspection, "只有被考察集体的账号可以上传整改照片。")
    _refuse_photo_change(inspection)
    if upload is None:
        raise RuleViolationError.single("file.missing", "请选择要上传的整改照片", "file")
    if inspection.photos.count() >= MAX_PHOTOS:
        raise RuleViolationError([_too_many_photos()])
    with received(upload, limit=photo_max_bytes()) as item:  # UploadTooLarge (413) past the limit
        picture = sniff_picture(item, accepted=PHOTOS_ACCEPTED)
        if isinstance(picture, Violation):
            raise RuleViolationError([picture])
        content_type, extension, facts = picture
        stored = store(item, f"inspections/{inspection.collective_id}/{inspection.pk}/{uuid.uuid4().hex}{extension}")
    try:
        with transaction.atomic():
            locked = _locked(inspection)
            _refuse_photo_change(locked)
            if locked.photos.count() >= MAX_PHOTOS:
                raise RuleViolationError([_too_many_photos()])
            photo = InspectionPhoto.objects.create(
                inspection=locked, original=stored, original_name=item.name[:255], size=item.size,
                sha256=item.sha256, content_type=content_type, uploaded_by=actor, **facts)
            record_audit(actor=actor, action="inspection.photo_upload", target=locked,
                         unit_path=locked.collective.unit.path, ip_address=ip_address,
                         after={"file": item.name, "size": item.size, "sha256": item.sha256})
    except BaseException:
        discard(stored)
        raise
    return photo


def remove_inspection_photo(*, actor, inspection: Inspection, photo_id: int, ip_address: str | None = None) -> None:
    """Remove a photo the collective uploaded, while it works on its answer. Audited ``inspection.photo_remove``; the
    file goes after commit."""
    _require(actor, "evaluation.answer_rectification", inspection, "只有被考察集体的账号可以删除整改照片。")
    with transaction.atomic():
        locked = _locked(inspection)
        _refuse_photo_change(locked)
        photo = InspectionPhoto.objects.filter(pk=photo_id, inspection=locked).first()
        if photo is None:
            raise RuleViolationError.single("file.not_found", "该照片不存在或已删除", "file")
        name = photo.original.name
        record_audit(actor=actor, action="inspection.photo_remove", target=locked,
                     unit_path=locked.collective.unit.path, ip_address=ip_address,
                     before={"file": photo.original_name, "sha256": photo.sha256})
        photo.delete()
        transaction.on_commit(lambda: discard(name))
