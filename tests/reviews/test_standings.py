"""The round standings kept in the database (reviews.standings): they equal a fresh computation by reviews.scoring
after every kind of change, and the results page and a judge's home page through them in pages."""

import re

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from tests.reviews.test_rounds import _media, full_scores, make_work, open_round, setup  # noqa: F401 - fixtures
from wenminghao.reviews import scoring, services, standings
from wenminghao.reviews.models import Assignment, RoundEntry


def kept(round_):
    return {e.work_id: (e.number, e.judge_count, e.scored_count, e.mean, e.trimmed_mean)
            for e in RoundEntry.objects.filter(round=round_)}


def computed(round_):
    return {r.work.pk: (r.number, len(r.judges), r.n, r.mean, r.trimmed_mean) for r in scoring.round_results(round_)}


def score_all(round_, values):
    """Each assignment scored with the next value of ``values`` (cycled), through the service."""
    for index, assignment in enumerate(Assignment.objects.filter(round=round_).select_related("judge")
                                       .order_by("work_id", "judge__username")):
        services.save_scores(actor=assignment.judge, assignment=assignment,
                             scores=full_scores(round_, values[index % len(values)]))


@pytest.mark.parametrize("trim", [0, 1])
@pytest.mark.parametrize("values", [["8"], ["9", "6.5", "7"], ["10", "0", "5.25", "8"]])
def test_kept_standings_equal_a_fresh_computation(setup, trim, values):  # noqa: F811
    round_, _ = open_round(setup, trim=trim, judges=("city", "free"))
    assert kept(round_) == computed(round_)  # assigned, nothing scored: n 0, no means
    score_all(round_, values)
    assert kept(round_) == computed(round_)
    assert standings.discrepancies(round_) == []
    # a judge revises one score: only that work changes, and still agrees
    assignment = Assignment.objects.filter(round=round_).select_related("judge").first()
    services.save_scores(actor=assignment.judge, assignment=assignment, scores=full_scores(round_, "1"))
    assert kept(round_) == computed(round_)
    assert Assignment.objects.get(pk=assignment.pk).score == scoring.Rubric(
        round_.criteria.order_by("position", "id")).score({c.pk: 1 for c in round_.criteria.all()})


def test_new_works_are_numbered_after_the_others_and_removed_judges_uncounted(setup):  # noqa: F811
    round_, _ = open_round(setup, judges=("city", "free"))
    numbers = {e.work_id: e.number for e in RoundEntry.objects.filter(round=round_)}
    assert sorted(numbers.values()) == list(range(1, len(numbers) + 1))
    late = make_work(setup["campaign"], setup["collective_b"], setup["leader_b"], title="后推荐的作品")
    services.assign_works(actor=setup["city_admin"], round_=round_)
    entries = {e.work_id: e for e in RoundEntry.objects.filter(round=round_)}
    assert {pk: entries[pk].number for pk in numbers} == numbers  # a judge's 作品 #n never changes
    assert entries[late.pk].number == len(numbers) + 1
    assert {e.judge_count for e in entries.values()} == {2}
    services.set_judges(actor=setup["city_admin"], round_=round_, judges=[setup["judges"]["city"]])
    assert {e.judge_count for e in RoundEntry.objects.filter(round=round_)} == {1}
    assert standings.discrepancies(round_) == []


def test_rebuild_and_the_check_command(setup, capsys):  # noqa: F811
    round_, _ = open_round(setup, judges=("city", "free"))
    score_all(round_, ["9", "7"])
    before = kept(round_)
    RoundEntry.objects.filter(round=round_).update(mean=None, trimmed_mean=None, rank_key=1000)
    assert standings.discrepancies(round_)
    with pytest.raises(CommandError):
        call_command("recount_round_standings", "--check")
    assert "应为" in capsys.readouterr().err
    call_command("recount_round_standings")
    assert kept(round_) == before
    call_command("recount_round_standings", "--check")
    assert "一致" in capsys.readouterr().out


