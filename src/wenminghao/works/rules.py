import rules

from wenminghao.core.predicates import (
    has_object_in_scope,
    is_own_collective,
    is_work_editable,
    is_work_of_own_collective,
)

# The object is the work: the collective's own accounts, and admins of a unit above the collective.
rules.add_perm("works.view_work", has_object_in_scope | is_work_of_own_collective)
# The object is the collective that will make the work.
rules.add_perm("works.add_work", is_own_collective | has_object_in_scope)
# Drafts and returned works only; the deadline is checked by the services (it needs the database).
rules.add_perm("works.change_work", (has_object_in_scope | is_work_of_own_collective) & is_work_editable)
rules.add_perm("works.submit_work", (has_object_in_scope | is_work_of_own_collective) & is_work_editable)
