"""Fixtures of the notices' service and selector tests, imported by them (``from tests.notices.world import
publish, world``): the conftest tree and accounts, a delegate of collective_a, an account of collective_sub, the
admin of the 街道 (sub_a), a production-sector collective of 文登区 (collective_p), and a campaign of the city with
filings (collective_a accepted, collective_b pending, collective_sub returned)."""

import pytest

from tests import factories
from wenminghao.campaigns.enums import FilingStatus
from wenminghao.campaigns.models import CreationFiling
from wenminghao.collectives.enums import Sector
from wenminghao.core.roles import Role
from wenminghao.notices.services import publish_notice


@pytest.fixture
def world(tree, users):
    collective_p = factories.collective(unit=tree["area_b"], name="文登区曲轴车间", sector=Sector.PRODUCTION,
                                        honours=[("district", 2016)])
    accounts = {
        **users,
        "delegate_a": factories.account(username="delegate_a", role=Role.COLLECTIVE, collective=tree["collective_a"],
                                        is_delegate=True),
        "leader_sub": factories.account(username="leader_sub", role=Role.COLLECTIVE,
                                        collective=tree["collective_sub"]),
        "leader_p": factories.account(username="leader_p", role=Role.COLLECTIVE, collective=collective_p),
        "unit_admin_sub": factories.account(username="jiedao", role=Role.UNIT_ADMIN, unit=tree["sub_a"]),
    }
    campaign = factories.campaign(office=tree["city"])
    for collective, status in ((tree["collective_a"], FilingStatus.ACCEPTED),
                               (tree["collective_b"], FilingStatus.PENDING),
                               (tree["collective_sub"], FilingStatus.RETURNED)):
        CreationFiling.objects.create(campaign=campaign, collective=collective, status=status,
                                      filed_by=users["city_admin"])
    return {**tree, "collective_p": collective_p, "campaign": campaign, "accounts": accounts}


@pytest.fixture
def publish(world):
    """publish(role, **fields) -> a notice published by that account (title and body filled in)."""

    def _publish(role="city_admin", **fields):
        fields.setdefault("title", "关于做好青年文明号创建工作的通知")
        fields.setdefault("body", "请各集体认真学习通知精神，按时报送创建材料。")
        return publish_notice(actor=world["accounts"][role], **fields)

    return _publish
