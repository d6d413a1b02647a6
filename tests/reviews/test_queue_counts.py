"""The review queue's counts per status (reviews.selectors.queue_counts: a count per status, each a range of the
index (status, campaign, …) for the office): they equal a count of the works the user may see, never count another
unit's or another campaign's works, cover every status but the draft, and take one query whatever the number of
works."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories
from wenminghao.reviews.selectors import QUEUE_STATUSES, queue_counts, review_queue
from wenminghao.works.enums import WorkStatus
from wenminghao.works.models import Work
from wenminghao.works.selectors import works_visible_to


@pytest.fixture
def campaign(tree):
    return factories.campaign(office=tree["city"])


def work_of(campaign, collective, user, status):
    return Work.objects.create(campaign=campaign, collective=collective, category="photo", title=f"{status}的作品",
                               display_form="picture", contact_name="张三", contact_phone="13800000000",
                               status=status, created_by=user)


def live_counts(user, campaign) -> dict[str, int]:
    visible = works_visible_to(user, campaign=campaign)
    return {status: visible.filter(status=status).count() for status in QUEUE_STATUSES}


def test_the_queue_shows_every_status_but_the_draft():
    assert set(QUEUE_STATUSES) == set(WorkStatus.values) - {WorkStatus.DRAFT}


def test_counts_are_the_visible_works_per_status(tree, users, campaign):
    other = factories.campaign(office=tree["city"], name="另一个创建活动")
    for index, status in enumerate([*WorkStatus.values, "submitted", "recommended", "recommended"]):
        collective = [tree["collective_a"], tree["collective_sub"], tree["collective_b"]][index % 3]
        leader = users["leader_b"] if collective == tree["collective_b"] else users["leader_a"]
        work_of(campaign, collective, leader, status)
        work_of(other, collective, leader, status)  # never counted for ``campaign``
    for who in ("city_admin", "unit_admin_a", "unit_admin_b", "leader_a"):
        user = users[who]
        counts = queue_counts(user, campaign)
        assert counts == live_counts(user, campaign), who
        # the "all" tab lists exactly the counted works
        assert sum(counts.values()) == review_queue(user, campaign).count(), who
    assert sum(queue_counts(users["city_admin"], campaign).values()) == len(WorkStatus.values) + 3 - 1
    # 环翠区 sees its two collectives' works only (环翠区 and 环翠楼街道), 文登区 its own
    assert sum(queue_counts(users["unit_admin_b"], campaign).values()) == Work.objects.filter(
        campaign=campaign, collective=tree["collective_b"]).exclude(status="draft").count()


def test_counts_take_one_query_whatever_the_number_of_works(tree, users, campaign):
    work_of(campaign, tree["collective_a"], users["leader_a"], "submitted")
    with CaptureQueriesContext(connection) as few:
        queue_counts(users["city_admin"], campaign)
    for status in QUEUE_STATUSES * 3:
        work_of(campaign, tree["collective_b"], users["leader_b"], status)
    with CaptureQueriesContext(connection) as more:
        counts = queue_counts(users["city_admin"], campaign)
    assert len(few.captured_queries) == len(more.captured_queries) == 1
    assert counts["submitted"] == 4


@pytest.mark.parametrize("who", ["city_admin", "unit_admin_a"])
def test_each_tab_pages_through_exactly_its_counted_works_and_filters_count_their_own(tree, users, campaign,
                                                                                     signed_in, who):
    for index, status in enumerate([*WorkStatus.values, "submitted", "recommended", "recommended", "returned"]):
        collective = [tree["collective_a"], tree["collective_sub"], tree["collective_b"]][index % 3]
        leader = users["leader_b"] if collective == tree["collective_b"] else users["leader_a"]
        work_of(campaign, collective, leader, status)
    user = users[who]
    client = signed_in(user)
    url = reverse("reviews:review_queue", args=[campaign.pk])
    for tab in (*QUEUE_STATUSES, "all"):
        response = client.get(url, {"status": tab})
        listed = review_queue(user, campaign, status="" if tab == "all" else tab)
        assert response.context["page_obj"].paginator.count == listed.count(), (who, tab)
        assert {work.pk for work in response.context["object_list"]} == set(listed.values_list("pk", flat=True))
    # with a filter beyond the tab the page counts its own rows (the tab's count would be wrong)
    response = client.get(url, {"status": "all", "q": "recommended"})
    assert response.context["page_obj"].paginator.count == review_queue(
        user, campaign, search="recommended").count() < sum(queue_counts(user, campaign).values())
