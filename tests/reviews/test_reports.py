import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests import factories
from tests.works.media_fixtures import jpeg, png
from wenminghao.campaigns.models import DeadlineExtension
from wenminghao.core.errors import NotPermitted, RuleViolationError
from wenminghao.reviews.models import UnitReport
from wenminghao.reviews.selectors import recommended_works, report_status
from wenminghao.reviews.services import SCAN_MAX_BYTES, upload_stamped_scan
from wenminghao.works.models import Work

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path / "media")}}}


def make_work(campaign, collective, user, *, category="photo", status="recommended", rank=None, title=None):
    form = {"photo": "picture", "publicity": "video", "essay": "essay"}[category]
    return Work.objects.create(
        campaign=campaign, collective=collective, category=category, title=title or f"{category}-{rank}",
        display_form=form, contact_name="张三", contact_phone="13800000000", status=status, unit_rank=rank,
        created_by=user,
    )


@pytest.fixture
def campaign(tree):
    return factories.campaign(office=tree["city"])


def test_recommended_works_official_order_then_rank(tree, users, campaign):
    leader = users["leader_a"]
    essay = make_work(campaign, tree["collective_a"], leader, category="essay", rank=1)
    photo_2 = make_work(campaign, tree["collective_a"], leader, category="photo", rank=2)
    publicity = make_work(campaign, tree["collective_sub"], leader, category="publicity", rank=1)
    photo_1 = make_work(campaign, tree["collective_sub"], leader, category="photo", rank=1, status="forwarded")
    make_work(campaign, tree["collective_a"], leader, category="photo", rank=3, status="submitted")
    make_work(campaign, tree["collective_b"], leader, category="photo", rank=1)  # another unit
    assert list(recommended_works(campaign, tree["area_a"])) == [photo_1, photo_2, publicity, essay]


def test_upload_stamped_scan_pdf_accepted(tree, users, campaign):
    make_work(campaign, tree["collective_a"], users["leader_a"], rank=1)
    report = upload_stamped_scan(actor=users["unit_admin_a"], campaign=campaign, unit=tree["area_a"],
                                 upload=SimpleUploadedFile("汇总表.pdf", PDF))
    assert report.scan_content_type == "application/pdf"
    assert report.work_count == 1
    assert report.stamped_scan.name.endswith(".pdf")
    with report.stamped_scan.open("rb") as handle:
        assert handle.read() == PDF


def test_upload_stamped_scan_jpeg_named_pdf_accepted_as_jpeg(tree, users, campaign):
    report = upload_stamped_scan(actor=users["unit_admin_a"], campaign=campaign, unit=tree["area_a"],
                                 upload=SimpleUploadedFile("scan.pdf", jpeg(200, 100)))
    assert report.scan_content_type == "image/jpeg"
    assert report.stamped_scan.name.endswith(".jpg")


def test_upload_stamped_scan_png_named_pdf_refused(tree, users, campaign):
    with pytest.raises(RuleViolationError) as error:
        upload_stamped_scan(actor=users["unit_admin_a"], campaign=campaign, unit=tree["area_a"],
                            upload=SimpleUploadedFile("scan.pdf", png(200, 100)))
    assert error.value.violations[0].code == "report.scan_type"
    assert "scan.pdf" in error.value.violations[0].message
    assert not UnitReport.objects.exists()


def test_upload_stamped_scan_too_large_refused(tree, users, campaign):
    with pytest.raises(RuleViolationError) as error:
        upload_stamped_scan(actor=users["unit_admin_a"], campaign=campaign, unit=tree["area_a"],
                            upload=SimpleUploadedFile("big.pdf", PDF + b"0" * SCAN_MAX_BYTES))
    assert error.value.violations[0].code == "report.scan_too_large"
    assert "20 MB" in error.value.violations[0].message


def test_upload_stamped_scan_other_unit_admin_forbidden(tree, users, campaign):
    with pytest.raises(NotPermitted):
        upload_stamped_scan(actor=users["unit_admin_b"], campaign=campaign, unit=tree["area_a"],
                            upload=SimpleUploadedFile("scan.pdf", PDF))


def test_upload_stamped_scan_replaces_earlier_scan(tree, users, campaign):
    first = upload_stamped_scan(actor=users["unit_admin_a"], campaign=campaign, unit=tree["area_a"],
                                upload=SimpleUploadedFile("a.pdf", PDF))
    second = upload_stamped_scan(actor=users["unit_admin_a"], campaign=campaign, unit=tree["area_a"],
                                 upload=SimpleUploadedFile("b.jpg", jpeg(100, 100)))
    assert first.pk == second.pk
    assert UnitReport.objects.get().scan_name == "b.jpg"


def test_report_status_reported_missing_and_late(tree, users, campaign, django_assert_num_queries):
    make_work(campaign, tree["collective_a"], users["leader_a"], rank=1)
    make_work(campaign, tree["collective_sub"], users["leader_a"], rank=2)
    make_work(campaign, tree["collective_b"], users["leader_b"], rank=1)
    upload_stamped_scan(actor=users["unit_admin_a"], campaign=campaign, unit=tree["area_a"],
                        upload=SimpleUploadedFile("a.pdf", PDF))
    late = upload_stamped_scan(actor=users["unit_admin_b"], campaign=campaign, unit=tree["area_b"],
                               upload=SimpleUploadedFile("b.pdf", PDF))
    late.uploaded_at = campaign.deadline + datetime.timedelta(hours=1)
    late.save()
    with django_assert_num_queries(4):
        rows = report_status(campaign, tree["city"])
    by_unit = {row["unit"]: row for row in rows}
    assert [row["unit"] for row in rows] == [tree["area_a"], tree["area_b"]]  # direct children only
    assert by_unit[tree["area_a"]]["report"] is not None and not by_unit[tree["area_a"]]["late"]
    assert by_unit[tree["area_a"]]["recommended"] == 2
    assert by_unit[tree["area_b"]]["late"] and by_unit[tree["area_b"]]["recommended"] == 1


