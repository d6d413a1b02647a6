"""Every role against every page and API endpoint (the table is tests/permission_matrix_data.py).

Each row is one request by one role in a fresh world, so rows never depend on each other. Beside the
status, a POST must change state exactly when the table says so (``Done``): an audit entry written,
or none at all. The completeness tests fail when a page or an endpoint has no rows for some role.
"""

import importlib
import json
import re
from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import UploadedFile
from django.urls import URLPattern, reverse

from tests import factories
from tests.csp import markup_faults

# ``evaluation_matrix`` (the evaluation parts' rows) comes through permission_matrix_data, which imports it last, once
# ``line`` and the bodies exist: importing tests.evaluation.matrix first would import that module half-made.
from tests.permission_matrix_data import (
    API_DOCUMENTS,
    API_PREFIX,
    API_ROWS,
    PAGE_ROWS,
    ROLES,
    ROWS,
    Done,
    evaluation_matrix,
    notices_matrix,
    projects_matrix,
    public_matrix,
    stories_matrix,
)
from wenminghao.accounts.services import issue_api_token
from wenminghao.campaigns.services import file_creation
from wenminghao.core.models import AuditEntry
from wenminghao.core.roles import Role
from wenminghao.orgs.enums import UnitKind
from wenminghao.works.enums import WorkStatus
from wenminghao.works.models import Work
from wenminghao.works.services import add_work_file, create_work, set_essay_text

ROWS_BY_ID = {row.label: row for row in ROWS}
PAGE_APPS = ("workbench", "core", "accounts", "orgs", "collectives", "campaigns", "works", "reviews", "ledger",
             "evaluation", "public", "notices", "stories", "projects")
LOGIN_URL = reverse("accounts:login")


def add_works(objects, settings, tmp_path) -> None:
    """Works for the rows about works, with their files in a fresh storage directory: work_a (a photo draft of
    collective_a with two pictures, work_a_file1 and work_a_file2), work_b (collective_b's, one picture
    work_b_file1), work_a_submitted (submitted: no longer changes) and essay_a (an essay draft with its text)."""
    from tests.works.media_fixtures import jpeg, upload, work_fields

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.FILE_UPLOAD_TEMP_DIR = tmp_path / "upload-tmp"
    settings.FILE_UPLOAD_TEMP_DIR.mkdir()
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": settings.MEDIA_ROOT}}}

    def work(area, category="photo", **fields):
        return create_work(actor=objects[f"leader_{area}"], collective=objects[f"collective_{area}"],
                           campaign=objects["campaign"], fields=work_fields(category, **fields))

    def picture(area, work_key, seed):
        return add_work_file(actor=objects[f"leader_{area}"], work=objects[work_key],
                             upload=upload(f"照片{seed}.jpg", jpeg(seed=seed)))

    objects["work_a"] = work("a", title="窗口里的四十年")
    objects["work_a_file1"] = picture("a", "work_a", 1)
    objects["work_a_file2"] = picture("a", "work_a", 2)
    objects["work_b"] = work("b", title="供电所的变迁")
    objects["work_b_file1"] = picture("b", "work_b", 3)
    objects["work_a_submitted"] = work("a", title="已提交的作品")
    Work.objects.filter(pk=objects["work_a_submitted"].pk).update(status=WorkStatus.SUBMITTED)
    objects["essay_a"] = work("a", "essay", title="一个窗口的品牌之路")
    set_essay_text(actor=objects["leader_a"], work=objects["essay_a"], text="青年文明号创建实践。")


