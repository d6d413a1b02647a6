"""The 助千家 pairing services, table-driven: every rule of create_pairing and add_pairing_review with its code and
field, all at once, nothing written on a refusal; who may act; ending a pairing; the guardian withdrawing consent
(number and area erased, the visits' files deleted from storage, counts kept, no visit afterwards); and the audit
log, whose before/after of every pairing action carry the masked number only."""

import datetime
import json

import pytest
from django.utils import timezone

from tests.ledger.conftest import FAMILY_REF, entry_data, pairing_data
from tests.works.media_fixtures import files_under, jpeg, media_storage, upload  # noqa: F401 - a fixture
from wenminghao.core.errors import NotPermitted, RuleViolationError
from wenminghao.core.models import AuditEntry
from wenminghao.ledger import services
from wenminghao.ledger.enums import PairingState
from wenminghao.ledger.masking import mask_family_ref
from wenminghao.ledger.models import EntryAttachment, LedgerEntry, Pairing, PairingHelpKind, PairingReview

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
TOMORROW = (TODAY + datetime.timedelta(days=1)).isoformat()
YESTERDAY = (TODAY - datetime.timedelta(days=1)).isoformat()
MASKED = mask_family_ref(FAMILY_REF)
REVIEW = {"date": YESTERDAY, "outcome": "improving", "income_trend": "rising", "note": "家庭收入稳定增加。"}


def codes_of(error: RuleViolationError) -> set[tuple[str, str | None]]:
    return {(violation.code, violation.field) for violation in error.violations}


@pytest.fixture
def pairing(tree, make_pairing):
    return make_pairing(tree["collective_a"])


# --- create_pairing ---------------------------------------------------------------------------------------------

# (overrides of pairing_data(), the expected (code, field) pairs: exactly these, nothing else)
CREATE_RULES = [
    ({"family_ref": ""}, {("pairing.family_ref_required", "family_ref")}),
    ({"family_ref": "  \t "}, {("pairing.family_ref_required", "family_ref")}),
    ({"family_ref": None}, {("pairing.family_ref_required", "family_ref")}),
    ({"family_ref": "12345"}, {("pairing.family_ref", "family_ref")}),  # fewer than 6
    ({"family_ref": "3" * 33}, {("pairing.family_ref", "family_ref")}),  # more than 32
    ({"family_ref": "3710/0219/8765"}, {("pairing.family_ref", "family_ref")}),
    ({"family_ref": "张三371002"}, {("pairing.family_ref", "family_ref")}),  # a name typed into the number
    ({"area": ""}, {("pairing.area_required", "area")}),
    ({"area": "   "}, {("pairing.area_required", "area")}),
    ({"area": "街" * 65}, {("pairing.area_too_long", "area")}),
    ({"youth_count": 0}, {("pairing.youth_count", "youth_count")}),
    ({"youth_count": 21}, {("pairing.youth_count", "youth_count")}),
    ({"youth_count": "两个"}, {("pairing.youth_count", "youth_count")}),
    ({"youth_count": ""}, {("pairing.youth_count", "youth_count")}),
    ({"youth_count": None}, {("pairing.youth_count", "youth_count")}),
    ({"help_kinds": []}, {("pairing.help_kinds_required", "help_kinds")}),
    ({"help_kinds": None}, {("pairing.help_kinds_required", "help_kinds")}),
    ({"help_kinds": ["education", "money"]}, {("pairing.help_kinds", "help_kinds")}),
    ({"started": ""}, {("pairing.started_required", "started")}),
    ({"started": None}, {("pairing.started_required", "started")}),
    ({"started": "2018-02-30"}, {("pairing.started", "started")}),
    ({"started": TOMORROW}, {("ledger.date_future", "started")}),
    ({"consent": False}, {("pairing.consent", "consent")}),
    ({"consent": None}, {("pairing.consent", "consent")}),
    ({"consent": "true"}, {("pairing.consent", "consent")}),  # only a real yes counts
    ({"consent_date": TOMORROW}, {("ledger.date_future", "consent_date")}),
    ({"consent_date": "去年"}, {("pairing.consent_date", "consent_date")}),
    # several at once: every unmet rule is listed
    ({"family_ref": "", "area": "", "youth_count": 0, "help_kinds": [], "started": "", "consent": False},
     {("pairing.family_ref_required", "family_ref"), ("pairing.area_required", "area"),
      ("pairing.youth_count", "youth_count"), ("pairing.help_kinds_required", "help_kinds"),
      ("pairing.started_required", "started"), ("pairing.consent", "consent")}),
    ({"family_ref": "1", "help_kinds": ["cash"], "started": TOMORROW, "consent_date": TOMORROW},
     {("pairing.family_ref", "family_ref"), ("pairing.help_kinds", "help_kinds"),
      ("ledger.date_future", "started"), ("ledger.date_future", "consent_date")}),
]


