from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Case, IntegerField, OuterRef, Prefetch, Q, QuerySet, Value, When

from wenminghao.campaigns.models import Campaign
from wenminghao.core.queries import count_of

from .enums import Category, FileRole, WorkStatus
from .models import SimilarFile, Work, WorkFile


def works_visible_to(user, *, campaign=None) -> QuerySet[Work]:
    """Every work the user may see: an admin's, those of the collectives of their subtree and those submitted to a
    campaign their subtree runs (its office receives them, also from a collective moved elsewhere since); a
    collective account's, its own collective's works. With ``campaign`` (its ``office`` loaded), only that
    campaign's works: for an admin whose subtree holds the campaign's office that is every work of the campaign,
    filtered on the campaign's index alone (no join to collectives and units, so counting a province's works
    costs one index range)."""
    if not user.is_authenticated:
        return Work.objects.none()
    if user.is_admin and user.unit_id:
        path = user.unit.path
        if campaign is not None:
            works = Work.objects.filter(campaign=campaign)
            return works if campaign.office.path.startswith(path) else works.filter(
                collective__unit__path__startswith=path)
        return Work.objects.filter(Q(collective__unit__path__startswith=path)
                                   | Q(campaign__office__path__startswith=path))
    if user.collective_id:
        works = Work.objects.filter(collective_id=user.collective_id)
        return works if campaign is None else works.filter(campaign=campaign)
    return Work.objects.none()


# What the lists never show of a work (the essay's text can be thousands of characters per row).
LIST_DEFERRED = ("essay_text", "description", "return_comment")


def work_list(user, *, campaign=None, unit=None, collective=None, category: str = "", status: str = "",
              search: str = "") -> QuerySet[Work]:
    """The list page's and the API's query: visible works, filtered, with collective, unit, campaign and
    the number of files (and of pictures) in the same query."""
    visible = works_visible_to(user, campaign=campaign) if campaign is not None else _listed_works(user)
    queryset = (visible.select_related("collective", "collective__unit", "campaign")
                .defer(*LIST_DEFERRED))
    if unit is not None:
        queryset = queryset.filter(collective__unit__path__startswith=unit.path)
    if collective is not None:
        queryset = queryset.filter(collective=collective)
    if category:
        queryset = queryset.filter(category=category)
    if status:
        queryset = queryset.filter(status=status)
    if search:
        queryset = queryset.filter(
            Q(title__icontains=search) | Q(collective__name__icontains=search) | Q(contact_name__icontains=search)
        )
    return with_file_counts(queryset).order_by("-updated_at", "-id")


def _listed_works(user) -> QuerySet[Work]:
    """works_visible_to(user) for the list of all campaigns, said with the campaigns' ids: every work belongs to a
    campaign whose office holds its collective (create_work), one run by the admin's subtree (all its works are
    visible) or one run above it (its works of the subtree's collectives), so an office's list of all its
    campaigns reads the campaign index without joining every work to its collective's unit. One more query (the
    campaigns); the same works."""
    if not (user.is_authenticated and user.is_admin and user.unit_id):
        return works_visible_to(user)
    path = user.unit.path
    covered, above = [], []
    for campaign_id, office_path in Campaign.objects.filter(
            Q(office__path__startswith=path) | Q(office_id__in=user.unit.ancestor_ids)).values_list("id",
                                                                                                   "office__path"):
        (covered if office_path.startswith(path) else above).append(campaign_id)
    scope = Q(campaign_id__in=covered)
    if above:
        scope |= Q(campaign_id__in=above, collective__unit__path__startswith=path)
    return Work.objects.filter(scope)


def with_file_counts(queryset: QuerySet[Work]) -> QuerySet[Work]:
    """``file_count`` and ``picture_count`` as correlated subqueries: evaluated for the page's rows only (a join
    and GROUP BY over every visible work would count the files of all of them before the page is taken)."""
    files = WorkFile.objects.filter(work=OuterRef("pk"))
    return queryset.annotate(file_count=count_of(files, "work"),
                             picture_count=count_of(files.filter(role=FileRole.PICTURE), "work"))


def work_files(work) -> QuerySet[WorkFile]:
    """A work's files in display order."""
    return WorkFile.objects.filter(work=work).order_by("role", "position", "id")


def work_detail(user, pk: int, *, with_files: bool = True) -> Work:
    """One visible work with its collective, unit, campaign and office, and its files (in order,
    ``work.files.all()``) and their originality flags prefetched, or Work.DoesNotExist (a 404). ``with_files=False``
    leaves the files out (an upload counts them itself, under the work's lock: two queries fewer)."""
    queryset = works_visible_to(user).select_related(
        "collective", "collective__unit", "campaign", "campaign__office", "created_by")
    if with_files:
        queryset = queryset.prefetch_related(
            Prefetch("files", queryset=WorkFile.objects.order_by("role", "position", "id")),
            Prefetch(
                "files__similar",
                queryset=SimilarFile.objects.select_related("other", "other__work", "other__work__collective"),
            ),
        )
    return queryset.get(pk=pk)


