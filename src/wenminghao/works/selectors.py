from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from .enums import FileRole, WorkStatus
from .models import SimilarFile, Work, WorkFile


def works_visible_to(user) -> QuerySet[Work]:
    """Every work the user may see: an admin's subtree, or a collective account's own collective's works."""
    if not user.is_authenticated:
        return Work.objects.none()
    if user.is_admin and user.unit_id:
        return Work.objects.filter(collective__unit__path__startswith=user.unit.path)
    if user.collective_id:
        return Work.objects.filter(collective_id=user.collective_id)
    return Work.objects.none()


def work_list(user, *, campaign=None, unit=None, collective=None, category: str = "", status: str = "",
              search: str = "") -> QuerySet[Work]:
    """The list page's and the API's query: visible works, filtered, with collective, unit, campaign and
    the number of files (and of pictures) in the same query."""
    queryset = works_visible_to(user).select_related("collective", "collective__unit", "campaign", "created_by")
    if campaign is not None:
        queryset = queryset.filter(campaign=campaign)
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
    return queryset.annotate(
        file_count=Count("files", distinct=True),
        picture_count=Count("files", filter=Q(files__role=FileRole.PICTURE), distinct=True),
    ).order_by("-updated_at", "-id")


def work_files(work) -> QuerySet[WorkFile]:
    """A work's files in display order."""
    return WorkFile.objects.filter(work=work).order_by("role", "position", "id")


def work_detail(user, pk: int) -> Work:
    """One visible work with its files (in order, ``work.files.all()``) and their originality flags
    prefetched, or Work.DoesNotExist (a 404)."""
    return (
        works_visible_to(user)
        .select_related("collective", "collective__unit", "campaign", "campaign__office", "created_by")
        .prefetch_related(
            Prefetch("files", queryset=WorkFile.objects.order_by("role", "position", "id")),
            Prefetch(
                "files__similar",
                queryset=SimilarFile.objects.select_related("other", "other__work", "other__work__collective"),
            ),
        )
        .get(pk=pk)
    )


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
    neutral names, blind rounds show no collective), ``public`` (showcased: anyone, cacheable)."""

    work: Work
    judged: bool = False
    public: bool = False


# Apps above works that give someone a work's files register a check here, in their AppConfig.ready():
# ``check(user, work_id) -> bool`` (reviews: the judges a work is assigned to). Works imports none of them.
_JUDGED_ACCESS: list[Callable[[object, int], bool]] = []


def register_judged_file_access(check: Callable[[object, int], bool]) -> None:
    if check not in _JUDGED_ACCESS:
        _JUDGED_ACCESS.append(check)


def work_file_access(user, work_id: int) -> FileAccess | None:
    """May this user have the files of this work, and how (the one answer for collectives, units, judges and the
    public): who may see the work; else a judge it is assigned to; else anyone once it is showcased. None: no."""
    work = works_visible_to(user).filter(pk=work_id).first()
    if work is not None:
        return FileAccess(work, public=work.status == WorkStatus.SHOWCASED)
    if user.is_authenticated and any(check(user, work_id) for check in _JUDGED_ACCESS):
        work = Work.objects.filter(pk=work_id).first()
        if work is not None:
            return FileAccess(work, judged=True, public=work.status == WorkStatus.SHOWCASED)
    work = Work.objects.filter(pk=work_id, status=WorkStatus.SHOWCASED).first()
    return FileAccess(work, public=True) if work is not None else None
