"""The sheet extent the xlsx guard computes (last row, last column) is the one the exact paths
compute, for every sheet: the proof of xlsx._proven_extent may only confirm what
xlsx._fast_extent would say, never under-report a cell.

The reference is the guard's scan as it was before the proof existed: xlsx._fast_extent on
each segment until it declines, xlsx._SlowXlsx from there on. Sheets are fed in small pieces so
that every file has many segments and cells straddle their borders.
"""

from __future__ import annotations

import random
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.exchange import guards
from desktop_app.exchange.guards import markup, xlsx
from desktop_app.exchange.guards.refusal import Budget
from desktop_app.exchange.limits import MAX_COLUMNS, MAX_ROWS
from tests.fuzz import corpus
from tests.fuzz.test_cell_fuzz import EXAMPLES, FUZZ


def _pieces(xml: bytes, size: int) -> Iterator[bytes]:
    return (xml[at:at + size] for at in range(0, len(xml), size))


def reference_extent(xml: bytes, size: int) -> tuple[int, int]:
    """The scan before the proof: the fast path per segment, the slow path from the first
    segment it declines."""
    max_row = max_col = 0
    slow = None
    for segment in markup.segments(_pieces(xml, size)):
        if slow is None:
            extent = xlsx._fast_extent(segment)
            if extent is not None:
                max_row, max_col = max(max_row, extent[0]), max(max_col, extent[1])
                continue
            slow = xlsx._SlowXlsx(max_row, max_col)
        slow.feed(segment)
    if slow is not None:
        max_row, max_col = slow.max_row, slow.max_col
    return max_row, max_col


class _Recorder(Budget):
    def add_sheet(self, rows: int, columns: int) -> None:
        self.parts.append((rows, columns))


def guard_extent(xml: bytes, size: int) -> tuple[int, int] | None:
    budget = _Recorder()
    xlsx.scan_xlsx_part(_pieces(xml, size), budget, shared=False, sheet=True)
    assert len(budget.parts) <= 1
    return budget.parts[0] if budget.parts else None


def assert_same_extent(xml: bytes, size: int = 4096) -> tuple[int, int]:
    expected = reference_extent(xml, size)
    got = guard_extent(xml, size)
    assert got == (expected if expected[0] and expected[1] else None), (got, expected)
    return expected


