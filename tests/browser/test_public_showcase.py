"""The showcase in Chromium on a 360 px phone screen: the list fits the screen (no sideways scrolling), its cards
open the work's page, the pictures open in the viewer (static/public/showcase.js: next, caption, Esc) with no script
error (a CSP refusal would show), and a video shows its poster with the player's controls before anything plays."""

import pytest

from tests.public import showcase_fixtures
from tests.works import media_fixtures

from .conftest import wait_for_function

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# pytest fixtures (tests/public/showcase_fixtures.py)
media_storage = media_fixtures.media_storage
make_showcased = showcase_fixtures.make_showcased
showcase_campaign = showcase_fixtures.showcase_campaign


def watch(page) -> list[str]:  # noqa: F811
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("response", lambda response: problems.append(f"{response.status} {response.url}")
            if response.status >= 400 else None)
    return problems


def test_browse_the_showcase_on_a_phone(page, screenshot, make_showcased):  # noqa: F811
    photo = make_showcased("photo", pictures=3, title="窗口里的四十年")
    make_showcased("video", title="三十秒讲清新思想")
    make_showcased("essay", title="一个窗口的品牌之路")
    problems = watch(page)
    page.goto("/showcase/")
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-testid=showcase-card]").count() == 3
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot("list")
    page.get_by_role("link", name="窗口里的四十年").click()
    page.wait_for_url(f"**/showcase/{photo.pk}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.locator("[data-viewer-item]").first.click()
    viewer = page.locator("#showcase-viewer")
    assert viewer.is_visible()
    assert "第1张，共3张" in page.locator("[data-viewer-caption]").inner_text()
    page.locator("[data-viewer-next]").click()
    assert "第2张，共3张：第2张说明" in page.locator("[data-viewer-caption]").inner_text()
    wait_for_function(page, "document.querySelector('[data-viewer-image]').naturalWidth > 0")
    screenshot("viewer")
    page.keyboard.press("Escape")
    assert not viewer.is_visible()
    page.goto("/showcase/")
    page.get_by_role("link", name="三十秒讲清新思想").click()
    video = page.locator("video[data-testid=work-video]")
    assert video.get_attribute("poster")
    assert page.evaluate("document.querySelector('video').controls") is True
    assert page.evaluate("document.querySelector('video').networkState") != 2  # preload none: nothing loading yet
    screenshot("video")
    assert problems == []
