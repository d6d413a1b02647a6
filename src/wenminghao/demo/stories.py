"""The demo's good practices and typical stories (好做法、典型事迹, issue 15), written, reported and promoted through
``stories.services`` (so every step is audited and the photos go through the one upload path):

- a good practice of 环翠区政务服务中心综合窗口 (``hc_zwfw``) from its 开放周: written up with a photo drawn by
  ``demo.media`` and its 开放周 ledger entries linked, reported to 环翠区团委 (``huancui``), forwarded to the city and
  promoted by 威海市团委 (``city``): it shows in the public showcase (/showcase/) beside the works;
- a typical story of 环翠区青年志愿者服务队 (``hc_zyz``) from 助千家, reported to 环翠区团委 and still there (a
  newcomer signing in as ``huancui`` finds it to forward or return). It names no child, family, address or school:
  what may be told of a pairing is what the notice asks the posts to do, not who is helped.

The services date everything now; the stories are then dated some days back (``DAYS_AGO``), as the demo's other
past events are.

Idempotent: a story is found again by its collective and title. ``load(loader)`` returns what it made by key:
stories (好做法与典型事迹, 篇), story_photos (事迹照片, 张)."""

import datetime
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile

from wenminghao.accounts.models import User
from wenminghao.demo import media as demo_media
from wenminghao.ledger.enums import Activity
from wenminghao.ledger.models import LedgerEntry
from wenminghao.stories import services
from wenminghao.stories.models import Story, StoryKind, StoryStatus

CITY, HUANCUI = "city", "huancui"


@dataclass(frozen=True)
class StorySpec:
    leader: str  # the collective's leader account (a demo username)
    kind: str
    activity: str
    title: str
    text: str
    photo: tuple[str, str] | None  # (demo.media MOTIFS key, caption)
    promoted: bool  # reported on to the city and promoted; else left at the unit


OPEN_WEEK_TEXT = "\n".join([
    "按照团市委关于开展“青年文明号开放周”活动的要求，环翠区政务服务中心综合窗口把开放周办成了群众走进窗口、"
    "了解流程、监督服务的“体验周”。",
    "一是亮身份、亮承诺。导办台和每个受理窗口摆放示范承诺牌、公布监督电话，青年成员佩戴青年文明号标志上岗，"
    "群众扫描窗口二维码即可看到本集体的公开身份页和成员岗位。",
    "二是开放后台、体验流程。开放周第一天至第三天每天上午，由青年成员带领群众走进后台，从取号、受理、审核到"
    "出件体验“一窗受理、集成服务”全流程，现场讲解哪些事项可以“掌上办”“就近办”。",
    "三是现场收集意见、当场答复。每场体验结束后请群众填写意见卡，能当场解决的当场答复，不能当场解决的登记"
    "后三个工作日内电话回复。开放周共收集意见建议23条，已全部答复，其中“午间不打烊”“帮办代办”两项建议已形成"
    "常态化便民措施。",
    "四是以开放促提升。窗口把群众反映集中的材料清单不清楚的问题列为对标创优的攻关目标，重新梳理了高频事项的"
    "一次性告知单，平均办理时间由原来的40分钟缩短到25分钟左右。",
    "开放周让群众看得见、说得上、有回音，也让青年成员在面对面的交流中更懂群众所需。我们将把开放周由“一周”"
    "延伸为每月固定的开放日，常态化接受社会监督。",
])

FAMILIES_TEXT = "\n".join([
    "环翠区青年志愿者服务队参加“青年文明号助千家”活动以来，与辖区困难家庭的青少年结成帮扶对子，坚持每月至少"
    "走访一次、每季度回头看一次，把陪伴和学业辅导作为帮扶重点。",
    "队员们发现，结对的孩子课余时间多、缺少学习上的帮助，便组织有教学经历的青年成员组成“周末课堂”，利用周六"
    "上午为结对的青少年辅导作业、讲解错题，一学期坚持了18次。",
    "针对有的家庭家长外出务工、孩子缺少陪伴的情况，服务队安排固定的队员一对一联系，节假日带孩子参观科技馆、"
    "图书馆，在孩子生日时送上书籍和学习用品，让孩子感受到身边有人关心。",
    "在队员们的陪伴下，结对青少年的学习成绩和精神面貌都有了明显变化。服务队严格遵守监护人同意的要求，所有走访"
    "和活动都事先征得监护人同意，对外宣传不出现孩子和家庭的任何个人信息。",
    "下一步，服务队将把“周末课堂”的做法总结成册，与辖区其他青年文明号集体共享，带动更多青年参与助千家。",
])

STORIES = (
    StorySpec("hc_zwfw", StoryKind.PRACTICE, Activity.OPEN_WEEK, "政务窗口“开放周”：让群众走进后台、看得见监督得上",
              OPEN_WEEK_TEXT, ("window", "开放周·群众体验一窗受理"), promoted=True),
    StorySpec("hc_zyz", StoryKind.STORY, Activity.FAMILIES, "“周末课堂”里的陪伴：青年志愿者助千家的一年",
              FAMILIES_TEXT, None, promoted=False),
)
DAYS_AGO = {"written": 12, "submitted": 11, "forwarded": 9, "promoted": 7}


def load(loader) -> dict[str, int]:
    created = {"stories": 0, "story_photos": 0}
    city, huancui = User.objects.get(username=CITY), User.objects.get(username=HUANCUI)
    for spec in STORIES:
        leader = User.objects.get(username=spec.leader)
        if Story.objects.filter(collective_id=leader.collective_id, title=spec.title).exists():
            continue
        _write(created, loader, spec, leader, city, huancui)
    return created


def _write(created: dict[str, int], loader, spec: StorySpec, leader: User, city: User, huancui: User) -> None:
    entries = list(LedgerEntry.objects.filter(collective_id=leader.collective_id, activity=spec.activity)
                   .order_by("-date").values_list("pk", flat=True)[:3])
    photos = []
    if spec.photo is not None:
        motif, caption = spec.photo
        day = loader.today - datetime.timedelta(days=DAYS_AGO["written"] + 2)
        photos.append(SimpleUploadedFile(f"{caption}.jpg", demo_media.ledger_photo_jpeg(motif, caption, day),
                                         content_type="image/jpeg"))
    story = services.create_story(actor=leader, kind=spec.kind, title=spec.title, text=spec.text,
                                  activity=spec.activity, entries=entries, photos=photos)
    created["stories"] += 1
    created["story_photos"] += len(photos)
    story = services.submit_story(actor=leader, story=story)
    if spec.promoted:
        story = services.forward_story(actor=huancui, story=story)
        story = services.promote_story(actor=city, story=story)
    _date_back(story, loader)


def _date_back(story: Story, loader) -> None:
    """The story's moments some days back (the services wrote them now)."""
    now = story.updated_at

    def ago(key: str) -> datetime.datetime:
        return now - datetime.timedelta(days=DAYS_AGO[key])

    last = "promoted" if story.status == StoryStatus.PROMOTED else "submitted"
    Story.objects.filter(pk=story.pk).update(
        created_at=ago("written"), submitted_at=ago("submitted"),
        promoted_at=ago("promoted") if story.status == StoryStatus.PROMOTED else None, updated_at=ago(last))
