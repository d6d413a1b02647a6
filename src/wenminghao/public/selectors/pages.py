"""The reads of the identity pages (亮身份、亮形象、亮承诺): which posts the public sees, what one page shows, the
public list of posts, and the pages a signed-in user manages.

A post is public (``public_posts``) when its collective holds a valid title (``Honour.valid_on_q``) or has an
accepted creation filing, and its ``PostPage`` is published and not hidden by its unit. Everything else answers the
same 404 as an id that does not exist. Every read here is a constant number of queries, whatever the number of
members, titles or photos."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from wenminghao.campaigns.enums import FilingStatus
from wenminghao.campaigns.models import CreationFiling
from wenminghao.collectives.models import Collective, Honour, Member
from wenminghao.collectives.selectors import collectives_visible_to
from wenminghao.core.http import get_object_for, get_visible_or_404
from wenminghao.ledger.enums import Activity, AttachmentKind
from wenminghao.ledger.models import EntryAttachment
from wenminghao.orgs.models import Unit

from ..models import HiddenMember, PostPage, PostPhoto, PublicEventPhoto

EVENT_PHOTOS_SHOWN = 12  # the newest open-week photos the page shows (recent events)
CREATION_STATUS = "已接受报备"


def today() -> datetime.date:
    return timezone.localdate()


def valid_honours_q(day: datetime.date | None = None, prefix: str = "") -> Q:
    return Honour.valid_on_q(day or today(), prefix)


def eligible_q(day: datetime.date | None = None) -> Q:
    """Collectives that may have a public page: a valid title, or an accepted creation filing."""
    day = day or today()
    valid_title = Honour.objects.filter(Honour.valid_on_q(day), collective=OuterRef("pk"))
    accepted = CreationFiling.objects.filter(collective=OuterRef("pk"), status=FilingStatus.ACCEPTED)
    return Q(Exists(valid_title)) | Q(Exists(accepted))


def _newest_title(field_name: str, day: datetime.date) -> Subquery:
    titles = Honour.objects.filter(Honour.valid_on_q(day), collective=OuterRef("pk")).order_by("-year", "-id")
    return Subquery(titles.values(field_name)[:1])


def with_newest_title(queryset: QuerySet[Collective], day: datetime.date | None = None) -> QuerySet[Collective]:
    """Annotates each collective's newest valid title (``top_title``, ``top_year``, ``top_level``), in SQL."""
    day = day or today()
    return queryset.annotate(top_title=_newest_title("title", day), top_year=_newest_title("year", day),
                             top_level=_newest_title("level", day))


def public_posts(day: datetime.date | None = None) -> QuerySet[Collective]:
    """The collectives whose identity page the public sees."""
    return (Collective.objects.filter(post_page__published=True, post_page__hidden_by_unit=False)
            .filter(eligible_q(day)).select_related("unit", "post_page"))


def get_public_post(pk: int) -> Collective:
    """One public post's collective (with its unit and page); Http404 for anything not public, like a missing id."""
    return get_visible_or_404(public_posts(), pk=pk)


def is_eligible(collective: Collective, day: datetime.date | None = None) -> bool:
    return Collective.objects.filter(eligible_q(day), pk=collective.pk).exists()


def is_public(collective: Collective) -> bool:
    return public_posts().filter(pk=collective.pk).exists()


# --- one page --------------------------------------------------------------------------------------------------


@dataclass
class PostIdentity:
    """What the public page (and its JSON) shows of one post. Nothing else of the collective leaves here."""

    collective: Collective
    page: PostPage
    titles: list[Honour]
    creation: list[str]  # “2027年度威海市青年文明号创建 · 已接受报备”, newest first
    members: list[Member]
    photos: list[PostPhoto] = field(default_factory=list)
    event_photos: list[PublicEventPhoto] = field(default_factory=list)


def visible_members(page: PostPage) -> QuerySet[Member]:
    """The collective's members except those left off its page: only name, post and the leader mark are read."""
    hidden = HiddenMember.objects.filter(page=page).values("member_id")
    return (Member.objects.filter(collective_id=page.collective_id).exclude(pk__in=hidden)
            .only("id", "collective_id", "name", "post", "is_leader").order_by("-is_leader", "id"))


