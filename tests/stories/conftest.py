"""The stories' fixtures for every test module here: ``world`` and ``write`` (tests/stories/world.py) and
``media_storage`` (tests/works/media_fixtures.py)."""

from tests.stories.world import world, write  # noqa: F401 - pytest fixtures
from tests.works.media_fixtures import media_storage  # noqa: F401 - a pytest fixture
