"""The .deb end to end, as a township clerk's laptop gets it: build, install, use, remove.

Builds the bundle and the .deb with packaging/build-deb.sh (PyInstaller is pip-installed into
this interpreter first when missing, from pyproject's ``packaging`` extra), installs it with
``dpkg -i`` on this machine (root, or passwordless sudo), and with the installed
/usr/bin/enrollment-ledger: ``--version``, ``--help`` of every command, a ledger in the user's
data folder, a demo township, ``check``, ``policy``, a summary export, the window (offscreen),
reinstalling over itself; then ``dpkg -r``, after which the program's files are gone and both
ledgers are byte for byte what they were.

Skipped only where there is no dpkg. Installs and removes the package ``enrollment-ledger``
on this machine: a copy installed by hand beforehand is removed too.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from desktop_app import __version__
from desktop_app.cli.main import build_parser
from tests.packaging.conftest import PACKAGING, ROOT, load_layout

pytestmark = pytest.mark.slow

PACKAGE = "enrollment-ledger"
INSTALLED = Path("/usr/bin/enrollment-ledger")
OPT = Path("/opt/enrollment-ledger")
DESKTOP = Path("/usr/share/applications/enrollment-ledger.desktop")
ICON = Path("/usr/share/icons/hicolor/256x256/apps/enrollment-ledger.png")
DEB_SIZE_GOAL = 120 * 2**20
GUI_WAIT = 3.0


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def root_prefix() -> list[str]:
    if os.geteuid() == 0:
        return []
    if (
        shutil.which("sudo")
        and subprocess.run(["sudo", "-n", "true"], capture_output=True, check=False).returncode == 0
    ):
        return ["sudo", "-n"]
    pytest.fail("installing a .deb needs root or passwordless sudo")


def dpkg(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*root_prefix(), "dpkg", *args],
        capture_output=True,
        text=True,
        check=check,
        timeout=300,
        env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
    )


def is_installed() -> bool:
    query = subprocess.run(
        ["dpkg-query", "-W", "-f=${Status}", PACKAGE], capture_output=True, text=True, check=False
    )
    return query.returncode == 0 and "ok installed" in query.stdout


def ensure_pyinstaller() -> None:
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        requirements = load_layout().packaging_requirements()
        subprocess.run(
            [sys.executable, "-m", "pip", "install", "-q", *requirements], check=True, timeout=600
        )


def command_names() -> list[str]:
    parser = build_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return sorted(commands.choices)


def clerk_env(home: Path) -> dict[str, str]:
    """A user with their own home: the data folder is the real default, ~/.local/share/…"""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "ENROLLMENT_LEDGER_"))}
    env.update(HOME=str(home), QT_QPA_PLATFORM="offscreen")
    return env


def run(env: dict[str, str], *args: str, ok: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [str(INSTALLED), *args], capture_output=True, text=True, env=env, timeout=300, check=False
    )
    if ok:
        assert result.returncode == 0, (
            f"{args}: {result.returncode}\n{result.stdout}\n{result.stderr}"
        )
    return result


def window_starts(env: dict[str, str], ledger: Path) -> str:
    """Start the window offscreen; it must show and keep running (or quit by the smoke hook)."""
    smoke = {**env, "ENROLLMENT_LEDGER_SMOKE": "1"}
    process = subprocess.Popen(
        [str(INSTALLED), "--db", str(ledger)],
        env=smoke,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        out, err = process.communicate(timeout=GUI_WAIT)
    except subprocess.TimeoutExpired:  # no smoke hook yet: still running after 3 s is the pass
        process.terminate()
        out, err = process.communicate(timeout=30)
        assert "Traceback" not in err, err
        return "running after 3 s"
    # it quit by itself: only the smoke hook may make it do that, and with status 0
    assert process.returncode == 0, f"the window quit with {process.returncode}:\n{err}"
    assert "window shown" in out, f"the window quit without showing:\n{out}\n{err}"
    return "shown (smoke hook)"


def export_summary(env: dict[str, str], ledger: Path, out: Path) -> str:
    """The county summary workbook, or, while ``export`` is a stub, its current behaviour."""
    help_text = run(env, "export", "--help").stdout
    if "not yet available" in help_text:
        stub = run(env, "--db", str(ledger), "export", ok=False)
        assert stub.returncode == 1 and "not yet available" in stub.stderr
        # TODO(issue 4): the export stub is still there; the summary check below runs once it lands.
        shown = run(env, "--db", str(ledger), "policy", "show", "--year", "2025")
        assert "2025" in shown.stdout
        return "export not available yet: policy show checked instead"
    result = run(env, "--db", str(ledger), "export", "summary", str(out), "--year", "2025")
    assert out.is_file(), result.stdout
    with zipfile.ZipFile(out) as workbook:
        assert "xl/workbook.xml" in workbook.namelist()
        strings = (
            workbook.read("xl/sharedStrings.xml").decode("utf-8")
            if ("xl/sharedStrings.xml" in workbook.namelist())
            else ""
        )
        sheets = "".join(
            workbook.read(name).decode("utf-8")
            for name in workbook.namelist()
            if name.startswith("xl/worksheets/")
        )
    assert "合计" in strings + sheets, "the summary has no 合计 row"
    return f"summary exported ({out.stat().st_size:,} bytes)"


@pytest.mark.skipif(
    shutil.which("dpkg") is None or shutil.which("dpkg-deb") is None,
    reason="no dpkg: not a Debian-like system",
)
def test_deb_installs_runs_and_removes_cleanly(tmp_path):
    started = time.monotonic()
    ensure_pyinstaller()
    if is_installed():
        dpkg("-r", PACKAGE)

    # build
    build = subprocess.run(
        [
            "bash",
            str(PACKAGING / "build-deb.sh"),
            "--out",
            str(tmp_path / "deb"),
            "--work",
            str(tmp_path / "pyinstaller"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
        env={**os.environ, "PYTHON": sys.executable},
    )
    assert build.returncode == 0, build.stdout + build.stderr
    deb = Path(build.stdout.strip().splitlines()[-1])
    assert deb.is_file() and deb.suffix == ".deb"
    assert deb.stat().st_size < DEB_SIZE_GOAL, f"{deb.stat().st_size / 2**20:.0f} MB"
    built = time.monotonic()

    home = tmp_path / "home"
    home.mkdir()
    env = clerk_env(home)
    data_ledger = home / ".local" / "share" / "enrollment-ledger" / "ledger.sqlite"
    demo = tmp_path / "work" / "demo.sqlite"
    demo.parent.mkdir()
    try:
        dpkg("-i", str(deb))
        assert is_installed()
        assert INSTALLED.is_symlink() and INSTALLED.resolve() == OPT / "enrollment-ledger"
        assert DESKTOP.is_file() and ICON.is_file()
        files = [Path(line) for line in dpkg("-L", PACKAGE).stdout.splitlines() if line.strip()]

        # the command line, from the PATH
        assert run(env, "--version").stdout.strip() == f"enrollment-ledger {__version__}"
        for name in command_names():
            run(env, name, "--help")
        run(env, "init", "--township", "青山镇", "--township-code", "431199101")
        assert data_ledger.is_file(), (
            "the default ledger is not in ~/.local/share/enrollment-ledger"
        )
        run(env, "--db", str(demo), "demo", "--persons", "2000")
        assert "healthy" in run(env, "--db", str(demo), "check").stdout
        run(env, "--db", str(demo), "check", "--charges")
        run(
            env,
            "--db",
            str(demo),
            "policy",
            "load",
            str(OPT / "_internal/resources/policies/2024.toml"),
        )
        exported = export_summary(env, demo, tmp_path / "work" / "summary.xlsx")

        # the window
        gui = window_starts(env, demo)

        # upgrade path: installing again over itself keeps the ledgers
        kept = {data_ledger: sha256(data_ledger), demo: sha256(demo)}
        dpkg("-i", str(deb))
        assert {path: sha256(path) for path in kept} == kept
        run(env, "--db", str(demo), "check")
        kept[demo] = sha256(demo)
    finally:
        if is_installed():
            dpkg("-r", PACKAGE, check=False)

    # removed: every file of the package gone, the ledgers untouched
    assert not is_installed()
    left = [p for p in files if p.is_file() or p.is_symlink()]
    assert not left, f"left behind: {left[:5]}"
    assert not OPT.exists() and not INSTALLED.exists() and not DESKTOP.exists()
    assert {path: sha256(path) for path in kept} == kept
    print(
        f"\n.deb {deb.stat().st_size / 2**20:.1f} MB; build {built - started:.0f} s, "
        f"whole test {time.monotonic() - started:.0f} s; window: {gui}; {exported}"
    )
