"""Reads of the unit reports (Attachment 2): a unit's recommended works, its deadline, who reported."""

from django.db.models import Case, Count, F, IntegerField, Max, Q, Value, When

from wenminghao.campaigns.models import DeadlineExtension
from wenminghao.core.errors import Violation
from wenminghao.core.http import get_object_for
from wenminghao.core.predicates import is_admin
from wenminghao.orgs.models import Unit
from wenminghao.works.enums import Category, WorkStatus
from wenminghao.works.models import Work
from wenminghao.works.transitions import reporting_unit_path

from ..models import UnitReport


def recommended_works(campaign, unit):
    """The recommended-or-later works of the collectives under ``unit`` for ``campaign``, in the official
    category order (photo, publicity, essay), then the unit's rank, then id; collective selected."""
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
    extended = DeadlineExtension.objects.filter(campaign=campaign, unit_id__in=unit.ancestor_ids).aggregate(
        latest=Max("until"))["latest"]
    return extended if extended is not None and extended > campaign.deadline else campaign.deadline


def is_report_late(report, deadline) -> bool:
    return report is not None and report.uploaded_at > deadline


def report_status(campaign, office) -> list[dict]:
    """One row per direct child unit of ``office``: {"unit", "report" (UnitReport or None), "deadline",
    "late", "recommended" (number of recommended-or-later works under the unit)} in unit order. A fixed
    number of queries whatever the number of units."""
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


def report_freeze(work):
    """The refusal of a withdrawal once the reporting unit's stamped table lists the work (a guard of
    works.transitions, registered in reviews/apps.py), or None."""
    report = (UnitReport.objects.filter(campaign_id=work.campaign_id, unit__path=reporting_unit_path(work))
              .select_related("unit").first())
    if report is None:
        return None
    return Violation(
        "review.report_uploaded",
        f"“{report.unit.name}”已上传盖章汇总表，作品“{work.title}”已列入报送，不能再撤销推荐；"
        f"如需调整，请联系团市委退回该作品。",
        "status",
    )


def reports_visible_to(user):
    """The unit reports an admin may see: those of the units in their subtree (none for anyone else)."""
    if not is_admin(user):
        return UnitReport.objects.none()
    return UnitReport.objects.filter(unit__path__startswith=user.unit.path).select_related("unit", "campaign")


def get_report_for(user, pk: int, perm: str | None = "reviews.view_report"):
    """One unit report the user may see (404 otherwise), checked for ``perm`` (403)."""
    return get_object_for(user, reports_visible_to(user), pk, perm)
