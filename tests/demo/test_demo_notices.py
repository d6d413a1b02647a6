"""The demo's notices (issue 15): the 2018 notice published by the city to every collective with its text and title
from the document, 环翠区's forward with its guidance, the city's 开放周 notice to the service collectives with two
replies; who has read what (hc_zwfw finds the forward first on its workbench), all through the services (receipts and
audit entries are real). Loaded as tests/demo/test_demo_data.py loads it."""

import datetime
from pathlib import Path

import pytest
from django.utils import timezone

from tests.demo.test_demo_data import _demo_media, load, loaded  # noqa: F401 - fixtures
from tests.works.media_fixtures import files_under, media_storage  # noqa: F401 - a pytest fixture
from wenminghao.accounts.models import User
from wenminghao.core.models import AuditEntry, Notification
from wenminghao.demo import data as demo
from wenminghao.demo import notices as demo_notices
from wenminghao.notices.models import Notice, NoticeReceipt
from wenminghao.notices.selectors import receipt_totals, unread_notices

pytestmark = pytest.mark.django_db

SPEC = Path("/work/shared/spec/notice-2018-weihai.txt")


def notices() -> dict[str, Notice]:
    title, _ = demo_notices.campaign_notice()
    return {"campaign": Notice.objects.get(title=title, forwarded_from=None),
            "forward": Notice.objects.get(title=demo_notices.forward_title(title)),
            "service": Notice.objects.get(title=demo_notices.SERVICE_TITLE)}


def readers(notice) -> set[str]:
    return set(User.objects.filter(collective__in=notice.receipts.filter(read_at__isnull=False)
                                   .values("collective_id"), is_delegate=False).values_list("username", flat=True))


def test_the_2018_notice_keeps_its_own_title_and_text():
    title, body = demo_notices.campaign_notice()
    assert title == "关于做好“2017—2018年度省级青年文明号”“2018年度威海市青年文明号”创建工作的通知"
    assert body.startswith("威海市创建青年文明号活动领导小组文件\n威创青文字〔2018〕3号\n\n各区市团委")
    assert "8月20日前，集中将开展活动的图文资料报送" in body and "2018年7月19日" in body
    assert "[bookmark" not in body and "\t" not in body and title not in body
    if SPEC.exists():  # every paragraph of the document up to its 附件2 is in the demo's text
        source = SPEC.read_text(encoding="utf-8").split("\t附件2")[0]
        for line in source.replace("[bookmark: _GoBack]", "").replace("动漫、肥等", "动漫、H5等").split("\n"):
            if line.strip() and not line.startswith(("关于做好", "青年文明号”“")):
                assert line.rstrip() in body, line


@pytest.mark.usefixtures("loaded")
def test_the_city_published_the_notice_to_every_collective_and_some_have_read_it():
    found = notices()
    campaign = found["campaign"]
    assert (campaign.sender_unit.name, campaign.author.username) == ("威海市团委", "city")
    assert campaign.recipients == len(demo.COLLECTIVES) == 45
    assert receipt_totals(campaign) == {"total": 45, "read": 15, "unread": 30, "replied": 0}
    assert readers(campaign) == set(demo_notices.READ["campaign"])
    year = demo.current_campaign_year(timezone.localdate())
    assert campaign.deadline == datetime.date(year, 8, 20) and not campaign.asks_reply
    assert campaign.sectors == [] and not campaign.units.exists() and campaign.campaign is None
    (entry,) = AuditEntry.objects.filter(action="notice.publish", object_id=str(campaign.pk))
    assert entry.actor.username == "city" and entry.after["recipients"] == 45
    assert AuditEntry.objects.filter(action="notice.read", object_id=str(campaign.pk)).count() == 15
    # dated some days back, each reading after the publishing and before now
    assert campaign.published_at < timezone.now() - datetime.timedelta(days=20)
    for read_at in campaign.receipts.exclude(read_at=None).values_list("read_at", flat=True):
        assert campaign.published_at < read_at < timezone.now()


@pytest.mark.usefixtures("loaded")
def test_huancui_forwarded_it_with_its_guidance_to_its_collectives_and_the_original_is_unchanged():
    found = notices()
    forward = found["forward"]
    assert forward.forwarded_from == found["campaign"] and forward.author.username == "huancui"
    assert forward.body == demo_notices.GUIDANCE and 3 <= forward.body.count("\n\n") + 1 <= 5
    for words in ("7月25日前", "对标创优", "青年大学习", "助千家", "开放周", "曲晓东"):
        assert words in forward.body
    reached = set(forward.receipts.values_list("collective__name", flat=True))
    assert reached == {spec.name for spec in demo.COLLECTIVES if demo.reporting_unit(spec.unit).key == "huancui"}
    assert receipt_totals(forward) == {"total": 6, "read": 3, "unread": 3, "replied": 0}
    assert readers(forward) == {"hc_bdc", "jy_lele", "hc_jjy"}
    assert readers(found["campaign"]) & {"hc_bdc", "jy_lele"} == {"hc_bdc", "jy_lele"}  # read both
    assert not readers(found["campaign"]) & {"hc_zyz", "jy_bmfw"}  # read neither
    assert AuditEntry.objects.filter(action="notice.forward", object_id=str(forward.pk)).count() == 1
    assert forward.published_at > found["campaign"].published_at
    assert not NoticeReceipt.objects.exclude(reminded_at=None).exists()  # reminding is left to the visitor


@pytest.mark.usefixtures("loaded")
def test_the_service_notice_reached_only_the_service_collectives_and_two_replied(media_storage):  # noqa: F811
    service = notices()["service"]
    expected = {spec.name for spec in demo.COLLECTIVES if spec.sector == "service"}
    assert set(service.receipts.values_list("collective__name", flat=True)) == expected
    assert service.sectors == ["service"] and service.asks_reply and service.deadline > timezone.localdate()
    assert receipt_totals(service) == {"total": len(expected), "read": 4, "unread": len(expected) - 4,
                                       "replied": 2}
    replies = {row.collective.name: row for row in service.receipts.exclude(replied_at=None)}
    assert set(replies) == {"环翠区政务服务中心综合窗口", "文登区人民医院急诊科"}
    emergency = replies["文登区人民医院急诊科"]
    assert emergency.reply_file_name == "文登区人民医院急诊科开放周活动方案.docx"
    assert emergency.reply_file.name in {str(path.relative_to(media_storage[0])) for path in
                                         files_under(media_storage[0])}
    assert not replies["环翠区政务服务中心综合窗口"].reply_file
    assert AuditEntry.objects.filter(action="notice.reply", object_id=str(service.pk)).count() == 2


@pytest.mark.usefixtures("loaded")
def test_hc_zwfw_finds_the_forward_first_on_its_workbench():
    found = notices()
    hc_zwfw = User.objects.get(username="hc_zwfw")
    assert [notice.pk for notice in unread_notices(hc_zwfw)] == [found["forward"].pk]
    assert Notification.objects.filter(recipient=hc_zwfw, message__startswith="环翠区转发通知：关于转发").exists()


def test_a_second_load_adds_no_notice_reading_or_reply(db):
    first = load()
    assert "通知3条" in first and "已读确认20次" in first and "通知回复2条" in first
    sizes = (Notice.objects.count(), NoticeReceipt.objects.filter(read_at__isnull=False).count(),
             AuditEntry.objects.filter(action__startswith="notice.").count())
    assert load().strip() == "演示数据已齐全，本次未做任何修改。"
    assert sizes == (Notice.objects.count(), NoticeReceipt.objects.filter(read_at__isnull=False).count(),
                     AuditEntry.objects.filter(action__startswith="notice.").count())
