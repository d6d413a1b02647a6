"""Permission matrix rows of field inspections (实地考察): the list for admins (their subtree) and collectives (their
own), judges 404; recording for the admins above the collective (the collective itself: 403); an inspection and its
photos for those admins and the collective's accounts, everyone else 404; the collective answers and handles photos
while a rectification is asked (admins: 403); the inspecting unit or a unit above it accepts or asks again (a unit
below it, or the collective: 403); a move the transition table does not allow answers 422 and changes nothing.

Objects (``add_world``): inspection_a (the city's of collective_a, a rectification asked, with inspection_photo_a),
inspection_a_answered (huancui's of collective_a, answered with a photo), inspection_b (wendeng's of collective_b,
rated 良好, no rectification), in a fresh media directory."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.permission_matrix_data import EMPTY, NOBODY, Body, Done, line
from wenminghao.evaluation.services import inspections as services

SEE_A = (302, 200, 200, 404, 200, 200, 404, 404)
SEE_B = (302, 200, 404, 200, 404, 404, 200, 404)
ANSWER_A = (302, 403, 403, 404, Done(302), Done(302), 404, 404)
DECIDE_A = (302, Done(302), Done(302), 404, 403, 403, 404, 404)
LISTS = (302, 200, 200, 200, 200, 200, 200, 404)


def _day(offset: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=offset)).isoformat()


def _inspection(campaign, **overrides) -> dict:
    data = {"campaign": campaign.pk, "date": _day(-3), "inspectors": "解庆林、张建刚",
            "checks": {"ledger": "in_order", "sign": "not_in_order"}, "findings": "标识未上墙。", "rating": "pass",
            "rectification": "张贴青年文明号标识。", "rectify_by": _day(20)}
    data.update(overrides)
    return data


def _form(**overrides):
    def build(world, role):
        data = _inspection(world["campaign"], **overrides)
        data.update({f"check_{item}": result for item, result in data.pop("checks").items()})
        return data

    return Body("inspection form" + (f" {overrides}" if overrides else ""), build)


def _photo(world, role):
    from tests.works.media_fixtures import jpeg

    return {"file": SimpleUploadedFile("整改后.jpg", jpeg(800, 600, seed=41), content_type="image/jpeg")}


RESPONSE = Body("response", lambda world, role: {"response": "已在大厅入口张贴标识。"})
REOPEN = Body("comment and deadline", lambda world, role: {"comment": "标识位置不醒目。", "rectify_by": _day(10)})
PHOTO = Body("800×600 JPEG", _photo)

PAGE_ROWS = [
    *line("GET", "evaluation:inspections", None, LISTS),
    *line("GET", "evaluation:inspections", None, LISTS, query={"campaign": "campaign", "state": "asked",
                                                              "overdue": "1", "rating": "pass"}),
    *line("GET", "evaluation:inspections", None, NOBODY, query={"campaign": "campaign_other_city"}),
    *line("GET", "evaluation:inspection_new", "collective_a", (302, 200, 200, 404, 403, 403, 404, 404)),
    *line("GET", "evaluation:inspection_new", "collective_b", (302, 200, 404, 200, 404, 404, 403, 404),
          query={"campaign": "campaign"}),
    *line("POST", "evaluation:inspection_new", "collective_a", (302, Done(302), Done(302), 404, 403, 403, 404, 404),
          body=_form()),
    # 不合格 without a rectification: every reason shown, nothing recorded
    *line("POST", "evaluation:inspection_new", "collective_a", (302, 422, 422, 404, 403, 403, 404, 404),
          body=_form(rating="fail", rectification="", rectify_by="")),
    *line("GET", "evaluation:inspection", "inspection_a", SEE_A),
    *line("GET", "evaluation:inspection", "inspection_b", SEE_B),
    *line("POST", "evaluation:inspection_respond", "inspection_a", ANSWER_A, body=RESPONSE),
    # nothing was asked of collective_b: 422 for its leader
    *line("POST", "evaluation:inspection_respond", "inspection_b", (302, 403, 404, 403, 404, 404, 422, 404),
          body=RESPONSE),
    *line("POST", "evaluation:inspection_accept", "inspection_a_answered", DECIDE_A, body=EMPTY),
    # the city's own inspection, not yet answered: 422 for the city, 403 for huancui (below the inspecting unit)
    *line("POST", "evaluation:inspection_accept", "inspection_a", (302, 422, 403, 404, 403, 403, 404, 404),
          body=EMPTY),
    *line("POST", "evaluation:inspection_reopen", "inspection_a_answered", DECIDE_A, body=REOPEN),
    *line("POST", "evaluation:inspection_photo_upload", "inspection_a", ANSWER_A, body=PHOTO),
    # answered: no more photos until asked again
    *line("POST", "evaluation:inspection_photo_upload", "inspection_a_answered",
          (302, 403, 403, 404, 422, 422, 404, 404), body=PHOTO),
    *line("GET", "evaluation:inspection_photo", ("inspection_a", "inspection_photo_a"), SEE_A),
    *line("GET", "evaluation:inspection_photo", ("inspection_b", "inspection_photo_a"), NOBODY),
    *line("POST", "evaluation:inspection_photo_remove", ("inspection_a", "inspection_photo_a"), ANSWER_A, body=EMPTY),
    *line("POST", "evaluation:inspection_photo_remove", ("inspection_b", "inspection_photo_a"),
          (302, 403, 404, 403, 404, 404, 404, 404), body=EMPTY),
]
API_ROWS: list = []

KEYS = {"inspection_a", "inspection_a_answered", "inspection_b", "inspection_photo_a"}


def applies(row) -> bool:
    return row.route.startswith("evaluation:inspection") or bool(KEYS & set(row.obj))


def add_world(objects, settings, tmp_path) -> None:
    from tests.works.media_fixtures import jpeg, upload

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.FILE_UPLOAD_TEMP_DIR = tmp_path / "upload-tmp"
    settings.FILE_UPLOAD_TEMP_DIR.mkdir(exist_ok=True)
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": settings.MEDIA_ROOT}}}
    campaign = objects["campaign"]
    objects["inspection_a"] = services.record_inspection(
        actor=objects["city_admin"], collective=objects["collective_a"], data=_inspection(campaign))
    objects["inspection_photo_a"] = services.add_inspection_photo(
        actor=objects["leader_a"], inspection=objects["inspection_a"], upload=upload("标识.jpg", jpeg(800, 600)))
    answered = services.record_inspection(actor=objects["unit_admin_a"], collective=objects["collective_a"],
                                          data=_inspection(campaign))
    services.add_inspection_photo(actor=objects["leader_a"], inspection=answered,
                                  upload=upload("整改.jpg", jpeg(800, 600, seed=2)))
    objects["inspection_a_answered"] = services.change_rectification(
        actor=objects["leader_a"], inspection=answered, to_state="answered", response="已张贴标识。")
    objects["inspection_b"] = services.record_inspection(
        actor=objects["unit_admin_b"], collective=objects["collective_b"],
        data=_inspection(campaign, rating="good", checks={"ledger": "in_order"}, rectification="", rectify_by=""))