def add_unit_report(objects, settings, tmp_path):
    """area_a's stamped summary-table scan for the campaign (reviews: unit reports)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from wenminghao.reviews.services import upload_stamped_scan

    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path / "media")}}}
    objects["report_a"] = upload_stamped_scan(
        actor=objects["unit_admin_a"], campaign=objects["campaign"], unit=objects["area_a"],
        upload=SimpleUploadedFile("盖章汇总表.pdf", b"%PDF-1.4\n%%EOF\n"),
    )


REVIEW_ROUND_KEYS = {"round", "round_other_city", "assignment_b", "assignment_conflict", "assignment_panel_a",
                     "assigned_work_b", "assigned_file_b", "conflict_work_a", "conflict_file_a"}


def add_review_round(objects, settings, tmp_path):
    """A blind photo round of the campaign (reviews: central review). The matrix's judge sits in 环翠区团委
    (area_a) here: work_a (环翠) is a conflict of interest and never assigned to them; work_b is
    (assignment_b). judge_panel (no unit) has both (assignment_panel_a is theirs). assignment_conflict is a
    stale assignment of work_a to the judge, made behind the services' back: still never shown. late_b, a work
    recommended after the assignment, is there for the assign row to assign. round_other_city is another
    city's round."""
    from wenminghao.accounts.models import User
    from wenminghao.reviews import services
    from wenminghao.reviews.models import Assignment, ReviewRound

    if "work_a" not in objects:
        add_works(objects, settings, tmp_path)
    city_admin = objects["city_admin"]
    User.objects.filter(pk=objects["judge"].pk).update(unit=objects["area_a"])
    objects["judge"].refresh_from_db()
    objects["judge_panel"] = factories.account(username="judge_panel", role=Role.JUDGE)
    Work.objects.filter(pk__in=[objects["work_a"].pk, objects["work_b"].pk]).update(status=WorkStatus.RECOMMENDED)
    round_ = services.create_round(actor=city_admin, campaign=objects["campaign"], category="photo",
                                   name="图片作品集中评议", is_blind=True)
    services.set_rubric(actor=city_admin, round_=round_, criteria=[
        {"name": name, "weight": weight, "max_score": maximum} for name, weight, maximum in services.DEFAULT_RUBRIC])
    services.set_judges(actor=city_admin, round_=round_, judges=[objects["judge"], objects["judge_panel"]])
    services.assign_works(actor=city_admin, round_=round_)
    objects["round"] = round_
    objects["assignment_b"] = Assignment.objects.get(round=round_, judge=objects["judge"], work=objects["work_b"])
    objects["assignment_panel_a"] = Assignment.objects.get(round=round_, judge=objects["judge_panel"],
                                                           work=objects["work_a"])
    objects["assignment_conflict"] = Assignment.objects.create(round=round_, judge=objects["judge"],
                                                               work=objects["work_a"])
    objects["assigned_work_b"], objects["assigned_file_b"] = objects["work_b"], objects["work_b_file1"]
    objects["conflict_work_a"], objects["conflict_file_a"] = objects["work_a"], objects["work_a_file1"]
    Work.objects.create(campaign=objects["campaign"], collective=objects["collective_b"], category="photo",
                        title="后推荐的作品", display_form="picture", contact_name="张三", contact_phone="13800000000",
                        status=WorkStatus.RECOMMENDED, created_by=objects["leader_b"])
    objects["round_other_city"] = ReviewRound.objects.create(
        campaign=objects["campaign_other_city"], category="photo", name="烟台评议", created_by=city_admin)


# --- reviews, bulk downloads (issue 4, items 3, 6, 7) ---------------------------------------------------------------

def add_package_works(objects, settings, tmp_path):
    """The works of add_works with work_a recommended (环翠, rank 1) and work_b forwarded to the province (文登),
    so the unit's zip, the office's zip, the province package and the export all have works and files."""
    if "work_a" not in objects:
        add_works(objects, settings, tmp_path)
    Work.objects.filter(pk=objects["work_a"].pk).update(status=WorkStatus.RECOMMENDED, unit_rank=1)
    Work.objects.filter(pk=objects["work_b"].pk).update(status=WorkStatus.FORWARDED, unit_rank=1)


def is_package_row(row) -> bool:
    from tests.permission_matrix_data import PACKAGE_ROUTES

    return row is not None and row.route in PACKAGE_ROUTES


# --- reviews, decisions on a work (the unit's recommend / return, the city's) -----------------------------------

DECISION_KEYS = {"work_b_submitted", "work_a_recommended", "work_b_recommended"}
DECISION_ROUTES = {"reviews:recommended_move"}


