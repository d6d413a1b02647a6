"""Every write of joint projects (项目联创、区域联创), each one atomic and audited.

- ``create_project``: a collective's leader (its own collective the lead) or a unit's admin (a lead in its subtree)
  creates a project with partners anywhere under the same city office (two collectives at least, the lead included).
- ``update_project``: the lead's leader or the managing unit changes its title, kind, goals, dates or campaign.
- ``add_partner`` / ``remove_partner``: the same add and remove partners (two remain at least; the lead stays).
- ``add_progress``: an account of a partner collective (or a manager) writes a dated progress entry with photos.
- ``record_visit``: a 互学互访 visit between the project's posts (a host partner, visiting partners).
- ``finish_project``: the results (成果) and the end date; the project is then ended.

Photos arrive through the one upload path (``works.uploads.received``/``store``) and are judged by their content by
the one picture intake, ``works.media.sniff_picture``.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable, Sequence

from django.db import transaction
from django.utils import timezone

from wenminghao.collectives.models import Collective
from wenminghao.core.audit import record_audit
from wenminghao.core.errors import NotPermitted, RuleViolationError, Violation
from wenminghao.core.predicates import is_campaign_visible
from wenminghao.works.media import sniff_picture
from wenminghao.works.uploads import attachment_max_bytes, discard, received, store

from . import selectors
from .enums import ProjectKind
from .models import (
    MAX_PHOTOS,
    MIN_COLLECTIVES,
    TEXT_MAX_CHARS,
    TITLE_MAX_CHARS,
    TOPIC_MAX_CHARS,
    ProgressEntry,
    ProgressPhoto,
    Project,
    ProjectPartner,
    ProjectVisit,
)

ACCEPTED_PHOTOS = "进展照片可上传JPEG或PNG图片"
UNSET = object()


def _require(actor, perm: str, obj, message: str) -> None:
    if not actor.has_perm(perm, obj):
        raise NotPermitted(message)


def _as_date(value, field: str, what: str, violations: list[Violation], *, required: bool) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str) and value.strip():
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError:
            violations.append(Violation(f"project.{field}", f"{what}“{value}”不是有效日期，请按2018-06-01的格式填写",
                                        field))
            return None
    if required:
        violations.append(Violation(f"project.{field}_required", f"请填写{what}", field))
    return None


def _text(value, field: str, what: str, violations: list[Violation], *, limit: int, required: bool) -> str:
    text = (value or "").strip()
    if required and not text:
        violations.append(Violation(f"project.{field}_required", f"请填写{what}", field))
    elif len(text) > limit:
        violations.append(Violation(f"project.{field}_too_long", f"{what}为{len(text)}字，最多{limit}字", field))
    return text


def _collectives(actor, values: Iterable, field: str, violations: list[Violation]) -> list[Collective]:
    """The collectives named (objects or ids), each under the actor's office; the others named in a violation."""
    values = list(values)
    ids = [value.pk if isinstance(value, Collective) else value for value in values]
    found = selectors.collectives_under_office(actor).in_bulk([pk for pk in ids if isinstance(pk, int)])
    outside = [str(pk) for pk in ids if pk not in found]
    if outside:
        violations.append(Violation(
            "project.partner_outside",
            f"编号为{'、'.join(outside)}的集体不存在或不在本市范围内，联创项目的集体须在同一市级团委之下", field))
    return [found[pk] for pk in dict.fromkeys(ids) if pk in found]


def _lead_violations(actor, lead: Collective | None) -> list[Violation]:
    if lead is None:
        return []
    if actor.is_admin:
        if not lead.unit.path.startswith(actor.unit.path):
            return [Violation("project.lead_outside",
                              f"{lead.name}不在{actor.unit.name}的管理范围内，牵头集体须为本单位或下级单位的集体",
                              "lead")]
        return []
    if lead.pk != actor.collective_id:
        return [Violation("project.lead_not_own", "号长创建联创项目时，牵头集体须为本集体", "lead")]
    return []


def _dates_violations(started, ended) -> list[Violation]:
    if started is not None and ended is not None and ended < started:
        return [Violation("project.ended_before_started",
                          f"结束日期{ended:%Y-%m-%d}早于开始日期{started:%Y-%m-%d}，请核对", "ended")]
    return []


def _kind(value, violations: list[Violation]) -> str:
    value = value or ProjectKind.PROJECT
    if value not in ProjectKind.values:
        violations.append(Violation("project.kind", f"项目类型“{value}”不存在，可选："
                                    f"{'、'.join(f'{k.value}（{k.label}）' for k in ProjectKind)}", "kind"))
    return value


