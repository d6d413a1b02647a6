"""The Weihai demonstration data: the unit tree, accounts, collectives, campaigns, filings and the works of the
current city campaign at each stage of the review, which ``manage.py load_demo_data`` writes through the
services (the works' files are drawn by ``core.demo_media``).

Everything here is data. Member ages are given in full years on the reference date of the CURRENT
campaigns (20 August of the campaign year), so each collective's intended outcome (``expect``)
holds whatever year the demo is loaded in; ``tests/core/test_demo_data.py`` checks every one of them
against the real eligibility rules, and that docs/demo-accounts.md is this file's account list.
"""

import datetime
import random
from dataclasses import dataclass, field

from wenminghao.accounts.enums import Role
from wenminghao.collectives.enums import OrgType, Sector, WorkingUnitForm
from wenminghao.core.demo_media import Scene, Screen
from wenminghao.orgs.enums import UnitKind
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


def _essay(*paragraphs: str) -> str:
    return "\n".join(paragraphs)


# Paragraphs the two theory essays share: what a 青年文明号 is, standards, youth study, service windows.
BRAND = (
    "青年文明号活动自1994年开展以来，已经走过了二十多个年头。它以青年为主体、以岗位为阵地，倡导“职业文明、服务文明”，"
    "把共青团的组织优势和青年的岗位实践结合在一起，成为团组织服务经济社会发展、引导青年岗位建功的重要品牌。改革开放四十年来，"
    "我国经济社会发生了深刻变化，群众对公共服务和产品质量的期待不断提高，青年文明号的内涵也随之丰富：从最初的“微笑服务”"
    "“礼貌用语”，到今天的标准化管理、精细化服务和创新创效，品牌的分量越来越重。"
)
STANDARDS = (
    "品牌的根基在于标准。一个集体能不能称为青年文明号，关键不在于有没有一块牌子，而在于有没有一套看得见、摸得着、可检查的"
    "工作标准。实践中，不少集体把岗位职责、服务流程、质量要求逐项梳理，形成服务手册和操作规范，把“好不好”变成“是不是”，"
    "把“凭经验”变成“按标准”。标准一旦确定，就要公开承诺、接受监督：在工作场所亮身份、亮形象、亮承诺，公布监督电话，"
    "让群众来检验。"
)
EXECUTION = (
    "标准的生命在于执行。很多集体的经验表明，标准写在纸上容易，落实到每一天、每一个人身上难。要把标准执行好，一是靠培训，"
    "让每名青年都熟悉标准、掌握技能；二是靠检查，通过日常巡查、交叉检查和群众评议，及时发现偏差；三是靠激励，把执行标准的"
    "情况和评先树优、岗位晋升挂钩，让守标准的人有荣誉、有奔头。青年文明号的创建台账，正是把这些工作记录下来、沉淀下来的载体。"
)
STUDY = (
    "青年文明号是青年的集体，青年的成长是品牌持续发展的动力。要把思想引领放在首位，深入开展青年大学习，组织青年学理论、"
    "学业务、学先进，在学习中坚定理想信念、增强本领。学习不能停留在读一读、听一听，而要和岗位实践结合起来：学了政策，"
    "就要把政策讲给群众听；学了新技术，就要用新技术改进服务。一些集体推行“学习—讨论—行动”的团日模式，每次学习都落到"
    "一项具体的改进措施上，效果明显。"
)
WINDOWS = (
    "服务窗口是青年文明号最集中的阵地，也是群众感受最直接的地方。窗口服务好不好，群众最有发言权。近年来，“放管服”改革"
    "深入推进，“一窗受理”“一次办好”“最多跑一次”成为各地窗口单位的共同目标。青年文明号集体应当走在改革前列，主动梳理"
    "办事事项，精简材料、压缩时限，推行预约服务、延时服务和上门服务，让群众办事更方便、更舒心。"
)
INNOVATION = (
    "创新是品牌保持活力的关键。新时代的青年思维活跃、善用新技术，这是青年文明号集体的独特优势。要鼓励青年围绕工作中的"
    "难点、堵点开展“小发明、小创造、小革新、小设计、小建议”活动，把好点子变成好做法。互联网、大数据、移动应用等新技术"
    "为服务创新提供了广阔空间，网上办、掌上办、自助办，正在改变群众的办事体验，也在改变青年的工作方式。"
)
REPUTATION = (
    "品牌需要传播，更需要口碑。青年文明号集体要讲好自己的故事，通过开放日、体验日、新媒体平台等方式，让社会了解青年文明号、"
    "认同青年文明号。同时，品牌传播的基础是实实在在的服务质量，口碑是群众一次次办事、一次次体验积累起来的。只有做到表里如一、"
    "言行一致，品牌才能立得住、传得开。"
)
MANAGEMENT = (
    "创建活动的组织管理同样需要规范。各级团组织要严格创建标准，做好创建报备、过程指导、考核验收和动态管理：对照基本条件把好"
    "入口关，通过创建台账和实地检查掌握过程，对不再符合条件的集体及时督促整改或撤销称号。要注重发挥各级青年文明号的示范带动"
    "作用，通过经验交流、结对共建等形式，带动更多青年集体参与创建，形成比学赶超的良好氛围。"
)
DEVELOPMENT = (
    "面向未来，青年文明号要在服务高质量发展中找准定位。无论是政务服务、医疗卫生、交通运输，还是制造业、现代服务业，青年都是"
    "生产和服务一线的主力军。把青年文明号创建与本行业、本单位的中心工作紧密结合，以品牌建设促进管理提升，以岗位建功推动"
    "事业发展，是青年文明号保持生命力的根本所在。"
)

