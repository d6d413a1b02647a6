"""The demo's execution norms (执行规范, issue 15 item 2), published through ``notices.services.publish_norm`` (so
every version is audited and numbered by the service):

- 威海市团委 (``city``): one version, the city's rules for the whole campaign (基本原则 4 of the 2018 notice: filing by
  归口关系, the ledger of the four themed activities 对标创优/青年大学习/助千家/开放周, the works before 8月20日, whom
  to ask), with a Word file of its checklist;
- 环翠区团委 (``huancui``): two versions; the first, superseded, set the district's dates; the second, current since
  some days, adds 鲸园街道's first review and the monthly ledger check (its change note says so).

The other units (鲸园街道, 文登区, the industry units…) have none, so the city's overview shows both kinds of units and
its 无执行规范 filter has rows.

The service dates a version's publishing now; each is then dated back (``DAYS_AGO``) like the demo's other past
events. Idempotent: a version is found again by its unit and title. ``load(loader)`` returns ``{"norms": n}`` (执行规范,
版)."""

import datetime
import io
from dataclasses import dataclass

import docx
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from wenminghao.accounts.models import User
from wenminghao.notices.models import Norm
from wenminghao.notices.services import publish_norm

CITY_BODY = "\n\n".join([
    "根据《关于做好“2017—2018年度省级青年文明号”“2018年度威海市青年文明号”创建工作的通知》（威创青文字〔2018〕3号）"
    "基本原则第4条“建立健全适合本行业本区市的创建工作执行规范，为基层提供明确、务实、细致的实践指导”的要求，"
    "市创建青年文明号活动领导小组办公室制定本规范，适用于全市各级青年文明号集体和创建集体。各区市、各行业可在本规范"
    "基础上制定本单位的执行规范，并在平台上发布。",
    "一、按归口关系报备。创建集体按照行业所属或地方所属的归口关系，在平台“创建报备”中向归口单位报备，不得重复报备。"
    "报备前须完善集体成员名单（出生日期、岗位）和往届称号。创建省级青年文明号的，须曾获市级青年文明号；创建市级的，"
    "须曾获区市级青年文明号。归口单位负责初审，对纳入归口管理的集体加强创建过程的指导监督。",
    "二、四项主题活动台账。“青年文明号对标创优”“青年大学习”“青年文明号助千家”“青年文明号开放周”四项主题活动，"
    "一律在平台“台账”中随开展随记录，做到一事一记、图文齐全、时间地点人员清楚，不得事后集中补录。助千家结对家庭"
    "须取得监护人书面同意，台账中不得出现孩子的姓名、证件号码和住址。台账是查阅台账、集中评议、实地考察和公众监督"
    "综合评价的依据。",
    "三、成果报送。“改革开放青观察”图片作品、“新时代青年说”宣传作品、“品牌建设青之见”征文三类作品须为原创，"
    "格式要求见通知附件1。各区市各行业系统审核推荐后，于8月20日前在平台上传加盖公章的推荐成果汇总表，逾期不予受理。"
    "实施过程中涌现的好做法和典型事迹，请随时在平台上报送。",
    "四、咨询联系。市创建青年文明号活动领导小组办公室：解庆林、张建刚，联系电话5225125，电子邮箱jcb5225125@126.com。"
    "各集体的具体问题请先向归口单位咨询。",
])

HUANCUI_V1_BODY = "\n\n".join([
    "为落实市创建青年文明号活动领导小组的部署和《威海市青年文明号创建工作执行规范》，结合环翠区实际，制定本规范。",
    "一、创建报备。区直各单位和各街道所属的创建集体，请于7月25日前在平台完成报备；区团委于7月28日前审核完毕。",
    "二、台账记录。四项主题活动请在平台“台账”中随开展随记录，青年大学习每月至少1次，助千家每季度至少走访1次。",
    "三、成果报送。三类作品请于8月10日前在平台提交，区团委于8月15日前向市团委报送盖章汇总表。",
    "四、联系方式。环翠区团委曲晓东，电话0631-5200003。",
])

