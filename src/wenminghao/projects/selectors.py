"""Every read of joint projects, scoped to the user (``projects_visible_to``): the accounts of each partner
collective, and the admins of every unit above any partner (by the partner's unit path prefix). Lists are paged in
the database; the partner and progress counts are subqueries of the page's rows only."""

from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from wenminghao.campaigns.models import Campaign
from wenminghao.collectives.models import Collective
from wenminghao.orgs.enums import OFFICE_KINDS
from wenminghao.orgs.models import Unit
from wenminghao.orgs.selectors import child_under

from .models import ProgressEntry, Project, ProjectPartner, ProjectVisit

SCOPES = ("", "mine")
STATES = ("", "ongoing", "ended")


def projects_visible_to(user) -> QuerySet[Project]:
    if not user.is_authenticated:
        return Project.objects.none()
    if user.is_admin and user.unit_id:
        partners = ProjectPartner.objects.filter(project=OuterRef("pk"),
                                                 collective__unit__path__startswith=user.unit.path)
        return Project.objects.filter(Exists(partners))
    if user.collective_id:
        return Project.objects.filter(Exists(ProjectPartner.objects.filter(project=OuterRef("pk"),
                                                                           collective_id=user.collective_id)))
    return Project.objects.none()


def _counted(queryset) -> Coalesce:
    counted = queryset.order_by().values("project").annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def with_counts(queryset: QuerySet[Project]) -> QuerySet[Project]:
    """Each row with ``partner_count`` and ``progress_count`` (subqueries of the rows read)."""
    return queryset.annotate(
        partner_count=_counted(ProjectPartner.objects.filter(project=OuterRef("pk"))),
        progress_count=_counted(ProgressEntry.objects.filter(project=OuterRef("pk"))))


def project_list(user, *, kind: str = "", scope: str = "", state: str = "", search: str = "",
                 collective=None) -> QuerySet[Project]:
    """The projects the user sees, newest start first. ``kind``: a ProjectKind value; ``scope`` "mine": those of the
    user's own collective (a collective account) or managed by the user's unit (an admin); ``state`` "ongoing" or
    "ended" (finished, with its results); ``collective``: those that collective takes part in."""
    queryset = projects_visible_to(user).select_related("lead", "lead__unit", "owner_unit")
    if kind:
        queryset = queryset.filter(kind=kind)
    if scope == "mine":
        if user.is_admin and user.unit_id:
            queryset = queryset.filter(owner_unit_id=user.unit_id)
        else:
            queryset = queryset.filter(partners__collective_id=user.collective_id)
    if state == "ongoing":
        queryset = queryset.filter(finished_at__isnull=True)
    elif state == "ended":
        queryset = queryset.filter(finished_at__isnull=False)
    if search:
        queryset = queryset.filter(Q(title__icontains=search) | Q(goals__icontains=search))
    if collective is not None:
        queryset = queryset.filter(Exists(ProjectPartner.objects.filter(project=OuterRef("pk"),
                                                                        collective=collective)))
    return with_counts(queryset).order_by("-started", "-id")


def partners_of(project: Project) -> QuerySet[ProjectPartner]:
    return (project.partners.select_related("collective", "collective__unit")
            .order_by("collective__unit__path", "collective__name", "pk"))


def progress_of(project: Project) -> QuerySet[ProgressEntry]:
    """The progress entries, newest first, with their collective and author (photos: prefetch per page)."""
    return (project.progress.select_related("collective", "author").prefetch_related("photos")
            .order_by("-date", "-id"))


def visits_of(project: Project) -> QuerySet[ProjectVisit]:
    return project.visits.select_related("host").prefetch_related("visitors").order_by("-date", "-id")


def office_of(unit: Unit | None) -> Unit | None:
    """The nearest office (city, province or national league committee) at or above ``unit`` (one query)."""
    if unit is None:
        return None
    return Unit.objects.filter(pk__in=unit.ancestor_ids, kind__in=OFFICE_KINDS).order_by("-depth").first()


def collectives_under_office(user) -> QuerySet[Collective]:
    """The collectives a project of the user may take as partners: every collective under the user's office."""
    if not user.is_authenticated:
        return Collective.objects.none()
    office = office_of(user.home_unit)
    if office is None:
        return Collective.objects.none()
    return Collective.objects.filter(unit__path__startswith=office.path).select_related("unit")


OPTIONS_LIMIT = 20
PICKER_PURPOSES = ("partner", "lead")


