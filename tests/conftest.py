"""Shared fixtures: a small city tree with one account of every role.

    city (市团委)
    ├── area_a (环翠区团委)   ── collective_a (+ leader account)
    │   └── sub_a (街道团委)   ── collective_sub
    └── area_b (文登区团委)   ── collective_b (+ leader account)
"""

import datetime
import subprocess

import pytest

from wenminghao.core.roles import Role
from wenminghao.orgs.enums import UnitKind

from . import clock, factories
from .pages import BACKEND

_CLOCK_START = pytest.StashKey[datetime.datetime]()


def pytest_configure(config):
    config.stash[_CLOCK_START] = clock.start()


def pytest_unconfigure(config):
    clock.stop()


def pytest_report_header(config):
    start = config.stash.get(_CLOCK_START, None)
    if start is not None:
        utc = start.astimezone(datetime.UTC)
        return (f"clock: the session starts at {start:%Y-%m-%d %H:%M %z} ({utc:%Y-%m-%d %H:%M} UTC) and ticks "
                "(tests/clock.py; WMH_TEST_CLOCK to change)")
    return None


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def tree(db):
    city = factories.unit(name="威海市团委", kind=UnitKind.CITY)
    area_a = factories.unit(parent=city, name="环翠区团委", kind=UnitKind.AREA)
    sub_a = factories.unit(parent=area_a, name="环翠楼街道团委", kind=UnitKind.AREA)
    area_b = factories.unit(parent=city, name="文登区团委", kind=UnitKind.AREA)
    collective_a = factories.collective(unit=area_a, name="环翠区政务服务中心窗口", honours=[("district", 2016)])
    collective_sub = factories.collective(unit=sub_a, name="环翠楼社区服务站", honours=[("district", 2017)])
    collective_b = factories.collective(unit=area_b, name="文登区供电所", honours=[("district", 2015)])
    return {
        "city": city,
        "area_a": area_a,
        "sub_a": sub_a,
        "area_b": area_b,
        "collective_a": collective_a,
        "collective_sub": collective_sub,
        "collective_b": collective_b,
    }


@pytest.fixture
def users(tree):
    return {
        "city_admin": factories.account(username="city", role=Role.CITY_ADMIN, unit=tree["city"]),
        "unit_admin_a": factories.account(username="huancui", role=Role.UNIT_ADMIN, unit=tree["area_a"]),
        "unit_admin_b": factories.account(username="wendeng", role=Role.UNIT_ADMIN, unit=tree["area_b"]),
        "leader_a": factories.account(username="leader_a", role=Role.COLLECTIVE, collective=tree["collective_a"]),
        "leader_b": factories.account(username="leader_b", role=Role.COLLECTIVE, collective=tree["collective_b"]),
        "judge": factories.account(username="judge", role=Role.JUDGE, unit=tree["city"]),
    }


@pytest.fixture
def signed_in(client):
    """signed_in(user) -> a test client with that user's session."""

    def _sign_in(user):
        client.force_login(user, backend="wenminghao.accounts.backends.UsernameOrMobileBackend")
        return client

    return _sign_in


@pytest.fixture(scope="session")
def granian_server(tmp_path_factory):
    """The platform served by a real granian process (tests/live_server.py), once per test session."""
    from .live_server import start_live_server

    server, process = start_live_server(tmp_path_factory.mktemp("granian"))
    yield server
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture
def as_(client, world):
    """as_(role) -> the test client signed in as that account of the package's ``world`` (None: signed out)."""

    def _as(role):
        client.logout()
        if role is not None:
            client.force_login(world["accounts"][role], backend=BACKEND)
        return client

    return _as
