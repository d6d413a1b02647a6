"""Import collectives, their members and honours from an .xlsx workbook: the whole file or nothing.

The workbook has two sheets, 集体 (one row per collective) and 成员 (one row per member, tied to its
collective by name). Every cell is checked first and every bad row reported with its sheet and row
number; then all collectives are created through ``services.create_collective`` inside one
transaction, which is rolled back if any row still fails. Choices are written with their Chinese
labels, as in the template's drop-down lists.
"""

import datetime
import re
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from openpyxl import load_workbook
from openpyxl.utils.datetime import from_excel

from wenminghao.core import ooxml
from wenminghao.core.errors import RuleViolationError, Violation
from wenminghao.orgs.selectors import units_visible_to

from .enums import HonourLevel, OrgType, Sector, WorkingUnitForm
from .models import Collective, Honour, Member
from .services import create_collective

COLLECTIVE_SHEET = "集体"
MEMBER_SHEET = "成员"
UNIT_LIST_SHEET = "归口单位列表"
GUIDE_SHEET = "填写说明"

MAX_COLLECTIVE_ROWS = 5000
MAX_MEMBER_ROWS = 100_000
DATE_HINT = "请使用 1990-01-31 格式"


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool
    example: str = ""


COLLECTIVE_COLUMNS = (
    Column("name", "集体名称", True, "环翠区政务服务中心综合窗口"),
    Column("host_org", "所在单位", True, "环翠区政务服务中心"),
    Column("unit", "归口单位", False, "（留空则为您所在的单位）"),
    Column("sector", "行业类别", True, "服务行业和窗口单位"),
    Column("org_type", "单位性质", True, "机关事业单位"),
    Column("unit_form", "工作单元形式", True, "窗口"),
    Column("contact_name", "联系人", True, "张三"),
    Column("contact_phone", "联系电话", True, "13800000000"),
    Column("public_commitment", "示范承诺", False, "服务零距离，群众满意是标准"),
    Column("supervision_phone", "监督电话", False, "0631-5225125"),
    Column("honours", "荣誉", False, "区市级:2016:环翠区青年文明号；市级:2017:威海市青年文明号"),
)
MEMBER_COLUMNS = (
    Column("collective", "集体名称", True, "环翠区政务服务中心综合窗口"),
    Column("name", "姓名", True, "李四"),
    Column("birth_date", "出生日期", True, "1990-01-31"),
    Column("post", "岗位", False, "窗口受理员"),
    Column("is_leader", "是否号长", False, "是"),
)

CHOICE_FIELDS = {"sector": Sector, "org_type": OrgType, "unit_form": WorkingUnitForm}
YES, NO = "是", "否"
ILLEGAL_XML = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")


def choice_labels(choices) -> list[str]:
    return [label for _, label in choices.choices]


def _choice_lookup(choices) -> dict[str, str]:
    lookup = {str(label): value for value, label in choices.choices}
    lookup.update({value: value for value in choices.values})
    return lookup


HONOUR_LEVELS = _choice_lookup(HonourLevel) | {"区级": HonourLevel.DISTRICT, "区市": HonourLevel.DISTRICT,
                                              "全国级": HonourLevel.NATIONAL}


def format_honours(honours) -> str:
    """Honours in the import format: ``区市级:2016:称号；市级:2017:称号``."""
    return "；".join(f"{h.get_level_display()}:{h.year}:{h.title}" for h in honours)


@dataclass
class ImportSummary:
    collectives: int = 0
    members: int = 0
    honours: int = 0
    created: list[Collective] = field(default_factory=list)


@dataclass
class _CollectiveRow:
    row: int
    fields: dict[str, Any]
    honours: list[dict[str, Any]]
    members: list[dict[str, Any]] = field(default_factory=list)
    member_rows: list[int] = field(default_factory=list)
    valid: bool = True


class _Problems:
    """Every problem found, in sheet and row order, as violations with a located message."""

    def __init__(self):
        self.items: list[tuple[int, int, Violation]] = []

    def add(self, sheet: str, row: int | None, message: str, code: str = "import.row") -> None:
        where = f"{sheet}表第{row}行：" if row else (f"{sheet}表：" if sheet else "")
        order = 0 if sheet == COLLECTIVE_SHEET else 1
        field_name = f"{sheet}!{row}" if row else sheet or None
        self.items.append((order, row or 0, Violation(code, f"{where}{message}", field_name)))

    def __bool__(self) -> bool:
        return bool(self.items)

    def violations(self) -> list[Violation]:
        return [item for _, _, item in sorted(self.items, key=lambda entry: (entry[0], entry[1]))]


