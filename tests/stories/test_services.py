"""The stories' writes: writing one up (title, 3,000 字, activity, the collective's own ledger entries, photos through
the one upload path), the transition table (submit, forward, return, promote, withdraw) driven by a table of who
does what from which status, "promoted only by the city office"; every refusal writes nothing, every change its
audit entry."""

import pytest

from tests import factories
from tests.works.media_fixtures import files_under, gif, jpeg, not_media, png, upload
from wenminghao.core.errors import NotPermitted, RuleViolationError
from wenminghao.core.models import AuditEntry
from wenminghao.core.roles import Role
from wenminghao.orgs.enums import UnitKind
from wenminghao.stories import services
from wenminghao.stories.models import MAX_PHOTOS, TEXT_MAX_CHARS, TRANSITIONS, Story, StoryPhoto, StoryStatus

pytestmark = pytest.mark.django_db


def codes(error) -> list[str]:
    return [violation.code for violation in error.value.violations]


def audits(action: str) -> int:
    return AuditEntry.objects.filter(action=action).count()


# --- writing one up ------------------------------------------------------------------------------------------


def test_a_collective_writes_a_draft_of_its_own_collective(world, write):
    story = write("delegate_a", kind="story", activity="open_week", entries=[world["entry_a"].pk])
    assert story.status == StoryStatus.DRAFT
    assert story.collective == world["collective_a"] and story.unit == world["area_a"]
    assert list(story.entries.all()) == [world["entry_a"]]
    assert story.kind == "story" and story.activity == "open_week"
    entry = AuditEntry.objects.get(action="story.create")
    assert entry.after["entries"] == [world["entry_a"].pk]


def test_a_unit_writes_its_own_story_without_a_collective(world, write):
    story = write("unit_admin_a")
    assert story.collective is None and story.unit == world["area_a"]


def test_every_unmet_rule_is_named_at_once_and_nothing_is_written(world, write):
    with pytest.raises(RuleViolationError) as error:
        write("leader_a", title="", text="", kind="poem", activity="sports", entries=[world["entry_b"].pk])
    assert codes(error) == ["story.kind", "story.title_required", "story.text_required", "story.activity",
                            "story.entry_outside"]
    assert "不是环翠区政务服务中心窗口的" in str(error.value)
    assert Story.objects.count() == 0 and audits("story.create") == 0


def test_the_text_may_have_3000_characters_and_no_more(world, write):
    assert write(text="字" * TEXT_MAX_CHARS).pk
    with pytest.raises(RuleViolationError) as error:
        write(text="字" * (TEXT_MAX_CHARS + 1))
    assert codes(error) == ["story.text_too_long"]
    assert error.value.violations[0].message == "正文为3,001字，最多3,000字，请删减1字"


def test_a_title_of_more_than_100_characters_is_refused(write):
    with pytest.raises(RuleViolationError) as error:
        write(title="题" * 101)
    assert error.value.violations[0].message == "标题为101字，最多100字"


def test_a_units_story_links_no_ledger_entries(world, write):
    with pytest.raises(RuleViolationError) as error:
        write("unit_admin_a", entries=[world["entry_a"].pk])
    assert codes(error) == ["story.entries_unit"]


def test_judges_write_no_story(world, write):
    with pytest.raises(NotPermitted):
        write("judge")


# --- photos --------------------------------------------------------------------------------------------------


def test_photos_are_checked_by_their_content_and_get_a_copy_without_metadata(world, write, media_storage):
    story = write(photos=[upload("现场.jpg", jpeg(2400, 1800)), upload("合影.png", png(800, 600))])
    photos = list(story.photos.all())
    assert [photo.content_type for photo in photos] == ["image/jpeg", "image/png"]
    assert [(photo.width, photo.height) for photo in photos] == [(2400, 1800), (800, 600)]
    assert all(photo.web_copy.name.endswith("-web.jpg") for photo in photos)
    assert len(files_under(media_storage[0])) == 4  # two originals, two web copies
    photo = services.add_photo(actor=world["accounts"]["leader_a"], story=story, upload=upload("3.jpg", jpeg()))
    assert audits("story.photo_add") == 1
    services.remove_photo(actor=world["accounts"]["leader_a"], story=story, photo=photo)
    assert audits("story.photo_remove") == 1 and story.photos.count() == 2


