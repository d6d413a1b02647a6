"""The demo's public face (issue 12): what the public sees of the posts and what it says back, and the showcase.

- Identity pages (亮身份、亮形象、亮承诺): five posts' leaders fill in their page's service items and
  convenience measures, leave one member off it (at that member's wish), upload one or two photos of the workplace
  and publish it through ``public.services.pages``; among them 环翠区政务服务中心综合窗口 (``hc_zwfw``), the
  walk-through's post. Each holds an accepted filing or a valid title; its commitment and supervision phone come
  from the collective (the ledger demo fills in the missing ones).
- Public supervision (公众监督): six items about three posts, sent through ``public.services.feedback`` as visitors
  would (each from its own documentation address, 203.0.113.x, so the throttle counts them apart). ``hc_zwfw`` has an
  answered suggestion and an open one; 1路车队 (``jt_1lu``) a praise answered and closed, and a complaint its leader
  answered and 交通运输局团委 (``jiaotong``) verified (listed on the post's record); 文登区人民医院急诊科 (``wd_jzk``)
  an open praise and an answered suggestion. They are dated some days back (the service dates them now; the dates
  are then set, as the reminders' are), so that they read as history and count against no throttle today.
- The showcase (优秀展示): three works of the 2018 city campaign (``2018_city``, closed), made as their collectives,
  units and the city made them: the city office granted the three collectives a deadline extension
  (``campaigns.services.grant_extension``; in 2018, after the August rains of typhoon 温比亚), their leaders
  created, uploaded and submitted the works, their units' admins recommended them, the city showcased them
  (``works.transitions.change_work_status``) and forwarded the picture group to the province. The extension and the
  decisions are then dated 2018 (the services date them now and rightly refuse an extension into the past).

Idempotent: a page is found again by its collective (its texts, photos by caption, its publication), an item by its
post, kind and text, a work by campaign, collective and title. ``load(loader)`` returns what it made by key:
public_pages (公开身份页, 个), page_photos (工作场所照片, 张), feedback (公众监督, 条), feedback_answers (答复, 条),
showcase_works (优秀展示作品, 件)."""

import datetime
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from wenminghao.accounts.models import User
from wenminghao.campaigns.models import DeadlineExtension
from wenminghao.campaigns.services import grant_extension
from wenminghao.collectives.models import Collective
from wenminghao.demo import media as demo_media
from wenminghao.demo.media import Scene
from wenminghao.demo.texts import MATERNAL_PRACTICE
from wenminghao.public.enums import FeedbackKind, FeedbackState, Satisfaction
from wenminghao.public.models import Feedback, PostPage
from wenminghao.public.services import feedback as feedback_services
from wenminghao.public.services import pages as page_services
from wenminghao.works.enums import Category, EssayKind, WorkStatus
from wenminghao.works.models import Work, WorkDecision
from wenminghao.works.services import add_work_file, create_work, set_essay_text
from wenminghao.works.transitions import change_work_status, submit_work


@dataclass(frozen=True)
class PageSpec:
    collective: str  # CollectiveSpec.username
    service_items: str
    convenience_measures: str
    photos: tuple[Scene, ...]  # the workplace photos, their captions the photos' captions


