"""Reads of the central review rounds: rounds, judges, assignments, progress, conflicts of interest."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, OuterRef, Q
from django.db.models.functions import Coalesce

from wenminghao.accounts.models import User
from wenminghao.campaigns.selectors import campaigns_visible_to
from wenminghao.core.http import get_object_for
from wenminghao.core.predicates import is_judge
from wenminghao.core.queries import count_of
from wenminghao.core.roles import Role
from wenminghao.works.models import Work

from ..enums import RoundStatus
from ..models import Assignment, ReviewRound, RoundEntry, RoundJudge, RoundTally
from ..rules import judge_conflict_path, judge_has_conflict
from ..standings import STANDING_ORDER


def get_round_for(user, pk: int, perm: str | None = "reviews.manage_round"):
    """One round the user may see (rounds_visible_to, 404 otherwise), checked for ``perm`` (403)."""
    return get_object_for(user, rounds_visible_to(user), pk, perm,
                          denied="只有组织本次创建活动的团委管理员可以管理集中评议。")


def rounds_visible_to(user):
    """Review rounds of the campaigns the user may see (whether they may manage one is ``reviews.manage_round``)."""
    return ReviewRound.objects.filter(campaign__in=campaigns_visible_to(user).values("pk")).select_related(
        "campaign", "campaign__office")


def campaign_rounds(campaign):
    """The campaign's rounds with their numbers of judges, assignments and scored assignments: the panel counted per
    round (a handful of rows), the others read off the round's kept RoundTally (reviews.standings; summing the entries
    of three rounds of a 200,000-work campaign took 68 ms on SQLite, 73 ms on PostgreSQL)."""
    return (ReviewRound.objects.filter(campaign=campaign)
            .annotate(judge_count=count_of(RoundJudge.objects.filter(round=OuterRef("pk")), "round"),
                      assignment_count=Coalesce("tally__assignments", 0),
                      scored_count=Coalesce("tally__scored", 0))
            .order_by("-created_at", "-id"))


def judge_accounts(campaign):
    """Accounts that may sit on the campaign's panels: active judges of the office's subtree (or without a unit)."""
    return (User.objects.filter(role=Role.JUDGE, is_active=True)
            .filter(Q(unit__isnull=True) | Q(unit__path__startswith=campaign.office.path))
            .select_related("unit").order_by("username"))


def judge_assignments(user):
    """The assignments a judge may see: their own, in open or closed rounds, never a work of the judge's own
    unit's subtree (conflict of interest: reviews.rules.judge_conflict_path), with round and work.

    The rounds come first from the judge's panels (a handful of rows: assignments exist only in a round whose
    panel holds the judge, set_judges removes the others), so that the assignments are then read on the index
    (judge, round, …) alone; the unit join of the conflict rule is added only for the rounds where the judge's unit
    lies inside the round's office."""
    if not is_judge(user):
        return Assignment.objects.none()
    rounds = (RoundJudge.objects.filter(judge=user, round__status__in=[RoundStatus.OPEN, RoundStatus.CLOSED])
              .values_list("round_id", "round__campaign__office__path"))
    return (Assignment.objects.filter(_judge_scope(user, rounds), judge=user)
            .select_related("round", "round__campaign", "round__campaign__office", "work"))


def _judge_scope(user, rounds) -> Q:
    """The conflict rule over the judge's ``rounds`` ((round id, office path) pairs): every assignment of a round
    whose office does not lie above the judge's unit, and in the others none of a work of the unit's subtree."""
    free, guarded = [], []
    for round_id, office_path in rounds:
        (guarded if user.unit_id and not office_path.startswith(user.unit.path) else free).append(round_id)
    scope = Q(round_id__in=free)
    if guarded:
        scope |= Q(round_id__in=guarded) & ~Q(work__collective__unit__path__startswith=user.unit.path)
    return scope


def judge_may_see_work(user, work_id: int) -> bool:
    """A judge assigned the work (see judge_assignments): may see its files (registered with
    works.selectors.work_file_access in reviews/apps.py)."""
    return is_judge(user) and judge_assignments(user).filter(work_id=work_id).exists()


