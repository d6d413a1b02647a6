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
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from .models import Assignment, Criterion, Score

CENT = Decimal("0.01")


def quantize(value: Decimal | None) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def weighted_score(values: dict, criteria: Sequence) -> Decimal | None:
    """The score out of 100 of one judge for one work: ``values`` maps criterion id → value; ``criteria`` are
    objects with ``pk``, ``weight`` and ``max_score``. None while any criterion is unscored (or no criteria)."""
    return Rubric(criteria).score(values)


class Rubric:
    """A round's criteria prepared once for ``weighted_score`` over many judges and works (same arithmetic)."""
    def __init__(self, criteria: Sequence):
        self.terms = [(c.pk, Decimal(c.weight), Decimal(c.max_score)) for c in criteria]
        self.total_weight = sum((weight for _, weight, _ in self.terms), Decimal(0))
        self.usable = bool(self.terms) and self.total_weight > 0

    def score(self, values: dict) -> Decimal | None:
        if not self.usable:
            return None
        total = Decimal(0)
        for criterion_id, weight, maximum in self.terms:
            value = values.get(criterion_id)
            if value is None:
                return None
            if maximum <= 0:
                return None
            total += weight * Decimal(value) / maximum
        return quantize(total * 100 / self.total_weight)


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
    numbers: dict[tuple[int, int], int] = {}
    counters: dict[int, int] = {}
    pairs = (Assignment.objects.filter(round_id__in=list(round_ids)).values_list("round_id", "work_id").distinct()
             .order_by("round_id", "work_id"))
    for round_id, work_id in pairs:
        counters[round_id] = counters.get(round_id, 0) + 1
        numbers[(round_id, work_id)] = counters[round_id]
    return numbers


# What round_results reads of each work, its collective and unit, and each judge: the fields the results page,
# the campaign export and the conflict rule (``reviews.rules.judge_has_conflict``) use. Any other field of these
# instances is deferred (read on access, one query each time), as with ``.only()``.
RESULT_WORK_FIELDS = ("id", "campaign", "collective", "category", "title", "display_form", "status")
RESULT_COLLECTIVE_FIELDS = ("id", "name", "host_org", "unit")
RESULT_UNIT_FIELDS = ("id", "name", "short_name", "path")
RESULT_JUDGE_FIELDS = ("id", "username", "display_name", "role", "unit")


@dataclass(slots=True, eq=False)
class ResultAssignment:
    """What round_results keeps of an Assignment (JudgeScore.assignment): its ids, the judge's comment and when
    the scores were saved, with the same work and judge instances as the result. Not a model instance: it cannot
    be saved; fetch the Assignment by ``pk`` to change it."""
    pk: int
    round_id: int
    work_id: int
    judge_id: int
    comment: str
    scored_at: datetime | None
    work: object
    judge: object

    @property
    def id(self) -> int:
        return self.pk


class _Loader:
    """Builds instances of ``model`` holding only ``fields`` (the others deferred, as with ``.only()``) from the
    columns ``span`` of a values_list row: one instance per primary key, the same for every row that names it."""
    def __init__(self, model, fields: Sequence[str], prefix: str, db: str, start: int):
        self.model, self.db, self.instances = model, db, {}
        concrete = [f for f in model._meta.concrete_fields if f.name in fields]
        self.attnames = [f.attname for f in concrete]
        self.lookups = [prefix + f.name for f in concrete]
        self.span = slice(start, start + len(concrete))
        self.pk_index = start + self.attnames.index(model._meta.pk.attname)

    def get(self, row: Sequence):
        pk = row[self.pk_index]
        instance = self.instances.get(pk)
        if instance is None:
            instance = self.instances[pk] = self.model.from_db(self.db, self.attnames, row[self.span])
        return instance


def round_results(round_) -> list[WorkResult]:
    """One WorkResult per work assigned in the round, best first (unranked works last, by number): the judges'
    scores, n, mean, trimmed mean (``round_.trim_count``), rank, and the judges still missing. Three queries.

    Each work (its collective and the collective's unit cached on it, as select_related does) and each judge is
    one model instance holding the fields of RESULT_*_FIELDS, shared by all the rows that name it; each
    assignment is a ResultAssignment. The assignments are read with their judge, work, collective and unit in
    one values_list query, streamed rather than held."""
    rubric = Rubric(Criterion.objects.filter(round=round_).order_by("position", "id"))
    values: dict[int, dict[int, Decimal]] = {}
    shared: dict[tuple, Decimal] = {}  # equal values (same digits and exponent) share one Decimal
    for assignment_id, criterion_id, value in Score.objects.filter(assignment__round=round_).values_list(
        "assignment_id", "criterion_id", "value"
    ):
        values.setdefault(assignment_id, {})[criterion_id] = shared.setdefault(value.as_tuple(), value)

    queryset = Assignment.objects.filter(round=round_).order_by("work_id", "judge__username", "judge_id")
    work_field = Assignment._meta.get_field("work")
    collective_field = work_field.related_model._meta.get_field("collective")
    unit_field = collective_field.related_model._meta.get_field("unit")
    own_columns = ("id", "work_id", "comment", "scored_at")
    loaders = []
    for model, fields, prefix in (
        (Assignment._meta.get_field("judge").related_model, RESULT_JUDGE_FIELDS, "judge__"),
        (work_field.related_model, RESULT_WORK_FIELDS, "work__"),
        (collective_field.related_model, RESULT_COLLECTIVE_FIELDS, "work__collective__"),
        (unit_field.related_model, RESULT_UNIT_FIELDS, "work__collective__unit__"),
    ):
        start = loaders[-1].span.stop if loaders else len(own_columns)
        loaders.append(_Loader(model, fields, prefix, queryset.db, start))
    judges, works, collectives, units = loaders
    rows = queryset.values_list(*own_columns, *(lookup for loader in loaders for lookup in loader.lookups))

    by_work: dict[int, WorkResult] = {}
    for row in rows.iterator(chunk_size=2000):
        assignment_id, work_id, comment, scored_at = row[:4]
        result = by_work.get(work_id)
        if result is None:
            work, collective = works.get(row), collectives.get(row)
            unit_field.set_cached_value(collective, units.get(row))
            collective_field.set_cached_value(work, collective)
            result = by_work[work_id] = WorkResult(work=work, number=len(by_work) + 1, judges=[])
        judge = judges.get(row)
        assignment = ResultAssignment(pk=assignment_id, round_id=round_.pk, work_id=work_id, judge_id=judge.pk,
                                      comment=comment, scored_at=scored_at, work=result.work, judge=judge)
        own = values.get(assignment_id, {})
        result.judges.append(JudgeScore(judge=judge, assignment=assignment, score=rubric.score(own), values=own))
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