def collective_options(user, *, purpose: str = "partner", search: str = "", exclude=()) -> list[Collective]:
    """At most ``OPTIONS_LIMIT`` collectives for a picker of the projects' forms, matching ``search`` by the
    collective's name, its host organisation or its unit's name: for "partner", any under the user's office; for
    "lead", only those of an admin's own subtree (a collective account leads with its own collective: none).
    ``exclude`` leaves out those already picked. Two queries (the office, the collectives)."""
    queryset = collectives_under_office(user)
    if purpose == "lead":
        if not (user.is_admin and user.unit_id):
            return []
        queryset = queryset.filter(unit__path__startswith=user.unit.path)
    if search:
        queryset = queryset.filter(Q(name__icontains=search) | Q(host_org__icontains=search)
                                   | Q(unit__name__icontains=search))
    if exclude:
        queryset = queryset.exclude(pk__in=list(exclude))
    return list(queryset.order_by("unit__path", "name", "pk")[:OPTIONS_LIMIT])


def collectives_by_ids(user, ids) -> list[Collective]:
    """The collectives under the user's office among ``ids``, in that order (a refused form shows what was picked;
    the service names any other one)."""
    wanted = [pk for pk in ids if pk]
    if not wanted:
        return []
    found = {collective.pk: collective for collective in collectives_under_office(user).filter(pk__in=wanted)}
    return [found[pk] for pk in dict.fromkeys(wanted) if pk in found]


def current_campaign(office: Unit | None) -> Campaign | None:
    """The office's newest campaign (by year), the one a project counts in unless another is chosen."""
    if office is None:
        return None
    return Campaign.objects.filter(office=office).order_by("-year", "-id").first()


def ongoing_today(project: Project) -> bool:
    return project.finished_at is None and (project.ended is None or project.ended >= timezone.localdate())


def collective_projects(user, collective, limit: int = 5) -> dict:
    """The ledger page's "联创项目" card: how many projects the collective takes part in (that the user sees) and
    the newest few (two queries whatever the number)."""
    queryset = project_list(user, collective=collective)
    return {"count": queryset.count(), "items": list(queryset[:limit])}


# --- the indicators: cooperation (the evaluation dashboard's units side by side) ------------------------------------


def joint_sums(unit: Unit, campaign) -> dict:
    """Aggregates for a query of ``Collective`` rows under ``unit`` grouped by ``orgs.selectors.child_under(unit,
    "unit__path")`` (the dashboard's works query): ``joint_collectives``, the group's collectives taking part in a
    joint project counted in ``campaign``; ``joint_projects``, those projects, each counted once per group however
    many of its collectives take part (a project is counted at the partner with the smallest id among its partners
    in the same group); ``joint_projects_once``, the same counted once in all of ``unit``'s subtree (their sum over
    the groups is the unit's number of projects). Subqueries of the grouped rows: no query of their own."""
    in_campaign = ProjectPartner.objects.filter(project__campaign=campaign)
    takes_part = Exists(in_campaign.filter(collective=OuterRef("pk")))
    earlier_in_group = (ProjectPartner.objects.filter(project=OuterRef("project"),
                                                      collective_id__lt=OuterRef("collective_id"))
                        .annotate(group=child_under(unit, "collective__unit__path"))
                        .filter(group=OuterRef("own_group")))
    first_in_group = (in_campaign.filter(collective=OuterRef("pk"))
                      .annotate(own_group=child_under(unit, "collective__unit__path"))
                      .filter(~Exists(earlier_in_group)).order_by().values("collective")
                      .annotate(n=Count("pk")).values("n"))
    earlier_in_subtree = ProjectPartner.objects.filter(project=OuterRef("project"),
                                                       collective_id__lt=OuterRef("collective_id"),
                                                       collective__unit__path__startswith=unit.path)
    first_in_subtree = (in_campaign.filter(collective=OuterRef("pk")).filter(~Exists(earlier_in_subtree)).order_by()
                        .values("collective").annotate(n=Count("pk")).values("n"))
    return {
        "joint_collectives": Sum(Case(When(takes_part, then=Value(1)), default=Value(0), output_field=IntegerField())),
        "joint_projects": Sum(Coalesce(Subquery(first_in_group, output_field=IntegerField()), 0)),
        "joint_projects_once": Sum(Coalesce(Subquery(first_in_subtree, output_field=IntegerField()), 0)),
    }
