"""Reads of the central review rounds: rounds, judges, assignments, progress, conflicts of interest."""

from django.db.models import Count, Q

from wenminghao.accounts.models import User
from wenminghao.campaigns.selectors import campaigns_visible_to
from wenminghao.core.http import get_object_for
from wenminghao.core.predicates import is_judge
from wenminghao.core.roles import Role
from wenminghao.works.models import Work

from ..enums import RoundStatus
from ..models import Assignment, ReviewRound, RoundJudge
from ..rules import judge_has_conflict


def get_round_for(user, pk: int, perm: str | None = "reviews.manage_round"):
    """One round the user may see (rounds_visible_to, 404 otherwise), checked for ``perm`` (403)."""
    return get_object_for(user, rounds_visible_to(user), pk, perm,
                          denied="只有组织本次创建活动的团委管理员可以管理集中评议。")


def rounds_visible_to(user):
    """Review rounds of the campaigns the user may see (whether they may manage one is ``reviews.manage_round``)."""
    return ReviewRound.objects.filter(campaign__in=campaigns_visible_to(user).values("pk")).select_related(
        "campaign", "campaign__office")


def campaign_rounds(campaign):
    """The campaign's rounds with their numbers of judges, assignments and scored assignments (one query)."""
    return (ReviewRound.objects.filter(campaign=campaign)
            .annotate(judge_count=Count("round_judges", distinct=True),
                      assignment_count=Count("assignments", distinct=True),
                      scored_count=Count("assignments", filter=Q(assignments__scored_at__isnull=False), distinct=True))
            .order_by("-created_at", "-id"))


def judge_accounts(campaign):
    """Accounts that may sit on the campaign's panels: active judges of the office's subtree (or without a unit)."""
    return (User.objects.filter(role=Role.JUDGE, is_active=True)
            .filter(Q(unit__isnull=True) | Q(unit__path__startswith=campaign.office.path))
            .select_related("unit").order_by("username"))


def judge_assignments(user):
    """The assignments a judge may see: their own, in open or closed rounds, never a work of the judge's own
    unit's subtree (conflict of interest: reviews.rules.judge_conflict_path), with round and work."""
    if not is_judge(user):
        return Assignment.objects.none()
    queryset = Assignment.objects.filter(judge=user, round__status__in=[RoundStatus.OPEN, RoundStatus.CLOSED])
    if user.unit_id:
        path = user.unit.path
        # A conflict where the judge's unit lies strictly inside the round's office and contains the collective.
        queryset = queryset.exclude(Q(work__collective__unit__path__startswith=path)
                                    & ~Q(round__campaign__office__path__startswith=path))
    return queryset.select_related("round", "round__campaign", "round__campaign__office", "work")


def judge_may_see_work(user, work_id: int) -> bool:
    """A judge assigned the work (see judge_assignments): may see its files (registered with
    works.selectors.work_file_access in reviews/apps.py)."""
    return is_judge(user) and judge_assignments(user).filter(work_id=work_id).exists()


def round_progress(round_) -> dict:
    """Scores done / expected per judge and per work: {"judges": [{"judge", "done", "expected"}], "works":
    [{"work", "number", "done", "expected"}], "done", "expected"}. Two queries."""
    done = Count("id", filter=Q(scored_at__isnull=False))
    per_judge = {row["judge_id"]: row for row in Assignment.objects.filter(round=round_).values("judge_id")
                 .annotate(done=done, expected=Count("id"))}
    judges = []
    for round_judge in RoundJudge.objects.filter(round=round_).select_related("judge").order_by("judge__username"):
        row = per_judge.get(round_judge.judge_id, {"done": 0, "expected": 0})
        judges.append({"judge": round_judge.judge, "done": row["done"], "expected": row["expected"]})
    works = []
    for number, row in enumerate(
        Assignment.objects.filter(round=round_).values("work_id", "work__title")
        .annotate(done=done, expected=Count("id")).order_by("work_id"), start=1,
    ):
        works.append({"work_id": row["work_id"], "title": row["work__title"], "number": number, "done": row["done"],
                      "expected": row["expected"]})
    return {"judges": judges, "works": works, "done": sum(row["done"] for row in works),
            "expected": sum(row["expected"] for row in works)}


def round_conflicts(round_) -> list[tuple]:
    """(work, judge) pairs of the round that are never assigned: conflicts of interest (two queries)."""
    office = round_.campaign.office
    judges = [rj.judge for rj in RoundJudge.objects.filter(round=round_).select_related("judge__unit")
              .order_by("judge__username")]
    return [(work, judge) for work in assignable_works(round_) for judge in judges
            if judge_has_conflict(judge, work, office)]


ASSIGNABLE_STATUSES = ("recommended", "shortlisted")


def assignable_works(round_):
    """The works a round reviews: the campaign's works of the round's category that are recommended or
    shortlisted, with collective and unit."""
    return (Work.objects.filter(campaign_id=round_.campaign_id, category=round_.category,
                                status__in=ASSIGNABLE_STATUSES)
            .select_related("collective", "collective__unit").order_by("id"))
