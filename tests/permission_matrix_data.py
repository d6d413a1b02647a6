"""The permission matrix: every role against every page and API endpoint, on objects of its own
scope and of another unit, another collective and another city. Run by tests/test_permission_matrix.py.

Each line names one request (method, route, the object in its address or body) and the status every
role must get, in the column order of ``ROLES``. The objects are the ``world`` of the test module:

    威海市团委 city ── campaign (filing_a, filing_b), campaign_unfiled
    ├── 环翠区团委 area_a ── collective_a (leader_a, delegate_a) · unit_admin_a, colleague_a
    │   └── 环翠楼街道团委 sub_a ── collective_sub
    └── 文登区团委 area_b ── collective_b (leader_b) · unit_admin_b
    烟台市团委 other_city ── campaign_other_city (another city: nobody here sees it)

Statuses: 302 on a page for the anonymous caller is the redirect to the sign-in page, 401 on the
API; 404 is an object (or a whole section) the role may not see; 403 an action on something the role
sees but may not do. ``Done(n)`` marks a state-changing request that succeeds: status n and an audit
entry written. A plain status on a POST means nothing changed (no audit entry).
"""

import io
from dataclasses import dataclass, field

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from tests.factories import PASSWORD
from wenminghao.collectives.importer import COLLECTIVE_COLUMNS, COLLECTIVE_SHEET, MEMBER_COLUMNS, MEMBER_SHEET

ROLES = ("anonymous", "city_admin", "unit_admin_a", "unit_admin_b", "leader_a", "delegate_a", "leader_b", "judge")
API_PREFIX = "/api/v1"
NEW_PASSWORD = "Qingnian#2018wh"


class Done(int):
    """A state-changing request that succeeds with this status and writes an audit entry."""


@dataclass(frozen=True)
class Body:
    """What a request sends: ``build(world, role)`` gives the form fields (pages) or JSON (API)."""

    label: str
    build: object


@dataclass(frozen=True)
class Row:
    method: str
    route: str  # a URL name ("collectives:detail") or an API path as in the OpenAPI document
    role: str
    status: int
    obj: tuple[str, ...] = ()  # world keys of the address's arguments
    query: tuple[tuple[str, str], ...] = ()  # (parameter, world key or literal value)
    body: Body | None = field(default=None, compare=False)

    @property
    def is_api(self) -> bool:
        return self.route.startswith("/")

    @property
    def label(self) -> str:
        target = self.route if not self.is_api else f"{API_PREFIX}{self.route}"
        if self.obj:
            target += f"[{', '.join(self.obj)}]"
        if self.query:
            target += "?" + "&".join(f"{name}={value}" for name, value in self.query)
        if self.body is not None:
            target += f" {{{self.body.label}}}"
        return f"{self.method} {target} as {self.role} -> {int(self.status)}"


def line(method: str, route: str, obj, statuses: tuple, *, query: dict | None = None, body: Body | None = None):
    """One request against every role: ``statuses`` in the order of ``ROLES``."""
    assert len(statuses) == len(ROLES), f"{method} {route}: {len(statuses)} statuses for {len(ROLES)} roles"
    keys = () if obj is None else (obj,) if isinstance(obj, str) else tuple(obj)
    params = tuple((query or {}).items())
    return [Row(method, route, role, status, keys, params, body) for role, status in zip(ROLES, statuses, strict=True)]


# --- bodies -------------------------------------------------------------------------------------------

def _sign_in(world, role):
    return {"login": "leader_a", "password": PASSWORD}


def _own_password(world, role):
    return {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}


def _new_password(world, role):
    return {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}


def _leader_account_of(key):
    def build(world, role):
        return {
            "role": "collective", "collective": world[key].pk, "username": "new_leader", "display_name": "新号长",
            "password1": NEW_PASSWORD, "password2": NEW_PASSWORD,
        }

    return Body(f"new leader account of {key}", build)


def _unit_admin_account_of(key):
    def build(world, role):
        return {
            "role": "unit_admin", "unit": world[key].pk, "username": "new_unit_admin", "display_name": "新管理员",
            "password1": NEW_PASSWORD, "password2": NEW_PASSWORD,
        }

    return Body(f"new unit admin account of {key}", build)


def _unit_under(key):
    def build(world, role):
        return {"parent": world[key].pk, "name": "新设街道团委", "kind": "area", "sort_order": 0}

    return Body(f"new unit under {key}", build)


def _unit_fields(world, role):
    return {"name": "更名后的团委", "short_name": "", "sort_order": 0, "contact_name": "", "contact_phone": "",
            "email": ""}


def _collective_form(unit_key=None):
    """The collective form with the unit ``unit_key``; without it an admin keeps collective_a's unit.
    A collective's own account has no unit field: a unit it sends is ignored."""

    def build(world, role):
        data = {
            "name": "环翠区税务局办税服务厅", "host_org": "国家税务总局威海市环翠区税务局", "sector": "service",
            "org_type": "public_institution", "unit_form": "window", "contact_name": "王联系",
            "contact_phone": "0631-5225125", "public_commitment": "", "supervision_phone": "",
            "members-TOTAL_FORMS": "0", "members-INITIAL_FORMS": "0",
            "honours-TOTAL_FORMS": "0", "honours-INITIAL_FORMS": "0",
        }
        if unit_key:
            data["unit"] = world[unit_key].pk
        elif role in ("city_admin", "unit_admin_a", "unit_admin_b"):
            data["unit"] = world["collective_a"].unit_id
        return data

    return Body(f"unit={unit_key}" if unit_key else "fields", build)


