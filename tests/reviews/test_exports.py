"""The office's spreadsheet of all works of a campaign with their reviews (reviews/exports.py), cell by cell."""

import datetime
import io
from decimal import Decimal as D
from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from tests import factories
from wenminghao.campaigns.models import Campaign
from wenminghao.core.roles import Role
from wenminghao.reviews import services
from wenminghao.reviews.exports import CONFLICT, NOT_SCORED, WORK_COLUMNS, CampaignWorksExport
from wenminghao.reviews.models import Assignment, Criterion, RoundJudge
from wenminghao.works.models import Work, WorkDecision
from wenminghao.works.transitions import change_work_status

PHOTO = "“改革开放青观察”图片作品"
ESSAY = "“品牌建设青之见”征文"
WORK_HEADERS = [title for title, _ in WORK_COLUMNS]


def make_work(campaign, collective, user, *, title, category="photo", status="submitted"):
    form = {"photo": "picture", "publicity": "video", "essay": "essay"}[category]
    return Work.objects.create(campaign=campaign, collective=collective, category=category, title=title,
                               display_form=form, contact_name="张联系", contact_phone="13800000000", status=status,
                               created_by=user, submitted_at=None if status == "draft" else
                               datetime.datetime(2018, 9, 10, 1, 30, tzinfo=datetime.UTC))


def score_all(round_, judge, work, value, comment=""):
    assignment = Assignment.objects.get(round=round_, judge=judge, work=work)
    services.save_scores(actor=judge, assignment=assignment, comment=comment,
                         scores={c.pk: value for c in Criterion.objects.filter(round=round_)})


def sheet_of(campaign):
    campaign = Campaign.objects.select_related("office").get(pk=campaign.pk)
    return load_workbook(io.BytesIO(CampaignWorksExport(campaign).to_bytes())).active


def values(sheet, row):
    return [cell.value for cell in sheet[row]]


def naive(moment):
    from django.utils import timezone

    return timezone.localtime(moment).replace(tzinfo=None)


def close_to(cell, moment) -> bool:
    return isinstance(cell, datetime.datetime) and abs(cell - naive(moment)) < datetime.timedelta(seconds=1)


@pytest.fixture
def reviewed(tree, users):
    """Three photo works recommended by their units (w1 of 环翠, w2 and w3 of 文登; w2 then shortlisted by the
    city), a photo draft and a submitted essay; a blind photo round with two judges: 甲 scores w1 80, w2 90,
    w3 70; 乙 scores w1 100, w2 90 and not w3. w1 and w2 tie at 90.00 (rank 1 and 1), w3 is third."""
    campaign = factories.campaign(office=tree["city"])
    city, huancui, wendeng = users["city_admin"], users["unit_admin_a"], users["unit_admin_b"]
    w1 = make_work(campaign, tree["collective_a"], users["leader_a"], title="窗口里的四十年")
    w2 = make_work(campaign, tree["collective_b"], users["leader_b"], title="供电所的变迁")
    w3 = make_work(campaign, tree["collective_b"], users["leader_b"], title="=线路巡检")
    draft = make_work(campaign, tree["collective_a"], users["leader_a"], title="草稿作品", status="draft")
    essay = make_work(campaign, tree["collective_b"], users["leader_b"], title="品牌之路", category="essay")
    change_work_status(actor=huancui, work=w1, to_status="recommended")
    change_work_status(actor=wendeng, work=w2, to_status="recommended")
    change_work_status(actor=wendeng, work=w3, to_status="recommended")
    change_work_status(actor=city, work=w2, to_status="shortlisted", comment="进入复评")
    judges = {"甲": factories.account(username="judge_jia", role=Role.JUDGE, display_name="甲评委"),
              "乙": factories.account(username="judge_yi", role=Role.JUDGE)}
    round_ = services.create_round(actor=city, campaign=campaign, category="photo", name="图片复评", is_blind=True)
    services.set_rubric(actor=city, round_=round_, criteria=[
        {"name": name, "weight": weight, "max_score": maximum} for name, weight, maximum in services.DEFAULT_RUBRIC])
    services.set_judges(actor=city, round_=round_, judges=list(judges.values()))
    services.assign_works(actor=city, round_=round_)
    score_all(round_, judges["甲"], w1, "8", "构图好")
    score_all(round_, judges["甲"], w2, "9")
    score_all(round_, judges["甲"], w3, "7", "主题一般")
    score_all(round_, judges["乙"], w1, "10", "很好")
    score_all(round_, judges["乙"], w2, "9", "不错")
    for work in (w1, w2, w3, draft, essay):
        work.refresh_from_db()
    return {"campaign": campaign, "round": round_, "judges": judges, "works": (w1, w2, w3, draft, essay), **tree,
            **users}


