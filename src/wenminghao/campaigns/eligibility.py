"""The eligibility rules of the notice (一、基本原则 1) as pure functions: prior honour and the basic
conditions of a collective. Each unmet rule gives its own specific Chinese reason.

Ages are in full years (周岁) on the campaign's reference date; "35周岁以下" includes 35.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from wenminghao.collectives.enums import HONOUR_RANK, STABLE_UNIT_FORMS, HonourLevel, HonourState, WorkingUnitForm
from wenminghao.collectives.models import age_on
from wenminghao.core.errors import Violation

from .enums import CampaignLevel

LEVEL_LABELS = {
    "district": "区市级",
    "city": "市级",
    "province": "省级",
    "national": "全国",
}

# To create at a level, a collective must hold the title one level below (or higher).
REQUIRED_PRIOR_LEVEL = {
    CampaignLevel.CITY: HonourLevel.DISTRICT,
    CampaignLevel.PROVINCE: HonourLevel.CITY,
    CampaignLevel.NATIONAL: HonourLevel.PROVINCE,
}


@dataclass(frozen=True)
class MemberFacts:
    birth_date: datetime.date
    is_leader: bool = False


@dataclass(frozen=True)
class HonourFacts:
    level: str
    year: int
    valid: bool = True  # neither revoked nor past its term on the campaign's reference date
    state: str = HonourState.VALID


def honour_facts(campaign, collective) -> list[HonourFacts]:
    """A saved collective's titles as the rules read them, each valid or not on the campaign's reference date."""
    facts = []
    for honour in collective.honours.all():
        state = honour.state_on(campaign.reference_date)
        facts.append(HonourFacts(honour.level, honour.year, state == HonourState.VALID, state))
    return facts


def _lost_or_missing(honours: Sequence[HonourFacts], level: str, up_to_year: int) -> str:
    """Why no title counts: the newest qualifying one was revoked or expired, or there is none."""
    rank = HONOUR_RANK[level]
    lost = sorted((h for h in honours if HONOUR_RANK[h.level] >= rank and h.year <= up_to_year),
                  key=lambda h: (h.year, HONOUR_RANK[h.level]), reverse=True)
    if lost:
        newest = lost[0]
        how = "已被撤销" if newest.state == HonourState.REVOKED else "已过届期"
        return f"该集体的{newest.year}年{LEVEL_LABELS[newest.level]}称号{how}，不再计入"
    return "该集体尚无此类荣誉记录"


@dataclass(frozen=True)
class Conditions:
    """The configurable basic conditions (from the campaign)."""
    level: str
    year: int
    reference_date: datetime.date
    min_members: int = 6
    max_members: int = 200
    youth_max_age: int = 35
    min_youth_share: Decimal = Decimal("0.5")
    leader_max_age: int = 40
    require_stable_unit: bool = True

    @classmethod
    def of(cls, campaign) -> "Conditions":
        return cls(
            level=campaign.level,
            year=campaign.year,
            reference_date=campaign.reference_date,
            min_members=campaign.min_members,
            max_members=campaign.max_members,
            youth_max_age=campaign.youth_max_age,
            min_youth_share=Decimal(campaign.min_youth_share),
            leader_max_age=campaign.leader_max_age,
            require_stable_unit=campaign.require_stable_unit,
        )


def percent(share: Decimal) -> str:
    """A share as a percentage, rounded down to one decimal place and without trailing zeros:
    rounding down never shows a failing share as meeting its limit."""
    value = (share * 100).quantize(Decimal("0.1"), rounding=ROUND_FLOOR)
    text = f"{value:f}".rstrip("0").rstrip(".")
    return f"{text}%"


def qualifying_honour_level(level: str) -> str | None:
    return REQUIRED_PRIOR_LEVEL.get(level)


def holds_level(honours: Sequence[HonourFacts], level: str, *, up_to_year: int) -> bool:
    """Whether any valid honour at ``level`` or higher was awarded in or before ``up_to_year`` (a revoked or expired
    title no longer counts)."""
    rank = HONOUR_RANK[level]
    return any(h.valid and HONOUR_RANK[h.level] >= rank and h.year <= up_to_year for h in honours)


def check_eligibility(
    conditions: Conditions,
    *,
    members: Sequence[MemberFacts],
    honours: Sequence[HonourFacts],
    unit_form: str,
) -> list[Violation]:
    """Every unmet rule, in the order of the notice. An empty list means the collective may file."""
    violations: list[Violation] = []

    required = qualifying_honour_level(conditions.level)
    if required is not None and not holds_level(honours, required, up_to_year=conditions.year):
        violations.append(
            Violation(
                "eligibility.prior_honour",
                f"创建{LEVEL_LABELS[conditions.level]}青年文明号须曾获{LEVEL_LABELS[required]}（或更高级别）"
                f"青年文明号称号，{_lost_or_missing(honours, required, conditions.year)}",
                "honours",
            )
        )

    count = len(members)
    if count < conditions.min_members:
        violations.append(
            Violation(
                "eligibility.member_count",
                f"集体现有成员{count}人，应不少于{conditions.min_members}人",
                "members",
            )
        )
    elif count > conditions.max_members:
        violations.append(
            Violation(
                "eligibility.member_count",
                f"集体现有成员{count}人，应不超过{conditions.max_members}人",
                "members",
            )
        )

    if count:
        youth = sum(1 for m in members if age_on(m.birth_date, conditions.reference_date) <= conditions.youth_max_age)
        share = Decimal(youth) / Decimal(count)
        if share <= conditions.min_youth_share:
            violations.append(
                Violation(
                    "eligibility.youth_share",
                    f"{conditions.youth_max_age}周岁以下成员占{percent(share)}，"
                    f"应超过{percent(conditions.min_youth_share)}（共{count}人，其中{youth}人）",
                    "members",
                )
            )

    leaders = [m for m in members if m.is_leader]
    if not leaders:
        violations.append(Violation("eligibility.leader_missing", "尚未在成员中指定号长", "members"))
    else:
        leader_age = age_on(leaders[0].birth_date, conditions.reference_date)
        if leader_age > conditions.leader_max_age:
            violations.append(
                Violation(
                    "eligibility.leader_age",
                    f"号长年龄为{leader_age}周岁，应在{conditions.leader_max_age}周岁以下",
                    "members",
                )
            )

    if conditions.require_stable_unit and unit_form not in STABLE_UNIT_FORMS:
        violations.append(
            Violation(
                "eligibility.stable_unit",
                "集体应为相对稳定的工作单元（窗口、班组、车间、厂站、科室）",
                "unit_form",
            )
        )
    return violations


def check_collective(campaign, collective) -> list[Violation]:
    """Eligibility of a saved collective for a campaign (reads its members and honours)."""
    members = [MemberFacts(m.birth_date, m.is_leader) for m in collective.members.all()]
    honours = honour_facts(campaign, collective)
    return check_eligibility(Conditions.of(campaign), members=members, honours=honours, unit_form=collective.unit_form)


def is_former_holder(campaign, collective) -> bool:
    """往届: already holds the title at the campaign's own level (or higher) — a renewing post."""
    honours = honour_facts(campaign, collective)
    return holds_level(honours, campaign.level, up_to_year=campaign.year)


