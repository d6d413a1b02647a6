"""The unit's review pages: the queue, the decision panel on a work's page, the order of recommended works, and
notifications with the bell."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories
from wenminghao.core.models import AuditEntry, Notification
from wenminghao.works.models import Work, WorkDecision
from wenminghao.works.transitions import change_work_status


@pytest.fixture
def campaign(tree):
    return factories.campaign(office=tree["city"])


def work_of(campaign, tree, users, *, area="a", status="submitted", title="窗口里的四十年", category="photo",
            collective=None):
    return Work.objects.create(campaign=campaign, collective=collective or tree[f"collective_{area}"],
                               category=category, title=title,
                               display_form="picture" if category == "photo" else "essay", contact_name="张三",
                               contact_phone="13800000000", status=status, created_by=users[f"leader_{area}"])


def queue(client, campaign, **params):
    return client.get(reverse("reviews:review_queue", args=[campaign.pk]), params)


# --- the queue ------------------------------------------------------------------------------------------------


def test_queue_shows_the_units_submitted_works_by_default(tree, users, campaign, signed_in):
    mine = work_of(campaign, tree, users, title="环翠的作品")
    work_of(campaign, tree, users, title="街道的作品", collective=tree["collective_sub"])
    work_of(campaign, tree, users, area="b", title="文登的作品")
    work_of(campaign, tree, users, title="草稿作品", status="draft")
    work_of(campaign, tree, users, title="已推荐作品", status="recommended")
    response = queue(signed_in(users["unit_admin_a"]), campaign)
    assert response.status_code == 200
    page = response.content.decode()
    assert "环翠的作品" in page and "街道的作品" in page
    assert "文登的作品" not in page and "草稿作品" not in page and "已推荐作品" not in page
    assert f'data-work="{mine.pk}"' in page and 'data-testid="quick-recommend"' in page
    assert "works/works.css" in page  # the status badges' colours
    tabs = {value: count for value, _label, count in response.context["tabs"]}
    assert tabs["submitted"] == 2 and tabs["recommended"] == 1


def test_queue_filters_by_status_category_collective_and_search(tree, users, campaign, signed_in):
    work_of(campaign, tree, users, title="海边的灯塔")
    work_of(campaign, tree, users, title="一篇征文", category="essay")
    work_of(campaign, tree, users, title="街道窗口", collective=tree["collective_sub"])
    work_of(campaign, tree, users, title="已推荐的灯塔", status="recommended")
    client = signed_in(users["unit_admin_a"])

    def titles(**params):
        return [work.title for work in queue(client, campaign, **params).context["object_list"]]

    assert sorted(titles(category="essay")) == ["一篇征文"]
    assert sorted(titles(collective=tree["collective_sub"].pk)) == ["街道窗口"]
    assert sorted(titles(q="灯塔")) == ["海边的灯塔"]
    assert sorted(titles(q="灯塔", status="all")) == ["已推荐的灯塔", "海边的灯塔"]
    assert titles(status="recommended") == ["已推荐的灯塔"]


def test_queue_query_count_does_not_grow(tree, users, campaign, signed_in):
    client = signed_in(users["unit_admin_a"])
    work_of(campaign, tree, users)
    queue(client, campaign)
    with CaptureQueriesContext(connection) as one:
        queue(client, campaign)
    for index in range(5):
        work_of(campaign, tree, users, title=f"作品{index}", collective=tree["collective_sub"])
    with CaptureQueriesContext(connection) as six:
        response = queue(client, campaign)
    assert len(response.context["object_list"]) == 6
    assert len(six.captured_queries) == len(one.captured_queries)


def test_queue_for_admins_only(tree, users, campaign, signed_in):
    for role in ("leader_a", "judge"):
        assert queue(signed_in(users[role]), campaign).status_code in (403, 404)
    other = factories.campaign(office=factories.unit(name="烟台市团委", kind="city"))
    assert queue(signed_in(users["unit_admin_a"]), other).status_code == 404


def test_quick_recommend_from_the_queue_returns_to_it(tree, users, campaign, signed_in):
    work = work_of(campaign, tree, users)
    client = signed_in(users["unit_admin_a"])
    back = reverse("reviews:review_queue", args=[campaign.pk]) + "?status=submitted"
    response = client.post(reverse("reviews:work_decide", args=[work.pk]), {"to_status": "recommended", "next": back})
    assert response.status_code == 302 and response["Location"] == back
    work.refresh_from_db()
    assert work.status == "recommended" and work.unit_rank == 1
    # never to another site
    other = work_of(campaign, tree, users, title="另一件")
    response = client.post(reverse("reviews:work_decide", args=[other.pk]),
                           {"to_status": "recommended", "next": "https://evil.example.com/"})
    assert response["Location"] == reverse("works:detail", args=[other.pk])


# --- the work's page: decisions and history --------------------------------------------------------------------


def test_panel_offers_what_each_role_may_do(tree, users, campaign, signed_in):
    work = work_of(campaign, tree, users)
    url = reverse("works:detail", args=[work.pk])
    page = signed_in(users["unit_admin_a"]).get(url).content.decode()
    assert 'data-testid="decide-recommended"' in page and 'data-testid="decide-returned"' in page
    page = signed_in(users["leader_a"]).get(url).content.decode()
    assert 'data-testid="review-panel"' not in page
    change_work_status(actor=users["unit_admin_a"], work=work, to_status="recommended")
    page = signed_in(users["unit_admin_a"]).get(url).content.decode()
    assert 'data-testid="decide-submitted"' in page and "撤销推荐" in page
    assert 'data-testid="decide-showcased"' not in page
    page = signed_in(users["city_admin"]).get(url).content.decode()
    for to_status in ("shortlisted", "showcased", "returned", "submitted"):
        assert f'data-testid="decide-{to_status}"' in page


def test_return_without_comment_changes_nothing_and_says_why(tree, users, campaign, signed_in):
    work = work_of(campaign, tree, users)
    client = signed_in(users["unit_admin_a"])
    audits = AuditEntry.objects.count()
    response = client.post(reverse("reviews:work_decide", args=[work.pk]), {"to_status": "returned", "comment": " "},
                           follow=True)
    assert "请填写退回意见" in response.content.decode()
    work.refresh_from_db()
    assert work.status == "submitted" and AuditEntry.objects.count() == audits


def test_collective_sees_the_return_comment_and_the_history(tree, users, campaign, signed_in):
    work = work_of(campaign, tree, users)
    signed_in(users["unit_admin_a"]).post(reverse("reviews:work_decide", args=[work.pk]),
                                          {"to_status": "returned", "comment": "第3张照片模糊，请更换。"})
    page = signed_in(users["leader_a"]).get(reverse("works:detail", args=[work.pk])).content.decode()
    assert 'data-testid="return-comment"' in page and "第3张照片模糊，请更换。" in page
    assert 'data-testid="review-history"' in page and "归口单位审核" in page and "已提交 → " in page


def test_decision_on_an_invisible_work_is_404_and_on_a_visible_one_403(tree, users, campaign, signed_in):
    work = work_of(campaign, tree, users)
    url = reverse("reviews:work_decide", args=[work.pk])
    assert signed_in(users["unit_admin_b"]).post(url, {"to_status": "recommended"}).status_code == 404
    assert signed_in(users["leader_a"]).post(url, {"to_status": "recommended"}).status_code == 403
    assert not WorkDecision.objects.exists()


def test_work_page_query_count_does_not_grow_with_history(tree, users, campaign, signed_in):
    work = work_of(campaign, tree, users)
    client = signed_in(users["city_admin"])
    url = reverse("works:detail", args=[work.pk])
    change_work_status(actor=users["unit_admin_a"], work=work, to_status="recommended")
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for to_status in ("shortlisted", "showcased", "forwarded", "showcased"):
        change_work_status(actor=users["city_admin"], work=work, to_status=to_status)
    with CaptureQueriesContext(connection) as five:
        assert client.get(url).content.decode().count("<li class=\"mb-2\">") == 5
    assert len(five.captured_queries) == len(one.captured_queries)


# --- the order of recommended works -----------------------------------------------------------------------------


def test_order_moves_and_renumbers_within_the_category(tree, users, campaign, signed_in):
    client = signed_in(users["unit_admin_a"])
    works = []
    for title in ("一", "二", "三"):
        work = work_of(campaign, tree, users, title=title)
        change_work_status(actor=users["unit_admin_a"], work=work, to_status="recommended")
        works.append(work)
    essay = work_of(campaign, tree, users, title="征文", category="essay")
    change_work_status(actor=users["unit_admin_a"], work=essay, to_status="recommended")
    move = reverse("reviews:recommended_move", args=[campaign.pk])
    assert client.post(move, {"work": works[2].pk, "direction": "up"}).status_code == 302
    ranks = dict(Work.objects.filter(category="photo").values_list("title", "unit_rank"))
    assert ranks == {"一": 1, "三": 2, "二": 3}
    client.post(move, {"work": works[0].pk, "direction": "up"})  # already first: stays
    assert Work.objects.get(pk=works[0].pk).unit_rank == 1
    assert Work.objects.get(pk=essay.pk).unit_rank == 1
    page = client.get(reverse("reviews:recommended_order", args=[campaign.pk])).content.decode()
    assert page.index("一") < page.index("三") < page.index("二")
    # the table follows the order
    from wenminghao.reviews.selectors import recommended_works
    assert [w.title for w in recommended_works(campaign, tree["area_a"])] == ["一", "三", "二", "征文"]


def test_order_refuses_other_units_works(tree, users, campaign, signed_in):
    theirs = work_of(campaign, tree, users, area="b", status="recommended")
    response = signed_in(users["unit_admin_a"]).post(reverse("reviews:recommended_move", args=[campaign.pk]),
                                                     {"work": theirs.pk, "direction": "up"})
    assert response.status_code == 404
    submitted = work_of(campaign, tree, users)
    response = signed_in(users["unit_admin_a"]).post(reverse("reviews:recommended_move", args=[campaign.pk]),
                                                     {"work": submitted.pk, "direction": "up"}, follow=True)
    assert "不是本单位当前的推荐作品" in response.content.decode()


def test_order_is_the_reporting_units_and_a_street_committee_only_reads_it(tree, users, campaign, signed_in):
    """鲸园街道-like units sit below 环翠: their works are in 环翠's table, so only 环翠 (or the city) orders them;
    a move by the street would renumber part of 环翠's list and shuffle it."""
    street_admin = factories.account(username="jingyuan", role="unit_admin", unit=tree["sub_a"])
    first = work_of(campaign, tree, users, title="环翠一")
    second = work_of(campaign, tree, users, title="街道二", collective=tree["collective_sub"])
    for work in (first, second):
        change_work_status(actor=users["unit_admin_a"], work=work, to_status="recommended")
    client = signed_in(street_admin)
    page = client.get(reverse("reviews:recommended_order", args=[campaign.pk])).content.decode()
    assert 'data-testid="order-list-readonly"' in page and "街道二" in page and "环翠一" not in page
    assert "recommended_move" not in page and 'name="direction"' not in page
    response = client.post(reverse("reviews:recommended_move", args=[campaign.pk]),
                           {"work": second.pk, "direction": "up"})
    assert response.status_code == 403
    assert dict(Work.objects.values_list("title", "unit_rank")) == {"环翠一": 1, "街道二": 2}
    # 环翠 itself orders both, its street's work included
    signed_in(users["unit_admin_a"]).post(reverse("reviews:recommended_move", args=[campaign.pk]),
                                          {"work": second.pk, "direction": "up"})
    assert dict(Work.objects.values_list("title", "unit_rank")) == {"环翠一": 2, "街道二": 1}


