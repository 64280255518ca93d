"""The chunked .xlsx reader (desktop_app/exchange/reading/chunks.py) against the whole-sheet one:
the same rows with the same row numbers, the same refusals, and far less memory held."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter

from desktop_app.exchange.reading.chunks import CHUNK_ROWS, WORKER_NAME, _chunks, iter_xlsx_rows
from desktop_app.exchange.reading.sheet import UnreadableFileError
from desktop_app.exchange.reading.workbook import read_workbook
from tests.fuzz.corpus import CASES, SHEET_TAIL, sheet_xml, write_xlsx


def whole_rows(path: Path, index: int = 0) -> list[tuple[int, list]]:
    """What the whole-sheet reader gives, as the chunked one shapes it: non-empty rows with
    their numbers, no trailing empty cells."""
    data = path.read_bytes()
    sheet = next(s for s in read_workbook(data, str(path)) if s.index == index)
    out = []
    for number, row in enumerate(sheet.rows(), start=1):
        row = list(row)
        while row and row[-1] == "":
            row.pop()
        if row:
            out.append((number, row))
    return out


def chunked_rows(path: Path, chunk_rows: int, index: int = 0) -> list[tuple[int, list]]:
    return list(iter_xlsx_rows(path.read_bytes(), str(path), index, chunk_rows))


def _values(r: int) -> list[object]:
    return [f"张{r}", r * 1.25, "", dt.date(1950, 1, 1) + dt.timedelta(days=r * 37),
            "430102199001011238" if r % 3 else "", r % 2 == 0, f"村{r % 4}", -r]


def openpyxl_book(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "花名册"
    sheet["B2"] = "参保人员花名册"
    sheet.merge_cells("B2:F2")
    for r in range(4, 420):
        if r % 11 == 0:
            continue  # missing rows: r gaps
        for c, value in enumerate(_values(r), start=2):
            if value != "":
                sheet.cell(r, c, value)
    sheet.cell(5000, 3, "远处一行")
    hidden = book.create_sheet("隐藏")
    hidden["A1"] = "x"
    hidden.sheet_state = "hidden"
    third = book.create_sheet("第三")
    third["A1"] = "第三表"
    book.save(path)
    return path


def xlsxwriter_book(path: Path, *, inline: bool) -> Path:
    book = xlsxwriter.Workbook(str(path), {"constant_memory": inline})
    dates = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet = book.add_worksheet("东山村")
    for r in range(0, 700, 1):
        if r % 13 == 5:
            continue
        for c, value in enumerate(_values(r)):
            if isinstance(value, dt.date):
                sheet.write_datetime(r, c, dt.datetime.combine(value, dt.time()), dates)
            elif value != "":
                sheet.write(r, c, value)
    book.close()
    return path


@pytest.mark.parametrize("chunk_rows", [1, 7, 100, 100_000])
def test_openpyxl_book_same_rows(tmp_path: Path, chunk_rows: int) -> None:
    path = openpyxl_book(tmp_path / "a.xlsx")
    assert b'inlineStr' in _sheet_xml(path)  # openpyxl writes inline strings
    expected = whole_rows(path)
    assert expected[0] == (2, ["", "参保人员花名册"])
    assert chunked_rows(path, chunk_rows) == expected
    assert chunked_rows(path, chunk_rows, index=2) == whole_rows(path, index=2) == [(1, ["第三表"])]


@pytest.mark.parametrize("inline", [False, True])
@pytest.mark.parametrize("chunk_rows", [3, 250])
def test_xlsxwriter_book_same_rows(tmp_path: Path, inline: bool, chunk_rows: int) -> None:
    path = xlsxwriter_book(tmp_path / "b.xlsx", inline=inline)
    assert (b'inlineStr' in _sheet_xml(path)) == inline
    expected = whole_rows(path)
    assert any(isinstance(cell, dt.date) for cell in expected[0][1])
    assert chunked_rows(path, chunk_rows) == expected


_SHARED = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="4" uniqueCount="4">'
    '<si><t>姓名</t></si><si><r><rPr><b/></rPr><t>张</t></r><r><t>三</t></r></si>'
    '<si><t xml:space="preserve"> 李&amp;四 </t></si><si><t></t></si></sst>'
)


@pytest.mark.parametrize("chunk_rows", [1, 2, 50])
def test_excel_style_shared_strings(tmp_path: Path, chunk_rows: int) -> None:
    """Excel's way (style before type, rich text, an empty string) is inlined while cutting; a
    cell written otherwise (``t='s'`` in single quotes, here row 5) makes its chunk carry the part."""
    body = (
        '<row r="1"><c r="A1" s="0" t="s"><v>0</v></c><c r="B1" t="n"><v>3</v></c></row>'
        '<row r="3" spans="1:3"><c r="A3" s="0" t="s"><v>1</v></c><c r="C3" t="s"><v>2</v></c></row>'
        '<row r="4"><c r="B4" t="s"><v>3</v></c><c r="C4"><v>7</v></c></row>'
        "<row r='5'><c r='A5' t='s'><v>2</v></c></row>"
        '<row r="9"/><row r="10"><c r="D10" t="s"><v>1</v></c></row>'
    )
    path = write_xlsx(tmp_path / "excel.xlsx", sheet_xml(body=body), shared=_SHARED)
    expected = whole_rows(path)
    assert expected[1] == (3, ["张三", "", " 李&四 "])
    assert chunked_rows(path, chunk_rows) == expected


_EVERY_WAY = {
    "type last and not": '<row r="1"><c r="A1" s="0" t="s"><v>0</v></c><c r="B1" t="s" s="0"><v>1</v></c>'
                         "<c r='C1' t='s'><v>2</v></c><c r=\"D1\" t=\"s\"><v>3</v></c></row>",
    "a > in an attribute": '<row r="2"><c r="A2" t="s"><v>1</v></c><c r="B2" x="a>b" t="s"><v>2</v></c></row>',
    "a string the part lacks": '<row r="3"><c r="A3" t="s"><v>1</v></c><c r="B3" t="s"><v>4</v></c></row>',
    "no cell tag": '<row r="4"><c r="A4" t="s"><v>0</v></c></row><row r="5" t="s"><v>1</v></c></row>',
}


@pytest.mark.parametrize("body", _EVERY_WAY.values(), ids=_EVERY_WAY.keys())
def test_shared_cells_written_every_way_in_one_chunk(tmp_path: Path, body: str) -> None:
    """Shared-string cells the fast swap takes (``t="s"`` last) beside ones it leaves to the
    general rewrite or to the carried part, in one chunk: read as the whole-sheet read reads
    them, or refused as it refuses them."""
    path = write_xlsx(tmp_path / "mixed.xlsx", sheet_xml(body=body), shared=_SHARED)
    whole = _outcome(lambda: whole_rows(path))
    assert _outcome(lambda: chunked_rows(path, 100)) == whole
    assert _outcome(lambda: chunked_rows(path, 1)) == whole


@pytest.mark.parametrize("chunk_rows", [1, 2, 50])
def test_prefixed_sheet(tmp_path: Path, chunk_rows: int) -> None:
    """Tags with a namespace prefix: cut at <x:row>, the chunk closed with the same prefix, its
    shared strings (not inlined: the rewrite knows only <c>) carried whole."""
    body = (
        '<x:row r="2"><x:c r="A2" t="s"><x:v>0</x:v></x:c><x:c r="B2"><x:v>5</x:v></x:c></x:row>'
        '<x:row r="4"><x:c r="C4" t="s"><x:v>2</x:v></x:c></x:row>'
        '<x:row r="5"><x:c r="A5"><x:v>1.5</x:v></x:c></x:row>'
    )
    sheet = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
             '<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             '<x:dimension ref="A2:C5"/><x:sheetData>' + body + "</x:sheetData></x:worksheet>")
    path = write_xlsx(tmp_path / "prefixed.xlsx", sheet, shared=_SHARED)
    expected = whole_rows(path)
    assert expected == [(2, ["姓名", 5.0]), (4, ["", "", " 李&四 "]), (5, [1.5])]
    assert chunked_rows(path, chunk_rows) == expected


def _sheet_xml(path: Path) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return archive.read("xl/worksheets/sheet1.xml")


def _outcome(read) -> object:
    try:
        return ("read", read())
    except UnreadableFileError as exc:
        return ("refused", exc.code, exc.message)


XLSX_CASES = [case for case in CASES if case.name.endswith((".xlsx", ".xlsm")) and not case.slow]


@pytest.mark.parametrize("case", XLSX_CASES, ids=[case.name for case in XLSX_CASES])
def test_hostile_xlsx_refused_as_before(tmp_path: Path, case) -> None:
    """Every .xlsx of the hostile corpus: what the whole-sheet reader refuses, the chunked one
    refuses with the same code and message (the source file's guard runs first); what it reads,
    the chunked one reads the same (first worksheet)."""
    path = tmp_path / case.name
    case.build(path)
    if not path.is_file() or not path.read_bytes().startswith(b"PK\x03\x04"):
        pytest.skip("not a zip package: read_tables decides before any workbook reader")
    data = path.read_bytes()
    whole = _outcome(lambda: read_workbook(data, str(path)))
    chunked = _outcome(lambda: list(iter_xlsx_rows(data, str(path), 0, 5)))
    if whole[0] == "refused":
        assert chunked == whole
    elif whole[1] and whole[1][0].index == 0:
        assert chunked == ("read", whole_rows(path))


_CHILD = r"""
import json, os, sys, tracemalloc
sys.path.insert(0, os.getcwd())
from desktop_app.exchange.reading.chunks import CHUNK_ROWS, WORKER_NAME, _chunks, iter_xlsx_rows
from desktop_app.exchange.reading.workbook import read_workbook

def rss_peak_kib():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM"))

path, how = sys.argv[1], sys.argv[2]
data = open(path, "rb").read()
base = rss_peak_kib()
tracemalloc.start()
count = 0
if how == "whole":
    sheet = read_workbook(data, path)[0]
    for row in sheet.rows():
        count += 1
else:
    for number, row in iter_xlsx_rows(data, path, 0, 10_000):
        count = number
traced = tracemalloc.get_traced_memory()[1]
print(json.dumps({"rows": count, "traced": traced, "rss": (rss_peak_kib() - base) * 1024}))
"""


def _big_row(r: int) -> str:
    n = r + 1
    return (f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>人员{r}</t></is></c><c r="B{n}"><v>{r}</v></c>'
            f'<c r="C{n}"><v>{r * 0.5}</v></c><c r="D{n}" t="inlineStr"><is><t>东山村</t></is></c>'
            f'<c r="E{n}" t="inlineStr"><is><t>430102199001011238</t></is></c><c r="F{n}"><v>{r % 7}</v></c>'
            f'<c r="G{n}" t="inlineStr"><is><t>男</t></is></c></row>')


@pytest.fixture(scope="session")
def big_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """200,000 rows of seven cells, as XlsxWriter's constant-memory mode writes them (inline
    strings), written as XML straight away: XlsxWriter took most of the test's minute and a half."""

    def pieces():
        yield sheet_xml().removesuffix(SHEET_TAIL).encode()
        for start in range(0, 200_000, 20_000):
            yield "".join(map(_big_row, range(start, start + 20_000))).encode()
        yield SHEET_TAIL.encode()

    return write_xlsx(tmp_path_factory.mktemp("big") / "big.xlsx", pieces(), name="Sheet1")


