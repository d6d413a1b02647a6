import rules

from wenminghao.core.predicates import (
    has_object_in_scope,
    has_object_strictly_below,
    is_account_below,
    is_admin,
    is_own_unit,
)

rules.add_perm("orgs.view_unit", has_object_in_scope | is_own_unit)
rules.add_perm("orgs.add_child_unit", has_object_in_scope)
rules.add_perm("orgs.change_unit", has_object_strictly_below)
rules.add_perm("orgs.view_overview", has_object_in_scope)
rules.add_perm("orgs.list_units", is_admin)
rules.add_perm("accounts.manage_account", is_account_below)
rules.add_perm("accounts.list_accounts", is_admin)
rules.add_perm("core.view_audit", is_admin)
