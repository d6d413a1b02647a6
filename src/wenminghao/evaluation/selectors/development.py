"""Reads of leader training (号长培训), exchange visits (交流观摩) and new-and-old pairs (新老号结对)."""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q

from wenminghao.campaigns.selectors import creating_filings

from ..models import ExchangeVisit, MentorPair, TrainingAttendance, TrainingSession


@dataclass(frozen=True)
class DevelopmentSummary:
    """The dashboard's figures of training and exchange for a unit's subtree in a campaign."""

    trainings: int  # sessions held by the unit, a unit below it, or an office above it
    creating: int  # the campaign's creating collectives under the unit
    trained: int  # of those, how many have their leader at one training of the campaign at least
    exchange_visits: int  # visits hosted by a collective under the unit
    exchange_collectives: int  # creating collectives that hosted or made a visit
    mentor_pairs: int  # pairs whose new post (the creating collective) is under the unit

    @property
    def untrained(self) -> int:
        return self.creating - self.trained


def development_summary(unit, campaign) -> DevelopmentSummary:
    """Four aggregate queries whatever the size of the subtree."""
    creating = creating_filings(campaign, unit).values("collective_id")
    attended = TrainingAttendance.objects.filter(session__campaign=campaign, collective_id=OuterRef("collective_id"))
    visited = ExchangeVisit.objects.filter(campaign=campaign).filter(
        Q(host_id=OuterRef("collective_id")) | Q(visitors=OuterRef("collective_id")))
    collectives = creating_filings(campaign, unit).aggregate(
        creating=Count("id"),
        trained=Count("id", filter=Q(Exists(attended))),
        exchange=Count("id", filter=Q(Exists(visited))),
    )
    trainings = TrainingSession.objects.filter(campaign=campaign).filter(
        Q(unit__path__startswith=unit.path) | Q(attendances__collective__in=creating)).distinct().count()
    return DevelopmentSummary(
        trainings=trainings,
        creating=collectives["creating"],
        trained=collectives["trained"],
        exchange_visits=ExchangeVisit.objects.filter(campaign=campaign,
                                                     host__unit__path__startswith=unit.path).count(),
        exchange_collectives=collectives["exchange"],
        mentor_pairs=MentorPair.objects.filter(campaign=campaign, mentee__in=creating).count(),
    )
