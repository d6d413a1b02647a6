"""The naming pages: the office ticks collectives from the ranking and names them; unit admins read their subtree's
namings; the 命名名单 downloads (.docx, .xlsx) read back; the titles list and a title's page with its forms. Lists
make a fixed number of queries whatever their length (two sizes each)."""

import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from tests import factories
from wenminghao.campaigns.services import decide_filing, file_creation
from wenminghao.collectives.models import Honour
from wenminghao.core.models import AuditEntry
from wenminghao.evaluation.enums import TitleEventKind
from wenminghao.evaluation.models import Assessment, Naming, TitleEvent
from wenminghao.evaluation.selectors import naming as selectors
from wenminghao.evaluation.services import naming as services


def namings_url(campaign, **query) -> str:
    url = reverse("evaluation:namings", args=[campaign.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def accept_all(users, campaign, tree, keys=("collective_sub", "collective_b")):
    for key in keys:
        filing = campaign.filings.get(collective=tree[key])
        decide_filing(actor=users["city_admin"], filing=filing, accept=True)


def more_creating(users, campaign, unit, count: int, prefix="新集体"):
    """``count`` collectives under ``unit`` whose filings of the campaign were accepted."""
    made = []
    for index in range(count):
        collective = factories.collective(unit=unit, name=f"{prefix}{index}", host_org=f"{prefix}单位{index}",
                                          honours=[("district", 2016)])
        filing = file_creation(actor=users["city_admin"], collective=collective, campaign=campaign)
        decide_filing(actor=users["city_admin"], filing=filing, accept=True)
        made.append(collective)
    return made


# --- the namings page ----------------------------------------------------------------------------------------


def test_the_office_sees_the_accepted_candidates_ranked_with_their_scores(users, tree, campaign, filings, signed_in):
    accept_all(users, campaign, tree, keys=("collective_b",))
    Assessment.objects.create(campaign=campaign, collective=tree["collective_b"], suggested_score=Decimal("80"),
                              score=Decimal("91.50"), scored_by=users["city_admin"])
    response = signed_in(users["city_admin"]).get(namings_url(campaign))
    assert response.status_code == 200
    rows = list(response.context["object_list"])
    assert [c.name for c in rows] == ["文登区供电所", "环翠区政务服务中心窗口"]  # scored first; the pending one is out
    assert (rows[0].rank, rows[0].assessed_score) == (1, Decimal("91.50")) and rows[1].assessed_score is None
    page = response.content.decode()
    assert "91.50" in page and "未评议" in page and 'name="collectives"' in page
    assert 'data-confirm="确定将选中的 {count} 个集体命名为' in page  # the form asks first (wmh/site.js)


def test_naming_from_the_page_then_the_named_list(users, tree, campaign, filings, signed_in):
    client = signed_in(users["city_admin"])
    response = client.post(namings_url(campaign), {"collectives": [tree["collective_a"].pk]})
    assert response.status_code == 302 and response["Location"].endswith("?show=named")
    named = client.get(response["Location"])
    assert [n.collective for n in named.context["object_list"]] == [tree["collective_a"]]
    assert f"{campaign.year}年度威海市青年文明号" in named.content.decode()
    candidates = client.get(namings_url(campaign))
    assert [c.named for c in candidates.context["object_list"]] == [True]  # no box any more
    assert 'name="collectives"' not in candidates.content.decode()


def test_a_refused_naming_shows_every_reason_and_keeps_the_ticks(users, tree, campaign, filings, signed_in):
    response = signed_in(users["city_admin"]).post(namings_url(campaign), {
        "collectives": [tree["collective_a"].pk, tree["collective_b"].pk]})
    assert response.status_code == 422
    assert [v.code for v in response.context["violations"]] == ["naming.not_creating"]
    assert "文登区供电所”的创建报备状态为“待归口单位审核”" in response.content.decode()
    assert response.context["chosen"] == {str(tree["collective_a"].pk), str(tree["collective_b"].pk)}
    assert not Naming.objects.exists()


def test_a_collective_the_office_does_not_see_is_404(users, tree, campaign, filings, signed_in):
    elsewhere = factories.collective(unit=factories.unit(name="烟台市团委"), name="外市集体")
    response = signed_in(users["city_admin"]).post(namings_url(campaign), {"collectives": [elsewhere.pk]})
    assert response.status_code == 404 and not Naming.objects.exists()


def test_unit_admins_read_their_subtrees_namings_only(users, tree, campaign, filings, signed_in):
    accept_all(users, campaign, tree)
    services.name_collectives(actor=users["city_admin"], campaign=campaign,
                              collectives=[tree["collective_a"], tree["collective_sub"], tree["collective_b"]])
    response = signed_in(users["unit_admin_a"]).get(namings_url(campaign))
    assert response.status_code == 200 and response.context["show_named"] is True
    names = {n.collective.name for n in response.context["object_list"]}
    assert names == {"环翠区政务服务中心窗口", "环翠楼社区服务站"}
    page = response.content.decode()
    assert "本页只供查看" in page and 'name="collectives"' not in page
    assert signed_in(users["unit_admin_a"]).post(namings_url(campaign), {
        "collectives": [tree["collective_a"].pk]}).status_code == 403


@pytest.mark.parametrize("role", ["leader_a", "judge"])
def test_collectives_and_judges_do_not_see_the_namings(users, campaign, signed_in, role):
    assert signed_in(users[role]).get(namings_url(campaign)).status_code == 404


@pytest.mark.parametrize("show", ["", "named"])
def test_the_namings_page_makes_the_same_queries_at_two_sizes(users, tree, campaign, filings, signed_in,
                                                              django_assert_num_queries, show):
    counts = []
    for size in (1, 5):
        made = more_creating(users, campaign, tree["area_b"], size, prefix=f"第{size}批")
        services.name_collectives(actor=users["city_admin"], campaign=campaign, collectives=made)
        for collective in made:
            Assessment.objects.create(campaign=campaign, collective=collective, suggested_score=Decimal("70"),
                                      score=Decimal("70"), scored_by=users["city_admin"])
        client = signed_in(users["city_admin"])
        with CaptureQueriesContext(connection) as queries:
            response = client.get(namings_url(campaign, **({"show": show} if show else {})))
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


# --- the naming list ---------------------------------------------------------------------------------------------


@pytest.fixture
def named_everywhere(users, tree, campaign, filings):
    """Every collective of the tree named; 文登区 (area_b) sorted before 环翠区 (area_a) in the tree."""
    accept_all(users, campaign, tree)
    extra = more_creating(users, campaign, tree["area_a"], 1, prefix="环翠区档案馆窗口")
    type(tree["area_b"]).objects.filter(pk=tree["area_b"].pk).update(sort_order=1)
    type(tree["area_a"]).objects.filter(pk=tree["area_a"].pk).update(sort_order=2)
    return services.name_collectives(actor=users["city_admin"], campaign=campaign, collectives=[
        tree["collective_a"], tree["collective_sub"], tree["collective_b"], *extra])


def download(client, campaign, fmt):
    response = client.get(reverse(f"evaluation:naming_list_{fmt}", args=[campaign.pk]))
    assert response.status_code == 200, response
    assert "attachment" in response["Content-Disposition"]
    return b"".join(response.streaming_content)


def test_the_naming_list_docx_is_grouped_by_unit_in_the_trees_order_and_numbered(users, campaign, signed_in,
                                                                               named_everywhere):
    data = download(signed_in(users["city_admin"]), campaign, "docx")
    document = Document(io.BytesIO(data))
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[0] == f"{campaign.year}年度威海市青年文明号命名名单"
    assert paragraphs[1] == "（共4个集体）"
    rows = [[cell.text for cell in row.cells] for row in document.tables[0].rows]
    assert rows[0] == ["序号", "所在单位", "集体名称"]
    assert [row[0] for row in rows[1:]] == ["文登区团委（1个）", "1", "环翠区团委（2个）", "2", "3",
                                            "环翠楼街道团委（1个）", "4"]
    assert rows[2] == ["1", "测试所在单位", "文登区供电所"]
    assert [row[2] for row in rows[4:6]] == ["环翠区政务服务中心窗口", "环翠区档案馆窗口0"]  # by name within a unit
    assert rows[5][1] == "环翠区档案馆窗口单位0"
    audit = AuditEntry.objects.get(action="naming.export")
    assert audit.after == {"format": "docx", "unit": campaign.office_id, "collectives": 4}


def test_the_naming_list_xlsx_reads_back(users, campaign, signed_in, named_everywhere):
    data = download(signed_in(users["city_admin"]), campaign, "xlsx")
    sheet = load_workbook(io.BytesIO(data))["命名名单"]
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][0] == f"{campaign.year}年度威海市青年文明号命名名单"
    assert values[2] == ["序号", "归口单位", "所在单位", "集体名称", "称号"]
    title = f"{campaign.year}年度威海市青年文明号"
    assert values[3:] == [
        [1, "文登区团委", "测试所在单位", "文登区供电所", title],
        [2, "环翠区团委", "测试所在单位", "环翠区政务服务中心窗口", title],
        [3, None, "环翠区档案馆窗口单位0", "环翠区档案馆窗口0", title],  # the unit cell merged over its rows
        [4, "环翠楼街道团委", "测试所在单位", "环翠楼社区服务站", title],
    ]
    assert "B5:B6" in {str(merged) for merged in sheet.merged_cells.ranges}


def test_a_unit_admin_downloads_the_list_of_its_subtree(users, campaign, signed_in, named_everywhere):
    data = download(signed_in(users["unit_admin_a"]), campaign, "xlsx")
    sheet = load_workbook(io.BytesIO(data))["命名名单"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=4)]
    assert [row[3] for row in rows] == ["环翠区政务服务中心窗口", "环翠区档案馆窗口0", "环翠楼社区服务站"]
    assert "环翠区团委范围内，共3个集体" in sheet["A2"].value


