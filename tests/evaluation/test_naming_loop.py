"""The loop the naming closes (issue 11, items 6 and 7), through the API as an integration would drive it: a
collective with only a district title, creating at city level, is named; next year's province-level campaign accepts
it on the prior-honour rule (the eligibility check and POST /applications agree); once the title is revoked, or past
its term on the campaign's reference date, that rule fails again with the specific message."""

import datetime

import pytest

from tests import factories
from tests.api.conftest import ApiClient
from wenminghao.campaigns.enums import FilingStatus
from wenminghao.campaigns.models import CreationFiling
from wenminghao.core.roles import Role
from wenminghao.orgs.enums import UnitKind

PRIOR = "eligibility.prior_honour"


@pytest.fixture
def api(client):
    return ApiClient(client)


def prior_honour_message(response) -> str | None:
    return next((error["message"] for error in response.json()["errors"] if error["code"] == PRIOR), None)


def province_campaign(tree, year, **fields):
    return factories.campaign(office=tree["city"], level="province", year=year, **fields)


def test_named_revoked_and_refused_again(api, tree, users, campaign, filings):
    city, collective = users["city_admin"], tree["collective_a"]
    next_year = province_campaign(tree, campaign.year + 1)
    check = api.get(f"/collectives/{collective.pk}/eligibility", user=city, campaign=next_year.pk)
    assert check.status_code == 200 and check.json()["eligible"] is False
    assert "该集体尚无此类荣誉记录" in prior_honour_message(check)

    named = api.post(f"/campaigns/{campaign.pk}/namings", {"collectives": [collective.pk]}, user=city)
    assert named.status_code == 200, named.content
    honour = named.json()["named"][0]["honour"]
    assert named.json()["named"][0]["collective"] == collective.pk
    assert (honour["level"], honour["year"], honour["title"]) == ("city", campaign.year,
                                                                  f"{campaign.year}年度威海市青年文明号")
    assert honour["state"] == "valid"
    detail = api.get(f"/collectives/{collective.pk}", user=users["leader_a"]).json()
    assert {(h["id"], h["state"]) for h in detail["honours"]} >= {(honour["id"], "valid")}

    check = api.get(f"/collectives/{collective.pk}/eligibility", user=users["leader_a"], campaign=next_year.pk)
    assert check.json() == {"eligible": True, "errors": []}
    filed = api.post("/applications", {"collective": collective.pk, "campaign": next_year.pk}, user=users["leader_a"])
    assert filed.status_code == 201 and filed.json()["status"] == FilingStatus.PENDING

    revoked = api.post(f"/honours/{honour['id']}/revoke", {"reason": "经核实的群众投诉"}, user=city)
    assert revoked.status_code == 200 and revoked.json() == {"id": honour["id"], "state": "revoked"}
    detail = api.get(f"/collectives/{collective.pk}", user=city).json()
    assert {h["id"]: h["state"] for h in detail["honours"]}[honour["id"]] == "revoked"

    later = province_campaign(tree, campaign.year + 1)
    check = api.get(f"/collectives/{collective.pk}/eligibility", user=city, campaign=later.pk)
    refused = api.post("/applications", {"collective": collective.pk, "campaign": later.pk}, user=users["leader_a"])
    assert refused.status_code == 422 and check.json()["eligible"] is False
    message = f"该集体的{campaign.year}年市级称号已被撤销，不再计入"
    assert message in prior_honour_message(check) and message in prior_honour_message(refused)
    assert check.json()["errors"] == refused.json()["errors"]  # the same rules, codes and messages

    # the filing made while the title held is not accepted now: the unit is told why, and may return it
    accepted = api.post(f"/applications/{filed.json()['id']}/accept", {}, user=users["unit_admin_a"])
    assert accepted.status_code == 422
    reason = prior_honour_message(accepted)
    assert reason.startswith(f"“{collective.name}”现已不符合报备条件：") and message in reason
    assert CreationFiling.objects.get(pk=filed.json()["id"]).status == FilingStatus.PENDING
    returned = api.post(f"/applications/{filed.json()['id']}/return", {"comment": "称号已被撤销"},
                        user=users["unit_admin_a"])
    assert returned.status_code == 200 and returned.json()["status"] == FilingStatus.RETURNED


@pytest.mark.parametrize(("reference", "eligible"), [
    (lambda year: datetime.date(year + 1, 12, 31), True),  # the last day of the term still counts
    (lambda year: datetime.date(year + 2, 1, 1), False),  # the day after, it does not
])
def test_a_named_title_counts_until_the_end_of_its_term_on_the_campaigns_reference_date(
        api, settings, tree, users, campaign, filings, reference, eligible):
    settings.WMH_TITLE_TERM_YEARS = {**settings.WMH_TITLE_TERM_YEARS, "city": 1}
    city, collective = users["city_admin"], tree["collective_a"]
    honour = api.post(f"/campaigns/{campaign.pk}/namings", {"collectives": [collective.pk]},
                      user=city).json()["named"][0]["honour"]
    assert honour["valid_until"] == f"{campaign.year + 1}-12-31"
    later = province_campaign(tree, campaign.year + 2, reference_date=reference(campaign.year))
    check = api.get(f"/collectives/{collective.pk}/eligibility", user=city, campaign=later.pk).json()
    message = next((error["message"] for error in check["errors"] if error["code"] == PRIOR), None)
    if eligible:
        assert message is None
    else:
        assert f"该集体的{campaign.year}年市级称号已过届期，不再计入" in message


def test_the_eligibility_check_files_nothing_and_answers_as_the_filing_would(api, tree, users, campaign):
    check = api.get(f"/collectives/{tree['collective_b'].pk}/eligibility", user=users["city_admin"],
                    campaign=campaign.pk)
    assert check.json() == {"eligible": True, "errors": []}
    assert not CreationFiling.objects.exists()


def test_a_campaign_that_does_not_cover_the_collective_is_refused_like_the_filing(api, db):
    province = factories.unit(name="山东省团委", kind=UnitKind.PROVINCE)
    weihai = factories.unit(parent=province, name="威海市团委", kind=UnitKind.CITY)
    yantai = factories.unit(parent=province, name="烟台市团委", kind=UnitKind.CITY)
    collective = factories.collective(unit=factories.unit(parent=yantai, name="芝罘区团委"),
                                      honours=[("district", 2016)])
    campaign = factories.campaign(office=weihai)
    admin = factories.account(role=Role.CITY_ADMIN, unit=province)
    check = api.get(f"/collectives/{collective.pk}/eligibility", user=admin, campaign=campaign.pk)
    filed = api.post("/applications", {"collective": collective.pk, "campaign": campaign.pk}, user=admin)
    assert check.json()["eligible"] is False
    assert [error["code"] for error in check.json()["errors"]] == ["filing.out_of_scope"]
    assert check.json()["errors"] == filed.json()["errors"]
