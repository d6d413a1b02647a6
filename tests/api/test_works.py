"""The works endpoints of API.md: every endpoint by every role, each Attachment 1 refusal through the API
with real generated files, 413 before the body is read, essays as JSON and as .docx, submission."""

import datetime
import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.middleware.csrf import get_token
from django.test import RequestFactory
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.utils import timezone

from tests import factories
from tests.works.media_fixtures import (
    add_pictures,
    animated_gif,
    audio_only,
    docm,
    docx,
    files_under,
    gif,
    jpeg,
    jpeg_bomb,
    make_work,
    media_storage,  # noqa: F401 - fixture
    not_media,
    png,
    truncated_jpeg,
    video,
    zip_not_docx,
)
from wenminghao.campaigns.services import grant_extension
from wenminghao.core.models import AuditEntry
from wenminghao.works.enums import WorkStatus
from wenminghao.works.models import SimilarFile, Work, WorkFile
from wenminghao.works.services import set_essay_text
from wenminghao.works.transitions import submit_work

from .conftest import error_codes
from .test_errors import NOT_FOUND

ROLES = ("city_admin", "unit_admin_a", "unit_admin_b", "leader_a", "leader_b", "judge", "anonymous")
# Who may see and change collective_a's works: the city, its area, its own account.
OWN_A = {"city_admin": 200, "unit_admin_a": 200, "unit_admin_b": 404, "leader_a": 200, "leader_b": 404,
         "judge": 404, "anonymous": 401}


@pytest.fixture(autouse=True)
def _storage(media_storage):  # noqa: F811
    return media_storage


@pytest.fixture
def campaign(tree):
    return factories.campaign(office=tree["city"], name="2018年度威海市青年文明号创建")


@pytest.fixture
def photo_work(tree, users, campaign):
    return make_work(actor=users["leader_a"], collective=tree["collective_a"], campaign=campaign)


@pytest.fixture
def video_work(tree, users, campaign):
    return make_work(actor=users["leader_a"], collective=tree["collective_a"], campaign=campaign,
                     category="publicity")


@pytest.fixture
def essay_work(tree, users, campaign):
    return make_work(actor=users["leader_a"], collective=tree["collective_a"], campaign=campaign, category="essay")


def who(users, role):
    return None if role == "anonymous" else users[role]


def expected(table, role, ok):
    status = table[role]
    return ok if status == 200 else status


def upload_to(api, work, name, data, user, *, caption=None, **extra):
    body = {"file": SimpleUploadedFile(name, data)}
    if caption is not None:
        body["caption"] = caption
    return api.client.post(f"/api/v1/works/{work.pk}/files", body, headers=api.headers(user), **extra)


def put_essay_text(api, work, text, user):
    return api.client.put(f"/api/v1/works/{work.pk}/essay", {"text": text}, content_type="application/json",
                          headers=api.headers(user))


def put_essay_docx(api, work, name, data, user):
    body = encode_multipart(BOUNDARY, {"file": SimpleUploadedFile(name, data)})
    return api.client.put(f"/api/v1/works/{work.pk}/essay", body, content_type=MULTIPART_CONTENT,
                          headers=api.headers(user))


def delete(api, path, user):
    return api.client.delete(f"/api/v1{path}", headers=api.headers(user))


def new_work_body(tree, campaign, **overrides):
    body = {
        "collective": tree["collective_a"].pk, "campaign": campaign.pk, "category": "photo",
        "title": "窗口里的四十年", "display_form": "picture", "description": "从手写票据到掌上办理。",
        "contact_name": "王联系", "contact_phone": "13900000000",
    }
    body.update(overrides)
    return body


def close(campaign):
    campaign.deadline = timezone.now() - datetime.timedelta(hours=1)
    campaign.save(update_fields=["deadline"])


# --- POST /works -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ROLES)
def test_work_create_by_role(api, users, tree, campaign, role):
    response = api.post("/works", new_work_body(tree, campaign), user=who(users, role))
    assert response.status_code == expected(OWN_A, role, 201)
    if response.status_code == 201:
        body = response.json()
        work = Work.objects.get(pk=body["id"])
        assert body["status"] == "draft"
        assert body["collective"] == {"id": tree["collective_a"].pk, "name": "环翠区政务服务中心窗口"}
        assert body["unit"] == {"id": tree["area_a"].pk, "name": "环翠区团委"}
        assert body["campaign"] == {"id": campaign.pk, "name": "2018年度威海市青年文明号创建"}
        assert body["files"] == []
        assert [rule["code"] for rule in body["unmet_rules"]] == ["photo.count"]
        assert work.created_by == users[role]
        assert AuditEntry.objects.filter(action="work.create", object_id=str(work.pk)).exists()
    else:
        assert not Work.objects.exists()
        if response.status_code == 404:
            assert response.json() == NOT_FOUND


def test_work_create_by_a_delegate(api, users, tree, campaign):
    delegate = factories.account(username="delegate_a", role="collective", collective=tree["collective_a"],
                                 is_delegate=True)
    assert api.post("/works", new_work_body(tree, campaign), user=delegate).status_code == 201