def test_export_header_row(reviewed):
    sheet = sheet_of(reviewed["campaign"])
    assert values(sheet, 1) == WORK_HEADERS + [
        "图片复评：甲评委（judge_jia）得分", "图片复评：甲评委（judge_jia）评语",
        "图片复评：judge_yi得分", "图片复评：judge_yi评语",
        "图片复评：评分人数", "图片复评：平均分", "图片复评：截尾平均分", "图片复评：名次",
    ]
    assert sheet.freeze_panes == "D2"
    assert sheet.max_row == 6


def test_export_rows_cell_by_cell(reviewed):
    w1, w2, w3, draft, essay = reviewed["works"]
    sheet = sheet_of(reviewed["campaign"])
    rows = [values(sheet, row) for row in range(2, 7)]
    assert [row[0] for row in rows] == [w1.pk, w2.pk, w3.pk, draft.pk, essay.pk]  # category order, unit rank, id

    decision = {(d.work_id, d.stage): d for d in WorkDecision.objects.all()}
    row = rows[0]
    assert row[:7] == [w1.pk, PHOTO, "窗口里的四十年", "图片", "环翠区政务服务中心窗口", "环翠区团委", "已推荐"]
    assert row[7] == datetime.datetime(2018, 9, 10, 9, 30)  # Beijing time, as Excel has no time zones
    assert row[8] == 1
    assert row[9:11] == ["推荐作品", "huancui"] and close_to(row[11], decision[(w1.pk, "unit")].created_at)
    assert row[12:17] == [None, None, None, None, None]  # no city decision yet
    assert row[17:] == [D("80"), "构图好", D("100"), "很好", 2, D("90"), D("90"), 1]

    row = rows[1]
    assert row[1:9] == [PHOTO, "供电所的变迁", "图片", "文登区供电所", "文登区团委", "入围",
                        datetime.datetime(2018, 9, 10, 9, 30), 1]
    assert row[9:11] == ["推荐作品", "wendeng"] and row[12] is None
    assert row[13:15] == ["作品入围", "city"] and close_to(row[15], decision[(w2.pk, "city")].created_at)
    assert row[16] == "进入复评"
    assert row[17:] == [D("90"), None, D("90"), "不错", 2, D("90"), D("90"), 1]  # the tie: both first

    row = rows[2]
    assert row[2] == "=线路巡检"  # text, never a formula
    assert sheet.cell(row=4, column=3).data_type == "s"
    assert row[8] == 2
    assert row[17:] == [D("70"), "主题一般", NOT_SCORED, None, 1, D("70"), D("70"), 3]  # 乙's score is missing

    row = rows[3]  # a draft: never assigned, nothing decided
    assert row[1:9] == [PHOTO, "草稿作品", "图片", "环翠区政务服务中心窗口", "环翠区团委", "草稿", None, None]
    assert row[9:] == [None] * 16

    row = rows[4]  # another category: the photo round leaves its cells empty
    assert row[1:7] == [ESSAY, "品牌之路", "征文", "文登区供电所", "文登区团委", "已提交"]
    assert row[9:] == [None] * 16


def test_export_conflict_of_interest_shown(reviewed):
    """A judge of 环翠区团委 on a second, non-blind photo round: w1 (环翠) is never assigned to them: 回避."""
    city = reviewed["city_admin"]
    w1, w2, w3, _, _ = reviewed["works"]
    judge = factories.account(username="judge_huancui", role=Role.JUDGE, unit=reviewed["area_a"],
                              display_name="环翠评委")
    round_ = services.create_round(actor=city, campaign=reviewed["campaign"], category="photo", name="图片终评",
                                   is_blind=False, trim_count=0)
    services.set_rubric(actor=city, round_=round_, criteria=[{"name": "总分", "weight": "1", "max_score": "100"}])
    services.set_judges(actor=city, round_=round_, judges=[judge])
    services.assign_works(actor=city, round_=round_)
    score_all(round_, judge, w2, "95.5")
    sheet = sheet_of(reviewed["campaign"])
    assert values(sheet, 1)[25:] == [
        "图片终评：环翠评委（judge_huancui）得分", "图片终评：环翠评委（judge_huancui）评语",
        "图片终评：评分人数", "图片终评：平均分", "图片终评：截尾平均分", "图片终评：名次"]
    assert values(sheet, 2)[25:] == [CONFLICT, None, None, None, None, None]
    assert values(sheet, 3)[25:] == [D("95.5"), None, 1, D("95.5"), D("95.5"), 1]
    assert values(sheet, 4)[25:] == [NOT_SCORED, None, 0, None, None, None]


