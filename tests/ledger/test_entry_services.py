"""The rules of a ledger entry (services.clean_entry), table-driven: each activity's fields, every unmet rule named
with its code and field, all at once; nothing written on a refusal; who may write; the audit trail."""

import datetime

import pytest
from django.utils import timezone

from tests import factories
from tests.ledger.conftest import FAMILY_REF, entry_data
from tests.works.media_fixtures import docm, docx, jpeg, media_storage, not_media, png, truncated_jpeg, upload  # noqa: F401
from wenminghao.core.errors import NotPermitted, RuleViolationError
from wenminghao.core.models import AuditEntry
from wenminghao.ledger import services
from wenminghao.ledger.models import EntryAttachment, EntryComment, LedgerEntry

pytestmark = pytest.mark.django_db
TOMORROW = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()


def codes_of(error: RuleViolationError) -> set[tuple[str, str | None]]:
    return {(violation.code, violation.field) for violation in error.violations}


@pytest.fixture
def pairing(tree, make_pairing):
    return make_pairing(tree["collective_a"])


@pytest.mark.parametrize("activity", ["benchmark", "study", "families", "open_week"])
def test_a_valid_entry_of_each_activity_is_recorded_with_its_own_fields(activity, tree, users, campaign, pairing):
    collective = tree["collective_a"]
    entry = services.create_entry(actor=users["leader_a"], collective=collective, campaign=campaign,
                                  data=entry_data(activity, collective))
    entry.refresh_from_db()
    assert entry.activity == activity and entry.created_by == users["leader_a"]
    if activity == "benchmark":
        assert (entry.stage, entry.focus, entry.benefit_unit) == ("target", "convenience", "分钟")
        assert entry.benefit_value == 30 and entry.study_form == "" and entry.pairing is None
    elif activity == "study":
        members = list(collective.members.order_by("id"))
        assert entry.study_form == "micro_lecture" and entry.led_by == members[1]
        assert entry.led_by_name == members[1].name
        assert sorted(entry.attendees.values_list("pk", flat=True)) == [m.pk for m in members[:5]]
    elif activity == "families":
        assert entry.pairing == pairing
        assert sorted(entry.help_kinds.values_list("kind", flat=True)) == ["companionship", "education"]
    else:
        assert entry.visitors == 36
        assert sorted(entry.shown_items.values_list("item", flat=True)) == ["commitment", "identity",
                                                                             "supervision_phone"]
    audit = AuditEntry.objects.get(action="ledger.entry_create")
    assert audit.actor == users["leader_a"] and audit.after["activity"] == activity


def _other_member(tree):
    return tree["collective_b"].members.first().pk


def _other_pairing(tree, users):
    return services.create_pairing(actor=users["leader_b"], collective=tree["collective_b"],
                                   data={"family_ref": "3710810000000777", "area": "宋村镇", "youth_count": 1,
                                         "help_kinds": ["income"], "started": "2018-03-01", "consent": True}).pk


