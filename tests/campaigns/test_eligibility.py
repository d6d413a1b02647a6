"""The eligibility rules of the notice, as a table: each rule at, below and above its limit.

The reference date is 2018-08-20; ages are full years (周岁) on that day.
"""

import datetime
from decimal import Decimal

import pytest

from wenminghao.campaigns.eligibility import (
    Conditions,
    HonourFacts,
    MemberFacts,
    age_on,
    evaluate,
    percent,
    rule_labels,
)
from wenminghao.campaigns.eligibility import check_eligibility as check
from wenminghao.collectives.enums import WorkingUnitForm

REFERENCE = datetime.date(2018, 8, 20)
YOUNG = datetime.date(1990, 1, 1)  # 28 on the reference date
OLD = datetime.date(1970, 1, 1)  # 48
LEADER = datetime.date(1985, 1, 1)  # 33


def born_aged(age: int, *, birthday_passed: bool = True) -> datetime.date:
    """A birth date that gives ``age`` full years on the reference date (birthday on it, or the day after)."""
    if birthday_passed:
        return REFERENCE.replace(year=REFERENCE.year - age)
    return (REFERENCE + datetime.timedelta(days=1)).replace(year=REFERENCE.year - age - 1)


def conditions(level="city", year=2018, **fields) -> Conditions:
    return Conditions(level=level, year=year, reference_date=REFERENCE, **fields)


def crew(count: int, *, youth: int | None = None, leader_birth=LEADER) -> list[MemberFacts]:
    """``count`` members including the leader; ``youth`` of them 35 or under (all by default)."""
    youth = count if youth is None else youth
    members = [MemberFacts(leader_birth, True)]
    leader_is_young = age_on(leader_birth, REFERENCE) <= 35
    young_left = youth - (1 if leader_is_young else 0)
    for index in range(count - 1):
        members.append(MemberFacts(YOUNG if index < young_left else OLD, False))
    return members


DISTRICT_2016 = [HonourFacts("district", 2016)]


def codes(violations) -> list[str]:
    return [violation.code for violation in violations]


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (5, ["eligibility.member_count"]),
        (6, []),
        (7, []),
        (199, []),
        (200, []),
        (201, ["eligibility.member_count"]),
    ],
)
def test_member_count_limits(count, expected):
    violations = check(conditions(), members=crew(count), honours=DISTRICT_2016, unit_form=WorkingUnitForm.WINDOW)
    assert codes(violations) == expected


def test_member_count_messages_name_count_and_limit():
    few = check(conditions(), members=crew(5), honours=DISTRICT_2016, unit_form=WorkingUnitForm.WINDOW)
    many = check(conditions(), members=crew(201), honours=DISTRICT_2016, unit_form=WorkingUnitForm.WINDOW)
    assert few[0].message == "集体现有成员5人，应不少于6人"
    assert many[0].message == "集体现有成员201人，应不超过200人"


@pytest.mark.parametrize(
    ("count", "youth", "expected"),
    [
        (10, 4, ["eligibility.youth_share"]),  # 40%
        (10, 5, ["eligibility.youth_share"]),  # exactly 50% is not "more than 50%"
        (10, 6, []),  # 50% + 1 member
        (11, 6, []),  # 54.5%
        (11, 5, ["eligibility.youth_share"]),  # 45.4%
        (6, 6, []),
    ],
)
def test_youth_share_must_exceed_half(count, youth, expected):
    members = crew(count, youth=youth)
    violations = check(conditions(), members=members, honours=DISTRICT_2016, unit_form=WorkingUnitForm.WINDOW)
    assert codes(violations) == expected


def test_youth_share_message_gives_share_limit_and_counts():
    violations = check(
        conditions(), members=crew(10, youth=4), honours=DISTRICT_2016, unit_form=WorkingUnitForm.WINDOW
    )
    assert violations[0].message == "35周岁以下成员占40%，应超过50%（共10人，其中4人）"


@pytest.mark.parametrize(
    ("age", "birthday_passed", "counts_as_youth"),
    [
        (35, True, True),  # 35 on the very day: "35周岁以下" includes 35
        (35, False, True),  # turns 36 the day after the reference date: still 35
        (36, True, False),
        (34, True, True),
    ],
)
def test_youth_age_boundary(age, birthday_passed, counts_as_youth):
    # 6 members: the leader and 2 others young, 2 old, and the one under test: 3/6 = 50% without it.
    birth = born_aged(age, birthday_passed=birthday_passed)
    members = [
        MemberFacts(LEADER, True),
        MemberFacts(YOUNG),
        MemberFacts(YOUNG),
        MemberFacts(OLD),
        MemberFacts(OLD),
        MemberFacts(birth),
    ]
    violations = check(conditions(), members=members, honours=DISTRICT_2016, unit_form=WorkingUnitForm.WINDOW)
    assert ("eligibility.youth_share" not in codes(violations)) is counts_as_youth


@pytest.mark.parametrize(
    ("birth", "expected"),
    [
        (datetime.date(1978, 8, 20), []),  # 40 on the reference date: accepted
        (datetime.date(1977, 8, 21), []),  # turns 41 the day after: still 40
        (datetime.date(1977, 8, 20), ["eligibility.leader_age"]),  # 41 on the day: refused
        (datetime.date(1970, 1, 1), ["eligibility.leader_age"]),
        (datetime.date(1990, 1, 1), []),
    ],
)
def test_leader_age_limit_and_birthday_boundary(birth, expected):
    members = crew(8, leader_birth=birth)
    violations = check(conditions(), members=members, honours=DISTRICT_2016, unit_form=WorkingUnitForm.WINDOW)
    assert codes(violations) == expected