@pytest.mark.parametrize("data, code", [(not_media(), "file.type"), (gif(), "file.type"), (b"", "file.empty")])
def test_a_photo_that_is_no_jpeg_or_png_is_refused_and_leaves_nothing(write, media_storage, data, code):
    with pytest.raises(RuleViolationError) as error:
        write(photos=[upload("好.jpg", jpeg()), upload("坏.jpg", data)])
    assert codes(error) == [code]
    assert Story.objects.count() == 0 and files_under(media_storage[0]) == []


def test_at_most_nine_photos(world, write, media_storage):
    with pytest.raises(RuleViolationError) as error:
        write(photos=[upload(f"{n}.jpg", jpeg(64, 48)) for n in range(MAX_PHOTOS + 1)])
    assert error.value.violations[0].message == "每篇最多9张照片，共选择了10张"
    story = write(photos=[upload(f"{n}.jpg", jpeg(64, 48, seed=n)) for n in range(MAX_PHOTOS)])
    with pytest.raises(RuleViolationError) as error:
        services.add_photo(actor=world["accounts"]["leader_a"], story=story, upload=upload("10.jpg", jpeg(64, 48)))
    assert codes(error) == ["story.too_many_photos"]
    assert StoryPhoto.objects.count() == MAX_PHOTOS


# --- the transition table --------------------------------------------------------------------------------------


def _to(world, story, status):
    """Bring a collective_a story to ``status`` the normal way."""
    accounts = world["accounts"]
    if status == StoryStatus.DRAFT:
        return story
    story = services.submit_story(actor=accounts["leader_a"], story=story)
    if status == StoryStatus.SUBMITTED:
        return story
    if status == StoryStatus.RETURNED:
        return services.return_story(actor=accounts["unit_admin_a"], story=story, reason="请补充成效。")
    story = services.forward_story(actor=accounts["unit_admin_a"], story=story)
    if status == StoryStatus.FORWARDED:
        return story
    return services.promote_story(actor=accounts["city_admin"], story=story)


STEPS = {
    "submit": lambda actor, story: services.submit_story(actor=actor, story=story),
    "forward": lambda actor, story: services.forward_story(actor=actor, story=story),
    "return": lambda actor, story: services.return_story(actor=actor, story=story, reason="请修改。"),
    "promote": lambda actor, story: services.promote_story(actor=actor, story=story),
    "unpromote": lambda actor, story: services.unpromote_story(actor=actor, story=story),
}
WHO = {"submit": "leader_a", "forward": "unit_admin_a", "return": "unit_admin_a", "promote": "city_admin",
       "unpromote": "city_admin"}


@pytest.mark.parametrize("action", sorted(TRANSITIONS))
@pytest.mark.parametrize("status", StoryStatus.values)
def test_the_transition_table(world, write, action, status):
    story = _to(world, write(), status)
    sources, target = TRANSITIONS[action]
    actor = world["accounts"][WHO[action]]
    if action == "return" and status == StoryStatus.FORWARDED:
        actor = world["accounts"]["city_admin"]  # what reached the city, the city returns
    before = AuditEntry.objects.count()
    if status in sources:
        story = STEPS[action](actor, story)
        assert story.status == target
        assert AuditEntry.objects.filter(action=f"story.{action}").exists()
    else:
        # refused: by the status (422), or, where the story is no longer (or not yet) in the actor's hands, by
        # the permission (403: a draft has not reached the unit, a returned story has left the city)
        with pytest.raises((RuleViolationError, NotPermitted)) as error:
            STEPS[action](actor, story)
        if isinstance(error.value, RuleViolationError):
            assert codes(error) == ["story.status"]
            assert "不能" in error.value.violations[0].message
        assert AuditEntry.objects.count() == before
        assert Story.objects.get(pk=story.pk).status == status


def test_only_the_city_office_promotes(world, write):
    story = _to(world, write(), StoryStatus.FORWARDED)
    for role in ("unit_admin_a", "unit_admin_b", "leader_a", "delegate_a", "unit_admin_sub", "judge"):
        with pytest.raises(NotPermitted):
            services.promote_story(actor=world["accounts"][role], story=story)
    assert Story.objects.get(pk=story.pk).status == StoryStatus.FORWARDED
    story = services.promote_story(actor=world["accounts"]["city_admin"], story=story)
    assert story.status == StoryStatus.PROMOTED and story.promoted_at is not None
    with pytest.raises(NotPermitted):
        services.unpromote_story(actor=world["accounts"]["unit_admin_a"], story=story)
    story = services.unpromote_story(actor=world["accounts"]["city_admin"], story=story)
    assert story.status == StoryStatus.FORWARDED and story.promoted_at is None