def test_work_create_invisible_campaign_answers_404(api, users, tree):
    other_city = factories.campaign(office=factories.unit(name="烟台市团委", kind="city"))
    response = api.post("/works", new_work_body(tree, other_city), user=users["leader_a"])
    assert response.status_code == 404
    assert response.json() == NOT_FOUND


def test_work_create_lists_every_violation_at_once(api, users, tree, campaign):
    response = api.post(
        "/works", new_work_body(tree, campaign, display_form="video", description="观" * 201), user=users["leader_a"]
    )
    assert response.status_code == 422
    assert error_codes(response) == ["work.display_form", "description.too_long"]
    errors = {error["code"]: error for error in response.json()["errors"]}
    assert errors["work.display_form"]["field"] == "display_form"
    assert "图片、漫画" in errors["work.display_form"]["message"]
    assert errors["description.too_long"]["message"] == "作品说明为201字，超过200字的上限"
    assert not Work.objects.exists()


def test_work_create_description_at_the_limit(api, users, tree, campaign):
    response = api.post("/works", new_work_body(tree, campaign, description="观" * 200), user=users["leader_a"])
    assert response.status_code == 201
    assert response.json()["description_chars"] == 200


def test_work_create_h5_needs_an_http_address(api, users, tree, campaign):
    body = new_work_body(tree, campaign, category="publicity", display_form="h5", url="ftp://h5.example.com/")
    response = api.post("/works", body, user=users["leader_a"])
    assert response.status_code == 422
    assert error_codes(response) == ["h5.url"]
    body["url"] = "https://h5.example.com/wmh"
    assert api.post("/works", body, user=users["leader_a"]).json()["url"] == "https://h5.example.com/wmh"


def test_work_create_essay_needs_its_kind(api, users, tree, campaign):
    body = new_work_body(tree, campaign, category="essay", display_form="essay", description="")
    response = api.post("/works", body, user=users["leader_a"])
    assert response.status_code == 422
    assert error_codes(response) == ["essay.kind"]
    created = api.post("/works", {**body, "essay_kind": "theory"}, user=users["leader_a"]).json()
    assert created["essay_kind"] == "theory"
    assert created["char_limit"] == 5000


def test_work_create_after_the_deadline_answers_422(api, users, tree, campaign):
    close(campaign)
    response = api.post("/works", new_work_body(tree, campaign), user=users["leader_a"])
    assert response.status_code == 422
    assert error_codes(response) == ["deadline.passed"]
    assert "北京时间" in response.json()["errors"][0]["message"]


def test_work_create_unknown_choices_name_the_allowed_ones(api, users, tree, campaign):
    response = api.post("/works", new_work_body(tree, campaign, category="poem", display_form="film"),
                        user=users["leader_a"])
    assert response.status_code == 422
    errors = {error["field"]: error["message"] for error in response.json()["errors"]}
    assert errors["category"].startswith("作品类别（category）的取值不在可选范围内")
    assert "photo（“改革开放青观察”图片作品）" in errors["category"]
    assert "h5（H5）" in errors["display_form"]


def test_work_create_missing_fields_are_named(api, users, tree, campaign):
    response = api.post("/works", {"collective": tree["collective_a"].pk, "campaign": campaign.pk},
                        user=users["leader_a"])
    assert response.status_code == 422
    messages = [error["message"] for error in response.json()["errors"]]
    assert "作品类别（category）为必填项，请提供" in messages
    assert "名称（title）为必填项，请提供" in messages


# --- GET /works/{id} ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ROLES)
def test_work_detail_by_role(api, users, photo_work, role):
    add_pictures(photo_work, users["leader_a"], 1)
    response = api.get(f"/works/{photo_work.pk}", user=who(users, role))
    assert response.status_code == OWN_A[role]
    if response.status_code == 200:
        body = response.json()
        assert body["id"] == photo_work.pk
        assert body["status"] == "draft"
        assert body["editable"] is True
        assert [item["name"] for item in body["files"]] == ["照片1.jpg"]
    elif response.status_code == 404:
        assert response.json() == NOT_FOUND


def test_work_detail_missing_answers_404_like_invisible(api, users, tree, campaign):
    work_b = make_work(actor=users["leader_b"], collective=tree["collective_b"], campaign=campaign)
    hidden = api.get(f"/works/{work_b.pk}", user=users["unit_admin_a"])
    missing = api.get("/works/999999", user=users["unit_admin_a"])
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json() == NOT_FOUND


def test_work_detail_files_as_api_md_says(api, users, photo_work, video_work):
    data = jpeg(1200, 1600, seed=4)
    upload_to(api, photo_work, "竖拍.jpg", data, users["leader_a"], caption="窗口一角")
    upload_to(api, video_work, "宣传片.mp4", video("12.5"), users["leader_a"])
    picture = api.get(f"/works/{photo_work.pk}", user=users["unit_admin_a"]).json()["files"][0]
    assert picture["name"] == "竖拍.jpg"
    assert picture["size"] == len(data)
    assert picture["sha256"] == hashlib.sha256(data).hexdigest()
    assert (picture["width"], picture["height"], picture["duration"]) == (1200, 1600, None)
    assert picture["caption"] == "窗口一角"
    assert picture["position"] == 1
    assert picture["content_type"] == "image/jpeg"
    movie = api.get(f"/works/{video_work.pk}", user=users["unit_admin_a"]).json()["files"][0]
    assert movie["duration"] == 12.5
    assert (movie["width"], movie["height"]) == (64, 48)
    assert movie["role"] == "video"


