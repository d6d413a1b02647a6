"""The notices' reads: who sees which notice (``notices_visible_to``: the collectives it reached, the sender's unit and
those above it, the units below that it reached; nobody else), a collective's list with its unread ones first, the
workbench's unread notices, the receipt counts per unit and the receipt lists."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories
from wenminghao.core.roles import Role
from wenminghao.notices.selectors import (
    notice_list,
    notices_visible_to,
    receipt_list,
    receipt_of,
    receipt_totals,
    receipts_by_unit,
    unread_notices,
)
from wenminghao.notices.services import confirm_read, publish_notice, reply_to_notice

pytestmark = pytest.mark.django_db


@pytest.fixture
def notices(world, publish):
    """Six notices, by key:

    - all: the city to every collective;    - service: the city to the 服务行业 collectives (not collective_p);
    - to_b: the city to 文登区's units only; - campaign: the city to the campaign's creating collectives (a, b);
    - huancui: 环翠区 to its subtree;       - jiedao: the 街道 (sub_a) to its own;
    - forward: 环翠区's forward of "all" to its subtree."""
    units = {"to_b": [world["area_b"]]}
    made = {
        "all": publish(title="全市通知"),
        "service": publish(title="服务行业通知", sectors=["service"]),
        "to_b": publish(title="文登区通知", units=units["to_b"]),
        "campaign": publish(title="创建集体通知", campaign=world["campaign"]),
        "huancui": publish("unit_admin_a", title="环翠区通知"),
        "jiedao": publish("unit_admin_sub", title="街道通知"),
    }
    made["forward"] = publish_notice(actor=world["accounts"]["unit_admin_a"], title="环翠区转发全市通知",
                                     body="环翠区的执行规范。", forwarded_from=made["all"])
    return made


def keys(notices, queryset) -> list[str]:
    by_pk = {notice.pk: key for key, notice in notices.items()}
    return sorted(by_pk[notice.pk] for notice in queryset)


EVERY = ["all", "campaign", "forward", "huancui", "jiedao", "service", "to_b"]

# (account, the notices it sees)
VISIBLE = [
    ("city_admin", EVERY),  # everything sent in its subtree
    ("unit_admin_a", ["all", "campaign", "forward", "huancui", "jiedao", "service"]),  # not 文登区's alone
    ("unit_admin_b", ["all", "campaign", "service", "to_b"]),  # nothing 环翠区 sent
    ("unit_admin_sub", ["all", "forward", "huancui", "jiedao", "service"]),  # its returned filing: not "campaign"
    ("leader_a", ["all", "campaign", "forward", "huancui", "service"]),
    ("delegate_a", ["all", "campaign", "forward", "huancui", "service"]),
    ("leader_sub", ["all", "forward", "huancui", "jiedao", "service"]),
    ("leader_b", ["all", "campaign", "service", "to_b"]),
    ("leader_p", ["all", "to_b"]),  # a production collective: not the 服务行业's
    ("judge", []),
]


@pytest.mark.parametrize(("role", "expected"), VISIBLE)
def test_who_sees_which_notice(world, notices, role, expected):
    assert keys(notices, notices_visible_to(world["accounts"][role])) == expected
    assert keys(notices, notice_list(world["accounts"][role])) == expected


def test_nobody_signed_out_or_without_a_place_sees_any(world, notices):
    assert list(notices_visible_to(AnonymousUser())) == []
    assert list(notice_list(AnonymousUser())) == []
    homeless = factories.account(username="nowhere", role=Role.JUDGE, unit=None)
    assert list(notices_visible_to(homeless)) == []


def test_a_unit_the_notices_did_not_reach_and_did_not_send_sees_none(world, notices):
    outsider = factories.unit(parent=world["city"], name="荣成市团委")
    admin = factories.account(username="rongcheng", role=Role.UNIT_ADMIN, unit=outsider)
    assert list(notices_visible_to(admin)) == []  # no collective of its own: nothing reached it
    factories.collective(unit=outsider, name="荣成市人民医院儿科")
    assert list(notices_visible_to(admin)) == []  # receipts are written when a notice is published, not later


def test_a_collective_sees_its_unread_notices_first_each_with_whether_it_has_read_it(world, notices):
    leader = world["accounts"]["leader_a"]
    confirm_read(actor=leader, notice=notices["forward"])
    confirm_read(actor=leader, notice=notices["service"])
    rows = list(notice_list(leader))
    assert [(row.title, row.read) for row in rows] == [
        ("环翠区通知", False), ("创建集体通知", False), ("全市通知", False),
        ("环翠区转发全市通知", True), ("服务行业通知", True)]
    assert [row.title for row in notice_list(leader, unread_only=True)] == ["环翠区通知", "创建集体通知", "全市通知"]
    # the same collective's delegate sees the same state
    assert [row.read for row in notice_list(world["accounts"]["delegate_a"])] == [False, False, False, True, True]


