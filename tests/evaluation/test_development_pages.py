"""The pages of leader training, exchange visits and new-and-old pairs: what an admin sees and does there, the
collective picker, a collective's panel, and a constant number of queries for every list whatever its size."""

import datetime

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests import factories
from wenminghao.campaigns.services import file_creation
from wenminghao.collectives.models import Honour
from wenminghao.evaluation.models import MentorPair, TrainingAttendance, TrainingSession
from wenminghao.evaluation.selectors.development import development_of_collective
from wenminghao.evaluation.services import development as services
from wenminghao.evaluation.views.development import development_panel

TODAY = timezone.localdate()


def _training(users, campaign, actor="city_admin", attended=(), title="全市号长培训"):
    session = services.create_training(actor=users[actor], campaign=campaign, data={"date": TODAY, "title": title})
    services.set_training_attendance(actor=users[actor], session=session, shown=[], attended=list(attended))
    return session


# --- the trainings page ----------------------------------------------------------------------------------------


def test_the_office_sees_how_many_leaders_were_trained_and_who_was_not(signed_in, users, tree, campaign, filings):
    session = _training(users, campaign, attended=[tree["collective_a"]])
    client = signed_in(users["city_admin"])
    page = client.get(reverse("evaluation:trainings", args=[campaign.pk])).content.decode()
    assert 'data-testid="trained-count">1<' in page and 'data-testid="creating-count">3<' in page
    assert "2个创建集体的号长尚未参加本年度培训" in page and session.title in page
    untrained = client.get(reverse("evaluation:trainings", args=[campaign.pk]),
                           {"show": "leaders", "trained": "untrained"}).content.decode()
    assert tree["collective_sub"].name in untrained and tree["collective_b"].name in untrained
    assert tree["collective_a"].name not in untrained
    trained = client.get(reverse("evaluation:trainings", args=[campaign.pk]),
                         {"show": "leaders", "trained": "trained"}).content.decode()
    assert tree["collective_a"].name in trained and session.title in trained
    assert tree["collective_b"].name not in trained


def test_a_unit_sees_its_own_subtree_and_the_citys_training(signed_in, users, tree, campaign, filings):
    _training(users, campaign, attended=[tree["collective_a"], tree["collective_b"]])
    _training(users, campaign, actor="unit_admin_b", title="文登区号长培训")
    page = signed_in(users["unit_admin_a"]).get(reverse("evaluation:trainings", args=[campaign.pk])).content.decode()
    assert "全市号长培训" in page and "文登区号长培训" not in page
    assert "（其中本单位范围1人）" in page
    assert 'data-testid="trained-count">1<' in page and 'data-testid="creating-count">2<' in page


def test_a_unit_chosen_narrows_the_figure_and_the_list(signed_in, users, tree, campaign, filings):
    page = signed_in(users["city_admin"]).get(reverse("evaluation:trainings", args=[campaign.pk]), {
        "show": "leaders", "unit": tree["sub_a"].pk}).content.decode()
    assert 'data-testid="creating-count">1<' in page
    assert tree["collective_sub"].name in page and tree["collective_a"].name not in page


@pytest.mark.parametrize("role", ["leader_a", "judge"])
def test_collectives_and_judges_find_no_training_pages(signed_in, users, tree, campaign, filings, role):
    session = _training(users, campaign, attended=[tree["collective_a"]])
    client = signed_in(users[role])
    assert client.get(reverse("evaluation:trainings", args=[campaign.pk])).status_code == 404
    assert client.get(reverse("evaluation:training", args=[session.pk])).status_code == 404


# --- recording a training and ticking its attendees ---------------------------------------------------------------


def test_an_admin_records_a_training_then_ticks_its_leaders(signed_in, users, tree, campaign, filings):
    client = signed_in(users["unit_admin_a"])
    response = client.post(reverse("evaluation:training_new", args=[campaign.pk]), {
        "date": TODAY.isoformat(), "title": "环翠区号长培训", "place": "区团委", "content": ""})
    session = TrainingSession.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/trainings/{session.pk}/?show=all")
    page = client.get(response["Location"]).content.decode()
    assert tree["collective_a"].name in page and tree["collective_sub"].name in page
    assert tree["collective_b"].name not in page  # not under 环翠区团委
    response = client.post(reverse("evaluation:training", args=[session.pk]), {
        "shown": [tree["collective_a"].pk, tree["collective_sub"].pk], "attended": [tree["collective_a"].pk],
        "next": f"{reverse('evaluation:training', args=[session.pk])}?show=all"})
    assert response.status_code == 302 and response["Location"].endswith("?show=all")
    assert list(TrainingAttendance.objects.values_list("collective_id", flat=True)) == [tree["collective_a"].pk]
    page = client.get(reverse("evaluation:training", args=[session.pk])).content.decode()
    assert 'data-testid="attendance-total">1人' in page


