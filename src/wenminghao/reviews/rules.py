"""Permission names of the review app, bound to the predicates of core.predicates (each part adds its own)."""

import rules

from wenminghao.core.predicates import is_assigned_judge, is_round_office_admin

# --- central review rounds (R4) ------------------------------------------------------------------------------
# The object is the round: the admins of the office running its campaign set it up, follow it, decide and close it.
rules.add_perm("reviews.manage_round", is_round_office_admin)
# The object is the assignment: only its judge, in an open or closed round, never a work of the judge's own unit's
# subtree (conflict of interest). Whether the round is still open is the service's check (it answers why).
rules.add_perm("reviews.score_assignment", is_assigned_judge)
