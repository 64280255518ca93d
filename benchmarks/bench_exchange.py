"""Import and export speed against the bare libraries, measured in the same run.

    .venv/bin/python benchmarks/bench_exchange.py                 # 100,000 persons
    .venv/bin/python benchmarks/bench_exchange.py --persons 1000000
    .venv/bin/python benchmarks/bench_exchange.py --engines sqlite,postgresql [--pg-url postgresql://…]
    .venv/bin/python benchmarks/bench_exchange.py --workbook /tmp/big1m/roster.xlsx   # reuse a roster

Builds a demo ledger, exports its roster (our export) and writes the same rows with bare
XlsxWriter constant-memory and bare openpyxl write-only (the export is compared with the faster
of the two); reads the workbook back with bare python-calamine; imports it into an empty ledger
end to end (read, validate, write, recompute).
Each import runs in a fresh process so its memory growth is its own. The bare read and the
import run alternately ``--repeat`` times (default 3) and the best of each is kept: on a shared
laptop or a virtual machine one run can be half as fast as the next. Prints figures only.

``--engines sqlite,postgresql``: the import runs into each engine in turn, the same workbook, in
the same run (alternating, so load on the machine falls on both alike), each into an empty
migrated ledger (a fresh database per run on the server), then the roster is exported from the
last imported ledger of each engine; prints time, memory growth and the ratio PostgreSQL/SQLite,
and each engine's import against the bare calamine read (run before each round of imports) and
its export against bare XlsxWriter on the same rows.
``--workbook PATH``: import that roster rather than generate one; its ledger ``source.sqlite``
beside it is copied (never opened in place) for our export and the bare writers.
The server is ``--pg-url`` (a maintenance URL, databases ``bench_exchange_*`` are made and
dropped there) or, without one, a throwaway cluster (tests/postgres_cluster.py).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from _common import peak_mb, rss_mb


def ledger_at(ledger: str) -> Path | str:
    """A file's path, or a server's URL as given (``Path`` would fold its ``//`` into a folder name)."""
    return ledger if ledger.startswith("postgresql://") else Path(ledger)


def step_import(workbook: str, ledger: str) -> None:
    """Run in a child process: one import, report seconds and memory growth as JSON."""
    from desktop_app.exchange.reading import child as child_reader
    from desktop_app.services import importing
    from desktop_app.store.db import close_database, open_database

    open_database(ledger_at(ledger))
    before = rss_mb()
    started = time.perf_counter()
    plan = importing.plan("roster", Path(workbook), year=2025)
    planned = time.perf_counter()
    importing.apply(plan)
    done = time.perf_counter()
    close_database()
    print(json.dumps({
        "rows": plan.accepted, "rejected": len(plan.rejected), "plan_s": planned - started,
        "total_s": done - started, "growth_mb": peak_mb() - before,
        # a big sheet's rows are read in a child process (exchange/reading/child.py): its own peak
        "child_mb": child_reader.peak_mb,
    }))


def step_calamine(workbook: str) -> None:
    from python_calamine import CalamineWorkbook

    before = rss_mb()
    started = time.perf_counter()
    book = CalamineWorkbook.from_path(workbook)
    rows = book.get_sheet_by_index(0).to_python()
    print(json.dumps({"rows": len(rows), "s": time.perf_counter() - started, "growth_mb": peak_mb() - before}))


def step_export(ledger: str, out: str) -> None:
    """Run in a child process: our export of the roster, its seconds and its own memory growth."""
    from desktop_app.services import exports
    from desktop_app.store.db import close_database, open_database

    open_database(ledger_at(ledger))
    before = rss_mb()
    result = exports.export("roster", Path(out), 2025)
    close_database()
    print(json.dumps({"s": result.seconds, "growth_mb": peak_mb() - before}))


def step_bare_writers(ledger: str, folder: str, openpyxl_too: str = "1") -> None:
    """Run in a child process: the same rows through bare XlsxWriter and openpyxl (the rows are
    materialised first, not timed; the writers' memory is not measured, the rows dwarf it)."""
    from desktop_app.services import exports
    from desktop_app.store.db import close_database, open_database

    open_database(ledger_at(ledger))
    rows = list(exports._roster(2025, exports.policy_for_year(2025), None, "青山镇"))
    close_database()
    times = {"XlsxWriter constant-memory": bare_xlsxwriter(Path(folder) / "bare.xlsx", rows)}
    if openpyxl_too == "1":
        times["openpyxl write-only"] = bare_openpyxl(Path(folder) / "bare-openpyxl.xlsx", rows)
    print(json.dumps(times))


def child(*args: str) -> dict:
    out = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def bare_xlsxwriter(path: Path, rows: list[list]) -> float:
    import xlsxwriter

    started = time.perf_counter()
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_formulas": False,
                                           "strings_to_numbers": False, "strings_to_urls": False})
    sheet = book.add_worksheet()
    money = book.add_format({"num_format": "0.00"})
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, int) and c >= 13:
                sheet.write_number(r, c, value / 100, money)
            elif isinstance(value, (int, float)):
                sheet.write_number(r, c, value)
            elif value is None:
                continue
            else:
                sheet.write_string(r, c, str(value))
    book.close()
    return time.perf_counter() - started


