import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests import factories
from wenminghao.campaigns import services
from wenminghao.campaigns.enums import FilingStatus
from wenminghao.campaigns.models import Campaign, CreationFiling
from wenminghao.core.models import AuditEntry
from wenminghao.core.roles import Role
from wenminghao.orgs.enums import UnitKind

pytestmark = pytest.mark.django_db

OLD = datetime.date(1970, 1, 1)
YOUNG = datetime.date(1990, 1, 1)
SHANGHAI_MIDNIGHT = timezone.make_aware(datetime.datetime(2018, 8, 20, 0, 0))


def text_of(response) -> str:
    return response.content.decode()


def closed_campaign(office, **fields):
    deadline = timezone.make_aware(datetime.datetime(2018, 8, 20, 0, 0))
    return factories.campaign(office=office, filing_deadline=deadline, deadline=deadline, **fields)


# --- list and detail -------------------------------------------------------------------------------------


def test_campaign_list_shows_deadlines_in_shanghai_time_and_badges(tree, users, signed_in):
    open_one = factories.campaign(office=tree["city"], name="2019年度威海市青年文明号创建")
    closed = closed_campaign(tree["city"], name="2018年度威海市青年文明号创建")
    page = text_of(signed_in(users["leader_a"]).get("/campaigns/"))
    assert open_one.name in page and closed.name in page
    assert "2018年8月20日 00:00" in page  # stored as 2018-08-19 16:00 UTC
    assert 'data-testid="campaign-closed"' in page
    assert 'data-testid="campaign-open"' in page
    assert "新建创建活动" not in page


def test_campaign_list_city_admin_sees_create_button(tree, users, signed_in):
    page = text_of(signed_in(users["city_admin"]).get("/campaigns/"))
    assert "新建创建活动" in page


def test_campaign_list_hides_other_cities_campaigns(tree, users, signed_in):
    other_city = factories.unit(name="烟台市团委", kind=UnitKind.CITY)
    factories.campaign(office=other_city, name="烟台市创建")
    page = text_of(signed_in(users["unit_admin_a"]).get("/campaigns/"))
    assert "烟台市创建" not in page


def test_campaign_detail_states_conditions_targets_and_contact(tree, users, signed_in):
    campaign = factories.campaign(
        office=tree["city"], contact_info="联系人：解庆林、张建刚\n联系电话：5225125\n电子邮箱：jcb5225125@126.com"
    )
    page = text_of(signed_in(users["leader_a"]).get(f"/campaigns/{campaign.pk}/"))
    for words in (
        "成员6至200人",
        "35周岁以下成员占比超过50%",
        "号长40周岁以下",
        "须为相对稳定的工作单元",
        "须曾获区市级（或更高级别）青年文明号称号",
        "往届青年文明号集体不低于30%",
        "非公经济组织集体不低于15%",
        "社会组织集体不低于5%",
        "解庆林、张建刚",
        "jcb5225125@126.com",
        "市级",
    ):
        assert words in page, words


def test_campaign_detail_province_level_needs_city_title(tree, users, signed_in):
    campaign = factories.campaign(office=tree["city"], level="province")
    page = text_of(signed_in(users["leader_a"]).get(f"/campaigns/{campaign.pk}/"))
    assert "须曾获市级（或更高级别）青年文明号称号" in page


def test_campaign_detail_collective_sees_status_and_filing_button(tree, users, signed_in):
    campaign = factories.campaign(office=tree["city"])
    client = signed_in(users["leader_a"])
    page = text_of(client.get(f"/campaigns/{campaign.pk}/"))
    assert "尚未报备" in page and 'data-testid="file-button"' in page
    services.file_creation(actor=users["leader_a"], collective=tree["collective_a"], campaign=campaign)
    page = text_of(client.get(f"/campaigns/{campaign.pk}/"))
    assert "待归口单位审核" in page and 'data-testid="file-button"' not in page


def test_campaign_detail_admin_sees_filings_and_structure_links(tree, users, signed_in):
    campaign = factories.campaign(office=tree["city"])
    page = text_of(signed_in(users["unit_admin_a"]).get(f"/campaigns/{campaign.pk}/"))
    assert f"/campaigns/filings/?campaign={campaign.pk}" in page
    assert f"/campaigns/{campaign.pk}/structure/" in page
    assert f"/campaigns/{campaign.pk}/edit/" not in page  # only the office edits


