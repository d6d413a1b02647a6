"""The identity page and the list of posts on a 360 px phone, with JavaScript off (the pages need none): from the QR
code's address to the page, the phone as a tel: link and the way to the feedback form; the list searched by name."""

import io

import pytest
import zxingcpp
from PIL import Image

from tests.public.pages_fixtures import (  # noqa: F401 - media_storage, post_a, post_campaign: pytest fixtures
    PUBLIC,
    media_storage,
    post_a,
    post_campaign,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def phone(browser, live_server):  # noqa: F811
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="zh-CN", java_script_enabled=False,
                                  base_url=live_server.url)
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def test_scan_to_page_on_a_phone_without_javascript(phone, live_server, post_a, settings):  # noqa: F811
    settings.WMH_SITE_URL = live_server.url
    answer = phone.request.get(f"/posts/{post_a.pk}/qr.png")
    address = zxingcpp.read_barcodes(Image.open(io.BytesIO(answer.body())).convert("L"))[0].text
    assert address == f"{live_server.url}/posts/{post_a.pk}/"
    phone.goto(address)
    assert phone.get_by_role("heading", name=PUBLIC["name"]).is_visible()
    assert phone.locator('a[href^="tel:"]').first.get_attribute("href") == "tel:0631-5221234"
    assert phone.get_by_role("link", name="我要监督").is_visible()
    # nothing wider than the phone (evaluate runs in the tool, not as a script of the page)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    for image in phone.locator("main img").all():
        box = image.bounding_box()
        assert box is None or box["x"] + box["width"] <= 360


def test_the_list_is_searched_without_javascript(phone, post_a):  # noqa: F811
    phone.goto("/posts/")
    phone.get_by_label("名称").fill("政务服务")
    phone.get_by_role("button", name="查找").click()
    assert phone.get_by_role("link", name=PUBLIC["name"]).is_visible()
    phone.get_by_role("link", name=PUBLIC["name"]).click()
    assert phone.get_by_role("heading", name=PUBLIC["name"]).is_visible()
