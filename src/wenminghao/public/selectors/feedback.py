"""Reads of public supervision (公众监督): which posts take feedback, a visitor's item by its reference (without the
contact), the signed-in side's lists scoped to the user (the collective's own accounts, the admins above it), the
collective's summary with its verified complaints, and the response times per child unit.

Every figure is counted in the database; the lists are paginated there and make the same number of queries whatever
their length (tests/public/test_feedback_queries.py)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q, QuerySet
from django.http import Http404

from wenminghao.collectives.models import Collective
from wenminghao.core.http import get_object_for
from wenminghao.orgs.models import Unit
from wenminghao.orgs.selectors import child_id, child_under, units_visible_to

from ..enums import FeedbackKind, FeedbackState
from ..models import Feedback
from .pages import public_posts

POST_NOT_PUBLIC = "未找到这个岗位的公开页面：它尚未公开，或已被归口单位隐藏。"
REFERENCE_NOT_FOUND = "未找到这个查询编号对应的意见，请核对编号（12位，由字母和数字组成）后重试。"


# --- which posts take feedback ------------------------------------------------------------------------------------


def get_post_for_feedback(pk) -> Collective:
    """The collective of ``/posts/<pk>/feedback/``: feedback is taken exactly for the posts whose identity page the
    public sees (``pages.public_posts``, the one rule), else 404 with a Chinese message."""
    collective = public_posts().filter(pk=pk).first()
    if collective is None:
        raise Http404(POST_NOT_PUBLIC)
    return collective


# --- a visitor's item ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PublicFeedback:
    """What the public follow page shows of an item: never the contact, the address or who answered."""

    reference: str
    kind: str
    kind_label: str
    text: str
    state: str
    state_label: str
    answer: str
    answered_at: datetime.datetime | None
    closed_at: datetime.datetime | None
    created_at: datetime.datetime
    collective_id: int
    collective_name: str

    @property
    def changed_at(self) -> datetime.datetime:
        return max(moment for moment in (self.created_at, self.answered_at, self.closed_at) if moment is not None)


def normalize_reference(value) -> str:
    """A reference as a visitor types it: upper case, without spaces or dashes."""
    return "".join(str(value or "").split()).replace("-", "").upper()


def public_feedback(reference: str) -> PublicFeedback:
    """The item of a reference, reduced to its public fields (one query), or 404 with a Chinese message."""
    row = (Feedback.objects.filter(reference=normalize_reference(reference))
           .values("reference", "kind", "text", "state", "answer", "answered_at", "closed_at", "created_at",
                   "collective_id", "collective__name").first())
    if row is None:
        raise Http404(REFERENCE_NOT_FOUND)
    return PublicFeedback(
        reference=row["reference"], kind=row["kind"], kind_label=str(FeedbackKind(row["kind"]).label),
        text=row["text"], state=row["state"], state_label=str(FeedbackState(row["state"]).label),
        answer=row["answer"], answered_at=row["answered_at"], closed_at=row["closed_at"],
        created_at=row["created_at"], collective_id=row["collective_id"], collective_name=row["collective__name"])


# --- the signed-in side -------------------------------------------------------------------------------------------


def feedback_visible_to(user) -> QuerySet[Feedback]:
    """Admins: the feedback of the collectives in their subtree. A collective's accounts: its own. Others: none."""
    if not user.is_authenticated:
        return Feedback.objects.none()
    if user.is_admin and user.unit_id:
        return Feedback.objects.filter(collective__unit__path__startswith=user.unit.path)
    if user.collective_id:
        return Feedback.objects.filter(collective_id=user.collective_id)
    return Feedback.objects.none()


def get_feedback_for(user, pk, perm: str | None = None, *, denied: str = "您没有权限处理这条意见。") -> Feedback:
    return get_object_for(user, feedback_visible_to(user).select_related(
        "collective__unit", "answered_by", "verified_by"), pk, perm, denied=denied)


def feedback_list(user, *, state: str = "", kind: str = "", collective: Collective | None = None,
                  verified: bool = False) -> QuerySet[Feedback]:
    """The management list: visible feedback, newest first, filtered; paginate it (``core.http.paginate``)."""
    queryset = feedback_visible_to(user).select_related("collective__unit")
    if state:
        queryset = queryset.filter(state=state)
    if kind:
        queryset = queryset.filter(kind=kind)
    if collective is not None:
        queryset = queryset.filter(collective=collective)
    if verified:
        queryset = queryset.filter(verified=True)
    return queryset.order_by("-created_at", "-id")


