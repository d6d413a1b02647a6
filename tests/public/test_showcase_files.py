"""A work's files are public only while it is showcased or forwarded: its public addresses (/showcase/<id>/files/…,
the file and its thumbnail, web copy and poster) open for anyone then, with byte ranges (206) so that videos play on
iPhones, and answer 404 to everyone the moment the work is anything else; on object storage the same addresses send
to a signed address of the storage, and stop the same way."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.public import showcase_fixtures
from tests.public.showcase_fixtures import showcase
from tests.works import media_fixtures
from tests.works.media_fixtures import jpeg, make_work, upload, video
from wenminghao.works.enums import WorkStatus
from wenminghao.works.models import Work
from wenminghao.works.services import add_work_file
from wenminghao.works.transitions import change_work_status

# pytest fixtures (tests/public/showcase_fixtures.py)
media_storage = media_fixtures.media_storage
make_showcased = showcase_fixtures.make_showcased
showcase_campaign = showcase_fixtures.showcase_campaign


def file_url(item, variant="original") -> str:
    address = reverse("public:showcase_file", args=[item.work_id, item.pk])
    return address if variant == "original" else f"{address}?variant={variant}"


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def addresses(work) -> list[str]:
    """Every public address of the work's files: each file, and each preview it has."""
    found = []
    for item in work.files.all():
        found.append(file_url(item))
        found += [file_url(item, variant) for variant, field in
                  (("thumbnail", "thumbnail"), ("web", "web_copy"), ("poster", "poster")) if getattr(item, field)]
    return found


def test_files_of_a_showcased_work_open_for_anyone(make_showcased):
    photo = make_showcased("photo")
    clip = make_showcased("video")
    assert len(addresses(photo)) == 6 and len(addresses(clip)) == 3  # 2 × (file, thumbnail, web); file, thumb, poster
    for address in addresses(photo) + addresses(clip):
        response = Client().get(address)
        assert response.status_code == 200, address
        assert response["Cache-Control"] == "public, no-cache"  # revalidated each time: 404 the moment it leaves
        assert response["Accept-Ranges"] == "bytes"
        body(response)
    picture = photo.files.order_by("position").first()
    response = Client().get(file_url(picture))
    assert body(response) == jpeg(seed=1)
    assert response["Content-Type"] == "image/jpeg"
    thumbnail = Client().get(file_url(picture, "thumbnail"))
    assert thumbnail["Content-Type"] == "image/jpeg"
    body(thumbnail)


def test_forwarded_works_are_public_too(make_showcased):
    work = make_showcased("video", status=WorkStatus.FORWARDED)
    item = work.files.get()
    response = Client().get(file_url(item))
    assert response.status_code == 200
    assert body(response) == video(3)
    # The works' own file address says so too (works.selectors.work_file_access): public while forwarded.
    response = Client().get(reverse("works:file", args=[work.pk, item.pk]))
    assert response.status_code == 200
    body(response)


def test_a_video_answers_byte_ranges(make_showcased):
    item = make_showcased("video").files.get()
    size = len(video(3))
    response = Client().get(file_url(item), headers={"Range": "bytes=0-1"})
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 0-1/{size}"
    assert response["Content-Length"] == "2"
    assert body(response) == video(3)[:2]
    tail = Client().get(file_url(item), headers={"Range": "bytes=-10"})
    assert tail.status_code == 206 and body(tail) == video(3)[-10:]
    beyond = Client().get(file_url(item), headers={"Range": f"bytes={size}-"})
    assert beyond.status_code == 416
    assert beyond["Content-Range"] == f"bytes */{size}"


def test_a_file_answers_304_to_its_etag(make_showcased):
    item = make_showcased("photo", pictures=1).files.get()
    first = Client().get(file_url(item, "web"))
    body(first)
    again = Client().get(file_url(item, "web"), headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304


@pytest.mark.parametrize("how", ["the city's decision", "directly"])
def test_unshowcasing_closes_every_public_address(make_showcased, users, signed_in, how):
    photo = make_showcased("photo")
    clip = make_showcased("video")
    everything = addresses(photo) + addresses(clip)
    for address in everything:
        body(Client().get(address))
    for work in (photo, clip):
        if how == "directly":
            Work.objects.filter(pk=work.pk).update(status=WorkStatus.DRAFT)
        else:
            change_work_status(actor=users["city_admin"], work=work, to_status=WorkStatus.SHORTLISTED)
    for address in everything:
        assert Client().get(address).status_code == 404, address
        # the public address is public or nothing: not even the collective that made it gets it here
        assert signed_in(users["leader_a"]).get(address).status_code == 404, address
    for work in (photo, clip):
        assert Client().get(reverse("public:showcase_work", args=[work.pk])).status_code == 404


def test_forwarded_back_to_showcased_stays_public_and_leaving_closes(make_showcased, users):
    work = make_showcased("photo", pictures=1, status=WorkStatus.FORWARDED)
    address = file_url(work.files.get())
    change_work_status(actor=users["city_admin"], work=work, to_status=WorkStatus.SHOWCASED)
    response = Client().get(address)
    assert response.status_code == 200
    body(response)
    work.refresh_from_db()
    change_work_status(actor=users["city_admin"], work=work, to_status=WorkStatus.SHORTLISTED)
    assert Client().get(address).status_code == 404


@pytest.mark.parametrize("status", [WorkStatus.DRAFT, WorkStatus.SUBMITTED, WorkStatus.RETURNED,
                                    WorkStatus.RECOMMENDED, WorkStatus.SHORTLISTED])
def test_files_of_other_works_never_open_publicly(make_showcased, users, signed_in, status):
    work = make_showcased("photo", status=None)
    Work.objects.filter(pk=work.pk).update(status=status)
    for address in addresses(work):
        assert Client().get(address).status_code == 404, address
        assert signed_in(users["city_admin"]).get(address).status_code == 404, address


def test_a_file_of_another_work_or_an_unknown_variant_is_404(make_showcased):
    shown = make_showcased("photo", pictures=1)
    hidden = make_showcased("photo", pictures=1, status=None, seed=9)
    hidden_file = hidden.files.get()
    # a showcased work's address with another work's file id
    assert Client().get(reverse("public:showcase_file", args=[shown.pk, hidden_file.pk])).status_code == 404
    assert Client().get(file_url(shown.files.get(), "secret")).status_code == 404


def test_on_object_storage_the_public_address_redirects_to_a_signed_address_and_closes(
        tree, users, showcase_campaign, settings):
    settings.STORAGES = {**settings.STORAGES,
                         "default": {"BACKEND": "django.core.files.storage.InMemoryStorage",
                                     "OPTIONS": {"base_url": "https://oss.example.com/bucket/"}}}
    work = make_work(actor=users["leader_a"], collective=tree["collective_a"], campaign=showcase_campaign)
    item = add_work_file(actor=users["leader_a"], work=work, upload=upload("窗口.jpg", jpeg()))
    assert Client().get(file_url(item)).status_code == 404
    showcase(work, users)
    response = Client().get(file_url(item))
    assert response.status_code == 302
    assert response["Location"] == f"https://oss.example.com/bucket/{item.original.name}"
    change_work_status(actor=users["city_admin"], work=work, to_status=WorkStatus.SHORTLISTED)
    assert Client().get(file_url(item)).status_code == 404
