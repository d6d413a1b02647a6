"""The 助千家 pairing pages: who sees each of them (the collective, the units above it, the office) and who gets 404
(judges, other units, other collectives); the list with the number masked only, paged with a constant number of
queries, and its 需回头看 badge; the pairing's own page with the number in full, audited at every showing and
never cached; registering a pairing, a 回头看, ending it and the guardian's withdrawal through the forms."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.ledger.conftest import FAMILY_REF
from tests.works.media_fixtures import jpeg, media_storage, upload  # noqa: F401 - a fixture
from wenminghao.core.models import AuditEntry
from wenminghao.ledger import selectors, services
from wenminghao.ledger.enums import PairingState
from wenminghao.ledger.masking import mask_family_ref
from wenminghao.ledger.models import EntryAttachment, Pairing, PairingReview

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
YESTERDAY = (TODAY - datetime.timedelta(days=1)).isoformat()
TOMORROW = (TODAY + datetime.timedelta(days=1)).isoformat()
MASKED = mask_family_ref(FAMILY_REF)
SEE = ["city_admin", "unit_admin_a", "leader_a"]
HIDDEN = ["unit_admin_b", "leader_b", "judge"]
WITHDRAWN_TEXT = "（已撤回同意，身份信息已删除）"


@pytest.fixture
def pairing(tree, make_pairing):
    return make_pairing(tree["collective_a"])


def list_url(collective) -> str:
    return reverse("ledger:pairings", kwargs={"collective_id": collective.pk})


def create_url(collective) -> str:
    return reverse("ledger:pairing_create", kwargs={"collective_id": collective.pk})


def pairing_url(pairing, name: str = "ledger:pairing") -> str:
    return reverse(name, kwargs={"pairing_id": pairing.pk})


def views_of(pairing):
    return AuditEntry.objects.filter(action="pairing.view", object_id=str(pairing.pk))


def form_data(**overrides) -> dict:
    data = {"family_ref": "3710 0200 0000 1234", "area": "孙家疃街道", "youth_count": "3",
            "help_kinds": ["companionship", "counselling"], "started": YESTERDAY, "consent": "on",
            "consent_date": YESTERDAY}
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


# --- who sees what ------------------------------------------------------------------------------------------------

PAGES = ["list", "create", "detail"]


def page_url(page: str, tree, pairing) -> str:
    return {"list": list_url(tree["collective_a"]), "create": create_url(tree["collective_a"]),
            "detail": pairing_url(pairing)}[page]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("role", SEE)
def test_the_collective_its_units_and_the_office_see_the_pages(page, role, tree, users, pairing, signed_in):
    response = signed_in(users[role]).get(page_url(page, tree, pairing))
    assert response.status_code == 200
    assert b"{#" not in response.content and b"{%" not in response.content  # no template text leaks through


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("role", HIDDEN)
def test_judges_other_units_and_other_collectives_get_404(page, role, tree, users, pairing, signed_in):
    response = signed_in(users[role]).get(page_url(page, tree, pairing))
    assert response.status_code == 404
    assert FAMILY_REF.encode() not in response.content and MASKED.encode() not in response.content
    assert not views_of(pairing).exists()


POSTS = {
    "ledger:pairing_review": {"date": YESTERDAY, "outcome": "improving", "income_trend": "rising", "note": ""},
    "ledger:pairing_end": {"ended": YESTERDAY},
    "ledger:pairing_withdraw": {"confirm": "on"},
}


@pytest.mark.parametrize("name", POSTS)
@pytest.mark.parametrize("role", HIDDEN)
def test_outsiders_get_404_on_every_form_and_nothing_changes(name, role, users, pairing, signed_in):
    response = signed_in(users[role]).post(pairing_url(pairing, name), POSTS[name])
    assert response.status_code == 404
    pairing.refresh_from_db()
    assert pairing.state == PairingState.ACTIVE and pairing.family_ref == FAMILY_REF
    assert not PairingReview.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="pairing.").exclude(action="pairing.create").exists()


@pytest.mark.parametrize("role", HIDDEN)
def test_outsiders_cannot_register_a_pairing_for_the_collective(role, tree, users, signed_in):
    response = signed_in(users[role]).post(create_url(tree["collective_a"]), form_data())
    assert response.status_code == 404 and not Pairing.objects.exists()


@pytest.mark.parametrize("name", POSTS)
@pytest.mark.parametrize("role", SEE)
def test_the_forms_work_for_everyone_who_sees_the_pairing(name, role, users, pairing, signed_in):
    response = signed_in(users[role]).post(pairing_url(pairing, name), POSTS[name])
    assert response.status_code == 302 and response.url == pairing_url(pairing)
    action = {"ledger:pairing_review": "pairing.review", "ledger:pairing_end": "pairing.end",
              "ledger:pairing_withdraw": "pairing.withdraw_consent"}[name]
    assert AuditEntry.objects.get(action=action).actor == users[role]


@pytest.mark.parametrize("page", PAGES)
def test_the_anonymous_are_sent_to_sign_in(page, tree, pairing, client):
    response = client.get(page_url(page, tree, pairing))
    assert response.status_code == 302 and "login" in response.url


@pytest.mark.parametrize("name", POSTS)
def test_the_forms_take_post_only(name, users, pairing, signed_in):
    assert signed_in(users["leader_a"]).get(pairing_url(pairing, name)).status_code == 405


# --- the list ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", SEE)
def test_the_list_shows_the_masked_number_only(role, tree, users, pairing, make_entry, campaign, signed_in):
    make_entry("families", tree["collective_a"], pairing=pairing.pk)
    services.add_pairing_review(actor=users["leader_a"], pairing=pairing,
                                data={"date": YESTERDAY, "outcome": "improving", "income_trend": "steady"})
    response = signed_in(users[role]).get(list_url(tree["collective_a"]))
    content = response.content
    assert FAMILY_REF.encode() not in content and FAMILY_REF[:-4].encode() not in content
    page = content.decode()
    assert MASKED in page and "环翠楼街道" in page and "2人" in page and "助学扶智" in page
    assert "走访：</span>1次" in page and YESTERDAY in page
    assert pairing_url(pairing) in page
    assert "不登记孩子或家长的姓名、身份证号码和详细住址" in page  # the data rules
    assert not views_of(pairing).exists()  # the list is no view of the full number


def test_the_list_marks_the_pairings_due_for_a_follow_up(tree, users, make_pairing, signed_in):
    long_ago = (TODAY - datetime.timedelta(days=200)).isoformat()
    due = make_pairing(tree["collective_a"], family_ref="3710020000000001", started=long_ago)
    reviewed = make_pairing(tree["collective_a"], family_ref="3710020000000002", started=long_ago)
    services.add_pairing_review(actor=users["leader_a"], pairing=reviewed,
                                data={"date": YESTERDAY, "outcome": "improving", "income_trend": "rising"})
    recent = make_pairing(tree["collective_a"], family_ref="3710020000000003", started=YESTERDAY)
    ended = make_pairing(tree["collective_a"], family_ref="3710020000000004", started=long_ago)
    services.end_pairing(actor=users["leader_a"], pairing=ended)
    response = signed_in(users["leader_a"]).get(list_url(tree["collective_a"]))
    flagged = {row.pk for row in response.context["object_list"] if row.follow_up_due}
    assert flagged == {due.pk} == set(selectors.pairings_due_for_follow_up(tree["collective_a"])
                                      .values_list("pk", flat=True))
    assert response.content.decode().count('data-testid="follow-up-due"') == 1
    assert {recent.pk, reviewed.pk, ended.pk} <= {row.pk for row in response.context["object_list"]}


def test_the_list_filters_by_state_and_shows_withdrawn_pairings_without_identity(tree, users, make_pairing,
                                                                                 signed_in):
    active = make_pairing(tree["collective_a"], family_ref="3710020000000011")
    withdrawn = make_pairing(tree["collective_a"], family_ref="3710020000000012")
    services.withdraw_consent(actor=users["leader_a"], pairing=withdrawn)
    client = signed_in(users["unit_admin_a"])
    everything = client.get(list_url(tree["collective_a"])).content.decode()
    assert WITHDRAWN_TEXT in everything and mask_family_ref(active.family_ref) in everything
    only_withdrawn = client.get(list_url(tree["collective_a"]), {"state": "withdrawn"})
    assert [row.pk for row in only_withdrawn.context["object_list"]] == [withdrawn.pk]
    bogus = client.get(list_url(tree["collective_a"]), {"state": "nonsense"})
    assert len(bogus.context["object_list"]) == 2


def test_the_button_to_register_shows_for_who_may(tree, users, signed_in):
    for role in SEE:
        page = signed_in(users[role]).get(list_url(tree["collective_a"])).content.decode()
        assert "登记结对家庭" in page and create_url(tree["collective_a"]) in page


LIST_QUERIES = 8  # session, user, unread notifications, the collective, the user's unit (scope), count, rows, kinds


@pytest.mark.parametrize("extra", [0, 4])
def test_the_list_query_count_does_not_grow_with_rows(extra, tree, users, make_pairing, make_entry, signed_in,
                                                      django_assert_num_queries):
    for index in range(1 + extra):
        pairing = make_pairing(tree["collective_a"], family_ref=f"37100200000001{index:02d}",
                               help_kinds=["education", "income"])
        make_entry("families", tree["collective_a"], pairing=pairing.pk)
        services.add_pairing_review(actor=users["leader_a"], pairing=pairing,
                                    data={"date": YESTERDAY, "outcome": "not_yet", "income_trend": "steady"})
    client = signed_in(users["unit_admin_a"])
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(list_url(tree["collective_a"]))
    assert len(response.context["object_list"]) == 1 + extra
    assert all(row.visit_count == 1 for row in response.context["object_list"])


def test_the_list_paginates_in_the_database(tree, users, make_pairing, signed_in):
    for index in range(32):
        make_pairing(tree["collective_a"], family_ref=f"37100200000002{index:02d}")
    client = signed_in(users["leader_a"])
    first = client.get(list_url(tree["collective_a"]))
    assert len(first.context["object_list"]) == 30 and first.context["page_obj"].paginator.count == 32
    assert len(client.get(list_url(tree["collective_a"]), {"page": 2}).context["object_list"]) == 2


# --- the pairing's own page --------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", SEE)
def test_the_pairing_page_shows_the_full_number_and_audits_every_showing(role, users, pairing, signed_in):
    client = signed_in(users[role])
    first = client.get(pairing_url(pairing), REMOTE_ADDR="10.1.2.3")
    assert first.status_code == 200 and FAMILY_REF.encode() in first.content
    assert views_of(pairing).count() == 1
    client.get(pairing_url(pairing))
    views = list(views_of(pairing).order_by("id"))
    assert len(views) == 2
    assert all(view.actor == users[role] and view.actor_name == users[role].username for view in views)
    assert views[0].ip_address == "10.1.2.3" and views[0].after == {"via": "page"}
    assert views[0].created_at <= views[1].created_at


DETAIL_QUERIES = 12  # session, user, pairing, its kinds, its reviews, the audited view (3 with savepoints),
# visit count, visit rows, their kinds of help, unread notifications


@pytest.mark.parametrize("extra", [0, 2])
def test_the_pairing_page_query_count_does_not_grow_with_visits_and_reviews(
        extra, tree, users, pairing, make_entry, signed_in, django_assert_num_queries):
    for index in range(1 + extra):
        make_entry("families", tree["collective_a"], pairing=pairing.pk, title=f"第{index + 1}次走访")
        services.add_pairing_review(actor=users["leader_a"], pairing=pairing,
                                    data={"date": YESTERDAY, "outcome": "improving", "income_trend": "steady"})
    client = signed_in(users["leader_a"])
    with django_assert_num_queries(DETAIL_QUERIES):
        response = client.get(pairing_url(pairing))
    assert len(response.context["object_list"]) == len(response.context["reviews"]) == 1 + extra


def test_the_pairing_page_is_never_cached(users, pairing, signed_in):
    response = signed_in(users["leader_a"]).get(pairing_url(pairing))
    cache_control = response.headers["Cache-Control"]
    assert "no-store" in cache_control and "no-cache" in cache_control and "private" in cache_control
    assert "Expires" in response.headers


def test_the_pairing_page_shows_the_facts_consent_visits_and_reviews(tree, users, pairing, make_entry, signed_in):
    visit = make_entry("families", tree["collective_a"], pairing=pairing.pk, title="暑期走访结对家庭")
    services.add_pairing_review(actor=users["unit_admin_a"], pairing=pairing,
                                data={"date": YESTERDAY, "outcome": "out_of_poverty", "income_trend": "rising",
                                      "note": "家庭已稳定脱贫。"})
    response = signed_in(users["leader_a"]).get(pairing_url(pairing))
    page = response.content.decode()
    for text in ("环翠楼街道", "2人", "助学扶智", "帮扶中", "已存档", str(users["leader_a"]), "暑期走访结对家庭",
                 "已脱贫", "收入增加", "家庭已稳定脱贫。", "登记回头看", "结束帮扶", "监护人撤回同意"):
        assert text in page, text
    assert reverse("ledger:entry", kwargs={"entry_id": visit.pk}) in page
    add_visit = reverse("ledger:entry_create", kwargs={"collective_id": tree["collective_a"].pk,
                                                       "activity": "families"})
    assert f"{add_visit}?pairing={pairing.pk}" in page
    # the withdrawal form says what goes and what stays, with the number masked
    assert "删除后不可恢复" in page and f"建档立卡编号（{MASKED}）" in page
    assert page.count(FAMILY_REF) == 1  # shown once, in its place


def test_an_ended_pairing_offers_no_more_visits_reviews_or_end(users, pairing, signed_in):
    services.end_pairing(actor=users["leader_a"], pairing=pairing)
    page = signed_in(users["leader_a"]).get(pairing_url(pairing)).content.decode()
    assert 'data-testid="review-form"' not in page and 'data-testid="end-form"' not in page
    assert 'data-testid="add-visit"' not in page and 'data-testid="withdraw-form"' in page
    assert FAMILY_REF in page  # ending keeps the data


def test_a_withdrawn_pairing_shows_no_identity(users, pairing, signed_in):
    services.withdraw_consent(actor=users["leader_a"], pairing=pairing)
    response = signed_in(users["unit_admin_a"]).get(pairing_url(pairing))
    page = response.content.decode()
    assert WITHDRAWN_TEXT in page and FAMILY_REF not in page and "环翠楼街道" not in page
    assert 'data-testid="withdraw-form"' not in page and 'data-testid="review-form"' not in page


# --- registering a pairing ---------------------------------------------------------------------------------------


def test_the_form_says_what_not_to_enter(tree, users, pairing, signed_in):
    response = signed_in(users["leader_a"]).get(create_url(tree["collective_a"]))
    page = response.content.decode()
    assert FAMILY_REF not in page and FAMILY_REF[:-4] not in page  # not even as an example
    assert "已取得监护人书面同意并存档" in page and 'name="consent_date"' in page
    assert "请勿填写孩子或家长的姓名、身份证号码" in page and "请勿填写村（社区）、小区、门牌号等详细地址" in page
    assert page.count('name="help_kinds"') == 6


@pytest.mark.parametrize("role", SEE)
def test_registering_a_pairing_through_the_form(role, tree, users, signed_in):
    client = signed_in(users[role])
    response = client.post(create_url(tree["collective_a"]), form_data())
    pairing = Pairing.objects.get()
    assert response.status_code == 302 and response.url == pairing_url(pairing)
    assert (pairing.family_ref, pairing.area, pairing.youth_count) == ("3710020000001234", "孙家疃街道", 3)
    assert sorted(pairing.help_kinds.values_list("kind", flat=True)) == ["companionship", "counselling"]
    assert pairing.consent_recorded_by == users[role] and pairing.consent_date.isoformat() == YESTERDAY
    landed = client.get(response.url)
    messages = [str(message) for message in landed.context["messages"]]
    assert any("************1234" in message for message in messages)
    assert all("3710020000001234" not in message for message in messages)


def test_the_form_lists_every_problem_at_once_and_keeps_the_input(tree, users, signed_in):
    response = signed_in(users["leader_a"]).post(create_url(tree["collective_a"]), form_data(
        family_ref="12", area="", youth_count="0", help_kinds=None, started=TOMORROW, consent=None))
    assert response.status_code == 200 and not Pairing.objects.exists()
    errors = response.context["form"].errors
    assert set(errors) == {"family_ref", "area", "youth_count", "help_kinds", "started", "consent"}
    assert "监护人的书面同意" in errors["consent"][0] and "晚于今天" in errors["started"][0]
    page = response.content.decode()
    assert 'value="12"' in page and 'data-testid="form-errors"' in page
    assert "no-store" in response.headers["Cache-Control"]  # a returned form holds what was typed


def test_a_duplicate_is_refused_with_the_number_masked(tree, users, pairing, signed_in):
    response = signed_in(users["leader_a"]).post(create_url(tree["collective_a"]),
                                                 form_data(family_ref=FAMILY_REF))
    assert Pairing.objects.count() == 1
    assert MASKED in response.context["form"].errors["family_ref"][0]


def test_without_consent_nothing_is_registered(tree, users, signed_in):
    response = signed_in(users["leader_a"]).post(create_url(tree["collective_a"]), form_data(consent=None))
    assert response.status_code == 200 and not Pairing.objects.exists()
    assert list(response.context["form"].errors) == ["consent"]


# --- 回头看, ending and withdrawal through the forms ---------------------------------------------------------------


def test_a_review_through_the_form(users, pairing, signed_in):
    client = signed_in(users["leader_a"])
    response = client.post(pairing_url(pairing, "ledger:pairing_review"),
                           {"date": YESTERDAY, "outcome": "out_of_poverty", "income_trend": "rising",
                            "note": "家庭已稳定脱贫。"}, follow=True)
    review = PairingReview.objects.get()
    assert (review.outcome, review.note, review.created_by) == ("out_of_poverty", "家庭已稳定脱贫。", users["leader_a"])
    page = response.content.decode()
    assert f"已登记{YESTERDAY}的回头看：已脱贫，收入增加。" in page


def test_a_refused_review_comes_back_with_every_problem_and_the_input_and_is_audited(users, pairing, signed_in):
    client = signed_in(users["leader_a"])
    response = client.post(pairing_url(pairing, "ledger:pairing_review"),
                           {"date": TOMORROW, "outcome": "", "income_trend": "rising", "note": "下次带去学习用品。"})
    assert response.status_code == 200 and not PairingReview.objects.exists()
    assert set(response.context["review_form"].errors) == {"date", "outcome"}
    page = response.content.decode()
    assert "下次带去学习用品。" in page and 'data-testid="form-failed"' in page and "open" in page
    assert "no-store" in response.headers["Cache-Control"]
    assert views_of(pairing).count() == 1  # the page came back with the full number: a view


def test_a_review_of_an_ended_pairing_is_forbidden(users, pairing, signed_in):
    services.end_pairing(actor=users["leader_a"], pairing=pairing)
    response = signed_in(users["leader_a"]).post(pairing_url(pairing, "ledger:pairing_review"),
                                                 POSTS["ledger:pairing_review"])
    assert response.status_code == 403 and not PairingReview.objects.exists()


def test_ending_through_the_form(users, pairing, signed_in):
    client = signed_in(users["unit_admin_a"])
    refused = client.post(pairing_url(pairing, "ledger:pairing_end"), {"ended": TOMORROW})
    assert refused.status_code == 200 and "ended" in refused.context["end_form"].errors
    pairing.refresh_from_db()
    assert pairing.state == PairingState.ACTIVE
    response = client.post(pairing_url(pairing, "ledger:pairing_end"), {"ended": YESTERDAY}, follow=True)
    pairing.refresh_from_db()
    assert (pairing.state, pairing.ended.isoformat()) == (PairingState.ENDED, YESTERDAY)
    assert f"已结束结对帮扶（结束日期{YESTERDAY}）" in response.content.decode()


def test_withdrawal_needs_the_explicit_confirmation(users, pairing, signed_in):
    response = signed_in(users["leader_a"]).post(pairing_url(pairing, "ledger:pairing_withdraw"), {})
    assert response.status_code == 200 and "confirm" in response.context["withdraw_form"].errors
    pairing.refresh_from_db()
    assert pairing.family_ref == FAMILY_REF and pairing.state == PairingState.ACTIVE


def test_withdrawal_through_the_form_erases_the_identity_and_the_photos(
        tree, users, pairing, make_entry, signed_in, media_storage, django_capture_on_commit_callbacks):  # noqa: F811
    media_root, _ = media_storage
    visit = make_entry("families", tree["collective_a"], pairing=pairing.pk)
    with django_capture_on_commit_callbacks(execute=True):
        attachment = services.add_attachment(actor=users["leader_a"], entry=visit,
                                             upload=upload("走访.jpg", jpeg(640, 480)))
    stored = media_root / attachment.original.name
    assert stored.is_file()
    client = signed_in(users["leader_a"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(pairing_url(pairing, "ledger:pairing_withdraw"), {"confirm": "on"})
    assert response.status_code == 302 and response.url == pairing_url(pairing)
    pairing.refresh_from_db()
    assert (pairing.family_ref, pairing.area, pairing.state) == ("", "", PairingState.WITHDRAWN)
    assert not stored.exists() and not EntryAttachment.objects.exists()
    page = client.get(response.url).content.decode()
    assert WITHDRAWN_TEXT in page and "已登记监护人撤回同意" in page and FAMILY_REF not in page
    # a second withdrawal, from a page left open, is refused with the reason
    again = client.post(pairing_url(pairing, "ledger:pairing_withdraw"), {"confirm": "on"})
    assert again.status_code == 200 and "该结对的身份信息已删除" in again.content.decode()
    assert AuditEntry.objects.filter(action="pairing.withdraw_consent").count() == 1
