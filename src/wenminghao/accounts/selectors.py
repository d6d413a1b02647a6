from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce

from .models import User


def accounts_visible_to(user) -> QuerySet[User]:
    """Accounts whose home unit lies in an admin's subtree: accounts of those units (admins, judges)
    and the accounts of their collectives. Nobody else sees account lists."""
    if not user.is_authenticated or not user.is_admin or not user.unit_id:
        return User.objects.none()
    path = user.unit.path
    return User.objects.filter(Q(unit__path__startswith=path) | Q(collective__unit__path__startswith=path))


def account_list(user, *, role: str = "", unit=None, search: str = "") -> QuerySet[User]:
    """The account list's query: visible accounts with their unit and collective, grouped by place in the tree."""
    queryset = accounts_visible_to(user).select_related("unit", "collective__unit")
    if role:
        queryset = queryset.filter(role=role)
    if unit is not None:
        queryset = queryset.filter(
            Q(unit__path__startswith=unit.path) | Q(collective__unit__path__startswith=unit.path)
        )
    if search:
        queryset = queryset.filter(
            Q(username__icontains=search)
            | Q(display_name__icontains=search)
            | Q(mobile__contains=search)
            | Q(collective__name__icontains=search)
        )
    return queryset.annotate(home_path=Coalesce("collective__unit__path", "unit__path")).order_by(
        "home_path", "collective__name", "role", "username"
    )
