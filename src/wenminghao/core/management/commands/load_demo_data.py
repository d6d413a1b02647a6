"""Load the Weihai demonstration data (wenminghao.core.demo) through the services, so the audit log
records every unit, account, collective, campaign and filing (actor 系统 unless a person acted).

Idempotent: each object is looked up by its natural key first and only missing ones are created, so
a second run changes nothing and says so.
"""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from wenminghao.accounts.enums import Role
from wenminghao.accounts.models import User
from wenminghao.accounts.services import create_account
from wenminghao.campaigns.eligibility import check_collective, is_former_holder
from wenminghao.campaigns.enums import FilingStatus
from wenminghao.campaigns.models import Campaign, CreationFiling
from wenminghao.campaigns.services import create_campaign, decide_filing, file_creation
from wenminghao.collectives.models import Collective
from wenminghao.collectives.services import create_collective
from wenminghao.core import demo
from wenminghao.core.audit import record_audit, snapshot
from wenminghao.orgs.models import Unit
from wenminghao.orgs.services import create_unit

LABELS = {"units": "单位", "accounts": "账号", "collectives": "集体", "campaigns": "创建活动", "filings": "创建报备"}
MEASURES = {"units": "个", "accounts": "个", "collectives": "个", "campaigns": "项", "filings": "条"}


def _aware(value: datetime.datetime) -> datetime.datetime:
    return timezone.make_aware(value)  # settings.TIME_ZONE is Asia/Shanghai


