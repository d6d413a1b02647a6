from django.core.management.base import BaseCommand, CommandError

from wenminghao.accounts.models import User
from wenminghao.accounts.services import remove_two_factor
from wenminghao.core.errors import RuleViolationError


class Command(BaseCommand):
    help = ("移除一个账号的两步验证（身份验证器），用于无人可在网页上为其移除时（例如唯一的团市委管理员丢失手机）。"
            "写入操作记录；该账号下次登录只需密码。")

    def add_arguments(self, parser):
        parser.add_argument("username", help="账号")

    def handle(self, *args, username, **options):
        account = User.objects.filter(username__iexact=username.strip()).first()
        if account is None:
            raise CommandError(f"账号“{username}”不存在")
        try:
            remove_two_factor(actor=None, account=account)
        except RuleViolationError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"已移除账号“{account.username}”的两步验证"))
