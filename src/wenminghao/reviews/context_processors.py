"""The unread-notification count for the navigation bar's bell (one query per page, signed-in users only)."""

from .notifications import unread_count


def notifications(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": unread_count(user)}
