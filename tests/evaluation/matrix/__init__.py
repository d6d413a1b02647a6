"""The permission matrix rows of evaluation, one module per part. Each module has ``PAGE_ROWS`` and ``API_ROWS``
(built with ``tests.permission_matrix_data.line``), ``applies(row)``, whether a row needs that part's objects, and
``add_world(objects, settings, tmp_path)``, which adds them to the matrix's world."""

from . import assessments, dashboard, development, inspections, naming, reminders

PARTS = (dashboard, reminders, inspections, assessments, development, naming)
PAGE_ROWS = [row for part in PARTS for row in part.PAGE_ROWS]
API_ROWS = [row for part in PARTS for row in part.API_ROWS]
