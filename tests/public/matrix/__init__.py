"""The permission matrix rows of the public face (issue 12), one module per part, in the shape of
tests/evaluation/matrix/: ``PAGE_ROWS``, ``API_ROWS``, ``applies(row)`` and
``add_world(objects, settings, tmp_path)``."""

from . import feedback, pages, showcase

PARTS = (pages, feedback, showcase)
PAGE_ROWS = [row for part in PARTS for row in part.PAGE_ROWS]
API_ROWS = [row for part in PARTS for row in part.API_ROWS]