PAGES = (
    PageSpec(
        "hc_zwfw",
        "企业开办、不动产登记、社保医保、户籍证照等12个部门的186项政务服务事项“一窗受理、集成服务”；"
        "帮办代办：老年人、残疾人和异地群众由青年帮办员全程陪同办理。",
        "工作日中午不间断服务，每周六上午延时服务；材料一次告知，缺件可先受理后补交；大厅设有爱心座椅、老花镜、"
        "充电站和免费复印；不能到场的群众可预约上门办理。",
        (Scene(2018, "window", "综合窗口：一窗受理、集成服务"), Scene(2018, "skyline", "环翠区政务服务中心大楼")),
    ),
    PageSpec(
        "wd_jzk",
        "急危重症24小时救治；胸痛、卒中、创伤三大救治中心“先救治、后缴费”绿色通道；院前急救与远程心电会诊；"
        "走进学校、企业、社区开展急救知识培训。",
        "候诊区“青年文明号服务台”由青年护士轮值导诊；独自就诊的老人和外地患者可申请陪诊；抢救室外公示救治流程和"
        "预计等候时间；急诊大厅提供轮椅、热水和手机充电。",
        (Scene(2018, "hospital", "急诊大楼和救护车通道"),),
    ),
    PageSpec(
        "jt_1lu",
        "1路公交线路（火车站—威海公园）全程23站的运营服务；高峰时段加密班次；失物招领；为老年人、学生办理公交卡"
        "和乘车咨询。",
        "车辆到站停稳后开门，老人坐稳后起步；车厢内设爱心专座和急救箱；失物招领电话24小时有人接听；雨雪天气在"
        "主要站点设青年服务岗，帮扶老人和孩子上下车。",
        (Scene(2018, "bus", "1路公交车驶过海滨路"), Scene(2018, "harbour", "终点站威海公园旁的海湾")),
    ),
    PageSpec(
        "zj_wyfw",
        "为全市老旧小区提供物业政策咨询和纠纷调解；组织青年物业人员开展楼道清理、管线检修、加装扶手等义务服务；"
        "协助社区做好台风、暴雪天气的应急值守。",
        "服务队每月第一个周六在小区设流动服务点；报修电话接通后30分钟内响应，急修2小时内到场；独居老人家庭可登记"
        "定期上门查看水电燃气。",
        (Scene(2018, "skyline", "老旧小区改造后的楼群"),),
    ),
    PageSpec(
        "rs_mawh",
        "“母爱文化进万家”：进社区送讲座、进学校送课堂、进家庭送关爱；与留守儿童和困难母亲家庭结对帮扶；节假日在"
        "母爱文化广场为游客讲解母爱文化、提供寻人寻物和应急帮助。",
        "结对家庭每月至少上门一次；活动时间、地点和联系人提前在社区公告栏公布；服务岗备有雨伞、饮用水和儿童走失"
        "登记表。",
        (Scene(2018, "harbour", "大乳山海边的母爱文化广场"), Scene(2018, "skyline", "乳山城区的社区服务站")),
    ),
)


@dataclass(frozen=True)
class FeedbackSpec:
    collective: str
    kind: str
    text: str
    ip_address: str  # a documentation address (RFC 5737): only its keyed hash is kept
    days_ago: int
    satisfaction: str = ""
    contact: str = ""
    answer: str = ""  # answered by the collective's leader, some hours later
    closed: bool = False
    verified_by: str = ""  # a complaint verified by this admin above the collective


SUGGESTION, PRAISE, COMPLAINT = FeedbackKind.SUGGESTION, FeedbackKind.PRAISE, FeedbackKind.COMPLAINT
FEEDBACK = (
    FeedbackSpec("hc_zwfw", SUGGESTION,
                 "周六上午来办社保，取号机只有一台能用，前面排了二十多人，建议周六多开一台取号机，并在门口贴出当天的"
                 "延时服务窗口。", "203.0.113.7", 18, Satisfaction.BASICALLY, contact="136****2218",
                 answer="感谢您的建议。我们已于本周起在周六延时服务时段开放两台取号机，并在大厅入口和服务中心公众号公布"
                        "当天开放的窗口。欢迎您继续监督。"),
    FeedbackSpec("hc_zwfw", SUGGESTION,
                 "网上预约成功后没有收到短信提醒，到了大厅才知道预约时段要提前十分钟取号，建议预约成功后发短信说明"
                 "取号方式。", "203.0.113.21", 2),
    FeedbackSpec("jt_1lu", PRAISE,
                 "女儿把书包落在1路车上，里面有准考证。驾驶员发现后交到调度室，工作人员当晚就联系我们取回，非常感谢！",
                 "203.0.113.42", 25, Satisfaction.SATISFIED,
                 answer="谢谢您的肯定！拾到物品及时上交是车队的规定，也是我们的承诺。祝孩子考试顺利。", closed=True),
    FeedbackSpec("jt_1lu", COMPLAINT,
                 "11日早上7点40分左右在环翠楼站上车，老人还没坐稳车就起步了，差点摔倒，希望车队加强管理。",
                 "203.0.113.55", 12, Satisfaction.DISSATISFIED, contact="139****6604",
                 answer="非常抱歉给您和老人带来不好的乘车体验。经调取车载视频核实，当班驾驶员确有起步过快的问题，车队已对其"
                        "批评教育并安排重新培训，同时在全队重申“老人坐稳再起步”的服务承诺。感谢您的监督。",
                 verified_by="jiaotong"),
    FeedbackSpec("wd_jzk", PRAISE,
                 "父亲半夜胸痛送来急诊，从进门到做完支架不到一个半小时，医生护士一直安慰我们，感谢急诊科的每一位医护！",
                 "203.0.113.88", 6, Satisfaction.SATISFIED),
    FeedbackSpec("wd_jzk", SUGGESTION,
                 "急诊候诊区晚上只有一台饮水机有热水，陪护家属很多，建议增加一台，并在夜间安排人员巡视候诊区。",
                 "203.0.113.101", 9, Satisfaction.BASICALLY,
                 answer="谢谢您的建议。候诊区已增设一台饮水机，夜间由青年护士每两小时巡视一次候诊区，有需要可随时到"
                        "服务台求助。"),
)
ANSWERED_AFTER = datetime.timedelta(hours=5)
CLOSED_AFTER = datetime.timedelta(days=1)


