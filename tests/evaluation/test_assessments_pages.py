"""The pages of the central evaluation: the ranking (order, ranks right across pages, the unit filter, a constant
number of queries whatever the number of collectives), a collective's page with its parts and the office's form,
the weights page, the score-all action; who sees what (unit admins read-only, collectives and judges 404)."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories
from tests.evaluation.conftest import entry_data
from tests.works.media_fixtures import make_work
from wenminghao.campaigns.services import file_creation
from wenminghao.core.models import AuditEntry
from wenminghao.evaluation.models import Assessment
from wenminghao.evaluation.services.assessments import score_collective
from wenminghao.evaluation.views import assessments as views
from wenminghao.ledger import services as ledger
from wenminghao.works.models import Work


def _ranking(client, campaign, **query):
    return client.get(reverse("evaluation:assessments", args=[campaign.pk]), query)


def _rows(response) -> list[tuple[str, str, str]]:
    """(rank, collective, score) of each row of the ranking's table."""
    html = response.content.decode()
    found = re.findall(r'data-testid="rank">([^<]*)</td>\s*<td class="wmh-ranking-name">\s*<a[^>]*>([^<]+)</a>'
                       r'.*?data-testid="score">(.*?)</td>', html, flags=re.S)
    return [(rank, name, re.sub(r"<[^>]+>", "", score).strip()) for rank, name, score in found]


def _creating(tree, users, campaign, unit_key: str, name: str):
    collective = factories.collective(unit=tree[unit_key], name=name, honours=[("district", 2016)])
    file_creation(actor=users["city_admin"], collective=collective, campaign=campaign)
    return collective


def _score(users, campaign, collective, score):
    return score_collective(actor=users["city_admin"], campaign=campaign, collective=collective, score=score,
                            reason="领导小组评议意见")


@pytest.fixture
def six(tree, users, campaign, filings):
    """Six creating collectives scored 90, 80, 80, 70 and two not scored (名称 order breaks ties)."""
    names = ("文登区甲集体", "文登区乙集体", "文登区丙集体")
    extra = [_creating(tree, users, campaign, "area_b", name) for name in names]
    scored = {"环翠区政务服务中心窗口": "90", "文登区甲集体": "80", "文登区乙集体": "80", "文登区丙集体": "70"}
    collectives = {c.name: c for c in [tree["collective_a"], tree["collective_sub"], tree["collective_b"], *extra]}
    for name, score in scored.items():
        _score(users, campaign, collectives[name], score)
    return collectives


def test_the_ranking_orders_by_score_with_competition_ranks(signed_in, users, campaign, six):
    rows = _rows(_ranking(signed_in(users["city_admin"]), campaign))
    assert rows == [("1", "环翠区政务服务中心窗口", "90.00"), ("2", "文登区乙集体", "80.00"),
                    ("2", "文登区甲集体", "80.00"), ("4", "文登区丙集体", "70.00"),
                    ("—", "文登区供电所", "未评议"), ("—", "环翠楼社区服务站", "未评议")]


def test_ranks_stay_right_across_pages(signed_in, users, campaign, six, monkeypatch):
    monkeypatch.setattr(views, "PER_PAGE", 2)
    client = signed_in(users["city_admin"])
    pages = [_rows(_ranking(client, campaign, page=number)) for number in (1, 2, 3)]
    assert [[(rank, score) for rank, _, score in page] for page in pages] == [
        [("1", "90.00"), ("2", "80.00")], [("2", "80.00"), ("4", "70.00")], [("—", "未评议"), ("—", "未评议")]]


def test_the_ranking_of_a_unit_ranks_its_subtree_only(signed_in, tree, users, campaign, six):
    _score(users, campaign, six["环翠楼社区服务站"], "95")
    office = _rows(_ranking(signed_in(users["city_admin"]), campaign, unit=tree["area_a"].pk))
    assert office == [("1", "环翠楼社区服务站", "95.00"), ("2", "环翠区政务服务中心窗口", "90.00")]
    # The unit admin's own page shows the same, read-only.
    response = _ranking(signed_in(users["unit_admin_a"]), campaign)
    assert _rows(response) == office
    html = response.content.decode()
    assert "evaluation:assessments_score_all" not in html and 'data-testid="score-all"' not in html
    assert 'data-testid="weights-link"' not in html and "本页只供查看" in html
    b = _rows(_ranking(signed_in(users["unit_admin_b"]), campaign))
    assert [(rank, name) for rank, name, _ in b] == [
        ("1", "文登区乙集体"), ("1", "文登区甲集体"), ("3", "文登区丙集体"), ("—", "文登区供电所")]