# --- the rules in words, and pass/fail per rule (the campaign page and the filing preview) -------


@dataclass(frozen=True)
class RuleResult:
    """One rule for one collective: its wording, whether it is met, and the fact or the reason."""
    key: str
    label: str
    passed: bool
    detail: str


# Which rule a violation code belongs to (leader_missing and leader_age are both the leader rule).
_RULE_OF_CODE = {
    "eligibility.prior_honour": "prior_honour",
    "eligibility.member_count": "member_count",
    "eligibility.youth_share": "youth_share",
    "eligibility.leader_missing": "leader",
    "eligibility.leader_age": "leader",
    "eligibility.stable_unit": "stable_unit",
}


def rule_labels(conditions: Conditions) -> list[tuple[str, str]]:
    """The conditions of a campaign in words, in the order of the notice: (key, label)."""
    labels: list[tuple[str, str]] = []
    required = qualifying_honour_level(conditions.level)
    if required is not None:
        labels.append(
            (
                "prior_honour",
                f"须曾获{LEVEL_LABELS[required]}（或更高级别）青年文明号称号（{conditions.year}年及以前获得）",
            )
        )
    labels += [
        ("member_count", f"成员{conditions.min_members}至{conditions.max_members}人"),
        (
            "youth_share",
            f"{conditions.youth_max_age}周岁以下成员占比超过{percent(conditions.min_youth_share)}",
        ),
        ("leader", f"号长{conditions.leader_max_age}周岁以下"),
    ]
    if conditions.require_stable_unit:
        labels.append(("stable_unit", "须为相对稳定的工作单元（窗口、班组、车间、厂站、科室）"))
    return labels


