"""What a hostile Office Open XML package (.docx, .xlsx) may hide, found before any XML parser reads it: a DTD
(entity expansion — "billion laughs" — or external entities reading the server's files: XXE), parts fetched from
outside the file (a remote template with macros, a linked object), macros. Word and Excel never write a DTD, and an
ordinary document's only external relationships are its hyperlinks. Each function takes an open ``zipfile.ZipFile``
and reads only the parts' first bytes (the DTD) or the small relationship parts."""

import re
import zipfile

# An XML prolog is short; a DTD (<!DOCTYPE, <!ENTITY) can only come before the root element.
_PROLOG_BYTES = 4096
_DTD_MARKERS = ("<!doctype", "<!entity")
_RELATIONSHIP = re.compile(r"<(?:\w+:)?Relationship\b[^>]*>", re.IGNORECASE)
_ATTRIBUTE = re.compile(r"""([\w:]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_MACRO_PARTS = ("vbaproject", "vbadata")


def xml_text(data: bytes) -> str:
    """XML bytes as text: UTF-16 (with a byte-order mark, or told by the zero bytes of "<?") or else UTF-8."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        encoding = "utf-16"
    elif data[:1] == b"\x00":
        encoding = "utf-16-be"
    elif data[1:2] == b"\x00":
        encoding = "utf-16-le"
    else:
        return data.decode("utf-8", "replace")
    return data[: len(data) // 2 * 2].decode(encoding, "replace")


def _xml_parts(archive: zipfile.ZipFile):
    return [entry for entry in archive.infolist()
            if entry.filename.lower().endswith((".xml", ".rels", ".vml")) and not entry.is_dir()]


def part_declaring_entities(archive: zipfile.ZipFile) -> str | None:
    """The name of the first XML part that declares a DTD or entities, in any encoding; None when none does."""
    for entry in _xml_parts(archive):
        with archive.open(entry) as handle:
            head = handle.read(_PROLOG_BYTES)
        text = xml_text(head).lower()
        if any(marker in text for marker in _DTD_MARKERS):
            return entry.filename
    return None


def external_target(archive: zipfile.ZipFile) -> str | None:
    """The target of the first relationship that Word or Excel would fetch from outside the file
    (TargetMode="External"), hyperlinks excepted (an ordinary link in the text): an attached template, a linked
    picture or OLE object, a frame, a sub-document, an external workbook link. None when there is none."""
    for entry in _xml_parts(archive):
        if not entry.filename.lower().endswith(".rels"):
            continue
        for match in _RELATIONSHIP.finditer(xml_text(archive.read(entry))):
            attributes = {name.lower(): first or second
                          for name, first, second in _ATTRIBUTE.findall(match.group(0))}
            if attributes.get("targetmode", "").lower() != "external":
                continue
            if attributes.get("type", "").rstrip("/").lower().endswith("/hyperlink"):
                continue
            return attributes.get("target", "") or "未注明的地址"
    return None


def has_macros(archive: zipfile.ZipFile) -> bool:
    """Whether the package carries a VBA project (a .docm or .xlsm, whatever its name or content types say)."""
    names = [entry.filename.lower() for entry in archive.infolist()]
    try:
        content_types = archive.read("[Content_Types].xml").decode("utf-8", "replace").lower()
    except KeyError:
        content_types = ""
    return (any(marker in name for name in names for marker in _MACRO_PARTS)
            or "macroenabled" in content_types or any(marker in content_types for marker in _MACRO_PARTS))
