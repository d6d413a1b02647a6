"""Every write of stories, each one atomic and audited.

- ``create_story`` / ``update_story``: a collective's accounts write up their collective's story, a unit admin its
  unit's own (no collective, no ledger entries): kind, title (≤100字), text (≤3,000字), the activity (optional),
  linked ledger entries (only the collective's own, of any campaign), photos (JPEG/PNG, at most 9).
- ``add_photo`` / ``remove_photo``: a photo through the one upload path, checked by its content.
- ``submit_story``, ``forward_story``, ``return_story``, ``promote_story``, ``unpromote_story``: the steps of
  ``models.TRANSITIONS``; a collective's story is submitted to its unit, a unit's own to the unit above (a
  district's to the city office: then it is at once 已报送团市委); only the city office (``_office_of``) promotes.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence

from django.db import transaction
from django.utils import timezone

from wenminghao.core.audit import record_audit
from wenminghao.core.errors import NotPermitted, RuleViolationError, Violation
from wenminghao.core.storing import store_bytes
from wenminghao.ledger.enums import Activity
from wenminghao.orgs.enums import UnitKind
from wenminghao.works.media import sniff_picture
from wenminghao.works.tasks import WEB_SIDE, fit_within, jpeg_without_metadata, open_picture
from wenminghao.works.uploads import attachment_max_bytes, discard, received, store

from .models import (
    EDITABLE,
    MAX_PHOTOS,
    REASON_MAX_CHARS,
    TEXT_MAX_CHARS,
    TITLE_MAX_CHARS,
    TRANSITIONS,
    Story,
    StoryKind,
    StoryPhoto,
    StoryStatus,
)
from .selectors import own_entries

ACCEPTED_PHOTOS = "事迹照片可上传JPEG或PNG图片"
STATUS_LABELS = dict(StoryStatus.choices)


def _require(actor, perm: str, obj, message: str) -> None:
    if not actor.has_perm(perm, obj):
        raise NotPermitted(message)


def _choices_text(enum) -> str:
    return "、".join(f"{value}（{label}）" for value, label in enum.choices)


def _field_violations(*, kind: str, title: str, text: str, activity: str, collective,
                      entry_ids: Sequence[int]) -> tuple[list[Violation], list]:
    """Every unmet rule of the story's fields, and the ledger entries found."""
    violations = []
    if kind not in StoryKind.values:
        violations.append(Violation("story.kind", f"类型“{kind}”不存在，可选：{_choices_text(StoryKind)}", "kind"))
    if not title:
        violations.append(Violation("story.title_required", "请填写标题", "title"))
    elif len(title) > TITLE_MAX_CHARS:
        violations.append(Violation("story.title_too_long", f"标题为{len(title)}字，最多{TITLE_MAX_CHARS}字", "title"))
    if not text:
        violations.append(Violation("story.text_required", "请填写正文", "text"))
    elif len(text) > TEXT_MAX_CHARS:
        over = len(text) - TEXT_MAX_CHARS
        violations.append(Violation("story.text_too_long",
                                    f"正文为{len(text):,}字，最多{TEXT_MAX_CHARS:,}字，请删减{over}字", "text"))
    if activity and activity not in Activity.values:
        violations.append(Violation("story.activity", f"活动“{activity}”不存在，可选：{_choices_text(Activity)}",
                                    "activity"))
    entries: list = []
    ids = list(dict.fromkeys(entry_ids))
    if ids and collective is None:
        violations.append(Violation("story.entries_unit", "单位的好做法和典型事迹不关联台账记录，请不要选择台账记录",
                                    "entries"))
    elif ids:
        entries = list(own_entries(collective).filter(pk__in=ids))
        missing = sorted(set(ids) - {entry.pk for entry in entries})
        if missing:
            violations.append(Violation(
                "story.entry_outside", f"编号为{'、'.join(map(str, missing))}的台账记录不是{collective.name}的，"
                "只能关联本集体的台账记录", "entries"))
    return violations, entries