@pytest.fixture
def proofs(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether the proof confirmed each segment it was asked about."""
    seen: list[bool] = []
    proven = xlsx._proven_extent

    def spy(text: bytes, end: int, max_row: int, max_col: int) -> tuple[int, int] | None:
        extent = proven(text, end, max_row, max_col)
        seen.append(extent is not None)
        return extent

    monkeypatch.setattr(xlsx, "_proven_extent", spy)
    return seen


def roster(rows: int, columns: int = 12, first: int = 1) -> list[str]:
    """Rows as Excel writes them, one string per row."""
    out = []
    for r in range(first, first + rows):
        cells = "".join(
            f'<c r="{corpus.col_letters(c)}{r}" s="1" t="inlineStr"><is><t>张{r}-{c}</t></is></c>'
            if c % 3 else f'<c r="{corpus.col_letters(c)}{r}" s="2"><v>{r * c}</v></c>'
            for c in range(columns))
        out.append(f'<row r="{r}" spans="1:{columns}">{cells}</row>')
    return out


def sheet(rows: list[str], *, head: str = "", tail: str = "") -> bytes:
    """A worksheet part: ``head`` before <sheetData> (<cols>…), ``tail`` after it."""
    start = corpus.sheet_head("A1:L3000").replace("<sheetData>", head + "<sheetData>")
    return (start + "".join(rows) + "</sheetData>" + tail + "</worksheet>").encode()


def _xlsx(xml: bytes) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        return corpus.write_xlsx(Path(folder) / "x.xlsx", xml.decode()).read_bytes()


# --------------------------------------------------------------------------- the bounds


def test_the_bound_patterns_match_exactly_the_numbers_not_above_the_bound() -> None:
    rng = random.Random(3)
    bounds = [*range(1, 300), 999, 1000, 1001, 99999, 100000, 100004, MAX_ROWS - 1, MAX_ROWS]
    bounds += [rng.randint(1, MAX_ROWS) for _ in range(200)]
    for bound in bounds:
        pattern = re.compile(xlsx._not_above(str(bound), "1-9", "0-9").encode())
        numbers = {*range(1, 320), bound - 1, bound, bound + 1, bound * 10, bound // 10 or 1,
                   *(rng.randint(1, 10 * bound) for _ in range(50))}
        for number in numbers - {0}:
            matched = pattern.fullmatch(str(number).encode()) is not None
            assert matched == (number <= bound), (bound, number)
        assert pattern.fullmatch(b"0") is None and pattern.fullmatch(b"0" + str(bound).encode()) is None
    columns = [*range(1, 760), MAX_COLUMNS - 1, MAX_COLUMNS]
    for bound in columns + [rng.randint(1, MAX_COLUMNS) for _ in range(200)]:
        assert xlsx._letters(bound) == corpus.col_letters(bound - 1)
        pattern = re.compile(xlsx._not_above(xlsx._letters(bound), "A-Z", "A-Z").encode())
        for column in {*columns, bound - 1, bound, bound + 1, *(rng.randint(1, 20000) for _ in range(50))}:
            if column:
                matched = pattern.fullmatch(corpus.col_letters(column - 1).encode()) is not None
                assert matched == (column <= bound), (bound, column)


# --------------------------------------------------------------------------- ordinary sheets


def test_an_ordinary_roster_is_proved_segment_by_segment(proofs: list[bool]) -> None:
    xml = sheet(roster(3000), tail='<pageMargins left="0.7" header="0.3" footer="0.3"/>')
    assert assert_same_extent(xml) == (3000, 12)
    assert len(proofs) > 50 and sum(proofs) >= len(proofs) - 2  # the tail has no cell to start from


def test_cols_and_conditional_formats_are_not_cells(proofs: list[bool]) -> None:
    head = "<cols>" + "".join(f'<col min="{i}" max="{i}" width="9"/>' for i in range(1, 13)) + "</cols>"
    xml = sheet(roster(50), head=head,
                tail='<conditionalFormatting sqref="A1"><cfRule type="expression"/></conditionalFormatting>')
    assert assert_same_extent(xml, 1 << 20) == (50, 12)
    assert proofs[0]  # then </worksheet>: a segment without cells


def test_many_col_elements_fall_back_to_the_fast_path(proofs: list[bool]) -> None:
    cols = '<col min="1" max="1"/>' * (xlsx._MAX_SKIPS + 5)
    xml = sheet(roster(20), head=f"<cols>{cols}</cols>")
    assert assert_same_extent(xml, 1 << 20) == (20, 12)
    assert not proofs[0]


# --------------------------------------------------------------------------- cells beyond the guess


@pytest.mark.parametrize("where", [0, 1, 500, 1499, 2999])
@pytest.mark.parametrize("ref", ["A9000", "AB7", "M3001", "XFD1048576", "XFE3", "A1048577", "ZZ99999"])
def test_one_far_cell_among_ordinary_rows_is_found(where: int, ref: str) -> None:
    rows = roster(3000)
    rows[where] = rows[where].replace("</row>", f'<c r="{ref}"><v>1</v></c></row>')
    assert_same_extent(sheet(rows))


@pytest.mark.parametrize(("ref", "extent"),
                         [("A3001", (3001, 12)), ("M7", (3000, 13)), ("M3001", (3001, 13))])
def test_one_row_or_column_beyond_the_last_cell_is_found(ref: str, extent: tuple[int, int]) -> None:
    rows = roster(3000)
    rows[2998] = rows[2998].replace("</row>", f'<c r="{ref}"/></row>')  # the segment ends with L3000
    assert assert_same_extent(sheet(rows), 1 << 20) == extent


def test_a_far_cell_first_in_a_row_and_in_an_early_row_is_found() -> None:
    rows = roster(3000)
    rows[10] = rows[10].replace('spans="1:12">', 'spans="1:12"><c r="AZ2999" s="1"/>')
    assert assert_same_extent(sheet(rows)) == (3000, 52)


def test_a_cell_whose_row_is_not_its_row_tag() -> None:
    rows = roster(3000)
    rows[1200] = rows[1200].replace('<c r="B1201"', '<c r="B2999999"', 1)  # beyond Excel: refused
    assert assert_same_extent(sheet(rows)) == (2999999, 12)
    rows = roster(3000)
    rows[1200] = rows[1200].replace('<c r="B1201"', '<c r="B4500"', 1)
    assert assert_same_extent(sheet(rows)) == (4500, 12)
    rows = roster(3000)
    rows[2999] = rows[2999].replace('<c r="B3000"', '<c r="B17"', 1)  # the last cell is not the lowest
    assert assert_same_extent(sheet(rows)) == (3000, 12)


def test_seven_digit_rows_and_three_letter_columns() -> None:
    rows = roster(40, first=MAX_ROWS - 39, columns=3)
    assert assert_same_extent(sheet(rows)) == (MAX_ROWS, 3)
    wide = [r.replace('<c r="C', '<c r="XFD') for r in roster(40, columns=3)]
    assert assert_same_extent(sheet(wide)) == (40, MAX_COLUMNS)
    wider = [r.replace('<c r="C', '<c r="XFE') for r in roster(40, columns=3)]
    assert assert_same_extent(sheet(wider)) == (40, MAX_COLUMNS + 1)
    assert assert_same_extent(sheet(roster(40) + ['<row r="41"><c r="AAA41"/></row>'])) == (41, 703)


def test_rows_out_of_order_raise_the_guess_or_give_up_the_proof(proofs: list[bool]) -> None:
    rows = roster(3000)
    random.Random(7).shuffle(rows)  # a new maximum now and then: the guess rises
    assert assert_same_extent(sheet(rows), 4 << 20) == (3000, 12)
    assert proofs[0]
    proofs.clear()
    rows = roster(3000) + ['<row r="1"><c r="A1"/></row>']  # every row beyond the guess from A1
    assert assert_same_extent(sheet(rows), 4 << 20) == (3000, 12)
    assert not proofs[0]


# --------------------------------------------------------------------------- cells written otherwise


@pytest.mark.parametrize("cell", [
    "<c><v>1</v></c>",  # no r: calamine puts it after the last cell of the row
    '<c t="n"><v>1</v></c>',
    "<c/>",
    '<c t="n" r="XFD1048576"><v>1</v></c>',  # r not first
    '<c r="A2" r="XFD1048576"><v>1</v></c>',  # r twice
    "<c r='XFD1048576'><v>1</v></c>",  # other quotes
    '<c r = "XFD1048576"><v>1</v></c>',
    '<c\tr="XFD1048576"><v>1</v></c>',
    '<c r="xfd1048576"><v>1</v></c>',  # lower case
    '<c r="A0001048577"><v>1</v></c>',  # leading zeros
    '<c r="A0"><v>1</v></c>',
    '<c r="A99999999999999"><v>1</v></c>',  # 14 digits
    '<c r="AAAAAAAA1"><v>1</v></c>',  # 8 letters
    '<c r="AAAAA1"><v>1</v></c>',  # 5 letters: the fast and slow paths differ, both refuse
    '<c r="A1x"><v>1</v></c>',
    '<c r=""><v>1</v></c>',
    '<x:c r="XFD1048576"><v>1</v></x:c>',  # namespace prefix
    "<x:c><v>1</v></x:c>",
])
@pytest.mark.parametrize("where", [0, 1700, 2999])
def test_cells_written_otherwise_are_left_to_the_exact_paths(cell: str, where: int) -> None:
    rows = roster(3000)
    rows[where] = rows[where].replace("</row>", cell + "</row>")
    assert_same_extent(sheet(rows))


@pytest.mark.parametrize(("old", "new"), [
    ('<row r="1500" spans="1:12">', '<row r="1500" r="1048576">'),  # r twice in a row
    ('<row r="1500" spans="1:12">', '<row spans="1:12" r="1500">'),  # r not first
    ('<row r="1500" spans="1:12">', '<hyperlink r="XFD1048576"/><row r="1500">'),  # r on something else
    ("<t>张1500-1</t>", '<t>张 r="XFD1048576"</t>'),  # in text
    ('<row r="1500" spans="1:12">', '<x:row r="1048576">'),  # namespace prefix
])
def test_stray_r_attributes_and_prefixed_rows_switch_paths_as_before(old: str, new: str) -> None:
    rows = roster(3000)
    rows[1499] = rows[1499].replace(old, new)
    # a cell without r further down: the slow path puts it after the row's last cell
    rows[2000] = rows[2000].replace("</row>", "<c><v>1</v></c></row>")
    assert_same_extent(sheet(rows))


# --------------------------------------------------------------------------- empty rows


@pytest.mark.parametrize("empty", [
    f'<row r="{MAX_ROWS}"/>',
    f'<row r="{MAX_ROWS}" spans="1:12" s="3" customFormat="1"/>',
    f'<row r="{MAX_ROWS}" s="3" customFormat="1"></row>',
    '<row r="99999999999"/>',
])
def test_a_lone_empty_row_far_below_costs_nothing(empty: str, proofs: list[bool]) -> None:
    xml = sheet(roster(3000) + [empty])
    assert assert_same_extent(xml) == (3000, 12)
    assert sum(proofs) >= len(proofs) - 2
    guards.check_zip(_xlsx(xml))


# --------------------------------------------------------------------------- whole files


def _refusal(extent: tuple[int, int]) -> tuple[str, str] | None:
    try:
        if extent[0] and extent[1]:
            Budget().add_sheet(*extent)
    except guards.Refusal as refusal:
        return refusal.code, refusal.message
    return None


@pytest.mark.parametrize("ref", ["AF1048576", "AG1048576", "XFD1048577", "XFE9", "B40"])
def test_check_zip_refuses_with_the_message_the_exact_extent_gives(ref: str) -> None:
    rows = roster(3000, columns=12)
    rows[1234] = rows[1234].replace("</row>", f'<c r="{ref}"><v>1</v></c></row>')
    xml = sheet(rows)
    expected = _refusal(reference_extent(xml, 4 << 20))
    try:
        guards.check_zip(_xlsx(xml))
        got = None
    except guards.Refusal as refusal:
        got = refusal.code, refusal.message
    assert got == expected
    assert (got is None) == (ref in ("AF1048576", "B40"))  # 32 columns × 1,048,576 rows: just allowed


# --------------------------------------------------------------------------- generated sheets


def _ref(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["near", "near", "near", "far", "odd"]))
    if kind == "near":
        return corpus.col_letters(draw(st.integers(0, 40))) + str(draw(st.integers(1, 300)))
    if kind == "far":
        return (corpus.col_letters(draw(st.sampled_from([0, 25, 26, 701, 702, MAX_COLUMNS - 1, MAX_COLUMNS])))
                + str(draw(st.sampled_from([1, 9, 10, 99999, 100000, MAX_ROWS - 1, MAX_ROWS, MAX_ROWS + 1,
                                            10**12 - 1, 10**12]))))
    return draw(st.sampled_from(["A", "1", "a1", "A01", "A0", "AAAAAAAA1", "AAAA1", "A1 ", " A1", "ÄA1"]))


@st.composite
def _fragment(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["cell"] * 8 + ["row", "row", "end", "empty", "no-r", "other", "text"]))
    if kind == "cell":
        ref = _ref(draw)
        attrs = draw(st.sampled_from(["", ' s="1"', ' t="s"', ' s="1" t="inlineStr"', f' r="{_ref(draw)}"',
                                      f" r='{_ref(draw)}'", ' ph="1"']))
        body = draw(st.sampled_from(["/>", "><v>1</v></c>", "><is><t>张 r=</t></is></c>"]))
        return f'<c r="{ref}"{attrs}{body}'
    if kind == "row":
        tag = draw(st.sampled_from(['<row r="{}">', '<row r="{}" spans="1:3">', "<row>",
                                    '<row spans="1:2" r="{}">', '<row r="{}" r="{}">']))
        return tag.format(draw(st.integers(0, 2 * MAX_ROWS)), draw(st.integers(0, 99)))
    if kind == "end":
        return "</row>"
    if kind == "empty":
        return f'<row r="{draw(st.integers(1, 2 * MAX_ROWS))}"/>'
    if kind == "no-r":
        return draw(st.sampled_from(["<c/>", "<c><v>1</v></c>", '<c t="s"><v>0</v></c>', "<c\n/>"]))
    if kind == "other":
        return draw(st.sampled_from(['<cols><col min="1" max="3"/></cols>', '<x:c r="A9"/>', "<x:c/>",
                                     "<x:row>", '<hyperlink r="B3"/>', "<cfRule/>", '<c:x r="Q9"/>', "<c"]))
    return draw(st.sampled_from([" r=&quot;A1&quot;", ' r="XFD9"', ":c ", "张三", "&lt;c r=", ""]))


@FUZZ
@given(st.lists(_fragment(), max_size=60), st.integers(0, 3), st.integers(0, 40),
       st.integers(12, 400))
def test_generated_sheets_give_the_reference_extent(fragments: list[str], copies: int, width: int,
                                                    size: int) -> None:
    EXAMPLES["guard extent"] += 1
    body = "".join(roster(copies * 40, columns=max(1, width % 14))) + "".join(fragments)
    xml = (corpus.sheet_head() + body + corpus.SHEET_TAIL).encode()
    assert_same_extent(xml, size)


@FUZZ
@given(st.lists(_fragment(), min_size=1, max_size=40), st.integers(0, MAX_ROWS + 2),
       st.integers(0, MAX_COLUMNS + 2), st.sampled_from(["", '<c r="XFD1048576"/>', " r=", ":c>", "<"]))
def test_the_proof_only_confirms_the_fast_path(fragments: list[str], max_row: int, max_col: int,
                                               after: str) -> None:
    EXAMPLES["guard extent"] += 1
    segment = "".join(fragments).encode()
    proven = xlsx._proven_extent(segment + after.encode(), len(segment), max_row, max_col)
    if proven is not None:
        fast = xlsx._fast_extent(segment)
        assert fast is not None
        assert proven == (max(max_row, fast[0]), max(max_col, fast[1]))


# --------------------------------------------------------------------------- shared strings


@FUZZ
@given(st.lists(st.sampled_from([
    "<si>", "<si><t>张三</t></si>", '<si><t xml:space="preserve"> a </t></si>', "<si/>", "<si >", "<si\n>",
    "<x:si>", "<x:si/>", "<sis>", "<si", "a:si b", "</si>", "<sst>", "<r><t>b</t></r>", "<", "si>",
]), max_size=40), st.sampled_from(["", "<si>", ">", "/>", "<x:si>"]))
def test_shared_strings_are_counted_as_before(fragments: list[str], after: str) -> None:
    EXAMPLES["guard extent"] += 1
    segment = "".join(fragments).encode()
    counted = xlsx._shared_items(segment + after.encode(), len(segment))
    assert counted == len(xlsx._SHARED_ITEM.findall(segment))


def test_a_workbook_with_shared_strings_counts_them(tmp_path: Path) -> None:
    strings = "".join(f"<si><t>名{i}</t></si>" for i in range(5000))
    shared = f'<sst xmlns="x" count="5000" uniqueCount="5000">{strings}</sst>'
    rows = "".join(f'<row r="{r}"><c r="A{r}" t="s"><v>{r - 1}</v></c></row>' for r in range(1, 5001))
    path = corpus.write_xlsx(tmp_path / "s.xlsx", corpus.sheet_xml(body=rows), shared=shared)
    budget = Budget()
    xlsx.scan_xlsx_part(_pieces(shared.encode(), 4096), budget, shared=True, sheet=False)
    assert budget.shared == 5000
    guards.check_zip(path.read_bytes())
