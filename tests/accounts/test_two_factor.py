"""The second factor of office and unit admins (accounts/twofactor.py): enrolment with a QR code and a key, the code
after the password on the page and in the API, wrong codes throttled like passwords, recovery, and the setting that
makes it compulsory. The codes are computed here from the key the page shows (RFC 6238), as a phone would."""

import base64
import datetime
import hashlib
import hmac
import io
import re
import struct
import time

import pytest
import segno
import time_machine
import zxingcpp
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from PIL import Image

from tests import factories
from wenminghao.accounts import twofactor
from wenminghao.accounts.models import User
from wenminghao.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def totp(secret: bytes, *, at: float | None = None, step: int = 30) -> str:
    """The 6-digit code of ``secret`` at time ``at`` (RFC 6238 with SHA-1, as authenticator apps compute it)."""
    counter = int((time.time() if at is None else at) // step)
    digest = hmac.new(secret, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 1_000_000:06d}"


def other_code(secret: bytes) -> str:
    """A code that is wrong now (none of the three steps the tolerance accepts)."""
    right = {totp(secret, at=time.time() + shift) for shift in (-30, 0, 30)}
    return next(code for code in ("000000", "111111", "222222", "333333") if code not in right)


def later(**delta):
    return time_machine.travel(timezone.now() + datetime.timedelta(**delta), tick=False)


def key_on_page(page: str) -> bytes:
    """The key as the enrolment page shows it for typing in (base32 in groups of four)."""
    shown = re.search(r'data-testid="manual-key">([A-Z2-7 ]+)<', page).group(1)
    text = shown.replace(" ", "")
    return base64.b32decode(text + "=" * (-len(text) % 8))


def enrol(client) -> bytes:
    """Enrol the signed-in admin's authenticator through the page; the key as bytes."""
    page = client.get("/accounts/2fa/").content.decode()
    secret = key_on_page(page)
    response = client.post("/accounts/2fa/", {"code": totp(secret)})
    assert response.status_code == 302, response.content.decode()
    return secret


def sign_in(client, login="huancui", password=factories.PASSWORD):
    return client.post("/accounts/login/", {"login": login, "password": password})


@pytest.fixture
def enrolled(users, signed_in):
    """huancui with an authenticator, enrolled a minute ago; the key."""
    secret = enrol(signed_in(users["unit_admin_a"]))
    return secret


# --- enrolment ----------------------------------------------------------------------------------------------------

def test_the_enrolment_page_shows_a_qr_code_and_the_key_and_a_right_code_enables_it(users, signed_in):
    client = signed_in(users["unit_admin_a"])
    page = client.get("/accounts/2fa/").content.decode()
    assert 'src="data:image/svg+xml' in page and "扫描二维码" in page
    secret = key_on_page(page)
    wrong = client.post("/accounts/2fa/", {"code": other_code(secret)})
    assert wrong.status_code == 200 and "验证码不正确" in wrong.content.decode()
    assert not TOTPDevice.objects.exists()
    assert client.post("/accounts/2fa/", {"code": totp(secret)}).status_code == 302
    device = TOTPDevice.objects.get(user=users["unit_admin_a"])
    assert device.confirmed and device.bin_key == secret
    entry = AuditEntry.objects.get(action="account.enable_two_factor")
    assert entry.actor == users["unit_admin_a"] and entry.object_id == str(users["unit_admin_a"].pk)
    assert "已启用两步验证" in client.get("/accounts/2fa/").content.decode()


def test_the_page_keeps_the_same_key_until_it_is_confirmed(users, signed_in):
    client = signed_in(users["unit_admin_a"])
    first = key_on_page(client.get("/accounts/2fa/").content.decode())
    assert key_on_page(client.get("/accounts/2fa/").content.decode()) == first


def test_the_qr_code_holds_the_otpauth_address_of_the_key(users):
    user = users["unit_admin_a"]
    key = twofactor.new_key()
    url = twofactor.setup_url(user, key)
    assert url.startswith("otpauth://totp/") and "huancui" in url
    assert f"secret={base64.b32encode(bytes.fromhex(key)).decode().rstrip('=')}" in url.replace("%3D", "=")
    png = io.BytesIO()
    segno.make(url, error="m").save(png, kind="png", scale=5)
    assert zxingcpp.read_barcode(Image.open(io.BytesIO(png.getvalue()))).text == url


@pytest.mark.parametrize("who", ["leader_a", "delegate_a", "judge"])
def test_accounts_other_than_admins_have_no_second_factor(users, tree, signed_in, who):
    if who == "delegate_a":
        account = factories.account(username="delegate_a", role="collective", collective=tree["collective_a"],
                                    is_delegate=True)
    else:
        account = users[who]
    client = signed_in(account)
    assert client.get("/accounts/2fa/").status_code == 404
    assert client.post("/accounts/2fa/", {"code": "123456"}).status_code == 404


# --- signing in --------------------------------------------------------------------------------------------------

def test_with_a_device_the_password_alone_does_not_sign_in(enrolled, users):
    client = Client()
    response = sign_in(client)
    assert response.status_code == 302 and response["Location"] == "/accounts/login/code/"
    assert "_auth_user_id" not in client.session
    assert client.get("/").status_code == 302
    page = client.get("/accounts/login/code/").content.decode()
    assert "两步验证" in page and "6位数字" in page


def test_the_code_after_the_password_signs_in_and_goes_where_asked(enrolled, users):
    client = Client()
    client.post("/accounts/login/?next=/collectives/", {"login": "huancui", "password": factories.PASSWORD,
                                                         "next": "/collectives/"})
    with later(seconds=31):  # the enrolment used the code of its time step: the next one
        response = client.post("/accounts/login/code/", {"code": totp(enrolled)})
        assert response.status_code == 302 and response["Location"] == "/collectives/"
        assert int(client.session["_auth_user_id"]) == users["unit_admin_a"].pk
        assert client.get("/collectives/").status_code == 200


def test_full_width_digits_and_spaces_are_accepted(enrolled):
    client = Client()
    sign_in(client)
    with later(seconds=31):
        code = totp(enrolled)
        typed = " ".join([code[:3].translate(str.maketrans("0123456789", "０１２３４５６７８９")), code[3:]])
        assert client.post("/accounts/login/code/", {"code": typed}).status_code == 302


def test_a_code_is_accepted_once(enrolled):
    with later(seconds=31):
        code = totp(enrolled)
        first, second = Client(), Client()
        sign_in(first)
        sign_in(second)
        assert first.post("/accounts/login/code/", {"code": code}).status_code == 302
        response = second.post("/accounts/login/code/", {"code": code})
        assert response.status_code == 200 and "验证码不正确或已使用" in response.content.decode()
        assert "_auth_user_id" not in second.session


def test_wrong_codes_are_throttled_like_passwords_and_a_new_password_entry_does_not_reset_them(enrolled):
    client = Client()
    sign_in(client)
    with later(seconds=31):
        wrong = other_code(enrolled)
        for _ in range(5):
            assert client.post("/accounts/login/code/", {"code": wrong}).status_code == 200
        response = client.post("/accounts/login/code/", {"code": totp(enrolled)})
        assert response.status_code == 429 and response["Retry-After"] in ("29", "30")
        assert "验证码错误次数较多，为保护账号安全，请30秒后再试" in response.content.decode()
        assert "_auth_user_id" not in client.session
        assert sign_in(client).status_code == 302  # the password is right, and counted apart
        assert client.post("/accounts/login/code/", {"code": totp(enrolled)}).status_code == 429
    with later(seconds=65):
        assert client.post("/accounts/login/code/", {"code": totp(enrolled)}).status_code == 302


def test_the_code_step_times_out_after_five_minutes(enrolled):
    client = Client()
    sign_in(client)
    with later(minutes=6):
        response = client.post("/accounts/login/code/", {"code": totp(enrolled)})
        assert response.status_code == 302 and response["Location"] == "/accounts/login/"
        assert "输入验证码已超时" in client.get("/accounts/login/").content.decode()
        assert "_auth_user_id" not in client.session


def test_the_code_page_without_a_password_first_goes_to_the_sign_in_page(db, client):
    response = client.get("/accounts/login/code/")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"


# --- the API ------------------------------------------------------------------------------------------------------

def token(username="huancui", password=factories.PASSWORD, **extra):
    return Client().post("/api/v1/auth/token", {"username": username, "password": password, **extra},
                         content_type="application/json")


def test_the_api_token_needs_the_code_too(enrolled):
    response = token()
    assert response.status_code == 401
    assert response.json()["errors"][0] == {
        "code": "auth.code_required", "field": "code",
        "message": "该账号已启用两步验证：请在 code 中提供手机身份验证器当前显示的6位数字。"}
    with later(seconds=31):
        assert token(code=other_code(enrolled)).json()["errors"][0]["code"] == "auth.invalid_code"
        response = token(code=totp(enrolled))
        assert response.status_code == 200 and response.json()["token"]


def test_api_codes_are_throttled_too(enrolled):
    with later(seconds=31):
        wrong = other_code(enrolled)
        for _ in range(5):
            assert token(code=wrong).status_code == 401
        response = token(code=totp(enrolled))
        assert response.status_code == 429 and response.json()["errors"][0]["code"] == "auth.throttled"
        assert "验证码错误次数较多" in response.json()["errors"][0]["message"]


def test_accounts_without_a_device_get_a_token_with_the_password_alone(users):
    assert token("wendeng").status_code == 200


# --- turning it off, and the recovery of a lost phone ---------------------------------------------------------

def test_an_admin_turns_their_own_second_factor_off_with_a_current_code(enrolled, users, signed_in):
    client = signed_in(users["unit_admin_a"])
    with later(seconds=31):
        wrong = client.post("/accounts/2fa/disable/", {"code": other_code(enrolled)})
        assert wrong.status_code == 200 and TOTPDevice.objects.exists()
        assert client.post("/accounts/2fa/disable/", {"code": totp(enrolled)}).status_code == 302
    assert not TOTPDevice.objects.exists()
    assert AuditEntry.objects.get(action="account.disable_two_factor").actor == users["unit_admin_a"]
    assert sign_in(Client())["Location"] == "/"


def test_an_office_admin_removes_a_subordinate_admins_device(enrolled, users, signed_in):
    client = signed_in(users["city_admin"])
    page = client.get(f"/accounts/{users['unit_admin_a'].pk}/password/").content.decode()
    assert "该账号已启用两步验证" in page and "移除该账号的两步验证" in page
    response = client.post(f"/accounts/{users['unit_admin_a'].pk}/2fa/reset/")
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=users["unit_admin_a"]).exists()
    entry = AuditEntry.objects.get(action="account.reset_two_factor")
    assert entry.actor == users["city_admin"] and entry.object_id == str(users["unit_admin_a"].pk)
    assert sign_in(Client())["Location"] == "/"  # the password alone again


