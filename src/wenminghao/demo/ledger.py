"""The demo's ledger (台账) of the current city campaign: what the collectives of 环翠区 and 文登区 recorded in the
four themed activities, which ``manage.py load_demo_data`` writes through the ledger's services (so every entry
obeys their rules and is audited), and the comments their units and the city left on it (查阅台账).

Everything here is data. Dates are days before the day the demo is loaded (``days_ago``), spread over the last
eleven months, so no entry lies in the future whatever day that is. Who led each study session and who attended
follows from ``study_roster``: the leader first, then the members in turn.

Gaps on purpose, so the workbench and 查阅台账 have something to say: 生鲜加工班组 (``hc_jjy``) has no 助千家 or
开放周, 鲸园街道乐龄社会工作服务站 (``jy_lele``) only one study session, 曲轴精磨车间 (``wd_jmcj``) no 助千家, the
pairing of 文登区人民医院急诊科 (``wd_jzk``) is due for its next 回头看, and the other filed collectives (among them
``jy_bmfw`` and ``wd_sbdt``) have no entry at all.

The two families are fictitious: their registry numbers (建档立卡编号) follow no real person's, and no text names
a child.
"""

import datetime
import random
from dataclasses import dataclass

from wenminghao.ledger.enums import (
    Activity,
    BenchmarkFocus,
    BenchmarkStage,
    BenefitKind,
    HelpKind,
    IncomeTrend,
    OpenWeekItem,
    PairingOutcome,
    StudyForm,
)

LEDGER_CAMPAIGN = "current_city"  # a CampaignSpec key of demo.data


@dataclass(frozen=True)
class Photo:
    """A generated picture of an entry (``demo.media.ledger_photo_jpeg``): a MOTIFS key and its caption."""

    motif: str
    caption: str


@dataclass(frozen=True)
class EntrySpec:
    """One ledger entry, in the ledger's own terms; ``LedgerLoader`` turns it into the services' data."""

    activity: str
    days_ago: int
    title: str
    content: str
    # 对标创优
    stage: str = ""
    against: str = ""
    focus: str = ""
    benefit: tuple[str, str, str] | None = None  # (BenefitKind, value, unit)
    meets: str = ""  # a result: the title of the target it meets
    # 青年大学习 (who led and who attended: study_roster)
    form: str = ""
    topic: str = ""
    # 助千家 (the collective's pairing)
    help_kinds: tuple[str, ...] = ()
    follow_up: bool = False
    # 开放周
    shown: tuple[str, ...] = ()
    visitors: int | None = None
    photos: tuple[Photo, ...] = ()

    def day(self, today: datetime.date) -> datetime.date:
        return today - datetime.timedelta(days=self.days_ago)


@dataclass(frozen=True)
class ReviewSpec:
    """The pairing's 回头看 (recorded with the pairing service on the day of the follow-up visit)."""

    days_ago: int
    outcome: str
    income_trend: str
    note: str


@dataclass(frozen=True)
class PairingSpec:
    family_ref: str  # fictitious
    area: str
    youth_count: int
    help_kinds: tuple[str, ...]
    started_days_ago: int  # the guardian's consent was given that day
    review: ReviewSpec
    visits: tuple[EntrySpec, ...]


@dataclass(frozen=True)
class CommentSpec:
    """A comment of ``author`` (a unit's admin, or the city's) on the entry titled ``entry``. A resolved one was
    handled by the collective's leader, who first added ``answer`` to the entry's content."""

    author: str
    entry: str
    text: str
    resolved: bool = False
    answer: str = ""


@dataclass(frozen=True)
class LedgerSpec:
    collective: str  # CollectiveSpec.username
    commitment: str  # 示范承诺, on the collective's page
    study_reach: int = 0  # members who attend at least one study session (the leader among them)
    entries: tuple[EntrySpec, ...] = ()
    pairing: PairingSpec | None = None
    comments: tuple[CommentSpec, ...] = ()

    def all_entries(self) -> list[EntrySpec]:
        """Every entry, the pairing's visits included, oldest first (a target before the results that meet it)."""
        visits = self.pairing.visits if self.pairing else ()
        return sorted((*self.entries, *visits), key=lambda entry: -entry.days_ago)

    def studies(self) -> list[EntrySpec]:
        return [entry for entry in self.all_entries() if entry.activity == Activity.STUDY]