# --- cells ----------------------------------------------------------------------------------------

def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        value = value.date() if value.time() == datetime.time() else value
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    return ILLEGAL_XML.sub("", str(value)).strip()


_DATE_PATTERNS = (
    re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+0{1,2}:0{2}(?::0{2})?)?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)


def parse_date(value: Any) -> datetime.date | None:
    """A date from an Excel date cell, a serial number, or text like 1990-01-31, 1990/1/31,
    1990.01.31, 19900131 or 1990年1月31日. None when it cannot be read as a real date."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value < 100_000:
            try:
                return from_excel(value).date()
            except (ValueError, OverflowError, TypeError):
                return None
        value = _text(value)
    text = _text(value)
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            try:
                return datetime.date(*(int(part) for part in match.groups()))
            except ValueError:
                return None
    return None


def _max_length(model, name: str) -> int | None:
    return model._meta.get_field(name).max_length


# --- reading the workbook ------------------------------------------------------------------------

def check_upload(upload) -> None:
    """Refuse anything but an .xlsx workbook within the size limit, before opening it."""
    name = getattr(upload, "name", "") or "上传的文件"
    limit = settings.WMH_IMPORT_MAX_BYTES
    if upload.size > limit:
        raise RuleViolationError.single(
            "import.too_large",
            f"文件“{name}”大小为{upload.size / 1024 / 1024:.1f} MB，超过了 {limit / 1024 / 1024:.0f} MB 的上限。"
            "请删除无关的工作表或分批导入。",
            "file",
        )
    lower = name.lower()
    if lower.endswith(".xls") or lower.endswith(".et"):
        raise RuleViolationError.single(
            "import.file_type",
            f"“{name}”是旧版 Excel 文件，请在 Excel 或 WPS 中“另存为”Excel 工作簿（.xlsx）后再上传。",
            "file",
        )
    if not lower.endswith(".xlsx"):
        raise RuleViolationError.single(
            "import.file_type",
            f"只能导入 Excel 工作簿（.xlsx）文件，“{name}”不是 .xlsx 文件。请下载导入模板，填写后上传。",
            "file",
        )
    upload.seek(0)
    head = upload.read(4)
    upload.seek(0)
    if head != b"PK\x03\x04":
        raise RuleViolationError.single(
            "import.corrupt",
            f"无法读取“{name}”：文件内容不是有效的 Excel 工作簿（.xlsx），可能已损坏或只是改了扩展名。",
            "file",
        )


def _read_sheet(workbook, sheet_name: str, columns, limit: int, problems: _Problems):
    """The data rows of one sheet as (row number, {key: raw value}); blank rows are skipped.
    None when the sheet or a required column is missing (reported)."""
    if sheet_name not in workbook.sheetnames:
        found = "、".join(f"“{name}”" for name in workbook.sheetnames) or "无"
        problems.add("", None, f"文件中缺少名为“{sheet_name}”的工作表（现有工作表：{found}）。请使用导入模板。",
                     "import.sheet_missing")
        return None
    sheet = workbook[sheet_name]
    sheet.reset_dimensions()
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None) or ()
    positions: dict[str, int] = {}
    labels = [_text(cell) for cell in header]
    for column in columns:
        if column.header in labels:
            positions[column.key] = labels.index(column.header)
    missing = [column.header for column in columns if column.required and column.key not in positions]
    if missing:
        problems.add(sheet_name, None, f"第1行（表头）缺少列：{'、'.join(missing)}。请使用导入模板，不要修改表头。",
                     "import.header_missing")
        return None
    data = []
    for number, cells in enumerate(rows, start=2):
        if not any(_text(cell) for cell in cells):
            continue
        if len(data) >= limit:
            problems.add(sheet_name, None, f"数据超过{limit}行，一次最多导入{limit}行，请分批导入。", "import.too_many")
            return None
        data.append((number, {key: cells[index] if index < len(cells) else None
                              for key, index in positions.items()}))
    return data


def _check_package(upload, name: str) -> None:
    """Refuse a workbook that hides something before any XML parser reads it (core.ooxml): a DTD (entity
    expansion, external entities), a link to something outside the file, macros."""
    try:
        with zipfile.ZipFile(upload) as archive:
            dtd_part = ooxml.part_declaring_entities(archive)
            external = ooxml.external_target(archive)
            macros = ooxml.has_macros(archive)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise RuleViolationError.single(
            "import.corrupt",
            f"无法读取“{name}”：文件已损坏或不是有效的 Excel 工作簿（.xlsx）。请在 Excel 中重新保存后再试。", "file",
        ) from error
    finally:
        upload.seek(0)
    if dtd_part is not None:
        raise RuleViolationError.single(
            "import.corrupt",
            f"无法读取“{name}”：文件中的 {dtd_part} 含有XML实体声明（DTD），Excel 保存的工作簿不会有这种内容，"
            "出于安全原因不予导入。请在 Excel 中另存为新的工作簿，或使用导入模板。", "file",
        )
    if external is not None:
        raise RuleViolationError.single(
            "import.corrupt",
            f"无法读取“{name}”：文件引用了外部的工作簿或对象（{external[:80]}），出于安全原因不予导入。"
            "请将数据复制到导入模板中再上传。", "file",
        )
    if macros:
        raise RuleViolationError.single(
            "import.file_type",
            f"“{name}”是启用宏的工作簿（.xlsm），出于安全原因不予导入。"
            "请在 Excel 中另存为普通的 Excel 工作簿（.xlsx）。",
            "file",
        )


def _open(upload):
    name = getattr(upload, "name", "") or "上传的文件"
    _check_package(upload, name)
    try:
        return load_workbook(upload, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError, IndexError) as error:
        raise RuleViolationError.single(
            "import.corrupt",
            f"无法读取“{name}”：文件已损坏或不是有效的 Excel 工作簿（.xlsx）。请在 Excel 中重新保存后再试。",
            "file",
        ) from error
    except Exception as error:  # openpyxl raises many kinds of errors on malformed parts
        raise RuleViolationError.single(
            "import.corrupt",
            f"无法读取“{name}”：文件内容无法识别，可能已损坏。请在 Excel 中重新保存，或使用导入模板。", "file",
        ) from error


# --- checking rows -------------------------------------------------------------------------------

class _UnitResolver:
    """Finds a unit of the uploader's subtree by name, short name or "上级单位/单位"."""

    def __init__(self, actor):
        self.default = actor.unit
        self.by_name: dict[str, list] = defaultdict(list)
        for unit in units_visible_to(actor).select_related("parent"):
            keys = {unit.name, unit.short_name}
            if unit.parent_id:
                keys.add(f"{unit.parent.name}/{unit.name}")
            for key in keys - {""}:
                self.by_name[key].append(unit)

    def resolve(self, text: str):
        """(unit, None) or (None, message)."""
        if not text:
            return self.default, None
        found = {unit.pk: unit for unit in self.by_name.get(text.replace("／", "/"), [])}
        if len(found) == 1:
            return next(iter(found.values())), None
        if not found:
            return None, (f"归口单位“{text}”不在您管理的单位中，请填写“{UNIT_LIST_SHEET}”工作表中的单位名称，"
                          "或留空（即为您所在的单位）")
        return None, f"归口单位“{text}”有多个同名单位，请写成“上级单位/单位”，例如“{self._example(found)}”"

    @staticmethod
    def _example(found: dict) -> str:
        unit = next(iter(found.values()))
        return f"{unit.parent.name}/{unit.name}" if unit.parent_id else unit.name