def ranks_on(html: str) -> list[str]:
    return re.findall(r'data-testid="rank">([^<]*)<', html)


def test_results_page_pages_with_ranks_that_count_the_whole_round(setup, signed_in, settings):  # noqa: F811
    round_, _ = open_round(setup, judges=("city", "free"))
    for index in range(53):
        make_work(setup["campaign"], setup["collective_b"], setup["leader_b"], title=f"更多作品{index}")
    services.assign_works(actor=setup["city_admin"], round_=round_)
    # two works tie for first place, every other work scores less, the last ones not at all
    for index, assignment in enumerate(Assignment.objects.filter(round=round_).select_related("judge", "work")
                                       .order_by("work_id", "judge__username")):
        work_index = index // 2
        if work_index >= 50:
            continue  # the round's last works: no score, no rank, listed last
        value = "10" if work_index < 2 else str(9 - (work_index % 9) * 0.5)
        services.save_scores(actor=assignment.judge, assignment=assignment, scores=full_scores(round_, value))
    client = signed_in(setup["city_admin"])
    url = reverse("reviews:round_results", args=[round_.pk])
    first = client.get(url).content.decode()
    ranks = ranks_on(first)
    assert len(ranks) == 50 and ranks[:3] == ["1", "1", "3"]
    expected = {r.work.pk: r.rank for r in scoring.round_results(round_)}
    second = client.get(url + "?page=2").content.decode()
    assert ranks_on(second).count("—") == RoundEntry.objects.filter(round=round_, scored_count=0).count()
    for html in (first, second):
        for work_id, rank in re.findall(r'<tr data-work="(\d+)">\s*<td class="fw-semibold" data-testid="rank">([^<]*)<',
                                        html):
            assert rank == (str(expected[int(work_id)]) if expected[int(work_id)] else "—")
    # a filter keeps the round-wide ranks: the pending works (none scored) and a search
    pending = client.get(url + "?pending=on").content.decode()
    assert set(ranks_on(pending)) == {"—"}
    searched = client.get(url + "?q=更多作品1").content.decode()
    for work_id, rank in re.findall(r'<tr data-work="(\d+)">\s*<td class="fw-semibold" data-testid="rank">([^<]*)<',
                                    searched):
        assert rank == (str(expected[int(work_id)]) if expected[int(work_id)] else "—")
    assert "作品 #" in searched


def test_judge_home_pages_one_round_and_filters_what_is_scored(setup, signed_in):  # noqa: F811
    round_, _ = open_round(setup, judges=("free",))
    for index in range(52):
        make_work(setup["campaign"], setup["collective_b"], setup["leader_b"], title=f"更多作品{index}")
    services.assign_works(actor=setup["city_admin"], round_=round_)
    judge = setup["judges"]["free"]
    mine = list(Assignment.objects.filter(round=round_, judge=judge).order_by("work_id"))
    for assignment in mine[:3]:
        services.save_scores(actor=judge, assignment=assignment, scores=full_scores(round_))
    client = signed_in(judge)
    home = client.get(reverse("reviews:judge_home")).content.decode()
    assert home.count('data-testid="assignment-link"') == 50
    assert f"已评 3 / {len(mine)}" in home
    assert "作品 #1 " in home
    rest = client.get(reverse("reviews:judge_home") + f"?round={round_.pk}&page=2").content.decode()
    assert rest.count('data-testid="assignment-link"') == len(mine) - 50
    waiting = client.get(reverse("reviews:judge_home") + f"?round={round_.pk}&scored=no").content.decode()
    assert waiting.count('data-testid="assignment-link"') == min(50, len(mine) - 3)
    done = client.get(reverse("reviews:judge_home") + f"?round={round_.pk}&scored=yes").content.decode()
    assert done.count('data-testid="assignment-link"') == 3
    assert client.get(reverse("reviews:judge_home") + "?round=999999").status_code == 404
