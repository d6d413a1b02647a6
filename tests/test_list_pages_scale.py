"""Every list and review page a user opens makes the same number of SQL queries whatever the number of works,
collectives, judges and scores (at most MAX_QUERIES), measured at two sizes on the same pages (issue 13)."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories
from wenminghao.core.roles import Role
from wenminghao.reviews import services, standings
from wenminghao.reviews.models import Assignment, Criterion, ReviewRound, Score
from wenminghao.works.models import Work, WorkFile

MAX_QUERIES = 15
# The campaign dashboard (evaluation) is a page of figures, each group one aggregate query over the subtree
# (filings, tallies per child unit, months, inspections, trainings, visits, pairs…), not a list.
DASHBOARD_MAX_QUERIES = 21


def add_works(campaign, collectives, leader, count: int, start: int) -> None:
    """``count`` recommended photo works spread over ``collectives``, each with two picture rows (bulk)."""
    works = Work.objects.bulk_create([
        Work(campaign=campaign, collective=collectives[i % len(collectives)], category="photo", display_form="picture",
             title=f"第{start + i}号作品", contact_name="张联系", contact_phone="13800000000", status="recommended",
             created_by=leader)
        for i in range(count)])
    WorkFile.objects.bulk_create([
        WorkFile(work=work, role="picture", position=position, original=f"works/{work.pk}/{position}.jpg",
                 original_name=f"{position}.jpg", size=1000, sha256="0" * 64, content_type="image/jpeg",
                 uploaded_by=leader)
        for work in works for position in (1, 2)])


def score_everything(round_) -> None:
    """Assign the round's works to its panel and give every assignment a full score (bulk), then the standings."""
    services.assign_works(actor=round_.created_by, round_=round_)
    criteria = list(Criterion.objects.filter(round=round_))
    Score.objects.bulk_create([
        Score(assignment=assignment, criterion=criterion, value=Decimal(5 + (assignment.pk + criterion.pk) % 5))
        for assignment in Assignment.objects.filter(round=round_, scored_at__isnull=True)
        for criterion in criteria], ignore_conflicts=True)
    standings.rebuild_round(ReviewRound.objects.get(pk=round_.pk))


@pytest.fixture
def office(tree, users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    campaign = factories.campaign(office=tree["city"])
    collectives = [tree["collective_a"], tree["collective_sub"], tree["collective_b"]]
    add_works(campaign, collectives, users["leader_a"], 3, 0)
    city = users["city_admin"]
    round_ = services.create_round(actor=city, campaign=campaign, category="photo", name="图片作品集中评议")
    services.set_rubric(actor=city, round_=round_, criteria=[
        {"name": name, "weight": weight, "max_score": maximum} for name, weight, maximum in services.DEFAULT_RUBRIC])
    judges = [users["judge"], factories.account(username="judge_huancui", role=Role.JUDGE, unit=tree["area_a"])]
    services.set_judges(actor=city, round_=round_, judges=judges)
    score_everything(round_)
    return {"campaign": campaign, "round": round_, "collectives": collectives, "judges": judges, **tree, **users}


def pages(o) -> list[tuple[str, str]]:
    campaign, round_ = o["campaign"].pk, o["round"].pk
    return [
        ("city_admin", f"/works/?campaign={campaign}"),
        ("city_admin", "/works/?campaign="),
        ("city_admin", f"/works/?campaign={campaign}&q=作品&status=recommended"),
        ("city_admin", f"/reviews/campaigns/{campaign}/queue/?status=all"),
        ("city_admin", f"/reviews/campaigns/{campaign}/queue/"),
        ("city_admin", f"/api/v1/works?campaign={campaign}"),
        ("unit_admin_a", f"/reviews/campaigns/{campaign}/queue/?status=all"),
        ("unit_admin_a", f"/works/?campaign={campaign}"),
        ("leader_a", "/works/"),
        ("city_admin", f"/reviews/campaigns/{campaign}/rounds/"),
        ("city_admin", f"/reviews/rounds/{round_}/"),
        ("city_admin", f"/reviews/rounds/{round_}/results/"),
        ("city_admin", f"/reviews/rounds/{round_}/results/?pending=on&order=number&q=作品"),
        ("judge", "/reviews/judging/"),
        ("judge", f"/reviews/judging/?round={round_}&scored=no"),
        ("city_admin", "/campaigns/filings/"),
        ("city_admin", "/collectives/"),
        ("city_admin", f"/evaluation/campaigns/{campaign}/"),
    ]


def counts(client, o) -> dict[str, int]:
    found = {}
    for who, url in pages(o):
        client.force_login(o[who], backend="wenminghao.accounts.backends.UsernameOrMobileBackend")
        client.get(url)  # warm: content types, the session
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, url
        found[f"{who} {url}"] = len(captured.captured_queries)
    return found


def test_list_and_review_pages_make_the_same_queries_at_two_sizes(client, office):
    few = counts(client, office)
    # 20 times the works (and their files), 30 more collectives, a third judge, every assignment scored
    more_collectives = [factories.collective(unit=office["area_a" if i % 2 else "area_b"], name=f"更多集体{i}")
                        for i in range(30)]
    add_works(office["campaign"], office["collectives"] + more_collectives, office["leader_a"], 60, 100)
    third = factories.account(username="judge_more", role=Role.JUDGE)
    services.set_judges(actor=office["city_admin"], round_=office["round"], judges=[*office["judges"], third])
    score_everything(office["round"])
    assert office["round"].entries.count() == 63 and Assignment.objects.filter(round=office["round"]).count() > 150
    many = counts(client, office)
    assert many == few
    limit = {key: DASHBOARD_MAX_QUERIES if "/evaluation/campaigns/" in key else MAX_QUERIES for key in many}
    assert all(many[key] <= limit[key] for key in many), {key: n for key, n in many.items() if n > limit[key]}
    # the rounds' kept counts (reviews.standings: RoundTally, RoundJudge.assigned/.scored) that the round pages read
    # still equal a fresh count after the bulk scoring and rebuild above
    assert standings.discrepancies(office["round"]) == []
