"""What the public sees of the works the city made excellent (优秀展示, 推报团省委): the showcase's list, one work's
page, its files and the validators that let browsers and caches keep the pages while nothing changes.

Only works in ``works.selectors.PUBLIC_WORK_STATUSES`` are here, and only their public fields: title, category,
display form, description, essay text, collective (name), campaign (name), and the files' pictures, previews and
sizes. Never the contact person or phone, the uploader, the decisions' comments, judges or scores: the querysets
load only the public columns (``.only``), so a template cannot show the rest by mistake."""

import hashlib

from django.db.models import Count, Max, Q, QuerySet, Sum

from wenminghao.campaigns.models import Campaign
from wenminghao.core.http import get_object_for
from wenminghao.works.enums import FileRole
from wenminghao.works.models import Work, WorkDecision, WorkFile
from wenminghao.works.selectors import PUBLIC_FILE_FIELDS, PUBLIC_WORK_STATUSES, public_works

SHOWCASE_PAGE_SIZE = 12
# The list itself is works.selectors.showcase_works (the API lists the same works in the same order).


def showcase_campaigns() -> QuerySet[Campaign]:
    """The campaigns that have a work in the showcase, newest first (the list's campaign select)."""
    return (Campaign.objects.filter(works__status__in=PUBLIC_WORK_STATUSES).distinct()
            .only("id", "name", "year").order_by("-year", "-id"))


def get_showcase_work(user, pk: int) -> Work:
    """One showcased or forwarded work, whoever asks (the same page for everyone); 404 for any other work."""
    return get_object_for(user, public_works(), pk)


def get_public_file(work_id: int, file_id: int) -> WorkFile | None:
    """A file of a work while the work is public, else None."""
    return (WorkFile.objects.filter(pk=file_id, work_id=work_id, work__status__in=PUBLIC_WORK_STATUSES)
            .only(*PUBLIC_FILE_FIELDS).first())


# --- caching ----------------------------------------------------------------------------------------------------


def showcase_validators(*, campaign_id: int | None = None, category: str = "", page: str = "") -> tuple[str, object]:
    """(ETag, Last-Modified) of a showcase list: they change when a listed work, its collective or a public
    decision changes, and when a work joins or leaves the list (its count and ids), so a browser or cache keeps
    the page while nothing changes and never keeps one listing a work that left. Two queries."""
    works = Work.objects.filter(status__in=PUBLIC_WORK_STATUSES)
    if campaign_id is not None:
        works = works.filter(campaign_id=campaign_id)
    if category:
        works = works.filter(category=category)
    figures = works.aggregate(count=Count("id"), ids=Sum("id"), changed=Max("updated_at"),
                              collective=Max("collective__updated_at"),
                              campaigns=Count("campaign_id", distinct=True))
    # The last decision that made a work public or took it off: a work leaving the list is a change too.
    decided = (WorkDecision.objects
               .filter(Q(to_status__in=PUBLIC_WORK_STATUSES) | Q(from_status__in=PUBLIC_WORK_STATUSES))
               .aggregate(last=Max("created_at"))["last"])
    stamps = [stamp for stamp in (figures["changed"], figures["collective"], decided) if stamp is not None]
    key = "|".join(str(part) for part in (figures["count"], figures["ids"], figures["campaigns"], *stamps,
                                          campaign_id, category, page))
    return _etag(key), max(stamps) if stamps else None


def work_validators(work: Work) -> tuple[str, object]:
    """(ETag, Last-Modified) of one work's page, from the work already loaded (no query)."""
    stamps = [work.updated_at, work.collective.updated_at]
    key = "|".join(str(part) for part in (work.pk, work.status, work.campaign.name, work.collective.name, *stamps,
                                          *(item.pk for item in work.files.all())))
    return _etag(key), max(stamps)


def _etag(key: str) -> str:
    return '"' + hashlib.sha256(key.encode()).hexdigest()[:32] + '"'


# --- what a card and the viewer show ----------------------------------------------------------------------------


def fit_within(width: int | None, height: int | None, side: int) -> tuple[int | None, int | None]:
    """The size of a preview whose long side is at most ``side`` (previews are never enlarged)."""
    if not width or not height:
        return None, None
    scale = min(1.0, side / max(width, height))
    return max(1, round(width * scale)), max(1, round(height * scale))


def cover_file(work: Work) -> WorkFile | None:
    """The file a card shows: the first picture, else the first video's poster, else the first screenshot."""
    files = list(work.files.all())
    for role in (FileRole.PICTURE, FileRole.VIDEO, FileRole.SCREENSHOT):
        for item in files:
            if item.role == role and (item.thumbnail or item.web_copy):
                return item
    return None
