"""The demo's notices (通知公告, issue 15), sent, read and answered through ``notices.services`` (so the receipts are
rows and every step is audited):

- the 2018 notice itself (``notice_2018.txt``, the text of ``shared/spec/notice-2018-weihai.txt`` with the converter's
  leftovers removed and the empty table of its 附件2 written as lines), published by 威海市团委 (``city``) to every
  collective, its deadline the current works deadline (8月20日 of the current campaign's year: the demo's 2018) and
  asking no reply;
- 环翠区团委 (``huancui``) forwarding it to its collectives (鲸园街道's included) with its own execution norms
  (``GUIDANCE``): when to file, how to keep the ledger of the four themed activities, whom to ask;
- a notice of the city to the 服务行业和窗口单位 collectives only (sector ``service``) asking each for its 开放周 plan,
  with two replies (one with a Word file, through the one upload path).

Some collectives have read both the notice and the forward, some neither (``READ``). 环翠区政务服务中心综合窗口
(``hc_zwfw``) has read the city's notice and answered the 开放周 one but not read the forward, so a newcomer signing
in as ``hc_zwfw`` finds the forward first on the workbench and confirms it. Nobody has been reminded yet: reminding
the unread is left to the visitor (once an hour).

The services date everything now; the notices and their readings are then dated some days back (``DAYS_AGO``), as
the demo's other past events are, so that they read as history and the visitor's own notice is the newest.

Idempotent: a notice is found again by its sender's unit, title and original; a reading and a reply by their
receipt. ``load(loader)`` returns what it made by key: notices (通知, 条), notice_reads (已读确认, 次), notice_replies
(通知回复, 条)."""

import datetime
import io
from dataclasses import dataclass
from pathlib import Path

import docx
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from wenminghao.accounts.models import User
from wenminghao.collectives.enums import Sector
from wenminghao.notices.models import Notice, NoticeReceipt
from wenminghao.notices.services import confirm_read, publish_notice, reply_to_notice

NOTICE_FILE = Path(__file__).with_name("notice_2018.txt")
CAMPAIGN = "current_city"  # the campaign whose works deadline is the notice's (a CampaignSpec key of demo.data)
CITY, HUANCUI = "city", "huancui"


def campaign_notice() -> tuple[str, str]:
    """(title, body) of the 2018 notice: its title is the lines from “关于” to the one ending in “通知” (two lines in
    the document), joined; the body is everything else."""
    lines = NOTICE_FILE.read_text(encoding="utf-8").strip().split("\n")
    start = next(index for index, line in enumerate(lines) if line.startswith("关于"))
    end = next(index for index in range(start, len(lines)) if lines[index].endswith("通知"))
    title = "".join(line.strip() for line in lines[start:end + 1])
    body = "\n".join([*lines[:start], *lines[end + 1:]]).strip()
    while "\n\n\n" in body:
        body = body.replace("\n\n\n", "\n\n")
    return title, body


def forward_title(title: str) -> str:
    return f"关于转发《{title}》的通知"


