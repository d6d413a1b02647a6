"""The writes of the identity pages: what the page holds (service items, convenience measures, members left off,
open-week photos shown), its workplace photos, publishing or withdrawing it (the collective, or its unit's admins
and above) and hiding or showing it again (the admins above the collective only). Each function is one atomic,
audited write; rule breaks raise RuleViolationError with every unmet rule at once (nothing written), a wrong actor
NotPermitted (403). The page row is made on the first write (``_locked_page``)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from wenminghao.collectives.models import Collective
from wenminghao.core.audit import record_audit
from wenminghao.core.errors import NotPermitted, RuleViolationError, Violation
from wenminghao.core.notifications import notify
from wenminghao.ledger.services import collective_accounts
from wenminghao.works.media import sniff_picture
from wenminghao.works.uploads import attachment_max_bytes, discard, received, store

from ..models import CAPTION_MAX_CHARS, SERVICE_MAX_CHARS, HiddenMember, PostPage, PostPhoto, PublicEventPhoto
from ..selectors.pages import is_eligible, open_week_pictures
from ..tasks import make_post_photo_copies

HIDE_REASON_MAX_CHARS = 200
MAX_PHOTOS = 12
PHOTOS_ACCEPTED = "工作场所照片只能上传JPEG或PNG格式的图片"


def _require(actor, perm: str, obj, denied: str) -> None:
    if not actor.has_perm(perm, obj):
        raise NotPermitted(denied)


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _ids(values: Iterable | None) -> set[int]:
    found = set()
    for value in values or ():
        try:
            found.add(int(value))
        except (TypeError, ValueError):
            continue
    return found


def _locked_page(collective: Collective) -> PostPage:
    """The collective's page row, made on the first write, locked for this transaction."""
    PostPage.objects.get_or_create(collective=collective)
    return PostPage.objects.select_for_update(no_key=True).select_related("collective__unit").get(collective=collective)


def _page_link(collective: Collective) -> str:
    return reverse("public:manage_page", args=[collective.pk])


def page_max_photo_bytes() -> int:
    """The ledger's limit for a photo (WMH_LEDGER_FILE_MAX_BYTES): a workplace photo is a picture like theirs."""
    return attachment_max_bytes()


@transaction.atomic
def update_page(*, actor, collective: Collective, service_items: str = "", convenience_measures: str = "",
                hidden_member_ids: Iterable | None = None, event_attachment_ids: Iterable | None = None,
                ip_address: str | None = None) -> PostPage:
    """What the page holds besides the collective's own fields (name, host organisation, commitment and supervision
    phone are edited on the collective): service items, convenience measures, the members left off and the
    open-week pictures shown (only pictures of its own open-week entries; only its own members; None leaves that
    choice as it is, a list replaces it). Side effects: the
    page row (made if missing), its HiddenMember and PublicEventPhoto rows replaced, an audit entry
    ``public.page_update``."""
    _require(actor, "public.edit_page", collective, "只有该集体的账号及其归口单位、上级单位可以修改公开身份页。")
    service_items, convenience_measures = _text(service_items), _text(convenience_measures)
    violations: list[Violation] = []
    for text, what, name in ((service_items, "服务项目", "service_items"),
                             (convenience_measures, "便民措施", "convenience_measures")):
        if len(text) > SERVICE_MAX_CHARS:
            violations.append(Violation("page.too_long", f"{what}最多{SERVICE_MAX_CHARS}字，现为{len(text)}字，"
                                                         f"请精简", name))
    members = pictures = None
    if hidden_member_ids is not None:
        hidden = _ids(hidden_member_ids)
        members = set(collective.members.filter(pk__in=hidden).values_list("pk", flat=True))
        if hidden - members:
            violations.append(Violation("page.member_unknown", "所选的不公开成员中有不属于本集体的成员，"
                                                               "请刷新页面后重选", "hidden_members"))
    if event_attachment_ids is not None:
        chosen = _ids(event_attachment_ids)
        pictures = set(open_week_pictures(collective).filter(pk__in=chosen).values_list("pk", flat=True))
        if chosen - pictures:
            violations.append(Violation("page.event_photo_unknown", "所选的开放周照片须为本集体开放周台账中的图片，"
                                                                    "请刷新页面后重选", "event_photos"))
    if violations:
        raise RuleViolationError(violations)
    page = _locked_page(collective)
    before = {"service_items": page.service_items, "convenience_measures": page.convenience_measures,
              "hidden_members": sorted(page.hidden_members.values_list("member_id", flat=True)),
              "event_photos": sorted(page.event_photos.values_list("attachment_id", flat=True))}
    page.service_items, page.convenience_measures, page.updated_by = service_items, convenience_measures, actor
    page.full_clean()
    page.save()
    if members is not None:
        page.hidden_members.exclude(member_id__in=members).delete()
        kept = set(page.hidden_members.values_list("member_id", flat=True))
        HiddenMember.objects.bulk_create([HiddenMember(page=page, member_id=pk) for pk in sorted(members - kept)])
    if pictures is not None:
        page.event_photos.exclude(attachment_id__in=pictures).delete()
        kept = set(page.event_photos.values_list("attachment_id", flat=True))
        PublicEventPhoto.objects.bulk_create([PublicEventPhoto(page=page, attachment_id=pk)
                                              for pk in sorted(pictures - kept)])
    after = {"service_items": service_items, "convenience_measures": convenience_measures,
             "hidden_members": sorted(page.hidden_members.values_list("member_id", flat=True)),
             "event_photos": sorted(page.event_photos.values_list("attachment_id", flat=True))}
    record_audit(actor=actor, action="public.page_update", target=page, unit_path=collective.unit.path,
                 before=before, after=after, ip_address=ip_address)
    return page


