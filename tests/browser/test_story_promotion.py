"""A good practice from a phone to the public showcase, in Chromium at 360×740: a collective's leader writes one up
with a photo, saves the draft and reports it; the admin of its unit forwards it to the city; the city office promotes
it; signed out, the showcase's 好做法与典型事迹 section shows it and its public page shows the text and the photo
(served without sign-in), with nothing of the accounts behind it. Skips, saying why, without Chromium
(tests/browser/conftest.py)."""

import pytest

from tests import factories
from tests.works.media_fixtures import jpeg, media_storage  # noqa: F401 - fixture
from wenminghao.stories.models import Story, StoryStatus

from .conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "窗口“周末不打烊”：群众办事不再请假"
TEXT = "窗口青年轮流在周六上午值班，社保、医保等12个高频事项周末可办。半年来周末共办理业务860件。"


def test_a_good_practice_goes_from_a_leaders_phone_to_the_public_showcase(page, screenshot, tree, users, tmp_path,
                                                                         media_storage):  # noqa: F811
    photo = tmp_path / "周末值班.jpg"
    photo.write_bytes(jpeg(1600, 1200))

    sign_in(page, "leader_a", factories.PASSWORD)
    page.goto("/stories/")
    page.get_by_test_id("create-story").click()
    page.get_by_label("标题").fill(TITLE)
    page.get_by_label("正文").fill(TEXT)
    page.get_by_label("所属活动").select_option("open_week")
    page.get_by_test_id("story-photos").set_input_files(str(photo))
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_test_id("save-story").click()
    page.wait_for_url("**/stories/*/")
    story = Story.objects.get(title=TITLE)
    assert story.status == StoryStatus.DRAFT and story.photos.count() == 1
    page.get_by_test_id("submit-story").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("story-status").inner_text().strip() == "已报送"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot("submitted")

    page.context.clear_cookies()
    sign_in(page, users["unit_admin_a"].username, factories.PASSWORD)
    page.goto(f"/stories/{story.pk}/")
    assert page.get_by_test_id("promote-story").count() == 0  # a district forwards, only the city promotes
    page.get_by_test_id("forward-story").click()
    page.wait_for_load_state("networkidle")
    story.refresh_from_db()
    assert story.status == StoryStatus.FORWARDED

    page.context.clear_cookies()
    sign_in(page, users["city_admin"].username, factories.PASSWORD)
    page.goto(f"/stories/{story.pk}/")
    page.get_by_test_id("promote-story").click()
    page.wait_for_load_state("networkidle")
    story.refresh_from_db()
    assert story.status == StoryStatus.PROMOTED
    screenshot("promoted")

    page.context.clear_cookies()
    page.goto("/showcase/")
    page.get_by_role("link", name=TITLE).click()
    page.wait_for_url(f"**/showcase/stories/{story.pk}/")
    body = page.locator("main").inner_text()
    assert TEXT in body and tree["collective_a"].name in body
    assert users["leader_a"].username not in body and str(users["leader_a"]) not in body
    image = page.locator("main img").first
    image.scroll_into_view_if_needed()
    assert page.evaluate("(img) => img.complete && img.naturalWidth > 0", image.element_handle())
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot("public")
