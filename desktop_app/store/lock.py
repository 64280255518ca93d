"""One writer per ledger: a lock file beside it, held by the operating system while a program runs.

``ledger.sqlite.lock`` next to ``ledger.sqlite`` is opened and locked with ``fcntl.flock``
(``msvcrt.locking`` on Windows). The operating system drops that lock when the process ends in
any way — closed, crashed, killed, the laptop's power cut — so a crash never leaves the ledger
locked: the next program simply gets the lock. The file's text is JSON describing the holder
(OS user, computer name, process id, since when), so that a second copy of the program can say
who has the ledger open instead of failing mysteriously, and open it read-only or not at all.

Where the file system offers no locks (some network shares), the JSON alone is used: a holder
on this computer whose process no longer runs is stale and is replaced. A holder on *another*
computer cannot be checked from here — on such a share its lock may even be invisible to ours
(each computer's ``flock`` succeeding on its own) — so it is never replaced silently: the
refusal (:class:`LedgerBusyError` with ``can_take_over``) names it, and the person may take the
lock over (``acquire(..., take_over=True)``) once they know that program is gone; the caller
writes that to the audit trail (``LedgerLock.taken_over``).

Within one process :func:`acquire` is idempotent: asking again for a ledger this process already
holds returns the same :class:`LedgerLock`.
"""

from __future__ import annotations

import atexit
import datetime as dt
import errno
import json
import os
import threading
from dataclasses import asdict, dataclass
from pathlib import Path

from desktop_app.errors import UserError
from desktop_app.this_computer import host_name, pid_alive, user_name

LOCK_SUFFIX = ".lock"
_WINDOWS = os.name == "nt"
_WINDOWS_LOCK_OFFSET = 1 << 20  # lock a byte past the JSON, which stays readable to others
_MAX_TEXT = 4096
_HELD_ELSEWHERE = {errno.EAGAIN, errno.EWOULDBLOCK, errno.EACCES, getattr(errno, "EDEADLOCK", -1)}

if _WINDOWS:  # pragma: no cover - exercised on Windows only
    import msvcrt
else:
    import fcntl


@dataclass(frozen=True)
class LockHolder:
    """Who holds a ledger: enough for a colleague to walk over and ask them to close it."""

    user: str
    host: str
    pid: int
    since: str  # local time, ISO format to the second
    program: str = ""

    def describe(self) -> str:
        since = self.since.replace("T", " ")[:16]
        who = f"用户“{self.user}”" if self.user else "某位用户"
        what = f"（{self.program}）" if self.program else ""
        return f"{who}在电脑“{self.host}”上{what}，进程号{self.pid}，自{since}起"

    def is_this_process(self) -> bool:
        return self.host == host_name() and self.pid == os.getpid()


class LedgerLockError(UserError, RuntimeError):
    """The ledger cannot be locked for writing; the message says why in Chinese."""


class LedgerBusyError(LedgerLockError):
    """Another program holds the ledger; ``holder`` says who (None when it could not be read).

    ``can_take_over``: the holder is on another computer and this one cannot tell whether that
    program still runs (a network share without working locks, or a stick moved after a crash):
    the person may take the lock over after making sure it is gone.
    """

    def __init__(
        self, path: Path, holder: LockHolder | None, *, can_take_over: bool = False
    ) -> None:
        self.path = path
        self.holder = holder
        self.can_take_over = can_take_over and holder is not None
        if holder is None:
            who = "另一个程序正在使用它（读不出是谁）"
        elif holder.is_this_process():
            who = "本程序已经在另一个窗口中打开了它"
        else:
            who = f"它正由{holder.describe()}使用"
        if self.can_take_over:
            advice = (
                "这台电脑无法确认那边的程序是否还开着（网络共享上的台账，或者那台电脑上的程序"
                "崩溃后没能解锁）。请先去那台电脑上关闭程序；如果确认那边已经关机或程序已经退出，"
                "可以接管这个台账（接管会记入操作日志），或者以只读方式打开（只能查看，不能修改）。"
            )
        else:
            advice = "请等对方关闭程序后再试，或者以只读方式打开（只能查看，不能修改）。"
        super().__init__(
            f"台账“{path.name}”不能修改：{who}。同一个台账同一时间只能由一处修改，"
            f"以免互相覆盖。{advice}"
        )


def lock_path_for(ledger: Path | str) -> Path:
    """``/folder/ledger.sqlite`` → ``/folder/ledger.sqlite.lock``, links resolved."""
    real = Path(os.path.realpath(ledger))
    return real.with_name(real.name + LOCK_SUFFIX)