@dataclass(frozen=True)
class ShowcaseSpec:
    collective: str
    category: str
    title: str
    description: str = ""
    scenes: tuple[Scene, ...] = ()
    video: tuple[str, ...] = ()
    essay_kind: str = ""
    essay: str = ""
    forwarded: bool = False  # forwarded to the province (推报团省委) after the showcase


SHOWCASE_CAMPAIGN = "2018_city"
SHOWCASE = (
    ShowcaseSpec(
        "zj_wyfw", Category.PHOTO, "家门口的四十年",
        "从平房大院到高楼小区，从“有事找居委会”到“物业管家就在楼下”。物业青年服务队用五张图片记录威海人家门口的变化，"
        "也记录青年物业人守护万家灯火的日常。",
        scenes=(Scene(1982, "skyline", "平房大院，公用水龙头前排长队"), Scene(1990, "market", "大院门口的早市"),
                Scene(2001, "bus", "公交通到了新小区门口"), Scene(2010, "skyline", "新建小区有了物业服务"),
                Scene(2018, "skyline", "老旧小区改造，楼道亮了、扶手装上了")),
        forwarded=True,
    ),
    ShowcaseSpec(
        "ga_crj", Category.PUBLICITY, "出入境证件，一次办好",
        "办理护照和往来港澳通行证，现在只需带身份证、跑一次。作品用三十秒讲清出入境管理支队办证大厅“一次办好”的做法和"
        "青年民警的服务承诺。",
        video=("过去：证件办理跑几趟、等半月", "现在：一次办好，最快7个工作日", "青年文明号：办证有速度、服务有温度"),
    ),
    ShowcaseSpec(
        "rs_mawh", Category.ESSAY, "“母爱文化进万家”：青年志愿服务的乳山实践",
        essay_kind=EssayKind.PRACTICE, essay=MATERNAL_PRACTICE,
    ),
)
EXTENSION_GRANTED_ON = datetime.datetime(2018, 8, 22, 9, 0)
EXTENSION_UNTIL = datetime.datetime(2018, 9, 10, 17, 0)
EXTENSION_REASON = ("受2018年8月台风“温比亚”带来的强降雨影响，该集体的成果材料未能在8月20日前报送，经团市委研究，"
                    "同意延期至9月10日17:00前报送。")
SUBMITTED_ON = datetime.datetime(2018, 9, 6, 10, 0)
RECOMMENDED_ON = datetime.datetime(2018, 9, 8, 15, 0)
SHOWCASED_ON = datetime.datetime(2018, 11, 20, 10, 0)
FORWARDED_ON = datetime.datetime(2018, 12, 5, 10, 0)


def _aware(moment: datetime.datetime) -> datetime.datetime:
    return timezone.make_aware(moment)  # settings.TIME_ZONE is Asia/Shanghai


def load(loader) -> dict[str, int]:
    created = {"public_pages": 0, "page_photos": 0, "feedback": 0, "feedback_answers": 0, "showcase_works": 0}
    for spec in PAGES:
        _page(loader, spec, created)
    for spec in FEEDBACK:
        _feedback(loader, spec, created)
    for spec in SHOWCASE:
        _showcase_work(loader, spec, created)
    return created


# --- identity pages ------------------------------------------------------------------------------------------------


def _page(loader, spec: PageSpec, created: dict[str, int]) -> None:
    collective = loader.collectives[spec.collective]
    leader = User.objects.get(username=spec.collective)
    page = PostPage.objects.filter(collective=collective).first()
    if page is None or not page.service_items:
        # one member (the newest) asked to be left off the public page
        hidden = collective.members.filter(is_leader=False).order_by("-id").values_list("pk", flat=True)[:1]
        page = page_services.update_page(actor=leader, collective=collective, service_items=spec.service_items,
                                         convenience_measures=spec.convenience_measures,
                                         hidden_member_ids=list(hidden))
    for number, scene in enumerate(spec.photos, start=1):
        if page.photos.filter(caption=scene.caption).exists():
            continue
        upload = SimpleUploadedFile(f"{collective.name}-工作场所-{number}.jpg",
                                    demo_media.picture_jpeg(scene, f"public:{spec.collective}"))
        page_services.add_page_photo(actor=leader, collective=collective, upload=upload, caption=scene.caption)
        created["page_photos"] += 1
    if not page.published:
        violations = page_services.publish_violations(collective)
        if violations:  # the demo's data is wrong: say what the collective lacks
            raise ValueError(f"演示数据有误：{collective.name}不能公开身份页：{violations[0].message}")
        page_services.set_page_published(actor=leader, collective=collective, published=True)
        created["public_pages"] += 1