@dataclass
class CollectiveFeedbackSummary:
    total: int = 0
    by_state: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FeedbackState.values, 0))
    by_kind: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FeedbackKind.values, 0))
    verified_count: int = 0
    verified: list[Feedback] = field(default_factory=list)

    @property
    def states(self) -> list[tuple[str, str, int]]:
        return [(value, str(label), self.by_state[value]) for value, label in FeedbackState.choices]

    @property
    def kinds(self) -> list[tuple[str, str, int]]:
        return [(value, str(label), self.by_kind[value]) for value, label in FeedbackKind.choices]


def collective_feedback_summary(collective, *, shown: int = 5) -> CollectiveFeedbackSummary:
    """The collective's feedback counted by state and kind (one query) and its newest verified complaints (one)."""
    rows = Feedback.objects.filter(collective=collective).values("state", "kind").annotate(
        n=Count("pk"), verified_n=Count("pk", filter=Q(verified=True)))
    summary = CollectiveFeedbackSummary()
    for row in rows:
        summary.total += row["n"]
        summary.by_state[row["state"]] += row["n"]
        summary.by_kind[row["kind"]] += row["n"]
        summary.verified_count += row["verified_n"]
    if summary.verified_count:
        summary.verified = list(Feedback.objects.filter(collective=collective, verified=True)
                                .order_by("-verified_at", "-id")[:shown])
    return summary


# --- response times per child unit --------------------------------------------------------------------------------


def stats_units(user) -> QuerySet[Unit]:
    """The units whose statistics the admin may open: their subtree."""
    if not user.is_authenticated or not user.is_admin:
        return Unit.objects.none()
    return units_visible_to(user)


@dataclass
class UnitFeedbackRow:
    """One row of the statistics: a direct child unit's subtree (or the unit's own collectives, ``unit`` None)."""

    unit: Unit | None
    total: int = 0
    open: int = 0
    answered: int = 0
    closed: int = 0
    complaints: int = 0
    verified: int = 0
    answer_hours: float | None = None  # the average hours from receipt to answer, of the answered and closed ones

    @property
    def unanswered_share(self) -> float | None:
        return self.open / self.total if self.total else None


def _hours(value) -> float | None:
    if value is None:
        return None
    if isinstance(value, datetime.timedelta):
        return value.total_seconds() / 3600
    return float(value) / 3_600_000_000  # microseconds, should a backend answer a number


def feedback_by_child_unit(unit: Unit) -> tuple[list[UnitFeedbackRow], UnitFeedbackRow]:
    """The rows of the statistics of ``unit``: one per direct child unit (all of them, with zeros) and one for the
    collectives attached to the unit itself when it has feedback, plus the total. Two queries whatever the size of
    the subtree: the children, and the feedback grouped in SQL by the child whose subtree holds its collective
    (``orgs.selectors.child_under``), the average time to answer computed there (``answered_at - created_at``)."""
    children = list(Unit.objects.filter(parent=unit).order_by("sort_order", "name"))
    waited = ExpressionWrapper(F("answered_at") - F("created_at"), output_field=DurationField())
    grouped = (Feedback.objects.filter(collective__unit__path__startswith=unit.path)
               .values(child=child_under(unit, "collective__unit__path"))
               .annotate(total=Count("pk"),
                         open=Count("pk", filter=Q(state=FeedbackState.OPEN)),
                         answered=Count("pk", filter=Q(state=FeedbackState.ANSWERED)),
                         closed=Count("pk", filter=Q(state=FeedbackState.CLOSED)),
                         complaints=Count("pk", filter=Q(kind=FeedbackKind.COMPLAINT)),
                         verified=Count("pk", filter=Q(verified=True)),
                         replied=Count("pk", filter=Q(answered_at__isnull=False)),
                         waited=Avg(waited, filter=Q(answered_at__isnull=False)))
               .order_by())
    rows = {child.pk: UnitFeedbackRow(unit=child) for child in children}
    own = UnitFeedbackRow(unit=None)
    total = UnitFeedbackRow(unit=unit)
    answered_hours: list[tuple[float, int]] = []  # (average, how many answered) per group, for the total's average
    for line in grouped:
        key = child_id(line["child"])
        row = own if key is None else rows.get(key)
        if row is None:  # a unit moved between the two queries: count it in the total only
            row = UnitFeedbackRow(unit=None)
        for name in ("total", "open", "answered", "closed", "complaints", "verified"):
            setattr(row, name, line[name])
            setattr(total, name, getattr(total, name) + line[name])
        row.answer_hours = _hours(line["waited"])
        if row.answer_hours is not None:
            answered_hours.append((row.answer_hours, line["replied"]))
    weight = sum(count for _, count in answered_hours)
    if weight:  # the average over every answered item of the subtree, not the average of the groups' averages
        total.answer_hours = sum(hours * count for hours, count in answered_hours) / weight
    lines = list(rows.values())
    if own.total:
        lines.insert(0, own)
    return lines, total
