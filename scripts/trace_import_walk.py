"""The walk of an imported roster row through the code: which modules it passes, in order.

    PYTHONPATH=. .venv/bin/python scripts/trace_import_walk.py            # one row's walk, stop by stop
    PYTHONPATH=. .venv/bin/python scripts/trace_import_walk.py --every-call --all --quiet

Writes a 3-row roster workbook and imports it (dry run, then the write) into a fresh ledger in
a temp folder, under ``sys.setprofile``. A Python function call inside ``desktop_app`` is on the
row's walk when it is handed the file's path (the row before it is read), or an argument that
holds the row within three levels: one of its cells, or an object that holds one (the raw row,
a column of cells, the parsed cells, the row to write, the list of rows, the plan), or an object
that such a call built (``__init__``: the rows for each table made from the plan). Consecutive calls in the same module are one *stop*; a stop is
*returning* when its module was left once before (control went back to it).

The file reader (``desktop_app.exchange``, its guards and cell parsers) and the domain rules
(``desktop_app.domain``) each count as one place, since the row is handed to them and comes back;
``--all`` lists their modules one by one. ``--every-call`` notes every call and return in
``desktop_app``, whether it holds the row or not. Prints figures only; rerun it after moving
import code to see the walk change.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from desktop_app.domain.idnumber import make_id_number  # noqa: E402  (ROOT is on the path now)
from desktop_app.store.db import close_database, open_database  # noqa: E402

try:  # the importing package; before issue 14 the same API lived in services/imports.py
    from desktop_app.services import importing as importer  # noqa: E402
except ImportError:  # pragma: no cover - the layout before the reshape
    from desktop_app.services import imports as importer  # type: ignore[no-redef]  # noqa: E402


def roster_workbook(path: Path) -> tuple[Path, list[list[str]]]:
    import xlsxwriter  # only this script writes a workbook by hand

    head = ["姓名", "公民身份号码", "户编号", "与户主关系", "村(社区)", "联系电话", "人员类别"]
    people = [
        ["张三", make_id_number("431199", dt.date(1980, 1, 2), 11), "H001", "户主", "东山村", "13800000001", "低保"],
        ["李四", make_id_number("431199", dt.date(1981, 3, 4), 12), "H001", "配偶", "东山村", "", ""],
        ["王五", make_id_number("431199", dt.date(1990, 5, 6), 13), "H002", "户主", "东山村", "", "特困"],
    ]
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("花名册")
    for r, row in enumerate([head, *people]):
        for c, value in enumerate(row):
            sheet.write_string(r, c, value)
    book.close()
    return path, people  # the workbook, and its rows (the last is followed: no row after it
    # takes its household or head from it, so its walk is its own)


def place(module: str, every_module: bool) -> str | None:
    """Where a module counts in the walk, or None when it is not the app's code."""
    if not module.startswith("desktop_app."):
        return None
    if every_module:
        return module
    for package in ("desktop_app.exchange", "desktop_app.domain"):
        if module == package or module.startswith(package + "."):
            return package + ".*"
    return module


class Row:
    """What counts as holding the followed row: its cells, and objects made from them."""

    def __init__(self, cells: list[str], others: list[list[str]], workbook: Path) -> None:
        self.id_number = cells[1]
        # its own cells: a household number, a village or 户主 that other rows share would draw
        # their walks in too
        shared = {cell for other in others for cell in other}
        self.cells = frozenset(cell for cell in cells if cell and cell not in shared)
        self.workbook = str(workbook)
        self.made: dict[int, object] = {}  # id → object made by a call on the walk (kept alive)

    def in_file(self, value: object) -> bool:
        """Whether ``value`` is the workbook's path: the row, before it is read."""
        return isinstance(value, (str, Path)) and str(value) == self.workbook

    def held_by(self, value: object, depth: int = 3) -> bool:
        """Whether ``value`` is, or holds ``depth`` levels down, a cell of the row or an object
        a call on the walk built (a sheet holds every row deeper down: a
        function handed the whole sheet is not following this row)."""
        if isinstance(value, str):
            return value in self.cells or self.id_number in value
        if value is None or isinstance(value, (int, float, bytes, dt.date, Path)):
            return False
        if id(value) in self.made:
            return True
        if depth == 0:
            return False
        return any(self.held_by(inner, depth - 1) for inner in members(value))

    def take(self, value: object, depth: int = 2) -> None:
        """Note ``value`` (and what it holds) as made from the row."""
        if value is None or isinstance(value, (str, int, float, bytes, dt.date, Path)) or not members(value, True):
            return  # scalars and empty containers are shared by everyone: no identity to follow
        self.made[id(value)] = value
        if depth:
            for inner in members(value):
                self.take(inner, depth - 1)