# --- the titles list ---------------------------------------------------------------------------------------------


@pytest.fixture
def title_states(users, tree, campaign, filings):
    """collective_a: a named title (valid, warned with an overdue period), its typed district title (valid);
    collective_b: a typed title, revoked; collective_sub: a typed title, expired."""
    today = timezone.localdate()
    named = services.name_collectives(actor=users["city_admin"], campaign=campaign,
                                      collectives=[tree["collective_a"]])[0].honour
    services.warn_honour(actor=users["city_admin"], honour=named, reason="监督电话未公示",
                         fix_by=today + datetime.timedelta(days=5))
    TitleEvent.objects.filter(honour=named).update(fix_by=today - datetime.timedelta(days=1))  # the period passed
    revoked = tree["collective_b"].honours.get()
    services.revoke_honour(actor=users["city_admin"], honour=revoked, reason="经核实的群众投诉")
    expired = tree["collective_sub"].honours.get()
    Honour.objects.filter(pk=expired.pk).update(valid_until=today - datetime.timedelta(days=1))
    return {"named": named, "typed": tree["collective_a"].honours.get(awarded_by__isnull=True), "revoked": revoked,
            "expired": expired}


def states_in(response) -> dict[int, str]:
    return {honour.pk: honour.state for honour in response.context["object_list"]}


