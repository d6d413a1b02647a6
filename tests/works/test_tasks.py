"""make_derivatives: thumbnails, web copies, posters, perceptual hashes and the originality flags (works/tasks.py).

The task runs on django-tasks' ImmediateBackend here (settings.TASKS under pytest), through ``enqueue``.
"""

import hashlib
import io
import os
from fractions import Fraction

import av
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django_tasks import TaskResultStatus
from PIL import Image

from tests import factories
from tests.works import media_fixtures
from tests.works.media_fixtures import jpeg
from tests.works.test_similarity import scene
from wenminghao.works import tasks
from wenminghao.works.enums import Category, DerivativeState, DisplayForm, FileRole
from wenminghao.works.models import SimilarFile, Work, WorkFile

RED, BLUE, GREEN = (220, 30, 30), (30, 30, 220), (30, 200, 30)

media_storage = media_fixtures.media_storage  # a fixture: storage and upload temporary files in tmp_path


@pytest.fixture
def new_work(tree, users, media_storage):
    campaign = factories.campaign(office=tree["city"])

    def _work(collective=None, category=Category.PHOTO, display_form=DisplayForm.PICTURE):
        return Work.objects.create(
            campaign=campaign, collective=collective or tree["collective_a"], category=category,
            display_form=display_form, title="改革开放四十年", contact_name="张联系", contact_phone="13800000000",
            created_by=users["leader_a"],
        )

    return _work


def stored_file(work, data: bytes, name: str, role=FileRole.PICTURE, content_type="image/jpeg") -> WorkFile:
    """A WorkFile as an upload leaves it: the bytes in storage, its SHA-256, derivatives pending."""
    stored = default_storage.save(f"works/{work.pk}/{name}", ContentFile(data))
    return WorkFile.objects.create(
        work=work, role=role, original=stored, original_name=name, size=len(data),
        sha256=hashlib.sha256(data).hexdigest(), content_type=content_type, uploaded_by=work.created_by,
    )


def encoded(image: Image.Image, quality=90, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality, **options)
    return buffer.getvalue()


def run(work_file: WorkFile) -> str:
    result = tasks.make_derivatives.enqueue(work_file.pk)
    assert result.status == TaskResultStatus.SUCCESSFUL
    work_file.refresh_from_db()
    return result.return_value


def opened(name: str) -> Image.Image:
    with default_storage.open(name, "rb") as handle:
        image = Image.open(io.BytesIO(handle.read()))
        image.load()
    return image


def stored_sha256(name: str) -> str:
    with default_storage.open(name, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def colour_near(pixel, expected, tolerance=60) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel[:3], expected, strict=True))


# --- pictures -----------------------------------------------------------------------------------------------

def test_make_derivatives_picture_sizes_and_no_exif(new_work):
    work = new_work()
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"  # Make
    exif[0x0132] = "2018:08:20 10:00:00"  # DateTime
    data = encoded(scene(1, (4000, 3000)), exif=exif.tobytes())
    assert Image.open(io.BytesIO(data)).getexif()[0x010F] == "Camera maker"
    work_file = stored_file(work, data, "照片1.jpg")
    assert run(work_file) == "ready"
    assert work_file.derivatives == DerivativeState.READY
    web, thumb = opened(work_file.web_copy.name), opened(work_file.thumbnail.name)
    assert (web.format, web.size) == ("JPEG", (1600, 1200))
    assert (thumb.format, thumb.size) == ("JPEG", (400, 300))
    for image in (web, thumb):
        assert "exif" not in image.info
        assert not image.getexif()
    assert work_file.web_copy.name.startswith(f"works/{work.pk}/derived/")
    assert work_file.thumbnail.name.startswith(f"works/{work.pk}/derived/")
    assert work_file.poster.name == ""


def test_make_derivatives_applies_exif_orientation(new_work):
    # Stored landscape 2400×1800 with a red top-left corner; orientation 6 shows it turned a quarter clockwise,
    # portrait 1800×2400, so the red corner is at the top right.
    raw = Image.new("RGB", (2400, 1800), BLUE)
    raw.paste(RED, (0, 0, 600, 450))
    exif = Image.Exif()
    exif[0x0112] = 6
    work_file = stored_file(new_work(), encoded(raw, exif=exif.tobytes()), "竖拍.jpg")
    run(work_file)
    web, thumb = opened(work_file.web_copy.name), opened(work_file.thumbnail.name)
    assert web.size == (1200, 1600)
    assert thumb.size == (300, 400)
    for image in (web, thumb):
        width, height = image.size
        assert colour_near(image.getpixel((width - 5, 5)), RED)
        assert colour_near(image.getpixel((5, 5)), BLUE)
        assert colour_near(image.getpixel((width - 5, height - 5)), BLUE)
        assert 0x0112 not in image.getexif()


