from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("collectives", "0003_honour_awarded_by_honour_revoked_at_and_more"),
    ]

    operations = [
        migrations.AddField(
            model_name="collective",
            name="version",
            field=models.PositiveIntegerField(default=1, editable=False, verbose_name="版本"),
        ),
    ]