def _campaign_violations(actor, campaign) -> list[Violation]:
    if campaign is not None and not is_campaign_visible(actor, campaign):
        return [Violation("project.campaign", "所选创建活动不存在或您无权查看", "campaign")]
    return []


def _partner_names(collectives) -> list[int]:
    return [collective.pk for collective in collectives]


def create_project(*, actor, title: str, lead=None, partners: Sequence = (), goals: str = "", started=None,
                   ended=None, kind: str = ProjectKind.PROJECT, campaign=UNSET,
                   ip_address: str | None = None) -> Project:
    """Create a joint project. ``lead`` and ``partners`` are collectives or their ids (the lead among the partners
    or not: it takes part either way); two collectives at least in all. A leader's lead is its own collective (the
    default), an admin's lies in its subtree; partners anywhere under the same city office. ``campaign`` defaults to
    the office's current one. Every rule broken is listed at once and nothing is written."""
    _require(actor, "projects.create_project", None, "只有集体号长和团委管理员可以创建联创项目。")
    violations: list[Violation] = []
    title = _text(title, "title", "项目名称", violations, limit=TITLE_MAX_CHARS, required=True)
    goals = _text(goals, "goals", "项目目标", violations, limit=TEXT_MAX_CHARS, required=True)
    kind = _kind(kind, violations)
    if lead is None and not actor.is_admin:
        lead = actor.collective_id
    leads = _collectives(actor, [lead], "lead", violations) if lead is not None else []
    if lead is None:
        violations.append(Violation("project.lead_required", "请选择牵头集体", "lead"))
    lead = leads[0] if leads else None
    violations += _lead_violations(actor, lead)
    others = _collectives(actor, partners, "partners", violations)
    members = list({collective.pk: collective for collective in ([lead] if lead else []) + others}.values())
    if len(members) < MIN_COLLECTIVES and not any(v.code == "project.partner_outside" for v in violations):
        violations.append(Violation("project.too_few_collectives",
                                    f"联创项目须有{MIN_COLLECTIVES}个或以上集体参与（含牵头集体），目前{len(members)}个，"
                                    "请添加合作集体", "partners"))
    started = _as_date(started, "started", "开始日期", violations, required=True)
    ended = _as_date(ended, "ended", "结束日期", violations, required=False)
    violations += _dates_violations(started, ended)
    office = selectors.office_of(actor.home_unit)
    if campaign is UNSET:
        campaign = selectors.current_campaign(office)
    else:
        violations += _campaign_violations(actor, campaign)
    if violations:
        raise RuleViolationError(violations)
    owner_unit = actor.unit if actor.is_admin else lead.unit
    with transaction.atomic():
        project = Project.objects.create(title=title, kind=kind, lead=lead, owner_unit=owner_unit, campaign=campaign,
                                         goals=goals, started=started, ended=ended, created_by=actor)
        ProjectPartner.objects.bulk_create([ProjectPartner(project=project, collective=collective)
                                            for collective in members])
        record_audit(actor=actor, action="project.create", target=project, unit_path=owner_unit.path,
                     ip_address=ip_address,
                     after={"title": title, "kind": kind, "lead": lead.pk, "partners": _partner_names(members),
                            "started": started, "ended": ended, "campaign": getattr(campaign, "pk", None)})
    return project


def _locked(project: Project) -> Project:
    return Project.objects.select_for_update(no_key=True).select_related("owner_unit", "lead").get(pk=project.pk)


def update_project(*, actor, project: Project, title=UNSET, kind=UNSET, goals=UNSET, started=UNSET, ended=UNSET,
                   campaign=UNSET, ip_address: str | None = None) -> Project:
    """Change the given fields (the others stay); the same rules as creating, all at once."""
    _require(actor, "projects.change_project", project, "只有牵头集体的号长和管理单位可以修改联创项目。")
    with transaction.atomic():
        project = _locked(project)
        violations: list[Violation] = []
        changes: dict = {}
        if title is not UNSET:
            changes["title"] = _text(title, "title", "项目名称", violations, limit=TITLE_MAX_CHARS, required=True)
        if goals is not UNSET:
            changes["goals"] = _text(goals, "goals", "项目目标", violations, limit=TEXT_MAX_CHARS, required=True)
        if kind is not UNSET:
            changes["kind"] = _kind(kind, violations)
        if started is not UNSET:
            changes["started"] = _as_date(started, "started", "开始日期", violations, required=True)
        if ended is not UNSET:
            changes["ended"] = _as_date(ended, "ended", "结束日期", violations, required=False)
        if campaign is not UNSET:
            violations += _campaign_violations(actor, campaign)
            changes["campaign"] = campaign
        violations += _dates_violations(changes.get("started", project.started), changes.get("ended", project.ended))
        if violations:
            raise RuleViolationError(violations)
        before = {name: getattr(project, name) for name in changes}
        for name, value in changes.items():
            setattr(project, name, value)
        project.save(update_fields=list(changes) or None)
        record_audit(actor=actor, action="project.update", target=project, unit_path=project.owner_unit.path,
                     ip_address=ip_address, before={k: getattr(v, "pk", v) for k, v in before.items()},
                     after={k: getattr(v, "pk", v) for k, v in changes.items()})
    return project


