"""The zip of works' files (reviews/archive.py) and its downloads: layout, names, contents, manifest, summary
table, streaming with constant memory; the province package page."""

import csv
import hashlib
import io
import os
import tracemalloc
import zipfile
from urllib.parse import quote

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from tests import factories
from tests.works.media_fixtures import (
    add_pictures,
    jpeg,
    make_work,
    media_storage,  # noqa: F401 - a pytest fixture
)
from wenminghao.reviews import archive
from wenminghao.reviews.archive import (
    MANIFEST_HEADERS,
    MANIFEST_NAME,
    MISSING_PATH,
    SUMMARY_NAME,
    safe_file_name,
    safe_name,
    works_archive,
)
from wenminghao.reviews.selectors import recommended_works
from wenminghao.works.models import Work, WorkFile

PHOTO = "1-“改革开放青观察”图片作品/"
PUBLICITY = "2-“新时代青年说”宣传作品/"
ESSAY = "3-“品牌建设青之见”征文/"


def stored_file(work, name: str, data: bytes, *, role="picture", position=1, content_type="image/jpeg"):
    """A file of a work put straight into storage (the upload checks are not what these tests are about)."""
    stored = default_storage.save(f"works/{work.pk}/{position}-{role}.bin", ContentFile(data))
    return WorkFile.objects.create(work=work, role=role, position=position, original=stored, original_name=name,
                                   size=len(data), sha256=hashlib.sha256(data).hexdigest(), content_type=content_type,
                                   uploaded_by=work.created_by)


def set_status(work, status, rank=None):
    Work.objects.filter(pk=work.pk).update(status=status, unit_rank=rank)
    work.refresh_from_db()
    return work


def read_zip(response) -> zipfile.ZipFile:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def manifest_of(zipped: zipfile.ZipFile) -> list[list[str]]:
    data = zipped.read(MANIFEST_NAME)
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM: Excel then reads UTF-8
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def summary_sheet(zipped: zipfile.ZipFile):
    return load_workbook(io.BytesIO(zipped.read(SUMMARY_NAME))).active


@pytest.fixture
def world(tree, users, media_storage):  # noqa: F811
    """The campaign with recommended works of area_a (环翠: collective_a and, below it, collective_sub): a photo
    work with two real pictures (rank 1), an H5 work with a screenshot and its link, an essay with its text; a
    submitted work of area_a and a recommended one of area_b (文登), which area_a's zip leaves out."""
    campaign = factories.campaign(office=tree["city"])
    leader_a, leader_b = users["leader_a"], users["leader_b"]
    photo = make_work(actor=leader_a, collective=tree["collective_a"], campaign=campaign, title="窗口里的四十年")
    add_pictures(photo, leader_a, 2)
    set_status(photo, "recommended", 1)
    h5 = make_work(actor=leader_a, collective=tree["collective_a"], campaign=campaign, category="publicity",
                   display_form="h5", title="掌上办税", url="https://h5.example.cn/zhangshang")
    stored_file(h5, "首页截图.png", b"\x89PNG fake", role="screenshot", content_type="image/png")
    set_status(h5, "shortlisted", 1)
    essay = Work.objects.create(campaign=campaign, collective=tree["collective_sub"], category="essay",
                                title="一个窗口的品牌之路", display_form="essay", essay_kind="practice",
                                essay_text="青年文明号创建实践。\n从窗口到品牌。", contact_name="李联系",
                                contact_phone="+86 631 5225125", status="forwarded", unit_rank=1,
                                created_by=leader_a)
    submitted = make_work(actor=leader_a, collective=tree["collective_a"], campaign=campaign, title="未推荐的作品")
    set_status(submitted, "submitted")
    other = make_work(actor=leader_b, collective=tree["collective_b"], campaign=campaign, title="供电所的变迁")
    stored_file(other, "供电所.jpg", jpeg(seed=9))
    set_status(other, "forwarded", 1)
    return {"campaign": campaign, "photo": photo, "h5": h5, "essay": essay, "submitted": submitted, "other": other,
            **tree, **users}


# --- the unit's zip ------------------------------------------------------------------------------------------------


