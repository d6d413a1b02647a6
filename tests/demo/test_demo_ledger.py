"""The demo's ledger (issue 10): the collectives of 环翠区 and 文登区 keep entries of every activity across the year,
two pairings with visits and a 回头看, comments of their units and the city; some filed collectives have none. The
demo is loaded as tests/demo/test_demo_data.py loads it (its ``loaded`` fixture), through the real services."""

import datetime
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from PIL import Image

from tests.demo.test_demo_data import _demo_media, current_campaigns, load, loaded  # noqa: F401 - fixtures
from tests.works.media_fixtures import media_storage  # noqa: F401 - a pytest fixture
from wenminghao.accounts.models import User
from wenminghao.campaigns.models import CreationFiling
from wenminghao.collectives.models import Collective
from wenminghao.core.models import AuditEntry, Notification
from wenminghao.demo import data as demo
from wenminghao.demo import ledger as demo_ledger
from wenminghao.demo.management.commands.load_demo_data import Loader
from wenminghao.demo.media import LEDGER_PHOTO_SIZE
from wenminghao.ledger.enums import Activity, DerivativeState, focus_choices_for
from wenminghao.ledger.models import EntryAttachment, EntryComment, LedgerEntry, Pairing, PairingReview
from wenminghao.ledger.selectors import entries_visible_to, ledger_gaps, pairings_due_for_follow_up, study_summary

pytestmark = pytest.mark.django_db

DOCS = Path(__file__).resolve().parents[2] / "docs" / "demo-accounts.md"
ALL_ACTIVITIES = set(Activity.values)


def ledger_campaign():
    return current_campaigns()["city"]


def collective(username: str) -> Collective:
    return User.objects.get(username=username).collective


def ledger_sizes() -> dict[str, int]:
    return {
        "entries": LedgerEntry.objects.count(),
        "files": EntryAttachment.objects.count(),
        "pairings": Pairing.objects.count(),
        "reviews": PairingReview.objects.count(),
        "comments": EntryComment.objects.count(),
        "resolved": EntryComment.objects.filter(resolved_at__isnull=False).count(),
        "notifications": Notification.objects.count(),
        "audit": AuditEntry.objects.count(),
    }


# --- the demo's data itself (no database) ---------------------------------------------------------------------------


def test_study_roster_has_the_leader_lead_first_and_the_members_take_turns():
    sizes = {spec.username: spec.members for spec in demo.COLLECTIVES}
    for spec in demo_ledger.LEDGERS:
        members = sizes[spec.collective]
        roster = demo_ledger.study_roster(spec, members)
        assert len(roster) == len(spec.studies()) >= 1, spec.collective
        assert [led_by for led_by, _ in roster] == list(range(len(roster))), spec.collective
        attended = {member for _, attendees in roster for member in attendees}
        assert attended == set(range(spec.study_reach)), spec.collective
        assert 0.6 <= spec.study_reach / members <= 1, spec.collective
        for led_by, attendees in roster:
            assert led_by in attendees and len(attendees) < members
        assert roster == demo_ledger.study_roster(spec, members)  # the same every run


def test_demo_ledger_specs_are_consistent():
    """Targets come before the results that meet them, visits and the 回头看 fall within the pairing, every date
    lies in the eleven months before loading, and no text holds a registry number."""
    refs = [spec.pairing.family_ref for spec in demo_ledger.LEDGERS if spec.pairing]
    assert len(refs) == 2 and all(16 <= len(ref) <= 18 and ref.isdigit() for ref in refs)
    for spec in demo_ledger.LEDGERS:
        entries = spec.all_entries()
        keys = [(entry.activity, entry.title) for entry in entries]
        assert len(keys) == len(set(keys)), spec.collective
        assert all(1 <= entry.days_ago <= 335 for entry in entries), spec.collective
        by_title = {entry.title: entry for entry in entries}
        for entry in entries:
            if entry.meets:
                target = by_title[entry.meets]
                assert target.stage == "target" and target.days_ago > entry.days_ago, entry.title
            texts = (entry.title, entry.content, entry.topic, entry.against)
            assert not any(ref in text or ref[-8:] in text for ref in refs for text in texts), entry.title
        for comment in spec.comments:
            assert comment.entry in by_title, comment.entry
        if spec.pairing:
            start = spec.pairing.started_days_ago
            assert all(visit.days_ago <= start for visit in spec.pairing.visits)
            assert spec.pairing.review.days_ago <= start
            assert any(visit.follow_up and visit.days_ago == spec.pairing.review.days_ago
                       for visit in spec.pairing.visits)


# --- the loaded ledger ----------------------------------------------------------------------------------------------


