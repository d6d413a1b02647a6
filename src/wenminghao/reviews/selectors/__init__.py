"""The reads of the review app, by sub-domain: reports, rounds, decisions, order (visible-to scoping is the
caller's selector). Import from here or from the sub-module."""

from .decisions import (
    QUEUE_STATUSES,
    queue_counts,
    review_actions,
    review_queue,
    work_history,
)
from .order import (
    recommended_order,
)
from .reports import (
    get_report_for,
    is_report_late,
    recommended_works,
    report_freeze,
    report_status,
    reports_visible_to,
    unit_deadline,
)
from .rounds import (
    assignable_works,
    campaign_rounds,
    entry_cells,
    get_round_for,
    judge_accounts,
    judge_assignments,
    judge_may_see_work,
    judge_round_assignments,
    judge_rounds,
    round_conflicts,
    round_entries,
    round_progress,
    round_totals,
    rounds_visible_to,
)

__all__ = [
    "QUEUE_STATUSES",
    "assignable_works",
    "campaign_rounds",
    "entry_cells",
    "get_round_for",
    "is_report_late",
    "judge_accounts",
    "judge_assignments",
    "judge_may_see_work",
    "judge_round_assignments",
    "judge_rounds",
    "queue_counts",
    "recommended_order",
    "recommended_works",
    "get_report_for",
    "report_freeze",
    "reports_visible_to",
    "report_status",
    "review_actions",
    "review_queue",
    "round_conflicts",
    "round_entries",
    "round_progress",
    "round_totals",
    "rounds_visible_to",
    "unit_deadline",
    "work_history",
]
