"""Hostile web platforms' ".xls" files (an HTML table, an XML Spreadsheet 2003), for the same
child-process harness as :mod:`tests.fuzz.corpus` (test_hostile_files.py runs both lists).

What must hold, as for .xlsx: no entity is expanded and no DTD or outside file is loaded (billion
laughs, ``file:///etc/passwd``), nesting, cells, rows and columns stay within the limits of
desktop_app/exchange/limits.py, a cut-off or garbled file is refused in Chinese, and a page of a
million ``<td>`` is read (100,000 rows of 10) or refused (a million in one row).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from pathlib import Path

from tests.exchange.web_builders import XML_HEAD, XmlSheet, html_text, xml_sheet
from tests.fuzz.corpus import HEAD, MIB, Case, flipped, pid, roster_rows, truncated, write_bytes

_XML_DECL = '<?xml version="1.0" encoding="UTF-8"?>\n'
_BOOK = ('<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
         'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">')


def _html(path: Path) -> Path:
    rows = roster_rows(6)
    path.write_text(html_text(rows, [(0, 0, 0, len(HEAD) - 1)], name="东山村"), encoding="utf-8")
    return path


def _xml(path: Path) -> Path:
    rows = roster_rows(6)
    text = XML_HEAD.format(encoding="UTF-8") + xml_sheet(XmlSheet("东山村", rows, [(0, 0, 0, len(HEAD) - 1)]))
    path.write_text(text + "</Workbook>\n", encoding="utf-8")
    return path


def _xml_with(prolog: str, cell: str) -> Callable[[Path], Path]:
    """A small roster whose first data cell is ``cell``, after ``prolog`` (a DOCTYPE…)."""
    def build(path: Path) -> Path:
        head = "".join(f'<Cell><Data ss:Type="String">{h}</Data></Cell>' for h in HEAD)
        row = f"<Cell><Data ss:Type=\"Number\">1</Data></Cell><Cell><Data ss:Type=\"String\">{cell}</Data></Cell>" \
              f'<Cell><Data ss:Type="String">{pid(1)}</Data></Cell>'
        path.write_text(f'{_XML_DECL}<?mso-application progid="Excel.Sheet"?>{prolog}{_BOOK}'
                        f'<Worksheet ss:Name="东山村"><Table><Row>{head}</Row><Row>{row}</Row></Table>'
                        "</Worksheet></Workbook>", encoding="utf-8")
        return path
    return build


def _laughs(levels: int = 10) -> str:
    lines = ['<!ENTITY lol0 "lol">']
    lines += [f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, levels)]
    return f"<!DOCTYPE Workbook [{''.join(lines)}]>"


def _streamed(path: Path, pieces: Iterator[str]) -> Path:
    with path.open("w", encoding="utf-8") as out:
        for piece in pieces:
            out.write(piece)
    return path


def _xml_deep(path: Path) -> Path:
    depth = 2_000_000  # 12 MB of "<a>": 260 MB of expat's stack were it not stopped
    return _streamed(path, iter([_XML_DECL, _BOOK, '<Worksheet ss:Name="S"><Table><Row><Cell><Data>',
                                 "<b>" * depth, "x", "</b>" * depth, "</Data></Cell></Row></Table></Worksheet></Workbook>"]))


def _xml_huge_cell(path: Path) -> Path:
    return _streamed(path, iter([_XML_DECL, _BOOK, '<Worksheet ss:Name="S"><Table><Row><Cell><Data ss:Type="String">',
                                 "张" * (20 * MIB), "</Data></Cell></Row></Table></Worksheet></Workbook>"]))


def _xml_rich_huge_cell(path: Path) -> Path:
    """40,000 characters in one cell, in pieces of rich text (no long run between two tags)."""
    return _streamed(path, iter([_XML_DECL, _BOOK, '<Worksheet ss:Name="S"><Table><Row><Cell><Data ss:Type="String">',
                                 "<B>张</B>" * 40_000, "</Data></Cell></Row></Table></Worksheet></Workbook>"]))


def _xml_far(row: int, col: int, merge: str = "") -> Callable[[Path], Path]:
    def build(path: Path) -> Path:
        return _streamed(path, iter([_XML_DECL, _BOOK, '<Worksheet ss:Name="S"><Table>',
                                     f'<Row><Cell><Data ss:Type="String">{HEAD[2]}</Data></Cell></Row>',
                                     f'<Row ss:Index="{row}"><Cell ss:Index="{col}"{merge}><Data ss:Type="String">x</Data></Cell></Row>',
                                     "</Table></Worksheet></Workbook>"]))
    return build


def _xml_many_merge_down(path: Path) -> Path:
    """A thousand cells each merged down to the last row Excel has: nothing may be kept per row."""
    cells = "".join(f'<Cell ss:MergeDown="1048000"><Data ss:Type="String">{n}</Data></Cell>' for n in range(1000))
    return _streamed(path, iter([_XML_DECL, _BOOK, '<Worksheet ss:Name="S"><Table><Row>',
                                 "".join(f'<Cell><Data ss:Type="String">{h}</Data></Cell>' for h in HEAD),
                                 f"</Row><Row>{cells}</Row>", "<Row><Cell><Data>y</Data></Cell></Row>" * 100_000,
                                 "</Table></Worksheet></Workbook>"]))


def _xml_rows(count: int) -> Callable[[Path], Path]:
    def build(path: Path) -> Path:
        def pieces() -> Iterator[str]:
            yield XML_HEAD.format(encoding="UTF-8") + '<Worksheet ss:Name="东山村"><Table>'
            yield "<Row>" + "".join(f'<Cell><Data ss:Type="String">{h}</Data></Cell>' for h in HEAD) + "</Row>"
            row = "<Row>" + '<Cell><Data ss:Type="String">x</Data></Cell>' * 3 + "</Row>\n"
            for _ in range(0, count, 10_000):
                yield row * 10_000
            yield "</Table></Worksheet></Workbook>"
        return _streamed(path, pieces())
    return build


def _html_tds(per_row: int, total: int = 1_000_000) -> Callable[[Path], Path]:
    def build(path: Path) -> Path:
        def pieces() -> Iterator[str]:
            yield "<html><body><table><tr>" + "".join(f"<td>{h}</td>" for h in HEAD) + "</tr>"
            row = "<tr>" + "<td>x</td>" * per_row + "</tr>\n" if per_row < total else ""
            if per_row >= total:
                yield "<tr>" + "<td>x</td>" * total + "</tr>"
            else:
                for _ in range(total // per_row):
                    yield row
            yield "</table></body></html>"
        return _streamed(path, pieces())
    return build


def _html_huge_cell(path: Path) -> Path:
    return _streamed(path, iter(["<html><body><table><tr><td>", HEAD[2], "</td></tr><tr><td>",
                                 "张" * (20 * MIB), "</td></tr></table></body></html>"]))


def _html_unclosed(what: str) -> Callable[[Path], Path]:
    """Openers never closed, 4 MB of them: each must cost one scan, not one scan per opener."""
    def build(path: Path) -> Path:
        return _streamed(path, iter(["<html><body><table><tr><td>", HEAD[2], "</td></tr><tr><td>",
                                     what * (4 * MIB // len(what)), "</td></tr></table></body></html>"]))
    return build


def _html_spans(path: Path) -> Path:
    """Every cell asks for the largest colspan and rowspan HTML allows."""
    cell = '<td colspan="99999" rowspan="99999">x</td>'
    return _streamed(path, iter(["<html><body><table><tr>", "".join(f"<td>{h}</td>" for h in HEAD), "</tr>",
                                 ("<tr>" + cell * 20 + "</tr>") * 2000, "</table></body></html>"]))


def _html_deep(path: Path) -> Path:
    return _streamed(path, iter(["<html><body>", "<div><table><tr><td>" * 300_000, HEAD[2],
                                 "</td></tr></table></div>" * 300_000, "</body></html>"]))


def _html_entities(path: Path) -> Path:
    """Character references of every kind, and a DOCTYPE naming a DTD (a browser never loads it)."""
    refs = "&amp;&lt;&gt;&nbsp;&#0;&#x110000;&#xD800;&bogus;&#99999999999;&copy"
    return _streamed(path, iter(['<!DOCTYPE html SYSTEM "file:///etc/passwd">',
                                 "<html><body><table><tr>", "".join(f"<td>{h}</td>" for h in HEAD), "</tr>",
                                 f"<tr><td>1</td><td>{refs}</td><td>{pid(2)}</td><td>F1</td><td>户主</td><td>东山村</td></tr>",
                                 "</table></body></html>"]))


def _gbk_html(path: Path) -> Path:
    text = html_text(roster_rows(4), charset="gb2312", name="东山村")
    path.write_bytes(text.encode("gbk"))
    return path


WEB_CASES: list[Case] = [
    Case("valid_html.xls", _html, "read", what="an HTML table named .xls (control)"),
    Case("valid_xml2003.xls", _xml, "read", what="an XML Spreadsheet 2003 named .xls (control)"),
    Case("gbk_html.xls", _gbk_html, "read", what="an HTML table in GB2312"),
    Case("xml_laughs.xls", _xml_with(_laughs(), "&lol9;"), "refused", what="billion laughs in XML 2003"),
    Case("xml_external_entity.xls", _xml_with('<!DOCTYPE Workbook [<!ENTITY x SYSTEM "file:///etc/passwd">]>', "&x;"),
         "refused", what="an external entity naming /etc/passwd"),
    Case("xml_external_dtd.xls", _xml_with('<!DOCTYPE Workbook SYSTEM "http://example.invalid/x.dtd">', "a"),
         "refused", what="a DTD to load from the network"),
    Case("xml_parameter_entity.xls", _xml_with('<!DOCTYPE Workbook [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]>', "a"),
         "refused", what="a parameter entity"),
    Case("xml_undeclared_entity.xls", _xml_with("", "&nbsp;"), "refused", what="an entity nobody declared"),
    Case("xml_deep.xls", _xml_deep, "refused", what="2,000,000 nested tags"),
    Case("xml_huge_cell.xls", _xml_huge_cell, "refused", what="a cell of 20 million characters"),
    Case("xml_rich_huge_cell.xls", _xml_rich_huge_cell, "refused", what="a cell of 40,000 characters in rich-text pieces"),
    Case("xml_far_row.xls", _xml_far(2_000_000, 1), "refused", what="ss:Index beyond Excel's last row"),
    Case("xml_far_col.xls", _xml_far(2, 20_000), "refused", what="ss:Index beyond Excel's last column"),
    Case("xml_far_index_huge.xls", _xml_far(10**40, 10**40), "refused", what="an ss:Index of 41 digits"),
    Case("xml_far_merge.xls", _xml_far(2, 1, ' ss:MergeAcross="99999999"'), "refused", what="MergeAcross past XFD"),
    Case("xml_last_cell.xls", _xml_far(1_048_576, 32), "either", kinds=("payments",),
         what="one cell at AF1048576: the largest sheet accepted"),
    Case("xml_area_too_large.xls", _xml_far(1_048_576, 16_384), "refused",
         what="one cell at XFD1048576: 17 billion cells by area"),
    Case("xml_merge_down_1000.xls", _xml_many_merge_down, "refused", what="1,000 cells merged down 1,048,000 rows"),
    Case("xml_rows_100k.xls", _xml_rows(100_000), "read", kinds=("roster",), what="100,000 rows"),
    Case("xml_not_spreadsheet.xls", write_bytes(b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>'),
         "refused", what="another kind of XML named .xls"),
    Case("html_1m_td_rows.xls", _html_tds(10), "read", kinds=("roster",), what="1,000,000 <td>, 10 a row"),
    Case("html_1m_td_one_row.xls", _html_tds(1_000_000), "refused", what="1,000,000 <td> in one row"),
    Case("html_huge_cell.xls", _html_huge_cell, "refused", what="a cell of 20 million characters"),
    Case("html_unclosed_comments.xls", _html_unclosed("<!--"), "either", what="a million <!-- never closed"),
    Case("html_unclosed_tags.xls", _html_unclosed("<a "), "either", what="a million '<a ' without '>'"),
    Case("html_unclosed_script.xls", _html_unclosed("<script>"), "either", what="<script> never closed"),
    Case("html_spans.xls", _html_spans, "refused", what="40,000 cells of colspan and rowspan 99999"),
    Case("html_deep.xls", _html_deep, "either", what="300,000 nested tables"),
    Case("html_entities.xls", _html_entities, "read", what="odd character references, a DOCTYPE naming /etc/passwd"),
    Case("html_no_table.xls", write_bytes("<html><body>登录超时</body></html>".encode()), "refused",
         what="an error page named .xls"),
    Case("html_garbage.xls", write_bytes(b"<html>" + random.Random(5).randbytes(200_000)), "refused",
         what="binary after an HTML start"),
    Case("garbage.xls", write_bytes(random.Random(6).randbytes(100_000)), "refused", what="binary garbage named .xls"),
    *[Case(f"truncated_{cut}_html.xls", truncated(_html, cut), "either") for cut in (10, 0.3, 0.6, -20)],
    *[Case(f"truncated_{cut}_xml2003.xls", truncated(_xml, cut), "refused") for cut in (10, 0.3, 0.6, -20)],
    *[Case(f"flipped_{seed}_html.xls", flipped(_html, 500 + seed, 30)) for seed in range(4)],
    *[Case(f"flipped_{seed}_xml2003.xls", flipped(_xml, 600 + seed, 30)) for seed in range(4)],
]
