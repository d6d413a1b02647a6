"""The Content-Security-Policy (core/middleware.py) and the markup that must live with it.

The policy allows scripts and styles only from our own files: no ``'unsafe-eval'`` (Alpine runs as its CSP build,
htmx with ``allowEval`` off) and no ``'unsafe-inline'``. A browser refuses whatever breaks that without a word to the
user, so these tests find it first: every template file has no inline ``<script>``, no ``on...=`` handler, no
``javascript:`` URL, no ``style=""``, only named Alpine components in ``x-data`` and no server value inside an Alpine
expression. Every page the permission matrix opens is checked the same way as rendered
(tests/test_permission_matrix.py), and every browser test fails on a violation the browser reports
(tests/browser/conftest.py).
"""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.csp import markup_faults, policy
from wenminghao.core.middleware import SecurityHeadersMiddleware

SRC = Path(settings.BASE_DIR)


# --- the header ----------------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("signed_in_as", [None, "city_admin", "leader_a"])
def test_pages_send_a_policy_without_eval_or_inline_script(client, users, signed_in_as):
    if signed_in_as:
        client.force_login(users[signed_in_as])
    for url in (reverse("accounts:login"), reverse("workbench:home"), "/no-such-page/", reverse("public:showcase")):
        header = client.get(url)["Content-Security-Policy"]
        directives = policy(header)
        assert directives["script-src"] == ["'self'"], url
        assert directives["style-src"] == ["'self'"], url
        assert "'unsafe-eval'" not in header and "'unsafe-inline'" not in header, url
        assert directives["object-src"] == ["'none'"]
        assert directives["frame-ancestors"] == ["'none'"]
        assert directives["base-uri"] == ["'self'"]
        assert directives["form-action"] == ["'self'"]


def test_no_source_outside_our_own_origin():
    """Only 'self' (and data:/blob: for pictures, media and fonts made in the page: Uppy's previews, ECharts)."""
    directives = policy(SecurityHeadersMiddleware.CSP)
    assert directives["default-src"] == ["'self'"]
    for name, sources in directives.items():
        for source in sources:
            assert source in {"'self'", "'none'", "data:", "blob:"}, f"{name}: {source}"


def test_base_page_turns_off_htmx_eval_and_its_injected_style(client):
    page = client.get(reverse("accounts:login")).content.decode()
    config = re.search(r"<meta name=\"htmx-config\" content='([^']*)'>", page)
    assert config is not None
    settings = json.loads(config.group(1))
    assert settings["allowEval"] is False and settings["includeIndicatorStyles"] is False
    assert "style" not in settings["attributesToSettle"]
    assert "alpine-csp.min.js" in page and "alpine.min.js" not in page


# --- the markup ------------------------------------------------------------------------------------------------


def test_the_checker_finds_what_the_policy_refuses():
    page = ('<script>alert(1)</script><a href=" JavaScript:go()">x</a><button onclick="go()">x</button>'
            '<div style="color:red" x-data="{ open: false }"></div><p hx-on:click="go()"></p><style>p {}</style>'
            '<script type="application/json" id="d">{}</script><script src="/static/a.js"></script>'
            '<div x-data="workForm"></div><div x-data></div>')
    assert [fault.split("：")[0] for fault in markup_faults(page)] == [
        "内联脚本", "javascript: 地址", "事件处理属性 onclick", "内联样式 style",
        "x-data 须为 Alpine.data() 注册的组件名", "htmx 内联脚本 hx-on:click", "内联样式表 <style>"]


def template_files() -> list[Path]:
    files = sorted(SRC.glob("templates/**/*.html")) + sorted(SRC.glob("*/templates/**/*.html"))
    assert len(files) > 100
    return files


# In a template's source: an Alpine attribute holding a template tag is a server value written as JavaScript (it
# belongs in a data- attribute, the form's own fields or json_script).
ALPINE_ATTRIBUTE = re.compile(r"""\s(?:x-[a-z]+(?::[\w.-]+)?|@[\w.:-]+|:[a-z][\w-]*)="([^"]*)\"""")


def test_templates_hold_no_inline_script_handler_style_or_server_value_in_alpine():
    faults = []
    for path in template_files():
        source = path.read_text(encoding="utf-8")
        # Template tags may sit inside tags and attributes; blank them so that the HTML parser sees the markup. A {# #}
        # comment ends with its line (Django prints one that goes on as text), so it is blanked only within a line.
        markup = re.sub(r"{%.*?%}|{{.*?}}", "x", re.sub(r"{#.*?#}", "x", source), flags=re.S)
        faults += [f"{path.relative_to(SRC)}: {fault}" for fault in markup_faults(markup)]
        for match in ALPINE_ATTRIBUTE.finditer(source):
            if "{{" in match.group(1) or "{%" in match.group(1):
                faults.append(f"{path.relative_to(SRC)}: Alpine 属性中含服务器端的值：{match.group(0).strip()[:120]}")
    assert not faults, "\n".join(faults)


def test_every_alpine_component_named_in_a_template_is_registered_in_a_static_file():
    registered = set()
    for path in SRC.glob("**/static/**/*.js"):
        if "vendor" not in path.parts:
            registered |= set(re.findall(r"Alpine\.data\(\s*\"(\w+)\"", path.read_text(encoding="utf-8")))
    named = {}
    for path in template_files():
        for name in re.findall(r'x-data="(\w+)"', path.read_text(encoding="utf-8")):
            named.setdefault(name, str(path.relative_to(SRC)))
    assert named, "no Alpine component found in the templates"
    missing = {name: where for name, where in named.items() if name not in registered}
    assert not missing, f"x-data names no Alpine.data() component: {missing}"
