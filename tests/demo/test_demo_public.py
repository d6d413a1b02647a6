"""The demo's public face (issue 12): published identity pages (among them hc_zwfw's), the public's feedback with
answered and open items, and a showcase of the 2018 city campaign with a picture group, a video and an essay whose
files answer anonymously. Loaded as tests/demo/test_demo_data.py loads it, through the real services."""

import pytest
from django.urls import reverse

from tests.demo.test_demo_data import _demo_media, load, loaded  # noqa: F401 - fixtures
from tests.works.media_fixtures import media_storage  # noqa: F401 - a pytest fixture
from wenminghao.accounts.models import User
from wenminghao.campaigns.models import Campaign, DeadlineExtension
from wenminghao.core.models import AuditEntry
from wenminghao.demo import public_face
from wenminghao.public.enums import FeedbackState
from wenminghao.public.models import Feedback, HiddenMember, PostPage, PostPhoto
from wenminghao.public.selectors.pages import public_posts
from wenminghao.public.tasks import make_post_photo_copies
from wenminghao.works.enums import FileRole, WorkStatus
from wenminghao.works.models import Work, WorkDecision
from wenminghao.works.selectors import PUBLIC_WORK_STATUSES

pytestmark = pytest.mark.django_db


def collective(username: str):
    return User.objects.get(username=username).collective


def fetched(client, url: str) -> tuple[int, int]:
    """(status, bytes) of an anonymous file response, read to the end (the test client then closes the file; closing
    the response here would fire request_finished, which closes the database connection)."""
    response = client.get(url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response.status_code, len(body)


def public_sizes() -> dict[str, int]:
    return {"pages": PostPage.objects.count(), "published": PostPage.objects.filter(published=True).count(),
            "photos": PostPhoto.objects.count(), "hidden": HiddenMember.objects.count(),
            "feedback": Feedback.objects.count(), "answered": Feedback.objects.exclude(answer="").count(),
            "works": Work.objects.count(), "decisions": WorkDecision.objects.count(),
            "extensions": DeadlineExtension.objects.count(), "audit": AuditEntry.objects.count()}


def test_the_summary_names_the_public_face_and_a_second_load_adds_nothing(db):
    first = load()
    for part in ("公开身份页5个", "工作场所照片8张", "公众监督6条", "答复4条", "优秀展示作品3件"):
        assert part in first, part
    sizes = public_sizes()
    assert load().strip() == "演示数据已齐全，本次未做任何修改。"
    assert public_sizes() == sizes


@pytest.mark.usefixtures("loaded")
def test_several_published_pages_among_them_hc_zwfws_with_photos_and_a_member_left_off(client):
    posts = set(public_posts().values_list("pk", flat=True))
    assert len(posts) >= 4 and collective("hc_zwfw").pk in posts
    for spec in public_face.PAGES:
        page = PostPage.objects.get(collective=collective(spec.collective))
        assert page.published and not page.hidden_by_unit
        assert page.service_items and page.convenience_measures
        assert 1 <= page.photos.count() <= 2 and page.hidden_members.count() == 1
        assert page.photos.filter(content_type="image/jpeg", uploaded_by__username=spec.collective).count() == \
            len(spec.photos)
    home = collective("hc_zwfw")
    response = client.get(reverse("public:post", args=[home.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    hidden = PostPage.objects.get(collective=home).hidden_members.get().member
    assert home.name in text and home.public_commitment in text and home.supervision_phone in text
    assert "一窗受理、集成服务" in text and hidden.name not in text
    photo = PostPhoto.objects.filter(page__collective=home).first()
    # its web copy comes from the task worker after the demo's commit (never in this test's transaction): 404 until
    # then, as on a fresh `make run` until the worker has run; then the copy, not the upload
    assert fetched(client, reverse("public:post_photo", args=[home.pk, photo.pk]))[0] == 404
    make_post_photo_copies.call(photo.pk)
    photo.refresh_from_db()
    assert fetched(client, reverse("public:post_photo", args=[home.pk, photo.pk])) == (200, photo.web_copy.size)
    assert AuditEntry.objects.filter(action="public.page_publish", actor__username="hc_zwfw").count() == 1
    assert AuditEntry.objects.filter(action="public.photo_upload", actor__username="hc_zwfw").count() == 2


@pytest.mark.usefixtures("loaded")
def test_feedback_has_answered_open_closed_and_verified_items(client):
    items = Feedback.objects.select_related("collective")
    assert items.count() == 6 and len({item.collective_id for item in items}) == 3
    home = list(items.filter(collective=collective("hc_zwfw")).order_by("created_at"))
    assert [(item.kind, item.state) for item in home] == [("suggestion", FeedbackState.ANSWERED),
                                                          ("suggestion", FeedbackState.OPEN)]
    assert home[0].answered_by.username == "hc_zwfw" and home[0].answered_at > home[0].created_at
    assert items.filter(state=FeedbackState.CLOSED, kind="praise").count() == 1
    complaint = items.get(kind="complaint")
    assert complaint.verified and complaint.verified_by.username == "jiaotong" and complaint.answer
    assert len({item.address_hash for item in items}) == 6  # each from its own address, only its hash kept
    answered = home[0]
    response = client.get(reverse("public:feedback_follow", args=[answered.reference]))
    assert response.status_code == 200 and answered.answer in response.content.decode()
    assert answered.contact not in response.content.decode()


@pytest.mark.usefixtures("loaded")
def test_the_2018_city_campaign_showcases_a_picture_group_a_video_and_an_essay(client):
    campaign = Campaign.objects.get(name="2018年度威海市青年文明号创建")
    works = {work.category: work for work in Work.objects.filter(campaign=campaign).prefetch_related("files")}
    assert set(works) == {"photo", "publicity", "essay"}
    assert all(work.status in PUBLIC_WORK_STATUSES for work in works.values())
    assert works["photo"].status == WorkStatus.FORWARDED
    assert works["photo"].decisions.filter(to_status=WorkStatus.SHOWCASED, actor__username="city").exists()
    assert works["photo"].files.filter(role=FileRole.PICTURE).count() == 5
    assert works["publicity"].files.filter(role=FileRole.VIDEO).count() == 1
    assert works["essay"].essay_text and works["essay"].char_count <= 2000
    for work in works.values():  # the history of 2018: submitted after the extension, decided that autumn
        assert work.submitted_at.year == 2018
        assert set(work.decisions.values_list("created_at__year", flat=True)) == {2018}
    extensions = DeadlineExtension.objects.filter(campaign=campaign)
    assert extensions.count() == 3 and all(item.until.year == 2018 for item in extensions)

    listing = client.get(reverse("public:showcase"))
    assert listing.status_code == 200
    for work in works.values():
        assert work.title in listing.content.decode()
        page = client.get(reverse("public:showcase_work", args=[work.pk]))
        assert page.status_code == 200
        for item in work.files.all():
            url = reverse("public:showcase_file", args=[work.pk, item.pk])
            assert fetched(client, url) == (200, item.original.size), (work.title, item.original_name)
    essay = client.get(reverse("public:showcase_essay", args=[works["essay"].pk]))
    assert essay.status_code == 200 and "母爱文化" in essay.content.decode()