def test_work_detail_originality_names_the_other_work_only_when_visible(api, users, tree, campaign, photo_work,
                                                                         django_capture_on_commit_callbacks):
    other_a = make_work(actor=users["leader_a"], collective=tree["collective_a"], campaign=campaign, title="另一组")
    work_b = make_work(actor=users["leader_b"], collective=tree["collective_b"], campaign=campaign, title="文登组")
    with django_capture_on_commit_callbacks(execute=True):
        add_pictures(other_a, users["leader_a"], 1, first_seed=7)
        add_pictures(work_b, users["leader_b"], 1, first_seed=7)
        add_pictures(photo_work, users["leader_a"], 1, first_seed=7)
    mine = photo_work.files.get()
    assert SimilarFile.objects.filter(file=mine).count() == 2
    flags = api.get(f"/works/{photo_work.pk}", user=users["leader_a"]).json()["files"][0]["similar"]
    shown = [(flag["kind"], flag["work"] and flag["work"]["title"], flag["collective"]) for flag in flags]
    assert sorted(shown, key=str) == [("identical", "另一组", "环翠区政务服务中心窗口"), ("identical", None, None)]
    city_flags = api.get(f"/works/{photo_work.pk}", user=users["city_admin"]).json()["files"][0]["similar"]
    assert sorted(flag["work"]["title"] for flag in city_flags) == ["另一组", "文登组"]
    assert all(flag["distance"] == 0 for flag in city_flags)


def test_work_detail_submitted_is_not_editable(api, users, photo_work):
    add_pictures(photo_work, users["leader_a"], 4)
    submit_work(actor=users["leader_a"], work=photo_work)
    body = api.get(f"/works/{photo_work.pk}", user=users["leader_a"]).json()
    assert body["status"] == "submitted"
    assert body["editable"] is False
    assert body["unmet_rules"] == []
    assert body["submitted_at"].endswith("+08:00")


def test_work_detail_deadline_includes_an_extension(api, users, tree, campaign, photo_work):
    until = campaign.deadline + datetime.timedelta(days=3)
    grant_extension(actor=users["city_admin"], campaign=campaign, unit=tree["area_a"], until=until, reason="汛期抢险")
    body = api.get(f"/works/{photo_work.pk}", user=users["leader_a"]).json()
    assert abs(datetime.datetime.fromisoformat(body["deadline"]) - until) < datetime.timedelta(milliseconds=1)


# --- PATCH /works/{id} -------------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ROLES)
def test_work_change_by_role(api, users, photo_work, role):
    response = api.client.patch(f"/api/v1/works/{photo_work.pk}", {"title": "改后的名称"},
                                content_type="application/json", headers=api.headers(who(users, role)))
    assert response.status_code == OWN_A[role]
    photo_work.refresh_from_db()
    assert photo_work.title == ("改后的名称" if response.status_code == 200 else "窗口里的四十年")


def test_work_change_keeps_fields_not_sent_and_checks_the_rules(api, users, photo_work):
    headers = api.headers(users["leader_a"])
    response = api.client.patch(f"/api/v1/works/{photo_work.pk}", {"description": "观" * 201},
                                content_type="application/json", headers=headers)
    assert response.status_code == 422
    assert error_codes(response) == ["description.too_long"]
    response = api.client.patch(f"/api/v1/works/{photo_work.pk}", {"display_form": "comic"},
                                content_type="application/json", headers=headers)
    assert response.json()["display_form"] == "comic"
    assert response.json()["title"] == "窗口里的四十年"


# --- POST /works/{id}/files --------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ROLES)
def test_work_file_upload_by_role(api, users, photo_work, role):
    response = upload_to(api, photo_work, "照片.jpg", jpeg(), who(users, role))
    assert response.status_code == expected(OWN_A, role, 201)
    if response.status_code == 201:
        record = response.json()
        stored = WorkFile.objects.get(pk=record["id"])
        assert stored.work == photo_work and stored.uploaded_by == users[role]
        assert (record["width"], record["height"], record["size"]) == (1600, 1200, stored.size)
        assert record["derivatives"] == "pending"
    else:
        assert not WorkFile.objects.exists()


def test_work_file_upload_to_a_submitted_work_answers_403(api, users, photo_work, _storage):
    add_pictures(photo_work, users["leader_a"], 4)
    submit_work(actor=users["leader_a"], work=photo_work)
    for role in ("leader_a", "unit_admin_a", "city_admin"):
        response = upload_to(api, photo_work, "照片.jpg", jpeg(seed=9), users[role])
        assert response.status_code == 403
        assert error_codes(response) == ["forbidden"]
        assert "已提交" in response.json()["errors"][0]["message"]
    assert photo_work.files.count() == 4


