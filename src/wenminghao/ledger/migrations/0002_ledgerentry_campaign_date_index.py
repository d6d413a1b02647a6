"""The ledger's lists show entries newest first: two indexes in that order, (campaign, date, id) for 查阅台账 and
(collective, campaign, date, id) for a collective's ledger, so that a page is read from an index instead of sorting
every entry of the campaign (bench/ledger_scale.py, docs/benchmarks.md)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("ledger", "0001_initial"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="ledgerentry",
            index=models.Index(fields=["campaign", "date", "id"], name="ledger_ledg_campaig_d4be09_idx"),
        ),
        migrations.AddIndex(
            model_name="ledgerentry",
            index=models.Index(fields=["collective", "campaign", "date", "id"], name="ledger_ledg_collect_3ae89f_idx"),
        ),
    ]
