"""The campaign office's spreadsheet of all works of a campaign with their reviews (作品与评审情况导出).

One row per work: its facts, the unit's decision (the last unit-stage WorkDecision), the office's decision (the
last city-stage one), then for every review round of the campaign, each judge's score out of 100
(``scoring.weighted_score``) and comment, the number of scores, the mean, the trimmed mean and the rank
(``scoring.round_results``). A round only fills the rows of its own category. It is the office's own file, so
blind rounds show the judges' names too. In a judge's score cell, "未评分" is an assigned work not (completely)
scored yet, "回避" a work the judge may not review (conflict of interest), empty a work not assigned.

Reads the database in 4 + 3 × (number of rounds) queries whatever the number of works, judges and scores, and
writes with openpyxl's write-only workbook (rows go to a temporary file as they are appended).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Case, F, IntegerField, Value, When
from django.utils import timezone
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from wenminghao.campaigns.models import Campaign
from wenminghao.core.errors import NotPermitted
from wenminghao.core.exporters import SpreadsheetExporter
from wenminghao.core.predicates import is_campaign_office_admin
from wenminghao.works.enums import Category, DisplayForm, WorkStage, WorkStatus
from wenminghao.works.models import Work, WorkDecision
from wenminghao.works.transitions import TRANSITIONS

from . import scoring
from .models import ReviewRound, RoundJudge
from .rules import judge_has_conflict
from .summary import CATEGORY_ORDER

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
    """One round's part of the sheet: its judges (panel and anyone assigned) and its results by work id."""
    round: ReviewRound
    judges: list = field(default_factory=list)
    results: dict = field(default_factory=dict)  # work id -> scoring.WorkResult

    def headers(self) -> list[tuple[str, int]]:
        columns = []
        for judge in self.judges:
            columns += [(f"{self.round.name}：{judge_label(judge)}得分", SCORE_WIDTH),
                        (f"{self.round.name}：{judge_label(judge)}评语", COMMENT_WIDTH)]
        return columns + [(f"{self.round.name}：{title}", width) for title, width in ROUND_TOTAL_COLUMNS]


def judge_label(judge) -> str:
    return f"{judge.display_name}（{judge.username}）" if judge.display_name else judge.username


def _category_order():
    return Case(*[When(category=value, then=Value(index)) for index, value in enumerate(CATEGORY_ORDER)],
                default=Value(9), output_field=IntegerField())


def campaign_works(campaign):
    """All works of the campaign, whatever their status, in the official category order, then the unit's rank
    (unranked last), then id; collective and its unit selected."""
    return (Work.objects.filter(campaign=campaign).select_related("collective", "collective__unit")
            .annotate(category_order=_category_order())
            .order_by("category_order", F("unit_rank").asc(nulls_last=True), "id"))


def last_decisions(campaign) -> dict[tuple[int, str], WorkDecision]:
    """{(work id, stage): the work's last decision at that stage} for the campaign's works (one query)."""
    last: dict[tuple[int, str], WorkDecision] = {}
    for decision in (WorkDecision.objects.filter(work__campaign=campaign).select_related("actor")
                     .order_by("work_id", "created_at", "id")):
        last[(decision.work_id, decision.stage)] = decision
    return last


def round_columns(campaign) -> list[RoundColumns]:
    """The campaign's rounds (oldest first) with judges and results: 2 + 3 per round queries."""
    rounds = list(ReviewRound.objects.filter(campaign=campaign).order_by("created_at", "id"))
    panels: dict[int, dict[int, object]] = {}
    for round_judge in (RoundJudge.objects.filter(round__campaign=campaign).select_related("judge", "judge__unit")
                        .order_by("judge__username", "judge_id")):
        panels.setdefault(round_judge.round_id, {})[round_judge.judge_id] = round_judge.judge
    columns = []
    for round_ in rounds:
        results = scoring.round_results(round_)
        judges = dict(panels.get(round_.pk, {}))
        for result in results:  # a judge with assignments who has left the panel keeps their columns
            for item in result.judges:
                judges.setdefault(item.judge.pk, item.judge)
        columns.append(RoundColumns(
            round=round_, judges=sorted(judges.values(), key=lambda judge: (judge.username, judge.pk)),
            results={result.work.pk: result for result in results},
        ))
    return columns


def _local(moment):
    """A naive local datetime for Excel (which has no time zones)."""
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def _label(choices, value) -> str:
    return str(choices(value).label) if value in choices.values else (value or "")


def decision_cells(decision: WorkDecision | None) -> list:
    if decision is None:
        return [None, None, None, None]
    rule = TRANSITIONS.get((decision.from_status, decision.to_status))
    result = rule.action if rule else _label(WorkStatus, decision.to_status)
    return [result, str(decision.actor), _local(decision.created_at), decision.comment or None]


def round_cells(columns: RoundColumns, work, office) -> list:
    """The round's cells of one work's row: empty for a work of another category."""
    width = 2 * len(columns.judges) + len(ROUND_TOTAL_COLUMNS)
    if work.category != columns.round.category:
        return [None] * width
    result = columns.results.get(work.pk)
    by_judge = {item.judge.pk: item for item in result.judges} if result else {}
    cells = []
    for judge in columns.judges:
        item = by_judge.get(judge.pk)
        if item is not None:
            cells += [item.score if item.score is not None else NOT_SCORED, item.assignment.comment or None]
        elif judge_has_conflict(judge, work, office):
            cells += [CONFLICT, None]
        else:
            cells += [None, None]
    if result is None:
        return cells + [None] * len(ROUND_TOTAL_COLUMNS)
    return cells + [result.n, result.mean, result.trimmed_mean, result.rank]


def work_row(work, decisions: dict, rounds: list[RoundColumns], office) -> list:
    return [
        work.pk, _label(Category, work.category), work.title, _label(DisplayForm, work.display_form),
        work.collective.name, work.collective.unit.name, _label(WorkStatus, work.status), _local(work.submitted_at),
        work.unit_rank,
        *decision_cells(decisions.get((work.pk, WorkStage.UNIT))),
        *decision_cells(decisions.get((work.pk, WorkStage.CITY))),
        *[cell for columns in rounds for cell in round_cells(columns, work, office)],
    ]


class CampaignWorksExport(SpreadsheetExporter):
    """All works of a campaign with their decisions and every score (see the module's docstring)."""
    identifier = "campaign-works"

    def __init__(self, campaign):
        self.campaign = campaign
        self.basename = f"{campaign.name}-作品与评审情况"

    def write(self, stream) -> None:
        office = self.campaign.office
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
        for work in campaign_works(self.campaign).iterator(chunk_size=2000):
            sheet.append([self.cell(sheet, value, number_format=SCORE_FORMAT if _is_score(value) else None)
                          for value in work_row(work, decisions, rounds, office)])
        book.save(stream)


SCORE_FORMAT = "0.00"


def _is_score(value) -> bool:
    """Means and weighted scores (Decimal or float) show two decimals; counts and ranks (int) none."""
    return value is not None and not isinstance(value, (str, int, datetime.date))


def campaign_export_for_job(job) -> CampaignWorksExport:
    """The export of an ExportJob (core.exports): the campaign of ``job.params``, if the account that asked still
    runs it (NotPermitted otherwise: permissions may have changed since the request)."""
    campaign = Campaign.objects.select_related("office").filter(pk=job.params.get("campaign")).first()
    if campaign is None or not is_campaign_office_admin(job.requested_by, campaign):
        raise NotPermitted("您已不是组织该创建活动的团委管理员，不能导出其作品与评分。")
    return CampaignWorksExport(campaign)
