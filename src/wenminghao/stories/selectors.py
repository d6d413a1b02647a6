"""Every read of stories, scoped to the user (``stories_visible_to``), and what the public sees of the promoted
ones (``promoted_stories``: only public columns). Lists are paged in the database."""

from django.db.models import Count, IntegerField, Max, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from wenminghao.core.http import get_object_for
from wenminghao.ledger.models import LedgerEntry

from .models import Story, StoryPhoto, StoryStatus

PUBLIC_STORY_FIELDS = ("id", "kind", "title", "text", "activity", "status", "promoted_at", "updated_at",
                       "collective_id", "collective__name", "unit_id", "unit__name")
PUBLIC_PHOTO_FIELDS = ("id", "story_id", "web_copy", "width", "height")


def stories_visible_to(user) -> QuerySet[Story]:
    """A collective's accounts: their collective's stories, drafts included. Admins: their own unit's stories, and
    the stories of their subtree once reported (never another's draft); the city office of a story only once it was
    reported to it. Nobody else any."""
    if not user.is_authenticated:
        return Story.objects.none()
    if user.is_admin and user.unit_id:
        own = Q(unit_id=user.unit_id, collective__isnull=True)
        reported = Q(unit_path__startswith=user.unit.path) & ~Q(reached_path="") & ~Q(office_id=user.unit_id)
        return Story.objects.filter(own | reported | Q(office_id=user.unit_id, reached_id=user.unit_id))
    if user.collective_id:
        return Story.objects.filter(collective_id=user.collective_id)
    return Story.objects.none()


def story_list(user, *, status: str = "", kind: str = "", activity: str = "", search: str = "") -> QuerySet[Story]:
    """The list of the stories page and the API, most recently changed first, filtered."""
    queryset = stories_visible_to(user).select_related("collective", "unit")
    if status:
        queryset = queryset.filter(status=status)
    if kind:
        queryset = queryset.filter(kind=kind)
    if activity:
        queryset = queryset.filter(activity=activity)
    if search:
        queryset = queryset.filter(title__icontains=search)
    # the photo count as a subquery of the page's rows, not a GROUP BY of every visible story (bench/exchange_scale.py)
    photos = (StoryPhoto.objects.filter(story=OuterRef("pk")).order_by().values("story")
              .annotate(n=Count("pk")).values("n")[:1])
    return (queryset.annotate(photo_count=Coalesce(Subquery(photos, output_field=IntegerField()), 0))
            .order_by("-updated_at", "-id"))


def get_story_for(user, pk: int, perm: str | None = None, *, denied: str = "您没有权限执行此操作。") -> Story:
    queryset = stories_visible_to(user).select_related("collective", "unit", "reached", "office", "author")
    return get_object_for(user, queryset, pk, perm, denied=denied)


def own_entries(collective) -> QuerySet[LedgerEntry]:
    """The ledger entries a story of this collective may link (of any campaign of the collective); none for a
    unit's own story (``collective`` None)."""
    if collective is None:
        return LedgerEntry.objects.none()
    return LedgerEntry.objects.filter(collective=collective).select_related("campaign").order_by("-date", "-id")


# --- the public showcase ------------------------------------------------------------------------------------


def promoted_stories() -> QuerySet[Story]:
    """The stories the city office promoted, newest promotion first, with only their public columns and their
    photos (never the ledger entries, the writer's account or any phone)."""
    photos = Prefetch("photos", queryset=StoryPhoto.objects.only(*PUBLIC_PHOTO_FIELDS).order_by("id"))
    return (Story.objects.filter(status=StoryStatus.PROMOTED).select_related("collective", "unit")
            .only(*PUBLIC_STORY_FIELDS).prefetch_related(photos).order_by("-promoted_at", "-id"))


def get_promoted_story(user, pk: int) -> Story:
    """One promoted story, whoever asks; 404 for any other."""
    return get_object_for(user, promoted_stories(), pk)


def get_public_photo(story_id: int, photo_id: int) -> StoryPhoto | None:
    """A photo of a story while it is promoted, else None."""
    return (StoryPhoto.objects.filter(pk=photo_id, story_id=story_id, story__status=StoryStatus.PROMOTED)
            .only(*PUBLIC_PHOTO_FIELDS).first())


def promoted_fingerprint() -> tuple[str, object]:
    """(key, last change) of the showcase's stories, for the showcase pages' ETag and Last-Modified: the key changes
    whenever a story joins, leaves or changes in the showcase (a withdrawn one is 已报送团市委 again, so its change is
    among those counted). One query."""
    figures = Story.objects.filter(status__in=(StoryStatus.PROMOTED, StoryStatus.FORWARDED)).aggregate(
        count=Count("id", filter=Q(status=StoryStatus.PROMOTED)), ids=Sum("id", filter=Q(status=StoryStatus.PROMOTED)),
        changed=Max("updated_at"))
    return f"{figures['count']}|{figures['ids']}|{figures['changed']}", figures["changed"]
