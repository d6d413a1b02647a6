"""The permission matrix's rows of the notices pages (issue 15), a part module like tests/evaluation/matrix/*.py:
joined in permission_matrix_data.py's tail; its world is added by test_permission_matrix.world."""
#
# Objects (add_world): notice_city — the city's notice to every collective (collective_a, collective_sub,
# collective_b), asking for a reply, with a .docx (notice_city_file); leader_a has replied with a PDF
# (receipt_city_a). notice_a — 环翠区's notice to its subtree (collective_a, collective_sub), no reply asked, with a
# JPEG (notice_a_file).
# Execution norms (执行规范): norm_city — the city's first version, in force, with a .docx (norm_city_file);
# norm_a_old and norm_a — 环翠区's (area_a) first version, superseded, and its second, in force, with a JPEG
# (norm_a_file); norm_sub — the 街道's (sub_a, below area_a) version, published by its admin (admin_sub). 文登区
# (area_b) has none. A collective reads the norms of its unit chain only: leader_a reads the city's and area_a's,
# not sub_a's (below it); leader_b only the city's.
#
# ROLES = anonymous, city_admin, unit_admin_a, unit_admin_b, leader_a, delegate_a, leader_b, judge

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.permission_matrix_data import NOBODY, Body, Done, line

NOTICE_SECTION = (302, 200, 200, 200, 200, 200, 200, 404)  # judges see no page of the section
NOTICE_ADMINS = (302, 200, 200, 200, 403, 403, 403, 404)  # publishing: admins; collectives see it but may not
NOTICE_A_SEE = (302, 200, 200, 404, 200, 200, 404, 404)  # 环翠区's notice: its subtree and the city
READ_CITY = (302, 403, 403, 403, Done(302), Done(302), Done(302), 404)
READ_A = (302, 403, 403, 404, Done(302), Done(302), 404, 404)


def _notice(world, role):
    return {"title": "关于报送创建材料的通知", "body": "请各集体按时报送。", "sectors": ["service"]}


def _notice_with_file(world, role):
    from tests.works.media_fixtures import docx

    return {**_notice(world, role), "files": SimpleUploadedFile("报送要求.docx", docx("报送要求"))}


NOTICE = Body("notice", _notice)
NOTICE_FILE = Body("notice with a .docx", _notice_with_file)
NO_TITLE = Body("no title", lambda world, role: {"title": "", "body": "正文"})
GUIDANCE = Body("guidance", lambda world, role: {"title": "转发：全市创建工作通知", "body": "请各集体月底前完成自查。"})
REPLY = Body("reply", lambda world, role: {"text": "本集体已完成自查。"})
EMPTY = Body("empty", lambda world, role: {})


def _norm(world, role):
    return {"title": "创建工作执行规范", "body": "一、按时报备。\n\n二、随开展随记录台账。",
            "effective_on": timezone.localdate().isoformat(), "change_note": "补充台账要求"}


def _norm_with_file(world, role):
    from tests.works.media_fixtures import docx

    return {**_norm(world, role), "files": SimpleUploadedFile("自查清单.docx", docx("自查清单"))}


NORM = Body("norm", _norm)
NORM_FILE = Body("norm with a .docx", _norm_with_file)
NORM_NO_TITLE = Body("norm without title", lambda world, role: {**_norm(world, role), "title": ""})
NORM_ADMINS = (302, 200, 200, 200, 403, 403, 403, 404)
NORM_PUBLISH = (302, Done(302), Done(302), Done(302), 403, 403, 403, 404)
NORM_A_SEE = (302, 200, 200, 404, 200, 200, 404, 404)  # area_a's: its chain and subtree, its collectives

