"""A big sheet's rows read in a child process, so that the reading (the chunks cut, proven by the
guards and parsed by calamine, the rows built) runs on another core while the caller checks and
writes the rows it already has: the GIL keeps all of that Python work on one core in one process.

The caller starts a Python running :func:`main`, writes it the request (the
file's bytes, already proven by the guards, and the sheet) on its stdin; the child reads the rows
exactly as :func:`.large.padded` does in process (:func:`.chunks.iter_xlsx_rows`, every chunk
proven by the guards before calamine sees it) and writes them back in pickled batches on its
stdout. Rows keep the file's own numbers (they are positional, as in process). An
:class:`UnreadableFileError` in the child is raised in the caller with the same code and message;
a child that dies without a word (killed, crashed on a hostile chunk) is the file's
"damaged" refusal. Closing the rows' generator (the caller stopped, an import cancelled) kills the
child and waits for it.

In a frozen bundle the executable runs the program, not Python code: the child is the same
executable started with :data:`FROZEN_FLAG`, which ``packaging/launcher.py`` hands to :func:`main`
before anything else (no window, no command line).
"""

from __future__ import annotations

import datetime as dt
import os
import pickle
import queue
import signal
import struct
import subprocess
import sys
import threading
import traceback
from collections.abc import Callable, Iterator
from typing import BinaryIO

from desktop_app.exchange import guards
from desktop_app.exchange.reading import chunks
from desktop_app.exchange.reading.sheet import Cell, Row, UnreadableFileError

#: Rows per message from the child (about 1 MB pickled for a 20-column roster).
BATCH_ROWS = 2000
#: Messages taken from the child ahead of the caller (an import checks 4,096 rows at a time).
AHEAD = 6
#: The highest peak resident memory (MB) a child reported at the end of a pass in this
#: process: the benchmarks print it beside the caller's own growth.
peak_mb = 0.0
#: Thread name of the one taking the child's messages (tests look for it).
PUMP_NAME = "xlsx-child-rows"
_LENGTH = struct.Struct("<Q")
#: Cells a batch keeps one object of per value (never numbers: 1, 1.0 and True are equal keys).
_SHARED_TYPES = frozenset({str, dt.date})
# not ``-m`` this module: the package imports it first, which runpy warns about
_START = "from desktop_app.exchange.reading.child import main; main()"
#: The frozen program's first argument that makes it this child (packaging/launcher.py).
FROZEN_FLAG = "--reading-child"


def available() -> bool:
    """Whether rows can be read in a child process here (an executable to start)."""
    return bool(sys.executable)


def command() -> list[str]:
    """How the child is started: Python running :func:`main`, or the frozen program itself."""
    if getattr(sys, "frozen", False):
        return [sys.executable, FROZEN_FLAG]
    return [sys.executable, "-c", _START]


def child_rows(data: bytes, path: str, index: int, height: int, width: int,
               in_process: Callable[[], Iterator[Row]]) -> Iterator[Row]:
    """The rows :func:`.large.padded` gives for the sheet at ``index``, read in a child; read
    ``in_process`` when the child cannot even start (it says so before it reads anything: a
    Python that cannot import this program must not make a sound file look damaged)."""
    global peak_mb
    request = pickle.dumps({"path": path, "index": index, "height": height, "width": width,
                            "chunk_rows": chunks.CHUNK_ROWS, "chunk_bytes": chunks.CHUNK_BYTES,
                            "batch_rows": BATCH_ROWS},
                           protocol=pickle.HIGHEST_PROTOCOL)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
    process = subprocess.Popen(command(), stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, env=env)
    messages: queue.Queue[bytes | None] = queue.Queue(AHEAD)
    stop = threading.Event()

    def hand_on(message: bytes | None) -> None:
        while not stop.is_set():
            try:
                messages.put(message, timeout=0.05)
                return
            except queue.Full:
                continue

    def pump() -> None:
        """Hands the child its request, then takes its messages as they come (the child is
        never held up by a pipe the caller is too busy to read), at most :data:`AHEAD`. Ends
        with None, however it ends: the caller waits on these messages and must not wait for
        ever on a pump that died of something unforeseen."""
        assert process.stdin is not None and process.stdout is not None
        try:
            try:
                _write(process.stdin, request)
                _write(process.stdin, data)
                process.stdin.close()
            except OSError:  # the child died at once: what it said, or damaged
                pass
            while not stop.is_set():
                message = _read(process.stdout)
                if message is None:
                    break
                hand_on(message)
        except Exception:  # noqa: BLE001, S110 (unforeseen: the None below makes the caller refuse the file as damaged)
            pass
        finally:
            hand_on(None)

    worker = threading.Thread(target=pump, name=PUMP_NAME, daemon=True)
    worker.start()
    started = False
    try:
        while True:
            message = messages.get()
            if message is None and not started:
                break  # read in process, below, once the child is gone
            if message is None:
                raise UnreadableFileError("damaged", guards.MSG_DAMAGED, path=path)
            kind, payload = pickle.loads(message)
            del message
            if kind == "ready":
                started = True
            elif kind == "rows":  # the rows, and the child's peak so far (a caller that has every
                rows, peak_kib = payload  # row it wants closes the read before the "end")
                peak_mb = max(peak_mb, peak_kib / 1024)
                yield from rows
            elif kind == "end":
                peak_mb = max(peak_mb, payload / 1024)
                return
            elif kind == "refused":
                code, text = payload
                raise UnreadableFileError(code, text, path=path)
            elif kind == "memory":
                raise MemoryError()
            else:
                raise RuntimeError(f"reading the sheet in a child process failed:\n{payload}")
    finally:
        stop.set()
        if process.poll() is None:
            process.kill()  # its pipe closes: the pump's read ends
        process.wait()
        worker.join()
        for pipe in (process.stdin, process.stdout):
            if pipe is not None and not pipe.closed:
                try:
                    pipe.close()
                except OSError:
                    pass
    yield from in_process()


