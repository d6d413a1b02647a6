"""Managing an identity page: the collective and the admins above it edit and publish it, only the admins above hide
it and show it again (the collective hears of it); every write audited; every unmet rule reported at once; workplace
photos through the one upload path; the panel on the collective's page."""

import pytest
from django.urls import reverse

from tests.public.pages_fixtures import make_post, publish
from tests.works.media_fixtures import jpeg, media_storage, not_media, upload  # noqa: F401 - media_storage: fixture
from wenminghao.collectives.models import Collective
from wenminghao.core.errors import NotPermitted, RuleViolationError
from wenminghao.core.models import AuditEntry, Notification
from wenminghao.public.models import HiddenMember, PostPage, PostPhoto
from wenminghao.public.services import pages as services

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(tree):
    return make_post(tree["collective_a"])


def codes(error: RuleViolationError) -> set[str]:
    return {violation.code for violation in error.violations}


def test_publishing_needs_eligibility_commitment_and_phone_all_reported_at_once(tree, users):
    collective = tree["collective_b"]
    collective.honours.all().delete()
    with pytest.raises(RuleViolationError) as error:
        services.set_page_published(actor=users["leader_b"], collective=collective, published=True)
    assert codes(error.value) == {"page.not_eligible", "page.commitment_missing", "page.phone_missing"}
    assert not PostPage.objects.filter(collective=collective).exists()


def test_publish_and_withdraw_are_audited(post, users):
    page = services.set_page_published(actor=users["leader_a"], collective=post, published=True)
    assert page.published and page.published_at is not None
    services.set_page_published(actor=users["unit_admin_a"], collective=post, published=False)
    actions = list(AuditEntry.objects.filter(action__startswith="public.page_").values_list("action", flat=True)
                   .order_by("id"))
    assert actions == ["public.page_publish", "public.page_unpublish"]


def test_hiding_needs_a_reason_and_tells_the_collective(post, users):
    publish(users["leader_a"], post)
    with pytest.raises(RuleViolationError) as error:
        services.set_page_hidden(actor=users["unit_admin_a"], collective=post, hidden=True, reason=" ")
    assert codes(error.value) == {"page.reason_missing"}
    services.set_page_hidden(actor=users["unit_admin_a"], collective=post, hidden=True, reason="监督电话无人接听")
    page = PostPage.objects.get(collective=post)
    assert page.hidden_by_unit and page.hidden_reason == "监督电话无人接听" and page.published
    message = Notification.objects.get(recipient=users["leader_a"]).message
    assert "已被上级单位隐藏" in message and "监督电话无人接听" in message
    services.set_page_hidden(actor=users["city_admin"], collective=post, hidden=False)
    assert not PostPage.objects.get(collective=post).hidden_by_unit
    assert set(AuditEntry.objects.values_list("action", flat=True)) >= {"public.page_hide", "public.page_show"}


def test_the_collective_may_not_hide_or_unhide_its_page(post, users):
    with pytest.raises(NotPermitted):
        services.set_page_hidden(actor=users["leader_a"], collective=post, hidden=False)


@pytest.mark.parametrize(("actor", "allowed"), [
    ("leader_a", True), ("unit_admin_a", True), ("city_admin", True),
    ("unit_admin_b", False), ("leader_b", False), ("judge", False)])
def test_who_may_edit_a_page(post, users, actor, allowed):
    call = lambda: services.update_page(actor=users[actor], collective=post, service_items="窗口服务")  # noqa: E731
    if allowed:
        assert call().service_items == "窗口服务"
        assert AuditEntry.objects.filter(action="public.page_update").count() == 1
    else:
        with pytest.raises(NotPermitted):
            call()


def test_update_refuses_foreign_members_pictures_and_long_texts_at_once(post, tree, users):
    foreign = tree["collective_b"].members.first()
    with pytest.raises(RuleViolationError) as error:
        services.update_page(actor=users["leader_a"], collective=post, service_items="长" * 1001,
                             convenience_measures="便" * 1001, hidden_member_ids=[foreign.pk],
                             event_attachment_ids=[99999])
    assert codes(error.value) == {"page.too_long", "page.member_unknown", "page.event_photo_unknown"}
    assert len(error.value.violations) == 4


def test_members_left_off_are_replaced_on_each_save(post, users):
    first, second = list(post.members.order_by("id")[:2])
    services.update_page(actor=users["leader_a"], collective=post, hidden_member_ids=[first.pk])
    services.update_page(actor=users["leader_a"], collective=post, hidden_member_ids=[second.pk])
    assert list(HiddenMember.objects.values_list("member_id", flat=True)) == [second.pk]


