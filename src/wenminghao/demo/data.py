"""The Weihai demonstration data: the unit tree, accounts, collectives, campaigns, filings and the works of the
current city campaign at each stage of the review, which ``manage.py load_demo_data`` writes through the
services (the works' files are drawn by ``demo.media``).

Everything here is data. Member ages are given in full years on the reference date of the CURRENT
campaigns (20 August of the campaign year), so each collective's intended outcome (``expect``)
holds whatever year the demo is loaded in; ``tests/demo/test_demo_data.py`` checks every one of them
against the real eligibility rules, and that docs/demo-accounts.md is this file's account list.
"""

import datetime
import random
from dataclasses import dataclass, field

from wenminghao.collectives.enums import OrgType, Sector, WorkingUnitForm
from wenminghao.core.roles import Role
from wenminghao.demo import norms as demo_norms
from wenminghao.demo import projects as demo_projects
from wenminghao.demo import stories as demo_stories
from wenminghao.demo.ledger import LEDGER_CAMPAIGN, LEDGERS, study_roster
from wenminghao.demo.media import Scene, Screen
from wenminghao.demo.notices import READ, REPLIES, SERVICE_TITLE, campaign_notice
from wenminghao.demo.texts import (
    ELDERLY_PRACTICE,
    EMERGENCY_PRACTICE,
    ENTERPRISE_THEORY,
    FRESH_FOOD_DRAFT,
    WINDOW_THEORY,
)
from wenminghao.ledger.enums import Activity, BenchmarkStage
from wenminghao.ledger.masking import mask_family_ref
from wenminghao.ledger.selectors import FOLLOW_UP_INTERVAL
from wenminghao.orgs.enums import UnitKind
from wenminghao.works.attachment1 import count_characters
from wenminghao.works.enums import Category, EssayKind

PASSWORD = "wenming2018"
OFFICE_CONTACT = "联系人：解庆林、张建刚；联系电话：5225125；电子邮箱：jcb5225125@126.com"

PRIOR = "eligibility.prior_honour"
COUNT = "eligibility.member_count"
YOUTH = "eligibility.youth_share"
LEADER = "eligibility.leader_age"
STABLE = "eligibility.stable_unit"

# The intended outcome for the current campaigns: (violation codes for the city-level campaign,
# violation codes for the province-level campaign). An empty tuple means "may file".
BOTH = ((), ())  # holds a city title (or higher): may file at city and province level
CITY_ONLY = ((), (PRIOR,))  # holds only a district title: city level yes, province level no
NO_HONOUR = ((PRIOR,), (PRIOR,))  # no title at all: neither


