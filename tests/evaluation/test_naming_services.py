"""Naming (命名) and a title's life (复核, 警告提醒, 撤销称号) through the services: what each writes, audits and tells,
and every rule it refuses with (nothing written then)."""

import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from tests import factories
from wenminghao import settings as project_settings
from wenminghao.campaigns.services import decide_filing, file_creation
from wenminghao.collectives.enums import HonourState
from wenminghao.collectives.models import Honour
from wenminghao.core.errors import NotPermitted, RuleViolationError
from wenminghao.core.models import AuditEntry, Notification
from wenminghao.core.roles import Role
from wenminghao.evaluation.enums import ReviewResult, TitleEventKind
from wenminghao.evaluation.models import Inspection, Naming, TitleEvent
from wenminghao.evaluation.services import naming as services
from wenminghao.orgs.enums import UnitKind
from wenminghao.orgs.models import Unit


def codes(error: RuleViolationError) -> list[str]:
    return [violation.code for violation in error.violations]


@pytest.fixture
def named(users, campaign, filings, tree):
    """collective_a (accepted) named in the campaign by the city."""
    return services.name_collectives(actor=users["city_admin"], campaign=campaign, collectives=[tree["collective_a"]])


# --- the title a naming writes ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "kind", "place"), [
    ("威海市团委", UnitKind.CITY, "威海市"),
    ("共青团威海市委员会", UnitKind.CITY, "威海市"),
    ("共青团威海市委", UnitKind.CITY, "威海市"),
    ("山东省团委", UnitKind.PROVINCE, "山东省"),
    ("共青团山东省委", UnitKind.PROVINCE, "山东省"),
    ("威海团市委", UnitKind.CITY, "威海市"),
    ("共青团中央", UnitKind.NATIONAL, "全国"),
    ("团委", UnitKind.CITY, "团委"),  # nothing left to name: the name as it is
])
def test_place_name_of_an_office(name, kind, place):
    assert services.place_name(Unit(name=name, kind=kind)) == place


@pytest.mark.parametrize(("text", "expected"), [
    ("", {"district": 3, "city": 3, "province": 3, "national": 5}),
    ("city=5", {"district": 3, "city": 5, "province": 3, "national": 5}),
    (" district = 2 , national=0 ", {"district": 2, "city": 3, "province": 3, "national": 0}),
])
def test_term_setting_is_read_per_level_with_defaults(text, expected):
    assert project_settings._title_terms(text) == expected


@pytest.mark.parametrize("text", ["city", "city=three", "town=3", "city=-1", "city=99"])
def test_a_malformed_term_setting_stops_start_up_with_a_clear_message(text):
    with pytest.raises(ImproperlyConfigured, match="WMH_TITLE_TERM_YEARS"):
        project_settings._title_terms(text)


@pytest.mark.parametrize(("terms", "level", "year", "until"), [
    ({"city": 3}, "city", 2027, datetime.date(2030, 12, 31)),
    ({"national": 5}, "national", 2018, datetime.date(2023, 12, 31)),
    ({"city": 0}, "city", 2027, None),  # no term: valid until revoked
])
def test_term_end_is_31_december_of_year_plus_term(settings, terms, level, year, until):
    settings.WMH_TITLE_TERM_YEARS = {**settings.WMH_TITLE_TERM_YEARS, **terms}
    assert services.term_end(level, year) == until


# --- naming ------------------------------------------------------------------------------------------------------


def test_naming_writes_the_honour_the_naming_the_audit_and_the_notifications(users, campaign, filings, tree):
    leader = users["leader_a"]
    namings = services.name_collectives(actor=users["city_admin"], campaign=campaign,
                                        collectives=[tree["collective_a"]])
    assert len(namings) == 1
    honour = namings[0].honour
    assert (honour.collective, honour.level, honour.year) == (tree["collective_a"], "city", campaign.year)
    assert honour.title == f"{campaign.year}年度威海市青年文明号"
    assert honour.awarded_by == tree["city"] and honour.is_named
    assert honour.valid_until == datetime.date(campaign.year + 3, 12, 31)
    assert honour.state_on(timezone.localdate()) == HonourState.VALID
    naming = Naming.objects.get(campaign=campaign, collective=tree["collective_a"])
    assert (naming.honour, naming.named_by) == (honour, users["city_admin"])
    audit = AuditEntry.objects.get(action="naming.create")
    assert audit.after["title"] == honour.title and audit.unit_path == tree["area_a"].path
    told = set(Notification.objects.filter(message__contains=honour.title).values_list("recipient__username",
                                                                                      flat=True))
    assert told == {leader.username, users["unit_admin_a"].username}  # the collective and its unit, nobody else
    assert Notification.objects.get(recipient=leader).link == f"/evaluation/titles/{honour.pk}/"


