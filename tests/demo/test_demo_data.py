import datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from tests.works.media_fixtures import media_storage  # noqa: F401 - a pytest fixture
from wenminghao.accounts.models import User
from wenminghao.campaigns.eligibility import check_collective
from wenminghao.campaigns.enums import FilingStatus
from wenminghao.campaigns.models import Campaign, CreationFiling
from wenminghao.collectives.enums import OrgType
from wenminghao.collectives.models import Collective, Honour, Member
from wenminghao.core.models import AuditEntry
from wenminghao.core.roles import Role
from wenminghao.demo import data as demo
from wenminghao.orgs.enums import UnitKind
from wenminghao.orgs.models import Unit
from wenminghao.reviews.models import UnitReport
from wenminghao.works.models import Work, WorkDecision, WorkFile

pytestmark = pytest.mark.django_db

DOCS = Path(__file__).resolve().parents[2] / "docs" / "demo-accounts.md"


def load() -> str:
    out = StringIO()
    call_command("load_demo_data", stdout=out)
    return out.getvalue()


def table_sizes() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Unit, User, Collective, Member, Honour, Campaign, CreationFiling, Work, WorkFile, WorkDecision,
                      UnitReport, AuditEntry)
    }


@pytest.fixture(autouse=True)
def _demo_media(media_storage):  # noqa: F811
    """The demo works' files go to a fresh directory, not the data directory."""
    return media_storage


@pytest.fixture
def loaded(db):
    load()


def current_campaigns() -> dict[str, Campaign]:
    year = demo.current_campaign_year(timezone.localdate())
    return {
        "city": Campaign.objects.get(name=f"{year}年度威海市青年文明号创建"),
        "province": Campaign.objects.get(name=f"{year - 1}—{year}年度省级青年文明号创建"),
    }


def test_second_run_changes_nothing_and_says_so(db):
    first = load()
    assert "已载入演示数据" in first and "集体45个" in first
    assert f"作品{len(demo.WORKS)}件" in first and "盖章汇总表1份" in first
    sizes = table_sizes()
    second = load()
    assert second.strip() == "演示数据已齐全，本次未做任何修改。"
    assert table_sizes() == sizes


def test_a_partial_load_is_completed_by_the_next_run(db):
    load()
    User.objects.get(username="judge2").delete()
    assert "账号1个" in load()
    assert User.objects.filter(username="judge2", role=Role.JUDGE).exists()


def test_refuses_outside_a_demo_environment(db, settings):
    settings.DEMO = settings.DEBUG = settings.TESTING = False
    with pytest.raises(CommandError, match="WMH_DEMO=1"):
        call_command("load_demo_data", stdout=StringIO())
    assert not Unit.objects.exists()


def test_tree_has_the_province_above_weihai_and_its_units(loaded):
    city = Unit.objects.get(name="威海市团委")
    assert city.kind == UnitKind.CITY and city.parent.name == "山东省团委"
    assert city.parent.kind == UnitKind.PROVINCE and city.parent.parent is None
    children = set(Unit.objects.filter(parent=city).values_list("name", flat=True))
    assert {"环翠区团委", "文登区团委", "荣成市团委", "乳山市团委", "火炬高技术产业开发区团委", "经济技术开发区团委",
            "临港经济技术开发区团委", "南海新区团委"} <= children
    assert {"市公安局团委", "市交通运输局团委", "市卫生健康委团委", "市税务局团委", "国网威海供电公司团委",
            "市住建局团委"} <= children
    assert Unit.objects.get(name="火炬高技术产业开发区团委").short_name == "高区"


