"""The suggested score of a creating collective in the central evaluation (集中评议): a pure function of the
collective's facts in a campaign (counted in SQL by ``selectors.assessments.collective_facts``) and the five weights
the office sets per campaign (``AssessmentWeights``; 20 each by default, summing to 100).

The formula, as the reviewers' page writes it out:

    建议得分 = Σ 权重ᵢ × 完成度ᵢ        (five parts; each 完成度 between 0 and 1; the weights sum to 100)

    对标创优  0.5 if the collective set at least one 创优目标, + 0.5 if it recorded at least one 创优成果
    青年大学习 0.5 × coverage (members who attended at least one session ÷ members, at most 1)
             + 0.5 × min(1, sessions ÷ 4)
    助千家    0.5 if it visited at least one paired family, + 0.25 for at least 2 visits,
             + 0.25 for a 回头看 (a 回头看 visit in the ledger, or a 回头看 recorded on one of its pairings that ran
               during the campaign's year, dated by the end of that year: as the dashboard counts them)
    开放周    0.5 if it held at least one open-week event, + 0.5 if one of them showed both the service commitment
             (示范承诺) and the supervision phone (监督电话)
    成果作品  0.5 if it submitted at least one work, + 0.5 if one was recommended or went further (已推荐、入围、
             优秀展示、推报团省委)

Each part's points (权重 × 完成度) are rounded half up (四舍五入) to 2 decimals and the score is their sum, so the
parts shown on the page always add up to the score. Only the study part can have more decimals (coverage is a
fraction); the other parts are multiples of a quarter of an integer weight. The score lies in 0..100 and never
falls when a fact grows, except the member count, which is coverage's denominator (a bigger collective must reach
more of its members for the same coverage).
"""

from dataclasses import asdict, dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
HALF = Decimal("0.5")
QUARTER = Decimal("0.25")
ZERO = Decimal(0)
ONE = Decimal(1)
WEIGHTS_TOTAL = 100
DEFAULT_WEIGHT = 20
# Four sessions in the year count as a full programme of 青年大学习 (one a quarter).
EXPECTED_STUDY_SESSIONS = 4


@dataclass(frozen=True)
class CollectiveFacts:
    """What a creating collective did in a campaign, as the suggested score reads it (every count from SQL)."""

    benchmark_targets: int = 0  # 对标创优 entries of the stage 创优目标
    benchmark_results: int = 0  # 对标创优 entries of the stage 创优成果
    study_sessions: int = 0  # 青年大学习 entries
    members: int = 0  # the collective's members now
    study_attended: int = 0  # distinct members who attended at least one of those sessions
    pairings_visited: int = 0  # distinct pairings (结对家庭) visited in a 助千家 entry
    family_visits: int = 0  # 助千家 entries (visits)
    follow_up_visits: int = 0  # of those, visits marked 回头看走访
    pairing_reviews: int = 0  # 回头看 recorded on its pairings running in the campaign's year, dated by its end
    open_week_entries: int = 0  # 开放周 entries
    open_week_shown: int = 0  # of those, entries that showed both 示范承诺 and 监督电话
    works_submitted: int = 0  # works submitted or further (not drafts, not returned ones)
    works_recommended: int = 0  # of those, recommended, shortlisted, showcased or forwarded

    @property
    def coverage(self) -> Decimal:
        """Members who attended at least one session ÷ members (0 without members, never above 1)."""
        if self.members <= 0:
            return ZERO
        return min(ONE, Decimal(max(self.study_attended, 0)) / Decimal(self.members))

    @property
    def coverage_percent(self) -> int:
        """The coverage in whole percent, rounded half up (5 of 8 is 63%)."""
        return int((self.coverage * 100).quantize(ONE, rounding=ROUND_HALF_UP))

    @property
    def follow_ups(self) -> int:
        return self.follow_up_visits + self.pairing_reviews


@dataclass(frozen=True)
class Weights:
    """The points out of 100 of each part (AssessmentWeights of the campaign, or these defaults)."""

    benchmark: int = DEFAULT_WEIGHT
    study: int = DEFAULT_WEIGHT
    families: int = DEFAULT_WEIGHT
    open_week: int = DEFAULT_WEIGHT
    works: int = DEFAULT_WEIGHT

    @property
    def total(self) -> int:
        return sum(asdict(self).values())

    @property
    def is_valid(self) -> bool:
        return all(0 <= value <= WEIGHTS_TOTAL for value in asdict(self).values()) and self.total == WEIGHTS_TOTAL

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


