import datetime

import pytest
from django.utils import timezone

from tests import factories
from tests.works.media_fixtures import add_pictures, make_work, media_storage  # noqa: F401 - fixture
from wenminghao.campaigns.models import DeadlineExtension
from wenminghao.campaigns.services import grant_extension
from wenminghao.core.errors import NotPermitted, RuleViolationError
from wenminghao.core.models import AuditEntry
from wenminghao.works.deadlines import deadline_violation, effective_deadline
from wenminghao.works.enums import WorkStatus
from wenminghao.works.services import add_work_file, set_essay_text, update_work
from wenminghao.works.transitions import submit_work

HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def open_campaign(tree):
    return factories.campaign(office=tree["city"])


def close(campaign, *, ago=HOUR):
    campaign.deadline = campaign.filing_deadline = timezone.now() - ago
    campaign.save()
    return campaign


def extend(campaign, *, until, unit=None, collective=None, actor):
    """An extension row as the office grants it (grant_extension refuses a time already past; an expired
    extension is made by granting one and letting it run out, i.e. moving its time back)."""
    return DeadlineExtension.objects.create(campaign=campaign, unit=unit, collective=collective, until=until,
                                            reason="系统故障", granted_by=actor)


def test_deadline_open_campaign_has_no_violation(tree, open_campaign):
    assert deadline_violation(open_campaign, tree["collective_a"]) is None
    assert effective_deadline(open_campaign, tree["collective_a"]) == open_campaign.deadline


def test_deadline_passed_names_the_shanghai_time(tree, open_campaign):
    open_campaign.deadline = datetime.datetime(2018, 9, 30, 9, 0, tzinfo=datetime.UTC)
    open_campaign.save()
    violation = deadline_violation(open_campaign, tree["collective_a"])
    assert violation.code == "deadline.passed"
    assert "2018年9月30日 17:00（北京时间）截止" in violation.message


def test_deadline_at_the_exact_moment_is_passed(tree, open_campaign):
    at = open_campaign.deadline
    assert deadline_violation(open_campaign, tree["collective_a"], now=at - datetime.timedelta(seconds=1)) is None
    assert deadline_violation(open_campaign, tree["collective_a"], now=at) is not None


@pytest.mark.parametrize(
    ("granted_to", "covered"),
    [
        ("area_a", {"collective_a", "collective_sub"}),  # a unit: itself and every unit under it
        ("sub_a", {"collective_sub"}),
        ("city", {"collective_a", "collective_sub", "collective_b"}),
        ("collective_a", {"collective_a"}),  # one collective only
    ],
)
def test_extension_covers_the_unit_subtree_or_the_collective(tree, users, open_campaign, granted_to, covered):
    campaign = close(open_campaign)
    until = timezone.now() + HOUR
    target = tree[granted_to]
    if granted_to.startswith("collective"):
        extend(campaign, until=until, collective=target, actor=users["city_admin"])
    else:
        extend(campaign, until=until, unit=target, actor=users["city_admin"])
    for name in ("collective_a", "collective_sub", "collective_b"):
        allowed = deadline_violation(campaign, tree[name]) is None
        assert allowed == (name in covered), name
        assert effective_deadline(campaign, tree[name]) == (until if name in covered else campaign.deadline)


def test_extension_expired_is_refused_with_both_times(tree, users, open_campaign):
    campaign = close(open_campaign, ago=3 * HOUR)
    extend(campaign, until=timezone.now() - HOUR, collective=tree["collective_a"], actor=users["city_admin"])
    violation = deadline_violation(campaign, tree["collective_a"])
    assert violation.code == "deadline.passed"
    assert "批准的延期也已于" in violation.message and "到期" in violation.message


def test_extension_the_latest_one_counts(tree, users, open_campaign):
    campaign = close(open_campaign)
    early, late = timezone.now() + HOUR, timezone.now() + 5 * HOUR
    extend(campaign, until=late, unit=tree["area_a"], actor=users["city_admin"])
    extend(campaign, until=early, collective=tree["collective_a"], actor=users["city_admin"])
    assert effective_deadline(campaign, tree["collective_a"]) == late


def test_extension_of_another_campaign_does_not_count(tree, users, open_campaign):
    campaign = close(open_campaign)
    other = factories.campaign(office=tree["city"])
    extend(other, until=timezone.now() + HOUR, collective=tree["collective_a"], actor=users["city_admin"])
    assert deadline_violation(campaign, tree["collective_a"]) is not None


# --- the services after the deadline ----------------------------------------------------------------------------