# (activity, overrides or a function of (tree, users) giving them, the expected (code, field) pairs)
RULES = [
    ("benchmark", {"date": TOMORROW}, {("ledger.date_future", "date")}),
    ("benchmark", {"date": ""}, {("ledger.date_required", "date")}),
    ("benchmark", {"date": "2018-02-30"}, {("ledger.date", "date")}),
    ("benchmark", {"title": " "}, {("ledger.title_required", "title")}),
    ("benchmark", {"title": "标" * 101}, {("ledger.title_too_long", "title")}),
    ("benchmark", {"content": "字" * 5001}, {("ledger.content_too_long", "content")}),
    ("benchmark", {"stage": ""}, {("ledger.stage_required", "stage")}),
    ("benchmark", {"stage": "goal"}, {("ledger.stage", "stage")}),
    ("benchmark", {"benchmark_against": ""}, {("ledger.benchmark_against_required", "benchmark_against")}),
    ("benchmark", {"focus": "process"}, {("ledger.focus", "focus")}),  # a production area, the collective serves
    ("benchmark", {"benefit_kind": "moral"}, {("ledger.benefit_kind", "benefit_kind")}),
    ("benchmark", {"benefit_value": "三十"}, {("ledger.benefit_value", "benefit_value")}),
    ("benchmark", {"benefit_unit": ""}, {("ledger.benefit_incomplete", "benefit_unit")}),
    ("benchmark", {"benefit_value": None}, {("ledger.benefit_incomplete", "benefit_value")}),
    ("benchmark", {"meets_target": 999999}, {("ledger.meets_target", "meets_target")}),  # also not a result
    ("benchmark", {"stage": "result", "meets_target": 999999}, {("ledger.meets_target", "meets_target")}),
    ("study", {"form": ""}, {("ledger.form_required", "form")}),
    ("study", {"form": "lecture"}, {("ledger.form", "form")}),
    ("study", {"topic": ""}, {("ledger.topic_required", "topic")}),
    ("study", {"led_by": None}, {("ledger.led_by_required", "led_by")}),
    ("study", lambda tree, users: {"led_by": _other_member(tree)}, {("ledger.led_by", "led_by")}),
    ("study", {"attendees": []}, {("ledger.attendees_required", "attendees")}),
    ("study", {"attendees": ["x"]}, {("ledger.attendees", "attendees")}),
    ("study", lambda tree, users: {"attendees": [_other_member(tree)]}, {("ledger.attendees", "attendees")}),
    ("families", {"pairing": None}, {("ledger.pairing_required", "pairing")}),
    ("families", lambda tree, users: {"pairing": _other_pairing(tree, users)}, {("ledger.pairing", "pairing")}),
    ("families", {"help_kinds": []}, {("ledger.help_kinds_required", "help_kinds")}),
    ("families", {"help_kinds": ["money"]}, {("ledger.help_kinds", "help_kinds")}),
    ("open_week", {"shown": []}, {("ledger.shown_required", "shown")}),
    ("open_week", {"shown": ["identity", "fireworks"]}, {("ledger.shown", "shown")}),
    ("open_week", {"visitors": -3}, {("ledger.visitors", "visitors")}),
    ("open_week", {"title": f"走访{FAMILY_REF}家庭"}, {("ledger.family_ref_in_text", "title")}),
    ("study", {"content": f"编号{FAMILY_REF.lower()}"}, {("ledger.family_ref_in_text", "content")}),
    ("sports", {}, {("ledger.activity", "activity")}),
    # several rules at once, each named
    ("study", {"date": TOMORROW, "title": "", "form": "x", "attendees": []},
     {("ledger.date_future", "date"), ("ledger.title_required", "title"), ("ledger.form", "form"),
      ("ledger.attendees_required", "attendees")}),
]


@pytest.mark.parametrize(("activity", "overrides", "expected"), RULES,
                         ids=[f"{a}-{'+'.join(sorted(c for c, _ in e))}" for a, _, e in RULES])
def test_every_unmet_rule_is_named_and_nothing_is_written(activity, overrides, expected, tree, users, campaign,
                                                         pairing):
    if callable(overrides):
        overrides = overrides(tree, users)
    data = entry_data(activity, tree["collective_a"], **overrides)
    audits = AuditEntry.objects.count()
    with pytest.raises(RuleViolationError) as error:
        services.create_entry(actor=users["leader_a"], collective=tree["collective_a"], campaign=campaign, data=data)
    assert codes_of(error.value) == expected
    assert all(violation.message for violation in error.value.violations)
    assert FAMILY_REF not in str(error.value)
    assert LedgerEntry.objects.count() == 0 and AuditEntry.objects.count() == audits


def test_a_result_meets_a_target_of_the_same_collective(tree, users, campaign, make_entry):
    target = make_entry("benchmark", tree["collective_a"])
    result = make_entry("benchmark", tree["collective_a"], stage="result", meets_target=target.pk)
    assert result.meets_target == target
    other = make_entry("benchmark", tree["collective_b"], actor=users["leader_b"])
    with pytest.raises(RuleViolationError) as error:
        make_entry("benchmark", tree["collective_a"], stage="result", meets_target=other.pk)
    assert codes_of(error.value) == {("ledger.meets_target", "meets_target")}


def test_a_visit_to_a_withdrawn_pairing_is_refused(tree, users, campaign, pairing, make_entry):
    services.withdraw_consent(actor=users["leader_a"], pairing=pairing)
    with pytest.raises(RuleViolationError) as error:
        make_entry("families", tree["collective_a"], pairing=pairing.pk)
    assert codes_of(error.value) == {("ledger.pairing_inactive", "pairing")}