# --- public supervision ---------------------------------------------------------------------------------------------


def _feedback(loader, spec: FeedbackSpec, created: dict[str, int]) -> None:
    collective: Collective = loader.collectives[spec.collective]
    item = Feedback.objects.filter(collective=collective, kind=spec.kind, text=spec.text).first()
    if item is None:
        item = feedback_services.submit_feedback(collective=collective, ip_address=spec.ip_address, data={
            "kind": spec.kind, "text": spec.text, "contact": spec.contact, "satisfaction": spec.satisfaction,
        }).feedback
        sent = timezone.now() - datetime.timedelta(days=spec.days_ago)
        Feedback.objects.filter(pk=item.pk).update(created_at=sent)
        item.created_at = sent
        created["feedback"] += 1
    leader = User.objects.get(username=spec.collective)
    if spec.answer and item.state == FeedbackState.OPEN:
        item = feedback_services.answer_feedback(actor=leader, feedback=item, answer=spec.answer)
        Feedback.objects.filter(pk=item.pk).update(answered_at=item.created_at + ANSWERED_AFTER)
        created["feedback_answers"] += 1
    if spec.closed and item.state == FeedbackState.ANSWERED:
        item = feedback_services.close_feedback(actor=leader, feedback=item)
        Feedback.objects.filter(pk=item.pk).update(closed_at=item.created_at + ANSWERED_AFTER + CLOSED_AFTER)
    if spec.verified_by and not item.verified:
        item = feedback_services.verify_complaint(actor=User.objects.get(username=spec.verified_by), feedback=item)
        Feedback.objects.filter(pk=item.pk).update(verified_at=item.created_at + CLOSED_AFTER * 2)


# --- the showcase of the 2018 city campaign -------------------------------------------------------------------------


def _showcase_work(loader, spec: ShowcaseSpec, created: dict[str, int]) -> None:
    campaign = loader.campaigns[SHOWCASE_CAMPAIGN]
    collective = loader.collectives[spec.collective]
    if Work.objects.filter(campaign=campaign, collective=collective, title=spec.title).exists():
        return
    city = User.objects.get(username="city")
    extension = grant_extension(actor=city, campaign=campaign, collective=collective, reason=EXTENSION_REASON,
                                until=timezone.now() + datetime.timedelta(hours=1))
    leader = User.objects.get(username=spec.collective)
    display_form = {Category.PHOTO: "picture", Category.ESSAY: "essay"}.get(spec.category, "video")
    work = create_work(actor=leader, collective=collective, campaign=campaign, fields={
        "category": spec.category, "title": spec.title, "display_form": display_form,
        "description": spec.description, "contact_name": collective.contact_name,
        "contact_phone": collective.contact_phone, "essay_kind": spec.essay_kind, "url": "",
    })
    for index, scene in enumerate(spec.scenes, start=1):
        picture = demo_media.picture_jpeg(scene, spec.title)
        add_work_file(actor=leader, work=work, caption=f"{scene.year}年：{scene.caption}",
                      upload=SimpleUploadedFile(f"{spec.title}-{index}.jpg", picture))
    if spec.video:
        add_work_file(actor=leader, work=work, upload=SimpleUploadedFile(
            f"{spec.title}.mp4", demo_media.video_mp4(spec.title, collective.name, spec.video)))
    if spec.essay:
        set_essay_text(actor=leader, work=work, text=spec.essay)
    submit_work(actor=leader, work=work)
    change_work_status(actor=loader._reviewer(collective), work=work, to_status=WorkStatus.RECOMMENDED)
    change_work_status(actor=city, work=work, to_status=WorkStatus.SHOWCASED)
    if spec.forwarded:
        change_work_status(actor=city, work=work, to_status=WorkStatus.FORWARDED)
    # The history, dated 2018: the extension's window closed, the submission and the decisions of that autumn.
    DeadlineExtension.objects.filter(pk=extension.pk).update(granted_at=_aware(EXTENSION_GRANTED_ON),
                                                              until=_aware(EXTENSION_UNTIL))
    Work.objects.filter(pk=work.pk).update(submitted_at=_aware(SUBMITTED_ON))
    dates = {WorkStatus.SUBMITTED: SUBMITTED_ON, WorkStatus.RECOMMENDED: RECOMMENDED_ON,
             WorkStatus.SHOWCASED: SHOWCASED_ON, WorkStatus.FORWARDED: FORWARDED_ON}
    for status, moment in dates.items():
        WorkDecision.objects.filter(work=work, to_status=status).update(created_at=_aware(moment))
    created["showcase_works"] += 1