def test_the_titles_list_shows_each_titles_state_computed_in_sql(users, signed_in, title_states):
    response = signed_in(users["city_admin"]).get(reverse("evaluation:titles"))
    assert states_in(response) == {title_states["named"].pk: "valid", title_states["typed"].pk: "valid",
                                   title_states["revoked"].pk: "revoked", title_states["expired"].pk: "expired"}
    overdue = {h.pk for h in response.context["object_list"] if h.warning_overdue}
    assert overdue == {title_states["named"].pk}
    assert "整改逾期" in response.content.decode()


@pytest.mark.parametrize(("query", "expected"), [
    ({"state": "valid"}, {"named", "typed"}),
    ({"state": "revoked"}, {"revoked"}),
    ({"state": "expired"}, {"expired"}),
    ({"level": "city"}, {"named"}),
    ({"overdue": "on"}, {"named"}),
    ({"q": "供电所"}, {"revoked"}),
    ({"unit": "area_a"}, {"named", "typed", "expired"}),
    ({"unit": "sub_a"}, {"expired"}),
])
def test_the_titles_list_filters(users, tree, signed_in, title_states, query, expected):
    query = {key: tree[value].pk if key == "unit" else value for key, value in query.items()}
    response = signed_in(users["city_admin"]).get(reverse("evaluation:titles"), query)
    assert set(states_in(response)) == {title_states[key].pk for key in expected}


def test_a_review_passed_after_an_overdue_warning_clears_the_flag(users, signed_in, title_states):
    named = title_states["named"]
    services.review_honour(actor=users["city_admin"], honour=named, year=timezone.localdate().year,
                           result="passed", reason="已整改，监督电话已公示")
    response = signed_in(users["city_admin"]).get(reverse("evaluation:titles"), {"overdue": "on"})
    assert list(response.context["object_list"]) == []


@pytest.mark.parametrize(("role", "visible"), [
    ("unit_admin_a", {"named", "typed", "expired"}), ("unit_admin_b", {"revoked"}), ("leader_a", {"named", "typed"}),
])
def test_each_sees_the_titles_of_its_subtree_or_its_own(users, signed_in, title_states, role, visible):
    response = signed_in(users[role]).get(reverse("evaluation:titles"))
    assert set(states_in(response)) == {title_states[key].pk for key in visible}


def test_judges_do_not_see_the_titles(users, signed_in):
    assert signed_in(users["judge"]).get(reverse("evaluation:titles")).status_code == 404


def test_the_titles_list_makes_the_same_queries_at_two_sizes(users, tree, campaign, filings, signed_in):
    counts = []
    for size in (1, 6):
        made = more_creating(users, campaign, tree["area_b"], size, prefix=f"第{size}批")
        for honour in services.name_collectives(actor=users["city_admin"], campaign=campaign, collectives=made):
            services.warn_honour(actor=users["city_admin"], honour=honour.honour, reason="台账不全",
                                 fix_by=timezone.localdate() + datetime.timedelta(days=3))
        client = signed_in(users["city_admin"])
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("evaluation:titles"))
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