def _check_photos(uploads: Iterable) -> list:
    """Check each photo by its content (the one upload path), store it; return [(facts, stored name)]. On any
    refusal the files stored so far are deleted again and RuleViolationError names the file."""
    stored: list[tuple[dict, str]] = []
    try:
        for upload in uploads:
            with received(upload, limit=attachment_max_bytes()) as item:  # UploadTooLarge (413) past the limit
                sniffed = sniff_picture(item, accepted=ACCEPTED_PHOTOS)
                if isinstance(sniffed, Violation):
                    raise RuleViolationError([sniffed])
                content_type, extension, facts = sniffed
                stem = f"stories/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"
                web = jpeg_without_metadata(fit_within(open_picture(item.path, WEB_SIDE), WEB_SIDE))
                web_name = store_bytes(web, f"{stem}-web.jpg")
                stored.append(({}, web_name))  # discarded with the rest on a later refusal
                name = store(item, f"{stem}{extension}")
                stored[-1] = ({"content_type": content_type, "original_name": item.name[:255], "size": item.size,
                               "sha256": item.sha256, "width": facts.get("width"), "height": facts.get("height"),
                               "web_copy": web_name}, name)
    except BaseException:
        discard(*_names(stored))
        raise
    return stored


def _names(stored: list) -> list[str]:
    """Every stored file of ``_check_photos``' answer: the originals and their web copies."""
    return [name for facts, original in stored for name in (original, facts.get("web_copy", ""))]


def _too_many(count: int) -> Violation:
    return Violation("story.too_many_photos", f"每篇最多{MAX_PHOTOS}张照片，共选择了{count}张", "photos")


def _editable(story: Story) -> None:
    if story.status not in EDITABLE:
        raise RuleViolationError.single(
            "story.not_editable", f"该篇已{STATUS_LABELS[story.status]}，不能再修改；被退回后可以修改", None)


def create_story(*, actor, title: str, text: str, kind: str = StoryKind.PRACTICE, activity: str = "",
                 entries: Sequence[int] = (), photos: Sequence = (), ip_address: str | None = None) -> Story:
    """A draft of the actor's collective (a collective account) or of the actor's unit (an admin). Every unmet rule
    is listed at once and nothing is written."""
    _require(actor, "stories.create_story", None, "只有集体账号和团委管理员可以撰写好做法和典型事迹。")
    is_collective = not actor.is_admin
    collective = actor.collective if is_collective else None
    unit = collective.unit if collective is not None else actor.unit
    title, text = (title or "").strip(), (text or "").strip()
    kind, activity = kind or StoryKind.PRACTICE, activity or ""
    photos = list(photos or [])
    violations, found = _field_violations(kind=kind, title=title, text=text, activity=activity,
                                          collective=collective, entry_ids=entries or [])
    if len(photos) > MAX_PHOTOS:
        violations.append(_too_many(len(photos)))
    if violations:
        raise RuleViolationError(violations)
    stored = _check_photos(photos)
    try:
        with transaction.atomic():
            story = Story.objects.create(kind=kind, title=title, text=text, activity=activity, collective=collective,
                                         unit=unit, unit_path=unit.path, office=_office_of(unit), author=actor)
            story.entries.set(found)
            StoryPhoto.objects.bulk_create([StoryPhoto(story=story, original=name, uploaded_by=actor, **facts)
                                            for facts, name in stored])
            record_audit(actor=actor, action="story.create", target=story, unit_path=unit.path,
                         ip_address=ip_address,
                         after={"kind": kind, "title": title, "activity": activity,
                                "collective": getattr(collective, "pk", None),
                                "entries": [entry.pk for entry in found],
                                "photos": [facts["original_name"] for facts, _ in stored]})
    except BaseException:
        discard(*_names(stored))
        raise
    return story