def test_campaign_detail_closed_is_read_only(tree, users, signed_in):
    campaign = closed_campaign(tree["city"])
    for account in ("leader_a", "city_admin"):
        page = text_of(signed_in(users[account]).get(f"/campaigns/{campaign.pk}/"))
        assert 'data-testid="read-only"' in page
        assert 'data-testid="file-button"' not in page
        assert f"/campaigns/{campaign.pk}/edit/" not in page


def test_campaign_detail_of_other_city_answers_404(tree, users, signed_in):
    other_city = factories.unit(name="烟台市团委", kind=UnitKind.CITY)
    campaign = factories.campaign(office=other_city)
    assert signed_in(users["leader_a"]).get(f"/campaigns/{campaign.pk}/").status_code == 404


# --- create and edit --------------------------------------------------------------------------------------


def form_data(**overrides):
    data = {
        "name": "2018年度威海市青年文明号创建",
        "level": "city",
        "year": "2018",
        "filing_deadline": "2030-07-31T17:30",
        "deadline": "2030-08-20T00:00",
        "reference_date": "2018-08-20",
        "min_members": "6",
        "max_members": "200",
        "youth_max_age": "35",
        "min_youth_share": "50",
        "leader_max_age": "40",
        "require_stable_unit": "on",
        "target_former_share": "30",
        "target_non_public_share": "15",
        "target_social_share": "5",
        "contact_info": "联系人：解庆林、张建刚，联系电话：5225125",
    }
    data.update(overrides)
    return data


def test_campaign_create_reads_datetime_local_in_shanghai_time(tree, users, signed_in):
    response = signed_in(users["city_admin"]).post("/campaigns/new/", form_data())
    campaign = Campaign.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/campaigns/{campaign.pk}/"
    assert campaign.office == tree["city"]
    assert campaign.deadline == datetime.datetime(2030, 8, 19, 16, 0, tzinfo=datetime.UTC)
    assert campaign.filing_deadline == datetime.datetime(2030, 7, 31, 9, 30, tzinfo=datetime.UTC)
    assert campaign.min_youth_share == Decimal("0.500")
    assert campaign.target_non_public_share == Decimal("0.150")
    assert AuditEntry.objects.filter(action="campaign.create").count() == 1


def test_campaign_create_shows_service_refusal_on_the_field(tree, users, signed_in):
    response = signed_in(users["city_admin"]).post(
        "/campaigns/new/", form_data(filing_deadline="2030-09-01T00:00", deadline="2030-08-20T00:00")
    )
    assert response.status_code == 200
    assert "创建报备截止时间不能晚于成果报送截止时间" in text_of(response)
    assert not Campaign.objects.exists()


@pytest.mark.parametrize("account", ["unit_admin_a", "leader_a", "judge"])
def test_campaign_create_by_non_office_admin_is_forbidden(users, signed_in, account):
    client = signed_in(users[account])
    assert client.get("/campaigns/new/").status_code == 403
    assert client.post("/campaigns/new/", form_data()).status_code == 403
    assert not Campaign.objects.exists()


def test_campaign_edit_form_shows_local_times_and_percentages(tree, users, signed_in):
    campaign = factories.campaign(
        office=tree["city"], deadline=timezone.make_aware(datetime.datetime(2030, 8, 20, 0, 0)),
        filing_deadline=timezone.make_aware(datetime.datetime(2030, 7, 31, 17, 30)),
    )
    page = text_of(signed_in(users["city_admin"]).get(f"/campaigns/{campaign.pk}/edit/"))
    assert 'value="2030-08-20T00:00"' in page
    assert 'value="2030-07-31T17:30"' in page
    assert re.search(r'name="min_youth_share" value="50"', page)


def test_campaign_edit_open_saves(tree, users, signed_in):
    campaign = factories.campaign(office=tree["city"])
    response = signed_in(users["city_admin"]).post(f"/campaigns/{campaign.pk}/edit/", form_data(max_members="150"))
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.max_members == 150