def test_every_demo_account_exists_with_its_role_and_the_demo_password(loaded):
    expected = {spec.key: spec.role for spec in demo.UNITS}
    expected.update({username: Role.JUDGE for username, _ in demo.JUDGES})
    expected.update({spec.username: Role.COLLECTIVE for spec in demo.COLLECTIVES})
    accounts = {account.username: account for account in User.objects.all()}
    assert {name: accounts[name].role for name in expected} == expected
    assert accounts["city"].unit.name == "威海市团委" and accounts["city"].role == Role.CITY_ADMIN
    assert accounts["province"].unit.name == "山东省团委" and accounts["province"].role == Role.CITY_ADMIN
    assert accounts["gongan"].unit.name == "市公安局团委"
    assert accounts["hc_zwfw"].collective.name == "环翠区政务服务中心综合窗口"
    for username in ("city", "huancui", "wendeng", "rongcheng", "rushan", "gaoqu", "gongan", "judge1", "hc_zwfw"):
        assert accounts[username].check_password(demo.PASSWORD)
    # made without an actor: nobody must change the published demo password first (accounts.gates)
    assert not any(account.must_change_password for account in accounts.values())


def test_every_collective_has_exactly_one_leader_account(loaded):
    assert Collective.objects.count() == len(demo.COLLECTIVES)
    for collective in Collective.objects.prefetch_related("accounts", "members"):
        assert len(collective.accounts.all()) == 1
        leaders = [member for member in collective.members.all() if member.is_leader]
        assert len(leaders) == 1
        assert 5 <= len(collective.members.all()) <= 30


def test_demo_collectives_cover_organisation_types(loaded):
    types = set(Collective.objects.values_list("org_type", flat=True))
    assert {OrgType.NON_PUBLIC, OrgType.SOCIAL, OrgType.STATE_ENTERPRISE, OrgType.PUBLIC_INSTITUTION} <= types


def test_each_collective_meets_its_intended_outcome_in_the_current_campaigns(loaded):
    campaigns = current_campaigns()
    for spec in demo.COLLECTIVES:
        collective = User.objects.get(username=spec.username).collective
        outcome = tuple(
            tuple(v.code for v in check_collective(campaigns[level], collective)) for level in ("city", "province")
        )
        assert outcome == spec.expect, spec.username


def test_every_refusal_reason_has_an_example_and_some_may_file(loaded):
    city_codes = [code for spec in demo.COLLECTIVES for code in spec.expect[0]]
    for code in (demo.PRIOR, demo.COUNT, demo.YOUTH, demo.LEADER, demo.STABLE):
        assert code in city_codes
    assert sum(1 for spec in demo.COLLECTIVES if spec.expect == demo.BOTH) >= 10
    assert sum(1 for spec in demo.COLLECTIVES if spec.expect == demo.CITY_ONLY) >= 10


def test_current_campaigns_are_open_with_deadlines_in_shanghai_time(loaded):
    campaigns = current_campaigns()
    year = demo.current_campaign_year(timezone.localdate())
    for campaign in campaigns.values():
        assert campaign.is_filing_open and campaign.is_open
        assert timezone.localtime(campaign.deadline).replace(tzinfo=None) == datetime.datetime(year, 8, 20, 0, 0)
        assert campaign.office.name == "威海市团委"
        assert campaign.contact_info == demo.OFFICE_CONTACT
    assert campaigns["city"].level == "city" and campaigns["province"].level == "province"


def test_the_notices_2018_campaigns_are_closed_and_hold_filings(loaded):
    province = Campaign.objects.get(name="2017—2018年度省级青年文明号创建")
    city = Campaign.objects.get(name="2018年度威海市青年文明号创建")
    assert province.level == "province" and city.level == "city"
    assert timezone.localtime(city.deadline).replace(tzinfo=None) == datetime.datetime(2018, 8, 20, 0, 0)
    assert city.reference_date == datetime.date(2018, 8, 20)
    assert city.filing_deadline < city.deadline and not city.is_open
    assert "jcb5225125@126.com" in city.contact_info and "解庆林、张建刚" in city.contact_info
    for campaign in (province, city):
        statuses = set(campaign.filings.values_list("status", flat=True))
        assert statuses == {FilingStatus.ACCEPTED, FilingStatus.RETURNED}
        assert all(f.filed_at.year == 2018 for f in campaign.filings.all())
    assert CreationFiling.objects.get(campaign=province, collective__name="威海公交集团1路车队").is_former


