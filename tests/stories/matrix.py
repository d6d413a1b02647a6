"""The permission matrix's rows of the stories pages and API (issue 15), and of the showcase's stories section
(public: the same for everyone), a part module like tests/notices/matrix.py: joined in permission_matrix_data.py's
tail; its world is added by test_permission_matrix.world (add_world)."""
#
# Objects (add_world): story_a_draft — leader_a's draft with a photo (photo_a_draft); story_a_submitted — reported to
# 环翠区 (area_a); story_a_forwarded — reported on to the city; story_b_promoted — collective_b's, promoted by the city,
# with a photo (photo_b); story_unit_a — 环翠区's own draft.
#
# ROLES = anonymous, city_admin, unit_admin_a, unit_admin_b, leader_a, delegate_a, leader_b, judge

from tests.permission_matrix_data import NOBODY, Body, Done, line

SECTION = (302, 200, 200, 200, 200, 200, 200, 404)  # judges see no page of the section
WRITE = (302, Done(302), Done(302), Done(302), Done(302), Done(302), Done(302), 404)
DRAFT_A = (302, 404, 404, 404, 200, 200, 404, 404)  # a draft: its collective's accounts only
DRAFT_A_DONE = (302, 404, 404, 404, Done(302), Done(302), 404, 404)
SUBMITTED_A = (302, 404, 200, 404, 200, 200, 404, 404)  # reported to 环翠区: not yet the city's
FORWARDED_A = (302, 200, 200, 404, 200, 200, 404, 404)
PROMOTED_B = (302, 200, 404, 200, 404, 404, 200, 404)
EVERYONE = (200,) * 8
NOBODY_PUBLIC = (404,) * 8


def _story(world, role):
    return {"kind": "practice", "title": "窗口“开放周”", "text": "每月第一个周五邀请群众走进后台。",
            "activity": "open_week"}


def _photo(world, role):
    from tests.works.media_fixtures import jpeg, upload

    return {"file": upload("现场.jpg", jpeg(64, 48))}


STORY = Body("story", _story)
NO_TITLE = Body("no title", lambda world, role: {"title": "", "text": "正文"})
REASON = Body("reason", lambda world, role: {"reason": "请补充成效数据。"})
NO_REASON = Body("no reason", lambda world, role: {"reason": ""})
PHOTO = Body("photo", _photo)
EMPTY = Body("empty", lambda world, role: {})
API_STORY = Body("story", lambda world, role: {"title": "窗口“开放周”", "text": "每月第一个周五邀请群众走进后台。",
                                               "activity": "open_week"})
API_NO_TITLE = Body("no title", lambda world, role: {"title": "", "text": "正文"})