def test_make_derivatives_keeps_the_original_byte_for_byte(new_work):
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x010F] = "Camera maker"
    data = encoded(scene(2, (2400, 1800)), exif=exif.tobytes())
    work_file = stored_file(new_work(), data, "原图.jpg")
    name, before = work_file.original.name, stored_sha256(work_file.original.name)
    run(work_file)
    run(work_file)
    assert work_file.original.name == name
    assert stored_sha256(name) == before == hashlib.sha256(data).hexdigest() == work_file.sha256


def test_make_derivatives_small_picture_not_enlarged(new_work):
    work_file = stored_file(new_work(), jpeg(1000, 700, seed=3), "截图.jpg", role=FileRole.SCREENSHOT)
    run(work_file)
    assert opened(work_file.web_copy.name).size == (1000, 700)
    assert opened(work_file.thumbnail.name).size == (400, 280)


def test_make_derivatives_png_screenshot_with_transparency(new_work):
    picture = scene(4, (1200, 900)).convert("RGBA")
    picture.putalpha(128)
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")
    work_file = stored_file(new_work(), buffer.getvalue(), "h5.png", role=FileRole.SCREENSHOT,
                            content_type="image/png")
    assert run(work_file) == "ready"
    assert opened(work_file.web_copy.name).mode == "RGB"


def test_make_derivatives_huge_jpeg_decoded_at_reduced_size(new_work, tmp_path):
    # 8000×6000: JPEG draft mode decodes it at an eighth of the pixels (2000×1500), enough for 1600 px.
    path = tmp_path / "huge.jpg"
    path.write_bytes(encoded(Image.new("RGB", (8000, 6000), GREEN)))
    assert tasks.open_picture(str(path), tasks.WEB_SIDE).size == (2000, 1500)
    work_file = stored_file(new_work(), path.read_bytes(), "huge.jpg")
    run(work_file)
    assert opened(work_file.web_copy.name).size == (1600, 1200)


def test_make_derivatives_stores_the_hash_and_its_bands(new_work):
    work_file = stored_file(new_work(), jpeg(2000, 1500, seed=5), "a.jpg")
    run(work_file)
    value = work_file.perceptual_hash
    assert len(value) == 16
    int(value, 16)
    bands = [work_file.hash_band_0, work_file.hash_band_1, work_file.hash_band_2, work_file.hash_band_3]
    assert "".join(bands) == value


def test_make_derivatives_rerun_replaces_the_derivatives(new_work, media_storage):
    work = new_work()
    work_file = stored_file(work, jpeg(2000, 1500, seed=6), "a.jpg")
    for _ in range(3):
        run(work_file)
        # exactly the two files the row names: what the previous run made is gone
        derived = sorted(os.listdir(media_storage[0] / "works" / str(work.pk) / "derived"))
        current = [work_file.thumbnail.name, work_file.web_copy.name]
        assert derived == sorted(os.path.basename(name) for name in current)
        assert work_file.derivatives == DerivativeState.READY


# --- originality ----------------------------------------------------------------------------------------------

def similar_pairs():
    return {(row.file_id, row.other_id, row.kind) for row in SimilarFile.objects.all()}


def test_make_derivatives_flags_reencoded_and_resized_copies(new_work, tree):
    original = scene(7, (3200, 2400))
    mine = stored_file(new_work(), encoded(original, quality=92), "原作.jpg")
    run(mine)
    other_work = new_work(collective=tree["collective_b"])
    reencoded = stored_file(other_work, encoded(original, quality=55), "再压缩.jpg")
    resized = stored_file(other_work, encoded(original.resize((1600, 1200), Image.Resampling.BICUBIC), quality=80),
                          "缩小.jpg")
    run(reencoded)
    run(resized)
    perceptual = SimilarFile.Kind.PERCEPTUAL
    assert {
        (mine.pk, reencoded.pk, perceptual), (reencoded.pk, mine.pk, perceptual),
        (mine.pk, resized.pk, perceptual), (resized.pk, mine.pk, perceptual),
    } == similar_pairs()  # the two copies in one work are not flagged against each other
    assert all(row.distance <= 3 for row in SimilarFile.objects.all())


def test_make_derivatives_flags_the_same_file_identical(new_work, tree):
    data = jpeg(2000, 1500, seed=8)
    mine = stored_file(new_work(), data, "a.jpg")
    theirs = stored_file(new_work(collective=tree["collective_b"]), data, "同一张.jpg")
    run(mine)
    run(theirs)
    run(theirs)
    identical = SimilarFile.Kind.IDENTICAL
    assert similar_pairs() == {(mine.pk, theirs.pk, identical), (theirs.pk, mine.pk, identical)}


