"""A named or revoked title is the platform's record of a decision: the collective's edit form and the import never
change or delete it (they edit the titles typed in by hand only), and the collective's page shows every title with
its state, its term and who named it, linked to its title page."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests.collectives.test_importer import IMPORT_URL, collective_row, workbook_bytes
from tests.collectives.test_views import collective_post
from wenminghao.collectives.models import Honour
from wenminghao.collectives.services import update_collective
from wenminghao.core.errors import RuleViolationError
from wenminghao.evaluation.services import naming as services


@pytest.fixture
def titles(users, campaign, filings, tree):
    """collective_a's three titles: ``typed`` (the district title of the fixtures), ``named`` (the city's naming in the
    campaign) and ``revoked`` (a hand-typed city title the office revoked)."""
    collective = tree["collective_a"]
    named = services.name_collectives(actor=users["city_admin"], campaign=campaign, collectives=[collective])[0]
    revoked = Honour.objects.create(collective=collective, level="city", year=2017, title="2017年度威海市青年文明号")
    services.revoke_honour(actor=users["city_admin"], honour=revoked, reason="经核实的群众投诉")
    return {"typed": collective.honours.get(year=2016), "named": named.honour, "revoked": revoked}


def snapshot(honour: Honour) -> tuple:
    honour = Honour.objects.get(pk=honour.pk)
    return (honour.level, honour.year, honour.title, honour.valid_until, honour.awarded_by_id, honour.revoked_at)


def edit(client, collective, honours, **extra):
    members = [{"id": m.pk, "name": m.name, "birth_date": m.birth_date.isoformat(), "post": m.post,
                "is_leader": "on" if m.is_leader else ""} for m in collective.members.all()]
    data = collective_post(unit=collective.unit, members=members, honours=honours, initial_members=len(members),
                           initial_honours=len(honours), name=collective.name, host_org=collective.host_org)
    data.update(extra)
    return client.post(reverse("collectives:edit", args=[collective.pk]), data)


def test_the_edit_form_offers_only_the_titles_typed_in_by_hand(users, tree, signed_in, titles):
    response = signed_in(users["city_admin"]).get(reverse("collectives:edit", args=[tree["collective_a"].pk]))
    offered = [form.initial.get("id") for form in response.context["honours"].initial_forms]
    assert offered == [titles["typed"].pk]
    protected = response.context["protected_honours"]
    assert {honour.pk for honour in protected} == {titles["named"].pk, titles["revoked"].pk}
    assert "由平台命名或已复核、警告、撤销的称号" in response.content.decode()


def test_saving_the_form_leaves_named_and_revoked_titles_untouched(users, tree, signed_in, titles):
    before = {key: snapshot(honour) for key, honour in titles.items() if key != "typed"}
    # the admin deletes the typed title and adds one with a term
    response = edit(signed_in(users["unit_admin_a"]), tree["collective_a"], [
        {"id": titles["typed"].pk, "level": "district", "year": "2016", "title": "环翠区青年文明号", "DELETE": "on"},
        {"level": "district", "year": "2019", "title": "2019年度环翠区青年文明号", "valid_until": "2022-12-31"},
    ])
    assert response.status_code == 302, response.context and response.context.get("violations")
    assert {key: snapshot(titles[key]) for key in before} == before
    assert not Honour.objects.filter(pk=titles["typed"].pk).exists()
    added = Honour.objects.get(collective=tree["collective_a"], year=2019)
    assert added.valid_until == datetime.date(2022, 12, 31) and not added.is_named


def test_a_row_naming_a_protected_title_is_refused_and_changes_nothing(users, tree, signed_in, titles):
    before = snapshot(titles["named"])
    response = edit(signed_in(users["city_admin"]), tree["collective_a"], [
        {"id": titles["typed"].pk, "level": "district", "year": "2016", "title": "环翠区青年文明号"},
        {"id": titles["named"].pk, "level": "national", "year": "2016", "title": "改过的称号"},
    ])
    assert response.status_code == 200
    assert [v.code for v in response.context["violations"]] == ["honours.protected"]
    assert snapshot(titles["named"]) == before


def test_the_service_keeps_protected_titles_whatever_the_rows(users, tree, titles):
    update_collective(actor=users["city_admin"], collective=tree["collective_a"], fields={}, honours=[])
    assert set(tree["collective_a"].honours.values_list("pk", flat=True)) == {titles["named"].pk,
                                                                              titles["revoked"].pk}
    with pytest.raises(RuleViolationError) as caught:
        update_collective(actor=users["city_admin"], collective=tree["collective_a"], fields={}, honours=[
            {"id": titles["revoked"].pk, "level": "city", "year": 2017, "title": "恢复的称号"}])
    assert caught.value.violations[0].field == "honours.1.id"
    assert Honour.objects.get(pk=titles["revoked"].pk).revoked_at is not None


def test_the_import_never_touches_an_existing_collectives_titles(users, tree, signed_in, titles):
    before = {key: snapshot(honour) for key, honour in titles.items()}
    content = workbook_bytes([collective_row(tree["collective_a"].name, host_org=tree["collective_a"].host_org,
                                             unit="环翠区团委", honours="市级:2016:改写的称号")],
                             [[tree["collective_a"].name, "新成员", "1995-01-01", "岗位", "是"]])
    response = signed_in(users["unit_admin_a"]).post(IMPORT_URL, {"file": SimpleUploadedFile("名单.xlsx", content)})
    assert response.status_code == 422 and response.context["violations"]  # a duplicate: nothing imported
    assert {key: snapshot(honour) for key, honour in titles.items()} == before


@pytest.mark.parametrize(("user", "linked"), [("city_admin", True), ("unit_admin_a", True), ("leader_a", True)])
def test_the_collectives_page_shows_each_titles_state_term_and_naming_office(users, tree, signed_in, titles, user,
                                                                            linked):
    response = signed_in(users[user]).get(reverse("collectives:detail", args=[tree["collective_a"].pk]))
    page = response.content.decode()
    states = {honour.pk: honour.state for honour in response.context["honours"]}
    assert states == {titles["typed"].pk: "valid", titles["named"].pk: "valid", titles["revoked"].pk: "revoked"}
    named = titles["named"]
    assert f"由威海市团委在平台命名 · 有效期至{named.valid_until:%Y-%m-%d}" in page
    assert "已撤销" in page and "经核实的群众投诉" in page and "手工录入" in page
    assert (reverse("evaluation:title", args=[named.pk]) in page) is linked


def test_an_expired_title_shows_as_expired(users, tree, signed_in, titles):
    Honour.objects.filter(pk=titles["named"].pk).update(valid_until=timezone.localdate() - datetime.timedelta(days=1))
    response = signed_in(users["city_admin"]).get(reverse("collectives:detail", args=[tree["collective_a"].pk]))
    assert {h.pk: h.state for h in response.context["honours"]}[titles["named"].pk] == "expired"
    assert "已到期" in response.content.decode()


def test_a_typed_title_once_warned_keeps_its_history_out_of_the_form(users, tree, signed_in, titles):
    recent = Honour.objects.create(collective=tree["collective_a"], level="district",
                                   year=timezone.localdate().year - 1, title="环翠区青年文明号",
                                   valid_until=timezone.localdate() + datetime.timedelta(days=365))
    services.warn_honour(actor=users["city_admin"], honour=recent, reason="台账不全",
                         fix_by=timezone.localdate() + datetime.timedelta(days=10))
    client = signed_in(users["unit_admin_a"])
    response = client.get(reverse("collectives:edit", args=[tree["collective_a"].pk]))
    assert recent.pk in {honour.pk for honour in response.context["protected_honours"]}
    assert [form.initial.get("id") for form in response.context["honours"].initial_forms] == [titles["typed"].pk]
    # a save that leaves it out of the rows (as the form does) keeps it and its warning
    response = edit(client, tree["collective_a"], [
        {"id": titles["typed"].pk, "level": "district", "year": "2016", "title": "环翠区青年文明号"}])
    assert response.status_code == 302
    assert Honour.objects.filter(pk=recent.pk).exists() and recent.events.count() == 1
    refused = edit(client, tree["collective_a"], [
        {"id": recent.pk, "level": "district", "year": "2015", "title": "改过的称号"}])
    assert [v.code for v in refused.context["violations"]] == ["honours.protected"]
    assert "由平台命名或已复核、警告、撤销" in refused.content.decode()


def test_a_collectives_own_account_cannot_give_itself_a_title(users, tree, signed_in, titles):
    """Eligibility and the public identity page read the titles: the unit types them in, never the collective."""
    collective = tree["collective_a"]
    before = set(collective.honours.values_list("pk", "title"))
    client = signed_in(users["leader_a"])
    page = client.get(reverse("collectives:edit", args=[collective.pk])).content.decode()
    assert 'data-testid="honours-read-only"' in page and "荣誉称号由环翠区团委或上级团委录入" in page
    response = edit(client, collective, [{"level": "national", "year": "2019", "title": "2019年度全国青年文明号"}])
    assert response.status_code == 302  # its facts and members are saved; the posted title rows are not read
    assert set(collective.honours.values_list("pk", "title")) == before
    with pytest.raises(RuleViolationError) as refused:
        update_collective(actor=users["leader_a"], collective=collective, fields={},
                          honours=[{"level": "national", "year": 2019, "title": "2019年度全国青年文明号"}])
    assert [v.code for v in refused.value.violations] == ["honours.admin_only"]
    assert set(collective.honours.values_list("pk", "title")) == before
