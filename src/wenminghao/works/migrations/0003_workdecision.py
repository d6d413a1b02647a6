"""WorkDecision, moved from the reviews app (reviews.0003 renamed its table to works_workdecision): state only,
with the collective stage (a work's submission) among its choices."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("works", "0002_work_unit_rank"),
        ("reviews", "0003_move_workdecision_to_works"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="WorkDecision",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                                   verbose_name="ID")),
                        ("stage", models.CharField(choices=[("collective", "创作集体提交"), ("unit", "归口单位审核"),
                                                            ("city", "团市委评审"), ("province", "推报团省委")],
                                                   max_length=16, verbose_name="审核层级")),
                        ("from_status", models.CharField(max_length=16, verbose_name="原状态")),
                        ("to_status", models.CharField(max_length=16, verbose_name="新状态")),
                        ("comment", models.TextField(blank=True, verbose_name="意见")),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="时间")),
                        ("actor", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+",
                                                    to=settings.AUTH_USER_MODEL, verbose_name="操作人")),
                        ("work", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                                   related_name="decisions", to="works.work")),
                    ],
                    options={"verbose_name": "作品审核记录", "verbose_name_plural": "作品审核记录",
                             "ordering": ["work", "created_at", "id"]},
                ),
            ],
            database_operations=[],
        ),
    ]