def round_progress(round_) -> dict:
    """Scores done / expected per judge, and the round's works by how far they are scored: {"judges": [{"judge",
    "done", "expected"}], "done", "expected", "works", "works_complete", "works_partly", "works_none"}. Two queries
    of a row per judge and one row, whatever the number of works: the counts kept by reviews.standings (RoundJudge's
    assigned and scored, RoundTally); grouping a round's 560,000 assignments by judge took 170 ms on SQLite (140 ms
    on PostgreSQL) and classifying its 80,000 entries 25 ms.
    Every assignment belongs to a judge of the panel (set_judges deletes a removed judge's)."""
    judges = [{"judge": round_judge.judge, "done": round_judge.scored, "expected": round_judge.assigned}
              for round_judge in RoundJudge.objects.filter(round=round_).select_related("judge")
              .order_by("judge__username")]
    return {"judges": judges, "done": sum(row["done"] for row in judges),
            "expected": sum(row["expected"] for row in judges), **round_totals(round_)}


def round_totals(round_) -> dict:
    """{"works", "works_complete", "works_partly", "works_none"}: the round's works, those every assigned judge has
    scored, those some have, those none has (its kept RoundTally: one row)."""
    tally = RoundTally.objects.filter(round=round_).values("works", "complete", "partly", "unscored").first() or {}
    return {"works": tally.get("works", 0), "works_complete": tally.get("complete", 0),
            "works_partly": tally.get("partly", 0), "works_none": tally.get("unscored", 0)}


CONFLICTS_SHOWN = 50


def round_conflicts(round_) -> dict:
    """The (work, judge) pairs of the round never assigned for a conflict of interest (a judge whose unit lies
    strictly inside the round's office and holds the work's collective): {"count": all of them, "pairs": the first
    CONFLICTS_SHOWN in the works' order}. Three queries whatever the number of works (the rule is
    reviews.rules.judge_conflict_path, as when works are assigned)."""
    office = round_.campaign.office
    judges = [rj.judge for rj in RoundJudge.objects.filter(round=round_).select_related("judge__unit")
              .order_by("judge__username")]
    paths = {judge.pk: judge_conflict_path(judge, office) for judge in judges}
    inside = [judge for judge in judges if paths[judge.pk] is not None]
    if not inside:
        return {"count": 0, "pairs": []}
    works = assignable_works(round_)
    per_judge = works.aggregate(**{f"j{judge.pk}": Count(
        "id", filter=Q(collective__unit__path__startswith=paths[judge.pk])) for judge in inside})
    any_conflict = Q()
    for judge in inside:
        any_conflict |= Q(collective__unit__path__startswith=paths[judge.pk])
    pairs = [(work, judge) for work in works.filter(any_conflict)[:CONFLICTS_SHOWN] for judge in inside
             if judge_has_conflict(judge, work, office)]
    return {"count": sum(per_judge.values()), "pairs": pairs[:CONFLICTS_SHOWN]}


ASSIGNABLE_STATUSES = ("recommended", "shortlisted")


def assignable_works(round_):
    """The works a round reviews: the campaign's works of the round's category that are recommended or
    shortlisted, with collective and unit."""
    return (Work.objects.filter(campaign_id=round_.campaign_id, category=round_.category,
                                status__in=ASSIGNABLE_STATUSES)
            .select_related("collective", "collective__unit").order_by("id"))


# --- the results page and a judge's list: paged in the database (reviews.standings keeps the figures) ----------

RESULT_ORDERS = {"rank": STANDING_ORDER, "number": ("number",),
                 "pending": ((F("judge_count") - F("scored_count")).desc(), "number")}