def test_leader_age_message():
    members = crew(8, leader_birth=datetime.date(1977, 8, 20))
    violations = check(conditions(), members=members, honours=DISTRICT_2016, unit_form=WorkingUnitForm.WINDOW)
    assert violations[0].message == "号长年龄为41周岁，应在40周岁以下"


def test_missing_leader_is_refused():
    members = [MemberFacts(YOUNG)] * 8
    violations = check(conditions(), members=members, honours=DISTRICT_2016, unit_form=WorkingUnitForm.WINDOW)
    assert codes(violations) == ["eligibility.leader_missing"]


@pytest.mark.parametrize(
    ("level", "honours", "accepted"),
    [
        ("city", [], False),  # none
        ("city", [HonourFacts("district", 2016)], True),  # the required level
        ("city", [HonourFacts("city", 2015)], True),  # higher
        ("city", [HonourFacts("national", 2010)], True),
        ("city", [HonourFacts("district", 2018)], True),  # in the campaign year
        ("city", [HonourFacts("district", 2019)], False),  # awarded after the campaign year
        ("province", [HonourFacts("district", 2016)], False),  # lower than required
        ("province", [HonourFacts("city", 2017)], True),
        ("province", [HonourFacts("province", 2014)], True),
        ("province", [HonourFacts("city", 2019), HonourFacts("district", 2012)], False),
        ("national", [HonourFacts("city", 2017)], False),
        ("national", [HonourFacts("province", 2016)], True),
        ("district", [], True),  # the first level needs no prior title
    ],
)
def test_prior_honour(level, honours, accepted):
    violations = check(conditions(level=level), members=crew(8), honours=honours, unit_form=WorkingUnitForm.WINDOW)
    assert ("eligibility.prior_honour" not in codes(violations)) is accepted


def test_prior_honour_message_names_both_levels():
    violations = check(conditions(level="province"), members=crew(8), honours=[], unit_form=WorkingUnitForm.WINDOW)
    assert violations[0].message.startswith("创建省级青年文明号须曾获市级（或更高级别）青年文明号称号")


@pytest.mark.parametrize(
    ("unit_form", "required", "accepted"),
    [
        *[(form, True, True) for form in ("window", "team", "workshop", "station", "section")],
        ("other", True, False),
        ("other", False, True),
    ],
)
def test_stable_unit(unit_form, required, accepted):
    violations = check(
        conditions(require_stable_unit=required), members=crew(8), honours=DISTRICT_2016, unit_form=unit_form
    )
    assert ("eligibility.stable_unit" not in codes(violations)) is accepted


def test_every_unmet_rule_is_reported_at_once():
    members = [MemberFacts(OLD, True)] + [MemberFacts(OLD)] * 3 + [MemberFacts(YOUNG)]
    violations = check(conditions(), members=members, honours=[], unit_form=WorkingUnitForm.OTHER)
    assert codes(violations) == [
        "eligibility.prior_honour",
        "eligibility.member_count",
        "eligibility.youth_share",
        "eligibility.leader_age",
        "eligibility.stable_unit",
    ]


def test_configured_conditions_are_applied():
    strict = conditions(min_members=10, max_members=20, min_youth_share=Decimal("0.6"), leader_max_age=30)
    violations = check(strict, members=crew(9, youth=5), honours=DISTRICT_2016, unit_form=WorkingUnitForm.WINDOW)
    assert [v.message for v in violations] == [
        "集体现有成员9人，应不少于10人",
        "35周岁以下成员占55.5%，应超过60%（共9人，其中5人）",
        "号长年龄为33周岁，应在30周岁以下",
    ]


@pytest.mark.parametrize(
    ("share", "text"),
    [(Decimal("0.5"), "50%"), (Decimal(2) / Decimal(3), "66.6%"), (Decimal("0.999"), "99.9%"), (Decimal(0), "0%")],
)
def test_percent_rounds_down(share, text):
    assert percent(share) == text


def test_rule_labels_in_words_for_a_city_campaign():
    labels = [label for _, label in rule_labels(conditions())]
    assert labels == [
        "须曾获区市级（或更高级别）青年文明号称号（2018年及以前获得）",
        "成员6至200人",
        "35周岁以下成员占比超过50%",
        "号长40周岁以下",
        "须为相对稳定的工作单元（窗口、班组、车间、厂站、科室）",
    ]


def test_evaluate_gives_pass_or_fail_per_rule_with_facts():
    members = crew(10, youth=5)
    results = {r.key: r for r in evaluate(conditions(), members=members, honours=DISTRICT_2016, unit_form="team")}
    assert results["prior_honour"].passed and results["prior_honour"].detail == "已获2016年区市级青年文明号称号"
    assert results["member_count"].passed and results["member_count"].detail == "现有成员10人"
    assert not results["youth_share"].passed
    assert results["youth_share"].detail == "35周岁以下成员占50%，应超过50%（共10人，其中5人）"
    assert results["leader"].passed and results["leader"].detail == "号长33周岁"
    assert results["stable_unit"].passed and results["stable_unit"].detail == "工作单元形式：班组"


def test_evaluate_without_members_fails_share_and_leader():
    results = {r.key: r for r in evaluate(conditions(), members=[], honours=DISTRICT_2016, unit_form="team")}
    assert not results["member_count"].passed
    assert not results["youth_share"].passed
    assert not results["leader"].passed
