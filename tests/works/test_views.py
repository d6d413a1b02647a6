"""The works pages: list, create and edit, the work's page with uploads (JSON for Uppy), order, captions,
removal, essays, submission, the deadline and extensions, originality flags, and serving the files."""

import datetime
import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.works.media_fixtures import (
    add_pictures,
    docm,
    docx,
    jpeg,
    make_work,
    media_storage,  # noqa: F401 - fixture
    png,
    upload,
    video,
)
from wenminghao.campaigns.models import Campaign, DeadlineExtension
from wenminghao.core.models import AuditEntry
from wenminghao.works.enums import DerivativeState, WorkStatus
from wenminghao.works.models import Work, WorkFile
from wenminghao.works.services import add_work_file

LIST_URL = reverse("works:list")
CREATE_URL = reverse("works:create")
JSON = {"Accept": "application/json"}


@pytest.fixture
def campaign(tree):
    return factories.campaign(office=tree["city"], name="2018年度威海市青年文明号创建")


@pytest.fixture
def photo_work(tree, users, campaign, media_storage):  # noqa: F811
    return make_work(actor=users["leader_a"], collective=tree["collective_a"], campaign=campaign)


@pytest.fixture
def video_work(tree, users, campaign, media_storage):  # noqa: F811
    return make_work(actor=users["leader_a"], collective=tree["collective_a"], campaign=campaign,
                     category="publicity", title="三十秒讲清新思想")


@pytest.fixture
def essay_work(tree, users, campaign):
    return make_work(actor=users["leader_a"], collective=tree["collective_a"], campaign=campaign, category="essay")


def close_campaign(campaign: Campaign) -> None:
    Campaign.objects.filter(pk=campaign.pk).update(deadline=timezone.now() - datetime.timedelta(hours=1))
    campaign.refresh_from_db()


def url(name: str, *args) -> str:
    return reverse(f"works:{name}", args=args)


def post_file(client, work, name: str, data: bytes, **headers):
    return client.post(url("upload", work.pk), {"file": upload(name, data)}, headers={**JSON, **headers})


def messages_of(response) -> list[str]:
    return [error["message"] for error in response.json()["errors"]]


def text(response) -> str:
    return response.content.decode()


# --- the list ------------------------------------------------------------------------------------------------


def test_list_collective_sees_its_works_with_status(tree, users, campaign, signed_in):
    make_work(actor=users["leader_a"], collective=tree["collective_a"], campaign=campaign, title="本集体的作品")
    make_work(actor=users["leader_b"], collective=tree["collective_b"], campaign=campaign, title="别人的作品")
    response = signed_in(users["leader_a"]).get(LIST_URL)
    assert response.status_code == 200
    assert [work.title for work in response.context["object_list"]] == ["本集体的作品"]
    assert "草稿" in text(response)
    assert "新建作品" in text(response)


def test_list_unit_sees_the_works_under_it(tree, users, campaign, signed_in):
    make_work(actor=users["leader_a"], collective=tree["collective_a"], campaign=campaign, title="环翠窗口作品")
    make_work(actor=users["unit_admin_a"], collective=tree["collective_sub"], campaign=campaign, title="街道作品")
    make_work(actor=users["leader_b"], collective=tree["collective_b"], campaign=campaign, title="文登作品")
    titles = lambda user: sorted(w.title for w in signed_in(users[user]).get(LIST_URL).context["object_list"])  # noqa: E731
    assert titles("unit_admin_a") == ["环翠窗口作品", "街道作品"]
    assert titles("unit_admin_b") == ["文登作品"]
    assert titles("city_admin") == sorted(["环翠窗口作品", "文登作品", "街道作品"])


