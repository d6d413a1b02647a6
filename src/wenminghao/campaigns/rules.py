import rules

from wenminghao.core.predicates import (
    has_object_in_scope,
    is_campaign_office_admin,
    is_campaign_visible,
    is_city_admin,
    is_collective_of_filing,
    is_own_collective,
)

rules.add_perm("campaigns.view_campaign", is_campaign_visible)
rules.add_perm("campaigns.add_campaign", is_city_admin)
rules.add_perm("campaigns.change_campaign", is_campaign_office_admin)
# The object is the collective that files.
rules.add_perm("campaigns.file_creation", is_own_collective | has_object_in_scope)
# The object is the filing.
rules.add_perm("campaigns.view_filing", has_object_in_scope | is_collective_of_filing)
rules.add_perm("campaigns.review_filing", has_object_in_scope)