def test_a_refused_attendance_list_comes_back_with_its_ticks(signed_in, users, tree, campaign, filings):
    session = _training(users, campaign, actor="unit_admin_a", title="环翠区号长培训")
    outsider = factories.collective(unit=tree["area_a"], name="环翠区未报备窗口")
    client = signed_in(users["unit_admin_a"])
    response = client.post(reverse("evaluation:training", args=[session.pk]) + "?show=all", {
        "shown": [tree["collective_a"].pk, tree["collective_sub"].pk],
        "attended": [tree["collective_sub"].pk, outsider.pk]})
    page = response.content.decode()
    assert response.status_code == 422 and "“环翠区未报备窗口”不是" in page
    assert f'id="attended-{tree["collective_sub"].pk}" checked' in page
    assert f'id="attended-{tree["collective_a"].pk}" checked' not in page
    assert not TrainingAttendance.objects.exists()


def test_a_training_form_shows_every_reason(signed_in, users, campaign):
    response = signed_in(users["city_admin"]).post(reverse("evaluation:training_new", args=[campaign.pk]), {
        "date": (TODAY + datetime.timedelta(days=2)).isoformat(), "title": ""})
    page = response.content.decode()
    assert response.status_code == 422 and "晚于今天" in page and "请填写培训主题" in page
    assert not TrainingSession.objects.exists()


def test_a_unit_reads_the_citys_training_without_ticking(signed_in, users, tree, campaign, filings):
    session = _training(users, campaign, attended=[tree["collective_a"], tree["collective_b"]])
    client = signed_in(users["unit_admin_a"])
    page = client.get(reverse("evaluation:training", args=[session.pk])).content.decode()
    assert 'data-testid="attendee-list"' in page and 'name="attended"' not in page
    assert tree["collective_a"].name in page and tree["collective_b"].name not in page
    response = client.post(reverse("evaluation:training", args=[session.pk]),
                           {"shown": [tree["collective_a"].pk]})
    assert response.status_code == 403 and session.attendances.count() == 2


# --- exchange visits and pairs -------------------------------------------------------------------------------------


def test_a_visit_form_sent_back_keeps_what_was_picked_and_names_the_problems(signed_in, users, tree, campaign):
    client = signed_in(users["unit_admin_a"])
    response = client.post(reverse("evaluation:exchange_new", args=[campaign.pk]), {
        "date": TODAY.isoformat(), "topic": "", "host": tree["collective_a"].pk,
        "visitors": [tree["collective_a"].pk, tree["collective_sub"].pk]})
    page = response.content.decode()
    assert response.status_code == 422 and "请填写观摩主题" in page and "不能同时作为参加观摩的集体" in page
    assert f'name="visitors" value="{tree["collective_sub"].pk}"' in page
    assert f'name="host" value="{tree["collective_a"].pk}"' in page
    response = client.post(reverse("evaluation:exchange_new", args=[campaign.pk]), {
        "date": TODAY.isoformat(), "topic": "社区服务观摩", "host": tree["collective_a"].pk,
        "visitors": [tree["collective_sub"].pk]})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "社区服务观摩" in page and tree["collective_sub"].name in page


def test_a_pair_form_refuses_a_lost_title_with_its_reason(signed_in, users, tree, campaign, filings):
    Honour.objects.filter(collective=tree["collective_sub"]).update(revoked_at=timezone.now())
    response = signed_in(users["unit_admin_a"]).post(reverse("evaluation:mentor_pair_new", args=[campaign.pk]), {
        "mentor": tree["collective_sub"].pk, "mentee": tree["collective_a"].pk, "started": TODAY.isoformat()})
    page = response.content.decode()
    assert response.status_code == 422 and "已撤销" in page and "不能作为老号结对" in page
    assert not MentorPair.objects.exists()


