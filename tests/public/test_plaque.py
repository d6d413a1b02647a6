"""The printable plaque (公示牌, A5 PDF): the post's name, its newest valid title, the QR code, its commitment and
supervision phone, read back with pdftotext; one page per post in a unit's download; only for the collective's own
accounts and the admins above it, and only once the page is public."""

import shutil
import subprocess

import pytest
import zxingcpp
from django.urls import reverse
from PIL import Image

from tests.public.pages_fixtures import PUBLIC, make_post, publish
from wenminghao.collectives.models import Collective, Honour

pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is missing")]


def pdf_text(content: bytes) -> str:
    result = subprocess.run(["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True)
    return result.stdout.decode()


def pdf_pages(content: bytes) -> int:
    result = subprocess.run(["pdfinfo", "-"], input=content, capture_output=True, check=True)
    line = next(item for item in result.stdout.decode().splitlines() if item.startswith("Pages:"))
    return int(line.split()[1])


@pytest.fixture
def posts(tree, users):
    made = {}
    for key, leader in (("collective_a", "leader_a"), ("collective_sub", "unit_admin_a"), ("collective_b", "leader_b")):
        collective = make_post(tree[key])
        Collective.objects.filter(pk=collective.pk).update(supervision_phone=f"0631-52{collective.pk:05d}")
        collective.refresh_from_db()
        publish(users[leader], collective)
        made[key] = collective
    Honour.objects.create(collective=made["collective_a"], level="city", year=2019, title="2019年度威海市青年文明号")
    return made


def test_plaque_shows_name_title_commitment_and_phone(signed_in, users, posts):
    collective = posts["collective_a"]
    response = signed_in(users["leader_a"]).get(reverse("public:post_plaque", args=[collective.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert collective.name in text
    assert "2019年度 2019年度威海市青年文明号" in text  # the newest valid title
    assert collective.supervision_phone in text
    assert PUBLIC["public_commitment"][:10] in text
    assert pdf_pages(response.content) == 1


def test_plaque_qr_code_opens_the_page(signed_in, users, posts, settings, tmp_path):
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is missing")
    settings.WMH_SITE_URL = "https://wmh.example.cn"
    collective = posts["collective_a"]
    content = signed_in(users["leader_a"]).get(reverse("public:post_plaque", args=[collective.pk])).content
    (tmp_path / "plaque.pdf").write_bytes(content)
    subprocess.run(["pdftoppm", "-png", "-r", "150", "-singlefile", str(tmp_path / "plaque.pdf"),
                    str(tmp_path / "plaque")], check=True)
    results = zxingcpp.read_barcodes(Image.open(tmp_path / "plaque.png").convert("L"))
    assert [result.text for result in results] == [f"https://wmh.example.cn/posts/{collective.pk}/"]


def test_a_unit_downloads_one_page_per_public_post_of_its_subtree(signed_in, users, tree, posts):
    response = signed_in(users["unit_admin_a"]).get(reverse("public:unit_plaques", args=[tree["area_a"].pk]))
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert posts["collective_a"].name in text and posts["collective_sub"].name in text
    assert posts["collective_b"].name not in text
    assert pdf_pages(response.content) == 2
    city = signed_in(users["city_admin"]).get(reverse("public:unit_plaques", args=[tree["city"].pk]))
    assert pdf_pages(city.content) == 3


def test_no_plaque_before_the_page_is_public(signed_in, users, tree):
    collective = make_post(tree["collective_b"])
    response = signed_in(users["leader_b"]).get(reverse("public:post_plaque", args=[collective.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("public:manage_page", args=[collective.pk])


def test_plaques_are_not_for_other_collectives_units_or_judges(signed_in, users, tree, posts):
    url = reverse("public:post_plaque", args=[posts["collective_a"].pk])
    assert signed_in(users["leader_b"]).get(url).status_code == 404
    assert signed_in(users["unit_admin_b"]).get(url).status_code == 404
    assert signed_in(users["judge"]).get(url).status_code == 404
    unit_url = reverse("public:unit_plaques", args=[tree["area_a"].pk])
    assert signed_in(users["unit_admin_b"]).get(unit_url).status_code == 404
