"""Reads of the review app: every fetch goes through these (visible-to scoping is the caller's selector)."""


# --- unit reports (R2) -------------------------------------------------------------------------------------


def recommended_works(campaign, unit):
    """The recommended-or-later works of the collectives under ``unit`` for ``campaign``, in the official
    category order (photo, publicity, essay), then the unit's rank, then id; collective selected."""
    from django.db.models import Case, F, IntegerField, Value, When

    from wenminghao.works.enums import Category, WorkStatus
    from wenminghao.works.models import Work

    reported = [WorkStatus.RECOMMENDED, WorkStatus.SHORTLISTED, WorkStatus.SHOWCASED, WorkStatus.FORWARDED]
    order = Case(
        *[When(category=value, then=Value(index)) for index, value in
          enumerate((Category.PHOTO, Category.PUBLICITY, Category.ESSAY))],
        default=Value(9), output_field=IntegerField(),
    )
    return (
        Work.objects.filter(campaign=campaign, collective__unit__path__startswith=unit.path, status__in=reported)
        .select_related("collective", "collective__unit")
        .annotate(category_order=order)
        # a work without a rank (none should be: recommending places it last) goes last on SQLite and PostgreSQL
        .order_by("category_order", F("unit_rank").asc(nulls_last=True), "id")
    )


def unit_deadline(campaign, unit):
    """The campaign's deadline for ``unit``: the latest extension granted to the unit or a unit above it, if
    later than the campaign's own deadline (works.deadlines.effective_deadline, for a unit)."""
    from django.db.models import Max

    from wenminghao.campaigns.models import DeadlineExtension

    extended = DeadlineExtension.objects.filter(campaign=campaign, unit_id__in=unit.ancestor_ids).aggregate(
        latest=Max("until"))["latest"]
    return extended if extended is not None and extended > campaign.deadline else campaign.deadline


def is_report_late(report, deadline) -> bool:
    return report is not None and report.uploaded_at > deadline


def report_status(campaign, office) -> list[dict]:
    """One row per direct child unit of ``office``: {"unit", "report" (UnitReport or None), "deadline",
    "late", "recommended" (number of recommended-or-later works under the unit)} in unit order. A fixed
    number of queries whatever the number of units."""
    from django.db.models import Count, Max, Q

    from wenminghao.campaigns.models import DeadlineExtension
    from wenminghao.orgs.models import Unit
    from wenminghao.works.enums import WorkStatus
    from wenminghao.works.models import Work

    from .models import UnitReport

    children = list(Unit.objects.filter(parent=office).order_by("path"))
    reports = {r.unit_id: r for r in UnitReport.objects.filter(campaign=campaign, unit__in=children)
               .select_related("uploaded_by")}
    extensions = dict(DeadlineExtension.objects.filter(campaign=campaign, unit__isnull=False)
                      .values_list("unit_id").annotate(latest=Max("until")))
    reported = [WorkStatus.RECOMMENDED, WorkStatus.SHORTLISTED, WorkStatus.SHOWCASED, WorkStatus.FORWARDED]
    counts = {}
    if children:
        counts = Work.objects.filter(campaign=campaign, status__in=reported).aggregate(**{
            f"u{child.pk}": Count("id", filter=Q(collective__unit__path__startswith=child.path)) for child in children
        })
    rows = []
    for child in children:
        deadline = campaign.deadline
        for unit_id in child.ancestor_ids:
            latest = extensions.get(unit_id)
            if latest is not None and latest > deadline:
                deadline = latest
        report = reports.get(child.pk)
        rows.append({"unit": child, "report": report, "deadline": deadline, "late": is_report_late(report, deadline),
                     "recommended": counts.get(f"u{child.pk}", 0)})
    return rows


# --- central review rounds (R4) --------------------------------------------------------------------------------


def rounds_visible_to(user):
    """Review rounds of the campaigns whose office the user administers (city admins of the office or above)."""
    from wenminghao.core.roles import Role

    from .models import ReviewRound

    if not user.is_authenticated or user.role != Role.CITY_ADMIN or not user.unit_id:
        return ReviewRound.objects.none()
    return ReviewRound.objects.filter(campaign__office__path__startswith=user.unit.path).select_related(
        "campaign", "campaign__office")


def campaign_rounds(campaign):
    """The campaign's rounds with their numbers of judges, assignments and scored assignments (one query)."""
    from django.db.models import Count, Q

    from .models import ReviewRound

    return (ReviewRound.objects.filter(campaign=campaign)
            .annotate(judge_count=Count("round_judges", distinct=True),
                      assignment_count=Count("assignments", distinct=True),
                      scored_count=Count("assignments", filter=Q(assignments__scored_at__isnull=False), distinct=True))
            .order_by("-created_at", "-id"))


def judge_accounts(campaign):
    """Accounts that may sit on the campaign's panels: active judges of the office's subtree (or without a unit)."""
    from django.db.models import Q

    from wenminghao.accounts.models import User
    from wenminghao.core.roles import Role

    return (User.objects.filter(role=Role.JUDGE, is_active=True)
            .filter(Q(unit__isnull=True) | Q(unit__path__startswith=campaign.office.path))
            .select_related("unit").order_by("username"))


