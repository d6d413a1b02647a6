"""The operations admin (/admin/): read-only lists for superusers only (core/admin_site.py, core/admin.py,
accounts/admin.py)."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from tests import factories
from wenminghao.accounts.models import LoginFailure
from wenminghao.accounts.throttling import record_failure
from wenminghao.core.audit import record_audit
from wenminghao.core.middleware import SecurityHeadersMiddleware
from wenminghao.core.models import AuditEntry, ExportJob
from wenminghao.core.roles import Role

pytestmark = pytest.mark.django_db

BACKEND = "wenminghao.accounts.backends.UsernameOrMobileBackend"
TaskResult = apps.get_model("django_tasks_database", "DBTaskResult")
MODELS = {AuditEntry: "core_auditentry", ExportJob: "core_exportjob", LoginFailure: "accounts_loginfailure",
          TaskResult: "django_tasks_database_dbtaskresult"}


@pytest.fixture
def operator(db):
    """The operations account: a superuser (made with manage.py createsuperuser), with no role in the tree."""
    return factories.account(username="ops", role="", is_superuser=True)


@pytest.fixture
def rows(tree, users):
    """One row of each list."""
    city = tree["city"]
    audit = record_audit(actor=users["city_admin"], action="unit.update", target=city, unit_path=city.path,
                         before={"name": "旧名"}, after={"name": city.name}, ip_address="10.0.0.9")
    job = ExportJob.objects.create(kind="summary", title="2018年度汇总表", requested_by=users["city_admin"])
    record_failure(key="huancui", ip_address="10.0.0.7")
    return {AuditEntry: audit, ExportJob: job, LoginFailure: LoginFailure.objects.get()}


def changelist(model_label: str) -> str:
    return reverse(f"admin:{model_label}_changelist")


def test_a_superuser_sees_every_list_with_its_rows(client, operator, rows):
    client.force_login(operator, backend=BACKEND)
    index = client.get(reverse("admin:index"))
    assert index.status_code == 200
    for model, label in MODELS.items():
        assert str(model._meta.verbose_name_plural) in index.content.decode(), label
        response = client.get(changelist(label))
        assert response.status_code == 200, label
    page = client.get(changelist("core_auditentry"), {"q": "city"}).content.decode()
    assert "unit.update" in page and "10.0.0.9" in page
    page = client.get(changelist("accounts_loginfailure"), {"q": "huancui"}).content.decode()
    assert "huancui" in page and "10.0.0.7" in page
    assert "2018年度汇总表" in client.get(changelist("core_exportjob")).content.decode()
    detail = client.get(reverse("admin:core_auditentry_change", args=[rows[AuditEntry].pk]))
    assert detail.status_code == 200 and "旧名" in detail.content.decode()


def test_nobody_adds_changes_or_deletes(client, operator, rows):
    client.force_login(operator, backend=BACKEND)
    entry = rows[AuditEntry]
    change = reverse("admin:core_auditentry_change", args=[entry.pk])
    assert client.post(change, {"action": "unit.delete", "object_repr": "篡改"}).status_code == 403
    assert AuditEntry.objects.get(pk=entry.pk).action == "unit.update"
    assert client.get(reverse("admin:core_auditentry_add")).status_code == 403
    assert client.post(reverse("admin:core_auditentry_delete", args=[entry.pk]), {"post": "yes"}).status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()
    failure = rows[LoginFailure]
    assert client.post(reverse("admin:accounts_loginfailure_delete", args=[failure.pk]),
                       {"post": "yes"}).status_code == 403
    # the bulk "delete selected" action is not offered either
    response = client.post(changelist("core_exportjob"), {"action": "delete_selected",
                                                          "_selected_action": [rows[ExportJob].pk]})
    assert ExportJob.objects.filter(pk=rows[ExportJob].pk).exists()
    assert response.status_code in (200, 302)


def test_every_registered_list_is_read_only_even_for_a_superuser(operator):
    """Whatever an app or a library registers: no add, change or delete (the groups are not shown at all)."""
    request = RequestFactory().get("/admin/")
    request.user = operator
    registered = admin.site._registry
    assert set(MODELS) <= set(registered)
    for model, model_admin in registered.items():
        assert model_admin.has_view_permission(request), model
        assert not model_admin.has_add_permission(request), model
        assert not model_admin.has_change_permission(request), model
        assert not model_admin.has_delete_permission(request), model
    assert not any(model._meta.label == "auth.Group" for model in registered)


@pytest.mark.parametrize("account", ["city_admin", "unit_admin_a", "leader_a", "judge"])
def test_other_accounts_are_refused(client, users, account):
    client.force_login(users[account], backend=BACKEND)
    assert client.get(reverse("admin:index")).status_code == 403
    assert client.get(changelist("core_auditentry")).status_code == 403


def test_staff_status_alone_is_not_enough(client, tree):
    staff = factories.account(username="staff_admin", role=Role.CITY_ADMIN, unit=tree["city"], is_staff=True)
    client.force_login(staff, backend=BACKEND)
    assert client.get(reverse("admin:index")).status_code == 403
    assert client.get(changelist("accounts_loginfailure")).status_code == 403


def test_signing_in_goes_through_the_platform_form(client):
    response = client.get(changelist("core_auditentry"))
    assert response.status_code == 302
    login = client.get(response["Location"])
    assert login.status_code == 302
    assert login["Location"].startswith(reverse("accounts:login"))
    assert "next=" in login["Location"] and "auditentry" in login["Location"]


def test_the_admin_password_change_is_the_platform_one(client, operator):
    client.force_login(operator, backend=BACKEND)
    response = client.get(reverse("admin:password_change"))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:password_change")


def test_admin_pages_keep_the_strict_policy_and_use_no_inline_script(client, operator, rows):
    """The admin's pages are served under the platform's Content-Security-Policy: scripts from our static files
    only, no inline script (Django's admin keeps its data in JSON script blocks, which are not executed)."""
    client.force_login(operator, backend=BACKEND)
    for url in (reverse("admin:index"), changelist("core_auditentry"),
                reverse("admin:core_auditentry_change", args=[rows[AuditEntry].pk])):
        response = client.get(url)
        assert response["Content-Security-Policy"] == SecurityHeadersMiddleware.CSP
        assert "script-src 'self'" in response["Content-Security-Policy"]
        html = response.content.decode()
        for tag in html.split("<script")[1:]:
            opening = tag.split(">", 1)[0]
            assert "src=" in opening or 'type="application/json"' in opening, opening
        assert " onclick=" not in html and " onload=" not in html
