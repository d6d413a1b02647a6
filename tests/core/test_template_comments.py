"""Django's one-line comment ``{# … #}`` ends at the line's end: one left open shows its text on the page (the nav's
交流共建 menu once printed its comment across the bar). Longer comments are ``{% comment %}``."""

from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "wenminghao"


def test_no_template_opens_a_one_line_comment_it_does_not_close_on_that_line():
    open_comments = [f"{path.relative_to(SRC)}:{number}"
                     for path in sorted(SRC.rglob("*.html"))
                     for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
                     if line.count("{#") > line.count("#}")]
    assert open_comments == []
