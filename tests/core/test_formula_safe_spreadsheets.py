"""Every .xlsx and .csv the platform writes keeps hostile text as text (issue 8, defect 3: formula injection).

A work titled ``=HYPERLINK("http://example.org","点此")`` was written into the Attachment 2 table as a formula. Now
every spreadsheet is a ``core.exporters.SpreadsheetExporter`` or ``CsvExporter`` and every cell goes through them.
The table below makes each exporter with hostile text in every field a user can type; the completeness test fails
when an exporter is added without a row here. LibreOffice (where installed; CI has it) opens the Attachment 2 table
and must show the title as typed, not the formula's result.
"""

import csv
import datetime
import io
import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests import factories, tools
from wenminghao.campaigns.models import Campaign, CreationFiling
from wenminghao.collectives import selectors as collective_selectors
from wenminghao.collectives.exporter import CollectiveListExporter, ImportTemplateExporter
from wenminghao.core.exporters import CsvExporter, SpreadsheetExporter, csv_text, looks_like_formula
from wenminghao.evaluation.exporters.dashboard import DashboardXlsx
from wenminghao.evaluation.exporters.naming import NamingListEntry, NamingListSection, NamingListXlsx
from wenminghao.evaluation.selectors.dashboard import creating_collectives, dashboard
from wenminghao.ledger.exporters import UnitLedgerXlsx, unit_ledger_export
from wenminghao.ledger.models import LedgerEntry
from wenminghao.reviews.archive import ManifestCsv, plan_members
from wenminghao.reviews.exports import CampaignWorksExport
from wenminghao.reviews.summary import SummaryRow, SummaryXlsx
from wenminghao.works.models import Work

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://example.org","点此")'
HOSTILE = {
    "title": HYPERLINK,
    "collective": "+cmd|' /C calc'!A0",
    "unit": "@SUM(1+1)*cmd|' /C calc'!A0",
    "contact": "-2+3+cmd|' /C calc'!A0",
    "host": "\t=1+1",
    "fullwidth": "＝1+1",
}


@pytest.fixture
def hostile(tree, users):
    """A unit, collective and work whose every typed field starts like a formula."""
    unit = factories.unit(parent=tree["city"], name=HOSTILE["unit"])
    collective = factories.collective(unit=unit, name=HOSTILE["collective"], host_org=HOSTILE["host"],
                                      contact_name=HOSTILE["contact"], public_commitment=HOSTILE["fullwidth"])
    campaign = factories.campaign(office=tree["city"])
    work = Work.objects.create(campaign=campaign, collective=collective, category="photo", title=HOSTILE["title"],
                               display_form="picture", contact_name=HOSTILE["contact"], contact_phone="+86 631 5201234",
                               status="recommended", created_by=users["city_admin"],
                               submitted_at=datetime.datetime(2018, 8, 1, tzinfo=datetime.UTC))
    return {"unit": unit, "collective": collective, "campaign": campaign, "work": work, "users": users}


def _works(world):
    return list(Work.objects.filter(pk=world["work"].pk).select_related("collective", "collective__unit")
                .prefetch_related("files"))


def _unit_ledger(world):
    """The .xlsx of a unit's ledgers with an open-week entry whose title, content and unit start like formulas."""
    LedgerEntry.objects.create(campaign=world["campaign"], collective=world["collective"], activity="open_week",
                               date=datetime.date(2018, 5, 20), title=HOSTILE["title"], content=HOSTILE["contact"],
                               created_by=world["users"]["city_admin"])
    return unit_ledger_export(world["users"]["city_admin"], unit=world["unit"], campaign=world["campaign"])


def _dashboard(world):
    """The dashboard's .xlsx of the hostile unit, whose one creating collective lacks every activity."""
    CreationFiling.objects.get_or_create(campaign=world["campaign"], collective=world["collective"],
                                         defaults={"filed_by": world["users"]["city_admin"]})
    return DashboardXlsx(dashboard(world["campaign"], world["unit"]),
                         creating_collectives(world["campaign"], world["unit"], missing="any"))


def _naming_list(world):
    """The 命名名单 of a hostile unit's hostile collective (the rows are plain data, as the view builds them)."""
    return NamingListXlsx(title=HOSTILE["title"], scope=HOSTILE["unit"], whole=False, sections=[NamingListSection(
        HOSTILE["unit"], [NamingListEntry(1, HOSTILE["host"], HOSTILE["collective"], HOSTILE["fullwidth"])])])


