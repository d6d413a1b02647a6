import hashlib

import pytest
from django.db import connection

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
    upload,
    video,
    work_fields,
    zip_not_docx,
)
from wenminghao.core.errors import NotPermitted, RuleViolationError
from wenminghao.core.models import AuditEntry
from wenminghao.core.roles import Role
from wenminghao.orgs.enums import UnitKind
from wenminghao.works import attachment1
from wenminghao.works.enums import FileRole, WorkStatus
from wenminghao.works.models import Work, WorkFile
from wenminghao.works.services import (
    add_work_file,
    create_work,
    remove_work_file,
    reorder_work_files,
    set_essay_docx,
    set_essay_text,
    set_file_caption,
    update_work,
)
from wenminghao.works.transitions import submit_work


@pytest.fixture
def campaign(tree):
    return factories.campaign(office=tree["city"])


@pytest.fixture
def photo_work(tree, users, campaign, media_storage):  # noqa: F811
    return make_work(actor=users["leader_a"], collective=tree["collective_a"], campaign=campaign)


@pytest.fixture
def video_work(tree, users, campaign, media_storage):  # noqa: F811
    return make_work(actor=users["leader_a"], collective=tree["collective_a"], campaign=campaign,
                     category="publicity")


def codes(error) -> list[str]:
    return [violation.code for violation in error.value.violations]


def assert_nothing_stored(media_storage):  # noqa: F811
    media_root, temp_dir = media_storage
    assert WorkFile.objects.count() == 0
    assert files_under(media_root) == []
    assert files_under(temp_dir) == []


# --- creating and changing works ------------------------------------------------------------------------------


def test_create_work_makes_an_audited_draft(tree, users, campaign):
    work = make_work(actor=users["leader_a"], collective=tree["collective_a"], campaign=campaign)
    assert work.status == WorkStatus.DRAFT
    assert work.created_by == users["leader_a"]
    entry = AuditEntry.objects.get(action="work.create")
    assert entry.object_id == str(work.pk)
    assert entry.unit_path == tree["collective_a"].unit.path


def test_create_work_lists_every_violation_at_once(tree, users, campaign):
    with pytest.raises(RuleViolationError) as error:
        create_work(actor=users["leader_a"], collective=tree["collective_a"], campaign=campaign,
                    fields=work_fields("photo", display_form="video", description="字" * 201, title=""))
    assert set(codes(error)) == {"work.display_form", "description.too_long", "invalid.title"}
    assert Work.objects.count() == 0


@pytest.mark.parametrize(("length", "refused"), [(199, False), (200, False), (201, True)])
def test_create_work_description_limit(tree, users, campaign, length, refused):
    fields = work_fields("photo", description="观" * length)
    if refused:
        with pytest.raises(RuleViolationError) as error:
            create_work(actor=users["leader_a"], collective=tree["collective_a"], campaign=campaign, fields=fields)
        assert codes(error) == ["description.too_long"]
        assert "201字，超过200字" in error.value.violations[0].message
    else:
        work = create_work(actor=users["leader_a"], collective=tree["collective_a"], campaign=campaign, fields=fields)
        assert len(work.description) == length


def test_create_work_essay_needs_a_kind(tree, users, campaign):
    with pytest.raises(RuleViolationError) as error:
        make_work(actor=users["leader_a"], collective=tree["collective_a"], campaign=campaign, category="essay",
                  essay_kind="")
    assert codes(error) == ["essay.kind"]


@pytest.mark.parametrize("url", ["ftp://example.com/h5", "javascript:alert(1)", "example.com"])
def test_create_work_h5_address_must_be_http(tree, users, campaign, url):
    with pytest.raises(RuleViolationError) as error:
        make_work(actor=users["leader_a"], collective=tree["collective_a"], campaign=campaign,
                  category="publicity", display_form="h5", url=url)
    assert "h5.url" in codes(error)


