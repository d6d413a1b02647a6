"""The pages of field inspections: the list with its filters and the 整改逾期 flag, recording one, its page with the
rectification's answer, photos and decisions, the panel on the collective's page and the workbench's card; who gets
404 or 403; a fixed number of queries for every list whatever its length."""

import datetime
import re

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.evaluation.test_inspections_services import inspection_data
from tests.works.media_fixtures import files_under, jpeg, media_storage, upload  # noqa: F401 (a fixture)
from wenminghao.core.models import AuditEntry
from wenminghao.core.roles import Role
from wenminghao.evaluation.models import Inspection, InspectionPhoto
from wenminghao.evaluation.selectors.inspections import rectifications_due
from wenminghao.evaluation.services.inspections import add_inspection_photo, change_rectification, record_inspection


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def text_of(response) -> str:
    return response.content.decode()


def record(users, tree, campaign, actor="city_admin", collective="collective_a", **overrides):
    return record_inspection(actor=users[actor], collective=tree[collective],
                             data=inspection_data(campaign, **overrides))


def good(campaign, **overrides):
    return {"rating": "good", "rectification": "", "rectify_by": "", "checks": {"ledger": "in_order"}, **overrides}


@pytest.fixture
def delegate_a(tree):
    return factories.account(username="delegate_a", role=Role.COLLECTIVE, collective=tree["collective_a"],
                             is_delegate=True)


# --- the list ------------------------------------------------------------------------------------------------


def test_admins_see_their_subtrees_inspections_and_a_collective_its_own(tree, users, campaign, signed_in):
    of_a = record(users, tree, campaign, collective="collective_a")
    of_sub = record(users, tree, campaign, collective="collective_sub")
    of_b = record(users, tree, campaign, collective="collective_b")
    listed = {}
    for role in ("city_admin", "unit_admin_a", "unit_admin_b", "leader_a"):
        text = text_of(signed_in(users[role]).get(reverse("evaluation:inspections")))
        listed[role] = {pk for pk in (of_a.pk, of_sub.pk, of_b.pk) if f'data-inspection="{pk}"' in text}
    assert listed == {"city_admin": {of_a.pk, of_sub.pk, of_b.pk}, "unit_admin_a": {of_a.pk, of_sub.pk},
                      "unit_admin_b": {of_b.pk}, "leader_a": {of_a.pk}}


def test_judges_get_404_and_so_does_a_campaign_nobody_here_sees(tree, users, signed_in):
    assert signed_in(users["judge"]).get(reverse("evaluation:inspections")).status_code == 404
    foreign = factories.campaign(office=factories.unit(name="烟台市团委", kind="city"))
    response = signed_in(users["city_admin"]).get(reverse("evaluation:inspections") + f"?campaign={foreign.pk}")
    assert response.status_code == 404


def test_overdue_rectifications_are_flagged_and_filtered(tree, users, campaign, signed_in):
    overdue = record(users, tree, campaign, collective="collective_a")
    Inspection.objects.filter(pk=overdue.pk).update(rectify_by=days(-1))
    due = record(users, tree, campaign, collective="collective_sub")
    fine = record_inspection(actor=users["city_admin"], collective=tree["collective_b"], data=inspection_data(
        campaign, **good(campaign)))
    client = signed_in(users["city_admin"])
    text = text_of(client.get(reverse("evaluation:inspections")))
    row = text[text.index(f'data-inspection="{overdue.pk}"'):]
    assert "整改逾期" in row[:row.index("</li>")]
    assert text.count('data-testid="overdue"') == 1
    flagged = text_of(client.get(reverse("evaluation:inspections") + f"?campaign={campaign.pk}&overdue=on"))
    assert f'data-inspection="{overdue.pk}"' in flagged and f'data-inspection="{due.pk}"' not in flagged
    rated = text_of(client.get(reverse("evaluation:inspections") + f"?campaign={campaign.pk}&rating=good"))
    assert f'data-inspection="{fine.pk}"' in rated and f'data-inspection="{due.pk}"' not in rated
    state = text_of(client.get(reverse("evaluation:inspections") + f"?campaign={campaign.pk}&state=none"))
    assert f'data-inspection="{fine.pk}"' in state and f'data-inspection="{overdue.pk}"' not in state
    unit = text_of(client.get(reverse("evaluation:inspections") + f"?campaign={campaign.pk}&unit={tree['sub_a'].pk}"))
    assert f'data-inspection="{due.pk}"' in unit and f'data-inspection="{overdue.pk}"' not in unit