def test_current_filings_went_through_the_services_and_the_audit_log(loaded):
    campaigns = current_campaigns()
    statuses = set(CreationFiling.objects.filter(campaign=campaigns["city"]).values_list("status", flat=True))
    assert statuses == {FilingStatus.PENDING, FilingStatus.ACCEPTED, FilingStatus.RETURNED}
    returned = CreationFiling.objects.get(campaign=campaigns["city"], status=FilingStatus.RETURNED)
    assert returned.comment and returned.decided_by.username == "nanhai"
    assert AuditEntry.objects.filter(action="filing.create", actor__username="jy_bmfw").exists()
    assert AuditEntry.objects.filter(action="filing.return", actor__username="nanhai").exists()
    system = AuditEntry.objects.filter(actor__isnull=True)
    assert system.filter(action="unit.create").count() == len(demo.UNITS)
    assert system.filter(action="collective.create").count() == len(demo.COLLECTIVES)


def test_demo_city_admin_sees_the_tree_and_a_unit_admin_its_own_collectives(loaded, signed_in):
    response = signed_in(User.objects.get(username="city")).get("/units/")
    assert len(response.context["units"]) == Unit.objects.count() - 1  # all but the province
    huancui = signed_in(User.objects.get(username="huancui")).get("/units/")
    assert [unit.name for unit in huancui.context["units"]] == ["环翠区团委", "鲸园街道团工委"]
    assert huancui.context["units"][0].subtree_collective_count == 6


def test_demo_sign_in_by_mobile(loaded, client):
    response = client.post("/accounts/login/", {"login": demo.admin_mobile(2), "password": demo.PASSWORD})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == User.objects.get(username="city").pk
    assert client.get("/").status_code == 200  # the workbench itself, not the forced password change


def test_current_campaign_year_moves_on_after_the_filing_deadline():
    assert demo.current_campaign_year(datetime.date(2026, 3, 1)) == 2026
    assert demo.current_campaign_year(datetime.date(2026, 7, 31)) == 2026
    assert demo.current_campaign_year(datetime.date(2026, 8, 1)) == 2027
    assert demo.current_campaign_year(datetime.date(2026, 11, 28)) == 2027


def test_ages_are_exact_on_the_reference_date():
    from wenminghao.collectives.models import age_on

    reference = datetime.date(2027, 8, 20)
    for days in (1, 150, 300):
        assert age_on(demo.born(41, reference, days), reference) == 41


def test_docs_list_every_demo_account():
    assert DOCS.read_text(encoding="utf-8") == demo.accounts_markdown(), (
        "docs/demo-accounts.md is out of date: write demo.accounts_markdown() to it"
    )
    text = DOCS.read_text(encoding="utf-8")
    for spec in demo.COLLECTIVES:
        assert f"`{spec.username}`" in text


# --- the demo works (issue 4's review walk-through) -------------------------------------------------------------


def demo_works():
    return Work.objects.filter(campaign=current_campaigns()["city"]).select_related("collective__unit")


def reporting_unit_name(work) -> str:
    unit = work.collective.unit
    while unit.parent.name != "威海市团委":
        unit = unit.parent
    return unit.name


def test_demo_works_wait_at_each_stage_of_the_review(loaded):
    works = list(demo_works())
    assert 12 <= len(works) <= 18 and len(works) == len(demo.WORKS)
    by_unit: dict[str, dict[str, int]] = {}
    for work in works:
        counts = by_unit.setdefault(reporting_unit_name(work), {})
        counts[work.status] = counts.get(work.status, 0) + 1
    assert by_unit == {
        "环翠区团委": {"submitted": 6, "draft": 1, "returned": 1},
        "文登区团委": {"recommended": 4},
        "荣成市团委": {"recommended": 2},
    }
    returned = next(work for work in works if work.status == "returned")
    assert "重新提交" in returned.return_comment
    assert returned.decisions.get(stage="unit").actor.username == "huancui"  # after its submission (stage collective)
    assert {work.category for work in works if work.status == "submitted"} == {"photo", "publicity", "essay"}
    assert not demo_works().exclude(status__in=["draft", "submitted", "returned", "recommended"]).exists()
    # the showcase's works are those of the 2018 city campaign (tests/demo/test_demo_public.py)


