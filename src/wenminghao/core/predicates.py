"""The one module of permission predicates (django-rules). Pages and API ask the same questions
through ``user.has_perm(name, obj)``; the app ``rules.py`` modules only bind names to these.

Scope is always a unit subtree: an admin of unit U may act on objects whose unit path starts with
U's path. Objects outside answer 404 (the selectors never return them); 403 is for objects a user
may see but not change.
"""

import rules

from wenminghao.accounts.enums import Role
from wenminghao.works.enums import EDITABLE_STATUSES


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
def is_unit_admin(user) -> bool:
    return user.is_authenticated and user.role == Role.UNIT_ADMIN and user.unit_id is not None


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


@rules.predicate
def is_work_of_own_collective(user, work) -> bool:
    """A collective account (the leader or a delegate) of the collective that made the work."""
    return is_collective_account(user) and work is not None and work.collective_id == user.collective_id


@rules.predicate
def is_work_editable(user, work) -> bool:
    """The work is a draft or was returned: it may still change and be submitted."""
    return work is not None and work.status in EDITABLE_STATUSES


# --- central review: judges (reviews) ------------------------------------------------------------------------

def judge_conflict_path(judge, office) -> str | None:
    """The unit path whose works the judge must never review (conflict of interest, 回避): the judge's own unit's
    subtree when that unit lies strictly inside the office running the campaign (e.g. a judge of 环翠区团委 never
    reviews works of 环翠区 collectives). A judge sitting at the office itself or above it (the organisers'
    panel) has no such conflict; neither has a judge without a unit. None when nothing conflicts."""
    unit = getattr(judge, "unit", None) if getattr(judge, "unit_id", None) else None
    if unit is None or office is None or office.path.startswith(unit.path):
        return None
    return unit.path


def judge_has_conflict(judge, work, office) -> bool:
    """The work's collective lies in the judge's own unit's subtree (see judge_conflict_path)."""
    path = judge_conflict_path(judge, office)
    return path is not None and work.collective.unit.path.startswith(path)


@rules.predicate
def is_assigned_judge(user, assignment) -> bool:
    """The judge the assignment names, in an open or closed round, and never a work of the judge's own unit's
    subtree (conflict of interest, also enforced when works are assigned)."""
    from wenminghao.reviews.enums import RoundStatus

    if assignment is None or not is_judge(user) or assignment.judge_id != user.pk:
        return False
    round_ = assignment.round
    if round_.status not in (RoundStatus.OPEN, RoundStatus.CLOSED):
        return False
    return not judge_has_conflict(user, assignment.work, round_.campaign.office)


@rules.predicate
def is_round_office_admin(user, round_) -> bool:
    """A city admin of the office that runs the round's campaign (or of an office above it)."""
    return round_ is not None and is_campaign_office_admin(user, round_.campaign)
