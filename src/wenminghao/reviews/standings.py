"""A round's standings kept in the database: each judge's weighted score on the Assignment and one RoundEntry per
work (its number, judges assigned and scored, mean and trimmed mean), so that the results page, a judge's list and
the export page and sort a province round (tens of thousands of works, hundreds of thousands of assignments) in
SQL instead of reading every score of the round on each request.

The writers call these inside their own transaction, after changing assignments or scores:
- ``rescore_work`` when a judge's scores of one work change (services.save_scores);
- ``refresh_entries`` when assignments are added or removed (services.assign_works, services.set_judges);
- ``rebuild_round`` to recompute a round from its scores (the migration, ``manage.py recount_round_standings``, the
  benchmarks' bulk-built rounds). ``discrepancies`` compares what is kept with a fresh computation.

With the entries it keeps the round's counts, read by the round list and a round's page instead of summing a round's
entries and grouping its assignments: the round's RoundTally (works complete, partly scored, unscored; the sums of
judges assigned and scores given), adjusted by ``rescore_work`` from the entry's change, and each panel judge's
RoundJudge.assigned and .scored, the latter counted up by ``judge_scored`` (services.save_scores, on a judge's first
save of a work). ``refresh_entries`` and ``rebuild_round`` recount both (``recount``).

The arithmetic is reviews.scoring's (the same functions ``scoring.round_results`` uses), so the two agree.
"""

from bisect import bisect_left
from decimal import Decimal

from django.db.models import Count, F, IntegerField, Max, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce

from . import scoring
from .models import UNRANKED_KEY, Assignment, Criterion, ReviewRound, RoundEntry, RoundJudge, RoundTally, Score


def rank_key(trimmed_mean: Decimal | None) -> Decimal:
    """RoundEntry.rank_key: minus the trimmed mean, UNRANKED_KEY without one (ascending = the results' order)."""
    return Decimal(UNRANKED_KEY) if trimmed_mean is None else -trimmed_mean


def _standing(scores: list[Decimal], trim: int) -> tuple[int, Decimal | None, Decimal | None]:
    return len(scores), scoring.mean(scores), scoring.trimmed_mean(scores, trim)


def rescore_work(round_: ReviewRound, work_id: int) -> RoundEntry | None:
    """Recompute the judges' scores of one work in the round and its entry (n, mean, trimmed mean). The entry's row
    is locked first (FOR NO KEY UPDATE), so two judges saving the same work at once are counted one after the
    other. A handful of queries, whatever the size of the round."""
    entry = RoundEntry.objects.select_for_update(no_key=True).filter(round=round_, work_id=work_id).first()
    rubric = scoring.Rubric(Criterion.objects.filter(round=round_).order_by("position", "id"))
    values: dict[int, dict[int, Decimal]] = {}
    for assignment_id, criterion_id, value in Score.objects.filter(
            assignment__round=round_, assignment__work_id=work_id).values_list("assignment_id", "criterion_id",
                                                                               "value"):
        values.setdefault(assignment_id, {})[criterion_id] = value
    assignments = list(Assignment.objects.filter(round=round_, work_id=work_id).only("id", "score"))
    changed = []
    for assignment in assignments:
        score = rubric.score(values.get(assignment.pk, {}))
        if score != assignment.score:
            assignment.score = score
            changed.append(assignment)
    if changed:
        Assignment.objects.bulk_update(changed, ["score"])
    if entry is None:
        return None
    before = _tally_of(entry.judge_count, entry.scored_count)
    scores = [a.score for a in assignments if a.score is not None]
    entry.judge_count = len(assignments)
    entry.scored_count, entry.mean, entry.trimmed_mean = _standing(scores, round_.trim_count)
    entry.rank_key = rank_key(entry.trimmed_mean)
    entry.save(update_fields=["judge_count", "scored_count", "mean", "trimmed_mean", "rank_key"])
    after = _tally_of(entry.judge_count, entry.scored_count)
    change = {name: F(name) + after[name] - before[name] for name in after if after[name] != before[name]}
    if change and not RoundTally.objects.filter(round=round_).update(**change):
        recount_tally(round_)  # a round whose tally was never made (rows written around the services): make it
    return entry


# --- the round's kept counts ----------------------------------------------------------------------------------

TALLY_FIELDS = ("works", "complete", "partly", "unscored", "assignments", "scored")


def _tally_of(judge_count: int, scored_count: int) -> dict[str, int]:
    """What one entry adds to its round's RoundTally (the classes of round_totals: complete, partly, unscored)."""
    return {"works": 1, "complete": int(judge_count > 0 and scored_count == judge_count),
            "partly": int(0 < scored_count < judge_count), "unscored": int(scored_count == 0),
            "assignments": judge_count, "scored": scored_count}


def judge_scored(round_: ReviewRound, judge_id: int) -> None:
    """A judge's first save of an assignment's scores (its scored_at set): one more scored on the judge's row."""
    RoundJudge.objects.filter(round=round_, judge_id=judge_id).update(scored=F("scored") + 1)


