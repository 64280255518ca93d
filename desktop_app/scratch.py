"""The scratch folder: the one place the program writes temporary files, swept at every start.

Temporary files hold the whole ledger (the plaintext copy an encrypted backup is made from) or
every ID number of an export (XlsxWriter's row files), so they never go to ``$TMPDIR`` or to a
USB stick. They go to ``<data folder>/tmp/`` (owner-only, 0700), in a folder per process named
``<pid>@<computer tag>``. A process removes its folder when it ends normally or is interrupted
(SIGINT, SIGTERM); a process that was killed outright leaves it behind, and the next start of
the program (command line or window) removes it: :func:`sweep` lists the scratch folder and
removes the folders of processes of this computer that no longer run, and anything untouched
for :data:`MAX_AGE_SECONDS` (a folder of another computer, when the data folder is shared).

Why not beside the target file? An export's target may be on a USB stick, where an unfinished
file full of ID numbers must not be left, and no sweep could find it there. So an export is
written completely in the scratch folder and then moved into place by :func:`place`: a rename
when both are on the same file system (atomic); otherwise a copy to a hidden partial file beside
the target, flushed and renamed. That partial file exists only for the seconds of the copy, and
the process notes it in its scratch folder first, so a sweep after a kill removes it too.
"""

from __future__ import annotations

import atexit
import errno
import hashlib
import os
import re
import secrets
import shutil
import stat
import time
from pathlib import Path

from desktop_app.places import scratch_root
from desktop_app.this_computer import host_name, pid_alive

#: Leftovers untouched this long are removed even when their process may still run.
MAX_AGE_SECONDS = 24 * 3600
PARTIAL_SUFFIX = ".part"
_MARK_SUFFIX = ".target"
_ENTRY = re.compile(r"^(?P<pid>\d+)@(?P<host>[0-9a-f]{6})$")
_POSIX = os.name == "posix"

_made: set[Path] = set()


def _host_tag() -> str:
    name = host_name()
    return hashlib.sha256(name.encode("utf-8", "surrogateescape")).hexdigest()[:6]


def _entry_name() -> str:
    return f"{os.getpid()}@{_host_tag()}"


def _private_dir(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    if _POSIX:
        os.chmod(folder, 0o700)
    return folder


def process_dir() -> Path:
    """This process's scratch folder, owner-only; made (again, if a sweep took it) on demand."""
    folder = scratch_root() / _entry_name()
    if not folder.is_dir():
        _private_dir(folder.parent)
        _private_dir(folder)
    _made.add(folder)
    return folder


def new_path(prefix: str, suffix: str = "") -> Path:
    """A fresh name in this process's scratch folder (the file is not created)."""
    return process_dir() / f"{prefix}{secrets.token_hex(6)}{suffix}"


def cleanup() -> None:
    """Remove this process's scratch folders and everything in them (run at exit)."""
    for folder in list(_made):
        _remove_entry(folder)
        _made.discard(folder)


atexit.register(cleanup)


# --------------------------------------------------------------------------------- the sweep


def _newest_mtime(path: Path) -> float:
    """The latest modification of ``path`` or anything directly in it (a listing, no walk)."""
    newest = path.lstat().st_mtime
    if path.is_dir() and not path.is_symlink():
        for child in path.iterdir():
            try:
                newest = max(newest, child.lstat().st_mtime)
            except OSError:
                pass
    return newest


def _is_stale(entry: Path, now: float) -> bool:
    match = _ENTRY.match(entry.name)
    if match and match["host"] == _host_tag():
        pid = int(match["pid"])
        if pid == os.getpid():
            return False
        if _POSIX and not pid_alive(pid):
            return True
    return now - _newest_mtime(entry) > MAX_AGE_SECONDS


def sweep(now: float | None = None) -> list[Path]:
    """Remove what killed processes left in the scratch folder; returns what was removed.

    Cheap (one listing of the scratch folder) and never fails: it runs at every start.
    """
    root = scratch_root()
    now = time.time() if now is None else now
    removed: list[Path] = []
    try:
        entries = list(root.iterdir())
    except OSError:
        return removed
    for entry in entries:
        try:
            if _is_stale(entry, now):
                _remove_entry(entry)
                removed.append(entry)
        except OSError:
            pass  # in use (Windows) or gone meanwhile: the next start tries again
    return removed


def _remove_entry(entry: Path) -> None:
    if entry.is_dir() and not entry.is_symlink():
        for mark in entry.glob(f"*{_MARK_SUFFIX}"):
            _remove_marked_partial(mark)
        shutil.rmtree(entry, ignore_errors=True)
    else:
        try:
            entry.unlink()
        except FileNotFoundError:
            pass


def _remove_marked_partial(mark: Path) -> None:
    """A note left by :func:`place`: the partial copy beside a target, if it is still there."""
    try:
        partial = Path(os.fsdecode(mark.read_bytes()))
    except OSError:
        return
    if partial.name.startswith(".") and partial.name.endswith(PARTIAL_SUFFIX):
        try:
            if stat.S_ISREG(partial.lstat().st_mode):
                partial.unlink()
        except OSError:
            pass


# ----------------------------------------------------------------------- moving into place


def place(temp: Path, target: Path) -> None:
    """Move the finished file ``temp`` (in the scratch folder) to ``target``; raises OSError.

    A rename when both are on one file system. Across file systems (a USB stick) the file is
    copied to ``.<name>.<pid>-<token>.part`` beside the target, flushed and renamed, so that
    ``target`` appears only whole; the partial file is noted in the scratch folder first.
    """
    try:
        os.replace(temp, target)
        return
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            raise
    token = secrets.token_hex(4)
    partial = target.with_name(f".{target.name}.{os.getpid()}-{token}{PARTIAL_SUFFIX}")
    mark = process_dir() / f"place-{token}{_MARK_SUFFIX}"
    mark.write_bytes(os.fsencode(partial))
    try:
        with temp.open("rb") as source, partial.open("wb") as out:
            shutil.copyfileobj(source, out, 1024 * 1024)
            out.flush()
            os.fsync(out.fileno())
        os.replace(partial, target)
    except BaseException:
        try:
            partial.unlink()
        except OSError:
            pass
        raise
    finally:
        mark.unlink(missing_ok=True)
    fsync_dir(target.parent)
    temp.unlink(missing_ok=True)


def fsync_dir(folder: Path) -> None:
    """Flush ``folder``'s entries (a rename into it) to disk, where the system can."""
    if not _POSIX:
        return  # Windows cannot open a folder for fsync; NTFS journals the rename itself
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems (FAT on a USB stick) refuse fsync on a folder
    finally:
        os.close(fd)
