from django.db.models import Q, QuerySet

from .models import AuditEntry

SYSTEM_ACTOR = "系统"


def audit_entries_visible_to(user) -> QuerySet[AuditEntry]:
    """Entries about an admin's unit and everything below it (one indexed prefix query); a unit never
    sees another unit's changes. Collective accounts and judges see none."""
    if not user.is_authenticated or not user.is_admin or not user.unit_id:
        return AuditEntry.objects.none()
    return AuditEntry.objects.filter(unit_path__startswith=user.unit.path)


def audit_list(user, *, action: str = "", object_type: str = "", actor: str = "") -> QuerySet[AuditEntry]:
    """The audit page's query, newest first. ``actor`` matches the account name, or 系统 for changes
    made by the platform itself (demo data, commands)."""
    queryset = audit_entries_visible_to(user).select_related("actor")
    if action:
        queryset = queryset.filter(action=action)
    if object_type:
        queryset = queryset.filter(object_type=object_type)
    actor = actor.strip()
    if actor == SYSTEM_ACTOR:
        queryset = queryset.filter(actor__isnull=True, actor_name="")
    elif actor:
        queryset = queryset.filter(Q(actor_name__icontains=actor) | Q(actor__display_name__icontains=actor))
    return queryset.order_by("-created_at", "-id")


def audit_filter_choices(user) -> dict[str, list[str]]:
    """The action keys and object types that occur in the user's scope (two grouped queries)."""
    visible = audit_entries_visible_to(user).order_by()
    return {
        "actions": sorted(visible.values_list("action", flat=True).distinct()),
        "object_types": sorted(visible.values_list("object_type", flat=True).distinct()),
    }