def test_demo_works_come_from_collectives_with_accepted_filings(loaded):
    for work in demo_works():
        filing = CreationFiling.objects.get(campaign=work.campaign, collective=work.collective)
        assert filing.status == FilingStatus.ACCEPTED, work.title


def test_demo_works_went_through_the_services_and_the_audit_log(loaded):
    assert AuditEntry.objects.filter(action="work.create", actor__username="hc_zwfw").count() == 3
    assert AuditEntry.objects.filter(action="work.picture_upload", actor__username="hc_zwfw").count() == 5
    assert AuditEntry.objects.filter(action="work.submit", actor__username="wd_jzk").count() == 2
    assert AuditEntry.objects.filter(action="work.recommend", actor__username="wendeng").count() == 4
    assert AuditEntry.objects.filter(action="work.recommend", actor__username="rongcheng").count() == 2
    assert AuditEntry.objects.filter(action="work.return", actor__username="huancui").count() == 1
    assert AuditEntry.objects.filter(action="report.upload_scan", actor__username="wendeng").count() == 1
    ranks = sorted(Work.objects.filter(status="recommended", collective__unit__name="文登区团委", category="photo")
                   .values_list("unit_rank", flat=True))
    assert ranks == [1, 2]


def test_every_demo_photo_work_has_4_to_9_jpegs_of_at_least_1600_by_1200(loaded):
    from PIL import Image

    photo_works = demo_works().filter(category="photo")
    assert photo_works.count() >= 5
    for work in photo_works:
        pictures = list(work.files.filter(role="picture"))
        assert 4 <= len(pictures) <= 9, work.title
        for picture in pictures:
            with picture.original.open("rb") as handle, Image.open(handle) as image:
                assert image.format == "JPEG"
                image.load()  # decodes completely
                assert max(image.size) >= 1600 and min(image.size) >= 1200
            assert picture.caption and str(picture.width) and picture.sha256
        assert len(work.description) <= 200 and work.description


def test_demo_pictures_of_different_works_are_not_flagged_as_copies(loaded):
    """Perceptually similar pictures across works would show as originality flags in every review page."""
    from PIL import Image

    from wenminghao.works.similarity import MAX_DISTANCE, perceptual_hash

    hashes = []
    for picture in WorkFile.objects.filter(role__in=["picture", "screenshot"]):
        with picture.original.open("rb") as handle, Image.open(handle) as image:
            hashes.append((picture.work_id, int(perceptual_hash(image), 16)))
    assert len({sha for sha in WorkFile.objects.values_list("sha256", flat=True)}) == WorkFile.objects.count()
    for index, (work_a, hash_a) in enumerate(hashes):
        for work_b, hash_b in hashes[index + 1:]:
            if work_a != work_b:
                assert (hash_a ^ hash_b).bit_count() > MAX_DISTANCE


def test_the_demo_videos_are_short_mp4s_of_640_by_360(loaded):
    import av

    videos = list(WorkFile.objects.filter(role="video").select_related("work"))
    assert len(videos) == 2  # the current campaign's, and the 2018 showcase's (tests/demo/test_demo_public.py)
    for video in videos:
        assert video.content_type == "video/mp4" and video.work.display_form == "video"
        with video.original.open("rb") as handle, av.open(handle) as container:
            stream = container.streams.video[0]
            assert (stream.codec_context.width, stream.codec_context.height) == (640, 360)
            frames = sum(1 for _ in container.decode(stream))
            seconds = frames / stream.average_rate
        assert 5 <= seconds <= 10 and seconds <= 30
        assert 5 <= video.duration <= 10


def test_demo_h5_works_have_an_address_and_screenshots(loaded):
    h5 = demo_works().filter(display_form="h5")
    assert h5.count() == 2
    for work in h5:
        assert work.url.startswith("https://")
        assert work.files.filter(role="screenshot", content_type="image/jpeg").count() == 2