def test_create_work_keeps_an_https_h5_address(tree, users, campaign):
    work = make_work(actor=users["leader_a"], collective=tree["collective_a"], campaign=campaign,
                     category="publicity", display_form="h5", url="https://h5.example.com/wmh")
    assert work.url == "https://h5.example.com/wmh"


def test_create_work_refuses_a_campaign_of_another_city(tree, users):
    other = factories.campaign(office=factories.unit(name="烟台市团委", kind=UnitKind.CITY))
    with pytest.raises(RuleViolationError) as error:
        make_work(actor=users["leader_a"], collective=tree["collective_a"], campaign=other)
    assert codes(error) == ["work.out_of_scope"]


def test_create_work_refused_for_another_collective(tree, users, campaign):
    with pytest.raises(NotPermitted):
        make_work(actor=users["leader_b"], collective=tree["collective_a"], campaign=campaign)
    with pytest.raises(NotPermitted):
        make_work(actor=users["unit_admin_b"], collective=tree["collective_a"], campaign=campaign)


def test_create_work_by_the_unit_and_a_delegate(tree, users, campaign):
    delegate = factories.account(role=Role.COLLECTIVE, collective=tree["collective_a"], is_delegate=True)
    assert make_work(actor=delegate, collective=tree["collective_a"], campaign=campaign).pk
    assert make_work(actor=users["unit_admin_a"], collective=tree["collective_sub"], campaign=campaign).pk


def test_update_work_audits_the_changed_fields(photo_work, users):
    update_work(actor=users["leader_a"], work=photo_work, fields={"title": "新标题", "display_form": "comic"})
    photo_work.refresh_from_db()
    assert (photo_work.title, photo_work.display_form) == ("新标题", "comic")
    entry = AuditEntry.objects.get(action="work.update")
    assert entry.after == {"title": "新标题", "display_form": "comic"}


def test_update_work_refuses_another_form_while_files_of_this_one_exist(photo_work, users):
    add_pictures(photo_work, users["leader_a"], 1)
    with pytest.raises(RuleViolationError) as error:
        update_work(actor=users["leader_a"], work=photo_work, fields={"category": "publicity", "display_form": "video"})
    assert codes(error) == ["work.files"]


def test_update_work_refused_once_submitted(photo_work, users):
    Work.objects.filter(pk=photo_work.pk).update(status=WorkStatus.SUBMITTED)
    with pytest.raises(RuleViolationError) as error:
        update_work(actor=users["leader_a"], work=photo_work, fields={"title": "改"})
    assert codes(error) == ["work.state"]


# --- pictures ---------------------------------------------------------------------------------------------------


def test_add_picture_keeps_the_original_byte_for_byte(photo_work, users, media_storage):  # noqa: F811
    data = jpeg(1600, 1200, seed=7)
    work_file = add_work_file(actor=users["leader_a"], work=photo_work, upload=upload("窗口.jpg", data),
                              caption=" 第一张 ")
    assert work_file.role == FileRole.PICTURE
    assert (work_file.width, work_file.height, work_file.duration) == (1600, 1200, None)
    assert work_file.sha256 == hashlib.sha256(data).hexdigest()
    assert work_file.size == len(data)
    assert work_file.content_type == "image/jpeg"
    assert work_file.original_name == "窗口.jpg"
    assert work_file.caption == "第一张"
    assert work_file.position == 1
    with work_file.original.open("rb") as handle:
        assert handle.read() == data
    media_root, temp_dir = media_storage
    assert files_under(media_root) == [media_root / work_file.original.name]
    assert files_under(temp_dir) == []
    assert AuditEntry.objects.filter(action="work.picture_upload", after__sha256=work_file.sha256).exists()


