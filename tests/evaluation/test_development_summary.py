"""The dashboard's figures of training and exchange (``development_summary``) against figures counted by hand on the
small tree, sub-units included and returned filings excluded, and its constant number of queries.

    city ── T1 (city: a, b, returned attended), V1 (city: host nofile ← b), P2 (city: a guides b)
    ├── area_a ── collective_a, collective_nofile (titled, not filing) · T2 (huancui: sub, a), V2 (huancui: sub ← a),
    │   │         P1 (huancui: nofile guides sub), P3 (huancui: nofile guides returned)
    │   └── sub_a ── collective_sub, collective_returned (its filing returned after T1 and P3)
    └── area_b ── collective_b · T3 (wendeng: nobody)
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests import factories
from wenminghao.campaigns.services import decide_filing, file_creation
from wenminghao.evaluation.selectors.development import development_summary
from wenminghao.evaluation.services import development as services

TODAY = timezone.localdate()


@pytest.fixture
def world(tree, users, campaign, filings):
    city, huancui, wendeng = users["city_admin"], users["unit_admin_a"], users["unit_admin_b"]
    a, b, sub = tree["collective_a"], tree["collective_b"], tree["collective_sub"]
    nofile = factories.collective(unit=tree["area_a"], name="往届窗口", honours=[("city", 2016)])
    returned = factories.collective(unit=tree["sub_a"], name="退回的窗口", honours=[("district", 2016)])
    returned_filing = file_creation(actor=city, collective=returned, campaign=campaign)

    def training(actor, title, attended):
        session = services.create_training(actor=actor, campaign=campaign, data={"date": TODAY, "title": title})
        services.set_training_attendance(actor=actor, session=session, shown=[], attended=attended)

    training(city, "T1", [a, b, returned])
    training(huancui, "T2", [sub, a])
    training(wendeng, "T3", [])
    services.create_exchange_visit(actor=city, campaign=campaign,
                                   data={"date": TODAY, "topic": "V1", "host": nofile.pk, "visitors": [b.pk]})
    services.create_exchange_visit(actor=huancui, campaign=campaign,
                                   data={"date": TODAY, "topic": "V2", "host": sub.pk, "visitors": [a.pk]})
    for actor, mentor, mentee in ((huancui, nofile, sub), (city, a, b), (huancui, nofile, returned)):
        services.create_mentor_pair(actor=actor, campaign=campaign,
                                    data={"mentor": mentor.pk, "mentee": mentee.pk, "started": TODAY})
    decide_filing(actor=huancui, filing=returned_filing, accept=False, comment="材料不全")
    # another campaign's training is not counted
    other = factories.campaign(office=tree["city"], year=campaign.year)
    session = services.create_training(actor=city, campaign=other, data={"date": TODAY, "title": "别的活动"})
    file_creation(actor=city, collective=a, campaign=other)
    services.set_training_attendance(actor=city, session=session, shown=[], attended=[a])
    return tree


FIGURES = {
    # unit: (trainings, creating, trained, untrained, exchange_visits, exchange_collectives, mentor_pairs)
    "city": (3, 3, 3, 0, 2, 3, 2),
    "area_a": (2, 2, 2, 0, 2, 2, 1),  # T2 held, T1 attended by a; V1 hosted by nofile (not creating), V2
    "sub_a": (1, 1, 1, 0, 1, 1, 1),  # T2 by sub (T1 only by the returned one); V2 hosted by sub; P1
    "area_b": (2, 1, 1, 0, 1, 1, 1),  # T3 held, T1 attended by b; V1 made by b; P2
}


@pytest.mark.parametrize("unit", list(FIGURES))
def test_development_summary_counts_by_hand(world, campaign, unit):
    summary = development_summary(world[unit], campaign)
    assert (summary.trainings, summary.creating, summary.trained, summary.untrained, summary.exchange_visits,
            summary.exchange_collectives, summary.mentor_pairs) == FIGURES[unit]


def test_an_untrained_leader_lowers_the_share(world, tree, campaign, users):
    extra = factories.collective(unit=tree["sub_a"], name="新报备的窗口", honours=[("district", 2017)])
    file_creation(actor=users["city_admin"], collective=extra, campaign=campaign)
    summary = development_summary(tree["area_a"], campaign)
    assert (summary.creating, summary.trained, summary.untrained, summary.trained_percent) == (3, 2, 1, 66)


def test_development_summary_makes_four_queries_whatever_the_size(world, tree, campaign, users):
    def measured():
        with CaptureQueriesContext(connection) as captured:
            development_summary(tree["city"], campaign)
        return len(captured)

    small = measured()
    for index in range(6):
        collective = factories.collective(unit=tree["sub_a"], name=f"窗口{index}", honours=[("district", 2016)])
        file_creation(actor=users["city_admin"], collective=collective, campaign=campaign)
        session = services.create_training(actor=users["city_admin"], campaign=campaign,
                                           data={"date": TODAY, "title": f"培训{index}"})
        services.set_training_attendance(actor=users["city_admin"], session=session, shown=[], attended=[collective])
    assert small == measured() == 4
