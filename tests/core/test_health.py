"""/healthz: the database, the storage and the task queue, for the load balancer (core/health.py)."""

import datetime
import time

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.works.media_fixtures import files_under, media_storage  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db

URL = "/healthz"


def task_row(*, waited: datetime.timedelta, run_after: datetime.datetime | None = None, status: str = "READY"):
    """A task in django-tasks-db's table, enqueued ``waited`` ago (run_after None: to run at once)."""
    from django_tasks_db.models import get_date_max  # the library's "no run_after" value

    model = apps.get_model("django_tasks_database", "DBTaskResult")
    row = model.objects.create(args_kwargs={"args": [], "kwargs": {}}, task_path="wenminghao.works.tasks.x",
                               backend_name="default", run_after=run_after or get_date_max(), status=status,
                               exception_class_path="", traceback="")
    model.objects.filter(pk=row.pk).update(enqueued_at=timezone.now() - waited)
    return row


def test_healthy_answers_200_with_every_check(client, media_storage):  # noqa: F811
    assert reverse("healthz") == URL
    response = client.get(URL)
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "storage", "tasks"}
    assert all(check["ok"] for check in body["checks"].values())
    assert body["checks"]["storage"]["probe"] == "write-read-delete"
    assert body["checks"]["tasks"]["lag_seconds"] == 0.0
    assert "no-store" in response["Cache-Control"]
    assert "Set-Cookie" not in response.headers and not response.cookies
    media_root, _ = media_storage
    assert files_under(media_root) == []  # the probe is gone again


def test_no_sign_in_and_only_reads(client, users):
    """Anyone may ask (the balancer has no account); a POST is refused; signed in or not, the same answer."""
    assert client.head(URL).status_code == 200
    assert client.post(URL).status_code == 405
    client.force_login(users["leader_a"], backend="wenminghao.accounts.backends.UsernameOrMobileBackend")
    body = client.get(URL).json()
    assert body["status"] == "ok" and "leader_a" not in str(body)


def test_a_storage_that_cannot_be_written_answers_503_naming_it(client, settings, tmp_path):
    blocked = tmp_path / "not-a-directory"
    blocked.write_text("a file where the media directory should be")
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": blocked}}}
    response = client.get(URL)
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail" and body["failed"] == ["storage"]
    assert body["checks"]["storage"]["ok"] is False
    assert body["checks"]["storage"]["error"] in {"NotADirectoryError", "FileExistsError"}
    assert str(tmp_path) not in response.content.decode()  # the class of the error only, never its message
    assert body["checks"]["database"]["ok"] and body["checks"]["tasks"]["ok"]


def test_a_task_waiting_too_long_answers_503(client, settings, media_storage):  # noqa: F811
    settings.WMH_HEALTH_MAX_TASK_LAG_SECONDS = 900
    task_row(waited=datetime.timedelta(minutes=5))
    body = client.get(URL).json()
    assert body["status"] == "ok" and 299 <= body["checks"]["tasks"]["lag_seconds"] <= 330

    task_row(waited=datetime.timedelta(hours=2))
    response = client.get(URL)
    assert response.status_code == 503
    body = response.json()
    assert body["failed"] == ["tasks"]
    assert body["checks"]["tasks"]["lag_seconds"] >= 7200
    assert body["checks"]["tasks"]["max_lag_seconds"] == 900

    settings.WMH_HEALTH_MAX_TASK_LAG_SECONDS = 0  # reported, never failed
    response = client.get(URL)
    assert response.status_code == 200 and response.json()["checks"]["tasks"]["lag_seconds"] >= 7200


def test_tasks_not_yet_due_running_or_finished_are_no_lag(client, media_storage):  # noqa: F811
    now = timezone.now()
    task_row(waited=datetime.timedelta(hours=3), run_after=now + datetime.timedelta(hours=1))  # deferred
    task_row(waited=datetime.timedelta(hours=3), status="RUNNING")
    task_row(waited=datetime.timedelta(hours=3), status="FAILED")
    assert client.get(URL).json()["checks"]["tasks"]["lag_seconds"] == 0.0
    # a deferred task counts from its run_after, not from when it was enqueued
    task_row(waited=datetime.timedelta(hours=3), run_after=now - datetime.timedelta(minutes=10))
    assert 599 <= client.get(URL).json()["checks"]["tasks"]["lag_seconds"] <= 660


def test_exempt_from_the_https_redirect(client, settings, media_storage):  # noqa: F811
    """The balancer probes the app server over plain HTTP inside the network."""
    settings.SECURE_SSL_REDIRECT = True
    assert client.get(URL).status_code == 200
    assert client.get(reverse("accounts:login")).status_code == 301


def test_cheap_two_queries_and_milliseconds(client, media_storage):  # noqa: F811
    client.get(URL)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    assert len(queries) == 2, [query["sql"] for query in queries]  # SELECT 1; the queue's oldest ready task
    rounds = 50
    started = time.perf_counter()
    for _ in range(rounds):
        client.get(URL)
    per_request = (time.perf_counter() - started) * 1000 / rounds
    print(f"/healthz: {per_request:.2f} ms per request ({rounds} requests, test client)")
    assert per_request < 50
