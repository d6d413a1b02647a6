"""The API of evaluation and naming (API.md, "Evaluation and naming"): the eligibility check, namings and revocation,
and the honours' ``state`` wherever the honour schema is shown. 404 for what the caller may not see, 403 for what it
sees and may not do, 422 with every unmet rule."""

import datetime

import pytest
from django.utils import timezone

from tests import factories
from tests.api.conftest import error_codes
from tests.evaluation.conftest import campaign, filings  # noqa: F401  (the evaluation tests' campaign and filings)
from wenminghao.collectives.models import Honour
from wenminghao.evaluation.models import Naming
from wenminghao.evaluation.services import naming as services


@pytest.fixture
def named(users, tree, campaign, filings):  # noqa: F811
    return services.name_collectives(actor=users["city_admin"], campaign=campaign,
                                     collectives=[tree["collective_a"]])[0].honour


# --- eligibility ---------------------------------------------------------------------------------------------


def test_eligibility_answers_every_unmet_rule_in_the_error_shape(api, users, tree, campaign):  # noqa: F811
    province = factories.campaign(office=tree["city"], level="province", year=campaign.year)
    response = api.get(f"/collectives/{tree['collective_b'].pk}/eligibility", user=users["unit_admin_b"],
                       campaign=province.pk)
    assert response.status_code == 200
    body = response.json()
    assert body["eligible"] is False
    assert body["errors"] == [{
        "code": "eligibility.prior_honour",
        "message": "创建省级青年文明号须曾获市级（或更高级别）青年文明号称号，该集体尚无此类荣誉记录",
        "field": "honours",
    }]


@pytest.mark.parametrize(("user", "collective", "status"), [
    ("unit_admin_a", "collective_a", 200), ("leader_a", "collective_a", 200), ("unit_admin_b", "collective_a", 404),
    ("leader_b", "collective_a", 404), ("judge", "collective_a", 404), (None, "collective_a", 401),
])
def test_eligibility_is_for_who_may_see_the_collective(api, users, tree, campaign, user, collective,  # noqa: F811
                                                       status):
    response = api.get(f"/collectives/{tree[collective].pk}/eligibility", user=users.get(user),
                       campaign=campaign.pk)
    assert response.status_code == status


def test_eligibility_needs_a_visible_campaign(api, users, tree):
    response = api.get(f"/collectives/{tree['collective_a'].pk}/eligibility", user=users["city_admin"])
    assert response.status_code == 422 and error_codes(response) == ["field.required"]
    assert api.get(f"/collectives/{tree['collective_a'].pk}/eligibility", user=users["city_admin"],
                   campaign=999999).status_code == 404


# --- namings -------------------------------------------------------------------------------------------------


def test_naming_answers_the_named_collectives_with_their_honours(api, users, tree, campaign, filings):  # noqa: F811
    response = api.post(f"/campaigns/{campaign.pk}/namings", {"collectives": [tree["collective_a"].pk]},
                        user=users["city_admin"])
    assert response.status_code == 200
    honour = Honour.objects.get(naming__campaign=campaign)
    assert response.json() == {"named": [{"collective": tree["collective_a"].pk, "honour": {
        "id": honour.pk, "level": "city", "year": campaign.year, "title": f"{campaign.year}年度威海市青年文明号",
        "state": "valid", "valid_until": f"{campaign.year + 3}-12-31",
        "awarded_by": {"id": tree["city"].pk, "name": "威海市团委"}, "revoked_at": None,
    }}]}


def test_naming_a_collective_not_creating_is_422_listing_each(api, users, tree, campaign, filings):  # noqa: F811
    response = api.post(f"/campaigns/{campaign.pk}/namings",
                        {"collectives": [tree["collective_a"].pk, tree["collective_sub"].pk, tree["collective_b"].pk]},
                        user=users["city_admin"])
    assert response.status_code == 422
    assert error_codes(response) == ["naming.not_creating", "naming.not_creating"]
    assert [error["field"] for error in response.json()["errors"]] == ["collectives", "collectives"]
    assert not Naming.objects.exists()


@pytest.mark.parametrize(("user", "status"), [("unit_admin_a", 403), ("leader_a", 403), ("judge", 403),
                                              (None, 401)])
def test_only_the_office_names(api, users, tree, campaign, filings, user, status):  # noqa: F811
    response = api.post(f"/campaigns/{campaign.pk}/namings", {"collectives": [tree["collective_a"].pk]},
                        user=users.get(user))
    assert response.status_code == status and not Naming.objects.exists()


