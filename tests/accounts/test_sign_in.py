import datetime

import pytest
from django.utils import timezone

from tests import factories
from wenminghao.accounts.models import LoginFailure

pytestmark = pytest.mark.django_db


def sign_in(client, login, password):
    return client.post("/accounts/login/", {"login": login, "password": password})


def test_sign_in_by_username_goes_to_the_workbench(users, client):
    response = sign_in(client, "huancui", factories.PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/"


def test_sign_in_by_mobile(users, client):
    users["unit_admin_a"].mobile = "13906317788"
    users["unit_admin_a"].save()
    response = sign_in(client, "13906317788", factories.PASSWORD)
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == users["unit_admin_a"].pk


def test_sign_in_with_a_wrong_password_says_so_in_chinese(users, client):
    response = sign_in(client, "huancui", "not-the-password")
    assert response.status_code == 200
    assert "账号或密码不正确" in response.content.decode()


OFFICE = "203.0.113.7"


def sign_in_from(client, ip, login, password):
    return client.post("/accounts/login/", {"login": login, "password": password}, REMOTE_ADDR=ip)


def test_five_failures_make_the_sixth_try_wait_even_with_the_right_password(users, client):
    for _ in range(5):
        assert sign_in(client, "huancui", "not-the-password").status_code == 200
    response = sign_in(client, "huancui", factories.PASSWORD)
    assert response.status_code == 429
    assert response["Retry-After"] in ("29", "30")
    assert "请30秒后再试" in response.content.decode() or "请29秒后再试" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_after_the_wait_the_right_password_gets_in(users, client):
    for _ in range(5):
        sign_in(client, "huancui", "not-the-password")
    assert sign_in(client, "huancui", factories.PASSWORD).status_code == 429
    LoginFailure.objects.update(created_at=timezone.now() - datetime.timedelta(seconds=31))
    assert sign_in(client, "huancui", factories.PASSWORD).status_code == 302


def test_throttling_one_account_leaves_others_alone(users, client):
    for _ in range(5):
        sign_in(client, "huancui", "not-the-password")
    assert sign_in(client, "huancui", factories.PASSWORD).status_code == 429
    response = sign_in(client, "wendeng", factories.PASSWORD)
    assert response.status_code == 302


def test_a_hundred_failures_with_other_names_from_one_address_do_not_lock_a_colleague_out(users, client):
    """The defect of issue 8: one office behind one NAT address; someone there (or an attacker) fails 100 times
    with other accounts' names; huancui's right password from the same address still gets in."""
    statuses = {sign_in_from(client, OFFICE, f"nobody{index % 10}", "wrong").status_code for index in range(100)}
    assert statuses <= {200, 429}
    response = sign_in_from(client, OFFICE, "huancui", factories.PASSWORD)
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == users["unit_admin_a"].pk


def test_from_an_address_under_attack_each_name_gets_one_guess(users, client, settings):
    for index in range(settings.WMH_LOGIN_MAX_FAILURES_PER_IP):
        sign_in_from(client, OFFICE, f"nobody{index}", "wrong")
    assert sign_in_from(client, OFFICE, "huancui", "wrong").status_code == 200  # checked: it had not failed here
    assert sign_in_from(client, OFFICE, "huancui", factories.PASSWORD).status_code == 429  # now it waits
    assert sign_in_from(client, "198.51.100.20", "huancui", factories.PASSWORD).status_code == 302


def test_a_successful_sign_in_clears_the_failures_of_its_address(users, client):
    for _ in range(4):
        sign_in(client, "huancui", "not-the-password")
    sign_in_from(client, OFFICE, "huancui", "not-the-password")
    assert LoginFailure.objects.filter(login="huancui").count() == 5
    assert sign_in(client, "huancui", factories.PASSWORD).status_code == 302
    assert list(LoginFailure.objects.filter(login="huancui").values_list("ip_address", flat=True)) == [OFFICE]
    client.logout()
    for _ in range(4):
        sign_in(client, "huancui", "not-the-password")
    assert sign_in(client, "huancui", factories.PASSWORD).status_code == 302


def test_failures_count_regardless_of_case_and_spaces(users, client):
    for login in ("HUANCUI", " huancui", "HuanCui ", "huancui", "huanCUI"):
        sign_in(client, login, "not-the-password")
    assert sign_in(client, "huancui", factories.PASSWORD).status_code == 429


def test_failures_by_mobile_number_count_for_the_account(users, client):
    users["unit_admin_a"].mobile = "13906317788"
    users["unit_admin_a"].save()
    for login in ("13906317788", "huancui", "13906317788", "huancui", "13906317788"):
        sign_in(client, login, "not-the-password")
    assert sign_in(client, "huancui", factories.PASSWORD).status_code == 429
    assert sign_in(client, "13906317788", factories.PASSWORD).status_code == 429