@pytest.mark.usefixtures("loaded")
def test_huancui_and_wendeng_have_entries_of_every_activity_in_the_current_campaign():
    campaign = ledger_campaign()
    assert set(LedgerEntry.objects.values_list("campaign_id", flat=True)) == {campaign.pk}
    for unit in ("环翠区团委", "文登区团委"):
        activities = set(LedgerEntry.objects.filter(campaign=campaign, collective__unit__name=unit)
                         .values_list("activity", flat=True))
        assert activities == ALL_ACTIVITIES, unit
    for username in ("hc_zwfw", "wd_jzk"):
        assert set(collective(username).ledger_entries.values_list("activity", flat=True)) == ALL_ACTIVITIES
    assert LedgerEntry.objects.count() == sum(len(spec.all_entries()) for spec in demo_ledger.LEDGERS)


@pytest.mark.usefixtures("loaded")
def test_entries_went_through_the_services_as_their_leaders():
    """Every entry was recorded by its collective's leader through create_entry (which audits each one), so it
    obeys every rule of the service; each comes from a collective creating in the campaign."""
    entries = list(LedgerEntry.objects.select_related("collective", "created_by"))
    created = AuditEntry.objects.filter(action="ledger.entry_create")
    assert created.count() == len(entries)
    assert set(created.values_list("object_id", flat=True)) == {str(entry.pk) for entry in entries}
    filed = set(CreationFiling.objects.filter(campaign=ledger_campaign(), status__in=["pending", "accepted"])
                .values_list("collective_id", flat=True))
    for entry in entries:
        assert entry.created_by.collective_id == entry.collective_id, entry.title
        assert entry.collective_id in filed, entry.collective.name
    assert AuditEntry.objects.filter(action="pairing.create").count() == 2
    assert AuditEntry.objects.filter(action="pairing.review").count() == 2
    assert AuditEntry.objects.filter(action="ledger.file_upload").count() == EntryAttachment.objects.count()


@pytest.mark.usefixtures("loaded")
def test_no_entry_is_dated_in_the_future_and_they_spread_over_the_year():
    today = timezone.localdate()
    dates = list(LedgerEntry.objects.values_list("date", flat=True))
    assert max(dates) <= today
    assert min(dates) <= today - datetime.timedelta(days=300) and max(dates) >= today - datetime.timedelta(days=30)
    assert len({(day.year, day.month) for day in dates}) >= 9
    for pairing in Pairing.objects.all():
        assert pairing.started <= today and pairing.consent_date == pairing.started
    assert max(PairingReview.objects.values_list("date", flat=True)) <= today


@pytest.mark.usefixtures("loaded")
def test_exactly_two_pairings_each_with_visits_and_a_follow_up_review():
    pairings = list(Pairing.objects.select_related("collective__unit").order_by("collective__name"))
    assert len(pairings) == 2
    assert {pairing.collective.name for pairing in pairings} == {"环翠区政务服务中心综合窗口", "文登区人民医院急诊科"}
    assert {pairing.area for pairing in pairings} == {"环翠楼街道", "宋村镇"}
    for pairing in pairings:
        assert pairing.state == "active" and pairing.consent_recorded_by.collective_id == pairing.collective_id
        assert 16 <= len(pairing.family_ref) <= 18 and pairing.help_kinds.exists()
        visits = list(pairing.visits.all())
        assert len(visits) >= 2 and all(visit.date >= pairing.started for visit in visits)
        assert all(visit.activity == "families" and visit.help_kinds.exists() for visit in visits)
        review = pairing.reviews.get()
        assert review.date >= pairing.started and review.outcome and review.income_trend and review.note
        assert any(visit.follow_up and visit.date == review.date for visit in visits)
    due = {pairing.collective.name for pairing in pairings if pairings_due_for_follow_up(pairing.collective).exists()}
    assert due == {"文登区人民医院急诊科"}  # its 回头看 is more than half a year old: the workbench asks for another