def test_campaign_edit_closed_is_refused_with_message(tree, users, signed_in):
    campaign = closed_campaign(tree["city"])
    client = signed_in(users["city_admin"])
    page = text_of(client.get(f"/campaigns/{campaign.pk}/edit/"))
    assert "已于2018年8月20日 00:00截止，活动内容只读，不能再修改" in page
    assert 'name="name"' not in page
    response = client.post(f"/campaigns/{campaign.pk}/edit/", form_data(name="改名"))
    assert response.status_code == 200
    assert "活动内容只读，不能再修改" in text_of(response)
    campaign.refresh_from_db()
    assert campaign.name != "改名"


def test_campaign_edit_by_unit_admin_is_forbidden(tree, users, signed_in):
    campaign = factories.campaign(office=tree["city"])
    assert signed_in(users["unit_admin_a"]).get(f"/campaigns/{campaign.pk}/edit/").status_code == 403


# --- filing ----------------------------------------------------------------------------------------------


def test_filing_as_collective(tree, users, signed_in):
    campaign = factories.campaign(office=tree["city"])
    client = signed_in(users["leader_a"])
    page = text_of(client.get(f"/campaigns/{campaign.pk}/file/"))
    assert tree["collective_a"].name in page
    assert page.count('data-passed="1"') == 5 and 'data-testid="submit-filing"' in page
    response = client.post(f"/campaigns/{campaign.pk}/file/", {"collective": tree["collective_a"].pk})
    assert response.status_code == 302 and response["Location"] == f"/campaigns/{campaign.pk}/"
    filing = CreationFiling.objects.get()
    assert filing.collective == tree["collective_a"] and filing.filed_by == users["leader_a"]
    assert "已为“环翠区政务服务中心窗口”报备" in text_of(client.get(response["Location"]))


def test_filing_as_collective_for_another_collective_answers_404(tree, users, signed_in):
    campaign = factories.campaign(office=tree["city"])
    response = signed_in(users["leader_a"]).post(
        f"/campaigns/{campaign.pk}/file/", {"collective": tree["collective_b"].pk}
    )
    assert response.status_code == 404
    assert not CreationFiling.objects.exists()


def test_filing_as_unit_admin_picks_collective_in_subtree(tree, users, signed_in):
    campaign = factories.campaign(office=tree["city"])
    client = signed_in(users["unit_admin_a"])
    page = text_of(client.get(f"/campaigns/{campaign.pk}/file/"))
    assert tree["collective_a"].name in page and tree["collective_sub"].name in page
    assert tree["collective_b"].name not in page
    response = client.post(f"/campaigns/{campaign.pk}/file/", {"collective": tree["collective_sub"].pk})
    assert response.status_code == 302
    assert response["Location"] == f"/campaigns/filings/?campaign={campaign.pk}&status=pending"
    assert CreationFiling.objects.get().collective == tree["collective_sub"]
    # Filed collectives leave the list of candidates.
    page = text_of(client.get(f"/campaigns/{campaign.pk}/file/"))
    assert f'value="{tree["collective_sub"].pk}"' not in page


def test_filing_as_unit_admin_for_another_units_collective_answers_404(tree, users, signed_in):
    campaign = factories.campaign(office=tree["city"])
    client = signed_in(users["unit_admin_a"])
    assert client.post(f"/campaigns/{campaign.pk}/file/", {"collective": tree["collective_b"].pk}).status_code == 404
    assert client.get(f"/campaigns/{campaign.pk}/file/?collective={tree['collective_b'].pk}").status_code == 404
    assert not CreationFiling.objects.exists()


def test_filing_as_judge_is_forbidden(tree, users, signed_in):
    campaign = factories.campaign(office=tree["city"])
    assert signed_in(users["judge"]).get(f"/campaigns/{campaign.pk}/file/").status_code == 403


