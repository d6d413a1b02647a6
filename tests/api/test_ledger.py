"""The ledger and 助千家 endpoints of API.md: an entry of each activity, every rule's 422 (several at once), 404 for
everyone outside the collective's line on every call, 403 for the collective commenting on itself, the registry
number masked everywhere but the pairing's own (audited) answer, files by content, the indicators on a world small
enough to count by hand, and lists whose query count does not grow with their length."""

import datetime
import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests import factories
from tests.ledger import conftest as ledger_fixtures
from tests.ledger.conftest import FAMILY_REF, entry_data
from tests.works import media_fixtures
from tests.works.media_fixtures import docm, docx, gif, jpeg, not_media, png, truncated_jpeg, zip_not_docx
from wenminghao.campaigns.enums import FilingStatus
from wenminghao.campaigns.models import CreationFiling
from wenminghao.collectives.enums import OrgType
from wenminghao.core.models import AuditEntry, Notification
from wenminghao.ledger import services
from wenminghao.ledger.models import EntryAttachment, EntryComment, LedgerEntry, Pairing, PairingReview

from .conftest import error_codes
from .test_errors import NOT_FOUND

ROLES = ("city_admin", "unit_admin_a", "unit_admin_b", "leader_a", "leader_b", "judge", "anonymous")
# Who may see (and write) collective_a's ledger and pairings: the city, its area, its own account.
OWN_A = {"city_admin": 200, "unit_admin_a": 200, "unit_admin_b": 404, "leader_a": 200, "leader_b": 404,
         "judge": 404, "anonymous": 401}
OUTSIDERS = ("unit_admin_b", "leader_b", "judge")
MASKED = "**************0042"
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


# The ledger tests' fixtures (a city campaign of this year, entries and pairings through the services) and a fresh
# storage for files.
campaign = ledger_fixtures.campaign
make_entry = ledger_fixtures.make_entry
make_pairing = ledger_fixtures.make_pairing
media_storage = media_fixtures.media_storage


@pytest.fixture(autouse=True)
def _storage(media_storage):
    return media_storage


def who(users, role):
    return None if role == "anonymous" else users[role]


def expected(role, ok):
    return ok if OWN_A[role] == 200 else OWN_A[role]


def yesterday() -> str:
    return (timezone.localdate() - datetime.timedelta(days=1)).isoformat()


def tomorrow() -> str:
    return (timezone.localdate() + datetime.timedelta(days=1)).isoformat()


def entry_body(campaign, activity, collective, /, **overrides):
    """The body of POST /collectives/{id}/ledger: entry_data's valid values, then ``overrides``."""
    return {"campaign": campaign.pk, **entry_data(activity, collective), **overrides}


def put(api, path, body, user):
    return api.client.put(f"/api/v1{path}", body, content_type="application/json", headers=api.headers(user))


def delete(api, path, user):
    return api.client.delete(f"/api/v1{path}", headers=api.headers(user))


def upload(api, entry, name, data, user, **extra):
    return api.client.post(f"/api/v1/ledger/{entry.pk}/files", {"file": SimpleUploadedFile(name, data)},
                           headers=api.headers(user), **extra)


def stored_upload(entry, actor, name="走访.jpg", data=None):
    return services.add_attachment(actor=actor, entry=entry, upload=SimpleUploadedFile(name, data or jpeg(64, 48)))


# --- POST /collectives/{id}/ledger ---------------------------------------------------------------------------

# The answer's fields of each activity, for entry_data's values (ids resolved from the collective).
ACTIVITY_ANSWERS = {
    "benchmark": lambda members, pairing: {
        "stage": "target", "benchmark_against": "省级青年文明号·济南市民服务中心", "focus": "convenience",
        "benefit_kind": "social", "benefit_value": 30.0, "benefit_unit": "分钟", "meets_target": None},
    "study": lambda members, pairing: {
        "form": "micro_lecture", "topic": "学习党的十九大精神", "led_by": members[1].pk, "led_by_name": "成员2",
        "attendees": [member.pk for member in members[:5]]},
    "families": lambda members, pairing: {
        "pairing": pairing.pk, "family_ref_masked": MASKED, "help_kinds": ["companionship", "education"],
        "follow_up": False},
    "open_week": lambda members, pairing: {"shown": ["commitment", "supervision_phone", "identity"], "visitors": 36},
}
EVERY_ACTIVITY_FIELD = {"stage", "benchmark_against", "focus", "benefit_kind", "benefit_value", "benefit_unit",
                        "meets_target", "form", "topic", "led_by", "led_by_name", "attendees", "pairing",
                        "family_ref_masked", "help_kinds", "follow_up", "shown", "visitors"}


@pytest.mark.parametrize("activity", ["benchmark", "study", "families", "open_week"])
def test_entry_create_each_activity(api, users, tree, campaign, make_pairing, activity):
    collective = tree["collective_a"]
    pairing = make_pairing(collective)
    response = api.post(f"/collectives/{collective.pk}/ledger", entry_body(campaign, activity, collective),
                        user=users["leader_a"])
    assert response.status_code == 201, response.json()
    body = response.json()
    entry = LedgerEntry.objects.get(pk=body["id"])
    assert (entry.collective, entry.campaign, entry.activity, entry.created_by) == (
        collective, campaign, activity, users["leader_a"])
    assert body["campaign"] == campaign.pk
    assert body["collective"] == {"id": collective.pk, "name": "环翠区政务服务中心窗口"}
    assert (body["activity"], body["date"], body["title"], body["content"]) == (
        activity, yesterday(), f"测试{activity}记录", "开展情况说明。")
    own = ACTIVITY_ANSWERS[activity](list(collective.members.order_by("id")), pairing)
    assert {name: body[name] for name in own} == own
    assert all(body[name] is None for name in EVERY_ACTIVITY_FIELD - set(own))
    assert body["files"] == [] and body["comments"] == []
    assert body["created_by"] == {"id": users["leader_a"].pk, "name": "leader_a"}
    assert body["created_at"].endswith("+08:00")
    assert AuditEntry.objects.filter(action="ledger.entry_create", object_id=str(entry.pk)).count() == 1
    assert FAMILY_REF.encode() not in response.content


@pytest.mark.parametrize("role", ROLES)
def test_entry_create_by_role(api, users, tree, campaign, role):
    collective = tree["collective_a"]
    response = api.post(f"/collectives/{collective.pk}/ledger", entry_body(campaign, "open_week", collective),
                        user=who(users, role))
    assert response.status_code == expected(role, 201)
    assert LedgerEntry.objects.count() == (1 if response.status_code == 201 else 0)
    if response.status_code == 404:
        assert response.json() == NOT_FOUND


