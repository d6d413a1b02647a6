"""The permission matrix's rows of the projects pages and API (issue 15), a part module like tests/notices/matrix.py:
joined in permission_matrix_data.py's tail; its world is added by test_permission_matrix.world (add_world)."""
#
# Objects (add_world): project_ab — created by 环翠区's admin, collective_a (环翠区) leading, collective_b (文登区) and
# collective_sub (环翠区's 街道) its partners, with a progress entry by leader_b carrying a JPEG (photo_ab);
# collective_extra — a 文登区 collective that takes part in nothing; project_other — a project of two collectives of
# another city (烟台) with its own photo (photo_other).
#
# ROLES = anonymous, city_admin, unit_admin_a, unit_admin_b, leader_a, delegate_a, leader_b, judge

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.permission_matrix_data import NOBODY, Body, Done, line

SEE = (302, 200, 200, 200, 200, 200, 200, 404)  # every partner's accounts and units (and the city); judges see none
MANAGE_GET = (302, 200, 200, 403, 200, 403, 403, 404)  # the lead's leader and the managing unit (环翠区) and above
MANAGE = (302, Done(302), Done(302), 403, Done(302), 403, 403, 404)
CREATE_GET = (302, 200, 200, 200, 200, 403, 200, 404)  # admins and collectives' leaders, not a delegate
PARTNER_WRITE = (302, Done(302), Done(302), 403, Done(302), Done(302), Done(302), 404)  # partners' accounts, managers


def _project(world, role):
    theirs = role in ("unit_admin_b", "leader_b")
    lead = world["collective_b"] if theirs else world["collective_a"]
    partner = world["collective_a"] if theirs else world["collective_b"]
    return {"title": "两区政务服务窗口区域联创", "kind": "regional", "lead": lead.pk, "partners": [partner.pk],
            "goals": "统一两区窗口服务标准。", "started": timezone.localdate().isoformat()}


def _api_project(world, role):
    fields = _project(world, role)
    fields.pop("kind")
    return fields


def _visit(world, role):
    return {"date": timezone.localdate().isoformat(), "host": world["collective_a"].pk,
            "visitors": [world["collective_b"].pk], "topic": "“一窗受理”经验交流"}


def _photo_progress(world, role):
    from tests.works.media_fixtures import jpeg

    return {"date": timezone.localdate().isoformat(), "text": "联合开展周末延时服务。",
            "photos": SimpleUploadedFile("现场.jpg", jpeg(320, 240))}


PROJECT = Body("project", _project)
API_PROJECT = Body("project", _api_project)
NO_TITLE = Body("no title", lambda world, role: {**_project(world, role), "title": ""})
API_NO_TITLE = Body("no title", lambda world, role: {**_api_project(world, role), "title": ""})
EDIT = Body("edit", lambda world, role: {"title": "两区窗口联创（二期）", "kind": "project", "goals": "新的目标",
                                         "started": timezone.localdate().isoformat()})
EXTRA = Body("collective_extra", lambda world, role: {"collective": world["collective_extra"].pk})
PROGRESS = Body("progress", lambda world, role: {"date": timezone.localdate().isoformat(),
                                                 "text": "两区窗口互派骨干。"})
PHOTO_PROGRESS = Body("progress with a JPEG", _photo_progress)
VISIT = Body("visit", _visit)
RESULTS = Body("results", lambda world, role: {"results": "形成两区通用服务规范1套。",
                                               "ended": timezone.localdate().isoformat()})
EMPTY = Body("empty", lambda world, role: {})

