"""Who may see and do what in evaluation and dynamic management. Units and the office act on their subtree; a
collective sees its own inspections, trainings, pairs and titles and answers its rectifications; judges and the public
see nothing (the selectors return nothing: 404). Each part adds its permissions below, in its own section."""

import rules  # noqa: F401

from wenminghao.core.predicates import (  # noqa: F401
    has_object_in_scope,
    is_admin,
    is_campaign_office_admin,
    is_city_admin,
    is_collective_account,
    is_own_collective,
)

# --- dashboards and reminders ---
# The dashboard (指标看板) and its .xlsx: any admin may open the section (no object); the object is the unit looked
# at, which must lie in the admin's subtree (the unit's admins and those above it, the office). Collectives and
# judges: 404 (the views ask ``view_dashboards`` first).
rules.add_perm("evaluation.view_dashboards", is_admin)
rules.add_perm("evaluation.view_dashboard", has_object_in_scope)
# Reminders (催办提醒): the admins of a unit remind the creating collectives of its subtree and see the reminders sent
# there; collectives (who only receive them, in their messages) and judges get 404.
# No object: the reminders page at all. The object is a unit: reminding its subtree. The object is a reminder: its
# page, for the admins of the unit that sent it and of the units above (``has_object_in_scope`` reads its unit).
rules.add_perm("evaluation.use_reminders", is_admin)
rules.add_perm("evaluation.send_reminder", has_object_in_scope)
rules.add_perm("evaluation.view_reminder", has_object_in_scope)

# --- inspections ---
# Field inspections (实地考察): recorded by the admins of the units above a collective; seen by them and by the
# collective's own accounts (leader and delegates), who answer the rectification; the inspecting unit (or a unit
# above it) accepts the answer or asks again. Judges, other units and other collectives get 404. Which state allows
# which move is services.inspections.RECTIFICATION_TRANSITIONS, not these rules: they say who, the table says when.
# An inspection's own ``unit`` is the inspecting unit, so these predicates read the inspected collective's unit.


@rules.predicate
def is_admin_above_inspected(user, inspection) -> bool:
    """An admin whose subtree holds the inspected collective."""
    return inspection is not None and has_object_in_scope(user, inspection.collective)


@rules.predicate
def is_inspected_collectives_account(user, inspection) -> bool:
    """The inspected collective's own account (its leader or a delegate)."""
    return is_collective_account(user) and inspection is not None and inspection.collective_id == user.collective_id


@rules.predicate
def is_inspecting_unit_or_above(user, inspection) -> bool:
    """An admin of the unit that inspected, or of a unit above it."""
    return is_admin(user) and inspection is not None and inspection.unit.path.startswith(user.unit.path)


# No object: the list of inspections (an admin's subtree, a collective's own). The object is a collective: recording
# an inspection of it, its inspections on its page. The object is an inspection: its page and photos, answering it,
# deciding on the answer.
rules.add_perm("evaluation.list_inspections", is_admin | is_collective_account)
rules.add_perm("evaluation.add_inspection", has_object_in_scope)
rules.add_perm("evaluation.view_collective_inspections", has_object_in_scope | is_own_collective)
rules.add_perm("evaluation.view_inspection", is_admin_above_inspected | is_inspected_collectives_account)
rules.add_perm("evaluation.answer_rectification", is_inspected_collectives_account)
rules.add_perm("evaluation.decide_rectification", is_admin_above_inspected & is_inspecting_unit_or_above)

# --- central evaluation ---
# The object is a campaign. Every admin who sees the campaign sees the ranking of the creating collectives of their
# subtree, read-only (the selectors scope it: the office the whole campaign, a unit its subtree); only the office
# running the campaign (or one above it: the leadership group is the city's) sets the weights and scores.
rules.add_perm("evaluation.view_assessments", is_admin)
rules.add_perm("evaluation.set_assessment_weights", is_campaign_office_admin)
rules.add_perm("evaluation.score_assessments", is_campaign_office_admin)

# --- training, exchange visits, new-and-old pairs ---
# The admins of the units taking part in a campaign (under its office, or above it) see its trainings, visits and
# pairs and record their own; collectives and judges get 404 on these pages (the views), a collective reading its own
# part on its page. A training's attendees are ticked, and a pair ended, by the admins of the unit that recorded it
# and of the units above.


@rules.predicate
def is_admin_in_campaign_area(user, campaign) -> bool:
    """An admin whose unit lies under the office running the campaign (or is it), or above that office."""
    if campaign is None or not is_admin(user):
        return False
    office, own = campaign.office.path, user.unit.path
    return own.startswith(office) or office.startswith(own)


# The object is a campaign.
rules.add_perm("evaluation.view_development", is_admin_in_campaign_area)
rules.add_perm("evaluation.add_development", is_admin_in_campaign_area)
# The object is a TrainingSession, a MentorPair.
rules.add_perm("evaluation.change_training", has_object_in_scope)
rules.add_perm("evaluation.delete_mentor_pair", has_object_in_scope)

# --- naming and titles ---
# The office running a campaign names its creating collectives (命名); every admin under or above that office reads the
# namings of its own subtree (the list, its .docx and .xlsx). A title is seen by the admins above its collective and
# by the collective's own accounts (read-only); it is reviewed (复核), warned (警告提醒) and revoked (撤销称号) by an
# office admin: of the office that named it or above, or, for a title typed in by hand, one whose subtree holds the
# collective. Unit admins and judges never manage titles.


@rules.predicate
def is_title_manager(user, honour) -> bool:
    """An office admin (city_admin role) who may review, warn and revoke ``honour``."""
    if honour is None or not is_city_admin(user):
        return False
    holder = honour.awarded_by if honour.awarded_by_id is not None else honour.collective.unit
    return holder.path.startswith(user.unit.path)


@rules.predicate
def is_own_collectives_title(user, honour) -> bool:
    return is_collective_account(user) and honour is not None and honour.collective_id == user.collective_id


# The object is a campaign.
rules.add_perm("evaluation.view_namings", is_admin)
rules.add_perm("evaluation.name_collectives", is_campaign_office_admin)
# No object: the list of titles (each one's own, for a collective account).
rules.add_perm("evaluation.view_titles", is_admin | is_collective_account)
# The object is an Honour.
rules.add_perm("evaluation.view_title", has_object_in_scope | is_own_collectives_title)
rules.add_perm("evaluation.manage_title", is_title_manager)
