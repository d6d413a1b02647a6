import rules

from wenminghao.core.predicates import (
    has_object_in_scope,
    is_admin,
    is_leader_of_collective,
    is_own_collective,
)

rules.add_perm("collectives.list_collectives", is_admin)
rules.add_perm("collectives.view_collective", has_object_in_scope | is_own_collective)
rules.add_perm("collectives.add_collective", is_admin)
# Adding into a particular unit: the unit must lie in the admin's subtree.
rules.add_perm("collectives.add_collective_to_unit", has_object_in_scope)
rules.add_perm("collectives.change_collective", has_object_in_scope | is_own_collective)
rules.add_perm("collectives.move_collective", has_object_in_scope)
# Titles are typed in by the unit or an office above (a collective's own account may not give itself one: eligibility
# and the public identity page read them).
rules.add_perm("collectives.change_honours", has_object_in_scope)
rules.add_perm("collectives.delete_collective", has_object_in_scope)
rules.add_perm("collectives.import_collectives", is_admin)
rules.add_perm("collectives.manage_delegates", is_leader_of_collective | has_object_in_scope)