def test_naming_in_an_invisible_campaign_or_an_invisible_collective_is_404(api, users, tree, campaign,  # noqa: F811
                                                                          filings):  # noqa: F811
    elsewhere = factories.campaign(office=factories.unit(name="烟台市团委"))
    assert api.post(f"/campaigns/{elsewhere.pk}/namings", {"collectives": [tree["collective_a"].pk]},
                    user=users["city_admin"]).status_code == 404
    assert api.post(f"/campaigns/{campaign.pk}/namings", {"collectives": [tree["collective_a"].pk, 999999]},
                    user=users["city_admin"]).status_code == 404
    assert not Naming.objects.exists()


def test_naming_needs_a_list_of_collectives(api, users, campaign):  # noqa: F811
    response = api.post(f"/campaigns/{campaign.pk}/namings", {}, user=users["city_admin"])
    assert response.status_code == 422 and error_codes(response) == ["field.required"]
    response = api.post(f"/campaigns/{campaign.pk}/namings", {"collectives": []}, user=users["city_admin"])
    assert response.status_code == 422 and error_codes(response) == ["naming.empty"]


# --- revocation ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("body", [{}, {"reason": ""}, {"reason": "  "}, {"reason": None}])
def test_revocation_without_a_reason_is_422(api, users, named, body):
    response = api.post(f"/honours/{named.pk}/revoke", body, user=users["city_admin"])
    assert response.status_code == 422 and error_codes(response) == ["honour.reason_required"]
    assert response.json()["errors"][0]["field"] == "reason"


def test_revocation_answers_the_new_state_and_refuses_a_second_one(api, users, named):
    response = api.post(f"/honours/{named.pk}/revoke", {"reason": "经核实的群众投诉"}, user=users["city_admin"])
    assert response.status_code == 200 and response.json() == {"id": named.pk, "state": "revoked"}
    again = api.post(f"/honours/{named.pk}/revoke", {"reason": "再次撤销"}, user=users["city_admin"])
    assert again.status_code == 422 and error_codes(again) == ["honour.revoked"]


@pytest.mark.parametrize(("user", "status"), [("unit_admin_a", 403), ("leader_a", 403), ("unit_admin_b", 404),
                                              ("leader_b", 404), ("judge", 404), (None, 401)])
def test_revocation_is_for_the_office_404_for_who_does_not_see_the_title(api, users, named, user, status):
    response = api.post(f"/honours/{named.pk}/revoke", {"reason": "投诉"}, user=users.get(user))
    assert response.status_code == status
    assert Honour.objects.get(pk=named.pk).revoked_at is None


# --- honours carry their state ---------------------------------------------------------------------------------


def test_honours_of_a_collective_carry_their_state(api, users, tree, named):
    typed = tree["collective_a"].honours.get(awarded_by__isnull=True)
    Honour.objects.filter(pk=typed.pk).update(valid_until=timezone.localdate() - datetime.timedelta(days=1))
    revoked = Honour.objects.create(collective=tree["collective_a"], level="city", year=2017, title="已撤销的称号")
    services.revoke_honour(actor=users["city_admin"], honour=revoked, reason="投诉属实")
    honours = api.get(f"/collectives/{tree['collective_a'].pk}", user=users["leader_a"]).json()["honours"]
    assert {h["id"]: h["state"] for h in honours} == {named.pk: "valid", typed.pk: "expired", revoked.pk: "revoked"}
    assert {h["id"]: h["awarded_by"] for h in honours}[typed.pk] is None


def test_a_collective_created_with_a_term_answers_it(api, users, tree):
    response = api.post("/collectives", {
        "name": "新建集体", "host_org": "某单位", "unit": tree["area_a"].pk, "sector": "service",
        "org_type": "state_enterprise", "contact_name": "王", "contact_phone": "13800000000",
        "honours": [
            {"level": "district", "year": 2016, "title": "2016年度环翠区青年文明号", "valid_until": "2018-12-31"},
            {"level": "district", "year": 2019, "title": "2019年度环翠区青年文明号"},
        ],
    }, user=users["unit_admin_a"])
    assert response.status_code == 201
    assert sorted((h["year"], h["valid_until"], h["state"]) for h in response.json()["honours"]) == [
        (2016, "2018-12-31", "expired"), (2019, None, "valid")]


def test_the_openapi_document_lists_the_three_operations(api, users):
    paths = api.client.get("/api/v1/openapi.json").json()["paths"]
    assert "get" in paths["/api/v1/collectives/{collective_id}/eligibility"]
    assert "post" in paths["/api/v1/campaigns/{campaign_id}/namings"]
    assert "post" in paths["/api/v1/honours/{honour_id}/revoke"]