def round_entries(round_, *, status: str = "", unit=None, pending: bool = False, search: str = "",
                  order: str = "rank"):
    """The round's works (RoundEntry with work, collective and unit), filtered by the work's status, the unit whose
    subtree holds the collective, still waiting for a judge (``pending``) or a title/collective search, in
    ``order`` (RESULT_ORDERS: best first by default). Page it; ranks come from standings.ranks_for."""
    queryset = RoundEntry.objects.filter(round=round_)
    if status:
        queryset = queryset.filter(work__status=status)
    if unit is not None:
        queryset = queryset.filter(work__collective__unit__path__startswith=unit.path)
    if pending:
        queryset = queryset.filter(scored_count__lt=F("judge_count"))
    if search:
        queryset = queryset.filter(Q(work__title__icontains=search) | Q(work__collective__name__icontains=search))
    order_by = RESULT_ORDERS.get(order, STANDING_ORDER)
    return (queryset.select_related("work", "work__collective", "work__collective__unit")
            .only("id", "round_id", "work_id", "number", "judge_count", "scored_count", "mean", "trimmed_mean",
                  "work__id", "work__title", "work__status", "work__category", "work__collective_id",
                  "work__collective__id", "work__collective__name", "work__collective__unit_id",
                  "work__collective__unit__id", "work__collective__unit__name")
            .order_by(*order_by, "id"))


@dataclass(frozen=True, slots=True)
class ScoreCell:
    """One judge's cell of the results table (a judge assigned the work)."""
    judge_id: int
    score: Decimal | None  # None: not (completely) scored
    comment: str


def entry_cells(round_, entries, judges) -> None:
    """``entry.cells``: one per judge of the panel, the judge's ScoreCell for the work, or None where the work was
    never given to that judge (回避); ``entry.missing``: the assigned judges without a complete score. One query
    (plain values, no model instances) for the page's works."""
    by_work: dict[int, dict[int, ScoreCell]] = {}
    for work_id, judge_id, score, comment in Assignment.objects.filter(
            round=round_, work_id__in=[e.work_id for e in entries]).values_list("work_id", "judge_id", "score",
                                                                                 "comment"):
        by_work.setdefault(work_id, {})[judge_id] = ScoreCell(judge_id, score, comment)
    for entry in entries:
        own = by_work.get(entry.work_id, {})
        entry.cells = [own.get(judge.pk) for judge in judges]
        entry.missing = [judge for judge in judges if judge.pk in own and own[judge.pk].score is None]


def judge_rounds(user):
    """The rounds a judge has assignments in (open and closed), newest first, each with ``assigned`` and ``done``
    (scored) counted in SQL — the judge's visible assignments only (judge_assignments)."""
    counts = {row["round_id"]: row for row in judge_assignments(user).order_by().values("round_id").annotate(
        assigned=Count("id"), done=Count("id", filter=Q(scored_at__isnull=False)))}
    rounds = list(ReviewRound.objects.filter(pk__in=counts).select_related("campaign", "campaign__office")
                  .order_by("-created_at", "-id"))
    for round_ in rounds:
        round_.assigned, round_.done = counts[round_.pk]["assigned"], counts[round_.pk]["done"]
        round_.pending = round_.assigned - round_.done
    return rounds


def judge_round_assignments(user, round_, *, scored: str = ""):
    """One round's assignments of a judge for the judge's list, in the order of the works' numbers (作品 #n, kept on
    each assignment by reviews.standings; read off the index (judge, round, number)); ``scored`` "yes" or "no"
    narrows them. ``round_`` is one of judge_rounds(user) (its campaign's office loaded): the conflict rule is
    applied to it without reading the judge's panels again."""
    queryset = Assignment.objects.filter(_judge_scope(user, [(round_.pk, round_.campaign.office.path)]),
                                         judge=user, round=round_)
    if scored == "yes":
        queryset = queryset.filter(scored_at__isnull=False)
    elif scored == "no":
        queryset = queryset.filter(scored_at__isnull=True)
    return (queryset.select_related(None).select_related("work__collective__unit")
            .only("id", "round_id", "work_id", "judge_id", "number", "scored_at", "score", "work__id", "work__title",
                  "work__collective__id", "work__collective__name",
                  "work__collective__unit__id", "work__collective__unit__name")
            .order_by("number", "id"))
