"""An account an admin created, or whose password an admin reset, changes its password at first sign-in
(User.must_change_password, accounts.gates, accounts.middleware.AccountGateMiddleware)."""

import pytest
from django.test import Client

from tests import factories
from wenminghao.accounts.models import User
from wenminghao.accounts.services import create_account, issue_api_token, set_password
from wenminghao.core.roles import Role

pytestmark = pytest.mark.django_db

INITIAL = "Chushi-2018-mima"
OWN = "Ziji-2018-mima!"
BANNER = "您的密码由管理员设置，为保护账号安全，请先修改密码"


def sign_in(client, login, password):
    response = client.post("/accounts/login/", {"login": login, "password": password})
    assert response.status_code == 302, response.content.decode()
    return client


@pytest.fixture
def newcomer(tree, users, signed_in):
    """jiedao: a unit admin created on the account page by huancui, signed in with the initial password."""
    response = signed_in(users["unit_admin_a"]).post("/accounts/new/", {
        "role": "unit_admin", "unit": tree["sub_a"].pk, "collective": "", "username": "jiedao",
        "display_name": "街道团委", "mobile": "", "password1": INITIAL, "password2": INITIAL})
    assert response.status_code == 302
    return sign_in(Client(), "jiedao", INITIAL)


def test_an_account_created_by_an_admin_must_change_its_password(newcomer):
    assert User.objects.get(username="jiedao").must_change_password


@pytest.mark.parametrize("path", ["/", "/collectives/", "/accounts/", "/works/", "/notifications/"])
def test_every_page_sends_it_to_the_password_page_first(newcomer, path):
    response = newcomer.get(path)
    assert response.status_code == 302 and response["Location"] == "/accounts/password/"


def test_the_password_page_says_why_and_signing_out_stays_open(newcomer):
    page = newcomer.get("/", follow=True)
    assert page.redirect_chain == [("/accounts/password/", 302)]
    assert BANNER in page.content.decode()
    response = newcomer.post("/accounts/logout/")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    assert "_auth_user_id" not in newcomer.session


def test_static_files_are_not_redirected(newcomer):
    response = newcomer.get("/static/wmh/site.css")
    assert response.status_code != 302


def test_htmx_requests_are_sent_to_the_password_page(newcomer):
    response = newcomer.get("/collectives/", headers={"HX-Request": "true"})
    assert response["HX-Redirect"] == "/accounts/password/"


def test_a_new_own_password_lifts_the_requirement(newcomer):
    response = newcomer.post("/accounts/password/", {"old_password": INITIAL, "new_password1": OWN,
                                                     "new_password2": OWN})
    assert response.status_code == 302
    assert not User.objects.get(username="jiedao").must_change_password
    assert newcomer.get("/").status_code == 200


def test_the_password_the_admin_set_cannot_be_kept(newcomer):
    response = newcomer.post("/accounts/password/", {"old_password": INITIAL, "new_password1": INITIAL,
                                                     "new_password2": INITIAL})
    assert response.status_code == 200
    assert "新密码不能与管理员设置的密码相同" in response.content.decode()
    assert User.objects.get(username="jiedao").must_change_password


def test_a_reset_by_an_admin_requires_a_change_and_the_own_change_clears_it(users):
    leader = users["leader_a"]
    set_password(actor=users["unit_admin_a"], account=leader, password=INITIAL)
    leader.refresh_from_db()
    assert leader.must_change_password
    client = sign_in(Client(), "leader_a", INITIAL)
    assert client.get("/").status_code == 302
    set_password(actor=leader, account=leader, password=OWN)
    leader.refresh_from_db()
    assert not leader.must_change_password


def test_accounts_made_without_an_admin_are_not_forced(tree):
    """manage.py create_office (the person types their own password) and the demo data (actor=None)."""
    office = create_account(actor=None, username="office", password=INITIAL, role=Role.CITY_ADMIN, unit=tree["city"])
    assert not office.must_change_password
    client = sign_in(Client(), "office", INITIAL)
    assert client.get("/").status_code == 200


def test_the_api_refuses_a_token_and_any_call_until_the_password_is_changed(newcomer):
    response = Client().post("/api/v1/auth/token", {"username": "jiedao", "password": INITIAL},
                             content_type="application/json")
    assert response.status_code == 403
    error = response.json()["errors"][0]
    assert error["code"] == "auth.password_change_required" and "须先在网页上登录并修改密码" in error["message"]
    token = issue_api_token(user=User.objects.get(username="jiedao"))  # a token from before a reset, say
    assert Client().get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 403
    response = newcomer.get("/api/v1/me")  # the page session
    assert response.status_code == 403 and response.json()["errors"][0]["code"] == "auth.password_change_required"


def test_other_accounts_are_not_concerned(newcomer, users):
    assert sign_in(Client(), "huancui", factories.PASSWORD).get("/").status_code == 200


def test_a_delegate_account_made_by_its_leader_must_change_its_password(users, tree, signed_in):
    response = signed_in(users["leader_a"]).post(f"/accounts/collectives/{tree['collective_a'].pk}/delegates/", {
        "username": "member_a1", "display_name": "孙成员", "mobile": "", "password1": INITIAL, "password2": INITIAL})
    assert response.status_code == 302
    assert User.objects.get(username="member_a1").must_change_password
