"""Production settings: a missing secret stops start-up; `check --deploy` passes when configured."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _run(args, **env):
    base = {k: v for k, v in os.environ.items() if not k.startswith(("WMH_", "DJANGO_", "PYTEST"))}
    base.pop("DATABASE_URL", None)
    base.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=base, capture_output=True, text=True, timeout=120
    )


def test_start_up_without_secret_key_stops_with_a_clear_message(tmp_path):
    result = _run(["check"], WMH_DATA_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "WMH_SECRET_KEY is not set" in result.stderr


def test_check_deploy_passes_with_production_settings(tmp_path):
    result = _run(
        ["check", "--deploy", "--fail-level", "WARNING"],
        WMH_DATA_DIR=str(tmp_path),
        WMH_SECRET_KEY="x" * 20 + "-production-secret-key-for-the-deploy-check-" + "y" * 20,
        WMH_ALLOWED_HOSTS="wenminghao.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_demo_mode_generates_and_keeps_a_secret_key(tmp_path):
    first = _run(["check"], WMH_DATA_DIR=str(tmp_path), WMH_DEMO="1")
    assert first.returncode == 0, first.stderr
    key = (tmp_path / "secret_key").read_text()
    assert len(key) >= 50
    _run(["check"], WMH_DATA_DIR=str(tmp_path), WMH_DEMO="1")
    assert (tmp_path / "secret_key").read_text() == key