@pytest.mark.parametrize(("overrides", "expected"), CREATE_RULES)
def test_create_pairing_rules(overrides, expected, tree, users):
    with pytest.raises(RuleViolationError) as error:
        services.create_pairing(actor=users["leader_a"], collective=tree["collective_a"],
                                data=pairing_data(**overrides))
    assert codes_of(error.value) == expected
    assert all(violation.message for violation in error.value.violations)
    assert not Pairing.objects.exists() and not AuditEntry.objects.filter(action__startswith="pairing.").exists()


@pytest.mark.parametrize("again", [FAMILY_REF, f" {FAMILY_REF[:6]} {FAMILY_REF[6:]} ", FAMILY_REF.lower()])
def test_the_same_family_twice_is_a_duplicate_and_the_message_masks_the_number(again, tree, users, pairing):
    with pytest.raises(RuleViolationError) as error:
        services.create_pairing(actor=users["leader_a"], collective=tree["collective_a"],
                                data=pairing_data(family_ref=again, area="鲸园街道"))
    assert codes_of(error.value) == {("pairing.duplicate", "family_ref")}
    message = error.value.violations[0].message
    assert MASKED in message and FAMILY_REF not in message
    assert Pairing.objects.count() == 1


def test_the_same_family_may_pair_with_another_collective(tree, users, pairing):
    other = services.create_pairing(actor=users["leader_b"], collective=tree["collective_b"], data=pairing_data())
    assert other.family_ref == FAMILY_REF and other.collective == tree["collective_b"]


def test_a_valid_pairing_keeps_the_minimum_and_who_recorded_the_consent(tree, users):
    pairing = services.create_pairing(
        actor=users["unit_admin_a"], collective=tree["collective_a"],
        data=pairing_data(family_ref=" 3710 0219 8765 43ab42 ", help_kinds=["education", "rights", "education"],
                          consent_date=YESTERDAY),
        ip_address="10.0.0.7")
    pairing.refresh_from_db()
    assert pairing.family_ref == "37100219876543AB42"  # no spaces, upper case
    assert (pairing.area, pairing.youth_count, pairing.state) == ("环翠楼街道", 2, PairingState.ACTIVE)
    assert pairing.consent_date.isoformat() == YESTERDAY
    assert pairing.consent_recorded_by == users["unit_admin_a"] == pairing.created_by
    assert sorted(pairing.help_kinds.values_list("kind", flat=True)) == ["education", "rights"]
    audit = AuditEntry.objects.get(action="pairing.create")
    assert audit.actor == users["unit_admin_a"] and audit.ip_address == "10.0.0.7"
    assert audit.after["family_ref"] == "**************AB42" and audit.after["help_kinds"] == ["助学扶智", "权益维护"]


def test_consent_date_defaults_to_today(tree, users):
    data = pairing_data()
    data.pop("consent_date", None)
    pairing = services.create_pairing(actor=users["leader_a"], collective=tree["collective_a"], data=data)
    assert pairing.consent_date == TODAY


@pytest.mark.parametrize(("role", "allowed"), [
    ("leader_a", True), ("unit_admin_a", True), ("city_admin", True),
    ("leader_b", False), ("unit_admin_b", False), ("judge", False),
])
def test_who_may_create_a_pairing(role, allowed, tree, users):
    call = lambda: services.create_pairing(actor=users[role], collective=tree["collective_a"],  # noqa: E731
                                           data=pairing_data())
    if allowed:
        assert call().collective == tree["collective_a"]
    else:
        with pytest.raises(NotPermitted):
            call()
        assert not Pairing.objects.exists()


