import pytest
from django.test import Client

from wenminghao.accounts.models import ApiToken, LoginFailure
from wenminghao.accounts.services import issue_api_token

from .. import factories
from .conftest import error_codes

ENDPOINTS = [
    ("get", "/me"),
    ("get", "/units"),
    ("get", "/campaigns"),
    ("get", "/campaigns/1"),
    ("get", "/collectives"),
    ("get", "/collectives/1"),
    ("post", "/collectives"),
    ("get", "/applications"),
    ("get", "/applications/1"),
    ("post", "/applications"),
    ("post", "/applications/1/accept"),
    ("post", "/applications/1/return"),
]


def token_for(api, login, password=factories.PASSWORD):
    return api.post("/auth/token", {"username": login, "password": password})


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_endpoint_anonymous_answers_401(api, tree, method, path):
    response = getattr(api, method)(path)
    assert response.status_code == 401
    assert error_codes(response) == ["not_authenticated"]
    assert "Bearer" in response.json()["errors"][0]["message"]
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_token_issued_for_username_and_works_as_bearer(api, users):
    response = token_for(api, "huancui")
    assert response.status_code == 200
    token = response.json()["token"]
    assert ApiToken.objects.filter(user=users["unit_admin_a"]).count() == 1
    me = api.client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200
    assert me.json()["username"] == "huancui"


def test_token_issued_for_mobile_number(api, tree):
    factories.account(username="mobile_user", unit=tree["area_b"], mobile="13912345678")
    response = token_for(api, "13912345678")
    assert response.status_code == 200
    me = api.client.get("/api/v1/me", headers={"Authorization": f"Bearer {response.json()['token']}"})
    assert me.json()["username"] == "mobile_user"


def test_token_bad_password_answers_401_in_chinese(api, users):
    response = token_for(api, "huancui", "wrong-password")
    assert response.status_code == 401
    assert error_codes(response) == ["auth.invalid_credentials"]
    assert "账号或密码不正确" in response.json()["errors"][0]["message"]
    assert LoginFailure.objects.filter(login="huancui").count() == 1


def test_token_unknown_account_answers_401(api, users):
    response = token_for(api, "nobody")
    assert response.status_code == 401
    assert error_codes(response) == ["auth.invalid_credentials"]


def test_token_inactive_account_answers_401(api, users):
    users["judge"].is_active = False
    users["judge"].save()
    assert token_for(api, "judge").status_code == 401


def test_token_missing_password_answers_422_naming_field(api, users):
    response = api.post("/auth/token", {"username": "huancui"})
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert error == {"code": "field.required", "message": "密码（password）为必填项，请提供", "field": "password"}


def test_token_throttled_after_configured_failures(api, users, settings):
    settings.WMH_LOGIN_MAX_FAILURES = 3
    for _ in range(3):
        assert token_for(api, "huancui", "wrong-password").status_code == 401
    response = token_for(api, "huancui")  # even the right password waits now
    assert response.status_code == 429
    assert error_codes(response) == ["auth.throttled"]
    assert "登录失败次数较多" in response.json()["errors"][0]["message"]
    assert response["Retry-After"] in (str(settings.WMH_LOGIN_DELAY_SECONDS), str(settings.WMH_LOGIN_DELAY_SECONDS - 1))
    assert not ApiToken.objects.exists()


def test_token_throttle_shares_counters_with_login_page(api, client, users, settings):
    settings.WMH_LOGIN_MAX_FAILURES = 2
    for _ in range(2):
        client.post("/accounts/login/", {"login": "huancui", "password": "wrong-password"})
    assert token_for(api, "huancui").status_code == 429


def test_token_from_an_address_under_attack_still_issued_for_a_name_that_has_not_failed(api, users, settings):
    settings.WMH_LOGIN_MAX_FAILURES_PER_IP = 2
    token_for(api, "nobody1", "x")
    token_for(api, "nobody2", "x")
    assert token_for(api, "huancui").status_code == 200
    assert token_for(api, "nobody1", "x").status_code == 429  # a name that failed here waits after one failure


def test_token_success_clears_failures(api, users, settings):
    settings.WMH_LOGIN_MAX_FAILURES = 3
    token_for(api, "huancui", "wrong-password")
    token_for(api, "huancui", "wrong-password")
    assert token_for(api, "huancui").status_code == 200
    assert not LoginFailure.objects.filter(login="huancui").exists()


def test_bearer_unknown_token_answers_401(api, users):
    response = api.client.get("/api/v1/me", headers={"Authorization": "Bearer not-a-real-token"})
    assert response.status_code == 401


def test_bearer_token_of_deactivated_account_answers_401(api, users):
    token = issue_api_token(user=users["leader_a"])
    users["leader_a"].is_active = False
    users["leader_a"].save()
    response = api.client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401


def test_session_cookie_authenticates_reads(signed_in, users):
    response = signed_in(users["leader_a"]).get("/api/v1/me")
    assert response.status_code == 200
    assert response.json()["role"] == "collective"


def test_session_post_without_csrf_token_answers_403(users, tree):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["city_admin"], backend="wenminghao.accounts.backends.UsernameOrMobileBackend")
    response = client.post("/api/v1/applications", data={"collective": 1, "campaign": 1},
                           content_type="application/json")
    assert response.status_code == 403
    assert error_codes(response) == ["forbidden"]
    assert "CSRF" in response.json()["errors"][0]["message"]


def test_session_post_with_csrf_token_is_accepted(users, tree):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["city_admin"], backend="wenminghao.accounts.backends.UsernameOrMobileBackend")
    secret = "k" * 32  # a well-formed CSRF secret, as the cookie of any page would carry
    client.cookies["csrftoken"] = secret
    campaign = factories.campaign(office=tree["city"])
    response = client.post(
        "/api/v1/applications", data={"collective": tree["collective_a"].pk, "campaign": campaign.pk},
        content_type="application/json", headers={"X-CSRFToken": secret},
    )
    assert response.status_code == 201


def test_bearer_post_needs_no_csrf_token(users, tree):
    client = Client(enforce_csrf_checks=True)
    token = issue_api_token(user=users["city_admin"])
    campaign = factories.campaign(office=tree["city"])
    response = client.post(
        "/api/v1/applications", data={"collective": tree["collective_a"].pk, "campaign": campaign.pk},
        content_type="application/json", headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 201


def test_me_for_every_role(api, users, tree):
    expected = {
        "city_admin": ("city_admin", tree["city"], None),
        "unit_admin_a": ("unit_admin", tree["area_a"], None),
        "unit_admin_b": ("unit_admin", tree["area_b"], None),
        "leader_a": ("collective", tree["area_a"], tree["collective_a"]),
        "judge": ("judge", tree["city"], None),
    }
    for key, (role, unit, collective) in expected.items():
        body = api.get("/me", user=users[key]).json()
        assert body["username"] == users[key].username
        assert body["role"] == role
        assert body["unit"] == {"id": unit.pk, "name": unit.name}
        assert body["collective"] == ({"id": collective.pk, "name": collective.name} if collective else None)
