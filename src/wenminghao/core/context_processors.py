from django.conf import settings


def navigation(request):
    """What the base layout needs on every page: the signed-in user's role for the menu."""
    user = getattr(request, "user", None)
    return {
        "wmh_demo": settings.DEMO,
        "nav_role": getattr(user, "role", None) if user is not None and user.is_authenticated else None,
    }