def test_chunked_holds_far_less(big_book: Path) -> None:
    path = big_book
    figures = {}
    for how in ("whole", "chunked"):
        proc = subprocess.run([sys.executable, "-c", _CHILD, str(path), how], capture_output=True,
                              text=True, check=True, cwd=Path(__file__).resolve().parents[2])
        figures[how] = json.loads(proc.stdout)
    print(figures)
    assert figures["whole"]["rows"] == figures["chunked"]["rows"] == 200_000
    # the whole-sheet reader has calamine hold every cell (outside tracemalloc's sight); the
    # chunked one a chunk of 10,000 rows. Measured here: 133 MB against 52 MB of RSS growth,
    # 23 MB and 25 MB traced (the chunk's bytes, its rows as Python lists).
    assert figures["chunked"]["rss"] * 2 < figures["whole"]["rss"]
    assert figures["chunked"]["traced"] < 2 * figures["whole"]["traced"]


@pytest.mark.parametrize("chunk_bytes", [1, 200, 5_000])
def test_chunks_cut_by_bytes(tmp_path: Path, chunk_bytes: int) -> None:
    """Chunks are sized by sheet XML, not rows: each is cut before the first row that would start
    past ``chunk_bytes`` (one row at the least), and the rows read are the whole-sheet read's."""
    path = xlsxwriter_book(tmp_path / "b.xlsx", inline=False)
    xml = _sheet_xml(path)
    pieces = list(_chunks(iter([xml[i:i + 97] for i in range(0, len(xml), 97)]),
                          CHUNK_ROWS, chunk_bytes))
    bodies = pieces[1:]
    assert len(bodies) > 1
    for body in bodies:
        assert body.startswith(b"<row")
        last = body.rfind(b"<row")
        assert last == 0 or last < chunk_bytes  # no row starts past the size but the first
    for body in bodies[:-1]:
        assert len(body) >= chunk_bytes  # and none is cut before it
    expected = whole_rows(path)
    got = list(iter_xlsx_rows(path.read_bytes(), str(path), 0, chunk_bytes=chunk_bytes))
    assert got == expected