def test_unit_archive_layout_contents_and_name(world, signed_in):
    response = signed_in(world["unit_admin_a"]).get(reverse("reviews:unit_archive", args=[world["campaign"].pk]))
    assert response["Content-Disposition"] == (
        "attachment; filename=\"works.zip\"; filename*=UTF-8''" + quote("环翠区团委-推荐成果.zip"))
    zipped = read_zip(response)
    assert zipped.testzip() is None  # every member's CRC checks out
    photo_folder = f"{PHOTO}01-窗口里的四十年（环翠区政务服务中心窗口）/"
    h5_folder = f"{PUBLICITY}01-掌上办税（环翠区政务服务中心窗口）/"
    essay_folder = f"{ESSAY}01-一个窗口的品牌之路（环翠楼社区服务站）/"
    assert zipped.namelist() == [
        SUMMARY_NAME,
        f"{photo_folder}01-照片1.jpg",
        f"{photo_folder}02-照片2.jpg",
        f"{h5_folder}01-首页截图.png",
        f"{h5_folder}H5链接.txt",
        f"{essay_folder}征文正文.txt",
        MANIFEST_NAME,
    ]
    assert zipped.read(f"{photo_folder}01-照片1.jpg") == jpeg(seed=1)
    assert zipped.read(f"{photo_folder}02-照片2.jpg") == jpeg(seed=2)
    assert zipped.read(f"{essay_folder}征文正文.txt").decode("utf-8-sig") == "青年文明号创建实践。\n从窗口到品牌。"
    assert "https://h5.example.cn/zhangshang" in zipped.read(f"{h5_folder}H5链接.txt").decode("utf-8-sig")
    for info in zipped.infolist():
        assert info.flag_bits & 0x800  # UTF-8 names
        assert info.flag_bits & 0x08  # streamed: sizes and CRC in a data descriptor
    kinds = {info.filename.rsplit(".", 1)[-1]: info.compress_type for info in zipped.infolist()}
    assert kinds == {"xlsx": zipfile.ZIP_STORED, "jpg": zipfile.ZIP_STORED, "png": zipfile.ZIP_STORED,
                     "txt": zipfile.ZIP_DEFLATED, "csv": zipfile.ZIP_DEFLATED}


def test_unit_archive_manifest_one_line_per_file(world, signed_in):
    zipped = read_zip(signed_in(world["unit_admin_a"]).get(
        reverse("reviews:unit_archive", args=[world["campaign"].pk])))
    header, *rows = manifest_of(zipped)
    assert header == list(MANIFEST_HEADERS)
    photo_common = ["“改革开放青观察”图片作品", "窗口里的四十年", "图片", "环翠区政务服务中心窗口", "环翠区团委",
                    "已推荐", "王联系", "13900000000"]
    assert [row[:8] for row in rows[:2]] == [photo_common, photo_common]
    assert [row[8] for row in rows] == ["照片1.jpg", "照片2.jpg", "首页截图.png", "H5链接.txt", "征文正文.txt"]
    assert rows[3][5] == "入围"
    assert rows[4][:8] == ["“品牌建设青之见”征文", "一个窗口的品牌之路", "征文", "环翠楼社区服务站", "环翠楼街道团委",
                           "推报团省委", "李联系", "+86 631 5225125"]  # a phone number is not mistaken for a formula
    for row in rows:  # size and SHA-256 are those of the bytes in the zip, at the path given
        data = zipped.read(row[11])
        assert (int(row[9]), row[10]) == (len(data), hashlib.sha256(data).hexdigest())


def test_unit_archive_summary_table_inside(world, signed_in):
    zipped = read_zip(signed_in(world["unit_admin_a"]).get(
        reverse("reviews:unit_archive", args=[world["campaign"].pk])))
    sheet = summary_sheet(zipped)
    assert sheet["B2"].value == "环翠区团委"
    body = [[sheet.cell(row=row, column=column).value for column in range(1, 6)] for row in range(5, 8)]
    assert body == [
        ["“改革开放青观察”图片作品", "窗口里的四十年", "图片", "环翠区政务服务中心窗口", "王联系 13900000000"],
        ["“新时代青年说”宣传作品", "掌上办税", "H5", "环翠区政务服务中心窗口", "王联系 13900000000"],
        ["“品牌建设青之见”征文", "一个窗口的品牌之路", "征文", "环翠楼社区服务站", "李联系 +86 631 5225125"],
    ]


def test_unit_archive_of_other_unit_holds_only_its_works(world, signed_in):
    zipped = read_zip(signed_in(world["unit_admin_b"]).get(
        reverse("reviews:unit_archive", args=[world["campaign"].pk])))
    assert [name for name in zipped.namelist() if name.endswith(".jpg")] == [
        f"{PHOTO}01-供电所的变迁（文登区供电所）/01-供电所.jpg"]
    assert summary_sheet(zipped)["B2"].value == "文登区团委"