HUANCUI_V2_BODY = "\n\n".join([
    "为落实市创建青年文明号活动领导小组的部署和《威海市青年文明号创建工作执行规范》，结合环翠区实际，制定本规范。"
    "本版自生效之日起施行，第1版同时废止。",
    "一、创建报备。区直各单位和各街道所属的创建集体，请于7月25日前在平台“创建报备”中完成报备，报备前对照平台的"
    "资格检查逐项核对：成员6—200人，35周岁以下成员占比须超过50%，号长不超过40周岁。鲸园街道所属集体由鲸园街道"
    "团工委初审后报区团委；区团委于7月28日前审核完毕，逾期未报备的集体不纳入本年度推荐。",
    "二、四项主题活动台账。对标创优先定对标对象和创优目标，再记阶段成果和效益；青年大学习每月至少1次，号长带头领学、"
    "青年成员轮流领学，记清领学人和参学人员；助千家须取得监护人书面同意后登记结对家庭，每季度至少走访1次并按期"
    "“回头看”；开放周要亮明示范承诺、监督电话和成员身份，上传现场照片。区团委每月最后一周查阅台账，对记录不全的"
    "在平台上提出评阅意见，请在一周内处理。",
    "三、成果报送。三类作品请于8月10日前在平台提交，作品须为原创，平台上传时自动检查图片像素、视频时长和征文字数，"
    "请提前核对。区团委审核推荐后，于8月15日前上传盖章汇总表报市团委，确保8月20日前完成报送。",
    "四、联系方式。环翠区团委：曲晓东，电话0631-5200003，邮箱quxiaodong@example.cn；鲸园街道所属集体请先与鲸园街道"
    "团工委于婷婷联系（0631-5200004）。",
])

CHECKLIST = ("青年文明号创建工作自查清单",
             "1. 已按归口关系在平台完成创建报备，成员名单和往届称号完整。",
             "2. 四项主题活动台账随开展随记录，图文齐全，助千家台账不含孩子的个人信息。",
             "3. 三类作品为原创，格式符合通知附件1，已在归口单位的截止日期前提交。",
             "4. 好做法和典型事迹已随时报送归口单位。")


@dataclass(frozen=True)
class Version:
    username: str
    title: str
    body: str
    effective_days_ago: int
    published_days_ago: int
    change_note: str = ""
    file_name: str = ""


VERSIONS = (
    Version("city", "威海市青年文明号创建工作执行规范", CITY_BODY, 20, 20, file_name="青年文明号创建工作自查清单.docx"),
    Version("huancui", "环翠区青年文明号创建工作执行规范", HUANCUI_V1_BODY, 18, 18),
    Version("huancui", "环翠区青年文明号创建工作执行规范（2018年修订）", HUANCUI_V2_BODY, 9, 10,
            change_note="增加鲸园街道团工委初审、区团委每月查阅台账和评阅意见处理时限，补充各项台账记录要求和联系人"),
)


def load(loader) -> dict[str, int]:
    created = {"norms": 0}
    today = timezone.localdate()
    for spec in VERSIONS:
        actor = User.objects.get(username=spec.username)
        if Norm.objects.filter(unit=actor.unit, title=spec.title).exists():
            continue
        files = [SimpleUploadedFile(spec.file_name, _docx(CHECKLIST))] if spec.file_name else []
        norm = publish_norm(actor=actor, title=spec.title, body=spec.body, change_note=spec.change_note,
                            effective_on=today - datetime.timedelta(days=spec.effective_days_ago), files=files)
        Norm.objects.filter(pk=norm.pk).update(
            published_at=norm.published_at - datetime.timedelta(days=spec.published_days_ago))
        created["norms"] += 1
    return created


def _docx(paragraphs: tuple[str, ...]) -> bytes:
    document = docx.Document()
    document.add_heading(paragraphs[0], level=1)
    for text in paragraphs[1:]:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
