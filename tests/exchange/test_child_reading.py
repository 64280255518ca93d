"""A big sheet's rows read in a child process (desktop_app/exchange/reading/child.py): the rows
the in-process read gives, a refusal in the child raised in the caller with the same code and
Chinese message, a child that dies refused as a damaged file, and a stopped read (an import
cancelled) stops the child."""

from __future__ import annotations

import gc
import math
import os
import signal
import threading
from pathlib import Path

import pytest

from desktop_app.exchange import read_tables
from desktop_app.exchange.reading import child, chunks, large
from desktop_app.exchange.reading.sheet import UnreadableFileError
from desktop_app.services import importing
from tests.exchange.test_chunked_reading import xlsxwriter_book
from tests.exchange.test_large_sheet_reading import pid
from tests.exchange.xch_builders import SheetSpec, build_xlsx
from tests.fuzz.corpus import sheet_xml, write_xlsx


def readers() -> set[int]:
    """The pids of this process's children reading a sheet."""
    found = set()
    for task in Path("/proc/self/task").iterdir():
        for number in (task / "children").read_text().split():
            try:
                command = Path(f"/proc/{number}/cmdline").read_bytes()
            except OSError:
                continue
            if b"reading.child import main" in command:
                found.add(int(number))
    return found


@pytest.fixture
def chunked(monkeypatch):
    """Every sheet read in chunks of seven rows, each pass in a child, one row a message."""
    monkeypatch.setattr(chunks, "CHUNK_ROWS", 7)
    monkeypatch.setattr(large, "CHUNKED_PART_BYTES", 0)
    monkeypatch.setattr(large, "IN_CHILD", True)
    monkeypatch.setattr(child, "BATCH_ROWS", 1)


def _outcome(read) -> object:
    try:
        return ("read", read())
    except UnreadableFileError as exc:
        return ("refused", exc.code, exc.message)


def test_rows_read_in_a_child_are_the_in_process_rows(tmp_path, chunked, monkeypatch) -> None:
    path = xlsxwriter_book(tmp_path / "b.xlsx", inline=False)
    sheet = read_tables(path)[0]
    rows = sheet.rows()
    first = next(rows)
    assert readers()  # the pass is read in a child
    in_child = [first, *rows]
    monkeypatch.setattr(large, "IN_CHILD", False)
    assert in_child == list(read_tables(path)[0].rows())
    assert len(in_child) == sheet.height
    assert sheet.head(5) == in_child[:5]
    assert not readers()


def _pumps() -> list:
    return [t for t in threading.enumerate() if t.name == child.PUMP_NAME]


def test_a_stopped_read_stops_the_child(tmp_path, chunked) -> None:
    path = xlsxwriter_book(tmp_path / "b.xlsx", inline=False)
    rows = read_tables(path)[0].rows()
    next(rows)
    assert readers() and _pumps()
    rows.close()
    assert not readers() and not _pumps()


def test_a_refusal_in_the_child_is_the_same_refusal(tmp_path, chunked, monkeypatch) -> None:
    """A cell calamine cannot read (a new Excel error value) passes the file's guard and is
    refused when its chunk is parsed: in the child, with the message the whole read gives."""
    body = '<row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="A2" t="e"><v>#SPILL!</v></c></row>'
    path = write_xlsx(tmp_path / "spill.xlsx", sheet_xml(body=body))
    in_child = _outcome(lambda: [list(s.rows()) for s in read_tables(path)])
    monkeypatch.setattr(large, "CHUNKED_PART_BYTES", math.inf)
    whole = _outcome(lambda: [list(s.rows()) for s in read_tables(path)])
    assert whole[0] == "refused" and "#SPILL!" in whole[2]
    assert in_child == whole


def test_a_child_that_dies_is_a_damaged_file(tmp_path, chunked) -> None:
    path = xlsxwriter_book(tmp_path / "b.xlsx", inline=False)
    rows = read_tables(path)[0].rows()
    next(rows)
    (reader,) = readers()
    os.kill(reader, signal.SIGKILL)
    with pytest.raises(UnreadableFileError) as refused:
        list(rows)
    assert refused.value.code == "damaged"
    assert not readers() and not _pumps()


def test_ctrl_c_is_the_callers_to_handle(tmp_path, chunked, monkeypatch) -> None:
    """Ctrl-C in a terminal reaches the child too: it reads on, and the caller (which gets its
    own KeyboardInterrupt, the command line's exit 130) stops it; the child ending first would
    have been taken for a damaged file."""
    path = xlsxwriter_book(tmp_path / "b.xlsx", inline=False)
    rows = read_tables(path)[0].rows()
    first = next(rows)
    (reader,) = readers()
    os.kill(reader, signal.SIGINT)
    read = [first, *rows]
    monkeypatch.setattr(large, "IN_CHILD", False)
    assert read == list(read_tables(path)[0].rows())