# exporter class → builder(world) making it with the hostile data
BUILDERS = {
    CollectiveListExporter: lambda world: CollectiveListExporter(
        collective_selectors.collective_list(world["users"]["city_admin"])),
    ImportTemplateExporter: lambda world: ImportTemplateExporter(units=[world["unit"]], default_unit=world["unit"]),
    CampaignWorksExport: lambda world: CampaignWorksExport(
        Campaign.objects.select_related("office").get(pk=world["campaign"].pk)),
    SummaryXlsx: lambda world: SummaryXlsx(unit_name=HOSTILE["unit"], rows=[
        SummaryRow("photo", HOSTILE["title"], "图片", HOSTILE["collective"], HOSTILE["contact"])]),
    ManifestCsv: lambda world: ManifestCsv(_works(world), plan_members(_works(world))),
    UnitLedgerXlsx: _unit_ledger,
    NamingListXlsx: _naming_list,
    DashboardXlsx: _dashboard,
}


def concrete_subclasses(base):
    found = set()
    for subclass in base.__subclasses__():
        if subclass.identifier:
            found.add(subclass)
        found |= concrete_subclasses(subclass)
    return found


def test_every_spreadsheet_exporter_is_checked_here():
    exporters = concrete_subclasses(SpreadsheetExporter) | concrete_subclasses(CsvExporter)
    assert exporters == set(BUILDERS), "add the new exporter to BUILDERS with hostile data in every field"


def test_no_workbook_or_csv_writer_is_made_outside_the_exporter_base():
    source = Path(__file__).resolve().parents[2] / "src" / "wenminghao"
    offenders = [str(path.relative_to(source)) for path in source.rglob("*.py")
                 if path.name != "exporters.py" and re.search(r"\bWorkbook\(|csv\.writer\(|WriteOnlyCell\(",
                                                              path.read_text(encoding="utf-8"))]
    assert offenders == []


def xlsx_texts(data: bytes):
    """(the worksheets' XML, every text cell as (value, data_type, quotePrefix))."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = "".join(archive.read(name).decode() for name in archive.namelist()
                      if name.startswith("xl/worksheets/sheet"))
    book = load_workbook(io.BytesIO(data))
    cells = [(cell.value, cell.data_type, cell.quotePrefix) for sheet in book.worksheets
             for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)]
    return xml, cells


@pytest.mark.parametrize("exporter_class", list(BUILDERS), ids=lambda cls: cls.__name__)
def test_hostile_text_stays_text(hostile, exporter_class):
    exporter = BUILDERS[exporter_class](hostile)
    data = exporter.to_bytes()
    if exporter.extension == "xlsx":
        xml, cells = xlsx_texts(data)
        assert "<f>" not in xml and "<f " not in xml  # not one formula in any sheet
        formula_like = [cell for cell in cells if looks_like_formula(cell[0])]
        assert formula_like, "the hostile text should have reached the file"
        for value, data_type, quote_prefix in formula_like:
            assert data_type == "s" and quote_prefix, value
        typed = {value for value, _, _ in cells}
        assert typed & set(HOSTILE.values())  # unchanged, as typed
    else:
        fields = [field for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))) for field in row]
        assert f"'{HYPERLINK}" in fields and f"'{HOSTILE['contact']}" in fields
        assert "+86 631 5201234" in fields  # a phone number stays as it is
        for field in fields:
            assert not looks_like_formula(field) or re.match(r"^[+\-]?[\d\s\-().]+$", field), field


@pytest.mark.parametrize(("value", "written"), [
    (HYPERLINK, f"'{HYPERLINK}"), ("@SUM(A1)", "'@SUM(A1)"), ("\t=1", "'\t=1"), ("＝1+1", "'＝1+1"),
    ("-5", "-5"), ("+86 631 5201234", "+86 631 5201234"), ("0631-5225125", "0631-5225125"), ("-", "-"),
    ("-2+3", "'-2+3"), ("普通文字=1", "普通文字=1"), (None, ""), (12, "12"),
])
def test_csv_fields(value, written):
    assert csv_text(value) == written


def test_office_suite_shows_the_typed_title_not_the_formula_result(tmp_path):
    """LibreOffice opens the Attachment 2 table and converts it to CSV: the cell holds the title as typed (before
    the fix it held "点此", the HYPERLINK's result)."""
    tools.require("soffice")
    source = tmp_path / "汇总表.xlsx"
    source.write_bytes(SummaryXlsx(unit_name="共青团威海市文登区委", rows=[
        SummaryRow("photo", HYPERLINK, "图片", "文登区人民医院急诊科", "林琳 13906310007")]).to_bytes())
    tools.run("soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to",
              "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", str(tmp_path / "out"), str(source), timeout=180)
    rows = list(csv.reader(io.StringIO((tmp_path / "out" / "汇总表.csv").read_text(encoding="utf-8"))))
    titles = [row[1] for row in rows if len(row) > 1 and "图片" in row[0]]
    assert titles == [HYPERLINK]