@pytest.mark.usefixtures("loaded")
def test_unit_comments_one_handled_by_the_collective_one_open():
    by_huancui = EntryComment.objects.filter(author__username="huancui").select_related("entry__collective__unit")
    assert by_huancui.count() >= 2
    assert all(comment.entry.collective.unit.path.startswith(User.objects.get(username="huancui").unit.path)
               for comment in by_huancui)
    assert by_huancui.filter(resolved_at__isnull=True).exists()
    resolved = by_huancui.get(resolved_at__isnull=False)
    assert resolved.resolved_by.username == "hc_zwfw" and resolved.author_unit.name == "环翠区团委"
    assert "测算口径" in resolved.entry.content  # the leader acted on it before marking it handled
    assert AuditEntry.objects.filter(action="ledger.entry_update", actor__username="hc_zwfw",
                                     object_id=str(resolved.entry_id)).exists()
    assert AuditEntry.objects.filter(action="ledger.comment_resolve", actor__username="hc_zwfw").count() == 1
    by_wendeng = EntryComment.objects.get(author__username="wendeng")
    assert by_wendeng.entry.collective.unit.name == "文登区团委" and by_wendeng.resolved_at is None
    assert EntryComment.objects.filter(author__username="city", author_unit__name="威海市团委").count() == 1
    hc_zwfw = User.objects.get(username="hc_zwfw")
    assert Notification.objects.filter(recipient=hc_zwfw, message__startswith="环翠区团委评阅了台账记录").count() == 2
    gaps = ledger_gaps(hc_zwfw.collective, ledger_campaign())
    assert gaps.open_comment_count == 1 and not gaps.missing_activities and not gaps.pairings_due


@pytest.mark.usefixtures("loaded")
def test_some_filed_collectives_have_no_entries_and_some_miss_activities():
    campaign = ledger_campaign()
    filed = Collective.objects.filter(filings__campaign=campaign, filings__status__in=["pending", "accepted"])
    empty = set(filed.exclude(ledger_entries__campaign=campaign).values_list("name", flat=True))
    assert {"鲸园街道便民服务中心综合窗口", "社会保险服务大厅"} <= empty  # in 环翠区 (鲸园街道) and 文登区
    assert {"荣成市石岛边防派出所", "碳纤维工程技术中心"} <= empty  # other units' collectives
    missing = {username: {value for value, _ in ledger_gaps(collective(username), campaign).missing_activities}
               for username in ("hc_jjy", "hc_bdc", "wd_jmcj", "jy_lele")}
    assert missing == {"hc_jjy": {"families", "open_week"}, "hc_bdc": {"families"}, "wd_jmcj": {"families"},
                       "jy_lele": {"benchmark", "families", "open_week"}}


@pytest.mark.usefixtures("loaded")
def test_no_full_registry_number_in_notifications_audit_texts_or_docs():
    refs = list(Pairing.objects.values_list("family_ref", flat=True))
    assert len(refs) == 2 and all(refs)
    texts = [f"{n.message} {n.link}" for n in Notification.objects.all()]
    texts += [json.dumps([a.before, a.after, a.object_repr], ensure_ascii=False, default=str)
              for a in AuditEntry.objects.all()]
    texts += [" ".join(row) for row in LedgerEntry.objects.values_list("title", "content", "topic",
                                                                       "benchmark_against")]
    texts += list(EntryComment.objects.values_list("text", flat=True))
    texts += list(PairingReview.objects.values_list("note", flat=True))
    texts.append(DOCS.read_text(encoding="utf-8"))
    for ref in refs:
        assert not [text for text in texts if ref in text], ref
    masked = {AuditEntry.objects.get(action="pairing.create", object_id=str(p.pk)).after["family_ref"]
              for p in Pairing.objects.all()}
    assert masked == {"*" * (len(ref) - 4) + ref[-4:] for ref in refs}


@pytest.mark.usefixtures("loaded")
def test_study_sessions_rotate_with_mixed_forms_and_cover_most_members():
    campaign = ledger_campaign()
    forms = set()
    for spec in demo_ledger.LEDGERS:
        group = collective(spec.collective)
        sessions = list(group.ledger_entries.filter(activity="study").order_by("date", "id")
                        .select_related("led_by").prefetch_related("attendees"))
        assert sessions[0].led_by.is_leader, spec.collective
        assert len({session.led_by_id for session in sessions}) == len(sessions)  # a different member each time
        for session in sessions:
            assert session.led_by in session.attendees.all() and session.led_by_name == session.led_by.name
            forms.add(session.study_form)
        summary = study_summary(group, campaign)
        assert 0.6 <= summary.coverage <= 1 and summary.attended == spec.study_reach, spec.collective
    assert forms == {"seminar", "visit", "essay", "micro_lecture", "other"}


@pytest.mark.usefixtures("loaded")
def test_benchmarks_use_their_sectors_areas_and_results_meet_targets():
    benchmarks = list(LedgerEntry.objects.filter(activity="benchmark").select_related("collective", "meets_target"))
    assert sum(1 for entry in benchmarks if entry.stage == "target") >= 5
    for entry in benchmarks:
        assert entry.benchmark_against and entry.focus in dict(focus_choices_for(entry.collective.sector))
        if entry.meets_target:
            assert entry.stage == "result" and entry.meets_target.collective_id == entry.collective_id
            assert entry.meets_target.date < entry.date
    assert sum(1 for entry in benchmarks if entry.meets_target) >= 4
    assert {entry.collective.sector for entry in benchmarks} >= {"service", "production"}
    benefits = {(entry.benefit_kind, str(entry.benefit_value), entry.benefit_unit) for entry in benchmarks}
    assert {("social", "40.00", "分钟"), ("economic", "12.50", "万元")} <= benefits