def test_every_collective_without_an_accepted_filing_is_listed_and_nothing_is_written(users, campaign, filings, tree):
    no_filing = factories.collective(unit=tree["area_b"], name="未报备的集体")
    returned = factories.collective(unit=tree["area_b"], name="被退回的集体", honours=[("district", 2016)])
    filing = file_creation(actor=users["city_admin"], collective=returned, campaign=campaign)
    decide_filing(actor=users["unit_admin_b"], filing=filing, accept=False, comment="请补充材料")
    chosen = [tree["collective_a"], tree["collective_sub"], no_filing, returned]
    with pytest.raises(RuleViolationError) as caught:
        services.name_collectives(actor=users["city_admin"], campaign=campaign, collectives=chosen)
    assert codes(caught.value) == ["naming.not_creating"] * 3
    messages = " ".join(v.message for v in caught.value.violations)
    assert "环翠楼社区服务站”的创建报备状态为“待归口单位审核”" in messages
    assert "未报备的集体”未报备创建该活动" in messages and "被退回的集体”的创建报备状态为“已退回”" in messages
    assert not Honour.objects.filter(awarded_by__isnull=False).exists()
    assert not Naming.objects.exists() and not AuditEntry.objects.filter(action="naming.create").exists()


def test_a_collective_already_named_in_the_campaign_is_refused(users, campaign, filings, tree, named):
    decide_filing(actor=users["unit_admin_b"], filing=filings["collective_b"], accept=True)
    with pytest.raises(RuleViolationError) as caught:
        services.name_collectives(actor=users["city_admin"], campaign=campaign,
                                  collectives=[tree["collective_a"], tree["collective_b"]])
    assert codes(caught.value) == ["naming.already_named"]
    assert "环翠区政务服务中心窗口”已于" in caught.value.violations[0].message
    assert Naming.objects.count() == 1  # collective_b was not named either


def test_naming_nobody_is_refused(users, campaign):
    with pytest.raises(RuleViolationError) as caught:
        services.name_collectives(actor=users["city_admin"], campaign=campaign, collectives=[])
    assert codes(caught.value) == ["naming.empty"]


@pytest.fixture
def province_world(db):
    """山东省团委 → 威海市团委 → 环翠区团委 with one collective whose filing of the city's campaign was accepted, and an
    admin of each office, of the area, and of another city."""
    province = factories.unit(name="山东省团委", kind=UnitKind.PROVINCE)
    city = factories.unit(parent=province, name="威海市团委", kind=UnitKind.CITY)
    area = factories.unit(parent=city, name="环翠区团委", kind=UnitKind.AREA)
    other = factories.unit(parent=province, name="烟台市团委", kind=UnitKind.CITY)
    collective = factories.collective(unit=area, honours=[("district", 2016)])
    people = {
        "province_admin": factories.account(role=Role.CITY_ADMIN, unit=province),
        "city_admin": factories.account(role=Role.CITY_ADMIN, unit=city),
        "other_city_admin": factories.account(role=Role.CITY_ADMIN, unit=other),
        "area_admin": factories.account(role=Role.UNIT_ADMIN, unit=area),
        "leader": factories.account(role=Role.COLLECTIVE, collective=collective),
        "judge": factories.account(role=Role.JUDGE, unit=city),
    }
    campaign = factories.campaign(office=city)
    filing = file_creation(actor=people["leader"], collective=collective, campaign=campaign)
    decide_filing(actor=people["area_admin"], filing=filing, accept=True)
    return {"campaign": campaign, "collective": collective, **people}


@pytest.mark.parametrize(("actor", "allowed"), [
    ("city_admin", True), ("province_admin", True), ("other_city_admin", False), ("area_admin", False),
    ("leader", False), ("judge", False),
])
def test_only_the_office_running_the_campaign_or_above_names(province_world, actor, allowed):
    world = province_world
    if allowed:
        named = services.name_collectives(actor=world[actor], campaign=world["campaign"],
                                          collectives=[world["collective"]])
        assert named[0].honour.awarded_by == world["campaign"].office  # the office running it, whoever decided
        assert named[0].honour.title.endswith("年度威海市青年文明号")
    else:
        with pytest.raises(NotPermitted):
            services.name_collectives(actor=world[actor], campaign=world["campaign"],
                                      collectives=[world["collective"]])
        assert not Naming.objects.exists()