def test_make_derivatives_unrelated_picture_not_flagged(new_work, tree):
    mine = stored_file(new_work(), jpeg(seed=9), "a.jpg")
    theirs = stored_file(new_work(collective=tree["collective_b"]), jpeg(seed=10), "b.jpg")
    run(mine)
    run(theirs)
    assert mine.perceptual_hash and theirs.perceptual_hash
    assert similar_pairs() == set()


# --- failures -------------------------------------------------------------------------------------------------

def test_make_derivatives_failure_is_marked_not_raised(new_work, tree):
    data = b"\xff\xd8\xff\xe0 not really a picture"
    mine = stored_file(new_work(), data, "坏.jpg")
    theirs = stored_file(new_work(collective=tree["collective_b"]), data, "坏.jpg")
    assert run(mine) == "failed"
    assert run(theirs) == "failed"
    assert mine.derivatives == DerivativeState.FAILED
    assert (mine.thumbnail.name, mine.web_copy.name, mine.perceptual_hash) == ("", "", "")
    # the same bytes are flagged all the same: that needs no preview
    assert similar_pairs() == {(mine.pk, theirs.pk, "identical"), (theirs.pk, mine.pk, "identical")}


def test_make_derivatives_picture_above_the_pixel_cap_fails(new_work, settings):
    settings.WMH_MAX_IMAGE_PIXELS = 1_000_000
    work_file = stored_file(new_work(), jpeg(seed=11), "a.jpg")
    assert run(work_file) == "failed"


def test_make_derivatives_missing_file_row(db):
    result = tasks.make_derivatives.enqueue(987654)
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == "missing"


def test_make_derivatives_docx_only_takes_part_in_identity(new_work, tree):
    data = b"PK\x03\x04 essay bytes"
    mine = stored_file(new_work(), data, "征文.docx", role=FileRole.ESSAY_DOCX, content_type="application/zip")
    theirs = stored_file(new_work(collective=tree["collective_b"]), data, "征文.docx", role=FileRole.ESSAY_DOCX,
                         content_type="application/zip")
    run(mine)
    assert run(theirs) == "ready"
    assert (theirs.thumbnail.name, theirs.perceptual_hash) == ("", "")
    assert len(similar_pairs()) == 2


# --- videos and animations ------------------------------------------------------------------------------------

def video(path, seconds: float, fps=25, size=(320, 240), colour_at=lambda t: RED, picture=None) -> bytes:
    """An MPEG-4 video whose frames have the colour ``colour_at(time)``, or all show ``picture``."""
    with av.open(str(path), "w", format="mp4") as container:
        stream = container.add_stream("mpeg4", rate=fps)
        stream.width, stream.height = size
        stream.pix_fmt = "yuv420p"
        for index in range(round(seconds * fps)):
            image = picture.resize(size) if picture else Image.new("RGB", size, colour_at(index / fps))
            frame = av.VideoFrame.from_image(image)
            frame.pts = index
            frame.time_base = Fraction(1, fps)
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path.read_bytes()


def gif(frame_colours, frame_ms: int) -> bytes:
    frames = [Image.new("RGB", (320, 240), colour) for colour in frame_colours]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=frame_ms, loop=0)
    return buffer.getvalue()


def test_make_derivatives_video_poster_about_one_second_in(new_work, tmp_path):
    data = video(tmp_path / "v.mp4", 3, colour_at=lambda t: BLUE if t < 1 else RED)
    work = new_work(category=Category.PUBLICITY, display_form=DisplayForm.VIDEO)
    work_file = stored_file(work, data, "宣传片.mp4", role=FileRole.VIDEO, content_type="video/mp4")
    assert run(work_file) == "ready"
    poster, thumb = opened(work_file.poster.name), opened(work_file.thumbnail.name)
    assert (poster.format, poster.size) == ("JPEG", (320, 240))
    assert thumb.size == (320, 240)  # never enlarged
    assert colour_near(poster.getpixel((160, 120)), RED)
    assert work_file.web_copy.name == ""
    assert work_file.poster.name.startswith(f"works/{work.pk}/derived/")


def test_make_derivatives_large_video_poster_at_web_size(new_work, tmp_path):
    data = video(tmp_path / "v.mp4", 1.2, fps=10, size=(1920, 1080), colour_at=lambda t: GREEN)
    work_file = stored_file(new_work(category=Category.PUBLICITY, display_form=DisplayForm.VIDEO), data, "v.mp4",
                            role=FileRole.VIDEO, content_type="video/mp4")
    run(work_file)
    assert opened(work_file.poster.name).size == (1600, 900)
    assert opened(work_file.thumbnail.name).size == (400, 225)