def test_the_city_orders_each_units_list_on_its_own(tree, users, campaign, signed_in):
    titles = {}
    for area, title in (("a", "环翠一"), ("a", "环翠二"), ("b", "文登一"), ("b", "文登二")):
        work = work_of(campaign, tree, users, area=area, title=title)
        change_work_status(actor=users["city_admin"], work=work, to_status="recommended")
        titles[title] = work
    client = signed_in(users["city_admin"])
    page = client.get(reverse("reviews:recommended_order", args=[campaign.pk])).content.decode()
    assert page.count('data-testid="order-list"') == 2
    assert f"{tree['area_a'].name}报送" in page and f"{tree['area_b'].name}报送" in page
    assert client.post(reverse("reviews:recommended_move", args=[campaign.pk]),
                       {"work": titles["环翠二"].pk, "direction": "up"}).status_code == 302
    assert dict(Work.objects.values_list("title", "unit_rank")) == {"环翠一": 2, "环翠二": 1, "文登一": 1, "文登二": 2}
    entry = AuditEntry.objects.filter(action="work.reorder_recommended").get()
    assert entry.unit_path == tree["area_a"].path


def test_order_page_query_count_does_not_grow(tree, users, campaign, signed_in):
    client = signed_in(users["city_admin"])
    url = reverse("reviews:recommended_order", args=[campaign.pk])
    change_work_status(actor=users["city_admin"], work=work_of(campaign, tree, users), to_status="recommended")
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for index, (area, category) in enumerate((("b", "photo"), ("a", "essay"), ("b", "essay"), ("a", "photo"))):
        work = work_of(campaign, tree, users, area=area, category=category, title=f"作品{index}",
                       collective=tree["collective_sub"] if index == 3 else None)
        change_work_status(actor=users["city_admin"], work=work, to_status="recommended")
    with CaptureQueriesContext(connection) as five:
        assert client.get(url).content.decode().count('name="direction" value="up"') == 5
    assert len(five.captured_queries) == len(one.captured_queries)


# --- notifications ----------------------------------------------------------------------------------------------


def test_notifications_page_bell_and_mark_read(tree, users, campaign, signed_in):
    work = work_of(campaign, tree, users, title="海边的灯塔")
    change_work_status(actor=users["unit_admin_a"], work=work, to_status="returned", comment="请补充说明。")
    client = signed_in(users["leader_a"])
    home = client.get(reverse("workbench:home")).content.decode()
    assert 'data-testid="unread-count">1<' in home
    page = client.get(reverse("core:notifications")).content.decode()
    assert "海边的灯塔" in page and "请补充说明。" in page and 'data-unread="1"' in page
    assert client.post(reverse("core:notifications_read")).status_code == 302
    assert not Notification.objects.filter(recipient=users["leader_a"], read_at__isnull=True).exists()
    assert 'data-testid="unread-count"' not in client.get(reverse("workbench:home")).content.decode()
    # another account's notifications are never listed
    other = signed_in(users["leader_b"]).get(reverse("core:notifications")).content.decode()
    assert "海边的灯塔" not in other
