"""Sessions of signed-in pages (accounts/middleware.py): they end after an idle time and after SESSION_COOKIE_AGE,
and every session of an account ends when its password changes; API tokens are not sessions."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests import factories
from wenminghao.accounts.middleware import LAST_ACTIVITY
from wenminghao.accounts.models import ApiToken
from wenminghao.accounts.services import issue_api_token

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Qingnian-2018-new"


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.WMH_SESSION_IDLE_MINUTES = 120
    settings.SESSION_COOKIE_AGE = 12 * 3600


def sign_in(client, username="huancui", password=factories.PASSWORD):
    response = client.post("/accounts/login/", {"login": username, "password": password})
    assert response.status_code == 302 and "_auth_user_id" in client.session
    return client


def later(**delta):
    """The clock moved forward by ``delta`` (and standing still there)."""
    return time_machine.travel(timezone.now() + datetime.timedelta(**delta), tick=False)


def test_a_session_idle_past_the_limit_is_signed_out_with_a_message_on_the_sign_in_page(users, client):
    sign_in(client)
    assert client.get("/collectives/").status_code == 200
    with later(minutes=121):
        response = client.get("/collectives/?page=2")
        assert response.status_code == 302
        assert response["Location"] == "/accounts/login/?next=%2Fcollectives%2F%3Fpage%3D2"
        assert "_auth_user_id" not in client.session
        page = client.get(response["Location"]).content.decode()
        assert "由于长时间未操作，您已退出登录（超过120分钟无操作），请重新登录。" in page


def test_a_session_used_within_the_limit_stays_signed_in(users, client):
    sign_in(client)
    for minutes in (100, 200, 300, 400):
        with later(minutes=minutes):
            assert client.get("/collectives/").status_code == 200


def test_the_idle_limit_is_configurable(users, client, settings):
    settings.WMH_SESSION_IDLE_MINUTES = 15
    sign_in(client)
    with later(minutes=14):
        assert client.get("/").status_code == 200
    with later(minutes=14 + 16):
        assert client.get("/").status_code == 302


def test_the_last_activity_is_written_at_most_once_a_minute(users, client):
    sign_in(client)
    client.get("/")
    first = client.session[LAST_ACTIVITY]

    def session_writes(response_of):
        with CaptureQueriesContext(connection) as queries:
            assert response_of().status_code == 200
        return [q["sql"] for q in queries.captured_queries
                if "django_session" in q["sql"] and q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT"))]

    with later(seconds=30):
        assert session_writes(lambda: client.get("/")) == []
        assert client.session[LAST_ACTIVITY] == first
    with later(seconds=61):
        assert len(session_writes(lambda: client.get("/"))) == 1
        assert client.session[LAST_ACTIVITY] in (first + 61, first + 62)


def test_session_cookie_age_stays_the_absolute_limit_however_active(users, client):
    sign_in(client)
    statuses = []
    for minutes in range(100, 800, 100):  # a request every 100 minutes, never idle for long
        with later(minutes=minutes):
            statuses.append(client.get("/").status_code)
    assert statuses == [200] * 7  # 700 minutes: within 12 hours
    with later(minutes=730):
        response = client.get("/")
        assert response.status_code == 302
        assert "您本次登录已超过12小时，为保护账号安全已自动退出" in client.get(response["Location"]).content.decode()


def test_an_expired_session_answers_htmx_with_a_redirect_to_the_sign_in_page(users, client):
    sign_in(client)
    with later(minutes=121):
        response = client.get("/collectives/", headers={"HX-Request": "true"})
        assert response.status_code == 200 and response["HX-Redirect"] == "/accounts/login/"


def test_api_bearer_tokens_are_not_sessions_and_do_not_expire_when_idle(users, client):
    token = issue_api_token(user=users["unit_admin_a"])
    with later(hours=5):
        response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 200 and response.json()["username"] == "huancui"


def test_an_api_call_with_an_idle_session_gets_401_in_the_error_shape(users, client):
    sign_in(client)
    assert client.get("/api/v1/me").status_code == 200
    with later(minutes=121):
        response = client.get("/api/v1/me")
        assert response.status_code == 401
        assert response.json()["errors"][0]["code"] == "not_authenticated"


# --- a new password ends every other session ---------------------------------------------------------------------

def test_changing_ones_password_signs_out_every_other_session_and_keeps_this_one(users):
    here, elsewhere = sign_in(Client()), sign_in(Client())
    token = issue_api_token(user=users["unit_admin_a"])
    response = here.post("/accounts/password/", {"old_password": factories.PASSWORD, "new_password1": NEW_PASSWORD,
                                                 "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert here.get("/").status_code == 200
    assert elsewhere.get("/").status_code == 302
    assert "_auth_user_id" not in elsewhere.session
    assert Client().get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert not ApiToken.objects.filter(user=users["unit_admin_a"]).exists()


def test_an_admin_reset_signs_out_every_session_of_the_account_and_ends_its_tokens(users, signed_in):
    person = sign_in(Client(), "leader_a")
    token = issue_api_token(user=users["leader_a"])
    admin = signed_in(users["unit_admin_a"])
    response = admin.post(f"/accounts/{users['leader_a'].pk}/password/",
                          {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert person.get("/").status_code == 302 and "_auth_user_id" not in person.session
    assert Client().get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert admin.get("/").status_code == 200  # the admin's own session is not concerned


def test_a_visitor_without_a_session_gets_public_pages_without_vary_cookie(db, client):
    """The middleware reads no session that is not there: public pages stay cacheable for everyone."""
    response = client.get("/posts/")
    assert response.status_code == 200 and "Cookie" not in response.get("Vary", "")