PICTURE_REFUSALS = [
    ("png named .jpg", "照片.jpg", lambda: png(), "photo.not_jpeg", "实际为PNG格式，要求为JPEG格式"),
    ("gif named .jpg", "照片.jpg", lambda: gif(), "photo.not_jpeg", "实际为GIF格式"),
    ("not a picture", "照片.jpg", not_media, "photo.not_jpeg", "不是可识别的图片文件"),
    ("1599×1200", "小图.jpg", lambda: jpeg(1599, 1200), "photo.too_small", "第1张图片为1599×1200像素，低于1600×1200"),
    ("1600×1199", "小图.jpg", lambda: jpeg(1600, 1199), "photo.too_small", "第1张图片为1600×1199像素，低于1600×1200"),
    ("turned 1599 wide", "小图.jpg", lambda: jpeg(1200, 1599), "photo.too_small", "1200×1599像素"),
    ("truncated", "断图.jpg", truncated_jpeg, "photo.corrupt", "已损坏或不完整"),
    ("bomb", "炸弹.jpg", jpeg_bomb, "photo.corrupt", "像素数过大"),
    ("empty", "空.jpg", lambda: b"", "photo.corrupt", "空文件"),
]


@pytest.mark.parametrize(("case", "name", "make", "code", "phrase"), PICTURE_REFUSALS,
                         ids=[case[0] for case in PICTURE_REFUSALS])
def test_work_file_picture_refusals(api, users, photo_work, _storage, case, name, make, code, phrase):
    response = upload_to(api, photo_work, name, make(), users["leader_a"])
    assert response.status_code == 422
    assert error_codes(response) == [code]
    error = response.json()["errors"][0]
    assert phrase in error["message"]
    assert error["field"] == "file"
    media_root, temp_dir = _storage
    assert not WorkFile.objects.exists()
    assert files_under(media_root) == [] and files_under(temp_dir) == []


@pytest.mark.parametrize(("width", "height", "orientation"), [(1600, 1200, None), (1200, 1600, None),
                                                              (1200, 1600, 6)])
def test_work_file_picture_at_the_limit_either_way(api, users, photo_work, width, height, orientation):
    response = upload_to(api, photo_work, "照片.jpg", jpeg(width, height, orientation=orientation), users["leader_a"])
    assert response.status_code == 201
    shown = (height, width) if orientation == 6 else (width, height)
    assert (response.json()["width"], response.json()["height"]) == shown


def test_work_file_the_tenth_picture_is_too_many(api, users, photo_work):
    add_pictures(photo_work, users["leader_a"], 9)
    response = upload_to(api, photo_work, "第十张.jpg", jpeg(seed=10), users["leader_a"])
    assert response.status_code == 422
    assert error_codes(response) == ["photo.too_many"]
    assert "最多9张" in response.json()["errors"][0]["message"]
    assert photo_work.files.count() == 9


def test_work_file_message_counts_the_place_in_the_group(api, users, photo_work):
    add_pictures(photo_work, users["leader_a"], 2)
    response = upload_to(api, photo_work, "小图.jpg", jpeg(1280, 960), users["leader_a"])
    assert response.json()["errors"][0]["message"].startswith("第3张图片为1280×960像素，低于1600×1200")


@pytest.mark.parametrize(("seconds", "accepted"), [("29.9", True), ("30.0", True), ("30.1", False)])
def test_work_file_video_duration_limit(api, users, video_work, seconds, accepted):
    response = upload_to(api, video_work, "宣传片.mp4", video(seconds), users["leader_a"])
    if accepted:
        assert response.status_code == 201
        assert response.json()["duration"] == float(seconds)
    else:
        assert response.status_code == 422
        assert error_codes(response) == ["video.too_long"]
        assert "播放时长为30.1秒，超过30.0秒的上限" in response.json()["errors"][0]["message"]


def test_work_file_video_duration_is_read_from_the_streams_not_the_name(api, users, video_work):
    response = upload_to(api, video_work, "宣传片_10秒.webm", video("31", kind="webm"), users["leader_a"])
    assert error_codes(response) == ["video.too_long"]


def test_work_file_animated_gif(api, users, video_work):
    response = upload_to(api, video_work, "动画.gif", animated_gif("2.5"), users["leader_a"])
    assert response.status_code == 201
    assert response.json()["duration"] == 2.5
    assert response.json()["content_type"] == "image/gif"


VIDEO_REFUSALS = [
    ("sound only", "宣传片.mp4", audio_only, "video.unreadable"),
    ("empty", "宣传片.mp4", lambda: b"", "video.unreadable"),
    ("not media", "宣传片.mp4", not_media, "file.type"),
    ("a jpeg", "宣传片.mp4", lambda: jpeg(64, 48), "file.type"),
]


@pytest.mark.parametrize(("case", "name", "make", "code"), VIDEO_REFUSALS, ids=[case[0] for case in VIDEO_REFUSALS])
def test_work_file_video_refusals(api, users, video_work, case, name, make, code):
    response = upload_to(api, video_work, name, make(), users["leader_a"])
    assert response.status_code == 422
    assert error_codes(response) == [code]
    assert not WorkFile.objects.exists()


def test_work_file_to_an_essay_answers_file_type(api, users, essay_work):
    response = upload_to(api, essay_work, "照片.jpg", jpeg(), users["leader_a"])
    assert response.status_code == 422
    assert error_codes(response) == ["file.type"]