def test_entry_create_by_the_unit_above_a_sub_unit(api, users, tree, campaign):
    collective = tree["collective_sub"]
    response = api.post(f"/collectives/{collective.pk}/ledger", entry_body(campaign, "open_week", collective),
                        user=users["unit_admin_a"])
    assert response.status_code == 201
    assert LedgerEntry.objects.get().created_by == users["unit_admin_a"]


def _other_members(tree):
    return list(tree["collective_b"].members.order_by("id"))


# (case, activity, overrides(tree, foreign pairing) -> dict, code, field)
ENTRY_RULES = [
    ("no title", "open_week", lambda tree, other: {"title": " "}, "ledger.title_required", "title"),
    ("title 101", "open_week", lambda tree, other: {"title": "台" * 101}, "ledger.title_too_long", "title"),
    ("content 5001", "open_week", lambda tree, other: {"content": "账" * 5001}, "ledger.content_too_long", "content"),
    ("no date", "open_week", lambda tree, other: {"date": None}, "ledger.date_required", "date"),
    ("bad date", "open_week", lambda tree, other: {"date": "2018-13-01"}, "ledger.date", "date"),
    ("future date", "open_week", lambda tree, other: {"date": tomorrow()}, "ledger.date_future", "date"),
    ("unknown activity", "open_week", lambda tree, other: {"activity": "party"}, "ledger.activity", "activity"),
    ("no stage", "benchmark", lambda tree, other: {"stage": ""}, "ledger.stage_required", "stage"),
    ("unknown stage", "benchmark", lambda tree, other: {"stage": "goal"}, "ledger.stage", "stage"),
    ("no benchmark", "benchmark", lambda tree, other: {"benchmark_against": ""}, "ledger.benchmark_against_required",
     "benchmark_against"),
    ("focus of another sector", "benchmark", lambda tree, other: {"focus": "process"}, "ledger.focus", "focus"),
    ("unknown benefit kind", "benchmark", lambda tree, other: {"benefit_kind": "cultural"}, "ledger.benefit_kind",
     "benefit_kind"),
    ("value without unit", "benchmark", lambda tree, other: {"benefit_unit": ""}, "ledger.benefit_incomplete",
     "benefit_unit"),
    ("unit without value", "benchmark", lambda tree, other: {"benefit_value": None}, "ledger.benefit_incomplete",
     "benefit_value"),
    ("value not a number", "benchmark", lambda tree, other: {"benefit_value": "很多"}, "ledger.benefit_value",
     "benefit_value"),
    ("target meets a target", "benchmark", lambda tree, other: {"meets_target": 1}, "ledger.meets_target",
     "meets_target"),
    ("unknown form", "study", lambda tree, other: {"form": "lecture"}, "ledger.form", "form"),
    ("no topic", "study", lambda tree, other: {"topic": ""}, "ledger.topic_required", "topic"),
    ("no leader", "study", lambda tree, other: {"led_by": None}, "ledger.led_by_required", "led_by"),
    ("leader of another collective", "study", lambda tree, other: {"led_by": _other_members(tree)[0].pk},
     "ledger.led_by", "led_by"),
    ("no attendees", "study", lambda tree, other: {"attendees": []}, "ledger.attendees_required", "attendees"),
    ("attendee of another collective", "study",
     lambda tree, other: {"attendees": [_other_members(tree)[2].pk]}, "ledger.attendees", "attendees"),
    ("attendee not an id", "study", lambda tree, other: {"attendees": ["张三"]}, "ledger.attendees", "attendees"),
    ("no pairing", "families", lambda tree, other: {"pairing": None}, "ledger.pairing_required", "pairing"),
    ("pairing of another collective", "families", lambda tree, other: {"pairing": other.pk}, "ledger.pairing",
     "pairing"),
    ("unknown pairing", "families", lambda tree, other: {"pairing": 999999}, "ledger.pairing", "pairing"),
    ("no kind of help", "families", lambda tree, other: {"help_kinds": []}, "ledger.help_kinds_required",
     "help_kinds"),
    ("unknown kind of help", "families", lambda tree, other: {"help_kinds": ["money"]}, "ledger.help_kinds",
     "help_kinds"),
    ("nothing shown", "open_week", lambda tree, other: {"shown": []}, "ledger.shown_required", "shown"),
    ("unknown item shown", "open_week", lambda tree, other: {"shown": ["fireworks"]}, "ledger.shown", "shown"),
    ("negative visitors", "open_week", lambda tree, other: {"visitors": -3}, "ledger.visitors", "visitors"),
    ("family number in the text", "open_week", lambda tree, other: {"content": f"走访了{FAMILY_REF}号家庭"},
     "ledger.family_ref_in_text", "content"),
]


@pytest.mark.parametrize(("case", "activity", "overrides", "code", "field"), ENTRY_RULES,
                         ids=[rule[0] for rule in ENTRY_RULES])
def test_entry_create_rule(api, users, tree, campaign, make_pairing, case, activity, overrides, code,
                           field):
    collective = tree["collective_a"]
    make_pairing(collective)
    other = make_pairing(tree["collective_b"], actor=users["leader_b"], family_ref="371082199001010077")
    body = entry_body(campaign, activity, collective, **overrides(tree, other))
    response = api.post(f"/collectives/{collective.pk}/ledger", body, user=users["leader_a"])
    assert response.status_code == 422
    assert [(error["code"], error["field"]) for error in response.json()["errors"]] == [(code, field)]
    assert not LedgerEntry.objects.exists()
    assert FAMILY_REF.encode() not in response.content


def test_entry_create_lists_every_violation_at_once(api, users, tree, campaign):
    collective = tree["collective_a"]
    stranger = _other_members(tree)[0].pk
    body = entry_body(campaign, "study", collective, date=tomorrow(), title="", content="学" * 5001, form="talk",
                      led_by=stranger, attendees=[collective.members.first().pk, stranger])
    response = api.post(f"/collectives/{collective.pk}/ledger", body, user=users["leader_a"])
    assert response.status_code == 422
    assert [(error["code"], error["field"]) for error in response.json()["errors"]] == [
        ("ledger.date_future", "date"), ("ledger.title_required", "title"), ("ledger.content_too_long", "content"),
        ("ledger.form", "form"), ("ledger.led_by", "led_by"), ("ledger.attendees", "attendees"),
    ]
    messages = [error["message"] for error in response.json()["errors"]]
    assert messages[2] == "内容为5001字，超过5000字的上限，请精简"
    assert messages[4] == f"领学人（编号{stranger}）不是本集体的成员"
    assert messages[5] == f"参学成员中编号为{stranger}的人不是本集体的成员"
    assert "晚于今天" in messages[0]


