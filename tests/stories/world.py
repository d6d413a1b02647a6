"""Fixtures of the stories' tests, imported by them (``from tests.stories.world import world, write``): the conftest
tree and accounts, a delegate of collective_a, an account of collective_sub (under the 街道 sub_a), the admin of the
街道, a campaign of the city, a ledger entry of collective_a and one of collective_b."""

import pytest

from tests import factories
from tests.ledger.conftest import entry_data
from wenminghao.core.roles import Role
from wenminghao.ledger.services import create_entry
from wenminghao.stories.services import create_story

TEXT = "窗口每月第一个周五开展“开放周”活动，邀请群众走进后台，体验办事流程，现场收集意见并当场答复。"


@pytest.fixture
def world(tree, users):
    accounts = {
        **users,
        "delegate_a": factories.account(username="delegate_a", role=Role.COLLECTIVE, collective=tree["collective_a"],
                                        is_delegate=True),
        "leader_sub": factories.account(username="leader_sub", role=Role.COLLECTIVE,
                                        collective=tree["collective_sub"]),
        "unit_admin_sub": factories.account(username="jiedao", role=Role.UNIT_ADMIN, unit=tree["sub_a"]),
    }
    campaign = factories.campaign(office=tree["city"])
    entries = {}
    for area in ("a", "b"):
        collective = tree[f"collective_{area}"]
        data = entry_data("open_week", collective)
        entries[f"entry_{area}"] = create_entry(actor=accounts[f"leader_{area}"], collective=collective,
                                                campaign=campaign, data=data)
    return {**tree, **entries, "campaign": campaign, "accounts": accounts}


@pytest.fixture
def write(world):
    """write(role, **fields) -> a draft written by that account (title and text filled in)."""

    def _write(role="leader_a", **fields):
        fields.setdefault("title", "政务窗口“开放周”让群众看得见")
        fields.setdefault("text", TEXT)
        return create_story(actor=world["accounts"][role], **fields)

    return _write
