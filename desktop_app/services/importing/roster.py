"""A roster (花名册 / 参保台账): households and persons, checked (:func:`check`; written by
:mod:`.roster_write`).

The check is the hot loop of every import (100,000 rows; benchmarks/bench_exchange.py). A
roster repeats its villages, relations, sexes, categories, statuses, household numbers and
addresses thousands of times: rows are taken a chunk at a time, :func:`picker` turns the chunk
into columns (C-level ``itemgetter`` and ``zip``) and a :class:`ColumnParser` parses each
column, finding the distinct cells with ``set`` and spreading the results back with ``map``
(both in C), so that a parser runs once per distinct cell; then each row is decided in order,
so that warnings and refusals come row by row as a person reads the sheet. The columns and
their parsers are one table (:func:`_column_table`); a row's parsed cells are a named tuple
named after those fields. A cell its parser refuses is kept in its place as a :class:`Failed`.
"""

from __future__ import annotations

import datetime as dt
from collections import namedtuple
from collections.abc import Callable, Sequence
from functools import partial
from itertools import groupby, islice
from operator import itemgetter
from typing import Any, NamedTuple

from desktop_app.domain.charges import compute_charge
from desktop_app.domain.payment_rules import payment_date_refusal, payment_verdict
from desktop_app.domain.pinyin import preload as preload_pinyin
from desktop_app.domain.policy import Policy
from desktop_app.domain.statuses import read_status_cell
from desktop_app.exchange import (
    CellError,
    DataRows,
    Field,
    clean_name,
    clean_text,
    id_warning,
    parse_amount_fen,
    parse_code,
    parse_date,
    parse_id_cell,
    parse_phone,
    split_multi,
)
from desktop_app.exchange.reading import Cell, Row
from desktop_app.services.importing import statuses
from desktop_app.services.importing.common import (
    Elsewhere,
    Failed,
    LedgerFacts,
    Reader,
    Reject,
    category_resolver,
)
from desktop_app.services.importing.households import (
    Homes,
    household_of,
    one_village_per_household,
)
from desktop_app.services.importing.spool import RowSpool
from desktop_app.services.payments import collection_start


class RosterRow(NamedTuple):
    """A roster row ready to write."""

    id_number: str
    name: str
    sex: str
    birth_date: dt.date
    relation: str
    phone: str
    village: str
    household_number: str
    head_name: str
    address: str
    categories: tuple[str, ...] = ()
    recorded_status: str | None = None
    status_reason: str = ""
    paid_fen: int | None = None
    paid_on: dt.date | None = None
    person_id: int | None = None  # set for a person already in the ledger
    changes: dict[str, tuple[Any, Any]] | None = None  # field → (in the ledger, in the file); None: none
    clear_status: bool = False  # 未缴费 clears the status carried from last year (importing.statuses)


# ---------------------------------------------------------------------------------- check

_SEX_BY_NAME = {"男": "M", "女": "F"}
_NOT_A_CATEGORY = frozenset({"普通居民", "无", "一般人员"})
_COMPARED = ("name", "phone", "household_number", "relation", "village")
#: Rows checked together, column by column (a few MB of cells at a time).
CHUNK_ROWS = 4096
#: A column's remembered cells are forgotten beyond this many (a column of unique phones must
#: not grow without bound on a million-row file).
MEMO_LIMIT = 1 << 16


def _checked(function: Callable[[Cell], object], cell: Cell) -> object:
    try:
        return function(cell)
    except CellError as exc:
        return Failed(exc)


class ColumnParser:
    """A parser applied to a column of cells, each distinct cell once.

    A column of one type is remembered across chunks (per type: 1, 1.0 and True are equal keys
    but different cells); a column of mixed types is parsed cell by cell.
    """

    def __init__(self, function: Callable[[Cell], object]) -> None:
        self.function = function
        self.seen: dict[type, dict[Cell, object]] = {}

    def __call__(self, cells: tuple[Cell, ...]) -> list[object]:
        function = self.function
        kinds = set(map(type, cells))
        if len(kinds) == 1:
            keys: tuple[Cell, ...] | list[tuple[type, Cell]] = cells
            known = self.seen.setdefault(kinds.pop(), {})
        else:  # e.g. dates and "" (empty cells): keyed by (type, cell)
            keys = list(zip(map(type, cells), cells))
            known = self.seen.setdefault(tuple, {})
        if len(known) > MEMO_LIMIT:
            known.clear()
        for key in set(keys).difference(known):
            known[key] = _checked(function, key if keys is cells else key[1])
        return list(map(known.__getitem__, keys))