def test_entry_create_malformed_fields_are_named(api, users, tree, campaign):
    collective = tree["collective_a"]
    body = entry_body(campaign, "families", collective, follow_up="也许")
    del body["campaign"]
    response = api.post(f"/collectives/{collective.pk}/ledger", body, user=users["leader_a"])
    assert response.status_code == 422
    assert {(error["code"], error["field"]) for error in response.json()["errors"]} == {
        ("field.required", "campaign"), ("field.invalid", "follow_up")}
    messages = {error["field"]: error["message"] for error in response.json()["errors"]}
    assert messages["campaign"] == "创建活动（campaign）为必填项，请提供"
    assert messages["follow_up"] == "回头看走访（follow_up）应为 true 或 false"


def test_entry_create_invisible_campaign_answers_404(api, users, tree):
    other_city = factories.campaign(office=factories.unit(name="烟台市团委", kind="city"))
    collective = tree["collective_a"]
    response = api.post(f"/collectives/{collective.pk}/ledger", entry_body(other_city, "open_week", collective),
                        user=users["city_admin"])
    assert response.status_code == 404
    assert response.json() == NOT_FOUND


def test_entry_create_campaign_of_another_area_answers_422(api, users, tree):
    wendeng_campaign = factories.campaign(office=tree["area_b"], level="district", year=timezone.localdate().year)
    collective = tree["collective_a"]
    body = entry_body(wendeng_campaign, "open_week", collective)
    assert api.post(f"/collectives/{collective.pk}/ledger", body, user=users["leader_a"]).status_code == 404
    response = api.post(f"/collectives/{collective.pk}/ledger", body, user=users["city_admin"])
    assert response.status_code == 422
    assert [(error["code"], error["field"]) for error in response.json()["errors"]] == [
        ("ledger.campaign", "campaign")]


# --- GET /ledger/{id}, PUT, DELETE ---------------------------------------------------------------------------

@pytest.mark.parametrize("role", ROLES)
def test_entry_detail_by_role(api, users, tree, make_entry, role):
    entry = make_entry("study", tree["collective_a"])
    response = api.get(f"/ledger/{entry.pk}", user=who(users, role))
    assert response.status_code == OWN_A[role]
    if response.status_code == 200:
        assert response.json()["id"] == entry.pk
        assert response.json()["form"] == "micro_lecture"


def test_entry_change_replaces_the_fields(api, users, tree, make_entry):
    collective = tree["collective_a"]
    entry = make_entry("study", collective)
    members = list(collective.members.order_by("id"))
    body = {**entry_data("study", collective, title="青年大学习第二期", form="seminar", led_by=members[0].pk,
                         attendees=[members[0].pk, members[7].pk]), "activity": "benchmark"}  # the activity stays
    response = put(api, f"/ledger/{entry.pk}", body, users["unit_admin_a"])
    assert response.status_code == 200
    answer = response.json()
    assert (answer["activity"], answer["title"], answer["form"]) == ("study", "青年大学习第二期", "seminar")
    assert (answer["led_by"], answer["led_by_name"]) == (members[0].pk, "成员1")
    assert answer["attendees"] == [members[0].pk, members[7].pk]  # the leader first
    assert AuditEntry.objects.filter(action="ledger.entry_update", object_id=str(entry.pk)).count() == 1


def test_entry_change_lists_every_violation(api, users, tree, make_entry):
    entry = make_entry("open_week", tree["collective_a"])
    response = put(api, f"/ledger/{entry.pk}", {"date": tomorrow(), "shown": ["fireworks"], "visitors": "许多"},
                   users["leader_a"])
    assert response.status_code == 422
    assert error_codes(response) == ["ledger.date_future", "ledger.title_required", "ledger.visitors",
                                     "ledger.shown"]
    entry.refresh_from_db()
    assert entry.title == "测试open_week记录"


@pytest.mark.parametrize("role", ROLES)
def test_entry_change_and_delete_by_role(api, users, tree, make_entry, role):
    collective = tree["collective_a"]
    entry = make_entry("open_week", collective)
    changed = put(api, f"/ledger/{entry.pk}", entry_data("open_week", collective, title="改后的标题"),
                  who(users, role))
    assert changed.status_code == OWN_A[role]
    deleted = delete(api, f"/ledger/{entry.pk}", who(users, role))
    assert deleted.status_code == expected(role, 204)
    assert LedgerEntry.objects.filter(pk=entry.pk).exists() == (deleted.status_code != 204)
    if deleted.status_code == 204:
        assert deleted.content == b""
        assert api.get(f"/ledger/{entry.pk}", user=who(users, role)).json() == NOT_FOUND


# --- 404 for everyone outside the collective's line --------------------------------------------------------

@pytest.fixture
def world_a(users, tree, make_entry, make_pairing):
    """collective_a's ledger: a pairing with a visit that has a file and a comment of its unit."""
    pairing = make_pairing(tree["collective_a"])
    entry = make_entry("families", tree["collective_a"])
    attachment = stored_upload(entry, users["leader_a"])
    comment = services.add_comment(actor=users["unit_admin_a"], entry=entry, text="请补充走访照片的说明。")
    return {"collective": tree["collective_a"], "entry": entry, "file": attachment, "comment": comment,
            "pairing": pairing, "unit": tree["area_a"]}


def _calls(world, campaign):
    collective, entry, pairing = world["collective"].pk, world["entry"].pk, world["pairing"].pk
    return [
        ("GET", f"/collectives/{collective}/ledger", None),
        ("POST", f"/collectives/{collective}/ledger", entry_body(campaign, "open_week", world["collective"])),
        ("GET", f"/ledger/{entry}", None),
        ("PUT", f"/ledger/{entry}", entry_data("families", world["collective"], title="改")),
        ("DELETE", f"/ledger/{entry}", None),
        ("UPLOAD", f"/ledger/{entry}/files", None),
        ("DELETE", f"/ledger/{entry}/files/{world['file'].pk}", None),
        ("POST", f"/ledger/{entry}/comments", {"text": "意见"}),
        ("POST", f"/ledger/comments/{world['comment'].pk}/resolve", None),
        ("GET", f"/collectives/{collective}/pairings", None),
        ("POST", f"/collectives/{collective}/pairings", {"family_ref": "371002199912120099", "area": "鲸园街道",
                                                         "youth_count": 1, "help_kinds": ["education"],
                                                         "started": yesterday(), "consent": True}),
        ("GET", f"/pairings/{pairing}", None),
        ("POST", f"/pairings/{pairing}/reviews", {"date": yesterday(), "outcome": "improving",
                                                 "income_trend": "rising", "note": ""}),
        ("POST", f"/pairings/{pairing}/end", {}),
        ("POST", f"/pairings/{pairing}/withdraw-consent", None),
        ("GET", f"/units/{world['unit'].pk}/indicators", None),
    ]


