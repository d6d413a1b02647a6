"""Log lines: time, level, logger and message (JSON with WMH_LOG_FORMAT=json), and the INFO lines that matter:
uploads accepted or refused, failed tasks, failed sign-ins (core/logs.py, core/uploads.py, works/uploads.py,
accounts/throttling.py)."""

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse
from django_tasks import task

from tests import factories
from tests.works.media_fixtures import jpeg, make_work, media_storage, png, upload  # noqa: F401 - fixture
from wenminghao.accounts.services import issue_api_token
from wenminghao.core.logs import JsonFormatter

ROOT = Path(__file__).resolve().parent.parent.parent
JSON_ACCEPT = {"Accept": "application/json"}


def records(caplog, logger: str) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.name == logger]


# --- the format -------------------------------------------------------------------------------------------------


def test_json_lines_carry_time_level_logger_message_and_the_extra_fields():
    try:
        raise ValueError("磁盘已满")
    except ValueError:
        record = logging.getLogger("wenminghao.uploads").makeRecord(
            "wenminghao.uploads", logging.INFO, __file__, 1, "upload refused: %s", ("照片1.jpg",), sys.exc_info(),
            extra={"user_id": 7, "size": 1024, "reason": "不是JPEG格式"})
    line = json.loads(JsonFormatter().format(record))
    assert line["level"] == "INFO" and line["logger"] == "wenminghao.uploads"
    assert line["message"] == "upload refused: 照片1.jpg"
    assert line["time"].endswith("+00:00") and "T" in line["time"]
    assert (line["user_id"], line["size"], line["reason"]) == (7, 1024, "不是JPEG格式")
    assert "ValueError: 磁盘已满" in line["exception"]