def study_roster(spec: LedgerSpec, members: int) -> list[tuple[int, list[int]]]:
    """(who led, who attended) of each study session of ``spec``, oldest first, as indexes into the collective's
    members in their order (0 is the leader). The leader leads the first session and the members take turns after
    (领学领讲); the first ``study_reach`` members attend: each at least one session, most sessions about two
    thirds of them. The same every run."""
    sessions = spec.studies()
    reach = min(spec.study_reach, members)
    rng = random.Random(f"{spec.collective}-study")
    roster = []
    for index in range(len(sessions)):
        led_by = index % reach
        sure = {led_by, *range(index, reach, len(sessions))}  # every reached member comes at least once
        extra = rng.sample(range(reach), k=max(1, reach * 2 // 3))
        roster.append((led_by, sorted(sure | set(extra))))
    return roster


B, S, F, W = Activity.BENCHMARK, Activity.STUDY, Activity.FAMILIES, Activity.OPEN_WEEK
TARGET, RESULT = BenchmarkStage.TARGET, BenchmarkStage.RESULT
ECONOMIC, SOCIAL = BenefitKind.ECONOMIC, BenefitKind.SOCIAL
SEMINAR, VISIT, ESSAY = StudyForm.SEMINAR, StudyForm.VISIT, StudyForm.ESSAY
MICRO_LECTURE, OTHER_FORM = StudyForm.MICRO_LECTURE, StudyForm.OTHER
COMMITMENT, PHONE, IDENTITY = OpenWeekItem.COMMITMENT, OpenWeekItem.SUPERVISION_PHONE, OpenWeekItem.IDENTITY
BADGES, POSTERS, CONVENIENCE = OpenWeekItem.BADGES, OpenWeekItem.POSTERS, OpenWeekItem.CONVENIENCE
H = HelpKind
E = EntrySpec

# --- 环翠区政务服务中心综合窗口 (hc_zwfw): every activity, the walk-through's collective ------------------------------

ZWFW_ONE_DAY = "企业开办“一日办结”"
ZWFW_RESULT = "企业开办全流程压缩至半个工作日"
ZWFW_SEMINAR = "研讨：帮办代办服务规范"
HC_ZWFW = LedgerSpec(
    "hc_zwfw",
    "一次告知、一窗受理、限时办结：办事材料一次讲清，符合条件的事项当场受理、承诺时限内办结；"
    "不推诿、不刁难，群众不满意的地方马上改。",
    study_reach=12,
    entries=(
        E(B, 320, ZWFW_ONE_DAY,
          "对照杭州市民中心企业开办全流程网办、当日办结的做法，梳理营业执照、公章刻制、发票申领、社保登记4个环节的"
          "材料和时限，目标是企业开办全流程1个工作日内办结，群众平均办事时间缩短40分钟以上。",
          stage=TARGET, against="杭州市民中心“最多跑一次”综合窗口（全国青年文明号）",
          focus=BenchmarkFocus.SERVICE_METHOD, benefit=(SOCIAL, "40", "分钟")),
        E(B, 300, "老年人和残疾人帮办代办",
          "设立帮办代办岗，为老年人、残疾人和行动不便的群众提供全程帮办和预约上门服务，目标全年帮办代办300件以上。",
          stage=TARGET, against="青岛市市民服务中心“帮办代办”服务标准", focus=BenchmarkFocus.CONVENIENCE,
          benefit=(SOCIAL, "300", "件")),
        E(B, 150, ZWFW_RESULT,
          "推行“一表申请、一窗发放”，企业开办4个环节并联办理，平均用时由1个工作日压缩至半个工作日，群众平均办事"
          "时间由55分钟缩短到15分钟。改进以来共办理企业开办1126件，零差评。",
          stage=RESULT, against="杭州市民中心“最多跑一次”综合窗口（全国青年文明号）",
          focus=BenchmarkFocus.SERVICE_METHOD, benefit=(SOCIAL, "40", "分钟"), meets=ZWFW_ONE_DAY,
          photos=(Photo("window", "企业开办专区，一窗发放"),)),
        E(B, 60, "帮办代办服务累计326件",
          "帮办代办岗每天安排2名青年轮值，累计为老年人、残疾人帮办代办326件，其中预约上门服务41次，"
          "群众满意率100%。",
          stage=RESULT, against="青岛市市民服务中心“帮办代办”服务标准", focus=BenchmarkFocus.CONVENIENCE,
          benefit=(SOCIAL, "326", "件"), meets="老年人和残疾人帮办代办"),
        E(B, 20, "办事材料电子化，节约复印成本",
          "对身份证、营业执照等常用材料推行电子证照调用，窗口不再要求群众提供复印件，全年减少复印约14万张，"
          "节约成本3.5万元。",
          stage=RESULT, against="《政务服务“一网通办”技术规范》中的电子证照应用要求",
          focus=BenchmarkFocus.SERVICE_ENVIRONMENT, benefit=(ECONOMIC, "3.5", "万元")),
        E(S, 310, "号长领学：窗口青年的初心与使命",
          "号长以“窗口青年为谁服务”开篇领学，结合群众来信谈服务作风，大家交流了各自岗位上的体会。",
          form=MICRO_LECTURE, topic="学习习近平总书记关于青年工作的重要论述"),
        E(S, 255, "研讨：“好差评”差评件怎么改",
          "对上一季度的5件差评逐件分析原因，明确了材料告知、叫号等候、系统卡顿3项整改措施和责任人。",
          form=SEMINAR, topic="学习《政务服务评价工作指南》，分析差评原因"),
        E(S, 200, "考察：荣成市民服务中心“一窗通办”",
          "赴荣成市民服务中心考察综合受理、帮办代办和自助服务区的设置，回来后调整了本窗口自助区的引导标识。",
          form=VISIT, topic="学习兄弟窗口综合受理的做法"),
        E(S, 140, "征文：我身边的青年文明号",
          "每人结合岗位写一篇服务故事，评出3篇在区政务服务中心公众号刊发。",
          form=ESSAY, topic="讲述窗口服务中的青年故事"),
        E(S, 80, "微团课：《优化营商环境条例》里的窗口责任",
          "一名受理员主讲条例中与窗口有关的条款，大家对照条款自查了企业开办、变更登记中的5个办事环节。",
          form=MICRO_LECTURE, topic="学习《优化营商环境条例》"),
        E(S, 25, ZWFW_SEMINAR,
          "讨论帮办代办岗的接待、预约、上门和回访流程，大家认为上门服务要提前电话确认材料，避免白跑。",
          form=SEMINAR, topic="学习帮办代办服务规范，讨论上门服务流程"),
        E(W, 190, "开放周·政务服务体验日",
          "邀请企业代表、社区居民和人大代表走进综合窗口，体验“一窗受理”全过程；现场公开示范承诺和监督电话，"
          "收集意见建议12条。",
          shown=(COMMITMENT, PHONE, IDENTITY, BADGES, CONVENIENCE), visitors=86,
          photos=(Photo("window", "开放周·政务服务体验日"), Photo("window", "群众体验一窗受理"))),
        E(W, 35, "开放周·政务服务进社区",
          "青年们佩戴标志走进竹岛街道的社区，现场讲解社保、医保、公积金等高频事项的网上办理，帮助群众在手机上"
          "办结业务37件。",
          shown=(IDENTITY, BADGES, POSTERS, CONVENIENCE), visitors=140),
    ),
    pairing=PairingSpec(
        "3710020018600031", "环翠楼街道", 2, (H.EDUCATION, H.COMPANIONSHIP, H.COUNSELLING), 290,
        ReviewSpec(120, PairingOutcome.IMPROVING, IncomeTrend.RISING,
                   "家长已在社区公益岗位就业，家庭收入比结对时增加；两个孩子的成绩有进步。继续助学扶智和亲情陪伴。"),
        visits=(
            E(F, 285, "首次入户走访",
              "号长带3名团员入户走访，了解家庭情况和孩子们的学习需要，与家长商定每两周上门辅导一次功课。",
              help_kinds=(H.COMPANIONSHIP, H.EDUCATION)),
            E(F, 230, "送学习用品、与老师沟通",
              "为孩子们送去书包、文具和课外读物，并与班主任沟通了学习情况。",
              help_kinds=(H.EDUCATION,)),
            E(F, 120, "回头看走访",
              "对照结对时的帮扶计划逐项回头看：孩子们的成绩有进步，家长在社区公益岗位就业，家庭收入有所增加。",
              help_kinds=(H.COMPANIONSHIP, H.COUNSELLING, H.EDUCATION), follow_up=True),
            E(F, 45, "周末辅导功课",
              "两名团员上门辅导功课，并陪孩子们参加社区图书室的阅读活动。",
              help_kinds=(H.COMPANIONSHIP, H.EDUCATION)),
        ),
    ),
    comments=(
        CommentSpec("huancui", ZWFW_RESULT,
                    "“办事时间缩短40分钟”请写明测算口径：统计的时段、办件数量和数据来源（如政务服务系统导出的办件"
                    "时长），便于查阅台账时核对。",
                    resolved=True,
                    answer="测算口径：统计改进前后各三个月政务服务系统中的全部企业开办办件，按受理至发照的系统时长"
                           "计算平均用时。"),
        CommentSpec("huancui", ZWFW_SEMINAR,
                    "本次研讨只记录了讨论内容，请补充形成的帮办代办服务规范（可上传Word文档），并注明由谁负责落实。"),
    ),
)

# --- 不动产登记受理窗口 (hc_bdc): no 助千家 yet -----------------------------------------------------------------------

BDC_SAME_DAY = "一般登记“当日领证”"
BDC_OPEN_DAY = "开放周·登记窗口开放日"
HC_BDC = LedgerSpec(
    "hc_bdc",
    "一窗受理、集成服务：登记材料一次告知，一般登记当日领证，抵押登记1个工作日内办结，欢迎群众监督。",
    study_reach=7,
    entries=(
        E(B, 315, BDC_SAME_DAY,
          "对照青岛市不动产登记中心的做法，推行交易、税收、登记一窗受理，目标是一般登记的办理时限由3个工作日压缩到"
          "当日办结。",
          stage=TARGET, against="青岛市不动产登记中心“一窗受理、当日办结”", focus=BenchmarkFocus.SERVICE_METHOD),
        E(B, 95, "二手房转移登记当日领证",
          "交易、税收、登记三个环节一窗受理、并联审核，二手房转移登记当日领证率达到92%，平均办理时限缩短2.5个"
          "工作日。",
          stage=RESULT, against="青岛市不动产登记中心“一窗受理、当日办结”", focus=BenchmarkFocus.SERVICE_METHOD,
          benefit=(SOCIAL, "2.5", "个工作日"), meets=BDC_SAME_DAY),
        E(S, 300, "号长领学：《不动产登记暂行条例》要点",
          "号长领学条例中与受理有关的条款，梳理出窗口最常被问到的10个问题。",
          form=MICRO_LECTURE, topic="学习《不动产登记暂行条例》"),
        E(S, 215, "研讨：登记材料“一次告知”清单",
          "逐项核对18类登记事项的材料清单，删去可以内部调取的材料4项。",
          form=SEMINAR, topic="讨论登记材料的精简和一次告知"),
        E(S, 130, "考察：文登区不动产登记中心“带押过户”",
          "到文登区不动产登记中心学习“带押过户”的办理流程，回来后拟定了本窗口的办理指引。",
          form=VISIT, topic="学习“带押过户”的做法"),
        E(S, 40, "微团课：民法典物权编与登记服务",
          "一名审批专员主讲民法典物权编中与登记有关的规定，结合案例讲解居住权登记。",
          form=MICRO_LECTURE, topic="学习《中华人民共和国民法典》物权编"),
        E(W, 160, BDC_OPEN_DAY,
          "邀请社区居民和房地产经纪机构代表参观受理、审核、发证全过程，讲解网上预约和掌上查询进度。",
          shown=(COMMITMENT, PHONE, IDENTITY, POSTERS), visitors=42,
          photos=(Photo("window", "登记窗口开放日"),)),
    ),
    comments=(
        CommentSpec("huancui", BDC_OPEN_DAY,
                    "开放日的记录很完整。请在内容中补充现场收集到的意见建议和处理情况，下次查阅时一并看。"),
    ),
)

# --- 生鲜加工班组 (hc_jjy): no 助千家, no 开放周 ----------------------------------------------------------------------

HC_JJY = LedgerSpec(
    "hc_jjy",
    "放心菜、放心肉：进货逐批查验，加工分级上架，临期商品明示处理，顾客投诉当天答复。",
    study_reach=6,
    entries=(
        E(B, 240, "生鲜损耗率降到3%以内",
          "对照行业标杆门店的生鲜加工标准，细化进货查验、分级加工、温度管控、临期处理4个环节，目标是生鲜损耗率"
          "由4.2%降到3%以内。",
          stage=TARGET, against="连锁超市行业生鲜加工标准化标杆门店", focus=BenchmarkFocus.OTHER,
          benefit=(ECONOMIC, "1.2", "个百分点")),
        E(S, 250, "号长领学：食品安全“四个最严”",
          "班组长领学食品安全“最严谨的标准、最严格的监管、最严厉的处罚、最严肃的问责”的要求。",
          form=SEMINAR, topic="学习食品安全“四个最严”要求"),
        E(S, 170, "微团课：《食品安全法》与生鲜加工",
          "一名质检员主讲《食品安全法》中与生鲜加工有关的条款，对照检查了加工间的温度记录。",
          form=MICRO_LECTURE, topic="学习《中华人民共和国食品安全法》"),
        E(S, 75, "岗位练兵：生鲜分级加工比武",
          "分组比赛蔬菜分级、肉类分割和包装，评出3名“加工能手”。",
          form=OTHER_FORM, topic="生鲜分级加工的操作规范"),
    ),
)

# --- 鲸园街道乐龄社会工作服务站 (jy_lele): one study session only -----------------------------------------------------

JY_LELE = LedgerSpec(
    "jy_lele",
    "让老人少操心、让子女更放心：独居老人每周至少入户一次，紧急求助15分钟内响应。",
    study_reach=6,
    entries=(
        E(S, 50, "站长领学：社区居家养老服务政策",
          "站长领学社区居家养老服务的有关政策，大家讨论了助餐、助医服务中的新需求。",
          form=SEMINAR, topic="学习社区居家养老服务政策"),
    ),
)

# --- 文登区人民医院急诊科 (wd_jzk): every activity; its pairing is due for the next 回头看 ----------------------------

JZK_DOOR_TO_BALLOON = "急性心梗“进门—球囊扩张”60分钟以内"
JZK_RESULT = "进门至球囊扩张时间缩短42分钟"
WD_JZK = LedgerSpec(
    "wd_jzk",
    "急病人之所急：急危重症患者先救治后缴费，胸痛、卒中患者绿色通道全程陪同；候诊超过30分钟主动向患者和家属"
    "说明原因。",
    study_reach=17,
    entries=(
        E(B, 325, JZK_DOOR_TO_BALLOON,
          "对照国家胸痛中心的质控要求，优化分诊、心电图、会诊、导管室启动的衔接，目标是急性心梗患者从进门到球囊"
          "扩张的时间控制在60分钟以内（现为平均110分钟）。",
          stage=TARGET, against="国家胸痛中心质控标准（进门—球囊扩张时间90分钟以内）及省内示范胸痛中心",
          focus=BenchmarkFocus.SERVICE_METHOD, benefit=(SOCIAL, "50", "分钟")),
        E(B, 280, "院前院内信息一体化",
          "救护车在途中传送心电图和生命体征，院内提前启动会诊和导管室，患者到院后直接进入抢救流程。",
          stage=TARGET, against="《中国卒中中心建设标准》院前院内衔接要求", focus=BenchmarkFocus.CONVENIENCE),
        E(B, 120, JZK_RESULT,
          "改造分诊和会诊流程后，急性心梗患者从进门到球囊扩张的时间由平均110分钟缩短到68分钟，离60分钟的目标"
          "还差8分钟。",
          stage=RESULT, against="国家胸痛中心质控标准（进门—球囊扩张时间90分钟以内）及省内示范胸痛中心",
          focus=BenchmarkFocus.SERVICE_METHOD, benefit=(SOCIAL, "42", "分钟"), meets=JZK_DOOR_TO_BALLOON),
        E(B, 40, "院前心电图远程传输全覆盖",
          "全区12台救护车全部接入远程心电传输系统，医生在患者到院前即可研判，提前通知导管室。",
          stage=RESULT, against="《中国卒中中心建设标准》院前院内衔接要求", focus=BenchmarkFocus.CONVENIENCE,
          benefit=(SOCIAL, "12", "台救护车"), meets="院前院内信息一体化"),
        E(S, 318, "号长领学：医者仁心与急诊担当",
          "护士长领学，结合科室抢救案例谈急诊青年的责任，大家写下了各自的岗位承诺。",
          form=MICRO_LECTURE, topic="学习习近平总书记关于卫生健康工作的重要论述"),
        E(S, 262, "研讨：急诊投诉案例分析",
          "分析近半年的4件投诉，发现多与候诊解释不到位有关，决定由青年护士轮值导诊、主动说明等候原因。",
          form=SEMINAR, topic="学习《医疗纠纷预防和处理条例》，分析投诉原因"),
        E(S, 196, "考察：威海市立医院胸痛中心",
          "到威海市立医院胸痛中心学习分诊和导管室启动流程，回来后修订了本科室的胸痛救治流程图。",
          form=VISIT, topic="学习胸痛中心的救治流程"),
        E(S, 110, "征文：急诊室里的青春故事",
          "每人写一篇急诊抢救中的故事，汇编成册在全院交流。",
          form=ESSAY, topic="讲述急诊一线的青年故事"),
        E(S, 30, "急救技能轮训：心肺复苏与气管插管",
          "由主治医师示范、青年医护逐一过关，12项核心急救技能人人考核合格。",
          form=OTHER_FORM, topic="急救核心技能规范"),
        E(W, 170, "开放周·急诊开放日",
          "邀请市民代表和媒体走进急诊，参观胸痛、卒中绿色通道，公开示范承诺和监督电话，现场教学心肺复苏。",
          shown=(COMMITMENT, PHONE, IDENTITY, BADGES, CONVENIENCE), visitors=65,
          photos=(Photo("hospital", "开放周·急诊开放日"),)),
    ),
    pairing=PairingSpec(
        "3710030018600057", "宋村镇", 1, (H.INSURANCE, H.INCOME, H.RIGHTS), 320,
        ReviewSpec(205, PairingOutcome.OUT_OF_POVERTY, IncomeTrend.STEADY,
                   "家庭已享受医疗救助，家长在本镇合作社务工，收入稳定，已达到脱贫标准；继续跟踪医保待遇落实。"),
        visits=(
            E(F, 315, "结对走访",
              "了解家庭参加医保和大病保险的情况，帮助家长申请门诊慢特病待遇。",
              help_kinds=(H.INSURANCE, H.RIGHTS)),
            E(F, 250, "协助申请临时救助",
              "陪同家长到镇便民服务中心申请临时救助，并讲解了大病保险的报销流程。",
              help_kinds=(H.INSURANCE, H.RIGHTS)),
            E(F, 205, "回头看走访",
              "与镇里的帮扶干部一起回头看：医疗救助已落实，家长在合作社务工，收入稳定。",
              help_kinds=(H.INCOME, H.INSURANCE), follow_up=True),
            E(F, 90, "送医保政策上门",
              "上门讲解新一年度的医保缴费和待遇政策，帮助家庭完成参保缴费。",
              help_kinds=(H.INSURANCE,)),
        ),
    ),
    comments=(
        CommentSpec("wendeng", JZK_RESULT,
                    "成果数据很有说服力。请附上胸痛中心数据平台的统计截图或报表（PDF或图片），并注明统计的病例数。"),
    ),
)

# --- 曲轴精磨车间 (wd_jmcj): no 助千家 --------------------------------------------------------------------------------

JMCJ_WHEEL = "砂轮修整工艺改进"
JMCJ_RESULT = "砂轮修整周期延长，年节约成本12.5万元"
WD_JMCJ = LedgerSpec(
    "wd_jmcj",
    "精益求精、零缺陷交付：每根曲轴三检合格才出车间，客户的质量反馈24小时内答复。",
    study_reach=20,
    entries=(
        E(B, 310, "曲轴一次交检合格率达到99.5%",
          "对照国内同类曲轴精磨生产线的先进水平，从装夹、磨削、检测3个工序查找影响合格率的因素，目标是一次交检"
          "合格率由98.7%提高到99.5%。",
          stage=TARGET, against="国内同类曲轴精磨生产线先进水平（一次交检合格率99.5%）",
          focus=BenchmarkFocus.PROCESS, benefit=(ECONOMIC, "0.8", "个百分点")),
        E(B, 270, JMCJ_WHEEL,
          "对照进口数控磨床的砂轮修整规范，优化修整参数和冷却方式，目标是砂轮修整周期延长30%。",
          stage=TARGET, against="进口数控曲轴磨床的砂轮修整工艺规范", focus=BenchmarkFocus.OPERATION),
        E(B, 100, JMCJ_RESULT,
          "青年技术攻关小组优化修整参数和冷却液配比，砂轮修整周期延长35%，按全年用量测算节约砂轮成本12.5万元。",
          stage=RESULT, against="进口数控曲轴磨床的砂轮修整工艺规范", focus=BenchmarkFocus.OPERATION,
          benefit=(ECONOMIC, "12.5", "万元"), meets=JMCJ_WHEEL,
          photos=(Photo("workshop", "青年攻关小组改进砂轮修整工艺"),)),
        E(S, 305, "号长领学：大国工匠精神",
          "车间主任领学，结合车间老师傅的故事谈精益求精，青年们交流了各自的技能提升计划。",
          form=SEMINAR, topic="学习新时代工匠精神"),
        E(S, 225, "微团课：安全生产法与车间安全",
          "一名安全员主讲《安全生产法》中与岗位有关的条款，对照检查了磨床防护装置。",
          form=MICRO_LECTURE, topic="学习《中华人民共和国安全生产法》"),
        E(S, 150, "考察：风机总装车间的精益生产",
          "到临港区风机总装车间学习看板管理和快速换型，回来后在两条生产线试行看板管理。",
          form=VISIT, topic="学习精益生产的做法"),
        E(S, 55, "征文：我的“金点子”",
          "每人提一条改进建议，汇总26条，其中5条纳入车间下一步的技术攻关。",
          form=ESSAY, topic="围绕质量和成本提合理化建议"),
        E(W, 60, "开放周·车间开放日",
          "邀请职业院校师生和客户代表参观精磨生产线和检测室，展示车间的示范承诺、监督电话和青年技术能手。",
          shown=(COMMITMENT, PHONE, IDENTITY, BADGES, POSTERS), visitors=38),
    ),
    comments=(
        CommentSpec("city", JMCJ_RESULT,
                    "请注明节约成本的测算方法（砂轮单价、年用量的变化），以便收入全市对标创优成果汇编。"),
    ),
)

LEDGERS = [HC_ZWFW, HC_BDC, HC_JJY, JY_LELE, WD_JZK, WD_JMCJ]
del B, S, F, W, E, H


def ledger_of(username: str) -> LedgerSpec | None:
    return next((spec for spec in LEDGERS if spec.collective == username), None)
