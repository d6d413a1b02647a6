"""docs/benchmarks.md is shared by every benchmark script: each one owns one section (from its "## " heading to
the next) and replaces only that section, or appends it the first time."""

from pathlib import Path

DOC = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"


def replace_section(document: str, heading: str, text: str) -> str:
    """``document`` with the section that starts at ``heading`` replaced by ``text`` (appended when absent). The
    heading must be a whole line ("## Office-scale speed" is not "## Office-scale speed: where the time went")."""
    marker = f"\n{heading}\n"
    padded = "\n" + document
    if marker not in padded:
        return document.rstrip("\n") + "\n\n" + text
    before, rest = padded.split(marker, 1)
    before = before[1:] + "\n" if before else ""  # drop the padding, keep the line break before the heading
    following = rest.find("\n## ")
    after = rest[following + 1:] if following >= 0 else ""
    return before + text + ("\n" + after if after else "")


def write_section(heading: str, text: str, doc: Path = DOC) -> None:
    """Replace the script's section of the file. Read right before writing: other scripts write theirs."""
    current = doc.read_text(encoding="utf-8") if doc.exists() else "# Benchmarks\n\n"
    doc.write_text(replace_section(current, heading, text), encoding="utf-8")
