"""The public list of posts (/posts/): only public pages, searchable by name, area or system (a unit's subtree) and
sector, paginated in the database, a constant number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories
from tests.public.pages_fixtures import make_post, publish
from wenminghao.public.services import pages as services

pytestmark = pytest.mark.django_db


@pytest.fixture
def listed(tree, users):
    for key, actor in (("collective_a", "leader_a"), ("collective_sub", "unit_admin_a"), ("collective_b", "leader_b")):
        publish(users[actor], make_post(tree[key]))
    return tree



def listed_names(client, **query) -> set[str]:
    body = client.get(reverse("public:posts"), query).content.decode()
    return {name for name in ("环翠区政务服务中心窗口", "环翠楼社区服务站", "文登区供电所") if name in body}


def test_list_shows_public_posts_only(client, listed, users):
    services.set_page_hidden(actor=users["unit_admin_b"], collective=listed["collective_b"], hidden=True,
                             reason="整改中")
    hidden_unpublished = make_post(factories.collective(unit=listed["area_b"], name="未公开的集体甲",
                                                        honours=[("district", 2016)]))
    body = client.get(reverse("public:posts")).content.decode()
    assert listed_names(client) == {"环翠区政务服务中心窗口", "环翠楼社区服务站"}
    assert hidden_unpublished.name not in body
    assert f'href="/posts/{listed["collective_a"].pk}/"' in body


def test_search_by_name_unit_and_sector(client, listed):
    assert listed_names(client, q="供电") == {"文登区供电所"}
    assert listed_names(client, unit=listed["area_a"].pk) == {"环翠区政务服务中心窗口", "环翠楼社区服务站"}
    assert listed_names(client, unit=listed["sub_a"].pk) == {"环翠楼社区服务站"}
    assert listed_names(client, sector="service") == {"环翠区政务服务中心窗口", "环翠楼社区服务站", "文登区供电所"}
    assert listed_names(client, sector="research") == set()
    body = client.get(reverse("public:posts"), {"q": "不存在的岗位"}).content.decode()
    assert "没有符合条件的公开身份页（名称含“不存在的岗位”）" in body


def test_list_shows_the_newest_valid_title_and_is_cacheable(client, listed):
    response = client.get(reverse("public:posts"))
    assert "2016年度 2016年度district青年文明号" in response.content.decode()
    assert response["Cache-Control"] == "public, no-cache"
    assert client.get(reverse("public:posts"), headers={"If-None-Match": response["ETag"]}).status_code == 304


def _grow(tree, users, count: int, start: int) -> None:
    for index in range(start, start + count):
        publish(users["city_admin"], make_post(factories.collective(unit=tree["area_b"], name=f"公开集体{index:03d}",
                                                                    honours=[("district", 2016)])))


def _queries(client, query=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("public:posts"), query or {}).status_code == 200
    return len(captured.captured_queries)


def test_list_makes_the_same_number_of_queries_and_pages_in_the_database(client, listed, users):
    _grow(listed, users, 2, 0)
    small = _queries(client)
    _grow(listed, users, 30, 2)
    assert _queries(client) == small
    assert _queries(client, {"page": "2"}) == small
    second = client.get(reverse("public:posts"), {"page": "2"})
    assert second.content.decode().count('class="list-group-item"') == 15  # 35 posts, 20 a page
