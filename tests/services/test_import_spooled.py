"""A roster whose accepted rows fill many spool batches (importing.spool, issue 20: the dry run
keeps them in a temporary file, apply reads them back a batch at a time) plans and writes exactly
what the same roster held in memory does: new, updated and unchanged persons, a household whose
rows name different villages (a new row fixed, an unchanged one moved, an updated one settled),
categories, payments and a duplicate, on both engines."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from desktop_app.domain.idnumber import make_id_number
from desktop_app.services import charges, importing
from desktop_app.services.importing import roster, spool
from desktop_app.services.policy_load import load_policy
from desktop_app.store import dialect
from desktop_app.store.models import Household, db
from tests.exchange.xch_builders import SheetSpec, build_xlsx

POLICIES = Path(__file__).resolve().parents[2] / "resources" / "policies"
HEAD = ["姓名", "公民身份号码", "户编号", "与户主关系", "村(社区)", "联系电话", "人员类别", "已缴金额", "缴费日期"]
TABLES = ("region", "household", "person", "category_membership", "enrollment", "payment", "audit_entry")
#: not compared: when a row was written, and what follows from it; ids, which a PostgreSQL
#: sequence moves on after a rollback (the rows are compared in id order all the same)
SKIPPED = {"id", "at", "created_at", "updated_at", "loaded_at", "prev_hash", "entry_hash"}


def pid(n: int) -> str:
    return make_id_number("431199", dt.date(1950, 1, 1) + dt.timedelta(days=n * 37), 11 + n % 7)


def row(n: int, household: str, relation: str, village: str, *, name: str = "", phone: str = "",
        category: str = "", paid: str = "") -> list:
    return [name or f"村民{n}", pid(n), household, relation, village, phone, category,
            paid, "2024-10-08" if paid else ""]


def home(n: int) -> str:
    """A known person's village (all three are in the ledger before the roster that is compared:
    on PostgreSQL a village made in a rolled-back import leaves its id taken)."""
    return {7: "西河村", 9: "南岭村"}.get(n // 3, "东山村")


def first_roster(path: Path) -> Path:
    rows = [row(n, f"K{n // 3}", "户主" if n % 3 == 0 else "子女", home(n)) for n in range(30)]
    return build_xlsx(path, [SheetSpec("花名册", [HEAD, *rows])])


def second_roster(path: Path) -> Path:
    rows = []
    for n in range(3, 30):  # the known persons again: most unchanged, some changed or bringing more
        household, relation = f"K{n // 3}", "户主" if n % 3 == 0 else "子女"
        if n // 3 == 4:
            continue  # K4 comes below, with a new head in another village
        if n % 5 == 0:
            rows.append(row(n, household, relation, home(n), name=f"改名{n}"))
        elif n % 7 == 0:
            rows.append(row(n, household, relation, home(n), category="低保", paid="200"))
        elif n == 26:
            rows.append(row(n, household, relation, "西河村"))  # its head (24, unchanged) stays in 东山村
        else:
            rows.append(row(n, household, relation, home(n)))
    rows.append(row(100, "K4", "户主", "西河村"))  # a new head in another village: the household moves
    rows += [row(n, "K4", "子女", "东山村") for n in (13, 14)]  # unchanged rows that move with it
    for n in range(200, 260):  # new persons, in households of four, one naming two villages
        village = "南岭村" if n == 243 else ("东山村" if n < 230 else "西河村")
        rows.append(row(n, f"N{(n - 200) // 4}", "户主" if n % 4 == 0 else "子女", village,
                        phone=f"139{n:08d}" if n % 3 else "", category="特困" if n % 9 == 0 else "",
                        paid="400" if n % 2 else ""))
    rows.append(row(205, "N9", "子女", "东山村"))  # a duplicate: refused
    return build_xlsx(path, [SheetSpec("花名册", [HEAD, *rows])])


def plan_as_read(plan) -> tuple:
    return (list(plan.new), list(plan.updated), plan.unchanged, [str(w) for w in plan.warnings],
            [str(r) for r in plan.rejected])


def ledger_now() -> dict[str, list[tuple]]:
    if dialect.is_postgres():
        db.write_deferred()  # the audit entries kept for the commit (store/before_commit.py)
    found = {}
    for table in TABLES:
        cursor = db.execute_sql(f'SELECT * FROM "{table}" ORDER BY id')
        names = [d[0] for d in cursor.description]
        keep = [n for n, name in enumerate(names) if name not in SKIPPED]
        found[table] = [tuple(values[n] for n in keep) for values in cursor.fetchall()]
    return found


def test_a_roster_spooled_in_many_batches_plans_and_writes_what_one_in_memory_does(ledger, tmp_path, monkeypatch):
    load_policy(POLICIES / "2025.toml")
    importing.apply(importing.plan("roster", first_roster(tmp_path / "r1.xlsx"), year=2025))
    path = second_roster(tmp_path / "r2.xlsx")
    in_memory = importing.plan("roster", path, year=2025)
    assert in_memory.new.fileno() is None, "one batch: nothing on disk"
    monkeypatch.setattr(spool, "BATCH_ROWS", 4)
    spooled = importing.plan("roster", path, year=2025)
    assert spooled.new.fileno() is not None and spooled.updated.fileno() is not None
    read = plan_as_read(spooled)
    assert read == plan_as_read(in_memory)
    new, updated, unchanged, warnings, rejected = read
    # what the file holds, so that the comparison means something
    assert len(new) == 61 and len(rejected) == 1
    assert {p.village for p in new if p.household_number == "N10"} == {"西河村"}
    assert {p.id_number for p in updated if p.changes and "village" in p.changes} == {pid(13), pid(14)}
    assert pid(26) not in {p.id_number for p in updated}, "kept in its head's village: nothing to change"
    assert any(p.paid_fen for p in updated) and any(p.categories for p in updated) and unchanged > 5
    assert sum("村不一致" in w for w in warnings) == 6  # K4: 13, 14; K8: 26; N7: 230, 231; N10: 243

    with db.atomic() as transaction:  # what the plan in memory writes, then undone
        importing.apply(in_memory)
        expected = ledger_now()
        transaction.rollback()
    importing.apply(spooled)
    assert ledger_now() == expected
    assert spooled.new.closed and len(spooled.new) == 61, "written: the file is gone, the counts stay"
    assert charges.verify() == []


@pytest.mark.sqlite_only  # the trace hook
def test_the_file_the_dry_run_spooled_to_is_read_once_per_table_not_kept_in_memory(ledger, tmp_path, monkeypatch):
    monkeypatch.setattr(spool, "BATCH_ROWS", 4)
    load_policy(POLICIES / "2025.toml")
    plan = importing.plan("roster", second_roster(tmp_path / "r2.xlsx"), year=2025)
    assert plan.new.fileno() is not None
    importing.apply(plan)
    assert db.execute_sql("SELECT COUNT(*) FROM person").fetchone()[0] == len(plan.new)
    with pytest.raises(spool.SpoolClosed):
        list(plan.new)


HEAD_A, HEAD_B = pid(300), pid(301)
HEAD_ID_FILE = ["姓名", "公民身份号码", "户主身份证号", "与户主关系", "村(社区)"]
ORDER_FILE = ["姓名", "公民身份号码", "与户主关系", "村(社区)"]


def test_the_ledger_is_read_a_chunk_at_a_time_and_a_roster_checked_row_by_row_plans_the_same(
        ledger, tmp_path, monkeypatch):
    """The ledger's persons are looked up for each chunk of rows (importing.common.LedgerFacts):
    with one row to a chunk, a row whose household is named by a head in another chunk, or
    only in the ledger, or by the rows' order, is matched as when the whole file is one chunk."""
    load_policy(POLICIES / "2025.toml")
    importing.apply(importing.plan("roster", first_roster(tmp_path / "r1.xlsx"), year=2025))
    importing.apply(importing.plan("roster", build_xlsx(tmp_path / "heads.xlsx", [SheetSpec("东山村", [
        HEAD_ID_FILE, ["王五", HEAD_A, HEAD_A, "户主", "东山村"], ["王小五", pid(302), HEAD_A, "子", "东山村"],
        ["赵六", HEAD_B, HEAD_B, "户主", "西河村"]])]), year=2025))
    files = [
        second_roster(tmp_path / "r2.xlsx"),
        build_xlsx(tmp_path / "by-head.xlsx", [SheetSpec("东山村", [
            HEAD_ID_FILE, ["王小小", pid(303), HEAD_A, "孙子", "东山村"],  # its head only in the ledger
            ["王五", HEAD_A, HEAD_A, "户主", "东山村"], ["王小五", pid(302), HEAD_A, "子", "南岭村"],
            ["赵小六", pid(304), HEAD_B, "女", "西河村"]])]),  # its head only in the ledger, with another chunk between
        build_xlsx(tmp_path / "by-order.xlsx", [SheetSpec("西河村", [
            ORDER_FILE, ["赵六", HEAD_B, "户主", "西河村"], ["赵小七", pid(305), "子", "西河村"],
            ["村民22", pid(22), "户主", "西河村"], ["村民23", pid(23), "子女", "东山村"]])]),
    ]
    whole = [plan_as_read(importing.plan("roster", path, year=2025)) for path in files]
    monkeypatch.setattr(roster, "CHUNK_ROWS", 1)
    assert [plan_as_read(importing.plan("roster", path, year=2025)) for path in files] == whole
    assert [p.household_number for p in whole[1][0]] == [Household.get(Household.head_id_number == HEAD_A).number,
                                                       Household.get(Household.head_id_number == HEAD_B).number]
