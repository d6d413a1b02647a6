"""The joint projects' fixtures for every test module here: ``world`` and ``make_project`` (tests/projects/world.py)
and ``media_storage`` (tests/works/media_fixtures.py)."""

from tests.projects.world import make_project, world  # noqa: F401 - pytest fixtures
from tests.works.media_fixtures import media_storage  # noqa: F401 - a pytest fixture