# --- a title's page ----------------------------------------------------------------------------------------------


def test_a_titles_page_makes_the_same_queries_with_one_or_four_inspections_cited(users, tree, campaign, filings,
                                                                                 signed_in):
    from tests.evaluation.test_inspections_services import inspection_data
    from wenminghao.evaluation.services.inspections import record_inspection

    honour = services.name_collectives(actor=users["city_admin"], campaign=campaign,
                                       collectives=[tree["collective_a"]])[0].honour
    counts = []
    for inspections in (1, 3):
        for _ in range(inspections):
            inspection = record_inspection(actor=users["city_admin"], collective=tree["collective_a"],
                                           data=inspection_data(campaign))
            services.warn_honour(actor=users["city_admin"], honour=honour, reason="标识未上墙",
                                 fix_by=timezone.localdate() + datetime.timedelta(days=3), inspection=inspection)
        client = signed_in(users["city_admin"])
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("evaluation:title", args=[honour.pk])).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts



def test_the_office_sees_the_title_its_events_and_the_three_forms(users, signed_in, title_states):
    named = title_states["named"]
    response = signed_in(users["city_admin"]).get(reverse("evaluation:title", args=[named.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert [event.kind for event in response.context["events"]] == [TitleEventKind.WARNING]
    assert "监督电话未公示" in page and "整改逾期" in page
    for testid in ("review-form", "warn-form", "revoke-form"):
        assert f'data-testid="{testid}"' in page
    assert "data-confirm=\"确定撤销“" in page  # revocation asks first (wmh/site.js)


@pytest.mark.parametrize(("role", "status"), [("unit_admin_a", 200), ("leader_a", 200), ("leader_b", 404),
                                              ("unit_admin_b", 404), ("judge", 404)])
def test_others_see_a_title_read_only_or_not_at_all(users, signed_in, title_states, role, status):
    response = signed_in(users[role]).get(reverse("evaluation:title", args=[title_states["named"].pk]))
    assert response.status_code == status
    if status == 200:
        assert 'data-testid="revoke-form"' not in response.content.decode()


def test_the_forms_of_a_title_page(users, signed_in, title_states):
    named = title_states["named"]
    client = signed_in(users["city_admin"])
    year = timezone.localdate().year
    review = client.post(reverse("evaluation:title_review", args=[named.pk]),
                         {"year": year, "result": "passed", "reason": "台账齐全"})
    assert review.status_code == 302
    again = client.post(reverse("evaluation:title_review", args=[named.pk]),
                        {"year": year, "result": "failed", "reason": "再复核"})
    assert again.status_code == 422 and "每年只复核一次" in again.content.decode()
    warn = client.post(reverse("evaluation:title_warn", args=[named.pk]), {"reason": "", "fix_by": ""})
    assert warn.status_code == 422
    assert set(warn.context["warn_form"].errors) == {"reason", "fix_by"}  # each message on its field
    revoke = client.post(reverse("evaluation:title_revoke", args=[named.pk]), {"reason": "实地考察不合格"})
    assert revoke.status_code == 302
    after = client.get(reverse("evaluation:title", args=[named.pk]))
    assert after.context["honour"].state == "revoked"
    assert 'data-testid="revoke-form"' not in after.content.decode()
    assert client.post(reverse("evaluation:title_revoke", args=[named.pk]),
                       {"reason": "再撤一次"}).context["violations"][0].code == "honour.revoked"
    assert signed_in(users["unit_admin_a"]).post(reverse("evaluation:title_revoke", args=[named.pk]),
                                                 {"reason": "x"}).status_code == 403


# --- the workbench card ------------------------------------------------------------------------------------------


def test_the_workbench_card_of_title_warnings(users, tree, campaign, filings, title_states):
    named = title_states["named"]  # warned, the period passed
    card = selectors.title_warnings_due(users["leader_a"])
    assert (card.for_collective, card.count, [h.pk for h in card.items]) == (True, 1, [named.pk])
    office = selectors.title_warnings_due(users["city_admin"])
    assert (office.for_collective, office.count) == (False, 1) and office.items[0].warning_overdue
    assert selectors.title_warnings_due(users["unit_admin_a"]) is None  # unit admins do not manage titles
    assert selectors.title_warnings_due(users["judge"]) is None
    assert selectors.title_warnings_due(users["leader_b"]).count == 0
    html = render_to_string("evaluation/workbench/naming.html", {"title_warnings": card})
    assert "本集体有<strong" in html and reverse("evaluation:title", args=[named.pk]) in html
    services.review_honour(actor=users["city_admin"], honour=named, year=timezone.localdate().year,
                           result="passed", reason="已整改")
    assert selectors.title_warnings_due(users["leader_a"]).count == 0
    assert render_to_string("evaluation/workbench/naming.html", {"title_warnings": None}).strip() == ""