def test_a_units_story_goes_to_the_unit_above_and_a_districts_straight_to_the_city(world, write):
    district = services.submit_story(actor=world["accounts"]["unit_admin_a"], story=write("unit_admin_a"))
    assert district.status == StoryStatus.FORWARDED and district.reached == world["city"]
    street = services.submit_story(actor=world["accounts"]["unit_admin_sub"], story=write("unit_admin_sub"))
    assert street.status == StoryStatus.SUBMITTED and street.reached == world["area_a"]
    assert services.forward_story(actor=world["accounts"]["unit_admin_a"], story=street).reached == world["city"]


def test_a_collective_story_goes_to_its_own_unit(world, write):
    story = services.submit_story(actor=world["accounts"]["leader_sub"], story=write("leader_sub"))
    assert story.status == StoryStatus.SUBMITTED and story.reached == world["sub_a"]
    with pytest.raises(NotPermitted):  # another district is not on its way
        services.forward_story(actor=world["accounts"]["unit_admin_b"], story=story)
    with pytest.raises(NotPermitted):  # the city waits until it is reported to it
        services.return_story(actor=world["accounts"]["city_admin"], story=story, reason="不行")


def test_returning_needs_a_reason_and_lets_the_writers_change_and_submit_again(world, write):
    story = _to(world, write(), StoryStatus.SUBMITTED)
    with pytest.raises(RuleViolationError) as error:
        services.return_story(actor=world["accounts"]["unit_admin_a"], story=story, reason=" ")
    assert codes(error) == ["story.reason_required"]
    with pytest.raises(RuleViolationError) as error:  # submitted: no more changes
        services.update_story(actor=world["accounts"]["leader_a"], story=story, title="新标题", text="新正文")
    assert codes(error) == ["story.not_editable"]
    story = services.return_story(actor=world["accounts"]["unit_admin_a"], story=story, reason="请补充成效数据。")
    assert story.return_reason == "请补充成效数据。"
    story = services.update_story(actor=world["accounts"]["delegate_a"], story=story, title="新标题", text="新正文")
    assert story.title == "新标题" and audits("story.update") == 1
    story = services.submit_story(actor=world["accounts"]["leader_a"], story=story)
    assert story.status == StoryStatus.SUBMITTED and story.return_reason == ""


def test_only_the_writers_change_a_story(world, write):
    story = write("leader_a")
    for role in ("leader_b", "unit_admin_a", "city_admin", "leader_sub"):
        with pytest.raises(NotPermitted):
            services.update_story(actor=world["accounts"][role], story=story, title="改", text="改")
    unit_story = write("unit_admin_a")
    with pytest.raises(NotPermitted):
        services.submit_story(actor=world["accounts"]["leader_a"], story=unit_story)


def test_under_a_province_the_city_office_promotes_and_the_province_does_not(world):
    province = factories.unit(name="山东省团委", kind=UnitKind.PROVINCE)
    city = factories.unit(parent=province, name="烟台市团委", kind=UnitKind.CITY)
    area = factories.unit(parent=city, name="芝罘区团委", kind=UnitKind.AREA)
    collective = factories.collective(unit=area, name="芝罘区政务窗口")
    leader = factories.account(username="zf_leader", role=Role.COLLECTIVE, collective=collective)
    area_admin = factories.account(username="zhifu", role=Role.UNIT_ADMIN, unit=area)
    city_admin = factories.account(username="yantai", role=Role.CITY_ADMIN, unit=city)
    province_admin = factories.account(username="shandong", role=Role.CITY_ADMIN, unit=province)
    story = services.create_story(actor=leader, title="窗口做法", text="正文")
    assert story.office == city
    story = services.forward_story(actor=area_admin, story=services.submit_story(actor=leader, story=story))
    assert story.reached == city
    with pytest.raises(NotPermitted):
        services.promote_story(actor=province_admin, story=story)
    assert services.promote_story(actor=city_admin, story=story).status == StoryStatus.PROMOTED
    own = services.create_story(actor=area_admin, title="芝罘区的做法", text="正文")
    own = services.submit_story(actor=area_admin, story=own)
    assert own.status == StoryStatus.FORWARDED and own.reached == city