def publish_violations(collective: Collective) -> list[Violation]:
    """Why the page cannot be published now (empty when it can): every reason at once."""
    violations = []
    if not is_eligible(collective):
        violations.append(Violation("page.not_eligible", f"“{collective.name}”尚未获得有效的青年文明号称号，"
                                                         f"也没有已被接受的创建报备，暂不能公开身份页", None))
    if not collective.public_commitment.strip():
        violations.append(Violation("page.commitment_missing", "请先在集体信息中填写示范承诺，再公开身份页",
                                    "public_commitment"))
    if not collective.supervision_phone.strip():
        violations.append(Violation("page.phone_missing", "请先在集体信息中填写监督电话，再公开身份页",
                                    "supervision_phone"))
    return violations


@transaction.atomic
def set_page_published(*, actor, collective: Collective, published: bool, ip_address: str | None = None) -> PostPage:
    """Publish the page (it becomes public unless its unit hid it) or withdraw it. Publishing needs a valid title or
    an accepted filing, a commitment and a supervision phone (``publish_violations``). Side effects: the page row
    (made if missing), ``published_at`` on publishing, an audit entry ``public.page_publish`` or
    ``public.page_unpublish``."""
    _require(actor, "public.publish_page", collective, "只有该集体的账号及其归口单位、上级单位可以公开或撤回身份页。")
    if published:
        violations = publish_violations(collective)
        if violations:
            raise RuleViolationError(violations)
    page = _locked_page(collective)
    before = {"published": page.published}
    page.published, page.updated_by = published, actor
    if published:
        page.published_at = timezone.now()
    page.save()
    record_audit(actor=actor, action="public.page_publish" if published else "public.page_unpublish", target=page,
                 unit_path=collective.unit.path, before=before, after={"published": published},
                 ip_address=ip_address)
    return page


@transaction.atomic
def set_page_hidden(*, actor, collective: Collective, hidden: bool, reason: str = "",
                    ip_address: str | None = None) -> PostPage:
    """The unit (an admin above the collective) hides the page with a reason, or shows it again. Side effects: the
    page row (made if missing), an audit entry ``public.page_hide`` or ``public.page_show``, and a notification to
    the collective's accounts (in the platform; e-mail after commit)."""
    _require(actor, "public.hide_page", collective, "只有该集体的归口单位及上级单位可以隐藏或恢复显示公开身份页。")
    reason = _text(reason)
    if hidden:
        violations = []
        if not reason:
            violations.append(Violation("page.reason_missing", "请填写隐藏原因，集体将收到这一原因", "reason"))
        elif len(reason) > HIDE_REASON_MAX_CHARS:
            violations.append(Violation("page.too_long", f"隐藏原因最多{HIDE_REASON_MAX_CHARS}字，现为{len(reason)}字",
                                        "reason"))
        if violations:
            raise RuleViolationError(violations)
    page = _locked_page(collective)
    before = {"hidden_by_unit": page.hidden_by_unit, "hidden_reason": page.hidden_reason}
    page.hidden_by_unit, page.hidden_reason, page.updated_by = hidden, reason if hidden else "", actor
    page.save()
    record_audit(actor=actor, action="public.page_hide" if hidden else "public.page_show", target=page,
                 unit_path=collective.unit.path, before=before,
                 after={"hidden_by_unit": hidden, "hidden_reason": page.hidden_reason}, ip_address=ip_address)
    if hidden:
        message = f"“{collective.name}”的公开身份页已被上级单位隐藏，原因：{reason}"
    else:
        message = f"“{collective.name}”的公开身份页已恢复显示"
    notify(collective_accounts(collective.pk), message, _page_link(collective))
    return page


