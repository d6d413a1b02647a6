"""The demo's naming (命名) at the end of the 2018 city campaign (``2018_city``, closed), and what became of the titles
(动态管理). The city names three of its accepted creating collectives through ``evaluation.services.naming``, which
writes each a “2018年度威海市青年文明号” valid until 31 December 2021 (the default 3-year term): so in the current
year all three titles are past their term (已到期), as a 2018 title is.

- 物业青年服务队 (``zj_wyfw``, 市住建局): named; warned in April 2019 (监督电话未公示), fixed and reviewed in July 2019
  (复核通过);
- 母爱文化志愿服务队 (``rs_mawh``, 乳山市): named; nothing since;
- 带电作业班 (``gd_ddzy``, 国网威海供电公司): named; revoked in September 2019 after a verified public complaint.

They were chosen so that the current campaigns' eligibility outcomes (docs/demo-accounts.md) stay as they are:
``zj_wyfw`` keeps its 2019 city title (typed in, no term), so it may still file at both levels; ``rs_mawh`` and
``gd_ddzy`` hold only district titles besides, so the province level stays refused, only the reason now names the lost
title (“该集体的2018年市级称号已过届期 / 已被撤销，不再计入”) instead of “尚无此类荣誉记录”.

The naming goes through the service (its rules, audit and notifications); its date is then set to December 2018, as
the loader dates the 2018 filings. The 2019 warning and review are history the services rightly refuse today (a
title past its term takes no warning nor review), so they are written here as the loader writes the 2018 filings:
the row and its audit entry, with their 2019 dates. The revocation goes through the service (an expired title may
still be revoked) and is dated September 2019. Idempotent: a naming is found again by campaign and collective, an
event by its title and kind. ``load(loader)`` returns what it made by key: namings (命名, 个), title_warnings (警告提醒,
次), title_reviews (年度复核, 次), revocations (撤销称号, 个)."""

import datetime

from django.utils import timezone

from wenminghao.accounts.models import User
from wenminghao.collectives.models import Honour
from wenminghao.core.audit import record_audit
from wenminghao.evaluation.enums import ReviewResult, TitleEventKind
from wenminghao.evaluation.models import Naming, TitleEvent
from wenminghao.evaluation.services import naming as services

CAMPAIGN = "2018_city"
NAMED = ("zj_wyfw", "rs_mawh", "gd_ddzy")
NAMED_ON = datetime.datetime(2018, 12, 20, 10, 0)
WARNED = "zj_wyfw"
WARNING = {"on": datetime.datetime(2019, 4, 16, 15, 0), "fix_by": datetime.date(2019, 6, 30),
           "reason": "2019年4月实地考察发现：服务队在物业服务中心公示的监督电话已停用，拨打无人接听；青年文明号台账"
                     "2019年以来未更新。请更换监督电话并重新公示，补齐台账。"}
REVIEW = {"on": datetime.datetime(2019, 7, 10, 9, 30), "year": 2019, "result": ReviewResult.PASSED,
          "reason": "复查：监督电话已更换为0631-5800043并在服务中心和小区公告栏公示，拨打有人接听；台账已补齐至7月。"
                    "整改到位，复核通过。"}
REVOKED = "gd_ddzy"
REVOCATION = {"on": datetime.datetime(2019, 9, 12, 16, 0),
              "reason": "经核实的群众投诉：2019年8月计划检修期间，带电作业班未按公示的服务承诺提前告知停电，造成沿街"
                        "十余家商户损失；经团市委会同国网威海供电公司调查属实。依据称号动态管理规定撤销称号。"}


def _aware(moment: datetime.datetime) -> datetime.datetime:
    return timezone.make_aware(moment)  # settings.TIME_ZONE is Asia/Shanghai


def load(loader) -> dict[str, int]:
    created = {"namings": 0, "title_warnings": 0, "title_reviews": 0, "revocations": 0}
    campaign = loader.campaigns[CAMPAIGN]
    city = User.objects.get(username="city")
    missing = [loader.collectives[key] for key in NAMED
               if not Naming.objects.filter(campaign=campaign, collective=loader.collectives[key]).exists()]
    if missing:
        namings = services.name_collectives(actor=city, campaign=campaign, collectives=missing)
        Naming.objects.filter(pk__in=[naming.pk for naming in namings]).update(named_at=_aware(NAMED_ON))
        created["namings"] += len(namings)
    honours = {key: Naming.objects.select_related("honour__collective__unit").get(
        campaign=campaign, collective=loader.collectives[key]).honour for key in NAMED}

    warned = honours[WARNED]
    if not warned.events.filter(kind=TitleEventKind.WARNING).exists():
        _historical_event(city, warned, TitleEventKind.WARNING, "honour.warn", WARNING["on"], WARNING["reason"],
                          fix_by=WARNING["fix_by"])
        created["title_warnings"] += 1
    if not warned.events.filter(kind=TitleEventKind.REVIEW, year=REVIEW["year"]).exists():
        _historical_event(city, warned, TitleEventKind.REVIEW, "honour.review", REVIEW["on"], REVIEW["reason"],
                          year=REVIEW["year"], result=REVIEW["result"])
        created["title_reviews"] += 1

    revoked = honours[REVOKED]
    if revoked.revoked_at is None:
        services.revoke_honour(actor=city, honour=revoked, reason=REVOCATION["reason"])
        moment = _aware(REVOCATION["on"])
        Honour.objects.filter(pk=revoked.pk).update(revoked_at=moment)
        TitleEvent.objects.filter(honour=revoked, kind=TitleEventKind.REVOCATION).update(created_at=moment)
        created["revocations"] += 1
    return created


def _historical_event(actor, honour: Honour, kind: str, action: str, on: datetime.datetime, reason: str,
                      **fields) -> TitleEvent:
    """An event of 2019, when the title was still in its term: the row and its audit entry as the service writes
    them, dated then (the service refuses a title past its term today, rightly)."""
    event = TitleEvent.objects.create(honour=honour, kind=kind, reason=reason, actor=actor, unit=actor.unit, **fields)
    TitleEvent.objects.filter(pk=event.pk).update(created_at=_aware(on))
    record_audit(actor=actor, action=action, target=honour, unit_path=honour.collective.unit.path,
                 after={"event": event.pk, "kind": kind, "reason": reason, **fields})
    return event
