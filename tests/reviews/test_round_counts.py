"""The rounds' kept counts (reviews.standings: RoundTally and RoundJudge.assigned/.scored): after every kind of change
through the services they equal a count over the round's entries and assignments, the round pages read them
(round_progress, round_totals, campaign_rounds) in the same number of queries whatever the round's size, and
``recount_round_standings`` finds and mends counts changed around the services."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count, F, Q
from django.test.utils import CaptureQueriesContext

from tests.reviews.test_rounds import _media, full_scores, make_work, open_round, setup  # noqa: F401 - fixtures
from wenminghao.reviews import selectors, services, standings
from wenminghao.reviews.models import Assignment, RoundEntry, RoundJudge, RoundTally


def live_progress(round_) -> dict:
    """What round_progress said before the counts were kept: grouped over the assignments and the entries."""
    per_judge = {row["judge_id"]: (row["done"], row["expected"]) for row in Assignment.objects.filter(
        round=round_).values("judge_id").annotate(done=Count("id", filter=Q(scored_at__isnull=False)),
                                                   expected=Count("id"))}
    totals = RoundEntry.objects.filter(round=round_).aggregate(
        works=Count("id"),
        works_complete=Count("id", filter=Q(scored_count=F("judge_count"), judge_count__gt=0)),
        works_partly=Count("id", filter=Q(scored_count__gt=0, scored_count__lt=F("judge_count"))),
        works_none=Count("id", filter=Q(scored_count=0)))
    judges = [{"judge": rj.judge, "done": per_judge.get(rj.judge_id, (0, 0))[0],
               "expected": per_judge.get(rj.judge_id, (0, 0))[1]}
              for rj in RoundJudge.objects.filter(round=round_).select_related("judge").order_by("judge__username")]
    return {"judges": judges, "done": sum(d for d, _ in per_judge.values()),
            "expected": sum(e for _, e in per_judge.values()), **totals}


def live_list(campaign) -> list[tuple]:
    rows = []
    for round_ in selectors.campaign_rounds(campaign):
        entries = RoundEntry.objects.filter(round=round_)
        rows.append((round_.pk, round_.judge_count, round_.assignment_count, round_.scored_count,
                     sum(e.judge_count for e in entries), sum(e.scored_count for e in entries)))
    return rows


def assert_counts_agree(round_):
    assert standings.count_discrepancies(round_) == []
    assert selectors.round_progress(round_) == live_progress(round_)
    for _pk, _judges, assignments, scored, live_assignments, live_scored in live_list(round_.campaign):
        assert (assignments, scored) == (live_assignments, live_scored)


def test_counts_follow_assignments_scores_and_judges(setup):  # noqa: F811
    round_, _ = open_round(setup, judges=("huancui", "city", "free"))
    assert_counts_agree(round_)  # assigned (环翠's works skipped for its judge), nothing scored
    progress = selectors.round_progress(round_)
    assert progress["done"] == 0 and progress["expected"] == Assignment.objects.filter(round=round_).count() > 0
    assert progress["works_none"] == progress["works"] > 0
    # one judge scores one work: partly scored; then every judge of it: complete; a revision changes nothing
    first = Assignment.objects.filter(round=round_).select_related("judge").order_by("work_id", "judge_id")
    work_id = first[0].work_id
    for assignment in Assignment.objects.filter(round=round_, work_id=work_id).select_related("judge"):
        services.save_scores(actor=assignment.judge, assignment=assignment, scores=full_scores(round_, "7"))
        assert_counts_agree(round_)
    services.save_scores(actor=first[0].judge, assignment=first[0], scores=full_scores(round_, "9"))
    assert_counts_agree(round_)
    progress = selectors.round_progress(round_)
    assert progress["works_complete"] == 1
    assert progress["done"] == Assignment.objects.filter(round=round_, work_id=work_id).count()
    # a judge scores another work partly (one of its judges): partly
    other = Assignment.objects.filter(round=round_).exclude(work_id=work_id).select_related("judge").first()
    services.save_scores(actor=other.judge, assignment=other, scores=full_scores(round_, "5"))
    assert_counts_agree(round_)
    # a work recommended later and assigned; a judge without scores taken off the panel
    make_work(setup["campaign"], setup["collective_b"], setup["leader_b"], title="后推荐的作品")
    services.assign_works(actor=setup["city_admin"], round_=round_)
    assert_counts_agree(round_)
    scored_judges = set(Assignment.objects.filter(round=round_, scored_at__isnull=False).values_list("judge_id",
                                                                                                     flat=True))
    keep = [judge for judge in setup["judges"].values() if judge.pk in scored_judges]
    services.set_judges(actor=setup["city_admin"], round_=round_, judges=keep)
    assert_counts_agree(round_)
    assert standings.discrepancies(round_) == []


def test_a_round_without_assignments_counts_nothing(setup):  # noqa: F811
    round_ = services.create_round(actor=setup["city_admin"], campaign=setup["campaign"], category="photo", name="空")
    assert selectors.round_totals(round_) == {"works": 0, "works_complete": 0, "works_partly": 0, "works_none": 0}
    assert selectors.round_progress(round_)["expected"] == 0
    assert [(r.assignment_count, r.scored_count) for r in selectors.campaign_rounds(setup["campaign"])] == [(0, 0)]
    assert standings.discrepancies(round_) == []


def test_counts_changed_around_the_services_are_found_and_recounted(setup, capsys):  # noqa: F811
    round_, _ = open_round(setup, judges=("city", "free"))
    assignment = Assignment.objects.filter(round=round_).select_related("judge").first()
    services.save_scores(actor=assignment.judge, assignment=assignment, scores=full_scores(round_))
    before = (dict(RoundTally.objects.filter(round=round_).values().get()),
              sorted(RoundJudge.objects.filter(round=round_).values_list("judge_id", "assigned", "scored")))
    RoundTally.objects.filter(round=round_).update(complete=F("complete") + 3, scored=0)
    RoundJudge.objects.filter(round=round_).update(scored=0)
    assert len(standings.count_discrepancies(round_)) >= 2
    with pytest.raises(CommandError):
        call_command("recount_round_standings", "--check")
    assert "汇总" in capsys.readouterr().err
    call_command("recount_round_standings")
    after = (dict(RoundTally.objects.filter(round=round_).values().get()),
             sorted(RoundJudge.objects.filter(round=round_).values_list("judge_id", "assigned", "scored")))
    assert after == before
    call_command("recount_round_standings", "--check")
    # a round whose tally row is missing (rows written around the services) gets one at its next score
    RoundTally.objects.filter(round=round_).delete()
    other = Assignment.objects.filter(round=round_, scored_at__isnull=True).select_related("judge").first()
    services.save_scores(actor=other.judge, assignment=other, scores=full_scores(round_))
    assert standings.count_discrepancies(round_) == []


def test_round_pages_read_the_counts_in_queries_independent_of_the_round(setup):  # noqa: F811
    def queries(round_) -> int:
        with CaptureQueriesContext(connection) as captured:
            selectors.round_progress(round_)
            list(selectors.campaign_rounds(round_.campaign))
        return len(captured)

    round_, _ = open_round(setup, judges=("city",))
    small = queries(round_)
    for index in range(6):
        make_work(setup["campaign"], setup["collective_b"], setup["leader_b"], title=f"更多作品{index}")
    services.set_judges(actor=setup["city_admin"], round_=round_,
                        judges=[setup["judges"]["city"], setup["judges"]["free"]])
    services.assign_works(actor=setup["city_admin"], round_=round_)
    assert queries(round_) == small == 3  # panel with its counts, the round's tally, the round list