def test_unit_archive_without_works_is_a_valid_zip(world, signed_in):
    Work.objects.filter(collective__unit__path__startswith=world["area_b"].path).update(status="submitted")
    zipped = read_zip(signed_in(world["unit_admin_b"]).get(
        reverse("reviews:unit_archive", args=[world["campaign"].pk])))
    assert zipped.namelist() == [SUMMARY_NAME, MANIFEST_NAME]
    assert manifest_of(zipped) == [list(MANIFEST_HEADERS)]


def test_unit_report_page_links_the_zip(world, signed_in):
    page = signed_in(world["unit_admin_a"]).get(reverse("reviews:unit_report", args=[world["campaign"].pk]))
    assert reverse("reviews:unit_archive", args=[world["campaign"].pk]) in page.content.decode()
    assert "下载全部作品（zip）" in page.content.decode()


# --- works_archive itself --------------------------------------------------------------------------------------------


def test_works_archive_reads_the_database_in_two_queries(world):
    works = recommended_works(world["campaign"], world["city"])
    with CaptureQueriesContext(connection) as few:
        works_archive(works, summary_unit_name="威海市团委")
    for index in range(6):
        extra = make_work(actor=world["leader_b"], collective=world["collective_b"], campaign=world["campaign"],
                          title=f"更多作品{index}")
        stored_file(extra, f"更多{index}.jpg", b"more")
        set_status(extra, "recommended", index + 2)
    with CaptureQueriesContext(connection) as more:
        chunks = works_archive(recommended_works(world["campaign"], world["city"]), summary_unit_name="威海市团委")
    assert len(few) == len(more) == 2
    with CaptureQueriesContext(connection) as streaming:
        zipped = zipfile.ZipFile(io.BytesIO(b"".join(chunks)))
    assert len(streaming) == 0  # streaming reads only storage
    assert len([name for name in zipped.namelist() if "更多作品" in name]) == 6


def test_works_archive_names_sanitized_trimmed_and_unique(world):
    collective = factories.collective(unit=world["area_a"], name='A/B:窗口*?"<>|班组')
    twins = []
    for _ in range(2):
        work = Work.objects.create(campaign=world["campaign"], collective=collective, category="photo",
                                   title="CON", display_form="picture", contact_name="=HYPERLINK(1)",
                                   contact_phone="13800000000", status="recommended", created_by=world["leader_a"])
        stored_file(work, "..\\..\\evil:name?.JPG", b"x")
        stored_file(work, "..\\..\\evil:name?.JPG", b"y", position=2)
        twins.append(work)
    long_title = "长" * 100  # the longest a title may be
    long_work = Work.objects.create(campaign=world["campaign"], collective=collective, category="photo",
                                    title=long_title, display_form="picture", contact_name="张三",
                                    contact_phone="13800000000", status="recommended", created_by=world["leader_a"])
    stored_file(long_work, "图" * 200 + ".jpeg", b"z")
    zipped = zipfile.ZipFile(io.BytesIO(b"".join(works_archive(twins + [long_work], summary_unit_name="威海市团委"))))
    assert zipped.testzip() is None
    folder = f"{PHOTO}0{{}}-_CON（A／B：窗口＊？＂＜＞｜班组）/"
    names = zipped.namelist()
    assert names[1:5] == [folder.format(1) + "01-evil：name？.JPG", folder.format(1) + "02-evil：name？.JPG",
                          folder.format(2) + "01-evil：name？.JPG", folder.format(2) + "02-evil：name？.JPG"]
    long_path = names[5]
    assert long_path.startswith(f"{PHOTO}03-{'长' * 60}（")
    assert long_path.endswith("/01-" + "图" * 80 + ".jpeg")
    for name in names:
        assert not set('\\:*?"<>|') & set(name)
        assert all(len(part) <= 130 for part in name.split("/"))
    header, *rows = manifest_of(zipped)
    assert rows[0][6] == "'=HYPERLINK(1)"  # never a formula when Excel opens the manifest
    assert rows[0][8] == "..\\..\\evil:name?.JPG"  # the manifest keeps the uploaded name as it was


