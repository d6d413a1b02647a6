"""Showcased works made in the tests, with real media (tests/works/media_fixtures.py) and their previews made by the
task at once: a photo work with two pictures, a publicity work with a video, an essay with its text. Each is created
as a draft of the tree's collectives (its contact person and phone among the private fields) and then put in the
showcase directly (the status, as the city's decision leaves it), with a decision whose comment stays private."""

import pytest

from tests import factories
from tests.works import media_fixtures
from tests.works.media_fixtures import jpeg, make_work, upload, video
from wenminghao.works.enums import WorkStage, WorkStatus
from wenminghao.works.models import Work, WorkDecision
from wenminghao.works.services import add_work_file, set_essay_text

media_storage = media_fixtures.media_storage  # a fixture: storage and upload temporary files in tmp_path

ESSAY_TEXT = "窗口是城市的脸面。\n十年来，我们把“马上办”写进每一次接待。\n青年文明号，是一份承诺。"
# Values that exist on the works and around them but must never appear on a public page or in the public API.
PRIVATE = {
    "contact_name": "王联系",
    "contact_phone": "13900000000",
    "decision_comment": "内部意见：构图可再斟酌",
    "return_comment": "退回意见：请补充说明",
    "uploaded_name": "原始文件名甲",
    "uploader": "leader_a",
}


@pytest.fixture
def showcase_campaign(tree):
    return factories.campaign(office=tree["city"], year=2018, name="2018年度威海市青年文明号创建")


def showcase(work, users, status=WorkStatus.SHOWCASED):
    """Put the work in the showcase (or forward it), with the city's decision and its private comment."""
    WorkDecision.objects.create(work=work, stage=WorkStage.CITY, from_status=WorkStatus.SHORTLISTED,
                                to_status=status, actor=users["city_admin"], comment=PRIVATE["decision_comment"])
    Work.objects.filter(pk=work.pk).update(status=status, return_comment=PRIVATE["return_comment"], unit_rank=1)
    work.refresh_from_db()
    return work


@pytest.fixture
def make_showcased(tree, users, showcase_campaign, media_storage, django_capture_on_commit_callbacks):
    """make_showcased(kind="photo"|"video"|"essay", *, status=SHOWCASED, pictures=2, campaign=None, **fields)."""

    def make(kind="photo", *, status=WorkStatus.SHOWCASED, pictures=2, campaign=None, collective="collective_a",
             seed=1, **fields):
        leader = {"collective_a": users["leader_a"], "collective_b": users["leader_b"]}.get(collective,
                                                                                            users["city_admin"])
        category = {"photo": "photo", "video": "publicity", "essay": "essay"}[kind]
        work = make_work(actor=leader, collective=tree[collective], campaign=campaign or showcase_campaign,
                         category=category, **fields)
        with django_capture_on_commit_callbacks(execute=True):
            if kind == "photo":
                for index in range(pictures):
                    add_work_file(actor=leader, work=work, caption=f"第{index + 1}张说明",
                                  upload=upload(f"{PRIVATE['uploaded_name']}{index}.jpg", jpeg(seed=seed + index)))
            elif kind == "video":
                add_work_file(actor=leader, work=work, upload=upload(f"{PRIVATE['uploaded_name']}.mp4", video(3)))
        if kind == "essay":
            set_essay_text(actor=leader, work=work, text=ESSAY_TEXT)
        return showcase(work, users, status) if status in (WorkStatus.SHOWCASED, WorkStatus.FORWARDED) else work

    return make
