"""The writes of the review app, by sub-domain: reports, rounds, order (each atomic and audited; decisions on
works are works.transitions). Import from here or from the sub-module."""

from .order import (
    move_recommended,
)
from .reports import (
    SCAN_MAX_BYTES,
    SCAN_TYPES,
    scan_too_large_violation,
    sniff_scan,
    upload_stamped_scan,
)
from .rounds import (
    DEFAULT_RUBRIC,
    ROUND_TRIM_MAX,
    RUBRIC_MAX_CRITERIA,
    SCORE_MAX_LIMIT,
    assign_works,
    close_round,
    create_round,
    save_scores,
    set_judges,
    set_rubric,
)

__all__ = [
    "DEFAULT_RUBRIC",
    "ROUND_TRIM_MAX",
    "RUBRIC_MAX_CRITERIA",
    "SCAN_MAX_BYTES",
    "SCAN_TYPES",
    "SCORE_MAX_LIMIT",
    "assign_works",
    "close_round",
    "create_round",
    "move_recommended",
    "save_scores",
    "scan_too_large_violation",
    "set_judges",
    "set_rubric",
    "sniff_scan",
    "upload_stamped_scan",
]