@pytest.mark.parametrize(("role", "allowed"), [
    ("leader_a", True), ("unit_admin_a", True), ("city_admin", True),
    ("leader_b", False), ("unit_admin_b", False), ("judge", False),
])
def test_who_may_record_in_a_collectives_ledger(role, allowed, tree, users, campaign):
    data = entry_data("open_week", tree["collective_a"])
    if allowed:
        services.create_entry(actor=users[role], collective=tree["collective_a"], campaign=campaign, data=data)
        assert LedgerEntry.objects.count() == 1
    else:
        with pytest.raises(NotPermitted):
            services.create_entry(actor=users[role], collective=tree["collective_a"], campaign=campaign, data=data)


def test_a_campaign_of_another_city_is_refused(tree, users):
    other_city = factories.unit(name="烟台市团委", kind="city")
    other = factories.campaign(office=other_city, year=timezone.localdate().year)
    with pytest.raises(RuleViolationError) as error:
        services.create_entry(actor=users["leader_a"], collective=tree["collective_a"], campaign=other,
                              data=entry_data("open_week", tree["collective_a"]))
    assert codes_of(error.value) == {("ledger.campaign", "campaign")}


def test_update_keeps_the_activity_and_audits_what_changed(tree, users, make_entry):
    entry = make_entry("study", tree["collective_a"])
    members = list(tree["collective_a"].members.order_by("id"))
    data = {**entry_data("study", tree["collective_a"], attendees=[members[0].pk], topic="新主题"),
            "activity": "open_week"}
    services.update_entry(actor=users["unit_admin_a"], entry=entry, data=data)
    entry.refresh_from_db()
    assert entry.activity == "study" and entry.topic == "新主题"
    assert list(entry.attendees.values_list("pk", flat=True)) == [members[0].pk]
    audit = AuditEntry.objects.get(action="ledger.entry_update")
    assert audit.before == {"topic": "学习党的十九大精神",
                            "attendees": [{"id": m.pk, "name": m.name} for m in members[:5]]}
    assert audit.after == {"topic": "新主题", "attendees": [{"id": members[0].pk, "name": members[0].name}]}


def test_delete_removes_the_entry_its_files_and_comments(tree, users, make_entry, media_storage,  # noqa: F811
                                                        django_capture_on_commit_callbacks):
    media_root, _ = media_storage
    entry = make_entry("open_week", tree["collective_a"])
    with django_capture_on_commit_callbacks(execute=True):
        services.add_attachment(actor=users["leader_a"], entry=entry, upload=upload("开放日.jpg", jpeg(800, 600)))
    services.add_comment(actor=users["unit_admin_a"], entry=entry, text="请补充参观人数的来源。")
    assert any(media_root.rglob("*.jpg"))
    with pytest.raises(NotPermitted):
        services.delete_entry(actor=users["leader_b"], entry=entry)
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_entry(actor=users["leader_a"], entry=entry)
    assert not LedgerEntry.objects.exists() and not EntryAttachment.objects.exists()
    assert not EntryComment.objects.exists()
    assert not [path for path in media_root.rglob("*") if path.is_file()]
    assert AuditEntry.objects.filter(action="ledger.entry_delete").count() == 1


# --- files ---------------------------------------------------------------------------------------------------

