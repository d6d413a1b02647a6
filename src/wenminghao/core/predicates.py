"""The ground predicates of permission (django-rules): roles and unit scope, which every app asks. Predicates
about a domain's own state live in that domain's ``rules.py`` (``works.rules.is_work_editable``,
``reviews.rules.is_assigned_judge``); pages and API ask the same questions through ``user.has_perm(name, obj)``.

Scope is always a unit subtree: an admin of unit U may act on objects whose unit path starts with
U's path. Objects outside answer 404 (the selectors never return them); 403 is for objects a user
may see but not change.
"""

import rules

from wenminghao.core.roles import Role


def _unit_path_of(obj) -> str | None:
    """The unit path an object belongs to (a Unit, a Collective, a filing or a user)."""
    if obj is None:
        return None
    if hasattr(obj, "path") and hasattr(obj, "kind"):
        return obj.path
    if hasattr(obj, "unit") and getattr(obj, "unit_id", None) and hasattr(obj.unit, "path"):
        return obj.unit.path
    if hasattr(obj, "collective") and getattr(obj, "collective_id", None):
        return obj.collective.unit.path
    return None


@rules.predicate
def is_city_admin(user) -> bool:
    return user.is_authenticated and user.role == Role.CITY_ADMIN and user.unit_id is not None


@rules.predicate
def is_admin(user) -> bool:
    return user.is_authenticated and user.role in (Role.CITY_ADMIN, Role.UNIT_ADMIN) and user.unit_id is not None


@rules.predicate
def is_judge(user) -> bool:
    return user.is_authenticated and user.role == Role.JUDGE


@rules.predicate
def is_collective_account(user) -> bool:
    return user.is_authenticated and user.role == Role.COLLECTIVE and user.collective_id is not None


@rules.predicate
def is_collective_leader(user) -> bool:
    """The leader's own account (号长), not a delegate."""
    return is_collective_account(user) and not user.is_delegate


@rules.predicate
def has_object_in_scope(user, obj) -> bool:
    """An admin whose unit subtree contains the object."""
    if not is_admin(user):
        return False
    path = _unit_path_of(obj)
    return path is not None and path.startswith(user.unit.path)


@rules.predicate
def has_object_strictly_below(user, obj) -> bool:
    """An admin whose subtree contains the object's unit, and the object is not the admin's own unit.
    City admins also manage their own unit."""
    if not has_object_in_scope(user, obj):
        return False
    path = _unit_path_of(obj)
    return path != user.unit.path or user.role == Role.CITY_ADMIN


@rules.predicate
def is_own_collective(user, collective) -> bool:
    return is_collective_account(user) and collective is not None and user.collective_id == collective.pk


@rules.predicate
def is_leader_of_collective(user, collective) -> bool:
    return is_collective_leader(user) and collective is not None and user.collective_id == collective.pk


@rules.predicate
def is_own_unit(user, unit) -> bool:
    return user.is_authenticated and unit is not None and user.unit_id == unit.pk


@rules.predicate
def is_collective_of_filing(user, filing) -> bool:
    return is_collective_account(user) and filing is not None and filing.collective_id == user.collective_id


@rules.predicate
def is_campaign_office_admin(user, campaign) -> bool:
    """A city (or province) admin of the office that runs the campaign, or of an office above it."""
    return is_city_admin(user) and campaign is not None and campaign.office.path.startswith(user.unit.path)


@rules.predicate
def is_campaign_visible(user, campaign) -> bool:
    """Campaigns of an office above the user's own place, or (for admins) run inside their subtree."""
    if campaign is None or not user.is_authenticated:
        return False
    home = user.home_unit
    if home is not None and home.path.startswith(campaign.office.path):
        return True
    return is_admin(user) and campaign.office.path.startswith(user.unit.path)


@rules.predicate
def is_account_below(user, account) -> bool:
    """An admin above the account: its unit (or its collective's unit) lies in the admin's subtree,
    and it is not the admin's own unit unless the admin is a city admin. Nobody manages themselves here."""
    if account is None or not is_admin(user) or account.pk == user.pk:
        return False
    home = account.home_unit
    if home is None or not home.path.startswith(user.unit.path):
        return False
    if account.collective_id:
        return True
    return home.path != user.unit.path or user.role == Role.CITY_ADMIN
