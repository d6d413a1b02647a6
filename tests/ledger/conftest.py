"""Fixtures of the ledger tests: the shared tree (tests/conftest.py), a city campaign, and makers of entries and
pairings that go through the real services."""

import datetime

import pytest
from django.utils import timezone

from tests import factories
from wenminghao.ledger import services

FAMILY_REF = "371002198765430042"  # a registry number (建档立卡编号) of the tests; masked: **************0042


@pytest.fixture
def campaign(tree):
    return factories.campaign(office=tree["city"], year=timezone.localdate().year)


def entry_data(activity: str, collective, **overrides) -> dict:
    """Valid API-shaped data of an entry of ``activity`` for ``collective`` (members and pairings of its own)."""
    members = list(collective.members.order_by("id"))
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    data = {"activity": activity, "date": yesterday, "title": f"测试{activity}记录", "content": "开展情况说明。"}
    if activity == "benchmark":
        data.update(stage="target", benchmark_against="省级青年文明号·济南市民服务中心", focus="convenience",
                    benefit_kind="social", benefit_value="30", benefit_unit="分钟")
    elif activity == "study":
        data.update(form="micro_lecture", topic="学习党的十九大精神", led_by=members[1].pk,
                    attendees=[member.pk for member in members[:5]])
    elif activity == "families":
        pairing = collective.pairings.filter(state="active").first()
        data.update(pairing=pairing.pk if pairing else None, help_kinds=["companionship", "education"],
                    follow_up=False)
    elif activity == "open_week":
        data.update(shown=["commitment", "supervision_phone", "identity"], visitors=36)
    data.update(overrides)
    return data


def pairing_data(**overrides) -> dict:
    data = {"family_ref": FAMILY_REF, "area": "环翠楼街道", "youth_count": 2, "help_kinds": ["education"],
            "started": (timezone.localdate() - datetime.timedelta(days=200)).isoformat(), "consent": True}
    data.update(overrides)
    return data


@pytest.fixture
def make_pairing(users):
    def make(collective, actor=None, **overrides):
        return services.create_pairing(actor=actor or users["leader_a"], collective=collective,
                                       data=pairing_data(**overrides))

    return make


@pytest.fixture
def make_entry(users, campaign):
    def make(activity, collective, actor=None, **overrides):
        return services.create_entry(actor=actor or users["leader_a"], collective=collective, campaign=campaign,
                                     data=entry_data(activity, collective, **overrides))

    return make
