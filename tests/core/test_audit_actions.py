"""Audit actions are stable keys with their Chinese labels in one place (core/audit_actions.py)."""

import importlib
import re
from pathlib import Path

import pytest
from django.apps import apps

from wenminghao.core.audit import record_audit
from wenminghao.core.audit_actions import ACTIONS, action_label
from wenminghao.core.models import AuditEntry

pytestmark = pytest.mark.django_db
SOURCE = Path(__file__).resolve().parents[2] / "src" / "wenminghao"


def test_keys_are_dotted_lower_case_and_labels_chinese():
    for key, label in ACTIONS.items():
        assert re.fullmatch(r"[a-z_]+\.[a-z_]+", key), key
        assert re.search(r"[\u4e00-\u9fff]", label), key
    assert len(set(ACTIONS.values())) == len(ACTIONS)  # one label, one key: the audit filter stays unambiguous


def test_an_unknown_key_is_refused(tree):
    with pytest.raises(ValueError, match="core/audit_actions.py"):
        record_audit(actor=None, action="修改集体", target=tree["collective_a"], unit_path="/")


def test_every_literal_key_in_the_source_is_listed():
    used = set()
    for path in SOURCE.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        used |= set(re.findall(r'\baction\s*=\s*"([a-z_]+\.[a-z_]+)"', path.read_text(encoding="utf-8")))
        used |= set(re.findall(r'Transition\(WorkStage\.\w+, "([a-z_.]+)"', path.read_text(encoding="utf-8")))
    assert used and used - set(ACTIONS) == set()


def test_an_entry_reads_as_its_label(tree):
    entry = record_audit(actor=None, action="collective.update", target=tree["collective_a"], unit_path="/")
    assert entry.action == "collective.update" and entry.action_label == "修改集体"
    assert action_label("retired.action") == "retired.action"


def test_entries_written_with_chinese_verbs_get_their_keys(tree):
    """core.0004 maps the verbs of the entries written before the keys."""
    collective = tree["collective_a"]
    for verb in ("修改集体", "推荐作品", "上传作品视频或动画", "某个未知操作"):
        AuditEntry.objects.create(action=verb, object_type="collectives.collective", object_id=str(collective.pk),
                                  object_repr="x", unit_path="/")
    migration = importlib.import_module("wenminghao.core.migrations.0004_audit_action_keys")
    migration.to_keys(apps, None)
    assert sorted(AuditEntry.objects.filter(object_repr="x").values_list("action", flat=True)) == [
        "collective.update", "work.recommend", "work.video_upload", "某个未知操作"]
    assert set(migration.LABEL_TO_KEY.values()) <= set(ACTIONS)
