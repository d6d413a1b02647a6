"""The clock every test session runs on.

Many tests compute "today" once, when their module is imported (``TODAY = timezone.localdate()``, a
date in a ``parametrize`` list), and the services compute it again when a test runs. A session that
crosses midnight in Asia/Shanghai (16:00 UTC) would then compare two different days: CI once failed
16 tests that way. So the session's clock starts at a fixed instant and ticks from there:

* by default 00:30 in Asia/Shanghai on today's date there — 23½ hours before the next midnight, and
  a moment when the UTC date is still yesterday, so code that asks the machine's clock for
  ``date.today()`` instead of ``timezone.localdate()`` gets the wrong day and its test fails;
* or the instant in ``WMH_TEST_CLOCK`` (ISO 8601 with an offset, e.g. ``2027-08-19T23:50+08:00``) to
  replay a session at a given moment.

``time_machine`` moves Python's clocks (``time.time``, ``datetime.now``, ``date.today``), not the
monotonic ones, nor the database's or the browser's.
"""

import datetime
import os
import zoneinfo

import time_machine

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
_traveller: time_machine.travel | None = None


def session_start() -> datetime.datetime:
    configured = os.environ.get("WMH_TEST_CLOCK", "").strip()
    if configured:
        instant = datetime.datetime.fromisoformat(configured)
        if instant.tzinfo is None:
            raise ValueError(f"WMH_TEST_CLOCK={configured!r} needs an offset, e.g. 2027-08-19T23:50+08:00")
        return instant
    today = datetime.datetime.now(SHANGHAI).date()
    return datetime.datetime.combine(today, datetime.time(0, 30), tzinfo=SHANGHAI)


def start() -> datetime.datetime:
    global _traveller
    instant = session_start()
    _traveller = time_machine.travel(instant, tick=True)
    _traveller.start()
    return instant


def stop() -> None:
    global _traveller
    if _traveller is not None:
        _traveller.stop()
        _traveller = None