@pytest.mark.parametrize(
    ("stored", "orientation", "shown", "accepted"),
    [
        ((1600, 1200), None, (1600, 1200), True),
        ((1200, 1600), None, (1200, 1600), True),
        ((1599, 1200), None, (1599, 1200), False),
        ((1600, 1199), None, (1600, 1199), False),
        ((1200, 1599), None, (1200, 1599), False),
        ((1600, 1200), 6, (1200, 1600), True),
        ((1200, 1599), 6, (1599, 1200), False),
        ((1599, 1200), 8, (1200, 1599), False),
    ],
)
def test_add_picture_size_as_displayed(photo_work, users, media_storage, stored, orientation, shown,  # noqa: F811
                                       accepted):
    data = jpeg(*stored, orientation=orientation)
    if accepted:
        work_file = add_work_file(actor=users["leader_a"], work=photo_work, upload=upload("a.jpg", data))
        assert (work_file.width, work_file.height) == shown
    else:
        with pytest.raises(RuleViolationError) as error:
            add_work_file(actor=users["leader_a"], work=photo_work, upload=upload("a.jpg", data))
        assert codes(error) == ["photo.too_small"]
        assert f"第1张图片为{shown[0]}×{shown[1]}像素，低于1600×1200" in error.value.violations[0].message
        assert_nothing_stored(media_storage)


HOSTILE_PICTURES = [
    ("PNG named .jpg", "伪装.jpg", lambda: png(), "photo.not_jpeg", "实际为PNG格式"),
    ("GIF named .jpg", "伪装.jpg", lambda: gif(), "photo.not_jpeg", "实际为GIF格式"),
    ("truncated JPEG", "半截.jpg", lambda: truncated_jpeg(), "photo.corrupt", "已损坏或不完整"),
    ("decompression bomb", "炸弹.jpg", lambda: jpeg_bomb(40000, 40000), "photo.corrupt", "像素数过大"),
    ("bomb under Pillow's own limit", "炸弹.jpg", lambda: jpeg_bomb(12000, 11000), "photo.corrupt", "像素数过大"),
    ("empty file", "空.jpg", lambda: b"", "photo.corrupt", "空文件（0字节）"),
    ("not media at all", "文本.jpg", lambda: not_media(), "photo.not_jpeg", "不是可识别的图片文件"),
    ("a video named .jpg", "视频.jpg", lambda: video("1"), "photo.not_jpeg", "不是可识别的图片文件"),
]


@pytest.mark.parametrize(("case", "name", "make", "code", "words"), HOSTILE_PICTURES,
                         ids=[case[0] for case in HOSTILE_PICTURES])
def test_add_picture_refuses_hostile_files(photo_work, users, media_storage, case, name, make, code,  # noqa: F811
                                           words):
    with pytest.raises(RuleViolationError) as error:
        add_work_file(actor=users["leader_a"], work=photo_work, upload=upload(name, make()))
    assert codes(error) == [code]
    message = error.value.violations[0].message
    assert words in message and name in message
    assert_nothing_stored(media_storage)


def test_add_picture_pixel_cap_comes_from_settings(photo_work, users, media_storage, settings):  # noqa: F811
    settings.WMH_MAX_IMAGE_PIXELS = 1600 * 1200 - 1
    with pytest.raises(RuleViolationError) as error:
        add_work_file(actor=users["leader_a"], work=photo_work, upload=upload("a.jpg", jpeg(1600, 1200)))
    assert codes(error) == ["photo.corrupt"]
    settings.WMH_MAX_IMAGE_PIXELS = 1600 * 1200
    assert add_work_file(actor=users["leader_a"], work=photo_work, upload=upload("a.jpg", jpeg(1600, 1200))).pk


def test_add_picture_the_tenth_is_too_many(photo_work, users, media_storage):  # noqa: F811
    add_pictures(photo_work, users["leader_a"], 9)
    with pytest.raises(RuleViolationError) as error:
        add_work_file(actor=users["leader_a"], work=photo_work, upload=upload("第十张.jpg", jpeg(seed=10)))
    assert codes(error) == ["photo.too_many"]
    assert "最多9张" in error.value.violations[0].message
    assert photo_work.files.count() == 9
    assert len(files_under(media_storage[0])) == 9


