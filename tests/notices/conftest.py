"""The notices' fixtures for every test module here: ``world`` and ``publish`` (tests/notices/world.py) and
``media_storage`` (tests/works/media_fixtures.py)."""

from tests.notices.world import publish, world  # noqa: F401 - pytest fixtures
from tests.works.media_fixtures import media_storage  # noqa: F401 - a pytest fixture
