"""A unit admin in Chromium at phone width downloads the unit's Attachment 2 table in all three formats (each
file opens: openpyxl, python-docx, pdfinfo), uploads the stamped scan and sees the report complete; a wrong file
type is refused with the exact reason and changes nothing."""

import io

import pytest
from docx import Document
from openpyxl import load_workbook

from tests import factories, tools
from wenminghao.reviews.models import UnitReport
from wenminghao.reviews.summary import TITLE
from wenminghao.works.models import Work

from .conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def recommended(campaign, collective, user, title, category="photo", rank=1):
    return Work.objects.create(campaign=campaign, collective=collective, category=category, title=title,
                               display_form={"photo": "picture", "essay": "essay"}[category], contact_name="刘晓",
                               contact_phone="13806310001", status="recommended", unit_rank=rank, created_by=user)


def test_unit_downloads_its_table_and_uploads_the_stamped_scan(page, screenshot, tree, users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path / "media")}}}
    campaign = factories.campaign(office=tree["city"], name="2018年度威海市青年文明号创建")
    recommended(campaign, tree["collective_a"], users["leader_a"], "窗口里的四十年")
    recommended(campaign, tree["collective_sub"], users["leader_a"], "社区的变迁", rank=2)
    recommended(campaign, tree["collective_a"], users["leader_a"], "从排队到秒办", category="essay")
    problems = []
    page.on("response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 and r.status != 422
            else None)

    sign_in(page, "huancui", factories.PASSWORD)
    page.goto(f"/reviews/campaigns/{campaign.pk}/report/")
    assert "未完成" in page.get_by_test_id("report-status").inner_text()
    files = {}
    for fmt, label in (("xlsx", "Excel"), ("docx", "Word"), ("pdf", "PDF")):
        with page.expect_download() as download:
            page.get_by_role("link", name=f"下载汇总表 {label}").click()
        target = tmp_path / f"table.{fmt}"
        download.value.save_as(target)
        assert download.value.suggested_filename.endswith(f".{fmt}")
        files[fmt] = target
    sheet = load_workbook(files["xlsx"]).active
    assert sheet["A1"].value == TITLE and sheet["B2"].value == "环翠区团委"
    # photo works in the unit's order, an empty row for the category without works, then the essay
    assert [sheet.cell(row=r, column=2).value for r in (5, 6, 7, 8)] == ["窗口里的四十年", "社区的变迁", None,
                                                                          "从排队到秒办"]
    document = Document(io.BytesIO(files["docx"].read_bytes()))
    assert "社区的变迁" in [cell.text for row in document.tables[0].rows for cell in row.cells]
    assert files["pdf"].read_bytes().startswith(b"%PDF-")
    assert tools.pdf_pages(files["pdf"]) == 1

    # a wrong file is refused with its name and the reason
    wrong = tmp_path / "盖章表.png"
    wrong.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 100)
    page.locator("input[type=file][name=file]").set_input_files(str(wrong))
    page.get_by_role("button", name="上传").click()
    page.wait_for_load_state("networkidle")
    assert "“盖章表.png”不是PDF或JPEG文件" in page.locator("body").inner_text()
    assert not UnitReport.objects.exists()

    # the printed, stamped table comes back as a scan: the PDF itself stands in for it
    page.locator("input[type=file][name=file]").set_input_files(str(files["pdf"]))
    page.get_by_role("button", name="上传").click()
    page.wait_for_load_state("networkidle")
    status = page.get_by_test_id("report-status").inner_text()
    assert "已完成" in status and "推荐作品 3 件" in status
    screenshot("reported")
    report = UnitReport.objects.get()
    assert (report.unit, report.work_count, report.uploaded_by) == (tree["area_a"], 3, users["unit_admin_a"])
    assert problems == []
