"""The limits of desktop_app/exchange/limits.py, one by one: real files at the edge are read, files
past it are refused with a message that says what to do.

Files that would make calamine abort are only ever given to ``guards`` here (pure Python), never
to ``read_tables`` in this process: if a guard regressed, the child processes of
test_hostile_files.py catch it without taking pytest down. What must be refused quickly is read in
a child process with a CPU-time limit (tests/fuzz/child.py), never timed by the clock.
"""

from __future__ import annotations

import codecs
import json
import os
import re
from pathlib import Path

import pytest

from desktop_app.exchange import guards, read_tables
from desktop_app.exchange.limits import MAX_CELL_CHARS, MAX_CELLS, MAX_FILE_BYTES, MAX_ROWS
from desktop_app.exchange.reading import UnreadableFileError
from tests.fuzz import corpus
from tests.fuzz.child import MEMORY_CAP, how_it_ended, run_limited

_CHINESE = re.compile(r"[\u4e00-\u9fff]")


_REFUSE_CPU = 10  # seconds of CPU to start Python and refuse one file (milliseconds in practice)
_REFUSE = """
import json, sys
from pathlib import Path
from desktop_app.exchange import read_tables
from desktop_app.exchange.reading import UnreadableFileError
try:
    read_tables(Path(sys.argv[1]))
except UnreadableFileError as error:
    print(json.dumps({"code": error.code, "message": error.message}))
else:
    print(json.dumps({"code": None, "message": "read"}))
"""


def refused(path: Path, code: str) -> UnreadableFileError:
    """read_tables refuses the file with ``code``, in a child: a hang or a slow scan fails the test."""
    proc = run_limited(["-c", _REFUSE, str(path)], _REFUSE_CPU)
    trouble = how_it_ended(proc, _REFUSE_CPU)
    assert trouble is None, f"{path.name}: {trouble}"
    assert proc is not None
    answer = json.loads(proc.stdout.strip().splitlines()[-1])
    assert answer["code"] == code, answer["message"]
    assert _CHINESE.search(answer["message"])
    return UnreadableFileError(answer["code"], answer["message"], path=path)


def guard_refuses(data: bytes, code: str, *, ole: bool = False) -> guards.Refusal:
    with pytest.raises(guards.Refusal) as caught:
        (guards.check_ole if ole else guards.check_zip)(data)
    assert caught.value.code == code, caught.value.message
    assert _CHINESE.search(caught.value.message)
    return caught.value


# --------------------------------------------------------------------------- what a file is


def test_only_regular_files_are_read(tmp_path: Path) -> None:
    folder = tmp_path / "名单.xlsx"
    folder.mkdir()
    refused(folder, "not_a_file")
    fifo = tmp_path / "管道.csv"
    os.mkfifo(fifo)
    refused(fifo, "not_a_file")  # opening it for reading would wait forever
    zero = tmp_path / "零.csv"
    zero.symlink_to("/dev/zero")
    refused(zero, "not_a_file")  # reading it would never end
    good = corpus.openpyxl_roster(tmp_path / "真的.xlsx")
    link = tmp_path / "快捷方式.xlsx"
    link.symlink_to(good)
    assert read_tables(link)[0].name == "东山村"
    dangling = tmp_path / "断了.xlsx"
    dangling.symlink_to(tmp_path / "不存在.xlsx")
    refused(dangling, "missing")


def test_a_file_larger_than_the_limit_is_not_read(tmp_path: Path) -> None:
    path = tmp_path / "大.csv"
    with open(path, "wb") as out:
        out.write(b"a,b\n")
        out.truncate(MAX_FILE_BYTES + 1)  # a hole: no disk space, no time
    error = refused(path, "too_large")
    assert "分成几个文件" in error.message


# --------------------------------------------------------------------------- workbooks


def _xlsx_bytes(tmp_path: Path, body: str, rows: list[list[object]] | None = None) -> bytes:
    path = corpus.write_xlsx(tmp_path / "x.xlsx", corpus.sheet_xml(corpus.roster_rows(3) if rows is None else rows,
                                                                   body=body))
    return path.read_bytes()


