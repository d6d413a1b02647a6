"""The rules of leader training, exchange visits and new-and-old pairs (services.development): who may record, what
the dates may be, which collectives may be chosen and why not (every reason at once, nothing written then), and
what the audit log keeps."""

import datetime

import pytest
from django.utils import timezone

from tests import factories
from wenminghao.campaigns.services import decide_filing, file_creation
from wenminghao.collectives.models import Honour
from wenminghao.core.errors import NotPermitted, RuleViolationError
from wenminghao.core.models import AuditEntry
from wenminghao.evaluation.models import ExchangeVisit, MentorPair, TrainingAttendance, TrainingSession
from wenminghao.evaluation.services import development as services

TODAY = timezone.localdate()


def _codes(error) -> list[str]:
    return [violation.code for violation in error.value.violations]


def _messages(error) -> str:
    return " / ".join(violation.message for violation in error.value.violations)


@pytest.fixture
def session_a(users, campaign, filings):
    """A training held by 环翠区团委 (huancui) in the campaign."""
    return services.create_training(actor=users["unit_admin_a"], campaign=campaign,
                                    data={"date": TODAY, "title": "环翠区号长培训", "place": "区团委会议室"})


# --- training ----------------------------------------------------------------------------------------------------


def test_create_training_records_it_for_the_actors_unit_and_audits(users, tree, campaign):
    session = services.create_training(actor=users["unit_admin_a"], campaign=campaign, data={
        "date": TODAY.isoformat(), "title": " 号长培训班 ", "place": "区团委", "content": "台账填报"})
    assert (session.unit, session.title, session.date, session.created_by) == (
        tree["area_a"], "号长培训班", TODAY, users["unit_admin_a"])
    entry = AuditEntry.objects.get(action="training.create")
    assert entry.after["title"] == "号长培训班" and entry.unit_path == tree["area_a"].path


@pytest.mark.parametrize(("day", "code"), [
    (TODAY + datetime.timedelta(days=1), "training.date_future"),
    ("2000-05-01", "training.date_before_campaign"),
    ("2018-13-01", "training.date_invalid"),
    ("", "training.date_required"),
])
def test_a_training_date_must_be_a_real_day_of_the_campaign_not_after_today(users, campaign, day, code):
    with pytest.raises(RuleViolationError) as error:
        services.create_training(actor=users["city_admin"], campaign=campaign, data={"date": day, "title": "培训"})
    assert _codes(error) == [code]
    assert not TrainingSession.objects.exists()


def test_the_first_day_of_a_campaign_is_1_january_of_the_year_before(users, campaign):
    first = datetime.date(campaign.year - 1, 1, 1)
    services.create_training(actor=users["city_admin"], campaign=campaign, data={"date": first, "title": "培训"})
    with pytest.raises(RuleViolationError) as error:
        services.create_training(actor=users["city_admin"], campaign=campaign,
                                 data={"date": first - datetime.timedelta(days=1), "title": "培训"})
    assert _codes(error) == ["training.date_before_campaign"]
    assert f"{first:%Y-%m-%d}" in _messages(error)


def test_a_training_lists_every_missing_or_overlong_field_at_once(users, campaign):
    with pytest.raises(RuleViolationError) as error:
        services.create_training(actor=users["city_admin"], campaign=campaign,
                                 data={"title": "", "place": "地" * 101, "content": "内" * 2001})
    assert sorted(_codes(error)) == ["training.content_too_long", "training.date_required",
                                     "training.place_too_long", "training.title_required"]
    assert "101字" in _messages(error)


@pytest.mark.parametrize("role", ["leader_a", "judge"])
def test_only_admins_record_trainings(users, campaign, role):
    with pytest.raises(NotPermitted):
        services.create_training(actor=users[role], campaign=campaign, data={"date": TODAY, "title": "培训"})