def _parse(text: bytes) -> LockHolder | None:
    try:
        data = json.loads(text.decode("utf-8"))
        return LockHolder(
            user=str(data.get("user", "")),
            host=str(data.get("host", "")),
            pid=int(data["pid"]),
            since=str(data.get("since", "")),
            program=str(data.get("program", "")),
        )
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


def _read_fd(fd: int) -> LockHolder | None:
    try:
        return _parse(os.pread(fd, _MAX_TEXT, 0) if hasattr(os, "pread") else _read_from_start(fd))
    except OSError:
        return None


def _read_from_start(fd: int) -> bytes:  # pragma: no cover - Windows has no pread
    os.lseek(fd, 0, os.SEEK_SET)
    return os.read(fd, _MAX_TEXT)


def _os_lock(fd: int) -> bool:
    """Take the OS lock without waiting: True when taken, False when someone else holds it.

    Raises OSError when the file system offers no locks at all.
    """
    try:
        if _WINDOWS:  # pragma: no cover
            os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        else:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except OSError as exc:
        if exc.errno in _HELD_ELSEWHERE:
            return False
        raise


def _os_unlock(fd: int) -> None:
    try:
        if _WINDOWS:  # pragma: no cover
            os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        else:
            fcntl.flock(fd, fcntl.LOCK_UN)
    except OSError:
        pass  # closing the descriptor releases it anyway


def _same_file(fd: int, path: Path) -> bool:
    """Still the file at ``path``? (A holder that released unlinked it; retry on the new one.)"""
    try:
        mine, there = os.fstat(fd), os.stat(path)
    except FileNotFoundError:
        return False
    return (mine.st_dev, mine.st_ino) == (there.st_dev, there.st_ino)


class LedgerLock:
    """The write lock on one ledger, held until :meth:`release` (or the process ends)."""

    def __init__(self, ledger: Path, lock_path: Path, fd: int, holder: LockHolder,
                 recovered: LockHolder | None, os_locked: bool,
                 taken_over: LockHolder | None = None) -> None:
        self.ledger = ledger
        self.lock_path = lock_path
        self.holder = holder
        #: a previous holder whose program ended without releasing (crash, power cut), if any
        self.recovered = recovered
        #: a holder on another computer whose lock the person chose to take over, if any; the
        #: caller writes it to the audit trail once the ledger is open (then sets ``audited``)
        self.taken_over = taken_over
        self.audited = False
        self.described = True  # False when our description could not be written (disk full)
        self._fd: int | None = fd
        self._os_locked = os_locked

    @property
    def held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        """Give the ledger up; the lock file is removed. Calling it twice is harmless."""
        with _registry_lock:
            fd, self._fd = self._fd, None
            if fd is None:
                return
            _held.pop(str(self.lock_path), None)
            now_there = _read_fd(fd)
            ours = now_there is None or now_there == self.holder or not self.described
            try:
                # before unlocking: no one can lock a stale inode. A lock taken over by another
                # computer since (no OS locks there) is theirs now: left in place.
                if ours and _same_file(fd, self.lock_path):
                    os.unlink(self.lock_path)
            except OSError:
                try:
                    os.ftruncate(fd, 0)  # could not remove it (Windows): leave it empty
                except OSError:
                    pass
            if self._os_locked:
                _os_unlock(fd)
            os.close(fd)

    def __enter__(self) -> LedgerLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()

    def __repr__(self) -> str:
        state = "held" if self.held else "released"
        return f"<LedgerLock {self.ledger} {state}>"


_held: dict[str, LedgerLock] = {}
_registry_lock = threading.RLock()


def held_lock(ledger: Path | str) -> LedgerLock | None:
    """The lock this process holds on ``ledger``, if any."""
    lock = _held.get(str(lock_path_for(ledger)))
    return lock if lock is not None and lock.held else None


