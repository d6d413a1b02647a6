from django.db.models import Count, Prefetch, Q, QuerySet

from .enums import FileRole
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