def test_filing_refusal_shows_every_reason(tree, users, signed_in):
    campaign = factories.campaign(office=tree["city"])
    collective = factories.collective(
        unit=tree["area_a"],
        name="不合格的集体",
        # 10 members, 4 of them 35 or under; the leader is 48.
        members=[(OLD, True)] + [(OLD, False)] * 5 + [(YOUNG, False)] * 4,
        honours=[],
        unit_form="other",
    )
    response = signed_in(users["unit_admin_a"]).post(f"/campaigns/{campaign.pk}/file/", {"collective": collective.pk})
    assert response.status_code == 200
    page = text_of(response)
    assert "未能报备，请先解决以下问题" in page
    for message in (
        "须曾获区市级（或更高级别）青年文明号称号，该集体尚无此类荣誉记录",
        "35周岁以下成员占40%，应超过50%（共10人，其中4人）",
        "号长年龄为48周岁，应在40周岁以下",
        "集体应为相对稳定的工作单元",
    ):
        assert message in page, message
    assert page.count('data-code="eligibility.') == 4
    assert not CreationFiling.objects.exists()


def test_filing_on_closed_campaign_is_refused(tree, users, signed_in):
    campaign = closed_campaign(tree["city"])
    client = signed_in(users["leader_a"])
    page = text_of(client.get(f"/campaigns/{campaign.pk}/file/"))
    assert 'data-testid="filing-closed"' in page and 'data-testid="submit-filing"' not in page
    response = client.post(f"/campaigns/{campaign.pk}/file/", {"collective": tree["collective_a"].pk})
    assert "创建报备已于2018年8月20日 00:00截止，无法再报备" in text_of(response)
    assert not CreationFiling.objects.exists()


def test_eligibility_preview_partial_shows_pass_and_fail(tree, users, signed_in):
    campaign = factories.campaign(office=tree["city"])
    collective = factories.collective(unit=tree["area_a"], members=[(OLD, True)] + [(YOUNG, False)] * 7, honours=[])
    response = signed_in(users["unit_admin_a"]).get(
        f"/campaigns/{campaign.pk}/file/preview/?collective={collective.pk}", HTTP_HX_REQUEST="true"
    )
    page = text_of(response)
    assert "<html" not in page
    assert re.search(r'data-rule="prior_honour" data-passed="0"', page)
    assert re.search(r'data-rule="member_count" data-passed="1"', page)
    assert re.search(r'data-rule="leader" data-passed="0"', page)
    assert "号长年龄为48周岁" in page
    assert 'data-testid="submit-filing"' not in page


# --- the filing list and review ---------------------------------------------------------------------------


@pytest.fixture
def campaign(tree):
    return factories.campaign(office=tree["city"], name="2018年度威海市青年文明号创建")


def file(campaign, collective, actor):
    return services.file_creation(actor=actor, collective=collective, campaign=campaign)


def test_filing_list_unit_admin_sees_only_own_subtree(tree, users, signed_in, campaign):
    file(campaign, tree["collective_a"], users["leader_a"])
    file(campaign, tree["collective_sub"], users["unit_admin_a"])
    file(campaign, tree["collective_b"], users["leader_b"])
    page = text_of(signed_in(users["unit_admin_a"]).get("/campaigns/filings/"))
    assert tree["collective_a"].name in page and tree["collective_sub"].name in page
    assert tree["collective_b"].name not in page


def test_filing_list_filters_by_unit_status_and_search(tree, users, signed_in, campaign):
    file(campaign, tree["collective_a"], users["leader_a"])
    filing_sub = file(campaign, tree["collective_sub"], users["unit_admin_a"])
    file(campaign, tree["collective_b"], users["leader_b"])
    services.decide_filing(actor=users["unit_admin_a"], filing=filing_sub, accept=True)
    client = signed_in(users["city_admin"])

    def names(query):
        page = text_of(client.get(f"/campaigns/filings/?{query}"))
        rows = page.split('data-testid="filing-row"')[1:]
        collectives = [item.name for item in tree.values() if hasattr(item, "host_org")]
        return {name for name in collectives if any(name in row for row in rows)}

    assert names(f"unit={tree['area_a'].pk}") == {tree["collective_a"].name, tree["collective_sub"].name}
    assert names(f"unit={tree['sub_a'].pk}") == {tree["collective_sub"].name}
    assert names("status=accepted") == {tree["collective_sub"].name}
    assert names("q=供电") == {tree["collective_b"].name}
    assert names(f"campaign={campaign.pk}&status=pending") == {tree["collective_a"].name, tree["collective_b"].name}