def bare_openpyxl(path: Path, rows: list[list]) -> float:
    """openpyxl's write-only mode on the same rows, as bare as the XlsxWriter run: one money format."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    started = time.perf_counter()
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    for row in rows:
        cells: list = []
        for c, value in enumerate(row):
            if isinstance(value, int) and c >= 13:
                cell = WriteOnlyCell(sheet, value=value / 100)
                cell.number_format = "0.00"
                cells.append(cell)
            elif value is None or isinstance(value, (int, float)):
                cells.append(value)
            else:
                cell = WriteOnlyCell(sheet, value=str(value))
                cell.data_type = "s"  # text, never a formula
                cells.append(cell)
        sheet.append(cells)
    book.save(str(path))
    return time.perf_counter() - started


def both_engines(args: argparse.Namespace, engines: list[str], folder: Path, workbook: Path,
                 bare: tuple[str, float], n: int | None) -> None:
    """The import (and an export of what it imported) on each engine, alternating, same workbook."""
    import psycopg

    sys.path.insert(0, str(ROOT / "tests"))
    from postgres_cluster import existing_server, start_cluster

    server = None
    if "postgresql" in engines:
        server = existing_server(args.pg_url) if args.pg_url else start_cluster()
    made: list[str] = []

    def target(engine: str, attempt: int) -> str:
        if engine == "sqlite":
            path = folder / f"target-{attempt}.sqlite"
            for leftover in folder.glob(f"{path.name}*"):
                leftover.unlink()
            return str(path)
        name = f"bench_exchange_{attempt}"
        with psycopg.connect(server.url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
        made.append(name)
        return server.url_for(name)

    imports: dict[str, list[dict]] = {e: [] for e in engines}
    reads: list[dict] = []
    last: dict[str, str] = {}
    try:
        for attempt in range(max(args.repeat, 1)):
            reads.append(child("--step", "calamine", str(workbook)))
            for engine in engines:
                last[engine] = target(engine, attempt)
                imports[engine].append(child("--step", "import", str(workbook), last[engine]))
        exports = {e: child("--step", "export", last[e], str(folder / f"export-{e}.xlsx")) for e in engines}
    finally:
        if server is not None:
            with psycopg.connect(server.url, autocommit=True) as conn:
                for name in set(made):
                    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            server.stop()
    best = {e: min(runs, key=lambda r: r["total_s"]) for e, runs in imports.items()}
    read = min(reads, key=lambda r: r["s"])
    n = n or best[engines[0]]["rows"] + best[engines[0]]["rejected"]
    writer, written = bare
    print(f"exchange benchmark on {', '.join(engines)}: {n:,} persons, best of {args.repeat} runs, files in {folder}")
    print("  bare calamine reads: " + ", ".join(f"{r['s']:.2f}" for r in reads) + " s")
    for engine in engines:
        print(f"  {engine} imports: " + ", ".join(f"{r['total_s']:.2f}" for r in imports[engine]) + " s")
    print(f"  bare python-calamine read (to_python), best: {read['s']:.2f} s, {read['growth_mb']:,.0f} MB growth;"
          f" bare {writer} of the same rows: {written:.2f} s")
    print(f"| {'what':<52} | " + " | ".join(f"{e:>14}" for e in engines) + " |")
    print(f"|{'-' * 54}|" + "|".join("-" * 16 for _ in engines) + "|")

    def line(what: str, cell) -> None:
        print(f"| {what:<52} | " + " | ".join(f"{cell(e):>14}" for e in engines) + " |")

    line("import roster: read + validate + match (dry run)", lambda e: f"{best[e]['plan_s']:.2f} s")
    line("import roster end to end (into an empty ledger)", lambda e: f"{best[e]['total_s']:.2f} s")
    line("  of which writing (end to end - dry run)", lambda e: f"{best[e]['total_s'] - best[e]['plan_s']:.2f} s")
    line("import / bare calamine read (same run)", lambda e: f"{best[e]['total_s'] / read['s']:.2f}x")
    line("import memory growth (peak RSS, worst run)",
         lambda e: f"{max(r['growth_mb'] for r in imports[e]):,.0f} MB")
    line("  the reading child process (peak RSS, worst run)",
         lambda e: f"{max(r['child_mb'] for r in imports[e]):,.0f} MB")
    line("export roster of the imported ledger", lambda e: f"{exports[e]['s']:.2f} s")
    line(f"export / bare {writer.split()[0]} (same rows)", lambda e: f"{exports[e]['s'] / written:.2f}x")
    line("export memory growth (peak RSS)", lambda e: f"{exports[e]['growth_mb']:,.0f} MB")
    line("rows accepted / rejected", lambda e: f"{best[e]['rows']:,} / {best[e]['rejected']:,}")
    if "sqlite" in engines and "postgresql" in engines:
        print(f"| {'PostgreSQL / SQLite: import':<52} | {best['postgresql']['total_s'] / best['sqlite']['total_s']:>13.2f}x |")
        write = {e: best[e]["total_s"] - best[e]["plan_s"] for e in ("sqlite", "postgresql")}
        print(f"| {'PostgreSQL / SQLite: import, writing only':<52} | {write['postgresql'] / write['sqlite']:>13.2f}x |")
        print(f"| {'PostgreSQL / SQLite: export':<52} | {exports['postgresql']['s'] / exports['sqlite']['s']:>13.2f}x |")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-openpyxl", action="store_true",
                        help="compare the export with bare XlsxWriter only (openpyxl is the slower; saves minutes at 1M)")
    parser.add_argument("--engines", default="sqlite",
                        help="comma-separated: sqlite, postgresql (import and export into each, same run)")
    parser.add_argument("--pg-url", help="a PostgreSQL server's maintenance URL (else a throwaway cluster)")
    parser.add_argument("--workbook", type=Path,
                        help="import this roster (its ledger source.sqlite beside it, copied, never written)"
                             " instead of generating one: a 1,000,000-row workbook takes minutes to make")
    parser.add_argument("--step", nargs="*")
    args = parser.parse_args()
    if args.step:
        steps = {"import": step_import, "calamine": step_calamine, "export": step_export,
                 "bare_writers": step_bare_writers}
        steps[args.step[0]](*args.step[1:])
        return

    from desktop_app.services.demo import DemoOptions, generate_demo
    from desktop_app.store.db import close_database, open_database

    folder = Path(tempfile.mkdtemp(prefix="ledger-exchange-"))
    source = folder / "source.sqlite"
    n: int | None = args.persons
    if args.workbook:  # the given roster is imported; our export and the bare writers read a copy of its ledger
        workbook = args.workbook.resolve()
        shutil.copyfile(workbook.parent / "source.sqlite", source)
        exported = None  # below, when only SQLite is asked for (else each engine exports what it imported)
        n = None  # counted from the import
    else:
        open_database(source)
        generate_demo(DemoOptions(persons=args.persons, seed=1, year=2025))
        close_database()
        workbook = folder / "roster.xlsx"
        exported = child("--step", "export", str(source), str(workbook))
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    if engines != ["sqlite"]:  # the engines against each other, each against the bare libraries
        writers = child("--step", "bare_writers", str(source), str(folder), "0")
        both_engines(args, engines, folder, workbook, next(iter(writers.items())), n)
        return
    if exported is None:
        exported = child("--step", "export", str(source), str(folder / "export.xlsx"))
    bare_writers = child("--step", "bare_writers", str(source), str(folder), "0" if args.skip_openpyxl else "1")
    fastest = min(bare_writers, key=bare_writers.__getitem__)
    bare = bare_writers[fastest]
    reads, imports = [], []
    for attempt in range(max(args.repeat, 1)):
        reads.append(child("--step", "calamine", str(workbook)))
        target = folder / f"target-{attempt}.sqlite"
        imports.append(child("--step", "import", str(workbook), str(target)))
        for leftover in folder.glob(f"{target.name}*"):
            leftover.unlink()
    read = min(reads, key=lambda r: r["s"])
    imported = min(imports, key=lambda r: r["total_s"])

    n = n or imported["rows"] + imported["rejected"]
    print(f"exchange benchmark: {n:,} persons, best of {len(reads)} runs, files in {folder}")
    print("  bare reads: " + ", ".join(f"{r['s']:.2f}" for r in reads) + " s; imports: "
          + ", ".join(f"{r['total_s']:.2f}" for r in imports) + " s")
    print(f"| {'what':<52} | {'figure':>28} |")
    print(f"|{'-' * 54}|{'-' * 30}|")
    print(f"| {'export roster (ours, styled, streamed from SQL)':<52} | {exported['s']:>8.2f} s {n / exported['s']:>9,.0f} rows/s |")
    for name, seconds in bare_writers.items():
        print(f"| {'bare ' + name + ', same rows':<52} | {seconds:>8.2f} s {n / seconds:>9,.0f} rows/s |")
    print(f"| {'export / fastest bare writer (' + fastest.split()[0] + ')':<52} | {exported['s'] / bare:>27.2f}x |")
    print(f"| {'export memory growth (peak RSS)':<52} | {exported['growth_mb']:>24,.0f} MB |")
    print(f"| {'bare python-calamine read of the roster':<52} | {read['s']:>8.2f} s {n / read['s']:>9,.0f} rows/s |")
    print(f"| {'import roster: read + validate + match (dry run)':<52} | {imported['plan_s']:>8.2f} s {n / imported['plan_s']:>9,.0f} rows/s |")
    print(f"| {'import roster end to end (into an empty ledger)':<52} | {imported['total_s']:>8.2f} s {n / imported['total_s']:>9,.0f} rows/s |")
    print(f"| {'import / bare calamine read':<52} | {imported['total_s'] / read['s']:>27.2f}x |")
    print(f"| {'import memory growth (peak RSS, worst run)':<52} | {max(r['growth_mb'] for r in imports):>24,.0f} MB |")
    print(f"| {'  the reading child process (peak RSS, worst run)':<52} | {max(r['child_mb'] for r in imports):>24,.0f} MB |")
    print(f"| {'bare calamine read (to_python) memory growth':<52} | {max(r['growth_mb'] for r in reads):>24,.0f} MB |")
    print(f"| {'rows accepted / rejected':<52} | {imported['rows']:>16,} / {imported['rejected']:<9,} |")


if __name__ == "__main__":
    main()
