"""What the page tests share: the page's HTML checked for markup the Content-Security-Policy refuses, its text without
tags, and the authentication backend the test client signs in with (the ``as_`` fixture of tests/conftest.py)."""

import re

from tests.csp import markup_faults

BACKEND = "wenminghao.accounts.backends.UsernameOrMobileBackend"


def page(response) -> str:
    html = response.content.decode()
    assert not markup_faults(html), markup_faults(html)
    return html


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