def test_add_picture_index_in_message_follows_the_group(photo_work, users):
    add_pictures(photo_work, users["leader_a"], 2)
    with pytest.raises(RuleViolationError) as error:
        add_work_file(actor=users["leader_a"], work=photo_work, upload=upload("小.jpg", jpeg(1280, 960)))
    assert error.value.violations[0].message.startswith("第3张图片为1280×960像素，低于1600×1200")


def test_add_picture_over_the_size_limit(photo_work, users, media_storage, settings):  # noqa: F811
    data = jpeg(1600, 1200)
    settings.WMH_PICTURE_MAX_BYTES = len(data) - 1
    with pytest.raises(RuleViolationError) as error:
        add_work_file(actor=users["leader_a"], work=photo_work, upload=upload("大.jpg", data))
    assert codes(error) == ["file.too_large"]
    assert_nothing_stored(media_storage)


def test_add_work_file_failure_while_recording_leaves_no_row_and_no_file(photo_work, users,
                                                                          media_storage):  # noqa: F811
    """A real database failure after the file was moved into storage: the insert of its row is aborted
    by a trigger; the stored file must be deleted again."""
    if connection.vendor == "postgresql":
        create = [
            "CREATE FUNCTION refuse_work_file() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'disk full'; END $$"
            " LANGUAGE plpgsql",
            "CREATE TRIGGER refuse_work_file BEFORE INSERT ON works_workfile FOR EACH ROW"
            " EXECUTE FUNCTION refuse_work_file()",
        ]
        drop = ["DROP TRIGGER refuse_work_file ON works_workfile", "DROP FUNCTION refuse_work_file()"]
    else:
        create = ["CREATE TRIGGER refuse_work_file BEFORE INSERT ON works_workfile "
                  "BEGIN SELECT RAISE(ABORT, 'disk full'); END"]
        drop = ["DROP TRIGGER refuse_work_file"]
    with connection.cursor() as cursor:
        for statement in create:
            cursor.execute(statement)
    try:
        with pytest.raises(Exception, match="disk full"):
            add_work_file(actor=users["leader_a"], work=photo_work, upload=upload("a.jpg", jpeg()))
    finally:
        with connection.cursor() as cursor:
            for statement in drop:
                cursor.execute(statement)
    assert_nothing_stored(media_storage)
    assert not AuditEntry.objects.filter(action="work.picture_upload").exists()


def test_add_work_file_refused_for_a_submitted_work_before_reading_it(photo_work, users, media_storage):  # noqa: F811
    Work.objects.filter(pk=photo_work.pk).update(status=WorkStatus.SUBMITTED)
    with pytest.raises(RuleViolationError) as error:
        add_work_file(actor=users["leader_a"], work=photo_work, upload=upload("a.jpg", jpeg()))
    assert codes(error) == ["work.state"]
    assert_nothing_stored(media_storage)


def test_add_work_file_refused_for_another_collective(photo_work, users):
    with pytest.raises(NotPermitted):
        add_work_file(actor=users["leader_b"], work=photo_work, upload=upload("a.jpg", jpeg()))


def test_add_work_file_to_an_essay_is_refused(tree, users, campaign, media_storage):  # noqa: F811
    work = make_work(actor=users["leader_a"], collective=tree["collective_a"], campaign=campaign, category="essay")
    with pytest.raises(RuleViolationError) as error:
        add_work_file(actor=users["leader_a"], work=work, upload=upload("a.jpg", jpeg()))
    assert codes(error) == ["file.type"]


