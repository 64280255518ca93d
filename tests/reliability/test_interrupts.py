"""Ctrl-C, SIGTERM and a kill in the middle of a command leave nothing behind and say so truthfully.

Each test runs the real command line (``desktop_app.cli.main.main``) in a child process. To stop
it mid-way and not at a lucky moment, the child holds the work at one point (after 2,000 cells
of an export, at the audit entry inside an import's transaction, before an encrypted backup
encrypts its plaintext copy), says MID, and waits; only then is the signal sent. Then: exit status
130 / 143, one line on stderr without a traceback, the ledger row for row as before, and no file
left in the scratch folder, in ``$TMPDIR`` or beside the target. A SIGKILL leaves its files in
the scratch folder only, and the next start of the program removes them.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from desktop_app import scratch
from desktop_app.cli.main import main
from desktop_app.places import scratch_root
from desktop_app.resources import resource
from desktop_app.store.paths import DATA_DIR_ENV
from tests.reliability.helpers import dump_file

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX signals")

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "中断测试密码2025"

#: The child: hold the work at one point (argv[1]), say MID, wait; then run the real CLI.
CHILD = textwrap.dedent(
    """
    import sys, time

    def hold():
        print("MID", flush=True)
        time.sleep(120)

    point, argv = sys.argv[1], sys.argv[2:]
    if point == "cells":
        import xlsxwriter.worksheet
        write_string = xlsxwriter.worksheet.Worksheet.write_string
        calls = [0]
        def counting(self, *args, **kwargs):
            calls[0] += 1
            if calls[0] == 2000:
                hold()
            return write_string(self, *args, **kwargs)
        xlsxwriter.worksheet.Worksheet.write_string = counting
    elif point == "audit":
        from desktop_app.services import audit
        record = audit.record
        def holding(*args, **kwargs):
            record(*args, **kwargs)
            hold()
        audit.record = holding
    elif point == "committed":
        from desktop_app.services import importing
        summary_line = importing.ImportPlan.summary_line
        def holding(self):
            hold()
            return summary_line(self)
        importing.ImportPlan.summary_line = holding
    elif point == "encrypt":
        from desktop_app.services import backup
        encrypt = backup.encrypt_file
        def holding(*args, **kwargs):
            hold()
            return encrypt(*args, **kwargs)
        backup.encrypt_file = holding
    elif point == "window":
        from PySide6.QtCore import QTimer
        from desktop_app.ui import app
        def logged_in(path, parent=None):
            QTimer.singleShot(0, hold_in_window)
            return path
        def hold_in_window():
            print("MID", flush=True)  # the window is shown and its event loop runs
        app.start_screen = logged_in
    from desktop_app.cli.main import main
    sys.exit(main(argv))
    """
)


@pytest.fixture
def place(tmp_path: Path) -> dict[str, Path]:
    """A data folder, a $TMPDIR and an output folder of their own, all empty."""
    folders = {name: tmp_path / name for name in ("data", "tmpdir", "out")}
    for folder in folders.values():
        folder.mkdir()
    return folders


@pytest.fixture
def roster_ledger(tmp_path: Path) -> Path:
    path = tmp_path / "roster.sqlite"
    assert main(["--db", str(path), "demo", "--persons", "3000"]) == 0
    return path


def start(point: str, place: dict[str, Path], *argv: str) -> subprocess.Popen:
    env = {**os.environ, DATA_DIR_ENV: str(place["data"]), "TMPDIR": str(place["tmpdir"]),
           "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen",
           "ENROLLMENT_LEDGER_BACKUP_PASSWORD": PASSWORD}
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, point, *argv], cwd=ROOT, env=env, text=True,
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    line = child.stdout.readline()
    if line.strip() != "MID":
        child.kill()
        out, err = child.communicate()
        pytest.fail(f"the child never got mid-way: {line!r}{out}{err}")
    return child


def finish(child: subprocess.Popen) -> tuple[int, str]:
    _out, err = child.communicate(timeout=120)
    return child.returncode, err


def left_in(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*")) if folder.exists() else []


def assert_nothing_left(place: dict[str, Path]) -> None:
    assert left_in(place["data"] / "tmp") == [], "the scratch folder keeps files"
    assert left_in(place["tmpdir"]) == [], "$TMPDIR keeps files"
    assert left_in(place["out"]) == [], "something was left beside the target"


def assert_one_line(err: str, text: str = "已中断，台账没有改动") -> None:
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and text in lines[0], err


@pytest.mark.parametrize("signum, status", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_an_interrupted_export_leaves_no_file_anywhere(roster_ledger, place, signum, status):
    before = dump_file(roster_ledger)
    child = start("cells", place, "--db", str(roster_ledger), "export", "roster",
                  str(place["out"] / "台账.xlsx"))
    assert left_in(place["data"] / "tmp"), "mid-way, the row files are in the scratch folder"
    child.send_signal(signum)
    code, err = finish(child)
    assert code == status
    assert_one_line(err, "export: 已中断，台账没有改动")
    assert_nothing_left(place)
    assert dump_file(roster_ledger) == before
    assert not Path(f"{roster_ledger}.lock").exists()


@pytest.mark.parametrize("signum, status", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_an_interrupted_import_rolls_back(roster_ledger, tmp_path, place, signum, status):
    roster = tmp_path / "花名册.xlsx"
    assert main(["--db", str(roster_ledger), "export", "roster", str(roster)]) == 0
    target = tmp_path / "new.sqlite"
    assert main(["--db", str(target), "init", "--township", "青山镇"]) == 0
    assert main(["--db", str(target), "policy", "load", str(resource("policies", "2025.toml"))]) == 0
    before = dump_file(target)
    child = start("audit", place, "--db", str(target), "import", "roster", str(roster),
                  "--year", "2025", "--errors", str(place["out"] / "未导入.xlsx"))
    child.send_signal(signum)
    code, err = finish(child)
    assert code == status
    assert_one_line(err, "import: 已中断，台账没有改动")
    assert dump_file(target) == before  # the 3,000 persons written before the audit entry: gone
    assert_nothing_left(place)


def test_an_interrupt_after_the_commit_says_the_ledger_changed(roster_ledger, tmp_path, place):
    roster = tmp_path / "花名册.xlsx"
    assert main(["--db", str(roster_ledger), "export", "roster", str(roster)]) == 0
    target = tmp_path / "new.sqlite"
    assert main(["--db", str(target), "init"]) == 0
    assert main(["--db", str(target), "policy", "load", str(resource("policies", "2025.toml"))]) == 0
    child = start("committed", place, "--db", str(target), "import", "roster", str(roster),
                  "--year", "2025")  # held after the import committed, before its summary line
    child.send_signal(signal.SIGINT)
    code, err = finish(child)
    assert code == 130
    assert_one_line(err, "import: 已中断；中断前已做完的改动已经保存在台账里")
    assert len(dump_file(target)["person"]) == 3000
    assert_nothing_left(place)


def test_an_interrupted_encrypted_backup_leaves_no_plaintext(roster_ledger, place):
    child = start("encrypt", place, "--db", str(roster_ledger), "backup",
                  "--to", str(place["out"]), "--password")
    [plain] = [p for p in (place["data"] / "tmp").rglob("*") if p.is_file()]
    assert plain.read_bytes().startswith(b"SQLite format 3")  # the whole ledger, in the clear
    child.send_signal(signal.SIGTERM)
    code, err = finish(child)
    assert code == 143
    assert_one_line(err, "backup: 已中断，台账没有改动")
    assert_nothing_left(place)
    assert left_in(place["data"] / "backups") == []  # where the plaintext copy used to stay


def test_a_killed_export_and_backup_leave_files_only_where_the_next_start_sweeps(
    roster_ledger, place
):
    export = start("cells", place, "--db", str(roster_ledger), "export", "roster",
                   str(place["out"] / "台账.xlsx"))
    backup = start("encrypt", place, "--db", str(roster_ledger), "backup",
                   "--to", str(place["out"]), "--password")
    for child in (export, backup):
        child.kill()
        finish(child)
    assert left_in(place["tmpdir"]) == [] and left_in(place["out"]) == []
    leftovers = [p for p in (place["data"] / "tmp").rglob("*") if p.is_file()]
    assert len(leftovers) >= 2  # row files, the plaintext copy: owner-only, in the data folder
    assert (place["data"] / "tmp").stat().st_mode & 0o077 == 0
    env = {**os.environ, DATA_DIR_ENV: str(place["data"])}
    run = subprocess.run([sys.executable, "-m", "desktop_app", "--db", str(roster_ledger), "check"],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert left_in(place["data"] / "tmp") == []


def test_sigterm_closes_the_window_cleanly(roster_ledger, place):
    child = start("window", place, "--db", str(roster_ledger))
    lock = Path(f"{roster_ledger}.lock")
    assert lock.exists()
    child.send_signal(signal.SIGTERM)
    code, err = finish(child)
    assert code == 143
    assert "Traceback" not in err
    assert not lock.exists(), "the ledger was not closed: its lock file is still there"
    assert not Path(f"{roster_ledger}-wal").exists()


# --------------------------------------------------------------- the scratch folder itself


def _dead_pid() -> int:
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    return gone.pid


def test_the_sweep_removes_what_dead_processes_left_and_keeps_the_living(tmp_path):
    root = scratch_root()
    tag = scratch._host_tag()
    dead = root / f"{_dead_pid()}@{tag}"
    dead.mkdir(parents=True)
    (dead / "tmpabc123").write_bytes(b"110101199001011234")
    beside = tmp_path / "stick"
    beside.mkdir()
    partial = beside / f".台账.xlsx.{_dead_pid()}-abcd{scratch.PARTIAL_SUFFIX}"
    partial.write_bytes(b"half a workbook")
    (dead / "place-abcd.target").write_bytes(os.fsencode(partial))
    (beside / "台账.xlsx").write_bytes(b"an older export the user keeps")
    alive = root / f"{os.getppid()}@{tag}"  # pytest's parent: a live process
    alive.mkdir()
    (alive / "in-use").write_bytes(b"x")
    mine = scratch.process_dir()
    (mine / "in-use").write_bytes(b"x")

    removed = scratch.sweep()

    assert removed == [dead]
    assert not dead.exists() and not partial.exists()
    assert (beside / "台账.xlsx").exists() and (alive / "in-use").exists() and (mine / "in-use").exists()
    old = os.path.getmtime(alive) - scratch.MAX_AGE_SECONDS - 60
    for path in (alive / "in-use", alive):
        os.utime(path, (old, old))
    assert scratch.sweep() == [alive]  # untouched for a day: gone even though the pid lives


@pytest.mark.skipif(not Path("/dev/shm").is_dir(), reason="needs a second file system")
def test_an_export_onto_another_file_system_arrives_whole(tmp_path):
    from desktop_app.exchange.writing import Column, write_xlsx

    stick = Path("/dev/shm") / f"ledger-test-{os.getpid()}-{tmp_path.name}"
    stick.mkdir()
    try:
        if os.stat(stick).st_dev == os.stat(scratch.process_dir()).st_dev:
            pytest.skip("/dev/shm is on the same file system here")
        target = stick / "台账.xlsx"
        write_xlsx(target, "台账", [Column("身份证号", "id")], [["110101199001011234"]] * 500)
        assert [p.name for p in stick.iterdir()] == ["台账.xlsx"]
        assert target.read_bytes().startswith(b"PK")
        assert left_in(scratch.process_dir()) == []
    finally:
        for path in stick.iterdir():
            path.unlink()
        stick.rmdir()