def _check_text(values: dict, model, key: str, header: str, required: bool, errors: list[str]) -> str:
    text = _text(values.get(key))
    if required and not text:
        errors.append(f"“{header}”不能为空")
    limit = _max_length(model, key)
    if limit and len(text) > limit:
        errors.append(f"{header}“{text[:20]}…”共{len(text)}字，超过了{limit}字的上限")
    return text


def _parse_honours(text: str, errors: list[str]) -> list[dict]:
    honours = []
    title_limit = _max_length(Honour, "title")
    example = "例如“区市级:2016:环翠区青年文明号”，多项之间用“；”分隔"
    for part in (piece.strip() for piece in re.split(r"[;；\n]+", text)):
        if not part:
            continue
        pieces = [piece.strip() for piece in re.split(r"[:：]", part, maxsplit=2)]
        if len(pieces) != 3 or not all(pieces):
            errors.append(f"荣誉“{part}”格式不对，应为“级别:年度:称号”，{example}")
            continue
        level_text, year_text, title = pieces
        level = HONOUR_LEVELS.get(level_text)
        if level is None:
            errors.append(f"荣誉“{part}”中的级别“{level_text}”不是可选值（{'、'.join(choice_labels(HonourLevel))}）")
        year = int(year_text) if year_text.isdigit() else None
        if year is None or not 1994 <= year <= 2100:
            errors.append(f"荣誉“{part}”中的年度“{year_text}”应为1994至2100之间的四位年份")
        if len(title) > title_limit:
            errors.append(f"荣誉“{part[:20]}…”的称号超过了{title_limit}字的上限")
        if level is not None and year is not None:
            honours.append({"level": level, "year": year, "title": title})
    return honours