def add_decision_works(objects, settings, tmp_path):
    """Besides add_works' work_a_submitted (环翠): work_b_submitted (文登), and work_a_recommended /
    work_b_recommended, recommended by their units."""
    if "work_a" not in objects:
        add_works(objects, settings, tmp_path)
    for area, status in (("b", WorkStatus.SUBMITTED), ("a", WorkStatus.RECOMMENDED), ("b", WorkStatus.RECOMMENDED)):
        objects[f"work_{area}_{status}"] = Work.objects.create(
            campaign=objects["campaign"], collective=objects[f"collective_{area}"], category="photo",
            title=f"{status}作品", display_form="picture", contact_name="张三", contact_phone="13800000000",
            status=status, created_by=objects[f"leader_{area}"])


# --- core, export jobs -------------------------------------------------------------------------------------------


def add_export_job(objects, settings, tmp_path):
    """export_job: a finished export of the campaign asked by city_admin, its file in a fresh storage."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from wenminghao.core.models import ExportJob

    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path / "media")}}}
    stored = default_storage.save("exports/1/作品与评审情况.xlsx", ContentFile(b"PK\x03\x04"))
    objects["export_job"] = ExportJob.objects.create(
        kind="campaign_works", params={"campaign": objects["campaign"].pk}, title="导出",
        requested_by=objects["city_admin"], status=ExportJob.Status.DONE, file=stored, file_name="作品与评审情况.xlsx",
        size=4)


LEDGER_KEYS = {"entry_a", "entry_b", "attachment_a", "comment_a", "pairing_a", "pairing_b"}


def add_ledger(objects, settings, tmp_path):
    """entry_a: a study session of collective_a with a picture (attachment_a) and huancui's comment (comment_a);
    entry_b: an open-week entry of collective_b; pairing_a, pairing_b: a pairing of each, with consent; and the
    address parts "study", "docx" and "pdf"."""
    from types import SimpleNamespace

    from tests.ledger.conftest import entry_data
    from tests.works.media_fixtures import jpeg, upload
    from wenminghao.ledger import services as ledger

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.FILE_UPLOAD_TEMP_DIR = tmp_path / "upload-tmp"
    settings.FILE_UPLOAD_TEMP_DIR.mkdir(exist_ok=True)
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": settings.MEDIA_ROOT}}}
    for key in ("study", "docx", "pdf"):
        objects[key] = SimpleNamespace(pk=key)
    campaign = objects["campaign"]
    objects["entry_a"] = ledger.create_entry(actor=objects["leader_a"], collective=objects["collective_a"],
                                             campaign=campaign, data=entry_data("study", objects["collective_a"]))
    objects["entry_b"] = ledger.create_entry(actor=objects["leader_b"], collective=objects["collective_b"],
                                             campaign=campaign, data=entry_data("open_week", objects["collective_b"]))
    objects["attachment_a"] = ledger.add_attachment(actor=objects["leader_a"], entry=objects["entry_a"],
                                                    upload=upload("学习现场.jpg", jpeg(800, 600)))
    objects["comment_a"] = ledger.add_comment(actor=objects["unit_admin_a"], entry=objects["entry_a"],
                                              text="请补充签到表。")
    started = "2018-05-01"
    for area, ref in (("a", "3710020000000042"), ("b", "3710810000000077")):
        objects[f"pairing_{area}"] = ledger.create_pairing(
            actor=objects[f"leader_{area}"], collective=objects[f"collective_{area}"],
            data={"family_ref": ref, "area": "环翠楼街道", "youth_count": 2, "help_kinds": ["education"],
                  "started": started, "consent": True})




def add_notices(objects, settings, tmp_path):
    """notice_city: the city's notice to every collective (collective_a, collective_sub, collective_b); notice_a:
    环翠区's own (collective_a, collective_sub); notice_other_city: 烟台's to a collective of its own (nobody here
    sees it)."""
    from wenminghao.notices.services import publish_notice

    objects["notice_city"] = publish_notice(actor=objects["city_admin"], title="关于开展青年文明号创建工作的通知",
                                            body="各区市团委：……")
    objects["notice_a"] = publish_notice(actor=objects["unit_admin_a"], title="环翠区创建工作执行规范", body="一、……")
    factories.collective(unit=objects["other_city"], name="烟台市民服务中心窗口")
    yantai = factories.account(username="yantai", role=Role.CITY_ADMIN, unit=objects["other_city"])
    objects["notice_other_city"] = publish_notice(actor=yantai, title="烟台市的通知", body="正文")


@pytest.fixture
def world(tree, users, request, settings, tmp_path):
    """The conftest tree and accounts, a delegate of collective_a, a second admin of area_a, the city's
    campaigns with one filing per area collective, and another city with its own campaign; for the rows
    about works, the works of ``add_works`` too."""
    objects = {**tree, **users}
    objects["delegate_a"] = factories.account(
        username="delegate_a", role=Role.COLLECTIVE, collective=tree["collective_a"], is_delegate=True,
        display_name="孙成员",
    )
    objects["colleague_a"] = factories.account(username="colleague_a", role=Role.UNIT_ADMIN, unit=tree["area_a"])
    objects["other_city"] = factories.unit(name="烟台市团委", kind=UnitKind.CITY)
    objects["campaign"] = factories.campaign(office=tree["city"])
    objects["campaign_unfiled"] = factories.campaign(office=tree["city"])
    objects["campaign_other_city"] = factories.campaign(office=objects["other_city"])
    for area in ("a", "b"):
        objects[f"filing_{area}"] = file_creation(
            actor=users[f"leader_{area}"], collective=tree[f"collective_{area}"], campaign=objects["campaign"]
        )
    row = getattr(getattr(request.node, "callspec", None), "params", {}).get("row")
    if row is not None and ("works" in row.route or any(key.startswith(("work_", "essay_")) for key in row.obj)):
        add_works(objects, settings, tmp_path)
    if row is not None and row.route == "reviews:report_scan":
        add_unit_report(objects, settings, tmp_path)
    if row is not None and (row.route.startswith(("reviews:round", "reviews:judge"))
                            or REVIEW_ROUND_KEYS & set(row.obj)):
        add_review_round(objects, settings, tmp_path)
    if is_package_row(row):
        add_package_works(objects, settings, tmp_path)
    if row is not None and (row.route.startswith("ledger:") or "ledger" in row.route or "pairings" in row.route
                            or LEDGER_KEYS & set(row.obj)):
        add_ledger(objects, settings, tmp_path)
    if row is not None and row.route.startswith("/notices"):  # the pages' world: tests/notices/matrix.py
        add_notices(objects, settings, tmp_path)
    if row is not None and "export_job" in row.obj:
        add_export_job(objects, settings, tmp_path)
    if row is not None and row.route == "accounts:reset_two_factor":
        from django_otp.plugins.otp_totp.models import TOTPDevice

        TOTPDevice.objects.create(user=objects["unit_admin_a"], name="身份验证器", confirmed=True)
    if row is not None and (DECISION_KEYS & set(row.obj) or row.route in DECISION_ROUTES):
        add_decision_works(objects, settings, tmp_path)
    for part in (*evaluation_matrix.PARTS, *public_matrix.PARTS, notices_matrix, stories_matrix, projects_matrix):
        if row is not None and part.applies(row):
            part.add_world(objects, settings, tmp_path)
    return objects


def url_of(row, world) -> str:
    if row.is_api:
        path = row.route
        for key in row.obj:
            path = re.sub(r"\{[^}]+\}", str(world[key].pk), path, count=1)
        url = API_PREFIX + path
    else:
        url = reverse(row.route, args=[world[key].pk for key in row.obj])
    if row.query:
        url += "?" + urlencode({name: world[value].pk if value in world else value for name, value in row.query})
    return url


def send(client, row, world):
    url = url_of(row, world)
    user = None if row.role == "anonymous" else world[row.role]
    body = row.body.build(world, row.role) if row.body is not None else None
    if row.is_api:
        headers = {"Authorization": f"Bearer {issue_api_token(user=user)}"} if user is not None else {}
        if row.method == "GET":
            return client.get(url, headers=headers)
        if row.method == "POST" and any(isinstance(value, UploadedFile) for value in (body or {}).values()):
            return client.post(url, body, headers=headers)  # an upload: multipart
        return client.generic(
            row.method, url, json.dumps(body or {}), content_type="application/json", headers=headers
        )
    if user is not None:
        client.force_login(user, backend="wenminghao.accounts.backends.UsernameOrMobileBackend")
    if row.method == "GET":
        return client.get(url)
    return client.post(url, body or {})


@pytest.mark.parametrize("row", ROWS, ids=[row.label for row in ROWS])
def test_permission_matrix(row, world, client):
    audit_before = AuditEntry.objects.count()
    response = send(client, row, world)
    # Read file responses to the end: the test client then closes them itself. (response.close() would send
    # request_finished, which on PostgreSQL closes the test transaction's connection.)
    if response.streaming:
        b"".join(response.streaming_content)
    assert response.status_code == row.status, f"{row.label}, got {response.status_code}"
    if not row.is_api and not response.streaming and "html" in response.get("Content-Type", ""):
        faults = markup_faults(response.content.decode())  # what the Content-Security-Policy would refuse
        assert not faults, f"{row.label}:\n" + "\n".join(faults)
    if not row.is_api and row.role == "anonymous" and row.status == 302 and row.route != "accounts:login":
        assert response["Location"].startswith(LOGIN_URL), response["Location"]
    if row.method != "GET":
        written = AuditEntry.objects.count() - audit_before
        if isinstance(row.status, Done):
            assert written > 0, f"{row.label} answered {row.status} but changed nothing"
        else:
            assert written == 0, f"{row.label} should change nothing but wrote {written} audit entries"


# --- completeness: no page and no endpoint without rows for every role ---------------------------------

def page_names() -> set[str]:
    names = set()
    for app in PAGE_APPS:
        module = importlib.import_module(f"wenminghao.{app}.urls")
        for pattern in module.urlpatterns:
            assert isinstance(pattern, URLPattern) and pattern.name, f"{app}: every page needs a URL name"
            names.add(f"{module.app_name}:{pattern.name}")
    return names


def api_operations(client) -> set[tuple[str, str]]:
    paths = client.get(f"{API_PREFIX}/openapi.json").json()["paths"]
    return {
        (method.upper(), path.removeprefix(API_PREFIX))
        for path, operations in paths.items()
        for method in operations
    }


def roles_by_route(rows) -> dict:
    found: dict = {}
    for row in rows:
        key = row.route if not row.is_api else (row.method, row.route)
        found.setdefault(key, set()).add(row.role)
    return found


def test_every_page_has_a_row_for_every_role():
    covered = roles_by_route(PAGE_ROWS)
    missing = {name: sorted(set(ROLES) - covered.get(name, set())) for name in page_names()}
    assert {name: roles for name, roles in missing.items() if roles} == {}


def test_every_page_row_names_an_existing_page():
    assert {row.route for row in PAGE_ROWS} - page_names() == set()


def test_every_api_operation_has_a_row_for_every_role(client):
    covered = roles_by_route(API_ROWS)
    missing = {op: sorted(set(ROLES) - covered.get(op, set())) for op in api_operations(client)}
    assert {op: roles for op, roles in missing.items() if roles} == {}


def test_every_api_row_names_an_existing_operation(client):
    rows = {(row.method, row.route) for row in API_ROWS}
    assert rows - api_operations(client) - API_DOCUMENTS == set()


def test_every_state_changing_api_operation_succeeds_for_someone(client):
    succeeding = {(row.method, row.route) for row in API_ROWS if isinstance(row.status, Done)}
    changing = {op for op in api_operations(client) if op[0] != "GET" and op != ("POST", "/auth/token")}
    assert changing - succeeding == set()


def test_row_labels_are_unique():
    labels = [row.label for row in ROWS]
    assert len(labels) == len(set(labels))


def test_collective_account_cannot_move_its_collective_by_posting_a_unit(world, signed_in):
    """The matrix row "POST collectives:edit[collective_a] {unit=area_b} as leader_a" saves the other
    fields; the unit it sends is not a field of the leader's form."""
    row = ROWS_BY_ID["POST collectives:edit[collective_a] {unit=area_b} as leader_a -> 302"]
    response = signed_in(world["leader_a"]).post(url_of(row, world), row.body.build(world, "leader_a"))
    assert response.status_code == 302
    world["collective_a"].refresh_from_db()
    assert world["collective_a"].unit == world["area_a"]
