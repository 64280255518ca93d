"""The rows a dry run accepted, kept in a private temporary file instead of in memory.

A county file's million accepted rows held as Python objects grew an import by more than a
gigabyte; a :class:`RowSpool` holds one batch (:data:`BATCH_ROWS`) in memory and writes each full
batch, pickled, to an anonymous temporary file (``tempfile.TemporaryFile``: readable by its
owner only, with no name on disk on Linux, deleted when closed on Windows), remembering only
where each batch starts. Apply reads the batches back in order.

It behaves like the list it replaces where an import uses one: ``append``, ``len``, iteration
in order, ``spool[i]`` and ``spool[i] = row`` (an edit is kept in a small dict and applied as
the batches are read), :meth:`remove` of a few rows (kept as a set), :meth:`first` for a
preview. A spool of no more than one batch never touches the disk.

The file holds personal data: it goes when :meth:`close` is called (apply does, once written)
or when the spool is dropped (``weakref.finalize``), whichever comes first.
"""

from __future__ import annotations

import pickle
import tempfile
import weakref
from bisect import bisect_right, insort
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import IO, Any

#: Rows in memory at a time; each full batch is written to the file as one pickle. Read when a
#: spool is made (tests make it small to spool a few rows).
BATCH_ROWS = 4096


class SpoolClosed(RuntimeError):
    """The spool's rows were written and dropped: only its length is left."""


class RowSpool:
    """A list of rows that keeps all but the last batch in a temporary file (module docstring)."""

    __hash__ = None  # type: ignore[assignment]  # equal to a list of the same rows

    def __init__(self, rows: Iterable[Any] = (), *, batch_rows: int | None = None, folder: str | None = None) -> None:
        self.batch_rows = max(1, batch_rows or BATCH_ROWS)
        self.folder = folder
        self._pending: list[Any] = []  # the rows after the last full batch
        self._file: IO[bytes] | None = None
        self._ends: list[int] = []  # where each written batch ends in the file (the first starts at 0)
        self._slots = 0  # rows appended, removed ones included
        self._overrides: dict[int, Any] = {}  # slot → the row that replaces the written one
        self._removed: list[int] = []  # slots removed, sorted
        self._cached: tuple[int, list[Any]] | None = None  # (batch, its rows) last read back
        self._closed = False
        self._finalizer: weakref.finalize | None = None
        for row in rows:
            self.append(row)

    # ------------------------------------------------------------------ writing

    def append(self, row: Any) -> None:
        if self._closed:
            raise SpoolClosed("the spool was closed")
        self._pending.append(row)
        self._slots += 1
        if len(self._pending) >= self.batch_rows:
            self._spill()

    def extend(self, rows: Iterable[Any]) -> None:
        for row in rows:
            self.append(row)

    def _spill(self) -> None:
        if self._file is None:
            self._file = tempfile.TemporaryFile(prefix="import-", suffix=".spool", dir=self.folder)  # 0600
            self._finalizer = weakref.finalize(self, self._file.close)
        data = pickle.dumps(self._pending, protocol=pickle.HIGHEST_PROTOCOL)
        self._file.seek(0, 2)
        self._file.write(data)
        self._ends.append((self._ends[-1] if self._ends else 0) + len(data))
        self._pending = []

    def __setitem__(self, index: int, row: Any) -> None:
        slot = self._slot(index)
        batch, at = divmod(slot, self.batch_rows)
        if batch == len(self._ends):
            self._pending[at] = row
        else:
            self._overrides[slot] = row

    def remove(self, indexes: Iterable[int]) -> None:
        """Take out the rows at ``indexes`` (as they are numbered now, all at once)."""
        slots = {self._slot(index) for index in indexes}
        for slot in sorted(slots):
            insort(self._removed, slot)
            self._overrides.pop(slot, None)

    def close(self) -> None:
        """Drop the rows and delete the file; the length stays (the counts a result shows)."""
        self._closed = True
        self._pending = []
        self._overrides.clear()
        self._cached = None
        if self._finalizer is not None:
            self._finalizer()  # closes the file, which deletes it
        self._file = None

    @property
    def closed(self) -> bool:
        return self._closed

    def fileno(self) -> int | None:
        """The temporary file's descriptor, or None while every row is in memory (for tests)."""
        return None if self._file is None else self._file.fileno()

    # ------------------------------------------------------------------ reading

    def __len__(self) -> int:
        return self._slots - len(self._removed)

    def __bool__(self) -> bool:
        return len(self) > 0

    def _slot(self, index: int) -> int:
        """The slot of the row now at ``index`` (removed rows skipped)."""
        size = len(self)
        if index < 0:
            index += size
        if not 0 <= index < size:
            raise IndexError("spool index out of range")
        slot = index
        while True:  # the smallest slot with ``index`` kept slots before it
            skipped = bisect_right(self._removed, slot)
            if index + skipped == slot:
                if skipped and self._removed[skipped - 1] == slot:
                    slot += 1
                    continue
                return slot
            slot = index + skipped

    def __getitem__(self, index: int) -> Any:
        if isinstance(index, slice):
            raise TypeError("a spool is read in order: use first(n) or iterate")
        slot = self._slot(index)
        if slot in self._overrides:
            return self._overrides[slot]
        batch, at = divmod(slot, self.batch_rows)
        return self._batch(batch)[at]

    def _batch(self, batch: int) -> list[Any]:
        """The rows of batch ``batch`` as appended (without edits or removals)."""
        if self._closed:
            raise SpoolClosed("the spool's rows were written and dropped")
        if batch == len(self._ends):
            return self._pending
        if self._cached is not None and self._cached[0] == batch:
            return self._cached[1]
        assert self._file is not None
        start = self._ends[batch - 1] if batch else 0
        self._file.seek(start)
        rows = pickle.loads(self._file.read(self._ends[batch] - start))
        self._cached = (batch, rows)
        return rows

    def batches(self) -> Iterator[list[Any]]:
        """The rows in order, a batch at a time, with their edits and without removed rows; a
        row appended while iterating is seen when its batch comes."""
        batch = 0
        while batch <= len(self._ends):
            rows = self._batch(batch)
            base = batch * self.batch_rows
            end = base + len(rows)
            if self._overrides or self._removed:
                removed = set(self._removed[bisect_right(self._removed, base - 1):bisect_right(self._removed, end - 1)])
                overrides = self._overrides
                rows = [overrides.get(slot, row) for slot, row in enumerate(rows, base) if slot not in removed]
            else:
                rows = list(rows)
            if rows:
                yield rows
            batch += 1
        self._cached = None  # a whole pass read: hold no batch of it

    def __iter__(self) -> Iterator[Any]:
        for rows in self.batches():
            yield from rows

    def first(self, count: int) -> list[Any]:
        """The first ``count`` rows (a preview's)."""
        return list(islice(self, count))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, RowSpool | list | tuple):
            return len(self) == len(other) and list(self) == list(other)
        return NotImplemented

    def __repr__(self) -> str:
        where = "closed" if self._closed else ("on disk" if self._file is not None else "in memory")
        return f"RowSpool({len(self)} rows, {where})"
