"""Builders of web platforms' ".xls" files (DOMAIN.md section 10): an HTML table as such systems
write it (Excel's HTML head, a style, IDs marked as text) and an XML Spreadsheet 2003 document as
Excel saves it (``<?mso-application progid="Excel.Sheet"?>``, cells under a merge left out and the
next cell given its ``ss:Index``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from html import escape as html_escape
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

Merge = tuple[int, int, int, int]  # first row, first column, last row, last column (0-based)

HTML_HEAD = """<html xmlns:o="urn:schemas-microsoft-com:office:office"
xmlns:x="urn:schemas-microsoft-com:office:excel" xmlns="http://www.w3.org/TR/REC-html40">
<head><meta http-equiv="Content-Type" content="text/html; charset={charset}">
<meta name=ProgId content=Excel.Sheet>
<!--[if gte mso 9]><xml><x:ExcelWorkbook><x:ExcelWorksheets><x:ExcelWorksheet>
<x:Name>{name}</x:Name><x:WorksheetOptions><x:Selected/></x:WorksheetOptions></x:ExcelWorksheet>
</x:ExcelWorksheets></x:ExcelWorkbook></xml><![endif]-->
<style>td {{ mso-number-format:"\\@"; border: .5pt solid windowtext; }} .t {{ font-size: 16pt }}</style>
</head><body><table border="1" cellspacing="0">
"""


def _covered(merges: Iterable[Merge]) -> dict[tuple[int, int], Merge | None]:
    """Each merged position: the range at its top-left, None at the others."""
    out: dict[tuple[int, int], Merge | None] = {}
    for merge in merges:
        r0, c0, r1, c1 = merge
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                out[(r, c)] = merge if (r, c) == (r0, c0) else None
    return out


def html_text(rows: Sequence[Sequence[Any]], merges: Iterable[Merge] = (), *, name: str = "Sheet1",
              charset: str = "utf-8") -> str:
    covered = _covered(merges)
    lines = [HTML_HEAD.format(charset=charset, name=html_escape(name))]
    for r, values in enumerate(rows):
        cells = []
        for c, value in enumerate(values):
            spot = (r, c)
            if spot in covered and covered[spot] is None:
                continue
            attrs = ""
            merge = covered.get(spot)
            if merge is not None:
                r0, c0, r1, c1 = merge
                attrs += f' colspan="{c1 - c0 + 1}"' if c1 > c0 else ""
                attrs += f' rowspan="{r1 - r0 + 1}"' if r1 > r0 else ""
            text = "" if value is None else html_escape(str(value))
            cells.append(f"<td{attrs}>{text}</td>")
        lines.append("<tr>" + "".join(cells) + "</tr>\n")
    lines.append("</table></body></html>\n")
    return "".join(lines)


def build_html_xls(path: Path, rows: Sequence[Sequence[Any]], merges: Iterable[Merge] = (), *,
                   name: str = "Sheet1", charset: str = "utf-8", encoding: str = "utf-8") -> Path:
    path.write_bytes(html_text(rows, merges, name=name, charset=charset).encode(encoding))
    return path


@dataclass
class XmlSheet:
    name: str
    rows: Sequence[Sequence[Any]]
    merges: Sequence[Merge] = field(default_factory=list)
    hidden: bool = False


def _xml_cell(value: Any) -> str:
    if isinstance(value, bool):
        return f'<Data ss:Type="Boolean">{int(value)}</Data>'
    if isinstance(value, (int, float)):
        return f'<Data ss:Type="Number">{value!r}</Data>'
    if isinstance(value, dt.date):
        moment = value if isinstance(value, dt.datetime) else dt.datetime.combine(value, dt.time())
        return f'<Data ss:Type="DateTime">{moment.isoformat(timespec="milliseconds")}</Data>'
    return f'<Data ss:Type="String">{escape(str(value))}</Data>'


def xml_sheet(sheet: XmlSheet) -> str:
    covered = _covered(sheet.merges)
    rows = []
    for r, values in enumerate(sheet.rows):
        cells, skipped = [], False
        for c, value in enumerate(values):
            spot = (r, c)
            if (spot in covered and covered[spot] is None) or value is None:
                skipped = True
                continue
            attrs = f' ss:Index="{c + 1}"' if skipped else ""
            skipped = False
            merge = covered.get(spot)
            if merge is not None:
                r0, c0, r1, c1 = merge
                attrs += f' ss:MergeAcross="{c1 - c0}"' if c1 > c0 else ""
                attrs += f' ss:MergeDown="{r1 - r0}"' if r1 > r0 else ""
                skipped = c1 > c0
            cells.append(f"<Cell{attrs}>{_xml_cell(value)}</Cell>")
        rows.append(f'<Row ss:AutoFitHeight="0">{"".join(cells)}</Row>')
    options = ('<WorksheetOptions xmlns="urn:schemas-microsoft-com:office:excel">'
               + ("<Visible>SheetHidden</Visible>" if sheet.hidden else "<Selected/>")
               + "</WorksheetOptions>")
    return (f"<Worksheet ss:Name={quoteattr(sheet.name)}><Table>\n" + "\n".join(rows)
            + f"\n</Table>{options}</Worksheet>\n")


XML_HEAD = """<?xml version="1.0" encoding="{encoding}"?>
<?mso-application progid="Excel.Sheet"?>
<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"
 xmlns:o="urn:schemas-microsoft-com:office:office"
 xmlns:x="urn:schemas-microsoft-com:office:excel"
 xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"
 xmlns:html="http://www.w3.org/TR/REC-html40">
<DocumentProperties xmlns="urn:schemas-microsoft-com:office:office"><Author>系统导出</Author></DocumentProperties>
<Styles><Style ss:ID="Default" ss:Name="Normal"><Alignment ss:Vertical="Center"/></Style></Styles>
"""


def xml_text(sheets: Sequence[XmlSheet], *, encoding: str = "UTF-8") -> str:
    return XML_HEAD.format(encoding=encoding) + "".join(map(xml_sheet, sheets)) + "</Workbook>\n"


def build_xml_xls(path: Path, sheets: Sequence[XmlSheet], *, encoding: str = "utf-8",
                  declared: str | None = None) -> Path:
    path.write_bytes(xml_text(sheets, encoding=declared or encoding.upper()).encode(encoding))
    return path
