"""The QR code of an identity page opens that page: the PNG decoded (zxing-cpp) gives the page's absolute address,
the platform's public address (WMH_SITE_URL) when it is set, else the address the request came to."""

import io

import pytest
import zxingcpp
from django.urls import reverse
from PIL import Image

from tests.public.pages_fixtures import make_post, publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def post_b(tree, users):
    collective = make_post(tree["collective_b"])
    publish(users["leader_b"], collective)
    return collective


def decoded(content: bytes) -> str:
    results = zxingcpp.read_barcodes(Image.open(io.BytesIO(content)).convert("L"))
    assert len(results) == 1
    return results[0].text


def test_png_decodes_to_the_page_address_on_the_public_site(client, post_b, settings):
    settings.WMH_SITE_URL = "https://wmh.example.cn"
    response = client.get(reverse("public:post_qr_png", args=[post_b.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert decoded(response.content) == f"https://wmh.example.cn/posts/{post_b.pk}/"


def test_without_a_site_address_the_code_names_the_host_asked(client, post_b, settings):
    settings.WMH_SITE_URL = ""
    response = client.get(reverse("public:post_qr_png", args=[post_b.pk]), HTTP_HOST="testserver")
    assert decoded(response.content) == f"http://testserver/posts/{post_b.pk}/"


def test_the_decoded_address_opens_the_page(client, post_b, settings):
    settings.WMH_SITE_URL = "http://testserver"
    address = decoded(client.get(reverse("public:post_qr_png", args=[post_b.pk])).content)
    page = client.get(address.removeprefix("http://testserver"))
    assert page.status_code == 200 and post_b.name in page.content.decode()


def test_svg_is_an_svg_of_a_qr_code(client, post_b):
    response = client.get(reverse("public:post_qr_svg", args=[post_b.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    body = response.content.decode()
    assert "<svg" in body and "扫码查看青年文明号公开身份页" in body


def test_no_code_for_a_page_that_is_not_public(client, tree):
    collective = make_post(tree["collective_b"])  # never published
    assert client.get(reverse("public:post_qr_png", args=[collective.pk])).status_code == 404
    assert client.get(reverse("public:post_qr_svg", args=[collective.pk])).status_code == 404
