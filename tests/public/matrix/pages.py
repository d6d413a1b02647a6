"""Permission matrix rows of the identity pages: the public page, its QR codes, photos and the list of posts answer
everyone alike (no sign-in; 404 for a page that is not public); a post's plaque, its management page, editing,
publishing and its workplace photos are for the collective's own accounts (leader and delegate) and the admins of its
unit and above; only those admins hide a page (the collective: 403); a unit's plaques for its admins and above.

Objects: collective_a's page, published (its district title), with a workplace photo (``post_photo_a``) and an
open-week photo it shows (``event_photo_a``); collective_b has a valid title but never published its page."""

from tests.permission_matrix_data import EMPTY, Body, Done, line

EVERYONE_SEES = (200,) * 8
NOBODY_SEES = (404,) * 8
MANAGE = (302, 200, 200, 404, 200, 200, 404, 404)
MANAGE_DO = (302, Done(302), Done(302), 404, Done(302), Done(302), 404, 404)
HIDE_DO = (302, Done(302), Done(302), 404, 403, 403, 404, 404)
UNIT_PLAQUES = (302, 200, 200, 404, 403, 403, 404, 404)

CONTENT = Body("service items", lambda world, role: {"service_items": "企业开办一窗受理",
                                                     "convenience_measures": "午间延时服务"})
UNPUBLISH = Body("unpublish", lambda world, role: {"action": "unpublish"})
HIDE = Body("hide with a reason", lambda world, role: {"action": "hide", "reason": "监督电话无人接听"})


def _photo(world, role):
    from tests.works.media_fixtures import jpeg, upload

    return {"file": upload("窗口.jpg", jpeg(320, 240)), "caption": "大厅"}


PHOTO = Body("a workplace photo", _photo)

PAGE_ROWS = [
    *line("GET", "public:posts", None, EVERYONE_SEES),
    *line("GET", "public:post", "collective_a", EVERYONE_SEES),
    *line("GET", "public:post", "collective_b", NOBODY_SEES),
    *line("GET", "public:post_qr_svg", "collective_a", EVERYONE_SEES),
    *line("GET", "public:post_qr_svg", "collective_b", NOBODY_SEES),
    *line("GET", "public:post_qr_png", "collective_a", EVERYONE_SEES),
    *line("GET", "public:post_photo", ("collective_a", "post_photo_a"), EVERYONE_SEES),
    *line("GET", "public:post_event_photo", ("collective_a", "event_photo_a"), EVERYONE_SEES),
    *line("GET", "public:post_plaque", "collective_a", MANAGE),
    *line("GET", "public:unit_plaques", "area_a", UNIT_PLAQUES),
    *line("GET", "public:manage_page", "collective_a", MANAGE),
    *line("POST", "public:manage_page", "collective_a", MANAGE_DO, body=CONTENT),
    *line("POST", "public:page_publish", "collective_a", MANAGE_DO, body=UNPUBLISH),
    *line("POST", "public:page_hide", "collective_a", HIDE_DO, body=HIDE),
    *line("POST", "public:page_photo_add", "collective_a", MANAGE_DO, body=PHOTO),
    *line("GET", "public:page_photo_file", ("collective_a", "post_photo_a"), MANAGE),
    *line("POST", "public:page_photo_remove", ("collective_a", "post_photo_a"), MANAGE_DO, body=EMPTY),
]
API_ROWS = [
    *line("GET", "/public/posts/{post_id}", "collective_a", EVERYONE_SEES),
    *line("GET", "/public/posts/{post_id}", "collective_b", NOBODY_SEES),
]
ROUTES = {row.route for row in PAGE_ROWS + API_ROWS}


def applies(row) -> bool:
    return row.route in ROUTES


def add_world(objects, settings, tmp_path) -> None:
    from tests.ledger.conftest import entry_data
    from tests.works.media_fixtures import jpeg, upload
    from wenminghao.collectives.models import Collective
    from wenminghao.ledger import services as ledger
    from wenminghao.ledger.tasks import make_attachment_thumbnail
    from wenminghao.public.services import pages
    from wenminghao.public.tasks import make_post_photo_copies

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.FILE_UPLOAD_TEMP_DIR = tmp_path / "upload-tmp"
    settings.FILE_UPLOAD_TEMP_DIR.mkdir(exist_ok=True)
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": settings.MEDIA_ROOT}}}
    collective = objects["collective_a"]
    Collective.objects.filter(pk=collective.pk).update(public_commitment="一次告知、马上就办",
                                                       supervision_phone="0631-5221234")
    collective.refresh_from_db()
    actor = objects["leader_a"]
    entry = ledger.create_entry(actor=actor, collective=collective, campaign=objects["campaign"],
                                data=entry_data("open_week", collective))
    picture = ledger.add_attachment(actor=actor, entry=entry, upload=upload("开放周.jpg", jpeg(320, 240)))
    page = pages.update_page(actor=actor, collective=collective, event_attachment_ids=[picture.pk])
    objects["post_photo_a"] = pages.add_page_photo(actor=actor, collective=collective,
                                                   upload=upload("窗口.jpg", jpeg(320, 240, seed=3)))
    # what the task worker does after commit (the matrix's transaction never commits): the copies that leave
    make_attachment_thumbnail.call(picture.pk)
    make_post_photo_copies.call(objects["post_photo_a"].pk)
    objects["event_photo_a"] = page.event_photos.get()
    pages.set_page_published(actor=actor, collective=collective, published=True)