def members(value: object, any_at_all: bool = False) -> list:
    """The values ``value`` holds: container items, or the attributes of an object of the app."""
    if isinstance(value, dict):
        return list(value.values())
    if isinstance(value, (list, tuple, set, frozenset)):
        return list(value)
    if not type(value).__module__.startswith("desktop_app."):
        return [] if not any_at_all else [value]  # a connection, a workbook, a function: not a row
    names = getattr(value, "__dict__", None) or {
        name: getattr(value, name, None) for name in getattr(type(value), "__slots__", ())
    }
    return list(names.values()) or ([value] if any_at_all else [])


def arguments(frame) -> list:  # noqa: ANN001
    code = frame.f_code
    count = code.co_argcount + code.co_kwonlyargcount + bool(code.co_flags & 0x04) + bool(code.co_flags & 0x08)
    found = frame.f_locals
    return [found.get(name) for name in code.co_varnames[:count]]


def caller(frame, every_module: bool) -> str | None:  # noqa: ANN001
    """The app module whose code made the call running in ``frame`` (library frames skipped)."""
    frame = frame.f_back
    while frame is not None:
        module = place(frame.f_globals.get("__name__", ""), every_module)
        if module is not None:
            return module
        frame = frame.f_back
    return None


def trace(every_module: bool, every_call: bool) -> tuple[list[tuple[str, int, str]], int, Counter]:
    """The stops (module, calls made there, the functions called) of one roster import, the calls counted, and how
    often each module called each other one (caller, callee) on the way."""
    stops: list[list] = []  # [module, calls, function names]
    calls = 0
    edges: Counter[tuple[str, str]] = Counter()
    folder = tempfile.TemporaryDirectory()
    workbook, people = roster_workbook(Path(folder.name) / "花名册.xlsx")
    row = Row(people[-1], people[:-1], workbook)
    walking: set[int] = set()  # frames of calls on the walk

    def note(module: str | None, called: bool, function: str = "") -> None:
        nonlocal calls
        if module is None:
            return
        calls += called
        if not (stops and stops[-1][0] == module):
            stops.append([module, 0, []])
        stops[-1][1] += called
        if function and function not in stops[-1][2]:
            stops[-1][2].append(function)

    def profile(frame, event, _arg):  # noqa: ANN001  (sys.setprofile's signature)
        if event == "call":
            module = place(frame.f_globals.get("__name__", ""), every_module)
            if module is None:
                return
            handed = arguments(frame)
            if any(row.held_by(value) for value in handed):
                walking.add(id(frame))
            elif not every_call and not any(row.in_file(value) for value in handed):
                return
            note(module, True, frame.f_code.co_name)
            source = caller(frame, every_module)
            if source is not None and source != module:
                edges[source, module] += 1
        elif event == "return":
            if id(frame) in walking:  # an object built from the row holds it from now on
                walking.discard(id(frame))
                if frame.f_code.co_name == "__init__":
                    row.take(arguments(frame)[0])
            if every_call and frame.f_back is not None:
                note(place(frame.f_back.f_globals.get("__name__", ""), every_module), False)

    with folder:
        open_database(Path(folder.name) / "ledger.sqlite")
        try:
            sys.setprofile(profile)
            try:
                importer.apply(importer.plan("roster", workbook, year=2025))
            finally:
                sys.setprofile(None)
        finally:
            close_database()
    return [(m, n, ", ".join(f)) for m, n, f in stops], calls, edges


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--all", action="store_true", help="every desktop_app module on its own")
    parser.add_argument("--every-call", action="store_true", help="every call, not only the row's")
    parser.add_argument("--quiet", action="store_true", help="the totals only")
    args = parser.parse_args()
    stops, calls, edges = trace(args.all, args.every_call)
    left: set[str] = set()
    returning = 0
    previous = None
    lines = []
    for number, (module, made, functions) in enumerate(stops, 1):
        back = module in left
        returning += back
        if previous is not None:
            left.add(previous)
        previous = module
        shown = "" if len(functions) > 60 else functions
        lines.append(f"{number:4d}  {'↩' if back else ' '} {module:<44} {made:4d} calls  {shown}")
    if not args.quiet:
        print("\n".join(lines))
        print()
        per: Counter[str] = Counter()
        for module, made, _functions in stops:
            per[module] += made
        for module, made in per.most_common():
            print(f"      {module:<48} {made:6d} calls")
        print()
        print("which module called which (calls):")
        for (source, target), made in sorted(edges.items()):
            both = " ⇄ (both ways)" if (target, source) in edges else ""
            print(f"      {source} → {target}  {made}{both}")
        print()
    both_ways = sorted({tuple(sorted(pair)) for pair in edges if pair[::-1] in edges})
    print(f"module pairs calling each other both ways: {len(both_ways)}"
          + "".join(f"\n      {a} ⇄ {b}" for a, b in both_ways))
    print(f"{len(stops)} stops in {len({m for m, *_ in stops})} modules, {returning} of them returning to a "
          f"module already left; {calls} function calls in desktop_app"
          + ("" if args.every_call else " holding the row"))


if __name__ == "__main__":
    main()