def test_work_file_after_the_deadline_and_with_an_extension(api, users, tree, campaign, photo_work):
    close(campaign)
    refused = upload_to(api, photo_work, "照片.jpg", jpeg(), users["leader_a"])
    assert refused.status_code == 422
    assert error_codes(refused) == ["deadline.passed"]
    grant_extension(actor=users["city_admin"], campaign=campaign, collective=tree["collective_a"],
                    until=timezone.now() + datetime.timedelta(days=2), reason="系统故障补报")
    assert upload_to(api, photo_work, "照片.jpg", jpeg(), users["leader_a"]).status_code == 201


def test_work_file_without_a_file_answers_422(api, users, photo_work):
    response = api.client.post(f"/api/v1/works/{photo_work.pk}/files", {"caption": "没有文件"},
                               headers=api.headers(users["leader_a"]))
    assert response.status_code == 422
    assert error_codes(response) == ["file.required"]
    response = api.post(f"/works/{photo_work.pk}/files", {"file": "照片"}, user=users["leader_a"])
    assert response.status_code == 422
    assert error_codes(response) == ["file.required"]


class UnreadBody:
    """A request body that fails the test if anything reads it."""

    def __init__(self):
        self.reads = 0

    def read(self, *args):
        self.reads += 1
        raise AssertionError("the body was read")

    readline = read


def declare_upload(client, method, url, size, headers):
    """A multipart request that declares ``size`` bytes and fails the test if its body is read at all."""
    body = UnreadBody()
    response = client.generic(method, url, b"", headers=headers, CONTENT_TYPE="multipart/form-data; boundary=x",
                              CONTENT_LENGTH=str(size), **{"wsgi.input": body})
    return response


def test_work_file_413_from_content_length_before_reading(api, users, photo_work, settings):
    settings.WMH_PICTURE_MAX_BYTES = 20 * 1024 * 1024
    response = declare_upload(api.client, "POST", f"/api/v1/works/{photo_work.pk}/files", 21 * 1024 * 1024,
                              api.headers(users["leader_a"]))
    assert response.status_code == 413
    assert error_codes(response) == ["file.too_large"]
    assert "20MB" in response.json()["errors"][0]["message"]
    assert not WorkFile.objects.exists()


def test_work_file_size_limit_follows_the_work(api, users, photo_work, video_work, settings):
    settings.WMH_PICTURE_MAX_BYTES = 1024
    settings.WMH_VIDEO_MAX_BYTES = 300 * 1024 * 1024
    assert upload_to(api, video_work, "宣传片.mp4", video("1"), users["leader_a"]).status_code == 201
    assert upload_to(api, photo_work, "照片.jpg", jpeg(), users["leader_a"]).status_code == 413
    response = declare_upload(api.client, "POST", f"/api/v1/works/{video_work.pk}/files", 301 * 1024 * 1024,
                              api.headers(users["leader_a"]))
    assert response.status_code == 413
    assert "300MB" in response.json()["errors"][0]["message"]


def test_work_file_413_with_a_session_before_the_csrf_check_reads_the_body(users, photo_work, settings):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(users["leader_a"], backend="wenminghao.accounts.backends.UsernameOrMobileBackend")
    token = get_token(RequestFactory().get("/"))
    client.cookies[settings.CSRF_COOKIE_NAME] = token
    url = f"/api/v1/works/{photo_work.pk}/files"
    response = declare_upload(client, "POST", url, 400 * 1024 * 1024, {"X-CSRFToken": token})
    assert response.status_code == 413
    missing_token = client.post(url, {"file": SimpleUploadedFile("照片.jpg", jpeg())})
    assert missing_token.status_code == 403
    with_token = client.post(url, {"file": SimpleUploadedFile("照片.jpg", jpeg())}, headers={"X-CSRFToken": token})
    assert with_token.status_code == 201


def test_work_file_413_while_streaming_leaves_nothing(api, users, photo_work, settings, _storage):
    settings.WMH_PICTURE_MAX_BYTES = 20 * 1024  # the body's declared size passes; the file itself does not
    data = jpeg(seed=3)
    assert len(data) > 20 * 1024
    response = upload_to(api, photo_work, "照片.jpg", data, users["leader_a"])
    assert response.status_code == 413
    assert error_codes(response) == ["file.too_large"]
    assert "照片.jpg" in response.json()["errors"][0]["message"]
    media_root, temp_dir = _storage
    assert not WorkFile.objects.exists()
    assert files_under(media_root) == [] and files_under(temp_dir) == []


def test_work_file_upload_keeps_the_original_byte_for_byte(api, users, photo_work, _storage):
    data = jpeg(seed=5)
    record = upload_to(api, photo_work, "照片.jpg", data, users["leader_a"]).json()
    stored = WorkFile.objects.get(pk=record["id"])
    with stored.original.open("rb") as handle:
        assert handle.read() == data
    media_root, temp_dir = _storage
    assert files_under(temp_dir) == []
    assert len(files_under(media_root)) == 1


# --- DELETE /works/{id}/files/{file_id} --------------------------------------------------------------------