# --- workplace photos ------------------------------------------------------------------------------------------


def _too_many_photos() -> Violation:
    return Violation("page.too_many_photos",
                     f"公开身份页最多{MAX_PHOTOS}张工作场所照片，已达上限，请先删除不需要的照片", "file")


def add_page_photo(*, actor, collective: Collective, upload, caption: str = "",
                   ip_address: str | None = None) -> PostPhoto:
    """A photo (JPEG or PNG) of the workplace, its web copy and thumbnail made afterwards by the task worker
    (``public.tasks``). Checked by its content outside any transaction
    (``works.media.sniff_picture``), moved into storage under public/<collective>/, then recorded with its audit
    entry ``public.photo_upload`` in one transaction with the page locked (the count checked again); if that fails,
    the stored file is deleted again, so a failed upload leaves neither a row nor a file."""
    _require(actor, "public.edit_page", collective, "只有该集体的账号及其归口单位、上级单位可以上传工作场所照片。")
    caption = _text(caption)
    violations = []
    if upload is None:
        violations.append(Violation("file.missing", "请选择要上传的工作场所照片", "file"))
    if len(caption) > CAPTION_MAX_CHARS:
        violations.append(Violation("page.too_long", f"照片说明最多{CAPTION_MAX_CHARS}字，现为{len(caption)}字",
                                    "caption"))
    if PostPhoto.objects.filter(page__collective=collective).count() >= MAX_PHOTOS:
        violations.append(_too_many_photos())
    if violations:
        raise RuleViolationError(violations)
    with received(upload, limit=page_max_photo_bytes()) as item:  # UploadTooLarge (413) past the limit
        picture = sniff_picture(item, accepted=PHOTOS_ACCEPTED)
        if isinstance(picture, Violation):
            raise RuleViolationError([picture])
        content_type, extension, facts = picture
        stored = store(item, f"public/{collective.pk}/{uuid.uuid4().hex}{extension}")
    try:
        with transaction.atomic():
            page = _locked_page(collective)
            count = page.photos.count()
            if count >= MAX_PHOTOS:
                raise RuleViolationError([_too_many_photos()])
            photo = PostPhoto.objects.create(page=page, original=stored, content_type=content_type, caption=caption,
                                             position=count, uploaded_by=actor, **facts)
            page.updated_by = actor
            page.save(update_fields=["updated_by", "updated_at"])
            record_audit(actor=actor, action="public.photo_upload", target=page, unit_path=collective.unit.path,
                         after={"file": item.name, "size": item.size, "sha256": item.sha256, "photo": photo.pk},
                         ip_address=ip_address)
            photo_id = photo.pk
            # its web copy and thumbnail, by the task worker once the row is committed (the page shows the photo
            # as uploaded until then)
            transaction.on_commit(lambda: make_post_photo_copies.enqueue(photo_id), robust=True)
    except BaseException:
        discard(stored)
        raise
    return photo


@transaction.atomic
def remove_page_photo(*, actor, collective: Collective, photo_id: int, ip_address: str | None = None) -> None:
    """Remove a workplace photo. Audited ``public.photo_remove``; the files go after commit."""
    _require(actor, "public.edit_page", collective, "只有该集体的账号及其归口单位、上级单位可以删除工作场所照片。")
    page = _locked_page(collective)
    photo = page.photos.filter(pk=photo_id).first()
    if photo is None:
        raise RuleViolationError.single("file.not_found", "该照片不存在或已删除", "file")
    names = [name for name in (photo.original.name, photo.thumbnail.name, photo.web_copy.name) if name]
    record_audit(actor=actor, action="public.photo_remove", target=page, unit_path=collective.unit.path,
                 before={"photo": photo.pk, "file": photo.original.name, "caption": photo.caption},
                 ip_address=ip_address)
    photo.delete()
    page.updated_by = actor
    page.save(update_fields=["updated_by", "updated_at"])
    transaction.on_commit(lambda: discard(*names))