def test_the_pair_list_flags_a_title_lost_since_and_a_pair_is_ended(signed_in, users, tree, campaign, filings):
    pair = services.create_mentor_pair(actor=users["unit_admin_a"], campaign=campaign, data={
        "mentor": tree["collective_sub"].pk, "mentee": tree["collective_a"].pk, "started": TODAY})
    Honour.objects.filter(collective=tree["collective_sub"]).update(valid_until=TODAY - datetime.timedelta(days=1))
    client = signed_in(users["unit_admin_a"])
    page = client.get(reverse("evaluation:mentor_pairs", args=[campaign.pk])).content.decode()
    assert 'data-testid="title-lost"' in page and "解除结对" in page
    assert 'data-testid="mentor-pair-list"' in signed_in(users["unit_admin_b"]).get(
        reverse("evaluation:mentor_pairs", args=[campaign.pk])).content.decode()
    client = signed_in(users["unit_admin_a"])
    assert client.post(reverse("evaluation:mentor_pair_delete", args=[pair.pk])).status_code == 302
    assert not MentorPair.objects.exists()


def test_a_unit_sees_only_its_own_collectives_by_name_in_the_citys_visits_and_pairs(signed_in, users, tree,
                                                                                     campaign, filings):
    a, b = tree["collective_a"], tree["collective_b"]
    visit = services.create_exchange_visit(actor=users["city_admin"], campaign=campaign, data={
        "date": TODAY, "topic": "供电服务观摩", "host": b.pk, "visitors": [a.pk, tree["collective_sub"].pk]})
    Honour.objects.filter(collective=b).update(valid_until=None)
    services.create_mentor_pair(actor=users["city_admin"], campaign=campaign, data={
        "mentor": b.pk, "mentee": a.pk, "started": TODAY})
    huancui = signed_in(users["unit_admin_a"])
    listed = huancui.get(reverse("evaluation:exchanges", args=[campaign.pk])).content.decode()
    detail = huancui.get(reverse("evaluation:exchange", args=[visit.pk])).content.decode()
    pairs = huancui.get(reverse("evaluation:mentor_pairs", args=[campaign.pk])).content.decode()
    for page in (listed, detail, pairs):
        assert b.name not in page and "文登区团委" not in page and "其他单位的集体" in page
    assert a.name in listed and a.name in detail and a.name in pairs
    assert "参加观摩的集体（2个）" in detail and 'data-testid="visitors-hidden"' not in detail  # both are 环翠区's
    wendeng = signed_in(users["unit_admin_b"]).get(reverse("evaluation:exchange", args=[visit.pk])).content.decode()
    assert b.name in wendeng and a.name not in wendeng and "参加观摩的集体（2个）" in wendeng
    assert "其中 2 个是其他单位的集体" in wendeng
    city = signed_in(users["city_admin"]).get(reverse("evaluation:exchange", args=[visit.pk])).content.decode()
    assert a.name in city and b.name in city and "其他单位的集体" not in city


# --- the collective picker ---------------------------------------------------------------------------------------


def test_the_picker_offers_titled_posts_for_mentors_and_creating_ones_for_mentees(signed_in, users, tree, campaign,
                                                                                   filings):
    untitled = factories.collective(unit=tree["area_a"], name="环翠区无称号窗口")
    Honour.objects.filter(collective=tree["collective_sub"]).update(revoked_at=timezone.now())
    client = signed_in(users["unit_admin_a"])
    url = reverse("evaluation:collective_options", args=[campaign.pk])
    mentors = client.get(url, {"purpose": "mentor", "field": "mentor", "q": ""}).content.decode()
    assert tree["collective_a"].name in mentors and "2016年度district青年文明号" in mentors
    assert untitled.name not in mentors and tree["collective_sub"].name not in mentors  # revoked
    assert tree["collective_b"].name not in mentors  # outside 环翠区团委
    mentees = client.get(url, {"purpose": "mentee", "field": "mentee", "mentor": tree["collective_a"].pk}).content
    assert tree["collective_sub"].name in mentees.decode() and tree["collective_a"].name not in mentees.decode()
    anyone = client.get(url, {"field": "host", "q": "无称号"}).content.decode()
    assert untitled.name in anyone and tree["collective_a"].name not in anyone
    assert client.get(url, {"field": "unknown"}).status_code == 404


# --- a collective's panel -----------------------------------------------------------------------------------------