GUIDANCE = "\n\n".join([
    "各街道团工委、区直各单位团组织，辖区各青年文明号集体和创建集体：现将市创建青年文明号活动领导小组《关于做好"
    "“2017—2018年度省级青年文明号”“2018年度威海市青年文明号”创建工作的通知》转发给你们。结合环翠区实际，"
    "提出以下执行规范，请认真抓好落实。",
    "一、创建报备。拟创建市级、省级青年文明号的集体，请于7月25日前在平台“创建报备”中完成报备，报备前先完善集体"
    "成员名单（出生日期、岗位）和往届称号，并对照平台的资格检查逐项核对：创建市级须曾获区市级青年文明号，创建省级"
    "须曾获市级青年文明号；成员6—200人，35周岁以下成员占比须超过50%，号长不超过40周岁，须为相对稳定的工作单元。"
    "鲸园街道所属集体由鲸园街道团工委初审。区团委于7月28日前审核完毕，逾期未报备的集体不纳入本年度推荐。",
    "二、四项主题活动台账。“对标创优”“青年大学习”“助千家”“开放周”是今年考核评价的重要指标，请在平台“台账”中"
    "随开展随记录，一事一记、图文齐全，不得集中补录。对标创优先定对标对象和创优目标，再记阶段成果和效益；青年大学习"
    "每月至少1次，号长带头领学、青年成员轮流领学，记清领学人和参学人员；助千家须取得监护人书面同意后登记结对家庭，"
    "每季度至少走访1次并按期“回头看”，台账中不得出现孩子的姓名和证件号码；开放周要亮明示范承诺、监督电话和成员身份，"
    "上传现场照片。区团委每月最后一周查阅台账，对记录不全的在平台上提出评阅意见，请在一周内处理。",
    "三、成果报送。三类作品请于8月10日前在平台提交，区团委审核推荐后，于8月15日前上传盖章汇总表报市团委。作品须为"
    "原创，格式要求见通知附件1，平台上传时自动检查，请提前核对图片像素、视频时长和征文字数。实施过程中涌现的好做法"
    "和典型事迹，请随时报区团委。",
    "四、联系方式。环翠区团委：曲晓东，电话0631-5200003，邮箱quxiaodong@example.cn；鲸园街道所属集体请先与鲸园街道"
    "团工委于婷婷联系（0631-5200004）。收到本通知后，请各集体号长在平台上确认已读。",
])

SERVICE_TITLE = "关于报送青年文明号开放周活动安排的通知"
SERVICE_BODY = "\n\n".join([
    "各服务行业和窗口单位青年文明号集体、创建集体：",
    "为做好“青年文明号开放周”活动，请各集体结合窗口服务实际，在截止日期前于平台回复本集体的开放周安排：活动时间和"
    "地点，亮明示范承诺、监督电话和成员身份的方式，拟推出的便民措施或特色服务场景，预计接待群众人数。已制定活动方案的，"
    "可直接上传方案（Word或PDF）。",
    "市团委将汇总各集体的安排，择优组织媒体走进窗口集中宣传。联系人：解庆林，联系电话：5225125。",
])
SERVICE_DEADLINE_DAYS = 14  # after the day the demo is loaded (a deadline is never in the past when published)


@dataclass(frozen=True)
class Reply:
    collective: str  # the leader's account
    text: str
    file_name: str = ""  # a Word file of these paragraphs, when set
    file_paragraphs: tuple[str, ...] = ()


REPLIES = (
    Reply("hc_zwfw", "环翠区政务服务中心综合窗口开放周安排：开放周第一天至第三天每日9:00—11:30，在政务服务中心一楼"
                     "综合受理区举办。导办台和每个窗口摆放示范承诺牌、公布监督电话，成员佩戴青年文明号标志上岗；推出"
                     "“帮办代办”“午间不打烊”两项便民措施，由青年成员带领群众体验“一窗受理”全流程，预计接待群众120人次。"),
    Reply("wd_jzk", "急诊科开放周活动方案见附件：安排“急诊开放日”和急救知识进社区两项活动，预计接待群众200人次。",
          "文登区人民医院急诊科开放周活动方案.docx",
          ("文登区人民医院急诊科青年文明号开放周活动方案",
           "一、急诊开放日：开放周第二天9:00—11:00，邀请患者家属和社区居民参观急诊抢救流程，讲解预检分诊和绿色通道。",
           "二、急救知识进社区：开放周第四天下午，到龙山路社区开展心肺复苏和海姆立克急救法培训。",
           "三、亮身份、亮承诺：急诊大厅公布示范承诺和监督电话，成员佩戴青年文明号标志上岗。",
           "联系人：急诊科号长，电话0631-8471234。")),
)

