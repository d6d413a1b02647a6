from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0004_audit_action_keys"),
    ]

    operations = [
        migrations.CreateModel(
            name="WorkerHeartbeat",
            fields=[
                ("worker_id", models.CharField(
                    max_length=64, primary_key=True, serialize=False, verbose_name="任务进程")),
                ("host", models.CharField(max_length=255, verbose_name="主机")),
                ("pid", models.IntegerField(verbose_name="进程号")),
                ("started_at", models.DateTimeField(verbose_name="启动时间")),
                ("seen_at", models.DateTimeField(db_index=True, verbose_name="最近心跳")),
            ],
            options={
                "verbose_name": "任务进程心跳",
                "verbose_name_plural": "任务进程心跳",
            },
        ),
    ]
