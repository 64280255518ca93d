"""Benchmark: XlsxWriter constant_memory vs openpyxl write-only for a styled export.

Writes N (default 100,000) ten-column person rows with the styling of
``desktop_app.exchange.writing``: merged title row, bold header with borders, frozen header,
ID numbers and phones as text cells, amounts as numbers with format 0.00, dates as dates,
borders on every cell, every text written as a string (never a formula), and a 合计 row.

The XlsxWriter side is the app's own writer (``write_xlsx``); the openpyxl side is the same
sheet done with ``Workbook(write_only=True)`` and styled ``WriteOnlyCell``s. Each run happens in
a fresh child process, so its peak resident memory (``ru_maxrss``) is its own.

    python benchmarks/bench_xlsx_writers.py            # 100,000 rows, 3 runs each, medians
    python benchmarks/bench_xlsx_writers.py --rows 20000 --repeat 1
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

HEADERS = [
    "序号",
    "村(社区)",
    "户编号",
    "姓名",
    "公民身份号码",
    "与户主关系",
    "联系电话",
    "资助类别",
    "已缴金额",
    "缴费日期",
]
KINDS = ["int", "text", "text", "text", "id", "text", "phone", "text", "money_fen", "date"]
TITLE = "XX镇2025年度参保台账"
POOL = 1000


def person_rows(count: int) -> Iterator[list[Any]]:
    """``count`` rows cycling over a pool of distinct people (cheap to generate, realistic)."""
    from desktop_app.domain.idnumber import make_id_number

    villages = ["东山村", "西岭村", "南湖社区", "北坡村"]
    surnames = "王李张刘陈杨黄赵吴周"
    given = ["伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军"]
    relations = ["户主", "配偶", "子", "女", "母亲"]
    categories = ["", "低保对象", "特困人员", "防止返贫监测对象", "低保对象、脱贫人口"]
    pool = []
    for i in range(POOL):
        birth = dt.date(1940, 1, 1) + dt.timedelta(days=(i * 7919) % 30000)
        pool.append(
            [
                villages[i % 4],
                f"43010200{i // 4:06d}",
                surnames[i % 10] + given[(i // 10) % 10],
                make_id_number("430102", birth, i % 1000),
                relations[i % 5],
                f"138{i:08d}",
                categories[i % 5],
                (18000, 40000, 0, 22000, 38000)[i % 5],
                dt.date(2024, 9, 1) + dt.timedelta(days=i % 120),
            ]
        )
    for n in range(count):
        yield [n + 1, *pool[n % POOL]]


def write_with_xlsxwriter(path: Path, count: int) -> None:
    from desktop_app.exchange.writing import Column, write_xlsx

    columns = [
        Column(h, k, total=(False if h == "序号" else None))
        for h, k in zip(HEADERS, KINDS, strict=True)
    ]
    write_xlsx(path, TITLE, columns, person_rows(count), totals=True)


def write_with_openpyxl(path: Path, count: int) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side

    from desktop_app.exchange.writing import display_width

    book = Workbook(write_only=True)
    sheet = book.create_sheet("参保台账")
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    formats = {
        "int": "0",
        "text": "General",
        "id": "@",
        "phone": "@",
        "money_fen": "0.00",
        "date": "yyyy-mm-dd",
    }
    styles = {}
    for kind, number_format in formats.items():
        style = NamedStyle(name=f"cell_{kind}", border=border, number_format=number_format)
        style.alignment = Alignment(vertical="center")
        book.add_named_style(style)
        styles[kind] = style.name
    header_style = NamedStyle(
        name="header",
        font=Font(bold=True),
        border=border,
        alignment=Alignment(horizontal="center", vertical="center", wrap_text=True),
        fill=PatternFill("solid", fgColor="D9E1F2"),
    )
    book.add_named_style(header_style)
    for index, header in enumerate(HEADERS):
        letter = chr(ord("A") + index)
        sheet.column_dimensions[letter].width = max(
            display_width(header) + 2, 20 if KINDS[index] == "id" else 8
        )
    sheet.freeze_panes = "A3"
    sheet.print_title_rows = "2:2"
    title = WriteOnlyCell(sheet, value=TITLE)
    title.font = Font(bold=True, size=16)
    title.alignment = Alignment(horizontal="center", vertical="center")
    sheet.append([title])
    sheet.merged_cells.add(f"A1:{chr(ord('A') + len(HEADERS) - 1)}1")
    header_cells = []
    for header in HEADERS:
        cell = WriteOnlyCell(sheet, value=header)
        cell.style = "header"
        header_cells.append(cell)
    sheet.append(header_cells)
    sums = [0] * len(HEADERS)
    for values in person_rows(count):
        cells = []
        for index, value in enumerate(values):
            kind = KINDS[index]
            if value is None or value == "":
                cell = WriteOnlyCell(sheet)
            elif kind == "money_fen":
                sums[index] += value
                cell = WriteOnlyCell(sheet, value=value / 100)
            elif kind in ("int", "date"):
                cell = WriteOnlyCell(sheet, value=value)
            else:
                cell = WriteOnlyCell(sheet, value=str(value))
                cell.data_type = "s"  # never a formula, whatever the text starts with
            cell.style = styles[kind]
            cells.append(cell)
        sheet.append(cells)
    total_cells = [WriteOnlyCell(sheet, value="合计")]
    for index in range(1, len(HEADERS)):
        value = sums[index] / 100 if KINDS[index] == "money_fen" else None
        cell = WriteOnlyCell(sheet, value=value)
        cell.style = styles[KINDS[index]]
        cell.font = Font(bold=True)
        total_cells.append(cell)
    sheet.append(total_cells)
    book.save(path)


WRITERS = {"xlsxwriter": write_with_xlsxwriter, "openpyxl": write_with_openpyxl}


def run_one(name: str, count: int) -> dict[str, float]:
    """Run one writer in this process and report time and memory."""
    import tracemalloc

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{name}.xlsx"
        baseline_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        start = time.perf_counter()
        WRITERS[name](path, count)
        seconds = time.perf_counter() - start
        peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        size = path.stat().st_size
        # A second, smaller pass under tracemalloc: Python-level allocations, not timed.
        tracemalloc.start()
        WRITERS[name](Path(folder) / "traced.xlsx", min(count, 20000))
        traced_peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return {
        "seconds": seconds,
        "rows_per_s": count / seconds,
        "peak_rss_mb": peak_kb / 1024,
        "rss_growth_mb": (peak_kb - baseline_kb) / 1024,
        "tracemalloc_peak_mb_20k": traced_peak / 1024 / 1024,
        "file_mb": size / 1024 / 1024,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", choices=sorted(WRITERS), help="benchmark one writer")
    parser.add_argument("--child", choices=sorted(WRITERS), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_one(args.child, args.rows)))
        return 0

    try:
        import openpyxl

        lxml = bool(getattr(openpyxl, "LXML", False))
    except ImportError:  # pragma: no cover
        lxml = False
    names = [args.only] if args.only else ["xlsxwriter", "openpyxl"]
    print(
        f"{args.rows:,} rows x {len(HEADERS)} columns, {args.repeat} run(s) each, "
        f"openpyxl lxml={lxml}"
    )
    results: dict[str, list[dict[str, float]]] = {}
    for _ in range(args.repeat):
        for name in names:
            out = subprocess.run(
                [sys.executable, __file__, "--child", name, "--rows", str(args.rows)],
                check=True,
                capture_output=True,
                text=True,
                env={**os.environ, "PYTHONHASHSEED": "0"},
            )
            results.setdefault(name, []).append(json.loads(out.stdout.strip().splitlines()[-1]))
    print(
        f"{'writer':<12}{'rows/s':>10}{'seconds':>9}{'peak RSS MB':>13}{'RSS growth MB':>15}"
        f"{'tracemalloc MB (20k)':>22}{'file MB':>9}"
    )
    medians = {}
    for name, runs in results.items():
        med = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
        medians[name] = med
        print(
            f"{name:<12}{med['rows_per_s']:>10,.0f}{med['seconds']:>9.2f}{med['peak_rss_mb']:>13.1f}"
            f"{med['rss_growth_mb']:>15.1f}{med['tracemalloc_peak_mb_20k']:>22.1f}{med['file_mb']:>9.2f}"
        )
    if len(medians) == 2:
        fast = max(medians, key=lambda n: medians[n]["rows_per_s"])
        slow = min(medians, key=lambda n: medians[n]["rows_per_s"])
        ratio = medians[fast]["rows_per_s"] / medians[slow]["rows_per_s"]
        print(f"faster: {fast} ({ratio:.2f}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
