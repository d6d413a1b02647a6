"""Execution norms (执行规范, issue 15 item 2): a unit's versioned guidance for creation.

Services: versions count up per unit and never overwrite one another; the current one is the newest in force by
today (Asia/Shanghai), a later one is pending (将于…生效), older ones superseded; every rule broken is named at once
and nothing is written (no row, no file, no audit entry); only a unit's own admins publish. Selectors: a collective
reads the norms of its unit chain nearest first, an admin those of its chain and subtree, nobody another branch's;
the overview of a subtree with its counts. Pages: what each role sees, the publishing form (422 on refusal, nothing
written), the version page, the overview's filter, the links from the notices list and the workbench; the overview
and chain pages in a fixed number of queries at two sizes."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.pages import BACKEND, page
from tests.works.media_fixtures import docx, files_under, jpeg, not_media, upload
from wenminghao.core.errors import NotPermitted, RuleViolationError
from wenminghao.core.models import AuditEntry
from wenminghao.notices.models import NORM_BODY_MAX_CHARS, Norm, NormAttachment
from wenminghao.notices.selectors import (
    CURRENT,
    PENDING,
    SUPERSEDED,
    current_chain_norms,
    norm_chain,
    norm_counts,
    norm_overview,
    norms_visible_to,
)
from wenminghao.notices.services import publish_norm

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def today() -> datetime.date:
    return timezone.localdate()


@pytest.fixture
def norm(world):
    """norm(role, **fields) -> a version published by that account of the world (title and body filled in)."""

    def _norm(role="unit_admin_a", **fields):
        fields.setdefault("title", "环翠区青年文明号创建工作执行规范")
        fields.setdefault("body", "一、创建报备。\n\n二、台账记录。")
        fields.setdefault("effective_on", today())
        return publish_norm(actor=world["accounts"][role], **fields)

    return _norm


def codes(error) -> set[str]:
    return {violation.code for violation in error.value.violations}


# --- services ---------------------------------------------------------------------------------------------------


def test_versions_count_up_per_unit_and_never_overwrite_the_older_one(world, norm):
    first = norm(effective_on=today() - 10 * DAY)
    second = norm(title="修订版", body="新的正文", effective_on=today(), change_note="补充台账要求")
    city = norm("city_admin", title="威海市执行规范")
    assert (first.version, second.version, city.version) == (1, 2, 1)
    first.refresh_from_db()
    assert (first.title, first.body) == ("环翠区青年文明号创建工作执行规范", "一、创建报备。\n\n二、台账记录。")
    (entry,) = AuditEntry.objects.filter(action="norm.publish", object_id=str(second.pk))
    assert entry.actor == world["accounts"]["unit_admin_a"] and entry.unit_path == world["area_a"].path
    assert entry.after["version"] == 2 and entry.after["change_note"] == "补充台账要求"


def test_the_current_version_is_the_newest_in_force_a_later_one_is_pending(world, norm):
    first = norm(effective_on=today() - 30 * DAY)
    second = norm(effective_on=today() - DAY, change_note="第二版")
    third = norm(effective_on=today() + 5 * DAY, change_note="下周生效")
    (area_a,) = [item for item in norm_chain(world["accounts"]["leader_a"]) if item["unit"] == world["area_a"]]
    assert area_a["current"] == second and area_a["pending"] == [third]
    assert [(version.pk, version.state) for version in area_a["versions"]] == [
        (third.pk, PENDING), (second.pk, CURRENT), (first.pk, SUPERSEDED)]


def test_a_version_taking_effect_today_is_current_at_once(world, norm):
    norm(effective_on=today() - DAY)
    latest = norm(effective_on=today(), change_note="今天起施行")
    assert current_chain_norms(world["accounts"]["leader_a"]) == [latest]


def test_every_rule_broken_is_named_at_once_and_nothing_is_written(world, norm, media_storage):
    media_root, _ = media_storage
    norm(effective_on=today())
    before = (Norm.objects.count(), AuditEntry.objects.count())
    with pytest.raises(RuleViolationError) as error:
        norm(title="", body="", effective_on=today() - DAY, change_note="",
             files=[upload("规范.docx", docx("规范"))])
    assert codes(error) == {"norm.title_required", "norm.body_required", "norm.effective_before_previous",
                            "norm.change_note_required"}
    messages = " ".join(violation.message for violation in error.value.violations)
    assert f"早于第1版的生效日期{today():%Y年%m月%d日}" in messages and "与第1版相比改了什么" in messages
    assert (Norm.objects.count(), AuditEntry.objects.count()) == before and files_under(media_root) == []


def test_lengths_and_the_missing_date_are_refused_with_the_limits(world, norm):
    with pytest.raises(RuleViolationError) as error:
        norm(title="标" * 101, body="字" * (NORM_BODY_MAX_CHARS + 1), effective_on=None, change_note="改" * 201)
    assert codes(error) == {"norm.title_too_long", "norm.body_too_long", "norm.effective_on_required",
                            "norm.change_note_too_long"}
    messages = [violation.message for violation in error.value.violations]
    assert "标题为101字，最多100字" in messages and "请选择生效日期" in messages
    assert any(f"正文为{NORM_BODY_MAX_CHARS + 1}字，最多{NORM_BODY_MAX_CHARS}字" in text for text in messages)
    assert not Norm.objects.exists()
    longest = norm(body="字" * NORM_BODY_MAX_CHARS)  # the limit itself is allowed
    assert len(longest.body) == NORM_BODY_MAX_CHARS


def test_the_first_version_needs_no_change_note_and_the_paragraphs_are_kept(norm):
    first = norm(body="  一、报备。\n\n二、台账。\n三、作品。  ")
    assert first.change_note == "" and first.body == "一、报备。\n\n二、台账。\n三、作品。"


def test_files_go_through_the_one_upload_path_and_a_refused_one_stores_nothing(world, norm, media_storage):
    media_root, _ = media_storage
    published = norm(files=[upload("自查清单.docx", docx("清单")), upload("流程.jpg", jpeg(400, 300))])
    kinds = sorted(NormAttachment.objects.filter(norm=published).values_list("kind", flat=True))
    assert kinds == ["docx", "picture"]
    assert all("/norms/" in str(path) for path in files_under(media_root)) and len(files_under(media_root)) == 2
    with pytest.raises(RuleViolationError) as error:
        norm(change_note="加附件", files=[upload("好的.docx", docx("好")), upload("伪装.pdf", not_media())])
    assert "执行规范附件可上传" in " ".join(violation.message for violation in error.value.violations)
    assert Norm.objects.count() == 1 and len(files_under(media_root)) == 2


@pytest.mark.parametrize("role", ["leader_a", "delegate_a", "judge"])
def test_only_a_units_admins_publish_its_norms(world, norm, role):
    with pytest.raises(NotPermitted):
        norm(role)
    assert not Norm.objects.exists() and not AuditEntry.objects.filter(action="norm.publish").exists()


def test_an_admin_publishes_for_its_own_unit_never_for_one_below(world, norm):
    published = norm("unit_admin_sub", title="街道执行规范")
    assert published.unit == world["sub_a"]
    assert norm("unit_admin_a").unit == world["area_a"]  # area_a's own, numbered on its own
    assert Norm.objects.get(unit=world["area_a"]).version == 1


# --- selectors --------------------------------------------------------------------------------------------------


def test_a_collective_reads_its_unit_chain_nearest_first_and_no_other_branch(world, norm):
    for role in ("city_admin", "unit_admin_a", "unit_admin_sub", "unit_admin_b"):
        norm(role, title=f"{role}的执行规范")
    chain = norm_chain(world["accounts"]["leader_sub"])
    assert [item["unit"] for item in chain] == [world["sub_a"], world["area_a"], world["city"]]
    assert [item["current"].title for item in chain] == ["unit_admin_sub的执行规范", "unit_admin_a的执行规范",
                                                         "city_admin的执行规范"]
    units_read = {norm.unit.name for norm in norms_visible_to(world["accounts"]["leader_a"])}
    assert units_read == {"环翠区团委", "威海市团委"}  # not the 街道 below it, not 文登区
    assert {norm.unit.name for norm in norms_visible_to(world["accounts"]["leader_b"])} == {"文登区团委", "威海市团委"}
    assert not norms_visible_to(world["accounts"]["judge"]).exists()


def test_an_admin_reads_its_chain_and_its_subtree(world, norm):
    for role in ("city_admin", "unit_admin_a", "unit_admin_sub", "unit_admin_b"):
        norm(role, title=f"{role}的执行规范")
    read = {norm.unit.name for norm in norms_visible_to(world["accounts"]["unit_admin_a"])}
    assert read == {"威海市团委", "环翠区团委", "环翠楼街道团委"}
    assert norms_visible_to(world["accounts"]["city_admin"]).count() == 4
    assert [item["unit"] for item in norm_chain(world["accounts"]["unit_admin_a"])] == [world["area_a"],
                                                                                        world["city"]]


def test_the_overview_shows_each_units_current_version_and_which_have_none(world, norm):
    norm(effective_on=today() - 5 * DAY)
    current = norm(title="环翠区执行规范（修订）", effective_on=today() - DAY, change_note="修订")
    pending = norm(effective_on=today() + 3 * DAY, change_note="下月起")
    only_pending = norm("unit_admin_b", effective_on=today() + 7 * DAY)
    city = world["accounts"]["city_admin"]
    rows = {unit.name: unit for unit in norm_overview(city)}
    assert list(rows) == ["威海市团委", "环翠区团委", "环翠楼街道团委", "文登区团委"]
    area_a = rows["环翠区团委"]
    assert (area_a.current_id, area_a.current_title, area_a.current_version) == (current.pk, current.title, 2)
    assert (area_a.latest_id, area_a.latest_version, area_a.latest_effective_on) == (pending.pk, 3,
                                                                                    pending.effective_on)
    area_b = rows["文登区团委"]
    assert area_b.has_norms and area_b.current_id is None and area_b.latest_id == only_pending.pk
    assert not rows["威海市团委"].has_norms
    assert norm_counts(city) == {"units": 4, "published": 2, "missing": 2}
    assert [unit.name for unit in norm_overview(city, missing_only=True)] == ["威海市团委", "环翠楼街道团委"]
    assert norm_counts(world["accounts"]["unit_admin_a"]) == {"units": 2, "published": 1, "missing": 1}
    assert not norm_overview(world["accounts"]["leader_a"]).exists()


# --- pages ------------------------------------------------------------------------------------------------------


def test_a_collective_finds_the_current_norms_of_its_chain_and_the_pending_one(as_, world, norm):
    norm("city_admin", title="威海市执行规范")
    norm(effective_on=today() - 3 * DAY, title="环翠区执行规范")
    pending = norm(effective_on=today() + 10 * DAY, title="环翠区执行规范（修订）", change_note="补充联系人")
    html = page(as_("leader_a").get(reverse("notices:norms")))
    assert html.index("环翠区执行规范") < html.index("威海市执行规范")
    day = pending.effective_on
    assert f"将于{day.month}月{day.day}日生效" in html and "此前仍执行第1版" in html
    assert "发布新版本" not in html and "各单位发布情况" not in html


def test_a_unit_without_norms_says_so_and_invites_its_admin(as_, world):
    html = page(as_("unit_admin_b").get(reverse("notices:norms")))
    assert "文登区团委尚未发布执行规范。请发布本单位的执行规范" in html and 'data-testid="publish-norm"' in html
    assert 'data-testid="norm-overview-link"' in html


def test_a_superseded_version_stays_readable_and_says_it(as_, world, norm):
    old = norm(body="旧的第一段\n\n旧的第二段", effective_on=today() - 9 * DAY)
    norm(title="新版", effective_on=today() - DAY, change_note="全面修订")
    html = page(as_("leader_a").get(reverse("notices:norm_detail", args=[old.pk])))
    assert "已废止的历史版本" in html and "现行版本是" in html and "<p>旧的第一段</p><p>旧的第二段</p>" in html
    assert "修订说明：全面修订" in html


def test_publishing_through_the_form_then_its_page(as_, world, norm, media_storage):
    norm(effective_on=today() - 5 * DAY)
    client = as_("unit_admin_a")
    form = page(client.get(reverse("notices:norm_create")))
    assert "将作为第2版发布" in form and "一、创建报备。" in form  # the previous text filled in to revise
    response = client.post(reverse("notices:norm_create"), {
        "title": "修订版", "body": "正文", "effective_on": (today() + 2 * DAY).isoformat(), "change_note": "改日期",
        "files": [upload("清单.docx", docx("清单"))]})
    created = Norm.objects.get(version=2)
    assert response.status_code == 302 and response["Location"] == reverse("notices:norm_detail", args=[created.pk])
    assert created.attachments.count() == 1
    html = page(client.get(response["Location"]))
    day = created.effective_on
    assert f"已发布“修订版”第2版，将于{day.month}月{day.day}日生效" in html and "本版本将于" in html


def test_a_refused_form_answers_422_with_every_reason_and_writes_nothing(as_, world, norm, media_storage):
    norm(effective_on=today())
    before = AuditEntry.objects.count()
    response = as_("unit_admin_a").post(reverse("notices:norm_create"), {
        "title": "", "body": "正文", "effective_on": (today() - DAY).isoformat(), "change_note": ""})
    html = page(response)
    assert response.status_code == 422
    assert "请填写执行规范的标题" in html and "新版本的生效日期不能早于上一版" in html and "请填写修订说明" in html
    assert Norm.objects.count() == 1 and AuditEntry.objects.count() == before


def test_an_unreadable_date_answers_422_and_names_the_format(as_, world):
    response = as_("unit_admin_b").post(reverse("notices:norm_create"), {
        "title": "文登区执行规范", "body": "正文", "effective_on": "7月25日"})
    assert response.status_code == 422 and "生效日期无法识别，请按“年-月-日”填写" in page(response)
    assert not Norm.objects.exists()


def test_collective_accounts_may_not_publish_and_judges_see_no_page(as_, world):
    assert as_("leader_a").get(reverse("notices:norm_create")).status_code == 403
    assert as_("leader_a").get(reverse("notices:norm_overview")).status_code == 403
    for name in ("notices:norms", "notices:norm_create", "notices:norm_overview"):
        assert as_("judge").get(reverse(name)).status_code == 404


def test_an_invisible_version_answers_404(as_, world, norm):
    sub = norm("unit_admin_sub")
    assert as_("leader_a").get(reverse("notices:norm_detail", args=[sub.pk])).status_code == 404
    assert as_("unit_admin_b").get(reverse("notices:norm_detail", args=[sub.pk])).status_code == 404
    assert as_("unit_admin_a").get(reverse("notices:norm_detail", args=[sub.pk])).status_code == 200


def test_the_overview_counts_and_filters_the_units_without_norms(as_, world, norm):
    norm()
    html = page(as_("city_admin").get(reverse("notices:norm_overview")))
    assert "<strong class=\"text-success\">1</strong>个单位已发布" in html
    assert "<strong class=\"text-danger\">3</strong>个尚未发布" in html
    missing = page(as_("city_admin").get(reverse("notices:norm_overview") + "?missing=1"))
    assert "环翠区团委" not in missing.split('data-testid="norm-overview"')[1] and "文登区团委" in missing


def test_the_notices_list_and_the_collectives_workbench_link_to_the_norms(as_, world, norm):
    current = norm(title="环翠区执行规范")
    html = page(as_("leader_a").get(reverse("notices:list")))
    assert f'href="{reverse("notices:norms")}"' in html
    workbench = page(as_("leader_a").get(reverse("workbench:home")))
    assert 'data-testid="norms-card"' in workbench and reverse("notices:norm_detail", args=[current.pk]) in workbench
    assert 'data-testid="norms-card"' not in page(as_("unit_admin_a").get(reverse("workbench:home")))


def test_a_version_file_is_served_to_its_readers_only(as_, world, norm, media_storage):
    published = norm(files=[upload("流程.jpg", jpeg(400, 300))])
    (item,) = published.attachments.all()
    url = reverse("notices:norm_attachment", args=[published.pk, item.pk])
    response = as_("leader_a").get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    b"".join(response.streaming_content)
    assert as_("leader_b").get(url).status_code == 404


# --- queries ----------------------------------------------------------------------------------------------------


def _grow(world, count: int) -> None:
    """``count`` more units under the city, every other one with two versions (one superseded)."""
    author = world["accounts"]["city_admin"]
    for i in range(count):
        unit = factories.unit(parent=world["city"], name=f"增加的单位{i}")
        if i % 2:
            Norm.objects.create(unit=unit, version=1, title="旧版", body="正文", effective_on=today() - 9 * DAY,
                                author=author)
            Norm.objects.create(unit=unit, version=2, title="新版", body="正文", effective_on=today() - DAY,
                                author=author)
    for version in range(2, count + 2):  # the chain's units: many versions of area_a
        Norm.objects.create(unit=world["area_a"], version=version, title=f"第{version}版", body="正文",
                            effective_on=today() - DAY, author=author)


def _counts(client, world) -> dict[str, int]:
    pages = [("city_admin", reverse("notices:norm_overview")),
             ("city_admin", reverse("notices:norm_overview") + "?missing=1"),
             ("unit_admin_a", reverse("notices:norms")), ("leader_a", reverse("notices:norms")),
             ("leader_a", reverse("workbench:home"))]
    found = {}
    for role, url in pages:
        client.force_login(world["accounts"][role], backend=BACKEND)
        client.get(url)  # warm: content types, the session
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, url
        found[f"{role} {url}"] = len(captured.captured_queries)
    return found


def test_the_overview_and_chain_pages_make_the_same_queries_at_two_sizes(client, world, norm):
    norm(effective_on=today() - 2 * DAY)
    few = _counts(client, world)
    _grow(world, 60)
    assert norm_counts(world["accounts"]["city_admin"])["units"] == 64
    many = _counts(client, world)
    assert many == few
    assert max(many.values()) <= 25, many


def test_the_overview_pages_in_the_database(client, world, django_assert_num_queries):
    _grow(world, 60)
    client.force_login(world["accounts"]["city_admin"], backend=BACKEND)
    first = client.get(reverse("notices:norm_overview"))
    assert first.status_code == 200 and len(first.context["object_list"]) == 50
    assert first.context["page_obj"].paginator.count == 64
    second = client.get(reverse("notices:norm_overview") + "?page=2")
    assert len(second.context["object_list"]) == 14