def test_the_largest_sheet_area_is_accepted_and_one_more_column_is_not(tmp_path: Path) -> None:
    columns = MAX_CELLS // MAX_ROWS
    last = corpus.col_letters(columns - 1)
    guards.check_zip(_xlsx_bytes(tmp_path, f'<row r="{MAX_ROWS}"><c r="{last}{MAX_ROWS}"><v>1</v></c></row>'))
    beyond = corpus.col_letters(columns)
    error = guard_refuses(_xlsx_bytes(tmp_path, f'<row r="{MAX_ROWS}"><c r="{beyond}{MAX_ROWS}"><v>1</v></c></row>'),
                          "too_large")
    assert "分成几个文件" in error.message


@pytest.mark.parametrize(("body", "code"), [
    ('<row r="2"><c r="XFD1048577"><v>1</v></c></row>', "damaged"),  # one row past Excel
    ('<row r="2"><c r="XFE2"><v>1</v></c></row>', "damaged"),  # one column past Excel
    ('<row r="2"><c r="A99999999999999999999"><v>1</v></c></row>', "damaged"),
    ('<row r="2"><c r="AAAAAAAAAA2"><v>1</v></c></row>', "damaged"),
    ('<row r="2"><c t="n" r="XFD1048576"><v>1</v></c></row>', "too_large"),  # r not first
    ('<row r="2"><c r="A2" r="XFD1048576"><v>1</v></c></row>', "too_large"),  # r twice
    ("<row r='1048576'><c r = 'ZZ1048576'><v>1</v></c></row>", "too_large"),  # quotes, spaces
    ('<row r="1048576"><c><v>1</v></c>' + "<c/>" * 20 + "</row>", "too_large"),  # counted
    ('<x:row r="1048576"><x:c r="AZ1048576"><x:v>1</x:v></x:c></x:row>', "too_large"),  # prefix
], ids=["row", "column", "huge-row", "huge-column", "r-later", "r-twice", "quotes", "counted",
        "prefixed"])
def test_cells_beyond_the_limits_are_found_however_written(tmp_path: Path, body: str, code: str) -> None:
    # a 40-column header makes row 1,048,576 (40 columns wide) larger than the budget
    rows = [[f"列{i}" for i in range(40)]]
    guard_refuses(_xlsx_bytes(tmp_path, body, rows), code)


def test_a_cell_longer_than_excel_allows_is_refused_a_long_one_is_not(tmp_path: Path) -> None:
    ok = corpus.sheet_xml(corpus.roster_rows(1), body=f'<row r="9"><c r="A9" t="inlineStr"><is><t>{"张" * MAX_CELL_CHARS}</t></is></c></row>')
    guards.check_zip(corpus.write_xlsx(tmp_path / "ok.xlsx", ok).read_bytes())
    sheets = read_tables(tmp_path / "ok.xlsx")
    assert len(list(sheets[0].rows())[-1][0]) == MAX_CELL_CHARS
    bad = ok.replace("张" * MAX_CELL_CHARS, "张" * (MAX_CELL_CHARS * 3))
    guard_refuses(corpus.write_xlsx(tmp_path / "bad.xlsx", bad).read_bytes(), "damaged")


_BOMB_CPU = 30  # seconds of CPU for the guard to refuse all six bombs
_CHECK_ZIPS = """
import json, sys
from pathlib import Path
from desktop_app.exchange import guards
answers = []
for name in sys.argv[1:]:
    try:
        guards.check_zip(Path(name).read_bytes())
        answers.append([None, "passed"])
    except guards.Refusal as refusal:
        answers.append([refusal.code, refusal.message])
print(json.dumps(answers))
"""