def add_partner(*, actor, project: Project, collective, ip_address: str | None = None) -> ProjectPartner:
    """Add a collective (or its id) under the same city office; one already taking part is refused."""
    _require(actor, "projects.manage_partners", project, "只有牵头集体的号长和管理单位可以调整进行中项目的参与集体。")
    violations: list[Violation] = []
    found = _collectives(actor, [collective], "collective", violations)
    if violations:
        raise RuleViolationError(violations)
    collective = found[0]
    with transaction.atomic():
        project = _locked(project)
        if project.partners.filter(collective=collective).exists():
            raise RuleViolationError.single("project.partner_exists", f"{collective.name}已是本项目的参与集体",
                                            "collective")
        partner = ProjectPartner.objects.create(project=project, collective=collective)
        record_audit(actor=actor, action="project.partner_add", target=project, unit_path=project.owner_unit.path,
                     ip_address=ip_address, after={"collective": collective.pk})
    return partner


def remove_partner(*, actor, project: Project, collective, ip_address: str | None = None) -> None:
    """Remove a partner: never the lead, and two collectives remain at least."""
    _require(actor, "projects.manage_partners", project, "只有牵头集体的号长和管理单位可以调整进行中项目的参与集体。")
    collective_id = getattr(collective, "pk", collective)
    with transaction.atomic():
        project = _locked(project)
        partner = project.partners.select_related("collective").filter(collective_id=collective_id).first()
        if partner is None:
            raise RuleViolationError.single("project.partner_missing", "该集体不是本项目的参与集体", "collective")
        if collective_id == project.lead_id:
            raise RuleViolationError.single("project.lead_stays",
                                            f"{partner.collective.name}是牵头集体，不能移除", "collective")
        count = project.partners.count()
        if count <= MIN_COLLECTIVES:
            raise RuleViolationError.single(
                "project.too_few_collectives",
                f"联创项目须有{MIN_COLLECTIVES}个或以上集体参与，目前{count}个，请先添加其他集体再移除", "collective")
        partner.delete()
        record_audit(actor=actor, action="project.partner_remove", target=project,
                     unit_path=project.owner_unit.path, ip_address=ip_address, before={"collective": collective_id})


def _store_photos(project: Project, uploads: Iterable) -> list[tuple[dict, str]]:
    stored: list[tuple[dict, str]] = []
    try:
        for upload in uploads:
            with received(upload, limit=attachment_max_bytes()) as item:  # UploadTooLarge (413) past the limit
                sniffed = sniff_picture(item, accepted=ACCEPTED_PHOTOS, field="photos")
                if isinstance(sniffed, Violation):
                    raise RuleViolationError([sniffed])
                content_type, extension, facts = sniffed
                name = store(item, f"projects/{project.pk}/{uuid.uuid4().hex}{extension}")
                stored.append(({"content_type": content_type, "original_name": item.name[:255], "size": item.size,
                                "sha256": item.sha256, **facts}, name))
    except BaseException:
        discard(*(name for _, name in stored))
        raise
    return stored


def _partner_collective(actor, project: Project):
    if actor.collective_id and project.partners.filter(collective_id=actor.collective_id).exists():
        return actor.collective
    return None


def add_progress(*, actor, project: Project, date=None, text: str = "", photos: Sequence = (),
                 ip_address: str | None = None) -> ProgressEntry:
    """A dated progress entry (not in the future, not before the project started) with up to nine photos."""
    _require(actor, "projects.add_progress", project, "只有参与集体的账号和管理单位可以记录项目进展。")
    violations: list[Violation] = []
    text = _text(text, "text", "进展情况", violations, limit=TEXT_MAX_CHARS, required=True)
    day = _as_date(date if date is not None else timezone.localdate(), "date", "进展日期", violations, required=True)
    if day is not None and day > timezone.localdate():
        violations.append(Violation("project.date_future",
                                    f"进展日期{day:%Y-%m-%d}晚于今天，请记录已经开展的工作", "date"))
    if day is not None and day < project.started:
        violations.append(Violation("project.date_before_started",
                                    f"进展日期{day:%Y-%m-%d}早于项目开始日期{project.started:%Y-%m-%d}", "date"))
    photos = list(photos or [])
    if len(photos) > MAX_PHOTOS:
        violations.append(Violation("project.too_many_photos",
                                    f"每条进展最多{MAX_PHOTOS}张照片，本次选择了{len(photos)}张", "photos"))
    if violations:
        raise RuleViolationError(violations)
    stored = _store_photos(project, photos)
    try:
        with transaction.atomic():
            locked = _locked(project)
            entry = ProgressEntry.objects.create(project=locked, collective=_partner_collective(actor, locked),
                                                 date=day, text=text, author=actor)
            ProgressPhoto.objects.bulk_create([ProgressPhoto(entry=entry, original=name, uploaded_by=actor, **facts)
                                               for facts, name in stored])
            record_audit(actor=actor, action="project.progress", target=locked, unit_path=locked.owner_unit.path,
                         ip_address=ip_address, after={"entry": entry.pk, "date": day, "text": text[:200],
                                                       "photos": [facts["original_name"] for facts, _ in stored]})
    except BaseException:
        discard(*(name for _, name in stored))
        raise
    return entry