class Loader:
    def __init__(self, today: datetime.date):
        self.today = today
        self.reference = demo.campaigns(today)[-1].reference_date  # the current campaigns' day
        self.created = dict.fromkeys(LABELS, 0)
        self.units: dict[str, Unit] = {}
        self.collectives: dict[str, Collective] = {}
        self.campaigns: dict[str, Campaign] = {}

    def run(self) -> dict[str, int]:
        self.load_units()
        self.load_admin_accounts()
        self.load_collectives()
        self.load_campaigns()
        self.load_filings()
        return self.created

    # --- units and accounts ------------------------------------------------------------------

    def load_units(self) -> None:
        for index, spec in enumerate(demo.UNITS, start=1):
            parent = self.units.get(spec.parent) if spec.parent else None
            unit = Unit.objects.filter(parent=parent, name=spec.name).first()
            if unit is None:
                unit = create_unit(
                    actor=None, parent=parent, name=spec.name, kind=spec.kind, short_name=spec.short_name,
                    sort_order=index * 10, contact_name=spec.admin_name, contact_phone=f"0631-52{index:05d}",
                )
                self.created["units"] += 1
            self.units[spec.key] = unit

    def _account(self, **fields) -> User:
        account = User.objects.filter(username=fields["username"]).first()
        if account is None:
            account = create_account(actor=None, password=demo.PASSWORD, validate=False, **fields)
            self.created["accounts"] += 1
        return account

    def load_admin_accounts(self) -> None:
        for index, spec in enumerate(demo.UNITS, start=1):
            self._account(username=spec.key, role=spec.role, unit=self.units[spec.key],
                          display_name=spec.admin_name, mobile=demo.admin_mobile(index))
        for index, (username, name) in enumerate(demo.JUDGES, start=len(demo.UNITS) + 1):
            self._account(username=username, role=Role.JUDGE, unit=self.units[demo.JUDGE_UNIT],
                          display_name=name, mobile=demo.admin_mobile(index))

    # --- collectives and their leaders ---------------------------------------------------------

    def load_collectives(self) -> None:
        unit_specs = demo.unit_by_key()
        for index, spec in enumerate(demo.COLLECTIVES, start=1):
            unit = self.units[spec.unit]
            collective = Collective.objects.filter(unit=unit, host_org=spec.host_org, name=spec.name).first()
            data = demo.collective_data(spec, self.reference)
            mobile = demo.leader_mobile(index)
            if collective is None:
                collective = create_collective(
                    actor=None,
                    fields={
                        "name": spec.name, "host_org": spec.host_org, "unit": unit, "sector": spec.sector,
                        "org_type": spec.org_type, "unit_form": spec.unit_form,
                        "contact_name": data.leader.name, "contact_phone": mobile,
                        "public_commitment": f"亮身份、亮形象、亮承诺：{spec.name}全体青年立足岗位、"
                                             "文明规范、优质高效，争创一流服务。",
                        "supervision_phone": f"0631-58{index:05d}",
                    },
                    members=[vars(member) for member in data.members],
                    honours=[
                        {"level": level, "year": year, "title": demo.honour_title(level, year, unit_specs[spec.unit])}
                        for level, year in spec.honours
                    ],
                )
                self.created["collectives"] += 1
            self.collectives[spec.username] = collective
            self._account(username=spec.username, role=Role.COLLECTIVE, collective=collective,
                          display_name=data.leader.name, mobile=mobile)

    # --- campaigns and filings -----------------------------------------------------------------

    def load_campaigns(self) -> None:
        office = self.units["city"]
        for spec in demo.campaigns(self.today):
            campaign = Campaign.objects.filter(office=office, name=spec.name).first()
            if campaign is None:
                campaign = create_campaign(actor=None, office=office, fields={
                    "name": spec.name, "level": spec.level, "year": spec.year,
                    "filing_deadline": _aware(spec.filing_deadline), "deadline": _aware(spec.deadline),
                    "reference_date": spec.reference_date, "contact_info": demo.OFFICE_CONTACT,
                })
                self.created["campaigns"] += 1
            self.campaigns[spec.key] = campaign

    def load_filings(self) -> None:
        for spec in demo.FILINGS:
            campaign = self.campaigns[spec.campaign]
            collective = self.collectives[spec.collective]
            if CreationFiling.objects.filter(campaign=campaign, collective=collective).exists():
                continue
            leader = User.objects.get(username=spec.collective)
            reviewer = self._reviewer(collective)
            if spec.filed_on is not None:
                filing = self._historical_filing(campaign, collective, leader, spec.filed_on)
            else:
                filing = file_creation(actor=leader, collective=collective, campaign=campaign)
            if spec.outcome != FilingStatus.PENDING:
                filing = decide_filing(actor=reviewer, filing=filing, accept=spec.outcome == FilingStatus.ACCEPTED,
                                       comment=spec.comment)
                if spec.filed_on is not None:
                    decided = _aware(datetime.datetime.combine(spec.filed_on + datetime.timedelta(days=2),
                                                               datetime.time(10, 0)))
                    CreationFiling.objects.filter(pk=filing.pk).update(decided_at=decided)
            self.created["filings"] += 1

    def _reviewer(self, collective: Collective) -> User:
        """The admin of the collective's unit: the one who accepts or returns its filing."""
        return User.objects.filter(unit=collective.unit, role__in=[Role.UNIT_ADMIN, Role.CITY_ADMIN]).order_by("id")[0]

    def _historical_filing(self, campaign, collective, leader, filed_on: datetime.date) -> CreationFiling:
        """A filing of a closed 2018 campaign, kept with its 2018 date. The filing service rightly
        refuses closed campaigns, so the record is written here, after the same eligibility check."""
        violations = check_collective(campaign, collective)
        if violations:
            raise CommandError(f"演示数据有误：{collective.name}不符合“{campaign.name}”：{violations[0].message}")
        filing = CreationFiling.objects.create(
            campaign=campaign, collective=collective, is_former=is_former_holder(campaign, collective),
            filed_by=leader, filed_at=_aware(datetime.datetime.combine(filed_on, datetime.time(9, 30))),
        )
        record_audit(actor=leader, action="创建报备", target=filing, unit_path=collective.unit.path,
                     after=snapshot(filing, ("status", "is_former", "filed_at", "filed_by")))
        return filing


class Command(BaseCommand):
    help = "载入威海市演示数据（单位、账号、集体、创建活动、报备）。可重复执行：已有的数据不会重复创建。"

    def handle(self, *args, **options):
        if not (settings.DEMO or settings.DEBUG or settings.TESTING):
            raise CommandError(
                "演示数据只能在演示环境中载入（其账号使用公开的演示密码）。请设置 WMH_DEMO=1 后再执行。"
            )
        with transaction.atomic():
            created = Loader(timezone.localdate()).run()
        if not any(created.values()):
            self.stdout.write("演示数据已齐全，本次未做任何修改。")
            return
        summary = "、".join(f"{LABELS[key]}{count}{MEASURES[key]}" for key, count in created.items() if count)
        self.stdout.write(self.style.SUCCESS(f"已载入演示数据：新建{summary}。演示账号见 docs/demo-accounts.md。"))
