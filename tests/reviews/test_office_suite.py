"""The Attachment 2 table files open in a real office suite: LibreOffice (headless) converts the .docx and the
.xlsx to PDF, and the PDF shows one A4 landscape page with the title, the unit, every header and every row, each
category label once (merged over its rows), in the official order, nothing cut off. Skips where LibreOffice is not
installed (fails under WMH_REQUIRE_TOOLS=1, as in CI)."""

import datetime

import pytest

from tests import tools
from wenminghao.reviews.summary import CATEGORY_ORDER, TITLE, SummaryRow, row_height, summary_table, text_width

ROWS = [
    SummaryRow("essay", "青之见：窗口服务标准化的实践与思考", "征文", "环翠区政务服务中心窗口", "张三 13800000001"),
    SummaryRow("photo", "海岸线上的青春", "图片", "威海港青年突击队", "李四 0631-5225125"),
    SummaryRow("photo", "灯塔守望", "漫画", "环翠区供电营业厅", "王五 13800000002"),
    SummaryRow("publicity", "三十秒看懂新时代", "视频", "文登区供电所", "赵六 13800000003"),
]
LABELS = [str(category.label) for category in CATEGORY_ORDER]


def flat(text: str) -> str:
    return "".join(text.split()).replace("“", "").replace("”", "")


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    """{fmt: pdftotext -layout of LibreOffice's PDF} for docx and xlsx, plus the page counts."""
    tools.require("soffice")
    folder = tmp_path_factory.mktemp("office")
    results = {}
    for fmt in ("docx", "xlsx"):
        source = folder / f"汇总表.{fmt}"
        source.write_bytes(summary_table(fmt, unit_name="共青团威海市环翠区委", rows=ROWS,
                                         day=datetime.date(2027, 8, 18)).to_bytes())
        out = folder / fmt
        # a private profile: no clash with another LibreOffice running on the machine
        tools.run("soffice", f"-env:UserInstallation=file://{folder}/profile", "--headless", "--convert-to", "pdf",
                  "--outdir", str(out), str(source), timeout=180)
        pdf = out / "汇总表.pdf"
        info = tools.run("pdfinfo", str(pdf))
        results[fmt] = {"text": tools.run("pdftotext", "-raw", str(pdf), "-"), "info": info,
                        "pages": tools.pdf_pages(pdf)}
    return results


@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
def test_office_suite_renders_the_table_on_one_a4_landscape_page(converted, fmt):
    result = converted[fmt]
    assert result["pages"] == 1
    assert "841.89 x 595.3" in result["info"]  # A4 landscape, in points
    # wrapped cells break lines, and the curly quotes come from a Latin font in a run of their own: compare
    # without whitespace and quotes
    text = flat(result["text"])
    assert flat(TITLE) in text
    assert "共青团威海市环翠区委" in text and "2027" in text
    for row in ROWS:
        assert row.title in text and row.collective in text and row.contact.replace(" ", "") in text
    labels = [flat(label) for label in LABELS]
    for label in labels:
        assert text.count(label) == 1, f"{label} should appear once (merged over its rows)"
    assert text.index(labels[0]) < text.index(labels[1]) < text.index(labels[2])


def test_xlsx_rows_are_tall_enough_for_their_wrapped_text():
    widths = (26, 36, 22, 30, 26)
    assert text_width("作品a") == 5
    assert row_height(("", "短", "", "", ""), widths) == 19
    long_title = "很" * 40  # 80 units in a 36-wide column: three lines
    assert row_height(("", long_title, "", "", ""), widths) == 3 * 15 + 4