def test_an_admin_of_another_city_records_no_training_in_this_campaign(users, campaign):
    other = factories.unit(name="烟台市团委", kind="city")
    admin = factories.account(username="yantai", role="city_admin", unit=other)
    with pytest.raises(NotPermitted):
        services.create_training(actor=admin, campaign=campaign, data={"date": TODAY, "title": "培训"})


def test_ticking_leaders_keeps_their_names_and_audits_who_was_added(users, tree, session_a):
    added, removed = services.set_training_attendance(actor=users["unit_admin_a"], session=session_a, shown=[],
                                                      attended=[tree["collective_a"], tree["collective_sub"]])
    assert (len(added), removed) == (2, [])
    rows = {row.collective_id: row for row in TrainingAttendance.objects.filter(session=session_a)}
    leader = tree["collective_a"].members.get(is_leader=True)
    assert rows[tree["collective_a"].pk].member == leader and rows[tree["collective_a"].pk].member_name == leader.name
    entry = AuditEntry.objects.get(action="training.attendance")
    assert entry.after == {"added": [f"{tree['collective_a'].name}（{leader.name}）",
                                     f"{tree['collective_sub'].name}（成员1）"]}


def test_a_page_of_ticks_changes_only_the_collectives_shown(users, tree, session_a):
    a, sub = tree["collective_a"], tree["collective_sub"]
    services.set_training_attendance(actor=users["unit_admin_a"], session=session_a, shown=[], attended=[a, sub])
    # a page showing collective_a only, unticked: collective_sub (not shown) stays
    added, removed = services.set_training_attendance(actor=users["unit_admin_a"], session=session_a,
                                                      shown=[a.pk], attended=[])
    assert (added, len(removed)) == ([], 1)
    assert list(session_a.attendances.values_list("collective_id", flat=True)) == [sub.pk]
    # nothing changes: no audit entry
    before = AuditEntry.objects.count()
    services.set_training_attendance(actor=users["unit_admin_a"], session=session_a, shown=[a.pk, sub.pk],
                                     attended=[sub.pk])
    assert AuditEntry.objects.count() == before


def test_a_leader_outside_the_unit_that_held_it_cannot_be_ticked(users, tree, session_a):
    with pytest.raises(RuleViolationError) as error:
        services.set_training_attendance(actor=users["unit_admin_a"], session=session_a, shown=[],
                                         attended=[tree["collective_a"], tree["collective_b"]])
    assert _codes(error) == ["training.not_creating"]
    # huancui does not see collective_b: it is named by its number only
    assert f"编号{tree['collective_b'].pk}" in _messages(error) and tree["collective_b"].name not in _messages(error)
    assert not session_a.attendances.exists()


def test_a_returned_filing_or_no_filing_is_not_creating_and_a_collective_needs_its_leader(users, tree, campaign,
                                                                                          filings, session_a):
    decide_filing(actor=users["unit_admin_a"], filing=filings["collective_sub"], accept=False, comment="请补充材料")
    no_leader = factories.collective(unit=tree["area_a"], name="无号长的窗口", honours=[("district", 2016)])
    file_creation(actor=users["city_admin"], collective=no_leader, campaign=campaign)
    no_leader.members.update(is_leader=False)  # the collective's members edited after it filed
    unfiled = factories.collective(unit=tree["area_a"], name="未报备的窗口")
    with pytest.raises(RuleViolationError) as error:
        services.set_training_attendance(actor=users["unit_admin_a"], session=session_a, shown=[],
                                         attended=[tree["collective_sub"], no_leader, unfiled])
    assert _codes(error) == ["training.not_creating", "training.no_leader", "training.not_creating"]
    assert "“环翠楼社区服务站”不是" in _messages(error) and "“无号长的窗口”的成员名单中没有号长" in _messages(error)


