"""Recompute the review rounds' standings (``reviews.standings``: each judge's weighted score and each work's
entry) from the scores, or check them.

The services keep the standings in the transaction of every change of a round's assignments and scores, so this
is needed only after rows were changed around them (a restore of part of the database, rows written by hand or by
a bulk load such as the benchmarks'). ``--check`` changes nothing and exits 1 if anything differs.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from wenminghao.reviews import standings
from wenminghao.reviews.models import ReviewRound


class Command(BaseCommand):
    help = "重新计算评审轮次的评分汇总（评委得分、各作品评分人数、平均分、截尾平均分）；--check 只核对不修改。"

    def add_arguments(self, parser):
        parser.add_argument("--round", type=int, dest="round_id", help="只处理这个评审轮次（id）")
        parser.add_argument("--check", action="store_true", help="只核对：有不一致时列出并以状态 1 退出")

    def handle(self, *args, round_id: int | None = None, check: bool = False, **options):
        rounds = ReviewRound.objects.order_by("id")
        if round_id is not None:
            rounds = rounds.filter(pk=round_id)
            if not rounds.exists():
                raise CommandError(f"没有 id 为 {round_id} 的评审轮次。")
        if check:
            problems = [problem for round_ in rounds for problem in standings.discrepancies(round_)]
            for problem in problems[:100]:
                self.stderr.write(problem)
            if problems:
                raise CommandError(
                    f"评分汇总有 {len(problems)} 处与评分不一致；运行 recount_round_standings 重新计算。")
            self.stdout.write("评分汇总与评分一致。")
            return
        total = 0
        for round_ in rounds:
            with transaction.atomic():
                locked = ReviewRound.objects.select_for_update(no_key=True).get(pk=round_.pk)
                total += standings.rebuild_round(locked)
        self.stdout.write(f"已重新计算：{rounds.count()} 个评审轮次，{total} 件作品。")
