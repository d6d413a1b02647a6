"""The ledger's tallies (``ledger.tallies``): counts per collective and campaign, and per month, kept by the services so
that dashboards read one row per collective instead of the year's entries; counted here from the ledger as it is."""

import django.db.models.deletion
from django.db import migrations, models

from wenminghao.ledger import tallies


def count_the_ledger(apps, schema_editor):
    tallies.rebuild(apps=apps)


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
                ('visitors', models.PositiveIntegerField(default=0, verbose_name='开放周参观人数')),
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
