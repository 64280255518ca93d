"""What the import wizard shows of a file before its dry run, the column mappings it remembers,
and the rejects file (the refused rows in the file's own columns plus the reason, to fix and
import again)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from desktop_app.exchange import Field, read_tables
from desktop_app.exchange.headers import header_at
from desktop_app.exchange.writing import Column, Kind, XlsxExport
from desktop_app.services.importing.common import ImportPlan, RowIssue
from desktop_app.services.ledger import ServiceError, get_setting, set_setting

_MAPPING_KEY = "import.mapping."


def remember_mapping(signature: str, mapping: dict[int, str | None]) -> None:
    """Keep a person's column mapping for files of this layout (the same header texts)."""
    set_setting(_MAPPING_KEY + signature, json.dumps({str(k): v for k, v in mapping.items()}, ensure_ascii=False))


def remembered_mapping(signature: str) -> dict[int, str] | None:
    text = get_setting(_MAPPING_KEY + signature, "")
    if not text:
        return None
    return {int(k): v for k, v in json.loads(text).items()}


def preview_sheets(path: Path, rows: int = 20) -> list[tuple[str, list[list[str]]]]:
    """The first rows of each visible sheet as text, for a person to point at the header row."""
    return [
        (sheet.name, [[_as_text(cell) for cell in row] for row in sheet.head(rows)])
        for sheet in read_tables(path)
    ]


def first_data_rows(plan: ImportPlan, count: int = 5) -> tuple[tuple[str, ...], list[list[str]]]:
    """The headers of the plan's first sheet and up to ``count`` non-empty rows under them, as
    text: what the column-mapping page shows a clerk of what each column holds."""
    if not plan.tables:
        return (), []
    table = plan.tables[0]
    for name, rows in preview_sheets(plan.path, table.header_row_number + count * 3):
        if name == table.sheet:
            data = [row for row in rows[table.header_row_number:] if any(cell.strip() for cell in row)]
            return table.headers, data[:count]
    return table.headers, []


def issue_name_and_id(plan: ImportPlan, issue: RowIssue) -> tuple[str, str]:
    """A refused row's name and ID number cell exactly as the file has them ("" where its sheet
    has no such column): the clerk finds the row by them, a damaged ID as it was written."""
    table = next((t for t in plan.tables if t.sheet == issue.sheet), None)
    if table is None:
        return "", issue.id_number
    column_of = {Field(field): column for column, field in table.mapping.items() if field}

    def cell(field: Field) -> str:
        column = column_of.get(field)
        return _as_text(issue.raw[column]) if column is not None and column < len(issue.raw) else ""

    return cell(Field.NAME), (cell(Field.ID_NUMBER) if issue.raw else issue.id_number)


def header_for(path: Path, sheet_name: str, header_row: int) -> tuple[str, tuple[str, ...], dict[int, str]]:
    """The layout signature, header texts and automatic mapping if row ``header_row`` (0-based)
    of ``sheet_name`` is taken as the header: for mapping a file nobody's header matched."""
    for sheet in read_tables(path):
        if sheet.name == sheet_name:
            match = header_at(sheet.head(max(header_row + 1, 20)), header_row, merged=sheet.merged)
            return match.layout_signature, match.headers, {c: f.value for c, f in match.columns.items()}
    raise ServiceError(f"文件里没有名为“{sheet_name}”的工作表")


def field_choices() -> list[tuple[str, str]]:
    """(field value, Chinese label) of every field a column can be mapped to."""
    return [(f.value, f.label) for f in Field]


#: The sheet of the rejects workbook naming a categories import's 新增, 变更 and 取消.
CHANGES_SHEET = "名单变动"


def write_rejects(plan: ImportPlan, out: Path) -> int:
    """The rejected and unmatched rows, in the file's own columns plus the reason, to fix and
    re-import; and a categories import's report (新增, 变更, 取消, every person) on its own sheet.

    One sheet per sheet of the file that had such rows; returns how many such rows were written.
    """
    issues = [*plan.rejected, *plan.unmatched]
    if not issues and not plan.list_changes:
        raise ServiceError("没有被拒绝或未匹配的行，无需保存")
    by_sheet: dict[str, list[RowIssue]] = {}
    for issue in issues:
        by_sheet.setdefault(issue.sheet, []).append(issue)
    headers = {t.sheet: t.headers for t in plan.tables}
    written = 0
    with XlsxExport(out) as book:
        for sheet, sheet_issues in by_sheet.items():
            sheet_issues.sort(key=lambda i: i.row_number)
            own = list(headers.get(sheet, ()))
            width = max([len(own), *(len(i.raw) for i in sheet_issues)])
            own += [f"第{n + 1}列" for n in range(len(own), width)]
            columns = [Column("原因"), Column("原表位置"), *(Column(h or f"第{n + 1}列", Kind.TEXT) for n, h in enumerate(own))]
            rows = (
                [issue.reason + (f"（“{issue.column}”列）" if issue.column else ""), f"第{issue.row_number}行",
                 *(_as_text(cell) for cell in issue.raw), *([""] * (width - len(issue.raw)))]
                for issue in sheet_issues
            )
            book.add_table(
                f"{plan.source} 未导入的行（改正后可重新导入）", columns, rows, sheet_name=sheet,
                subtitle=f"共{len(sheet_issues)}行；导入类型：{plan.kind.value}；年度：{plan.year}",
            )
            written += len(sheet_issues)
        if plan.list_changes:
            _add_changes(book, plan)
    return written


def _add_changes(book: XlsxExport, plan: ImportPlan) -> None:
    order = {"新增": 0, "变更": 1, "取消": 2}
    entries = sorted(plan.list_changes, key=lambda e: order.get(e.change, 3))  # stable: file order within
    columns = [Column("变动"), Column("姓名"), Column("身份证号", Kind.TEXT), Column("原类别"), Column("现类别")]
    counts = "，".join(f"{change}{plan.changes_count(change)}人" for change in order)
    book.add_table(
        f"{plan.source} 名单变动（{plan.year}年度）", columns,
        ([e.change, e.name, e.id_number, e.before, e.after] for e in entries),
        sheet_name=CHANGES_SHEET, subtitle=counts + ("（全量名单）" if plan.full_list else ""),
    )


def _as_text(cell: Any) -> str:
    """A raw cell as the text a clerk saw (an ID stored as a number stays visibly damaged)."""
    if cell is None:
        return ""
    if isinstance(cell, float):
        return format(cell, ".15g") if not cell.is_integer() or abs(cell) >= 1e15 else str(int(cell))
    if isinstance(cell, dt.datetime):
        return cell.strftime("%Y-%m-%d") if cell.time() == dt.time() else cell.isoformat(" ")
    if isinstance(cell, dt.date):
        return cell.isoformat()
    return str(cell)
