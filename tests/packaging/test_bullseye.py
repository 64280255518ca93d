"""Proof that the Debian 11 build reaches old systems (issue 19): opt-in, it needs the built root.

    sudo packaging/build-bullseye.sh                          # the root, CPython, the .deb
    ENROLLMENT_LEDGER_BULLSEYE=1 pytest tests/packaging/test_bullseye.py -s

1. Every ELF file the .deb ships is read with ``readelf -V`` and the GLIBC_ / GLIBCXX_ symbol
   versions it needs from the system are collected (a version provided by a library the bundle
   carries itself does not count). The test fails when one is newer than the target: glibc 2.28
   and libstdc++ GLIBCXX_3.4.25 (GCC 8), i.e. UOS 20; ``ENROLLMENT_LEDGER_GLIBC_TARGET`` moves
   the glibc target. The newest versions found are printed, with the files that need them.
2. The .deb is installed with dpkg inside a clean Debian 11 root (debootstrap minbase plus the
   .deb's Depends and one CJK font it recommends, made by the build script; chroot, /proc
   mounted for the run),
   and there, as a clerk with their own home: ``--version``, ``init``, ``demo``, a roster
   exported from the demo and imported into the clerk's ledger, the summary exported, and the
   window started offscreen, which saves a screenshot (ENROLLMENT_LEDGER_SMOKE_SHOT); then
   ``dpkg -r``. The screenshot is kept as build/deb-bullseye/window-debian11.png.

Without ``ENROLLMENT_LEDGER_BULLSEYE`` both tests are skipped (CI has no root built); with it,
a missing .deb or root is a failure, not a skip.
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import time
import zipfile
from pathlib import Path

import pytest

from desktop_app import __version__
from tests.packaging.conftest import ROOT

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not os.environ.get("ENROLLMENT_LEDGER_BULLSEYE"),
        reason="opt-in: set ENROLLMENT_LEDGER_BULLSEYE=1 after packaging/build-bullseye.sh",
    ),
]

CACHE = Path(
    os.environ.get("ENROLLMENT_LEDGER_BUILD_CACHE")
    or Path.home() / ".cache" / "enrollment-ledger-build"
)
#: a clean Debian 11 (minbase and the .deb's Depends), not the build root with its -dev packages
ROOTFS = CACHE / "bullseye-amd64-clean"
DEB_DIR = ROOT / "build" / "deb-bullseye"
GLIBC_TARGET = tuple(
    int(n) for n in os.environ.get("ENROLLMENT_LEDGER_GLIBC_TARGET", "2.28").split(".")
)
GLIBCXX_TARGET = (3, 4, 25)  # GCC 8's libstdc++, as on UOS 20 (and RHEL 8)
CLERK_HOME = "/home/clerk"


def version(text: str) -> tuple[int, ...]:
    return tuple(int(n) for n in text.split("."))


def dotted(numbers: tuple[int, ...]) -> str:
    return ".".join(map(str, numbers))


@pytest.fixture(scope="module")
def deb() -> Path:
    debs = sorted(DEB_DIR.glob("enrollment-ledger_*.deb"))
    assert debs, f"no .deb in {DEB_DIR}: run packaging/build-bullseye.sh first"
    return debs[-1]


def elf_files(folder: Path) -> list[Path]:
    found = []
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as handle:
                if handle.read(4) == b"\x7fELF":
                    found.append(path)
    return found


def needed_versions(path: Path) -> list[tuple[str, str]]:
    """(library, version name) from the ELF's version-needs section (``readelf -V``)."""
    out = subprocess.run(
        ["readelf", "-V", "-W", str(path)], capture_output=True, text=True, check=True
    ).stdout
    needs = out.split("Version needs section", 1)
    result: list[tuple[str, str]] = []
    library = ""
    for line in needs[1].splitlines() if len(needs) > 1 else []:
        if (match := re.search(r"File: (\S+)", line)) is not None:
            library = match.group(1)
        elif (match := re.search(r"Name: (\S+)", line)) is not None:
            result.append((library, match.group(1)))
    return result


def test_no_elf_in_the_deb_needs_a_newer_glibc_than_uos_20(deb, tmp_path):
    if shutil.which("readelf") is None:
        pytest.fail("readelf (binutils) is needed")
    subprocess.run(["dpkg-deb", "-x", str(deb), str(tmp_path)], check=True)
    files = elf_files(tmp_path / "opt")
    assert len(files) > 50, f"only {len(files)} ELF files in {deb.name}"
    bundled = {path.name for path in (tmp_path / "opt").rglob("*.so*")}
    newest = {"GLIBC": ((0,), []), "GLIBCXX": ((0,), [])}
    too_new = []
    for path in files:
        name = path.relative_to(tmp_path / "opt")
        for library, need in needed_versions(path):
            if library in bundled:
                continue  # the bundle carries that library itself
            match = re.fullmatch(r"(GLIBC|GLIBCXX)_(\d+(?:\.\d+)+)", need)
            if match is None:
                continue
            kind, numbers = match.group(1), version(match.group(2))
            best, where = newest[kind]
            if numbers > best:
                newest[kind] = (numbers, [name])
            elif numbers == best:
                where.append(name)
            limit = GLIBC_TARGET if kind == "GLIBC" else GLIBCXX_TARGET
            if numbers > limit:
                too_new.append(f"{name}: {need} from {library}")
    report = ", ".join(
        f"{kind}_{dotted(numbers)} ({len(where)} files, e.g. {where[0]})"
        if where
        else f"no {kind} version from the system"
        for kind, (numbers, where) in newest.items()
    )
    depends = subprocess.run(
        ["dpkg-deb", "-f", str(deb), "Depends"], capture_output=True, text=True, check=True
    ).stdout.strip()
    print(f"\n{deb.name}: {len(files)} ELF files; newest needed: {report}; Depends: {depends}")
    libc = re.search(r"libc6 \(>= ([0-9.]+)\)", depends)
    assert libc and version(libc.group(1)) <= GLIBC_TARGET, f"dpkg would refuse: {depends}"
    assert not too_new, (
        f"newer than GLIBC_{dotted(GLIBC_TARGET)} / GLIBCXX_{dotted(GLIBCXX_TARGET)}:\n"
        + "\n".join(sorted(set(too_new))[:40])
    )