def _call(api, method, path, body, user):
    if method == "GET":
        return api.get(path, user=user)
    if method == "POST":
        return api.post(path, body, user=user)
    if method == "PUT":
        return put(api, path, body, user)
    if method == "DELETE":
        return delete(api, path, user)
    return api.client.post(f"/api/v1{path}", {"file": SimpleUploadedFile("照片.jpg", jpeg(64, 48))},
                           headers=api.headers(user))


def _state():
    return (LedgerEntry.objects.count(), EntryAttachment.objects.count(), EntryComment.objects.count(),
            EntryComment.objects.filter(resolved_at__isnull=False).count(), Pairing.objects.count(),
            PairingReview.objects.count(), list(Pairing.objects.values_list("state", "family_ref")),
            AuditEntry.objects.count())


@pytest.mark.parametrize("role", [*OUTSIDERS, "anonymous"])
def test_every_ledger_and_pairing_call_answers_404_outside(api, users, campaign, world_a, role):
    before = _state()
    status = 401 if role == "anonymous" else 404
    for method, path, body in _calls(world_a, campaign):
        response = _call(api, method, path, body, who(users, role))
        assert response.status_code == status, (method, path)
        if status == 404:
            assert response.json() == NOT_FOUND, (method, path)
    assert _state() == before


def test_a_missing_entry_or_pairing_answers_like_a_hidden_one(api, users, world_a):
    for path in ("/ledger/{}", "/pairings/{}"):
        hidden = api.get(path.format(world_a["entry" if "ledger" in path else "pairing"].pk), user=users["leader_b"])
        missing = api.get(path.format(999999), user=users["city_admin"])
        assert hidden.status_code == missing.status_code == 404
        assert hidden.json() == missing.json() == NOT_FOUND


# --- comments (查阅台账) ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("role", "status"), [("city_admin", 201), ("unit_admin_a", 201), ("leader_a", 403),
                                              ("unit_admin_b", 404), ("leader_b", 404), ("judge", 404)])
def test_comment_by_role(api, users, tree, make_entry, role, status):
    entry = make_entry("benchmark", tree["collective_a"])
    response = api.post(f"/ledger/{entry.pk}/comments", {"text": "对标对象请写明具体指标。"}, user=users[role])
    assert response.status_code == status
    assert EntryComment.objects.count() == (1 if status == 201 else 0)
    if status == 403:
        assert error_codes(response) == ["forbidden"]
        assert "只有集体的归口单位、上级团委和团市委可以评阅台账" in response.json()["errors"][0]["message"]


def test_comment_answer_notification_and_resolution(api, users, tree, make_entry):
    entry = make_entry("benchmark", tree["collective_a"])
    response = api.post(f"/ledger/{entry.pk}/comments", {"text": "对标对象请写明具体指标。"},
                        user=users["unit_admin_a"])
    comment = response.json()
    assert comment["author"] == {"id": users["unit_admin_a"].pk, "name": "huancui"}
    assert comment["author_unit"] == {"id": tree["area_a"].pk, "name": "环翠区团委"}
    assert (comment["text"], comment["resolved_at"]) == ("对标对象请写明具体指标。", None)
    assert Notification.objects.filter(recipient=users["leader_a"], message__contains="对标对象请写明").exists()
    shown = api.get(f"/ledger/{entry.pk}", user=users["leader_a"]).json()["comments"]
    assert [item["id"] for item in shown] == [comment["id"]]
    resolved = api.post(f"/ledger/comments/{comment['id']}/resolve", user=users["leader_a"])
    assert resolved.status_code == 200
    assert resolved.json()["resolved_at"] is not None
    assert resolved.json()["author"]["name"] == "huancui"
    assert api.post(f"/ledger/comments/{comment['id']}/resolve", user=users["leader_a"]).status_code == 200
    assert AuditEntry.objects.filter(action="ledger.comment_resolve").count() == 1


@pytest.mark.parametrize(("text", "code"), [("", "ledger.comment_required"), (None, "ledger.comment_required"),
                                            ("意" * 1001, "ledger.comment_too_long"),
                                            (f"家庭{FAMILY_REF}需再走访", "ledger.family_ref_in_text")])
def test_comment_rules(api, users, tree, make_entry, make_pairing, text, code):
    make_pairing(tree["collective_a"])
    entry = make_entry("benchmark", tree["collective_a"])
    response = api.post(f"/ledger/{entry.pk}/comments", {"text": text}, user=users["unit_admin_a"])
    assert response.status_code == 422
    assert [(error["code"], error["field"]) for error in response.json()["errors"]] == [(code, "text")]
    assert FAMILY_REF.encode() not in response.content


# --- files -------------------------------------------------------------------------------------------------

FILES = [
    ("jpeg", "照片.jpg", lambda: jpeg(800, 600), "picture", "image/jpeg", (800, 600)),
    ("png", "截图.png", lambda: png(320, 240), "picture", "image/png", (320, 240)),
    ("pdf", "方案.pdf", lambda: PDF, "pdf", "application/pdf", (None, None)),
    ("docx", "总结.docx", lambda: docx("开放周活动总结。"), "docx",
     "application/vnd.openxmlformats-officedocument.wordprocessingml.document", (None, None)),
]


@pytest.mark.parametrize(("case", "name", "make", "kind", "content_type", "size"), FILES, ids=[f[0] for f in FILES])
def test_file_upload_each_kind(api, users, tree, make_entry, case, name, make, kind, content_type,
                               size):
    entry = make_entry("open_week", tree["collective_a"])
    data = make()
    response = upload(api, entry, name, data, users["leader_a"])
    assert response.status_code == 201, response.json()
    record = response.json()
    assert (record["name"], record["kind"], record["content_type"]) == (name, kind, content_type)
    assert (record["size"], record["sha256"]) == (len(data), hashlib.sha256(data).hexdigest())
    assert (record["width"], record["height"]) == size
    assert record["derivatives"] == ("pending" if kind == "picture" else "none")
    stored = EntryAttachment.objects.get(pk=record["id"])
    with stored.original.open("rb") as handle:
        assert handle.read() == data
    assert api.get(f"/ledger/{entry.pk}", user=users["unit_admin_a"]).json()["files"] == [record]


