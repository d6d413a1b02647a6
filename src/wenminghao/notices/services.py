"""Every write of notices, each one atomic and audited.

- ``publish_notice``: the city office or a unit sends a notice to the collectives of its subtree (all, or those of
  some sectors, under some units, or creating in a campaign), with files; a forward is the same call with
  ``forwarded_from`` (the unit's guidance as the body; the original stays as it was). One request writes a receipt
  per collective reached, in bulk, and notifies their accounts in the platform and by e-mail.
- ``confirm_read``: a collective confirms it has read a notice (已读); again is a no-op.
- ``remind_unread``: the sender (or a unit above) reminds the collectives that have not read it, at most once an
  hour.
- ``reply_to_notice``: a collective answers a notice that asks for a reply, with a text and/or a file.
- ``publish_norm``: a unit's admin publishes a new version of the unit's execution norms (执行规范), with files;
  older versions stay as they were.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable, Sequence

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from wenminghao.campaigns.selectors import CREATING_STATUSES
from wenminghao.collectives.enums import Sector
from wenminghao.collectives.models import Collective
from wenminghao.core.audit import record_audit
from wenminghao.core.errors import NotPermitted, RuleViolationError, Violation
from wenminghao.core.notifications import notify
from wenminghao.core.predicates import is_campaign_visible
from wenminghao.ledger.services import sniff_attachment
from wenminghao.orgs.models import Unit
from wenminghao.works.uploads import attachment_max_bytes, discard, received, store

from .models import (
    BODY_MAX_CHARS,
    CHANGE_NOTE_MAX_CHARS,
    NORM_BODY_MAX_CHARS,
    NORM_TITLE_MAX_CHARS,
    REPLY_MAX_CHARS,
    TITLE_MAX_CHARS,
    Norm,
    NormAttachment,
    Notice,
    NoticeAttachment,
    NoticeReceipt,
)

MAX_FILES = 10
REMIND_EVERY = datetime.timedelta(hours=1)
RECEIPT_BATCH = 2_000
ACCEPTED_FILES = "通知附件可上传Word（.docx）、PDF文档或JPEG、PNG图片"
NORM_ACCEPTED_FILES = "执行规范附件可上传Word（.docx）、PDF文档或JPEG、PNG图片"


def _require(actor, perm: str, obj, message: str) -> None:
    if not actor.has_perm(perm, obj):
        raise NotPermitted(message)


def _text_violations(title: str, body: str) -> list[Violation]:
    violations = []
    if not title:
        violations.append(Violation("notice.title_required", "请填写通知标题", "title"))
    elif len(title) > TITLE_MAX_CHARS:
        violations.append(Violation("notice.title_too_long",
                                    f"通知标题为{len(title)}字，最多{TITLE_MAX_CHARS}字", "title"))
    if len(body) > BODY_MAX_CHARS:
        violations.append(Violation("notice.body_too_long", f"通知正文为{len(body)}字，最多{BODY_MAX_CHARS}字", "body"))
    return violations


def _selection_violations(actor, sectors: Sequence[str], units: Sequence, campaign) -> list[Violation]:
    violations = []
    unknown = [value for value in sectors if value not in Sector.values]
    if unknown:
        violations.append(Violation("notice.sector", f"行业类别“{'、'.join(map(str, unknown))}”不存在，可选："
                                    f"{'、'.join(f'{c.value}（{c.label}）' for c in Sector)}", "sectors"))
    outside = [unit.name for unit in units if not unit.path.startswith(actor.unit.path)]
    if outside:
        violations.append(Violation("notice.unit_outside", f"{'、'.join(outside)}不在{actor.unit.name}的管理范围内，"
                                    "只能向本单位及下级单位的集体发送通知", "units"))
    if campaign is not None and not is_campaign_visible(actor, campaign):
        violations.append(Violation("notice.campaign", "所选创建活动不存在或您无权查看", "campaign"))
    return violations


def recipients_of(actor, *, sectors: Sequence[str] = (), units: Sequence = (), campaign=None,
                  forwarded_from: Notice | None = None):
    """The collectives a notice from ``actor``'s unit with this selection reaches (a queryset: counted, never listed
    in memory). A forward reaches only collectives the original reached (a notice to the service sector, forwarded,
    still goes to the service sector), narrowed further by its own selection."""
    queryset = Collective.objects.filter(unit__path__startswith=actor.unit.path)
    if forwarded_from is not None:
        queryset = queryset.filter(pk__in=forwarded_from.receipts.values("collective_id"))
    if sectors:
        queryset = queryset.filter(sector__in=list(sectors))
    if units:
        within = Q()
        for unit in units:
            within |= Q(unit__path__startswith=unit.path)
        queryset = queryset.filter(within)
    if campaign is not None:
        queryset = queryset.filter(pk__in=campaign.filings.filter(status__in=CREATING_STATUSES).values("collective_id"))
    return queryset


def _check_files(uploads: Iterable, *, folder: str = "notices", accepted: str = ACCEPTED_FILES) -> list:
    """Check each upload by its content (the one upload path), store it under ``folder``; return [(item facts,
    stored name)]. On any refusal the files stored so far are deleted again and RuleViolationError names the file."""
    stored: list[tuple[dict, str]] = []
    try:
        for upload in uploads:
            with received(upload, limit=attachment_max_bytes()) as item:  # UploadTooLarge (413) past the limit
                sniffed = sniff_attachment(item, accepted=accepted)
                if isinstance(sniffed, Violation):
                    raise RuleViolationError([sniffed])
                kind, content_type, extension, _facts = sniffed
                name = store(item, f"{folder}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{extension}")
                stored.append(({"kind": kind, "content_type": content_type, "original_name": item.name[:255],
                                "size": item.size, "sha256": item.sha256}, name))
    except BaseException:
        discard(*(name for _, name in stored))
        raise
    return stored


def _accounts_of(collectives):
    """The active accounts (leaders and delegates) of these collectives (a queryset)."""
    return get_user_model().objects.filter(collective__in=collectives.values("pk"), is_active=True)


def publish_notice(*, actor, title: str, body: str, sectors: Sequence[str] = (), units: Sequence = (),
                   campaign=None, deadline: datetime.date | None = None, asks_reply: bool = False,
                   forwarded_from: Notice | None = None, files: Sequence = (),
                   ip_address: str | None = None) -> Notice:
    """Publish a notice from ``actor``'s unit to the collectives of its subtree narrowed by the selection; or
    forward ``forwarded_from`` (a notice from above that reached ``actor``'s unit) the same way, ``body`` being the
    unit's guidance. Every rule broken is listed at once and nothing is written (RuleViolationError); a selection
    reaching no collective is refused too. Side effects, in one transaction: the notice, its files, one receipt per
    collective reached (bulk), a notification to each of their accounts (e-mail after commit), an audit entry
    (``notice.publish`` or ``notice.forward``)."""
    if forwarded_from is not None:
        _require(actor, "notices.forward_notice", forwarded_from, "只有收到该通知的下级单位管理员可以转发。")
    else:
        _require(actor, "notices.publish_notice", None, "只有团委管理员可以发布通知。")
    title, body = (title or "").strip(), (body or "").strip()
    sectors, units, files = list(dict.fromkeys(sectors or [])), list(units or []), list(files or [])
    violations = _text_violations(title, body)
    if not body and forwarded_from is None:
        violations.append(Violation("notice.body_required", "请填写通知正文", "body"))
    violations += _selection_violations(actor, sectors, units, campaign)
    if deadline is not None and deadline < timezone.localdate():
        violations.append(Violation("notice.deadline_past",
                                    f"截止日期{deadline:%Y年%m月%d日}已过，请选择今天或以后的日期", "deadline"))
    if len(files) > MAX_FILES:
        violations.append(Violation("notice.too_many_files", f"每条通知最多{MAX_FILES}个附件，本次选择了{len(files)}个",
                                    "files"))
    if not violations and not recipients_of(actor, sectors=sectors, units=units, campaign=campaign,
                                            forwarded_from=forwarded_from).exists():
        violations.append(Violation("notice.no_recipients", "所选范围内没有集体，请放宽行业、单位或创建活动的选择",
                                    "sectors"))
    if violations:
        raise RuleViolationError(violations)
    stored = _check_files(files)
    try:
        with transaction.atomic():
            notice = Notice.objects.create(
                sender_unit=actor.unit, author=actor, title=title, body=body, sectors=sectors, campaign=campaign,
                forwarded_from=forwarded_from, deadline=deadline, asks_reply=asks_reply)
            if units:
                notice.units.set(units)
            NoticeAttachment.objects.bulk_create([NoticeAttachment(notice=notice, original=name, uploaded_by=actor,
                                                                   **facts) for facts, name in stored])
            reached = recipients_of(actor, sectors=sectors, units=units, campaign=campaign,
                                    forwarded_from=forwarded_from)
            count = _write_receipts(notice, reached)
            Notice.objects.filter(pk=notice.pk).update(recipients=count)
            notice.recipients = count
            sender = actor.unit.display_name
            verb = "转发通知" if forwarded_from is not None else "发布通知"
            notify(_accounts_of(reached), f"{sender}{verb}：{title}", reverse("notices:detail", args=[notice.pk]))
            record_audit(actor=actor, action="notice.forward" if forwarded_from is not None else "notice.publish",
                         target=notice, unit_path=actor.unit.path, ip_address=ip_address,
                         after={"title": title, "recipients": count, "sectors": sectors,
                                "units": [unit.pk for unit in units], "campaign": getattr(campaign, "pk", None),
                                "deadline": deadline, "asks_reply": asks_reply,
                                "forwarded_from": getattr(forwarded_from, "pk", None),
                                "files": [facts["original_name"] for facts, _ in stored]})
    except BaseException:
        discard(*(name for _, name in stored))
        raise
    return notice


def _write_receipts(notice: Notice, collectives) -> int:
    """One receipt per collective, in batches (a province's 10,000 collectives in a few statements)."""
    count, batch = 0, []
    for collective_id, unit_id, unit_path in (collectives.order_by("unit__path", "pk")
                                              .values_list("pk", "unit_id", "unit__path").iterator(chunk_size=2000)):
        batch.append(NoticeReceipt(notice=notice, collective_id=collective_id, unit_id=unit_id, unit_path=unit_path))
        if len(batch) >= RECEIPT_BATCH:
            NoticeReceipt.objects.bulk_create(batch)
            count, batch = count + len(batch), []
    if batch:
        NoticeReceipt.objects.bulk_create(batch)
        count += len(batch)
    return count


def confirm_read(*, actor, notice: Notice, ip_address: str | None = None) -> NoticeReceipt:
    """The actor's collective has read the notice (已读). Confirming again changes nothing and writes no entry."""
    _require(actor, "notices.read_notice", notice, "只有收到该通知的集体可以确认已读。")
    with transaction.atomic():
        receipt = (NoticeReceipt.objects.select_for_update(no_key=True)
                   .get(notice=notice, collective_id=actor.collective_id))
        if receipt.read_at is None:
            receipt.read_at, receipt.read_by = timezone.now(), actor
            receipt.save(update_fields=["read_at", "read_by"])
            record_audit(actor=actor, action="notice.read", target=notice, unit_path=receipt.unit_path,
                         ip_address=ip_address, after={"collective": receipt.collective_id})
    return receipt


def remind_unread(*, actor, notice: Notice, ip_address: str | None = None) -> int:
    """Remind every collective that has not read the notice, in the platform and by e-mail; returns how many
    collectives. Refused within an hour of the last reminder (a second click), and when everyone has read it."""
    _require(actor, "notices.remind_unread", notice, "只有发布单位及其上级可以提醒未读的集体。")
    with transaction.atomic():
        locked = Notice.objects.select_for_update(no_key=True).filter(pk=notice.pk).order_by()
        locked.exists()  # one reminder at a time
        unread = notice.receipts.filter(read_at__isnull=True)
        last = unread.exclude(reminded_at__isnull=True).order_by("-reminded_at").values_list("reminded_at", flat=True)
        last = last.first()
        now = timezone.now()
        if last is not None and now - last < REMIND_EVERY:
            wait = int((REMIND_EVERY - (now - last)).total_seconds() // 60) + 1
            raise RuleViolationError.single(
                "notice.reminded_recently",
                f"已于{timezone.localtime(last):%H:%M}提醒过未读的集体，请{wait}分钟后再提醒", None)
        count = unread.count()
        if count == 0:
            raise RuleViolationError.single("notice.all_read", "所有集体都已确认阅读，无需提醒", None)
        collectives = Collective.objects.filter(pk__in=unread.values("collective_id"))
        sender = notice.sender_unit.display_name
        notify(_accounts_of(collectives), f"提醒：请阅读{sender}的通知“{notice.title}”并确认已读",
               reverse("notices:detail", args=[notice.pk]))
        unread.update(reminded_at=now)
        record_audit(actor=actor, action="notice.remind", target=notice, unit_path=notice.sender_unit.path,
                     ip_address=ip_address, after={"unread": count})
    return count


def reply_to_notice(*, actor, notice: Notice, text: str = "", upload=None,
                    ip_address: str | None = None) -> NoticeReceipt:
    """The actor's collective answers a notice that asks for a reply: a text (up to 2,000 字) and/or one file
    (.docx, .pdf or a picture), replacing an earlier reply. Replying also confirms reading it (audited as
    ``notice.read`` the first time, besides ``notice.reply``)."""
    _require(actor, "notices.reply_notice", notice, "该通知不需要回复，或您的集体没有收到该通知。")
    text = (text or "").strip()
    violations = []
    if not text and upload is None:
        violations.append(Violation("notice.reply_required", "请填写回复内容或选择要上传的文件", "text"))
    if len(text) > REPLY_MAX_CHARS:
        violations.append(Violation("notice.reply_too_long", f"回复为{len(text)}字，最多{REPLY_MAX_CHARS}字", "text"))
    if violations:
        raise RuleViolationError(violations)
    stored = _check_files([upload]) if upload is not None else []
    try:
        with transaction.atomic():
            receipt = (NoticeReceipt.objects.select_for_update(no_key=True)
                       .get(notice=notice, collective_id=actor.collective_id))
            previous = receipt.reply_file.name
            now = timezone.now()
            receipt.reply_text, receipt.replied_at, receipt.replied_by = text, now, actor
            if stored:
                facts, name = stored[0]
                receipt.reply_file, receipt.reply_file_name = name, facts["original_name"]
            first_read = receipt.read_at is None
            if first_read:
                receipt.read_at, receipt.read_by = now, actor
            receipt.save()
            if first_read:  # replying confirms reading: audited as a reading too, once, like confirm_read
                record_audit(actor=actor, action="notice.read", target=notice, unit_path=receipt.unit_path,
                             ip_address=ip_address, after={"collective": receipt.collective_id})
            record_audit(actor=actor, action="notice.reply", target=notice, unit_path=receipt.unit_path,
                         ip_address=ip_address, after={"collective": receipt.collective_id, "text": text[:200],
                                                       "file": stored[0][0]["original_name"] if stored else None})
            if stored and previous:
                transaction.on_commit(lambda: discard(previous))
    except BaseException:
        discard(*(name for _, name in stored))
        raise
    return receipt


def _norm_violations(title: str, body: str, effective_on, change_note: str, files: list, previous) -> list[Violation]:
    violations = []
    if not title:
        violations.append(Violation("norm.title_required", "请填写执行规范的标题", "title"))
    elif len(title) > NORM_TITLE_MAX_CHARS:
        violations.append(Violation("norm.title_too_long",
                                    f"标题为{len(title)}字，最多{NORM_TITLE_MAX_CHARS}字", "title"))
    if not body:
        violations.append(Violation("norm.body_required", "请填写执行规范的正文", "body"))
    elif len(body) > NORM_BODY_MAX_CHARS:
        violations.append(Violation("norm.body_too_long",
                                    f"正文为{len(body)}字，最多{NORM_BODY_MAX_CHARS}字，可将细则放在附件中", "body"))
    if effective_on is None:
        violations.append(Violation("norm.effective_on_required", "请选择生效日期", "effective_on"))
    elif previous is not None and effective_on < previous.effective_on:
        violations.append(Violation(
            "norm.effective_before_previous",
            f"生效日期{effective_on:%Y年%m月%d日}早于第{previous.version}版的生效日期"
            f"{previous.effective_on:%Y年%m月%d日}，新版本的生效日期不能早于上一版", "effective_on"))
    if previous is not None and not change_note:
        violations.append(Violation("norm.change_note_required",
                                    f"请填写修订说明：与第{previous.version}版相比改了什么", "change_note"))
    elif len(change_note) > CHANGE_NOTE_MAX_CHARS:
        violations.append(Violation("norm.change_note_too_long",
                                    f"修订说明为{len(change_note)}字，最多{CHANGE_NOTE_MAX_CHARS}字", "change_note"))
    if len(files) > MAX_FILES:
        violations.append(Violation("norm.too_many_files",
                                    f"每个版本最多{MAX_FILES}个附件，本次选择了{len(files)}个", "files"))
    return violations


@transaction.atomic
def publish_norm(*, actor, title: str, body: str, effective_on: datetime.date | None, change_note: str = "",
                 files: Sequence = (), ip_address: str | None = None) -> Norm:
    """Publish a new version of the execution norms of ``actor``'s unit (the next number; the first is 第1版):
    title, body (up to 20,000 字, paragraphs kept), the date it takes effect (today, earlier, or later: then it shows
    as pending until that day, but never before the previous version's date) and, from the second version on, a
    change note. Every rule broken is listed at once and nothing is written (RuleViolationError). Side effects, in
    one transaction with the unit's row locked (two admins publishing at once get consecutive numbers): the version,
    its files (checked by content, stored; deleted again on failure), an audit entry ``norm.publish``. Older
    versions are not changed."""
    _require(actor, "notices.publish_norm", getattr(actor, "unit", None), "只有单位管理员可以发布本单位的执行规范。")
    unit = Unit.objects.select_for_update(no_key=True).get(pk=actor.unit_id)
    title, body, change_note = (title or "").strip(), (body or "").strip(), (change_note or "").strip()
    files = list(files or [])
    previous = Norm.objects.filter(unit=unit).order_by("-version").first()
    violations = _norm_violations(title, body, effective_on, change_note, files, previous)
    if violations:
        raise RuleViolationError(violations)
    stored = _check_files(files, folder="norms", accepted=NORM_ACCEPTED_FILES)
    try:
        norm = Norm.objects.create(unit=unit, version=previous.version + 1 if previous else 1, title=title,
                                   body=body, effective_on=effective_on, change_note=change_note, author=actor)
        NormAttachment.objects.bulk_create([NormAttachment(norm=norm, original=name, uploaded_by=actor, **facts)
                                            for facts, name in stored])
        record_audit(actor=actor, action="norm.publish", target=norm, unit_path=unit.path, ip_address=ip_address,
                     after={"title": title, "version": norm.version, "effective_on": effective_on,
                            "change_note": change_note, "files": [facts["original_name"] for facts, _ in stored]})
    except BaseException:
        discard(*(name for _, name in stored))
        raise
    return norm
