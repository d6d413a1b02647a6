"""Who may do what with the public face. The public pages themselves need no permission (anyone may read a published
page and leave feedback); these rules are for the signed-in side: who publishes and hides pages, who reads, answers,
closes and verifies feedback. Each part adds its permissions below, in its own section."""

import rules

from wenminghao.core.predicates import has_object_in_scope, is_admin, is_collective_account, is_own_collective

# --- feedback (公众监督) ---
# A visitor's feedback on a post is read and answered by the collective's own accounts (leader and delegates) and by
# the admins of its unit and the units above (the city); they see the visitor's contact, nobody else does. Only an
# admin above the collective verifies a complaint (核实): a collective does not judge complaints against itself.
# Judges, other units and other collectives get 404 (the selectors return nothing). Which state allows which move is
# services.feedback.FEEDBACK_MOVES, not these rules: they say who, the table says when.


@rules.predicate
def is_admin_above_feedback(user, feedback) -> bool:
    """An admin whose subtree holds the collective the feedback is about."""
    return feedback is not None and has_object_in_scope(user, feedback.collective)


@rules.predicate
def is_feedback_collectives_account(user, feedback) -> bool:
    return is_collective_account(user) and feedback is not None and feedback.collective_id == user.collective_id


# No object: the list of feedback at all (an admin's subtree, a collective's own). The object is a Feedback: its page
# (with the contact), answering and closing it, verifying a complaint. The object is a collective: its feedback panel.
# The object is a unit: the response-time statistics of its subtree (admins of it and above).
rules.add_perm("public.list_feedback", is_admin | is_collective_account)
rules.add_perm("public.view_feedback", is_admin_above_feedback | is_feedback_collectives_account)
rules.add_perm("public.answer_feedback", is_admin_above_feedback | is_feedback_collectives_account)
rules.add_perm("public.close_feedback", is_admin_above_feedback | is_feedback_collectives_account)
rules.add_perm("public.verify_feedback", is_admin_above_feedback)
rules.add_perm("public.view_collective_feedback", has_object_in_scope | is_own_collective)
rules.add_perm("public.view_feedback_stats", has_object_in_scope)

# --- identity pages (亮身份、亮形象、亮承诺) ---
# The object is a collective. Its page is edited and published (or withdrawn) by the collective's own accounts
# (leader and delegates) and by the admins of its unit and the units above; only those admins hide it (with a reason)
# and show it again: a collective does not undo its unit's decision. The plaque (公示牌) of one post is for the same
# people as editing. The object is a unit: the plaques of all its subtree's public posts in one PDF, for the admins
# of that unit and above. Judges, other units and other collectives get 404 (the selectors return nothing).
rules.add_perm("public.edit_page", has_object_in_scope | is_own_collective)
rules.add_perm("public.publish_page", has_object_in_scope | is_own_collective)
rules.add_perm("public.hide_page", has_object_in_scope)
rules.add_perm("public.download_plaque", has_object_in_scope | is_own_collective)
rules.add_perm("public.download_unit_plaques", has_object_in_scope)