def _delegate(world, role):
    return {"username": "new_delegate", "display_name": "李成员", "mobile": "", "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD}


def _workbook(unit_name: str = ""):
    """An .xlsx of one collective with one member; a blank 归口单位 is the uploader's own unit."""

    def build(world, role):
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = COLLECTIVE_SHEET
        sheet.append([column.header for column in COLLECTIVE_COLUMNS])
        sheet.append(["导入的窗口", "导入的单位", unit_name, "服务行业和窗口单位", "国有企业", "窗口", "周联系",
                      "13812345678", "", "", ""])
        members = workbook.create_sheet(MEMBER_SHEET)
        members.append([column.header for column in MEMBER_COLUMNS])
        members.append(["导入的窗口", "吴号长", "1985-03-01", "班长", "是"])
        stream = io.BytesIO()
        workbook.save(stream)
        return {"file": SimpleUploadedFile("集体名单.xlsx", stream.getvalue())}

    return Body(f"xlsx unit={unit_name or 'own'}", build)


def _campaign_form(world, role):
    return {
        "name": "2019年度威海市青年文明号创建", "level": "city", "year": "2019",
        "filing_deadline": "2030-07-31T17:30", "deadline": "2030-08-20T00:00", "reference_date": "2019-08-20",
        "min_members": "6", "max_members": "200", "youth_max_age": "35", "min_youth_share": "50",
        "leader_max_age": "40", "require_stable_unit": "on", "target_former_share": "30",
        "target_non_public_share": "15", "target_social_share": "5", "contact_info": "",
    }


def _file_for(key):
    return Body(f"collective={key}", lambda world, role: {"collective": world[key].pk})


ACCEPT = Body("accept", lambda world, role: {"decision": "accept"})
DEACTIVATE = Body("active=0", lambda world, role: {"active": "0"})
SIGN_IN = Body("leader_a's password", _sign_in)
OWN_PASSWORD = Body("own password", _own_password)
NEW_PASSWORD_BODY = Body("new password", _new_password)
UNIT_FIELDS = Body("fields", _unit_fields)
DELEGATE = Body("new delegate", _delegate)
CAMPAIGN = Body("fields", _campaign_form)
EMPTY = Body("empty", lambda world, role: {})
MALFORMED_CODE = Body("code abc", lambda world, role: {"code": "abc"})


def _token(world, role):
    username = "leader_a" if role == "anonymous" else world[role].username
    return {"username": username, "password": PASSWORD}


def _api_collective(unit_key):
    def build(world, role):
        return {
            "name": "接口新建的窗口", "host_org": "某所在单位", "unit": world[unit_key].pk, "sector": "service",
            "org_type": "state_enterprise", "contact_name": "赵联系", "contact_phone": "13800000001",
            "members": [{"name": "钱号长", "birth_date": "1986-05-01", "is_leader": True}],
            "honours": [{"level": "district", "year": 2016, "title": "区级青年文明号"}],
        }

    return Body(f"unit={unit_key}", build)


def _api_application(collective_key, campaign_key):
    def build(world, role):
        return {"collective": world[collective_key].pk, "campaign": world[campaign_key].pk}

    return Body(f"{collective_key}, {campaign_key}", build)


def _api_work(collective_key, campaign_key):
    def build(world, role):
        return {
            "collective": world[collective_key].pk, "campaign": world[campaign_key].pk, "category": "photo",
            "title": "接口新建的作品", "display_form": "picture", "description": "窗口四十年。",
            "contact_name": "王联系", "contact_phone": "13900000000",
        }

    return Body(f"work of {collective_key}, {campaign_key}", build)


def _api_picture(world, role):
    from tests.works.media_fixtures import jpeg

    return {"file": SimpleUploadedFile("照片.jpg", jpeg(seed=9))}


API_PICTURE = Body("1600×1200 jpeg", _api_picture)
API_WORK_TITLE = Body("title", lambda world, role: {"title": "改名后的作品"})
API_ESSAY = Body("essay text", lambda world, role: {"text": "岗位建功，服务群众。"})


def _work_for(collective_key):
    """The new-work form for ``collective_key`` (an admin's choice; a collective account creates for itself
    whatever it sends)."""

    def build(world, role):
        return {
            "campaign": world["campaign"].pk, "collective": world[collective_key].pk, "category": "photo",
            "display_form": "picture", "title": "新建的图片作品", "description": "从手写票据到掌上办理。",
            "contact_name": "王联系", "contact_phone": "13900000000", "essay_kind": "", "url": "",
        }

    return Body(f"new work of {collective_key}", build)


def _work_fields(world, role):
    return {"display_form": "comic", "title": "改名后的作品", "description": "", "contact_name": "王联系",
            "contact_phone": "13900000000", "essay_kind": "", "url": ""}


def _picture(world, role):
    from tests.works.media_fixtures import jpeg

    return {"file": SimpleUploadedFile("新照片.jpg", jpeg(seed=21), content_type="image/jpeg")}


def _reversed_files(key):
    def build(world, role):
        return {"order": f"{world[f'{key}_file2'].pk},{world[f'{key}_file1'].pk}"}

    return Body(f"{key}'s pictures reversed", build)


def _extension_for(unit_key):
    def build(world, role):
        return {"target": "unit", "unit": world[unit_key].pk, "until": "2035-10-08T17:00", "reason": "汛期抢险"}

    return Body(f"unit={unit_key}", build)


TOKEN = Body("own password", _token)
RETURN = Body("comment", lambda world, role: {"comment": "请补充成员的出生日期。"})


# --- the table ----------------------------------------------------------------------------------------
# Column order: anonymous, city_admin, unit_admin_a, unit_admin_b, leader_a, delegate_a, leader_b, judge.
# Admin-only sections (units, accounts, audit, the collectives list) do not exist for collective
# accounts and judges: 404, like an object they may not see.

ADMIN_SECTION = (302, 200, 200, 200, 404, 404, 404, 404)
EVERYONE = (302, 200, 200, 200, 200, 200, 200, 200)
NOBODY = (302, 404, 404, 404, 404, 404, 404, 404)
WORK_A_VISIBLE = (302, 200, 200, 404, 200, 200, 404, 404)
WORK_B_VISIBLE = (302, 200, 404, 200, 404, 404, 200, 404)
WORK_A_CHANGE = (302, Done(302), Done(302), 404, Done(302), Done(302), 404, 404)
WORK_A_SUBMITTED = (302, 403, 403, 404, 403, 403, 404, 404)
WORK_FIELDS = Body("fields", _work_fields)
PICTURE = Body("1600×1200 JPEG", _picture)
MOVE_UP = Body("up", lambda world, role: {"direction": "up"})
CAPTION = Body("caption", lambda world, role: {"caption": "1988年的办税大厅"})
ESSAY_TEXT = Body("text", lambda world, role: {"text": "青年文明号创建实践：从窗口到品牌。"})

# reviews: the unit's stamped Attachment 2 scan (a minimal PDF, judged by content)
STAMPED_SCAN = Body("盖章汇总表.pdf", lambda world, role: {
    "file": SimpleUploadedFile("盖章汇总表.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")})


# reviews: central review rounds (a blind photo round of the campaign: see add_review_round in the test module)
ROUND_FORM = Body("new round", lambda world, role: {"category": "photo", "name": "图片作品复评", "is_blind": "on",
                                                    "trim_count": 1})
RUBRIC = Body("rubric", lambda world, role: {
    "form-TOTAL_FORMS": 2, "form-INITIAL_FORMS": 0, "form-0-name": "主题契合", "form-0-weight": "0.5",
    "form-0-max_score": "10", "form-1-name": "表现力", "form-1-weight": "0.5", "form-1-max_score": "10"})
JUDGES = Body("judges", lambda world, role: {"judges": [world["judge"].pk, world["judge_panel"].pk]})
SHOWCASE = Body("showcase", lambda world, role: {"to_status": "showcased"})


def _scores(world, role):
    return {f"criterion_{c.pk}": "8" for c in world["round"].criteria.all()} | {"comment": "主题鲜明"}


SCORES = Body("scores", _scores)
ROUND_OFFICE = (302, 200, 403, 403, 403, 403, 403, 403)
ROUND_OFFICE_DONE = (302, Done(302), 403, 403, 403, 403, 403, 403)
JUDGE_ONLY = (302, 404, 404, 404, 404, 404, 404, 200)

API_DECISION_COMMENT = Body("comment", lambda world, role: {"comment": "第3张照片模糊，请更换后重新提交。"})

PAGE_ROWS = [
    # core
    *line("GET", "workbench:home", None, EVERYONE),
    *line("GET", "core:audit", None, ADMIN_SECTION),
    # accounts: signing in and out, one's own password
    *line("GET", "accounts:login", None, (200, 302, 302, 302, 302, 302, 302, 302)),
    *line("POST", "accounts:login", None, (302, 302, 302, 302, 302, 302, 302, 302), body=SIGN_IN),
    *line("POST", "accounts:logout", None, (302, 302, 302, 302, 302, 302, 302, 302), body=EMPTY),
    *line("GET", "accounts:password_change", None, EVERYONE),
    *line("POST", "accounts:password_change", None,
          (302, Done(302), Done(302), Done(302), Done(302), Done(302), Done(302), Done(302)), body=OWN_PASSWORD),
    # accounts: managed by the admins above
    *line("GET", "accounts:list", None, ADMIN_SECTION),
    *line("GET", "accounts:create", None, ADMIN_SECTION),
    *line("POST", "accounts:create", None, (302, Done(302), Done(302), 200, 404, 404, 404, 404),
          body=_leader_account_of("collective_a")),
    *line("POST", "accounts:create", None, (302, Done(302), 200, Done(302), 404, 404, 404, 404),
          body=_leader_account_of("collective_b")),
    # a unit admin creates admins for the units below its own, not for its own unit
    *line("POST", "accounts:create", None, (302, Done(302), Done(302), 200, 404, 404, 404, 404),
          body=_unit_admin_account_of("sub_a")),
    *line("POST", "accounts:create", None, (302, Done(302), 200, 200, 404, 404, 404, 404),
          body=_unit_admin_account_of("area_a")),
    *line("GET", "accounts:reset_password", "leader_a", (302, 200, 200, 404, 404, 404, 404, 404)),
    *line("GET", "accounts:reset_password", "leader_b", (302, 200, 404, 200, 404, 404, 404, 404)),
    *line("GET", "accounts:reset_password", "unit_admin_a", (302, 200, 403, 404, 404, 404, 404, 404)),
    *line("GET", "accounts:reset_password", "city_admin", (302, 403, 404, 404, 404, 404, 404, 404)),
    # another admin of the unit is managed by the unit above, not by its colleague
    *line("GET", "accounts:reset_password", "colleague_a", (302, 200, 403, 404, 404, 404, 404, 404)),
    *line("GET", "accounts:reset_password", "judge", (302, 200, 404, 404, 404, 404, 404, 404)),
    *line("POST", "accounts:reset_password", "leader_a", (302, Done(302), Done(302), 404, 404, 404, 404, 404),
          body=NEW_PASSWORD_BODY),
    *line("POST", "accounts:reset_password", "unit_admin_a", (302, Done(302), 403, 404, 404, 404, 404, 404),
          body=NEW_PASSWORD_BODY),
    *line("POST", "accounts:set_active", "delegate_a", (302, Done(302), Done(302), 404, 404, 404, 404, 404),
          body=DEACTIVATE),
    *line("POST", "accounts:set_active", "leader_b", (302, Done(302), 404, Done(302), 404, 404, 404, 404),
          body=DEACTIVATE),
    *line("POST", "accounts:set_active", "unit_admin_a", (302, Done(302), 403, 404, 404, 404, 404, 404),
          body=DEACTIVATE),
    *line("GET", "accounts:set_active", "delegate_a", (405, 405, 405, 405, 405, 405, 405, 405)),
    # accounts: the second factor of admins (accounts/twofactor.py). Nobody has a pending sign-in here, so the code
    # step sends everyone away (to the sign-in page, or home); a malformed code changes nothing. unit_admin_a has an
    # authenticator in the rows of reset_two_factor (test_permission_matrix.world): only an office admin above
    # removes it.
    *line("GET", "accounts:login_code", None, (302, 302, 302, 302, 302, 302, 302, 302)),
    *line("POST", "accounts:login_code", None, (302, 302, 302, 302, 302, 302, 302, 302), body=MALFORMED_CODE),
    *line("GET", "accounts:two_factor", None, ADMIN_SECTION),
    *line("POST", "accounts:two_factor", None, (302, 200, 200, 200, 404, 404, 404, 404), body=MALFORMED_CODE),
    *line("POST", "accounts:two_factor_disable", None, (302, 302, 302, 302, 404, 404, 404, 404), body=MALFORMED_CODE),
    *line("GET", "accounts:two_factor_disable", None, (302, 405, 405, 405, 405, 405, 405, 405)),
    *line("POST", "accounts:reset_two_factor", "unit_admin_a", (302, Done(302), 403, 404, 404, 404, 404, 404),
          body=EMPTY),
    *line("POST", "accounts:reset_two_factor", "leader_a", (302, 302, 403, 404, 404, 404, 404, 404), body=EMPTY),
    *line("GET", "accounts:reset_two_factor", "unit_admin_a", (405, 405, 405, 405, 405, 405, 405, 405)),
    # orgs: the unit tree; a unit admin edits the units below its own, not its own
    *line("GET", "orgs:tree", None, ADMIN_SECTION),
    *line("GET", "orgs:create", None, ADMIN_SECTION),
    *line("GET", "orgs:create", None, (302, 200, 200, 404, 404, 404, 404, 404), query={"parent": "area_a"}),
    *line("GET", "orgs:create", None, (302, 200, 404, 200, 404, 404, 404, 404), query={"parent": "area_b"}),
    *line("POST", "orgs:create", None, (302, Done(302), Done(302), 404, 404, 404, 404, 404),
          body=_unit_under("sub_a")),
    *line("POST", "orgs:create", None, (302, Done(302), 404, Done(302), 404, 404, 404, 404),
          body=_unit_under("area_b")),
    *line("GET", "orgs:detail", "city", (302, 200, 404, 404, 404, 404, 404, 404)),
    *line("GET", "orgs:detail", "area_a", (302, 200, 200, 404, 404, 404, 404, 404)),
    *line("GET", "orgs:detail", "sub_a", (302, 200, 200, 404, 404, 404, 404, 404)),
    *line("GET", "orgs:detail", "area_b", (302, 200, 404, 200, 404, 404, 404, 404)),
    *line("GET", "orgs:edit", "city", (302, 200, 404, 404, 404, 404, 404, 404)),
    *line("GET", "orgs:edit", "area_a", (302, 200, 403, 404, 404, 404, 404, 404)),
    *line("GET", "orgs:edit", "sub_a", (302, 200, 200, 404, 404, 404, 404, 404)),
    *line("GET", "orgs:edit", "area_b", (302, 200, 404, 403, 404, 404, 404, 404)),
    *line("POST", "orgs:edit", "area_a", (302, Done(302), 403, 404, 404, 404, 404, 404), body=UNIT_FIELDS),
    *line("POST", "orgs:edit", "sub_a", (302, Done(302), Done(302), 404, 404, 404, 404, 404), body=UNIT_FIELDS),
    *line("POST", "orgs:edit", "area_b", (302, Done(302), 404, 403, 404, 404, 404, 404), body=UNIT_FIELDS),
    # collectives: a collective account's list is its own page; creating and importing are for admins
    *line("GET", "collectives:list", None, (302, 200, 200, 200, 302, 302, 302, 404)),
    *line("GET", "collectives:export", None, ADMIN_SECTION),
    *line("GET", "collectives:create", None, (302, 200, 200, 200, 403, 403, 403, 403)),
    *line("POST", "collectives:create", None, (302, Done(302), Done(302), 200, 403, 403, 403, 403),
          body=_collective_form("sub_a")),
    *line("POST", "collectives:create", None, (302, Done(302), 200, Done(302), 403, 403, 403, 403),
          body=_collective_form("area_b")),
    *line("GET", "collectives:import", None, (302, 200, 200, 200, 403, 403, 403, 403)),
    *line("GET", "collectives:import_template", None, (302, 200, 200, 200, 403, 403, 403, 403)),
    *line("POST", "collectives:import", None, (302, Done(200), Done(200), Done(200), 403, 403, 403, 403),
          body=_workbook()),
    # unit_admin_b (文登) names a unit outside its tree: the workbook is refused, row by row (422, nothing imported)
    *line("POST", "collectives:import", None, (302, Done(200), Done(200), 422, 403, 403, 403, 403),
          body=_workbook("环翠楼街道团委")),
    *line("GET", "collectives:detail", "collective_a", (302, 200, 200, 404, 200, 200, 404, 404)),
    *line("GET", "collectives:detail", "collective_sub", (302, 200, 200, 404, 404, 404, 404, 404)),
    *line("GET", "collectives:detail", "collective_b", (302, 200, 404, 200, 404, 404, 200, 404)),
    *line("GET", "collectives:edit", "collective_a", (302, 200, 200, 404, 200, 200, 404, 404)),
    *line("GET", "collectives:edit", "collective_b", (302, 200, 404, 200, 404, 404, 200, 404)),
    *line("POST", "collectives:edit", "collective_a",
          (302, Done(302), Done(302), 404, Done(302), Done(302), 404, 404), body=_collective_form()),
    # moving a collective to another area: the unit admin cannot choose a unit outside its subtree
    *line("POST", "collectives:edit", "collective_a",
          (302, Done(302), 200, 404, Done(302), Done(302), 404, 404), body=_collective_form("area_b")),
    *line("POST", "accounts:delegate_create", "collective_a",
          (302, Done(302), Done(302), 404, Done(302), 403, 404, 404), body=DELEGATE),
    *line("POST", "accounts:delegate_create", "collective_b",
          (302, Done(302), 404, Done(302), 404, 404, Done(302), 404), body=DELEGATE),
    *line("GET", "accounts:delegate_create", "collective_a", (302, 405, 405, 405, 405, 405, 405, 405)),
    *line("POST", "accounts:delegate_set_active", ("collective_a", "delegate_a"),
          (302, Done(302), Done(302), 404, Done(302), 403, 404, 404), body=DEACTIVATE),
    # the leader's own account is not a delegate's
    *line("POST", "accounts:delegate_set_active", ("collective_a", "leader_a"),
          (302, 404, 404, 404, 404, 403, 404, 404), body=DEACTIVATE),
    # another collective's delegate through one's own collective's address
    *line("POST", "accounts:delegate_set_active", ("collective_b", "delegate_a"),
          (302, 404, 404, 404, 404, 404, 404, 404), body=DEACTIVATE),
    # campaigns: run by the city office; units and collectives file, the unit reviews
    *line("GET", "campaigns:list", None, EVERYONE),
    *line("GET", "campaigns:create", None, (302, 200, 403, 403, 403, 403, 403, 403)),
    *line("POST", "campaigns:create", None, (302, Done(302), 403, 403, 403, 403, 403, 403), body=CAMPAIGN),
    *line("GET", "campaigns:detail", "campaign", EVERYONE),
    *line("GET", "campaigns:detail", "campaign_other_city", NOBODY),
    *line("GET", "campaigns:edit", "campaign", (302, 200, 403, 403, 403, 403, 403, 403)),
    *line("GET", "campaigns:edit", "campaign_other_city", NOBODY),
    *line("POST", "campaigns:edit", "campaign", (302, Done(302), 403, 403, 403, 403, 403, 403), body=CAMPAIGN),
    *line("POST", "campaigns:edit", "campaign_other_city", NOBODY, body=CAMPAIGN),
    *line("GET", "campaigns:file", "campaign", (302, 200, 200, 200, 200, 200, 200, 403)),
    *line("GET", "campaigns:file", "campaign", (302, 200, 200, 404, 200, 200, 200, 403),
          query={"collective": "collective_a"}),
    *line("GET", "campaigns:file", "campaign_other_city", NOBODY),
    *line("POST", "campaigns:file", "campaign_unfiled",
          (302, Done(302), Done(302), 404, Done(302), Done(302), 404, 403), body=_file_for("collective_a")),
    *line("POST", "campaigns:file", "campaign_unfiled",
          (302, Done(302), 404, Done(302), 404, 404, Done(302), 403), body=_file_for("collective_b")),
    *line("POST", "campaigns:file", "campaign_other_city", NOBODY, body=_file_for("collective_a")),
    *line("GET", "campaigns:file_preview", "campaign", (302, 200, 200, 404, 200, 200, 404, 403),
          query={"collective": "collective_a"}),
    *line("GET", "campaigns:file_preview", "campaign", (302, 200, 404, 200, 404, 404, 200, 403),
          query={"collective": "collective_b"}),
    *line("GET", "campaigns:file_preview", "campaign_other_city", NOBODY, query={"collective": "collective_a"}),
    # A judge has no filings to see: the list is empty, as GET /api/v1/applications is.
    *line("GET", "campaigns:filings", None, EVERYONE),
    *line("POST", "campaigns:decide", "filing_a", (302, Done(302), Done(302), 404, 403, 403, 404, 404), body=ACCEPT),
    *line("POST", "campaigns:decide", "filing_b", (302, Done(302), 404, Done(302), 404, 404, 403, 404), body=ACCEPT),
    *line("GET", "campaigns:structure", "campaign", (302, 200, 200, 200, 403, 403, 403, 403)),
    *line("GET", "campaigns:structure", "campaign", (302, 200, 200, 404, 404, 404, 404, 404), query={"unit": "sub_a"}),
    *line("GET", "campaigns:structure", "campaign", (302, 200, 404, 200, 404, 404, 403, 404),
          query={"unit": "area_b"}),
    *line("GET", "campaigns:structure", "campaign_other_city", NOBODY),
    # works: the collective's own accounts and the admins above it; a submitted work no longer changes
    *line("GET", "works:list", None, EVERYONE),
    *line("GET", "works:list", None, WORK_A_VISIBLE, query={"collective": "collective_a"}),
    *line("GET", "works:create", None, (302, 200, 200, 200, 200, 200, 200, 403)),
    # a collective account creates for its own collective, whatever it sends (leader_b: collective_b's work)
    # unit_admin_b may not choose collective_a: the form is shown again with the error (422, nothing created)
    *line("POST", "works:create", None, (302, Done(302), Done(302), 422, Done(302), Done(302), Done(302), 403),
          body=_work_for("collective_a")),
    *line("GET", "works:detail", "work_a", WORK_A_VISIBLE),
    *line("GET", "works:detail", "work_b", WORK_B_VISIBLE),
    *line("GET", "works:detail", "work_a_submitted", WORK_A_VISIBLE),
    *line("GET", "works:files", "work_a", WORK_A_VISIBLE),
    *line("GET", "works:edit", "work_a", WORK_A_VISIBLE),
    *line("GET", "works:edit", "work_a_submitted", WORK_A_SUBMITTED),
    *line("POST", "works:edit", "work_a", WORK_A_CHANGE, body=WORK_FIELDS),
    *line("POST", "works:edit", "work_a_submitted", WORK_A_SUBMITTED, body=WORK_FIELDS),
    *line("POST", "works:upload", "work_a", WORK_A_CHANGE, body=PICTURE),
    *line("POST", "works:upload", "work_b", (302, Done(302), 404, Done(302), 404, 404, Done(302), 404), body=PICTURE),
    *line("POST", "works:upload", "work_a_submitted", WORK_A_SUBMITTED, body=PICTURE),
    *line("POST", "works:reorder", "work_a", WORK_A_CHANGE, body=_reversed_files("work_a")),
    *line("POST", "works:file_move", ("work_a", "work_a_file2"), WORK_A_CHANGE, body=MOVE_UP),
    *line("POST", "works:file_caption", ("work_a", "work_a_file1"), WORK_A_CHANGE, body=CAPTION),
    *line("POST", "works:file_remove", ("work_a", "work_a_file1"), WORK_A_CHANGE, body=EMPTY),
    # another work's file through this work's address
    *line("POST", "works:file_remove", ("work_a", "work_b_file1"), NOBODY, body=EMPTY),
    *line("GET", "works:file", ("work_a", "work_a_file1"), WORK_A_VISIBLE),
    *line("GET", "works:file", ("work_b", "work_b_file1"), WORK_B_VISIBLE),
    *line("GET", "works:file", ("work_a", "work_b_file1"), NOBODY),
    *line("POST", "works:essay", "essay_a", WORK_A_CHANGE, body=ESSAY_TEXT),
    *line("POST", "works:submit", "essay_a", WORK_A_CHANGE, body=EMPTY),
    # two pictures are too few: every reason is shown, nothing changes
    *line("POST", "works:submit", "work_a", (302, 200, 200, 404, 200, 200, 404, 404), body=EMPTY),
    # a second submit (a double click, a second tab) by those who may submit is answered with a redirect to the
    # work and "无需重复提交", and changes nothing; the others are refused as before
    *line("POST", "works:submit", "work_a_submitted", (302, 302, 302, 404, 302, 302, 404, 404), body=EMPTY),
    # deadline extensions: the office that runs the campaign
    *line("GET", "works:extensions", "campaign", (302, 200, 403, 403, 403, 403, 403, 403)),
    *line("GET", "works:extensions", "campaign_other_city", NOBODY),
    *line("POST", "works:extensions", "campaign", (302, Done(302), 403, 403, 403, 403, 403, 403),
          body=_extension_for("area_a")),
    # reviews, unit reports: each admin's own unit's report; the overview for the office running the campaign
    *line("GET", "reviews:unit_report", "campaign", (302, 200, 200, 200, 403, 403, 403, 403)),
    *line("GET", "reviews:unit_report", "campaign_other_city", NOBODY),
    *line("GET", "reviews:summary_download", "campaign", (302, 200, 200, 200, 403, 403, 403, 403),
          query={"format": "xlsx"}),
    *line("GET", "reviews:summary_download", "campaign_other_city", NOBODY, query={"format": "pdf"}),
    # a large table is asked of the task worker (an audited ExportJob, core.exports)
    *line("POST", "reviews:summary_download", "campaign", (302, Done(302), Done(302), Done(302), 403, 403, 403, 403),
          body=EMPTY),
    *line("POST", "reviews:summary_download", "campaign_other_city", NOBODY, body=EMPTY),
    *line("POST", "reviews:scan_upload", "campaign", (302, Done(302), Done(302), Done(302), 403, 403, 403, 403),
          body=STAMPED_SCAN),
    *line("POST", "reviews:scan_upload", "campaign_other_city", NOBODY, body=STAMPED_SCAN),
    *line("GET", "reviews:report_overview", "campaign", (302, 200, 403, 403, 403, 403, 403, 403)),
    *line("GET", "reviews:report_overview", "campaign_other_city", NOBODY),
    # the stamped scan of area_a: its admins and those above only
    *line("GET", "reviews:report_scan", "report_a", (302, 200, 200, 404, 404, 404, 404, 404)),
    # reviews, central review: the office running the campaign runs its rounds; others see the campaign, not these
    *line("GET", "reviews:round_list", "campaign", ROUND_OFFICE),
    *line("GET", "reviews:round_list", "campaign_other_city", NOBODY),
    *line("GET", "reviews:round_create", "campaign", ROUND_OFFICE),
    *line("POST", "reviews:round_create", "campaign", ROUND_OFFICE_DONE, body=ROUND_FORM),
    *line("POST", "reviews:round_create", "campaign_other_city", NOBODY, body=ROUND_FORM),
    *line("GET", "reviews:round_detail", "round", ROUND_OFFICE),
    *line("GET", "reviews:round_detail", "round_other_city", NOBODY),
    *line("GET", "reviews:round_rubric", "round", ROUND_OFFICE),
    *line("POST", "reviews:round_rubric", "round", ROUND_OFFICE_DONE, body=RUBRIC),
    *line("POST", "reviews:round_rubric", "round_other_city", NOBODY, body=RUBRIC),
    *line("GET", "reviews:round_judges", "round", ROUND_OFFICE),
    *line("POST", "reviews:round_judges", "round", ROUND_OFFICE_DONE, body=JUDGES),
    *line("POST", "reviews:round_assign", "round", ROUND_OFFICE_DONE, body=EMPTY),
    *line("POST", "reviews:round_assign", "round_other_city", NOBODY, body=EMPTY),
    *line("GET", "reviews:round_results", "round", ROUND_OFFICE),
    *line("GET", "reviews:round_results", "round_other_city", NOBODY),
    *line("POST", "reviews:round_decide", ("round", "work_b"), ROUND_OFFICE_DONE, body=SHOWCASE),
    *line("POST", "reviews:round_decide", ("round_other_city", "work_b"), NOBODY, body=SHOWCASE),
    *line("POST", "reviews:round_close", "round", ROUND_OFFICE_DONE, body=EMPTY),
    *line("POST", "reviews:round_close", "round_other_city", NOBODY, body=EMPTY),
    # judges: only their own assignments (the matrix's judge sits in 环翠区团委 here: work_b is theirs)
    *line("GET", "reviews:judge_home", None, JUDGE_ONLY),
    *line("GET", "reviews:judge_assignment", "assignment_b", JUDGE_ONLY),
    *line("POST", "reviews:judge_assignment", "assignment_b", (302, 404, 404, 404, 404, 404, 404, Done(302)),
          body=SCORES),
    # another judge's assignment
    *line("GET", "reviews:judge_assignment", "assignment_panel_a", NOBODY),
    # conflict of interest: a (stale) assignment of a 环翠 work to the 环翠 judge is never shown, nor its files
    *line("GET", "reviews:judge_assignment", "assignment_conflict", NOBODY),
    *line("POST", "reviews:judge_assignment", "assignment_conflict", NOBODY, body=SCORES),
    *line("GET", "works:file", ("conflict_work_a", "conflict_file_a"), WORK_A_VISIBLE),
    # the files of an assigned work: the judge too (under a neutral name)
    *line("GET", "works:file", ("assigned_work_b", "assigned_file_b"), (302, 200, 404, 200, 404, 404, 200, 200)),
    # blind round: the judge never gets the work's own page (which names the collective and the unit)
    *line("GET", "works:detail", "assigned_work_b", WORK_B_VISIBLE),
]

API_EVERYONE = (401, 200, 200, 200, 200, 200, 200, 200)
API_NOBODY = (401, 404, 404, 404, 404, 404, 404, 404)

API_ROWS = [
    # the API's own documents are public
    *line("GET", "/openapi.json", None, (200, 200, 200, 200, 200, 200, 200, 200)),
    *line("GET", "/docs", None, (200, 200, 200, 200, 200, 200, 200, 200)),
    *line("POST", "/auth/token", None, (200, 200, 200, 200, 200, 200, 200, 200), body=TOKEN),
    *line("GET", "/me", None, API_EVERYONE),
    *line("GET", "/units", None, API_EVERYONE),
    *line("GET", "/collectives", None, API_EVERYONE),
    *line("GET", "/collectives", None, (401, 200, 200, 404, 200, 200, 404, 404), query={"unit": "area_a"}),
    *line("GET", "/collectives", None, (401, 200, 200, 404, 404, 404, 404, 404), query={"unit": "sub_a"}),
    *line("POST", "/collectives", None, (401, Done(201), Done(201), 404, 403, 403, 403, 403),
          body=_api_collective("sub_a")),
    *line("POST", "/collectives", None, (401, Done(201), 404, Done(201), 403, 403, 403, 403),
          body=_api_collective("area_b")),
    *line("GET", "/collectives/{collective_id}", "collective_a", (401, 200, 200, 404, 200, 200, 404, 404)),
    *line("GET", "/collectives/{collective_id}", "collective_sub", (401, 200, 200, 404, 404, 404, 404, 404)),
    *line("GET", "/collectives/{collective_id}", "collective_b", (401, 200, 404, 200, 404, 404, 200, 404)),
    *line("GET", "/campaigns", None, API_EVERYONE),
    *line("GET", "/campaigns/{campaign_id}", "campaign", API_EVERYONE),
    *line("GET", "/campaigns/{campaign_id}", "campaign_other_city", API_NOBODY),
    *line("GET", "/applications", None, API_EVERYONE),
    *line("GET", "/applications", None, API_NOBODY, query={"campaign": "campaign_other_city"}),
    *line("GET", "/applications", None, (401, 200, 404, 200, 404, 404, 200, 404), query={"unit": "area_b"}),
    *line("POST", "/applications", None, (401, Done(201), Done(201), 404, Done(201), Done(201), 404, 404),
          body=_api_application("collective_a", "campaign_unfiled")),
    *line("POST", "/applications", None, (401, Done(201), 404, Done(201), 404, 404, Done(201), 404),
          body=_api_application("collective_b", "campaign_unfiled")),
    *line("POST", "/applications", None, API_NOBODY, body=_api_application("collective_a", "campaign_other_city")),
    *line("GET", "/applications/{application_id}", "filing_a", (401, 200, 200, 404, 200, 200, 404, 404)),
    *line("GET", "/applications/{application_id}", "filing_b", (401, 200, 404, 200, 404, 404, 200, 404)),
    *line("POST", "/applications/{application_id}/accept", "filing_a",
          (401, Done(200), Done(200), 404, 403, 403, 404, 404), body=EMPTY),
    *line("POST", "/applications/{application_id}/accept", "filing_b",
          (401, Done(200), 404, Done(200), 404, 404, 403, 404), body=EMPTY),
    *line("POST", "/applications/{application_id}/return", "filing_a",
          (401, Done(200), Done(200), 404, 403, 403, 404, 404), body=RETURN),
    *line("POST", "/applications/{application_id}/return", "filing_b",
          (401, Done(200), 404, Done(200), 404, 404, 403, 404), body=RETURN),
    # works: the collective's own accounts and the admins above it; a submitted work no longer changes (403)
    *line("GET", "/works", None, API_EVERYONE),
    *line("GET", "/works", None, (401, 200, 404, 200, 404, 404, 200, 404), query={"unit": "area_b"}),
    *line("GET", "/works", None, (401, 200, 404, 200, 404, 404, 200, 404), query={"collective": "collective_b"}),
    *line("GET", "/works", None, API_NOBODY, query={"campaign": "campaign_other_city"}),
    *line("POST", "/works", None, (401, Done(201), Done(201), 404, Done(201), Done(201), 404, 404),
          body=_api_work("collective_a", "campaign")),
    *line("POST", "/works", None, (401, Done(201), 404, Done(201), 404, 404, Done(201), 404),
          body=_api_work("collective_b", "campaign")),
    *line("POST", "/works", None, API_NOBODY, body=_api_work("collective_a", "campaign_other_city")),
    *line("GET", "/works/{work_id}", "work_a", (401, 200, 200, 404, 200, 200, 404, 404)),
    *line("GET", "/works/{work_id}", "work_b", (401, 200, 404, 200, 404, 404, 200, 404)),
    *line("PATCH", "/works/{work_id}", "work_a", (401, Done(200), Done(200), 404, Done(200), Done(200), 404, 404),
          body=API_WORK_TITLE),
    *line("PATCH", "/works/{work_id}", "work_a_submitted", (401, 403, 403, 404, 403, 403, 404, 404),
          body=API_WORK_TITLE),
    *line("POST", "/works/{work_id}/files", "work_a",
          (401, Done(201), Done(201), 404, Done(201), Done(201), 404, 404), body=API_PICTURE),
    *line("POST", "/works/{work_id}/files", "work_b", (401, Done(201), 404, Done(201), 404, 404, Done(201), 404),
          body=API_PICTURE),
    *line("POST", "/works/{work_id}/files", "work_a_submitted", (401, 403, 403, 404, 403, 403, 404, 404),
          body=API_PICTURE),
    *line("DELETE", "/works/{work_id}/files/{file_id}", ("work_a", "work_a_file1"),
          (401, Done(204), Done(204), 404, Done(204), Done(204), 404, 404)),
    # a file of another work through this work's address
    *line("DELETE", "/works/{work_id}/files/{file_id}", ("work_b", "work_a_file1"), API_NOBODY),
    *line("PUT", "/works/{work_id}/essay", "essay_a", (401, Done(200), Done(200), 404, Done(200), Done(200), 404, 404),
          body=API_ESSAY),
    # a picture work has no essay text: 422 file.type for those who may change it
    *line("PUT", "/works/{work_id}/essay", "work_a", (401, 422, 422, 404, 422, 422, 404, 404), body=API_ESSAY),
    *line("POST", "/works/{work_id}/submit", "essay_a",
          (401, Done(200), Done(200), 404, Done(200), Done(200), 404, 404), body=EMPTY),
    # two pictures are not a group of 4 to 9: 422 photo.count
    *line("POST", "/works/{work_id}/submit", "work_a", (401, 422, 422, 404, 422, 422, 404, 404), body=EMPTY),
    *line("POST", "/works/{work_id}/submit", "work_a_submitted", (401, 403, 403, 404, 403, 403, 404, 404),
          body=EMPTY),
    # the unit's decisions (API.md): the work's unit and the city; the collective sees its work but may not (403);
    # a work that is not submitted cannot be recommended (422 work.state); a return without a comment is 422
    *line("POST", "/works/{work_id}/recommend", "work_a_submitted",
          (401, Done(200), Done(200), 404, 403, 403, 404, 404), body=EMPTY),
    *line("POST", "/works/{work_id}/recommend", "work_b_submitted",
          (401, Done(200), 404, Done(200), 404, 404, 403, 404), body=EMPTY),
    *line("POST", "/works/{work_id}/recommend", "work_a", (401, 422, 422, 404, 403, 403, 404, 404), body=EMPTY),
    *line("POST", "/works/{work_id}/return", "work_a_submitted",
          (401, Done(200), Done(200), 404, 403, 403, 404, 404), body=API_DECISION_COMMENT),
    *line("POST", "/works/{work_id}/return", "work_a_submitted", (401, 422, 422, 404, 403, 403, 404, 404),
          body=EMPTY),
    # a recommended work is the city's to return
    *line("POST", "/works/{work_id}/return", "work_b_recommended",
          (401, Done(200), 404, 403, 404, 404, 403, 404), body=API_DECISION_COMMENT),
    # the Attachment 2 table of a unit: its admins and those above; a collective sees its unit but may not (403)
    *line("GET", "/units/{unit_id}/summary", "area_a", (401, 200, 200, 404, 403, 403, 404, 404),
          query={"format": "xlsx", "campaign": "campaign"}),
    *line("GET", "/units/{unit_id}/summary", "area_b", (401, 200, 404, 200, 404, 404, 403, 404),
          query={"format": "pdf", "campaign": "campaign"}),
    *line("GET", "/units/{unit_id}/summary", "area_a", (401, 404, 404, 404, 403, 403, 404, 404),
          query={"format": "docx", "campaign": "campaign_other_city"}),
]

# --- reviews, bulk downloads (issue 4, items 3, 6, 7): zips of works, the province package, the office's export ---
# The unit's zip for the admins of the unit report page; everything else for the office running the campaign only.
# Objects: add_package_works in the test module (work_a recommended, work_b forwarded, both with files).
PACKAGE_UNIT = (302, 200, 200, 200, 403, 403, 403, 403)
PACKAGE_OFFICE = (302, 200, 403, 403, 403, 403, 403, 403)
PAGE_ROWS += [
    *line("GET", "reviews:unit_archive", "campaign", PACKAGE_UNIT),
    *line("GET", "reviews:unit_archive", "campaign_other_city", NOBODY),
    *line("GET", "reviews:campaign_archive", "campaign", PACKAGE_OFFICE),
    *line("GET", "reviews:campaign_archive", "campaign", PACKAGE_OFFICE,
          query={"category": "photo", "status": "forwarded"}),
    *line("GET", "reviews:campaign_archive", "campaign_other_city", NOBODY),
    *line("GET", "reviews:province_package", "campaign", PACKAGE_OFFICE),
    *line("GET", "reviews:province_package", "campaign_other_city", NOBODY),
    *line("GET", "reviews:province_summary", "campaign", PACKAGE_OFFICE, query={"format": "docx"}),
    *line("GET", "reviews:province_summary", "campaign_other_city", NOBODY, query={"format": "pdf"}),
    *line("POST", "reviews:province_summary", "campaign", (302, Done(302), 403, 403, 403, 403, 403, 403), body=EMPTY),
    *line("POST", "reviews:province_summary", "campaign_other_city", NOBODY, body=EMPTY),
    *line("GET", "reviews:province_archive", "campaign", PACKAGE_OFFICE),
    *line("GET", "reviews:province_archive", "campaign_other_city", NOBODY),
    *line("GET", "reviews:campaign_export", "campaign", PACKAGE_OFFICE),
    *line("GET", "reviews:campaign_export", "campaign_other_city", NOBODY),
    # asking for the export writes the job (audited); a task worker makes the file
    *line("POST", "reviews:campaign_export", "campaign", (302, Done(302), 403, 403, 403, 403, 403, 403), body=EMPTY),
    *line("POST", "reviews:campaign_export", "campaign_other_city", NOBODY, body=EMPTY),
]
PACKAGE_ROUTES = {"reviews:unit_archive", "reviews:campaign_archive", "reviews:province_package",
                  "reviews:province_summary", "reviews:province_archive", "reviews:campaign_export"}

# Addresses ninja serves besides the operations of the OpenAPI document.
API_DOCUMENTS = {("GET", "/openapi.json"), ("GET", "/docs")}

# --- reviews, the unit's review: the queue, decisions on a work's page, the order of recommended works -----------
# Objects: add_decision_works in the test module (work_a_recommended, work_b_recommended, work_b_submitted).
RECOMMEND = Body("recommend", lambda world, role: {"to_status": "recommended"})
MOVE_UP = Body("move up", lambda world, role: {"work": world["work_a_recommended"].pk, "direction": "up"})
REVIEW_ADMINS = (302, 200, 200, 200, 403, 403, 403, 403)
PAGE_ROWS += [
    *line("GET", "reviews:review_queue", "campaign", REVIEW_ADMINS),
    *line("GET", "reviews:review_queue", "campaign_other_city", NOBODY),
    *line("POST", "reviews:work_decide", "work_a_submitted", (302, Done(302), Done(302), 404, 403, 403, 404, 404),
          body=RECOMMEND),
    *line("POST", "reviews:work_decide", "work_b_submitted", (302, Done(302), 404, Done(302), 404, 404, 403, 404),
          body=RECOMMEND),
    # a refused move (a draft cannot be recommended) says why and changes nothing
    *line("POST", "reviews:work_decide", "work_a", (302, 302, 302, 404, 403, 403, 404, 404), body=RECOMMEND),
    *line("GET", "reviews:recommended_order", "campaign", REVIEW_ADMINS),
    *line("GET", "reviews:recommended_order", "campaign_other_city", NOBODY),
    *line("POST", "reviews:recommended_move", "campaign", (302, Done(302), Done(302), 404, 403, 403, 403, 403),
          body=MOVE_UP),
    *line("POST", "reviews:recommended_move", "campaign_other_city", NOBODY, body=MOVE_UP),
    # everyone's own messages; marking them read is not audited (not campaign state)
    *line("GET", "core:notifications", None, EVERYONE),
    *line("POST", "core:notifications_read", None, (302, 302, 302, 302, 302, 302, 302, 302), body=EMPTY),
]

# --- core, export jobs: only the account that asked sees the job and downloads its file --------------------------
# Objects: add_export_job in the test module (export_job: city_admin's, done, with its file).
EXPORT_OWNER_ONLY = (302, 200, 404, 404, 404, 404, 404, 404)
PAGE_ROWS += [
    *line("GET", "core:export_detail", "export_job", EXPORT_OWNER_ONLY),
    *line("GET", "core:export_download", "export_job", EXPORT_OWNER_ONLY),
]

# Every row that the matrix runs: built last, after every section above has added its rows.
ROWS = PAGE_ROWS + API_ROWS

# --- the ledger (issue 10): the collective's accounts, its unit and the units above see and write; units comment;
# judges, other units and other collectives get 404 for every ledger and pairing page and endpoint.
# Objects: add_ledger in the test module (entry_a: a study session of collective_a with attachment_a and huancui's
# comment_a; entry_b: an open-week entry of collective_b; pairing_a / pairing_b; "study", "docx", "pdf" as address
# parts).
LEDGER_A_SEE = (302, 200, 200, 404, 200, 200, 404, 404)
LEDGER_B_SEE = (302, 200, 404, 200, 404, 404, 200, 404)
LEDGER_A_DO = (302, Done(302), Done(302), 404, Done(302), Done(302), 404, 404)
LEDGER_A_COMMENT = (302, Done(302), Done(302), 404, 403, 403, 404, 404)
LEDGER_UNIT_A = (302, 200, 200, 404, 404, 404, 404, 404)
API_LEDGER_A_SEE = (401, 200, 200, 404, 200, 200, 404, 404)


def _study_session(world, role):
    members = list(world["collective_a"].members.order_by("id"))
    return {"date": "2018-06-01", "title": "微团课：学习十九大精神", "content": "号长领学，成员研讨。",
            "form": "micro_lecture", "topic": "学习党的十九大精神", "led_by": members[1].pk,
            "attendees": [member.pk for member in members[:5]]}


def _new_pairing(world, role):
    return {"family_ref": "3710020000004321", "area": "宋村镇", "youth_count": 1, "help_kinds": ["education"],
            "started": "2018-05-01", "consent": True}


def _ledger_file(world, role):
    from tests.works.media_fixtures import jpeg

    return {"file": SimpleUploadedFile("开放日现场.jpg", jpeg(800, 600, seed=31), content_type="image/jpeg")}


STUDY_SESSION = Body("study session", _study_session)
NEW_PAIRING = Body("pairing with consent", _new_pairing)
PAGE_PAIRING = Body("pairing form", lambda world, role: {**_new_pairing(world, role), "help_kinds": ["education"],
                                                          "consent": "on"})
PAIRING_REVIEW = Body("回头看", lambda world, role: {"date": "2018-07-01", "outcome": "improving",
                                                   "income_trend": "rising", "note": "收入稳定增加。"})
LEDGER_FILE = Body("800×600 JPEG", _ledger_file)
LEDGER_COMMENT = Body("comment", lambda world, role: {"text": "请补充参学人员签到表。"})
WITHDRAW = Body("confirmed", lambda world, role: {"confirm": "on"})
PAGE_ROWS += [
    *line("GET", "ledger:review", None, (302, 200, 200, 200, 302, 302, 302, 404)),
    *line("GET", "ledger:collective", "collective_a", LEDGER_A_SEE),
    *line("GET", "ledger:collective", "collective_b", LEDGER_B_SEE),
    *line("GET", "ledger:entry_create", ("collective_a", "study"), LEDGER_A_SEE),
    *line("POST", "ledger:entry_create", ("collective_a", "study"), LEDGER_A_DO, body=STUDY_SESSION),
    *line("GET", "ledger:entry", "entry_a", LEDGER_A_SEE),
    *line("GET", "ledger:entry", "entry_b", LEDGER_B_SEE),
    *line("GET", "ledger:entry_edit", "entry_a", LEDGER_A_SEE),
    *line("POST", "ledger:entry_edit", "entry_a", LEDGER_A_DO, body=STUDY_SESSION),
    *line("POST", "ledger:entry_delete", "entry_a", LEDGER_A_DO, body=EMPTY),
    *line("POST", "ledger:attachment_upload", "entry_a", LEDGER_A_DO, body=LEDGER_FILE),
    *line("GET", "ledger:attachment", ("entry_a", "attachment_a"), LEDGER_A_SEE),
    *line("GET", "ledger:attachment", ("entry_b", "attachment_a"), NOBODY),
    *line("POST", "ledger:attachment_remove", ("entry_a", "attachment_a"), LEDGER_A_DO, body=EMPTY),
    *line("POST", "ledger:comment_create", "entry_a", LEDGER_A_COMMENT, body=LEDGER_COMMENT),
    *line("POST", "ledger:comment_resolve", "comment_a", LEDGER_A_DO, body=EMPTY),
    *line("GET", "ledger:pairings", "collective_a", LEDGER_A_SEE),
    *line("GET", "ledger:pairings", "collective_b", LEDGER_B_SEE),
    *line("GET", "ledger:pairing_create", "collective_a", LEDGER_A_SEE),
    *line("POST", "ledger:pairing_create", "collective_a", LEDGER_A_DO, body=PAGE_PAIRING),
    *line("GET", "ledger:pairing", "pairing_a", LEDGER_A_SEE),
    *line("GET", "ledger:pairing", "pairing_b", LEDGER_B_SEE),
    *line("POST", "ledger:pairing_review", "pairing_a", LEDGER_A_DO, body=PAIRING_REVIEW),
    *line("POST", "ledger:pairing_end", "pairing_a", LEDGER_A_DO, body=EMPTY),
    *line("POST", "ledger:pairing_withdraw", "pairing_a", LEDGER_A_DO, body=WITHDRAW),
    *line("GET", "ledger:export_collective", ("collective_a", "docx"), LEDGER_A_SEE, query={"campaign": "campaign"}),
    *line("GET", "ledger:export_collective", ("collective_a", "pdf"), LEDGER_A_SEE),
    *line("GET", "ledger:export_unit", None, LEDGER_UNIT_A, query={"unit": "area_a"}),
    *line("GET", "ledger:export_unit", None, (302, 200, 200, 200, 404, 404, 404, 404)),
    # a large export is asked of the task worker (an audited ExportJob)
    *line("POST", "ledger:export_unit", None, (302, Done(302), Done(302), 404, 404, 404, 404, 404),
          body=Body("unit area_a", lambda world, role: {"unit": world["area_a"].pk})),
]
API_ROWS += [
    *line("GET", "/collectives/{collective_id}/ledger", "collective_a", API_LEDGER_A_SEE,
          query={"campaign": "campaign"}),
    *line("GET", "/collectives/{collective_id}/ledger", "collective_b", (401, 200, 404, 200, 404, 404, 200, 404)),
    *line("POST", "/collectives/{collective_id}/ledger", "collective_a",
          (401, Done(201), Done(201), 404, Done(201), Done(201), 404, 404),
          body=Body("study session", lambda world, role: {**_study_session(world, role),
                                                          "campaign": world["campaign"].pk, "activity": "study"})),
    *line("GET", "/ledger/{entry_id}", "entry_a", API_LEDGER_A_SEE),
    *line("PUT", "/ledger/{entry_id}", "entry_a", (401, Done(200), Done(200), 404, Done(200), Done(200), 404, 404),
          body=STUDY_SESSION),
    *line("DELETE", "/ledger/{entry_id}", "entry_a", (401, Done(204), Done(204), 404, Done(204), Done(204), 404, 404)),
    *line("POST", "/ledger/{entry_id}/files", "entry_a",
          (401, Done(201), Done(201), 404, Done(201), Done(201), 404, 404), body=LEDGER_FILE),
    *line("DELETE", "/ledger/{entry_id}/files/{file_id}", ("entry_a", "attachment_a"),
          (401, Done(204), Done(204), 404, Done(204), Done(204), 404, 404)),
    *line("DELETE", "/ledger/{entry_id}/files/{file_id}", ("entry_b", "attachment_a"),
          (401, 404, 404, 404, 404, 404, 404, 404)),
    *line("POST", "/ledger/{entry_id}/comments", "entry_a", (401, Done(201), Done(201), 404, 403, 403, 404, 404),
          body=LEDGER_COMMENT),
    *line("POST", "/ledger/comments/{comment_id}/resolve", "comment_a",
          (401, Done(200), Done(200), 404, Done(200), Done(200), 404, 404), body=EMPTY),
    *line("GET", "/collectives/{collective_id}/pairings", "collective_a", API_LEDGER_A_SEE),
    *line("POST", "/collectives/{collective_id}/pairings", "collective_a",
          (401, Done(201), Done(201), 404, Done(201), Done(201), 404, 404), body=NEW_PAIRING),
    *line("GET", "/pairings/{pairing_id}", "pairing_a", API_LEDGER_A_SEE),
    *line("GET", "/pairings/{pairing_id}", "pairing_b", (401, 200, 404, 200, 404, 404, 200, 404)),
    *line("POST", "/pairings/{pairing_id}/reviews", "pairing_a",
          (401, Done(201), Done(201), 404, Done(201), Done(201), 404, 404), body=PAIRING_REVIEW),
    *line("POST", "/pairings/{pairing_id}/end", "pairing_a",
          (401, Done(200), Done(200), 404, Done(200), Done(200), 404, 404), body=EMPTY),
    *line("POST", "/pairings/{pairing_id}/withdraw-consent", "pairing_a",
          (401, Done(200), Done(200), 404, Done(200), Done(200), 404, 404), body=EMPTY),
    *line("GET", "/units/{unit_id}/indicators", "area_a", (401, 200, 200, 404, 403, 403, 404, 404),
          query={"campaign": "campaign"}),
    *line("GET", "/units/{unit_id}/indicators", "area_a", (401, 404, 404, 404, 403, 403, 404, 404),
          query={"campaign": "campaign_other_city"}),
]

# --- notices (issue 15): admins publish to their subtree; a notice is seen by the collectives it reached, the admins
# of its sender's unit and above, and the admins below that it reached; the collectives it reached confirm reading;
# the sender's unit and above see the receipts. Objects: add_notices in the test module (notice_city: the city's to
# every collective; notice_a: 环翠区's to collective_a and collective_sub; notice_other_city: 烟台's).
def _notice(**fields):
    def build(world, role):
        return {"title": "关于报送好做法的通知", "body": "请于月底前报送。",
                **{name: value(world) if callable(value) else value for name, value in fields.items()}}

    return build


API_ROWS += [
    *line("POST", "/notices", None, (401, Done(201), Done(201), Done(201), 403, 403, 403, 403),
          body=Body("notice to all", _notice())),
    # a unit outside the caller's subtree: 422 for 文登区, nothing written
    *line("POST", "/notices", None, (401, Done(201), Done(201), 422, 403, 403, 403, 403),
          body=Body("notice to sub_a", _notice(units=lambda world: [world["sub_a"].pk]))),
    # forwarding: the units below that it reached; not its sender (403), not who does not see it (404)
    *line("POST", "/notices", None, (401, 403, Done(201), Done(201), 403, 403, 403, 404),
          body=Body("forward of notice_city", _notice(forwarded_from=lambda world: world["notice_city"].pk))),
    *line("POST", "/notices", None, (401, 404, 404, 404, 404, 404, 404, 404),
          body=Body("forward of notice_other_city",
                    _notice(forwarded_from=lambda world: world["notice_other_city"].pk))),
    *line("GET", "/notices", None, (401, 200, 200, 200, 200, 200, 200, 200)),
    # API.md: 404 for everyone it does not reach, the admins who see it included
    *line("POST", "/notices/{notice_id}/read", "notice_city",
          (401, 404, 404, 404, Done(200), Done(200), Done(200), 404), body=EMPTY),
    *line("POST", "/notices/{notice_id}/read", "notice_a", (401, 404, 404, 404, Done(200), Done(200), 404, 404),
          body=EMPTY),
    *line("POST", "/notices/{notice_id}/read", "notice_other_city", (401, 404, 404, 404, 404, 404, 404, 404),
          body=EMPTY),
    *line("GET", "/notices/{notice_id}/receipts", "notice_city", (401, 200, 403, 403, 403, 403, 403, 404)),
    *line("GET", "/notices/{notice_id}/receipts", "notice_a", (401, 200, 200, 404, 403, 403, 404, 404)),
    # a unit filter the caller cannot see: 404 (文登区 is the city's)
    *line("GET", "/notices/{notice_id}/receipts", "notice_a", (401, 200, 404, 404, 403, 403, 404, 404),
          query={"unit": "area_b"}),
    *line("GET", "/notices/{notice_id}/receipts", "notice_other_city", (401, 404, 404, 404, 404, 404, 404, 404)),
]

# --- evaluation and dynamic management (issue 11): one module per part, under tests/evaluation/matrix/ -------------
# Imported last: those modules build their rows with ``line`` and the bodies above.
from tests.evaluation import matrix as evaluation_matrix  # noqa: E402

PAGE_ROWS += evaluation_matrix.PAGE_ROWS
API_ROWS += evaluation_matrix.API_ROWS

# --- the public face (issue 12): one module per part, under tests/public/matrix/ ------------------------------------
from tests.public import matrix as public_matrix  # noqa: E402

PAGE_ROWS += public_matrix.PAGE_ROWS
API_ROWS += public_matrix.API_ROWS

# --- notices (issue 15): the pages' rows (the API's are above) ------------------------------------------------------
from tests.notices import matrix as notices_matrix  # noqa: E402

PAGE_ROWS += notices_matrix.PAGE_ROWS

# --- good practices and typical stories, joint projects (issue 15): a part module each ------------------------------
from tests.projects import matrix as projects_matrix  # noqa: E402
from tests.stories import matrix as stories_matrix  # noqa: E402

PAGE_ROWS += stories_matrix.PAGE_ROWS + projects_matrix.PAGE_ROWS
API_ROWS += stories_matrix.API_ROWS + projects_matrix.API_ROWS

ROWS = PAGE_ROWS + API_ROWS
