"""Who may do what to a field inspection (evaluation/rules.py) and which moves of its rectification are allowed
(services.inspections.RECTIFICATION_TRANSITIONS), as tables."""

import datetime
import itertools

import pytest
from django.utils import timezone

from tests import factories
from tests.evaluation.test_inspections_services import inspection_data
from wenminghao.core.errors import NotPermitted, RuleViolationError
from wenminghao.core.roles import Role
from wenminghao.evaluation.enums import RectificationState
from wenminghao.evaluation.models import Inspection
from wenminghao.evaluation.services.inspections import (
    RECTIFICATION_TRANSITIONS,
    change_rectification,
    moves_for,
    record_inspection,
)

ASKED, ANSWERED, ACCEPTED, NONE = "asked", "answered", "accepted", "none"


@pytest.fixture
def people(tree, users):
    return {
        **users,
        "delegate_a": factories.account(username="delegate_a", role=Role.COLLECTIVE,
                                        collective=tree["collective_a"], is_delegate=True),
        "colleague_a": factories.account(username="colleague_a", role=Role.UNIT_ADMIN, unit=tree["area_a"]),
        "admin_sub": factories.account(username="jingyuan", role=Role.UNIT_ADMIN, unit=tree["sub_a"]),
    }


@pytest.fixture
def inspections(tree, users, campaign):
    """by_city_a: the city's inspection of collective_a (a rectification asked); by_area_a: area_a's of collective_a;
    by_area_b: area_b's of collective_b (no rectification)."""
    return {
        "by_city_a": record_inspection(actor=users["city_admin"], collective=tree["collective_a"],
                                       data=inspection_data(campaign)),
        "by_area_a": record_inspection(actor=users["unit_admin_a"], collective=tree["collective_a"],
                                       data=inspection_data(campaign)),
        "by_area_b": record_inspection(actor=users["unit_admin_b"], collective=tree["collective_b"],
                                       data=inspection_data(campaign, rating="good", rectification="",
                                                            rectify_by="", checks={"ledger": "in_order"})),
    }


ROLES = ("city_admin", "unit_admin_a", "colleague_a", "admin_sub", "unit_admin_b", "leader_a", "delegate_a",
         "leader_b", "judge")
#                                              city  ua    colleague sub  ub     leader_a deleg  leader_b judge
RULES = [
    ("evaluation.view_inspection", "by_city_a", (True, True, True, False, False, True, True, False, False)),
    ("evaluation.view_inspection", "by_area_b", (True, False, False, False, True, False, False, True, False)),
    ("evaluation.answer_rectification", "by_city_a", (False, False, False, False, False, True, True, False, False)),
    ("evaluation.answer_rectification", "by_area_b", (False, False, False, False, False, False, False, True, False)),
    # the inspecting unit or a unit above it decides: area_a does not judge the city's inspection
    ("evaluation.decide_rectification", "by_city_a", (True, False, False, False, False, False, False, False, False)),
    ("evaluation.decide_rectification", "by_area_a", (True, True, True, False, False, False, False, False, False)),
    ("evaluation.decide_rectification", "by_area_b", (True, False, False, False, True, False, False, False, False)),
]
COLLECTIVE_RULES = [
    ("evaluation.add_inspection", "collective_a", (True, True, True, False, False, False, False, False, False)),
    ("evaluation.add_inspection", "collective_sub", (True, True, True, True, False, False, False, False, False)),
    ("evaluation.view_collective_inspections", "collective_a",
     (True, True, True, False, False, True, True, False, False)),
]


@pytest.mark.parametrize(("perm", "key", "expected"), RULES, ids=[f"{p}-{k}" for p, k, _ in RULES])
def test_who_may_do_what_to_an_inspection(perm, key, expected, people, inspections):
    inspection = Inspection.objects.select_related("collective__unit", "unit").get(pk=inspections[key].pk)
    assert tuple(people[role].has_perm(perm, inspection) for role in ROLES) == expected


@pytest.mark.parametrize(("perm", "key", "expected"), COLLECTIVE_RULES,
                         ids=[f"{p}-{k}" for p, k, _ in COLLECTIVE_RULES])
def test_who_may_record_and_see_a_collectives_inspections(perm, key, expected, people, tree):
    assert tuple(people[role].has_perm(perm, tree[key]) for role in ROLES) == expected


def test_the_list_is_for_admins_and_collectives(people):
    allowed = {role for role in ROLES if people[role].has_perm("evaluation.list_inspections")}
    assert allowed == set(ROLES) - {"judge"}


# --- the transition table ------------------------------------------------------------------------------------

def test_the_table_allows_exactly_answer_accept_and_ask_again():
    assert {key: move.action for key, move in RECTIFICATION_TRANSITIONS.items()} == {
        (ASKED, ANSWERED): "inspection.respond",
        (ANSWERED, ACCEPTED): "inspection.accept",
        (ANSWERED, ASKED): "inspection.reopen",
    }


MOVE_ACTORS = {ANSWERED: "leader_a", ACCEPTED: "city_admin", ASKED: "city_admin"}
PAIRS = list(itertools.product(RectificationState.values, (ANSWERED, ACCEPTED, ASKED)))


@pytest.mark.parametrize(("source", "target"), PAIRS, ids=[f"{s}->{t}" for s, t in PAIRS])
def test_every_move_is_allowed_exactly_when_the_table_has_it(source, target, people, inspections):
    inspection = inspections["by_city_a"]
    Inspection.objects.filter(pk=inspection.pk).update(rectification_state=source)
    inspection.refresh_from_db()
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    move = lambda: change_rectification(  # noqa: E731
        actor=people[MOVE_ACTORS[target]], inspection=inspection, to_state=target, response="已更换公示牌。",
        comment="公示牌位置不醒目。", rectify_by=tomorrow)
    if (source, target) in RECTIFICATION_TRANSITIONS:
        assert move().rectification_state == target
    else:
        with pytest.raises(RuleViolationError) as raised:
            move()
        assert [violation.code for violation in raised.value.violations] == ["inspection.state"]
        inspection.refresh_from_db()
        assert inspection.rectification_state == source


@pytest.mark.parametrize(("target", "role"), [
    (ANSWERED, "city_admin"), (ANSWERED, "leader_b"), (ACCEPTED, "leader_a"), (ACCEPTED, "unit_admin_a"),
    (ASKED, "delegate_a"), (ASKED, "unit_admin_b")])
def test_a_move_by_someone_the_rules_do_not_name_is_refused(target, role, people, inspections):
    inspection = inspections["by_city_a"]
    Inspection.objects.filter(pk=inspection.pk).update(
        rectification_state=ASKED if target == ANSWERED else ANSWERED)
    inspection.refresh_from_db()
    with pytest.raises(NotPermitted):
        change_rectification(actor=people[role], inspection=inspection, to_state=target, response="x", comment="x",
                             rectify_by=timezone.localdate())


@pytest.mark.parametrize(("state", "role", "offered"), [
    (ASKED, "leader_a", {ANSWERED}), (ASKED, "delegate_a", {ANSWERED}), (ASKED, "city_admin", set()),
    (ANSWERED, "leader_a", set()), (ANSWERED, "city_admin", {ACCEPTED, ASKED}), (ANSWERED, "unit_admin_a", set()),
    (ACCEPTED, "city_admin", set()), (NONE, "leader_a", set())])
def test_a_page_offers_the_moves_of_the_table_the_user_may_make(state, role, offered, people, inspections):
    inspection = inspections["by_city_a"]
    inspection.rectification_state = state
    assert set(moves_for(people[role], inspection)) == offered