@pytest.mark.parametrize("role", ROLES)
def test_work_file_delete_by_role(api, users, photo_work, role, _storage, django_capture_on_commit_callbacks):
    first, second = add_pictures(photo_work, users["leader_a"], 2)
    with django_capture_on_commit_callbacks(execute=True):
        response = delete(api, f"/works/{photo_work.pk}/files/{first.pk}", who(users, role))
    assert response.status_code == expected(OWN_A, role, 204)
    if response.status_code == 204:
        assert response.content == b""
        assert list(photo_work.files.values_list("pk", "position")) == [(second.pk, 1)]
        assert len(files_under(_storage[0])) == 1
        assert AuditEntry.objects.filter(action="work.picture_remove").exists()
    else:
        assert photo_work.files.count() == 2


def test_work_file_delete_of_another_work_answers_404(api, users, tree, campaign, photo_work):
    other = make_work(actor=users["leader_a"], collective=tree["collective_a"], campaign=campaign, title="另一组")
    (picture,) = add_pictures(other, users["leader_a"], 1)
    response = delete(api, f"/works/{photo_work.pk}/files/{picture.pk}", users["leader_a"])
    assert response.status_code == 404
    assert response.json() == NOT_FOUND
    assert WorkFile.objects.filter(pk=picture.pk).exists()


def test_work_file_delete_after_submission_answers_403(api, users, photo_work):
    pictures = add_pictures(photo_work, users["leader_a"], 4)
    submit_work(actor=users["leader_a"], work=photo_work)
    response = delete(api, f"/works/{photo_work.pk}/files/{pictures[0].pk}", users["unit_admin_a"])
    assert response.status_code == 403
    assert photo_work.files.count() == 4


# --- PUT /works/{id}/essay ---------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ROLES)
def test_essay_text_by_role(api, users, essay_work, role):
    response = put_essay_text(api, essay_work, "青年文明号，岗位建新功。Youth 2018", who(users, role))
    assert response.status_code == OWN_A[role]
    essay_work.refresh_from_db()
    if response.status_code == 200:
        assert response.json() == {"char_count": 14, "char_limit": 2000}
        assert essay_work.char_count == 14
    else:
        assert essay_work.essay_text == ""


@pytest.mark.parametrize(("kind", "count", "accepted"),
                         [("practice", 2000, True), ("practice", 2001, False), ("theory", 5000, True),
                          ("theory", 5001, False)])
def test_essay_text_limit_of_its_kind(api, users, tree, campaign, kind, count, accepted):
    work = make_work(actor=users["leader_a"], collective=tree["collective_a"], campaign=campaign, category="essay",
                     essay_kind=kind)
    response = put_essay_text(api, work, "字" * (count - 2) + "，A", users["leader_a"])
    if accepted:
        assert response.status_code == 200
        assert response.json()["char_count"] == count
    else:
        assert response.status_code == 422
        assert error_codes(response) == ["essay.too_long"]
        assert f"征文为{count}字" in response.json()["errors"][0]["message"]
        work.refresh_from_db()
        assert work.char_count == 0


def test_essay_docx_upload(api, users, essay_work, _storage):
    data = docx("品牌建设青之见", "窗口服务，青春担当。", table=[["项目", "成效"], ["掌上办", "100%"]])
    response = put_essay_docx(api, essay_work, "征文.docx", data, users["leader_a"])
    assert response.status_code == 200
    essay_work.refresh_from_db()
    assert "窗口服务，青春担当。" in essay_work.essay_text
    assert response.json()["char_count"] == essay_work.char_count == 25  # 7 + 10 + 2 + 2 + 3 + "100%"
    assert files_under(_storage[1]) == []


def test_essay_docx_too_long(api, users, essay_work):
    response = put_essay_docx(api, essay_work, "征文.docx", docx("字" * 1500, "文" * 501), users["leader_a"])
    assert response.status_code == 422
    assert error_codes(response) == ["essay.too_long"]


@pytest.mark.parametrize(("name", "make", "code"), [
    ("征文.docm", lambda: docm("有宏的文档"), "file.type"),
    ("征文.docx", lambda: b"\xd0\xcf\x11\xe0old word", "file.type"),
    ("征文.docx", zip_not_docx, "essay.docx"),
])
def test_essay_docx_refusals(api, users, essay_work, name, make, code):
    response = put_essay_docx(api, essay_work, name, make(), users["leader_a"])
    assert response.status_code == 422
    assert error_codes(response) == [code]


def test_essay_docx_413_from_content_length(api, users, essay_work, settings):
    settings.WMH_DOCX_MAX_BYTES = 1024 * 1024
    response = declare_upload(api.client, "PUT", f"/api/v1/works/{essay_work.pk}/essay", 2 * 1024 * 1024,
                              api.headers(users["leader_a"]))
    assert response.status_code == 413


def test_essay_on_another_category_answers_422(api, users, photo_work):
    response = put_essay_text(api, photo_work, "正文", users["leader_a"])
    assert response.status_code == 422
    assert error_codes(response) == ["file.type"]


