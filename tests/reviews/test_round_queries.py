"""The city's round pages make the same number of queries whatever the number of works, judges and scores."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories
from tests.reviews.test_rounds import full_scores, make_work, open_round, setup  # noqa: F401 - fixture
from wenminghao.core.roles import Role
from wenminghao.reviews import services
from wenminghao.reviews.models import Assignment


def page_queries(client, name, round_) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse(name, args=[round_.pk])).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("name", ["reviews:round_detail", "reviews:round_results", "reviews:round_list"])
def test_round_pages_query_count_does_not_grow(setup, signed_in, name):  # noqa: F811
    round_, _ = open_round(setup)
    target = setup["campaign"] if name == "reviews:round_list" else round_
    client = signed_in(setup["city_admin"])
    for assignment in Assignment.objects.filter(round=round_)[:2]:
        services.save_scores(actor=assignment.judge, assignment=assignment, scores=full_scores(round_))
    client.get(reverse(name, args=[target.pk]))  # warm caches (sessions, content types)
    few = page_queries(client, name, target)
    # five more works, two more judges, every assignment scored
    for index in range(5):
        make_work(setup["campaign"], setup["collective_b"], setup["leader_b"], title=f"更多作品{index}")
    more_judges = [factories.account(username=f"judge_more{i}", role=Role.JUDGE) for i in range(2)]
    services.set_judges(actor=setup["city_admin"], round_=round_,
                        judges=[*setup["judges"].values(), *more_judges])
    services.assign_works(actor=setup["city_admin"], round_=round_)
    for assignment in Assignment.objects.filter(round=round_, scored_at__isnull=True).select_related("judge"):
        services.save_scores(actor=assignment.judge, assignment=assignment, scores=full_scores(round_, "7"))
    assert Assignment.objects.filter(round=round_).count() > 20
    assert page_queries(client, name, target) == few