def test_make_derivatives_animated_gif_poster(new_work):
    # four frames of half a second: the one shown at 1.0 s is the third
    data = gif([BLUE, GREEN, RED, BLUE], 500)
    work_file = stored_file(new_work(category=Category.PUBLICITY, display_form=DisplayForm.ANIMATION), data,
                            "动画.gif", role=FileRole.VIDEO, content_type="image/gif")
    assert run(work_file) == "ready"
    assert colour_near(opened(work_file.poster.name).getpixel((160, 120)), RED)


def test_make_derivatives_short_animation_poster_is_the_first_frame(new_work):
    data = gif([GREEN, BLUE, RED], 100)  # 0.3 s in all
    work_file = stored_file(new_work(category=Category.PUBLICITY, display_form=DisplayForm.ANIMATION), data,
                            "短.gif", role=FileRole.VIDEO, content_type="image/gif")
    run(work_file)
    assert colour_near(opened(work_file.poster.name).getpixel((160, 120)), GREEN)


def test_make_derivatives_video_copies_flagged_by_their_posters(new_work, tree, tmp_path):
    picture = scene(12, (1280, 720))
    data = video(tmp_path / "a.mp4", 2, size=(1280, 720), picture=picture)
    smaller = video(tmp_path / "b.mp4", 2, fps=30, size=(640, 360), picture=picture)
    publicity = {"category": Category.PUBLICITY, "display_form": DisplayForm.VIDEO}
    mine = stored_file(new_work(**publicity), data, "a.mp4", role=FileRole.VIDEO, content_type="video/mp4")
    other_work = new_work(collective=tree["collective_b"], **publicity)
    same = stored_file(other_work, data, "a.mp4", role=FileRole.VIDEO, content_type="video/mp4")
    reencoded = stored_file(other_work, smaller, "b.mp4", role=FileRole.VIDEO, content_type="video/mp4")
    for work_file in (mine, same, reencoded):
        run(work_file)
    assert mine.perceptual_hash
    assert similar_pairs() == {
        (mine.pk, same.pk, "identical"), (same.pk, mine.pk, "identical"),
        (mine.pk, reencoded.pk, "perceptual"), (reencoded.pk, mine.pk, "perceptual"),
    }


def test_make_derivatives_blank_poster_gets_no_hash(new_work, tmp_path):
    data = video(tmp_path / "black.mp4", 2, colour_at=lambda t: (0, 0, 0))
    work_file = stored_file(new_work(category=Category.PUBLICITY, display_form=DisplayForm.VIDEO), data, "黑.mp4",
                            role=FileRole.VIDEO, content_type="video/mp4")
    assert run(work_file) == "ready"
    assert work_file.poster.name
    assert work_file.perceptual_hash == ""


@pytest.mark.django_db(transaction=True)  # the worker commits and closes connections, as in production
def test_make_derivatives_through_the_database_queue(new_work, settings):
    # What production does: enqueue into django_tasks_db's table; the worker of `manage.py db_worker` runs it
    # (its Worker class, without the command's process-wide signal and logging set-up).
    from django_tasks_db.management.commands.db_worker import Worker

    settings.TASKS = {**settings.TASKS, "queue": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    work_file = stored_file(new_work(), jpeg(seed=13), "a.jpg")
    result = tasks.make_derivatives.using(backend="queue").enqueue(work_file.pk)
    assert result.status == TaskResultStatus.READY
    Worker(queue_names=["default"], interval=0, batch=True, backend_name="queue", startup_delay=False,
           max_tasks=None, worker_id="test-worker", excluded_queue_names=[]).run()
    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == "ready"
    work_file.refresh_from_db()
    assert work_file.derivatives == DerivativeState.READY


def test_make_derivatives_runs_after_add_work_file_commits(tree, users, media_storage,
                                                          django_capture_on_commit_callbacks):
    from wenminghao.works.services import add_work_file

    campaign = factories.campaign(office=tree["city"])
    data = jpeg(seed=21)
    added = []
    for collective, leader in ((tree["collective_a"], users["leader_a"]), (tree["collective_b"], users["leader_b"])):
        work = media_fixtures.make_work(actor=leader, collective=collective, campaign=campaign)
        with django_capture_on_commit_callbacks(execute=True):
            added.append(add_work_file(actor=leader, work=work, upload=media_fixtures.upload("照片.jpg", data)))
    for work_file in added:
        work_file.refresh_from_db()
        assert work_file.derivatives == DerivativeState.READY
        assert opened(work_file.web_copy.name).size == (1600, 1200)
    first, second = added
    assert similar_pairs() == {(first.pk, second.pk, "identical"), (second.pk, first.pk, "identical")}