def test_filing_list_city_sees_counts_per_unit_and_status(tree, users, signed_in, campaign):
    file(campaign, tree["collective_a"], users["leader_a"])
    filing_sub = file(campaign, tree["collective_sub"], users["unit_admin_a"])
    filing_b = file(campaign, tree["collective_b"], users["leader_b"])
    services.decide_filing(actor=users["unit_admin_a"], filing=filing_sub, accept=True)
    services.decide_filing(actor=users["unit_admin_b"], filing=filing_b, accept=False, comment="请补充材料")
    page = text_of(signed_in(users["city_admin"]).get("/campaigns/filings/"))
    assert "各单位报备情况" in page

    def cells(unit_key):
        row = re.search(rf'data-unit="{unit_key}">(.*?)</tr>', page, re.S).group(1)
        return [int(n) for n in re.findall(r'<td class="text-end[^"]*">(\d+)</td>', row)]

    # area_a rolls up its sub-unit: 1 pending (collective_a) and 1 accepted (collective_sub).
    assert cells(tree["area_a"].pk) == [1, 1, 0, 2]
    assert cells(tree["area_b"].pk) == [0, 0, 1, 1]
    assert cells("total") == [1, 1, 1, 3]


def test_filing_list_collective_sees_own_with_comment_and_refile(tree, users, signed_in, campaign):
    filing = file(campaign, tree["collective_a"], users["leader_a"])
    file(campaign, tree["collective_b"], users["leader_b"])
    services.decide_filing(actor=users["unit_admin_a"], filing=filing, accept=False, comment="请补充号长信息")
    client = signed_in(users["leader_a"])
    page = text_of(client.get("/campaigns/filings/"))
    assert "请补充号长信息" in page and "已退回" in page
    assert tree["collective_b"].name not in page
    assert "各单位报备情况" not in page
    assert 'data-testid="refile"' in page and "接受</button>" not in page
    response = client.post(f"/campaigns/{campaign.pk}/file/", {"collective": tree["collective_a"].pk})
    assert response.status_code == 302
    filing.refresh_from_db()
    assert filing.status == FilingStatus.PENDING


def test_filing_accept_by_plain_post(tree, users, signed_in, campaign):
    filing = file(campaign, tree["collective_a"], users["leader_a"])
    client = signed_in(users["unit_admin_a"])
    response = client.post(
        f"/campaigns/filings/{filing.pk}/decide/", {"decision": "accept", "next": "/campaigns/filings/?status=pending"}
    )
    assert response.status_code == 302 and response["Location"] == "/campaigns/filings/?status=pending"
    filing.refresh_from_db()
    assert filing.status == FilingStatus.ACCEPTED and filing.decided_by == users["unit_admin_a"]
    assert "已接受“环翠区政务服务中心窗口”的创建报备" in text_of(client.get(response["Location"]))


def test_filing_return_without_comment_is_refused(tree, users, signed_in, campaign):
    filing = file(campaign, tree["collective_a"], users["leader_a"])
    client = signed_in(users["unit_admin_a"])
    response = client.post(f"/campaigns/filings/{filing.pk}/decide/", {"decision": "return", "comment": " "})
    assert "退回报备时请填写退回意见" in text_of(client.get(response["Location"]))
    filing.refresh_from_db()
    assert filing.status == FilingStatus.PENDING


def test_filing_return_by_htmx_answers_the_new_row(tree, users, signed_in, campaign):
    filing = file(campaign, tree["collective_a"], users["leader_a"])
    response = signed_in(users["city_admin"]).post(
        f"/campaigns/filings/{filing.pk}/decide/", {"decision": "return", "comment": "请补充荣誉证书"},
        HTTP_HX_REQUEST="true",
    )
    page = text_of(response)
    assert response.status_code == 200
    assert page.strip().startswith("<tr") and "<html" not in page and "已退回" in page and "请补充荣誉证书" in page
    filing.refresh_from_db()
    assert filing.status == FilingStatus.RETURNED