def test_workplace_photo_upload_and_removal(post, users, media_storage, django_capture_on_commit_callbacks):  # noqa: F811
    media_root, _ = media_storage
    photo = services.add_page_photo(actor=users["leader_a"], collective=post, upload=upload("a.jpg", jpeg(320, 240)),
                                    caption="大厅")
    assert photo.content_type == "image/jpeg" and (photo.width, photo.height) == (320, 240)
    assert (media_root / photo.original.name).is_file()
    with pytest.raises(RuleViolationError) as error:
        services.add_page_photo(actor=users["leader_a"], collective=post, upload=upload("b.jpg", not_media()))
    assert codes(error.value) == {"file.type"}
    with django_capture_on_commit_callbacks(execute=True):  # the file goes after commit
        services.remove_page_photo(actor=users["unit_admin_a"], collective=post, photo_id=photo.pk)
    assert not PostPhoto.objects.exists() and not (media_root / photo.original.name).exists()
    assert set(AuditEntry.objects.values_list("action", flat=True)) >= {"public.photo_upload", "public.photo_remove"}


def test_a_photo_gets_its_web_copy_and_thumbnail_and_the_page_serves_the_copy(post, users, media_storage,  # noqa: F811
                                                                            django_capture_on_commit_callbacks):
    from io import BytesIO

    from django.test import Client
    from PIL import Image

    media_root, _ = media_storage
    with django_capture_on_commit_callbacks(execute=True):  # the task runs once the row is committed
        photo = services.add_page_photo(actor=users["leader_a"], collective=post,
                                        upload=upload("大厅.jpg", jpeg(2400, 1800)), caption="服务大厅")
    photo.refresh_from_db()
    assert photo.web_copy.name.endswith(f"web-{photo.pk}.jpg")
    assert photo.thumbnail.name.endswith(f"thumb-{photo.pk}.jpg")
    for name, size in ((photo.web_copy.name, (1600, 1200)), (photo.thumbnail.name, (400, 300))):
        with Image.open(media_root / name) as made:
            assert made.size == size
    publish(users["leader_a"], post)
    response = Client().get(reverse("public:post_photo", args=[post.pk, photo.pk]))
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    with Image.open(BytesIO(body)) as served:
        assert served.size == (1600, 1200)  # the copy, not the 2400 px upload
    with django_capture_on_commit_callbacks(execute=True):
        services.remove_page_photo(actor=users["leader_a"], collective=post, photo_id=photo.pk)
    assert not any((media_root / name).exists() for name in (photo.original.name, photo.web_copy.name,
                                                              photo.thumbnail.name))


# --- pages ------------------------------------------------------------------------------------------------------


def test_manage_page_saves_and_publishes(signed_in, post, users):
    client = signed_in(users["leader_a"])
    url = reverse("public:manage_page", args=[post.pk])
    assert "公开身份页" in client.get(url).content.decode()
    member = post.members.order_by("id").last()
    response = client.post(url, {"service_items": "社保卡办理", "convenience_measures": "预约服务",
                                 "hidden_members": [str(member.pk)]})
    assert response.status_code == 302
    page = PostPage.objects.get(collective=post)
    assert page.service_items == "社保卡办理" and page.hidden_members.get().member_id == member.pk
    assert client.post(reverse("public:page_publish", args=[post.pk]), {"action": "publish"}).status_code == 302
    assert client.get(reverse("public:post", args=[post.pk])).status_code == 200


def test_manage_page_shows_every_reason_publishing_is_refused(signed_in, tree, users):
    collective = tree["collective_b"]
    Collective.objects.filter(pk=collective.pk).update(public_commitment="", supervision_phone="")
    response = signed_in(users["leader_b"]).post(reverse("public:page_publish", args=[collective.pk]),
                                                 {"action": "publish"})
    assert response.status_code == 422
    body = response.content.decode()
    assert "请先在集体信息中填写示范承诺" in body and "请先在集体信息中填写监督电话" in body


def test_the_panel_on_the_collective_page_shows_state_and_links(signed_in, post, users):
    client = signed_in(users["leader_a"])
    detail = reverse("collectives:detail", args=[post.pk])
    body = client.get(detail).content.decode()
    assert 'data-panel="public_page"' in body and "未公开" in body
    publish(users["leader_a"], post)
    body = client.get(detail).content.decode()
    assert "公众可见" in body
    for name in ("public:manage_page", "public:post", "public:post_qr_svg", "public:post_plaque"):
        assert reverse(name, args=[post.pk]) in body
    assert 'data-panel="public_page"' not in signed_in(users["judge"]).get(detail).content.decode()


def test_photo_upload_page_refuses_a_file_that_is_not_a_picture(signed_in, post, users, media_storage):  # noqa: F811
    client = signed_in(users["leader_a"])
    response = client.post(reverse("public:page_photo_add", args=[post.pk]), {"file": upload("x.jpg", not_media())})
    assert response.status_code == 422
    assert "工作场所照片只能上传JPEG或PNG格式的图片" in response.content.decode()
    response = client.post(reverse("public:page_photo_add", args=[post.pk]),
                           {"file": upload("x.jpg", jpeg(320, 240)), "caption": "窗口"})
    assert response.status_code == 302
    photo = PostPhoto.objects.get()
    served = client.get(reverse("public:page_photo_file", args=[post.pk, photo.pk]))
    assert served.status_code == 200 and b"".join(served.streaming_content)
