"""What a roster's dry run holds while it reads: the rows it has checked, never every row's raw
cells as well. Keeping each accepted row's cells for the one-village-per-household check grew a
100,000-row import by 328 MB instead of 200 (issue 20): memory that grew with the file on top of
the plan. Measured with tracemalloc as what the dry run held while reading that is gone once it ends:
with every row's cells kept it grows with the file's length; read in chunks it stays one chunk."""

from __future__ import annotations

import datetime as dt
import tracemalloc
from pathlib import Path

from desktop_app.domain.idnumber import make_id_number
from desktop_app.services import importing
from desktop_app.services.importing import spool
from tests.exchange.xch_builders import SheetSpec, build_xlsx

HEAD = ["姓名", "公民身份号码", "户编号", "与户主关系", "村(社区)", "联系电话", "家庭住址", "备注",
        *(f"核对{n}" for n in range(6))]  # columns no import reads: a raw row holds them all the same


def _roster(path: Path, persons: int) -> Path:
    rows = []
    for n in range(persons):
        number = make_id_number("431199", dt.date(1950, 1, 1) + dt.timedelta(days=n % 20000), n // 20000 * 2 + 1)
        rows.append([f"张{n}", number, f"H{n // 4:06d}", "户主" if n % 4 == 0 else "子女", "东山村",
                     f"139{n:08d}", f"东山村{n // 4}号院子里面那一家", f"第{n}行的备注写得长一点",
                     *(f"第{n}行核对{k}" for k in range(6))])
    return build_xlsx(path, [SheetSpec("花名册", [HEAD, *rows])])


def _transient_bytes(path: Path) -> int:
    """What the dry run held while it walked the rows (traced at each progress report, the last
    one once every row is read) above what the finished plan still holds. Not the traced peak:
    reading the file asks for a buffer of the largest file allowed, which the system only lends."""
    currents: list[int] = []
    tracemalloc.start()
    try:
        plan = importing.plan("roster", path, year=2025,
                              progress=lambda done, total: currents.append(tracemalloc.get_traced_memory()[0]))
        held = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert plan.accepted > 0 and not plan.rejected
    return max(currents) - held


def test_the_dry_run_holds_no_raw_row_per_accepted_row(ledger, tmp_path):
    small = _transient_bytes(_roster(tmp_path / "small.xlsx", 5_000))
    large = _transient_bytes(_roster(tmp_path / "large.xlsx", 20_000))
    # the bookkeeping a row leaves until the end (its ID seen, its household's entry) is about
    # 650 bytes; its fourteen raw cells kept as well were about 900 more
    assert large - small < 15_000 * 1_000, (small, large)


def _same_days_roster(path: Path, persons: int) -> Path:
    """A roster whose persons are born on the same 1,500 days whatever its length (the ID parser
    remembers birth dates in a cache of its own, which is not the plan's)."""
    rows = []
    for n in range(persons):
        number = make_id_number("431199", dt.date(1950, 1, 1) + dt.timedelta(days=n % 1500), n // 1500 * 2 + 1)
        rows.append([f"张{n}", number, f"H{n // 4:06d}", "户主" if n % 4 == 0 else "子女", "东山村",
                     f"139{n:08d}", f"东山村{n // 4}号", "", *("" for _k in range(6))])
    return build_xlsx(path, [SheetSpec("花名册", [HEAD, *rows])])


def _held_by_the_plan(path: Path) -> int:
    """What the finished dry run's plan holds (traced memory with the plan alive, above before)."""
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        plan = importing.plan("roster", path, year=2025)
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert plan.accepted > 0 and not plan.rejected
    return held


def test_the_plan_keeps_its_accepted_rows_on_disk_not_in_memory(ledger, tmp_path, monkeypatch):
    # issue 20: 1,000,000 accepted rows held as RosterRows took more than the whole bound (500 MB);
    # spooled, a plan holds one batch of them (made small here) and where each batch is
    monkeypatch.setattr(spool, "BATCH_ROWS", 256)
    _held_by_the_plan(_same_days_roster(tmp_path / "first.xlsx", 3_000))  # what a first plan loads once
    small = _held_by_the_plan(_same_days_roster(tmp_path / "small.xlsx", 3_000))
    large = _held_by_the_plan(_same_days_roster(tmp_path / "large.xlsx", 12_000))
    # held as rows, each accepted row was some 450 bytes (4 MB more here); spooled, a few bytes
    assert large - small < 9_000 * 100, (small, large)