def fresh_counts(round_: ReviewRound) -> tuple[dict[str, int], dict[int, tuple[int, int]]]:
    """The round's counts computed afresh: its RoundTally's figures from its entries, and {panel judge id:
    (assigned, scored)} from its assignments (two queries over the whole round: for writers and checks only)."""
    totals = RoundEntry.objects.filter(round=round_).aggregate(
        works=Count("id"),
        complete=Count("id", filter=Q(scored_count=F("judge_count"), judge_count__gt=0)),
        partly=Count("id", filter=Q(scored_count__gt=0, scored_count__lt=F("judge_count"))),
        unscored=Count("id", filter=Q(scored_count=0)),
        assignments=Sum("judge_count"), scored=Sum("scored_count"))
    per_judge = {judge_id: (assigned, scored) for judge_id, assigned, scored in Assignment.objects.filter(
        round=round_).order_by().values("judge_id").annotate(
        assigned=Count("id"), scored=Count("id", filter=Q(scored_at__isnull=False))).values_list(
        "judge_id", "assigned", "scored")}
    return {name: totals[name] or 0 for name in TALLY_FIELDS}, per_judge


def recount_tally(round_: ReviewRound) -> None:
    """Make the round's RoundTally equal a fresh count of its entries (its judges' counts are left as they are)."""
    RoundTally.objects.update_or_create(round=round_, defaults=fresh_counts(round_)[0])


def recount(round_: ReviewRound) -> None:
    """Make the round's RoundTally and its judges' counts equal a fresh count."""
    totals, per_judge = fresh_counts(round_)
    RoundTally.objects.update_or_create(round=round_, defaults=totals)
    panel = list(RoundJudge.objects.filter(round=round_).only("id", "judge_id", "assigned", "scored"))
    changed = []
    for round_judge in panel:
        assigned, scored = per_judge.get(round_judge.judge_id, (0, 0))
        if (round_judge.assigned, round_judge.scored) != (assigned, scored):
            round_judge.assigned, round_judge.scored = assigned, scored
            changed.append(round_judge)
    RoundJudge.objects.bulk_update(changed, ["assigned", "scored"])


def count_discrepancies(round_: ReviewRound) -> list[str]:
    """The round's kept counts that differ from a fresh count."""
    totals, per_judge = fresh_counts(round_)
    found = []
    tally = RoundTally.objects.filter(round=round_).values(*TALLY_FIELDS).first()
    if tally != totals and (tally is not None or any(totals.values())):
        found.append(f"轮次{round_.pk} 汇总：保存的为{tally}，应为{totals}")
    for judge_id, assigned, scored in RoundJudge.objects.filter(round=round_).values_list(
            "judge_id", "assigned", "scored"):
        if (assigned, scored) != per_judge.get(judge_id, (0, 0)):
            found.append(f"轮次{round_.pk} 评委{judge_id}：保存的分配/已评为{(assigned, scored)}，"
                         f"应为{per_judge.get(judge_id, (0, 0))}")
    return found


def refresh_entries(round_: ReviewRound) -> None:
    """After assignments were added or removed: an entry for every newly assigned work (numbered after the
    round's highest number, in the order of the works' ids), none for a work no longer assigned, and each
    entry's judge count (one UPDATE). Scores are not touched: only unscored assignments are ever removed."""
    assigned = Assignment.objects.filter(round=round_)
    RoundEntry.objects.filter(round=round_).exclude(work_id__in=assigned.values("work_id")).delete()
    known = set(RoundEntry.objects.filter(round=round_).values_list("work_id", flat=True))
    new = sorted(set(assigned.values_list("work_id", flat=True)) - known)
    if new:
        last = RoundEntry.objects.filter(round=round_).aggregate(last=Max("number"))["last"] or 0
        RoundEntry.objects.bulk_create(
            [RoundEntry(round=round_, work_id=work_id, number=last + index) for index, work_id in enumerate(new, 1)],
            batch_size=2000)
    numbers = RoundEntry.objects.filter(round=round_, work_id=OuterRef("work_id")).values("number")
    Assignment.objects.filter(round=round_, number__isnull=True).update(number=Subquery(numbers[:1]))
    per_work = (Assignment.objects.filter(round=round_, work_id=OuterRef("work_id")).order_by()
                .values("work_id").annotate(n=Count("pk")).values("n"))
    RoundEntry.objects.filter(round=round_).update(
        judge_count=Coalesce(Subquery(per_work[:1], output_field=IntegerField()), 0))
    if new:
        # a work newly assigned may already hold scores from an earlier assignment of the same round (never in
        # practice: assignments are created unscored); count them so that the entry is right in any case
        for work_id in Assignment.objects.filter(round=round_, work_id__in=new, scored_at__isnull=False).values_list(
                "work_id", flat=True).distinct():
            rescore_work(round_, work_id)
    recount(round_)