def _check_collective_row(values: dict, units: _UnitResolver, errors: list[str]) -> tuple[dict, list[dict]]:
    fields: dict[str, Any] = {}
    for column in COLLECTIVE_COLUMNS:
        if column.key in CHOICE_FIELDS:
            choices = CHOICE_FIELDS[column.key]
            text = _text(values.get(column.key))
            if not text:
                errors.append(f"“{column.header}”不能为空，请从下拉列表中选择")
                continue
            value = _choice_lookup(choices).get(text)
            if value is None:
                errors.append(f"{column.header}“{text}”不是可选值，请从下拉列表中选择：{'、'.join(choice_labels(choices))}")
            fields[column.key] = value
        elif column.key == "unit":
            unit, message = units.resolve(_text(values.get("unit")))
            if message:
                errors.append(message)
            fields["unit"] = unit
        elif column.key != "honours":
            fields[column.key] = _check_text(values, Collective, column.key, column.header, column.required, errors)
    honours = _parse_honours(_text(values.get("honours")), errors)
    return fields, honours


def _check_member_row(values: dict, errors: list[str]) -> dict:
    name = _check_text(values, Member, "name", "姓名", True, errors)
    post = _check_text(values, Member, "post", "岗位", False, errors)
    raw_date = values.get("birth_date")
    birth_date = parse_date(raw_date)
    if not _text(raw_date):
        errors.append(f"“出生日期”不能为空，{DATE_HINT}")
    elif birth_date is None:
        errors.append(f"出生日期“{_text(raw_date)}”无法识别，{DATE_HINT}")
    elif birth_date > timezone.localdate() or birth_date.year < 1900:
        errors.append(f"出生日期“{birth_date.isoformat()}”不合理，请核对")
    leader_text = _text(values.get("is_leader"))
    if leader_text not in ("", YES, NO):
        errors.append(f"是否号长“{leader_text}”请填写“是”或“否”（空白视为“否”）")
    return {"name": name, "birth_date": birth_date, "post": post, "is_leader": leader_text == YES}


def _check_rows(actor, collective_data, member_data, problems: _Problems) -> list[_CollectiveRow]:
    units = _UnitResolver(actor)
    parsed: list[_CollectiveRow] = []
    first_row_of_key: dict[tuple, int] = {}
    rows_by_name: dict[str, list[_CollectiveRow]] = defaultdict(list)
    for number, values in collective_data:
        errors: list[str] = []
        fields, honours = _check_collective_row(values, units, errors)
        item = _CollectiveRow(row=number, fields=fields, honours=honours, valid=not errors)
        if fields.get("name"):
            rows_by_name[fields["name"]].append(item)
        if fields.get("unit") is not None and fields.get("name") and fields.get("host_org"):
            key = (fields["unit"].pk, fields["host_org"], fields["name"])
            if key in first_row_of_key:
                errors.append(f"与第{first_row_of_key[key]}行重复（归口单位、所在单位和集体名称都相同）")
            else:
                first_row_of_key[key] = number
        for message in errors:
            problems.add(COLLECTIVE_SHEET, number, message)
        item.valid = not errors
        parsed.append(item)

    _check_existing(first_row_of_key, parsed, problems)

    leader_row: dict[int, int] = {}
    for number, values in member_data:
        errors = []
        member = _check_member_row(values, errors)
        collective_name = _text(values.get("collective"))
        owners = rows_by_name.get(collective_name, [])
        owner = None
        if not collective_name:
            errors.insert(0, "“集体名称”不能为空")
        elif not owners:
            errors.insert(0, f"集体名称“{collective_name}”在集体表中找不到，请与集体表的“集体名称”完全一致")
        elif len(owners) > 1:
            rows = "、".join(str(item.row) for item in owners)
            errors.insert(
                0, f"集体名称“{collective_name}”在集体表中出现了多次（第{rows}行），无法确定成员属于哪一个集体"
            )
        else:
            owner = owners[0]
        if owner is not None and member["is_leader"]:
            if id(owner) in leader_row:
                errors.append(f"集体“{collective_name}”已在成员表第{leader_row[id(owner)]}行指定了号长，一个集体只能有一位号长")
            else:
                leader_row[id(owner)] = number
        for message in errors:
            problems.add(MEMBER_SHEET, number, message)
        if owner is not None:
            if errors:
                owner.valid = False
            owner.members.append(member)
            owner.member_rows.append(number)
    return parsed