def test_safe_names():
    assert safe_name(' 夜班. ', limit=10) == "夜班"
    assert safe_name("a\x00b\tc", limit=10) == "abc"
    assert safe_name("nul.txt", limit=10) == "_nul.txt"
    assert safe_name("///", limit=10) == "／／／"
    assert safe_name("   ", limit=10) == "未命名"
    assert safe_file_name("C:\\Users\\me\\照片.jpg") == "照片.jpg"
    assert safe_file_name("报告.final.docx") == "报告.final.docx"
    assert safe_file_name(".jpg") == ".jpg"
    assert safe_file_name("x" * 100 + ".mp4") == "x" * 80 + ".mp4"


def test_unique_paths_ignore_case():
    paths = archive._UniquePaths()
    assert paths.claim("a/", "Photo.JPG") == "a/Photo.JPG"
    assert paths.claim("a/", "photo.jpg") == "a/photo（2）.jpg"
    assert paths.claim("a/", "photo.jpg") == "a/photo（3）.jpg"
    assert paths.claim("b/", "photo.jpg") == "b/photo.jpg"


def test_works_archive_missing_stored_file_listed_not_packed(world):
    first = world["photo"].files.order_by("position").first()
    default_storage.delete(first.original.name)
    works = recommended_works(world["campaign"], world["area_a"])
    zipped = zipfile.ZipFile(io.BytesIO(b"".join(works_archive(works, summary_unit_name="环翠区团委"))))
    assert zipped.testzip() is None
    assert not [name for name in zipped.namelist() if name.endswith("01-照片1.jpg")]
    rows = manifest_of(zipped)[1:]
    assert rows[0][8] == "照片1.jpg" and rows[0][11] == MISSING_PATH
    assert rows[1][11].endswith("02-照片2.jpg")


def test_works_archive_zip64_member_when_big(world, monkeypatch):
    monkeypatch.setattr(archive, "ZIP64_FROM", 1)  # every member counts as big: written with ZIP64 sizes
    works = recommended_works(world["campaign"], world["area_a"])
    data = b"".join(works_archive(works, summary_unit_name="环翠区团委"))
    zipped = zipfile.ZipFile(io.BytesIO(data))
    assert zipped.testzip() is None
    assert zipped.read(f"{PHOTO}01-窗口里的四十年（环翠区政务服务中心窗口）/01-照片1.jpg") == jpeg(seed=1)
    assert data.count(b"PK\x07\x08") == len(zipped.infolist())  # one data descriptor per member