def acquire(ledger: Path | str, *, program: str = "", take_over: bool = False) -> LedgerLock:
    """Lock ``ledger`` for writing by this process, or raise :class:`LedgerBusyError` (who has it).

    A lock left by a program that crashed on this computer is taken over (``LedgerLock.recovered``
    says whose it was). A lock file naming another computer is refused with ``can_take_over``
    unless ``take_over`` (the person confirmed that program is gone): then it is replaced and
    ``LedgerLock.taken_over`` names it. A folder where no lock file can be made (write-protected)
    raises :class:`LedgerLockError`.
    """
    ledger = Path(ledger)
    lock_path = lock_path_for(ledger)
    with _registry_lock:
        existing = held_lock(ledger)
        if existing is not None:
            return existing
        for _attempt in range(10):
            fd = _open_lock_file(ledger, lock_path)
            try:
                os_locked = _os_lock(fd)
            except OSError:
                lock = _acquire_without_os_lock(ledger, lock_path, fd, program, take_over)
            else:
                if not os_locked:
                    holder = _read_fd(fd)
                    os.close(fd)
                    raise LedgerBusyError(ledger, holder)
                if not _same_file(fd, lock_path):
                    os.close(fd)  # released and removed while we waited: lock the new file
                    continue
                # our flock may not reach the other computer (a share that locks locally only)
                other = _on_another_computer(_read_fd(fd))
                if other is not None and not take_over:
                    _os_unlock(fd)
                    os.close(fd)
                    raise LedgerBusyError(ledger, other, can_take_over=True)
                lock = _take(ledger, lock_path, fd, program, os_locked=True, taken_over=other)
            _held[str(lock_path)] = lock
            return lock
    raise LedgerLockError(f"无法锁定台账“{ledger.name}”：锁文件一再被改动，请稍后再试")


def _open_lock_file(ledger: Path, lock_path: Path) -> int:
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOINHERIT", 0)
    try:
        return os.open(lock_path, flags, 0o600)
    except OSError as exc:
        raise LedgerLockError(
            f"台账“{ledger.name}”所在的文件夹不能写入（{exc.strerror}），"
            "只能以只读方式打开：请把台账复制到可以写入的文件夹（例如电脑硬盘）后再修改。"
        ) from exc


def _on_another_computer(holder: LockHolder | None) -> LockHolder | None:
    """``holder`` when it names another computer (its program cannot be checked from here)."""
    return holder if holder is not None and holder.host != host_name() else None


def _take(ledger: Path, lock_path: Path, fd: int, program: str, *, os_locked: bool,
          taken_over: LockHolder | None = None) -> LedgerLock:
    """We hold the OS lock (or the JSON-only lock): note who we are in the file."""
    previous = _read_fd(fd)
    holder = LockHolder(
        user=user_name(), host=host_name(), pid=os.getpid(),
        since=dt.datetime.now().replace(microsecond=0).isoformat(), program=program,
    )
    data = json.dumps(asdict(holder), ensure_ascii=False).encode("utf-8")
    described = True
    try:
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, data)
        os.fsync(fd)
    except OSError:
        described = False  # the lock itself is held; only its description is missing (disk full)
    if os.name == "posix":
        try:
            os.fchmod(fd, 0o600)
        except OSError:
            pass
    lock = LedgerLock(ledger, lock_path, fd, holder, previous, os_locked, taken_over)
    lock.described = described
    return lock


def _acquire_without_os_lock(
    ledger: Path, lock_path: Path, fd: int, program: str, take_over: bool
) -> LedgerLock:
    """No OS locks here: trust the JSON unless its holder is a dead process on this computer,
    or a holder on another computer that the person chose to take over."""
    holder = _read_fd(fd)
    if holder is not None and not holder.is_this_process():
        other = _on_another_computer(holder)
        if other is not None:
            if not take_over:
                os.close(fd)
                raise LedgerBusyError(ledger, other, can_take_over=True)
            return _take(ledger, lock_path, fd, program, os_locked=False, taken_over=other)
        if pid_alive(holder.pid):
            os.close(fd)
            raise LedgerBusyError(ledger, holder)
    return _take(ledger, lock_path, fd, program, os_locked=False)


def current_holder(ledger: Path | str) -> LockHolder | None:
    """Who holds ``ledger`` now (this process included), or None when it is free."""
    ledger = Path(ledger)
    mine = held_lock(ledger)
    if mine is not None:
        return mine.holder
    lock_path = lock_path_for(ledger)
    try:
        fd = os.open(lock_path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    except OSError:
        return None
    try:
        holder = _read_fd(fd)
        try:
            if _WINDOWS:  # pragma: no cover - a read-only descriptor cannot lock on Windows
                return holder
            free = _os_lock(fd)
        except OSError:
            stale = holder is None or (holder.host == host_name() and not pid_alive(holder.pid))
            return None if stale else holder
        if free:
            _os_unlock(fd)
            return _on_another_computer(holder)  # our lock may not reach that computer
        return holder or LockHolder(user="", host="", pid=0, since="")
    finally:
        os.close(fd)


@atexit.register
def _release_all() -> None:
    for lock in list(_held.values()):
        lock.release()