def test_remove_reorder_and_caption_pictures(photo_work, users, media_storage, django_capture_on_commit_callbacks):  # noqa: F811
    first, second, third = add_pictures(photo_work, users["leader_a"], 3)
    with django_capture_on_commit_callbacks(execute=True):
        remove_work_file(actor=users["leader_a"], work=photo_work, file_id=second.pk)
    assert list(photo_work.files.order_by("position").values_list("pk", "position")) == [(first.pk, 1), (third.pk, 2)]
    assert not (media_storage[0] / second.original.name).exists()
    assert (media_storage[0] / first.original.name).exists()

    ordered = reorder_work_files(actor=users["leader_a"], work=photo_work, file_ids=[third.pk, first.pk])
    assert [item.pk for item in ordered] == [third.pk, first.pk]
    assert list(photo_work.files.order_by("position").values_list("pk", flat=True)) == [third.pk, first.pk]

    set_file_caption(actor=users["leader_a"], work=photo_work, file_id=third.pk, caption="  清晨的窗口 ")
    third.refresh_from_db()
    assert third.caption == "清晨的窗口"
    actions = list(AuditEntry.objects.values_list("action", flat=True))
    assert {"work.picture_remove", "work.file_reorder", "work.file_caption"} <= set(actions)


@pytest.mark.parametrize("order", ["empty", "missing", "duplicate", "foreign"])
def test_reorder_needs_every_file_once(photo_work, users, tree, campaign, order):
    first, second = add_pictures(photo_work, users["leader_a"], 2)
    other_work = make_work(actor=users["leader_a"], collective=tree["collective_a"], campaign=campaign)
    (foreign,) = add_pictures(other_work, users["leader_a"], 1, first_seed=5)
    ids = {"missing": [first.pk], "duplicate": [first.pk, first.pk], "foreign": [first.pk, foreign.pk]}.get(order, [])
    with pytest.raises(RuleViolationError) as error:
        reorder_work_files(actor=users["leader_a"], work=photo_work, file_ids=ids)
    assert codes(error) == ["files.order"]


def test_caption_limit(photo_work, users):
    (item,) = add_pictures(photo_work, users["leader_a"], 1)
    limit = attachment1.CAPTION_MAX_CHARS
    set_file_caption(actor=users["leader_a"], work=photo_work, file_id=item.pk, caption="说" * limit)
    with pytest.raises(RuleViolationError) as error:
        set_file_caption(actor=users["leader_a"], work=photo_work, file_id=item.pk, caption="说" * (limit + 1))
    assert codes(error) == ["caption.too_long"]


def test_remove_a_file_of_another_work_is_not_found(photo_work, users, tree, campaign):
    other_work = make_work(actor=users["leader_a"], collective=tree["collective_a"], campaign=campaign)
    (foreign,) = add_pictures(other_work, users["leader_a"], 1)
    with pytest.raises(WorkFile.DoesNotExist):
        remove_work_file(actor=users["leader_a"], work=photo_work, file_id=foreign.pk)
    assert WorkFile.objects.filter(pk=foreign.pk).exists()