def test_filing_decide_htmx_shows_refusal_in_the_row(tree, users, signed_in, campaign):
    filing = file(campaign, tree["collective_a"], users["leader_a"])
    page = text_of(
        signed_in(users["unit_admin_a"]).post(
            f"/campaigns/filings/{filing.pk}/decide/", {"decision": "return"}, HTTP_HX_REQUEST="true"
        )
    )
    assert 'data-code="filing.comment_required"' in page
    assert "接受</button>" in page  # still pending: the buttons stay


def test_filing_decide_other_units_filing_answers_404(tree, users, signed_in, campaign):
    filing = file(campaign, tree["collective_b"], users["leader_b"])
    response = signed_in(users["unit_admin_a"]).post(f"/campaigns/filings/{filing.pk}/decide/", {"decision": "accept"})
    assert response.status_code == 404
    filing.refresh_from_db()
    assert filing.status == FilingStatus.PENDING


def test_filing_decide_by_the_collective_itself_is_forbidden(tree, users, signed_in, campaign):
    filing = file(campaign, tree["collective_a"], users["leader_a"])
    response = signed_in(users["leader_a"]).post(f"/campaigns/filings/{filing.pk}/decide/", {"decision": "accept"})
    assert response.status_code == 403
    filing.refresh_from_db()
    assert filing.status == FilingStatus.PENDING


def test_filing_decide_needs_post(tree, users, signed_in, campaign):
    filing = file(campaign, tree["collective_a"], users["leader_a"])
    assert signed_in(users["unit_admin_a"]).get(f"/campaigns/filings/{filing.pk}/decide/").status_code == 405


def _filings(count, tree, campaign, actor):
    for index in range(count):
        unit = tree["area_a"] if index % 2 else tree["sub_a"]
        collective = factories.collective(unit=unit, honours=[("district", 2016)])
        file(campaign, collective, actor)


@pytest.mark.parametrize("account", ["city_admin", "unit_admin_a"])
def test_filing_list_query_count_is_constant(tree, users, signed_in, campaign, django_assert_num_queries, account):
    client = signed_in(users[account])
    _filings(1, tree, campaign, users["city_admin"])
    client.get("/campaigns/filings/")  # warm the session
    with CaptureQueriesContext(connection) as one:
        response = client.get(f"/campaigns/filings/?campaign={campaign.pk}")
    assert text_of(response).count('data-testid="filing-row"') == 1
    _filings(3, tree, campaign, users["city_admin"])
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(f"/campaigns/filings/?campaign={campaign.pk}")
    assert text_of(response).count('data-testid="filing-row"') == 4


def test_filing_list_query_count_is_constant_for_a_collective(tree, users, signed_in, django_assert_num_queries):
    client = signed_in(users["leader_a"])
    campaigns = [factories.campaign(office=tree["city"]) for _ in range(4)]
    file(campaigns[0], tree["collective_a"], users["leader_a"])
    client.get("/campaigns/filings/")
    with CaptureQueriesContext(connection) as one:
        client.get("/campaigns/filings/")
    for campaign in campaigns[1:]:
        file(campaign, tree["collective_a"], users["leader_a"])
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get("/campaigns/filings/")
    assert text_of(response).count('data-testid="filing-row"') == 4


def test_campaign_list_query_count_is_constant(tree, users, signed_in, django_assert_num_queries):
    client = signed_in(users["leader_a"])
    factories.campaign(office=tree["city"])
    client.get("/campaigns/")
    with CaptureQueriesContext(connection) as one:
        client.get("/campaigns/")
    for _ in range(3):
        factories.campaign(office=tree["city"])
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get("/campaigns/")
    assert text_of(response).count('data-testid="campaign-row"') == 4


def test_unit_admin_of_other_role_has_no_filing_page_for_foreign_campaign(tree, users, signed_in):
    other_city = factories.unit(name="烟台市团委", kind=UnitKind.CITY)
    campaign = factories.campaign(office=other_city)
    assert signed_in(users["unit_admin_a"]).get(f"/campaigns/{campaign.pk}/file/").status_code == 404
    admin = factories.account(role=Role.CITY_ADMIN, unit=other_city)
    assert signed_in(admin).get(f"/campaigns/{campaign.pk}/").status_code == 200
