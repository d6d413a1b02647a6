import pytest

from tests import factories
from wenminghao.accounts.models import LoginFailure
from wenminghao.accounts.services import throttle_message

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


def test_five_failures_refuse_even_the_right_password_with_429(users, client):
    for _ in range(5):
        assert sign_in(client, "huancui", "not-the-password").status_code == 200
    response = sign_in(client, "huancui", factories.PASSWORD)
    assert response.status_code == 429
    assert throttle_message() in response.content.decode()
    assert "登录失败次数过多" in throttle_message()
    assert "_auth_user_id" not in client.session


def test_throttling_one_account_leaves_others_alone(users, client):
    for _ in range(5):
        sign_in(client, "huancui", "not-the-password")
    assert sign_in(client, "huancui", factories.PASSWORD).status_code == 429
    response = sign_in(client, "wendeng", factories.PASSWORD)
    assert response.status_code == 302


def test_a_successful_sign_in_clears_the_failure_count(users, client):
    for _ in range(4):
        sign_in(client, "huancui", "not-the-password")
    assert LoginFailure.objects.filter(login="huancui").count() == 4
    assert sign_in(client, "huancui", factories.PASSWORD).status_code == 302
    assert not LoginFailure.objects.filter(login="huancui").exists()
    client.logout()
    for _ in range(4):
        sign_in(client, "huancui", "not-the-password")
    assert sign_in(client, "huancui", factories.PASSWORD).status_code == 302


def test_failures_count_regardless_of_case_and_spaces(users, client):
    for login in ("HUANCUI", " huancui", "HuanCui ", "huancui", "huanCUI"):
        sign_in(client, login, "not-the-password")
    assert sign_in(client, "huancui", factories.PASSWORD).status_code == 429