FILES = [
    ("现场.jpg", lambda: jpeg(800, 600), "picture", "image/jpeg"),
    ("展板.png", lambda: png(640, 480), "picture", "image/png"),
    ("签到表.pdf", lambda: b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "pdf", "application/pdf"),
    ("总结.docx", lambda: docx("青年大学习总结"), "docx",
     "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
]


@pytest.mark.parametrize(("name", "make", "kind", "content_type"), FILES, ids=[f[0] for f in FILES])
def test_pictures_and_documents_are_accepted_by_their_content(name, make, kind, content_type, tree, users,
                                                             make_entry, media_storage,  # noqa: F811
                                                             django_capture_on_commit_callbacks):
    entry = make_entry("open_week", tree["collective_a"])
    with django_capture_on_commit_callbacks(execute=True):  # the thumbnail task runs once the upload commits
        attachment = services.add_attachment(actor=users["leader_a"], entry=entry, upload=upload(name, make()))
    attachment.refresh_from_db()
    assert (attachment.kind, attachment.content_type, attachment.original_name) == (kind, content_type, name)
    if kind == "picture":
        assert attachment.width and attachment.derivatives == "ready" and attachment.thumbnail.name
    assert AuditEntry.objects.filter(action="ledger.file_upload").count() == 1


REFUSED = [
    ("照片.jpg", not_media, "file.type"),
    ("照片.jpg", lambda: truncated_jpeg(800, 600), "photo.corrupt"),
    ("宏.docx", lambda: docm("宏"), "file.type"),
    ("空.pdf", lambda: b"", "file.empty"),
]


@pytest.mark.parametrize(("name", "make", "code"), REFUSED, ids=[r[2] + "-" + r[0] for r in REFUSED])
def test_other_files_are_refused_and_nothing_is_left(name, make, code, tree, users, make_entry,
                                                    media_storage):  # noqa: F811
    media_root, temp_dir = media_storage
    entry = make_entry("open_week", tree["collective_a"])
    with pytest.raises(RuleViolationError) as error:
        services.add_attachment(actor=users["leader_a"], entry=entry, upload=upload(name, make()))
    assert [violation.code for violation in error.value.violations] == [code]
    assert name in error.value.violations[0].message or code == "file.empty"
    assert not EntryAttachment.objects.exists()
    assert not [path for path in media_root.rglob("*") if path.is_file()]


def test_a_file_past_the_limit_is_refused(tree, users, make_entry, media_storage, settings):  # noqa: F811
    settings.WMH_LEDGER_FILE_MAX_BYTES = 10_000
    entry = make_entry("open_week", tree["collective_a"])
    with pytest.raises(RuleViolationError) as error:
        services.add_attachment(actor=users["leader_a"], entry=entry, upload=upload("大图.jpg", jpeg(1600, 1200)))
    assert error.value.violations[0].code == "file.too_large"
    assert not EntryAttachment.objects.exists()


# --- comments ------------------------------------------------------------------------------------------------

def test_a_units_comment_notifies_the_collective_and_the_collective_handles_it(tree, users, make_entry):
    from wenminghao.core.models import Notification

    leader_delegate = factories.account(username="delegate_a", role="collective", collective=tree["collective_a"],
                                        is_delegate=True)
    entry = make_entry("study", tree["collective_a"])
    comment = services.add_comment(actor=users["unit_admin_a"], entry=entry, text="请补充参学人员签到表。")
    assert comment.author_unit == tree["area_a"]
    recipients = set(Notification.objects.values_list("recipient__username", flat=True))
    assert recipients == {"leader_a", leader_delegate.username}
    message = Notification.objects.first().message
    assert "环翠区团委" in message and entry.title in message and "签到表" in message
    with pytest.raises(NotPermitted):
        services.resolve_comment(actor=users["leader_b"], comment=comment)
    services.resolve_comment(actor=users["leader_a"], comment=comment)
    comment.refresh_from_db()
    assert comment.resolved_by == users["leader_a"] and comment.resolved_at is not None
    assert set(AuditEntry.objects.values_list("action", flat=True)) >= {"ledger.comment", "ledger.comment_resolve"}


@pytest.mark.parametrize(("role", "allowed"), [
    ("unit_admin_a", True), ("city_admin", True), ("leader_a", False), ("leader_b", False),
    ("unit_admin_b", False), ("judge", False),
])
def test_only_the_units_above_comment(role, allowed, tree, users, make_entry):
    entry = make_entry("study", tree["collective_a"])
    if allowed:
        services.add_comment(actor=users[role], entry=entry, text="已阅。")
    else:
        with pytest.raises(NotPermitted):
            services.add_comment(actor=users[role], entry=entry, text="已阅。")


@pytest.mark.parametrize(("text", "code"), [
    ("", "ledger.comment_required"), ("意" * 1001, "ledger.comment_too_long"),
    (f"请核对{FAMILY_REF}家庭", "ledger.family_ref_in_text"),
])
def test_comment_rules(text, code, tree, users, make_entry, make_pairing):
    make_pairing(tree["collective_a"])
    entry = make_entry("study", tree["collective_a"])
    with pytest.raises(RuleViolationError) as error:
        services.add_comment(actor=users["unit_admin_a"], entry=entry, text=text)
    assert [violation.code for violation in error.value.violations] == [code]
    assert not EntryComment.objects.exists()
