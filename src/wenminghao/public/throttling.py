"""Throttling of public supervision (公众监督) without outside services: counted in the database from the stored
``Feedback`` rows, so several app servers agree and nothing else (no cache, no Redis) must run.

Three limits, each a number of accepted items within a sliding window (settings, with their defaults):

- per address, ``WMH_FEEDBACK_PER_ADDRESS_10MIN`` (5) in 10 minutes and ``WMH_FEEDBACK_PER_ADDRESS_DAY`` (20) in
  24 hours: one visitor cannot flood the posts;
- per post, ``WMH_FEEDBACK_PER_POST_HOUR`` (30) in an hour: many addresses cannot bury one post's real items.

The address is never stored: ``Feedback.address_hash`` is an HMAC-SHA256 of it keyed with ``SECRET_KEY`` (the same
address gives the same hash, so it can be counted; the hash cannot be turned back into the address without the key).
The address is the one ``core.http.client_ip`` gives (REMOTE_ADDR, which core/wsgi.py takes from X-Forwarded-For only
behind a trusted proxy). A refusal is an answer, 429 with ``Retry-After`` (the seconds until the oldest counted item
leaves its window), never a pause. Honeypot submissions are not stored and so never counted.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import ipaddress
import math
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Min, Q
from django.utils import timezone

from .models import Feedback

TEN_MINUTES = datetime.timedelta(minutes=10)
DAY = datetime.timedelta(days=1)
HOUR = datetime.timedelta(hours=1)


def counted_address(ip_address: str | None) -> str:
    """What a visitor is counted by: an IPv4 address itself, an IPv6 address by its /64 network (one home or phone
    gets a whole /64: counted by the address, it would have unlimited tries)."""
    try:
        address = ipaddress.ip_address((ip_address or "").strip())
    except ValueError:
        return (ip_address or "").strip()
    if address.version == 4:
        return str(address)
    if address.ipv4_mapped is not None:  # ::ffff:a.b.c.d is the IPv4 address a.b.c.d
        return str(address.ipv4_mapped)
    return str(ipaddress.ip_network(f"{address}/64", strict=False))


def address_hash(ip_address: str | None) -> str:
    """The HMAC-SHA256 (hex) of the visitor's counted address (``counted_address``) keyed with SECRET_KEY: what is
    stored and counted, never the address itself."""
    return hmac.new(settings.SECRET_KEY.encode(), counted_address(ip_address).encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Limit:
    key: str  # "address_10min", "address_day", "post_hour"
    allowed: int
    window: datetime.timedelta


def limits() -> tuple[Limit, ...]:
    return (
        Limit("address_10min", settings.WMH_FEEDBACK_PER_ADDRESS_10MIN, TEN_MINUTES),
        Limit("address_day", settings.WMH_FEEDBACK_PER_ADDRESS_DAY, DAY),
        Limit("post_hour", settings.WMH_FEEDBACK_PER_POST_HOUR, HOUR),
    )


class FeedbackThrottled(Exception):
    """Too many items from this address or to this post: answer 429 with ``Retry-After: retry_after``."""

    def __init__(self, retry_after: int, reason: str):
        self.retry_after = max(1, retry_after)
        self.reason = reason  # the Limit's key
        super().__init__(self.message)

    @property
    def message(self) -> str:
        wait = wait_text(self.retry_after)
        if self.reason == "post_hour":
            return (f"这个岗位在一小时内收到的意见较多，为保证每条意见都能得到处理，请{wait}后再提交。"
                    "感谢您的监督！")
        if self.reason == "address_day":
            return (f"您今天提交的意见已达{settings.WMH_FEEDBACK_PER_ADDRESS_DAY}条的上限，请{wait}后再提交。"
                    "感谢您的监督！")
        return (f"您在10分钟内已提交{settings.WMH_FEEDBACK_PER_ADDRESS_10MIN}条意见，请{wait}后再提交。"
                "感谢您的监督！")


def wait_text(seconds: int) -> str:
    """30秒, 5分钟, 3小时 (rounded up), for the messages."""
    if seconds < 60:
        return f"{max(1, seconds)}秒"
    if seconds < 3600:
        return f"{math.ceil(seconds / 60)}分钟"
    return f"{math.ceil(seconds / 3600)}小时"


def check_feedback_allowed(*, collective_id: int, hashed_address: str,
                           now: datetime.datetime | None = None) -> None:
    """Raise FeedbackThrottled when one more item from this (hashed) address to this post would pass a limit. One
    query (conditional counts over the rows of the last day from the address or to the post)."""
    now = now or timezone.now()
    by_address, to_post = Q(address_hash=hashed_address), Q(collective_id=collective_id)
    aggregates = {}
    for limit in limits():
        scope = to_post if limit.key.startswith("post") else by_address
        within = scope & Q(created_at__gte=now - limit.window)
        aggregates[f"{limit.key}_count"] = Count("pk", filter=within)
        aggregates[f"{limit.key}_oldest"] = Min("created_at", filter=within)
    longest = max(limit.window for limit in limits())
    figures = (Feedback.objects.filter(created_at__gte=now - longest).filter(by_address | to_post)
               .aggregate(**aggregates))
    waits = []
    for limit in limits():
        if figures[f"{limit.key}_count"] >= max(0, limit.allowed):
            oldest = figures[f"{limit.key}_oldest"] or now
            waits.append((math.ceil((oldest + limit.window - now).total_seconds()), limit.key))
    if waits:
        retry_after, reason = max(waits)
        raise FeedbackThrottled(retry_after, reason)