def test_after_deadline_nothing_changes_until_an_extension(tree, users, open_campaign, media_storage):  # noqa: F811
    leader = users["leader_a"]
    work = make_work(actor=leader, collective=tree["collective_a"], campaign=open_campaign)
    add_pictures(work, leader, 4)
    close(open_campaign)
    attempts = {
        "update": lambda: update_work(actor=leader, work=work, fields={"title": "迟到的修改"}),
        "upload": lambda: add_pictures(work, leader, 1, first_seed=9),
        "submit": lambda: submit_work(actor=leader, work=work),
        "create": lambda: make_work(actor=leader, collective=tree["collective_a"], campaign=open_campaign),
    }
    for name, attempt in attempts.items():
        with pytest.raises(RuleViolationError) as error:
            attempt()
        assert [v.code for v in error.value.violations] == ["deadline.passed"], name
    grant_extension(actor=users["city_admin"], campaign=open_campaign, unit=tree["area_a"],
                    until=timezone.now() + HOUR, reason="区级初审延误")
    assert submit_work(actor=leader, work=work).status == WorkStatus.SUBMITTED
    # collective_b (another area) has no extension
    with pytest.raises(RuleViolationError):
        make_work(actor=users["leader_b"], collective=tree["collective_b"], campaign=open_campaign)


def test_after_deadline_essay_text_cannot_change(tree, users, open_campaign):
    work = make_work(actor=users["leader_a"], collective=tree["collective_a"], campaign=open_campaign,
                     category="essay")
    close(open_campaign)
    with pytest.raises(RuleViolationError) as error:
        set_essay_text(actor=users["leader_a"], work=work, text="迟到的正文")
    assert [v.code for v in error.value.violations] == ["deadline.passed"]


def test_after_deadline_upload_is_refused_before_reading(tree, users, open_campaign, media_storage):  # noqa: F811
    from tests.works.media_fixtures import files_under, not_media, upload

    work = make_work(actor=users["leader_a"], collective=tree["collective_a"], campaign=open_campaign)
    close(open_campaign)
    with pytest.raises(RuleViolationError) as error:
        add_work_file(actor=users["leader_a"], work=work, upload=upload("x.jpg", not_media()))
    assert [v.code for v in error.value.violations] == ["deadline.passed"]  # not photo.not_jpeg: never read
    assert files_under(media_storage[0]) == []


# --- granting extensions ----------------------------------------------------------------------------------------


def test_grant_extension_is_audited(tree, users, open_campaign):
    campaign = close(open_campaign)
    until = timezone.now() + 24 * HOUR
    extension = grant_extension(actor=users["city_admin"], campaign=campaign, collective=tree["collective_b"],
                                until=until, reason="  供电抢修任务  ")
    assert (extension.collective, extension.until, extension.reason) == (tree["collective_b"], until, "供电抢修任务")
    entry = AuditEntry.objects.get(action="deadline.extend")
    assert entry.unit_path == tree["collective_b"].unit.path
    assert entry.after["reason"] == "供电抢修任务"
    assert effective_deadline(campaign, tree["collective_b"]) == until


def test_grant_extension_lists_every_problem(tree, users, open_campaign):
    with pytest.raises(RuleViolationError) as error:
        grant_extension(actor=users["city_admin"], campaign=open_campaign, unit=tree["area_a"],
                        collective=tree["collective_a"], until=timezone.now() - HOUR, reason=" ")
    assert sorted(v.code for v in error.value.violations) == ["extension.reason", "extension.target",
                                                              "extension.until"]
    assert DeadlineExtension.objects.count() == 0


def test_grant_extension_must_be_later_than_the_deadline(tree, users, open_campaign):
    with pytest.raises(RuleViolationError) as error:
        grant_extension(actor=users["city_admin"], campaign=open_campaign, unit=tree["area_a"],
                        until=open_campaign.deadline - HOUR, reason="提前")
    assert [v.code for v in error.value.violations] == ["extension.until"]
    assert "无需延期" in error.value.violations[0].message


def test_grant_extension_outside_the_campaign_is_refused(tree, users, open_campaign):
    from wenminghao.orgs.enums import UnitKind

    elsewhere = factories.unit(name="烟台市团委", kind=UnitKind.CITY)
    with pytest.raises(RuleViolationError) as error:
        grant_extension(actor=users["city_admin"], campaign=open_campaign, unit=elsewhere,
                        until=open_campaign.deadline + HOUR, reason="越权")
    assert [v.code for v in error.value.violations] == ["extension.out_of_scope"]


@pytest.mark.parametrize("role", ["unit_admin_a", "leader_a", "judge"])
def test_grant_extension_only_by_the_office(tree, users, open_campaign, role):
    with pytest.raises(NotPermitted):
        grant_extension(actor=users[role], campaign=open_campaign, unit=tree["area_a"],
                        until=open_campaign.deadline + HOUR, reason="自行延期")
    assert DeadlineExtension.objects.count() == 0