def _check_existing(first_row_of_key: dict[tuple, int], parsed: list[_CollectiveRow], problems: _Problems) -> None:
    """Collectives already on the platform (same unit, host organisation and name) are error rows."""
    if not first_row_of_key:
        return
    unit_ids = {key[0] for key in first_row_of_key}
    names = list({key[2] for key in first_row_of_key})
    existing: set[tuple] = set()
    for start in range(0, len(names), 500):
        existing.update(
            Collective.objects.filter(unit_id__in=unit_ids, name__in=names[start:start + 500])
            .values_list("unit_id", "host_org", "name")
        )
    by_row = {item.row: item for item in parsed}
    for key, row in first_row_of_key.items():
        if key in existing:
            unit = by_row[row].fields["unit"]
            problems.add(
                COLLECTIVE_SHEET, row,
                f"归口单位“{unit.name}”下已有所在单位为“{key[1]}”、名称为“{key[2]}”的集体，不能重复导入"
                "（如需修改，请在该集体的页面上编辑）",
            )
            by_row[row].valid = False


# --- the import ----------------------------------------------------------------------------------

class _RollBack(Exception):
    pass


def _service_problem(item: _CollectiveRow, violation: Violation, problems: _Problems) -> None:
    """Locate a violation raised by ``create_collective`` at the row it came from."""
    parts = (violation.field or "").split(".")
    if len(parts) >= 2 and parts[0] == "members" and parts[1].isdigit():
        index = int(parts[1])
        if 1 <= index <= len(item.member_rows):
            message = violation.message.removeprefix(f"第{index}位成员：")
            label = Member._meta.get_field(parts[2]).verbose_name if len(parts) > 2 and parts[2] in {
                "name", "birth_date", "post"} else ""
            problems.add(MEMBER_SHEET, item.member_rows[index - 1], f"{label}：{message}" if label else message)
            return
    headers = {column.key: column.header for column in COLLECTIVE_COLUMNS}
    label = headers.get(violation.field or "")
    problems.add(COLLECTIVE_SHEET, item.row, f"{label}：{violation.message}" if label else violation.message)


def import_collectives(*, actor, upload) -> ImportSummary:
    """Create every collective of the workbook (with its members and honours) in one transaction,
    one audit entry per collective. Raises RuleViolationError listing every problem (file, sheet,
    row) and writes nothing then."""
    check_upload(upload)
    problems = _Problems()
    workbook = _open(upload)
    try:
        collective_data = _read_sheet(workbook, COLLECTIVE_SHEET, COLLECTIVE_COLUMNS, MAX_COLLECTIVE_ROWS, problems)
        member_data = _read_sheet(workbook, MEMBER_SHEET, MEMBER_COLUMNS, MAX_MEMBER_ROWS, problems)
    except Exception as error:  # a malformed sheet part is only noticed while reading it
        name = getattr(upload, "name", "") or "上传的文件"
        raise RuleViolationError.single(
            "import.corrupt",
            f"无法读取“{name}”：文件中的工作表内容无法读取，可能已损坏。请在 Excel 中重新保存，或使用导入模板。",
            "file",
        ) from error
    finally:
        workbook.close()
    if collective_data is None or member_data is None:
        raise RuleViolationError(problems.violations())
    if not collective_data:
        raise RuleViolationError.single(
            "import.empty", "“集体”工作表中没有数据：请从第2行起每行填写一个集体。", "集体"
        )

    parsed = _check_rows(actor, collective_data, member_data, problems)
    summary = ImportSummary()
    try:
        with transaction.atomic():
            for item in parsed:
                if not item.valid:
                    continue
                try:
                    collective = create_collective(
                        actor=actor, fields=item.fields, members=item.members, honours=item.honours
                    )
                except RuleViolationError as error:
                    for violation in error.violations:
                        _service_problem(item, violation, problems)
                    continue
                summary.created.append(collective)
                summary.collectives += 1
                summary.members += len(item.members)
                summary.honours += len(item.honours)
            if problems:
                raise _RollBack
    except _RollBack:
        raise RuleViolationError(problems.violations()) from None
    return summary