# --- add_pairing_review --------------------------------------------------------------------------------------------

REVIEW_RULES = [
    ({"date": ""}, {("pairing.date_required", "date")}),
    ({"date": "2018-13-01"}, {("pairing.date", "date")}),
    ({"date": TOMORROW}, {("ledger.date_future", "date")}),
    ({"date": (TODAY - datetime.timedelta(days=400)).isoformat()}, {("pairing.review_before_start", "date")}),
    ({"outcome": ""}, {("pairing.outcome_required", "outcome")}),
    ({"outcome": "rich"}, {("pairing.outcome", "outcome")}),
    ({"income_trend": None}, {("pairing.income_trend_required", "income_trend")}),
    ({"income_trend": "up"}, {("pairing.income_trend", "income_trend")}),
    ({"note": "字" * 1001}, {("pairing.note_too_long", "note")}),
    ({"note": f"编号{FAMILY_REF}的家庭已脱贫"}, {("ledger.family_ref_in_text", "note")}),
    ({"note": f"编号{FAMILY_REF.lower()}"}, {("ledger.family_ref_in_text", "note")}),
    ({"date": TOMORROW, "outcome": "", "income_trend": "up", "note": FAMILY_REF},
     {("ledger.date_future", "date"), ("pairing.outcome_required", "outcome"),
      ("pairing.income_trend", "income_trend"), ("ledger.family_ref_in_text", "note")}),
]


@pytest.mark.parametrize(("overrides", "expected"), REVIEW_RULES)
def test_review_rules(overrides, expected, users, pairing):
    with pytest.raises(RuleViolationError) as error:
        services.add_pairing_review(actor=users["leader_a"], pairing=pairing, data={**REVIEW, **overrides})
    assert codes_of(error.value) == expected
    assert not PairingReview.objects.exists() and not AuditEntry.objects.filter(action="pairing.review").exists()


def test_a_review_message_never_repeats_the_number(users, pairing):
    with pytest.raises(RuleViolationError) as error:
        services.add_pairing_review(actor=users["leader_a"], pairing=pairing, data={**REVIEW, "note": FAMILY_REF})
    assert all(FAMILY_REF not in violation.message for violation in error.value.violations)
    assert MASKED in error.value.violations[0].message


def test_a_valid_review_is_recorded_and_audited(users, pairing):
    review = services.add_pairing_review(actor=users["unit_admin_a"], pairing=pairing, data=REVIEW)
    assert (review.outcome, review.income_trend, review.created_by) == ("improving", "rising", users["unit_admin_a"])
    audit = AuditEntry.objects.get(action="pairing.review")
    assert audit.after == {"date": YESTERDAY, "outcome": "improving", "income_trend": "rising"}


@pytest.mark.parametrize("role", ["leader_b", "unit_admin_b", "judge"])
def test_outsiders_may_not_review(role, users, pairing):
    with pytest.raises(NotPermitted):
        services.add_pairing_review(actor=users[role], pairing=pairing, data=REVIEW)


# --- end_pairing ----------------------------------------------------------------------------------------------------


def test_ending_a_pairing_keeps_its_data_and_stops_visits_and_reviews(tree, users, campaign, pairing):
    ended = services.end_pairing(actor=users["leader_a"], pairing=pairing, ended=TODAY)
    ended.refresh_from_db()
    assert (ended.state, ended.ended, ended.family_ref, ended.area) == (PairingState.ENDED, TODAY, FAMILY_REF,
                                                                        "环翠楼街道")
    audit = AuditEntry.objects.get(action="pairing.end")
    assert audit.before == {"state": "active", "ended": None}
    assert audit.after == {"state": "ended", "ended": TODAY.isoformat()}
    with pytest.raises(RuleViolationError) as error:
        services.create_entry(actor=users["leader_a"], collective=tree["collective_a"], campaign=campaign,
                              data=entry_data("families", tree["collective_a"], pairing=pairing.pk))
    assert codes_of(error.value) == {("ledger.pairing_inactive", "pairing")}
    with pytest.raises(NotPermitted):
        services.add_pairing_review(actor=users["leader_a"], pairing=ended, data=REVIEW)
    with pytest.raises(NotPermitted):
        services.end_pairing(actor=users["leader_a"], pairing=ended)