def similar_files_for(work) -> QuerySet[SimilarFile]:
    """The originality flags of a work's files: each a SimilarFile whose ``file`` is one of this work's files
    and whose ``other`` is the matching file of another work (``other.work`` to link to). The task records
    every pair both ways, so this finds a repeat whichever of the two works was uploaded first."""
    return (
        SimilarFile.objects.filter(file__work=work)
        .exclude(other__work=work)
        .select_related("file", "other", "other__work", "other__work__collective")
        .order_by("file__role", "file__position", "file_id", "other_id")
    )


# --- who may have a work's files ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class FileAccess:
    """A work whose files the user may have, and how: ``judged`` (a judge it is assigned to: files go out under
    neutral names, blind rounds show no collective), ``public`` (showcased or forwarded: anyone, cacheable)."""

    work: Work
    judged: bool = False
    public: bool = False


# The statuses in which a work is public (the city made it excellent: 优秀展示, 推报团省委): its files open for
# anyone, the showcase lists it. Any other status closes them at once (nothing is copied out).
PUBLIC_WORK_STATUSES = (WorkStatus.SHOWCASED, WorkStatus.FORWARDED)


def is_public_status(status: str) -> bool:
    return status in PUBLIC_WORK_STATUSES


# What the public may know of a public work and its files (the showcase's page and API): never the contact person
# or phone, the uploader, the file's uploaded name, the decisions or the unit's ranking.
PUBLIC_WORK_FIELDS = (
    "id", "title", "category", "display_form", "description", "essay_text", "char_count", "url", "status",
    "updated_at", "campaign_id", "collective_id", "collective__id", "collective__name", "collective__updated_at",
    "campaign__id", "campaign__name", "campaign__year",
)
PUBLIC_FILE_FIELDS = ("id", "work_id", "role", "position", "caption", "content_type", "original", "width", "height",
                      "duration", "thumbnail", "web_copy", "poster")
_CATEGORY_ORDER = Case(*(When(category=value, then=Value(index)) for index, value in enumerate(Category.values)),
                       default=Value(len(Category.values)), output_field=IntegerField())


def public_files() -> QuerySet[WorkFile]:
    """A work's files as the public gets them, in display order (pictures, then videos, screenshots, documents)."""
    return WorkFile.objects.only(*PUBLIC_FILE_FIELDS).order_by("role", "position", "id")


def public_works() -> QuerySet[Work]:
    """Every work shown to the public, with its collective, campaign and files (in display order) in two queries."""
    return (Work.objects.filter(status__in=PUBLIC_WORK_STATUSES)
            .select_related("collective", "campaign")
            .only(*PUBLIC_WORK_FIELDS)
            .prefetch_related(Prefetch("files", queryset=public_files())))


def showcase_works(*, campaign_id: int | None = None, category: str = "") -> QuerySet[Work]:
    """The showcase's list: newest campaign first, then by category (图片、宣传、征文) and newest work first;
    ``campaign_id`` and ``category`` narrow it."""
    queryset = public_works()
    if campaign_id is not None:
        queryset = queryset.filter(campaign_id=campaign_id)
    if category:
        queryset = queryset.filter(category=category)
    return queryset.order_by("-campaign__year", "-campaign_id", _CATEGORY_ORDER, "-id")


# Apps above works that give someone a work's files register a check here, in their AppConfig.ready():
# ``check(user, work_id) -> bool`` (reviews: the judges a work is assigned to). Works imports none of them.
_JUDGED_ACCESS: list[Callable[[object, int], bool]] = []


def register_judged_file_access(check: Callable[[object, int], bool]) -> None:
    if check not in _JUDGED_ACCESS:
        _JUDGED_ACCESS.append(check)


def work_file_access(user, work_id: int) -> FileAccess | None:
    """May this user have the files of this work, and how (the one answer for collectives, units, judges and the
    public): who may see the work; else a judge it is assigned to; else anyone while it is showcased or forwarded
    (``PUBLIC_WORK_STATUSES``), and nobody else the moment it is not. None: no."""
    work = works_visible_to(user).filter(pk=work_id).first()
    if work is not None:
        return FileAccess(work, public=is_public_status(work.status))
    if user.is_authenticated and any(check(user, work_id) for check in _JUDGED_ACCESS):
        work = Work.objects.filter(pk=work_id).first()
        if work is not None:
            return FileAccess(work, judged=True, public=is_public_status(work.status))
    work = Work.objects.filter(pk=work_id, status__in=PUBLIC_WORK_STATUSES).first()
    return FileAccess(work, public=True) if work is not None else None