def _computed(round_: ReviewRound) -> dict:
    """{work id: (number, judge count, n, mean, trimmed mean)} and {assignment id: score}, computed afresh from the
    round's scores by reviews.scoring, numbering the works in the order of their ids."""
    rubric = scoring.Rubric(Criterion.objects.filter(round=round_).order_by("position", "id"))
    values: dict[int, dict[int, Decimal]] = {}
    for assignment_id, criterion_id, value in Score.objects.filter(assignment__round=round_).values_list(
            "assignment_id", "criterion_id", "value").iterator(chunk_size=5000):
        values.setdefault(assignment_id, {})[criterion_id] = value
    scores: dict[int, Decimal | None] = {}
    work_of: dict[int, int] = {}
    per_work: dict[int, list] = {}
    for assignment_id, work_id in Assignment.objects.filter(round=round_).values_list("id", "work_id").order_by(
            "work_id", "id").iterator(chunk_size=5000):
        score = scores[assignment_id] = rubric.score(values.get(assignment_id, {}))
        work_of[assignment_id] = work_id
        per_work.setdefault(work_id, []).append(score)
    works = {}
    for number, (work_id, judged) in enumerate(sorted(per_work.items()), start=1):
        given = [score for score in judged if score is not None]
        works[work_id] = (number, len(judged), *_standing(given, round_.trim_count))
    return {"works": works, "scores": scores, "work_of": work_of}


def rebuild_round(round_: ReviewRound) -> int:
    """Recompute every judge's score and every entry of the round from its scores. A work keeps the number it
    has; a work without an entry is numbered after the highest, in the order of the works' ids (as when first
    assigned). Returns the number of entries."""
    computed = _computed(round_)
    numbers = dict(RoundEntry.objects.filter(round=round_).values_list("work_id", "number"))
    last = max(numbers.values(), default=0)
    for work_id in sorted(set(computed["works"]) - set(numbers)):
        last += 1
        numbers[work_id] = last
    RoundEntry.objects.filter(round=round_).delete()
    RoundEntry.objects.bulk_create([
        RoundEntry(round=round_, work_id=work_id, number=numbers[work_id], judge_count=judges, scored_count=n,
                   mean=mean, trimmed_mean=trimmed, rank_key=rank_key(trimmed))
        for work_id, (_number, judges, n, mean, trimmed) in computed["works"].items()], batch_size=2000)
    work_of = computed["work_of"]
    changed = [Assignment(pk=pk, score=score, number=numbers[work_of[pk]]) for pk, score in computed["scores"].items()]
    for start in range(0, len(changed), 5000):
        Assignment.objects.bulk_update(changed[start:start + 5000], ["score", "number"])
    recount(round_)
    return len(computed["works"])


def discrepancies(round_: ReviewRound) -> list[str]:
    """What is kept but differs from a fresh computation (numbers aside: they are given once and kept)."""
    computed = _computed(round_)
    found = []
    kept = {row[0]: row[1:] for row in RoundEntry.objects.filter(round=round_).values_list(
        "work_id", "judge_count", "scored_count", "mean", "trimmed_mean")}
    for work_id, (_number, *figures) in computed["works"].items():
        if kept.get(work_id) != tuple(figures):
            found.append(f"轮次{round_.pk} 作品{work_id}：保存的为{kept.get(work_id)}，应为{tuple(figures)}")
    for work_id in set(kept) - set(computed["works"]):
        found.append(f"轮次{round_.pk} 作品{work_id}：已无分配，却仍有评审记录")
    numbers = dict(RoundEntry.objects.filter(round=round_).values_list("work_id", "number"))
    for pk, work_id, score, number in Assignment.objects.filter(round=round_).values_list(
            "id", "work_id", "score", "number"):
        if computed["scores"].get(pk) != score:
            found.append(f"轮次{round_.pk} 分配{pk}：保存的得分为{score}，应为{computed['scores'].get(pk)}")
        if numbers.get(work_id) != number:
            found.append(f"轮次{round_.pk} 分配{pk}：保存的编号为{number}，应为{numbers.get(work_id)}")
    return found + count_discrepancies(round_)


# --- reading: the results page --------------------------------------------------------------------------------

STANDING_ORDER = ("rank_key", "number")


def ranks_for(round_: ReviewRound, entries: list[RoundEntry]) -> None:
    """Set ``entry.rank`` on the page's entries: 1 + the number of the round's works with a higher trimmed mean
    (ties share a rank: 1, 2, 2, 4; no trimmed mean, no rank), whatever filter or order the page has. One grouped
    query on the round's index: the works better than the page's worst, counted per distinct figure (at most
    10,001 figures from 0.00 to 100.00; a handful on the first pages)."""
    keys = sorted({rank_key(entry.trimmed_mean) for entry in entries if entry.trimmed_mean is not None})
    better: list[Decimal] = []
    running: list[int] = [0]  # running[i]: the works whose key is below better[i]
    if keys:
        for key, count in (RoundEntry.objects.filter(round=round_, rank_key__lt=keys[-1]).order_by("rank_key")
                           .values_list("rank_key").annotate(n=Count("pk")).values_list("rank_key", "n")):
            better.append(key)
            running.append(running[-1] + count)
    for entry in entries:
        entry.rank = (None if entry.trimmed_mean is None
                      else running[bisect_left(better, rank_key(entry.trimmed_mean))] + 1)
