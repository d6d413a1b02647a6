"""The Content-Security-Policy in a real browser: Chromium enforces it, Alpine (its CSP build) still runs the
pages' components, and the browser reports no violation. (Every browser test fails on a reported violation: the
``page`` fixture of tests/browser/conftest.py; this test also proves that the fixture sees one.)"""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in_with_session(page, live_server, client, user):
    client.force_login(user, backend="wenminghao.accounts.backends.UsernameOrMobileBackend")
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])


def test_alpine_switches_the_account_form_under_the_policy(page, live_server, users, client):
    sign_in_with_session(page, live_server, client, users["unit_admin_a"])
    response = page.goto(reverse("accounts:create"))
    header = response.headers["content-security-policy"]
    unit_field, collective_field = page.locator("#id_unit"), page.locator("#id_collective")

    assert "'unsafe-eval'" not in header and "'unsafe-inline'" not in header
    assert page.evaluate("typeof window.Alpine") == "object"
    expect(unit_field).to_be_visible()
    expect(collective_field).to_be_hidden()
    page.select_option("#id_role", "collective")
    expect(collective_field).to_be_visible()
    expect(unit_field).to_be_hidden()
    page.select_option("#id_role", "unit_admin")
    expect(unit_field).to_be_visible()
    expect(collective_field).to_be_hidden()
    assert page.csp_violations == []


def test_the_browser_refuses_an_inline_script_and_the_fixture_sees_it(page, live_server, users, client):
    sign_in_with_session(page, live_server, client, users["unit_admin_a"])
    page.goto(reverse("accounts:create"))
    page.evaluate("""() => {
        const script = document.createElement("script");
        script.textContent = "window.injected = true";
        document.body.appendChild(script);
    }""")
    page.wait_for_timeout(100)

    assert page.evaluate("window.injected === undefined")
    assert any("inline script" in text for text in page.csp_violations), page.csp_violations
    page.csp_violations.clear()  # seen, as it should be: the fixture's own check at the end must pass


def test_the_api_documentation_runs_under_the_policy(page, live_server):
    """Swagger UI (django-ninja's own static files, its settings in a json_script-like data island) renders the
    operations with no eval and no inline script or style allowed."""
    page.goto("/api/v1/docs")
    expect(page.locator(".opblock").first).to_be_visible()
    assert page.locator(".opblock").count() > 10
