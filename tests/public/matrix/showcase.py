"""Permission matrix rows of the showcase (优秀作品展示): its pages, its files and its JSON are the same for everyone,
signed in or not: 200 for every role on a showcased or forwarded work, 404 for every role on a draft's page and
files (the public address is public or nothing, even for the collective that made the work).

Objects (``add_world``): ``showcased_work`` (collective_a's photo work, showcased, with ``showcased_file``),
``forwarded_essay`` (collective_b's essay, forwarded to the province, with its text), ``draft_work`` (collective_a's
draft with ``draft_file``)."""

from tests.permission_matrix_data import line

EVERYONE = (200,) * 8
NOBODY_PUBLIC = (404,) * 8

PAGE_ROWS = [
    *line("GET", "public:showcase", None, EVERYONE),
    *line("GET", "public:showcase", None, EVERYONE, query={"category": "essay"}),
    *line("GET", "public:showcase_work", "showcased_work", EVERYONE),
    *line("GET", "public:showcase_work", "forwarded_essay", EVERYONE),
    *line("GET", "public:showcase_work", "draft_work", NOBODY_PUBLIC),
    *line("GET", "public:showcase_essay", "forwarded_essay", EVERYONE),
    *line("GET", "public:showcase_essay", "draft_work", NOBODY_PUBLIC),
    *line("GET", "public:showcase_file", ("showcased_work", "showcased_file"), EVERYONE),
    *line("GET", "public:showcase_file", ("showcased_work", "showcased_file"), EVERYONE, query={"variant": "web"}),
    *line("GET", "public:showcase_file", ("draft_work", "draft_file"), NOBODY_PUBLIC),
    *line("GET", "public:showcase_file", ("showcased_work", "draft_file"), NOBODY_PUBLIC),
]
API_ROWS = [
    *line("GET", "/public/showcase", None, EVERYONE),
]
ROUTES = {"public:showcase", "public:showcase_work", "public:showcase_essay", "public:showcase_file",
          "/public/showcase"}


def applies(row) -> bool:
    return row.route in ROUTES


def add_world(objects, settings, tmp_path) -> None:
    from tests.works.media_fixtures import jpeg, upload, work_fields
    from wenminghao.works.enums import WorkStatus
    from wenminghao.works.models import Work
    from wenminghao.works.services import add_work_file, create_work, set_essay_text
    from wenminghao.works.tasks import make_derivatives

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.FILE_UPLOAD_TEMP_DIR = tmp_path / "upload-tmp"
    settings.FILE_UPLOAD_TEMP_DIR.mkdir(exist_ok=True)
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": settings.MEDIA_ROOT}}}

    def work(area, category="photo", **fields):
        return create_work(actor=objects[f"leader_{area}"], collective=objects[f"collective_{area}"],
                           campaign=objects["campaign"], fields=work_fields(category, **fields))

    objects["showcased_work"] = work("a", title="窗口里的四十年")
    objects["showcased_file"] = add_work_file(actor=objects["leader_a"], work=objects["showcased_work"],
                                              upload=upload("照片1.jpg", jpeg(seed=1)))
    make_derivatives.enqueue(objects["showcased_file"].pk)  # the thumbnail and web copy (the task runs at once)
    objects["forwarded_essay"] = work("b", "essay", title="供电所的品牌之路")
    set_essay_text(actor=objects["leader_b"], work=objects["forwarded_essay"], text="青年文明号创建实践。")
    objects["draft_work"] = work("a", title="还在修改的作品")
    objects["draft_file"] = add_work_file(actor=objects["leader_a"], work=objects["draft_work"],
                                          upload=upload("照片2.jpg", jpeg(seed=2)))
    Work.objects.filter(pk=objects["showcased_work"].pk).update(status=WorkStatus.SHOWCASED)
    Work.objects.filter(pk=objects["forwarded_essay"].pk).update(status=WorkStatus.FORWARDED)