WINDOW_THEORY = _essay(
    "环翠区政务服务中心综合窗口承担着企业开办、社保医保、公积金等200余项事项的受理工作，日均接待群众800余人次。窗口现有成员"
    "14人，平均年龄31岁，2015年获评环翠区青年文明号，2017年获评威海市青年文明号。几年来，我们在创建实践中体会到，青年文明号"
    "品牌要提质增效，标准化建设是一条必由之路。本文结合我们的实践，谈谈对标准化建设推动青年文明号品牌建设的几点认识。",
    "一、青年文明号品牌的时代内涵",
    BRAND,
    "二、标准化是品牌建设的基础",
    STANDARDS,
    "以我们窗口为例。2016年以前，窗口按部门分设，群众办一件事往往要在几个窗口之间来回跑。推行“一窗受理、集成服务”后，"
    "我们把分散在各部门的受理事项统一梳理，编制了覆盖126项高频事项的《综合窗口受理标准》，对每个事项的申请材料、受理条件、"
    "办理时限逐一列明，做到“一张清单告知、一张表单申报、一个窗口受理”。标准实施后，群众平均办事时间由原来的40分钟缩短到"
    "15分钟，材料一次性提交齐全率提高到95%以上。",
    EXECUTION,
    "标准还要接受群众的评价。窗口全面推行政务服务“好差评”，每办完一件事，群众都可以通过评价器或手机进行评价；对差评逐件"
    "回访、限期整改，整改结果向群众反馈。评价结果每月通报，作为评选“青年服务之星”的主要依据。群众的评价，让标准从“我们定的”"
    "变成了“群众认可的”。",
    "三、以青年大学习提升执行标准的本领",
    STUDY,
    "我们的做法是把青年大学习和业务学习结合起来。每周一早上的“窗口微课堂”，由一名青年轮流主讲一项新政策或一个办事案例，讲完"
    "就在窗口实践中检验；每月的团日活动，我们对照群众的意见和“好差评”结果查找问题，每次确定一项改进措施、明确责任人和完成"
    "时限。两年来，窗口通过团日活动提出并落实的改进措施有30多项，其中“企业开办一日办结”“老年人绿色通道”等做法已在全区推广。",
    "四、以窗口改革和创新丰富品牌内容",
    WINDOWS,
    INNOVATION,
    REPUTATION,
    "五、以规范管理保障品牌的公信力",
    MANAGEMENT,
    DEVELOPMENT,
    "四十年来，从手写票据到电脑联网，从多头跑腿到一窗通办，窗口的变化是改革开放的一个缩影。我们深深感到，标准化不是束缚青年"
    "的条条框框，而是让好经验固定下来、让好服务持续下去的制度保障。今后，我们将继续完善窗口服务标准，以标准化促进规范化、"
    "以规范化推动品牌化，努力把青年文明号建设成群众满意、社会认可的服务品牌。",
)

