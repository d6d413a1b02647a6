import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from tests import factories
from wenminghao.campaigns import services
from wenminghao.campaigns.enums import FilingStatus
from wenminghao.campaigns.models import Campaign, CreationFiling
from wenminghao.core.errors import RuleViolationError
from wenminghao.core.models import AuditEntry
from wenminghao.orgs.enums import UnitKind

pytestmark = pytest.mark.django_db

OLD = datetime.date(1970, 1, 1)
YOUNG = datetime.date(1990, 1, 1)


def codes(error) -> list[str]:
    return [violation.code for violation in error.value.violations]


# --- campaigns ------------------------------------------------------------------------------------------


def campaign_fields(**overrides):
    now = timezone.now()
    fields = {
        "name": "2018年度威海市青年文明号创建",
        "level": "city",
        "year": 2018,
        "filing_deadline": now + datetime.timedelta(days=10),
        "deadline": now + datetime.timedelta(days=30),
        "reference_date": datetime.date(2018, 8, 20),
        "min_members": 6,
        "max_members": 200,
        "youth_max_age": 35,
        "min_youth_share": Decimal("0.5"),
        "leader_max_age": 40,
        "require_stable_unit": True,
        "target_former_share": Decimal("0.3"),
        "target_non_public_share": Decimal("0.15"),
        "target_social_share": Decimal("0.05"),
        "contact_info": "联系人：解庆林、张建刚",
    }
    fields.update(overrides)
    return fields


def test_create_campaign_saves_and_audits(tree, users):
    campaign = services.create_campaign(actor=users["city_admin"], office=tree["city"], fields=campaign_fields())
    assert campaign.office == tree["city"]
    entry = AuditEntry.objects.get(object_type="campaigns.campaign", object_id=str(campaign.pk))
    assert entry.action == "campaign.create"
    assert entry.unit_path == tree["city"].path


def test_create_campaign_refuses_filing_deadline_after_final_deadline(tree, users):
    now = timezone.now()
    fields = campaign_fields(
        filing_deadline=now + datetime.timedelta(days=40), deadline=now + datetime.timedelta(days=5)
    )
    with pytest.raises(RuleViolationError) as error:
        services.create_campaign(actor=users["city_admin"], office=tree["city"], fields=fields)
    assert codes(error) == ["campaign.deadlines"]
    assert not Campaign.objects.exists()


def test_update_campaign_open_saves_changed_fields_and_audits(tree, users):
    campaign = factories.campaign(office=tree["city"])
    services.update_campaign(actor=users["city_admin"], campaign=campaign, fields={"max_members": 150})
    campaign.refresh_from_db()
    assert campaign.max_members == 150
    entry = AuditEntry.objects.get(object_type="campaigns.campaign", action="campaign.update")
    assert entry.before == {"max_members": 200}
    assert entry.after == {"max_members": 150}


def test_update_campaign_closed_is_refused_in_chinese(tree, users):
    deadline = timezone.make_aware(datetime.datetime(2018, 8, 20, 0, 0))  # Asia/Shanghai
    campaign = factories.campaign(office=tree["city"], filing_deadline=deadline, deadline=deadline)
    with pytest.raises(RuleViolationError) as error:
        services.update_campaign(actor=users["city_admin"], campaign=campaign, fields={"name": "改名"})
    assert codes(error) == ["campaign.closed"]
    assert error.value.violations[0].message == (
        f"“{campaign.name}”已于2018年8月20日 00:00截止，活动内容只读，不能再修改"
    )
    campaign.refresh_from_db()
    assert campaign.name != "改名"
    assert not AuditEntry.objects.filter(action="campaign.update").exists()


def test_update_campaign_filing_closed_but_final_deadline_open_may_still_be_edited(tree, users):
    now = timezone.now()
    campaign = factories.campaign(
        office=tree["city"], filing_deadline=now - datetime.timedelta(days=1), deadline=now + datetime.timedelta(days=5)
    )
    services.update_campaign(actor=users["city_admin"], campaign=campaign, fields={"contact_info": "电话 5225125"})
    campaign.refresh_from_db()
    assert campaign.contact_info == "电话 5225125"


# --- file_creation --------------------------------------------------------------------------------------


def test_file_creation_eligible_collective_is_pending_and_audited(tree, users):
    campaign = factories.campaign(office=tree["city"])
    filing = services.file_creation(actor=users["leader_a"], collective=tree["collective_a"], campaign=campaign)
    assert filing.status == FilingStatus.PENDING
    assert filing.filed_by == users["leader_a"]
    assert filing.is_former is False  # holds the district title only: not a former city-level holder
    entry = AuditEntry.objects.get(object_type="campaigns.creationfiling", object_id=str(filing.pk))
    assert entry.action == "filing.create"
    assert entry.unit_path == tree["area_a"].path


def test_file_creation_former_holder_is_marked(tree, users):
    campaign = factories.campaign(office=tree["city"])
    collective = factories.collective(unit=tree["area_a"], honours=[("city", 2016)])
    filing = services.file_creation(actor=users["unit_admin_a"], collective=collective, campaign=campaign)
    assert filing.is_former is True


