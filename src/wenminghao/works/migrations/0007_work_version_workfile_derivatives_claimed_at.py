from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("works", "0006_count_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="workfile",
            name="derivatives_claimed_at",
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name="预览处理开始时间"),
        ),
        migrations.AddField(
            model_name="work",
            name="version",
            field=models.PositiveIntegerField(default=1, editable=False, verbose_name="版本"),
        ),
    ]
