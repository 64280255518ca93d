"""The dry run's accepted rows kept in a temporary file (importing.spool.RowSpool, issue 20): the
rows come back in order with their edits and without the removed ones, and the file, which
holds personal data, is private and goes when the spool is closed or dropped."""

from __future__ import annotations

import datetime as dt
import gc
import os
import stat

import pytest

from desktop_app.services.importing.roster import RosterRow
from desktop_app.services.importing.spool import RowSpool, SpoolClosed, fields


def _row(n: int) -> RosterRow:
    return RosterRow(f"4311991980010{n:05d}", f"张{n}", "M", dt.date(1980, 1, 1), "户主", "", "东山村",
                     f"H{n // 3:05d}", f"张{n}", "东山村1组", ("dibao",) if n % 5 == 0 else (),
                     changes={"name": ("李", f"张{n}")} if n % 7 == 0 else None)


@pytest.mark.parametrize("row_type", [None, RosterRow], ids=["rows", "columns"])
def test_rows_come_back_in_order_across_batches_with_edits_and_removals(tmp_path, row_type):
    rows = [_row(n) for n in range(23)]
    spool = RowSpool(batch_rows=5, folder=str(tmp_path), row_type=row_type)
    for row in rows:
        spool.append(row)
    assert spool.fileno() is not None, "four full batches went to the file"
    assert len(spool) == 23 and list(spool) == rows and spool == rows
    assert [spool[n] for n in (0, 4, 5, 22, -1)] == [rows[0], rows[4], rows[5], rows[22], rows[22]]
    with pytest.raises(IndexError):
        spool[23]

    fixed = {3: rows[3]._replace(village="西河村"), 11: rows[11]._replace(village="南岭村"),
             21: rows[21]._replace(village="北山村")}  # in a written batch and in the one in memory
    for index, row in fixed.items():
        spool[index] = row
        rows[index] = row
    assert list(spool) == rows and spool[11] == fixed[11]

    spool.remove({0, 7, 8, 20})
    expected = [row for n, row in enumerate(rows) if n not in {0, 7, 8, 20}]
    assert len(spool) == 19 and list(spool) == expected
    assert [spool[n] for n in range(len(spool))] == expected, "indexes count the rows that are left"
    spool[6] = expected[6] = expected[6]._replace(phone="13900000000")  # after removals: the row now 6th
    assert list(spool) == expected

    spool.append(_row(99))  # appending goes on after edits
    expected.append(_row(99))
    assert list(spool) == expected and spool.first(3) == expected[:3] and spool.first(100) == expected
    assert spool[:3] == expected[:3] and spool[4:9] == expected[4:9] and spool[18:] == expected[18:]
    with pytest.raises(TypeError):
        spool[-3:]  # read in order, from the front
    assert sum(len(batch) for batch in spool.batches()) == len(spool) == 20
    assert list(spool.fields("village", "id_number")) == [(r.village, r.id_number) for r in expected]
    assert list(spool.fields("phone")) == [(r.phone,) for r in expected]
    assert list(fields(expected, "phone", "changes")) == list(spool.fields("phone", "changes"))
    assert not RowSpool() and RowSpool() == [] and bool(spool)


def test_a_spool_of_one_batch_stays_in_memory(tmp_path):
    spool = RowSpool([_row(n) for n in range(5)], batch_rows=5 + 1, folder=str(tmp_path))
    assert spool.fileno() is None and len(spool) == 5
    spool[2] = _row(50)
    spool.remove([0])
    assert list(spool) == [_row(1), _row(50), _row(3), _row(4)]


def test_the_file_is_private_has_no_name_and_goes_when_closed(tmp_path):
    spool = RowSpool([_row(n) for n in range(10)], batch_rows=3, folder=str(tmp_path))
    fd = spool.fileno()
    assert fd is not None
    info = os.fstat(fd)
    assert stat.S_IMODE(info.st_mode) == 0o600, "personal data: readable by its owner only"
    if os.name == "posix":
        assert info.st_nlink == 0 and list(tmp_path.iterdir()) == [], "no name a crash could leave behind"
    assert info.st_size > 0
    spool.close()
    with pytest.raises(OSError):
        os.fstat(fd)
    assert len(spool) == 10, "a result still tells how many"
    with pytest.raises(SpoolClosed):
        list(spool)
    with pytest.raises(SpoolClosed):
        spool.append(_row(1))
    spool.close()  # twice is harmless


def test_the_file_goes_when_the_spool_is_dropped(tmp_path):
    spool = RowSpool([_row(n) for n in range(10)], batch_rows=3, folder=str(tmp_path))
    fd = spool.fileno()
    os.fstat(fd)
    del spool
    gc.collect()
    with pytest.raises(OSError):
        os.fstat(fd)


def test_closing_a_spool_that_never_left_memory_keeps_its_rows():
    spool = RowSpool([_row(1), _row(2)], batch_rows=10)
    spool.close()  # nothing on disk to delete: a result page may still show them
    assert list(spool) == [_row(1), _row(2)] and not spool.closed


def test_a_spool_of_one_row_type_refuses_another():
    spool = RowSpool(row_type=RosterRow)
    with pytest.raises(TypeError):
        spool.append(tuple(_row(1)))  # its columns would not line up with the rows'


@pytest.mark.parametrize("row_type", [None, RosterRow], ids=["rows", "columns"])
@pytest.mark.parametrize("walk", ["batches", "iter", "fields"])
def test_rows_appended_while_the_last_batch_is_out_are_seen(tmp_path, row_type, walk):
    """Rows appended while the batch still in memory is being handed out (and filling it, so it goes
    to the file) come when their turn comes: none is skipped at the batch boundary."""
    rows = [_row(n) for n in range(12)]
    spool = RowSpool(rows[:2], batch_rows=4, folder=str(tmp_path), row_type=row_type)
    seen: list = []
    if walk == "batches":
        walk_rows = (row for batch in spool.batches() for row in batch)
    elif walk == "iter":
        walk_rows = iter(spool)
    else:
        walk_rows = (r for (r,) in spool.fields("id_number"))
    for got in walk_rows:
        seen.append(got)
        if len(seen) == 1:
            spool.extend(rows[2:5])  # fills the batch in memory: it is spilled to the file
        elif len(seen) == 5:
            spool.extend(rows[5:12])
    wanted = rows if walk != "fields" else [r.id_number for r in rows]
    assert seen == wanted
