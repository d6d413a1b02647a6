"""Reads of the order of a unit's recommended works."""

from wenminghao.orgs.models import Unit
from wenminghao.works.enums import Category, WorkStatus
from wenminghao.works.transitions import reporting_unit_path

from .reports import recommended_works


def recommended_order(campaign, unit) -> list[dict]:
    """The order page's lists: per category (official order), one list per reporting unit (the unit that prints
    the Attachment 2 table, works.transitions.reporting_unit_path) of ``unit``'s works that are "recommended"
    now, in that unit's order: [{"label", "lists": [{"reporting_unit", "works"}]}]. ``campaign`` must have its
    office selected. Two queries whatever the number of works."""
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
