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
or when the spool is dropped (``weakref.finalize``), whichever comes first; a closed spool's rows
are gone (:class:`SpoolClosed`), its length stays.
"""

from __future__ import annotations

import pickle
import tempfile
import weakref
from bisect import bisect_right, insort
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice
from operator import attrgetter
from typing import IO, Any

#: Rows in memory at a time; each full batch is written to the file as one pickle. Read when a
#: spool is made (tests make it small to spool a few rows).
BATCH_ROWS = 4096


class SpoolClosed(RuntimeError):
    """The spool's rows were written and dropped: only its length is left."""


class RowSpool:
    """A list of rows that keeps all but the last batch in a temporary file (module docstring).

    Rows of one named-tuple type (``row_type``) are written column by column, so that a pass
    wanting a few of their fields (:meth:`fields`) reads and unpickles only those: writing a
    roster reads its new persons once per table, and a pass over whole rows costs what making
    their eighteen fields costs."""

    __hash__ = None  # type: ignore[assignment]  # equal to a list of the same rows

    def __init__(self, rows: Iterable[Any] = (), *, row_type: type | None = None, batch_rows: int | None = None,
                 folder: str | None = None) -> None:
        self.batch_rows = max(1, batch_rows or BATCH_ROWS)
        self.folder = folder
        self.row_type = row_type
        self._names: tuple[str, ...] = tuple(row_type._fields) if row_type is not None else ()  # type: ignore[attr-defined]
        self._pending: list[Any] = []  # the rows after the last full batch
        self._file: IO[bytes] | None = None
        # per written batch, where each of its parts ends in the file (the first batch starts at 0):
        # one part (the rows) for untyped rows, one per field for ``row_type``'s
        self._ends: list[tuple[int, ...]] = []
        self._slots = 0  # rows appended, removed ones included
        self._overrides: dict[int, Any] = {}  # slot → the row that replaces the written one
        self._removed: list[int] = []  # slots removed, sorted
        self._cached: tuple[int, list[Any]] | None = None  # (batch, its rows) last read back whole
        self._closed = False
        self._finalizer: weakref.finalize | None = None
        for row in rows:
            self.append(row)

    # ------------------------------------------------------------------ writing

    def append(self, row: Any) -> None:
        if self._closed:
            raise SpoolClosed("the spool was closed")
        if self.row_type is not None and type(row) is not self.row_type:  # its columns would not line up
            raise TypeError(f"a spool of {self.row_type.__name__} takes no {type(row).__name__}")
        self._pending.append(row)
        self._slots += 1
        if len(self._pending) >= self.batch_rows:
            self._spill()

    def extend(self, rows: Iterable[Any]) -> None:
        for row in rows:
            self.append(row)

    def _spill(self) -> None:
        if self._file is None:
            # mode 0600; closed (which deletes it) by close() or by the finalizer
            self._file = tempfile.TemporaryFile(prefix="import-", suffix=".spool", dir=self.folder)  # noqa: SIM115
            self._finalizer = weakref.finalize(self, self._file.close)
        if self.row_type is not None:
            parts = [pickle.dumps(column, protocol=pickle.HIGHEST_PROTOCOL) for column in zip(*self._pending)]
        else:
            parts = [pickle.dumps(self._pending, protocol=pickle.HIGHEST_PROTOCOL)]
        self._file.seek(0, 2)
        at = self._ends[-1][-1] if self._ends else 0
        ends = []
        for data in parts:
            self._file.write(data)
            at += len(data)
            ends.append(at)
        self._ends.append(tuple(ends))
        self._pending = []

    def __setitem__(self, index: int, row: Any) -> None:
        if self.row_type is not None and type(row) is not self.row_type:
            raise TypeError(f"a spool of {self.row_type.__name__} takes no {type(row).__name__}")
        slot = self._slot(index)
        batch, at = divmod(slot, self.batch_rows)
        if batch == len(self._ends):
            self._pending[at] = row
        else:
            self._overrides[slot] = row
            if self._cached is not None and self._cached[0] == batch:
                self._cached = None

    def remove(self, indexes: Iterable[int]) -> None:
        """Take out the rows at ``indexes`` (as they are numbered now, all at once)."""
        slots = {self._slot(index) for index in indexes}
        for slot in sorted(slots):
            insort(self._removed, slot)
            self._overrides.pop(slot, None)

    def close(self) -> None:
        """Delete the file, and the rows with it; the length stays (the counts a result shows). A
        spool that never left memory (one batch or less) has nothing on disk and keeps its rows."""
        if self._file is None:
            return
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

    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):  # read in order: from a start to a stop, counted from the front
            if index.step not in (None, 1) or any(n is not None and n < 0 for n in (index.start, index.stop)):
                raise TypeError("a spool is read in order: slice it from the front, without a step")
            return list(islice(self, index.start, index.stop))
        slot = self._slot(index)
        if slot in self._overrides:
            return self._overrides[slot]
        batch, at = divmod(slot, self.batch_rows)
        if batch == len(self._ends):
            return self._pending[at]
        if self._cached is None or self._cached[0] != batch:
            self._cached = (batch, self._rows_of(batch))
        return self._cached[1][at]

    def _parts(self, batch: int, parts: Iterable[int]) -> list[Any]:
        """The unpickled parts ``parts`` of written batch ``batch``."""
        if self._closed:
            raise SpoolClosed("the spool's rows were written and dropped")
        assert self._file is not None
        ends = self._ends[batch]
        start = self._ends[batch - 1][-1] if batch else 0
        found = []
        for part in parts:
            begin = ends[part - 1] if part else start
            self._file.seek(begin)
            found.append(pickle.loads(self._file.read(ends[part] - begin)))
        return found

    def _rows_of(self, batch: int) -> list[Any]:
        """The rows of written batch ``batch`` as appended (without edits or removals)."""
        if self.row_type is None:
            return self._parts(batch, [0])[0]
        make = self.row_type._make  # type: ignore[attr-defined]
        return list(map(make, zip(*self._parts(batch, range(len(self._names))))))

    def _edited(self, batch: int, rows: list[Any], pick: Callable[[Any], Any] | None, skip: int = 0) -> list[Any]:
        """``rows`` of ``batch`` from its row ``skip`` on (whole, or as ``pick`` takes them from a
        row) with their edits and without the removed rows."""
        if not self._overrides and not self._removed:
            return rows
        base = batch * self.batch_rows + skip
        end = base + len(rows)
        removed = set(self._removed[bisect_right(self._removed, base - 1):bisect_right(self._removed, end - 1)])
        overrides = self._overrides
        return [(row if slot not in overrides else overrides[slot] if pick is None else pick(overrides[slot]))
                for slot, row in enumerate(rows, base) if slot not in removed]

    def batches(self) -> Iterator[list[Any]]:
        """The rows in order, a batch at a time, with their edits and without removed rows; a
        row appended while iterating is seen when its batch comes."""
        done = 0  # rows handed out so far (removed ones counted): the next one's slot
        while True:
            if self._closed:
                raise SpoolClosed("the spool's rows were written and dropped")
            batch, skip = divmod(done, self.batch_rows)
            # the last batch may have been added to (and spilled) while its rows were out
            rows = self._pending[skip:] if batch == len(self._ends) else self._rows_of(batch)[skip:]
            if not rows:
                return
            done += len(rows)
            rows = self._edited(batch, rows, None, skip)
            if rows:
                yield rows

    def fields(self, *names: str) -> Iterator[tuple[Any, ...]]:
        """Each row's ``names`` fields as a tuple, in order (with edits, without removed rows):
        of a typed spool only those columns are read back."""
        pick = _picker(names)
        if self.row_type is None:
            for rows in self.batches():
                yield from map(pick, rows)
            return
        columns = [self._names.index(name) for name in names]
        done = 0  # as in batches(): rows appended meanwhile are seen
        while True:
            if self._closed:
                raise SpoolClosed("the spool's rows were written and dropped")
            batch, skip = divmod(done, self.batch_rows)
            if batch == len(self._ends):
                picked = list(map(pick, self._pending[skip:]))
            else:
                picked = list(zip(*self._parts(batch, columns)))[skip:]
            if not picked:
                return
            done += len(picked)
            yield from self._edited(batch, picked, pick, skip)

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


def _picker(names: tuple[str, ...]) -> Callable[[Any], tuple[Any, ...]]:
    """A row → its ``names`` fields, as a tuple (one field too)."""
    if len(names) == 1:
        name = names[0]
        return lambda row: (getattr(row, name),)
    return attrgetter(*names)


def fields(rows: RowSpool | Iterable[Any], *names: str) -> Iterator[tuple[Any, ...]]:
    """:meth:`RowSpool.fields` of a spool, or of a list (a plan built by hand)."""
    if isinstance(rows, RowSpool):
        return rows.fields(*names)
    return map(_picker(names), rows)


def batches(rows: RowSpool | Sequence[Any], size: int | None = None) -> Iterator[list[Any]]:
    """The rows of a spool, or of a list (a plan built by hand), a batch at a time, in order."""
    if isinstance(rows, RowSpool):
        yield from rows.batches()
        return
    size = max(1, size or BATCH_ROWS)
    for start in range(0, len(rows), size):
        yield list(rows[start:start + size])
