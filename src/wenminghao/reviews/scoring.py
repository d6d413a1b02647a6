"""The arithmetic of central review (集中评议): a judge's weighted score for one work, each work's mean and
trimmed mean over its judges, and the ranking of a round's works (a round reviews one category, so its ranking
is the category's ranking).

Formula (documented, used everywhere):
- A judge's score for a work is ``100 × Σ(weightᵢ × valueᵢ / maxᵢ) / Σ weightᵢ`` over the round's criteria: a
  score out of 100. With weights that add up to 1 this is exactly ``Σ weightᵢ × valueᵢ / maxᵢ × 100``; weights
  such as 30/30/20/20 give the same result. A judge's score counts only once every criterion is scored.
- Mean: the plain mean of the judges' scores. Trimmed mean: the ``trim`` highest and ``trim`` lowest scores are
  dropped when there are more than ``2 × trim`` scores; otherwise it is the plain mean.
- Every figure is rounded half up to two decimals, and ranks compare the rounded trimmed means, so two works
  showing the same figure share a rank (1, 2, 2, 4). Works without any score are not ranked.

The pure functions take plain numbers; ``round_results`` reads a round from the database in a fixed number of
queries whatever the number of works and judges.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def quantize(value: Decimal | None) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def weighted_score(values: dict, criteria: Sequence) -> Decimal | None:
    """The score out of 100 of one judge for one work: ``values`` maps criterion id → value; ``criteria`` are
    objects with ``pk``, ``weight`` and ``max_score``. None while any criterion is unscored (or no criteria)."""
    if not criteria:
        return None
    total_weight = sum((Decimal(c.weight) for c in criteria), Decimal(0))
    if total_weight <= 0:
        return None
    total = Decimal(0)
    for criterion in criteria:
        value = values.get(criterion.pk)
        if value is None:
            return None
        maximum = Decimal(criterion.max_score)
        if maximum <= 0:
            return None
        total += Decimal(criterion.weight) * Decimal(value) / maximum
    return quantize(total * 100 / total_weight)


def mean(values: Sequence[Decimal]) -> Decimal | None:
    if not values:
        return None
    return quantize(sum(values, Decimal(0)) / len(values))


def trimmed_mean(values: Sequence[Decimal], trim: int) -> Decimal | None:
    """Drop the ``trim`` highest and lowest values when there are more than ``2 × trim`` of them; else the mean."""
    if not values:
        return None
    if trim > 0 and len(values) > 2 * trim:
        values = sorted(values)[trim:-trim]
    return mean(values)


def competition_ranks(values: Iterable[Decimal | None]) -> list[int | None]:
    """Ranks for values, highest first, equal values sharing a rank and the next rank skipping (1, 2, 2, 4).
    None (no score) gets no rank."""
    values = list(values)
    ordered = sorted((v for v in values if v is not None), reverse=True)
    first_place = {}
    for index, value in enumerate(ordered, start=1):
        first_place.setdefault(value, index)
    return [None if v is None else first_place[v] for v in values]


@dataclass
class JudgeScore:
    judge: object
    assignment: object
    score: Decimal | None  # None: not (completely) scored yet
    values: dict = field(default_factory=dict)


@dataclass
class WorkResult:
    work: object
    number: int  # "作品 #n" in the round
    judges: list[JudgeScore]
    n: int = 0
    mean: Decimal | None = None
    trimmed_mean: Decimal | None = None
    rank: int | None = None

    @property
    def missing(self) -> list:
        """The assigned judges who have not (completely) scored the work."""
        return [item.judge for item in self.judges if item.score is None]

    @property
    def scores(self) -> list[Decimal]:
        return [item.score for item in self.judges if item.score is not None]


def work_numbers(round_ids) -> dict[tuple[int, int], int]:
    """{(round id, work id): n}: each round's works numbered 1, 2, 3… in the order of their id — the "作品 #n"
    of a blind round, the same numbers as ``round_results``. One query."""
    from .models import Assignment

    numbers: dict[tuple[int, int], int] = {}
    counters: dict[int, int] = {}
    pairs = (Assignment.objects.filter(round_id__in=list(round_ids)).values_list("round_id", "work_id").distinct()
             .order_by("round_id", "work_id"))
    for round_id, work_id in pairs:
        counters[round_id] = counters.get(round_id, 0) + 1
        numbers[(round_id, work_id)] = counters[round_id]
    return numbers


def round_results(round_) -> list[WorkResult]:
    """One WorkResult per work assigned in the round, best first (unranked works last, by number): the judges'
    scores, n, mean, trimmed mean (``round_.trim_count``), rank, and the judges still missing. Three queries."""
    from .models import Assignment, Criterion, Score

    criteria = list(Criterion.objects.filter(round=round_).order_by("position", "id"))
    assignments = list(
        Assignment.objects.filter(round=round_)
        .select_related("judge", "work", "work__collective", "work__collective__unit")
        .order_by("work_id", "judge__username", "judge_id")
    )
    values: dict[int, dict[int, Decimal]] = {}
    for assignment_id, criterion_id, value in Score.objects.filter(assignment__round=round_).values_list(
        "assignment_id", "criterion_id", "value"
    ):
        values.setdefault(assignment_id, {})[criterion_id] = value
    by_work: dict[int, WorkResult] = {}
    numbers: dict[int, int] = {}
    for assignment in assignments:
        if assignment.work_id not in by_work:
            numbers[assignment.work_id] = len(numbers) + 1
            by_work[assignment.work_id] = WorkResult(work=assignment.work, number=numbers[assignment.work_id],
                                                     judges=[])
        own = values.get(assignment.pk, {})
        by_work[assignment.work_id].judges.append(
            JudgeScore(judge=assignment.judge, assignment=assignment, score=weighted_score(own, criteria), values=own)
        )
    results = list(by_work.values())
    for result in results:
        scores = result.scores
        result.n = len(scores)
        result.mean = mean(scores)
        result.trimmed_mean = trimmed_mean(scores, round_.trim_count)
    for result, rank in zip(results, competition_ranks(r.trimmed_mean for r in results), strict=True):
        result.rank = rank
    results.sort(key=lambda r: (r.rank is None, r.rank or 0, r.number))
    return results
