import rules

from wenminghao.core.predicates import has_object_in_scope, is_collective_account, is_own_collective

from .enums import EDITABLE_STATUSES


@rules.predicate
def is_work_of_own_collective(user, work) -> bool:
    """A collective account (the leader or a delegate) of the collective that made the work."""
    return is_collective_account(user) and work is not None and work.collective_id == user.collective_id


@rules.predicate
def is_work_editable(user, work) -> bool:
    """The work is a draft or was returned: it may still change and be submitted."""
    return work is not None and work.status in EDITABLE_STATUSES


# The object is the work: the collective's own accounts, and admins of a unit above the collective.
rules.add_perm("works.view_work", has_object_in_scope | is_work_of_own_collective)
# The object is the collective that will make the work.
rules.add_perm("works.add_work", is_own_collective | has_object_in_scope)
# Drafts and returned works only; the deadline is checked by the services (it needs the database).
rules.add_perm("works.change_work", (has_object_in_scope | is_work_of_own_collective) & is_work_editable)
rules.add_perm("works.submit_work", (has_object_in_scope | is_work_of_own_collective) & is_work_editable)