def test_a_collective_reads_its_trainings_visits_and_pairs_on_its_panel(users, tree, campaign, filings):
    a, sub = tree["collective_a"], tree["collective_sub"]
    _training(users, campaign, attended=[a])
    services.create_exchange_visit(actor=users["unit_admin_a"], campaign=campaign, data={
        "date": TODAY, "topic": "社区服务观摩", "host": sub.pk, "visitors": [a.pk]})
    services.create_mentor_pair(actor=users["unit_admin_a"], campaign=campaign, data={
        "mentor": sub.pk, "mentee": a.pk, "started": TODAY})
    request = RequestFactory().get("/")
    request.user = users["leader_a"]
    context = development_panel(request, a)
    html = render_to_string("evaluation/panels/development.html", {**context, "collective": a})
    assert "全市号长培训" in html and "赴环翠楼社区服务站观摩" in html and "由 环翠楼社区服务站 帮带" in html
    request.user = users["leader_b"]
    assert development_panel(request, a) is None
    request.user = users["judge"]
    assert development_panel(request, a) is None


# --- a constant number of queries per list ---------------------------------------------------------------------


def _grow(users, tree, campaign, start: int, count: int) -> None:
    """``count`` more of everything under 环翠楼街道: creating collectives, city trainings they attended, visits and
    pairs."""
    city = users["city_admin"]
    for index in range(start, start + count):
        collective = factories.collective(unit=tree["sub_a"], name=f"窗口{index}", honours=[("district", 2016)])
        file_creation(actor=city, collective=collective, campaign=campaign)
        _training(users, campaign, attended=[collective, tree["collective_a"]], title=f"培训{index}")
        services.create_exchange_visit(actor=city, campaign=campaign, data={
            "date": TODAY, "topic": f"观摩{index}", "host": collective.pk,
            "visitors": [tree["collective_a"].pk, tree["collective_b"].pk]})
        services.create_mentor_pair(actor=city, campaign=campaign, data={
            "mentor": tree["collective_sub"].pk, "mentee": collective.pk, "started": TODAY})


def _pages(tree, campaign):
    session = TrainingSession.objects.order_by("id").first()
    visit_pk = session and campaign.exchange_visits.order_by("id").first().pk
    return {
        "trainings": (reverse("evaluation:trainings", args=[campaign.pk]), {}),
        "leaders": (reverse("evaluation:trainings", args=[campaign.pk]), {"show": "leaders"}),
        "candidates": (reverse("evaluation:training", args=[session.pk]), {"show": "all"}),
        "exchanges": (reverse("evaluation:exchanges", args=[campaign.pk]), {}),
        "exchange": (reverse("evaluation:exchange", args=[visit_pk]), {}),
        "pairs": (reverse("evaluation:mentor_pairs", args=[campaign.pk]), {}),
        "options": (reverse("evaluation:collective_options", args=[campaign.pk]),
                    {"purpose": "mentor", "field": "mentor", "q": "窗口"}),
    }


@pytest.mark.parametrize("page", ["trainings", "leaders", "candidates", "exchanges", "exchange", "pairs", "options"])
def test_every_list_makes_as_many_queries_for_one_as_for_four(signed_in, users, tree, campaign, filings, page):
    client = signed_in(users["city_admin"])

    def measured():
        url, params = _pages(tree, campaign)[page]
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, params)
        assert response.status_code == 200
        return len(captured)

    _grow(users, tree, campaign, 0, 1)
    small = measured()
    _grow(users, tree, campaign, 1, 3)
    assert measured() == small


def test_a_units_reading_of_a_training_makes_constant_queries(signed_in, users, tree, campaign, filings):
    client = signed_in(users["unit_admin_a"])

    def measured():
        session = TrainingSession.objects.order_by("id").first()
        with CaptureQueriesContext(connection) as captured:
            client.get(reverse("evaluation:training", args=[session.pk]))
        return len(captured)

    _grow(users, tree, campaign, 0, 1)
    small = measured()
    TrainingAttendance.objects.filter(session=TrainingSession.objects.order_by("id").first()).delete()
    session = TrainingSession.objects.order_by("id").first()
    extra = [factories.collective(unit=tree["sub_a"], name=f"增补{index}", honours=[("district", 2016)])
             for index in range(3)]
    for collective in extra:
        file_creation(actor=users["city_admin"], collective=collective, campaign=campaign)
    services.set_training_attendance(actor=users["city_admin"], session=session, shown=[],
                                     attended=[*extra, tree["collective_a"]])
    assert measured() == small


def test_a_collectives_panel_makes_four_queries_whatever_it_did(users, tree, campaign, filings):
    def measured():
        with CaptureQueriesContext(connection) as captured:
            development_of_collective(tree["collective_a"], campaign)
        return len(captured)

    _grow(users, tree, campaign, 0, 1)
    small = measured()
    _grow(users, tree, campaign, 1, 3)
    assert small == measured() == 4