@pytest.mark.parametrize(("actor", "allowed"), [
    ("city_admin", True), ("province_admin", True), ("other_city_admin", False), ("area_admin", False),
    ("leader", False), ("judge", False),
])
def test_a_named_title_is_managed_by_the_office_that_named_it_or_above(province_world, actor, allowed):
    world = province_world
    honour = services.name_collectives(actor=world["city_admin"], campaign=world["campaign"],
                                       collectives=[world["collective"]])[0].honour
    if allowed:
        services.revoke_honour(actor=world[actor], honour=honour, reason="经核实的群众投诉")
        assert Honour.objects.get(pk=honour.pk).revoked_at is not None
    else:
        with pytest.raises(NotPermitted):
            services.revoke_honour(actor=world[actor], honour=honour, reason="经核实的群众投诉")


# --- revocation --------------------------------------------------------------------------------------------------


def test_revocation_writes_the_state_the_event_the_audit_and_tells_the_collective_and_its_unit(users, named):
    honour = named[0].honour
    Notification.objects.all().delete()
    services.revoke_honour(actor=users["city_admin"], honour=honour, reason="经核实的群众投诉：服务态度恶劣")
    honour.refresh_from_db()
    assert honour.state_on(timezone.localdate()) == HonourState.REVOKED
    assert (honour.revoked_by, honour.revoked_reason) == (users["city_admin"], "经核实的群众投诉：服务态度恶劣")
    event = TitleEvent.objects.get(honour=honour)
    assert (event.kind, event.actor, event.unit) == (TitleEventKind.REVOCATION, users["city_admin"],
                                                     users["city_admin"].unit)
    assert AuditEntry.objects.get(action="honour.revoke").object_id == str(honour.pk)
    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {"leader_a", "huancui"}
    assert "撤销" in Notification.objects.first().message


@pytest.mark.parametrize(("reason", "code"), [("", "honour.reason_required"), ("   ", "honour.reason_required"),
                                              ("理" * 501, "honour.reason_too_long")])
def test_revocation_needs_a_reason(users, named, reason, code):
    with pytest.raises(RuleViolationError) as caught:
        services.revoke_honour(actor=users["city_admin"], honour=named[0].honour, reason=reason)
    assert codes(caught.value) == [code]
    assert Honour.objects.get(pk=named[0].honour.pk).revoked_at is None


def test_a_revoked_title_is_not_revoked_warned_or_reviewed_again(users, named):
    honour = named[0].honour
    services.revoke_honour(actor=users["city_admin"], honour=honour, reason="实地考察不合格")
    actions = [
        lambda: services.revoke_honour(actor=users["city_admin"], honour=honour, reason="再次撤销"),
        lambda: services.warn_honour(actor=users["city_admin"], honour=honour, reason="台账不全",
                                     fix_by=timezone.localdate() + datetime.timedelta(days=30)),
        lambda: services.review_honour(actor=users["city_admin"], honour=honour, year=timezone.localdate().year,
                                       result=ReviewResult.PASSED, reason="台账齐全"),
    ]
    for action in actions:
        with pytest.raises(RuleViolationError) as caught:
            action()
        assert codes(caught.value) == ["honour.revoked"]
        message = caught.value.violations[0].message
        assert "已于" in message and "撤销（理由：实地考察不合格）" in message
    assert TitleEvent.objects.count() == 1
    with pytest.raises(RuleViolationError) as caught:  # every rule at once: the title and the missing reason
        services.revoke_honour(actor=users["city_admin"], honour=honour, reason=" ")
    assert codes(caught.value) == ["honour.revoked", "honour.reason_required"]


def test_a_title_typed_in_by_hand_is_managed_by_an_office_admin_above_the_collective(users, tree):
    typed = tree["collective_a"].honours.get()  # the district title of the fixtures, no naming
    for actor in ("unit_admin_a", "leader_a", "judge"):
        with pytest.raises(NotPermitted):
            services.revoke_honour(actor=users[actor], honour=typed, reason="投诉属实")
    services.revoke_honour(actor=users["city_admin"], honour=typed, reason="投诉属实")
    assert Honour.objects.get(pk=typed.pk).revoked_at is not None


