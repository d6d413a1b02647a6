"""The dashboard's figures as an .xlsx (``evaluation:dashboard_xlsx``): 概况 (the unit's figures and its entries by
month), 单位对比 (one row per direct child unit, 本级直属 and the total) and 缺项集体 (every creating collective without
an entry in at least one activity, read from the database in chunks). A write-only workbook, every cell through the
exporter base (formula-safe text). Shares are written as numbers rounded down to 0.1% (as the pages show them: a
failing share never reads as meeting its target)."""

import datetime
from decimal import ROUND_FLOOR, Decimal
from typing import BinaryIO

from django.utils import timezone
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from wenminghao.campaigns.enums import FilingStatus
from wenminghao.core.exporters import SpreadsheetExporter
from wenminghao.ledger.enums import Activity, PairingOutcome

from ..enums import InspectionRating
from ..selectors.dashboard import Dashboard, Figures, UnitRow, activity_cells

CHUNK = 500
HEADER_FONT = Font(bold=True)
TITLE_FONT = Font(bold=True, size=13)
HEADER_FILL = PatternFill("solid", fgColor="F2DCDB")
HEADER_ALIGNMENT = Alignment(wrap_text=True, vertical="center", horizontal="center")
PERCENT = "0.0%"


def floored_share(share) -> float:
    """A share (0..1) rounded down to 0.1%, as a number for a percent cell."""
    return float(Decimal(str(share)).quantize(Decimal("0.001"), rounding=ROUND_FLOOR))