def test_a_unit_outside_ones_subtree_is_not_found(signed_in, tree, users, campaign, filings):
    assert _ranking(signed_in(users["unit_admin_b"]), campaign, unit=tree["area_a"].pk).status_code == 404
    assert _ranking(signed_in(users["unit_admin_a"]), campaign, unit=tree["sub_a"].pk).status_code == 200


@pytest.mark.parametrize("role", ["leader_a", "judge"])
def test_collectives_and_judges_do_not_find_the_section(signed_in, tree, users, campaign, filings, role):
    client = signed_in(users[role])
    assert _ranking(client, campaign).status_code == 404
    assert client.get(reverse("evaluation:assess", args=[campaign.pk, tree["collective_a"].pk])).status_code == 404
    assert client.get(reverse("evaluation:assessment_weights", args=[campaign.pk])).status_code == 404


def test_the_ranking_shows_facts_suggestion_and_adjustment(signed_in, tree, users, campaign, filings, make_entry):
    make_entry("benchmark", tree["collective_a"])
    make_entry("study", tree["collective_a"])
    score_collective(actor=users["city_admin"], campaign=campaign, collective=tree["collective_a"], score="66",
                     reason="号长培训缺席，扣分")
    html = _ranking(signed_in(users["city_admin"]), campaign).content.decode()
    row = html[html.index(f'<tr data-collective="{tree["collective_a"].pk}"'):]
    row = row[:row.index("</tr>")]
    assert "目标1 · 成果0" in row and "1次 · 覆盖63%" in row
    # 10 (a target) + 20 × (0.5 × 5/8 + 0.5 × 1/4) = 10 + 8.75
    assert 'data-testid="suggested">18.75' in row and ">66.00<" in row
    assert "已调整" in row and "号长培训缺席，扣分" in row
    assert "报备待审核" not in row  # collective_a's filing was accepted
    assert "报备待审核" in html  # the others' are pending


def _populate(tree, users, campaign, numbers: range) -> None:
    """More creating collectives in area_b, each with entries of every activity, a 回头看, works and a
    score, so that every fact of every row has rows to count."""
    for number in numbers:
        collective = _creating(tree, users, campaign, "area_b", f"文登区测试集体{number:02d}")
        leader = factories.account(role="collective", collective=collective)
        pairing = ledger.create_pairing(actor=leader, collective=collective, data={
            "family_ref": f"37108100000{number:05d}", "area": "宋村镇", "youth_count": 1, "help_kinds": ["education"],
            "started": "2018-05-01", "consent": True})
        for activity in ("benchmark", "study", "families", "open_week"):
            ledger.create_entry(actor=leader, collective=collective, campaign=campaign,
                                data=entry_data(activity, collective))
        ledger.add_pairing_review(actor=leader, pairing=pairing, data={"date": "2018-11-01", "outcome": "improving",
                                                                      "income_trend": "rising"})
        work = make_work(actor=leader, collective=collective, campaign=campaign)
        Work.objects.filter(pk=work.pk).update(status="recommended")
        if number % 2:
            _score(users, campaign, collective, str(60 + number))


@pytest.mark.parametrize("path", ["ranking", "ranking_unit", "assess"])
def test_the_pages_make_a_constant_number_of_queries(signed_in, tree, users, campaign, filings, path):
    client = signed_in(users["city_admin"])

    def measure() -> int:
        if path == "assess":
            target = Assessment.objects.order_by("id").first().collective_id
            url = reverse("evaluation:assess", args=[campaign.pk, target])
            query = {}
        else:
            url = reverse("evaluation:assessments", args=[campaign.pk])
            query = {"unit": tree["area_b"].pk} if path == "ranking_unit" else {}
        client.get(url, query)  # the session and the caches warm up once
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, query).status_code == 200
        return len(queries)

    _populate(tree, users, campaign, range(2))
    small = measure()
    _populate(tree, users, campaign, range(2, 11))
    assert Assessment.objects.count() > 4
    large = measure()
    assert small == large, f"{small} queries with 5 collectives, {large} with 14"
    assert large <= 16


# --- a collective's page ----------------------------------------------------------------------------------------


def _assess_url(campaign, collective):
    return reverse("evaluation:assess", args=[campaign.pk, collective.pk])


def test_the_collectives_page_shows_each_part_and_the_form_for_the_office(signed_in, tree, users, campaign, filings,
                                                                          make_entry):
    make_entry("open_week", tree["collective_a"])
    html = signed_in(users["city_admin"]).get(_assess_url(campaign, tree["collective_a"])).content.decode()
    points = re.findall(r'data-testid="points">([^ <]+)', html)
    assert points == ["0", "0", "0", "20", "0"]
    assert 'data-testid="suggested">20.00<' in html
    assert "开放周活动1次，其中亮出示范承诺和监督电话1次" in html
    assert "采用建议得分（20.00分）" in html and 'name="score"' in html