PAGE_ROWS = [
    *line("GET", "projects:list", None, SEE),
    *line("GET", "projects:list", None, SEE, query={"kind": "regional", "scope": "mine", "state": "ongoing"}),
    *line("GET", "projects:create", None, CREATE_GET),
    *line("POST", "projects:create", None, (302, Done(302), Done(302), Done(302), Done(302), 403, Done(302), 404),
          body=PROJECT),
    *line("POST", "projects:create", None, (302, 422, 422, 422, 422, 403, 422, 404), body=NO_TITLE),
    # the pickers' options (an htmx fragment): for whoever creates projects; never another city's collective
    *line("GET", "projects:collective_options", None, CREATE_GET, query={"field": "partners", "q": "窗口"}),
    *line("GET", "projects:collective_options", None, CREATE_GET, query={"field": "lead", "purpose": "lead"}),
    *line("GET", "projects:collective_options", None, (302, 404, 404, 404, 404, 403, 404, 404),
          query={"field": "unknown"}),
    *line("GET", "projects:detail", "project_ab", SEE),
    *line("GET", "projects:detail", "project_other", NOBODY),
    *line("GET", "projects:edit", "project_ab", MANAGE_GET),
    *line("POST", "projects:edit", "project_ab", MANAGE, body=EDIT),
    *line("GET", "projects:edit", "project_other", NOBODY),
    *line("POST", "projects:partner_add", "project_ab", MANAGE, body=EXTRA),
    *line("POST", "projects:partner_remove", ("project_ab", "collective_sub"), MANAGE, body=EMPTY),
    # the lead stays: refused, nothing changed
    *line("POST", "projects:partner_remove", ("project_ab", "collective_a"),
          (302, 422, 422, 403, 422, 403, 403, 404), body=EMPTY),
    *line("POST", "projects:progress", "project_ab", PARTNER_WRITE, body=PROGRESS),
    *line("POST", "projects:progress", "project_ab", PARTNER_WRITE, body=PHOTO_PROGRESS),
    *line("POST", "projects:progress", "project_other", NOBODY, body=PROGRESS),
    *line("POST", "projects:visit", "project_ab", PARTNER_WRITE, body=VISIT),
    *line("POST", "projects:finish", "project_ab", MANAGE, body=RESULTS),
    *line("POST", "projects:finish", "project_other", NOBODY, body=RESULTS),
    # photos: a project's to whoever sees it; never another project's through this one
    *line("GET", "projects:photo", ("project_ab", "photo_ab"), SEE),
    *line("GET", "projects:photo", ("project_ab", "photo_other"), NOBODY),
]

API_ROWS = [
    *line("GET", "/projects", None, (401, 200, 200, 200, 200, 200, 200, 200)),
    *line("POST", "/projects", None, (401, Done(201), Done(201), Done(201), Done(201), 403, Done(201), 403),
          body=API_PROJECT),
    *line("POST", "/projects", None, (401, 422, 422, 422, 422, 403, 422, 403), body=API_NO_TITLE),
]


def applies(row) -> bool:
    return row.route.startswith(("projects:", "/projects"))


def add_world(objects, settings, tmp_path) -> None:
    from tests import factories
    from tests.works.media_fixtures import jpeg, upload
    from wenminghao.core.roles import Role
    from wenminghao.projects.services import add_progress, create_project

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.FILE_UPLOAD_TEMP_DIR = tmp_path / "upload-tmp"
    settings.FILE_UPLOAD_TEMP_DIR.mkdir(exist_ok=True)
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": settings.MEDIA_ROOT}}}
    started = timezone.localdate() - datetime.timedelta(days=30)
    objects["collective_extra"] = factories.collective(unit=objects["area_b"], name="文登区便民服务中心窗口")
    objects["project_ab"] = create_project(
        actor=objects["unit_admin_a"], title="环翠文登窗口联创", lead=objects["collective_a"],
        partners=[objects["collective_b"], objects["collective_sub"]], goals="统一服务标准。", started=started)
    entry = add_progress(actor=objects["leader_b"], project=objects["project_ab"], text="文登区窗口到环翠区跟岗。",
                         photos=[upload("跟岗.jpg", jpeg(320, 240))])
    objects["photo_ab"] = entry.photos.get()
    yantai = factories.account(username="yantai_projects", role=Role.CITY_ADMIN, unit=objects["other_city"])
    first = factories.collective(unit=objects["other_city"], name="烟台市民服务中心窗口")
    second = factories.collective(unit=objects["other_city"], name="烟台市供电服务窗口")
    objects["project_other"] = create_project(actor=yantai, title="烟台的联创", lead=first, partners=[second],
                                              goals="目标", started=started)
    other_entry = add_progress(actor=yantai, project=objects["project_other"], text="烟台的进展",
                               photos=[upload("烟台.jpg", jpeg(320, 240))])
    objects["photo_other"] = other_entry.photos.get()