# who has read what (the leaders' accounts), hours after the notice was published
READ = {
    "campaign": {"hc_zwfw": 3, "hc_bdc": 2, "jy_lele": 26, "wd_jzk": 1, "wd_jmcj": 5, "wd_sbdt": 30, "rc_sdbf": 4,
                 "rc_ek": 50, "rs_ykzx": 6, "gq_tqw": 28, "jt_1lu": 2, "wj_xnk": 8, "gd_khfw": 3, "sw_bsft": 27,
                 "jr_yyb": 75},
    # the forward: hc_bdc and jy_lele read both, hc_jjy only the forward; hc_zwfw, hc_zyz and jy_bmfw neither
    "forward": {"hc_bdc": 1, "jy_lele": 20, "hc_jjy": 4},
    # the 开放周 notice: besides the two replies (which confirm reading), two readers who have not answered yet
    "service": {"rs_ykzx": 5, "jt_1lu": 22},
}
REPLIED_AFTER = {"hc_zwfw": 30, "wd_jzk": 52}  # hours
DAYS_AGO = {"campaign": 21, "forward": 19, "service": 6}


def load(loader) -> dict[str, int]:
    created = {"notices": 0, "notice_reads": 0, "notice_replies": 0}
    city, huancui = User.objects.get(username=CITY), User.objects.get(username=HUANCUI)
    title, body = campaign_notice()
    deadline = timezone.localtime(loader.campaigns[CAMPAIGN].deadline).date()  # 8月20日 of the demo's campaign year
    notices = {"campaign": _notice(created, "campaign", actor=city, title=title, body=body, deadline=deadline)}
    notices["forward"] = _notice(created, "forward", actor=huancui, title=forward_title(title), body=GUIDANCE,
                                 forwarded_from=notices["campaign"])
    notices["service"] = _notice(created, "service", actor=city, title=SERVICE_TITLE, body=SERVICE_BODY,
                                 sectors=[Sector.SERVICE.value], asks_reply=True,
                                 deadline=loader.today + datetime.timedelta(days=SERVICE_DEADLINE_DAYS))
    for key, readers in READ.items():
        for username, hours in readers.items():
            _read(created, notices[key], username, hours)
    for reply in REPLIES:
        _reply(created, notices["service"], reply)
    return created


def _notice(created: dict[str, int], key: str, *, actor: User, title: str, forwarded_from: Notice | None = None,
            **fields) -> Notice:
    notice = Notice.objects.filter(sender_unit=actor.unit, title=title, forwarded_from=forwarded_from).first()
    if notice is None:
        notice = publish_notice(actor=actor, title=title, forwarded_from=forwarded_from, **fields)
        published = notice.published_at - datetime.timedelta(days=DAYS_AGO[key])
        Notice.objects.filter(pk=notice.pk).update(published_at=published)
        notice.published_at = published
        created["notices"] += 1
    return notice


def _receipt(notice: Notice, username: str) -> tuple[User, NoticeReceipt]:
    leader = User.objects.get(username=username)
    return leader, NoticeReceipt.objects.get(notice=notice, collective_id=leader.collective_id)


def _read(created: dict[str, int], notice: Notice, username: str, hours: int) -> None:
    leader, receipt = _receipt(notice, username)
    if receipt.read_at is not None:
        return
    confirm_read(actor=leader, notice=notice)
    NoticeReceipt.objects.filter(pk=receipt.pk).update(read_at=notice.published_at + datetime.timedelta(hours=hours))
    created["notice_reads"] += 1


def _reply(created: dict[str, int], notice: Notice, spec: Reply) -> None:
    leader, receipt = _receipt(notice, spec.collective)
    if receipt.replied_at is not None:
        return
    upload = SimpleUploadedFile(spec.file_name, _docx(spec.file_paragraphs)) if spec.file_name else None
    reply_to_notice(actor=leader, notice=notice, text=spec.text, upload=upload)
    moment = notice.published_at + datetime.timedelta(hours=REPLIED_AFTER[spec.collective])
    NoticeReceipt.objects.filter(pk=receipt.pk).update(replied_at=moment, read_at=moment)
    created["notice_replies"] += 1


def _docx(paragraphs: tuple[str, ...]) -> bytes:
    document = docx.Document()
    document.add_heading(paragraphs[0], level=1)
    for text in paragraphs[1:]:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
