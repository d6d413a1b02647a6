"""The dashboard makes the same number of queries whatever the number of units, collectives and entries: measured on
the page, its .xlsx and the figures alone, with 3 collectives in 2 units and with 30 collectives in 10 units (each
with entries of three activities, a pairing visited and reviewed, a work)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories
from tests.ledger.conftest import pairing_data
from wenminghao.campaigns.services import file_creation
from wenminghao.evaluation.selectors import dashboard as selectors
from wenminghao.ledger import services as ledger
from wenminghao.works.models import Work

pytestmark = pytest.mark.django_db
# Measured (SQLite and PostgreSQL alike): the page 21 = the session, the account and its unit (3), the campaign (1),
# the missing list's count and page (2), the figures (selectors.dashboard: 13), the breadcrumbs (1), the bell's
# unread count (1); the .xlsx 21 = 3 + 1 + 13 + the missing sheet (1) + the audit entry in its savepoint (3); the
# figures alone 13.
PAGE_QUERIES = 21
XLSX_QUERIES = 21
FIGURES_QUERIES = 13
SMALL = {"units": 2, "collectives": 3}
LARGE = {"units": 8, "collectives": 27, "start": 3}  # 10 units and 30 collectives in all


@pytest.fixture
def campaign(tree):
    return factories.campaign(office=tree["city"], year=2018)


def grow(tree, users, campaign, *, units: int, collectives: int, start: int = 0) -> None:
    """``units`` more areas under the city with ``collectives`` more creating collectives spread over them, each with
    entries (every third without an open week, so that the missing list has rows)."""
    actor = users["city_admin"]
    areas = [factories.unit(parent=tree["city"], name=f"测试区{start + index}团委") for index in range(units)]
    for index in range(start, start + collectives):
        collective = factories.collective(unit=areas[index % units], name=f"测试集体{index}",
                                          honours=[("district", 2016)])
        file_creation(actor=actor, collective=collective, campaign=campaign)
        members = list(collective.members.order_by("id"))
        pairing = ledger.create_pairing(actor=actor, collective=collective, data=pairing_data(
            family_ref=f"37100200{index:08d}", started="2018-01-10"))
        for activity, extra in (("benchmark", {"stage": "target", "benchmark_against": "省级青年文明号",
                                               "focus": "convenience"}),
                                ("study", {"form": "seminar", "topic": "学习", "led_by": members[0].pk,
                                           "attendees": [member.pk for member in members[:3]]}),
                                ("families", {"pairing": pairing.pk, "help_kinds": ["education"]}),
                                ("open_week", {"shown": ["commitment"], "visitors": 12})):
            if activity == "open_week" and index % 3 == 0:
                continue
            ledger.create_entry(actor=actor, collective=collective, campaign=campaign, data={
                "activity": activity, "date": f"2018-{index % 12 + 1:02d}-15", "title": f"{activity}{index}",
                "content": "", **extra})
        ledger.add_pairing_review(actor=actor, pairing=pairing, data={
            "date": "2018-07-01", "outcome": "improving", "income_trend": "rising", "note": ""})
        Work.objects.create(campaign=campaign, collective=collective, category="photo", title=f"作品{index}",
                            display_form="picture", contact_name="张三", contact_phone="13800000000",
                            status="recommended", created_by=actor)


def count(callable_) -> int:
    with CaptureQueriesContext(connection) as queries:
        callable_()
    return len(queries)


def at_two_sizes(tree, users, campaign, measure) -> tuple[int, int]:
    """``measure()`` with 3 collectives in 2 units, then with 30 in 10 (once warmed up: content types and the like
    are read once per process)."""
    grow(tree, users, campaign, **SMALL)
    measure()
    small = count(measure)
    grow(tree, users, campaign, **LARGE)
    return small, count(measure)


def test_the_dashboard_page_makes_a_fixed_number_of_queries(tree, users, campaign, signed_in):
    client = signed_in(users["city_admin"])
    address = reverse("evaluation:dashboard", args=[campaign.pk])
    pages = []

    def page():
        response = client.get(address)
        assert response.status_code == 200
        pages.append(response.context["board"])

    assert at_two_sizes(tree, users, campaign, page) == (PAGE_QUERIES, PAGE_QUERIES)
    assert (pages[0].figures.creating, pages[-1].figures.creating) == (3, 30)
    assert (len(pages[0].rows), len(pages[-1].rows)) == (4, 12)  # the new areas and the tree's area_a and area_b
    assert pages[-1].figures.activities["open_week"].entries == 20


def test_a_filtered_page_of_the_missing_list_makes_as_many(tree, users, campaign, signed_in):
    client = signed_in(users["city_admin"])
    address = reverse("evaluation:dashboard", args=[campaign.pk])
    sizes = at_two_sizes(tree, users, campaign, lambda: client.get(address, {"missing": "open_week", "page": 1}))
    assert sizes == (PAGE_QUERIES, PAGE_QUERIES)


def test_the_missing_list_alone_for_htmx_makes_a_fixed_number(tree, users, campaign, signed_in):
    client = signed_in(users["city_admin"])
    address = reverse("evaluation:dashboard", args=[campaign.pk])
    small, large = at_two_sizes(tree, users, campaign, lambda: client.get(
        address, {"page": 1}, headers={"HX-Request": "true", "HX-Target": "missing"}))
    assert small == large == 7


def test_the_figures_make_a_fixed_number_of_queries(tree, users, campaign):
    sizes = at_two_sizes(tree, users, campaign,
                         lambda: selectors.dashboard(campaign, tree["city"], today=datetime.date(2026, 12, 1)))
    assert sizes == (FIGURES_QUERIES, FIGURES_QUERIES)


def test_the_xlsx_makes_a_fixed_number_of_queries(tree, users, campaign, signed_in):
    client = signed_in(users["city_admin"])
    address = reverse("evaluation:dashboard_xlsx", args=[campaign.pk])

    def download():
        response = client.get(address)
        b"".join(response.streaming_content)

    assert at_two_sizes(tree, users, campaign, download) == (XLSX_QUERIES, XLSX_QUERIES)


def test_the_home_page_makes_a_fixed_number_of_queries(tree, users, campaign, signed_in):
    client = signed_in(users["city_admin"])
    small, large = at_two_sizes(tree, users, campaign, lambda: client.get(reverse("evaluation:home")))
    assert small == large == 4