def test_report_status_extension_makes_report_on_time(tree, users, campaign):
    report = upload_stamped_scan(actor=users["unit_admin_b"], campaign=campaign, unit=tree["area_b"],
                                 upload=SimpleUploadedFile("b.pdf", PDF))
    report.uploaded_at = campaign.deadline + datetime.timedelta(hours=1)
    report.save()
    DeadlineExtension.objects.create(campaign=campaign, unit=tree["area_b"],
                                     until=campaign.deadline + datetime.timedelta(days=2),
                                     reason="系统故障", granted_by=users["city_admin"])
    row = next(r for r in report_status(campaign, tree["city"]) if r["unit"] == tree["area_b"])
    assert not row["late"]
    unreported = next(r for r in report_status(campaign, tree["city"]) if r["unit"] == tree["area_a"])
    assert unreported["report"] is None and not unreported["late"]
    assert timezone.is_aware(row["deadline"])



# --- pages ---------------------------------------------------------------------------------------------------


def test_unit_report_page_lists_works_and_status(tree, users, campaign, signed_in):
    make_work(campaign, tree["collective_a"], users["leader_a"], category="essay", rank=1, title="青之见")
    make_work(campaign, tree["collective_a"], users["leader_a"], category="photo", rank=1, title="海岸线")
    response = signed_in(users["unit_admin_a"]).get(f"/reviews/campaigns/{campaign.pk}/report/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("海岸线") < html.index("青之见")
    assert "未完成" in html


def test_unit_report_page_query_count_independent_of_rows(tree, users, campaign, signed_in,
                                                          django_assert_max_num_queries):
    client = signed_in(users["unit_admin_a"])
    make_work(campaign, tree["collective_a"], users["leader_a"], rank=1)
    client.get(f"/reviews/campaigns/{campaign.pk}/report/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(f"/reviews/campaigns/{campaign.pk}/report/")
    for rank in range(2, 6):
        make_work(campaign, tree["collective_a"], users["leader_a"], rank=rank)
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(f"/reviews/campaigns/{campaign.pk}/report/")


@pytest.mark.parametrize("fmt,magic", [("xlsx", b"PK"), ("docx", b"PK"), ("pdf", b"%PDF")])
def test_summary_download_each_format(tree, users, campaign, signed_in, fmt, magic):
    make_work(campaign, tree["collective_a"], users["leader_a"], rank=1, title="海岸线")
    response = signed_in(users["unit_admin_a"]).get(f"/reviews/campaigns/{campaign.pk}/report/summary/?format={fmt}")
    assert response.status_code == 200
    assert response.content.startswith(magic)
    assert "attachment" in response["Content-Disposition"]


def test_summary_download_collective_forbidden(tree, users, campaign, signed_in):
    response = signed_in(users["leader_a"]).get(f"/reviews/campaigns/{campaign.pk}/report/summary/?format=pdf")
    assert response.status_code == 403


def test_scan_upload_page_accepts_pdf_and_refuses_png(tree, users, campaign, signed_in):
    client = signed_in(users["unit_admin_a"])
    url = f"/reviews/campaigns/{campaign.pk}/report/scan/"
    refused = client.post(url, {"file": SimpleUploadedFile("scan.pdf", png(50, 50))})
    assert refused.status_code == 422
    assert "不是PDF或JPEG文件" in refused.content.decode()
    accepted = client.post(url, {"file": SimpleUploadedFile("scan.pdf", PDF)})
    assert accepted.status_code == 302
    report = UnitReport.objects.get()
    page = client.get(f"/reviews/campaigns/{campaign.pk}/report/").content.decode()
    assert "已完成" in page and "逾期" not in page
    scan = client.get(f"/reviews/reports/{report.pk}/scan/")
    assert scan.status_code == 200 and b"".join(scan.streaming_content) == PDF


def test_report_scan_hidden_from_other_unit(tree, users, campaign, signed_in):
    report = upload_stamped_scan(actor=users["unit_admin_a"], campaign=campaign, unit=tree["area_a"],
                                 upload=SimpleUploadedFile("a.pdf", PDF))
    assert signed_in(users["unit_admin_b"]).get(f"/reviews/reports/{report.pk}/scan/").status_code == 404
    city = signed_in(users["city_admin"]).get(f"/reviews/reports/{report.pk}/scan/")
    assert city.status_code == 200
    b"".join(city.streaming_content)


def test_report_overview_for_city_only(tree, users, campaign, signed_in, django_assert_max_num_queries):
    report = upload_stamped_scan(actor=users["unit_admin_b"], campaign=campaign, unit=tree["area_b"],
                                 upload=SimpleUploadedFile("b.pdf", PDF))
    report.uploaded_at = campaign.deadline + datetime.timedelta(hours=1)
    report.save()
    response = signed_in(users["city_admin"]).get(f"/reviews/campaigns/{campaign.pk}/reports/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "已报送 1 个单位（其中逾期 1 个），未报送 1 个单位" in html
    assert f"/reviews/reports/{report.pk}/scan/" in html
    assert signed_in(users["unit_admin_a"]).get(f"/reviews/campaigns/{campaign.pk}/reports/").status_code == 403
