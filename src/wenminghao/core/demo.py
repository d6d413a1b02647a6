"""The Weihai demonstration data: the unit tree, accounts, collectives, campaigns and filings that
``manage.py load_demo_data`` writes through the services.

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
from wenminghao.orgs.enums import UnitKind

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
JUDGE_UNIT = "city"


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
]


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
        lines.append(
            f"| `{username}` | {admin_mobile(index)} | {Role.JUDGE.label} | {units[JUDGE_UNIT].name} | {name} |"
        )
    lines += [
        "",
        "`province` 是山东省团委的办公室管理员（角色与团市委管理员相同），能看到全省（演示中即威海市）的全部数据；"
        "`city` 是威海市团委的管理员，主办四项创建活动。归口单位管理员只能看到本单位及下级单位的集体。",
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
    return "\n".join(lines) + "\n"
