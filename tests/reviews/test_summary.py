import datetime
import io

import pytest
from docx import Document
from openpyxl import load_workbook

from tests import tools
from wenminghao.reviews.summary import (
    CATEGORY_ORDER,
    DATE_LABEL,
    FORMATS,
    HEADERS,
    TITLE,
    UNIT_LABEL,
    SummaryRow,
    summary_table,
)

DAY = datetime.date(2026, 11, 28)
ROWS = [
    SummaryRow("essay", "青之见征文", "征文", "环翠区供电营业厅", "张三 13800000001"),
    SummaryRow("photo", "海岸线上的青春", "图片", "威海港青年突击队", "李四 0631-5225125"),
    SummaryRow("photo", "灯塔守望", "图片", "环翠区供电营业厅", "王五 13800000002"),
]
LABELS = [str(category.label) for category in CATEGORY_ORDER]


def render(fmt, rows=ROWS):
    return summary_table(fmt, unit_name="共青团威海市环翠区委", rows=rows, day=DAY).to_bytes()


def test_summary_xlsx_cells_merges_and_order():
    sheet = load_workbook(io.BytesIO(render("xlsx"))).active
    assert sheet["A1"].value == TITLE
    assert sheet["A2"].value == UNIT_LABEL
    assert sheet["B2"].value == "共青团威海市环翠区委"
    assert sheet["D2"].value == DATE_LABEL
    assert sheet["E2"].value == "2026年11月28日"
    assert [sheet.cell(row=4, column=c).value for c in range(1, 6)] == list(HEADERS)
    body = [[sheet.cell(row=r, column=c).value for c in range(1, 6)] for r in range(5, 9)]
    assert body == [
        [LABELS[0], "海岸线上的青春", "图片", "威海港青年突击队", "李四 0631-5225125"],
        [None, "灯塔守望", "图片", "环翠区供电营业厅", "王五 13800000002"],
        [LABELS[1], None, None, None, None],
        [LABELS[2], "青之见征文", "征文", "环翠区供电营业厅", "张三 13800000001"],
    ]
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert "A5:A6" in merged
    assert "A7:A7" not in merged
    assert sheet.page_setup.orientation == "landscape"
    assert int(sheet.page_setup.paperSize) == 9  # A4


def test_summary_docx_cells_merges_and_order():
    document = Document(io.BytesIO(render("docx")))
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == TITLE
    assert texts[1].startswith(f"{UNIT_LABEL}：共青团威海市环翠区委")
    assert texts[1].endswith(f"{DATE_LABEL}：2026年11月28日")
    section = document.sections[0]
    assert section.page_width > section.page_height
    table = document.tables[0]
    assert [cell.text for cell in table.rows[0].cells] == list(HEADERS)
    rows = [[cell.text for cell in row.cells] for row in table.rows[1:]]
    assert rows == [
        [LABELS[0], "海岸线上的青春", "图片", "威海港青年突击队", "李四 0631-5225125"],
        [LABELS[0], "灯塔守望", "图片", "环翠区供电营业厅", "王五 13800000002"],
        [LABELS[1], "", "", "", ""],
        [LABELS[2], "青之见征文", "征文", "环翠区供电营业厅", "张三 13800000001"],
    ]
    # the category cell is ONE merged cell over its two rows (python-docx returns the same cell object twice)
    assert table.cell(1, 0)._tc is table.cell(2, 0)._tc
    assert table.cell(3, 0)._tc is not table.cell(4, 0)._tc


def test_summary_pdf_is_a4_landscape_with_chinese_text(tmp_path):
    path = tmp_path / "table.pdf"
    path.write_bytes(render("pdf"))
    info = tools.run("pdfinfo", str(path))
    assert "Pages:           1" in info
    assert "841.89 x 595.28 pts (A4)" in info
    text = tools.run("pdftotext", str(path), "-")
    assert TITLE in text
    assert "海岸线上的青春" in text
    assert "共青团威海市环翠区委" in text
    assert text.index(LABELS[0]) < text.index(LABELS[1]) < text.index(LABELS[2])


def test_summary_pdf_many_rows_spans_pages(tmp_path):
    rows = [SummaryRow("photo", f"作品{i}", "图片", "集体", "联系人 1") for i in range(60)]
    path = tmp_path / "many.pdf"
    path.write_bytes(render("pdf", rows))
    info = tools.run("pdfinfo", str(path))
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert pages >= 2
    text = tools.run("pdftotext", str(path), "-")
    assert "作品59" in text


def test_summary_table_unknown_format_refused():
    with pytest.raises(KeyError):
        summary_table("csv", unit_name="x", rows=[])


# --- API: GET /api/v1/units/{id}/summary -----------------------------------------------------------------


@pytest.fixture
def summary_campaign(tree, users):
    from tests import factories
    from wenminghao.works.models import Work

    campaign = factories.campaign(office=tree["city"])
    Work.objects.create(campaign=campaign, collective=tree["collective_a"], category="photo", title="海岸线上的青春",
                        display_form="picture", contact_name="李四", contact_phone="0631-5225125",
                        status="recommended", unit_rank=1, created_by=users["leader_a"])
    return campaign


@pytest.mark.parametrize("fmt", ["xlsx", "docx", "pdf"])
def test_api_unit_summary_each_format(tree, users, signed_in, summary_campaign, fmt):
    client = signed_in(users["unit_admin_a"])
    response = client.get(f"/api/v1/units/{tree['area_a'].pk}/summary?format={fmt}&campaign={summary_campaign.pk}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith(FORMATS[fmt].content_type)
    if fmt == "xlsx":
        sheet = load_workbook(io.BytesIO(response.content)).active
        assert sheet["B5"].value == "海岸线上的青春"
        assert sheet["B2"].value == tree["area_a"].name


def test_api_unit_summary_city_allowed_other_unit_404(tree, users, signed_in, summary_campaign):
    url = f"/api/v1/units/{tree['area_a'].pk}/summary?format=pdf"
    assert signed_in(users["city_admin"]).get(url).status_code == 200
    assert signed_in(users["unit_admin_b"]).get(url).status_code == 404


def test_api_unit_summary_bad_format_422(tree, users, signed_in, summary_campaign):
    response = signed_in(users["unit_admin_a"]).get(f"/api/v1/units/{tree['area_a'].pk}/summary?format=csv")
    assert response.status_code == 422
