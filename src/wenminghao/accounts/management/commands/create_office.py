import getpass

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from wenminghao.accounts.services import create_account
from wenminghao.core.roles import Role
from wenminghao.orgs.enums import OFFICE_KINDS, UnitKind
from wenminghao.orgs.models import Unit
from wenminghao.orgs.services import create_unit


class Command(BaseCommand):
    help = "创建一个团委办公室（市级或省级单位）及其第一位管理员账号，用于正式部署的初始化。"

    def add_arguments(self, parser):
        parser.add_argument("name", help="单位名称，例如 威海市团委")
        parser.add_argument("username", help="管理员账号")
        parser.add_argument("--kind", default=UnitKind.CITY, choices=[k.value for k in OFFICE_KINDS])
        parser.add_argument("--parent", type=int, help="上级单位编号（例如省团委之下的市团委）")
        parser.add_argument("--mobile", default=None)

    def handle(self, *args, name, username, kind, parent, mobile, **options):
        parent_unit = None
        if parent:
            parent_unit = Unit.objects.filter(pk=parent).first()
            if parent_unit is None:
                raise CommandError(f"上级单位编号{parent}不存在")
        password = getpass.getpass("管理员密码：")
        if password != getpass.getpass("再次输入密码："):
            raise CommandError("两次输入的密码不一致")
        with transaction.atomic():
            office = create_unit(actor=None, parent=parent_unit, name=name, kind=kind)
            create_account(
                actor=None, username=username, password=password, role=Role.CITY_ADMIN, unit=office, mobile=mobile
            )
        self.stdout.write(self.style.SUCCESS(f"已创建 {office.name}（编号{office.pk}）及管理员 {username}"))