def picker(rows: DataRows, fields: Sequence[Field]) -> Callable[[list[Row]], list[tuple[Cell, ...]]]:
    """A function from some raw rows to their cells of ``fields``, column by column, a column
    of "" for a field the sheet has no column for."""
    where = rows.header.fields
    indexes = [where.get(field) for field in fields]
    present = [index for index in indexes if index is not None]
    pick = itemgetter(*present, *present[:1])  # one more, so that a single column is a tuple too

    def columns(raws: list[Row]) -> list[tuple[Cell, ...]]:
        found = iter(zip(*map(pick, raws)))
        empty = ("",) * len(raws)
        return [empty if index is None else next(found) for index in indexes]

    return columns


def _column_table(today: dt.date, resolve: Callable[[str], str | None]) -> dict[Field, Callable[[Cell], object]]:
    """The roster's columns: the field each is read from → its parser (a cell → a value; a
    :class:`CellError` is kept as :class:`Failed`). A row's parsed cells are read by field name
    (``cells.id_number``); a field the sheet lacks reads as a parsed empty cell.

    (ID numbers are all different in a good file, but a bad one repeats its empty or damaged
    ones a million times: remembered like the rest.)"""

    def categories_of(cell: Cell) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(category codes, texts nobody recognised) of a category cell."""
        codes: list[str] = []
        unknown: list[str] = []
        for text in split_multi(cell):
            if text in _NOT_A_CATEGORY:
                continue
            code = resolve(text)
            if code is None:
                unknown.append(text)
            elif code not in codes:
                codes.append(code)
        return tuple(codes), tuple(unknown)

    def head_id_of(cell: Cell) -> str | None:
        if cell == "" or cell is None:
            return None
        return parse_id_cell(cell, Field.HEAD_ID_NUMBER, today=today).number

    return {
        Field.ID_NUMBER: partial(parse_id_cell, today=today),
        Field.NAME: clean_name,
        Field.RELATION: clean_text,
        Field.VILLAGE: clean_text,
        Field.HEAD_NAME: clean_name,
        Field.HOUSEHOLD_NUMBER: partial(parse_code, field=Field.HOUSEHOLD_NUMBER),
        Field.HEAD_ID_NUMBER: head_id_of,
        Field.PHONE: parse_phone,
        Field.SEX: clean_text,
        Field.BIRTH_DATE: partial(parse_date, field=Field.BIRTH_DATE),
        Field.CATEGORY: categories_of,
        Field.STATUS: lambda cell: read_status_cell(clean_text(cell)),
        Field.REMARK: clean_text,
        Field.AMOUNT_PAID: partial(parse_amount_fen, field=Field.AMOUNT_PAID),
        Field.PAYMENT_DATE: partial(parse_date, field=Field.PAYMENT_DATE),
        Field.ADDRESS: clean_text,
    }


def check(reader: Reader, policy: Policy) -> None:
    """Every roster row checked and matched, as DOMAIN.md section 7 says, into ``reader.plan``."""
    preload_pinyin()  # new persons get name initials when written
    plan = reader.plan
    # the ledger's facts of the persons each chunk names, read chunk by chunk (a county ledger's
    # every person held at once took 1.2 GB); the dicts are refilled in place
    facts = LedgerFacts(plan.year, plan.township_id)
    known, held, enrolled = facts.known, facts.held, facts.enrolled
    status_rules = statuses.RosterStatuses(policy, enrolled, held)
    start = collection_start(plan.year)
    table = _column_table(reader.today, category_resolver(policy))
    fields = tuple(table)
    ids_at, households_at, heads_at = (fields.index(f) for f in (Field.ID_NUMBER, Field.HOUSEHOLD_NUMBER,
                                                                  Field.HEAD_ID_NUMBER))
    parsers = [ColumnParser(parse) for parse in table.values()]
    cells_of = namedtuple("RosterCells", [f.value for f in fields])  # type: ignore[misc]  # made from the table
    # the accepted rows go to temporary files column by column (importing.spool), not into memory
    plan.new, plan.updated = RowSpool(row_type=RosterRow), RowSpool(row_type=RosterRow)
    new, updated, rejected = plan.new, plan.updated, plan.rejected
    # ID number (its first 17 digits, the 18th follows from them) → sheet << 32 | row of its first row:
    # two integers an entry, not a string and a tuple (a million rows held 150 MB of those)
    seen: dict[int, int] = {}
    sheets: list[str] = []
    homes = Homes(RowSpool(row_type=RosterRow))  # each household's villages, a few integers a row
    current_head: dict[str, tuple[str, str]] = {}  # sheet → (household number, head name) of the last 户主

    def warn(field: Field, reason: str, number: str) -> None:
        """A warning on the row being decided (the loop's variables, read when called)."""
        plan.warnings.append(reader.issue_at(rows, row_number, raw, field, reason, number))

    try:
        for rows, records in groupby(reader.records(), key=itemgetter(0)):
            columns_of = picker(rows, fields)
            sheet, sheet_village = rows.sheet.name, rows.sheet_village or ""
            at = homes.sheet(rows)
            sheets.append(sheet)
            while chunk := list(islice(records, CHUNK_ROWS)):
                columns = [parse(column) for parse, column in zip(parsers, columns_of(list(map(itemgetter(2), chunk))))]
                facts.load(_numbers_named(columns, ids_at, households_at, heads_at, current_head))
                for (_rows, row_number, raw), cells in zip(chunk, map(cells_of, *columns)):
                    try:
                        person, existing = _person(cells, sheets, at, row_number, sheet_village, plan.year, seen,
                                                   current_head, known, warn)
                    except Reject as exc:
                        rejected.append(reader.issue_at(rows, row_number, raw, exc.field, exc.reason))
                        continue
                    person = status_rules.apply(person, cells.status, cells.remark, warn)
                    if person.paid_fen and person.paid_on:
                        person = _payment_judged(person, policy, held, enrolled, reader.today, start, warn)
                    head = person.relation == "户主"
                    if existing is None:
                        homes.add(person.household_number, person.village, head, at, row_number, Homes.NEW,
                                  len(new))
                        new.append(person)
                        continue
                    has_payment = enrolled.get(person.person_id, (None, False, 0))[1]
                    extra = (
                        set(person.categories) - held.get(person.person_id, set())
                        or status_rules.changes(person)
                        or (person.paid_fen and not has_payment)
                    )
                    if person.changes or extra:
                        homes.add(person.household_number, person.village, head, at, row_number, Homes.UPDATED,
                                  len(updated), bool(extra))
                        updated.append(person)
                    else:
                        homes.add(person.household_number, person.village, head, at, row_number,
                                  Homes.UNCHANGED, len(homes.unchanged))
                        homes.unchanged.append(person)
                        plan.unchanged += 1
        one_village_per_household(reader, homes)
    finally:
        homes.close()


def _numbers_named(columns: list[list[object]], ids_at: int, households_at: int, heads_at: int,
                   current_head: dict[str, tuple[str, str]]) -> set[str]:
    """The ID numbers a chunk's rows may look up in the ledger: each row's own, and each that a
    household is named by (its 户编号 or 户主身份证号 column, a sheet's last head so far)."""
    numbers = {cell.number for cell in columns[ids_at] if type(cell) is not Failed}  # type: ignore[attr-defined]
    numbers.update(cell.upper() for cell in columns[households_at] if type(cell) is str and len(cell) == 18)
    numbers.update(cell for cell in columns[heads_at] if type(cell) is str)
    numbers.update(key.upper() for key, _name in current_head.values() if len(key) == 18)
    return numbers


def _payment_judged(person: RosterRow, policy: Policy, held: dict[int, set[str]], enrolled: dict,
                    today: dt.date, start: dt.date | None, warn: Callable[[Field, str, str], None]) -> RosterRow:
    """A roster row's 已缴金额 judged as the desk and the payments import judge a payment (one
    domain rule each: the date, then the amount against what the person owes): a payment they
    refuse is not imported, with a warning, and the rest of the row is."""
    refusal = payment_date_refusal(person.paid_on, policy.year, today, start)
    if refusal is None:
        categories = set(person.categories) | held.get(person.person_id, set())
        due = compute_charge(policy, categories).due_fen
        paid = enrolled.get(person.person_id, (None, False, 0))[2] or 0 if person.person_id else 0
        verdict = payment_verdict(person.paid_fen, policy.standard_fen, due, paid)
        if verdict.warned:
            warn(Field.AMOUNT_PAID, verdict.reason, person.id_number)
        refusal = verdict.reason if verdict.refused else None
    if refusal is None:
        return person
    warn(Field.AMOUNT_PAID, refusal + "（这笔缴费未导入，其余照常导入）", person.id_number)
    return person._replace(paid_fen=None, paid_on=None)


def _person(cells: Any, sheets: list[str], at: int, row_number: int, sheet_village: str, year: int,
            seen: dict[int, int], current_head: dict[str, tuple[str, str]], known: dict[str, tuple],
            warn: Callable[[Field, str, str], None]) -> tuple[RosterRow, tuple | None]:
    """One row's :class:`RosterRow` from its parsed cells (row ``row_number`` of sheet ``at`` of
    ``sheets``), and the ledger's row of that person (None when new); raises :class:`Reject`.
    ``seen`` and ``current_head`` are updated."""
    parsed = cells.id_number
    if type(parsed) is Failed:
        raise Reject(Field.ID_NUMBER, parsed.error.reason)
    number = parsed.number
    if parsed.converted_from_15:
        warn(Field.ID_NUMBER, id_warning(parsed) or "", number)
    key = int(number[:17])
    first = seen.get(key)
    if first is not None:
        raise Reject(Field.ID_NUMBER,
                     f"身份证号与{sheets[first >> 32]} 第{first & 0xFFFFFFFF}行重复，只导入第一次出现的那一行")
    seen[key] = at << 32 | row_number
    sheet = sheets[at]
    existing = known.get(number)
    name, relation = cells.name, cells.relation
    if not name:
        raise Reject(Field.NAME, "姓名为空")
    village = cells.village or sheet_village
    if not village and existing is not None:
        village = existing[5]
        if type(village) is Elsewhere:  # not a village of the roster's township to put them in
            raise Reject(Field.VILLAGE, f"这个人登记在{village}，不在本乡镇，表里又没有填村(社区)：请填上这个人在本乡镇的村")
    if not village:
        raise Reject(Field.VILLAGE, "没有填村(社区)：请加一列“村(社区)”，或每个村一张工作表、以村名命名")
    household = household_of(cells.household_number, cells.head_id_number, relation, number, existing,
                             current_head.get(sheet), known)
    head_name = cells.head_name
    if relation == "户主":
        head_name = name
        current_head[sheet] = (household, name)
    elif not head_name:
        last = current_head.get(sheet)
        head_name = last[1] if last and last[0] == household else (existing[6] if existing else "")

    phone = cells.phone
    if type(phone) is Failed:
        warn(Field.PHONE, phone.error.reason + "（电话未导入，其余照常导入）", number)
        phone = ""
    phone = phone or ""
    # sex and birth date are read from the ID number; a column that disagrees is told
    sex_text, birth = cells.sex, cells.birth_date
    if sex_text in _SEX_BY_NAME and _SEX_BY_NAME[sex_text] != parsed.sex:
        warn(Field.SEX, f"性别“{sex_text}”与身份证号不符，以身份证号为准", number)
    if birth is not None and type(birth) is not Failed and birth != parsed.birth_date:
        warn(Field.BIRTH_DATE, f"出生日期{birth}与身份证号不符，以身份证号为准", number)
    codes, unknown = cells.category
    for text in unknown:
        warn(Field.CATEGORY, f"资助类别“{text}”不认识（不在{year}年度政策里），未登记", number)
    paid_fen, paid_on = cells.amount_paid, cells.payment_date
    if paid_fen is None:
        paid_on = None
    else:
        for failed in (paid_fen, paid_on):
            if type(failed) is Failed:
                raise Reject(failed.error.field, failed.error.reason)
        if paid_fen and paid_on is None:
            raise Reject(Field.PAYMENT_DATE, "有已缴金额但没有缴费日期")
    if existing is None:  # the 参保状态 column is read by importing.statuses
        return RosterRow(number, name, parsed.sex, parsed.birth_date, relation, phone, village, household,
                         head_name, cells.address, codes, None, "", paid_fen or None, paid_on), None
    phone = phone or existing[2]
    relation = relation or existing[4]
    before = (existing[1], existing[2], existing[3], existing[4], existing[5])
    after = (name, phone, household, relation, village)
    changes = None if before == after else {k: (b, a) for k, b, a in zip(_COMPARED, before, after) if b != a}
    return RosterRow(number, name, parsed.sex, parsed.birth_date, relation, phone, village, household,
                     head_name, cells.address, codes, None, "", paid_fen or None, paid_on,
                     existing[0], changes), existing
