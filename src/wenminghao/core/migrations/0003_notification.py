"""Notification, moved from the reviews app (reviews.0002 renamed its table to core_notification): state only."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0002_export_job"),
        ("reviews", "0002_move_notification_to_core"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Notification",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                                   verbose_name="ID")),
                        ("message", models.TextField(verbose_name="内容")),
                        ("link", models.CharField(blank=True, max_length=255, verbose_name="链接")),
                        ("created_at", models.DateTimeField(auto_now_add=True, db_index=True)),
                        ("read_at", models.DateTimeField(blank=True, null=True)),
                        ("recipient", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                                        related_name="notifications", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={"verbose_name": "通知", "verbose_name_plural": "通知", "ordering": ["-created_at", "-id"]},
                ),
            ],
            database_operations=[],
        ),
    ]
