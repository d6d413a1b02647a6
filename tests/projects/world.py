"""Fixtures of the joint projects' tests (``from tests.projects.world import world, make_project``): the conftest
tree and accounts, a delegate of collective_a, the leader of collective_sub, a third area 荣成市 (area_c) with a
collective and its admin, another city (烟台) with a collective, and a campaign of the city."""

import datetime

import pytest
from django.utils import timezone

from tests import factories
from wenminghao.core.roles import Role
from wenminghao.orgs.enums import UnitKind
from wenminghao.projects.services import create_project


@pytest.fixture
def world(tree, users):
    area_c = factories.unit(parent=tree["city"], name="荣成市团委", kind=UnitKind.AREA)
    collective_c = factories.collective(unit=area_c, name="荣成市政务服务中心窗口", honours=[("district", 2016)])
    other_city = factories.unit(name="烟台市团委", kind=UnitKind.CITY)
    collective_y = factories.collective(unit=other_city, name="烟台市民服务中心窗口", honours=[("district", 2016)])
    accounts = {
        **users,
        "delegate_a": factories.account(username="delegate_a", role=Role.COLLECTIVE, collective=tree["collective_a"],
                                        is_delegate=True),
        "leader_sub": factories.account(username="leader_sub", role=Role.COLLECTIVE,
                                        collective=tree["collective_sub"]),
        "leader_c": factories.account(username="leader_c", role=Role.COLLECTIVE, collective=collective_c),
        "unit_admin_c": factories.account(username="rongcheng", role=Role.UNIT_ADMIN, unit=area_c),
        "unit_admin_sub": factories.account(username="jiedao", role=Role.UNIT_ADMIN, unit=tree["sub_a"]),
        "yantai": factories.account(username="yantai", role=Role.CITY_ADMIN, unit=other_city),
    }
    campaign = factories.campaign(office=tree["city"], year=timezone.localdate().year)
    return {**tree, "area_c": area_c, "collective_c": collective_c, "other_city": other_city,
            "collective_y": collective_y, "campaign": campaign, "accounts": accounts}


@pytest.fixture
def make_project(world):
    """make_project(role="leader_a", **fields) -> a project (collective_a leading, collective_b its partner)."""

    def _make(role="leader_a", **fields):
        fields.setdefault("title", "两区政务服务窗口区域联创")
        fields.setdefault("partners", [world["collective_b"]])
        fields.setdefault("goals", "统一两区窗口服务标准，互派骨干跟岗学习。")
        fields.setdefault("started", timezone.localdate() - datetime.timedelta(days=30))
        return create_project(actor=world["accounts"][role], **fields)

    return _make
