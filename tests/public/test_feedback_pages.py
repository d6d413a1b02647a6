"""The visitor's side of public supervision: the form on a public post, the receipt with its reference, following it;
honeypot, HTML and links, throttling per address and per post (limits lowered here), the contact never public; and
the signed-in side: the list with the contact, answering, closing, verifying, notifications, the collective's panel."""

import re

import pytest
from django.urls import reverse

from tests.public import feedback_fixtures
from tests.public.feedback_fixtures import CONTACT, VISITOR, answered, leave
from wenminghao.core.models import AuditEntry, Notification
from wenminghao.public.enums import FeedbackState
from wenminghao.public.models import Feedback, PostPage

pytestmark = pytest.mark.django_db
posts = feedback_fixtures.posts  # a fixture

GOOD = {"kind": "suggestion", "text": "窗口下午排队较长，建议增开一个窗口。", "contact": CONTACT,
        "satisfaction": "basically"}


def form_url(collective) -> str:
    return reverse("public:post_feedback", args=[collective.pk])


def send(client, collective, ip=VISITOR, **changes):
    return client.post(form_url(collective), {**GOOD, **changes}, REMOTE_ADDR=ip)


# --- the form and the receipt -------------------------------------------------------------------------------------


def test_form_of_a_public_post(client, posts):
    response = client.get(form_url(posts["collective_a"]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "环翠区政务服务中心窗口" in page
    for label in ("表扬", "建议", "投诉", "满意", "基本满意", "不满意"):
        assert label in page
    assert 'class="wmh-hp"' in page and 'name="website"' in page
    assert "private" in response["Cache-Control"]  # it carries a CSRF token: never cached for others


@pytest.mark.parametrize("case", ["unpublished", "hidden", "missing"])
def test_form_of_a_post_that_is_not_public_is_404_in_chinese(client, posts, case):
    collective = posts["collective_sub"]
    if case == "hidden":
        PostPage.objects.create(collective=collective, published=True, hidden_by_unit=True)
    pk = 999999 if case == "missing" else collective.pk
    response = client.get(reverse("public:post_feedback", args=[pk]))
    assert response.status_code == 404
    assert "尚未公开，或已被归口单位隐藏" in response.content.decode()
    assert send(client, collective).status_code == 404
    assert not Feedback.objects.exists()


def test_sending_stores_the_item_and_shows_its_reference(client, posts, users):
    response = send(client, posts["collective_a"])
    assert response.status_code == 200
    item = Feedback.objects.get()
    page = response.content.decode()
    assert item.reference in page
    assert reverse("public:feedback_follow", args=[item.reference]) in page
    assert re.fullmatch(r"[2-9A-HJKMNP-Z]{12}", item.reference)
    assert (item.kind, item.text, item.contact, item.satisfaction) == (
        "suggestion", GOOD["text"], CONTACT, "basically")
    assert item.state == FeedbackState.OPEN
    assert VISITOR not in item.address_hash and len(item.address_hash) == 64
    assert CONTACT not in page
    entry = AuditEntry.objects.get(action="feedback.create")
    assert CONTACT not in str(entry.after) and entry.ip_address is None


def test_a_new_item_notifies_the_collective_and_its_unit(client, posts, users):
    send(client, posts["collective_a"])
    told = set(Notification.objects.values_list("recipient__username", flat=True))
    assert told == {"leader_a", "huancui"}
    message = Notification.objects.first().message
    assert "建议" in message and Feedback.objects.get().reference in message


def test_every_problem_at_once_on_the_form(client, posts):
    response = send(client, posts["collective_a"], kind="", text="字" * 501, contact="a" * 65)
    assert response.status_code == 422
    page = response.content.decode()
    assert "请选择意见类型" in page
    assert "意见内容为501字，超过500字的上限" in page
    assert "联系方式为65个字符，超过64个字符的上限" in page
    assert not Feedback.objects.exists()


def test_the_honeypot_answers_as_accepted_and_stores_nothing(client, posts):
    response = send(client, posts["collective_a"], website="http://spam.example/")
    assert response.status_code == 200
    assert "您的意见已提交" in response.content.decode()
    assert not Feedback.objects.exists()
    assert not AuditEntry.objects.filter(action="feedback.create").exists()
    assert not Notification.objects.exists()


def test_html_is_not_kept_and_a_link_is_never_a_link(client, posts, users):
    text = '<b>态度</b>很好<script>x()</script> 详见 https://spam.example/promo 和 <a href="https://evil.example/">这里</a>'
    send(client, posts["collective_a"], text=text)
    item = Feedback.objects.get()
    assert "<" not in item.text and ">" not in item.text
    assert item.text == "态度很好x() 详见 https://spam.example/promo 和 这里"
    public = client.get(reverse("public:feedback_follow", args=[item.reference])).content.decode()
    assert "https://spam.example/promo" in public
    assert 'href="https://spam.example' not in public and "evil.example" not in public
    client.force_login(users["leader_a"], backend="wenminghao.accounts.backends.UsernameOrMobileBackend")
    for url in (reverse("public:feedback_item", args=[item.pk]), reverse("public:feedback_manage")):
        assert 'href="https://spam.example' not in client.get(url).content.decode()


# --- following an item --------------------------------------------------------------------------------------------


def test_following_shows_kind_text_state_and_answer_never_the_contact(client, posts, users):
    item = answered(posts["collective_a"], users["leader_a"], kind="complaint")
    response = client.get(reverse("public:feedback_follow", args=[item.reference]))
    assert response.status_code == 200
    page = response.content.decode()
    for shown in ("投诉", item.text, "已答复", "已增开一个窗口，感谢您的建议。", item.reference):
        assert shown in page
    assert CONTACT not in page and "leader_a" not in page
    assert "public" in response["Cache-Control"] and response.has_header("ETag")
    again = client.get(reverse("public:feedback_follow", args=[item.reference]),
                       HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_an_open_item_says_it_is_not_answered_yet(client, posts):
    item = leave(posts["collective_a"])
    page = client.get(reverse("public:feedback_follow", args=[item.reference])).content.decode()
    assert "待答复" in page and "尚未答复" in page


def test_the_lookup_form_goes_to_the_item_whatever_the_case(client, posts):
    item = leave(posts["collective_a"])
    response = client.get(reverse("public:feedback_lookup"), {"reference": f" {item.reference.lower()} "})
    assert response.status_code == 302
    assert client.get(response["Location"], follow=True).status_code == 200


def test_an_unknown_reference_is_404_in_chinese(client, posts):
    response = client.get(reverse("public:feedback_follow", args=["ABCDEFGHJKMN"]))
    assert response.status_code == 404
    assert "未找到这个查询编号对应的意见" in response.content.decode()


# --- throttling ---------------------------------------------------------------------------------------------------


def test_one_address_is_limited_in_ten_minutes(client, posts, settings):
    settings.WMH_FEEDBACK_PER_ADDRESS_10MIN = 2
    assert send(client, posts["collective_a"]).status_code == 200
    assert send(client, posts["collective_b"]).status_code == 200
    refused = send(client, posts["collective_a"])
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 600
    assert "您在10分钟内已提交2条意见" in refused.content.decode()
    assert Feedback.objects.count() == 2
    assert send(client, posts["collective_a"], ip="198.51.100.9").status_code == 200  # another address may


def test_an_ipv6_visitor_is_counted_by_its_64_network(client, posts, settings):
    settings.WMH_FEEDBACK_PER_ADDRESS_10MIN = 2
    assert send(client, posts["collective_a"], ip="2001:db8:5:7::1").status_code == 200
    assert send(client, posts["collective_a"], ip="2001:db8:5:7:abcd::99").status_code == 200
    assert send(client, posts["collective_b"], ip="2001:db8:5:7:ffff:1:2:3").status_code == 429  # the same /64
    assert send(client, posts["collective_b"], ip="2001:db8:5:8::1").status_code == 200  # another network


def test_one_address_is_limited_in_a_day(client, posts, settings):
    settings.WMH_FEEDBACK_PER_ADDRESS_DAY = 3
    for _ in range(3):
        assert send(client, posts["collective_a"]).status_code == 200
    refused = send(client, posts["collective_b"])
    assert refused.status_code == 429
    assert "今天提交的意见已达3条的上限" in refused.content.decode()
    assert int(refused["Retry-After"]) > 600


def test_one_post_is_limited_in_an_hour_whatever_the_addresses(client, posts, settings):
    settings.WMH_FEEDBACK_PER_POST_HOUR = 3
    for index in range(3):
        assert send(client, posts["collective_a"], ip=f"198.51.100.{index}").status_code == 200
    refused = send(client, posts["collective_a"], ip="198.51.100.50")
    assert refused.status_code == 429
    assert "这个岗位在一小时内收到的意见较多" in refused.content.decode()
    assert send(client, posts["collective_b"], ip="198.51.100.50").status_code == 200  # another post may


# --- the signed-in side -------------------------------------------------------------------------------------------


def test_the_list_shows_the_contact_to_those_who_handle_it(signed_in, posts, users):
    leave(posts["collective_a"])
    leave(posts["collective_b"], contact="b@example.com")
    for role, shown, hidden in (("leader_a", CONTACT, "b@example.com"), ("unit_admin_a", CONTACT, "b@example.com"),
                                ("city_admin", CONTACT, None), ("unit_admin_b", "b@example.com", CONTACT)):
        page = signed_in(users[role]).get(reverse("public:feedback_manage")).content.decode()
        assert shown in page, role
        if hidden:
            assert hidden not in page, role


def test_the_list_filters_by_state_and_kind(signed_in, posts, users):
    leave(posts["collective_a"], kind="praise", text="表扬甲")
    answered(posts["collective_a"], users["leader_a"], kind="complaint", text="投诉乙")
    client = signed_in(users["unit_admin_a"])
    page = client.get(reverse("public:feedback_manage"), {"state": "answered"}).content.decode()
    assert "投诉乙" in page and "表扬甲" not in page
    page = client.get(reverse("public:feedback_manage"), {"kind": "praise"}).content.decode()
    assert "表扬甲" in page and "投诉乙" not in page


def test_answer_then_close(signed_in, posts, users):
    item = leave(posts["collective_a"])
    client = signed_in(users["leader_a"])
    response = client.post(reverse("public:feedback_answer", args=[item.pk]), {"answer": "<i>已</i>增开窗口。"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.state, item.answer, item.answered_by) == (FeedbackState.ANSWERED, "已增开窗口。", users["leader_a"])
    assert item.answered_at is not None
    assert client.post(reverse("public:feedback_close", args=[item.pk])).status_code == 302
    item.refresh_from_db()
    assert item.state == FeedbackState.CLOSED and item.closed_at is not None
    entries = AuditEntry.objects.filter(object_type="public.feedback", object_id=str(item.pk)).order_by("id")
    assert list(entries.values_list("action", flat=True)) == ["feedback.create", "feedback.answer", "feedback.close"]
    # closed: no more answers
    response = client.post(reverse("public:feedback_answer", args=[item.pk]), {"answer": "再答复"})
    assert response.status_code == 422
    assert "状态为“已办结”，不能答复" in response.content.decode()


def test_an_answer_of_more_than_1000_characters_is_refused(signed_in, posts, users):
    item = leave(posts["collective_a"])
    response = signed_in(users["unit_admin_a"]).post(reverse("public:feedback_answer", args=[item.pk]),
                                                      {"answer": "字" * 1001})
    assert response.status_code == 422
    assert "答复内容为1001字，超过1000字的上限" in response.content.decode()
    item.refresh_from_db()
    assert item.state == FeedbackState.OPEN


def test_an_admin_above_verifies_a_complaint_and_the_collective_page_lists_it(signed_in, posts, users):
    complaint = leave(posts["collective_a"], kind="complaint", text="工作人员态度生硬。")
    leave(posts["collective_a"], kind="praise", text="服务热情。")
    assert signed_in(users["leader_a"]).post(reverse("public:feedback_verify", args=[complaint.pk])).status_code == 403
    client = signed_in(users["unit_admin_a"])
    assert client.post(reverse("public:feedback_verify", args=[complaint.pk])).status_code == 302
    complaint.refresh_from_db()
    assert complaint.verified and complaint.verified_by == users["unit_admin_a"]
    assert Notification.objects.filter(recipient=users["leader_a"], message__contains="核实").exists()
    page = client.get(reverse("collectives:detail", args=[posts["collective_a"].pk])).content.decode()
    assert 'data-panel="public_feedback"' in page
    panel = page[page.index('data-panel="public_feedback"'):]
    assert "工作人员态度生硬" in panel[:panel.index("</section>")]
    assert "服务热情" not in panel[:panel.index("</section>")]


def test_the_panel_is_for_the_collective_and_the_admins_above(signed_in, posts, users):
    leave(posts["collective_a"])
    url = reverse("collectives:detail", args=[posts["collective_a"].pk])
    for role in ("leader_a", "unit_admin_a", "city_admin"):
        assert 'data-panel="public_feedback"' in signed_in(users[role]).get(url).content.decode(), role


def test_the_contact_appears_in_no_public_response(client, posts, users):
    """After an item with a contact is left and answered, every public page and JSON of the post is searched."""
    receipt = send(client, posts["collective_a"])
    item = Feedback.objects.get()
    answered_item = answered(posts["collective_a"], users["leader_a"], kind="complaint", ip_address="198.51.100.4")
    pk = posts["collective_a"].pk
    responses = [receipt, client.get(form_url(posts["collective_a"])),
                 client.get(reverse("public:feedback_lookup")),
                 client.get(reverse("public:feedback_follow", args=[item.reference])),
                 client.get(reverse("public:feedback_follow", args=[answered_item.reference])),
                 client.get(reverse("public:post", args=[pk])),
                 client.get(f"/api/v1/public/posts/{pk}"),
                 client.post(f"/api/v1/public/posts/{pk}/feedback",
                             {"kind": "praise", "text": "好", "contact": CONTACT},
                             content_type="application/json", REMOTE_ADDR="198.51.100.5")]
    for response in responses:
        assert response.status_code in (200, 201), response
        assert CONTACT not in response.content.decode(), response.request["PATH_INFO"]
