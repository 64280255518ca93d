"""Read-only probe for the chunked .xlsx reader: one workbook (the exchange benchmark's
roster.xlsx, or any) read through RawSheet.rows() whole-sheet and chunked (in a child process, in
process with the worker thread, in process on one thread), against bare calamine, each in a fresh
process; prints seconds, CPU seconds (the caller's and the child's) and peak RSS growth. Usage:
``python benchmarks/probe_chunked_read.py path/to/roster.xlsx [--chunk-bytes N ...]``."""

from __future__ import annotations

import argparse
import functools
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from _common import peak_mb, rss_mb


def step(workbook: str, mode: str, chunk_bytes: str) -> None:
    from python_calamine import CalamineWorkbook

    from desktop_app.exchange.reading import chunks, large

    before = rss_mb()
    started = time.perf_counter()
    rows = 0
    if mode == "calamine":
        rows = len(CalamineWorkbook.from_path(workbook).get_sheet_by_index(0).to_python())
    else:
        large.CHUNKED_PART_BYTES = float("inf") if mode == "whole" else 0
        large.IN_CHILD = mode == "child"
        if mode == "one-core":
            large.padded = functools.partial(large.padded, threaded=False)
        chunks.CHUNK_BYTES = int(chunk_bytes)
        data = Path(workbook).read_bytes()
        sheet = large.read_workbook_chunked(data, workbook)[0]
        for _ in sheet.rows():
            rows += 1
    times = os.times()
    print(json.dumps({"mode": mode, "rows": rows, "s": round(time.perf_counter() - started, 2),
                      "cpu": round(times.user + times.system, 2),
                      "child_cpu": round(times.children_user + times.children_system, 2),
                      "growth_mb": round(peak_mb() - before, 1)}))


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--step":
        step(*sys.argv[2:5])
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("workbook")
    parser.add_argument("--chunk-bytes", type=int, nargs="*", default=[3 << 19])
    args = parser.parse_args()
    runs = [("calamine", "0"), ("whole", "0")] + [(m, str(b)) for b in args.chunk_bytes
                                                  for m in ("child", "threaded", "one-core")]
    for mode, size in runs:
        out = subprocess.run([sys.executable, __file__, "--step", args.workbook, mode, size],
                             capture_output=True, text=True, check=True)
        result = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"{mode:9} chunk_bytes={size:>9}  rows={result['rows']}  {result['s']:.2f} s  "
              f"cpu {result['cpu']:.2f} s (+{result['child_cpu']:.2f} s in the child)  "
              f"+{result['growth_mb']:.0f} MB")


if __name__ == "__main__":
    main()
