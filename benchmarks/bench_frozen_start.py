"""Launch-to-window time of the frozen app (and of the source, for comparison); sizes.

    python benchmarks/bench_frozen_start.py                    # the installed or last built bundle
    python benchmarks/bench_frozen_start.py --exe PATH --runs 7 --source --deb build/deb/X.deb

Measured from outside, so it needs nothing from the app: the program is started on an X
server (Xvfb, started here when there is no $DISPLAY), and the time is taken when
``xdotool search --onlyvisible --pid`` first finds its window mapped. The ledger is a demo
township of ``--persons`` persons made beforehand with the same program, so no "empty ledger"
question opens. If the app prints ``enrollment-ledger: window shown <unix time>`` and quits when
ENROLLMENT_LEDGER_SMOKE=1 is set (the hook proposed in packaging/README.md), that time is
reported too. The first run follows ``--drop-caches`` when asked (root: a cold start, as after a
reboot); the others are warm. Figures are printed, never asserted.

Needs: Xvfb (package xvfb) and xdotool (package xdotool) on Debian, UOS and Kylin.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CANDIDATES = (
    Path("/opt/enrollment-ledger/enrollment-ledger"),
    ROOT / "build" / "pyinstaller" / "dist" / "enrollment-ledger" / "enrollment-ledger",
    ROOT / "dist" / "enrollment-ledger" / "enrollment-ledger",
)
SHOWN_PREFIX = "enrollment-ledger: window shown "


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def start_xvfb() -> tuple[subprocess.Popen, str]:
    read_fd, write_fd = os.pipe()
    server = subprocess.Popen(
        [
            "Xvfb",
            "-displayfd",
            str(write_fd),
            "-screen",
            "0",
            "1366x800x24",
            "-nolisten",
            "tcp",
            "-noreset",
        ],
        pass_fds=(write_fd,),
        stderr=subprocess.DEVNULL,
    )
    os.close(write_fd)
    with os.fdopen(read_fd) as pipe:
        number = pipe.readline().strip()
    if not number:
        server.kill()
        raise SystemExit("Xvfb did not start")
    return server, f":{number}"


def window_visible(pid: int, env: dict[str, str]) -> bool:
    found = subprocess.run(
        ["xdotool", "search", "--onlyvisible", "--pid", str(pid)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    return bool(found.stdout.strip())


def launch_once(command: list[str], env: dict[str, str], timeout: float = 60.0) -> float:
    """Seconds from start to the program's window mapped on the X server."""
    t0 = time.time()
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        while time.time() - t0 < timeout and process.poll() is None:
            if window_visible(process.pid, env):
                return time.time() - t0
            time.sleep(0.01)
        raise SystemExit(f"no window within {timeout:.0f} s: {' '.join(command)}")
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def hook_once(command: list[str], env: dict[str, str], timeout: float = 15.0) -> float | None:
    """Seconds to the app's own "window shown" line (ENROLLMENT_LEDGER_SMOKE=1), or None
    when the app has no such hook (it then just keeps running)."""
    t0 = time.time()
    process = subprocess.Popen(
        command,
        env={**env, "ENROLLMENT_LEDGER_SMOKE": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        out, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        return None
    for line in out.splitlines():
        if line.startswith(SHOWN_PREFIX):
            return float(line[len(SHOWN_PREFIX) :]) - t0
    return None


def drop_caches() -> bool:
    try:
        os.sync()
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
        return True
    except OSError:
        return False


def measure(label: str, command: list[str], env: dict[str, str], runs: int, cold: bool) -> None:
    dropped = drop_caches() if cold else False
    first = launch_once(command, env)
    rest = [launch_once(command, env) for _ in range(max(runs - 1, 0))]
    kind = "cold (caches dropped)" if dropped else "first"
    line = f"{label:<22} to window mapped, {kind}: {first:.2f} s"
    if rest:
        line += f"; warm median of {len(rest)}: {statistics.median(rest):.2f} s"
        line += f" (min {min(rest):.2f}, max {max(rest):.2f})"
    print(line)
    hooks = []
    for _ in range(max(runs, 1)):
        seconds = hook_once(command, env)
        if seconds is None:
            break
        hooks.append(seconds)
    if hooks:
        print(
            f"{'':<22} to the app's own 'window shown' line: median {statistics.median(hooks):.2f} s"
        )
    else:
        print(f"{'':<22} (no ENROLLMENT_LEDGER_SMOKE hook in this build)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--exe", type=Path, help="the frozen program (default: installed, else built)"
    )
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--persons", type=int, default=2000)
    parser.add_argument("--source", action="store_true", help="also time `python -m desktop_app`")
    parser.add_argument("--deb", type=Path, help="a .deb whose size to report")
    parser.add_argument("--drop-caches", action="store_true", help="make the first run cold (root)")
    args = parser.parse_args(argv)

    exe = args.exe or next((c for c in CANDIDATES if c.exists()), None)
    if exe is None or not exe.exists():
        raise SystemExit("no frozen program: run packaging/build-deb.sh (or pass --exe)")
    for tool in ("xdotool",) + (() if os.environ.get("DISPLAY") else ("Xvfb",)):
        if not shutil.which(tool):
            raise SystemExit(f"{tool} is needed: apt-get install xdotool xvfb")

    bundle = exe.resolve().parent
    print(f"program: {exe} -> {bundle}")
    print(
        f"bundle size: {folder_size(bundle) / 2**20:.1f} MB in {sum(1 for _ in bundle.rglob('*'))} files"
    )
    if args.deb:
        print(f".deb size: {args.deb.stat().st_size / 2**20:.1f} MB ({args.deb.name})")

    server = None
    with tempfile.TemporaryDirectory(prefix="bench-frozen-") as tmp:
        env = dict(os.environ)
        env.update(
            ENROLLMENT_LEDGER_DATA_DIR=str(Path(tmp) / "data"),
            XDG_CONFIG_HOME=str(Path(tmp) / "config"),
        )
        env.pop("QT_QPA_PLATFORM", None)  # a real (virtual) screen, so the window is mapped
        ledger = str(Path(tmp) / "demo.sqlite")

        t0 = time.perf_counter()
        subprocess.run([str(exe), "--version"], check=True, env=env, capture_output=True)
        print(f"`enrollment-ledger --version`: {time.perf_counter() - t0:.2f} s")
        t0 = time.perf_counter()
        subprocess.run(
            [str(exe), "--db", ledger, "demo", "--persons", str(args.persons)],
            check=True,
            env=env,
            capture_output=True,
        )
        print(f"`demo --persons {args.persons}` (frozen): {time.perf_counter() - t0:.2f} s")

        try:
            if not env.get("DISPLAY"):
                server, env["DISPLAY"] = start_xvfb()
            measure("frozen bundle", [str(exe), "--db", ledger], env, args.runs, args.drop_caches)
            if args.source:
                command = [sys.executable, "-m", "desktop_app", "--db", ledger]
                measure("source (python -m)", command, env, args.runs, False)
        finally:
            if server is not None:
                server.terminate()
                server.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