def test_a_unit_admin_sees_the_page_without_the_form_and_may_not_post(signed_in, tree, users, campaign, filings):
    client = signed_in(users["unit_admin_a"])
    response = client.get(_assess_url(campaign, tree["collective_a"]))
    assert response.status_code == 200 and 'data-testid="score-form"' not in response.content.decode()
    assert client.post(_assess_url(campaign, tree["collective_a"]), {"accept": "1"}).status_code == 403
    assert client.get(_assess_url(campaign, tree["collective_b"])).status_code == 404  # not in area_a
    assert not Assessment.objects.exists()


def test_accepting_on_the_page_scores_and_goes_back_to_the_ranking(signed_in, tree, users, campaign, filings):
    client = signed_in(users["city_admin"])
    back = reverse("evaluation:assessments", args=[campaign.pk]) + "?page=1"
    response = client.post(_assess_url(campaign, tree["collective_a"]), {"accept": "1", "next": back,
                                                                         "score": "70", "reason": ""})
    assert response.status_code == 302 and response["Location"] == back
    assert Assessment.objects.get().score == Decimal("0.00")  # the suggestion; the typed score is ignored


def test_another_score_without_reason_comes_back_with_both_numbers(signed_in, tree, users, campaign, filings):
    client = signed_in(users["city_admin"])
    response = client.post(_assess_url(campaign, tree["collective_a"]), {"score": "88", "reason": ""})
    assert response.status_code == 422
    html = response.content.decode()
    assert "评议得分88.00与建议得分0.00不同，请填写调整理由" in html
    assert 'value="88"' in html  # what was typed stays
    assert not Assessment.objects.exists()
    response = client.post(_assess_url(campaign, tree["collective_a"]), {"score": "88", "reason": "实地考察优秀"})
    assert response.status_code == 302
    assert Assessment.objects.get().adjustment_reason == "实地考察优秀"


def test_the_page_says_when_the_facts_changed_since_scoring(signed_in, tree, users, campaign, filings, make_entry):
    score_collective(actor=users["city_admin"], campaign=campaign, collective=tree["collective_a"],
                     use_suggestion=True)
    make_entry("open_week", tree["collective_a"])
    html = signed_in(users["city_admin"]).get(_assess_url(campaign, tree["collective_a"])).content.decode()
    assert "建议得分由0.00变为20.00" in html
    assert "第1名" in html


def test_a_collective_not_creating_in_the_campaign_is_not_found(signed_in, tree, users, campaign, filings):
    outsider = factories.collective(unit=tree["area_a"], name="未报备的集体")
    assert signed_in(users["city_admin"]).get(_assess_url(campaign, outsider)).status_code == 404


# --- weights and scoring all ----------------------------------------------------------------------------------------


def test_the_weights_page_saves_and_refuses_a_wrong_sum(signed_in, users, campaign, filings):
    client = signed_in(users["city_admin"])
    url = reverse("evaluation:assessment_weights", args=[campaign.pk])
    assert client.get(url).status_code == 200
    wrong = {"benchmark": "30", "study": "20", "families": "20", "open_week": "20", "works": "20"}
    response = client.post(url, wrong)
    assert response.status_code == 422
    assert "五项权重之和须为100，现为110" in response.content.decode()
    response = client.post(url, {**wrong, "benchmark": "10", "works": "30"})
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action="assessment.weights").count() == 1
    html = _ranking(client, campaign).content.decode()
    assert "对标创优 10分" in html and "成果作品 30分" in html


def test_unit_admins_may_not_open_the_weights(signed_in, users, campaign, filings):
    url = reverse("evaluation:assessment_weights", args=[campaign.pk])
    assert signed_in(users["unit_admin_a"]).get(url).status_code == 403


def test_score_all_scores_the_rest_with_their_suggestions(signed_in, tree, users, campaign, filings):
    client = signed_in(users["city_admin"])
    _score(users, campaign, tree["collective_a"], "90")
    html = _ranking(client, campaign).content.decode()
    assert "其余2个集体按建议得分评议" in html
    response = client.post(reverse("evaluation:assessments_score_all", args=[campaign.pk]))
    assert response.status_code == 302
    assert Assessment.objects.count() == 3
    assert Assessment.objects.get(collective=tree["collective_a"]).score == Decimal("90.00")
    html = client.get(response["Location"]).content.decode()
    assert "已按建议得分为2个尚未评议的创建集体评议打分" in html
    assert 'data-testid="score-all"' not in html  # nothing left to score
    assert signed_in(users["unit_admin_a"]).post(
        reverse("evaluation:assessments_score_all", args=[campaign.pk])).status_code == 403