PAGE_ROWS = [
    *line("GET", "notices:list", None, NOTICE_SECTION),
    *line("GET", "notices:list", None, NOTICE_SECTION, query={"q": "通知"}),
    *line("GET", "notices:create", None, NOTICE_ADMINS),
    *line("POST", "notices:create", None, (302, Done(302), Done(302), Done(302), 403, 403, 403, 404), body=NOTICE),
    *line("POST", "notices:create", None, (302, Done(302), Done(302), Done(302), 403, 403, 403, 404),
          body=NOTICE_FILE),
    *line("POST", "notices:create", None, (302, 422, 422, 422, 403, 403, 403, 404), body=NO_TITLE),
    *line("GET", "notices:recipients", None, NOTICE_ADMINS, query={"sectors": "service"}),
    *line("GET", "notices:detail", "notice_city", NOTICE_SECTION),
    *line("GET", "notices:detail", "notice_a", NOTICE_A_SEE),
    # collective_a has replied to notice_city, which confirmed reading it: confirming again changes nothing
    *line("POST", "notices:read", "notice_city", (302, 403, 403, 403, 302, 302, Done(302), 404), body=EMPTY),
    *line("POST", "notices:read", "notice_a", READ_A, body=EMPTY),
    *line("POST", "notices:reply", "notice_city", READ_CITY, body=REPLY),
    # notice_a asks for no reply
    *line("POST", "notices:reply", "notice_a", (302, 403, 403, 404, 403, 403, 404, 404), body=REPLY),
    # forwarding: the admins of the units below the sender that it reached
    *line("GET", "notices:forward", "notice_city", (302, 403, 200, 200, 403, 403, 403, 404)),
    *line("POST", "notices:forward", "notice_city", (302, 403, Done(302), Done(302), 403, 403, 403, 404),
          body=GUIDANCE),
    *line("GET", "notices:forward", "notice_a", (302, 403, 403, 404, 403, 403, 404, 404)),
    # receipts and reminders: the sender's unit and the units above
    *line("GET", "notices:receipts", "notice_city", (302, 200, 403, 403, 403, 403, 403, 404)),
    *line("GET", "notices:receipts", "notice_city", (302, 200, 403, 403, 403, 403, 403, 404),
          query={"state": "unread", "unit": "area_a"}),
    *line("GET", "notices:receipts", "notice_a", (302, 200, 200, 404, 403, 403, 404, 404)),
    *line("POST", "notices:remind", "notice_city", (302, Done(302), 403, 403, 403, 403, 403, 404), body=EMPTY),
    *line("POST", "notices:remind", "notice_a", (302, Done(302), Done(302), 404, 403, 403, 404, 404), body=EMPTY),
    # files: a notice's to whoever sees it; never another notice's through this one
    *line("GET", "notices:attachment", ("notice_city", "notice_city_file"), NOTICE_SECTION),
    *line("GET", "notices:attachment", ("notice_a", "notice_a_file"), NOTICE_A_SEE),
    *line("GET", "notices:attachment", ("notice_a", "notice_city_file"), NOBODY),
    # a reply's file: the receipts' viewers and the replying collective's accounts
    *line("GET", "notices:reply_file", ("notice_city", "receipt_city_a"), (302, 200, 404, 404, 200, 200, 404, 404)),
    # execution norms (执行规范): the chain page for the section; publishing for the admins, for their own unit
    *line("GET", "notices:norms", None, NOTICE_SECTION),
    *line("GET", "notices:norm_create", None, NORM_ADMINS),
    *line("POST", "notices:norm_create", None, NORM_PUBLISH, body=NORM),
    *line("POST", "notices:norm_create", None, NORM_PUBLISH, body=NORM_FILE),
    *line("POST", "notices:norm_create", None, (302, 422, 422, 422, 403, 403, 403, 404), body=NORM_NO_TITLE),
    *line("GET", "notices:norm_overview", None, NORM_ADMINS),
    *line("GET", "notices:norm_overview", None, NORM_ADMINS, query={"missing": "1"}),
    *line("GET", "notices:norm_detail", "norm_city", NOTICE_SECTION),
    *line("GET", "notices:norm_detail", "norm_a", NORM_A_SEE),
    *line("GET", "notices:norm_detail", "norm_a_old", NORM_A_SEE),
    # below area_a: its admins and the city; no collective of the world is under sub_a
    *line("GET", "notices:norm_detail", "norm_sub", (302, 200, 200, 404, 404, 404, 404, 404)),
    *line("GET", "notices:norm_attachment", ("norm_city", "norm_city_file"), NOTICE_SECTION),
    *line("GET", "notices:norm_attachment", ("norm_a", "norm_a_file"), NORM_A_SEE),
    *line("GET", "notices:norm_attachment", ("norm_a", "norm_city_file"), NOBODY),
]
API_ROWS: list = []

KEYS = {"notice_city", "notice_a", "notice_city_file", "notice_a_file", "receipt_city_a", "norm_city",
        "norm_city_file", "norm_a_old", "norm_a", "norm_a_file", "norm_sub"}


def applies(row) -> bool:
    return row.route.startswith("notices:")  # the API's rows have their own world (test_permission_matrix.add_notices)


def add_world(objects, settings, tmp_path) -> None:
    from tests import factories
    from tests.works.media_fixtures import docx, jpeg, upload
    from wenminghao.core.roles import Role
    from wenminghao.notices.models import NoticeReceipt
    from wenminghao.notices.services import publish_norm, publish_notice, reply_to_notice

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.FILE_UPLOAD_TEMP_DIR = tmp_path / "upload-tmp"
    settings.FILE_UPLOAD_TEMP_DIR.mkdir(exist_ok=True)
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": settings.MEDIA_ROOT}}}
    objects["notice_city"] = publish_notice(
        actor=objects["city_admin"], title="全市创建工作通知", body="全市统一要求。", asks_reply=True,
        files=[upload("全市方案.docx", docx("方案"))])
    objects["notice_city_file"] = objects["notice_city"].attachments.get()
    objects["notice_a"] = publish_notice(actor=objects["unit_admin_a"], title="环翠区创建工作安排", body="环翠区要求。",
                                         files=[upload("安排.jpg", jpeg(400, 300))])
    objects["notice_a_file"] = objects["notice_a"].attachments.get()
    reply_to_notice(actor=objects["leader_a"], notice=objects["notice_city"], text="已完成自查。",
                    upload=upload("自查报告.pdf", b"%PDF-1.4\n%%EOF\n"))
    objects["receipt_city_a"] = NoticeReceipt.objects.get(notice=objects["notice_city"],
                                                          collective=objects["collective_a"])
    today = timezone.localdate()
    objects["norm_city"] = publish_norm(actor=objects["city_admin"], title="威海市创建工作执行规范", body="全市规范。",
                                        effective_on=today - datetime.timedelta(days=30),
                                        files=[upload("自查清单.docx", docx("清单"))])
    objects["norm_city_file"] = objects["norm_city"].attachments.get()
    objects["norm_a_old"] = publish_norm(actor=objects["unit_admin_a"], title="环翠区执行规范", body="第一版。",
                                         effective_on=today - datetime.timedelta(days=20))
    objects["norm_a"] = publish_norm(actor=objects["unit_admin_a"], title="环翠区执行规范（修订）", body="第二版。",
                                     effective_on=today - datetime.timedelta(days=2), change_note="补充台账要求",
                                     files=[upload("流程图.jpg", jpeg(400, 300))])
    objects["norm_a_file"] = objects["norm_a"].attachments.get()
    admin_sub = factories.account(username="admin_sub", role=Role.UNIT_ADMIN, unit=objects["sub_a"])
    objects["norm_sub"] = publish_norm(actor=admin_sub, title="街道执行规范", body="街道规范。", effective_on=today)
