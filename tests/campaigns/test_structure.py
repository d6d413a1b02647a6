"""The structure overview (rule 2 of the notice): shares computed by hand and compared with the page."""

import json
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories
from wenminghao.campaigns import selectors, services
from wenminghao.collectives.enums import OrgType

pytestmark = pytest.mark.django_db


@pytest.fixture
def filed(tree, users):
    """A city campaign with these creating collectives (pending or accepted):

    area_a: collective_a (state), a_former (non-public, city title 2017 → 往届), a_social (social)
      sub_a: collective_sub (state), s_private (non-public)
    area_b: collective_b (state), b_former (state, city title 2016 → 往届)
    Not counted: b_returned (returned), and collective_a's filing for another campaign.
    """
    campaign = factories.campaign(office=tree["city"])
    other = factories.campaign(office=tree["city"])
    admin = users["city_admin"]
    district = [("district", 2016)]
    made = {
        "a_former": factories.collective(unit=tree["area_a"], org_type=OrgType.NON_PUBLIC, honours=[("city", 2017)]),
        "a_social": factories.collective(unit=tree["area_a"], org_type=OrgType.SOCIAL, honours=district),
        "s_private": factories.collective(unit=tree["sub_a"], org_type=OrgType.NON_PUBLIC, honours=district),
        "b_former": factories.collective(unit=tree["area_b"], honours=[("city", 2016)]),
        "b_returned": factories.collective(unit=tree["area_b"], org_type=OrgType.SOCIAL, honours=district),
    }
    filings = {}
    for collective in (tree["collective_a"], tree["collective_sub"], tree["collective_b"], *made.values()):
        filings[collective.pk] = services.file_creation(actor=admin, collective=collective, campaign=campaign)
    services.decide_filing(actor=admin, filing=filings[tree["collective_a"].pk], accept=True)
    services.decide_filing(actor=admin, filing=filings[made["b_returned"].pk], accept=False, comment="材料不全")
    services.file_creation(actor=admin, collective=tree["collective_a"], campaign=other)
    return campaign


def shares(structure):
    return {line.key: (line.count, line.total, line.below_target) for line in structure.lines}


def test_structure_of_city_counts_creating_collectives_only(tree, filed):
    structure = selectors.structure_of(filed, tree["city"])
    assert structure.total == 7
    # 往届 2/7 = 28.6% < 30%; non-public 2/7 = 28.6% ≥ 15%; social 1/7 = 14.3% ≥ 5%.
    assert shares(structure) == {"former": (2, 7, True), "non_public": (2, 7, False), "social": (1, 7, False)}


def test_structure_by_child_unit_rolls_up_sub_units(tree, filed):
    children = {item.unit.pk: item for item in selectors.structure_by_child_unit(filed, tree["city"])}
    assert set(children) == {tree["area_a"].pk, tree["area_b"].pk}
    # area_a with sub_a: 5 collectives; 往届 1 (20% < 30%), non-public 2 (40%), social 1 (20%).
    assert shares(children[tree["area_a"].pk]) == {
        "former": (1, 5, True), "non_public": (2, 5, False), "social": (1, 5, False)
    }
    # area_b: 2 collectives (the returned one does not count); 往届 1 (50%), none non-public or social.
    assert shares(children[tree["area_b"].pk]) == {
        "former": (1, 2, False), "non_public": (0, 2, True), "social": (0, 2, True)
    }


def test_structure_share_at_target_is_not_flagged(tree, users):
    campaign = factories.campaign(office=tree["city"], target_former_share=Decimal("0.5"))
    former = factories.collective(unit=tree["area_a"], honours=[("city", 2016)])
    for collective in (former, tree["collective_a"]):
        services.file_creation(actor=users["city_admin"], collective=collective, campaign=campaign)
    line = selectors.structure_of(campaign, tree["area_a"]).lines[0]
    assert (line.count, line.total, line.below_target) == (1, 2, False)


def test_structure_without_collectives_flags_nothing(tree):
    campaign = factories.campaign(office=tree["city"])
    structure = selectors.structure_of(campaign, tree["city"])
    assert structure.total == 0 and not structure.any_below


