"""Reads of leader training (号长培训), exchange visits (交流观摩) and new-and-old pairs (新老号结对).

Who sees what: an admin sees the trainings, visits and pairs organised by its unit or a unit below it, and those of the
offices above it (a city training its leaders attend) or that involve one of its collectives; of the people and
collectives in them, only those of its own subtree by name (a unit sees only the collectives under it). Collective
accounts and judges see none of the admin pages (404); a collective reads its own part through
``development_of_collective`` (its page's panel). Every list is one query per page whatever the number of
collectives, attendances or visits (correlated subqueries, evaluated on the page's rows only)."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from wenminghao.campaigns.models import CreationFiling
from wenminghao.campaigns.selectors import CREATING_STATUSES, creating_filings
from wenminghao.collectives.models import Collective, Honour, Member
from wenminghao.core.http import get_object_for
from wenminghao.core.queries import count_of

from ..models import ExchangeVisit, MentorPair, TrainingAttendance, TrainingSession

OPTIONS_LIMIT = 20  # collectives offered by the picker for one search


# --- the dashboard's figures -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DevelopmentSummary:
    """The dashboard's figures of training and exchange for a unit's subtree in a campaign."""

    trainings: int  # sessions held by the unit or a unit below it, or attended by one of its creating collectives
    creating: int  # the campaign's creating collectives under the unit (filing pending or accepted)
    trained: int  # of those, how many have their leader at one training of the campaign at least
    exchange_visits: int  # visits hosted or made by a collective under the unit
    exchange_collectives: int  # creating collectives that hosted or made a visit
    mentor_pairs: int  # pairs whose new post (a creating collective) is under the unit

    @property
    def untrained(self) -> int:
        return self.creating - self.trained

    @property
    def trained_percent(self) -> int:
        """The share of creating collectives whose leader was trained, rounded down (never reads as more)."""
        return self.trained * 100 // self.creating if self.creating else 0


def _attended_in(campaign, collective_ref="collective_id"):
    return TrainingAttendance.objects.filter(session__campaign=campaign, collective_id=OuterRef(collective_ref))


def _visits_involving(path: str):
    """The visits whose host or one of whose visitors is under the unit of ``path`` (as a filter of ExchangeVisit)."""
    visitor_inside = ExchangeVisit.visitors.through.objects.filter(
        exchangevisit_id=OuterRef("pk"), collective__unit__path__startswith=path)
    return Q(host__unit__path__startswith=path) | Q(Exists(visitor_inside))


def development_summary(unit, campaign) -> DevelopmentSummary:
    """Four aggregate queries whatever the size of the subtree. A returned filing does not count: its collective is
    not creating (nor are its training, visits and pairs counted for the unit's creating collectives)."""
    creating = creating_filings(campaign, unit).values("collective_id")
    # The campaign's trained, hosting and visiting collectives as lists, read once (an EXISTS per creating filing took
    # 0.17 s on PostgreSQL and 0.37 s on SQLite for a province's 7,500; 16 and 9 ms so: bench/evaluation_scale.py).
    trained = TrainingAttendance.objects.filter(session__campaign=campaign).values("collective_id")
    hosted = ExchangeVisit.objects.filter(campaign=campaign).values("host_id")
    made = ExchangeVisit.visitors.through.objects.filter(exchangevisit__campaign=campaign).values("collective_id")
    collectives = creating_filings(campaign, unit).aggregate(
        creating=Count("id"),
        trained=Count("id", filter=Q(collective_id__in=trained)),
        exchange=Count("id", filter=Q(collective_id__in=hosted) | Q(collective_id__in=made)),
    )
    attended_here = TrainingAttendance.objects.filter(session_id=OuterRef("pk"), collective_id__in=creating)
    trainings = TrainingSession.objects.filter(campaign=campaign).filter(
        Q(unit__path__startswith=unit.path) | Q(Exists(attended_here))).count()
    return DevelopmentSummary(
        trainings=trainings,
        creating=collectives["creating"],
        trained=collectives["trained"],
        exchange_visits=ExchangeVisit.objects.filter(campaign=campaign).filter(_visits_involving(unit.path)).count(),
        exchange_collectives=collectives["exchange"],
        mentor_pairs=MentorPair.objects.filter(campaign=campaign, mentee__in=creating).count(),
    )


# --- what an admin may see --------------------------------------------------------------------------------------


def _admin_unit(user):
    return user.unit if user.is_authenticated and user.is_admin and user.unit_id else None


def _organised_here_or_above(unit) -> Q:
    """Organised by the unit or a unit below it, or by an office above it."""
    return Q(unit__path__startswith=unit.path) | Q(unit_id__in=unit.ancestor_ids)


def trainings_visible_to(user) -> QuerySet[TrainingSession]:
    """Trainings held by the admin's unit, a unit below it or an office above it (whose trainings its leaders
    attend). Nobody else sees a training's page (its attendees are read by a collective on its own page)."""
    unit = _admin_unit(user)
    if unit is None:
        return TrainingSession.objects.none()
    return TrainingSession.objects.filter(_organised_here_or_above(unit))


def exchanges_visible_to(user) -> QuerySet[ExchangeVisit]:
    """Visits organised in the admin's subtree, or hosted or made by one of its collectives."""
    unit = _admin_unit(user)
    if unit is None:
        return ExchangeVisit.objects.none()
    return ExchangeVisit.objects.filter(Q(unit__path__startswith=unit.path) | _visits_involving(unit.path))


def mentor_pairs_visible_to(user) -> QuerySet[MentorPair]:
    """Pairs organised in the admin's subtree, or with one of its collectives on either side."""
    unit = _admin_unit(user)
    if unit is None:
        return MentorPair.objects.none()
    return MentorPair.objects.filter(Q(unit__path__startswith=unit.path) | Q(mentor__unit__path__startswith=unit.path)
                                     | Q(mentee__unit__path__startswith=unit.path))


def get_training_for(user, pk: int, perm: str | None = None, *, denied: str = "您没有权限执行此操作。"):
    queryset = trainings_visible_to(user).select_related("campaign__office", "unit", "created_by")
    return get_object_for(user, queryset, pk, perm, denied=denied)


def get_exchange_for(user, pk: int, perm: str | None = None, *, denied: str = "您没有权限执行此操作。"):
    queryset = exchanges_visible_to(user).select_related("campaign__office", "unit", "host__unit", "created_by")
    return get_object_for(user, queryset, pk, perm, denied=denied)


def get_mentor_pair_for(user, pk: int, perm: str | None = None, *, denied: str = "您没有权限执行此操作。"):
    queryset = mentor_pairs_visible_to(user).select_related("campaign__office", "unit", "mentor__unit",
                                                            "mentee__unit")
    return get_object_for(user, queryset, pk, perm, denied=denied)


# --- leader training (号长培训) ----------------------------------------------------------------------------------


def _leader_of(ref: str = "collective_id"):
    return Member.objects.filter(collective_id=OuterRef(ref), is_leader=True)


def training_list(user, campaign) -> QuerySet[TrainingSession]:
    """The campaign's trainings the admin sees, newest first, each with its attendees in all (``attendee_count``)
    and of the admin's own subtree (``own_attendee_count``)."""
    unit = _admin_unit(user)
    own_path = unit.path if unit is not None else "-"
    attendances = TrainingAttendance.objects.filter(session_id=OuterRef("pk"))
    return (trainings_visible_to(user).filter(campaign=campaign).select_related("unit")
            .annotate(attendee_count=count_of(attendances, "session"),
                      own_attendee_count=count_of(
                          attendances.filter(collective__unit__path__startswith=own_path), "session"))
            .order_by("-date", "-id"))


TRAINED_FILTERS = (("", "全部"), ("untrained", "未培训"), ("trained", "已培训"))


def leader_training_status(campaign, unit, *, trained: str = "", search: str = "") -> QuerySet[CreationFiling]:
    """The creating collectives of the campaign under ``unit`` (filing pending or accepted), each with its leader's
    name (``leader_name``), whether the leader attended a training of the campaign (``trained``) and the latest
    such training (``last_training_id``, ``last_training_title``, ``last_training_date``); ``trained`` filters
    ("untrained" or "trained"), ``search`` matches the collective's or its host's name."""
    attended = _attended_in(campaign).order_by("-session__date", "-session_id")
    queryset = (creating_filings(campaign, unit).select_related("collective__unit")
                .annotate(trained=Exists(attended),
                          leader_name=Subquery(_leader_of().values("name")[:1]),
                          last_training_id=Subquery(attended.values("session_id")[:1]),
                          last_training_title=Subquery(attended.values("session__title")[:1]),
                          last_training_date=Subquery(attended.values("session__date")[:1])))
    if trained == "untrained":
        queryset = queryset.filter(trained=False)
    elif trained == "trained":
        queryset = queryset.filter(trained=True)
    if search:
        queryset = queryset.filter(Q(collective__name__icontains=search) | Q(collective__host_org__icontains=search))
    return queryset.order_by("collective__unit__path", "collective__name", "collective_id")


ATTENDANCE_FILTERS = (("attending", "已勾选参训"), ("all", "全部创建集体"), ("untrained", "本年度尚未培训"))


def attendance_candidates(session, *, show: str = "all", search: str = "", within=None) -> QuerySet[CreationFiling]:
    """The leaders who may attend ``session``: the creating collectives of its campaign under the unit that holds
    it (``within``, a unit below that one, narrows them), each with its leader (``leader_id``, ``leader_name``),
    whether it is at this session (``attending``, with the name recorded: ``attending_name``) and at any training of
    the campaign (``trained``). ``show``: "attending", "untrained" (at no training yet) or "all"."""
    here = TrainingAttendance.objects.filter(session=session, collective_id=OuterRef("collective_id"))
    queryset = (creating_filings(session.campaign, within or session.unit).select_related("collective__unit")
                .annotate(leader_id=Subquery(_leader_of().values("pk")[:1]),
                          leader_name=Subquery(_leader_of().values("name")[:1]),
                          attending=Exists(here),
                          attending_name=Subquery(here.values("member_name")[:1]),
                          trained=Exists(_attended_in(session.campaign))))
    if within is not None and not within.path.startswith(session.unit.path):
        queryset = queryset.none()
    if show == "attending":
        queryset = queryset.filter(attending=True)
    elif show == "untrained":
        queryset = queryset.filter(trained=False)
    if search:
        queryset = queryset.filter(Q(collective__name__icontains=search) | Q(collective__host_org__icontains=search))
    return queryset.order_by("collective__unit__path", "collective__name", "collective_id")


def training_attendees(session, unit) -> QuerySet[TrainingAttendance]:
    """The attendees of ``session`` whose collective is under ``unit`` (an admin reads its own subtree's)."""
    return (session.attendances.filter(collective__unit__path__startswith=unit.path)
            .select_related("collective__unit").order_by("collective__unit__path", "collective__name", "id"))


# --- exchange visits (交流观摩) -----------------------------------------------------------------------------------


def exchange_list(user, campaign) -> QuerySet[ExchangeVisit]:
    """The campaign's visits the admin sees, newest first, with their host and the number of visiting collectives
    (``visitor_count``); the visitors themselves are prefetched (one query per page)."""
    visitors = ExchangeVisit.visitors.through.objects.filter(exchangevisit_id=OuterRef("pk"))
    return (exchanges_visible_to(user).filter(campaign=campaign).select_related("unit", "host__unit")
            .annotate(visitor_count=count_of(visitors, "exchangevisit")).order_by("-date", "-id"))


def exchange_visitors(visit, unit) -> QuerySet[Collective]:
    """The visiting collectives of ``unit``'s subtree (an admin sees only those by name; the visit's
    ``visitor_count`` holds them all)."""
    return (visit.visitors.filter(unit__path__startswith=unit.path).select_related("unit")
            .order_by("unit__path", "name", "id"))


def visitors_in(unit) -> Prefetch:
    """The prefetch of each listed visit's visitors of ``unit``'s subtree, as ``exchange_visitors``."""
    return Prefetch("visitors", queryset=Collective.objects.filter(unit__path__startswith=unit.path)
                    .select_related("unit").order_by("unit__path", "name"))


def shown_by_name(collective, unit) -> bool:
    """Whether an admin of ``unit`` sees ``collective`` (its unit selected) by name: only those of its subtree."""
    return collective.unit.is_within(unit.path)


# --- new-and-old pairs (新老号结对) --------------------------------------------------------------------------------


def _valid_titles(today: datetime.date, ref: str = "pk"):
    return Honour.objects.filter(Honour.valid_on_q(today), collective_id=OuterRef(ref)).order_by("-year", "-id")


def mentor_pair_list(user, campaign, *, today: datetime.date | None = None) -> QuerySet[MentorPair]:
    """The campaign's pairs the admin sees, newest first, with the mentor's newest title valid today
    (``mentor_title``, empty once none is: a revoked or expired title) and whether the new post is still creating
    (``mentee_creating``: its filing not returned)."""
    today = today or timezone.localdate()
    creating = CreationFiling.objects.filter(campaign=campaign, collective_id=OuterRef("mentee_id"),
                                             status__in=CREATING_STATUSES)
    return (mentor_pairs_visible_to(user).filter(campaign=campaign)
            .select_related("unit", "mentor__unit", "mentee__unit")
            .annotate(mentor_title=Subquery(_valid_titles(today, "mentor_id").values("title")[:1]),
                      mentee_creating=Exists(creating))
            .order_by("-started", "-id"))


# --- the collective picker of the forms ---------------------------------------------------------------------------

PICKER_PURPOSES = ("any", "mentor", "mentee")


def collective_options(user, campaign, *, purpose: str = "any", search: str = "", exclude=(),
                       today: datetime.date | None = None) -> list[Collective]:
    """At most ``OPTIONS_LIMIT`` collectives of the admin's subtree matching ``search`` (name or host), for a form's
    picker: ``purpose`` "mentor" offers only posts holding a title valid today (``title``: the newest), "mentee" only
    the campaign's creating collectives; ``exclude`` leaves out those already picked. One query."""
    unit = _admin_unit(user)
    if unit is None:
        return []
    today = today or timezone.localdate()
    queryset = Collective.objects.filter(unit__path__startswith=unit.path).select_related("unit")
    if search:
        queryset = queryset.filter(Q(name__icontains=search) | Q(host_org__icontains=search))
    if exclude:
        queryset = queryset.exclude(pk__in=list(exclude))
    if purpose == "mentor":
        queryset = queryset.filter(Exists(_valid_titles(today))).annotate(
            title=Subquery(_valid_titles(today).values("title")[:1]))
    elif purpose == "mentee":
        queryset = queryset.filter(Exists(CreationFiling.objects.filter(
            campaign=campaign, collective_id=OuterRef("pk"), status__in=CREATING_STATUSES)))
    return list(queryset.order_by("unit__path", "name", "id")[:OPTIONS_LIMIT])


def collectives_by_ids(user, ids) -> list[Collective]:
    """The admin's collectives among ``ids`` (a form sent back with its errors shows what was picked)."""
    unit = _admin_unit(user)
    if unit is None or not ids:
        return []
    return list(Collective.objects.filter(unit__path__startswith=unit.path, pk__in=list(ids))
                .select_related("unit").order_by("unit__path", "name", "id"))


# --- a collective's own part (its page's panel) ------------------------------------------------------------------


@dataclass(frozen=True)
class CollectiveDevelopment:
    """What a collective did in a campaign: the trainings its leader attended, the visits it hosted and made, and
    its pairs (as the titled post or as the new one)."""

    attendances: list  # TrainingAttendance with their session (and its unit)
    hosted: list  # ExchangeVisit
    made: list  # ExchangeVisit
    pairs: list  # MentorPair with mentor and mentee

    @property
    def exchange_count(self) -> int:
        return len(self.hosted) + len(self.made)

    @property
    def is_empty(self) -> bool:
        return not (self.attendances or self.hosted or self.made or self.pairs)


PANEL_LIMIT = 20  # rows per kind on a collective's page (a collective has a handful a year)


def development_of_collective(collective, campaign) -> CollectiveDevelopment:
    """Four queries whatever the collective did (each list at most ``PANEL_LIMIT`` rows, newest first)."""
    attendances = (TrainingAttendance.objects.filter(collective=collective, session__campaign=campaign)
                   .select_related("session__unit").order_by("-session__date", "-session_id"))
    visits = ExchangeVisit.objects.filter(campaign=campaign).select_related("host__unit", "unit")
    pairs = (MentorPair.objects.filter(Q(mentor=collective) | Q(mentee=collective), campaign=campaign)
             .select_related("mentor__unit", "mentee__unit").order_by("-started", "-id"))
    return CollectiveDevelopment(
        attendances=list(attendances[:PANEL_LIMIT]),
        hosted=list(visits.filter(host=collective).order_by("-date", "-id")[:PANEL_LIMIT]),
        made=list(visits.filter(visitors=collective).order_by("-date", "-id")[:PANEL_LIMIT]),
        pairs=list(pairs[:PANEL_LIMIT]),
    )