def judge_assignments(user):
    """The assignments a judge may see: their own, in open or closed rounds, never a work of the judge's own
    unit's subtree (conflict of interest: reviews.rules.judge_conflict_path), with round and work."""
    from django.db.models import Q

    from wenminghao.core.predicates import is_judge

    from .enums import RoundStatus
    from .models import Assignment

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
    """A judge assigned the work (see judge_assignments): may see its files."""
    return judge_assignments(user).filter(work_id=work_id).exists()


def round_progress(round_) -> dict:
    """Scores done / expected per judge and per work: {"judges": [{"judge", "done", "expected"}], "works":
    [{"work", "number", "done", "expected"}], "done", "expected"}. Two queries."""
    from django.db.models import Count, Q

    from .models import Assignment, RoundJudge

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
    from .models import RoundJudge
    from .rules import judge_has_conflict
    from .services import assignable_works

    office = round_.campaign.office
    judges = [rj.judge for rj in RoundJudge.objects.filter(round=round_).select_related("judge__unit")
              .order_by("judge__username")]
    return [(work, judge) for work in assignable_works(round_) for judge in judges
            if judge_has_conflict(judge, work, office)]


# --- the unit's review queue and a work's review panel ------------------------------------------------------------

QUEUE_STATUSES = ("submitted", "recommended", "returned", "shortlisted", "showcased", "forwarded")


def review_queue(user, campaign, *, status: str = "", category: str = "", collective_id: int | None = None,
                 search: str = ""):
    """The works of ``campaign`` the admin may see (their subtree), filtered, with the number of files and whether
    any file repeats another work's (an originality flag), oldest submission first. Drafts never show: they are
    the collective's own until submitted."""
    from django.db.models import Count, Exists, OuterRef, Q

    from wenminghao.works.models import SimilarFile
    from wenminghao.works.selectors import works_visible_to

    queryset = works_visible_to(user).filter(campaign=campaign).exclude(status="draft")
    if status:
        queryset = queryset.filter(status=status)
    if category:
        queryset = queryset.filter(category=category)
    if collective_id:
        queryset = queryset.filter(collective_id=collective_id)
    if search:
        queryset = queryset.filter(Q(title__icontains=search) | Q(collective__name__icontains=search))
    return (queryset.select_related("collective", "collective__unit", "campaign", "campaign__office")
            .annotate(file_count=Count("files", distinct=True),
                      flagged=Exists(SimilarFile.objects.filter(file__work=OuterRef("pk"))))
            .order_by("submitted_at", "id"))


def queue_counts(user, campaign) -> dict[str, int]:
    """{status: number of works} over the user's visible works of the campaign (one query)."""
    from django.db.models import Count, Q

    from wenminghao.works.selectors import works_visible_to

    return works_visible_to(user).filter(campaign=campaign).aggregate(
        **{status: Count("id", filter=Q(status=status)) for status in QUEUE_STATUSES})


def work_history(work):
    """The work's review decisions, oldest first, with who took them (one query)."""
    from .models import WorkDecision

    return WorkDecision.objects.filter(work=work).select_related("actor").order_by("created_at", "id")


def review_actions(user, work) -> list[dict]:
    """The decisions ``user`` may take on ``work`` now: {"to_status", "label", "needs_comment", "style"}, in the
    order of TRANSITIONS (no queries beyond what the work has selected)."""
    from .transitions import TRANSITIONS, may_change

    styles = {"recommended": "btn-danger", "returned": "btn-outline-secondary", "submitted": "btn-outline-secondary",
              "shortlisted": "btn-outline-primary", "showcased": "btn-success", "forwarded": "btn-primary"}
    actions = []
    for (from_status, to_status), rule in TRANSITIONS.items():
        if from_status == work.status and may_change(user, work, to_status):
            undo = rule.action.startswith("撤销")
            actions.append({"to_status": to_status, "label": rule.action, "needs_comment": rule.needs_comment,
                            "style": "btn-outline-secondary" if undo else styles.get(to_status, "btn-secondary")})
    return actions


def recommended_order(campaign, unit) -> list[dict]:
    """The order page's lists: per category (official order), one list per reporting unit (the unit that prints
    the Attachment 2 table, reviews.transitions.reporting_unit_path) of ``unit``'s works that are "recommended"
    now, in that unit's order: [{"label", "lists": [{"reporting_unit", "works"}]}]. ``campaign`` must have its
    office selected. Two queries whatever the number of works."""
    from wenminghao.orgs.models import Unit
    from wenminghao.works.enums import Category, WorkStatus

    from .transitions import reporting_unit_path

    works = list(recommended_works(campaign, unit).filter(status=WorkStatus.RECOMMENDED))
    lists: dict[tuple[str, str], list] = {}
    for work in works:
        work.campaign = campaign  # reporting_unit_path reads the office: no query per work
        lists.setdefault((work.category, reporting_unit_path(work)), []).append(work)
    units = {item.path: item for item in Unit.objects.filter(path__in={path for _, path in lists})}
    groups = []
    for category in (Category.PHOTO, Category.PUBLICITY, Category.ESSAY):
        category_lists = [{"reporting_unit": units.get(path), "works": items}
                          for (value, path), items in sorted(lists.items(), key=lambda entry: entry[0][1])
                          if value == category]
        groups.append({"label": category.label, "lists": category_lists,
                       "count": sum(len(item["works"]) for item in category_lists)})
    return groups
