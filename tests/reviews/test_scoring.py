from dataclasses import dataclass
from decimal import Decimal as D

import pytest
from django.utils import timezone

from tests import factories
from wenminghao.core.roles import Role
from wenminghao.reviews import scoring
from wenminghao.reviews.models import Assignment, Criterion, ReviewRound, RoundJudge, Score
from wenminghao.works.models import Work


@dataclass
class C:
    pk: int
    weight: D
    max_score: D


RUBRIC = [C(1, D("0.3"), D("10")), C(2, D("0.3"), D("10")), C(3, D("0.2"), D("10")), C(4, D("0.2"), D("10"))]


@pytest.mark.parametrize(("values", "criteria", "expected"), [
    ({1: 10, 2: 10, 3: 10, 4: 10}, RUBRIC, D("100.00")),
    ({1: 0, 2: 0, 3: 0, 4: 0}, RUBRIC, D("0.00")),
    ({1: 8, 2: 7, 3: 9, 4: 6}, RUBRIC, D("75.00")),  # 0.3*.8+0.3*.7+0.2*.9+0.2*.6 = .75
    ({1: D("8.5"), 2: 7, 3: 9, 4: 6}, RUBRIC, D("76.50")),
    # weights that do not add up to 1 are normalised: 30/30/20/20 gives the same as 0.3/0.3/0.2/0.2
    ({1: 8, 2: 7, 3: 9, 4: 6}, [C(c.pk, c.weight * 100, c.max_score) for c in RUBRIC], D("75.00")),
    # different maximum scores
    ({1: 20, 2: 5}, [C(1, D(1), D(40)), C(2, D(1), D(5))], D("75.00")),
    # rounding half up to two decimals: 100 * (1/3) = 33.333…
    ({1: 1}, [C(1, D(1), D(3))], D("33.33")),
    ({1: 2}, [C(1, D(1), D(3))], D("66.67")),
    # a missing criterion: the judge's score does not count yet
    ({1: 8, 2: 7, 3: 9}, RUBRIC, None),
    ({}, RUBRIC, None),
    ({1: 5}, [], None),
])
def test_weighted_score_table(values, criteria, expected):
    assert scoring.weighted_score(values, criteria) == expected


@pytest.mark.parametrize(("values", "trim", "mean", "trimmed"), [
    ([], 1, None, None),
    ([D(80)], 1, D("80.00"), D("80.00")),
    ([D(80), D(90)], 1, D("85.00"), D("85.00")),  # n = 2 = 2*trim: plain mean
    ([D(70), D(80), D(90)], 1, D("80.00"), D("80.00")),  # n = 3 > 2: drop 70 and 90
    ([D(60), D(80), D(82), D(100)], 1, D("80.50"), D("81.00")),
    ([D(100), D(60), D(82), D(80)], 1, D("80.50"), D("81.00")),  # order does not matter
    ([D(60), D(80), D(82), D(100)], 0, D("80.50"), D("80.50")),  # no trimming
    ([D(60), D(80), D(82), D(100)], 2, D("80.50"), D("80.50")),  # n = 4 = 2*trim: plain mean
    ([D(10), D(60), D(80), D(82), D(100)], 2, D("66.40"), D("80.00")),
    ([D(90), D(90), D(90), D(10)], 1, D("70.00"), D("90.00")),  # equal values: one of each dropped
    ([D("33.33"), D("33.33"), D("33.34")], 0, D("33.33"), D("33.33")),
])
def test_mean_and_trimmed_mean_table(values, trim, mean, trimmed):
    assert scoring.mean(values) == mean
    assert scoring.trimmed_mean(values, trim) == trimmed


@pytest.mark.parametrize(("values", "ranks"), [
    ([], []),
    ([D(90)], [1]),
    ([D(90), D(80), D(80), D(70)], [1, 2, 2, 4]),
    ([D(70), D(80), D(90), D(80)], [4, 2, 1, 2]),
    ([D(80), D(80), D(80)], [1, 1, 1]),
    ([D(90), None, D(80)], [1, None, 2]),
    ([None, None], [None, None]),
    ([D("85.00"), D("85.00"), D("84.99")], [1, 1, 3]),
])
def test_competition_ranks_table(values, ranks):
    assert scoring.competition_ranks(values) == ranks