def update_story(*, actor, story: Story, title: str, text: str, kind: str = StoryKind.PRACTICE, activity: str = "",
                 entries: Sequence[int] = (), ip_address: str | None = None) -> Story:
    """Change a draft or a returned story's fields (its photos are added and removed one by one)."""
    _require(actor, "stories.change_story", story, "只有撰写该篇的集体或单位可以修改。")
    title, text = (title or "").strip(), (text or "").strip()
    kind, activity = kind or StoryKind.PRACTICE, activity or ""
    with transaction.atomic():
        story = _locked(story)
        _editable(story)
        violations, found = _field_violations(kind=kind, title=title, text=text, activity=activity,
                                              collective=story.collective, entry_ids=entries or [])
        if violations:
            raise RuleViolationError(violations)
        before = {"kind": story.kind, "title": story.title, "activity": story.activity,
                  "entries": sorted(story.entries.values_list("pk", flat=True))}
        story.kind, story.title, story.text, story.activity = kind, title, text, activity
        story.save(update_fields=["kind", "title", "text", "activity", "updated_at"])
        story.entries.set(found)
        record_audit(actor=actor, action="story.update", target=story, unit_path=story.unit_path,
                     ip_address=ip_address, before=before,
                     after={"kind": kind, "title": title, "activity": activity,
                            "entries": sorted(entry.pk for entry in found)})
    return story


def _locked(story: Story) -> Story:
    return (Story.objects.select_for_update(no_key=True, of=("self",))
            .select_related("collective", "unit", "reached", "office").get(pk=story.pk))


def add_photo(*, actor, story: Story, upload, ip_address: str | None = None) -> StoryPhoto:
    """Add one JPEG or PNG photo to a draft or returned story (at most 9)."""
    _require(actor, "stories.change_story", story, "只有撰写该篇的集体或单位可以上传照片。")
    if upload is None:
        raise RuleViolationError.single("file.missing", "请选择要上传的照片", "file")
    _editable(story)
    count = story.photos.count()
    if count >= MAX_PHOTOS:
        raise RuleViolationError.single("story.too_many_photos",
                                        f"每篇最多{MAX_PHOTOS}张照片，已有{count}张，请先删除不用的照片", "file")
    stored = _check_photos([upload])
    facts, name = stored[0]
    try:
        with transaction.atomic():
            story = _locked(story)
            _editable(story)
            if story.photos.count() >= MAX_PHOTOS:
                raise RuleViolationError.single("story.too_many_photos", f"每篇最多{MAX_PHOTOS}张照片", "file")
            photo = StoryPhoto.objects.create(story=story, original=name, uploaded_by=actor, **facts)
            Story.objects.filter(pk=story.pk).update(updated_at=timezone.now())
            record_audit(actor=actor, action="story.photo_add", target=story, unit_path=story.unit_path,
                         ip_address=ip_address, after={"photo": photo.pk, "name": facts["original_name"]})
    except BaseException:
        discard(*_names(stored))
        raise
    return photo


def remove_photo(*, actor, story: Story, photo: StoryPhoto, ip_address: str | None = None) -> None:
    """Remove a photo of a draft or returned story (its file is deleted after the commit)."""
    _require(actor, "stories.change_story", story, "只有撰写该篇的集体或单位可以删除照片。")
    with transaction.atomic():
        story = _locked(story)
        _editable(story)
        names, original_name = (photo.original.name, photo.web_copy.name), photo.original_name
        StoryPhoto.objects.filter(pk=photo.pk, story=story).delete()
        Story.objects.filter(pk=story.pk).update(updated_at=timezone.now())
        record_audit(actor=actor, action="story.photo_remove", target=story, unit_path=story.unit_path,
                     ip_address=ip_address, before={"photo": photo.pk, "name": original_name})
        transaction.on_commit(lambda: discard(*names))


def _step(story: Story, action: str) -> str:
    """The status ``action`` leads to from the story's, or RuleViolationError naming the status."""
    sources, target = TRANSITIONS[action]
    if story.status not in sources:
        allowed = "、".join(STATUS_LABELS[status] for status in StoryStatus.values if status in sources)
        verbs = {"submit": "报送", "forward": "报送团市委", "return": "退回", "promote": "推广",
                 "unpromote": "取消推广"}
        raise RuleViolationError.single(
            "story.status", f"该篇当前为“{STATUS_LABELS[story.status]}”，不能{verbs[action]}（只有“{allowed}”的可以）",
            None)
    return target


def _office_of(unit):
    """The city office above ``unit`` (or ``unit`` itself): the nearest 市级团委, else the unit at the top of the tree
    (a unit at the top is its own office)."""
    office = unit
    while office.kind != UnitKind.CITY and office.parent_id is not None:
        office = office.parent
    return office