@pytest.mark.parametrize("ended", [TODAY + datetime.timedelta(days=1), TODAY - datetime.timedelta(days=400)])
def test_the_end_date_lies_between_the_start_and_today(ended, users, pairing):
    with pytest.raises(RuleViolationError) as error:
        services.end_pairing(actor=users["leader_a"], pairing=pairing, ended=ended)
    assert codes_of(error.value) == {("pairing.ended", "ended")}
    pairing.refresh_from_db()
    assert pairing.state == PairingState.ACTIVE and not AuditEntry.objects.filter(action="pairing.end").exists()


def test_the_end_date_defaults_to_today(users, pairing):
    assert services.end_pairing(actor=users["leader_a"], pairing=pairing).ended == TODAY


@pytest.mark.parametrize("role", ["leader_b", "unit_admin_b", "judge"])
def test_outsiders_may_not_end_a_pairing(role, users, pairing):
    with pytest.raises(NotPermitted):
        services.end_pairing(actor=users[role], pairing=pairing)


# --- withdraw_consent -------------------------------------------------------------------------------------------


@pytest.fixture
def visited(tree, users, pairing, make_entry, media_storage, django_capture_on_commit_callbacks):  # noqa: F811
    """The pairing with two visits (one with a photo and its thumbnail on disk, one with none) and a review."""
    collective = tree["collective_a"]
    with django_capture_on_commit_callbacks(execute=True):  # the thumbnail task runs on commit
        visit = make_entry("families", collective, pairing=pairing.pk, title="第一次走访")
        services.add_attachment(actor=users["leader_a"], entry=visit, upload=upload("走访.jpg", jpeg(800, 600)))
    make_entry("families", collective, pairing=pairing.pk, follow_up=True, title="回头看走访")
    services.add_pairing_review(actor=users["leader_a"], pairing=pairing, data=REVIEW)
    return pairing, visit


def test_withdrawal_erases_the_identity_and_the_visit_photos_and_keeps_the_counts(
        tree, users, campaign, visited, media_storage, django_capture_on_commit_callbacks):  # noqa: F811
    pairing, visit = visited
    media_root, _ = media_storage
    attachment = EntryAttachment.objects.get(entry=visit)
    assert attachment.thumbnail.name  # made by the task
    stored = [media_root / attachment.original.name, media_root / attachment.thumbnail.name]
    assert all(path.is_file() for path in stored)

    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw_consent(actor=users["unit_admin_a"], pairing=pairing, ip_address="10.0.0.9")

    pairing.refresh_from_db()
    assert (pairing.family_ref, pairing.area, pairing.state) == ("", "", PairingState.WITHDRAWN)
    assert pairing.ended == TODAY and pairing.consent_withdrawn_by == users["unit_admin_a"]
    assert pairing.consent_withdrawn_at is not None
    assert not any(path.exists() for path in stored)
    assert not [path for path in files_under(media_root) if "ledger" in path.parts]
    assert not EntryAttachment.objects.filter(entry__pairing=pairing).exists()
    # the counts stay for the indicators
    assert pairing.youth_count == 2
    assert list(PairingHelpKind.objects.filter(pairing=pairing).values_list("kind", flat=True)) == ["education"]
    assert LedgerEntry.objects.filter(pairing=pairing).count() == 2 and pairing.reviews.count() == 1
    # the audit: masked before, blank after, how many files went
    audit = AuditEntry.objects.get(action="pairing.withdraw_consent")
    assert audit.before["family_ref"] == MASKED and audit.before["area"] == "环翠楼街道"
    assert audit.after["family_ref"] == "" and audit.after["area"] == "" and audit.after["deleted_files"] == 1
    assert audit.ip_address == "10.0.0.9"
    assert FAMILY_REF not in json.dumps([audit.before, audit.after, audit.object_repr], ensure_ascii=False)