@pytest.mark.parametrize("role", ROLES)
def test_file_upload_by_role(api, users, tree, make_entry, role):
    entry = make_entry("open_week", tree["collective_a"])
    response = upload(api, entry, "照片.jpg", jpeg(64, 48), who(users, role))
    assert response.status_code == expected(role, 201)
    assert EntryAttachment.objects.count() == (1 if response.status_code == 201 else 0)


FILE_REFUSALS = [
    ("text renamed .pdf", "方案.pdf", not_media, "file.type", "不是可识别的图片或文档"),
    ("text renamed .jpg", "照片.jpg", not_media, "file.type", "台账附件可上传JPEG或PNG图片、PDF或Word（.docx）文档"),
    ("gif", "动图.gif", lambda: gif(64, 48), "file.type", "实际为GIF格式"),
    ("truncated jpeg", "照片.jpg", lambda: truncated_jpeg(800, 600), "photo.corrupt", "已损坏"),
    ("empty", "空.pdf", lambda: b"", "file.empty", "是空文件"),
    ("docm", "总结.docm", lambda: docm("含宏的文档"), "file.type", "启用宏"),
    ("zip named .docx", "总结.docx", zip_not_docx, "essay.docx", "不是Word文档"),
]


@pytest.mark.parametrize(("case", "name", "make", "code", "phrase"), FILE_REFUSALS,
                         ids=[f[0] for f in FILE_REFUSALS])
def test_file_upload_refusals(api, users, tree, make_entry, _storage, case, name, make, code, phrase):
    entry = make_entry("open_week", tree["collective_a"])
    response = upload(api, entry, name, make(), users["leader_a"])
    assert response.status_code == 422
    assert error_codes(response) == [code]
    error = response.json()["errors"][0]
    assert phrase in error["message"] and error["field"] == "file"
    assert not EntryAttachment.objects.exists()
    media_root, temp_dir = _storage
    assert not [path for path in media_root.rglob("*") if path.is_file()]
    assert not [path for path in temp_dir.rglob("*") if path.is_file()]


