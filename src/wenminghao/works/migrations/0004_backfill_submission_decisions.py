"""A work's history starts at its submission: the submissions made before works wrote a WorkDecision for them are
taken from the audit log ("提交作品" entries: who, when, from which status), so every existing work's history
begins there too. Works submitted without an audit entry get none (there is nothing true to write)."""

from django.db import migrations

SUBMIT_ACTIONS = ("提交作品", "work.submit")


def backfill(apps, schema_editor):
    AuditEntry = apps.get_model("core", "AuditEntry")
    WorkDecision = apps.get_model("works", "WorkDecision")
    Work = apps.get_model("works", "Work")
    known = set(WorkDecision.objects.filter(stage="collective").values_list("work_id", "created_at"))
    works = {str(pk): pk for pk in Work.objects.values_list("pk", flat=True)}
    for entry in AuditEntry.objects.filter(object_type="works.work", action__in=SUBMIT_ACTIONS).order_by("id"):
        work_id = works.get(entry.object_id)
        if work_id is None or entry.actor_id is None or (work_id, entry.created_at) in known:
            continue
        before = (entry.before or {}).get("status") or "draft"
        decision = WorkDecision.objects.create(work_id=work_id, stage="collective", from_status=before,
                                               to_status="submitted", actor_id=entry.actor_id)
        WorkDecision.objects.filter(pk=decision.pk).update(created_at=entry.created_at)  # auto_now_add set "now"


class Migration(migrations.Migration):

    dependencies = [
        ("works", "0003_workdecision"),
        ("core", "0003_notification"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