def test_after_withdrawal_no_visit_photo_or_review_can_be_added(tree, users, campaign, visited,
                                                                 media_storage):  # noqa: F811
    pairing, visit = visited
    services.withdraw_consent(actor=users["leader_a"], pairing=pairing)
    with pytest.raises(RuleViolationError) as error:
        services.create_entry(actor=users["leader_a"], collective=tree["collective_a"], campaign=campaign,
                              data=entry_data("families", tree["collective_a"], pairing=pairing.pk))
    assert codes_of(error.value) == {("ledger.pairing_inactive", "pairing")}
    with pytest.raises(RuleViolationError) as error:
        services.add_attachment(actor=users["leader_a"], entry=visit, upload=upload("又一张.jpg", jpeg(800, 600)))
    assert codes_of(error.value) == {("ledger.pairing_withdrawn", "file")}
    pairing.refresh_from_db()
    with pytest.raises(NotPermitted):
        services.add_pairing_review(actor=users["leader_a"], pairing=pairing, data=REVIEW)
    with pytest.raises(RuleViolationError) as error:
        services.withdraw_consent(actor=users["leader_a"], pairing=pairing)
    assert codes_of(error.value) == {("pairing.withdrawn", "consent")}
    assert AuditEntry.objects.filter(action="pairing.withdraw_consent").count() == 1


def test_an_ended_pairing_can_still_be_withdrawn_and_keeps_its_end_date(users, pairing):
    earlier = TODAY - datetime.timedelta(days=10)
    services.end_pairing(actor=users["leader_a"], pairing=pairing, ended=earlier)
    pairing.refresh_from_db()
    withdrawn = services.withdraw_consent(actor=users["city_admin"], pairing=pairing)
    assert (withdrawn.state, withdrawn.ended, withdrawn.family_ref) == (PairingState.WITHDRAWN, earlier, "")


@pytest.mark.parametrize("role", ["leader_b", "unit_admin_b", "judge"])
def test_outsiders_may_not_withdraw(role, users, pairing):
    with pytest.raises(NotPermitted):
        services.withdraw_consent(actor=users[role], pairing=pairing)
    pairing.refresh_from_db()
    assert pairing.family_ref == FAMILY_REF


# --- the audit log never holds the number in full ----------------------------------------------------------------


def _create(users, tree, pairing):
    return pairing  # made by the fixture, through the service


def _view(users, tree, pairing):
    services.record_pairing_view(actor=users["unit_admin_a"], pairing=pairing, ip_address="10.0.0.1")


def _review(users, tree, pairing):
    services.add_pairing_review(actor=users["leader_a"], pairing=pairing, data=REVIEW)


def _end(users, tree, pairing):
    services.end_pairing(actor=users["leader_a"], pairing=pairing)


def _withdraw(users, tree, pairing):
    services.withdraw_consent(actor=users["leader_a"], pairing=pairing)


@pytest.mark.parametrize(("action", "perform"), [
    ("pairing.create", _create), ("pairing.view", _view), ("pairing.review", _review), ("pairing.end", _end),
    ("pairing.withdraw_consent", _withdraw),
])
def test_every_pairing_action_is_audited_with_the_number_masked_only(action, perform, users, tree, pairing):
    perform(users, tree, pairing)
    entries = AuditEntry.objects.filter(object_type="ledger.pairing", object_id=str(pairing.pk))
    entry = entries.get(action=action)
    assert entry.actor is not None and entry.unit_path == tree["area_a"].path
    for audit in entries:
        written = json.dumps([audit.before, audit.after, audit.object_repr], ensure_ascii=False)
        assert FAMILY_REF not in written and FAMILY_REF[:-4] not in written
        for values in (audit.before or {}, audit.after or {}):
            assert values.get("family_ref", "") in ("", MASKED)
    if action in ("pairing.create", "pairing.withdraw_consent"):
        snapshot = entry.after if action == "pairing.create" else entry.before
        assert snapshot["family_ref"] == MASKED


def test_a_view_is_audited_with_who_and_from_where(users, pairing):
    services.record_pairing_view(actor=users["city_admin"], pairing=pairing, ip_address="10.0.0.3")
    services.record_pairing_view(actor=users["city_admin"], pairing=pairing, ip_address="10.0.0.3", via="api")
    views = list(AuditEntry.objects.filter(action="pairing.view").order_by("id"))
    assert [(view.actor, view.ip_address, view.after) for view in views] == [
        (users["city_admin"], "10.0.0.3", {"via": "page"}), (users["city_admin"], "10.0.0.3", {"via": "api"})]