def submit_story(*, actor, story: Story, ip_address: str | None = None) -> Story:
    """Report a draft or returned story: a collective's to its unit, a unit's own to the unit above (to the city
    office at the top: then it is 已报送团市委 at once)."""
    _require(actor, "stories.submit_story", story, "只有撰写该篇的集体或单位可以报送。")
    with transaction.atomic():
        story = _locked(story)
        target = _step(story, "submit")
        # a collective's story goes to its unit; a unit's own to the unit above (the office's own stays there)
        reached = story.unit if story.collective_id or story.unit_id == story.office_id else story.unit.parent
        if reached.pk == story.office_id:
            target = StoryStatus.FORWARDED
        before = story.status
        story.status, story.reached, story.reached_path = target, reached, reached.path
        story.return_reason, story.submitted_at = "", timezone.now()
        story.save(update_fields=["status", "reached", "reached_path", "return_reason", "submitted_at", "updated_at"])
        record_audit(actor=actor, action="story.submit", target=story, unit_path=story.unit_path,
                     ip_address=ip_address, before={"status": before},
                     after={"status": target, "reached": reached.pk})
    return story


def forward_story(*, actor, story: Story, ip_address: str | None = None) -> Story:
    """A unit on the way forwards a submitted story to the city office (已报送团市委)."""
    _require(actor, "stories.forward_story", story, "只有收到报送的单位及其上级单位可以报送团市委。")
    with transaction.atomic():
        story = _locked(story)
        target = _step(story, "forward")
        office = story.office
        story.status, story.reached, story.reached_path = target, office, office.path
        story.save(update_fields=["status", "reached", "reached_path", "updated_at"])
        record_audit(actor=actor, action="story.forward", target=story, unit_path=story.unit_path,
                     ip_address=ip_address, before={"status": StoryStatus.SUBMITTED},
                     after={"status": target, "reached": office.pk})
    return story


def return_story(*, actor, story: Story, reason: str, ip_address: str | None = None) -> Story:
    """The unit it reached (or one above it), or the city office, returns it to its writers with a reason; they can
    change it and submit it again."""
    _require(actor, "stories.return_story", story, "只有收到报送的单位可以退回。")
    reason = (reason or "").strip()
    with transaction.atomic():
        story = _locked(story)
        target = _step(story, "return")
        if not reason:
            raise RuleViolationError.single("story.reason_required", "请填写退回理由，告诉撰写人需要修改什么", "reason")
        if len(reason) > REASON_MAX_CHARS:
            raise RuleViolationError.single("story.reason_too_long",
                                            f"退回理由为{len(reason)}字，最多{REASON_MAX_CHARS}字", "reason")
        before = story.status
        story.status, story.return_reason = target, reason
        story.save(update_fields=["status", "return_reason", "updated_at"])
        record_audit(actor=actor, action="story.return", target=story, unit_path=story.unit_path,
                     ip_address=ip_address, before={"status": before}, after={"status": target, "reason": reason})
    return story


def promote_story(*, actor, story: Story, ip_address: str | None = None) -> Story:
    """The city office promotes a story reported to it: it appears in the public showcase."""
    _require(actor, "stories.promote_story", story, "只有团市委可以推广好做法和典型事迹。")
    with transaction.atomic():
        story = _locked(story)
        target = _step(story, "promote")
        story.status, story.promoted_at = target, timezone.now()
        story.save(update_fields=["status", "promoted_at", "updated_at"])
        record_audit(actor=actor, action="story.promote", target=story, unit_path=story.unit_path,
                     ip_address=ip_address, before={"status": StoryStatus.FORWARDED}, after={"status": target})
    return story


def unpromote_story(*, actor, story: Story, ip_address: str | None = None) -> Story:
    """The city office withdraws the promotion: the story leaves the public showcase at once (its page and photos
    answer 404) and is again 已报送团市委."""
    _require(actor, "stories.promote_story", story, "只有团市委可以取消推广。")
    with transaction.atomic():
        story = _locked(story)
        target = _step(story, "unpromote")
        story.status, story.promoted_at = target, None
        story.save(update_fields=["status", "promoted_at", "updated_at"])
        record_audit(actor=actor, action="story.unpromote", target=story, unit_path=story.unit_path,
                     ip_address=ip_address, before={"status": StoryStatus.PROMOTED}, after={"status": target})
    return story