# --- warnings and reviews ----------------------------------------------------------------------------------------


def test_a_warning_needs_a_reason_and_a_period_in_the_future_and_its_own_collectives_inspection(users, named, tree,
                                                                                               campaign):
    honour = named[0].honour
    today = timezone.localdate()
    other = Inspection.objects.create(campaign=campaign, collective=tree["collective_b"], unit=tree["city"],
                                      date=today, inspectors="王", findings="—", rating="fail",
                                      created_by=users["city_admin"])
    with pytest.raises(RuleViolationError) as caught:
        services.warn_honour(actor=users["city_admin"], honour=honour, reason=" ", fix_by=today, inspection=other)
    assert codes(caught.value) == ["honour.reason_required", "honour.fix_by_past", "honour.inspection"]
    with pytest.raises(RuleViolationError) as caught:
        services.warn_honour(actor=users["city_admin"], honour=honour, reason="监督电话未公示", fix_by=None)
    assert codes(caught.value) == ["honour.fix_by_required"]
    own = Inspection.objects.create(campaign=campaign, collective=tree["collective_a"], unit=tree["city"],
                                    date=today, inspectors="王", findings="监督电话未上墙", rating="pass",
                                    created_by=users["city_admin"])
    event = services.warn_honour(actor=users["city_admin"], honour=honour, reason="监督电话未公示",
                                 fix_by=today + datetime.timedelta(days=30), inspection=own)
    assert (event.kind, event.fix_by, event.inspection) == (TitleEventKind.WARNING,
                                                            today + datetime.timedelta(days=30), own)
    assert AuditEntry.objects.filter(action="honour.warn", object_id=str(honour.pk)).count() == 1
    assert Notification.objects.filter(recipient=users["leader_a"], message__contains="警告提醒").exists()


def test_an_expired_title_is_neither_warned_nor_reviewed(users, named):
    honour = named[0].honour
    Honour.objects.filter(pk=honour.pk).update(valid_until=timezone.localdate() - datetime.timedelta(days=1))
    with pytest.raises(RuleViolationError) as caught:
        services.warn_honour(actor=users["city_admin"], honour=honour, reason="台账不全",
                             fix_by=timezone.localdate() + datetime.timedelta(days=10))
    assert codes(caught.value) == ["honour.expired"]
    with pytest.raises(RuleViolationError) as caught:
        services.review_honour(actor=users["city_admin"], honour=honour, year=timezone.localdate().year,
                               result=ReviewResult.PASSED, reason="台账齐全")
    assert codes(caught.value) == ["honour.expired"]


def test_a_title_is_reviewed_once_a_year_within_its_years(users, named):
    honour = named[0].honour
    this_year = timezone.localdate().year
    event = services.review_honour(actor=users["city_admin"], honour=honour, year=this_year,
                                   result=ReviewResult.PASSED, reason="台账齐全，标识上墙")
    assert (event.kind, event.year, event.result) == (TitleEventKind.REVIEW, this_year, ReviewResult.PASSED)
    with pytest.raises(RuleViolationError) as caught:
        services.review_honour(actor=users["city_admin"], honour=honour, year=this_year,
                               result=ReviewResult.FAILED, reason="再看一次")
    assert codes(caught.value) == ["honour.review_exists"]
    assert f"该称号{this_year}年度已于" in caught.value.violations[0].message
    with pytest.raises(RuleViolationError) as caught:
        services.review_honour(actor=users["city_admin"], honour=honour, year=honour.year - 1, result="", reason="")
    assert codes(caught.value) == ["honour.review_year", "honour.review_result", "honour.reason_required"]
    assert AuditEntry.objects.filter(action="honour.review").count() == 1


@pytest.mark.parametrize("actor", ["unit_admin_a", "unit_admin_b", "leader_a", "judge"])
def test_only_the_naming_office_warns_reviews_and_revokes(users, named, actor):
    honour = named[0].honour
    with pytest.raises(NotPermitted):
        services.warn_honour(actor=users[actor], honour=honour, reason="x",
                             fix_by=timezone.localdate() + datetime.timedelta(days=9))
    with pytest.raises(NotPermitted):
        services.review_honour(actor=users[actor], honour=honour, year=honour.year, result="passed", reason="x")
    with pytest.raises(NotPermitted):
        services.revoke_honour(actor=users[actor], honour=honour, reason="x")
    assert not TitleEvent.objects.exists()