def _passed_detail(key: str, conditions: Conditions, members, honours, unit_form: str) -> str:

    if key == "prior_honour":
        required = qualifying_honour_level(conditions.level)
        rank = HONOUR_RANK[required]
        held = sorted(
            (h for h in honours if h.valid and HONOUR_RANK[h.level] >= rank and h.year <= conditions.year),
            key=lambda h: (HONOUR_RANK[h.level], h.year),
            reverse=True,
        )
        best = held[0]
        return f"已获{best.year}年{LEVEL_LABELS[best.level]}青年文明号称号"
    if key == "member_count":
        return f"现有成员{len(members)}人"
    if key == "youth_share":
        youth = sum(1 for m in members if age_on(m.birth_date, conditions.reference_date) <= conditions.youth_max_age)
        share = Decimal(youth) / Decimal(len(members))
        return f"{conditions.youth_max_age}周岁以下成员{youth}人，占{percent(share)}（共{len(members)}人）"
    if key == "leader":
        leader = next(m for m in members if m.is_leader)
        return f"号长{age_on(leader.birth_date, conditions.reference_date)}周岁"
    if key == "stable_unit":
        return f"工作单元形式：{WorkingUnitForm(unit_form).label}"
    return ""


def evaluate(
    conditions: Conditions,
    *,
    members: Sequence[MemberFacts],
    honours: Sequence[HonourFacts],
    unit_form: str,
) -> list[RuleResult]:
    """Pass or fail for every rule of ``conditions``, built on ``check_eligibility`` (so the preview
    and the filing can never disagree). A failed rule carries every reason it produced."""
    reasons: dict[str, list[str]] = {}
    for violation in check_eligibility(conditions, members=members, honours=honours, unit_form=unit_form):
        reasons.setdefault(_RULE_OF_CODE.get(violation.code, violation.code), []).append(violation.message)
    results = []
    for key, label in rule_labels(conditions):
        if key in reasons:
            results.append(RuleResult(key, label, False, "；".join(reasons[key])))
        elif key == "youth_share" and not members:
            # check_eligibility leaves the share to the member-count rule when there is nobody.
            results.append(RuleResult(key, label, False, "集体尚无成员，无法计算青年成员占比"))
        else:
            results.append(RuleResult(key, label, True, _passed_detail(key, conditions, members, honours, unit_form)))
    return results


def evaluate_collective(campaign, collective) -> list[RuleResult]:
    """``evaluate`` for a saved collective (reads its members and honours)."""
    members = [MemberFacts(m.birth_date, m.is_leader) for m in collective.members.all()]
    honours = honour_facts(campaign, collective)
    return evaluate(Conditions.of(campaign), members=members, honours=honours, unit_form=collective.unit_form)