def fails(code: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Holds the titles for both levels but breaks one basic condition: refused at both."""
    return ((code,), (code,))


# --- the unit tree ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class UnitSpec:
    key: str  # also the admin account's username
    name: str
    kind: str
    parent: str | None
    short_name: str = ""
    admin_name: str = ""  # the admin's display name (and the unit's contact)
    honour_prefix: str = ""  # how its district-level titles are named, e.g. 2016年度环翠区青年文明号
    role: str = Role.UNIT_ADMIN


UNITS = [
    UnitSpec("province", "山东省团委", UnitKind.PROVINCE, None, "团省委", "高建国", role=Role.CITY_ADMIN),
    UnitSpec("city", "威海市团委", UnitKind.CITY, "province", "团市委", "解庆林", role=Role.CITY_ADMIN),
    # 区市团委 (areas), in the order of the notice
    UnitSpec("huancui", "环翠区团委", UnitKind.AREA, "city", "环翠区", "曲晓东", "环翠区"),
    UnitSpec("jingyuan", "鲸园街道团工委", UnitKind.AREA, "huancui", "鲸园街道", "于婷婷", "环翠区"),
    UnitSpec("wendeng", "文登区团委", UnitKind.AREA, "city", "文登区", "毕文静", "文登区"),
    UnitSpec("rongcheng", "荣成市团委", UnitKind.AREA, "city", "荣成市", "鞠海涛", "荣成市"),
    UnitSpec("rushan", "乳山市团委", UnitKind.AREA, "city", "乳山市", "宋丽娜", "乳山市"),
    UnitSpec("gaoqu", "火炬高技术产业开发区团委", UnitKind.AREA, "city", "高区", "丛鹏", "高区"),
    UnitSpec("jingqu", "经济技术开发区团委", UnitKind.AREA, "city", "经区", "姜雪", "经区"),
    UnitSpec("lingang", "临港经济技术开发区团委", UnitKind.AREA, "city", "临港区", "初振华", "临港区"),
    UnitSpec("nanhai", "南海新区团委", UnitKind.AREA, "city", "南海新区", "汤欣悦", "南海新区"),
    # 市直各有关单位团委 (municipal departments and industry systems)
    UnitSpec("gongan", "市公安局团委", UnitKind.INDUSTRY, "city", "公安", "王振宇", "市直机关"),
    UnitSpec("jiaotong", "市交通运输局团委", UnitKind.INDUSTRY, "city", "交通", "孙志刚", "市直机关"),
    UnitSpec("weijian", "市卫生健康委团委", UnitKind.INDUSTRY, "city", "卫生健康", "林慧", "市直机关"),
    UnitSpec("shuiwu", "市税务局团委", UnitKind.INDUSTRY, "city", "税务", "邹凯", "市直机关"),
    UnitSpec("gongdian", "国网威海供电公司团委", UnitKind.INDUSTRY, "city", "供电", "隋鑫", "市直机关"),
    UnitSpec("zhujian", "市住建局团委", UnitKind.INDUSTRY, "city", "住建", "谭琳", "市直机关"),
    UnitSpec("tongxin", "市通信行业团工委", UnitKind.INDUSTRY, "city", "通信", "戚航", "市直机关"),
    UnitSpec("jinrong", "市金融系统团工委", UnitKind.INDUSTRY, "city", "金融", "谷雯", "市直机关"),
]

JUDGES = [("judge1", "于海波"), ("judge2", "曲丽娟"), ("judge3", "毕振华")]
# Where each judge sits: judge3 belongs to 环翠区团委, so a round skips 环翠区's works for them (回避);
# judge2 belongs to no unit (an outside expert).
JUDGE_UNITS = {"judge1": "city", "judge2": None, "judge3": "huancui"}

# A few accounts have e-mail addresses, so the review's notifications show up as e-mail (console in demo mode).
EMAILS = {
    "city": "xieqinglin@example.cn",
    "huancui": "quxiaodong@example.cn",
    "wendeng": "biwenjing@example.cn",
    "hc_zwfw": "hc-zwfw@example.cn",
    "hc_bdc": "hc-bdc@example.cn",
    "judge1": "yuhaibo@example.cn",
}


# --- collectives -----------------------------------------------------------------------------------

# Posts by kind of workplace: the leader's post first, then the members' posts.
POSTS = {
    "window": ("窗口负责人", ["综合受理员", "审批专员", "咨询引导员", "帮办代办员", "后台审核员"]),
    "hospital": ("护士长", ["主管护师", "护师", "护士", "住院医师", "主治医师"]),
    "police": ("中队长", ["民警", "辅警", "内勤民警", "社区民警"]),
    "bus": ("车队长", ["公交驾驶员", "安全员", "调度员", "机务员"]),
    "factory": ("车间主任", ["操作工", "技术员", "质检员", "班组长", "设备维护员"]),
    "research": ("研发中心主任", ["研发工程师", "工艺工程师", "实验员", "助理工程师"]),
    "bank": ("营业部主任", ["综合柜员", "客户经理", "大堂经理", "理财经理"]),
    "social": ("队长", ["社工", "志愿者", "项目专员", "活动策划"]),
    "office": ("科长", ["一级科员", "二级科员", "业务骨干", "办事员"]),
    "tax": ("分局长", ["办税服务员", "税收管理员", "纳税辅导员"]),
    "power": ("班长", ["带电作业工", "检修工", "技术员", "安全员"]),
    "visitor": ("站长", ["讲解员", "咨询员", "救生员", "售票员"]),
    "telecom": ("营业厅经理", ["营业员", "装维工程师", "客户经理"]),
}


@dataclass(frozen=True)
class CollectiveSpec:
    username: str  # the leader's account
    unit: str  # UnitSpec.key
    name: str
    host_org: str
    sector: str
    org_type: str
    unit_form: str
    members: int  # including the leader
    honours: tuple[tuple[str, int], ...]  # (level, year)
    posts: str
    expect: tuple[tuple[str, ...], tuple[str, ...]]
    leader_age: int = 33
    older: int | None = None  # members (besides the leader) older than 35; default a fifth
    leader_post: str = ""
    notes: str = ""  # the intended outcome in words, for docs/demo-accounts.md


S, A, P, R = Sector.SERVICE, Sector.ADMINISTRATION, Sector.PRODUCTION, Sector.RESEARCH
PI, SE, NP, SO = OrgType.PUBLIC_INSTITUTION, OrgType.STATE_ENTERPRISE, OrgType.NON_PUBLIC, OrgType.SOCIAL
WINDOW, TEAM, WORKSHOP = WorkingUnitForm.WINDOW, WorkingUnitForm.TEAM, WorkingUnitForm.WORKSHOP
STATION, SECTION, OTHER = WorkingUnitForm.STATION, WorkingUnitForm.SECTION, WorkingUnitForm.OTHER
d, c, p = "district", "city", "province"

C = CollectiveSpec
COLLECTIVES = [
    # 环翠区
    C("hc_zwfw", "huancui", "环翠区政务服务中心综合窗口", "环翠区政务服务中心", S, PI, WINDOW, 14,
      ((d, 2015), (c, 2017)), "window", BOTH),  # eligible for both
    C("hc_jjy", "huancui", "生鲜加工班组", "家家悦集团股份有限公司威海环翠店", S, NP, TEAM, 10,
      ((d, 2016),), "factory", CITY_ONLY, leader_post="班组长"),  # city yes; province: no city title
    C("hc_zyz", "huancui", "环翠区青年志愿者服务队", "环翠区青年志愿者协会", S, SO, TEAM, 18,
      (), "social", NO_HONOUR, notes="无任何青年文明号称号"),  # REFUSED both: no prior honour
    C("hc_bdc", "huancui", "不动产登记受理窗口", "环翠区不动产登记中心", S, PI, WINDOW, 9,
      ((d, 2017), (c, 2019)), "window", BOTH),  # eligible for both
    # 鲸园街道 (under 环翠区: a third level)
    C("jy_bmfw", "jingyuan", "鲸园街道便民服务中心综合窗口", "环翠区鲸园街道办事处", S, PI, WINDOW, 7,
      ((d, 2017),), "window", CITY_ONLY),  # city yes; province no
    C("jy_lele", "jingyuan", "鲸园街道乐龄社会工作服务站", "威海市乐龄社会工作服务中心", S, SO, STATION, 8,
      ((d, 2018),), "social", CITY_ONLY, leader_post="站长"),  # city yes; province no
    # 文登区
    C("wd_jzk", "wendeng", "文登区人民医院急诊科", "威海市文登区人民医院", S, PI, SECTION, 20,
      ((d, 2014), (c, 2016)), "hospital", BOTH),  # eligible for both
    C("wd_szwk", "wendeng", "手足外科护理单元", "文登整骨医院", S, PI, SECTION, 16,
      ((d, 2016), (c, 2018)), "hospital", fails(LEADER), leader_age=41,
      notes="号长41周岁"),  # REFUSED both: leader aged 41 (limit 40)
    C("wd_jmcj", "wendeng", "曲轴精磨车间", "天润工业技术股份有限公司", P, NP, WORKSHOP, 26,
      ((d, 2016), (c, 2018)), "factory", BOTH),  # eligible for both (non-public)
    C("wd_sbdt", "wendeng", "社会保险服务大厅", "威海市文登区社会保险事业中心", S, PI, WINDOW, 11,
      ((d, 2019),), "window", CITY_ONLY),  # city yes; province no
    # 荣成市
    C("rc_sdbf", "rongcheng", "荣成市石岛边防派出所", "荣成边防检查站", A, PI, TEAM, 15,
      ((d, 2015), (c, 2017)), "police", BOTH, leader_post="所长"),  # eligible for both
    C("rc_hsym", "rongcheng", "海参育苗车间", "山东好当家海洋发展股份有限公司", P, NP, WORKSHOP, 22,
      ((d, 2017),), "factory", CITY_ONLY),  # city yes; province no (non-public)
    C("rc_tjd", "rongcheng", "重点项目建设青年突击队", "荣成市重点项目建设指挥部", A, PI, OTHER, 12,
      ((d, 2016), (c, 2017)), "office", fails(STABLE), leader_post="突击队长",
      notes="工作单元形式为“其他”（临时突击队）"),  # REFUSED both: not a stable working unit
    C("rc_ek", "rongcheng", "荣成市人民医院儿科", "荣成市人民医院", S, PI, SECTION, 13,
      ((d, 2016), (c, 2020)), "hospital", BOTH),  # eligible for both
    # 乳山市
    C("rs_ykzx", "rushan", "银滩游客服务中心", "乳山市银滩旅游度假区管理委员会", S, PI, WINDOW, 8,
      ((d, 2016), (c, 2018)), "visitor", BOTH),  # eligible for both
    C("rs_mawh", "rushan", "母爱文化志愿服务队", "乳山市母爱文化研究会", S, SO, TEAM, 12,
      ((d, 2017),), "social", CITY_ONLY),  # city yes; province no (social organisation)
    C("rs_kgss", "rushan", "控告申诉检察科", "乳山市人民检察院", A, PI, SECTION, 6,
      ((d, 2015),), "office", CITY_ONLY, older=0,
      notes="成员恰为6人（下限）"),  # city yes (6 members is enough); province no
    # 高区
    C("gq_wjcj", "gaoqu", "无菌制品车间", "威高集团有限公司", P, NP, WORKSHOP, 30,
      ((d, 2016), (c, 2017)), "factory", BOTH),  # eligible for both (non-public)
    C("gq_tqw", "gaoqu", "碳纤维工程技术中心", "威海光威复合材料股份有限公司", R, NP, SECTION, 17,
      ((d, 2017),), "research", CITY_ONLY),  # city yes; province no
    C("gq_qykb", "gaoqu", "企业开办窗口", "火炬高技术产业开发区行政审批服务局", S, PI, WINDOW, 5,
      ((d, 2016), (c, 2018)), "window", fails(COUNT), older=0,
      notes="仅5名成员（下限6人）"),  # REFUSED both: 5 members
    C("gq_gdyf", "gaoqu", "图像传感器研发部", "威海华菱光电股份有限公司", R, NP, SECTION, 9,
      ((d, 2021),), "research", CITY_ONLY),  # city yes; province no
    # 经区
    C("jq_sjzx", "jingqu", "服装设计研发中心", "迪尚集团有限公司", R, NP, SECTION, 19,
      ((d, 2016), (c, 2018)), "research", BOTH),  # eligible for both (non-public)
    C("jq_bdc", "jingqu", "不动产登记窗口", "经济技术开发区政务服务中心", S, PI, WINDOW, 10,
      ((d, 2017),), "window", CITY_ONLY),  # city yes; province no
    C("jq_sgz", "jingqu", "皇冠街道社会工作服务站", "威海经区向阳花社会工作服务中心", S, SO, STATION, 7,
      ((d, 2018),), "social", CITY_ONLY, leader_post="站长"),  # city yes; province no
    # 临港区
    C("lg_qkmz", "lingang", "全科门诊", "临港区草庙子镇卫生院", S, PI, SECTION, 8,
      ((d, 2016),), "hospital", CITY_ONLY, leader_post="门诊主任"),  # city yes; province no
    C("lg_zzcj", "lingang", "风机总装车间", "威海克莱特菲尔风机股份有限公司", P, NP, WORKSHOP, 24,
      ((d, 2017), (c, 2019)), "factory", BOTH),  # eligible for both (non-public)
    # 南海新区
    C("nh_bmdt", "nanhai", "南海新区便民服务大厅", "南海新区管理委员会", S, PI, WINDOW, 9,
      ((d, 2017),), "window", CITY_ONLY),  # city yes; province no
    C("nh_jsd", "nanhai", "海水浴场救生服务队", "威海南海旅游发展有限公司", S, SE, TEAM, 14,
      ((d, 2018),), "visitor", CITY_ONLY, leader_post="队长"),  # city yes; province no
    # 市公安局
    C("ga_sgzd", "gongan", "交警支队高区大队事故处理中队", "威海市公安局", A, PI, TEAM, 16,
      ((d, 2015), (c, 2016)), "police", BOTH),  # eligible for both
    C("ga_crj", "gongan", "出入境管理支队办证大厅", "威海市公安局", S, PI, WINDOW, 12,
      ((d, 2016), (c, 2018)), "window", BOTH),  # eligible for both
    C("ga_110", "gongan", "110指挥中心接警班", "威海市公安局", A, PI, TEAM, 12,
      ((d, 2015), (c, 2017)), "police", fails(YOUTH), leader_age=38, older=5, leader_post="班长",
      notes="12人中35周岁以下6人，恰为50%"),  # REFUSED both: youth share exactly 50% (must exceed)
    # 市交通运输局
    C("jt_1lu", "jiaotong", "威海公交集团1路车队", "威海市公共交通集团有限公司", S, SE, TEAM, 28,
      ((d, 2014), (c, 2016), (p, 2016)), "bus", BOTH,
      notes="已获省级称号（往届）"),  # eligible for both; a former holder at both levels
    C("jt_spck", "jiaotong", "客运站售票窗口", "威海港集团有限公司", S, SE, WINDOW, 10,
      ((d, 2017),), "window", CITY_ONLY),  # city yes; province no
    C("jt_yhz", "jiaotong", "环翠公路养护站", "威海市公路事业发展中心", P, PI, STATION, 11,
      ((d, 2016), (c, 2020)), "office", BOTH, leader_post="站长"),  # eligible for both
    # 市卫生健康委
    C("wj_xnk", "weijian", "威海市立医院心血管内科护理组", "威海市立医院", S, PI, SECTION, 30,
      ((d, 2015), (c, 2017)), "hospital", BOTH),  # eligible for both
    C("wj_jzk", "weijian", "威海市中心医院急诊科", "威海市中心医院", S, PI, SECTION, 21,
      ((c, 2016),), "hospital", BOTH, leader_post="急诊科主任",
      notes="只有市级称号（更高级别同样满足市级创建）"),  # eligible for both: a higher title satisfies
    C("wj_xsek", "weijian", "新生儿科", "威海市妇女儿童医院", S, PI, SECTION, 15,
      ((d, 2018),), "hospital", CITY_ONLY),  # city yes; province no
    # 市税务局
    C("sw_bsft", "shuiwu", "第一税务分局办税服务厅", "国家税务总局威海市环翠区税务局", S, PI, WINDOW, 13,
      ((d, 2016), (c, 2018)), "tax", BOTH),  # eligible for both
    C("sw_nsfw", "shuiwu", "纳税服务科", "国家税务总局威海火炬高技术产业开发区税务局", A, PI, SECTION, 8,
      ((d, 2019),), "tax", CITY_ONLY, leader_post="科长"),  # city yes; province no
    # 国网威海供电公司
    C("gd_khfw", "gongdian", "营销部客户服务中心", "国网威海供电公司", S, SE, WINDOW, 18,
      ((d, 2015), (c, 2017)), "power", BOTH, leader_age=40, leader_post="中心主任",
      notes="号长恰为40周岁（上限）"),  # eligible for both: a leader of exactly 40 passes
    C("gd_ddzy", "gongdian", "带电作业班", "国网威海供电公司变电检修室", P, SE, TEAM, 12,
      ((d, 2016),), "power", CITY_ONLY),  # city yes; province no
    # 市住建局
    C("zj_zjz", "zhujian", "质量安全监督一科", "威海市建设工程质量安全监督站", A, PI, SECTION, 9,
      ((d, 2017),), "office", CITY_ONLY),  # city yes; province no
    C("zj_wyfw", "zhujian", "物业青年服务队", "威海市物业管理协会", S, SO, TEAM, 10,
      ((d, 2016), (c, 2019)), "social", BOTH),  # eligible for both (social organisation)
    # 通信、金融
    C("tx_yyt", "tongxin", "环翠营业厅", "中国移动通信集团山东有限公司威海分公司", S, SE, WINDOW, 12,
      ((d, 2016), (c, 2018)), "telecom", BOTH),  # eligible for both
    C("jr_yyb", "jinrong", "青年路支行营业部", "威海市商业银行股份有限公司", S, SE, WINDOW, 10,
      ((d, 2017),), "bank", CITY_ONLY),  # city yes; province no
]
del C


# --- campaigns and filings -------------------------------------------------------------------------

@dataclass(frozen=True)
class CampaignSpec:
    key: str
    name: str
    level: str
    year: int
    filing_deadline: datetime.datetime  # naive, Asia/Shanghai
    deadline: datetime.datetime
    reference_date: datetime.date


def current_campaign_year(today: datetime.date) -> int:
    """This year while its filing is still open (until 31 July), otherwise next year."""
    return today.year if (today.month, today.day) <= (7, 31) else today.year + 1


def campaigns(today: datetime.date) -> list[CampaignSpec]:
    """The notice's two 2018 campaigns, and the same two for the current year (open)."""
    specs = []
    for key, year in (("2018", 2018), ("current", current_campaign_year(today))):
        filing_deadline = datetime.datetime(year, 7, 31, 23, 59)
        deadline = datetime.datetime(year, 8, 20, 0, 0)  # 8月20日前
        reference = datetime.date(year, 8, 20)
        specs += [
            CampaignSpec(f"{key}_province", f"{year - 1}—{year}年度省级青年文明号创建", "province", year,
                         filing_deadline, deadline, reference),
            CampaignSpec(f"{key}_city", f"{year}年度威海市青年文明号创建", "city", year,
                         filing_deadline, deadline, reference),
        ]
    return specs


@dataclass(frozen=True)
class FilingSpec:
    campaign: str  # CampaignSpec.key
    collective: str  # CollectiveSpec.username
    outcome: str  # pending, accepted, returned
    comment: str = ""
    filed_on: datetime.date | None = None  # the 2018 filings keep their 2018 dates


RETURN_STAFF = "集体成员名单与单位人事备案不一致，请核实成员及岗位后重新报备。"
RETURN_PLAN = "请补充本年度对标创优目标和青年大学习安排后重新报备。"

FILINGS = [
    # 2017—2018年度省级 (closed): kept as history with their 2018 dates
    FilingSpec("2018_province", "hc_zwfw", "accepted", filed_on=datetime.date(2018, 7, 20)),
    FilingSpec("2018_province", "wd_jzk", "accepted", filed_on=datetime.date(2018, 7, 21)),
    FilingSpec("2018_province", "jt_1lu", "accepted", filed_on=datetime.date(2018, 7, 23)),
    FilingSpec("2018_province", "ga_sgzd", "accepted", filed_on=datetime.date(2018, 7, 23)),
    FilingSpec("2018_province", "gq_wjcj", "returned", RETURN_STAFF, datetime.date(2018, 7, 24)),
    FilingSpec("2018_province", "wj_xnk", "accepted", filed_on=datetime.date(2018, 7, 25)),
    FilingSpec("2018_province", "gd_khfw", "accepted", filed_on=datetime.date(2018, 7, 26)),
    FilingSpec("2018_province", "rc_sdbf", "accepted", filed_on=datetime.date(2018, 7, 27)),
    # 2018年度威海市 (closed)
    FilingSpec("2018_city", "wd_jmcj", "accepted", filed_on=datetime.date(2018, 7, 20)),
    FilingSpec("2018_city", "ga_crj", "accepted", filed_on=datetime.date(2018, 7, 20)),
    FilingSpec("2018_city", "rs_ykzx", "accepted", filed_on=datetime.date(2018, 7, 21)),
    FilingSpec("2018_city", "jq_sjzx", "accepted", filed_on=datetime.date(2018, 7, 22)),
    FilingSpec("2018_city", "sw_bsft", "accepted", filed_on=datetime.date(2018, 7, 23)),
    FilingSpec("2018_city", "tx_yyt", "accepted", filed_on=datetime.date(2018, 7, 24)),
    FilingSpec("2018_city", "rc_hsym", "accepted", filed_on=datetime.date(2018, 7, 24)),
    FilingSpec("2018_city", "rs_mawh", "accepted", filed_on=datetime.date(2018, 7, 25)),
    FilingSpec("2018_city", "zj_wyfw", "accepted", filed_on=datetime.date(2018, 7, 26)),
    FilingSpec("2018_city", "jt_spck", "returned", RETURN_PLAN, datetime.date(2018, 7, 27)),
    FilingSpec("2018_city", "hc_jjy", "accepted", filed_on=datetime.date(2018, 7, 28)),
    FilingSpec("2018_city", "gd_ddzy", "accepted", filed_on=datetime.date(2018, 7, 30)),
    # the current campaigns (open): filed through the filing service today
    FilingSpec("current_province", "hc_zwfw", "pending"),
    FilingSpec("current_province", "wj_xnk", "accepted"),
    FilingSpec("current_province", "jt_1lu", "accepted"),
    FilingSpec("current_province", "gd_khfw", "pending"),
    FilingSpec("current_province", "wj_jzk", "pending"),
    FilingSpec("current_city", "jy_bmfw", "pending"),
    FilingSpec("current_city", "gq_tqw", "accepted"),
    FilingSpec("current_city", "jq_bdc", "pending"),
    FilingSpec("current_city", "nh_bmdt", "returned", RETURN_PLAN),
    FilingSpec("current_city", "wj_xsek", "pending"),
    FilingSpec("current_city", "jr_yyb", "accepted"),
    FilingSpec("current_city", "rs_kgss", "pending"),
    # the collectives whose works the demo holds (WORKS below)
    FilingSpec("current_city", "hc_zwfw", "accepted"),
    FilingSpec("current_city", "hc_bdc", "accepted"),
    FilingSpec("current_city", "hc_jjy", "accepted"),
    FilingSpec("current_city", "jy_lele", "accepted"),
    FilingSpec("current_city", "wd_jzk", "accepted"),
    FilingSpec("current_city", "wd_jmcj", "accepted"),
    FilingSpec("current_city", "wd_sbdt", "accepted"),
    FilingSpec("current_city", "rc_sdbf", "accepted"),
    FilingSpec("current_city", "rc_hsym", "accepted"),
]


# --- works (成果作品) of the current city campaign ----------------------------------------------------------

WORK_CAMPAIGN = "current_city"
DRAFT, SUBMITTED, RETURNED, RECOMMENDED = "draft", "submitted", "returned", "recommended"
# Units whose admin has downloaded the summary table of their recommended works and uploaded it, stamped.
REPORTING_UNITS = ("wendeng",)


@dataclass(frozen=True)
class WorkSpec:
    """A work the collective's leader creates, fills in and (unless a draft) submits through the services; the
    unit's admin then returns it (``comment``) or recommends it. The display form follows from the content."""

    collective: str  # CollectiveSpec.username
    category: str  # a works Category value
    title: str
    status: str  # DRAFT, SUBMITTED, RETURNED or RECOMMENDED
    description: str = ""
    scenes: tuple[Scene, ...] = ()  # a photo work's pictures
    video: tuple[str, ...] = ()  # a video's captions, shown in turn
    url: str = ""  # an H5 work's address
    screens: tuple[Screen, ...] = ()  # an H5 work's screenshots
    essay_kind: str = ""
    essay: str = ""
    comment: str = ""  # the unit's return comment

    @property
    def display_form(self) -> str:
        if self.category == Category.PHOTO:
            return "picture"
        if self.category == Category.ESSAY:
            return "essay"
        return "video" if self.video else "h5"


SOCIAL_SECURITY_BLUE = (24, 96, 170)
PHOTO, PUBLICITY, ESSAY = Category.PHOTO, Category.PUBLICITY, Category.ESSAY
W = WorkSpec
WORKS = [
    # 环翠区 (and 鲸园街道 below it): waiting for huancui's review
    W("hc_zwfw", PHOTO, "窗口里的四十年", SUBMITTED,
      "从手写票据、排长队，到电脑联网、一窗受理，再到掌上办、最多跑一次。我们选取五个年份的窗口画面，记录环翠区政务服务四十年"
      "的变化，也记录一代代窗口青年“让群众少跑腿”的不变初心。",
      scenes=(Scene(1978, "window", "手工填单，一件事要跑好几趟"), Scene(1988, "skyline", "老城区的平房和小街"),
              Scene(1998, "window", "电脑进了窗口，排队短了一半"), Scene(2008, "bus", "公交通到了政务大厅门口"),
              Scene(2018, "window", "一窗受理，最多跑一次"))),
    W("hc_bdc", PHOTO, "一本证书的四十年", SUBMITTED,
      "四十年前，房产凭一纸契约；后来，新楼拔地而起，登记量年年攀升；如今，不动产登记“一窗受理”，最快当天领证。四张图片讲述"
      "登记窗口见证的城市变迁，也讲述青年登记员对“方便群众”的理解。",
      scenes=(Scene(1984, "skyline", "老城平房，房产凭一纸契约"),
              Scene(2003, "skyline", "新楼拔地而起，登记量逐年攀升"),
              Scene(2012, "harbour", "港城扩容，海边住上了新楼"),
              Scene(2019, "window", "不动产登记一窗受理，当天领证"))),
    W("hc_zwfw", PUBLICITY, "三十秒读懂一窗受理", SUBMITTED,
      "用一辆公交车的行程，讲清“一窗受理、集成服务”给群众带来的变化：过去办一件事跑好几个窗口，现在一个窗口就能办好。",
      video=("过去：办一件事跑好几个窗口", "现在：一窗受理、集成服务", "青年文明号：让群众少跑腿")),
    W("hc_bdc", PUBLICITY, "不动产登记指尖办", SUBMITTED,
      "扫码即可预约登记时段、查看材料清单、查询办理进度。作品介绍不动产登记受理窗口推行“掌上办”的做法和青年登记员的服务承诺。",
      url="https://h5.example.com/huancui/budongchan/",
      screens=(Screen("扫码预约，一次办结",
                      ("手机上预约办理时段，到窗口不用排队。", "材料清单一目了然，缺什么提前知道。"),
                      "立即预约", Scene(2019, "window", "不动产登记一窗受理")),
               Screen("三步办好登记", ("网上预约：选择事项和时段", "窗口受理：一次提交全部材料",
                                     "当天领证：邮寄到家也可以"), "查询办理进度"))),
    W("jy_lele", ESSAY, "“乐龄+青年”：让社区养老服务有温度", SUBMITTED, essay_kind=EssayKind.PRACTICE,
      essay=ELDERLY_PRACTICE),
    W("hc_zwfw", ESSAY, "以标准化建设推动窗口青年文明号提质增效", SUBMITTED, essay_kind=EssayKind.THEORY,
      essay=WINDOW_THEORY),
    W("hc_jjy", ESSAY, "生鲜班组的“放心菜”标准", DRAFT, essay_kind=EssayKind.PRACTICE, essay=FRESH_FOOD_DRAFT),
    W("hc_jjy", PHOTO, "菜篮子里的四十年", RETURNED,
      "从露天菜摊到超市生鲜区，从“有什么买什么”到“想吃什么有什么”。生鲜加工班组用四张图片记录威海人菜篮子的变化。",
      scenes=(Scene(1984, "market", "露天菜摊，凭票买菜"), Scene(1996, "market", "农贸市场里的菜摊"),
              Scene(2009, "market", "超市开起了生鲜区"), Scene(2018, "market", "生鲜加工区，净菜上架")),
      comment="第2张和第3张图片画面相近，作品说明也没有写出班组在其中做了什么。请换一张班组工作现场的照片，并在说明中补充"
              "“放心菜”标准的具体做法后重新提交。"),
    # 文登区: recommended, and the stamped summary table uploaded
    W("wd_jzk", PHOTO, "急诊室的灯光", RECOMMENDED,
      "文登区人民医院急诊科从一间诊室、几张病床，发展到今天的胸痛、卒中、创伤救治中心。五张图片记录急诊四十年的变迁，也记录"
      "一代代青年医护守护生命的坚持。",
      scenes=(Scene(1983, "hospital", "县医院的急诊室只有一间诊室"), Scene(1993, "bus", "病人坐公交车来看急诊"),
              Scene(2006, "hospital", "急诊楼落成，救护车开进院"), Scene(2015, "skyline", "城区扩大，急救半径缩短"),
              Scene(2018, "hospital", "胸痛、卒中、创伤三大中心"))),
    W("wd_jmcj", PHOTO, "曲轴车间四十年", RECOMMENDED,
      "从烟囱林立的老厂房，到屋顶铺满光伏板的智能车间；从手摇砂轮到数控磨床。曲轴精磨车间的青年用五张图片讲述一个车间的四十年，"
      "也讲述“精益求精”的工匠精神。",
      scenes=(Scene(1980, "workshop", "老厂房里的手摇砂轮"), Scene(1991, "harbour", "产品装船，第一次出口"),
              Scene(2004, "workshop", "新厂房，数控磨床上线"), Scene(2012, "bus", "青年工人坐班车上班"),
              Scene(2018, "workshop", "光伏屋顶下的智能车间"))),
    W("wd_sbdt", PUBLICITY, "社保服务，一次办好", RECOMMENDED,
      "社会保险服务大厅的青年把参保登记、待遇领取、转移接续等高频事项做成H5指南，群众在手机上就能看懂流程、备齐材料。",
      url="https://h5.example.com/wendeng/shebao/",
      screens=(Screen("社保业务，掌上可查", ("参保登记、缴费查询，手机上就能办。", "待遇领取资格认证，刷脸即可完成。"),
                      "开始办理", Scene(2018, "skyline", "文登城区"), colour=SOCIAL_SECURITY_BLUE),
               Screen("一次办好的三个承诺", ("材料一次告知，不让群众跑第二趟", "窗口限时办结，当场答复",
                                       "特殊群体上门服务，预约即到"), "联系我们", colour=SOCIAL_SECURITY_BLUE))),
    W("wd_jzk", ESSAY, "急诊“绿色通道”上的青春担当", RECOMMENDED, essay_kind=EssayKind.PRACTICE,
      essay=EMERGENCY_PRACTICE),
    # 荣成市: recommended, not yet reported
    W("rc_sdbf", PHOTO, "石岛港边的守护", RECOMMENDED,
      "石岛边防派出所守护着八十多公里海岸线。从木帆船到集装箱码头，从老营房到现代化警务站，四张图片记录石岛港四十年的变迁，"
      "也记录青年民警“海上有警、岸上有家”的守护。",
      scenes=(Scene(1986, "harbour", "木帆船进出石岛港"), Scene(1994, "station", "海边的老营房"),
              Scene(2010, "sea_farm", "海上养殖区连成一片"), Scene(2018, "station", "现代化警务站和巡逻艇"))),
    W("rc_hsym", ESSAY, "青年文明号品牌在非公企业中的价值与路径", RECOMMENDED, essay_kind=EssayKind.THEORY,
      essay=ENTERPRISE_THEORY),
]
del W


# --- generated details: names, ages, mobiles --------------------------------------------------------

SURNAMES = "王张李刘孙于丛曲毕鞠邹姜宋谭林戚汤隋初谷董杨赵陈周徐高梁郭马韩郑冯田"
GIVEN_NAMES = (
    "晓东 海燕 文静 志刚 丽娜 建华 振宇 雪梅 鹏飞 婷婷 晨阳 佳琪 浩然 欣怡 子涵 一鸣 思远 梦瑶 俊杰 雨桐 "
    "明轩 诗琪 宏伟 春雷 立新 海涛 晓丽 国强 玉洁 瑞雪 家豪 嘉怡 天宇 若曦 博文 静怡 少华 红霞 永强 慧敏 "
    "凯 磊 静 敏 超 洋 鑫 琳 帆 璐 楠 涛 颖 倩 杰 斌 娜 鹏 晨 悦"
)
GIVEN = tuple(GIVEN_NAMES.split())


@dataclass
class MemberRow:
    name: str
    birth_date: datetime.date
    post: str
    is_leader: bool = False


@dataclass
class CollectiveData:
    spec: CollectiveSpec
    members: list[MemberRow] = field(default_factory=list)

    @property
    def leader(self) -> MemberRow:
        return next(member for member in self.members if member.is_leader)


def born(age: int, reference: datetime.date, days_before: int) -> datetime.date:
    """A birth date giving exactly ``age`` full years on ``reference`` (1 ≤ days_before ≤ 300)."""
    birthday = datetime.date(reference.year - age, reference.month, reference.day)
    return birthday - datetime.timedelta(days=days_before)


def _names(rng: random.Random, count: int) -> list[str]:
    names: list[str] = []
    while len(names) < count:
        name = rng.choice(SURNAMES) + rng.choice(GIVEN)
        if name not in names:
            names.append(name)
    return names


def collective_data(spec: CollectiveSpec, reference: datetime.date) -> CollectiveData:
    """Members of a collective: the leader at ``leader_age``, ``older`` members aged 37–52, the rest
    aged 23–34 (so nobody sits on the 35-year boundary by accident). Same names every run."""
    rng = random.Random(spec.username)
    others = spec.members - 1
    older = spec.older if spec.older is not None else others // 5
    leader_post, posts = POSTS[spec.posts]
    names = _names(rng, spec.members)
    data = CollectiveData(spec)
    data.members.append(
        MemberRow(names[0], born(spec.leader_age, reference, rng.randint(1, 300)), spec.leader_post or leader_post,
                  is_leader=True)
    )
    for index in range(others):
        age = rng.randint(37, 52) if index < older else rng.randint(23, 34)
        data.members.append(MemberRow(names[index + 1], born(age, reference, rng.randint(1, 300)), rng.choice(posts)))
    return data


def honour_title(level: str, year: int, unit: UnitSpec) -> str:
    if level == "district":
        return f"{year}年度{unit.honour_prefix}青年文明号"
    if level == "city":
        return f"{year}年度威海市青年文明号"
    if level == "province":
        return f"{year - 1}—{year}年度山东省青年文明号"
    return f"{year - 1}—{year}年度全国青年文明号"


def admin_mobile(index: int) -> str:
    return f"1380631{index:04d}"


def leader_mobile(index: int) -> str:
    return f"1390631{index:04d}"


def unit_by_key() -> dict[str, UnitSpec]:
    return {unit.key: unit for unit in UNITS}


# --- the account list (docs/demo-accounts.md) --------------------------------------------------------

def _outcome(codes: tuple[str, ...], prior: str) -> str:
    reasons = {
        PRIOR: prior,
        COUNT: "成员不足6人",
        YOUTH: "青年占比未超过50%",
        LEADER: "号长超过40周岁",
        STABLE: "非稳定工作单元",
    }
    return "可报备" if not codes else "不可（" + "、".join(reasons[code] for code in codes) + "）"


def expected_eligibility(spec: CollectiveSpec) -> str:
    city, province = spec.expect
    text = f"市级：{_outcome(city, '无区市级称号')}；省级：{_outcome(province, '无市级称号')}"
    return f"{text}。{spec.notes}" if spec.notes else text


FILING_OUTCOMES = {"pending": "待审核", "accepted": "已接受", "returned": "已退回"}
CAMPAIGN_LABELS = {
    "2018_province": "2018省级",
    "2018_city": "2018市级",
    "current_province": "当年度省级",
    "current_city": "当年度市级",
}


def _filings_of(username: str) -> str:
    items = [f"{CAMPAIGN_LABELS[f.campaign]}{FILING_OUTCOMES[f.outcome]}" for f in FILINGS if f.collective == username]
    return "；".join(items) or "—"


def accounts_markdown() -> str:
    """The full demo account list, as committed in docs/demo-accounts.md."""
    units = unit_by_key()
    lines = [
        "# 演示账号",
        "",
        "由 `python manage.py load_demo_data`（`make run` 会自动执行）写入。所有账号的密码都是 "
        f"`{PASSWORD}`；也可以用表中的手机号代替账号登录。",
        "",
        "创建活动（主办：威海市团委）：通知中的两项 2018 年创建活动“2017—2018年度省级青年文明号创建”"
        "“2018年度威海市青年文明号创建”（已截止，含已接受和已退回的报备），以及按当前日期生成的当年度两项"
        "（进行中：报备截止 7月31日 23:59，成果报送截止 8月20日 00:00；若当年 7月31日已过，则为下一年度）。",
        "",
        "“预期资格”指当年度两项创建活动的资格检查结果：市级创建须曾获区市级（或更高）称号，省级创建须曾获"
        "市级（或更高）称号；成员 6—200 人，35 周岁以下成员占比须超过 50%，号长 40 周岁以下，须为相对稳定的"
        "工作单元。每一种不符合的情形都有一个集体作为示例。",
        "",
        "## 管理员和评委",
        "",
        "| 账号 | 手机号 | 角色 | 单位 | 姓名 |",
        "|---|---|---|---|---|",
    ]
    for index, unit in enumerate(UNITS, start=1):
        lines.append(
            f"| `{unit.key}` | {admin_mobile(index)} | {Role(unit.role).label} | {unit.name} | {unit.admin_name} |"
        )
    for index, (username, name) in enumerate(JUDGES, start=len(UNITS) + 1):
        unit_key = JUDGE_UNITS[username]
        unit_name = units[unit_key].name if unit_key else "—（不属于任何单位，外聘专家）"
        lines.append(f"| `{username}` | {admin_mobile(index)} | {Role.JUDGE.label} | {unit_name} | {name} |")
    emails = "、".join(f"`{username}`（{address}）" for username, address in EMAILS.items())
    lines += [
        "",
        "`province` 是山东省团委的办公室管理员（角色与团市委管理员相同），能看到全省（演示中即威海市）的全部数据；"
        "`city` 是威海市团委的管理员，主办四项创建活动。归口单位管理员只能看到本单位及下级单位的集体。"
        "评委 `judge3` 属于环翠区团委，评审时不会分到环翠区（含鲸园街道）集体的作品（回避）。",
        "",
        f"设置了邮箱的账号（演示模式下通知邮件由任务进程打印到 `var/worker.log`）：{emails}。",
        "",
        "## 集体号长",
        "",
        "| 账号 | 手机号 | 集体 | 归口单位 | 单位性质 | 预期资格 | 演示中的报备 |",
        "|---|---|---|---|---|---|---|",
    ]
    for index, spec in enumerate(COLLECTIVES, start=1):
        lines.append(
            f"| `{spec.username}` | {leader_mobile(index)} | {spec.name}（{spec.host_org}） | "
            f"{units[spec.unit].name} | {OrgType(spec.org_type).label} | {expected_eligibility(spec)} | "
            f"{_filings_of(spec.username)} |"
        )
    lines += works_markdown()
    lines += ledger_markdown()
    lines += notices_markdown()
    lines += norms_stories_projects_markdown()
    return "\n".join(lines) + "\n"


def reporting_unit(unit_key: str) -> UnitSpec:
    """The unit that reports a collective's works to the city office: the one directly under 威海市团委."""
    units = unit_by_key()
    unit = units[unit_key]
    while unit.parent != "city":
        unit = units[unit.parent]
    return unit


def _work_content(spec: WorkSpec) -> str:
    if spec.scenes:
        return f"{len(spec.scenes)}张图片"
    if spec.video:
        return "短视频（MP4，6秒）"
    if spec.url:
        return f"H5链接和{len(spec.screens)}张截图"
    kind = "实践案例" if spec.essay_kind == EssayKind.PRACTICE else "理论阐述"
    return f"{kind}，{count_characters(spec.essay)}字"


def _work_status(spec: WorkSpec) -> str:
    unit = reporting_unit(collective_by_username()[spec.collective].unit)
    if spec.status == DRAFT:
        return "草稿（号长尚未提交）"
    if spec.status == SUBMITTED:
        return f"已提交，待`{unit.key}`审核"
    if spec.status == RETURNED:
        return f"已退回（`{unit.key}`的意见：{spec.comment}）"
    reported = "已上传盖章汇总表" if unit.key in REPORTING_UNITS else "尚未报送盖章汇总表"
    return f"已推荐（`{unit.key}`，{reported}）"


def collective_by_username() -> dict[str, CollectiveSpec]:
    return {spec.username: spec for spec in COLLECTIVES}


def works_markdown() -> list[str]:
    """The demo works and the review walk-through of docs/demo-accounts.md."""
    collectives = collective_by_username()
    units = unit_by_key()
    huancui = [spec for spec in WORKS if reporting_unit(collectives[spec.collective].unit).key == "huancui"]
    waiting = sum(1 for spec in huancui if spec.status == SUBMITTED)
    photos = sum(1 for spec in WORKS if spec.category == PHOTO and
                 (spec.status == RECOMMENDED or (spec in huancui and spec.status == SUBMITTED)))
    lines = [
        "",
        "## 演示作品",
        "",
        f"当年度市级创建活动（例如“2027年度威海市青年文明号创建”）中有 {len(WORKS)} 件作品，都由号长账号在平台上创建、"
        "上传文件、填写正文并提交，每个文件都按附件1检查（图片为 JPEG、不低于 1600×1200 像素，每组 4—9 张；视频不超过"
        " 30 秒；作品说明不超过 200 字；征文按 Word 的字数统计）。图片是生成的示意画面（1995 年以前的画面做成了老照片"
        "的色调）。缩略图由后台任务生成，`make run` 会同时启动任务进程。",
        "",
        "| 作品 | 类别 | 内容 | 创作集体（号长账号） | 归口单位 | 状态 |",
        "|---|---|---|---|---|---|",
    ]
    for spec in WORKS:
        collective = collectives[spec.collective]
        lines.append(
            f"| {spec.title} | {Category(spec.category).label} | {_work_content(spec)} | "
            f"{collective.name}（`{spec.collective}`） | {units[collective.unit].name} | {_work_status(spec)} |"
        )
    lines += [
        "",
        "还没有作品入围、评为优秀展示或推报团省委：这些由团市委在下面的演示中完成。",
        "",
        "## 评审演示：从单位推荐到推报团省委",
        "",
        "以下步骤走完一轮完整的评审。页面都可以从“创建活动”→ 当年度市级创建活动的详情页进入；地址中的 `<id>` 是该活动"
        "的编号（新建的数据目录中为 4）。",
        "",
        "**环翠区团委推荐并报送**（登录 `huancui`）",
        "",
        "1. 打开 **作品审核队列**（`/reviews/campaigns/<id>/queue/`）："
        f"{waiting} 件已提交的作品（另有 1 件已退回、等集体修改后重新提交），可按类别、集体、状态筛选和搜索，"
        "逐件查看图片、视频、H5 截图和征文正文。",
        "2. 对作品点 **推荐**（或填写意见后 **退回**：集体会在通知中看到意见）。",
        "3. 在已推荐的作品中 **调整顺序**：每个类别内的推荐次序，也是汇总表中的排列次序。",
        "4. 打开 **推荐成果报送**（`/reviews/campaigns/<id>/report/`），**下载汇总表**（Word、Excel 或 PDF），"
        "打印后加盖公章。",
        "5. **上传盖章扫描件**（PDF 或 JPEG，不超过 20 MB）。上传后本单位的报送即告完成，"
        "已列入汇总表的作品不能再撤销推荐。"
        "团市委在 **单位报送情况**（`/reviews/campaigns/<id>/reports/`）能看到哪些单位已报送（文登区团委在演示数据中"
        "已报送）、哪些未报送（如荣成市团委）、哪些逾期。",
        "",
        "**威海市团委集中评议**（登录 `city`）",
        "",
        "6. 在活动详情页点 **集中评议**（`/reviews/campaigns/<id>/rounds/`）→ **新建轮次**："
        f"选择类别（例如“改革开放青观察”图片作品：环翠区推荐后共 {photos} 件），勾选 **匿名评审**。",
        "7. 设置 **评分标准**：默认为主题契合、原创性、表现力、示范推广价值，可调整权重和满分。",
        "8. 选择 **评委** `judge1`、`judge2`、`judge3`。",
        "9. **分配** 作品：每件作品分给每位评委；`judge3` 属于环翠区团委，环翠区集体的作品自动跳过（回避），页面列出"
        "跳过的作品和评委。",
        "10. 分别登录 `judge1`、`judge2`、`judge3`，在 **我的评审**（`/reviews/judging/`）逐件打分、填写评语；"
        "匿名轮次中评委看不到创作集体和归口单位的名称，本轮结束前可以修改自己的评分。",
        "11. 回到 `city`，打开本轮的 **结果**：每件作品的平均分、去掉最高分和最低分后的平均分，以及排名。",
        "12. 对优秀的作品点 **优秀展示**，再对其中最好的点 **推报团省委**。每个决定都记入审计日志，并通知创作集体和归口"
        "单位（平台内的通知；设置了邮箱的账号还会收到邮件）。",
        "13. 在活动详情页点 **推报团省委**，下载 **推报团省委材料包**：团市委推报作品的汇总表，以及这些作品全部文件的"
        " zip。",
    ]
    return lines


# --- the demo ledger and its walk-through (docs/demo-accounts.md) ------------------------------------------------

def ledger_filers() -> list[str]:
    """The collectives creating in the ledger's campaign (their filing pending or accepted), in the demo's order."""
    filed = {f.collective for f in FILINGS if f.campaign == LEDGER_CAMPAIGN and f.outcome in ("pending", "accepted")}
    return [spec.username for spec in COLLECTIVES if spec.username in filed]


def _ledger_row(ledger) -> str:
    spec = collective_by_username()[ledger.collective]
    entries = ledger.all_entries()

    def of(activity):
        return [entry for entry in entries if entry.activity == activity]

    benchmarks = of(Activity.BENCHMARK)
    targets = sum(1 for entry in benchmarks if entry.stage == BenchmarkStage.TARGET)
    benchmark = f"目标{targets}、成果{len(benchmarks) - targets}" if benchmarks else "—"
    roster = study_roster(ledger, spec.members) if ledger.studies() else []
    reached = len({member for _, attendees in roster for member in attendees})
    leaders = len({led_by for led_by, _ in roster})
    share = round(100 * reached / spec.members)
    study = f"{len(roster)}次，{leaders}人领学，覆盖{reached}/{spec.members}人（{share}%）" if roster else "—"
    pairing = ledger.pairing
    families = "—"
    if pairing:
        due = "（已过半年，待再次回头看）" if pairing.review.days_ago > FOLLOW_UP_INTERVAL.days else ""
        families = (f"结对1户（{mask_family_ref(pairing.family_ref)}，{pairing.area}），走访{len(pairing.visits)}次，"
                    f"回头看1次{due}")
    open_weeks = of(Activity.OPEN_WEEK)
    open_week = f"{len(open_weeks)}次" if open_weeks else "—"
    photos = sum(len(entry.photos) for entry in entries)
    comments = "；".join(f"`{c.author}`{'（已处理）' if c.resolved else '（待处理）'}：《{c.entry}》"
                        for c in ledger.comments) or "—"
    return (f"| {spec.name}（`{spec.username}`） | {unit_by_key()[spec.unit].name} | {benchmark} | {study} | "
            f"{families} | {open_week} | {photos or '—'} | {comments} |")


def ledger_markdown() -> list[str]:
    """The demo ledger and the 查阅台账 walk-through of docs/demo-accounts.md."""
    collectives = collective_by_username()
    with_ledger = {ledger.collective for ledger in LEDGERS}
    without = [collectives[name] for name in ledger_filers() if name not in with_ledger]
    entries = sum(len(ledger.all_entries()) for ledger in LEDGERS)
    lines = [
        "",
        "## 演示台账",
        "",
        f"当年度市级创建活动的台账中有 {entries} 条记录，都由号长账号在平台上逐条记录（照片经同一上传检查，"
        "缩略图由后台任务生成），每条都经过台账的规则检查并记入审计日志。记录的日期按载入演示数据的当天往前推算，"
        "分布在此前约11个月里，不会晚于当天。青年大学习由号长第一次领学、此后成员轮流领学。",
        "",
        "| 集体（号长账号） | 归口单位 | 对标创优 | 青年大学习 | 助千家 | 开放周 | 照片 | 评阅意见 |",
        "|---|---|---|---|---|---|---|---|",
        *(_ledger_row(ledger) for ledger in LEDGERS),
        "",
        "当年度市级创建中已报备（待审核或已接受）的其他集体还没有台账记录："
        + "、".join(f"{spec.name}（`{spec.username}`）" for spec in without) + "。",
        "",
        "两户结对家庭都是虚构的，建档立卡编号不对应任何真实家庭；列表、导出、通知和审计日志中只显示编号的后4位，"
        "完整编号只在结对家庭自己的页面上显示，每次查看都记入审计日志。台账中没有任何孩子的姓名。",
        "",
        "## 台账演示：记录、查阅和评阅",
        "",
        "地址中的 `<集体编号>` 在新建的数据目录中，`hc_zwfw`（环翠区政务服务中心综合窗口）为 1。",
        "",
        "**号长记录台账**（登录 `hc_zwfw`）",
        "",
        "1. **工作台** 的“台账”卡片列出待办：环翠区团委的 1 条评阅意见待处理（另 1 条已处理：号长按意见补充了"
        "测算口径），青年大学习的参学覆盖率。",
        "2. 点导航栏的 **台账**（`/ledger/collectives/<集体编号>/`）：按活动和日期筛选记录；对标创优的成果注明对应的"
        "目标和效益（如“办事时间缩短40分钟”）；青年大学习显示学习次数、领学人数和参学覆盖率；开放周记录带有照片。",
        "3. 打开 **结对家庭**（`/ledger/collectives/<集体编号>/pairings/`）：列表中编号只显示后4位；"
        "打开结对家庭页面可看到完整编号、4次走访和回头看。",
        "4. 自己试一试：每项活动各记一条；记一次由成员领学、勾选5名参学成员的青年大学习（手机上也可以勾选）；"
        "登记一户结对家庭（须勾选“已取得监护人书面同意并存档”），记两次走访和一次回头看。",
        "",
        "**归口单位查阅台账**（登录 `huancui`）",
        "",
        "5. 点导航栏的 **查阅台账**（`/ledger/`）：环翠区（含鲸园街道）各集体的台账记录，最新的在前；可按单位、集体、"
        "活动和日期筛选，或只看有未处理意见的。打开一个集体的台账就能看出缺项：`hc_jjy` 没有助千家和开放周，"
        "`jy_lele` 只有一次学习，`jy_bmfw` 还没有任何记录。",
        "6. 打开一条记录，填写 **评阅意见**：集体在通知和工作台中看到意见，处理后标记为已处理。",
        "7. 下载集体台账（Word 或 PDF，照片为缩略图）和本单位各集体的台账汇总（Excel），其中的建档立卡编号都已遮蔽。",
        "",
        "**看不到的人**（登录 `wendeng` 或 `judge1`）",
        "",
        "8. 打开 `hc_zwfw` 的台账、记录、附件或结对家庭的地址，都得到 404（页面不存在）：`wendeng` 只能看到文登区的"
        "台账（其中 `wd_jzk` 的结对家庭上次回头看已超过半年，其工作台提示需要再次回头看），评委看不到任何台账。",
        "",
        "**团市委**（登录 `city`）",
        "",
        "9. **查阅台账** 列出全市各单位的集体，可按单位筛选；`city` 对 `wd_jmcj` 的一条对标创优成果留了评阅意见。",
    ]
    return lines


def notices_markdown() -> list[str]:
    """What the demo accounts find under 通知公告 (wenminghao.demo.notices), for docs/demo-accounts.md."""
    huancui = sorted(spec.username for spec in COLLECTIVES if reporting_unit(spec.unit).key == "huancui")
    service = [spec for spec in COLLECTIVES if spec.sector == Sector.SERVICE]
    replied = [reply.collective for reply in REPLIES]
    service_read = len(READ["service"]) + len(replied)
    forward_read = list(READ["forward"])
    forward_unread = [name for name in huancui if name not in forward_read]
    with_file = [reply.collective for reply in REPLIES if reply.file_name]

    def accounts(names) -> str:
        return "、".join(f"`{name}`" for name in names)

    title, _ = campaign_notice()
    return [
        "",
        "## 演示通知",
        "",
        f"**`city`**（威海市团委）在 **通知公告** 中发布了《{title}》（即2018年通知原文，截止日期为当年度成果报送截止的"
        f"8月20日，不要求回复），发给全市 {len(COLLECTIVES)} 个集体：已读 {len(READ['campaign'])} 个、未读 "
        f"{len(COLLECTIVES) - len(READ['campaign'])} 个，“阅读情况”按单位列出谁已读、谁未读，可以提醒未读的集体。"
        f"`city` 还向服务行业和窗口单位的 {len(service)} 个集体发布了《{SERVICE_TITLE}》（要求回复）：已读 "
        f"{service_read} 个，其中 {accounts(replied)} 已回复（{accounts(with_file)} 附Word活动方案）。",
        "",
        "**`huancui`**（环翠区团委）把这份通知连同本区的执行规范（报备时限、四项主题活动台账、成果报送、联系人）转发给"
        f"环翠区（含鲸园街道）的 {len(huancui)} 个集体：{accounts(forward_read)} 已读，"
        f"{accounts(forward_unread)} 未读；"
        "原通知保持不变，显示在转发内容下方。还没有提醒过未读的集体，可以自己试一试（同一通知每小时最多提醒一次）。",
        "",
        "**`hc_zwfw`**（环翠区政务服务中心综合窗口）已读市里的通知、已回复开放周通知，环翠区转发的通知还未读："
        "登录后工作台最上面就是这条未读通知，打开后点“确认已读”。",
    ]


def norms_stories_projects_markdown() -> list[str]:
    """What the demo accounts find under 执行规范, 好做法 and 联创项目 (wenminghao.demo.norms, .stories, .projects), for
    docs/demo-accounts.md."""
    collectives = collective_by_username()
    units = unit_by_key()
    city_norms = [version for version in demo_norms.VERSIONS if version.username == "city"]
    huancui_norms = [version for version in demo_norms.VERSIONS if version.username == "huancui"]
    promoted = [spec for spec in demo_stories.STORIES if spec.promoted]
    waiting = [spec for spec in demo_stories.STORIES if not spec.promoted]
    lead, partner = collectives[demo_projects.LEAD], collectives[demo_projects.PARTNER]

    def story(spec) -> str:
        return f"`{spec.leader}`（{collectives[spec.leader].name}）的《{spec.title}》"

    return [
        "",
        "## 演示执行规范、好做法与联创项目",
        "",
        f"**执行规范**（通知公告 → 执行规范）：`city` 发布了《{city_norms[0].title}》（附自查清单Word），"
        f"`huancui` 发布了《{huancui_norms[0].title}》和修订后的《{huancui_norms[-1].title}》"
        f"（第{len(huancui_norms)}版，旧版标为已废止）。环翠区（含鲸园街道）的集体账号在“执行规范”页看到本区和全市的"
        "现行规范；`city` 在“各单位执行规范”中看到每个单位是否已发布，其他单位尚未发布。",
        "",
        "**好做法与典型事迹**（好做法）：" + "；".join(story(spec) for spec in promoted)
        + "已由环翠区报送团市委并经 `city` 推广，显示在公开的优秀展示页（/showcase/）；"
        + "；".join(story(spec) for spec in waiting) + "已报送环翠区团委，等待 `huancui` 报送团市委或退回。",
        "",
        f"**联创项目**：{units[lead.unit].name}的 `{lead.username}`（{lead.name}）牵头、{units[partner.unit].name}的 "
        f"`{partner.username}`（{partner.name}）参与的区域联创《{demo_projects.TITLE}》，有{len(demo_projects.PROGRESS)}条进展"
        "和1次互学互访；两个集体的台账页都有“联创项目”卡片，`huancui`、`wendeng` 和 `city` 能看到，其他区市看不到。",
    ]
