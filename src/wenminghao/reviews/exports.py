"""The campaign office's spreadsheet of all works of a campaign with their reviews (作品与评审情况导出).

One row per work: its facts, the unit's decision (the last unit-stage WorkDecision), the office's decision (the
last city-stage one), then for every review round of the campaign, each judge's score out of 100
(``scoring.weighted_score``) and comment, the number of scores, the mean, the trimmed mean and the rank. A round
only fills the rows of its own category. It is the office's own file, so blind rounds show the judges' names too.
In a judge's score cell, "未评分" is an assigned work not (completely) scored yet, "回避" a work the judge may not
review (conflict of interest), empty a work not assigned.

The scores are the round's kept standings (reviews.standings: each Assignment's weighted score, each RoundEntry's
count, mean and trimmed mean; ranks counted here from the trimmed means with ``scoring.competition_ranks``, as the
results page does). Reads the database in 7 queries whatever the number of works, judges, scores and rounds, all
``values_list`` (no model instances), and writes the rows as XML text (core.exporters.RawRows): 10,000 works with
every score take about a second of the task worker's time (docs/benchmarks.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Case, F, FloatField, IntegerField, Value, When
from django.db.models.functions import Cast
from django.utils import timezone
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from wenminghao.accounts.models import User
from wenminghao.campaigns.models import Campaign
from wenminghao.campaigns.selectors import campaigns_visible_to
from wenminghao.core.errors import NotPermitted
from wenminghao.core.exporters import RawRows, SpreadsheetExporter
from wenminghao.core.exports import request_export
from wenminghao.core.predicates import is_campaign_office_admin
from wenminghao.orgs.selectors import units_visible_to
from wenminghao.works.enums import Category, DisplayForm, WorkStage, WorkStatus
from wenminghao.works.models import Work, WorkDecision
from wenminghao.works.transitions import TRANSITIONS

from . import scoring
from .models import Assignment, ReviewRound, RoundEntry, RoundJudge
from .rules import judge_conflict_path
from .selectors import recommended_works
from .summary import CATEGORY_ORDER, rows_from_values, summary_table

NOT_SCORED = "未评分"
CONFLICT = "回避"
SHEET_TITLE = "作品与评审"
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="F2DCDB")
ROUND_FILL = PatternFill("solid", fgColor="DDEBF7")
HEADER_ALIGNMENT = Alignment(wrap_text=True, vertical="center", horizontal="center")

# (header, width) of the columns before the rounds' columns
WORK_COLUMNS = (
    ("id", 7), ("作品类别", 26), ("作品名称", 30), ("展示形式", 9), ("创作集体", 28), ("归口单位", 18), ("状态", 11),
    ("提交时间", 17), ("单位推荐顺序", 8),
    ("单位审核结果", 12), ("单位审核人", 12), ("单位审核时间", 17), ("单位审核意见", 30),
    ("团市委决定", 14), ("团市委决定人", 12), ("团市委决定时间", 17), ("团市委意见", 30),
)
ROUND_TOTAL_COLUMNS = (("评分人数", 8), ("平均分", 9), ("截尾平均分", 9), ("名次", 7))
SCORE_WIDTH, COMMENT_WIDTH = 10, 30


@dataclass
class RoundColumns:
    """One round's part of the sheet: its judges (panel and anyone assigned), each one's path of conflict, and
    by work id the judges' (score, comment) and the work's (n, mean, trimmed mean, rank)."""
    round: ReviewRound
    judges: list = field(default_factory=list)
    conflict_paths: list = field(default_factory=list)  # per judge: rules.judge_conflict_path
    scores: dict = field(default_factory=dict)  # work id -> {judge id: (score or None, comment)}
    totals: dict = field(default_factory=dict)  # work id -> (n, mean, trimmed mean, rank)

    def headers(self) -> list[tuple[str, int]]:
        columns = []
        for judge in self.judges:
            columns += [(f"{self.round.name}：{judge_label(judge)}得分", SCORE_WIDTH),
                        (f"{self.round.name}：{judge_label(judge)}评语", COMMENT_WIDTH)]
        return columns + [(f"{self.round.name}：{title}", width) for title, width in ROUND_TOTAL_COLUMNS]

    @property
    def width(self) -> int:
        return 2 * len(self.judges) + len(ROUND_TOTAL_COLUMNS)


def judge_label(judge) -> str:
    return f"{judge.display_name}（{judge.username}）" if judge.display_name else judge.username


def _category_order():
    return Case(*[When(category=value, then=Value(index)) for index, value in enumerate(CATEGORY_ORDER)],
                default=Value(9), output_field=IntegerField())


WORK_VALUES = ("id", "category", "title", "display_form", "collective__name", "collective__unit__name",
               "collective__unit__path", "status", "submitted_at", "unit_rank")


def campaign_works(campaign):
    """All works of the campaign, whatever their status, in the official category order, then the unit's rank
    (unranked last), then id: tuples of WORK_VALUES."""
    return (Work.objects.filter(campaign=campaign).annotate(category_order=_category_order())
            .order_by("category_order", F("unit_rank").asc(nulls_last=True), "id").values_list(*WORK_VALUES))


def last_decisions(campaign) -> dict[tuple[int, str], tuple]:
    """{(work id, stage): (from status, to status, actor's name, time, comment)} of each work's last decision at
    that stage, for the campaign's works (one query)."""
    last: dict[tuple[int, str], tuple] = {}
    for work_id, stage, *decision in (
            WorkDecision.objects.filter(work__campaign=campaign).order_by("work_id", "created_at", "id")
            .values_list("work_id", "stage", "from_status", "to_status", "actor__display_name", "actor__username",
                         "created_at", "comment")):
        last[(work_id, stage)] = decision
    return last


class _Cents:
    """A kept figure (a DecimalField of two decimals, read as a float: the database's own number, without
    Django's conversion of each value) as the Decimal it is, made once per distinct value."""
    def __init__(self):
        self.known: dict[float, Decimal] = {}

    def __call__(self, value: float | None) -> Decimal | None:
        if value is None:
            return None
        found = self.known.get(value)
        if found is None:
            found = self.known[value] = Decimal(repr(value)).quantize(scoring.CENT)
        return found


def round_columns(campaign) -> list[RoundColumns]:
    """The campaign's rounds (oldest first) with judges, scores and totals: 5 queries whatever the rounds."""
    rounds = list(ReviewRound.objects.filter(campaign=campaign).order_by("created_at", "id"))
    if not rounds:
        return []
    judge_ids: dict[int, set] = {round_.pk: set() for round_ in rounds}
    for round_id, judge_id in RoundJudge.objects.filter(round__campaign=campaign).values_list("round_id", "judge_id"):
        judge_ids[round_id].add(judge_id)
    cents = _Cents()
    scores: dict[int, dict] = {round_.pk: {} for round_ in rounds}
    for round_id, work_id, judge_id, score, comment in (
            Assignment.objects.filter(round__campaign=campaign)
            .values_list("round_id", "work_id", "judge_id", Cast("score", FloatField()), "comment")
            .iterator(chunk_size=5000)):
        scores[round_id].setdefault(work_id, {})[judge_id] = (cents(score), comment or None)
        judge_ids[round_id].add(judge_id)  # a judge with assignments who has left the panel keeps their columns
    totals: dict[int, dict] = {round_.pk: {} for round_ in rounds}
    for round_id, work_id, n, mean, trimmed in (
            RoundEntry.objects.filter(round__campaign=campaign)
            .values_list("round_id", "work_id", "scored_count", Cast("mean", FloatField()),
                         Cast("trimmed_mean", FloatField())).iterator(chunk_size=5000)):
        totals[round_id][work_id] = [n, cents(mean), cents(trimmed)]
    every_judge = {judge.pk: judge for judge in User.objects.filter(
        pk__in=set().union(*judge_ids.values())).select_related("unit").only(
        "id", "username", "display_name", "unit__id", "unit__path")}
    office = campaign.office
    columns = []
    for round_ in rounds:
        by_work = totals[round_.pk]
        for entry, rank in zip(by_work.values(), scoring.competition_ranks(
                entry[2] for entry in by_work.values()), strict=True):
            entry.append(rank)
        judges = sorted((every_judge[pk] for pk in judge_ids[round_.pk]), key=lambda judge: (judge.username, judge.pk))
        columns.append(RoundColumns(round=round_, judges=judges,
                                    conflict_paths=[judge_conflict_path(judge, office) for judge in judges],
                                    scores=scores[round_.pk], totals=by_work))
    return columns


def _local(moment, zone=None):
    """A naive local datetime for Excel (which has no time zones)."""
    return moment.astimezone(zone or timezone.get_current_timezone()).replace(tzinfo=None) if moment else None


def _labels(choices) -> dict[str, str]:
    return {value: str(label) for value, label in choices.choices}


def decision_cells(decision: tuple | None, statuses: dict, zone=None) -> list:
    if decision is None:
        return [None, None, None, None]
    from_status, to_status, display_name, username, created_at, comment = decision
    rule = TRANSITIONS.get((from_status, to_status))
    result = rule.action if rule else statuses.get(to_status, to_status or "")
    return [result, display_name or username, _local(created_at, zone), comment or None]


def round_cells(columns: RoundColumns, work_id: int, category: str, unit_path: str) -> list:
    """The round's cells of one work's row: empty for a work of another category."""
    if category != columns.round.category:
        return [None] * columns.width
    assigned = columns.scores.get(work_id, {})
    cells = []
    for judge, conflict_path in zip(columns.judges, columns.conflict_paths, strict=True):
        item = assigned.get(judge.pk)
        if item is not None:
            cells += [item[0] if item[0] is not None else NOT_SCORED, item[1]]
        elif conflict_path is not None and unit_path.startswith(conflict_path):
            cells += [CONFLICT, None]
        else:
            cells += [None, None]
    total = columns.totals.get(work_id)
    if total is None:
        return cells + [None] * len(ROUND_TOTAL_COLUMNS)
    return cells + total  # n, mean, trimmed mean, rank


class CampaignWorksExport(SpreadsheetExporter):
    """All works of a campaign with their decisions and every score (see the module's docstring)."""
    identifier = "campaign-works"

    def __init__(self, campaign):
        self.campaign = campaign
        self.basename = f"{campaign.name}-作品与评审情况"

    def write(self, stream) -> None:
        rounds = round_columns(self.campaign)
        decisions = last_decisions(self.campaign)
        book = self.workbook(write_only=True)
        sheet = book.create_sheet(SHEET_TITLE)
        headers = [(title, width, HEADER_FILL) for title, width in WORK_COLUMNS]
        for columns in rounds:
            headers += [(title, width, ROUND_FILL) for title, width in columns.headers()]
        for index, (_, width, _) in enumerate(headers, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.freeze_panes = "D2"  # the header row and id, category, title stay in view
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}1"
        sheet.row_dimensions[1].height = 45
        # printed: A4 landscape at full size (a sheet this wide would be unreadable fitted to one page), the header
        # row and the id, category and title columns repeated on every page
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = 9  # A4
        sheet.print_title_rows = "1:1"
        sheet.print_title_cols = "A:C"
        sheet.append([self.cell(sheet, title, font=HEADER_FONT, fill=fill, alignment=HEADER_ALIGNMENT)
                      for title, _, fill in headers])
        score = self.style(sheet, number_format=SCORE_FORMAT)  # means and weighted scores: two decimals
        categories, forms, statuses = _labels(Category), _labels(DisplayForm), _labels(WorkStatus)
        zone = timezone.get_current_timezone()
        body = RawRows(book, sheet, first_row=2)
        for (work_id, category, title, form, collective, unit, unit_path, status, submitted_at,
             unit_rank) in campaign_works(self.campaign).iterator(chunk_size=2000):
            row = [
                work_id, categories.get(category, category or ""), title, forms.get(form, form or ""), collective,
                unit, statuses.get(status, status or ""), _local(submitted_at, zone), unit_rank,
                *decision_cells(decisions.get((work_id, WorkStage.UNIT)), statuses, zone),
                *decision_cells(decisions.get((work_id, WorkStage.CITY)), statuses, zone),
            ]
            for columns in rounds:
                row += round_cells(columns, work_id, category, unit_path)
            body.append(row, fractions=score)
        self.save(book, stream, body)


SCORE_FORMAT = "0.00"


def campaign_export_for_job(job) -> CampaignWorksExport:
    """The export of an ExportJob (core.exports): the campaign of ``job.params``, if the account that asked still
    runs it (NotPermitted otherwise: permissions may have changed since the request)."""
    campaign = Campaign.objects.select_related("office").filter(pk=job.params.get("campaign")).first()
    if campaign is None or not is_campaign_office_admin(job.requested_by, campaign):
        raise NotPermitted("您已不是组织该创建活动的团委管理员，不能导出其作品与评分。")
    return CampaignWorksExport(campaign)


# --- the Attachment 2 table made by the task worker (reviews.summary) -------------------------------------------

SUMMARY_KIND = "summary_table"
SUMMARY_FORMAT_LABELS = {"docx": "Word（.docx）", "xlsx": "Excel（.xlsx）", "pdf": "PDF（A4横向）"}
UNIT_SCOPE, PROVINCE_SCOPE = "unit", "province"


def direct_summary_rows() -> int:
    """Up to this many rows the Attachment 2 table is answered in the request; above, the task worker makes it
    (an ExportJob, as the campaign export): 10,000 rows take 0.5–2.5 s (docs/benchmarks.md)."""
    return settings.WMH_SUMMARY_DIRECT_ROWS


@dataclass
class SummaryRequest:
    """One Attachment 2 table: a unit's recommended works (``unit`` scope: the unit and the units under it) or the
    works the office forwards to the province (``province`` scope, the office's package), in one format."""
    scope: str
    campaign: Campaign
    unit: object
    fmt: str

    def works(self):
        works = recommended_works(self.campaign, self.unit)
        if self.scope == PROVINCE_SCOPE:
            works = works.filter(status=WorkStatus.FORWARDED)
        return works

    def count(self) -> int:
        return self.works().count()

    def exporter(self):
        exporter = summary_table(self.fmt, unit_name=self.unit.name, rows=rows_from_values(self.works()))
        if self.scope == PROVINCE_SCOPE:
            exporter.basename = f"推报团省委成果汇总表-{self.unit.name}"
        return exporter

    def params(self) -> dict:
        return {"scope": self.scope, "campaign": self.campaign.pk, "unit": self.unit.pk, "format": self.fmt}

    def title(self) -> str:
        what = "推报团省委成果汇总表" if self.scope == PROVINCE_SCOPE else "推荐成果汇总表"
        return f"{self.campaign.name} · {self.unit.name}{what}（.{self.fmt}）"

    def request_job(self, actor):
        return request_export(actor=actor, kind=SUMMARY_KIND, params=self.params(), title=self.title(),
                              unit_path=self.unit.path)


def summary_for_job(job):
    """The table of an ExportJob of kind ``summary_table``, if the account that asked still may have it
    (NotPermitted otherwise: permissions may have changed since the request)."""
    user, params = job.requested_by, job.params
    campaign = campaigns_visible_to(user).select_related("office").filter(pk=params.get("campaign")).first()
    unit = units_visible_to(user).filter(pk=params.get("unit")).first()
    scope, fmt = params.get("scope"), params.get("format")
    if campaign is None or unit is None or fmt not in SUMMARY_FORMAT_LABELS:
        raise NotPermitted("该创建活动或单位已对您不可见，不能生成其汇总表。")
    if scope == PROVINCE_SCOPE:
        if unit.pk != campaign.office_id or not user.has_perm("reviews.run_campaign_review", campaign):
            raise NotPermitted("您已不是组织该创建活动的团委管理员，不能生成推报团省委的汇总表。")
    elif scope != UNIT_SCOPE or not user.has_perm("reviews.view_unit_summary", unit):
        raise NotPermitted("您已不是该单位或上级团委的管理员，不能生成其推荐成果汇总表。")
    return SummaryRequest(scope=scope, campaign=campaign, unit=unit, fmt=fmt).exporter()
