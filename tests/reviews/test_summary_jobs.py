"""A large Attachment 2 table is made by the task worker, as the campaign export: the unit's report and the
office's province package answer the file up to WMH_SUMMARY_DIRECT_ROWS works; above, the page shows the count and
a button (POST: an audited ExportJob), and only the account that asked gets the file. The job checks again, when it
runs, that the account may still have the table. The API answers the file at any size (API.md)."""

import io

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from tests import factories, tools
from wenminghao.core.models import AuditEntry, ExportJob, Notification
from wenminghao.works.models import Work

pytestmark = pytest.mark.django_db


@pytest.fixture
def storage(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path / "m")}}}


@pytest.fixture
def reported(tree, users, storage):
    """Three recommended works of collective_a (环翠) and one forwarded work of collective_b (文登)."""
    campaign = factories.campaign(office=tree["city"])
    for rank, title in enumerate(("海岸线上的青春", "灯塔守望", "窗口里的四十年"), start=1):
        Work.objects.create(campaign=campaign, collective=tree["collective_a"], category="photo", title=title,
                            display_form="picture", contact_name="李四", contact_phone="0631-5225125",
                            status="recommended", unit_rank=rank, created_by=users["leader_a"])
    Work.objects.create(campaign=campaign, collective=tree["collective_b"], category="essay", title="品牌之路",
                        display_form="essay", contact_name="王五", contact_phone="13800000002", status="forwarded",
                        unit_rank=1, created_by=users["leader_b"])
    return campaign


def downloaded(client, job) -> bytes:
    response = client.get(reverse("core:export_download", args=[job.pk]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_a_small_table_is_answered_at_once(reported, tree, users, signed_in, settings):
    settings.WMH_SUMMARY_DIRECT_ROWS = 3
    response = signed_in(users["unit_admin_a"]).get(
        reverse("reviews:summary_download", args=[reported.pk]) + "?format=xlsx")
    assert response.status_code == 200
    assert load_workbook(io.BytesIO(response.content)).active["B7"].value == "窗口里的四十年"
    assert not ExportJob.objects.exists()


def test_a_large_unit_table_is_made_by_the_task_worker(reported, tree, users, signed_in, settings,
                                                       django_capture_on_commit_callbacks):
    settings.WMH_SUMMARY_DIRECT_ROWS = 2
    client = signed_in(users["unit_admin_a"])
    url = reverse("reviews:summary_download", args=[reported.pk])
    page = client.get(url + "?format=docx")
    assert page.status_code == 200 and not ExportJob.objects.exists()
    text = page.content.decode()
    assert 'data-testid="summary-rows"' in text and "<strong>3</strong> 件作品" in text
    assert 'name="format" value="docx"' in text and 'data-testid="request-export"' in text
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"format": "docx"})
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("core:export_detail", args=[job.pk])
    assert job.kind == "summary_table" and job.status == "done", job.error
    assert job.params == {"scope": "unit", "campaign": reported.pk, "unit": tree["area_a"].pk, "format": "docx"}
    assert job.file_name == f"推荐成果汇总表-{tree['area_a'].name}.docx"
    assert AuditEntry.objects.filter(action="export.request", actor=users["unit_admin_a"]).exists()
    assert Notification.objects.filter(recipient=users["unit_admin_a"], message__contains="已生成").exists()
    table = Document(io.BytesIO(downloaded(client, job))).tables[0]
    assert [row.cells[1].text for row in table.rows[1:4]] == ["海岸线上的青春", "灯塔守望", "窗口里的四十年"]
    # the page now lists the job; another admin of the same unit neither sees it nor gets its file
    assert reverse("core:export_detail", args=[job.pk]) in client.get(url + "?format=docx").content.decode()
    colleague = signed_in(factories.account(username="huancui2", role="unit_admin", unit=tree["area_a"]))
    assert colleague.get(reverse("core:export_download", args=[job.pk])).status_code == 404


def test_a_large_province_table_is_made_by_the_task_worker(reported, tree, users, signed_in, settings, tmp_path,
                                                           django_capture_on_commit_callbacks):
    settings.WMH_SUMMARY_DIRECT_ROWS = 0
    client = signed_in(users["city_admin"])
    url = reverse("reviews:province_summary", args=[reported.pk])
    assert "<strong>1</strong> 件作品" in client.get(url + "?format=pdf").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"format": "pdf"})
    job = ExportJob.objects.get()
    assert job.status == "done" and job.file_name == f"推报团省委成果汇总表-{tree['city'].name}.pdf"
    path = tmp_path / "province.pdf"
    path.write_bytes(downloaded(client, job))
    text = tools.run("pdftotext", str(path), "-")
    assert "品牌之路" in text and "海岸线上的青春" not in text  # forwarded works only


def test_the_api_answers_the_file_at_any_size(reported, tree, users, signed_in, settings):
    """API.md: the summary endpoint answers the table itself; only the pages hand a large one to the worker."""
    settings.WMH_SUMMARY_DIRECT_ROWS = 2
    client = signed_in(users["unit_admin_a"])
    response = client.get(f"/api/v1/units/{tree['area_a'].pk}/summary?format=xlsx&campaign={reported.pk}")
    assert response.status_code == 200 and not ExportJob.objects.exists()
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [sheet.cell(row, 2).value for row in (5, 6, 7)] == ["海岸线上的青春", "灯塔守望", "窗口里的四十年"]


def test_the_job_is_refused_when_the_right_was_lost(reported, tree, users, signed_in, settings,
                                                    django_capture_on_commit_callbacks):
    settings.WMH_SUMMARY_DIRECT_ROWS = 2
    admin = users["unit_admin_a"]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        signed_in(admin).post(reverse("reviews:summary_download", args=[reported.pk]), {"format": "pdf"})
    admin.unit = tree["area_b"]  # moved to another district before the worker ran
    admin.save()
    for callback in callbacks:
        callback()
    job = ExportJob.objects.get()
    assert job.status == "failed" and job.error == "该创建活动或单位已对您不可见，不能生成其汇总表。" and not job.file
    assert job.title.endswith("环翠区团委推荐成果汇总表（.pdf）")


def test_the_report_pages_list_their_works_a_page_at_a_time(reported, tree, users, signed_in, monkeypatch):
    """An office's report holds the whole city's works: the page shows the total and one page of them."""
    from wenminghao.reviews.views import packages, reports

    monkeypatch.setattr(reports, "WORKS_PER_PAGE", 2)
    monkeypatch.setattr(packages, "WORKS_PER_PAGE", 2)
    client = signed_in(users["city_admin"])
    url = reverse("reviews:unit_report", args=[reported.pk])
    first = client.get(url)
    assert "推荐作品（共 4 件，按汇总表顺序）" in first.content.decode()
    assert [work.title for work in first.context["works"]] == ["海岸线上的青春", "灯塔守望"]
    assert "第 1 / 2 页" in first.content.decode()
    second = client.get(url + "?page=2")
    assert [work.title for work in second.context["works"]] == ["窗口里的四十年", "品牌之路"]
    province = client.get(reverse("reviews:province_package", args=[reported.pk]))
    assert "推报作品（共 1 件，按汇总表顺序）" in province.content.decode()
