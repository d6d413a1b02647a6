"""Notification moves to core (the platform's messages are not the review's own: exports notify too). The table is
renamed to core_notification here and the model leaves the reviews app's state; core.0003 takes it up, rows kept."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("reviews", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.AlterModelTable(name="Notification", table="core_notification")],
            state_operations=[migrations.DeleteModel(name="Notification")],
        ),
    ]
