"""What the Content-Security-Policy (core/middleware.py) refuses, found in an HTML document: shared by
tests/core/test_csp.py (the header, every template file) and tests/test_permission_matrix.py (every page it opens,
as rendered: widgets' attributes come from Python)."""

import re
from html.parser import HTMLParser

COMPONENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
DATA_TYPES = {"application/json", "application/ld+json"}


def policy(header: str) -> dict[str, list[str]]:
    """A Content-Security-Policy header as {directive: [sources]}."""
    directives = {}
    for part in header.split(";"):
        if part.strip():
            name, *sources = part.split()
            directives[name] = sources
    return directives


class MarkupFaults(HTMLParser):
    """Inline scripts (json_script's application/json is data), on...= handlers, javascript: URLs,
    <style> elements and style="" attributes, htmx's hx-on (inline script too), and an x-data that is not the name
    of a component registered with Alpine.data() (Alpine's CSP build; server values never written as JavaScript)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.faults: list[str] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        where = f"<{tag} {' '.join(f'{name}={value!r}' for name, value in attrs)}>"[:200]
        if tag == "script" and not values.get("src") and (values.get("type") or "").lower() not in DATA_TYPES:
            self.faults.append(f"内联脚本：{where}")
        if tag == "style":
            self.faults.append(f"内联样式表 <style>：{where}")
        for name, value in attrs:
            if name.startswith("on"):
                self.faults.append(f"事件处理属性 {name}：{where}")
            if name == "style":
                self.faults.append(f"内联样式 style：{where}")
            if value and re.sub(r"[\s\x00-\x1f]", "", value).lower().startswith("javascript:"):
                self.faults.append(f"javascript: 地址：{where}")
            if name == "x-data" and value and not COMPONENT.match(value.strip()):
                self.faults.append(f"x-data 须为 Alpine.data() 注册的组件名：{where}")
            if name == "hx-on" or name.startswith(("hx-on:", "hx-on-", "data-hx-on")):
                self.faults.append(f"htmx 内联脚本 {name}：{where}")


def markup_faults(html: str) -> list[str]:
    parser = MarkupFaults()
    parser.feed(html)
    parser.close()
    return parser.faults