def test_a_unit_admin_cannot_remove_the_device_of_an_admin_below(users, tree, signed_in):
    below = factories.account(username="jiedao", unit=tree["sub_a"])
    TOTPDevice.objects.create(user=below, name="身份验证器", confirmed=True)
    client = signed_in(users["unit_admin_a"])
    assert "两步验证只能由上级团委（市级或省级）管理员移除" in client.get(
        f"/accounts/{below.pk}/password/").content.decode()
    assert client.post(f"/accounts/{below.pk}/2fa/reset/").status_code == 403
    assert signed_in(users["unit_admin_b"]).post(f"/accounts/{below.pk}/2fa/reset/").status_code == 404
    assert TOTPDevice.objects.filter(user=below).exists()
    assert not AuditEntry.objects.filter(action="account.reset_two_factor").exists()


def test_the_command_removes_a_device_when_nobody_above_can(enrolled, users):
    out = io.StringIO()
    call_command("remove_two_factor", "HUANCUI", stdout=out)
    assert "已移除账号“huancui”的两步验证" in out.getvalue()
    assert not TOTPDevice.objects.exists()
    assert AuditEntry.objects.get(action="account.reset_two_factor").actor is None


# --- compulsory for admins -------------------------------------------------------------------------------------

@pytest.fixture
def required(settings):
    settings.WMH_REQUIRE_2FA_FOR_ADMINS = True