def factory(data: bytes, path: str, index: int, height: int, width: int,
            in_process: Callable[[], Iterator[Row]]) -> Callable[[], Iterator[Row]]:
    """:func:`child_rows` as a :class:`.RawSheet` rows factory."""
    return lambda: child_rows(data, path, index, height, width, in_process)


def _write(pipe: BinaryIO, payload: bytes) -> None:
    pipe.write(_LENGTH.pack(len(payload)))
    pipe.write(payload)


def _read(pipe: BinaryIO) -> bytes | None:
    head = pipe.read(_LENGTH.size)
    if len(head) < _LENGTH.size:
        return None
    (size,) = _LENGTH.unpack(head)
    payload = pipe.read(size)
    return payload if len(payload) == size else None


def _own_peak_kib() -> int:
    """This process's peak resident memory since it started Python (VmHWM; getrusage would
    count the caller's pages at the fork), 0 where /proc does not say."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            return next((int(line.split()[1]) for line in status if line.startswith("VmHWM:")), 0)
    except OSError:
        return 0


def main() -> None:
    """The child: one request on stdin, the rows in batches on stdout, then "end"."""
    from desktop_app.exchange.reading.large import padded  # lazy: large imports this module

    # Ctrl-C in a terminal reaches the whole process group: the caller stops (and kills this);
    # this must not end first and have its silence taken for a damaged file
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    source, out = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing printed may go into the rows' pipe

    def send(kind: str, payload: object) -> None:
        _write(out, pickle.dumps((kind, payload), protocol=pickle.HIGHEST_PROTOCOL))
        out.flush()

    try:
        send("ready", None)
        request_bytes, data = _read(source), _read(source)
        if request_bytes is None or data is None:
            return  # the caller went away
        request = pickle.loads(request_bytes)
        chunks.CHUNK_ROWS = request["chunk_rows"]
        chunks.CHUNK_BYTES = request["chunk_bytes"]
        batch: list[Row] = []
        # equal texts and dates of a batch made one object: pickled once, then referred to (a
        # roster repeats its villages, relations, sexes…), so the caller makes fewer objects
        # (unpickling 100,000 roster rows: 0.4 s of CPU, 0.1-0.2 s so)
        memo: dict[Cell, Cell] = {}
        same = memo.setdefault
        for row in padded(data, request["path"], request["index"], request["height"],
                          request["width"], threaded=False):
            batch.append([same(cell, cell) if type(cell) in _SHARED_TYPES else cell for cell in row])
            if len(batch) >= request["batch_rows"]:
                send("rows", (batch, _own_peak_kib()))
                batch = []
                memo.clear()
        if batch:
            send("rows", (batch, _own_peak_kib()))
        send("end", _own_peak_kib())
    except BrokenPipeError:
        return  # the caller stopped reading
    except UnreadableFileError as refusal:
        send("refused", (refusal.code, refusal.message))
    except MemoryError:
        send("memory", None)
    except BaseException:  # noqa: BLE001  (a fault of this program's: said whole to the caller)
        send("failed", traceback.format_exc())