def test_export_queries_fixed_whatever_the_works_judges_and_rounds(reviewed):
    """Rounds, panels, assignments with their kept scores, entries, judges, works, decisions: 7 queries."""
    campaign = Campaign.objects.select_related("office").get(pk=reviewed["campaign"].pk)
    with CaptureQueriesContext(connection) as few:
        CampaignWorksExport(campaign).to_bytes()
    assert len(few) == 7
    city = reviewed["city_admin"]
    for index in range(5):  # more works, decisions, a judge and scores
        work = make_work(campaign, reviewed["collective_b"], reviewed["leader_b"], title=f"更多{index}")
        change_work_status(actor=reviewed["unit_admin_b"], work=work, to_status="recommended")
    extra_judge = factories.account(username="judge_more", role=Role.JUDGE)
    services.set_judges(actor=city, round_=reviewed["round"], judges=[*reviewed["judges"].values(), extra_judge])
    services.assign_works(actor=city, round_=reviewed["round"])
    for assignment in Assignment.objects.filter(round=reviewed["round"], judge=extra_judge):
        score_all(reviewed["round"], extra_judge, assignment.work, "6")
    with CaptureQueriesContext(connection) as more:
        CampaignWorksExport(campaign).to_bytes()
    assert len(more) == len(few)
    essay_round = services.create_round(actor=city, campaign=campaign, category="essay", name="征文评议")
    with CaptureQueriesContext(connection) as two_rounds:
        CampaignWorksExport(campaign).to_bytes()
    assert len(two_rounds) == len(few)
    assert essay_round.pk


def test_export_is_made_by_a_task_and_downloaded_by_who_asked(reviewed, signed_in, settings, tmp_path,
                                                               django_capture_on_commit_callbacks):
    from wenminghao.core.models import AuditEntry, ExportJob, Notification

    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path / "m")}}}
    campaign = reviewed["campaign"]
    client = signed_in(reviewed["city_admin"])
    url = reverse("reviews:campaign_export", args=[campaign.pk])
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):  # the task runs at once in tests
        response = client.post(url)
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("core:export_detail", args=[job.pk])
    assert AuditEntry.objects.filter(action="export.request").exists()
    assert job.status == "done" and job.file_name == f"{campaign.name}-作品与评审情况.xlsx"
    assert Notification.objects.filter(recipient=reviewed["city_admin"], message__contains="已生成").exists()
    page = client.get(reverse("core:export_detail", args=[job.pk])).content.decode()
    assert 'data-testid="export-download"' in page and "hx-get" not in page
    download = client.get(reverse("core:export_download", args=[job.pk]))
    assert download.status_code == 200
    assert quote(f"{campaign.name}-作品与评审情况.xlsx") in download["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    assert sheet.max_row == 6
    # nobody else gets the job or its file, not even another admin of the same office
    colleague = factories.account(username="city2", role="city_admin", unit=reviewed["city"])
    other = signed_in(colleague)
    assert other.get(reverse("core:export_detail", args=[job.pk])).status_code == 404
    assert other.get(reverse("core:export_download", args=[job.pk])).status_code == 404


def test_export_job_refused_when_the_right_was_lost(reviewed, settings, tmp_path,
                                                  django_capture_on_commit_callbacks):
    from wenminghao.core.exports import request_export
    from wenminghao.core.models import ExportJob

    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path / "m")}}}
    admin = factories.account(username="leaving", role="city_admin", unit=reviewed["city"])
    campaign = reviewed["campaign"]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = request_export(actor=admin, kind="campaign_works", params={"campaign": campaign.pk}, title="导出",
                             unit_path=campaign.office.path)
    admin.unit = reviewed["area_a"]  # moved to a district before the worker ran
    admin.role = "unit_admin"
    admin.save()
    for callback in callbacks:
        callback()
    job.refresh_from_db()
    assert job.status == "failed" and "不是组织该创建活动的团委管理员" in job.error and not job.file
    assert ExportJob.objects.count() == 1


