"""External programs some tests read files with (poppler's pdfinfo/pdftotext, LibreOffice). Like the browser
tests, these tests skip, saying why, where the program is absent; with WMH_REQUIRE_TOOLS=1 (set by .ci/run, which
installs them) a missing program is a failure instead, so CI always runs them."""

import os
import shutil
import subprocess

import pytest

DEBIAN_PACKAGE = {"pdfinfo": "poppler-utils", "pdftotext": "poppler-utils",
                  "soffice": "libreoffice-writer-nogui 和 libreoffice-calc-nogui"}


def require(program: str) -> str:
    """The program's path; skips the test (fails under WMH_REQUIRE_TOOLS=1) when it is not installed."""
    path = shutil.which(program)
    if path is None:
        reason = f"未找到 {program}：请安装 Debian 的 {DEBIAN_PACKAGE.get(program, program)} 软件包后再运行此测试"
        if os.environ.get("WMH_REQUIRE_TOOLS") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    return path


def run(program: str, *args: str, timeout: int = 120) -> str:
    """Run an external program (skipping when absent) and return its standard output."""
    return subprocess.run([require(program), *args], capture_output=True, text=True, check=True,
                          timeout=timeout).stdout


def pdf_pages(path) -> int:
    info = run("pdfinfo", str(path))
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