def test_wrong_filters_are_ignored_and_said_so(tree, users, campaign, signed_in):
    record(users, tree, campaign)
    response = signed_in(users["city_admin"]).get(reverse("evaluation:inspections") + "?rating=superb")
    assert response.status_code == 200 and "部分筛选条件有误，已忽略" in text_of(response)


def test_a_later_page_of_the_default_list_shows_the_campaign_it_lists(tree, users, campaign, signed_in):
    record(users, tree, campaign)
    response = signed_in(users["city_admin"]).get(reverse("evaluation:inspections") + "?page=1")
    assert str(response.context["form"]["campaign"].value()) == str(campaign.pk)
    assert "部分筛选条件有误" not in text_of(response)


@pytest.mark.parametrize("role", ["city_admin", "leader_a"])
def test_the_list_makes_the_same_queries_whatever_the_number_of_inspections(role, tree, users, campaign, signed_in,
                                                                            media_storage):  # noqa: F811
    client = signed_in(users[role])
    address = reverse("evaluation:inspections")

    def add(count: int) -> None:
        for _ in range(count):
            inspection = record(users, tree, campaign)
            add_inspection_photo(actor=users["leader_a"], inspection=inspection, upload=upload("1.jpg", jpeg(80, 60)))

    add(1)
    client.get(address)
    with CaptureQueriesContext(connection) as few:
        assert client.get(address).status_code == 200
    add(12)
    with CaptureQueriesContext(connection) as many:
        assert client.get(address).status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


# --- recording -----------------------------------------------------------------------------------------------


def form_data(campaign, **overrides) -> dict:
    data = inspection_data(campaign, **overrides)
    checks = data.pop("checks")
    data.update({f"check_{item}": result for item, result in checks.items()})
    return data


def test_an_admin_records_an_inspection_from_the_form(tree, users, campaign, signed_in):
    client = signed_in(users["unit_admin_a"])
    address = reverse("evaluation:inspection_new", args=[tree["collective_a"].pk])
    form = text_of(client.get(address + f"?campaign={campaign.pk}"))
    for label in ("台账", "标识上墙", "服务承诺", "监督电话", "优秀", "良好", "合格", "不合格", "未检查"):
        assert label in form
    response = client.post(address, form_data(campaign))
    inspection = Inspection.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("evaluation:inspection",
                                                                           args=[inspection.pk])
    assert inspection.unit == tree["area_a"] and inspection.checks.count() == 3
    assert "已通知该集体按期整改" in text_of(client.get(response["Location"]))


def test_a_refused_inspection_shows_every_reason_and_keeps_what_was_typed(tree, users, campaign, signed_in):
    response = signed_in(users["city_admin"]).post(
        reverse("evaluation:inspection_new", args=[tree["collective_a"].pk]),
        form_data(campaign, rectification="", rectify_by="", rating="fail", inspectors=""))
    text = text_of(response)
    assert response.status_code == 422 and not Inspection.objects.exists()
    assert "请填写考察人员的姓名" in text and "须提出整改要求并填写整改期限" in text
    assert "台账齐全；青年文明号标识未上墙。" in text  # the findings as typed


@pytest.mark.parametrize(("role", "status"), [
    ("city_admin", 200), ("unit_admin_a", 200), ("unit_admin_b", 404), ("leader_a", 403), ("judge", 404)])
def test_only_admins_above_the_collective_open_the_form(role, status, tree, users, campaign, signed_in):
    address = reverse("evaluation:inspection_new", args=[tree["collective_a"].pk])
    assert signed_in(users[role]).get(address).status_code == status


# --- an inspection's page ------------------------------------------------------------------------------------


def test_the_collective_answers_with_photos_from_the_page(tree, users, campaign, signed_in, delegate_a,
                                                         media_storage):  # noqa: F811
    inspection = record(users, tree, campaign)
    client = signed_in(delegate_a)
    page = reverse("evaluation:inspection", args=[inspection.pk])
    text = text_of(client.get(page))
    assert 'data-testid="photo-form"' in text and 'data-testid="respond-form"' in text
    assert 'data-testid="decide"' not in text
    response = client.post(reverse("evaluation:inspection_photo_upload", args=[inspection.pk]),
                           {"file": upload("整改后.jpg", jpeg(800, 600))})
    assert response.status_code == 302
    photo = InspectionPhoto.objects.get()
    served = client.get(reverse("evaluation:inspection_photo", args=[inspection.pk, photo.pk]))
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    assert b"".join(served.streaming_content) == jpeg(800, 600)
    assert client.post(reverse("evaluation:inspection_respond", args=[inspection.pk]), {"response": ""}).status_code \
        == 422
    response = client.post(reverse("evaluation:inspection_respond", args=[inspection.pk]),
                           {"response": "已在入口处张贴标识。"})
    assert response.status_code == 302
    text = text_of(client.get(page))
    assert "已反馈整改" in text and "已在入口处张贴标识。" in text and 'data-testid="respond-form"' not in text
    assert 'data-testid="photo-form"' not in text and 'data-testid="remove-photo"' not in text