def test_demo_essays_are_within_their_limits(loaded):
    from wenminghao.works.attachment1 import ESSAY_MAX_CHARS, count_characters

    essays = list(demo_works().filter(category="essay"))
    assert {essay.essay_kind for essay in essays} == {"practice", "theory"}
    for essay in essays:
        count = count_characters(essay.essay_text)
        assert count <= ESSAY_MAX_CHARS[essay.essay_kind], essay.title
        if essay.status != "draft":
            assert essay.char_count == count
            assert count >= (2000 if essay.essay_kind == "theory" else 600), essay.title


def test_wendeng_has_reported_with_a_stamped_table_and_the_others_not(loaded):
    campaign = current_campaigns()["city"]
    report = UnitReport.objects.get(campaign=campaign)
    assert report.unit.name == "文登区团委" and report.uploaded_by.username == "wendeng"
    assert report.work_count == 4 and report.scan_content_type == "application/pdf"
    with report.stamped_scan.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"


def test_judges_sit_where_the_conflict_of_interest_shows(loaded):
    judges = {judge.username: judge for judge in User.objects.filter(role=Role.JUDGE).select_related("unit")}
    assert judges["judge3"].unit.name == "环翠区团委"
    assert judges["judge1"].unit.name == "威海市团委" and judges["judge2"].unit is None
    assert all(judge.display_name for judge in judges.values())
    emails = dict(User.objects.exclude(email="").values_list("username", "email"))
    assert {"city", "huancui", "hc_zwfw"} <= set(emails)
    assert all(address.endswith("@example.cn") for address in emails.values())


def test_the_demo_supports_issue_4s_review_walk_through(loaded):
    """huancui recommends its photo works; the city's blind round with judge1–3 skips judge3 for them."""
    from wenminghao.reviews.services import assign_works, create_round, set_judges, set_rubric
    from wenminghao.works.transitions import change_work_status

    huancui, city = User.objects.get(username="huancui"), User.objects.get(username="city")
    campaign = current_campaigns()["city"]
    submitted = [work for work in demo_works().filter(status="submitted") if reporting_unit_name(work) == "环翠区团委"]
    for work in submitted:
        change_work_status(actor=huancui, work=work, to_status="recommended")
    round_ = create_round(actor=city, campaign=campaign, category="photo", name="图片作品集中评议", is_blind=True)
    set_rubric(actor=city, round_=round_, criteria=[{"name": "主题契合", "weight": "1", "max_score": "10"}])
    set_judges(actor=city, round_=round_, judges=User.objects.filter(username__in=["judge1", "judge2", "judge3"]))
    result = assign_works(actor=city, round_=round_)
    photos = demo_works().filter(category="photo", status="recommended")
    from_huancui = [work for work in photos if reporting_unit_name(work) == "环翠区团委"]
    assert len(from_huancui) == 2
    assert {(work.pk, judge.username) for work, judge in result["skipped"]} == {
        (work.pk, "judge3") for work in from_huancui
    }
    assert result["created"] == 3 * photos.count() - len(from_huancui)


def test_a_deleted_demo_work_is_made_again_by_the_next_run(loaded):
    Work.objects.get(status="draft").delete()
    assert "作品1件" in load()
    assert Work.objects.filter(status="draft").count() == 1


def test_the_works_campaign_stays_open_for_a_year_from_any_day():
    """Loaded on any day, the works' campaign is still open, so the services accept submissions."""
    start = datetime.date(2026, 11, 28)
    for offset in range(0, 800, 3):
        day = start + datetime.timedelta(days=offset)
        spec = next(spec for spec in demo.campaigns(day) if spec.key == demo.WORK_CAMPAIGN)
        assert spec.deadline.date() > day and spec.filing_deadline.date() >= day, day


def test_the_demo_ledgers_tallies_agree_with_a_recount(loaded):
    from wenminghao.ledger import tallies
    from wenminghao.ledger.models import LedgerEntry, LedgerTally

    assert LedgerTally.objects.count() == LedgerEntry.objects.values("collective", "campaign").distinct().count() > 0
    assert tallies.discrepancies() == []

