"""The ledger's files (issue 10, point 8): one collective's ledger as .docx and .pdf with pictures as thumbnails,
the entries of a unit's collectives as .xlsx; the family's registry number in none of them; who may download
(404 for everyone else); the audit entry; the .xlsx in a constant number of queries."""

import datetime
import io
import re
import zipfile
from urllib.parse import quote

import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from tests import factories, tools
from tests.ledger.conftest import FAMILY_REF
from tests.works.media_fixtures import jpeg, media_storage, upload  # noqa: F401 - media_storage is a fixture
from wenminghao.core.models import AuditEntry
from wenminghao.ledger import selectors, services
from wenminghao.ledger.exporters import XLSX_COLUMNS, collective_ledger_export, unit_ledger_export
from wenminghao.ledger.masking import mask_family_ref

pytestmark = pytest.mark.django_db

MASKED = mask_family_ref(FAMILY_REF)
PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
LONG_CONTENT = "对照济南市民服务中心的“一窗受理”做法，逐项梳理办件流程。" * 60 + "以上为全部情况（完）"
TITLES = {
    "target": "对标济南市民服务中心：办件时长压缩三成",
    "result": "一窗受理上线，平均办件时长缩短三十分钟",
    "study": "微团课：学习党的十九大精神",
    "visit": "回头看走访：助学扶智情况",
    "open_week": "开放周：走进政务服务中心",
}


@pytest.fixture
def ledger(tree, users, make_entry, make_pairing, media_storage, django_capture_on_commit_callbacks):  # noqa: F811
    """collective_a's ledger: every activity, a result meeting its target, a study session with a leader and
    attendees, a 回头看 visit of a pairing, an open week whose content holds the registry number (typed before the
    pairing was registered, so the services could not refuse it), two pictures (one with the task worker's
    thumbnail, one without), a PDF whose name holds the number, and two comments (one handled)."""
    collective = tree["collective_a"]
    collective.public_commitment = "一次告知、一窗受理、限时办结，让群众少跑腿。"
    collective.supervision_phone = "0631-5201234"
    collective.save()
    open_week = make_entry("open_week", collective, title=TITLES["open_week"],
                           content=f"接待群众参观，编号{FAMILY_REF}的结对家庭也来了。")
    # a file name holding the number, also uploaded before the pairing was registered
    services.add_attachment(actor=users["leader_a"], entry=open_week,
                            upload=upload(f"{FAMILY_REF}走访记录.pdf", PDF_BYTES))
    pairing = make_pairing(collective)
    target = make_entry("benchmark", collective, title=TITLES["target"])
    result = make_entry("benchmark", collective, title=TITLES["result"], stage="result", meets_target=target.pk,
                        content=LONG_CONTENT)
    study = make_entry("study", collective, title=TITLES["study"])
    visit = make_entry("families", collective, title=TITLES["visit"], follow_up=True)
    services.add_pairing_review(actor=users["leader_a"], pairing=pairing, data={
        "date": (timezone.localdate() - datetime.timedelta(days=2)).isoformat(), "outcome": "improving",
        "income_trend": "rising", "note": ""})
    with django_capture_on_commit_callbacks(execute=True):  # the thumbnail task runs: a stored thumbnail
        made = services.add_attachment(actor=users["leader_a"], entry=open_week,
                                       upload=upload("开放日合影.jpg", jpeg(1600, 1200, seed=3)))
    # no task run: the export makes this thumbnail itself from the original
    services.add_attachment(actor=users["leader_a"], entry=open_week,
                            upload=upload("展板.jpg", jpeg(900, 1200, seed=4)))
    services.add_comment(actor=users["unit_admin_a"], entry=study, text="请补充参学成员的学习心得。")
    handled = services.add_comment(actor=users["unit_admin_a"], entry=result, text="成果数据请附上统计截图。")
    services.resolve_comment(actor=users["leader_a"], comment=handled)
    made.refresh_from_db()
    assert made.thumbnail.name  # the first picture has the task worker's thumbnail, the second has none
    return {"collective": collective, "campaign": target.campaign, "pairing": pairing, "entries": {
        "open_week": open_week, "target": target, "result": result, "study": study, "visit": visit}}