def test_a_child_that_cannot_start_leaves_the_read_in_process(tmp_path, chunked, monkeypatch) -> None:
    """A Python that cannot import the program (it ends before its first word) is no damaged
    file: the pass is read in process instead."""
    path = xlsxwriter_book(tmp_path / "b.xlsx", inline=False)
    monkeypatch.setattr(child, "_START", "import sys; sys.exit(3)")
    read = list(read_tables(path)[0].rows())
    monkeypatch.setattr(large, "IN_CHILD", False)
    assert read == list(read_tables(path)[0].rows())
    assert not readers() and not _pumps()


def test_a_cancelled_import_stops_the_child(ledger, tmp_path, chunked, monkeypatch) -> None:
    """Cancel (asked every 2,000 rows) ends the dry run; once the caller has handled it, no
    child is left reading."""
    monkeypatch.setattr(child, "BATCH_ROWS", 500)
    head = ["序号", "姓名", "公民身份号码", "户编号", "与户主关系"]
    rows = [[n, f"张{n}", pid(n), f"H{n:05d}", "户主"] for n in range(1, 4501)]
    path = build_xlsx(tmp_path / "花名册.xlsx", [SheetSpec("东山村", [head, *rows])])
    asked: list[int] = []

    def should_stop() -> bool:
        asked.append(len(readers()))
        return True

    try:
        importing.plan("roster", path, year=2025, should_stop=should_stop)
    except importing.ImportCancelled:
        pass
    else:
        pytest.fail("not cancelled")
    gc.collect()
    assert asked == [1]  # asked once, while the child read
    assert not readers() and not _pumps()


def test_a_frozen_program_starts_itself_as_the_child(tmp_path, chunked, monkeypatch) -> None:
    """In a frozen bundle ``sys.executable`` is the program (packaging/launcher.py), not Python:
    the child is the program started with FROZEN_FLAG, and its rows are the in-process rows."""
    import subprocess
    import sys

    launcher = Path(__file__).resolve().parents[2] / "packaging" / "launcher.py"
    program = tmp_path / "enrollment-ledger"
    program.write_text(f'#!/bin/sh\nexec "{sys.executable}" "{launcher}" "$@"\n', encoding="utf-8")
    program.chmod(0o755)
    started: list[list[str]] = []
    popen = subprocess.Popen

    def recorded(args, *a, **k):
        started.append(list(args))
        return popen(args, *a, **k)

    path = xlsxwriter_book(tmp_path / "b.xlsx", inline=False)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(program))
    monkeypatch.setattr(child.subprocess, "Popen", recorded)
    in_child = list(read_tables(path)[0].rows())
    assert started == [[str(program), child.FROZEN_FLAG]]
    monkeypatch.setattr(large, "IN_CHILD", False)
    in_process = list(read_tables(path)[0].rows())
    assert in_child == in_process and len(in_child) > 7  # more than one chunk
    assert not readers()


def test_the_childs_peak_memory_is_known_when_the_caller_stops_at_the_last_row(tmp_path, chunked) -> None:
    """An import stops taking rows at the sheet's last one (it knows the height) and closes the
    read before the child's "end": the peak the benchmark prints must come with the rows."""
    path = xlsxwriter_book(tmp_path / "b.xlsx", inline=False)
    sheet = read_tables(path)[0]
    child.peak_mb = 0.0
    rows = sheet.rows()
    for _ in range(sheet.height):
        next(rows)
    rows.close()
    assert child.peak_mb > 1  # MB: a Python with calamine loaded


def test_a_pump_that_fails_unforeseen_ends_the_read_instead_of_hanging(tmp_path, chunked, monkeypatch) -> None:
    """The thread taking the child's messages always hands on its last word: a failure it did not
    foresee (here in reading the pipe, after the child said it was ready) is the damaged-file
    refusal, not a caller waiting for ever."""
    path = xlsxwriter_book(tmp_path / "b.xlsx", inline=False)
    real, calls = child._read, []

    def failing(pipe):
        calls.append(1)
        if len(calls) > 3:  # ready, then a few batches of rows
            raise ValueError("unforeseen")
        return real(pipe)

    monkeypatch.setattr(child, "_read", failing)
    rows = read_tables(path)[0].rows()
    with pytest.raises(UnreadableFileError) as refused:
        for _ in rows:
            pass
    assert refused.value.code == "damaged"
    assert not readers() and not _pumps()
