"""Browser tests: Playwright for Python driving Debian's Chromium against pytest-django's live server.

They skip, saying why, where /usr/bin/chromium is absent; with WMH_REQUIRE_BROWSER=1 (set by .ci/run)
a missing browser is a failure instead, so CI always runs them. No browser is ever downloaded.
"""

import os
import shutil
import time
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("WMH_CHROMIUM", "/usr/bin/chromium")
SCREENSHOT_DIR = Path(os.environ.get("WMH_SCREENSHOT_DIR", "/tmp/wmh-screenshots"))


def _chromium_missing_reason() -> str | None:
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        return f"未找到 Chromium（{CHROMIUM}）：请安装 Debian 的 chromium 软件包后再运行浏览器测试"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "未安装 playwright Python 包"
    return None


@pytest.fixture(scope="session")
def browser():
    reason = _chromium_missing_reason()
    if reason:
        if os.environ.get("WMH_REQUIRE_BROWSER") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls from the
    # live-server thread are unaffected, but the test's own ORM calls need this.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-quic", "--no-first-run", "--disable-component-update", "--disable-sync"],
        )
        yield instance
        instance.close()


CSP_REPORTER = """document.addEventListener("securitypolicyviolation", (event) => {
    const target = event.target && event.target.outerHTML ? event.target.outerHTML.slice(0, 160) : "";
    console.error(`Content Security Policy violation: ${event.effectiveDirective} at ${event.sourceFile}:` +
                  `${event.lineNumber}:${event.columnNumber} sample=${JSON.stringify(event.sample)} ${target}`);
});"""


def is_csp_violation(text: str) -> bool:
    """Chromium's console line for anything the Content-Security-Policy refused (a script, an eval, an inline
    handler or style), or an expression Alpine's CSP build cannot run ("Alpine Expression Error: CSP Parser
    Error"): such a page is broken for real users, so every browser test fails on one."""
    return "Content Security Policy" in text or "unsafe-eval" in text or "Alpine Expression Error" in text


@pytest.fixture
def page(browser, live_server):
    """A fresh browser context, phone-sized (360×740) unless a test resizes it. The test fails if the browser
    reported a Content-Security-Policy violation (``tab.csp_violations`` lists them as they come)."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="zh-CN",
                                  timezone_id="Asia/Shanghai", base_url=live_server.url)
    context.set_default_timeout(15_000)
    # The browser's own message does not say which file or element: log that too.
    context.add_init_script(CSP_REPORTER)
    tab = context.new_page()
    tab.csp_violations = []
    tab.on("console", lambda message: is_csp_violation(message.text) and tab.csp_violations.append(message.text))
    tab.on("pageerror", lambda error: is_csp_violation(str(error)) and tab.csp_violations.append(str(error)))
    yield tab
    violations = list(tab.csp_violations)
    context.close()
    assert not violations, "浏览器报告了违反内容安全策略（CSP）的操作：\n" + "\n".join(violations)


@pytest.fixture
def screenshot(page, request):
    """screenshot(name): save a full-page PNG under WMH_SCREENSHOT_DIR for a person to look at."""

    def _take(name: str) -> Path:
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        target = SCREENSHOT_DIR / f"{request.node.name}-{name}.png"
        page.screenshot(path=str(target), full_page=True)
        return target

    return _take


def sign_in(page, username: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("账号或手机号").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state("networkidle")


def wait_for_function(page, expression: str, *, arg=None, timeout: float = 15_000, interval: float = 100):
    """Playwright's ``page.wait_for_function`` without its in-page ``eval``: the Content-Security-Policy refuses
    that (no 'unsafe-eval'), so this polls ``page.evaluate`` (run by the browser's debugger, outside the policy)
    until the expression or function is truthy, and returns its value."""
    deadline = time.monotonic() + timeout / 1000
    while True:
        value = page.evaluate(expression, arg)
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"等待超时（{timeout / 1000:g} 秒）：{expression[:120]}")
        page.wait_for_timeout(interval)