def download(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.content[:500]
    return response, b"".join(response.streaming_content)


def collective_url(world, fmt):
    return reverse("ledger:export_collective", args=[world["collective"].pk, fmt])


def zipped_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return "".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist()
                       if name.endswith((".xml", ".rels")))


def docx_texts(data: bytes) -> list[str]:
    document = Document(io.BytesIO(data))
    texts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            texts += [cell.text for cell in row.cells]
    return texts


def pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "ledger.pdf"
    path.write_bytes(data)
    return tools.run("pdftotext", "-layout", str(path), "-")


# --- the collective's ledger (.docx, .pdf) ------------------------------------------------------------------


def test_the_docx_holds_the_cover_the_summary_and_every_entry_in_the_notices_order(ledger, users, signed_in):
    response, data = download(signed_in(users["unit_admin_a"]), collective_url(ledger, "docx"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    name = f"{ledger['collective'].name}-{ledger['campaign'].year}年度台账.docx"
    assert quote(name) in response["Content-Disposition"] and "attachment" in response["Content-Disposition"]
    texts = docx_texts(data)
    joined = "\n".join(texts)
    document = Document(io.BytesIO(data))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == ["一、台账概况", "二、对标创优（2条）", "三、青年大学习（1条）", "四、助千家（1条）",
                        "五、开放周（1条）", "六、助千家结对家庭（1户）"]
    for label, value in [("集体名称", ledger["collective"].name), ("归口单位", "环翠区团委"),
                         ("创建活动", ledger["campaign"].name), ("号长", "成员1"), ("成员数", "8人"),
                         ("示范承诺", "一次告知、一窗受理、限时办结，让群众少跑腿。"), ("监督电话", "0631-5201234")]:
        assert texts[texts.index(label) + 1] == value
    assert "（北京时间）" in texts[texts.index("生成时间") + 1]
    for title in TITLES.values():
        assert title in joined
    # each activity's own fields
    assert LONG_CONTENT in texts
    assert "创优成果" in texts and "省级青年文明号·济南市民服务中心" in texts and "社会效益 30分钟" in texts
    assert texts[texts.index("对应目标") + 1].endswith(TITLES["target"])
    assert "微团课" in texts and texts[texts.index("领学人") + 1] == "成员2"
    assert "成员1、成员2、成员3、成员4、成员5" in texts
    assert texts[texts.index("回头看走访") + 1] == "是" and "亲情陪伴、助学扶智" in texts
    assert "示范承诺、监督电话、成员身份" in texts and "36人" in texts
    # comments with their unit and state; the PDF attachment by name (its number masked)
    assert any("环翠区团委" in text and "未处理" in text and "请补充参学成员的学习心得。" in text for text in texts)
    assert any("已处理" in text and "成果数据请附上统计截图。" in text for text in texts)
    assert f"{MASKED}走访记录.pdf" in texts
    # the summary and the pairings section
    percent = selectors.study_summary(ledger["collective"], ledger["campaign"]).coverage_percent  # 5 of 8
    assert any(f"学习1次，1名成员领学，参学覆盖率{percent}%（5/8名成员参学）" in text for text in texts)
    assert MASKED in texts and "环翠楼街道" in texts and "帮扶中" in texts
    assert any(text.endswith("好转（收入增加）") for text in texts)
    # the registry number typed into the open week's content before the pairing existed is masked
    assert f"接待群众参观，编号{MASKED}的结对家庭也来了。" in texts


def test_the_docx_embeds_the_pictures_as_thumbnails(ledger, users, signed_in):
    _, data = download(signed_in(users["leader_a"]), collective_url(ledger, "docx"))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        media = [name for name in archive.namelist() if name.startswith("word/media/")]
        sizes = [archive.getinfo(name).file_size for name in media]
    assert len(media) == 2  # the stored thumbnail and the one made from the original
    assert max(sizes) < 100_000  # thumbnails, not the originals


def test_a_picture_that_cannot_be_read_is_listed_by_name(ledger, users):
    picture = ledger["entries"]["open_week"].attachments.get(original_name="展板.jpg")
    default_storage.delete(picture.original.name)
    exporter = collective_ledger_export("docx", ledger["collective"], ledger["campaign"])
    data = exporter.to_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert len([name for name in archive.namelist() if name.startswith("word/media/")]) == 1
    assert any(text.endswith("（无法生成缩略图：展板.jpg）") for text in docx_texts(data))


def test_the_pdf_renders_the_chinese_text_and_the_pictures(ledger, users, signed_in, tmp_path):
    response, data = download(signed_in(users["city_admin"]), collective_url(ledger, "pdf"))
    assert response["Content-Type"] == "application/pdf"
    assert data.startswith(b"%PDF")
    assert len(re.findall(rb"/Subtype\s*/Image", data)) == 2
    text = re.sub(r"\s+", "", pdf_text(data, tmp_path))
    for title in TITLES.values():
        assert title in text
    for heading in ("青年文明号创建台账", "二、对标创优（2条）", "五、开放周（1条）", "六、助千家结对家庭（1户）",
                    "参学覆盖率", "（5/8名成员参学）", "请补充参学成员的学习心得。", MASKED):
        assert heading in text
    assert "以上为全部情况（完）" in text  # long content wraps over lines (and pages), none of it cut off
    assert tools.pdf_pages(tmp_path / "ledger.pdf") >= 2


def test_a_ledger_with_no_entries_still_prints(tree, users, campaign, signed_in, tmp_path):
    collective = factories.collective(unit=tree["area_a"], name="环翠区图书馆服务台")
    _, data = download(signed_in(users["unit_admin_a"]), reverse("ledger:export_collective",
                                                                  args=[collective.pk, "docx"]))
    assert docx_texts(data).count("本活动暂无记录。") == 4
    _, data = download(signed_in(users["unit_admin_a"]), reverse("ledger:export_collective",
                                                                  args=[collective.pk, "pdf"]))
    assert "本活动暂无记录。" in pdf_text(data, tmp_path)


def test_the_campaign_is_chosen_by_the_query_string(ledger, tree, users, signed_in):
    older = factories.campaign(office=tree["city"], year=ledger["campaign"].year - 1, name="上一年度的创建活动")
    _, data = download(signed_in(users["leader_a"]), collective_url(ledger, "docx"), campaign=older.pk)
    texts = docx_texts(data)
    assert texts[texts.index("创建活动") + 1] == "上一年度的创建活动"
    assert not any(title in "\n".join(texts) for title in TITLES.values())
    audit = AuditEntry.objects.get(action="ledger.export")
    assert audit.after == {"format": "docx", "campaign": older.pk, "entries": 0}


# --- the unit's entries (.xlsx) -----------------------------------------------------------------------------


def xlsx_rows(data: bytes) -> list[dict]:
    sheet = load_workbook(io.BytesIO(data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == [header for header, _ in XLSX_COLUMNS]
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_the_xlsx_has_a_row_per_entry_of_the_units_subtree_with_its_activity_columns(ledger, tree, users,
                                                                                       signed_in, make_entry):
    make_entry("open_week", tree["collective_sub"], actor=users["unit_admin_a"], title="街道开放日")
    make_entry("open_week", tree["collective_b"], actor=users["unit_admin_b"], title="文登区的开放日")
    response, data = download(signed_in(users["unit_admin_a"]), reverse("ledger:export_unit"))
    name = f"环翠区团委-{ledger['campaign'].year}年度台账.xlsx"
    assert quote(name) in response["Content-Disposition"]
    rows = xlsx_rows(data)
    assert [row["标题"] for row in rows] == [
        TITLES["target"], TITLES["result"], TITLES["study"], TITLES["visit"], TITLES["open_week"], "街道开放日"]
    by_title = {row["标题"]: row for row in rows}
    result = by_title[TITLES["result"]]
    assert (result["归口单位"], result["集体"], result["活动"]) == ("环翠区团委", "环翠区政务服务中心窗口", "对标创优")
    assert result["对标类型"] == "创优成果" and result["对标对象"] == "省级青年文明号·济南市民服务中心"
    assert (result["效益类型"], result["效益数值"], result["效益单位"]) == ("社会效益", 30, "分钟")
    assert result["对应的创优目标"].endswith(TITLES["target"]) and result["内容"] == LONG_CONTENT
    assert (result["评阅意见数"], result["未处理意见数"], result["学习形式"]) == (1, 0, None)
    study = by_title[TITLES["study"]]
    assert (study["学习形式"], study["领学人"], study["参学人数"]) == ("微团课", "成员2", 5)
    assert study["参学成员"] == "成员1、成员2、成员3、成员4、成员5"
    assert (study["评阅意见数"], study["未处理意见数"]) == (1, 1)
    visit = by_title[TITLES["visit"]]
    assert (visit["结对家庭编号（已隐去）"], visit["帮扶方式"], visit["回头看走访"], visit["附件数"]) == (
        MASKED, "亲情陪伴、助学扶智", "是", 0)
    open_week = by_title[TITLES["open_week"]]
    assert (open_week["展示内容"], open_week["参观人数"], open_week["附件数"]) == (
        "示范承诺、监督电话、成员身份", 36, 3)
    assert open_week["内容"] == f"接待群众参观，编号{MASKED}的结对家庭也来了。"
    assert by_title["街道开放日"]["归口单位"] == "环翠楼街道团委"
    assert isinstance(by_title["街道开放日"]["日期"], datetime.datetime)  # a real date cell


def test_the_xlsx_is_filtered_like_the_review_page(ledger, tree, users, signed_in, make_entry):
    make_entry("open_week", tree["collective_sub"], actor=users["unit_admin_a"], title="街道开放日",
               date=(timezone.localdate() - datetime.timedelta(days=10)).isoformat())
    client = signed_in(users["city_admin"])
    url = reverse("ledger:export_unit")
    _, data = download(client, url, unit=tree["area_a"].pk, activity="open_week")
    assert [row["标题"] for row in xlsx_rows(data)] == [TITLES["open_week"], "街道开放日"]
    day = (timezone.localdate() - datetime.timedelta(days=5)).isoformat()
    _, data = download(client, url, unit=tree["area_a"].pk, activity="open_week", date_to=day)
    assert [row["标题"] for row in xlsx_rows(data)] == ["街道开放日"]
    _, data = download(client, url, unit=tree["area_a"].pk, date_from=day)
    assert "街道开放日" not in [row["标题"] for row in xlsx_rows(data)]
    _, data = download(client, url, unit=tree["sub_a"].pk)
    assert [row["标题"] for row in xlsx_rows(data)] == ["街道开放日"]
    _, data = download(client, url, unit=tree["area_a"].pk, collective=tree["collective_sub"].pk)
    assert [row["标题"] for row in xlsx_rows(data)] == ["街道开放日"]
    audit = AuditEntry.objects.filter(action="ledger.export").order_by("id")
    assert audit.count() == 5
    assert audit[0].after == {"format": "xlsx", "campaign": ledger["campaign"].pk, "entries": 2,
                              "activity": "open_week"}
    assert audit[1].after["date_to"] == day and audit[4].after["collective"] == tree["collective_sub"].pk


def _populate(tree, users, make_entry, make_pairing, count):
    """``count`` rounds of one entry of each activity (with attendees, kinds of help, items shown, a file and a
    comment) in two collectives of 环翠区."""
    for collective in (tree["collective_a"], tree["collective_sub"]):
        if not collective.pairings.exists():
            make_pairing(collective, actor=users["unit_admin_a"], family_ref=f"37100200000{collective.pk:05d}")
        for _ in range(count):
            for activity in ("benchmark", "study", "families", "open_week"):
                entry = make_entry(activity, collective, actor=users["unit_admin_a"])
                services.add_comment(actor=users["unit_admin_a"], entry=entry, text="请补充材料。")
                services.add_attachment(actor=users["unit_admin_a"], entry=entry, upload=upload("记录.pdf", PDF_BYTES))


def test_the_xlsx_reads_a_constant_number_of_queries(tree, users, signed_in, make_entry, make_pairing,
                                                     media_storage):  # noqa: F811
    client = signed_in(users["unit_admin_a"])
    counts, made = [], 0
    for rounds in (1, 3):
        _populate(tree, users, make_entry, make_pairing, rounds - made)
        made = rounds
        with CaptureQueriesContext(connection) as queries:
            _, data = download(client, reverse("ledger:export_unit"))
        assert len(xlsx_rows(data)) == 8 * rounds
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_the_xlsx_reads_the_rows_in_chunks(ledger, users, monkeypatch):
    """The rows are streamed from one query and their lists prefetched per chunk, never all in memory at once."""
    monkeypatch.setattr("wenminghao.ledger.exporters.XLSX_CHUNK", 2)
    exporter = unit_ledger_export(users["unit_admin_a"], unit=ledger["collective"].unit, campaign=ledger["campaign"])
    with CaptureQueriesContext(connection) as queries:
        data = exporter.to_bytes()
    assert len(xlsx_rows(data)) == exporter.entry_count == 5
    help_kind_reads = [query for query in queries.captured_queries if 'FROM "ledger_entryhelpkind"' in query["sql"]]
    assert len(help_kind_reads) == 3  # five rows, two at a time


# --- nobody else, and never the full number ---------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["docx", "pdf", "xlsx"])
def test_no_file_holds_the_full_registry_number(ledger, users, signed_in, fmt, tmp_path):
    url = reverse("ledger:export_unit") if fmt == "xlsx" else collective_url(ledger, fmt)
    _, data = download(signed_in(users["unit_admin_a"]), url)
    assert FAMILY_REF.encode() not in data
    if fmt == "pdf":
        text = pdf_text(data, tmp_path)
        assert FAMILY_REF not in re.sub(r"\s+", "", text) and MASKED in text
    else:
        xml = zipped_xml(data)
        assert FAMILY_REF not in xml and MASKED in xml


@pytest.mark.parametrize("who", ["unit_admin_b", "leader_b", "judge"])
@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_the_collectives_ledger_is_not_there_for_anyone_else(ledger, users, signed_in, who, fmt):
    response = signed_in(users[who]).get(collective_url(ledger, fmt))
    assert response.status_code == 404
    assert not AuditEntry.objects.filter(action="ledger.export").exists()


@pytest.mark.parametrize("who", ["leader_a", "unit_admin_a", "city_admin"])
def test_the_collective_and_the_units_above_it_download_its_ledger(ledger, users, signed_in, who):
    download(signed_in(users[who]), collective_url(ledger, "pdf"))
    audit = AuditEntry.objects.get(action="ledger.export")
    assert audit.actor == users[who] and audit.object_id == str(ledger["collective"].pk)
    assert audit.unit_path == ledger["collective"].unit.path
    assert audit.after == {"format": "pdf", "campaign": ledger["campaign"].pk, "entries": 5}
    assert FAMILY_REF not in str(audit.after) + audit.object_repr


@pytest.mark.parametrize(("who", "unit"), [("leader_a", None), ("leader_b", None), ("judge", None), ("judge", "city"),
                                           ("unit_admin_b", "area_a"), ("unit_admin_a", "city"),
                                           ("leader_a", "area_a")])
def test_the_units_entries_are_not_there_for_anyone_else(ledger, tree, users, signed_in, who, unit):
    params = {"unit": tree[unit].pk} if unit else {}
    response = signed_in(users[who]).get(reverse("ledger:export_unit"), params)
    assert response.status_code == 404
    assert not AuditEntry.objects.filter(action="ledger.export").exists()


def test_an_unknown_format_or_a_collective_without_campaign_is_not_found(ledger, tree, users, signed_in, campaign):
    client = signed_in(users["city_admin"])
    assert client.get(collective_url(ledger, "xlsx")).status_code == 404
    assert client.get(collective_url(ledger, "html")).status_code == 404
    province = factories.unit(name="省外单位团委")
    lonely = factories.collective(unit=province, name="不在本市的集体")
    outsider = factories.account(username="outside", unit=province)
    response = signed_in(outsider).get(reverse("ledger:export_collective", args=[lonely.pk, "docx"]))
    assert response.status_code == 404


def test_signing_in_is_required(ledger, client):
    response = client.get(collective_url(ledger, "docx"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_a_large_unit_export_is_made_by_the_task_worker_for_who_asked(ledger, tree, users, signed_in, settings,
                                                                     django_capture_on_commit_callbacks):
    """Above WMH_LEDGER_DIRECT_EXPORT_ROWS the GET offers a button; the POST asks for an ExportJob with the same
    filters, run by the task worker; the file holds the filtered rows, masked; the job is the asker's only."""
    from wenminghao.core.models import ExportJob, Notification

    settings.WMH_LEDGER_DIRECT_EXPORT_ROWS = 2
    client = signed_in(users["unit_admin_a"])
    url = reverse("ledger:export_unit")
    small = client.get(url, {"unit": tree["area_a"].pk, "activity": "benchmark"})  # 2 rows, not above 2: the file
    assert small["Content-Disposition"].startswith("attachment") and b"".join(small.streaming_content)[:2] == b"PK"
    exported = AuditEntry.objects.filter(action="ledger.export").count()
    page = client.get(url, {"unit": tree["area_a"].pk})
    text = page.content.decode()
    assert page.status_code == 200 and page["Content-Type"].startswith("text/html")
    assert "共 <strong>5</strong> 条记录" in text and 'data-testid="request-export"' in text
    assert AuditEntry.objects.filter(action="ledger.export").count() == exported  # the page exported nothing
    with django_capture_on_commit_callbacks(execute=True):  # the task runs at once in tests
        response = client.post(url, {"unit": tree["area_a"].pk, "activity": "benchmark"})
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("core:export_detail", args=[job.pk])
    assert job.kind == "ledger_unit" and job.status == "done", job.error
    assert job.params["activity"] == "benchmark" and job.params["unit"] == tree["area_a"].pk
    assert AuditEntry.objects.filter(action="export.request", actor=users["unit_admin_a"]).exists()
    assert Notification.objects.filter(recipient=users["unit_admin_a"], message__contains="已生成").exists()
    download_response = client.get(reverse("core:export_download", args=[job.pk]))
    data = b"".join(download_response.streaming_content)
    assert [row["标题"] for row in xlsx_rows(data)] == [TITLES["target"], TITLES["result"]]
    assert FAMILY_REF.encode() not in data
    assert signed_in(users["city_admin"]).get(reverse("core:export_download", args=[job.pk])).status_code == 404


@pytest.mark.parametrize("who", ["unit_admin_b", "leader_a", "judge"])
def test_nobody_else_may_ask_for_a_units_export_job(who, ledger, tree, users, signed_in, settings):
    from wenminghao.core.models import ExportJob

    settings.WMH_LEDGER_DIRECT_EXPORT_ROWS = 2
    response = signed_in(users[who]).post(reverse("ledger:export_unit"), {"unit": tree["area_a"].pk})
    assert response.status_code == 404 and not ExportJob.objects.exists()


def test_an_export_job_is_refused_when_the_right_was_lost(ledger, tree, users, settings,
                                                         django_capture_on_commit_callbacks):
    from wenminghao.core.exports import request_export
    from wenminghao.core.models import ExportJob

    admin = factories.account(username="leaving_admin", role="unit_admin", unit=tree["area_a"])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = request_export(actor=admin, kind="ledger_unit", params={"unit": tree["area_a"].pk}, title="导出",
                             unit_path=tree["area_a"].path)
    admin.unit = tree["area_b"]  # moved to another district before the worker ran
    admin.save()
    for callback in callbacks:
        callback()
    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED and "不能导出该单位" in job.error and not job.file
