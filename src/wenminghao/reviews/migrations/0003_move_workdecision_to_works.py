"""WorkDecision moves to works: a work's history starts at its submission by the collective, which works writes
(works/transitions.py). The table is renamed to works_workdecision here and the model leaves the reviews app's
state; works.0003 takes it up, rows kept."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("reviews", "0002_move_notification_to_core"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.AlterModelTable(name="WorkDecision", table="works_workdecision")],
            state_operations=[migrations.DeleteModel(name="WorkDecision")],
        ),
    ]