def test_the_list_searches_titles_and_bodies(world, notices):
    leader = world["accounts"]["leader_a"]
    assert [row.title for row in notice_list(leader, search="环翠区")] == ["环翠区转发全市通知", "环翠区通知"]
    assert [row.title for row in notice_list(leader, search="执行规范")] == ["环翠区转发全市通知"]
    assert [row.title for row in notice_list(world["accounts"]["leader_b"], search="环翠区")] == []


def test_an_admins_list_is_newest_first_without_a_read_state(world, notices):
    rows = list(notice_list(world["accounts"]["unit_admin_b"]))
    assert [row.title for row in rows] == ["创建集体通知", "文登区通知", "服务行业通知", "全市通知"]
    assert not any(hasattr(row, "read") for row in rows)


def test_the_workbench_shows_a_collectives_unread_notices_newest_first_in_one_query(world, notices):
    leader = world["accounts"]["leader_sub"]
    confirm_read(actor=leader, notice=notices["jiedao"])
    with CaptureQueriesContext(connection) as captured:
        unread = unread_notices(leader, limit=3)
        [(row.sender_unit.name, row.forwarded_from_id) for row in unread]
    assert len(captured) == 1
    assert [row.title for row in unread] == ["环翠区转发全市通知", "环翠区通知", "服务行业通知"]
    assert [row.title for row in unread_notices(leader)] == ["环翠区转发全市通知", "环翠区通知", "服务行业通知",
                                                             "全市通知"]
    for role in ("city_admin", "unit_admin_a", "judge"):
        assert unread_notices(world["accounts"][role]) == []
    assert unread_notices(AnonymousUser()) == []


def test_a_collectives_receipt_of_a_notice(world, notices):
    leader = world["accounts"]["leader_a"]
    receipt = receipt_of(leader, notices["all"])
    assert receipt.collective == world["collective_a"] and receipt.read_at is None
    assert receipt_of(leader, notices["to_b"]) is None
    assert receipt_of(world["accounts"]["city_admin"], notices["all"]) is None
    assert receipt_of(AnonymousUser(), notices["all"]) is None


@pytest.fixture
def answered(world, publish):
    """The city's notice asking for a reply to every collective: collective_a replied, collective_b read it."""
    notice = publish(title="请报送开放周安排", asks_reply=True)
    reply_to_notice(actor=world["accounts"]["delegate_a"], notice=notice, text="9月第一周。")
    confirm_read(actor=world["accounts"]["leader_b"], notice=notice)
    return notice


def test_the_receipt_totals_of_a_notice(answered):
    assert receipt_totals(answered) == {"total": 4, "read": 2, "unread": 2, "replied": 1}


def test_the_receipts_per_unit_in_one_query(world, answered):
    with CaptureQueriesContext(connection) as captured:
        rows = list(receipts_by_unit(answered))
    assert len(captured) == 1
    assert [(row["unit__name"], row["total"], row["read"], row["replied"]) for row in rows] == [
        ("环翠区团委", 1, 1, 1), ("环翠楼街道团委", 1, 0, 0), ("文登区团委", 2, 1, 0)]
    assert [row["unit_path"] for row in rows] == sorted(row["unit_path"] for row in rows)


# (state, unit, the collectives listed, in order)
RECEIPTS = [
    ("", None, ["环翠区政务服务中心窗口", "环翠楼社区服务站", "文登区供电所", "文登区曲轴车间"]),
    ("read", None, ["环翠区政务服务中心窗口", "文登区供电所"]),
    ("unread", None, ["环翠楼社区服务站", "文登区曲轴车间"]),
    ("replied", None, ["环翠区政务服务中心窗口"]),
    ("", "area_a", ["环翠区政务服务中心窗口", "环翠楼社区服务站"]),  # the 街道 included
    ("unread", "area_a", ["环翠楼社区服务站"]),
    ("", "sub_a", ["环翠楼社区服务站"]),
    ("read", "area_b", ["文登区供电所"]),
    ("bogus", None, ["环翠区政务服务中心窗口", "环翠楼社区服务站", "文登区供电所", "文登区曲轴车间"]),  # all
]


@pytest.mark.parametrize(("state", "unit", "expected"), RECEIPTS)
def test_the_receipt_list_by_state_and_unit(world, answered, state, unit, expected):
    rows = receipt_list(answered, state=state, unit=world[unit] if unit else None)
    assert [row.collective.name for row in rows] == expected


def test_the_receipt_list_is_one_query_whatever_its_length(world, answered):
    with CaptureQueriesContext(connection) as captured:
        rows = [(row.collective.name, row.unit.name, getattr(row.read_by, "username", None))
                for row in receipt_list(answered)]
    assert len(captured) == 1
    assert rows[0] == ("环翠区政务服务中心窗口", "环翠区团委", "delegate_a")