@pytest.mark.usefixtures("loaded")
def test_open_week_entries_and_photos():
    for entry in LedgerEntry.objects.filter(activity="open_week"):
        assert entry.visitors and entry.shown_items.count() >= 3, entry.title
    photos = list(EntryAttachment.objects.select_related("entry"))
    assert len(photos) == sum(len(entry.photos) for spec in demo_ledger.LEDGERS for entry in spec.all_entries())
    assert {photo.entry.activity for photo in photos} == {"open_week", "benchmark"}  # never a family's visit
    for photo in photos:
        assert photo.kind == "picture" and photo.content_type == "image/jpeg"
        assert (photo.width, photo.height) == LEDGER_PHOTO_SIZE and photo.size < 300_000
        with photo.original.open("rb") as handle, Image.open(handle) as image:
            image.load()
            assert image.format == "JPEG" and image.size == LEDGER_PHOTO_SIZE
    assert EntryAttachment.objects.filter(entry__title="开放周·政务服务体验日").count() == 2


def test_photo_thumbnails_are_made_by_the_task_once_the_load_commits(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        load()
    photos = list(EntryAttachment.objects.all())
    assert photos and all(photo.derivatives == DerivativeState.READY and photo.thumbnail for photo in photos)
    with photos[0].thumbnail.open("rb") as handle, Image.open(handle) as image:
        assert max(image.size) == 400


@pytest.mark.usefixtures("loaded")
def test_ledger_collectives_show_their_commitment_and_supervision_phone():
    for spec in demo_ledger.LEDGERS:
        group = collective(spec.collective)
        assert group.public_commitment == spec.commitment and group.supervision_phone.startswith("0631-")


@pytest.mark.usefixtures("loaded")
def test_the_walk_through_accounts_see_only_their_own_ledgers():
    hc_zwfw = collective("hc_zwfw")
    huancui = entries_visible_to(User.objects.get(username="huancui"))
    assert huancui.filter(collective=hc_zwfw).exists() and huancui.filter(collective__unit__name="鲸园街道团工委")
    assert not huancui.filter(collective__unit__name="文登区团委").exists()
    assert not entries_visible_to(User.objects.get(username="wendeng")).filter(collective=hc_zwfw).exists()
    assert not entries_visible_to(User.objects.get(username="judge1")).exists()
    assert entries_visible_to(User.objects.get(username="city")).count() == LedgerEntry.objects.count()


def test_a_second_run_adds_nothing_to_the_ledger_and_a_third_completes_it(db):
    first = load()
    assert f"台账记录{LedgerEntry.objects.count()}条" in first and "结对家庭2户" in first and "回头看2次" in first
    sizes = ledger_sizes()
    assert load().strip() == "演示数据已齐全，本次未做任何修改。"
    assert ledger_sizes() == sizes
    # A deleted session, photo and open comment come back; the handled comment stays handled, once.
    LedgerEntry.objects.filter(activity="study", collective__name="生鲜加工班组").order_by("date").first().delete()
    EntryAttachment.objects.filter(entry__title="开放周·急诊开放日").delete()
    EntryComment.objects.filter(author__username="wendeng").delete()
    out = StringIO()
    call_command("load_demo_data", stdout=out)
    assert "台账记录1条" in out.getvalue() and "台账照片1张" in out.getvalue() and "评阅意见1条" in out.getvalue()
    assert {key: value for key, value in ledger_sizes().items() if key not in ("notifications", "audit")} == {
        key: value for key, value in sizes.items() if key not in ("notifications", "audit")}
    assert AuditEntry.objects.filter(action="ledger.comment_resolve").count() == 1


def test_a_run_on_another_day_adds_nothing_either(db):
    """What exists is found by its natural key, never by a date computed from the day of the run."""
    load()
    today = timezone.localdate()
    other = next(today + datetime.timedelta(days=offset) for offset in (20, -20)
                 if demo.current_campaign_year(today + datetime.timedelta(days=offset)) ==
                 demo.current_campaign_year(today))
    sizes = ledger_sizes()
    assert not any(Loader(other).run().values())
    assert ledger_sizes() == sizes


def test_docs_describe_the_ledger_walk_through():
    text = DOCS.read_text(encoding="utf-8")
    assert "## 演示台账" in text and "## 台账演示" in text
    for phrase in ("`hc_zwfw`", "**台账**", "`huancui`", "**查阅台账**", "`wendeng`", "`judge1`", "404"):
        assert phrase in text, phrase
