"""Writes of the order of a unit's recommended works (atomic, audited)."""

from django.db import transaction
from django.db.models import F

from wenminghao.core.audit import record_audit
from wenminghao.core.errors import NotPermitted, RuleViolationError
from wenminghao.core.predicates import has_object_in_scope, is_admin
from wenminghao.orgs.models import Unit
from wenminghao.works.enums import WorkStatus
from wenminghao.works.models import Work
from wenminghao.works.transitions import reporting_unit_path


def move_recommended(*, actor, campaign, unit, work, direction: str):
    """Move one of ``unit``'s recommended works of ``campaign`` one place up or down within its category in the
    order of its reporting unit's Attachment 2 table (works.transitions.reporting_unit_path: the unit that prints
    the table, e.g. 环翠区团委 for a collective of 鲸园街道), renumbering that list's ranks 1..n.

    Only an admin of the reporting unit or of a unit above it may reorder (NotPermitted; a unit below it, such as a
    street committee, would otherwise renumber a part of its parent's list). RuleViolationError (order.*) when the
    work is not one of ``unit``'s recommended works of the campaign or the direction is neither up nor down.
    Side effects: unit_rank of the list's works (one UPDATE), an audit entry with the ranks before and after."""
    if not (is_admin(actor) and has_object_in_scope(actor, unit)):
        raise NotPermitted(f"只有“{unit.name}”的管理员可以调整本单位推荐作品的顺序。")
    if direction not in ("up", "down"):
        raise RuleViolationError.single("order.direction", "请选择上移或下移。", "direction")
    with transaction.atomic():
        work = (Work.objects.select_for_update(no_key=True).select_related("campaign__office", "collective__unit")
                .get(pk=work.pk))
        if (work.campaign_id != campaign.pk or work.status != WorkStatus.RECOMMENDED
                or not work.collective.unit.path.startswith(unit.path)):
            raise RuleViolationError.single(
                "order.not_recommended",
                f"作品“{work.title}”不是本单位当前的推荐作品（只有“已推荐”状态的作品可以调整顺序）。", "work")
        reporting_path = reporting_unit_path(work)
        if not reporting_path.startswith(actor.unit.path):
            reporting = Unit.objects.filter(path=reporting_path).first()
            name = reporting.name if reporting else "报送汇总表的单位"
            raise NotPermitted(f"推荐作品的顺序由“{name}”统一调整（汇总表由它报送），请联系其管理员。")
        siblings = list(
            Work.objects.select_for_update(no_key=True)
            .filter(campaign=campaign, category=work.category, status=WorkStatus.RECOMMENDED,
                    collective__unit__path__startswith=reporting_path)
            # a rank missing (NULL) goes last on SQLite and PostgreSQL alike
            .order_by(F("unit_rank").asc(nulls_last=True), "id")
        )
        before = {item.pk: item.unit_rank for item in siblings}
        index = [item.pk for item in siblings].index(work.pk)
        target = index - 1 if direction == "up" else index + 1
        if 0 <= target < len(siblings):
            siblings[index], siblings[target] = siblings[target], siblings[index]
        for rank, item in enumerate(siblings, start=1):
            item.unit_rank = rank
        Work.objects.bulk_update(siblings, ["unit_rank"])
        after = {item.pk: item.unit_rank for item in siblings}
        record_audit(actor=actor, action="work.reorder_recommended", target=work, unit_path=reporting_path,
                     before={"unit_rank": before}, after={"unit_rank": after})
    return siblings