def record_visit(*, actor, project: Project, date=None, host=None, visitors: Sequence = (), topic: str = "",
                 notes: str = "", ip_address: str | None = None) -> ProjectVisit:
    """A 互学互访 visit: the host and the visitors are partners of the project (ids or objects), the host not among
    the visitors; the date not in the future."""
    _require(actor, "projects.record_visit", project, "只有参与集体的账号和管理单位可以登记互学互访。")
    violations: list[Violation] = []
    topic = _text(topic, "topic", "交流主题", violations, limit=TOPIC_MAX_CHARS, required=True)
    notes = _text(notes, "notes", "交流情况", violations, limit=TEXT_MAX_CHARS, required=False)
    day = _as_date(date, "date", "互访日期", violations, required=True)
    if day is not None and day > timezone.localdate():
        violations.append(Violation("project.date_future", f"互访日期{day:%Y-%m-%d}晚于今天，请登记已经开展的互访",
                                    "date"))
    partners = {partner.collective_id: partner.collective for partner in selectors.partners_of(project)}
    host_id = getattr(host, "pk", host)
    if host_id is None:
        violations.append(Violation("project.host_required", "请选择东道集体", "host"))
    elif host_id not in partners:
        violations.append(Violation("project.host_not_partner", "东道集体须为本项目的参与集体", "host"))
    visitor_ids = list(dict.fromkeys(getattr(value, "pk", value) for value in visitors))
    strangers = [str(pk) for pk in visitor_ids if pk not in partners]
    if strangers:
        violations.append(Violation("project.visitor_not_partner",
                                    f"编号为{'、'.join(strangers)}的集体不是本项目的参与集体", "visitors"))
    if host_id in visitor_ids:
        violations.append(Violation("project.host_visits", "东道集体不能同时是来访集体", "visitors"))
    if not visitor_ids:
        violations.append(Violation("project.visitors_required", "请选择来访集体", "visitors"))
    if violations:
        raise RuleViolationError(violations)
    with transaction.atomic():
        locked = _locked(project)
        visit = ProjectVisit.objects.create(project=locked, date=day, host=partners[host_id], topic=topic,
                                            notes=notes, created_by=actor)
        visit.visitors.set([partners[pk] for pk in visitor_ids])
        record_audit(actor=actor, action="project.visit", target=locked, unit_path=locked.owner_unit.path,
                     ip_address=ip_address, after={"visit": visit.pk, "date": day, "host": host_id,
                                                   "visitors": visitor_ids, "topic": topic})
    return visit


def finish_project(*, actor, project: Project, results: str = "", ended=None,
                   ip_address: str | None = None) -> Project:
    """End the project with its results (成果): ``ended`` (default today) not before it started, not in the future."""
    _require(actor, "projects.finish_project", project,
             "只有牵头集体的号长和管理单位可以为进行中的项目填写成果并结项。")
    violations: list[Violation] = []
    results = _text(results, "results", "项目成果", violations, limit=TEXT_MAX_CHARS, required=True)
    day = _as_date(ended if ended is not None else timezone.localdate(), "ended", "结束日期", violations,
                   required=True)
    if day is not None and day > timezone.localdate():
        violations.append(Violation("project.ended_future", f"结束日期{day:%Y-%m-%d}晚于今天，请在项目结束后再结项",
                                    "ended"))
    violations += _dates_violations(project.started, day)
    if violations:
        raise RuleViolationError(violations)
    with transaction.atomic():
        project = _locked(project)
        project.results, project.ended, project.finished_at = results, day, timezone.now()
        project.save(update_fields=["results", "ended", "finished_at"])
        record_audit(actor=actor, action="project.finish", target=project, unit_path=project.owner_unit.path,
                     ip_address=ip_address, after={"ended": day, "results": results[:200]})
    return project
