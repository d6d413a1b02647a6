"""The feedback lists make the same number of queries whatever their length: the management list, an item's page,
the statistics, the collective's panel and the public follow page, with few and with many items and units."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories
from tests.public import feedback_fixtures
from tests.public.feedback_fixtures import answered, leave, publish
from wenminghao.public.services.feedback import verify_complaint

pytestmark = pytest.mark.django_db
posts = feedback_fixtures.posts  # a fixture


def grow(tree, users, *, units: int, per_unit: int, start: int = 0) -> None:
    for index in range(start, start + units):
        area = factories.unit(parent=tree["city"], name=f"测试区{index}团委")
        collective = factories.collective(unit=area, name=f"测试集体{index}", honours=[("district", 2016)])
        publish(collective)
        for number in range(per_unit):
            leave(collective, kind="complaint", ip_address=f"10.0.{index}.{number}")
    for number in range(per_unit):
        item = answered(tree["collective_a"], users["leader_a"], kind="complaint",
                        ip_address=f"10.1.{start}.{number}")
        verify_complaint(actor=users["unit_admin_a"], feedback=item)


def count(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200, url
    return len(queries)


PAGES = [
    ("list", "city_admin", lambda tree: (reverse("public:feedback_manage"), None)),
    ("list filtered", "city_admin", lambda tree: (reverse("public:feedback_manage"), {"kind": "complaint"})),
    ("list of a collective", "leader_a", lambda tree: (reverse("public:feedback_manage"), None)),
    ("stats", "city_admin", lambda tree: (reverse("public:feedback_stats"), None)),
    ("collective page with the panel", "unit_admin_a",
     lambda tree: (reverse("collectives:detail", args=[tree["collective_a"].pk]), None)),
]


@pytest.mark.parametrize(("label", "role", "where"), PAGES, ids=[page[0] for page in PAGES])
def test_constant_queries(signed_in, posts, users, label, role, where):
    client = signed_in(users[role])
    grow(posts, users, units=2, per_unit=2)
    url, params = where(posts)
    small = count(client, url, params)
    grow(posts, users, units=6, per_unit=4, start=2)
    assert count(client, url, params) == small


def test_the_follow_page_reads_one_item_in_one_query(client, posts, users):
    item = answered(posts["collective_a"], users["leader_a"])
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("public:feedback_follow", args=[item.reference])).status_code == 200
    assert len([query for query in queries if "public_feedback" in query["sql"]]) == 1