def shown_event_photos(page: PostPage) -> QuerySet[PublicEventPhoto]:
    """The open-week photos the collective chose, still pictures of its own open-week entries, newest events first."""
    return (PublicEventPhoto.objects.filter(
        page=page, attachment__kind=AttachmentKind.PICTURE, attachment__entry__collective_id=page.collective_id,
        attachment__entry__activity=Activity.OPEN_WEEK)
        .select_related("attachment__entry").order_by("-attachment__entry__date", "-attachment_id"))


def post_identity(collective: Collective, *, with_photos: bool = True) -> PostIdentity:
    """The public content of a post whose page exists (``collective.post_page``): five queries at most."""
    page = collective.post_page
    titles = list(collective.honours.filter(valid_honours_q()).order_by("-year", "-id"))
    filings = (CreationFiling.objects.filter(collective=collective, status=FilingStatus.ACCEPTED)
               .select_related("campaign").order_by("-campaign__year", "-filed_at"))
    creation = [f"{filing.campaign.name} · {CREATION_STATUS}" for filing in filings[:1]]
    identity = PostIdentity(collective=collective, page=page, titles=titles, creation=creation,
                            members=list(visible_members(page)))
    if with_photos:  # only photos whose re-encoded copy exists (no upload leaves as it came, metadata and all)
        identity.photos = list(page.photos.exclude(web_copy=""))
        identity.event_photos = list(shown_event_photos(page).exclude(attachment__thumbnail="")[:EVENT_PHOTOS_SHOWN])
    return identity


def public_photo(collective: Collective, photo_id: int) -> PostPhoto:
    return get_visible_or_404(PostPhoto.objects.filter(page__collective=collective), pk=photo_id)


def public_event_photo(collective: Collective, photo_id: int) -> PublicEventPhoto:
    return get_visible_or_404(shown_event_photos(collective.post_page), pk=photo_id)


# --- the public list -------------------------------------------------------------------------------------------


def post_list(*, search: str = "", unit: Unit | None = None, sector: str = "") -> QuerySet[Collective]:
    """The public list of posts: by name or host organisation, a unit's subtree (area or system) and sector, each
    with its newest valid title; ordered by unit and name (paginated by the caller in the database)."""
    queryset = public_posts()
    if search:
        queryset = queryset.filter(Q(name__icontains=search) | Q(host_org__icontains=search))
    if unit is not None:
        queryset = queryset.filter(unit__path__startswith=unit.path)
    if sector:
        queryset = queryset.filter(sector=sector)
    return with_newest_title(queryset).order_by("unit__path", "name", "id")


def units_with_posts() -> QuerySet[Unit]:
    """The units (areas and systems) with at least one public post in their subtree, for the list's select."""
    posts = public_posts().filter(unit__path__startswith=OuterRef("path"))
    return Unit.objects.filter(Exists(posts)).order_by("path")


# --- managing a page (signed in) --------------------------------------------------------------------------------


def get_post_collective_for(user, pk: int, perm: str | None = None, *, denied: str = "您没有权限执行此操作。"):
    """A collective whose page this user manages (404 invisible, 403 without ``perm``), with its unit and page."""
    queryset = collectives_visible_to(user).select_related("unit", "post_page")
    return get_object_for(user, queryset, pk, perm, denied=denied)


def page_of(collective: Collective) -> PostPage | None:
    """The collective's page row, or None before its first edit (loaded with ``select_related('post_page')``)."""
    try:
        return collective.post_page
    except PostPage.DoesNotExist:
        return None


def open_week_pictures(collective: Collective) -> QuerySet[EntryAttachment]:
    """The pictures of the collective's own open-week entries, which it may show on its page, newest first."""
    return (EntryAttachment.objects.filter(entry__collective=collective, entry__activity=Activity.OPEN_WEEK,
                                           kind=AttachmentKind.PICTURE)
            .select_related("entry").order_by("-entry__date", "-id"))


def unit_plaque_posts(unit: Unit) -> QuerySet[Collective]:
    """The public posts of a unit's subtree, each with its newest valid title, for the unit's plaques."""
    return with_newest_title(public_posts().filter(unit__path__startswith=unit.path)).order_by("unit__path", "name")