ENTERPRISE_THEORY = _essay(
    "青年文明号创建最早集中在机关事业单位和国有企业的窗口行业。随着非公有制经济的发展，越来越多的民营企业青年集体参与到创建"
    "中来。山东好当家海洋发展股份有限公司海参育苗车间是一个由22名青年组成的生产集体，2017年获评荣成市青年文明号。结合车间的"
    "创建实践，本文就青年文明号品牌在非公企业中的价值和实现路径谈几点思考。",
    "一、非公企业为什么要创青年文明号",
    BRAND,
    "在非公企业中开展青年文明号创建，首先要回答“为什么创”的问题。有的企业负责人担心创建会增加负担、影响生产。我们的实践表明，"
    "青年文明号的要求与企业的管理目标是一致的：标准化操作提高了育苗成活率，节能降耗降低了生产成本，青年技能提升增强了企业的"
    "竞争力。以海参育苗为例，车间把水温、盐度、投喂、换水等关键环节全部写入操作标准，每个育苗池都有记录卡，当班青年按时检测、"
    "签字确认。标准实施三年来，苗种成活率提高了12个百分点，车间也成为企业技术骨干的“孵化器”。",
    "二、以标准化管理夯实品牌基础",
    STANDARDS,
    EXECUTION,
    "三、以青年成长激发品牌活力",
    STUDY,
    "技能是青年在企业立足的根本。车间每季度组织一次技能比武，比水质检测、比饵料配制、比病害识别，比武成绩和岗位津贴挂钩；"
    "每名新入职青年都由一名技术骨干“师带徒”，签订培养协议，一年内考核达标才能独立顶岗。几年来，车间先后有6名青年走上技术"
    "主管岗位，2人被评为荣成市技术能手。",
    INNOVATION,
    "团组织是创建的组织者。非公企业团组织普遍存在人员流动大、活动时间少的问题。车间团支部把活动安排在交接班前后，内容与生产"
    "紧密结合，并争取企业把青年文明号创建纳入年度经营考核，为创建活动提供经费和场地保障。企业负责人的支持，是非公企业创建工作"
    "能够持续开展的重要条件。",
    MANAGEMENT,
    "四、以良好口碑提升企业形象",
    REPUTATION,
    "车间每年举办两次“开放日”，邀请养殖户、学生和媒体走进育苗车间，讲解海参从受精卵到苗种的培育过程；青年们还把育苗知识"
    "做成短视频，在企业公众号上发布，累计播放量超过十万次。开放的车间让外界看到了民营企业青年的专业和用心，也为企业赢得了"
    "客户的信任。",
    DEVELOPMENT,
    "改革开放四十年，荣成的海洋渔业从木船近海捕捞发展到现代化的海洋牧场和工厂化育苗，民营企业成为海洋经济的重要力量，青年是"
    "其中最有活力的群体。实践证明，青年文明号品牌在非公企业中同样大有可为。只要坚持把创建与企业生产经营紧密结合，把青年成长与"
    "企业发展统一起来，青年文明号就能成为非公企业凝聚青年、提升管理、树立形象的有力抓手。",
)

ELDERLY_PRACTICE = _essay(
    "鲸园街道是威海市环翠区的老城区，辖区60岁以上老年人占常住人口的近三成，独居、空巢老人多，助餐、助医、助洁需求集中。乐龄社会"
    "工作服务站成立于2015年，现有8名成员，其中35周岁以下青年6名，平均年龄29岁。创建青年文明号以来，我们把“让老人少操心、让"
    "子女更放心”作为岗位承诺，探索出“乐龄+青年”的社区养老服务模式。",
    "一是把服务标准写在墙上、落在脚下。我们对照青年文明号“职业文明、服务文明”的要求，梳理出入户探访、电话问候、助餐送餐、"
    "紧急求助等12项服务流程，每项都明确时限和责任人：独居老人每周至少入户一次，电话问候每天一次，紧急求助15分钟内响应。流程"
    "做成图表贴在服务站墙上，也印成口袋卡片，新来的社工和志愿者半天就能上手。",
    "二是用青年的办法解决老人的难题。不少老人不会用智能手机，看病挂号、缴纳水电费成了“数字鸿沟”。服务站的青年社工开设“银龄"
    "手机课堂”，每周二下午手把手教老人用挂号小程序、缴费软件和视频通话，两年来累计开课96期、服务老人1400余人次。我们还和辖区"
    "卫生服务站合作，为120名慢病老人建立健康档案，定期上门测血压、送药提醒。",
    "三是把青年大学习和服务实践结合起来。每月的主题团日，我们先学习、再讨论、再行动：学习改革开放四十年来社区治理的变化，讨论"
    "老人身边的新需求，然后把讨论结果变成一项具体的服务改进。“爱心食堂”的预约送餐、楼道扶手加装、社区助浴点的设立，都是在"
    "团日讨论中提出、在一年内落实的。",
    "四是建立“青老结对”的长效机制。服务站联合驻街单位和辖区高校，组建了120人的青年志愿者队伍，与独居老人一对一结对，节假日"
    "陪伴、平常日问候。志愿服务时长记入“时间银行”，志愿者可以兑换培训课程，也可以为自己的家人兑换服务，让志愿服务可持续、"
    "有回报。",
    "几年来，服务站的服务对象从最初的3个社区扩大到全街道11个社区，老人满意度测评连续三年保持在98%以上，先后获评环翠区青年"
    "文明号、威海市优秀社会工作服务机构。回头看，我们最深的体会是：青年文明号不是一块牌子，而是一套天天要执行的标准、一份天天要"
    "兑现的承诺。下一步，我们将把服务流程进一步标准化，争创更高一级的青年文明号，让“乐龄”品牌在更多社区落地生根。",
)

