"""Web platforms' ".xls" files (DOMAIN.md section 10): reading speed and memory.

    .venv/bin/python benchmarks/bench_web_files.py              # 100,000 rows
    .venv/bin/python benchmarks/bench_web_files.py --rows 20000

Writes the same 10-column roster as an HTML table .xls, as an XML Spreadsheet 2003 .xls and as
an .xlsx (XlsxWriter), then reads each in a fresh process: ``read_tables`` (the first pass checks
every row and collects merges) and one pass over every row, as an import does; the .xlsx with the
bare python-calamine read of the same rows for comparison. Best of ``--repeat`` runs (the machine
is shared). Prints figures only, never asserts.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from _common import peak_mb, row  # noqa: E402  (benchmarks/ is on the path when run)


def person(n: int) -> list[object]:
    from desktop_app.domain.idnumber import make_id_number
    import datetime as dt

    born = dt.date(1950, 1, 1) + dt.timedelta(days=n % 25000)
    return [n + 1, f"测试{n}", make_id_number("431199", born, 100 + n % 800), f"H{n // 3:06d}",
            "户主" if n % 3 == 0 else "子女", f"第{n % 12}村", f"138{n:08d}", "低保" if n % 9 == 0 else "",
            400, "2025-01-02"]


HEAD = ["序号", "姓名", "公民身份号码", "户编号", "与户主关系", "村(社区)", "联系电话", "人员类别", "缴费金额", "缴费日期"]
TITLE = "青山镇2025年度全民参保计划未参保人员名单"


def write_files(folder: Path, count: int) -> dict[str, Path]:
    from html import escape as html_escape
    from xml.sax.saxutils import escape

    import xlsxwriter

    from tests.exchange.web_builders import HTML_HEAD, XML_HEAD

    html = folder / "roster_html.xls"
    with html.open("w", encoding="utf-8") as out:
        out.write(HTML_HEAD.format(charset="utf-8", name="东山村"))
        out.write(f'<tr><td colspan="10">{TITLE}</td></tr>\n')
        out.write("<tr>" + "".join(f"<th>{h}</th>" for h in HEAD) + "</tr>\n")
        for n in range(count):
            out.write("<tr>" + "".join(f"<td>{html_escape(str(v))}</td>" for v in person(n)) + "</tr>\n")
        out.write("</table></body></html>\n")
    xml = folder / "roster_xml2003.xls"
    with xml.open("w", encoding="utf-8") as out:
        out.write(XML_HEAD.format(encoding="UTF-8") + '<Worksheet ss:Name="东山村"><Table>\n')
        out.write(f'<Row><Cell ss:MergeAcross="9"><Data ss:Type="String">{TITLE}</Data></Cell></Row>\n')
        out.write("<Row>" + "".join(f'<Cell><Data ss:Type="String">{h}</Data></Cell>' for h in HEAD) + "</Row>\n")
        for n in range(count):
            cells = "".join(
                f'<Cell><Data ss:Type="{"Number" if isinstance(v, int) else "String"}">{escape(str(v))}</Data></Cell>'
                for v in person(n))
            out.write(f"<Row>{cells}</Row>\n")
        out.write("</Table></Worksheet></Workbook>\n")
    xlsx = folder / "roster.xlsx"
    book = xlsxwriter.Workbook(str(xlsx), {"constant_memory": True})
    sheet = book.add_worksheet("东山村")
    sheet.write_row(0, 0, [TITLE])
    sheet.write_row(1, 0, HEAD)
    for n in range(count):
        sheet.write_row(n + 2, 0, person(n))
    book.close()
    return {"html": html, "xml": xml, "xlsx": xlsx}


def step_read(path: str, bare: bool) -> None:
    """In a child process: one read, as JSON."""
    started = time.perf_counter()
    if bare:
        import python_calamine

        sheet = python_calamine.CalamineWorkbook.from_path(path).get_sheet_by_index(0)
        rows = sum(1 for _ in sheet.iter_rows())
    else:
        from desktop_app.exchange.reading import read_tables

        rows = sum(1 for sheet in read_tables(path) for _ in sheet.rows())
    print(json.dumps({"rows": rows, "seconds": time.perf_counter() - started, "peak_mb": peak_mb()}))


def measure(path: Path, bare: bool, repeat: int) -> dict[str, float]:
    best: dict[str, float] | None = None
    for _ in range(repeat):
        out = subprocess.run([sys.executable, __file__, "--child", str(path), "--bare" if bare else "--ours"],
                             check=True, capture_output=True, text=True, cwd=ROOT).stdout
        got = json.loads(out.strip().splitlines()[-1])
        if best is None or got["seconds"] < best["seconds"]:
            best = got
    assert best is not None
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--bare", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--ours", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        step_read(args.child, args.bare)
        return
    with tempfile.TemporaryDirectory() as folder:
        files = write_files(Path(folder), args.rows)
        print(f"{args.rows:,} rows × 10 columns, title and header above; best of {args.repeat}\n")
        print("| what | figure |\n|---|---|")
        for label, key, bare in (("HTML table .xls: read_tables + one pass", "html", False),
                                 ("XML Spreadsheet 2003 .xls: read_tables + one pass", "xml", False),
                                 (".xlsx: read_tables + one pass", "xlsx", False),
                                 (".xlsx: bare python-calamine iter_rows", "xlsx", True)):
            got = measure(files[key], bare, args.repeat)
            size = files[key].stat().st_size / (1 << 20)
            row(f"{label} ({size:,.0f} MB)",
                f"{got['rows'] / got['seconds']:,.0f} rows/s, {got['seconds']:.2f} s, peak {got['peak_mb']:,.0f} MB",
                (56, 40))


if __name__ == "__main__":
    main()