class DashboardXlsx(SpreadsheetExporter):
    """The dashboard of one unit in one campaign. ``missing``: ``selectors.dashboard.creating_collectives(...,
    missing=MISSING_ANY)``, read with ``iterator`` (never all in memory)."""

    identifier = "evaluation-indicators"

    def __init__(self, board: Dashboard, missing, *, today: datetime.date | None = None):
        self.board = board
        self.missing = missing
        self.today = today or timezone.localdate()
        self.basename = f"{board.unit.name}-{board.campaign.name}-创建指标"
        self.missing_count = 0

    def header(self, sheet, values, widths) -> None:
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        self.append(sheet, values, font=HEADER_FONT, fill=HEADER_FILL, alignment=HEADER_ALIGNMENT)

    def percent_cell(self, sheet, share):
        return self.cell(sheet, floored_share(share), number_format=PERCENT)

    # --- 概况 ------------------------------------------------------------------------------------------------

    def overview_lines(self):
        """(指标, 数值, 说明) of the unit; a share is a Decimal or float marked by ``percent``."""
        board, figures, api = self.board, self.board.figures, self.board.indicators
        yield "创建集体", api.collectives, "报备待审核或已接受的集体（不含已退回），含下级单位"
        yield "其中：已接受", figures.accepted, ""
        yield "其中：待审核", figures.pending, ""
        for value, label in Activity.choices:
            yield f"{label}：有记录的集体", api.activities[value].collectives, "至少有一条该活动台账记录的创建集体"
            yield f"{label}：台账记录", api.activities[value].entries, ""
            yield f"{label}：无记录的集体", board.missing[value], "见“缺项集体”表"
        yield "青年大学习：学习次数", figures.sessions, "青年大学习台账记录条数"
        yield "青年大学习：成员", figures.members, "创建集体的成员总数"
        yield "青年大学习：参学成员", figures.attended, "至少参加过一次学习的成员"
        yield "青年大学习：覆盖率", ("percent", api.coverage), "参学成员 ÷ 成员"
        yield "助千家：结对家庭", api.pairings, f"{board.campaign.year}年内在帮扶期的结对（含已撤回同意的）"
        yield "助千家：帮扶青少年", figures.youth, "这些结对家庭的青少年人数"
        yield "助千家：回头看次数", figures.reviews, f"截至{board.campaign.year}年底登记的回头看"
        yield "助千家：已回头看的结对", figures.reviewed_pairings, ""
        for value, label in PairingOutcome.choices:
            yield f"助千家：最近一次回头看为“{label}”", figures.outcomes[value], "按每户最近一次回头看的结果"
        yield "开放周：活动次数", figures.open_week_events, "开放周台账记录条数"
        yield "开放周：参观人数", figures.visitors, "各次活动登记的参观人数之和"
        yield "成果作品：已提交", figures.works_submitted, "已提交及其后各状态（含退回修改中）的作品，含未创建集体的"
        yield "成果作品：已推荐", figures.works_recommended, "已推荐、入围、优秀展示、推报团省委的作品"
        for line in board.structure.lines:
            yield f"创建结构：{line.label}", ("percent", line.share), (
                f"{line.count}/{line.total}个，目标不低于{floored_share(line.target) * 100:g}%"
                + ("，低于目标" if line.below_target else ""))
        inspections = board.inspections
        yield "实地考察：次数", inspections.inspections, ""
        yield "实地考察：考察过的集体", inspections.collectives, ""
        for value, label in InspectionRating.choices:
            yield f"实地考察：评为“{label}”", inspections.by_rating[value], ""
        yield "实地考察：整改未完成", inspections.open_rectifications, "待整改或已反馈、尚未通过"
        yield "实地考察：整改逾期", inspections.overdue, "过了整改期限仍未反馈"
        development = board.development
        yield "号长培训：培训场次", development.trainings, ""
        yield "号长培训：号长已参训的集体", development.trained, ""
        yield "号长培训：号长未参训的集体", development.untrained, ""
        yield "交流观摩：次数", development.exchange_visits, ""
        yield "交流观摩：参与的集体", development.exchange_collectives, ""
        yield "新老号结对：对数", development.mentor_pairs, ""

    def write_overview(self, workbook) -> None:
        sheet = workbook.create_sheet("概况")
        board = self.board
        for index, width in enumerate((34, 14, 56), start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        self.append(sheet, [f"{board.unit.name} · {board.campaign.name} · 创建指标"], font=TITLE_FONT)
        self.append(sheet, [f"统计范围：{board.unit.name}及下级单位；统计日期：{self.today:%Y-%m-%d}"])
        self.append(sheet, [])
        self.append(sheet, ["指标", "数值", "说明"], font=HEADER_FONT, fill=HEADER_FILL, alignment=HEADER_ALIGNMENT)
        for label, value, note in self.overview_lines():
            if isinstance(value, tuple):
                sheet.append([self.cell(sheet, label), self.percent_cell(sheet, value[1]), self.cell(sheet, note)])
            else:
                self.append(sheet, [label, value, note])
        self.append(sheet, [])
        self.append(sheet, ["按月台账记录"], font=HEADER_FONT)
        self.append(sheet, ["月份", *Activity.labels, "合计"], font=HEADER_FONT, fill=HEADER_FILL,
                    alignment=HEADER_ALIGNMENT)
        for month in board.months:
            self.append(sheet, [f"{month.month:%Y-%m}", *(month.counts[value] for value in Activity.values),
                                month.total])

    # --- 单位对比 -----------------------------------------------------------------------------------------------

    COMPARISON_HEADERS = (
        ("单位", 22), ("创建集体", 9), ("已接受", 8),
        *((f"{label}{part}", 10) for label in Activity.labels for part in ("：有记录的集体", "：台账记录")),
        ("成员", 8), ("参学成员", 9), ("参学覆盖率", 10), ("结对家庭", 9), ("帮扶青少年", 10), ("回头看次数", 10),
        ("开放周参观人数", 11), ("已提交作品", 10), ("已推荐作品", 10),
        ("往届集体占比", 11), ("非公经济组织集体占比", 12), ("社会组织集体占比", 12),
    )

    def comparison_row(self, sheet, label: str, figures: Figures, structure) -> list:
        cells = [self.cell(sheet, value) for value in (label, figures.creating, figures.accepted)]
        for value in Activity.values:
            cells += [self.cell(sheet, figures.activities[value].collectives),
                      self.cell(sheet, figures.activities[value].entries)]
        cells += [self.cell(sheet, figures.members), self.cell(sheet, figures.attended),
                  self.percent_cell(sheet, figures.coverage)]
        cells += [self.cell(sheet, value) for value in (figures.pairings, figures.youth, figures.reviews,
                                                       figures.visitors, figures.works_submitted,
                                                       figures.works_recommended)]
        cells += [self.percent_cell(sheet, line.share) if structure.total else self.cell(sheet, None)
                  for line in structure.lines]
        return cells

    def write_comparison(self, workbook) -> None:
        sheet = workbook.create_sheet("单位对比")
        sheet.freeze_panes = "B2"
        self.header(sheet, [header for header, _ in self.COMPARISON_HEADERS],
                    [width for _, width in self.COMPARISON_HEADERS])
        row: UnitRow
        for row in self.board.rows:
            label = row.unit.name if row.unit is not None else f"{self.board.unit.name}本级直属"
            sheet.append(self.comparison_row(sheet, label, row.figures, row.structure))
        sheet.append(self.comparison_row(sheet, f"合计（{self.board.unit.name}）", self.board.figures,
                                         self.board.structure))

    # --- 缺项集体 -----------------------------------------------------------------------------------------------

    def write_missing(self, workbook) -> None:
        sheet = workbook.create_sheet("缺项集体")
        sheet.freeze_panes = "C2"
        self.header(sheet, ["归口单位", "集体", "报备状态", *(f"{label}记录" for label in Activity.labels),
                            "缺少的活动"], [20, 32, 14, 10, 10, 10, 10, 30])
        statuses = dict(FilingStatus.choices)
        self.missing_count = 0
        for collective in self.missing.iterator(chunk_size=CHUNK):
            cells = activity_cells(collective)
            self.append(sheet, [collective.unit.name, collective.name, statuses.get(collective.filing_status, ""),
                                *(count for _, _, count in cells),
                                "、".join(label for _, label, count in cells if not count)])
            self.missing_count += 1

    def write(self, stream: BinaryIO) -> None:
        workbook = self.workbook(write_only=True)
        self.write_overview(workbook)
        self.write_comparison(workbook)
        self.write_missing(workbook)
        workbook.save(stream)