def test_essay_malformed_bodies_answer_422(api, users, essay_work):
    headers = api.headers(users["leader_a"])
    url = f"/api/v1/works/{essay_work.pk}/essay"
    broken = api.client.put(url, "{\"text\": ", content_type="application/json", headers=headers)
    assert error_codes(broken) == ["request.invalid_json"]
    missing = api.client.put(url, {}, content_type="application/json", headers=headers)
    assert missing.json()["errors"] == [
        {"code": "field.required", "message": "征文正文（text）为必填项，请提供", "field": "text"}
    ]
    wrong = api.client.put(url, {"text": 5}, content_type="application/json", headers=headers)
    assert error_codes(wrong) == ["field.invalid"]
    assert api.client.put(url, "{}", content_type="text/plain", headers=headers).status_code == 422


# --- POST /works/{id}/submit -------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ROLES)
def test_work_submit_by_role(api, users, essay_work, role):
    set_essay_text(actor=users["leader_a"], work=essay_work, text="岗位建功，服务群众。")
    response = api.post(f"/works/{essay_work.pk}/submit", user=who(users, role))
    assert response.status_code == OWN_A[role]
    essay_work.refresh_from_db()
    if response.status_code == 200:
        assert response.json()["status"] == "submitted"
        assert response.json()["id"] == essay_work.pk
        assert essay_work.status == WorkStatus.SUBMITTED
        assert AuditEntry.objects.filter(action="work.submit").exists()
    else:
        assert essay_work.status == WorkStatus.DRAFT


@pytest.mark.parametrize(("count", "accepted"), [(3, False), (4, True), (9, True)])
def test_work_submit_picture_count(api, users, photo_work, count, accepted):
    add_pictures(photo_work, users["leader_a"], count)
    response = api.post(f"/works/{photo_work.pk}/submit", user=users["leader_a"])
    if accepted:
        assert response.status_code == 200
        assert response.json()["status"] == "submitted"
    else:
        assert response.status_code == 422
        assert error_codes(response) == ["photo.count"]
        assert response.json()["errors"][0]["message"] == "图片作品须为4—9张为一组，现有3张"


def test_work_submit_lists_every_unmet_rule_at_once(api, users, campaign, photo_work):
    add_pictures(photo_work, users["leader_a"], 3)
    Work.objects.filter(pk=photo_work.pk).update(description="观" * 201)  # written before the limit was checked
    close(campaign)
    response = api.post(f"/works/{photo_work.pk}/submit", user=users["leader_a"])
    assert response.status_code == 422
    assert error_codes(response) == ["deadline.passed", "description.too_long", "photo.count"]


def test_work_submit_publicity_and_essay_need_their_content(api, users, video_work, essay_work):
    video_response = api.post(f"/works/{video_work.pk}/submit", user=users["leader_a"])
    assert error_codes(video_response) == ["video.missing"]
    essay_response = api.post(f"/works/{essay_work.pk}/submit", user=users["leader_a"])
    assert error_codes(essay_response) == ["essay.empty"]
    upload_to(api, video_work, "宣传片.mov", video("30.0", kind="mov"), users["leader_a"])
    assert api.post(f"/works/{video_work.pk}/submit", user=users["leader_a"]).status_code == 200


def test_work_submit_h5_with_its_address(api, users, tree, campaign):
    work = make_work(actor=users["leader_a"], collective=tree["collective_a"], campaign=campaign,
                     category="publicity", display_form="h5", url="https://h5.example.com/wmh")
    assert upload_to(api, work, "截图.png", png(720, 1280), users["leader_a"]).status_code == 201
    assert api.post(f"/works/{work.pk}/submit", user=users["leader_a"]).json()["status"] == "submitted"


def test_work_submit_after_the_deadline_unless_extended(api, users, tree, campaign, essay_work):
    set_essay_text(actor=users["leader_a"], work=essay_work, text="岗位建功。")
    close(campaign)
    refused = api.post(f"/works/{essay_work.pk}/submit", user=users["leader_a"])
    assert refused.status_code == 422
    assert error_codes(refused) == ["deadline.passed"]
    grant_extension(actor=users["city_admin"], campaign=campaign, unit=tree["area_a"],
                    until=timezone.now() + datetime.timedelta(days=1), reason="汛期抢险，延期报送")
    assert api.post(f"/works/{essay_work.pk}/submit", user=users["leader_a"]).status_code == 200


def test_work_submit_twice_answers_403(api, users, essay_work):
    set_essay_text(actor=users["leader_a"], work=essay_work, text="岗位建功。")
    assert api.post(f"/works/{essay_work.pk}/submit", user=users["leader_a"]).status_code == 200
    again = api.post(f"/works/{essay_work.pk}/submit", user=users["leader_a"])
    assert again.status_code == 403
    assert "已提交" in again.json()["errors"][0]["message"]


# --- GET /works --------------------------------------------------------------------------------------------

@pytest.fixture
def works(users, tree, campaign):
    return {
        key: make_work(actor=users["city_admin"], collective=tree[key], campaign=campaign, title=f"{key}的作品")
        for key in ("collective_a", "collective_sub", "collective_b")
    }


def titles(response):
    return sorted(item["title"] for item in response.json()["items"])


