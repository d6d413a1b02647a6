"""A published identity page with every kind of field, public and private, for the identity-page tests.

collective_a (环翠区团委) gets distinctive public values (commitment, supervision phone, service items, members with
posts, a valid title, an accepted filing, a workplace photo, an open-week photo it shows) and distinctive private
ones that must never appear in public (its contact person and phone, members' birth dates, a member left off the page,
a revoked and an expired title, a 助千家 pairing's registry number and area, a feedback's contact)."""

import datetime

import pytest
from django.utils import timezone

from tests import factories
from tests.works.media_fixtures import (
    jpeg,
    media_storage,  # noqa: F401 - a pytest fixture
    upload,
)
from wenminghao.campaigns.enums import FilingStatus
from wenminghao.campaigns.models import CreationFiling
from wenminghao.collectives.models import Collective, Honour, Member
from wenminghao.ledger import services as ledger
from wenminghao.ledger.tasks import make_attachment_thumbnail
from wenminghao.public.models import Feedback
from wenminghao.public.services import pages as services
from wenminghao.public.tasks import make_post_photo_copies

CAMPAIGN_NAME = "2027年度威海市青年文明号创建"
# Everything the page and the API show: (what, value).
PUBLIC = {
    "name": "环翠区政务服务中心综合窗口",
    "host_org": "威海市环翠区行政审批服务局",
    "public_commitment": "我们承诺：一次告知、马上就办、限时办结",
    "supervision_phone": "0631-5221234",
    "valid_title": "2016年度环翠区青年文明号",
    "leader_name": "王明亮",
    "leader_post": "窗口负责人",
    "member_name": "李晓华",
    "member_post": "综合受理岗",
    "service_items": "企业开办一窗受理",
    "convenience_measures": "午间延时服务",
    "creation": f"{CAMPAIGN_NAME} · 已接受报备",
}
# Everything that exists around the post but never appears in public.
PRIVATE = {
    "contact_name": "私联系人甲",
    "contact_phone": "13911112222",
    "birth_date": "1986-03-17",
    "birth_date_cn": "1986年3月17日",
    "hidden_member": "隐藏成员赵六",
    "hidden_member_post": "内勤保密岗",
    "revoked_title": "2015年度已撤销青年文明号",
    "expired_title": "2014年度已到期青年文明号",
    "family_ref": "371002198765430042",
    "family_area": "私密街道丙",
    "feedback_contact": "访客电话13700001111",
    "hide_reason": "内部原因：整改中",
}


def make_post(collective: Collective, *, members: int = 0) -> Collective:
    """Public values on a collective, plus ``members`` more plain members."""
    Collective.objects.filter(pk=collective.pk).update(
        public_commitment=PUBLIC["public_commitment"], supervision_phone=PUBLIC["supervision_phone"])
    collective.refresh_from_db()
    Member.objects.bulk_create([Member(collective=collective, name=f"增员{index}", post="岗位",
                                       birth_date=datetime.date(1995, 1, 1)) for index in range(members)])
    return collective


def publish(actor, collective: Collective) -> None:
    services.set_page_published(actor=actor, collective=collective, published=True)


@pytest.fixture
def post_campaign(tree):
    return factories.campaign(office=tree["city"], year=2027, name=CAMPAIGN_NAME)


@pytest.fixture
def post_a(tree, users, media_storage, post_campaign):  # noqa: F811 - the fixture above
    """collective_a's identity page, published, with every field of PUBLIC and PRIVATE around it."""
    collective = tree["collective_a"]
    Collective.objects.filter(pk=collective.pk).update(
        name=PUBLIC["name"], host_org=PUBLIC["host_org"], contact_name=PRIVATE["contact_name"],
        contact_phone=PRIVATE["contact_phone"])
    collective.refresh_from_db()
    make_post(collective)
    collective.members.all().delete()
    birth = datetime.date.fromisoformat(PRIVATE["birth_date"])
    Member.objects.bulk_create([
        Member(collective=collective, name=PUBLIC["leader_name"], post=PUBLIC["leader_post"], is_leader=True,
               birth_date=birth),
        Member(collective=collective, name=PUBLIC["member_name"], post=PUBLIC["member_post"], birth_date=birth),
        Member(collective=collective, name=PRIVATE["hidden_member"], post=PRIVATE["hidden_member_post"],
               birth_date=birth),
    ])
    collective.honours.all().delete()
    today = timezone.localdate()
    Honour.objects.bulk_create([
        Honour(collective=collective, level="district", year=2016, title=PUBLIC["valid_title"],
               valid_until=today + datetime.timedelta(days=400)),
        Honour(collective=collective, level="city", year=2015, title=PRIVATE["revoked_title"],
               revoked_at=timezone.now(), revoked_reason="核实投诉"),
        Honour(collective=collective, level="district", year=2014, title=PRIVATE["expired_title"],
               valid_until=today - datetime.timedelta(days=1)),
    ])
    CreationFiling.objects.create(campaign=post_campaign, collective=collective, status=FilingStatus.ACCEPTED,
                                  filed_by=users["leader_a"])
    actor = users["leader_a"]
    ledger.create_pairing(actor=actor, collective=collective, data={
        "family_ref": PRIVATE["family_ref"], "area": PRIVATE["family_area"], "youth_count": 2,
        "help_kinds": ["education"], "started": (today - datetime.timedelta(days=100)).isoformat(), "consent": True})
    entry = ledger.create_entry(actor=actor, collective=collective, campaign=post_campaign, data={
        "activity": "open_week", "date": today.isoformat(), "title": "开放周：走进政务大厅", "content": "",
        "shown": ["commitment"], "visitors": 30})
    picture = ledger.add_attachment(actor=actor, entry=entry, upload=upload("开放周现场.jpg", jpeg(320, 240)))
    hidden = collective.members.get(name=PRIVATE["hidden_member"])
    services.update_page(actor=actor, collective=collective, service_items=PUBLIC["service_items"],
                         convenience_measures=PUBLIC["convenience_measures"], hidden_member_ids=[hidden.pk],
                         event_attachment_ids=[picture.pk])
    photo = services.add_page_photo(actor=actor, collective=collective,
                                    upload=upload("窗口.jpg", jpeg(320, 240, seed=2)), caption="综合受理大厅")
    # What the task worker does once the rows are committed (the tests' transaction never commits): the ledger
    # picture's thumbnail and the photo's web copy, the only forms in which they leave.
    make_attachment_thumbnail.call(picture.pk)
    make_post_photo_copies.call(photo.pk)
    Feedback.objects.create(reference="FB0001", collective=collective, kind="suggestion", text="建议增加叫号屏",
                            contact=PRIVATE["feedback_contact"])
    publish(actor, collective)
    collective.refresh_from_db()
    return collective
