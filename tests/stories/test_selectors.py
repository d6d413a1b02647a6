"""Who sees which story: a collective's accounts their collective's (drafts too); unit admins their own unit's and
their subtree's once reported, never another's draft; the city office only what was reported to it; judges and
other districts nothing. Filters and the title search."""

import pytest

from wenminghao.core.roles import Role
from wenminghao.stories import selectors, services
from wenminghao.stories.models import StoryStatus

pytestmark = pytest.mark.django_db


def titles(user, **filters) -> list[str]:
    return sorted(story.title for story in selectors.story_list(user, **filters))


@pytest.fixture
def stories(world, write):
    accounts = world["accounts"]
    draft = write("leader_a", title="A的草稿")
    submitted = services.submit_story(actor=accounts["leader_a"], story=write("leader_a", title="A已报送",
                                                                               kind="story"))
    street = services.submit_story(actor=accounts["leader_sub"], story=write("leader_sub", title="街道集体已报送"))
    forwarded = services.forward_story(actor=accounts["unit_admin_a"], story=services.submit_story(
        actor=accounts["leader_a"], story=write("leader_a", title="A已报送团市委", activity="open_week")))
    unit_draft = write("unit_admin_a", title="环翠区草稿")
    b_draft = write("leader_b", title="B的草稿")
    return {"draft": draft, "submitted": submitted, "street": street, "forwarded": forwarded,
            "unit_draft": unit_draft, "b_draft": b_draft}


def test_a_collectives_accounts_see_their_collectives_stories_drafts_included(world, stories):
    expected = ["A已报送", "A已报送团市委", "A的草稿"]
    assert titles(world["accounts"]["leader_a"]) == expected
    assert titles(world["accounts"]["delegate_a"]) == expected
    assert titles(world["accounts"]["leader_b"]) == ["B的草稿"]


def test_a_unit_sees_its_own_and_its_subtrees_reported_stories_never_a_draft_of_another(world, stories):
    assert titles(world["accounts"]["unit_admin_a"]) == ["A已报送", "A已报送团市委", "环翠区草稿", "街道集体已报送"]
    assert titles(world["accounts"]["unit_admin_sub"]) == ["街道集体已报送"]
    assert titles(world["accounts"]["unit_admin_b"]) == []


def test_the_city_office_sees_what_was_reported_to_it(world, stories):
    assert titles(world["accounts"]["city_admin"]) == ["A已报送团市委"]
    services.submit_story(actor=world["accounts"]["unit_admin_a"], story=stories["unit_draft"])
    assert titles(world["accounts"]["city_admin"]) == ["A已报送团市委", "环翠区草稿"]


def test_judges_and_the_signed_out_see_none(world, stories):
    from django.contrib.auth.models import AnonymousUser

    assert titles(world["accounts"]["judge"]) == []
    assert list(selectors.stories_visible_to(AnonymousUser())) == []
    assert world["accounts"]["judge"].role == Role.JUDGE


def test_a_returned_story_stays_visible_to_the_unit_that_returned_it(world, stories):
    services.return_story(actor=world["accounts"]["unit_admin_a"], story=stories["submitted"], reason="请补充。")
    assert "A已报送" in titles(world["accounts"]["unit_admin_a"], status=StoryStatus.RETURNED)


def test_filters_and_search(world, stories):
    admin = world["accounts"]["unit_admin_a"]
    assert titles(admin, status="submitted") == ["A已报送", "街道集体已报送"]
    assert titles(admin, kind="story") == ["A已报送"]
    assert titles(admin, activity="open_week") == ["A已报送团市委"]
    assert titles(admin, search="团市委") == ["A已报送团市委"]


def test_the_public_sees_only_promoted_stories(world, stories):
    assert list(selectors.promoted_stories()) == []
    promoted = services.promote_story(actor=world["accounts"]["city_admin"], story=stories["forwarded"])
    assert [story.pk for story in selectors.promoted_stories()] == [promoted.pk]