def test_zip_bombs_are_refused_from_the_directory_or_while_inflating(tmp_path: Path) -> None:
    parts = ("zeros", "sheet_text", "lying_size", "shared", "shared_many", "many_cells")
    paths = []
    for part in parts:
        paths.append(tmp_path / f"{part}.xlsx")
        corpus._zip_bomb(part)(paths[-1])
    proc = run_limited(["-c", _CHECK_ZIPS, *map(str, paths)], _BOMB_CPU)
    trouble = how_it_ended(proc, _BOMB_CPU)
    assert trouble is None, trouble
    assert proc is not None
    answers = json.loads(proc.stdout.strip().splitlines()[-1])
    for part, (code, message) in zip(parts, answers, strict=True):
        assert code == ("too_large" if part == "many_cells" else "damaged"), f"{part}: {message}"
        assert _CHINESE.search(message), part


def test_a_part_that_inflates_past_its_declared_size_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "lying.xlsx"
    corpus._zip_bomb("lying_size")(path)
    error = guard_refuses(path.read_bytes(), "damaged")
    assert "声明" in error.message


def test_ods_repeats_count(tmp_path: Path) -> None:
    path = tmp_path / "rep.ods"
    corpus._ods_repeat(1_048_000, 90)(path)
    guard_refuses(path.read_bytes(), "too_large")
    corpus._ods_repeat(1_048_000, 16_384, empty=True)(path)
    guards.check_zip(path.read_bytes())  # trailing empty rows cost nothing
    corpus._ods_spaces(path)
    guard_refuses(path.read_bytes(), "damaged")


def test_passwords_are_recognised(tmp_path: Path) -> None:
    for name, build in (("e.xlsx", corpus._encrypted_xlsx), ("e.xls", corpus._xls_filepass)):
        build(tmp_path / name)
        error = refused(tmp_path / name, "password")
        assert "密码" in error.message


def test_ole_loops_and_far_cells(tmp_path: Path) -> None:
    corpus._xls_fat_cycle(tmp_path / "loop.xls")
    guard_refuses((tmp_path / "loop.xls").read_bytes(), "damaged", ole=True)
    corpus._xls_far_cell(0xFFFF, 0xFFFF)(tmp_path / "far.xls")
    guard_refuses((tmp_path / "far.xls").read_bytes(), "damaged", ole=True)
    guards.check_ole(corpus.XLS_FIXTURE.read_bytes())


def test_modern_error_values_get_their_own_message(tmp_path: Path) -> None:
    corpus._modern_errors(tmp_path / "spill.xlsx")
    error = refused(tmp_path / "spill.xlsx", "damaged")
    assert "#SPILL!" in error.message and "查找" in error.message


def test_long_sheet_names_are_cut(tmp_path: Path) -> None:
    corpus.write_xlsx(tmp_path / "名.xlsx", corpus.sheet_xml(corpus.roster_rows(3)), name="东山村" * 2000)
    [sheet] = read_tables(tmp_path / "名.xlsx")
    assert len(sheet.name) == 100 and sheet.name.endswith("…")
    corpus._long_sheet_name(tmp_path / "长.xlsx")  # 200,000 characters: not even parsed
    refused(tmp_path / "长.xlsx", "damaged")


# --------------------------------------------------------------------------- CSV


def test_utf16_without_bom_is_read(tmp_path: Path) -> None:
    text = corpus.csv_text(corpus.roster_rows(3))
    for encoding in ("utf-16-le", "utf-16-be"):
        path = tmp_path / f"{encoding}.csv"
        path.write_bytes(text.encode(encoding))
        [sheet] = read_tables(path)
        assert sheet.encoding == encoding
        assert list(sheet.rows())[1][2] == "公民身份号码"


def test_a_file_half_utf8_half_gbk_names_the_line(tmp_path: Path) -> None:
    corpus._csv_mixed_gbk(tmp_path / "混.csv")
    error = refused(tmp_path / "混.csv", "not_text")
    assert "第4行" in error.message and "编码" in error.message