@pytest.mark.parametrize(("role", "expected_titles"), [
    ("city_admin", ["collective_a的作品", "collective_b的作品", "collective_sub的作品"]),
    ("unit_admin_a", ["collective_a的作品", "collective_sub的作品"]),
    ("unit_admin_b", ["collective_b的作品"]),
    ("leader_a", ["collective_a的作品"]),
    ("leader_b", ["collective_b的作品"]),
    ("judge", []),
])
def test_works_list_each_role(api, users, works, role, expected_titles):
    response = api.get("/works", user=users[role])
    assert response.status_code == 200
    assert titles(response) == expected_titles
    assert response.json()["count"] == len(expected_titles)


def test_works_list_anonymous_answers_401(api, works):
    assert api.get("/works").status_code == 401


def test_works_list_item_fields(api, users, tree, campaign, works):
    add_pictures(works["collective_b"], users["leader_b"], 2)
    item = api.get("/works", user=users["unit_admin_b"]).json()["items"][0]
    assert item["collective"] == {"id": tree["collective_b"].pk, "name": "文登区供电所"}
    assert item["unit"] == {"id": tree["area_b"].pk, "name": "文登区团委"}
    assert item["campaign"] == {"id": campaign.pk, "name": "2018年度威海市青年文明号创建"}
    assert (item["category"], item["display_form"], item["status"]) == ("photo", "picture", "draft")
    assert (item["file_count"], item["picture_count"]) == (2, 2)


def test_works_list_filters(api, users, tree, campaign, works, essay_work):
    admin = users["city_admin"]
    set_essay_text(actor=admin, work=essay_work, text="岗位建功。")
    submit_work(actor=admin, work=essay_work)
    assert titles(api.get("/works", user=admin, unit=tree["sub_a"].pk)) == ["collective_sub的作品"]
    assert api.get("/works", user=admin, unit=tree["area_a"].pk).json()["count"] == 3
    assert titles(api.get("/works", user=admin, collective=tree["collective_b"].pk)) == ["collective_b的作品"]
    assert titles(api.get("/works", user=admin, category="essay")) == ["一个窗口的品牌之路"]
    assert titles(api.get("/works", user=admin, status="submitted")) == ["一个窗口的品牌之路"]
    assert api.get("/works", user=admin, campaign=campaign.pk).json()["count"] == 4
    assert titles(api.get("/works", user=admin, search="文登区供电")) == ["collective_b的作品"]
    wrong = api.get("/works", user=admin, status="won")
    assert wrong.status_code == 422
    assert "draft（草稿）" in wrong.json()["errors"][0]["message"]


def test_works_list_invisible_filters_answer_404(api, users, tree, works):
    admin = users["unit_admin_b"]
    assert api.get("/works", user=admin, unit=tree["area_a"].pk).json() == NOT_FOUND
    assert api.get("/works", user=admin, collective=tree["collective_a"].pk).status_code == 404
    other_city = factories.campaign(office=factories.unit(name="烟台市团委", kind="city"))
    assert api.get("/works", user=admin, campaign=other_city.pk).status_code == 404


def test_works_list_query_count_constant_in_rows(api, users, tree, campaign, django_assert_num_queries):
    admin = users["unit_admin_b"]
    first = make_work(actor=admin, collective=tree["collective_b"], campaign=campaign)
    add_pictures(first, admin, 1)
    api.get("/works", user=admin)
    with django_assert_num_queries(4):  # token, the campaigns in scope, count, page with its collectives, files…
        assert api.get("/works", user=admin).json()["count"] == 1
    for index in range(3):
        work = make_work(actor=admin, collective=factories.collective(unit=tree["area_b"], name=f"文登集体{index}"),
                         campaign=campaign, title=f"作品{index}")
        add_pictures(work, admin, 2, first_seed=index * 2 + 2)
    with django_assert_num_queries(4):
        assert api.get("/works", user=admin).json()["count"] == 4


def test_work_detail_query_count_constant_in_files(api, users, photo_work, django_assert_num_queries):
    add_pictures(photo_work, users["leader_a"], 1)
    url = f"/works/{photo_work.pk}"
    api.get(url, user=users["leader_a"])
    with django_assert_num_queries(6) as one:  # token, work, files, flags, visible others, facts (no extension)
        api.get(url, user=users["leader_a"])
    add_pictures(photo_work, users["leader_a"], 3, first_seed=2)
    with django_assert_num_queries(len(one.captured_queries)):
        assert len(api.get(url, user=users["leader_a"]).json()["files"]) == 4


# --- the OpenAPI document ----------------------------------------------------------------------------------

def test_openapi_document_lists_the_works_operations(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert set(paths["/api/v1/works"]) == {"get", "post"}
    assert set(paths["/api/v1/works/{work_id}"]) == {"get", "patch"}
    upload = paths["/api/v1/works/{work_id}/files"]["post"]
    assert "multipart/form-data" in upload["requestBody"]["content"]
    assert {"413", "422"} <= set(upload["responses"])
    essay = paths["/api/v1/works/{work_id}/essay"]["put"]
    assert set(essay["requestBody"]["content"]) == {"application/json", "multipart/form-data"}
    assert "delete" in paths["/api/v1/works/{work_id}/files/{file_id}"]
    assert "422" in paths["/api/v1/works/{work_id}/submit"]["post"]["responses"]