def test_export_page_polls_while_the_job_is_pending(reviewed, signed_in):
    from wenminghao.core.models import ExportJob

    job = ExportJob.objects.create(kind="campaign_works", params={}, title="导出", requested_by=reviewed["city_admin"])
    client = signed_in(reviewed["city_admin"])
    page = client.get(reverse("core:export_detail", args=[job.pk])).content.decode()
    assert "hx-get" in page and "正在后台生成" in page
    assert client.get(reverse("core:export_download", args=[job.pk])).status_code == 404
    partial = client.get(reverse("core:export_detail", args=[job.pk]), headers={"HX-Request": "true"})
    assert "<html" not in partial.content.decode() and 'data-status="pending"' in partial.content.decode()


def test_export_office_only(reviewed, signed_in):
    url = reverse("reviews:campaign_export", args=[reviewed["campaign"].pk])
    assert signed_in(reviewed["unit_admin_a"]).get(url).status_code == 403


def test_round_list_links_the_export(reviewed, signed_in):
    campaign = reviewed["campaign"]
    page = signed_in(reviewed["city_admin"]).get(reverse("reviews:round_list", args=[campaign.pk]))
    assert reverse("reviews:campaign_export", args=[campaign.pk]) in page.content.decode()


def test_a_second_click_while_the_export_is_made_reuses_the_job(reviewed, signed_in,
                                                                django_capture_on_commit_callbacks):
    from wenminghao.core.models import ExportJob

    client = signed_in(reviewed["city_admin"])
    url = reverse("reviews:campaign_export", args=[reviewed["campaign"].pk])
    with django_capture_on_commit_callbacks(execute=False):  # no worker has taken it yet
        first, second = client.post(url), client.post(url)
    assert first["Location"] == second["Location"]
    assert ExportJob.objects.count() == 1


def test_export_scores_agree_with_the_round_results(reviewed):
    """The export reads the kept standings; a round of five judges scoring criterion by criterion (trimming one
    at each end), a work one judge has not scored, and a judge who left the panel after scoring: every score
    cell, count, mean, trimmed mean and rank is what scoring.round_results computes from the scores."""
    from wenminghao.reviews import scoring

    city = reviewed["city_admin"]
    campaign = reviewed["campaign"]
    panel = [factories.account(username=f"judge_p{index}", role=Role.JUDGE) for index in range(5)]
    round_ = services.create_round(actor=city, campaign=campaign, category="photo", name="图片终评", trim_count=1)
    services.set_rubric(actor=city, round_=round_, criteria=[
        {"name": "主题", "weight": "0.3", "max_score": "30"}, {"name": "创意", "weight": "0.3", "max_score": "30"},
        {"name": "技术", "weight": "0.4", "max_score": "7"}])
    services.set_judges(actor=city, round_=round_, judges=panel)
    services.assign_works(actor=city, round_=round_)
    criteria = list(Criterion.objects.filter(round=round_).order_by("position", "id"))
    w1, w2, w3, _, _ = reviewed["works"]
    for j, judge in enumerate(panel):
        for w, work in enumerate((w1, w2, w3)):
            given = [D(f"{(7 * j + 3 * w) % 30}.5"), D(str((5 * j + w) % 31)), D(f"{(j + w) % 7}.25")]
            if (j, w) == (3, 2):
                continue  # not scored yet
            assignment = Assignment.objects.get(round=round_, judge=judge, work=work)
            services.save_scores(actor=judge, assignment=assignment, comment=f"评语{j}{w}" if j % 2 else "",
                                 scores={c.pk: v for c, v in zip(criteria, given, strict=True)})
    # judge_p4 is no longer on the panel (the service refuses to remove a judge who scored: older data may hold
    # one), their assignments and scores stay: their columns too
    RoundJudge.objects.filter(round=round_, judge=panel[4]).delete()
    expected = {result.work.pk: result for result in scoring.round_results(round_)}

    def read(cell):  # a number as written (openpyxl reads 1.93 as a float)
        return D(str(cell)) if isinstance(cell, float) else cell

    sheet = sheet_of(campaign)
    header = values(sheet, 1)
    start = header.index(f"图片终评：{panel[0].username}得分")
    for row in range(2, sheet.max_row + 1):
        cells = [read(cell) for cell in values(sheet, row)]
        result = expected.get(cells[0])
        if result is None:
            continue
        by_judge = {item.judge.pk: item for item in result.judges}
        for index, judge in enumerate(panel):
            item = by_judge[judge.pk]
            assert cells[start + 2 * index] == (item.score if item.score is not None else NOT_SCORED)
            assert cells[start + 2 * index + 1] == (item.assignment.comment or None)
        assert cells[start + 10:start + 14] == [result.n, result.mean, result.trimmed_mean, result.rank]
    assert len(expected) == 3 and any(r.n == 4 for r in expected.values())