def test_the_city_may_tick_a_units_training_but_another_unit_may_not(users, tree, session_a):
    services.set_training_attendance(actor=users["city_admin"], session=session_a, shown=[],
                                     attended=[tree["collective_a"]])
    with pytest.raises(NotPermitted):
        services.set_training_attendance(actor=users["unit_admin_b"], session=session_a, shown=[], attended=[])


def test_a_unit_cannot_tick_the_citys_training(users, tree, campaign, filings):
    session = services.create_training(actor=users["city_admin"], campaign=campaign,
                                       data={"date": TODAY, "title": "全市号长培训"})
    with pytest.raises(NotPermitted):
        services.set_training_attendance(actor=users["unit_admin_a"], session=session, shown=[],
                                         attended=[tree["collective_a"]])
    services.set_training_attendance(actor=users["city_admin"], session=session, shown=[],
                                     attended=[tree["collective_a"], tree["collective_b"]])
    assert session.attendances.count() == 2


# --- exchange visits -------------------------------------------------------------------------------------------


def test_the_city_records_a_visit_between_collectives_of_different_units(users, tree, campaign):
    visit = services.create_exchange_visit(actor=users["city_admin"], campaign=campaign, data={
        "date": TODAY, "host": tree["collective_a"].pk, "topic": "窗口服务观摩",
        "visitors": [tree["collective_sub"].pk, str(tree["collective_b"].pk)]})
    assert visit.host == tree["collective_a"] and visit.unit == tree["city"]
    assert set(visit.visitors.all()) == {tree["collective_sub"], tree["collective_b"]}
    entry = AuditEntry.objects.get(action="exchange.create")
    assert entry.after["visitors"] == [tree["collective_sub"].name, tree["collective_b"].name]


def test_a_visit_lists_every_problem_at_once(users, tree, campaign):
    with pytest.raises(RuleViolationError) as error:
        services.create_exchange_visit(actor=users["unit_admin_a"], campaign=campaign, data={
            "date": TODAY + datetime.timedelta(days=3), "host": tree["collective_a"].pk, "topic": "",
            "visitors": [tree["collective_a"].pk, tree["collective_b"].pk]})
    assert sorted(_codes(error)) == ["exchange.date_future", "exchange.host_visits_itself", "exchange.topic_required",
                                     "exchange.visitor_outside"]
    assert "“环翠区政务服务中心窗口”是东道集体" in _messages(error)
    assert not ExchangeVisit.objects.exists()


def test_a_visit_needs_a_host_in_the_subtree_and_a_visitor(users, tree, campaign):
    with pytest.raises(RuleViolationError) as error:
        services.create_exchange_visit(actor=users["unit_admin_a"], campaign=campaign,
                                       data={"date": TODAY, "host": tree["collective_b"].pk, "topic": "观摩"})
    assert sorted(_codes(error)) == ["exchange.host_outside", "exchange.visitors_required"]
    with pytest.raises(RuleViolationError) as error:
        services.create_exchange_visit(actor=users["unit_admin_a"], campaign=campaign,
                                       data={"date": TODAY, "visitors": [tree["collective_a"].pk], "topic": "观摩"})
    assert _codes(error) == ["exchange.host_required"]


def test_collectives_record_no_visits(users, tree, campaign):
    with pytest.raises(NotPermitted):
        services.create_exchange_visit(actor=users["leader_a"], campaign=campaign, data={})


# --- new-and-old pairs ------------------------------------------------------------------------------------------


def _pair(users, campaign, mentor, mentee, actor="unit_admin_a", **data):
    return services.create_mentor_pair(actor=users[actor], campaign=campaign, data={
        "mentor": mentor.pk, "mentee": mentee.pk, "started": TODAY, "goals": "台账建设", **data})


def test_a_titled_post_guides_a_creating_collective(users, tree, campaign, filings):
    pair = _pair(users, campaign, tree["collective_sub"], tree["collective_a"])
    assert (pair.mentor, pair.mentee, pair.unit) == (tree["collective_sub"], tree["collective_a"], tree["area_a"])
    entry = AuditEntry.objects.get(action="mentor_pair.create")
    assert entry.after["mentor_name"] == "环翠楼社区服务站" and entry.object_repr == str(pair)


