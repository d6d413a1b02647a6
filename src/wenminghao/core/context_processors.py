from django.conf import settings

from .notifications import unread_count


def navigation(request):
    """What the base layout needs on every page: the signed-in user's role for the menu."""
    user = getattr(request, "user", None)
    return {
        "wmh_demo": settings.DEMO,
        "nav_role": getattr(user, "role", None) if user is not None and user.is_authenticated else None,
    }


def notifications(request) -> dict:
    """The unread-notification count for the navigation bar's bell (one query per page, signed-in users only)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": unread_count(user)}