def _workers() -> list:
    return [t for t in threading.enumerate() if t.name == WORKER_NAME]


def test_next_chunk_parsed_on_a_worker_stopped_on_close(tmp_path: Path) -> None:
    """The next chunk is parsed on a worker thread; the consumer stopping early (closing the
    generator) stops that thread and waits for it, so nothing is left parsing or held."""
    path = xlsxwriter_book(tmp_path / "b.xlsx", inline=False)
    rows = iter_xlsx_rows(path.read_bytes(), str(path), 0, chunk_bytes=1)
    first = next(rows)
    assert first == whole_rows(path)[0]
    assert _workers()  # parsing ahead
    rows.close()
    assert not _workers()


def test_threaded_and_not_same_rows(tmp_path: Path) -> None:
    path = xlsxwriter_book(tmp_path / "b.xlsx", inline=False)
    data = path.read_bytes()
    assert (list(iter_xlsx_rows(data, str(path), 0, chunk_bytes=200))
            == list(iter_xlsx_rows(data, str(path), 0, chunk_bytes=200, threaded=False))
            == whole_rows(path))


@pytest.mark.parametrize("chunk_rows", [1, 2, 7])
def test_rows_without_numbers_keep_their_place(tmp_path: Path, chunk_rows: int) -> None:
    """``r`` is optional on ``<row>`` and ``<c>`` (some platforms' exports leave it out): the
    whole-sheet read numbers such rows one after the other, an empty ``<row/>`` counted. A chunk
    starting with one was numbered from 1 again and its empty rows dropped, so every row after an
    empty one came a row early (a rejection said the wrong 第N行) and an empty row was added last."""
    body = "".join("<row/>" if n in (4, 9) else f"<row><c t=\"inlineStr\"><is><t>张{n}</t></is></c><c><v>{n}</v></c></row>"
                   for n in range(1, 16))
    path = write_xlsx(tmp_path / "unnumbered.xlsx", sheet_xml(body=body))
    assert whole_rows(path)[3][0] == 5  # the whole read counts the empty row 4
    assert chunked_rows(path, chunk_rows) == whole_rows(path)