def test_add_work_file_queues_derivatives_after_commit(photo_work, users, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        add_pictures(photo_work, users["leader_a"], 1)
    assert len(callbacks) == 1


# --- videos, animations and H5 screenshots ----------------------------------------------------------------------

VIDEO_CASES = [
    (kind, seconds, accepted)
    for kind in ("mp4", "mov", "webm", "gif")
    for seconds, accepted in (("29.9", True), ("30.0", True), ("30.1", False))
]


@pytest.mark.parametrize(("kind", "seconds", "accepted"), VIDEO_CASES)
def test_add_video_duration_limit(video_work, users, media_storage, kind, seconds, accepted):  # noqa: F811
    data = animated_gif(seconds) if kind == "gif" else video(seconds, kind=kind)
    if accepted:
        work_file = add_work_file(actor=users["leader_a"], work=video_work, upload=upload(f"短片.{kind}", data))
        assert str(work_file.duration) == f"{seconds}00"
        assert work_file.role == FileRole.VIDEO
        assert work_file.content_type == {"mp4": "video/mp4", "mov": "video/quicktime", "webm": "video/webm",
                                          "gif": "image/gif"}[kind]
        assert work_file.original.name.endswith(f".{kind}")
    else:
        with pytest.raises(RuleViolationError) as error:
            add_work_file(actor=users["leader_a"], work=video_work, upload=upload(f"短片.{kind}", data))
        assert codes(error) == ["video.too_long"]
        assert "播放时长为30.1秒，超过30.0秒的上限" in error.value.violations[0].message
        assert_nothing_stored(media_storage)


def test_add_video_duration_is_not_taken_from_the_name(video_work, users):
    work_file = add_work_file(actor=users["leader_a"], work=video_work, upload=upload("时长10秒.mp4",
                                                                                      video("12.5")))
    assert str(work_file.duration) == "12.500"


def test_add_video_sound_after_the_picture_counts(video_work, users, media_storage):  # noqa: F811
    with pytest.raises(RuleViolationError) as error:
        data = video("20", kind="mov", audio_seconds=31)
        add_work_file(actor=users["leader_a"], work=video_work, upload=upload("配乐.mov", data))
    assert codes(error) == ["video.too_long"]


HOSTILE_VIDEOS = [
    ("no video stream", "只有声音.mp4", lambda: audio_only(), "video.unreadable"),
    ("not media at all", "文本.mp4", lambda: not_media(), "file.type"),
    ("a picture named .mp4", "照片.mp4", lambda: jpeg(), "file.type"),
    ("empty file", "空.mp4", lambda: b"", "video.unreadable"),
    ("truncated mp4", "半截.mp4", lambda: video("3")[:2000], "file.type"),
    ("still GIF", "静态.gif", lambda: gif(64, 48), "video.unreadable"),
]


@pytest.mark.parametrize(("case", "name", "make", "code"), HOSTILE_VIDEOS, ids=[case[0] for case in HOSTILE_VIDEOS])
def test_add_video_refuses_hostile_files(video_work, users, media_storage, case, name, make, code):  # noqa: F811
    with pytest.raises(RuleViolationError) as error:
        add_work_file(actor=users["leader_a"], work=video_work, upload=upload(name, make()))
    assert codes(error) == [code]
    assert name in error.value.violations[0].message
    assert_nothing_stored(media_storage)


def test_add_video_only_one(video_work, users):
    add_work_file(actor=users["leader_a"], work=video_work, upload=upload("a.mp4", video("3")))
    with pytest.raises(RuleViolationError) as error:
        add_work_file(actor=users["leader_a"], work=video_work, upload=upload("b.mp4", video("4")))
    assert codes(error) == ["video.too_many"]


def test_add_h5_screenshots(tree, users, campaign, media_storage):  # noqa: F811
    work = make_work(actor=users["leader_a"], collective=tree["collective_a"], campaign=campaign,
                     category="publicity", display_form="h5", url="https://h5.example.com/")
    shot = add_work_file(actor=users["leader_a"], work=work, upload=upload("截图.png", png(360, 640)))
    assert (shot.role, shot.content_type, shot.width, shot.height) == (FileRole.SCREENSHOT, "image/png", 360, 640)
    with pytest.raises(RuleViolationError) as error:
        add_work_file(actor=users["leader_a"], work=work, upload=upload("动图.png", gif(64, 64)))
    assert codes(error) == ["photo.not_jpeg"]


# --- submission -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("count", "accepted"), [(3, False), (4, True), (9, True)])
def test_submit_photo_work_picture_count(photo_work, users, count, accepted):
    add_pictures(photo_work, users["leader_a"], count)
    if accepted:
        work = submit_work(actor=users["leader_a"], work=photo_work)
        assert work.status == WorkStatus.SUBMITTED and work.submitted_at is not None
        assert AuditEntry.objects.filter(action="work.submit", object_id=str(work.pk)).exists()
    else:
        with pytest.raises(RuleViolationError) as error:
            submit_work(actor=users["leader_a"], work=photo_work)
        assert codes(error) == ["photo.count"]
        assert "现有3张" in error.value.violations[0].message


def test_submit_lists_every_unmet_rule_at_once(photo_work, users):
    add_pictures(photo_work, users["leader_a"], 2)
    Work.objects.filter(pk=photo_work.pk).update(description="述" * 201)
    campaign = photo_work.campaign
    campaign.deadline = campaign.filing_deadline = factories.timezone.now() - factories.datetime.timedelta(hours=1)
    campaign.save()
    with pytest.raises(RuleViolationError) as error:
        submit_work(actor=users["leader_a"], work=photo_work)
    assert set(codes(error)) == {"deadline.passed", "description.too_long", "photo.count"}
    photo_work.refresh_from_db()
    assert photo_work.status == WorkStatus.DRAFT


def test_submit_publicity_work_needs_its_video(video_work, users):
    with pytest.raises(RuleViolationError) as error:
        submit_work(actor=users["leader_a"], work=video_work)
    assert codes(error) == ["video.missing"]
    add_work_file(actor=users["leader_a"], work=video_work, upload=upload("a.webm", video("30.0", kind="webm")))
    assert submit_work(actor=users["leader_a"], work=video_work).status == WorkStatus.SUBMITTED


def test_submit_twice_is_refused_and_a_returned_work_may_resubmit(photo_work, users):
    add_pictures(photo_work, users["leader_a"], 4)
    submit_work(actor=users["leader_a"], work=photo_work)
    with pytest.raises(RuleViolationError) as error:
        submit_work(actor=users["leader_a"], work=photo_work)
    assert codes(error) == ["work.state"]
    Work.objects.filter(pk=photo_work.pk).update(status=WorkStatus.RETURNED)
    assert submit_work(actor=users["leader_a"], work=photo_work).status == WorkStatus.SUBMITTED


def test_submit_by_the_unit_admin_and_not_by_another_unit(photo_work, users):
    add_pictures(photo_work, users["leader_a"], 4)
    with pytest.raises(NotPermitted):
        submit_work(actor=users["unit_admin_b"], work=photo_work)
    assert submit_work(actor=users["unit_admin_a"], work=photo_work).status == WorkStatus.SUBMITTED


# --- essays -----------------------------------------------------------------------------------------------------


@pytest.fixture
def essay_work(tree, users, campaign, media_storage):  # noqa: F811
    return make_work(actor=users["leader_a"], collective=tree["collective_a"], campaign=campaign, category="essay")


@pytest.mark.parametrize(
    ("kind", "count", "accepted"),
    [("practice", 1999, True), ("practice", 2000, True), ("practice", 2001, False),
     ("theory", 4999, True), ("theory", 5000, True), ("theory", 5001, False)],
)
def test_set_essay_text_limit_of_its_kind(essay_work, users, kind, count, accepted):
    Work.objects.filter(pk=essay_work.pk).update(essay_kind=kind)
    # Word counts 青 as one and "2018" as one: half CJK characters, half four-digit numbers separated by spaces.
    text = "青" * (count // 2) + " 2018" * (count - count // 2)
    if accepted:
        work = set_essay_text(actor=users["leader_a"], work=essay_work, text=text)
        assert work.char_count == count
        work.refresh_from_db()
        assert work.essay_text == text and work.char_count == count
    else:
        with pytest.raises(RuleViolationError) as error:
            set_essay_text(actor=users["leader_a"], work=essay_work, text=text)
        assert codes(error) == ["essay.too_long"]
        limit = attachment1.ESSAY_MAX_CHARS[kind]
        assert f"征文为{count}字" in error.value.violations[0].message
        assert f"不超过{limit}字" in error.value.violations[0].message
        essay_work.refresh_from_db()
        assert essay_work.essay_text == ""


def test_set_essay_text_empty_draft_but_not_submitted(essay_work, users):
    set_essay_text(actor=users["leader_a"], work=essay_work, text="")
    with pytest.raises(RuleViolationError) as error:
        submit_work(actor=users["leader_a"], work=essay_work)
    assert codes(error) == ["essay.empty"]
    set_essay_text(actor=users["leader_a"], work=essay_work, text="窗口服务，贴心周到。\r\nService first.")
    essay_work.refresh_from_db()
    assert essay_work.essay_text == "窗口服务，贴心周到。\nService first."
    assert essay_work.char_count == 12
    assert submit_work(actor=users["leader_a"], work=essay_work).status == WorkStatus.SUBMITTED


def test_set_essay_text_only_for_essays(photo_work, users):
    with pytest.raises(RuleViolationError) as error:
        set_essay_text(actor=users["leader_a"], work=photo_work, text="文字")
    assert codes(error) == ["file.type"]


def test_set_essay_docx_reads_paragraphs_and_tables_and_keeps_no_file(essay_work, users, media_storage):  # noqa: F811
    data = docx("青年文明号", "Service 3.5 分", table=[["窗口", "服务"], ["A", "B"]])
    work = set_essay_docx(actor=users["leader_a"], work=essay_work, upload=upload("征文.docx", data))
    assert work.essay_text == "青年文明号\nService 3.5 分\n窗口\n服务\nA\nB"
    assert work.char_count == 5 + 3 + 4 + 2
    assert_nothing_stored(media_storage)
    entry = AuditEntry.objects.get(action="work.essay_docx")
    assert entry.after["sha256"] == hashlib.sha256(data).hexdigest()


def test_set_essay_docx_too_long(essay_work, users):
    with pytest.raises(RuleViolationError) as error:
        set_essay_docx(actor=users["leader_a"], work=essay_work, upload=upload("长.docx", docx("字" * 2001)))
    assert codes(error) == ["essay.too_long"]


HOSTILE_DOCUMENTS = [
    ("macro-enabled .docm", "宏.docm", lambda: docm("正文"), "file.type", "启用宏"),
    ("docm named .docx", "宏.docx", lambda: docm("正文"), "file.type", "启用宏"),
    ("docx that is not a zip", "假.docx", lambda: not_media(), "file.type", "不是有效的Word文档"),
    ("old .doc (OLE) named .docx", "旧.docx", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "file.type",
     "不是有效的Word文档"),
    ("zip that is not a document", "压缩包.docx", lambda: zip_not_docx(), "essay.docx", "无法读取"),
    ("empty file", "空.docx", lambda: b"", "file.type", "空文件"),
]


@pytest.mark.parametrize(("case", "name", "make", "code", "words"), HOSTILE_DOCUMENTS,
                         ids=[case[0] for case in HOSTILE_DOCUMENTS])
def test_set_essay_docx_refuses_hostile_files(essay_work, users, media_storage, case, name, make, code,  # noqa: F811
                                              words):
    with pytest.raises(RuleViolationError) as error:
        set_essay_docx(actor=users["leader_a"], work=essay_work, upload=upload(name, make()))
    assert codes(error) == [code]
    assert words in error.value.violations[0].message
    assert_nothing_stored(media_storage)
    essay_work.refresh_from_db()
    assert essay_work.essay_text == ""


def test_update_work_keeps_an_essay_text_from_a_category_change(essay_work, users):
    set_essay_text(actor=users["leader_a"], work=essay_work, text="已经写好的正文")
    with pytest.raises(RuleViolationError) as error:
        update_work(actor=users["leader_a"], work=essay_work, fields={"category": "photo", "display_form": "picture"})
    assert codes(error) == ["work.essay_text"]
    essay_work.refresh_from_db()
    assert essay_work.essay_text == "已经写好的正文"
    update_work(actor=users["leader_a"], work=essay_work, fields={"essay_kind": "theory"})
    essay_work.refresh_from_db()
    assert (essay_work.essay_kind, essay_work.essay_text) == ("theory", "已经写好的正文")