# --- a round read from the database ----------------------------------------------------------------------


def _round(tree, users, *, trim=1, judges=4, works=3):
    campaign = factories.campaign(office=tree["city"])
    round_ = ReviewRound.objects.create(campaign=campaign, category="photo", name="图片作品集中评议", trim_count=trim,
                                        created_by=users["city_admin"])
    criteria = [Criterion.objects.create(round=round_, name=name, weight=weight, max_score=10, position=index)
                for index, (name, weight) in enumerate([("主题契合", D("0.5")), ("原创性", D("0.5"))])]
    panel = [factories.account(username=f"judge{index}", role=Role.JUDGE, unit=tree["city"])
             for index in range(1, judges + 1)]
    for judge in panel:
        RoundJudge.objects.create(round=round_, judge=judge)
    made = [Work.objects.create(campaign=campaign, collective=tree["collective_b"], category="photo",
                                title=f"作品{index}", display_form="picture", contact_name="张三",
                                contact_phone="13800000000", status="recommended", created_by=users["leader_b"])
            for index in range(1, works + 1)]
    assignments = {(w.pk, j.pk): Assignment.objects.create(round=round_, work=w, judge=j) for w in made for j in panel}
    return round_, criteria, panel, made, assignments


def _score(assignments, criteria, work, judge, first, second):
    assignment = assignments[(work.pk, judge.pk)]
    Score.objects.create(assignment=assignment, criterion=criteria[0], value=first)
    Score.objects.create(assignment=assignment, criterion=criteria[1], value=second)


def test_round_results_ties_missing_scores_and_trim(tree, users, django_assert_num_queries):
    round_, criteria, panel, (w1, w2, w3), assignments = _round(tree, users)
    # w1: 90, 80, 70, 60 → mean 75, trimmed (drop 90 and 60) 75
    for judge, value in zip(panel, (9, 8, 7, 6), strict=True):
        _score(assignments, criteria, w1, judge, value, value)
    # w2: 100, 70, 80, missing → n 3, mean 83.33, trimmed (drop 100 and 70) 80.00
    for judge, value in zip(panel[:3], (10, 7, 8), strict=True):
        _score(assignments, criteria, w2, judge, value, value)
    # w3: one criterion only from judge 1 (incomplete: missing), judge 2 gives 75 → n 1, 75.00: ties w1
    Score.objects.create(assignment=assignments[(w3.pk, panel[0].pk)], criterion=criteria[0], value=9)
    _score(assignments, criteria, w3, panel[1], 8, 7)
    with django_assert_num_queries(3):
        results = scoring.round_results(round_)
    by_work = {r.work.pk: r for r in results}
    assert [(r.work.pk, r.rank) for r in results] == [(w2.pk, 1), (w1.pk, 2), (w3.pk, 2)]
    assert (by_work[w1.pk].n, by_work[w1.pk].mean, by_work[w1.pk].trimmed_mean) == (4, D("75.00"), D("75.00"))
    assert (by_work[w2.pk].n, by_work[w2.pk].mean, by_work[w2.pk].trimmed_mean) == (3, D("83.33"), D("80.00"))
    assert (by_work[w3.pk].n, by_work[w3.pk].mean, by_work[w3.pk].trimmed_mean) == (1, D("75.00"), D("75.00"))
    assert by_work[w1.pk].missing == []
    assert by_work[w2.pk].missing == [panel[3]]
    assert by_work[w3.pk].missing == [panel[0], panel[2], panel[3]]
    assert [r.number for r in sorted(results, key=lambda r: r.work.pk)] == [1, 2, 3]


def test_round_results_unscored_work_is_unranked_and_last(tree, users):
    round_, criteria, panel, (w1, w2, w3), assignments = _round(tree, users, judges=2)
    _score(assignments, criteria, w3, panel[0], 5, 5)
    results = scoring.round_results(round_)
    assert [(r.work.pk, r.rank, r.n, r.mean) for r in results] == [
        (w3.pk, 1, 1, D("50.00")), (w1.pk, None, 0, None), (w2.pk, None, 0, None)]