class Root:
    """The Debian 11 root, with /proc mounted while a test uses it."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def run(self, *args: str, ok: bool = True, timeout: int = 300) -> subprocess.CompletedProcess:
        env = [
            "PATH=/usr/sbin:/usr/bin:/sbin:/bin",
            f"HOME={CLERK_HOME}",
            "LANG=C.UTF-8",
            "QT_QPA_PLATFORM=offscreen",
            "DEBIAN_FRONTEND=noninteractive",
        ]
        result = subprocess.run(
            ["chroot", str(self.path), "/usr/bin/env", "-i", *env, *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if ok:
            assert result.returncode == 0, (
                f"{args}: {result.returncode}\n{result.stdout}\n{result.stderr}"
            )
        return result


@pytest.fixture()
def root():
    if os.geteuid() != 0:
        pytest.fail("chroot into the Debian 11 root needs root")
    assert (ROOTFS / ".el-root-ok").is_file(), (
        f"no root at {ROOTFS}: run packaging/build-bullseye.sh"
    )
    proc = ROOTFS / "proc"
    mounted_here = not os.path.ismount(proc)
    if mounted_here:
        subprocess.run(["mount", "-t", "proc", "proc", str(proc)], check=True)
    try:
        yield Root(ROOTFS)
    finally:
        if mounted_here:
            subprocess.run(["umount", str(proc)], check=False)


def test_the_deb_installs_and_works_in_debian_11(deb, root, tmp_path):
    glibc = root.run("ldd", "--version").stdout.splitlines()[0]
    assert "2.31" in glibc, glibc
    work = ROOTFS / "tmp" / "el-proof"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    shutil.copy(deb, work / deb.name)
    home = ROOTFS / CLERK_HOME.lstrip("/")
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    app = "/usr/bin/enrollment-ledger"
    steps: list[str] = []
    try:
        root.run("dpkg", "-i", f"/tmp/el-proof/{deb.name}")
        assert root.run("dpkg-query", "-W", "-f=${Status}", "enrollment-ledger").stdout.endswith(
            "ok installed"
        )

        begun = time.monotonic()
        shown = root.run(app, "--version").stdout.strip()
        assert shown == f"enrollment-ledger {__version__}"
        steps.append(f"--version: {shown} ({time.monotonic() - begun:.2f} s)")

        out = root.run(app, "init", "--township", "青山镇", "--township-code", "431199101").stdout
        assert (home / ".local/share/enrollment-ledger/ledger.sqlite").is_file(), out
        steps.append(out.strip())
        out = root.run(app, "--db", "/tmp/el-proof/demo.sqlite", "demo", "--persons", "300").stdout
        steps.append(out.strip().splitlines()[-1])
        out = root.run(
            app,
            "--db",
            "/tmp/el-proof/demo.sqlite",
            "export",
            "roster",
            "/tmp/el-proof/roster.xlsx",
        ).stdout
        steps.append(out.strip().splitlines()[-1])
        out = root.run(app, "import", "roster", "/tmp/el-proof/roster.xlsx").stdout
        assert "300 accepted" in out, out
        steps.append(out.strip().splitlines()[-1])
        # the program is also its own reading child (a big sheet's rows on the other core): asked
        # for nothing, it says it is ready and ends, without opening the command line
        child = root.run("sh", "-c", f"{app} --reading-child < /dev/null | od -An -c | head -c 200")
        assert "ready" in child.stdout.replace(" ", "") and not child.stderr.strip(), child
        steps.append("--reading-child answers ready")
        out = root.run(app, "export", "summary", "/tmp/el-proof/summary.xlsx").stdout
        steps.append(out.strip().splitlines()[-1])
        with zipfile.ZipFile(work / "summary.xlsx") as workbook:
            text = "".join(
                workbook.read(name).decode("utf-8")
                for name in workbook.namelist()
                if name.endswith(".xml")
            )
        assert "合计" in text, "the summary has no 合计 row"

        begun = time.monotonic()
        window = root.run(
            "env",
            "ENROLLMENT_LEDGER_SMOKE=1",
            "ENROLLMENT_LEDGER_SMOKE_SHOT=/tmp/el-proof/window.png",
            app,
            "--db",
            "/tmp/el-proof/demo.sqlite",
        )
        assert "window shown" in window.stdout, window.stdout + window.stderr
        assert "saved=True" in window.stdout, window.stdout + window.stderr
        picture = (work / "window.png").read_bytes()
        assert picture[:8] == b"\x89PNG\r\n\x1a\n"
        width, height = struct.unpack(">II", picture[16:24])
        assert width >= 400 and height >= 300
        DEB_DIR.mkdir(parents=True, exist_ok=True)
        shutil.copy(work / "window.png", DEB_DIR / "window-debian11.png")
        steps.append(
            f"window shown offscreen, screenshot {width}x{height} ({time.monotonic() - begun:.2f} s)"
        )
    finally:
        root.run("dpkg", "-r", "enrollment-ledger", ok=False)
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(home, ignore_errors=True)
    assert not (ROOTFS / "opt" / "enrollment-ledger").exists()
    print(f"\nin Debian 11 ({glibc}):\n  " + "\n  ".join(steps))