def test_list_filters_and_search(tree, users, campaign, signed_in):
    other_campaign = factories.campaign(office=tree["city"], name="2019年度创建")
    make_work(actor=users["leader_a"], collective=tree["collective_a"], campaign=campaign, title="窗口里的四十年")
    make_work(actor=users["leader_a"], collective=tree["collective_a"], campaign=campaign, category="essay",
              title="品牌之路")
    make_work(actor=users["leader_b"], collective=tree["collective_b"], campaign=other_campaign, title="供电所的变迁")
    Work.objects.filter(title="品牌之路").update(status=WorkStatus.SUBMITTED)
    client = signed_in(users["city_admin"])

    def titles(**params):
        return sorted(work.title for work in client.get(LIST_URL, params).context["object_list"])

    assert titles(campaign=campaign.pk) == ["品牌之路", "窗口里的四十年"]
    assert titles(category="essay") == ["品牌之路"]
    assert titles(status="submitted") == ["品牌之路"]
    assert titles(collective=tree["collective_b"].pk) == ["供电所的变迁"]
    assert titles(unit=tree["area_b"].pk) == ["供电所的变迁"]
    assert titles(q="四十年") == ["窗口里的四十年"]
    assert titles(q="供电所") == ["供电所的变迁"]


def test_list_collective_filter_outside_scope_is_404(tree, users, signed_in):
    response = signed_in(users["unit_admin_a"]).get(LIST_URL, {"collective": tree["collective_b"].pk})
    assert response.status_code == 404


def test_list_judge_sees_no_works(tree, users, campaign, signed_in):
    make_work(actor=users["leader_a"], collective=tree["collective_a"], campaign=campaign)
    response = signed_in(users["judge"]).get(LIST_URL)
    assert response.status_code == 200
    assert list(response.context["object_list"]) == []
    assert "新建作品" not in text(response)


def test_list_query_count_does_not_grow_with_rows(tree, users, campaign, signed_in, django_assert_num_queries):
    client = signed_in(users["city_admin"])
    make_work(actor=users["leader_a"], collective=tree["collective_a"], campaign=campaign, title="第一件")
    client.get(LIST_URL)  # warm the session and content-type caches
    with CaptureQueriesContext(connection) as one:
        assert len(client.get(LIST_URL).context["object_list"]) == 1
    make_work(actor=users["leader_b"], collective=tree["collective_b"], campaign=campaign, title="第二件")
    make_work(actor=users["unit_admin_a"], collective=tree["collective_sub"], campaign=campaign, category="essay")
    with django_assert_num_queries(len(one.captured_queries)):
        assert len(client.get(LIST_URL).context["object_list"]) == 3


# --- creating and editing -------------------------------------------------------------------------------------


def work_post(**overrides) -> dict:
    data = {
        "category": "photo", "display_form": "picture", "title": "窗口里的四十年",
        "description": "从手写票据到掌上办理。", "contact_name": "王联系", "contact_phone": "13900000000",
        "essay_kind": "", "url": "",
    }
    data.update(overrides)
    return data


def test_create_page_offers_forms_by_category_and_counts_the_description(users, signed_in, campaign):
    response = signed_in(users["leader_a"]).get(CREATE_URL)
    assert response.status_code == 200
    page = text(response)
    assert 'id="category-forms"' in page
    assert json.loads(page.split('id="category-forms" type="application/json">')[1].split("</script>")[0]) == {
        "photo": ["picture", "comic"], "publicity": ["video", "animation", "h5"], "essay": ["essay"],
    }
    assert 'data-limit="200"' in page
    assert "collective" not in response.context["form"].fields
    assert response.context["form"].initial["campaign"] == campaign.pk
    assert response.context["form"].initial["contact_name"] == "张联系"


def test_create_by_the_collective_makes_a_draft(users, tree, campaign, signed_in):
    response = signed_in(users["leader_a"]).post(CREATE_URL, work_post(campaign=campaign.pk))
    work = Work.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("detail", work.pk)
    assert (work.collective, work.status, work.created_by) == (tree["collective_a"], WorkStatus.DRAFT,
                                                               users["leader_a"])


def test_create_by_an_admin_for_a_collective_of_its_subtree(users, tree, campaign, signed_in):
    client = signed_in(users["unit_admin_a"])
    response = client.post(CREATE_URL, work_post(campaign=campaign.pk, collective=tree["collective_sub"].pk))
    assert response.status_code == 302
    assert Work.objects.get().collective == tree["collective_sub"]
    response = client.post(CREATE_URL, work_post(campaign=campaign.pk, collective=tree["collective_b"].pk))
    assert response.status_code == 422  # a refused form answers 422, with the reasons
    assert "collective" in response.context["form"].errors
    assert Work.objects.count() == 1


