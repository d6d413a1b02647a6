import pytest

from .placeholder_urls import missing_names


@pytest.fixture(autouse=True)
def _navigation_placeholders(settings):
    """Use placeholder pages for navigation names other apps have not defined yet (see placeholder_urls)."""
    if missing_names():
        settings.ROOT_URLCONF = "tests.collectives.placeholder_urls"