def test_works_archive_streams_in_constant_memory(world, tmp_path):
    """Three 30 MB files: the largest Python allocation while streaming stays far below one file's size."""
    chunk = 1024 * 1024
    works = []
    for index in range(3):
        work = Work.objects.create(campaign=world["campaign"], collective=world["collective_b"], category="publicity",
                                   title=f"大视频{index}", display_form="video", contact_name="张三",
                                   contact_phone="13800000000", status="recommended", unit_rank=index + 1,
                                   created_by=world["leader_b"])
        name = f"works/{work.pk}/big.mp4"
        path = default_storage.path(name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        digest = hashlib.sha256()
        with open(path, "wb") as handle:
            for _ in range(30):
                block = os.urandom(chunk)
                digest.update(block)
                handle.write(block)
        WorkFile.objects.create(work=work, role="video", position=1, original=name, original_name=f"视频{index}.mp4",
                                size=30 * chunk, sha256=digest.hexdigest(), content_type="video/mp4",
                                uploaded_by=world["leader_b"])
        works.append(work)
    works = recommended_works(world["campaign"], world["area_b"]).filter(pk__in=[work.pk for work in works])
    target = tmp_path / "out.zip"
    chunks = works_archive(works, summary_unit_name="文登区团委")
    largest = 0
    tracemalloc.start()
    try:
        with open(target, "wb") as out:
            for data in chunks:
                largest = max(largest, len(data))
                out.write(data)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 8 * 1024 * 1024, f"peak Python allocation {peak / 1048576:.1f} MiB"
    assert largest <= 2 * chunk
    with zipfile.ZipFile(target) as zipped:
        assert zipped.testzip() is None
        videos = [info for info in zipped.infolist() if info.filename.endswith(".mp4")]
        assert [info.file_size for info in videos] == [30 * chunk] * 3
        rows = [row for row in manifest_of(zipped)[1:] if row[8].endswith(".mp4")]
        for row in rows:
            with zipped.open(row[11]) as member:
                digest = hashlib.sha256()
                while block := member.read(chunk):
                    digest.update(block)
            assert digest.hexdigest() == row[10]


# --- the office's zips and the province package ---------------------------------------------------------------------


def test_campaign_archive_filters_and_office_title(world, signed_in):
    client = signed_in(world["city_admin"])
    url = reverse("reviews:campaign_archive", args=[world["campaign"].pk])
    everything = read_zip(client.get(url))
    titles = [row[1] for row in manifest_of(everything)[1:]]
    assert titles == ["窗口里的四十年", "窗口里的四十年", "供电所的变迁", "掌上办税", "掌上办税", "一个窗口的品牌之路"]
    assert summary_sheet(everything)["B2"].value == "威海市团委"
    forwarded_photos = client.get(url, {"status": "forwarded", "category": "photo"})
    expected_name = "威海市团委-推报团省委-改革开放青观察图片作品-作品.zip"
    assert forwarded_photos["Content-Disposition"].endswith(quote(expected_name))
    zipped = read_zip(forwarded_photos)
    assert [row[1] for row in manifest_of(zipped)[1:]] == ["供电所的变迁"]


@pytest.mark.parametrize("query", [{"status": "submitted"}, {"status": "x"}, {"category": "poem"}])
def test_campaign_archive_unknown_filter_not_found(world, signed_in, query):
    response = signed_in(world["city_admin"]).get(
        reverse("reviews:campaign_archive", args=[world["campaign"].pk]), query)
    assert response.status_code == 404


def test_province_package_page_lists_forwarded_works(world, signed_in):
    client = signed_in(world["city_admin"])
    response = client.get(reverse("reviews:province_package", args=[world["campaign"].pk]))
    assert response.status_code == 200
    assert [work.title for work in response.context["works"]] == ["供电所的变迁", "一个窗口的品牌之路"]
    page = response.content.decode()
    assert "报送单位：威海市团委" in page
    assert "窗口里的四十年" not in page
    for fmt in ("docx", "xlsx", "pdf"):
        assert f"{reverse('reviews:province_summary', args=[world['campaign'].pk])}?format={fmt}" in page
    assert reverse("reviews:province_archive", args=[world["campaign"].pk]) in page


def test_province_summary_docx_has_office_and_forwarded_works(world, signed_in):
    response = signed_in(world["city_admin"]).get(
        reverse("reviews:province_summary", args=[world["campaign"].pk]), {"format": "docx"})
    assert response.status_code == 200
    assert quote("推报团省委成果汇总表-威海市团委.docx") in response["Content-Disposition"]
    document = Document(io.BytesIO(response.content))
    assert "报送单位（加盖公章）：威海市团委" in document.paragraphs[1].text
    cells = [[cell.text for cell in row.cells] for row in document.tables[0].rows]
    assert [row[1] for row in cells[1:]] == ["供电所的变迁", "", "一个窗口的品牌之路"]


def test_province_summary_unknown_format_not_found(world, signed_in):
    response = signed_in(world["city_admin"]).get(
        reverse("reviews:province_summary", args=[world["campaign"].pk]), {"format": "odt"})
    assert response.status_code == 404


def test_province_archive_holds_forwarded_works_only(world, signed_in):
    response = signed_in(world["city_admin"]).get(reverse("reviews:province_archive", args=[world["campaign"].pk]))
    assert quote("威海市团委-推报团省委作品.zip") in response["Content-Disposition"]
    zipped = read_zip(response)
    assert zipped.testzip() is None
    assert zipped.namelist() == [
        SUMMARY_NAME,
        f"{PHOTO}01-供电所的变迁（文登区供电所）/01-供电所.jpg",
        f"{ESSAY}01-一个窗口的品牌之路（环翠楼社区服务站）/征文正文.txt",
        MANIFEST_NAME,
    ]
    assert summary_sheet(zipped)["B2"].value == "威海市团委"


def test_office_pages_link_the_package(world, signed_in):
    client = signed_in(world["city_admin"])
    campaign = world["campaign"]
    for name in ("campaigns:detail", "reviews:report_overview"):
        page = client.get(reverse(name, args=[campaign.pk])).content.decode()
        assert reverse("reviews:province_package", args=[campaign.pk]) in page, name
    overview = client.get(reverse("reviews:report_overview", args=[campaign.pk])).content.decode()
    assert reverse("reviews:campaign_archive", args=[campaign.pk]) in overview
    assert reverse("reviews:campaign_export", args=[campaign.pk]) in overview
    unit_page = signed_in(world["unit_admin_a"]).get(reverse("campaigns:detail", args=[campaign.pk]))
    assert reverse("reviews:province_package", args=[campaign.pk]) not in unit_page.content.decode()