def test_when_required_an_admin_without_a_device_enrols_before_anything_else(required, users):
    client = Client()
    assert sign_in(client).status_code == 302
    for path in ("/", "/collectives/", "/accounts/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"] == "/accounts/2fa/"
    page = client.get("/accounts/2fa/").content.decode()
    assert "本平台要求管理员账号启用两步验证" in page
    assert client.get("/accounts/password/").status_code == 200
    enrol(client)
    assert client.get("/collectives/").status_code == 200


def test_when_required_the_api_refuses_admins_without_a_device(required, users):
    response = token()
    assert response.status_code == 403
    assert response.json()["errors"][0]["code"] == "auth.two_factor_required"
    assert token("leader_a").status_code == 200  # collective accounts have no second factor


def test_when_required_collective_accounts_and_judges_are_not_concerned(required, users):
    for login in ("leader_a", "judge"):
        client = Client()
        assert sign_in(client, login).status_code == 302
        assert client.get("/").status_code == 200


def test_a_deactivated_account_cannot_finish_with_its_code(enrolled, users):
    client = Client()
    sign_in(client)
    User.objects.filter(pk=users["unit_admin_a"].pk).update(is_active=False)
    with later(seconds=31):
        assert client.post("/accounts/login/code/", {"code": totp(enrolled)})["Location"] == "/accounts/login/"
    assert "_auth_user_id" not in client.session