EMERGENCY_PRACTICE = _essay(
    "文登区人民医院急诊科承担着全区及周边乡镇的急危重症救治任务，年接诊量超过6万人次。科室现有医护人员20名，35周岁以下青年占"
    "八成。急诊是医院的窗口，也是生命的关口。自创建青年文明号以来，我们提出“急病人之所急，把每一分钟留给生命”的岗位承诺，以"
    "胸痛、卒中、创伤三大救治中心建设为抓手，打造急诊“绿色通道”服务品牌。",
    "时间就是生命。我们对照胸痛中心、卒中中心的建设标准，重新梳理从院前急救到院内救治的每一个环节：救护车在途中即通过远程心电"
    "系统把心电图传回科室，医生提前研判；患者到院后“先救治、后缴费”，检查、会诊、手术室同步启动。改造以来，急性心梗患者从进门"
    "到血管开通的时间由平均110分钟缩短到68分钟。",
    "技术是底气。科室坚持每周一次业务学习、每月一次急救技能考核，青年医护人员人人过关心肺复苏、气管插管、创伤包扎等12项核心"
    "技能。我们还成立了青年急救宣讲队，走进学校、企业、社区开展急救知识培训，三年来培训群众8000余人次，让更多人成为身边的"
    "“第一响应人”。",
    "服务是温度。急诊科的患者和家属往往焦急万分。我们在候诊区设立“青年文明号服务台”，由青年护士轮值导诊、解释病情、协助办理"
    "手续；为独自就诊的老人和外地患者提供陪诊服务；在抢救室外张贴救治流程图，让家属知道每一步在做什么、还要等多久。小小的改变，"
    "换来的是投诉的明显减少和锦旗的增多。",
    "改革开放四十年，文登的急诊从一间诊室、几张病床，发展到今天设备齐全、流程规范的现代化急诊中心。变化的是条件，不变的是医者"
    "初心。我们将继续以青年文明号创建为牵引，把规范化、标准化的要求落实到每一次出诊、每一台抢救中，让“绿色通道”真正成为群众的"
    "生命通道。",
)

FRESH_FOOD_DRAFT = _essay(
    "生鲜加工班组负责门店蔬菜、水果、肉类和水产品的分拣、加工和陈列，每天经手的商品有三百多个品种。菜篮子连着千家万户，顾客"
    "买得放心，是我们最朴素的追求。",
    "创建青年文明号以来，班组把“放心菜”标准细化为进货查验、分级加工、温度管控、临期处理四个环节。（待补充：每个环节的具体做法"
    "和成效。）",
)

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
        f"设置了邮箱的账号（演示模式下通知邮件打印在 `make run` 的终端里）：{emails}。",
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
    return "\n".join(lines) + "\n"


def reporting_unit(unit_key: str) -> UnitSpec:
    """The unit that reports a collective's works to the city office: the one directly under 威海市团委."""
    units = unit_by_key()
    unit = units[unit_key]
    while unit.parent != "city":
        unit = units[unit.parent]
    return unit


def _work_content(spec: WorkSpec) -> str:
    from wenminghao.works.attachment1 import count_characters

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
