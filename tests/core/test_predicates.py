"""Scope by unit subtree: the predicates and the selectors agree, at any depth."""

import pytest

from tests import factories
from wenminghao.campaigns.selectors import campaigns_visible_to, filings_visible_to
from wenminghao.collectives.selectors import collectives_visible_to
from wenminghao.core.roles import Role
from wenminghao.orgs.enums import UnitKind
from wenminghao.orgs.selectors import units_visible_to

pytestmark = pytest.mark.django_db


def test_unit_paths_are_materialized_at_every_depth(tree):
    city, area_a, sub_a = tree["city"], tree["area_a"], tree["sub_a"]
    assert city.path == f"/{city.pk}/"
    assert area_a.path == f"/{city.pk}/{area_a.pk}/"
    assert sub_a.path == f"/{city.pk}/{area_a.pk}/{sub_a.pk}/"
    assert (city.depth, area_a.depth, sub_a.depth) == (0, 1, 2)


def test_unit_admin_sees_its_subtree_including_sub_units(users, tree):
    visible = set(collectives_visible_to(users["unit_admin_a"]))
    assert visible == {tree["collective_a"], tree["collective_sub"]}
    assert set(units_visible_to(users["unit_admin_a"])) == {tree["area_a"], tree["sub_a"]}


def test_city_admin_sees_everything_in_the_city(users, tree):
    assert collectives_visible_to(users["city_admin"]).count() == 3


def test_collective_account_sees_only_itself(users, tree):
    assert list(collectives_visible_to(users["leader_a"])) == [tree["collective_a"]]
    assert list(units_visible_to(users["leader_a"])) == [tree["area_a"]]


def test_judge_sees_no_collectives(users):
    assert collectives_visible_to(users["judge"]).count() == 0


def test_sibling_with_common_id_prefix_is_not_in_scope(db):
    """Paths end with '/', so unit 1 never matches unit 12's path."""
    city = factories.unit(name="市", kind=UnitKind.CITY)
    units = [factories.unit(parent=city, name=f"区{i}") for i in range(12)]
    first = units[0]
    admin = factories.account(role=Role.UNIT_ADMIN, unit=first)
    for unit in units:
        factories.collective(unit=unit)
    assert collectives_visible_to(admin).count() == 1


@pytest.mark.parametrize(
    ("user_key", "perm", "object_key", "allowed"),
    [
        ("city_admin", "collectives.view_collective", "collective_b", True),
        ("unit_admin_a", "collectives.view_collective", "collective_sub", True),
        ("unit_admin_a", "collectives.view_collective", "collective_b", False),
        ("leader_a", "collectives.view_collective", "collective_a", True),
        ("leader_a", "collectives.view_collective", "collective_b", False),
        ("leader_a", "collectives.change_collective", "collective_a", True),
        ("leader_a", "collectives.move_collective", "collective_a", False),
        ("judge", "collectives.view_collective", "collective_a", False),
        ("unit_admin_a", "orgs.change_unit", "area_a", False),
        ("unit_admin_a", "orgs.change_unit", "sub_a", True),
        ("unit_admin_a", "orgs.change_unit", "area_b", False),
        ("city_admin", "orgs.change_unit", "city", True),
        ("unit_admin_a", "campaigns.file_creation", "collective_a", True),
        ("unit_admin_b", "campaigns.file_creation", "collective_a", False),
        ("leader_b", "campaigns.file_creation", "collective_a", False),
    ],
)
def test_permission(users, tree, user_key, perm, object_key, allowed):
    assert users[user_key].has_perm(perm, tree[object_key]) is allowed


def test_campaigns_of_the_office_above_are_visible_to_everyone_below(users, tree):
    campaign = factories.campaign(office=tree["city"])
    other_city = factories.unit(name="烟台市团委", kind=UnitKind.CITY)
    foreign = factories.campaign(office=other_city)
    for key in ("city_admin", "unit_admin_a", "leader_a", "judge"):
        visible = set(campaigns_visible_to(users[key]))
        assert campaign in visible
        assert foreign not in visible


def test_filings_follow_collective_scope(users, tree):
    from wenminghao.campaigns.services import file_creation

    campaign = factories.campaign(office=tree["city"])
    filing = file_creation(actor=users["city_admin"], collective=tree["collective_b"], campaign=campaign)
    assert list(filings_visible_to(users["unit_admin_b"])) == [filing]
    assert list(filings_visible_to(users["leader_b"])) == [filing]
    assert filings_visible_to(users["unit_admin_a"]).count() == 0
    assert filings_visible_to(users["leader_a"]).count() == 0


def test_create_unit_refuses_a_kind_not_allowed_under_the_parent(tree):
    from wenminghao.core.errors import RuleViolationError
    from wenminghao.orgs.services import create_unit

    with pytest.raises(RuleViolationError) as refused:
        create_unit(actor=None, parent=tree["area_a"], name="某市团委", kind=UnitKind.CITY)
    assert refused.value.violations[0].code == "unit.kind"
    assert "环翠区团委（区市团委）之下不能设立市级团委" in refused.value.violations[0].message


def test_unit_tree_rolls_up_counts_whatever_the_row_order(db):
    """A child whose id is lower than its parent's (as after a re-organisation) still rolls up."""
    from wenminghao.orgs.models import Unit
    from wenminghao.orgs.selectors import unit_tree

    city = factories.unit(name="市", kind=UnitKind.CITY)
    parent_pk, child_pk = city.pk + 200_000, city.pk + 100_000  # unused ids, the child's lower
    parent = Unit.objects.create(pk=parent_pk, name="区", kind=UnitKind.AREA, parent=city,
                                 path=f"{city.path}{parent_pk}/", depth=1)
    child = Unit.objects.create(pk=child_pk, name="街道", kind=UnitKind.AREA, parent=parent,
                                path=f"{parent.path}{child_pk}/", depth=2)
    factories.collective(unit=child)
    admin = factories.account(role=Role.CITY_ADMIN, unit=city)
    counts = {unit.name: unit.subtree_collective_count for unit in unit_tree(admin)}
    assert counts == {"市": 1, "区": 1, "街道": 1}