def test_structure_page_for_the_city(tree, users, signed_in, filed):
    page = signed_in(users["city_admin"]).get(f"/campaigns/{filed.pk}/structure/").content.decode()

    def card(key):
        return re.search(rf'data-key="{key}"><div class="card-body">(.*?)</div></div>', page, re.S).group(1)

    former_card = card("former")
    assert "28.5%" in former_card and "低于目标" in former_card and "2 / 7" in former_card
    social_card = card("social")
    assert "14.2%" in social_card and "低于目标" not in social_card

    def cell(unit, key):
        row = re.search(rf'<tr data-unit="{unit.pk}">(.*?)</tr>', page, re.S).group(1)
        return re.search(rf'data-key="{key}">(.*?)</td>', row, re.S).group(1)

    assert "20%" in cell(tree["area_a"], "former") and "低于目标" in cell(tree["area_a"], "former")
    assert "40%" in cell(tree["area_a"], "non_public") and "低于目标" not in cell(tree["area_a"], "non_public")
    assert "50%" in cell(tree["area_b"], "former") and "低于目标" not in cell(tree["area_b"], "former")
    assert "0%" in cell(tree["area_b"], "social") and "低于目标" in cell(tree["area_b"], "social")

    chart = json.loads(re.search(r'id="structure-data" type="application/json">(.*?)</script>', page).group(1))
    assert chart["units"] == ["环翠区团委", "文登区团委"]
    assert chart["series"][0]["data"] == [20.0, 50.0] and chart["series"][0]["target"] == 30.0
    assert "campaigns/structure_chart.js" in page


def test_structure_page_defaults_to_unit_admins_own_unit(tree, users, signed_in, filed):
    page = signed_in(users["unit_admin_a"]).get(f"/campaigns/{filed.pk}/structure/").content.decode()
    assert 'data-testid="total">5<' in page
    row = re.search(rf'<tr data-unit="{tree["sub_a"].pk}">(.*?)</tr>', page, re.S).group(1)
    # sub_a: collective_sub and s_private: 往届 0%, non-public 50%, social 0%.
    assert re.search(r'data-key="non_public">\s*50%', row)
    assert row.count("低于目标") == 2


def test_structure_page_unit_outside_subtree_answers_404(tree, users, signed_in, filed):
    response = signed_in(users["unit_admin_a"]).get(f"/campaigns/{filed.pk}/structure/?unit={tree['area_b'].pk}")
    assert response.status_code == 404


def test_structure_page_city_can_open_any_unit(tree, users, signed_in, filed):
    response = signed_in(users["city_admin"]).get(f"/campaigns/{filed.pk}/structure/?unit={tree['sub_a'].pk}")
    assert response.status_code == 200
    assert 'data-testid="total">2<' in response.content.decode()


@pytest.mark.parametrize("account", ["leader_a", "judge"])
def test_structure_page_for_non_admins_is_forbidden(users, signed_in, filed, account):
    assert signed_in(users[account]).get(f"/campaigns/{filed.pk}/structure/").status_code == 403


def test_filing_counts_by_child_unit_include_own_level(tree, users, filed):
    direct = factories.collective(unit=tree["city"], honours=[("district", 2016)])
    services.file_creation(actor=users["city_admin"], collective=direct, campaign=filed)
    lines, totals = selectors.filing_counts_by_child_unit(users["city_admin"], tree["city"], campaign=filed)
    counts = {(line.unit.pk if line.unit else "own"): (line.pending, line.accepted, line.returned) for line in lines}
    assert counts == {tree["area_a"].pk: (4, 1, 0), tree["area_b"].pk: (2, 0, 1), "own": (1, 0, 0)}
    assert (totals.pending, totals.accepted, totals.returned, totals.total) == (7, 1, 1, 9)


def test_filing_counts_by_child_unit_respect_visibility(tree, users, filed):
    lines, totals = selectors.filing_counts_by_child_unit(users["unit_admin_a"], tree["city"])
    # A unit admin asking about the city still sees only its own subtree's filings (both campaigns).
    assert totals.total == 6
    assert [line.total for line in lines] == [6, 0]


def test_structure_page_query_count_is_constant_in_filings(tree, users, signed_in, django_assert_num_queries):
    campaign = factories.campaign(office=tree["city"])
    client = signed_in(users["city_admin"])
    services.file_creation(actor=users["city_admin"], collective=tree["collective_a"], campaign=campaign)
    client.get(f"/campaigns/{campaign.pk}/structure/")
    with CaptureQueriesContext(connection) as one:
        client.get(f"/campaigns/{campaign.pk}/structure/")
    for unit in ("area_a", "sub_a", "area_b"):
        collective = factories.collective(unit=tree[unit], honours=[("district", 2016)])
        services.file_creation(actor=users["city_admin"], collective=collective, campaign=campaign)
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(f"/campaigns/{campaign.pk}/structure/")
    assert 'data-testid="total">4<' in response.content.decode()