def test_file_creation_reports_every_unmet_rule_at_once(tree, users):
    campaign = factories.campaign(office=tree["city"])
    collective = factories.collective(
        unit=tree["area_a"],
        members=[(OLD, True), (OLD, False), (OLD, False), (YOUNG, False), (YOUNG, False)],
        honours=[],
        unit_form="other",
    )
    with pytest.raises(RuleViolationError) as error:
        services.file_creation(actor=users["unit_admin_a"], collective=collective, campaign=campaign)
    assert codes(error) == [
        "eligibility.prior_honour",
        "eligibility.member_count",
        "eligibility.youth_share",
        "eligibility.leader_age",
        "eligibility.stable_unit",
    ]
    assert not CreationFiling.objects.exists()
    assert not AuditEntry.objects.filter(object_type="campaigns.creationfiling").exists()


def test_file_creation_duplicate_is_refused(tree, users):
    campaign = factories.campaign(office=tree["city"])
    services.file_creation(actor=users["leader_a"], collective=tree["collective_a"], campaign=campaign)
    with pytest.raises(RuleViolationError) as error:
        services.file_creation(actor=users["unit_admin_a"], collective=tree["collective_a"], campaign=campaign)
    assert codes(error) == ["filing.duplicate"]
    assert "待归口单位审核" in error.value.violations[0].message
    assert CreationFiling.objects.count() == 1


def test_file_creation_closed_campaign_is_refused(tree, users):
    deadline = timezone.make_aware(datetime.datetime(2018, 7, 31, 17, 30))
    campaign = factories.campaign(office=tree["city"], filing_deadline=deadline, deadline=deadline)
    with pytest.raises(RuleViolationError) as error:
        services.file_creation(actor=users["leader_a"], collective=tree["collective_a"], campaign=campaign)
    assert codes(error) == ["deadline.passed"]
    assert "2018年7月31日 17:30截止" in error.value.violations[0].message
    assert not CreationFiling.objects.exists()


def test_file_creation_out_of_scope_campaign_is_refused(tree, users):
    other_city = factories.unit(name="烟台市团委", kind=UnitKind.CITY)
    campaign = factories.campaign(office=other_city)
    with pytest.raises(RuleViolationError) as error:
        services.file_creation(actor=users["leader_a"], collective=tree["collective_a"], campaign=campaign)
    assert codes(error) == ["filing.out_of_scope"]
    assert not CreationFiling.objects.exists()


def test_file_creation_after_return_goes_back_to_pending(tree, users):
    campaign = factories.campaign(office=tree["city"])
    filing = services.file_creation(actor=users["leader_a"], collective=tree["collective_a"], campaign=campaign)
    services.decide_filing(actor=users["unit_admin_a"], filing=filing, accept=False, comment="请补充成员岗位")
    again = services.file_creation(actor=users["leader_a"], collective=tree["collective_a"], campaign=campaign)
    assert again.pk == filing.pk
    assert again.status == FilingStatus.PENDING
    assert again.decided_by is None and again.decided_at is None
    assert CreationFiling.objects.count() == 1
    assert AuditEntry.objects.filter(object_type="campaigns.creationfiling", action="filing.refile").count() == 1


def test_file_creation_after_acceptance_is_refused(tree, users):
    campaign = factories.campaign(office=tree["city"])
    filing = services.file_creation(actor=users["leader_a"], collective=tree["collective_a"], campaign=campaign)
    services.decide_filing(actor=users["unit_admin_a"], filing=filing, accept=True)
    with pytest.raises(RuleViolationError) as error:
        services.file_creation(actor=users["leader_a"], collective=tree["collective_a"], campaign=campaign)
    assert codes(error) == ["filing.duplicate"]


# --- decide_filing --------------------------------------------------------------------------------------


@pytest.fixture
def pending(tree, users):
    campaign = factories.campaign(office=tree["city"])
    return services.file_creation(actor=users["leader_a"], collective=tree["collective_a"], campaign=campaign)


def test_decide_filing_accept(pending, users):
    filing = services.decide_filing(actor=users["unit_admin_a"], filing=pending, accept=True)
    assert filing.status == FilingStatus.ACCEPTED
    assert filing.decided_by == users["unit_admin_a"]
    assert filing.decided_at is not None
    entry = AuditEntry.objects.get(action="filing.accept")
    assert entry.before["status"] == "pending" and entry.after["status"] == "accepted"


def test_decide_filing_return_with_comment(pending, users):
    filing = services.decide_filing(
        actor=users["city_admin"], filing=pending, accept=False, comment="  请补充荣誉证书  "
    )
    assert filing.status == FilingStatus.RETURNED
    assert filing.comment == "请补充荣誉证书"
    assert AuditEntry.objects.get(action="filing.return").after["comment"] == "请补充荣誉证书"


@pytest.mark.parametrize("comment", ["", "   "])
def test_decide_filing_return_needs_a_comment(pending, users, comment):
    with pytest.raises(RuleViolationError) as error:
        services.decide_filing(actor=users["unit_admin_a"], filing=pending, accept=False, comment=comment)
    assert codes(error) == ["filing.comment_required"]
    pending.refresh_from_db()
    assert pending.status == FilingStatus.PENDING
    assert not AuditEntry.objects.filter(action="filing.return").exists()


@pytest.mark.parametrize("accept", [True, False])
def test_decide_filing_not_pending_is_refused(pending, users, accept):
    services.decide_filing(actor=users["unit_admin_a"], filing=pending, accept=True)
    with pytest.raises(RuleViolationError) as error:
        services.decide_filing(actor=users["unit_admin_a"], filing=pending, accept=accept, comment="再审")
    assert codes(error) == ["filing.state"]
    assert "已接受" in error.value.violations[0].message