def test_create_shows_every_violation_of_the_service(users, campaign, signed_in):
    response = signed_in(users["leader_a"]).post(
        CREATE_URL, work_post(campaign=campaign.pk, display_form="video", description="观" * 201)
    )
    assert response.status_code == 422
    form = response.context["form"]
    assert "展示形式应为：图片、漫画" in form.errors["display_form"][0]
    assert "作品说明为201字，超过200字的上限" in form.errors["description"][0]
    assert Work.objects.count() == 0


def test_create_after_the_deadline_is_refused_with_the_shanghai_time(users, campaign, signed_in):
    close_campaign(campaign)
    response = signed_in(users["leader_a"]).post(CREATE_URL, work_post(campaign=campaign.pk))
    assert response.status_code == 422
    assert "成果报送已于" in text(response) and "（北京时间）截止" in text(response)
    assert Work.objects.count() == 0


def test_create_refused_to_a_judge(users, signed_in):
    assert signed_in(users["judge"]).get(CREATE_URL).status_code == 403


def test_edit_changes_fields_and_keeps_the_category(photo_work, users, signed_in):
    response = signed_in(users["leader_a"]).post(
        url("edit", photo_work.pk), work_post(category="essay", display_form="comic", title="新标题")
    )
    assert response.status_code == 302
    photo_work.refresh_from_db()
    assert (photo_work.title, photo_work.display_form, photo_work.category) == ("新标题", "comic", "photo")


def test_edit_of_a_submitted_work_is_forbidden(photo_work, users, signed_in):
    Work.objects.filter(pk=photo_work.pk).update(status=WorkStatus.SUBMITTED)
    assert signed_in(users["leader_a"]).get(url("edit", photo_work.pk)).status_code == 403


# --- the work's page ---------------------------------------------------------------------------------------


def test_detail_of_a_draft_offers_the_uploader_and_the_rules(photo_work, users, signed_in):
    response = signed_in(users["leader_a"]).get(url("detail", photo_work.pk))
    page = text(response)
    assert response.status_code == 200
    assert "data-uppy" in page and url("upload", photo_work.pk) in page
    assert "每组4—9张" in page and "不低于1600×1200像素" in page
    assert "图片作品须为4—9张为一组，现有0张" in page  # the checklist before submitting
    assert "vendor/uppy/uppy.min.js" in page
    assert "<script>" not in page  # no inline scripts (CSP)


def test_detail_of_another_collectives_work_is_404(photo_work, users, signed_in):
    assert signed_in(users["leader_b"]).get(url("detail", photo_work.pk)).status_code == 404
    assert signed_in(users["unit_admin_b"]).get(url("detail", photo_work.pk)).status_code == 404


def test_detail_after_the_deadline_says_so_and_offers_no_edits(photo_work, users, campaign, signed_in):
    close_campaign(campaign)
    page = text(signed_in(users["leader_a"]).get(url("detail", photo_work.pk)))
    assert 'data-testid="deadline-closed"' in page
    assert "不能再提交或修改作品" in page
    assert "data-uppy" not in page
    assert url("submit", photo_work.pk) not in page
    assert url("edit", photo_work.pk) not in page


def test_detail_with_an_extension_offers_edits_again(photo_work, users, tree, campaign, signed_in):
    close_campaign(campaign)
    DeadlineExtension.objects.create(campaign=campaign, unit=tree["area_a"], reason="系统故障",
                                     until=timezone.now() + datetime.timedelta(days=2), granted_by=users["city_admin"])
    page = text(signed_in(users["leader_a"]).get(url("detail", photo_work.pk)))
    assert "data-uppy" in page
    assert "已获延期" in page


# --- uploads --------------------------------------------------------------------------------------------------


