"""Take screenshots of the main pages of a running platform, for a person to look at.

    .venv/bin/python scripts/screenshots.py http://127.0.0.1:8000 huancui /collectives/ /campaigns/filings/

Phone width (360 px) unless --desktop. Files go to /tmp/wmh-screenshots/.
"""

import argparse
from pathlib import Path

from playwright.sync_api import sync_playwright


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("username")
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--password", default="wenming2018")
    parser.add_argument("--desktop", action="store_true")
    parser.add_argument("--out", default="/tmp/wmh-screenshots")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    viewport = {"width": 1280, "height": 900} if args.desktop else {"width": 360, "height": 740}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_context(viewport=viewport, base_url=args.base, locale="zh-CN").new_page()
        page.goto("/accounts/login/")
        page.get_by_label("账号或手机号").fill(args.username)
        page.get_by_label("密码").fill(args.password)
        page.get_by_role("button", name="登录").click()
        page.wait_for_load_state("networkidle")
        for path in args.paths:
            page.goto(path)
            page.wait_for_load_state("networkidle")
            name = path.strip("/").replace("/", "_").replace("?", "_").replace("=", "-") or "home"
            target = out / f"{args.username}-{'desk' if args.desktop else 'phone'}-{name}.png"
            page.screenshot(path=str(target), full_page=True)
            print(target)
        browser.close()


if __name__ == "__main__":
    main()