def test_a_refused_photo_says_why_and_leaves_nothing(tree, users, campaign, signed_in, media_storage):  # noqa: F811
    media_root, _ = media_storage
    inspection = record(users, tree, campaign)
    response = signed_in(users["leader_a"]).post(reverse("evaluation:inspection_photo_upload", args=[inspection.pk]),
                                                 {"file": upload("说明.jpg", b"plain text")})
    assert response.status_code == 422 and "整改照片只能上传JPEG或PNG格式的图片" in text_of(response)
    assert files_under(media_root) == [] and not InspectionPhoto.objects.exists()


def test_the_inspecting_unit_accepts_or_asks_again_from_the_page(tree, users, campaign, signed_in):
    inspection = record(users, tree, campaign)
    change_rectification(actor=users["leader_a"], inspection=inspection, to_state="answered", response="已整改。")
    client = signed_in(users["city_admin"])
    page = reverse("evaluation:inspection", args=[inspection.pk])
    assert 'data-testid="accept"' in text_of(client.get(page))
    assert 'data-testid="accept"' not in text_of(signed_in(users["unit_admin_a"]).get(page))  # below the city
    client = signed_in(users["city_admin"])
    refused = client.post(reverse("evaluation:inspection_reopen", args=[inspection.pk]),
                          {"comment": "", "rectify_by": ""})
    assert refused.status_code == 422
    assert "请说明还需要整改什么" in text_of(refused) and "请填写新的整改期限" in text_of(refused)
    response = client.post(reverse("evaluation:inspection_reopen", args=[inspection.pk]),
                           {"comment": "监督电话号码有误。", "rectify_by": days(5).isoformat()})
    assert response.status_code == 302
    text = text_of(signed_in(users["leader_a"]).get(page))
    assert 'data-testid="latest-request"' in text and "监督电话号码有误。" in text and "要求再次整改" in text


@pytest.mark.parametrize(("role", "status"), [
    ("city_admin", 200), ("unit_admin_a", 200), ("unit_admin_b", 404), ("leader_a", 200), ("leader_b", 404),
    ("judge", 404)])
def test_an_inspection_and_its_photos_are_404_for_who_may_not_see_it(role, status, tree, users, campaign,
                                                                     signed_in, media_storage):  # noqa: F811
    inspection = record(users, tree, campaign)
    photo = add_inspection_photo(actor=users["leader_a"], inspection=inspection, upload=upload("1.jpg", jpeg(80, 60)))
    client = signed_in(users[role])
    assert client.get(reverse("evaluation:inspection", args=[inspection.pk])).status_code == status
    response = client.get(reverse("evaluation:inspection_photo", args=[inspection.pk, photo.pk]))
    assert response.status_code == status
    if status == 200:
        assert response["Cache-Control"] == "private, max-age=300"
        b"".join(response.streaming_content)


def test_a_photo_through_another_inspections_address_is_404(tree, users, campaign, signed_in,
                                                            media_storage):  # noqa: F811
    first, second = record(users, tree, campaign), record(users, tree, campaign)
    photo = add_inspection_photo(actor=users["leader_a"], inspection=first, upload=upload("1.jpg", jpeg(80, 60)))
    response = signed_in(users["leader_a"]).get(reverse("evaluation:inspection_photo", args=[second.pk, photo.pk]))
    assert response.status_code == 404


def test_the_inspections_page_makes_the_same_queries_whatever_its_photos_and_history(tree, users, campaign,
                                                                                     signed_in,
                                                                                     media_storage):  # noqa: F811
    inspection = record(users, tree, campaign)
    client = signed_in(users["leader_a"])
    page = reverse("evaluation:inspection", args=[inspection.pk])

    def add(count: int, seed: int) -> None:
        for index in range(count):
            add_inspection_photo(actor=users["leader_a"], inspection=inspection,
                                 upload=upload(f"{seed}-{index}.jpg", jpeg(80, 60, seed=seed + index)))

    add(1, 0)
    client.get(page)
    with CaptureQueriesContext(connection) as few:
        assert client.get(page).status_code == 200
    add(8, 10)
    for _ in range(3):
        change_rectification(actor=users["leader_a"], inspection=inspection, to_state="answered", response="已整改。")
        change_rectification(actor=users["city_admin"], inspection=inspection, to_state="asked", comment="再改",
                             rectify_by=days(3))
    with CaptureQueriesContext(connection) as many:
        assert client.get(page).status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