def test_upload_answers_json_and_the_file_shows_as_processing(photo_work, users, signed_in):
    client = signed_in(users["leader_a"])
    response = post_file(client, photo_work, "窗口.jpg", jpeg(seed=3))
    assert response.status_code == 201
    body = response.json()["file"]
    assert (body["name"], body["width"], body["height"]) == ("窗口.jpg", 1600, 1200)
    work_file = WorkFile.objects.get()
    assert work_file.derivatives == DerivativeState.PENDING  # the task runs after the commit
    partial = client.get(url("files", photo_work.pk))
    assert "处理中" in text(partial)
    assert "every 2s" in text(partial)


def test_upload_then_the_thumbnail_replaces_the_placeholder(photo_work, users, signed_in,
                                                            django_capture_on_commit_callbacks):
    client = signed_in(users["leader_a"])
    with django_capture_on_commit_callbacks(execute=True):
        assert post_file(client, photo_work, "窗口.jpg", jpeg(seed=3)).status_code == 201
    work_file = WorkFile.objects.get()
    assert work_file.derivatives == DerivativeState.READY
    partial = text(client.get(url("files", photo_work.pk)))
    assert "处理中" not in partial and "every 2s" not in partial
    assert url("file", photo_work.pk, work_file.pk) + "?variant=thumbnail" in partial
    thumbnail = client.get(url("file", photo_work.pk, work_file.pk) + "?variant=thumbnail")
    assert thumbnail.status_code == 200
    assert thumbnail["Content-Type"] == "image/jpeg"
    b"".join(thumbnail.streaming_content)  # read to the end: the test client closes it


def test_upload_refusal_says_which_picture_what_was_found_and_what_is_required(photo_work, users, signed_in):
    client = signed_in(users["leader_a"])
    for seed in (1, 2):
        assert post_file(client, photo_work, f"照片{seed}.jpg", jpeg(seed=seed)).status_code == 201
    response = post_file(client, photo_work, "小图.jpg", jpeg(1280, 960, seed=5))
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "photo.too_small"
    assert messages_of(response)[0].startswith("第3张图片为1280×960像素，低于1600×1200")
    assert WorkFile.objects.count() == 2


def test_upload_of_a_png_named_jpg_is_refused(photo_work, users, signed_in):
    response = post_file(signed_in(users["leader_a"]), photo_work, "假装.jpg", png())
    assert response.status_code == 422
    assert "实际为PNG格式，要求为JPEG格式" in messages_of(response)[0]


def test_upload_over_the_size_limit_answers_413(photo_work, users, signed_in, settings):
    settings.WMH_PICTURE_MAX_BYTES = 100 * 1024
    response = post_file(signed_in(users["leader_a"]), photo_work, "大图.jpg", b"\xff" * (300 * 1024))
    assert response.status_code == 413
    assert response.json()["errors"][0]["code"] == "file.too_large"
    assert "超过100KB的上限" in messages_of(response)[0]
    assert WorkFile.objects.count() == 0


def test_upload_past_the_limit_while_streaming_answers_413_and_leaves_nothing(photo_work, users, signed_in, settings,
                                                                             media_storage):  # noqa: F811
    settings.WMH_PICTURE_MAX_BYTES = 100 * 1024
    # Declared within the envelope allowance, so the body is read: the handler stops at the limit.
    response = post_file(signed_in(users["leader_a"]), photo_work, "大图.jpg", b"\xff" * (120 * 1024))
    assert response.status_code == 413
    assert response.json()["errors"][0]["code"] == "file.too_large"
    assert WorkFile.objects.count() == 0
    media_root, temp_dir = media_storage
    assert list(media_root.rglob("*.*")) == [] and list(temp_dir.iterdir()) == []


def test_the_file_list_brings_the_checklist_up_to_date(photo_work, users, signed_in):
    client = signed_in(users["leader_a"])
    post_file(client, photo_work, "窗口.jpg", jpeg(seed=3))
    partial = text(client.get(url("files", photo_work.pk), headers={"HX-Request": "true"}))
    assert 'id="submit-checklist" hx-swap-oob="true"' in partial
    assert "图片作品须为4—9张为一组，现有1张" in partial


