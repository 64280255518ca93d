"""The dry run of an import: read the file, check every row, match it against the ledger.

Nothing here writes. Every refused row gets its sheet, row number, column and a reason a
village doctor understands; persons in a categories or payments file who are not in the ledger
are reported as unmatched, never invented.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from itertools import groupby, islice
from operator import itemgetter
from pathlib import Path

from desktop_app.domain.idnumber import IdNumber
from desktop_app.domain.money import format_yuan
from desktop_app.domain.payment_rules import payment_verdict
from desktop_app.domain.pinyin import preload as preload_pinyin
from desktop_app.domain.policy import Policy
from desktop_app.domain.vocabulary import (
    CATEGORY_SPELLINGS,
    DEFAULT_CATEGORY_NAMES,
    RECORDED_STATUSES,
    STATUS_NAMES,
)
from desktop_app.exchange import (
    CellError,
    DataRow,
    DataRows,
    Field,
    clean_name,
    clean_text,
    id_warning,
    locate_tables,
    parse_amount_fen,
    parse_code,
    parse_date,
    parse_id_cell,
    parse_phone,
    read_tables,
    split_multi,
)
from desktop_app.exchange.reading import Cell, Row
from desktop_app.pathnames import shown
from desktop_app.services.import_plan import (
    CategoryRow,
    EndedCategory,
    ImportCancelled,
    ImportKind,
    ImportPlan,
    PaymentRow,
    PersonRow,
    RowIssue,
    TableInfo,
)
from desktop_app.services.collector import fewer_full_collections
from desktop_app.services.household_numbers import head_id_key
from desktop_app.store.models import db

Progress = Callable[[int, int], None]
ShouldStop = Callable[[], bool]
Overrides = Callable[[str], dict[int, str] | None]

_STATUS_BY_NAME = {name: status.value for status, name in STATUS_NAMES.items() if status in RECORDED_STATUSES}
_SEX_BY_NAME = {"男": "M", "女": "F"}


class _Reject(Exception):
    def __init__(self, field: Field | str | None, reason: str) -> None:
        super().__init__(reason)
        self.field = field
        self.reason = reason


def category_resolver(policy: Policy) -> Callable[[str], str | None]:
    """A county file's category spelling → the year's category code, or None when unknown."""
    index: dict[str, str] = {}
    # every category DOMAIN.md names, subsidised this year or not: holding one is a fact about
    # the person, and whether it brings a subsidy is the policy's business
    for code, spellings in CATEGORY_SPELLINGS.items():
        for spelling in spellings:
            index[spelling] = code
        index[DEFAULT_CATEGORY_NAMES[code]] = code
    for code, rule in policy.categories.items():
        index[rule.name] = code
        index[code] = code
    return lambda text: index.get(text.strip())


class _Reader:
    """Walks the rows of every sheet, with the bookkeeping every kind of import shares."""

    def __init__(self, plan: ImportPlan, progress: Progress | None, should_stop: ShouldStop | None,
                 overrides: Overrides | None) -> None:
        self.plan = plan
        self.progress = progress
        self.should_stop = should_stop
        sheets = read_tables(plan.path)
        found = locate_tables(sheets, overrides=overrides, path=str(plan.path))
        self.tables = found.found
        plan.sheets_without_header = list(found.without_header)
        self.total = sum(max(t.sheet.height - t.header.data_start, 0) for t in self.tables)
        self.today = dt.date.today()
        self._headers: dict[str, tuple[str, ...]] = {}
        self._columns: dict[str, dict[Field, int]] = {}

    def records(self) -> Iterator[tuple[DataRows, int, Row]]:
        """(the sheet's rows, row number, raw cells) of every data row of every sheet, with
        progress and cancel every 2,000 rows; a :class:`DataRow` is made only for a row that
        is reported on (:meth:`issue_at`)."""
        done = 0
        should_stop, progress = self.should_stop, self.progress
        for table in self.tables:
            header = table.header
            self._headers[table.sheet.name] = header.headers
            self._columns[table.sheet.name] = header.fields
            rows = table.rows()
            count = 0
            for row_number, raw in rows.records():
                count += 1
                done += 1
                if done % 2000 == 0:
                    if should_stop is not None and should_stop():
                        raise ImportCancelled()
                    if progress is not None:
                        progress(done, self.total)
                yield rows, row_number, raw
            self.plan.tables.append(
                TableInfo(table.sheet.name, header.headers, header.header_row_number,
                          header.layout_signature, {c: f.value for c, f in header.columns.items()}, count)
            )
        self.plan.rows_read = done
        if progress is not None:
            progress(done, done)

    def rows(self) -> Iterator[DataRow]:
        for rows, row_number, raw in self.records():
            yield rows.data_row(row_number, raw)

    def column_name(self, row: DataRow, field: Field | str | None) -> str:
        if field is None:
            return ""
        column = self._columns.get(row.sheet, {}).get(Field(field))
        headers = self._headers.get(row.sheet, ())
        if column is not None and column < len(headers) and headers[column]:
            return headers[column]
        return Field(field).label

    def issue(self, row: DataRow, field: Field | str | None, reason: str, id_number: str = "") -> RowIssue:
        return RowIssue(row.sheet, row.row_number, self.column_name(row, field), reason,
                        tuple(row.raw), id_number)

    def reject(self, row: DataRow, field: Field | str | None, reason: str, id_number: str = "") -> None:
        self.plan.rejected.append(self.issue(row, field, reason, id_number))

    def warn(self, row: DataRow, field: Field | str | None, reason: str, id_number: str = "") -> None:
        self.plan.warnings.append(self.issue(row, field, reason, id_number))

    def issue_at(self, rows: DataRows, row_number: int, raw: Row, field: Field | str | None, reason: str,
                 id_number: str = "") -> RowIssue:
        """:meth:`issue` for a row of :meth:`records`."""
        return self.issue(rows.data_row(row_number, raw), field, reason, id_number)


def _id_of(reader: _Reader, row: DataRow, seen: dict[str, str]) -> IdNumber:
    """The row's checked ID number; ``seen`` maps numbers met so far to where (not to rows:
    keeping 100,000 rows alive would double an import's memory)."""
    try:
        parsed = parse_id_cell(row.get(Field.ID_NUMBER, None), today=reader.today)
    except CellError as exc:
        raise _Reject(Field.ID_NUMBER, exc.reason) from None
    warning = id_warning(parsed)
    if warning:
        reader.warn(row, Field.ID_NUMBER, warning, parsed.number)
    first = seen.get(parsed.number)
    if first is not None:
        raise _Reject(Field.ID_NUMBER, f"身份证号与{first}重复，只导入第一次出现的那一行")
    seen[parsed.number] = row.location
    return parsed


def _ledger_persons() -> dict[str, tuple]:
    """ID number → (id, name, phone, household number, relation, village, head name, address,
    the household's head ID key or None)."""
    cursor = db.execute_sql(
        """SELECT p.id_number, p.id, p.name, p.phone, h.number, p.relation, v.name, h.head_name, h.address,
                  h.head_id_number
           FROM person p JOIN household h ON h.id = p.household_id JOIN region v ON v.id = h.village_id"""
    )
    return {row[0]: row[1:] for row in cursor}


# --------------------------------------------------------------------------------- roster


#: The columns a roster row is read from, in the order :func:`_plan_roster` unpacks them.
_ROSTER_FIELDS = (
    Field.ID_NUMBER, Field.NAME, Field.RELATION, Field.VILLAGE, Field.HEAD_NAME, Field.HOUSEHOLD_NUMBER,
    Field.HEAD_ID_NUMBER, Field.PHONE, Field.SEX, Field.BIRTH_DATE, Field.CATEGORY, Field.STATUS,
    Field.REMARK, Field.AMOUNT_PAID, Field.PAYMENT_DATE, Field.ADDRESS,
)
_NOT_A_CATEGORY = frozenset({"普通居民", "无", "一般人员"})
#: Rows checked together, column by column (a few MB of cells at a time).
_CHUNK_ROWS = 4096
#: A column's remembered cells are forgotten beyond this many (a column of unique phones must
#: not grow without bound on a million-row file).
_MEMO_LIMIT = 1 << 16


class _Failed:
    """A cell its parser refused, kept in the cell's place: the :class:`CellError` says why."""

    __slots__ = ("error",)

    def __init__(self, error: CellError) -> None:
        # Without its traceback and the exception it replaced: their frames lead back to the
        # list this is stored in, a reference cycle per refused cell that only a full garbage
        # collection frees (a file of a million refused rows grew to 2.9 GB).
        error.__traceback__ = None
        error.__context__ = error.__cause__ = None
        self.error = error


def _checked(function: Callable[[Cell], object], cell: Cell) -> object:
    try:
        return function(cell)
    except CellError as exc:
        return _Failed(exc)


class _Column:
    """A parser applied to a column of cells, each distinct cell once.

    A roster repeats its villages, relations, sexes, categories, statuses, household numbers and
    addresses thousands of times: the distinct cells of a chunk are found with ``set`` and the
    results spread back with ``map`` (both in C), so the parser runs once per distinct cell.
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
        if len(known) > _MEMO_LIMIT:
            known.clear()
        for key in set(keys).difference(known):
            known[key] = _checked(function, key if keys is cells else key[1])
        return list(map(known.__getitem__, keys))


def _columns(rows: DataRows, fields: tuple[Field, ...]) -> Callable[[list[Row]], list[tuple[Cell, ...]]]:
    """A function from some raw rows to their cells of ``fields``, column by column, a column
    of "" for a field the sheet has no column for (C-level ``itemgetter`` and ``zip``)."""
    where = rows.header.fields
    indexes = [where.get(field) for field in fields]
    present = [index for index in indexes if index is not None]
    pick = itemgetter(*present, *present[:1])  # one more, so that a single column is a tuple too

    def columns(raws: list[Row]) -> list[tuple[Cell, ...]]:
        found = iter(zip(*map(pick, raws)))
        empty = ("",) * len(raws)
        return [empty if index is None else next(found) for index in indexes]

    return columns


def _plan_roster(reader: _Reader, policy: Policy) -> None:
    """Every roster row checked and matched, as DOMAIN.md section 7 says.

    The hot loop of every import (100,000 rows; see benchmarks/bench_exchange.py): rows are
    taken a chunk at a time, their cells parsed column by column (:class:`_Column`), and then
    each row decided in order, so that warnings and refusals come row by row as a person reads
    the sheet.
    """
    plan = reader.plan
    known = _ledger_persons()
    held = _held_categories(plan.year)
    enrolled = {
        pid: (status, bool(paid))
        for pid, status, paid in db.execute_sql(
            """SELECT e.person_id, e.status, EXISTS (SELECT 1 FROM payment y WHERE y.person_id = e.person_id
                                                      AND y.year = e.year)
               FROM enrollment e WHERE e.year = ?""",
            (plan.year,),
        )
    }
    resolve = category_resolver(policy)
    year, today = plan.year, reader.today

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

    # one parser per column of _ROSTER_FIELDS
    # (ID numbers are all different in a good file, but a bad one repeats its empty or damaged
    # ones a million times: remembered like the rest)
    parsers = (
        _Column(lambda cell: parse_id_cell(cell, today=today)),
        _Column(clean_name), _Column(clean_text), _Column(clean_text), _Column(clean_name),
        _Column(lambda cell: parse_code(cell, Field.HOUSEHOLD_NUMBER)), _Column(head_id_of),
        _Column(parse_phone), _Column(clean_text), _Column(lambda cell: parse_date(cell, Field.BIRTH_DATE)),
        _Column(categories_of), _Column(lambda cell: _STATUS_BY_NAME.get(clean_text(cell))),
        _Column(clean_text), _Column(lambda cell: parse_amount_fen(cell, Field.AMOUNT_PAID)),
        _Column(lambda cell: parse_date(cell, Field.PAYMENT_DATE)), _Column(clean_text),
    )
    new, updated, warnings, rejected = plan.new, plan.updated, plan.warnings, plan.rejected
    seen: dict[str, tuple[str, int]] = {}  # ID number → (sheet, row) of its first row
    current_head: dict[str, tuple[str, str]] = {}  # sheet → (household number, head name) of the last 户主

    def warn(field: Field, reason: str, number: str) -> None:
        """A warning on the row being decided (the loop's variables, read when called)."""
        warnings.append(reader.issue_at(rows, row_number, raw, field, reason, number))

    for rows, records in groupby(reader.records(), key=itemgetter(0)):
        columns_of = _columns(rows, _ROSTER_FIELDS)
        sheet, sheet_village = rows.sheet.name, rows.sheet_village or ""
        while chunk := list(islice(records, _CHUNK_ROWS)):
            cells = columns_of(list(map(itemgetter(2), chunk)))
            columns = [parse(column) for parse, column in zip(parsers, cells)]
            for ((_rows, row_number, raw), parsed, name, relation, village, head_name, household, head_id,
                 phone, sex_text, birth, (codes, unknown), recorded, remark, paid_fen, paid_on,
                 address) in zip(chunk, *columns):
                try:
                    if type(parsed) is _Failed:
                        raise _Reject(Field.ID_NUMBER, parsed.error.reason)
                    number = parsed.number
                    if parsed.converted_from_15:
                        warn(Field.ID_NUMBER, id_warning(parsed) or "", number)
                    first = seen.get(number)
                    if first is not None:
                        raise _Reject(Field.ID_NUMBER, f"身份证号与{first[0]} 第{first[1]}行重复，只导入第一次出现的那一行")
                    seen[number] = (sheet, row_number)
                    existing = known.get(number)
                    if not name:
                        raise _Reject(Field.NAME, "姓名为空")
                    village = village or sheet_village
                    if not village and existing is not None:
                        village = existing[5]
                    if not village:
                        raise _Reject(Field.VILLAGE, "没有填村(社区)：请加一列“村(社区)”，或每个村一张工作表、以村名命名")

                    # 户编号; else the head's ID number (a household keyed by its head); else the rows' order
                    if type(household) is _Failed:
                        raise _Reject(Field.HOUSEHOLD_NUMBER, household.error.reason)
                    if not household:
                        if type(head_id) is _Failed:
                            raise _Reject(Field.HEAD_ID_NUMBER, "户主" + head_id.error.reason)
                        if head_id:
                            household = head_id
                        elif relation == "户主":
                            household = number
                        elif existing is not None:
                            household = existing[3]
                        else:
                            last = current_head.get(sheet)
                            if last is None:
                                raise _Reject(Field.HOUSEHOLD_NUMBER,
                                              "无法确定属于哪一户：表中没有户编号或户主身份证号，这一行前面也没有户主")
                            household = last[0]
                    # keyed by a head's ID: the household's own number, when the ledger knows it
                    if existing is not None and existing[8] is not None and (
                            household == existing[8] or head_id_key(household) == existing[8]):
                        household = existing[3]
                    elif len(household) == 18 and (head := known.get(household.upper())) is not None and (
                            head[8] == household.upper() or head[4] == "户主"):
                        household = head[3]  # the household that person heads in the ledger
                    if relation == "户主":
                        head_name = name
                        current_head[sheet] = (household, name)
                    elif not head_name:
                        last = current_head.get(sheet)
                        head_name = last[1] if last and last[0] == household else (existing[6] if existing else "")

                    if type(phone) is _Failed:
                        warn(Field.PHONE, phone.error.reason + "（电话未导入，其余照常导入）", number)
                        phone = ""
                    phone = phone or ""
                    # sex and birth date are read from the ID number; a column that disagrees is told
                    if sex_text in _SEX_BY_NAME and _SEX_BY_NAME[sex_text] != parsed.sex:
                        warn(Field.SEX, f"性别“{sex_text}”与身份证号不符，以身份证号为准", number)
                    if birth is not None and type(birth) is not _Failed and birth != parsed.birth_date:
                        warn(Field.BIRTH_DATE, f"出生日期{birth}与身份证号不符，以身份证号为准", number)
                    for text in unknown:
                        warn(Field.CATEGORY, f"资助类别“{text}”不认识（不在{year}年度政策里），未登记", number)
                    if paid_fen is None:
                        paid_on = None
                    else:
                        for failed in (paid_fen, paid_on):
                            if type(failed) is _Failed:
                                raise _Reject(failed.error.field, failed.error.reason)
                        if paid_fen and paid_on is None:
                            raise _Reject(Field.PAYMENT_DATE, "有已缴金额但没有缴费日期")
                except _Reject as exc:
                    rejected.append(reader.issue_at(rows, row_number, raw, exc.field, exc.reason))
                    continue
                person = PersonRow(
                    number, name, parsed.sex, parsed.birth_date, relation, phone, village, household,
                    head_name, address, codes, recorded, remark if recorded else "", paid_fen or None, paid_on,
                )
                if existing is None:
                    new.append(person)
                    continue
                pid = existing[0]
                person.person_id = pid
                if not phone:
                    person.phone = phone = existing[2]
                if not relation:
                    person.relation = relation = existing[4]
                before = (existing[1], existing[2], existing[3], existing[4], existing[5])
                after = (name, phone, household, relation, village)
                if before != after:
                    person.changes = {k: (b, a) for k, b, a in zip(_COMPARED, before, after) if b != a}
                status, has_payment = enrolled.get(pid, (None, False))
                extra = (
                    set(codes) - held.get(pid, set())
                    or (recorded and recorded != status)
                    or (paid_fen and not has_payment)
                )
                if person.changes or extra:
                    updated.append(person)
                else:
                    plan.unchanged += 1


_COMPARED = ("name", "phone", "household_number", "relation", "village")


# ----------------------------------------------------------------------------- categories


def _plan_categories(reader: _Reader, policy: Policy, category: str | None) -> None:
    plan = reader.plan
    resolve = category_resolver(policy)
    whole_file = None
    if category:
        whole_file = resolve(category)
        if whole_file is None:
            from desktop_app.services.ledger import ServiceError

            names = "、".join(rule.name for rule in policy.categories.values())
            raise ServiceError(f"“{category}”不是{plan.year}年度政策里的资助类别（有：{names}）")
    known = _ledger_persons()
    held = _held_categories(plan.year)
    seen: dict[str, str] = {}
    listed: set[tuple[int, str]] = set()
    codes_in_file: set[str] = set()
    for row in reader.rows():
        try:
            number = _id_of(reader, row, seen).number
            codes = _row_categories(row, resolve, whole_file, plan.year)
            identified = parse_date(row.get(Field.IDENTIFIED_DATE, None), Field.IDENTIFIED_DATE)
        except (_Reject, CellError) as exc:  # both name the field and the reason
            reader.reject(row, exc.field, exc.reason)
            continue
        codes_in_file.update(codes)
        person = known.get(number)
        if person is None:
            plan.unmatched.append(reader.issue(row, Field.ID_NUMBER, "台账里没有这个人（请先导入花名册或新增此人）", number))
            continue
        name = clean_name(row.get(Field.NAME))
        if name and name != person[1]:
            reader.warn(row, Field.NAME, f"姓名“{name}”与台账里的“{person[1]}”不一致，按身份证号登记", number)
        for code in codes:
            listed.add((person[0], code))
        new_codes = tuple(c for c in codes if c not in held.get(person[0], set()))
        entry = CategoryRow(person[0], number, person[1], codes, identified, new_codes)
        if new_codes:
            plan.new.append(entry)
        else:
            plan.unchanged += 1
    if plan.full_list:
        names = {pid: (number, name) for number, (pid, name, *_rest) in known.items()}
        for person_id, codes in held.items():
            for code in sorted(codes & codes_in_file):
                if (person_id, code) not in listed:
                    number, name = names.get(person_id, ("", ""))
                    plan.ended.append(EndedCategory(person_id, number, name, code))


def _row_categories(row: DataRow, resolve: Callable[[str], str | None], whole_file: str | None, year: int) -> tuple[str, ...]:
    texts = split_multi(row.get(Field.CATEGORY))
    if not texts:
        if whole_file is None:
            raise _Reject(Field.CATEGORY, "没有资助类别：请在表中加“人员类别”列，或导入时指明整个文件是哪一类")
        return (whole_file,)
    codes: list[str] = []
    for text in texts:
        code = resolve(text)
        if code is None:
            raise _Reject(Field.CATEGORY, f"资助类别“{text}”不认识（不在{year}年度政策里）")
        if code not in codes:
            codes.append(code)
    return tuple(codes)


def _held_categories(year: int) -> dict[int, set[str]]:
    held: dict[int, set[str]] = {}
    for person_id, code in db.execute_sql(
        "SELECT person_id, category FROM category_membership WHERE year = ? AND ended_on IS NULL", (year,)
    ):
        held.setdefault(person_id, set()).add(code)
    return held


# ------------------------------------------------------------------------------- payments


def _plan_payments(reader: _Reader) -> None:
    plan = reader.plan
    known = _ledger_persons()
    enrolled = {
        pid: (standard, due, paid)
        for pid, standard, due, paid in db.execute_sql(
            "SELECT person_id, standard_fen, due_fen, paid_fen FROM enrollment WHERE year = ?", (plan.year,)
        )
    }
    vouchers = {
        (pid, voucher)
        for pid, voucher in db.execute_sql(
            "SELECT person_id, voucher FROM payment WHERE year = ? AND voucher != '' AND amount_fen > 0",
            (plan.year,),
        )
    }
    seen: dict[str, str] = {}
    for row in reader.rows():
        try:
            number = _id_of(reader, row, seen).number
            amount = parse_amount_fen(row.get(Field.AMOUNT_PAID, None), Field.AMOUNT_PAID)
            paid_on = parse_date(row.get(Field.PAYMENT_DATE, None), Field.PAYMENT_DATE)
        except (_Reject, CellError) as exc:  # both name the field and the reason
            reader.reject(row, exc.field, exc.reason)
            continue
        if not amount:
            reader.reject(row, Field.AMOUNT_PAID, "缴费金额为空或为0")
            continue
        person = known.get(number)
        if person is None or person[0] not in enrolled:
            why = "台账里没有这个人" if person is None else f"这个人没有{plan.year}年度的参保登记"
            plan.unmatched.append(reader.issue(row, Field.ID_NUMBER, why, number))
            continue
        person_id = person[0]
        standard, due, paid = enrolled[person_id]
        voucher = clean_text(row.get(Field.VOUCHER))
        if voucher and (person_id, voucher) in vouchers:
            plan.unchanged += 1  # the same feedback imported again: already recorded
            continue
        verdict = payment_verdict(amount, standard, due, paid)  # the desk's verdict too
        if verdict.refused:
            reader.reject(row, Field.AMOUNT_PAID, verdict.reason, number)
            continue
        if paid_on is None:
            paid_on = reader.today
            reader.warn(row, Field.PAYMENT_DATE, "没有缴费日期，按导入当天记录", number)
        if verdict.warned:
            reader.warn(row, Field.AMOUNT_PAID, verdict.reason, number)
        elif amount != due - paid:
            reader.warn(row, Field.AMOUNT_PAID,
                        f"缴费金额{format_yuan(amount)}元与应缴{format_yuan(due - paid)}元不一致", number)
        enrolled[person_id] = (standard, due, paid + amount)
        if voucher:
            vouchers.add((person_id, voucher))
        plan.new.append(
            PaymentRow(person_id, number, person[1], amount, paid_on,
                       clean_text(row.get(Field.PAYMENT_CHANNEL)), voucher)
        )


def plan_import(
    kind: ImportKind | str,
    path: Path,
    *,
    year: int,
    policy: Policy,
    category: str | None = None,
    full_list: bool = False,
    overrides: Overrides | None = None,
    progress: Progress | None = None,
    should_stop: ShouldStop | None = None,
) -> ImportPlan:
    """Read ``path`` and decide, row by row, what an import would do. Writes nothing."""
    # the name as stored and shown: a GBK name from a Windows stick cannot go into the ledger raw
    plan = ImportPlan(ImportKind(kind), Path(path), year, full_list=full_list,
                      source=shown(Path(path).name))
    if plan.kind is ImportKind.ROSTER:
        preload_pinyin()  # new persons get name initials when written
    with fewer_full_collections():  # the plan keeps every accepted row until it is written
        reader = _Reader(plan, progress, should_stop, overrides)
        if plan.kind is ImportKind.ROSTER:
            _plan_roster(reader, policy)
        elif plan.kind is ImportKind.CATEGORIES:
            _plan_categories(reader, policy, category)
        else:
            _plan_payments(reader)
    return plan