# --- the collective's page and the workbench -----------------------------------------------------------------


def test_the_collectives_page_lists_its_inspections_and_offers_recording_to_admins_above(tree, users, campaign,
                                                                                        signed_in):
    inspection = record(users, tree, campaign)
    page = reverse("collectives:detail", args=[tree["collective_a"].pk])
    admin = text_of(signed_in(users["unit_admin_a"]).get(page))
    assert 'data-panel="inspections"' in admin and f'data-inspection="{inspection.pk}"' in admin
    assert reverse("evaluation:inspection_new", args=[tree["collective_a"].pk]) in admin and "记录实地考察" in admin
    own = text_of(signed_in(users["leader_a"]).get(page))
    assert f'data-inspection="{inspection.pk}"' in own and "记录实地考察" not in own and "待整改" in own


def test_the_collectives_page_makes_the_same_queries_whatever_its_inspections(tree, users, campaign, signed_in):
    client = signed_in(users["unit_admin_a"])
    page = reverse("collectives:detail", args=[tree["collective_a"].pk])
    record(users, tree, campaign)
    client.get(page)
    with CaptureQueriesContext(connection) as few:
        assert client.get(page).status_code == 200
    for _ in range(8):
        record(users, tree, campaign)
    with CaptureQueriesContext(connection) as many:
        text = text_of(client.get(page))
    assert len(many.captured_queries) == len(few.captured_queries)
    assert "查看全部9次考察" in text


def test_the_workbench_card_shows_what_a_collective_must_answer_and_an_admin_what_is_overdue(tree, users, campaign,
                                                                                             rf):
    overdue = record(users, tree, campaign, collective="collective_a")
    Inspection.objects.filter(pk=overdue.pk).update(rectify_by=days(-3))
    due = record(users, tree, campaign, collective="collective_a")
    record(users, tree, campaign, collective="collective_b")
    Inspection.objects.filter(collective=tree["collective_b"]).update(rectify_by=days(-1))
    mine = rectifications_due(users["leader_a"])
    assert mine.for_collective and mine.count == 2 and mine.overdue == 1
    assert [item.pk for item in mine.items] == [overdue.pk, due.pk] and mine.items[0].is_overdue
    area_a = rectifications_due(users["unit_admin_a"])
    assert not area_a.for_collective and [item.pk for item in area_a.items] == [overdue.pk]
    assert rectifications_due(users["city_admin"]).count == 2
    assert rectifications_due(users["judge"]) is None
    html = render_to_string("evaluation/workbench/inspections.html", {"rectifications": mine})
    assert "2</strong>项整改要求待反馈" in html and "整改逾期" in html
    assert reverse("evaluation:inspection", args=[due.pk]) in html
    html = render_to_string("evaluation/workbench/inspections.html", {"rectifications": area_a})
    assert re.search(r'data-testid="rectifications-count">1<', html) and "环翠区政务服务中心窗口" in html
    Inspection.objects.update(rectification_state="accepted")
    for nothing in (rectifications_due(users["leader_a"]), None):  # nothing to answer, or a judge: no card
        assert "rectifications-card" not in render_to_string("evaluation/workbench/inspections.html",
                                                             {"rectifications": nothing})


def test_the_workbench_selector_makes_the_same_queries_whatever_the_rectifications(tree, users, campaign):
    def queries(user) -> int:
        with CaptureQueriesContext(connection) as captured:
            result = rectifications_due(user)
            [item.collective.name for item in result.items]
        return len(captured.captured_queries)

    record(users, tree, campaign)
    Inspection.objects.update(rectify_by=days(-1))
    few = (queries(users["leader_a"]), queries(users["city_admin"]))
    for _ in range(10):
        record(users, tree, campaign)
    Inspection.objects.update(rectify_by=days(-1))
    assert (queries(users["leader_a"]), queries(users["city_admin"])) == few


def test_the_audit_names_the_inspected_collective(tree, users, campaign):
    record(users, tree, campaign)
    assert AuditEntry.objects.get(action="inspection.create").object_repr.startswith("环翠区政务服务中心窗口 ")