def test_upload_needs_the_csrf_token(photo_work, users, tree):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["leader_a"], backend="wenminghao.accounts.backends.UsernameOrMobileBackend")
    assert post_file(client, photo_work, "窗口.jpg", jpeg()).status_code == 403
    client.get(url("detail", photo_work.pk))
    token = client.cookies["csrftoken"].value
    assert post_file(client, photo_work, "窗口.jpg", jpeg(), **{"X-CSRFToken": token}).status_code == 201


def test_upload_without_script_goes_back_to_the_page_with_the_reason(photo_work, users, signed_in):
    client = signed_in(users["leader_a"])
    response = client.post(url("upload", photo_work.pk), {"file": upload("小图.jpg", jpeg(1200, 900))}, follow=True)
    assert response.redirect_chain[-1][0] == url("detail", photo_work.pk)
    assert "第1张图片为1200×900像素，低于1600×1200" in text(response)


def test_upload_to_a_submitted_work_is_forbidden(photo_work, users, signed_in):
    Work.objects.filter(pk=photo_work.pk).update(status=WorkStatus.SUBMITTED)
    assert post_file(signed_in(users["leader_a"]), photo_work, "窗口.jpg", jpeg()).status_code == 403
    assert WorkFile.objects.count() == 0


def test_upload_after_the_deadline_is_refused(photo_work, users, campaign, signed_in):
    close_campaign(campaign)
    response = post_file(signed_in(users["leader_a"]), photo_work, "窗口.jpg", jpeg())
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "deadline.passed"


def test_video_upload_shows_its_measured_duration(video_work, users, signed_in):
    client = signed_in(users["leader_a"])
    response = post_file(client, video_work, "宣传片.mp4", video("12.5"))
    assert response.status_code == 201
    assert response.json()["file"]["duration"] == 12.5
    page = text(client.get(url("detail", video_work.pk)))
    assert "12.5秒" in page
    assert "宣传作品只能有一个视频" in messages_of(post_file(client, video_work, "第二个.mp4", video("3")))[0]


def test_a_video_work_with_its_video_shows_the_player_not_the_upload_area(video_work, users, signed_in,
                                                                          django_capture_on_commit_callbacks):
    client = signed_in(users["leader_a"])
    with django_capture_on_commit_callbacks(execute=True):
        assert post_file(client, video_work, "宣传片.mp4", video("3")).status_code == 201
    work_file = WorkFile.objects.get()
    page = text(client.get(url("detail", video_work.pk)))
    assert "data-uppy" not in page
    assert f'poster="{url("file", video_work.pk, work_file.pk)}?variant=poster"' in page
    poster = client.get(url("file", video_work.pk, work_file.pk), {"variant": "poster"})
    assert poster.status_code == 200 and poster["Content-Type"] == "image/jpeg"
    b"".join(poster.streaming_content)  # read to the end: the test client closes it
    client.post(url("file_remove", video_work.pk, work_file.pk))
    assert "data-uppy" in text(client.get(url("detail", video_work.pk)))


def test_h5_work_shows_its_address_and_takes_png_screenshots(tree, users, campaign, signed_in, media_storage):  # noqa: F811
    work = make_work(actor=users["leader_a"], collective=tree["collective_a"], campaign=campaign,
                     category="publicity", display_form="h5", url="https://h5.example.com/wmh", title="H5展示")
    client = signed_in(users["leader_a"])
    page = text(client.get(url("detail", work.pk)))
    assert 'href="https://h5.example.com/wmh"' in page and 'rel="noopener noreferrer"' in page
    assert "页面截图（选填）" in page
    assert post_file(client, work, "首页.png", png()).status_code == 201
    assert "共1张" in text(client.get(url("files", work.pk)))


def test_video_over_thirty_seconds_is_refused(video_work, users, signed_in):
    response = post_file(signed_in(users["leader_a"]), video_work, "太长.mp4", video("30.1"))
    assert response.status_code == 422
    assert "播放时长为30.1秒，超过30.0秒的上限" in messages_of(response)[0]


# --- order, captions, removal ------------------------------------------------------------------------------


def positions(work) -> list[str]:
    return list(WorkFile.objects.filter(work=work).order_by("position").values_list("original_name", flat=True))