def _log_one_line(tmp_path, **env) -> str:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("WMH_", "DJANGO_", "PYTEST"))}
    base.pop("DATABASE_URL", None)
    base.update(WMH_DEMO="1", WMH_DATA_DIR=str(tmp_path), **env)
    code = ("import logging; logging.getLogger('wenminghao.uploads').info('upload accepted: %s', '照片.jpg', "
            "extra={'user_id': 3, 'size': 5}); logging.getLogger('wenminghao.uploads').debug('not shown')")
    result = subprocess.run([sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=base,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stderr.strip()


def test_the_configured_logging_writes_json_lines_when_asked(tmp_path):
    """Through settings.LOGGING as a real start-up reads it (one process: a few seconds): the platform's INFO lines
    are kept, its DEBUG ones not."""
    line = json.loads(_log_one_line(tmp_path, WMH_LOG_FORMAT="json"))
    assert {key: line[key] for key in ("level", "logger", "message", "user_id", "size")} == {
        "level": "INFO", "logger": "wenminghao.uploads", "message": "upload accepted: 照片.jpg", "user_id": 3,
        "size": 5}


def test_the_text_lines_start_with_the_time(settings):
    assert settings.LOGGING["handlers"]["console"]["formatter"] == "text"  # the default
    formatter = logging.Formatter(settings.LOGGING["formatters"]["text"]["format"])
    record = logging.makeLogRecord({"name": "wenminghao.signin", "levelno": logging.INFO, "levelname": "INFO",
                                    "msg": "sign-in failed: %s", "args": ("huancui",)})
    text = formatter.format(record)
    assert text.endswith(" INFO wenminghao.signin sign-in failed: huancui") and text[:4].isdigit(), text


# --- uploads ------------------------------------------------------------------------------------------------------


@pytest.fixture
def photo_work(tree, users, media_storage):  # noqa: F811
    campaign = factories.campaign(office=tree["city"])
    return make_work(actor=users["leader_a"], collective=tree["collective_a"], campaign=campaign)


def post_file(client, work, name: str, data: bytes):
    return client.post(reverse("works:upload", args=[work.pk]), {"file": upload(name, data)}, headers=JSON_ACCEPT)


@pytest.mark.django_db
def test_an_accepted_upload_is_logged_with_account_work_name_and_size(photo_work, users, signed_in, caplog):
    caplog.set_level(logging.INFO, logger="wenminghao.uploads")
    data = jpeg(seed=3)
    assert post_file(signed_in(users["leader_a"]), photo_work, "窗口.jpg", data).status_code == 201
    [record] = records(caplog, "wenminghao.uploads")
    assert record.levelno == logging.INFO and record.getMessage().startswith("upload accepted: 窗口.jpg")
    assert (record.user_id, record.object_id, record.file_name, record.size) == (
        users["leader_a"].pk, photo_work.pk, "窗口.jpg", len(data))
    assert len(record.sha256) == 64


@pytest.mark.django_db
def test_a_refused_upload_is_logged_with_the_chinese_reason(photo_work, users, signed_in, caplog):
    caplog.set_level(logging.INFO, logger="wenminghao.uploads")
    data = png()
    assert post_file(signed_in(users["leader_a"]), photo_work, "改名.jpg", data).status_code == 422
    [record] = records(caplog, "wenminghao.uploads")
    assert record.getMessage().startswith("upload refused: 改名.jpg")
    assert (record.user_id, record.object_id, record.size) == (users["leader_a"].pk, photo_work.pk, len(data))
    assert "PNG" in record.reason and "JPEG" in record.reason and record.codes == ["photo.not_jpeg"]


@pytest.mark.django_db
def test_too_large_uploads_are_logged_whether_declared_or_streamed(photo_work, users, signed_in, settings, caplog):
    caplog.set_level(logging.INFO, logger="wenminghao.uploads")
    settings.WMH_PICTURE_MAX_BYTES = 100_000
    client = signed_in(users["leader_a"])
    assert post_file(client, photo_work, "大图.jpg", b"\xff\xd8" + b"0" * 400_000).status_code == 413  # declared
    assert post_file(client, photo_work, "稍大.jpg", b"\xff\xd8" + b"0" * 120_000).status_code == 413  # streamed
    declared, streamed = records(caplog, "wenminghao.uploads")
    assert declared.declared is True and declared.size > 400_000 and declared.codes == ["file.too_large"]
    assert "超过98KB的上限" in declared.reason
    assert (streamed.file_name, streamed.user_id, streamed.object_id) == ("稍大.jpg", users["leader_a"].pk,
                                                                          photo_work.pk)
    assert streamed.size > 100_000 and "稍大.jpg" in streamed.reason


@pytest.mark.django_db
def test_an_api_upload_names_the_token_account(photo_work, users, client, caplog):
    caplog.set_level(logging.INFO, logger="wenminghao.uploads")
    token = issue_api_token(user=users["leader_a"])
    response = client.post(f"/api/v1/works/{photo_work.pk}/files", {"file": upload("接口.jpg", jpeg(seed=4))},
                           headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 201, response.content
    [record] = records(caplog, "wenminghao.uploads")
    assert (record.user_id, record.object_id, record.file_name) == (users["leader_a"].pk, photo_work.pk, "接口.jpg")


# --- tasks and sign-ins -------------------------------------------------------------------------------------------


@task()
def exploding_task(name: str) -> None:
    raise RuntimeError(f"无法生成缩略图：{name}")


def test_a_failed_task_is_logged_with_its_traceback(caplog):
    caplog.set_level(logging.INFO, logger="django_tasks")
    result = exploding_task.enqueue("照片1.jpg")
    assert result.status == "FAILED"
    [failed] = [record for record in records(caplog, "django_tasks") if "state=FAILED" in record.getMessage()]
    assert failed.levelno == logging.ERROR
    assert "exploding_task" in failed.getMessage()
    assert failed.exc_info and "无法生成缩略图：照片1.jpg" in str(failed.exc_info[1])


@pytest.mark.django_db
def test_a_failed_sign_in_is_logged_without_the_password(client, users, caplog):
    caplog.set_level(logging.INFO, logger="wenminghao.signin")
    response = client.post(reverse("accounts:login"), {"login": "huancui", "password": "wrong-password-1"},
                           REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 200
    [record] = records(caplog, "wenminghao.signin")
    assert record.getMessage() == "sign-in failed: huancui from 10.1.2.3"
    assert (record.login, record.ip_address) == ("huancui", "10.1.2.3")
    assert "wrong-password-1" not in caplog.text
