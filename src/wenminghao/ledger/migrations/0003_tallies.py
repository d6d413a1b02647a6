"""The ledger's tallies (``ledger.tallies``): counts per collective and campaign, and per month, kept by the services so
that dashboards read one row per collective instead of the year's entries; counted here from the ledger as it is."""

import django.db.models.deletion
from django.db import migrations, models

ACTIVITIES = ("benchmark", "study", "families", "open_week")


def count_the_ledger(apps, schema_editor):
    """The tallies of the ledger as it is: grouped queries over the historical models (a copy of
    ``ledger.tallies.rebuild``'s, so that this migration keeps working whatever that module becomes)."""
    from django.db.models import Count, F, Q, Sum
    from django.db.models.functions import TruncMonth

    entry_model = apps.get_model("ledger", "LedgerEntry")
    tally_model = apps.get_model("ledger", "LedgerTally")
    month_model = apps.get_model("ledger", "LedgerMonthTally")
    counts = {value: Count("id", filter=Q(activity=value)) for value in ACTIVITIES}
    entries = entry_model.objects.order_by()
    attended = {(row["ledgerentry__collective_id"], row["ledgerentry__campaign_id"]): row["n"] for row in (
        entry_model.attendees.through.objects.order_by()
        .filter(member__collective_id=F("ledgerentry__collective_id"))
        .values("ledgerentry__collective_id", "ledgerentry__campaign_id")
        .annotate(n=Count("member_id", distinct=True)))}
    rows = (entries.values("collective_id", "campaign_id")
            .annotate(visitors=Sum("visitors", filter=Q(activity="open_week")), **counts))
    write(tally_model, (tally_model(**{**row, "visitors": row["visitors"] or 0,
                                       "study_attended": attended.get((row["collective_id"], row["campaign_id"]), 0)})
                        for row in rows.iterator(chunk_size=2000)))
    months = (entries.annotate(month=TruncMonth("date")).values("collective_id", "campaign_id", "month")
              .annotate(**counts))
    write(month_model, (month_model(**row) for row in months.iterator(chunk_size=2000)))


def write(model, objects):
    """Insert in batches of 2,000, never holding more (a country's ledger has half a million month tallies)."""
    from itertools import islice

    while batch := list(islice(objects, 2000)):
        model.objects.bulk_create(batch)


class Migration(migrations.Migration):

    dependencies = [
        ('campaigns', '0002_deadlineextension'),
        ('collectives', '0003_honour_awarded_by_honour_revoked_at_and_more'),
        ('ledger', '0002_ledgerentry_campaign_date_index'),
    ]

    operations = [
        migrations.CreateModel(
            name='LedgerMonthTally',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.DateField(help_text='该月的第一天', verbose_name='月份')),
                ('benchmark', models.PositiveIntegerField(default=0, verbose_name='对标创优记录数')),
                ('study', models.PositiveIntegerField(default=0, verbose_name='青年大学习记录数')),
                ('families', models.PositiveIntegerField(default=0, verbose_name='助千家记录数')),
                ('open_week', models.PositiveIntegerField(default=0, verbose_name='开放周记录数')),
                ('campaign', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='campaigns.campaign')),
                ('collective', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='collectives.collective')),
            ],
            options={
                'verbose_name': '台账月度统计',
                'verbose_name_plural': '台账月度统计',
                'indexes': [models.Index(fields=['campaign', 'collective', 'month'], name='ledger_ledg_campaig_241ee0_idx')],
                'constraints': [models.UniqueConstraint(fields=('collective', 'campaign', 'month'), name='ledger_month_tally_one_per_month')],
            },
        ),
        migrations.CreateModel(
            name='LedgerTally',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('benchmark', models.PositiveIntegerField(default=0, verbose_name='对标创优记录数')),
                ('study', models.PositiveIntegerField(default=0, verbose_name='青年大学习记录数')),
                ('families', models.PositiveIntegerField(default=0, verbose_name='助千家记录数')),
                ('open_week', models.PositiveIntegerField(default=0, verbose_name='开放周记录数')),
                ('visitors', models.PositiveBigIntegerField(default=0, verbose_name='开放周参观人数')),
                ('study_attended', models.PositiveIntegerField(default=0, verbose_name='参加过青年大学习的成员数')),
                ('campaign', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='campaigns.campaign')),
                ('collective', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='ledger_tallies', to='collectives.collective')),
            ],
            options={
                'verbose_name': '台账统计',
                'verbose_name_plural': '台账统计',
                'indexes': [models.Index(fields=['campaign', 'collective'], name='ledger_ledg_campaig_8a3fad_idx')],
                'constraints': [models.UniqueConstraint(fields=('collective', 'campaign'), name='ledger_tally_one_per_collective')],
            },
        ),
        migrations.AddIndex(
            model_name="pairingreview",
            index=models.Index(fields=["pairing", "date", "id"], name="ledger_review_latest"),
        ),
        migrations.RunPython(count_the_ledger, migrations.RunPython.noop, elidable=True),
    ]
