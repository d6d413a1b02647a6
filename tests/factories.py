"""Plain factory functions for tests: explicit arguments, no surprises, real services underneath."""

import datetime
import itertools
from decimal import Decimal

from django.utils import timezone

from wenminghao.accounts.models import User
from wenminghao.campaigns.models import Campaign
from wenminghao.collectives.enums import OrgType, Sector, WorkingUnitForm
from wenminghao.collectives.models import Collective, Honour, Member
from wenminghao.core.roles import Role
from wenminghao.orgs.enums import UnitKind
from wenminghao.orgs.services import create_unit

PASSWORD = "wenming2018-test"
_counter = itertools.count(1)


def unit(*, parent=None, name=None, kind=UnitKind.AREA, **fields):
    return create_unit(actor=None, parent=parent, name=name or f"测试单位{next(_counter)}", kind=kind, **fields)


def account(*, username=None, role=Role.UNIT_ADMIN, unit=None, collective=None, password=PASSWORD, **fields):
    user = User(
        username=username or f"user{next(_counter)}",
        role=role,
        unit=unit if role != Role.COLLECTIVE else None,
        collective=collective,
        **fields,
    )
    user.set_password(password)
    user.save()
    return user


def collective(*, unit, name=None, members=None, honours=(), org_type=OrgType.STATE_ENTERPRISE,
               sector=Sector.SERVICE, unit_form=WorkingUnitForm.WINDOW, **fields):
    """A collective; by default 8 members aged 28 with a leader aged 33 on 2018-08-20 (eligible for
    everything except the prior-honour rule, which depends on ``honours``)."""
    item = Collective.objects.create(
        unit=unit,
        name=name or f"测试集体{next(_counter)}",
        host_org=fields.pop("host_org", "测试所在单位"),
        sector=sector,
        org_type=org_type,
        unit_form=unit_form,
        contact_name=fields.pop("contact_name", "张联系"),
        contact_phone=fields.pop("contact_phone", "13800000000"),
        **fields,
    )
    if members is None:
        members = [(datetime.date(1985, 1, 1), True)] + [(datetime.date(1990, 1, 1), False)] * 7
    Member.objects.bulk_create(
        [
            Member(collective=item, name=f"成员{index}", birth_date=birth, is_leader=leader, post="岗位")
            for index, (birth, leader) in enumerate(members, start=1)
        ]
    )
    Honour.objects.bulk_create(
        [
            Honour(collective=item, level=level, year=year, title=f"{year}年度{level}青年文明号")
            for level, year in honours
        ]
    )
    return item


def campaign(*, office, level="city", year=2018, open_=True, **fields):
    now = timezone.now()
    deadline = now + datetime.timedelta(days=30) if open_ else now - datetime.timedelta(days=30)
    defaults = dict(
        name=f"{year}年度测试青年文明号创建{next(_counter)}",
        filing_deadline=deadline,
        deadline=deadline,
        reference_date=datetime.date(2018, 8, 20),
        target_former_share=Decimal("0.3"),
        target_non_public_share=Decimal("0.15"),
        target_social_share=Decimal("0.05"),
    )
    defaults.update(fields)
    return Campaign.objects.create(office=office, level=level, year=year, **defaults)
