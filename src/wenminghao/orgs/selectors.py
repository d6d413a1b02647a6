from django.db.models import QuerySet

from .models import Unit


def units_visible_to(user) -> QuerySet[Unit]:
    """Admins: their unit's subtree. Other accounts: the unit they sit in."""
    if not user.is_authenticated:
        return Unit.objects.none()
    if user.is_admin and user.unit_id:
        return Unit.objects.filter(path__startswith=user.unit.path)
    home = user.home_unit
    if home is None:
        return Unit.objects.none()
    return Unit.objects.filter(pk=home.pk)


def unit_subtree(unit: Unit) -> QuerySet[Unit]:
    return Unit.objects.filter(path__startswith=unit.path)
