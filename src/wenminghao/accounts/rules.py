import rules

from wenminghao.core.predicates import is_account_below, is_city_admin

# The recovery of a lost phone: an office admin (团市委/团省委) removes the second factor of an admin below it.
rules.add_perm("accounts.reset_two_factor", is_city_admin & is_account_below)
