"""Property tests, in process: every cell parser, the header finder, the row walker, CSV decoding
and the workbook guards take anything and either give a value or refuse it the documented way.

- cell parsers: a value or :class:`CellError` with a short Chinese reason, never another exception;
- header and row code: a result, never an exception;
- CSV bytes of any kind: sheets whose rows can be walked, or ``UnreadableFileError``;
- the zip and OLE guards on any bytes (random, or a real workbook with bytes changed): pass or
  ``Refusal``, never anything else (calamine itself is tried on hostile files only in a child
  process, by test_hostile_files.py: an abort there must not take pytest with it).

Cells are what the readers produce: ``str`` (any code point, lone surrogates included), ``int``
within 64 bits (calamine's integer type), any ``float`` (NaN and infinities too), ``bool``,
dates, datetimes, times, timedeltas, ``None`` and ``""``. No example is timed by the clock (a busy
machine would fail a correct parser); a few fixed giant inputs (a million characters) are parsed in
a child process with a CPU-time limit, which a parser taking more than linear time, or looping,
uses up (tests/fuzz/child.py).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from desktop_app.exchange import guards
from desktop_app.exchange.cells import (
    CellError,
    clean_name,
    clean_text,
    is_blank,
    parse_amount_fen,
    parse_code,
    parse_date,
    parse_id_cell,
    parse_phone,
    split_multi,
)
from desktop_app.exchange.fields import Field
from desktop_app.exchange.headers import (
    HeaderMatch,
    field_for_header,
    find_header,
    header_at,
    layout_signature,
    normalize_header,
)
from desktop_app.exchange.limits import MAX_AMOUNT_FEN
from desktop_app.exchange.reading import RawSheet, UnreadableFileError, read_tables
from desktop_app.exchange.rows import DataRows, village_from_sheet_name
from tests.fuzz import corpus
from tests.fuzz.child import how_it_ended, run_limited

#: Examples run per property, for the end-of-session summary.
EXAMPLES: Counter[str] = Counter()

_CHINESE = re.compile(r"[\u4e00-\u9fff]")
#: Examples per property: 300 in the suite (about 20 s); FUZZ_EXAMPLES=5000 for a long soak.
_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "300"))
FUZZ = settings(max_examples=_EXAMPLES, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
FUZZ_FEW = settings(FUZZ, max_examples=max(1, _EXAMPLES * 2 // 3))

# --------------------------------------------------------------------------- strategies

_any_char = st.characters(blacklist_categories=())  # every code point, surrogates too
_tricky = st.sampled_from(list(
    "0123456789０１２３４５６７８９xX年月日时分秒元圆整¥￥$,，.。-−—/、;；|:：()（）[]【】 \u3000\u00a0"
    "\u200b\ufeff\t\r\n+eE#!?NAVLUDIREF'\"=@合计小总填表人户主村社区张三李四低保特困"
    "١٢٣٤٥٦٧٨٩٠፩႑①²⑴"
))
texts = st.one_of(
    st.text(_any_char, max_size=60),
    st.text(_tricky, max_size=60),
    st.text(_tricky, min_size=200, max_size=3000),
)


@st.composite
def amount_like(draw: st.DrawFn) -> str:
    number = draw(st.from_regex(r"-?\d{0,20}([.,]\d{0,6})*", fullmatch=True))
    return draw(st.sampled_from(["", "¥", "￥", "RMB", "人民币", "(", "-"])) + number + draw(
        st.sampled_from(["", "元", "元整", "圆", ")", " "]))


@st.composite
def date_like(draw: st.DrawFn) -> str:
    sep = st.sampled_from(["-", "/", ".", "年", "月", "日", "", " ", "T", ":"])
    parts = [draw(st.integers(0, 99999)) for _ in range(3)]
    return "".join(f"{p}{draw(sep)}" for p in parts) + draw(st.sampled_from(["", " 10:30", "日10时"]))


@st.composite
def id_like(draw: st.DrawFn) -> str:
    digits = draw(st.text(st.sampled_from("0123456789０１２３４５６７８９١٢٣"), min_size=14, max_size=19))
    return draw(st.sampled_from(["", " ", "\u3000"])) + digits + draw(st.sampled_from(["", "x", "X", "ｘ", " "]))


@st.composite
def phone_like(draw: st.DrawFn) -> str:
    return draw(st.from_regex(r"(\+86|0086)?[ (]?0?\d{2,4}[) -]?\d{3,8}([-转]\d{1,8})?(\.0+|e\+?\d{1,12})?"
                              r"([/、,;|]1[3-9]\d{9})*", fullmatch=True))


numbers = st.one_of(
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(min_value=0, max_value=1e16),
)
others = st.one_of(
    st.none(), st.just(""), st.booleans(), st.dates(), st.datetimes(), st.times(), st.timedeltas(),
)
cells = st.one_of(texts, amount_like(), date_like(), id_like(), phone_like(), numbers, others)

PARSERS = {
    "amount": parse_amount_fen,
    "date": parse_date,
    "id": parse_id_cell,
    "phone": parse_phone,
    "code": parse_code,
}


def _check_reason(error: CellError) -> None:
    assert isinstance(error.reason, str) and _CHINESE.search(error.reason), error.reason
    assert len(error.reason) <= 300, f"a reason of {len(error.reason)} characters"
    assert error.field is not None


# --------------------------------------------------------------------------- cell parsers


@FUZZ
@given(cells, st.sampled_from(sorted(PARSERS)))
def test_cell_parsers_give_a_value_or_a_cell_error(cell: object, name: str) -> None:
    EXAMPLES["cell parsers"] += 1
    try:
        value = PARSERS[name](cell)  # type: ignore[operator]
    except CellError as error:
        _check_reason(error)
        return
    if name == "amount":
        assert value is None or (type(value) is int and 0 <= value <= MAX_AMOUNT_FEN)
    elif name == "date":
        assert value is None or isinstance(value, dt.date)
    elif name == "id":
        assert len(value.number) == 18
    elif name in ("phone", "code"):
        assert value is None or isinstance(value, str)


@FUZZ
@given(cells)
def test_text_helpers_never_fail(cell: object) -> None:
    EXAMPLES["text helpers"] += 1
    assert isinstance(clean_text(cell), str)  # type: ignore[arg-type]
    assert isinstance(clean_name(cell), str)  # type: ignore[arg-type]
    assert isinstance(is_blank(cell), bool)  # type: ignore[arg-type]
    parts = split_multi(cell)  # type: ignore[arg-type]
    assert all(isinstance(p, str) and p for p in parts)


@FUZZ
@given(st.integers(min_value=0, max_value=MAX_AMOUNT_FEN))
def test_amounts_within_the_limit_round_trip(fen: int) -> None:
    EXAMPLES["amount round trip"] += 1
    yuan = f"{fen // 100}.{fen % 100:02d}"
    assert parse_amount_fen(yuan) == fen
    assert parse_amount_fen(f"￥{yuan}元") == fen


_GIANTS = [
    "9" * 1_000_000, "1" + "0" * 999_999 + ".001", "1e" + "9" * 1000, "1e999999999", "(" * 500_000,
    "()" * 500_000, "张" * 1_000_000, " " * 1_000_000, "2025年" * 200_000, "0731-" * 200_000,
    "13812345678/" * 80_000, "\u200b" * 1_000_000, "合计" * 500_000, "43" + "\u3000" * 999_998,
]


_GIANT_CPU = 15  # seconds of CPU for a child to start and walk one giant through every parser
_WALK_GIANT = """
import sys
from tests.fuzz.test_cell_fuzz import _GIANTS, walk_giant
walk_giant(_GIANTS[int(sys.argv[1])])
"""


def walk_giant(giant: str) -> None:
    """Every parser and header function on one giant input (run in a child by the test below)."""
    for parse in PARSERS.values():
        try:
            parse(giant)
        except CellError as error:
            _check_reason(error)
    clean_text(giant), clean_name(giant), split_multi(giant), is_blank(giant)
    normalize_header(giant), field_for_header(giant), village_from_sheet_name(giant)
    find_header([[giant, "身份证号", giant], [giant] * 3])


@pytest.mark.parametrize("index", range(len(_GIANTS)), ids=[f"{g[:6]!r}x{len(g)}" for g in _GIANTS])
def test_a_million_characters_is_quick(index: int) -> None:
    proc = run_limited(["-c", _WALK_GIANT, str(index)], _GIANT_CPU)
    trouble = how_it_ended(proc, _GIANT_CPU)
    assert trouble is None, f"a parser takes more than linear time, or fails: {trouble}"
    EXAMPLES["giant inputs"] += 1


# --------------------------------------------------------------------------- headers and rows

header_texts = st.one_of(
    texts,
    st.sampled_from(["公民身份号码", "身份证号码（18位）", "姓  名", "户编号", "缴费信息", "缴费金额\n（元）",
                     "缴费日期", "村(社区)", "人员类别", "*身份证号：", "合计", "填表人：", "序号"]),
)
grid = st.lists(st.lists(st.one_of(header_texts, numbers, others), max_size=12), max_size=25)
# merged ranges as calamine gives them: unsigned, possibly inverted or far outside the rows
_coordinate = st.one_of(st.integers(0, 30), st.integers(0, 2**32 - 1))
merges = st.lists(st.tuples(_coordinate, _coordinate, _coordinate, _coordinate), max_size=6)


@FUZZ
@given(grid, merges)
def test_header_finder_never_fails(rows: list[list[object]], merged: list[tuple[int, int, int, int]]) -> None:
    EXAMPLES["headers"] += 1
    match = find_header(rows, merged=merged)  # type: ignore[arg-type]
    assert match is None or isinstance(match, HeaderMatch)
    for text in (cell for row in rows for cell in row):
        assert isinstance(normalize_header(text), str)  # type: ignore[arg-type]
        found = field_for_header(text if isinstance(text, str) else str(text))
        assert found is None or isinstance(found, Field)
    if rows:
        try:
            at = header_at(rows, 0, 1, merged=merged)  # type: ignore[arg-type]
        except ValueError:
            return
        assert isinstance(layout_signature(at.headers), str)


def _sheet(rows: list[list[object]], name: str) -> RawSheet:
    return RawSheet(name=name, index=0, source_format="csv", height=len(rows), merged=None,
                    _rows_factory=lambda: iter([list(r) for r in rows]))


@FUZZ
@given(grid, texts)
def test_row_walker_never_fails(body: list[list[object]], sheet_name: str) -> None:
    EXAMPLES["rows"] += 1
    rows = [["序号", "姓名", "公民身份号码", "户编号", "缴费金额"], *body]
    sheet = _sheet(rows, sheet_name)
    header = find_header(sheet.head(20))
    assume(header is not None)
    walker = DataRows(sheet, header)  # type: ignore[arg-type]
    for row in walker:
        assert row.row_number >= 1
        row.get(Field.ID_NUMBER), row.location
    village = village_from_sheet_name(sheet_name)
    assert village is None or isinstance(village, str)


# --------------------------------------------------------------------------- CSV bytes

_encodings = st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "gbk", "big5", "utf-16", "utf-16-le",
                              "utf-16-be", "utf-32", "shift_jis", "latin-1", "cp1252"])


@st.composite
def csv_bytes(draw: st.DrawFn) -> bytes:
    kind = draw(st.integers(0, 3))
    if kind == 0:
        return draw(st.binary(max_size=3000))
    rows = draw(st.lists(st.lists(st.one_of(header_texts, id_like(), amount_like()), max_size=8), max_size=15))
    text = corpus.csv_text([["姓名", "公民身份号码", "缴费金额"], *rows],
                           sep=draw(st.sampled_from([",", "\t", ";", "|"])),
                           newline=draw(st.sampled_from(["\r\n", "\n", "\r"])))
    data = text.encode(draw(_encodings), "replace")
    if kind == 2:  # damage: bytes changed, cut, or a quote opened and never closed
        for _ in range(draw(st.integers(1, 8))):
            if data:
                at = draw(st.integers(0, len(data) - 1))
                data = data[:at] + bytes([draw(st.integers(0, 255))]) + data[at + 1:]
        data = data[: draw(st.integers(0, len(data)))]
    if kind == 3:
        data += draw(st.sampled_from([b'"', b'\x00', b'\xff\xfe', b'\xed\xa0\x80', "\udce9".encode("utf-8", "surrogatepass")]))
        data += draw(st.binary(max_size=200))
    return data


@FUZZ_FEW
@given(csv_bytes(), st.sampled_from([".csv", ".txt", ".tsv"]))
def test_any_bytes_as_csv_read_or_refused(data: bytes, suffix: str) -> None:
    EXAMPLES["csv bytes"] += 1
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"名单{suffix}"
        path.write_bytes(data)
        try:
            sheets = read_tables(path)
        except UnreadableFileError as error:
            assert _CHINESE.search(error.message), error.message
            return
    for sheet in sheets:
        rows = list(sheet.rows())
        assert len(rows) == sheet.height
        assert all(isinstance(cell, str) for row in rows for cell in row)


# --------------------------------------------------------------------------- workbook guards


def _sample(build: Callable[[Path], Path]) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        return build(Path(folder) / "sample").read_bytes()


_SAMPLES = {
    "xlsx": _sample(corpus.openpyxl_roster),
    "stored": _sample(corpus._stored_xlsx),
    "ods": _sample(corpus.ods_roster),
    "xls": corpus.XLS_FIXTURE.read_bytes(),
}


@FUZZ
@given(st.sampled_from(sorted(_SAMPLES)),
       st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)), min_size=1, max_size=12),
       st.one_of(st.none(), st.floats(0.05, 1)))
def test_guards_pass_or_refuse_damaged_workbooks(sample: str, flips: list[tuple[float, int]],
                                                 cut: float | None) -> None:
    EXAMPLES["workbook guards"] += 1
    data = bytearray(_SAMPLES[sample])
    for where, value in flips:
        data[int(where * len(data))] = value
    if cut is not None:
        del data[int(cut * len(data)):]
    check = guards.check_ole if sample == "xls" else guards.check_zip
    try:
        check(bytes(data))
    except guards.Refusal as refusal:
        assert _CHINESE.search(refusal.message)
        assert refusal.code in {"damaged", "password", "too_large"}


@FUZZ_FEW
@given(st.binary(max_size=4096))
def test_guards_on_random_bytes(data: bytes) -> None:
    EXAMPLES["workbook guards"] += 1
    for check, magic in ((guards.check_zip, b"PK\x03\x04"),
                         (guards.check_ole, bytes.fromhex("d0cf11e0a1b11ae1"))):
        try:
            check(magic + data)
        except guards.Refusal as refusal:
            assert _CHINESE.search(refusal.message)
