"""The QR code of a post's identity page (segno): it encodes the page's absolute address, the platform's public
address (``WMH_SITE_URL``) when it is set, else the address the request came to."""

from __future__ import annotations

import io

import segno
from django.conf import settings
from django.urls import reverse


def page_url(request, collective_id: int) -> str:
    """The identity page's absolute address, as printed on a plaque and encoded in its QR code."""
    path = reverse("public:post", args=[collective_id])
    base = (getattr(settings, "WMH_SITE_URL", "") or "").rstrip("/")
    if base:
        return base + path
    return request.build_absolute_uri(path)


def qr_code(url: str) -> segno.QRCode:
    return segno.make(url, error="m", micro=False)


def qr_svg(url: str) -> bytes:
    stream = io.BytesIO()
    qr_code(url).save(stream, kind="svg", scale=8, border=4, xmldecl=True, title="扫码查看青年文明号公开身份页")
    return stream.getvalue()


def qr_png(url: str, *, scale: int = 10) -> bytes:
    stream = io.BytesIO()
    qr_code(url).save(stream, kind="png", scale=scale, border=4)
    return stream.getvalue()
