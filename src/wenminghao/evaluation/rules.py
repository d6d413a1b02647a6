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

# --- inspections ---

# --- central evaluation ---

# --- training, exchange visits, new-and-old pairs ---

# --- naming and titles ---