def test_gbk_with_a_few_ascii_lines_first_is_still_gbk(tmp_path: Path) -> None:
    path = tmp_path / "gbk.csv"
    path.write_bytes(b"no,id\r\n1,2\r\n" + "姓名,公民身份号码\r\n张三,1\r\n".encode("gbk"))
    [sheet] = read_tables(path)
    assert sheet.encoding == "gb18030" and list(sheet.rows())[2][0] == "姓名"


def test_an_unclosed_quote_is_explained(tmp_path: Path) -> None:
    corpus._csv_unclosed_quote(2 << 20)(tmp_path / "引号.csv")
    error = refused(tmp_path / "引号.csv", "damaged")
    assert "引号" in error.message and "第" in error.message


def test_csv_rows_are_parsed_on_each_pass_and_trailing_blanks_dropped(tmp_path: Path) -> None:
    path = tmp_path / "名单.csv"
    path.write_bytes(codecs.BOM_UTF8 + corpus.csv_text(corpus.roster_rows(3), newline="\r").encode() + b",,\r\r\r")
    [sheet] = read_tables(path)
    assert sheet.height == 5
    assert list(sheet.rows()) == list(sheet.rows())
    assert next(iter(sheet.rows(4)))[1] == "测试2"


def test_csv_beyond_excel_columns_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "宽.csv"
    path.write_bytes((",".join(["x"] * 20_000) + "\n").encode())
    refused(path, "too_large")


# --------------------------------------------------------------------------- a million rows


_COUNT_ROWS = """
import json, sys, time
from pathlib import Path
from desktop_app.exchange import read_tables, locate_tables, parse_id_cell, CellError
from tests.fuzz.worker import peak_mb
started = time.perf_counter()  # for the summary's figures only
tables = locate_tables(read_tables(Path(sys.argv[1])))
rows = ok = 0
for table in tables.found:
    for row in table.rows():
        rows += 1
        try:
            parse_id_cell(row.get("id_number"))
            ok += 1
        except CellError:
            pass
print(json.dumps({"rows": rows, "ok": ok, "seconds": round(time.perf_counter() - started, 1),
                  "peak_mb": round(peak_mb())}))
"""


@pytest.mark.slow
def test_a_county_file_of_1048575_people_is_accepted(tmp_path: Path) -> None:
    """Excel's maximum: a header and 1,048,575 people, 8 columns, every ID number valid."""

    def chunks():
        yield (corpus.sheet_head() + "".join(corpus.rows_xml([corpus.HEAD[:8]]))).encode()
        batch = []
        for r in range(2, MAX_ROWS + 1):
            batch.append(
                f'<row r="{r}"><c r="A{r}"><v>{r}</v></c><c r="B{r}" t="inlineStr"><is><t>测试{r}</t></is></c>'
                f'<c r="C{r}" t="inlineStr"><is><t>{corpus.pid(r)}</t></is></c>'
                f'<c r="D{r}" t="inlineStr"><is><t>F{r}</t></is></c><c r="E{r}" t="inlineStr"><is><t>户主</t></is></c>'
                f'<c r="F{r}" t="inlineStr"><is><t>东山村</t></is></c>'
                f'<c r="G{r}" t="inlineStr"><is><t>138{r:08d}</t></is></c><c r="H{r}" t="inlineStr"><is><t>低保</t></is></c></row>')
            if len(batch) == 20_000:
                yield "".join(batch).encode()
                batch = []
        yield ("".join(batch) + corpus.SHEET_TAIL).encode()

    path = corpus.write_xlsx(tmp_path / "全县.xlsx", chunks())
    proc = run_limited(["-c", _COUNT_ROWS, str(path)], 300)
    trouble = how_it_ended(proc, 300)
    assert trouble is None, trouble
    assert proc is not None
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    assert report["rows"] == MAX_ROWS - 1 and report["ok"] == MAX_ROWS - 1
    assert report["peak_mb"] < MEMORY_CAP / (1 << 20)
    FIGURES.append({"name": path.name, **report, "bytes": path.stat().st_size})


#: Figures for the end-of-session summary (see conftest.py).
FIGURES: list[dict[str, object]] = []