PAGE_ROWS = [
    *line("GET", "stories:list", None, SECTION),
    *line("GET", "stories:list", None, SECTION, query={"status": "submitted", "kind": "practice", "q": "开放周"}),
    *line("GET", "stories:create", None, SECTION),
    *line("POST", "stories:create", None, WRITE, body=STORY),
    *line("POST", "stories:create", None, (302, 422, 422, 422, 422, 422, 422, 404), body=NO_TITLE),
    *line("GET", "stories:detail", "story_a_draft", DRAFT_A),
    *line("GET", "stories:detail", "story_a_submitted", SUBMITTED_A),
    *line("GET", "stories:detail", "story_a_forwarded", FORWARDED_A),
    *line("GET", "stories:detail", "story_b_promoted", PROMOTED_B),
    *line("GET", "stories:detail", "story_unit_a", (302, 404, 200, 404, 404, 404, 404, 404)),
    *line("GET", "stories:edit", "story_a_draft", DRAFT_A),
    *line("GET", "stories:edit", "story_a_submitted", (302, 404, 403, 404, 302, 302, 404, 404)),  # no longer
    *line("POST", "stories:edit", "story_a_draft", DRAFT_A_DONE, body=STORY),
    *line("POST", "stories:edit", "story_a_draft", (302, 404, 404, 404, 422, 422, 404, 404), body=NO_TITLE),
    *line("POST", "stories:submit", "story_a_draft", DRAFT_A_DONE, body=EMPTY),
    *line("POST", "stories:submit", "story_a_submitted", (302, 404, 403, 404, 422, 422, 404, 404), body=EMPTY),
    *line("POST", "stories:submit", "story_unit_a", (302, 404, Done(302), 404, 404, 404, 404, 404), body=EMPTY),
    *line("POST", "stories:forward", "story_a_submitted", (302, 404, Done(302), 404, 403, 403, 404, 404),
          body=EMPTY),
    *line("POST", "stories:return", "story_a_submitted", (302, 404, Done(302), 404, 403, 403, 404, 404),
          body=REASON),
    *line("POST", "stories:return", "story_a_submitted", (302, 404, 422, 404, 403, 403, 404, 404), body=NO_REASON),
    *line("POST", "stories:return", "story_a_forwarded", (302, Done(302), 403, 404, 403, 403, 404, 404),
          body=REASON),
    # promoted only by the city office
    *line("POST", "stories:promote", "story_a_forwarded", (302, Done(302), 403, 404, 403, 403, 404, 404),
          body=EMPTY),
    *line("POST", "stories:promote", "story_a_submitted", (302, 404, 403, 404, 403, 403, 404, 404), body=EMPTY),
    *line("POST", "stories:unpromote", "story_b_promoted", (302, Done(302), 404, 403, 404, 404, 403, 404),
          body=EMPTY),
    *line("POST", "stories:photo_add", "story_a_draft", DRAFT_A_DONE, body=PHOTO),
    *line("POST", "stories:photo_add", "story_b_promoted", (302, 403, 404, 403, 404, 404, 422, 404), body=PHOTO),
    *line("GET", "stories:photo", ("story_a_draft", "photo_a_draft"), DRAFT_A),
    *line("GET", "stories:photo", ("story_b_promoted", "photo_b"), PROMOTED_B),
    *line("GET", "stories:photo", ("story_a_draft", "photo_b"), NOBODY),  # never another story's photo
    *line("POST", "stories:photo_remove", ("story_a_draft", "photo_a_draft"), DRAFT_A_DONE, body=EMPTY),
    # the public showcase's section: the same for everyone, public only while promoted
    *line("GET", "public:showcase_stories", None, EVERYONE),
    *line("GET", "public:showcase_story", "story_b_promoted", EVERYONE),
    *line("GET", "public:showcase_story", "story_a_forwarded", NOBODY_PUBLIC),
    *line("GET", "public:showcase_story", "story_a_draft", NOBODY_PUBLIC),
    *line("GET", "public:showcase_story_photo", ("story_b_promoted", "photo_b"), EVERYONE),
    *line("GET", "public:showcase_story_photo", ("story_a_draft", "photo_a_draft"), NOBODY_PUBLIC),
    *line("GET", "public:showcase_story_photo", ("story_b_promoted", "photo_a_draft"), NOBODY_PUBLIC),
]
API_ROWS = [
    *line("GET", "/stories", None, (401, 200, 200, 200, 200, 200, 200, 200)),  # judges: an empty list
    *line("POST", "/stories", None, (401, Done(201), Done(201), Done(201), Done(201), Done(201), Done(201), 403),
          body=API_STORY),
    *line("POST", "/stories", None, (401, 422, 422, 422, 422, 422, 422, 403), body=API_NO_TITLE),
]
PUBLIC_ROUTES = {"public:showcase_stories", "public:showcase_story", "public:showcase_story_photo"}


def applies(row) -> bool:
    return row.route.startswith(("stories:", "/stories")) or row.route in PUBLIC_ROUTES


def add_world(objects, settings, tmp_path) -> None:
    from tests.works.media_fixtures import jpeg, upload
    from wenminghao.stories import services

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.FILE_UPLOAD_TEMP_DIR = tmp_path / "upload-tmp"
    settings.FILE_UPLOAD_TEMP_DIR.mkdir(exist_ok=True)
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": settings.MEDIA_ROOT}}}
    city, leader_a, unit_a = objects["city_admin"], objects["leader_a"], objects["unit_admin_a"]

    def write(actor, title, **fields):
        return services.create_story(actor=actor, title=title, text="做法与成效。", **fields)

    objects["story_a_draft"] = write(leader_a, "草稿", photos=[upload("草稿.jpg", jpeg(64, 48))])
    objects["photo_a_draft"] = objects["story_a_draft"].photos.get()
    objects["story_a_submitted"] = services.submit_story(actor=leader_a, story=write(leader_a, "已报送"))
    forwarded = services.submit_story(actor=leader_a, story=write(leader_a, "已报送团市委"))
    objects["story_a_forwarded"] = services.forward_story(actor=unit_a, story=forwarded)
    promoted = write(objects["leader_b"], "推广的", photos=[upload("推广.jpg", jpeg(64, 48, seed=2))])
    promoted = services.submit_story(actor=objects["leader_b"], story=promoted)
    promoted = services.forward_story(actor=objects["unit_admin_b"], story=promoted)
    objects["story_b_promoted"] = services.promote_story(actor=city, story=promoted)
    objects["photo_b"] = objects["story_b_promoted"].photos.get()
    objects["story_unit_a"] = write(unit_a, "环翠区的做法")