def test_round_results_query_count_independent_of_size(tree, users, django_assert_num_queries):
    round_, *_ = _round(tree, users, judges=1, works=1)
    with django_assert_num_queries(3):
        assert len(scoring.round_results(round_)) == 1
    big, *_ = _round(tree, users, judges=0, works=0)
    for index in range(5, 10):
        judge = factories.account(username=f"panel{index}", role=Role.JUDGE, unit=tree["city"])
        work = Work.objects.create(campaign=big.campaign, collective=tree["collective_b"], category="photo",
                                   title=f"作品{index}", display_form="picture", contact_name="张三",
                                   contact_phone="13800000000", status="recommended", created_by=users["leader_b"])
        Assignment.objects.create(round=big, work=work, judge=judge)
    with django_assert_num_queries(3):
        assert len(scoring.round_results(big)) == 5


def test_work_numbers_per_round_in_work_order(tree, users):
    round_, _criteria, _panel, works, _assignments = _round(tree, users, judges=2)
    numbers = scoring.work_numbers([round_.pk])
    assert [numbers[(round_.pk, w.pk)] for w in works] == [1, 2, 3]


# --- round_results reads each work and judge once, with what its callers use ----------------------------------


def _score_all(round_, criteria, *, comment=""):
    for index, assignment in enumerate(Assignment.objects.filter(round=round_).order_by("id")):
        assignment.comment = comment
        assignment.scored_at = timezone.now()
        assignment.save()
        for criterion in criteria:
            Score.objects.create(assignment=assignment, criterion=criterion, value=5 + index % 5)


@pytest.mark.parametrize(("judges", "works"), [(1, 1), (2, 3), (5, 8)])
def test_round_results_query_count_does_not_grow_with_works_and_judges(tree, users, django_assert_num_queries,
                                                                        judges, works):
    round_, criteria, *_ = _round(tree, users, judges=judges, works=works)
    _score_all(round_, criteria, comment="构图完整")
    with django_assert_num_queries(3):
        results = scoring.round_results(round_)
    assert len(results) == works
    assert sum(len(result.judges) for result in results) == judges * works


def test_round_results_reads_what_the_results_page_and_export_use_without_more_queries(
        tree, users, django_assert_num_queries):
    round_, criteria, panel, made, assignments = _round(tree, users, judges=2, works=2)
    _score_all(round_, criteria, comment="主题鲜明")
    usernames = {judge.pk: judge.username for judge in panel}
    titles = {work.pk: work.title for work in made}
    collective = tree["collective_b"]
    results = scoring.round_results(round_)
    with django_assert_num_queries(0):
        for result in results:
            work = result.work
            assert (work.title, work.status, work.get_status_display(), work.category, work.campaign_id) == (
                titles[work.pk], "recommended", "已推荐", "photo", round_.campaign_id)
            assert (work.collective.name, work.collective.unit.name, work.collective.unit.path) == (
                collective.name, collective.unit.name, collective.unit.path)
            for item in result.judges:
                judge = item.judge
                assert (str(judge), judge.username, judge.display_name, judge.role, judge.unit_id) == (
                    usernames[judge.pk], usernames[judge.pk], "", Role.JUDGE, tree["city"].pk)
                assert (item.assignment.pk, item.assignment.id, item.assignment.judge_id, item.assignment.work_id,
                        item.assignment.round_id) == (assignments[(work.pk, judge.pk)].pk,) * 2 + (
                            judge.pk, work.pk, round_.pk)
                assert item.assignment.comment == "主题鲜明"
                assert item.assignment.work is work and item.assignment.judge is judge
    for result in results:
        for item in result.judges:
            stored = Assignment.objects.get(pk=item.assignment.pk)
            assert (item.assignment.comment, item.assignment.scored_at) == (stored.comment, stored.scored_at)
            assert item.assignment.scored_at is not None


def test_round_results_shares_one_instance_per_judge_work_and_unit(tree, users):
    round_, *_ = _round(tree, users, judges=3, works=3)
    results = scoring.round_results(round_)
    by_judge = {}
    for result in results:
        assert all(item.assignment.work is result.work for item in result.judges)
        for item in result.judges:
            assert by_judge.setdefault(item.judge.pk, item.judge) is item.judge
    assert len(by_judge) == 3
    assert len({id(result.work.collective.unit) for result in results}) == 1