def test_move_a_picture_up_and_down(photo_work, users, signed_in):
    first, second, third = add_pictures(photo_work, users["leader_a"], 3)
    client = signed_in(users["leader_a"])
    response = client.post(url("file_move", photo_work.pk, third.pk), {"direction": "up"},
                           headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert 'id="work-files"' in text(response)
    assert positions(photo_work) == ["照片1.jpg", "照片3.jpg", "照片2.jpg"]
    client.post(url("file_move", photo_work.pk, first.pk), {"direction": "down"})
    assert positions(photo_work) == ["照片3.jpg", "照片1.jpg", "照片2.jpg"]
    # the first cannot go further up: nothing changes
    client.post(url("file_move", photo_work.pk, third.pk), {"direction": "up"})
    assert positions(photo_work) == ["照片3.jpg", "照片1.jpg", "照片2.jpg"]


def test_reorder_all_at_once(photo_work, users, signed_in):
    pictures = add_pictures(photo_work, users["leader_a"], 3)
    order = ",".join(str(item.pk) for item in reversed(pictures))
    response = signed_in(users["leader_a"]).post(url("reorder", photo_work.pk), {"order": order})
    assert response.status_code == 302
    assert positions(photo_work) == ["照片3.jpg", "照片2.jpg", "照片1.jpg"]


def test_reorder_with_a_missing_file_shows_the_reason(photo_work, users, signed_in):
    pictures = add_pictures(photo_work, users["leader_a"], 2)
    response = signed_in(users["leader_a"]).post(
        url("reorder", photo_work.pk), {"order": str(pictures[0].pk)}, headers={"HX-Request": "true"}
    )
    assert "排序须包含本作品的全部2个文件" in text(response)


def test_caption_is_saved_and_shown(photo_work, users, signed_in):
    (picture,) = add_pictures(photo_work, users["leader_a"], 1)
    client = signed_in(users["leader_a"])
    response = client.post(url("file_caption", photo_work.pk, picture.pk), {"caption": "1988年的办税大厅"},
                           headers={"HX-Request": "true"})
    assert 'value="1988年的办税大厅"' in text(response)
    picture.refresh_from_db()
    assert picture.caption == "1988年的办税大厅"


def test_remove_a_picture(photo_work, users, signed_in, media_storage, django_capture_on_commit_callbacks):  # noqa: F811
    (picture,) = add_pictures(photo_work, users["leader_a"], 1)
    stored = media_storage[0] / picture.original.name
    assert stored.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in(users["leader_a"]).post(url("file_remove", photo_work.pk, picture.pk))
    assert response.status_code == 302
    assert WorkFile.objects.count() == 0
    assert not stored.exists()


def test_file_actions_on_another_collectives_work_are_404(photo_work, users, signed_in):
    (picture,) = add_pictures(photo_work, users["leader_a"], 1)
    client = signed_in(users["leader_b"])
    assert client.post(url("file_remove", photo_work.pk, picture.pk)).status_code == 404
    assert client.post(url("file_caption", photo_work.pk, picture.pk), {"caption": "x"}).status_code == 404
    assert WorkFile.objects.count() == 1


# --- essays ----------------------------------------------------------------------------------------------------


def test_essay_text_is_saved_with_the_servers_count(essay_work, users, signed_in):
    response = signed_in(users["leader_a"]).post(url("essay", essay_work.pk), {"text": "青年文明号 2018年 WiFi！"},
                                                 follow=True)
    essay_work.refresh_from_db()
    assert essay_work.char_count == 9  # 青年文明号 5, 2018 1, 年 1, WiFi 1, ！ 1
    assert f"共{essay_work.char_count}字" in text(response)


def test_essay_over_the_limit_is_refused_and_the_text_kept(essay_work, users, signed_in):
    response = signed_in(users["leader_a"]).post(url("essay", essay_work.pk), {"text": "字" * 2001})
    assert response.status_code == 422
    assert "征文为2001字，实践案例不超过2000字" in text(response)
    essay_work.refresh_from_db()
    assert essay_work.char_count == 0
    assert response.context["essay_form"]["text"].value() == "字" * 2001


def test_essay_from_a_docx(essay_work, users, signed_in):
    data = docx("一个窗口的品牌之路", "从1988年说起。")
    response = signed_in(users["leader_a"]).post(url("essay", essay_work.pk),
                                                 {"file": upload("征文.docx", data)}, follow=True)
    essay_work.refresh_from_db()
    assert "一个窗口的品牌之路" in essay_work.essay_text
    assert "已读取Word文档“征文.docx”的正文" in text(response)


def test_essay_docm_is_refused(essay_work, users, signed_in):
    response = signed_in(users["leader_a"]).post(url("essay", essay_work.pk), {"file": upload("宏.docm", docm("正文"))})
    assert response.status_code == 422
    assert 'data-testid="violations"' in text(response)
    essay_work.refresh_from_db()
    assert essay_work.essay_text == ""


# --- submission ---------------------------------------------------------------------------------------------------


def test_submit_lists_every_unmet_rule_at_once(photo_work, users, campaign, signed_in):
    add_pictures(photo_work, users["leader_a"], 3)
    close_campaign(campaign)
    DeadlineExtension.objects.create(campaign=campaign, unit=campaign.office, reason="测试",
                                     granted_by=users["city_admin"],
                                     until=timezone.now() - datetime.timedelta(minutes=1))
    response = signed_in(users["leader_a"]).post(url("submit", photo_work.pk))
    assert response.status_code == 200
    codes = [violation.code for violation in response.context["violations"]]
    assert codes == ["deadline.passed", "photo.count"]
    page = text(response)
    assert "图片作品须为4—9张为一组，现有3张" in page
    assert "批准的延期也已于" in page
    photo_work.refresh_from_db()
    assert photo_work.status == WorkStatus.DRAFT


def test_submit_a_complete_work(photo_work, users, signed_in):
    add_pictures(photo_work, users["leader_a"], 4)
    client = signed_in(users["leader_a"])
    assert "各项要求均已满足" in text(client.get(url("detail", photo_work.pk)))
    response = client.post(url("submit", photo_work.pk), follow=True)
    photo_work.refresh_from_db()
    assert photo_work.status == WorkStatus.SUBMITTED
    page = text(response)
    assert "已提交“窗口里的四十年”，请等待环翠区团委审核推荐" in page
    assert "data-uppy" not in page and url("submit", photo_work.pk) not in page
    # a second click submits nothing and says the work is submitted (tests/works/test_concurrency.py)
    again = text(client.post(url("submit", photo_work.pk), follow=True))
    assert "作品“窗口里的四十年”已提交，无需重复提交。" in again
    assert photo_work.decisions.count() == 1


# --- originality flags ------------------------------------------------------------------------------------------


def test_reviewers_see_originality_flags_with_a_link_when_the_other_work_is_visible(
        tree, users, campaign, media_storage, signed_in, django_capture_on_commit_callbacks):  # noqa: F811
    first = make_work(actor=users["leader_a"], collective=tree["collective_a"], campaign=campaign, title="甲作品")
    second = make_work(actor=users["leader_a"], collective=tree["collective_a"], campaign=campaign, title="乙作品")
    other_city = make_work(actor=users["leader_b"], collective=tree["collective_b"], campaign=campaign, title="丙作品")
    with django_capture_on_commit_callbacks(execute=True):
        add_work_file(actor=users["leader_a"], work=first, upload=upload("a.jpg", jpeg(seed=8)))
        add_work_file(actor=users["leader_a"], work=second, upload=upload("b.jpg", jpeg(seed=9)))
        add_work_file(actor=users["leader_a"], work=second, upload=upload("c.jpg", jpeg(seed=8)))
        add_work_file(actor=users["leader_b"], work=other_city, upload=upload("d.jpg", jpeg(seed=8)))
    page = text(signed_in(users["unit_admin_a"]).get(url("detail", second.pk)))
    assert "与《甲作品》的第1张图片相同（环翠区政务服务中心窗口）" in page
    assert f'href="{url("detail", first.pk)}"' in page
    assert "与《其他集体的作品》的第1张图片相同" in page  # 丙作品 is outside 环翠区: no title, no link
    assert f'href="{url("detail", other_city.pk)}"' not in page
    city_page = text(signed_in(users["city_admin"]).get(url("detail", second.pk)))
    assert "与《丙作品》的第1张图片相同" in city_page
    assert "originality-flag" not in text(signed_in(users["leader_a"]).get(url("detail", second.pk)))


# --- serving the files -------------------------------------------------------------------------------------------


def test_files_are_served_only_to_who_may_see_the_work(photo_work, users, signed_in):
    (picture,) = add_pictures(photo_work, users["leader_a"], 1)
    address = url("file", photo_work.pk, picture.pk)
    for role in ("leader_a", "unit_admin_a", "city_admin"):
        response = signed_in(users[role]).get(address)
        assert response.status_code == 200, role
        assert b"".join(response.streaming_content) == jpeg(seed=1)
        assert response["Content-Type"] == "image/jpeg"
    for role in ("leader_b", "unit_admin_b", "judge"):
        assert signed_in(users[role]).get(address).status_code == 404, role
    assert Client().get(address).status_code == 302
    client = signed_in(users["leader_a"])
    assert client.get(address, {"variant": "thumbnail"}).status_code == 404  # not made yet
    assert client.get(address, {"variant": "secret"}).status_code == 404


def test_files_of_a_showcased_work_are_public(photo_work, users):
    (picture,) = add_pictures(photo_work, users["leader_a"], 1)
    Work.objects.filter(pk=photo_work.pk).update(status=WorkStatus.SHOWCASED)
    response = Client().get(url("file", photo_work.pk, picture.pk))
    assert response.status_code == 200
    b"".join(response.streaming_content)  # read to the end: the test client closes it


def test_files_on_object_storage_redirect_to_a_signed_address(photo_work, users, signed_in, settings):
    settings.STORAGES = {**settings.STORAGES,
                         "default": {"BACKEND": "django.core.files.storage.InMemoryStorage",
                                     "OPTIONS": {"base_url": "https://oss.example.com/bucket/"}}}
    client = signed_in(users["leader_a"])
    assert post_file(client, photo_work, "窗口.jpg", jpeg()).status_code == 201
    picture = WorkFile.objects.get()
    response = client.get(url("file", photo_work.pk, picture.pk))
    assert response.status_code == 302
    assert response["Location"] == f"https://oss.example.com/bucket/{picture.original.name}"


# --- deadline extensions ----------------------------------------------------------------------------------------


def test_city_office_grants_an_extension_to_a_unit(users, tree, campaign, signed_in):
    client = signed_in(users["city_admin"])
    page = client.get(url("extensions", campaign.pk))
    assert page.status_code == 200
    response = client.post(url("extensions", campaign.pk), {
        "target": "unit", "unit": tree["area_a"].pk, "until": "2030-10-08T17:00", "reason": "汛期抢险，材料延后",
    }, follow=True)
    extension = DeadlineExtension.objects.get()
    assert (extension.unit, extension.collective, extension.granted_by) == (tree["area_a"], None, users["city_admin"])
    assert timezone.localtime(extension.until).strftime("%Y-%m-%d %H:%M") == "2030-10-08 17:00"
    assert "已批准环翠区团委延期报送至2030年10月8日 17:00（北京时间）" in text(response)
    assert "汛期抢险，材料延后" in text(response)
    assert AuditEntry.objects.filter(object_id=str(extension.pk)).exists()


def test_extension_for_a_collective_needs_the_collective(users, tree, campaign, signed_in):
    response = signed_in(users["city_admin"]).post(url("extensions", campaign.pk), {
        "target": "collective", "until": "2030-10-08T17:00", "reason": "补交",
    })
    assert response.status_code == 200
    assert "请选择要延期的集体。" in text(response)
    assert DeadlineExtension.objects.count() == 0


def test_extensions_are_for_the_office_only(users, campaign, signed_in):
    for role in ("unit_admin_a", "leader_a", "judge"):
        assert signed_in(users[role]).get(url("extensions", campaign.pk)).status_code == 403, role