# The five parts in the order pages show them: key (a Weights field) and label.
PARTS: tuple[tuple[str, str], ...] = (
    ("benchmark", "对标创优"),
    ("study", "青年大学习"),
    ("families", "助千家"),
    ("open_week", "开放周"),
    ("works", "成果作品"),
)
PART_LABELS = dict(PARTS)


@dataclass(frozen=True)
class Criterion:
    """One line of a part's rule: what it asks, the share of the part it is worth, and what the facts earned."""

    label: str
    share: Decimal
    earned: Decimal

    @property
    def met(self) -> bool:
        return self.earned >= self.share


@dataclass(frozen=True)
class PartScore:
    key: str
    label: str
    weight: int
    criteria: tuple[Criterion, ...]

    @property
    def fulfilment(self) -> Decimal:
        """Between 0 and 1: the sum of what the criteria earned."""
        return min(ONE, sum((criterion.earned for criterion in self.criteria), ZERO))

    @property
    def points(self) -> Decimal:
        """权重 × 完成度, rounded half up to 2 decimals."""
        return _points(self.weight, self.fulfilment)

    @property
    def lines(self) -> tuple[tuple[Criterion, Decimal, Decimal], ...]:
        """Each criterion with the points it earned and the points it is worth (for the page; the part's points are
        rounded once, from the exact sum, so these may differ from them by 0.01)."""
        return tuple((criterion, _points(self.weight, criterion.earned), _points(self.weight, criterion.share))
                     for criterion in self.criteria)


def _points(weight: int, share: Decimal) -> Decimal:
    return (Decimal(weight) * share).quantize(CENT, rounding=ROUND_HALF_UP)


def _flag(condition: bool, share: Decimal) -> Decimal:
    return share if condition else ZERO


def _criteria(facts: CollectiveFacts) -> dict[str, tuple[Criterion, ...]]:
    sessions = Decimal(max(facts.study_sessions, 0))
    return {
        "benchmark": (
            Criterion("至少一条创优目标", HALF, _flag(facts.benchmark_targets > 0, HALF)),
            Criterion("至少一条创优成果", HALF, _flag(facts.benchmark_results > 0, HALF)),
        ),
        "study": (
            Criterion("学习覆盖面（参学成员占全体成员的比例）", HALF, HALF * facts.coverage),
            Criterion(f"学习次数（{EXPECTED_STUDY_SESSIONS}次及以上计满）", HALF,
                      HALF * min(ONE, sessions / EXPECTED_STUDY_SESSIONS)),
        ),
        "families": (
            Criterion("至少走访一户结对家庭", HALF, _flag(facts.pairings_visited > 0, HALF)),
            Criterion("走访至少2次", QUARTER, _flag(facts.family_visits >= 2, QUARTER)),
            Criterion("开展回头看", QUARTER, _flag(facts.follow_ups > 0, QUARTER)),
        ),
        "open_week": (
            Criterion("至少开展一次开放周活动", HALF, _flag(facts.open_week_entries > 0, HALF)),
            Criterion("活动中亮出示范承诺和监督电话", HALF, _flag(facts.open_week_shown > 0, HALF)),
        ),
        "works": (
            Criterion("至少提交一件成果作品", HALF, _flag(facts.works_submitted > 0, HALF)),
            Criterion("有作品获推荐（已推荐、入围、优秀展示或推报团省委）", HALF,
                      _flag(facts.works_recommended > 0, HALF)),
        ),
    }


def score_parts(facts: CollectiveFacts, weights: Weights) -> tuple[PartScore, ...]:
    """The five parts of the suggested score with their criteria (what the assessment page shows). ValueError when
    the weights are not five integers from 0 to 100 summing to 100 (the service refuses to store such weights)."""
    if not weights.is_valid:
        raise ValueError(f"the weights must be integers from 0 to 100 summing to 100, not {weights.as_dict()}")
    criteria = _criteria(facts)
    return tuple(PartScore(key, label, getattr(weights, key), criteria[key]) for key, label in PARTS)


def suggested_score(facts: CollectiveFacts, weights: Weights) -> Decimal:
    """The suggested score out of 100 (two decimals): the sum of the parts' rounded points (module docstring)."""
    return sum((part.points for part in score_parts(facts, weights)), ZERO).quantize(CENT)