@pytest.mark.parametrize(("change", "reason"), [
    ({"revoked_at": timezone.now()}, "已撤销"),
    ({"valid_until": TODAY - datetime.timedelta(days=1)}, "已到期"),
])
def test_a_mentor_whose_title_was_revoked_or_expired_is_refused_with_the_reason(users, tree, campaign, filings,
                                                                                  change, reason):
    Honour.objects.filter(collective=tree["collective_sub"]).update(**change)
    with pytest.raises(RuleViolationError) as error:
        _pair(users, campaign, tree["collective_sub"], tree["collective_a"])
    assert _codes(error) == ["mentor_pair.no_valid_title"]
    assert "“环翠楼社区服务站”的称号" in _messages(error) and reason in _messages(error)


def test_a_title_valid_until_today_still_counts(users, tree, campaign, filings):
    Honour.objects.filter(collective=tree["collective_sub"]).update(valid_until=TODAY)
    _pair(users, campaign, tree["collective_sub"], tree["collective_a"])


def test_a_mentor_without_any_title_and_a_mentee_not_creating_are_both_named(users, tree, campaign, filings):
    untitled = factories.collective(unit=tree["area_a"], name="新成立的窗口")
    decide_filing(actor=users["unit_admin_a"], filing=filings["collective_sub"], accept=False, comment="请补充材料")
    with pytest.raises(RuleViolationError) as error:
        _pair(users, campaign, untitled, tree["collective_sub"])
    assert _codes(error) == ["mentor_pair.no_valid_title", "mentor_pair.not_creating"]
    assert "“新成立的窗口”尚未获得青年文明号称号" in _messages(error)
    assert "“环翠楼社区服务站”不是" in _messages(error) and "报备已退回" in _messages(error)


def test_the_same_collective_twice_and_the_same_pair_twice_are_refused(users, tree, campaign, filings):
    with pytest.raises(RuleViolationError) as error:
        _pair(users, campaign, tree["collective_a"], tree["collective_a"])
    assert _codes(error) == ["mentor_pair.same_collective"]
    _pair(users, campaign, tree["collective_sub"], tree["collective_a"])
    with pytest.raises(RuleViolationError) as error:
        _pair(users, campaign, tree["collective_sub"], tree["collective_a"], actor="city_admin")
    assert _codes(error) == ["mentor_pair.duplicate"]
    assert MentorPair.objects.count() == 1


def test_both_sides_must_lie_in_the_actors_subtree_and_the_date_be_past(users, tree, campaign, filings):
    with pytest.raises(RuleViolationError) as error:
        _pair(users, campaign, tree["collective_sub"], tree["collective_b"],
              started=TODAY + datetime.timedelta(days=1))
    assert _codes(error) == ["mentor_pair.mentee_outside", "mentor_pair.date_future"]
    assert tree["collective_b"].name not in _messages(error) and "环翠区团委的管理范围" in _messages(error)
    _pair(users, campaign, tree["collective_sub"], tree["collective_b"], actor="city_admin")


def test_a_pair_is_ended_by_its_unit_or_above_and_the_audit_keeps_it(users, tree, campaign, filings):
    pair = _pair(users, campaign, tree["collective_sub"], tree["collective_a"])
    with pytest.raises(NotPermitted):
        services.delete_mentor_pair(actor=users["unit_admin_b"], pair=pair)
    services.delete_mentor_pair(actor=users["city_admin"], pair=pair)
    assert not MentorPair.objects.exists()
    entry = AuditEntry.objects.get(action="mentor_pair.delete")
    assert entry.before["mentee_name"] == "环翠区政务服务中心窗口" and entry.unit_path == tree["area_a"].path
