"""Fixtures of the evaluation tests: the shared tree and accounts (tests/conftest.py), a city campaign of this year
in which collective_a, collective_sub and collective_b are creating (their filings filed, collective_a's accepted),
and the ledger's makers of entries and pairings (tests/ledger/conftest.py)."""

import pytest
from django.utils import timezone

from tests import factories
from tests.ledger.conftest import entry_data, pairing_data  # noqa: F401  (re-exported for the evaluation tests)
from wenminghao.campaigns.services import decide_filing, file_creation
from wenminghao.ledger import services as ledger_services


@pytest.fixture
def campaign(tree):
    return factories.campaign(office=tree["city"], year=timezone.localdate().year)


@pytest.fixture
def filings(tree, users, campaign):
    """One filing per collective of the tree; collective_a's accepted by its unit, the others pending."""
    made = {key: file_creation(actor=users["city_admin"], collective=tree[key], campaign=campaign)
            for key in ("collective_a", "collective_sub", "collective_b")}
    made["collective_a"] = decide_filing(actor=users["unit_admin_a"], filing=made["collective_a"], accept=True)
    return made


@pytest.fixture
def make_entry(users, campaign):
    def make(activity, collective, actor=None, **overrides):
        return ledger_services.create_entry(actor=actor or users["city_admin"], collective=collective,
                                            campaign=campaign, data=entry_data(activity, collective, **overrides))

    return make
