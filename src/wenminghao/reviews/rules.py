"""The review's predicates (judges, conflicts of interest, rounds) and its permission names (each part adds its own)."""

import rules

from wenminghao.core.predicates import has_object_in_scope, is_admin, is_campaign_office_admin, is_judge

from .enums import RoundStatus

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


# --- central review rounds (R4) ------------------------------------------------------------------------------
# The object is the round: the admins of the office running its campaign set it up, follow it, decide and close it.
rules.add_perm("reviews.manage_round", is_round_office_admin)
# The object is the assignment: only its judge, in an open or closed round, never a work of the judge's own unit's
# subtree (conflict of interest). Whether the round is still open is the service's check (it answers why).
rules.add_perm("reviews.score_assignment", is_assigned_judge)

# --- what the review's pages ask (no inline role test in a view) ----------------------------------------------
# The object is the campaign: its office's admins run its central review, see who reported, build the packages.
rules.add_perm("reviews.run_campaign_review", is_campaign_office_admin)
# No object: an admin acting for their own unit (its review queue, its Attachment 2 report).
rules.add_perm("reviews.act_for_unit", is_admin)
# The object is a unit report: the admins of its unit and of the units above it see its stamped scan.
rules.add_perm("reviews.view_report", has_object_in_scope)
# The object is a unit: its admins and those of the units above it download its Attachment 2 table.
rules.add_perm("reviews.view_unit_summary", has_object_in_scope)
# No object: the judges' pages (我的评审).
rules.add_perm("reviews.judge_works", is_judge)
