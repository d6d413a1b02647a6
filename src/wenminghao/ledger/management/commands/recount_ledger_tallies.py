"""Recount the ledger's tallies (``ledger.tallies``) from the entries, or check them.

The services keep the tallies in the transaction of every write, so this is needed only after the ledger was
changed around them (a restore of part of the database, rows written by hand or by a bulk load such as the
benchmarks'). ``--check`` changes nothing and exits 1 if a tally differs from a recount.
"""

from django.core.management.base import BaseCommand, CommandError

from wenminghao.campaigns.models import Campaign
from wenminghao.ledger import tallies


class Command(BaseCommand):
    help = "重新统计台账计数（各集体各活动的记录数、参观人数、参学成员数、月度记录数）；--check 只核对不修改。"

    def add_arguments(self, parser):
        parser.add_argument("--campaign", type=int, help="只处理这个创建活动（id）")
        parser.add_argument("--check", action="store_true", help="只核对：有不一致时列出并以状态 1 退出")

    def handle(self, *args, campaign: int | None = None, check: bool = False, **options):
        if campaign is not None and not Campaign.objects.filter(pk=campaign).exists():
            raise CommandError(f"没有 id 为 {campaign} 的创建活动。")
        if check:
            problems = tallies.discrepancies(campaign_id=campaign)
            for problem in problems[:100]:
                self.stdout.write(problem)
            if problems:
                raise CommandError(f"台账计数有 {len(problems)} 处与台账不一致；运行 recount_ledger_tallies 重新统计。")
            self.stdout.write("台账计数与台账一致。")
            return
        written, months = tallies.rebuild(campaign_id=campaign)
        self.stdout.write(f"已重新统计：{written} 个集体的台账计数，{months} 个月度计数。")