class UnreadBody:
    """A request body that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


def test_file_upload_413_before_the_body_is_read(api, users, tree, make_entry, settings):
    settings.WMH_LEDGER_FILE_MAX_BYTES = 1024 * 1024
    entry = make_entry("open_week", tree["collective_a"])
    response = api.client.generic("POST", f"/api/v1/ledger/{entry.pk}/files", b"",
                                  headers=api.headers(users["leader_a"]),
                                  CONTENT_TYPE="multipart/form-data; boundary=x", CONTENT_LENGTH=str(2 * 1024 * 1024),
                                  **{"wsgi.input": UnreadBody()})
    assert response.status_code == 413
    assert error_codes(response) == ["file.too_large"]
    assert "1MB" in response.json()["errors"][0]["message"]


def test_file_upload_413_while_streaming(api, users, tree, make_entry, settings, _storage):
    settings.WMH_LEDGER_FILE_MAX_BYTES = 20 * 1024
    entry = make_entry("open_week", tree["collective_a"])
    data = jpeg(1600, 1200)
    assert len(data) > 20 * 1024
    response = upload(api, entry, "大图.jpg", data, users["leader_a"])
    assert response.status_code == 413
    assert error_codes(response) == ["file.too_large"]
    assert "大图.jpg" in response.json()["errors"][0]["message"]
    assert not EntryAttachment.objects.exists()


def test_file_upload_without_a_file(api, users, tree, make_entry):
    entry = make_entry("open_week", tree["collective_a"])
    assert error_codes(api.post(f"/ledger/{entry.pk}/files", {"file": "照片"}, user=users["leader_a"])) == [
        "file.required"]
    response = api.client.post(f"/api/v1/ledger/{entry.pk}/files", {"note": "没有文件"},
                               headers=api.headers(users["leader_a"]))
    assert response.status_code == 422
    assert error_codes(response) == ["file.required"]


@pytest.mark.parametrize("role", ROLES)
def test_file_delete_by_role(api, users, tree, make_entry, role, django_capture_on_commit_callbacks):
    entry = make_entry("open_week", tree["collective_a"])
    attachment = stored_upload(entry, users["leader_a"])
    with django_capture_on_commit_callbacks(execute=True):
        response = delete(api, f"/ledger/{entry.pk}/files/{attachment.pk}", who(users, role))
    assert response.status_code == expected(role, 204)
    assert EntryAttachment.objects.exists() == (response.status_code != 204)


def test_file_delete_of_another_entry_answers_404(api, users, tree, make_entry):
    entry = make_entry("open_week", tree["collective_a"])
    other = make_entry("benchmark", tree["collective_a"])
    attachment = stored_upload(other, users["leader_a"])
    response = delete(api, f"/ledger/{entry.pk}/files/{attachment.pk}", users["leader_a"])
    assert response.status_code == 404
    assert response.json() == NOT_FOUND
    assert EntryAttachment.objects.filter(pk=attachment.pk).exists()


# --- pairings (助千家) --------------------------------------------------------------------------------------

def pairing_body(**overrides):
    body = {"family_ref": FAMILY_REF, "area": "环翠楼街道", "youth_count": 2, "help_kinds": ["education", "income"],
            "started": yesterday(), "consent": True}
    body.update(overrides)
    return body


@pytest.mark.parametrize("role", ROLES)
def test_pairing_create_by_role_answers_the_masked_number(api, users, tree, role):
    collective = tree["collective_a"]
    response = api.post(f"/collectives/{collective.pk}/pairings", pairing_body(), user=who(users, role))
    assert response.status_code == expected(role, 201)
    if response.status_code == 201:
        body = response.json()
        assert body["family_ref_masked"] == MASKED
        assert "family_ref" not in body
        assert FAMILY_REF.encode() not in response.content
        assert (body["area"], body["youth_count"], body["help_kinds"]) == ("环翠楼街道", 2, ["education", "income"])
        assert (body["state"], body["visit_count"], body["last_review"]) == ("active", 0, None)
        pairing = Pairing.objects.get(pk=body["id"])
        assert pairing.family_ref == FAMILY_REF and pairing.consent_recorded_by == users[role]
        audit = AuditEntry.objects.get(action="pairing.create")
        assert FAMILY_REF not in str(audit.after) and MASKED in str(audit.after)
    else:
        assert not Pairing.objects.exists()


@pytest.mark.parametrize("consent", [False, None, "true", 1, "yes"])
def test_pairing_needs_the_guardians_consent(api, users, tree, consent):
    body = pairing_body(consent=consent)
    if consent is None:
        del body["consent"]
    response = api.post(f"/collectives/{tree['collective_a'].pk}/pairings", body, user=users["leader_a"])
    assert response.status_code == 422
    assert [(error["code"], error["field"]) for error in response.json()["errors"]] == [
        ("pairing.consent", "consent")]
    assert "监护人的书面同意" in response.json()["errors"][0]["message"]
    assert not Pairing.objects.exists()


def test_pairing_create_lists_every_violation_at_once(api, users, tree):
    body = {"family_ref": "12", "area": "", "youth_count": 0, "help_kinds": ["money"], "started": tomorrow(),
            "consent": False}
    response = api.post(f"/collectives/{tree['collective_a'].pk}/pairings", body, user=users["leader_a"])
    assert response.status_code == 422
    assert [(error["code"], error["field"]) for error in response.json()["errors"]] == [
        ("pairing.family_ref", "family_ref"), ("pairing.area_required", "area"),
        ("pairing.youth_count", "youth_count"), ("pairing.help_kinds", "help_kinds"),
        ("ledger.date_future", "started"), ("pairing.consent", "consent"),
    ]


def test_pairing_create_twice_for_one_family(api, users, tree, make_pairing):
    make_pairing(tree["collective_a"])
    response = api.post(f"/collectives/{tree['collective_a'].pk}/pairings", pairing_body(), user=users["leader_a"])
    assert error_codes(response) == ["pairing.duplicate"]
    assert MASKED in response.json()["errors"][0]["message"]
    assert FAMILY_REF.encode() not in response.content


@pytest.mark.parametrize("role", ROLES)
def test_pairing_list_by_role_is_masked(api, users, tree, make_pairing, make_entry, role):
    pairing = make_pairing(tree["collective_a"])
    make_entry("families", tree["collective_a"])
    services.add_pairing_review(actor=users["leader_a"], pairing=pairing,
                                data={"date": yesterday(), "outcome": "improving", "income_trend": "rising"})
    response = api.get(f"/collectives/{tree['collective_a'].pk}/pairings", user=who(users, role))
    assert response.status_code == OWN_A[role]
    if response.status_code == 200:
        body = response.json()
        assert body["count"] == 1
        item = body["items"][0]
        assert (item["id"], item["family_ref_masked"], item["visit_count"], item["last_review"]) == (
            pairing.pk, MASKED, 1, yesterday())
        assert "family_ref" not in item
        assert FAMILY_REF.encode() not in response.content
    assert not AuditEntry.objects.filter(action="pairing.view").exists()


def test_entry_list_shows_the_visited_family_masked(api, users, tree, make_pairing, make_entry):
    make_pairing(tree["collective_a"])
    make_entry("families", tree["collective_a"])
    response = api.get(f"/collectives/{tree['collective_a'].pk}/ledger", user=users["city_admin"])
    assert response.json()["items"][0]["family_ref_masked"] == MASKED
    assert FAMILY_REF.encode() not in response.content


@pytest.mark.parametrize("role", ROLES)
def test_pairing_detail_has_the_full_number_and_every_read_is_audited(api, users, tree, make_pairing,
                                                                      role):
    pairing = make_pairing(tree["collective_a"])
    services.add_pairing_review(actor=users["leader_a"], pairing=pairing,
                                data={"date": yesterday(), "outcome": "out_of_poverty", "income_trend": "steady",
                                      "note": "家中两名孩子均已返校。"})
    for _ in range(2):
        response = api.get(f"/pairings/{pairing.pk}", user=who(users, role))
        assert response.status_code == OWN_A[role]
    views = AuditEntry.objects.filter(action="pairing.view", object_id=str(pairing.pk))
    if OWN_A[role] != 200:
        assert not views.exists()
        return
    body = response.json()
    assert (body["family_ref"], body["family_ref_masked"]) == (FAMILY_REF, MASKED)
    assert [(review["date"], review["outcome"], review["income_trend"], review["note"])
            for review in body["reviews"]] == [(yesterday(), "out_of_poverty", "steady", "家中两名孩子均已返校。")]
    assert views.count() == 2
    assert {(view.actor, view.after["via"], view.ip_address) for view in views} == {
        (users[role], "api", "127.0.0.1")}
    assert all(FAMILY_REF not in f"{view.object_repr}{view.before}{view.after}" for view in views)


def test_pairing_review_end_and_withdrawal(api, users, tree, make_pairing, make_entry):
    pairing = make_pairing(tree["collective_a"])
    visit = make_entry("families", tree["collective_a"])
    stored_upload(visit, users["leader_a"])
    review = api.post(f"/pairings/{pairing.pk}/reviews",
                      {"date": yesterday(), "outcome": "improving", "income_trend": "rising", "note": "收入增加。"},
                      user=users["unit_admin_a"])
    assert review.status_code == 201
    assert {key: review.json()[key] for key in ("date", "outcome", "income_trend", "note")} == {
        "date": yesterday(), "outcome": "improving", "income_trend": "rising", "note": "收入增加。"}
    assert review.json()["created_by"]["name"] == "huancui"
    ended = api.post(f"/pairings/{pairing.pk}/end", {"ended": yesterday()}, user=users["leader_a"])
    assert ended.status_code == 200
    assert (ended.json()["state"], ended.json()["ended"]) == ("ended", yesterday())
    again = api.post(f"/pairings/{pairing.pk}/reviews", {"date": yesterday(), "outcome": "improving",
                                                         "income_trend": "rising"}, user=users["leader_a"])
    assert again.status_code == 403
    withdrawn = api.post(f"/pairings/{pairing.pk}/withdraw-consent", user=users["leader_a"])
    assert withdrawn.status_code == 200
    body = withdrawn.json()
    assert (body["state"], body["family_ref_masked"], body["area"], body["youth_count"]) == ("withdrawn", "", "", 2)
    assert (body["visit_count"], body["last_review"]) == (1, yesterday())
    assert api.get(f"/pairings/{pairing.pk}", user=users["city_admin"]).json()["family_ref"] == ""
    assert not EntryAttachment.objects.exists()
    twice = api.post(f"/pairings/{pairing.pk}/withdraw-consent", user=users["leader_a"])
    assert error_codes(twice) == ["pairing.withdrawn"]


def test_pairing_review_rules_at_once(api, users, tree, make_pairing):
    pairing = make_pairing(tree["collective_a"])
    response = api.post(f"/pairings/{pairing.pk}/reviews", {"date": tomorrow(), "outcome": "rich",
                                                            "note": "记" * 1001}, user=users["leader_a"])
    assert response.status_code == 422
    assert [(error["code"], error["field"]) for error in response.json()["errors"]] == [
        ("ledger.date_future", "date"), ("pairing.outcome", "outcome"),
        ("pairing.income_trend_required", "income_trend"), ("pairing.note_too_long", "note"),
    ]


def test_pairing_end_with_a_bad_date(api, users, tree, make_pairing):
    pairing = make_pairing(tree["collective_a"])
    response = api.post(f"/pairings/{pairing.pk}/end", {"ended": tomorrow()}, user=users["leader_a"])
    assert [(error["code"], error["field"]) for error in response.json()["errors"]] == [("pairing.ended", "ended")]
    response = api.post(f"/pairings/{pairing.pk}/end", {"ended": "明天"}, user=users["leader_a"])
    assert [(error["code"], error["field"]) for error in response.json()["errors"]] == [("field.invalid", "ended")]
    assert "结束日期（ended）应为日期" in response.json()["errors"][0]["message"]
    assert Pairing.objects.get().state == "active"
    without_body = api.client.generic("POST", f"/api/v1/pairings/{pairing.pk}/end", b"",
                                      headers=api.headers(users["leader_a"]))
    assert without_body.status_code == 200
    assert (without_body.json()["state"], without_body.json()["ended"]) == ("ended", timezone.localdate().isoformat())


# --- lists: filters and a query count independent of the length ---------------------------------------------

def test_entry_list_filters(api, users, tree, campaign, make_entry):
    collective = tree["collective_a"]
    old = make_entry("study", collective, date=(timezone.localdate() - datetime.timedelta(days=40)).isoformat())
    recent = make_entry("open_week", collective)
    make_entry("open_week", tree["collective_sub"], actor=users["unit_admin_a"])
    url = f"/collectives/{collective.pk}/ledger"

    def ids(**params):
        response = api.get(url, user=users["unit_admin_a"], **params)
        assert response.status_code == 200
        return [item["id"] for item in response.json()["items"]]

    assert ids() == [recent.pk, old.pk]
    assert ids(activity="study") == [old.pk]
    assert ids(date_from=yesterday()) == [recent.pk]
    assert ids(date_to=(timezone.localdate() - datetime.timedelta(days=2)).isoformat()) == [old.pk]
    assert ids(campaign=campaign.pk) == [recent.pk, old.pk]
    assert ids(page_size=1, page=2) == [old.pk]
    services.add_comment(actor=users["unit_admin_a"], entry=old, text="请补充参学名单。")
    assert ids(open_comments="true") == [old.pk]
    wrong = api.get(url, user=users["unit_admin_a"], activity="party")
    assert wrong.status_code == 422
    assert "benchmark（对标创优）" in wrong.json()["errors"][0]["message"]
    other_city = factories.campaign(office=factories.unit(name="烟台市团委", kind="city"))
    assert api.get(url, user=users["unit_admin_a"], campaign=other_city.pk).json() == NOT_FOUND


def _fill_ledger(users, tree, make_entry, make_pairing, count):
    """``count`` entries of every activity on collective_a, each with a file and a comment."""
    collective = tree["collective_a"]
    pairing = collective.pairings.first() or make_pairing(collective)
    activities = ("benchmark", "study", "families", "open_week")
    for index in range(count - LedgerEntry.objects.filter(collective=collective).count()):
        entry = make_entry(activities[index % 4], collective)
        EntryAttachment.objects.create(entry=entry, kind="pdf", original=f"ledger/{index}.pdf", size=10,
                                       original_name=f"{index}.pdf", sha256="0" * 64,
                                       content_type="application/pdf", uploaded_by=users["leader_a"])
        EntryComment.objects.create(entry=entry, author=users["unit_admin_a"], author_unit=tree["area_a"],
                                    text=f"意见{index}")
    return pairing


def test_entry_list_query_count_constant_in_entries(api, users, tree, make_entry, make_pairing,
                                                    django_assert_num_queries):
    url = f"/collectives/{tree['collective_a'].pk}/ledger"
    admin = users["unit_admin_a"]
    # token, collective, count, page; then the kinds of help, items shown, files, comments, attendees of the page
    queries = 9
    _fill_ledger(users, tree, make_entry, make_pairing, 3)
    api.get(url, user=admin)  # issues the token
    with django_assert_num_queries(queries):
        body = api.get(url, user=admin).json()
    assert body["count"] == 3 and all(len(item["comments"]) == 1 for item in body["items"])
    _fill_ledger(users, tree, make_entry, make_pairing, 30)
    with django_assert_num_queries(queries):
        body = api.get(url, user=admin).json()
    assert body["count"] == 30 and len(body["items"]) == 30
    assert all(len(item["files"]) == 1 and len(item["comments"]) == 1 for item in body["items"])
    assert sum(len(item["attendees"] or []) for item in body["items"]) == 5 * 8  # the 8 study entries, 5 each


def test_pairing_list_query_count_constant_in_pairings(api, users, tree, make_entry, make_pairing,
                                                       django_assert_num_queries):
    collective = tree["collective_a"]
    url = f"/collectives/{collective.pk}/pairings"
    queries = 5  # token, collective, count, page with visit counts and last reviews, kinds of help

    def add_pairings(upto):
        for index in range(collective.pairings.count(), upto):
            pairing = make_pairing(collective, family_ref=f"37100219900101{index:04d}", help_kinds=["rights", "income"])
            PairingReview.objects.create(pairing=pairing, date=timezone.localdate(), outcome="improving",
                                         income_trend="rising", created_by=users["leader_a"])
            make_entry("families", collective, pairing=pairing.pk)

    add_pairings(3)
    api.get(url, user=users["leader_a"])  # issues the token
    with django_assert_num_queries(queries):
        assert api.get(url, user=users["leader_a"]).json()["count"] == 3
    add_pairings(30)
    with django_assert_num_queries(queries):
        body = api.get(url, user=users["leader_a"]).json()
    assert body["count"] == 30
    assert all(item["visit_count"] == 1 and item["help_kinds"] == ["rights", "income"] for item in body["items"])
    assert {item["last_review"] for item in body["items"]} == {timezone.localdate().isoformat()}


# --- GET /units/{id}/indicators ----------------------------------------------------------------------------

@pytest.fixture
def indicator_world(users, tree, campaign, make_entry, make_pairing):
    """Under 环翠区: collective_a (filing pending), collective_sub (accepted, a former holder), a non-public
    collective (accepted, no entries) and a social organisation whose filing was returned (entries not counted);
    under 文登区: collective_b (pending, one entry)."""
    admin = users["unit_admin_a"]
    non_public = factories.collective(unit=tree["sub_a"], name="鲸园非公企业", org_type=OrgType.NON_PUBLIC)
    returned = factories.collective(unit=tree["area_a"], name="环翠社会组织", org_type=OrgType.SOCIAL)
    for collective, status, former in ((tree["collective_a"], FilingStatus.PENDING, False),
                                       (tree["collective_sub"], FilingStatus.ACCEPTED, True),
                                       (non_public, FilingStatus.ACCEPTED, False),
                                       (returned, FilingStatus.RETURNED, False),
                                       (tree["collective_b"], FilingStatus.PENDING, False)):
        CreationFiling.objects.create(campaign=campaign, collective=collective, status=status, is_former=former,
                                      filed_by=admin if collective != tree["collective_b"] else users["city_admin"])
    a_members = list(tree["collective_a"].members.order_by("id"))
    sub_members = list(tree["collective_sub"].members.order_by("id"))
    make_pairing(tree["collective_a"])
    make_pairing(tree["collective_sub"], actor=admin, family_ref="371002200001010011")
    make_pairing(returned, actor=admin, family_ref="371002200001010022")
    make_entry("benchmark", tree["collective_a"])
    make_entry("study", tree["collective_a"], attendees=[member.pk for member in a_members[:5]])
    make_entry("study", tree["collective_a"], attendees=[member.pk for member in a_members[3:7]])  # 7 distinct
    make_entry("families", tree["collective_a"])
    make_entry("study", tree["collective_sub"], actor=admin, led_by=sub_members[0].pk,
               attendees=[member.pk for member in sub_members[:2]])
    make_entry("open_week", tree["collective_sub"], actor=admin)
    make_entry("study", returned, actor=admin, led_by=returned.members.first().pk,
               attendees=list(returned.members.values_list("pk", flat=True)))
    make_entry("open_week", returned, actor=admin)
    make_entry("benchmark", tree["collective_b"], actor=users["leader_b"])


def test_indicators_of_a_unit_counted_by_hand(api, users, tree, campaign, indicator_world):
    response = api.get(f"/units/{tree['area_a'].pk}/indicators", user=users["unit_admin_a"], campaign=campaign.pk)
    assert response.status_code == 200
    # 3 creating collectives with 8 members each; study: 7 of collective_a's and 2 of collective_sub's attended.
    assert response.json() == {
        "collectives": 3,
        "activities": {
            "benchmark": {"collectives": 1, "entries": 1},
            "study": {"collectives": 2, "entries": 3, "coverage": 0.375},
            "families": {"collectives": 1, "entries": 1, "pairings": 2},
            "open_week": {"collectives": 1, "entries": 1},
        },
        "structure": {"former": 0.3333, "non_public": 0.3333, "social": 0.0},
    }
    city = api.get(f"/units/{tree['city'].pk}/indicators", user=users["city_admin"], campaign=campaign.pk).json()
    assert city["collectives"] == 4
    assert city["activities"]["benchmark"] == {"collectives": 2, "entries": 2}
    assert city["activities"]["study"]["coverage"] == round(9 / 32, 4)
    sub = api.get(f"/units/{tree['sub_a'].pk}/indicators", user=users["unit_admin_a"], campaign=campaign.pk).json()
    assert sub["collectives"] == 2
    assert sub["activities"]["study"] == {"collectives": 1, "entries": 1, "coverage": 0.125}
    assert sub["structure"] == {"former": 0.5, "non_public": 0.5, "social": 0.0}


@pytest.mark.parametrize(("role", "unit", "status"), [
    ("city_admin", "area_a", 200), ("unit_admin_a", "area_a", 200), ("unit_admin_a", "sub_a", 200),
    ("unit_admin_a", "city", 404), ("unit_admin_b", "area_a", 404), ("leader_b", "area_a", 404),
    ("judge", "area_a", 404), ("anonymous", "area_a", 401),
    # A unit the caller sees (its own, or a collective's unit) without being its admin: 403, as for /summary.
    ("leader_a", "area_a", 403), ("judge", "city", 403),
])
def test_indicators_by_role(api, users, tree, campaign, role, unit, status):
    response = api.get(f"/units/{tree[unit].pk}/indicators", user=who(users, role), campaign=campaign.pk)
    assert response.status_code == status
    if status == 404:
        assert response.json() == NOT_FOUND


def test_indicators_default_to_the_latest_campaign(api, users, tree, campaign, indicator_world):
    factories.campaign(office=tree["city"], year=timezone.localdate().year - 1)
    response = api.get(f"/units/{tree['area_a'].pk}/indicators", user=users["unit_admin_a"])
    assert response.json()["collectives"] == 3
    other_city = factories.campaign(office=factories.unit(name="烟台市团委", kind="city"))
    assert api.get(f"/units/{tree['area_a'].pk}/indicators", user=users["unit_admin_a"],
                   campaign=other_city.pk).json() == NOT_FOUND


# --- the OpenAPI document ----------------------------------------------------------------------------------

def test_openapi_document_lists_the_ledger_operations(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    prefix = "/api/v1"
    assert set(paths[f"{prefix}/collectives/{{collective_id}}/ledger"]) == {"get", "post"}
    assert set(paths[f"{prefix}/ledger/{{entry_id}}"]) == {"get", "put", "delete"}
    assert set(paths[f"{prefix}/collectives/{{collective_id}}/pairings"]) == {"get", "post"}
    upload_operation = paths[f"{prefix}/ledger/{{entry_id}}/files"]["post"]
    assert "multipart/form-data" in upload_operation["requestBody"]["content"]
    assert {"413", "422"} <= set(upload_operation["responses"])
    for path in ("/ledger/{entry_id}/comments", "/ledger/comments/{comment_id}/resolve",
                 "/pairings/{pairing_id}/reviews", "/pairings/{pairing_id}/end",
                 "/pairings/{pairing_id}/withdraw-consent"):
        assert paths[prefix + path]["post"]["summary"]
    assert paths[f"{prefix}/pairings/{{pairing_id}}"]["get"]["summary"] == "结对家庭详情"
    assert paths[f"{prefix}/units/{{unit_id}}/indicators"]["get"]["summary"] == "台账指标"
    assert "delete" in paths[f"{prefix}/ledger/{{entry_id}}/files/{{file_id}}"]

