"""Sign-in throttling (accounts/throttling.py): an attacker is slowed, a colleague with the right password gets in."""

import datetime

import pytest
from django.utils import timezone

from tests import factories
from wenminghao.accounts.models import LoginFailure
from wenminghao.accounts.services import set_password
from wenminghao.accounts.throttling import login_key, seconds_to_wait, throttle_message, wait_text

pytestmark = pytest.mark.django_db

OFFICE = "203.0.113.7"  # one NAT address for a whole office
ELSEWHERE = "198.51.100.20"


def fail(key, ip, times=1, *, ago=0):
    """``times`` failures of ``key`` from ``ip``, ``ago`` seconds in the past."""
    rows = LoginFailure.objects.bulk_create([LoginFailure(login=key, ip_address=ip) for _ in range(times)])
    moment = timezone.now() - datetime.timedelta(seconds=ago)
    LoginFailure.objects.filter(pk__in=[row.pk for row in rows]).update(created_at=moment)


def wait(key, ip, *, later=0):
    return seconds_to_wait(key=key, ip_address=ip, now=timezone.now() + datetime.timedelta(seconds=later))


# failures of one pair just now → seconds it must wait (defaults: 5 free, then 30 s doubling, at most 900 s)
@pytest.mark.parametrize(("failures", "expected"), [
    (0, 0), (1, 0), (4, 0), (5, 30), (6, 60), (7, 120), (8, 240), (9, 480), (10, 900), (15, 900),
])
def test_a_pair_waits_twice_as_long_after_each_failure_past_the_free_ones(failures, expected):
    fail("huancui", OFFICE, failures)
    assert wait("huancui", OFFICE) in (expected, expected - 1)  # a second may pass between the two calls


def test_the_wait_counts_from_the_last_failure():
    fail("huancui", OFFICE, 5, ago=20)
    assert 9 <= wait("huancui", OFFICE) <= 10
    assert wait("huancui", OFFICE, later=11) == 0


def test_failures_older_than_the_window_are_forgotten(settings):
    fail("huancui", OFFICE, 10, ago=settings.WMH_LOGIN_WINDOW_SECONDS + 1)
    assert wait("huancui", OFFICE) == 0


def test_a_pair_that_failed_does_not_slow_the_same_account_elsewhere():
    fail("huancui", OFFICE, 8)
    assert wait("huancui", OFFICE) > 0
    assert wait("huancui", ELSEWHERE) == 0


def test_an_address_under_attack_still_checks_names_that_have_not_failed_from_it(settings):
    for index in range(settings.WMH_LOGIN_MAX_FAILURES_PER_IP):
        fail(f"other{index % 10}", OFFICE)
    assert wait("huancui", OFFICE) == 0  # the colleague's right password will be checked
    fail("huancui", OFFICE)
    assert wait("huancui", OFFICE) in (29, 30)  # under attack the delays start after the first failure


def test_an_account_under_attack_from_many_addresses_waits_after_one_failure_per_address(settings):
    for index in range(settings.WMH_LOGIN_MAX_FAILURES_PER_ACCOUNT):
        fail("huancui", f"192.0.2.{index % 200}")
    assert wait("huancui", OFFICE) == 0
    fail("huancui", OFFICE)
    assert wait("huancui", OFFICE) in (29, 30)


def test_a_mobile_number_counts_as_its_account(tree):
    factories.account(username="HuanCui2", unit=tree["area_a"], mobile="13906317788")
    assert login_key("13906317788") == "huancui2"
    assert login_key(" HUANCUI2 ") == "huancui2"
    assert login_key("13900000000") == "13900000000"  # no such mobile: counted as typed


def test_a_new_password_forgets_the_account_failures(users):
    account = users["unit_admin_a"]
    fail("huancui", OFFICE, 8)
    fail("huancui", ELSEWHERE, 3)
    set_password(actor=users["city_admin"], account=account, password="Wenming-2027-reset")
    assert not LoginFailure.objects.filter(login="huancui").exists()


@pytest.mark.parametrize(("seconds", "text"), [(1, "1秒"), (30, "30秒"), (59, "59秒"), (60, "1分钟"), (61, "2分钟"),
                                                (900, "15分钟")])
def test_the_wait_is_said_in_seconds_or_whole_minutes(seconds, text):
    assert wait_text(seconds) == text
    assert f"请{text}后再试" in throttle_message(seconds)
