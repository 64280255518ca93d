"""What the frozen bundle holds and what it is called: one place for the spec, the .deb script,
the Inno Setup checks and the tests.

Plain Python with no PyInstaller or Qt import, so that a fast test can read it.

- ``app_name()`` and ``app_version()`` come from ``pyproject.toml`` (``[project] name``, and the
  version from ``[tool.setuptools.dynamic] version.attr``, i.e. ``desktop_app.__version__``),
  read as text: nothing is imported, as in TagStudio's spec.
- ``DATA_GLOBS`` lists the data files explicitly, each glob with the folder it goes to inside
  the bundle; ``data_files()`` expands them and refuses an empty glob.
- ``EXCLUDED_MODULES`` are the Qt modules (and others) the app never loads.
"""

from __future__ import annotations

import ast
import re
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = ROOT / "pyproject.toml"

#: The one-folder bundle: dist/<BUNDLE_DIR>/<exe> and dist/<BUNDLE_DIR>/_internal/...
BUNDLE_DIR = "enrollment-ledger"
CONTENTS_DIR = "_internal"
#: The executable that is both the window (no arguments) and the command line.
EXE_NAME = "enrollment-ledger"
#: Windows only: a second executable built without a console, for the Start-menu shortcut, so
#: that opening the window does not also open a black console window. Same code, same folder.
WINDOWS_GUI_EXE_NAME = "enrollment-ledger-gui"

#: (glob relative to the repository root, destination folder inside the bundle)
DATA_GLOBS: tuple[tuple[str, str], ...] = (
    ("resources/policies/*.toml", "resources/policies"),
    ("resources/translations/*.qm", "resources/translations"),
    ("resources/icons/enrollment-ledger.png", "resources/icons"),
    ("resources/icons/enrollment-ledger.ico", "resources/icons"),
)

#: Qt's own translations kept in the bundle (PyInstaller's Qt hooks collect every language;
#: the spec drops all but these). ``desktop_app.ui.i18n`` loads ``qtbase_zh_CN`` for the buttons
#: of standard dialogs; ``qt_zh_CN`` is the catalogue that includes it.
QT_TRANSLATIONS_KEPT = ("qtbase_zh_CN.qm", "qt_zh_CN.qm")

#: The app uses QtCore, QtGui, QtWidgets; QtCharts, QtPrintSupport and QtSvg are coming, so they
#: stay available (QtCharts links QtOpenGL/QtOpenGLWidgets, which therefore stay too).
EXCLUDED_QT_MODULES: tuple[str, ...] = tuple(
    f"PySide6.{name}"
    for name in (
        "Qt3DAnimation",
        "Qt3DCore",
        "Qt3DExtras",
        "Qt3DInput",
        "Qt3DLogic",
        "Qt3DRender",
        "QtAxContainer",
        "QtBluetooth",
        "QtConcurrent",
        "QtDataVisualization",
        "QtDesigner",
        "QtGraphs",
        "QtGraphsWidgets",
        "QtHelp",
        "QtHttpServer",
        "QtLocation",
        "QtMultimedia",
        "QtMultimediaWidgets",
        "QtNetwork",
        "QtNetworkAuth",
        "QtNfc",
        "QtPdf",
        "QtPdfWidgets",
        "QtPositioning",
        "QtQml",
        "QtQuick",
        "QtQuick3D",
        "QtQuickControls2",
        "QtQuickTest",
        "QtQuickWidgets",
        "QtRemoteObjects",
        "QtScxml",
        "QtSensors",
        "QtSerialBus",
        "QtSerialPort",
        "QtSpatialAudio",
        "QtSql",
        "QtStateMachine",
        "QtTest",
        "QtTextToSpeech",
        "QtUiTools",
        "QtWebChannel",
        "QtWebEngineCore",
        "QtWebEngineQuick",
        "QtWebEngineWidgets",
        "QtWebSockets",
        "QtWebView",
        "QtXml",
    )
)
EXCLUDED_MODULES: tuple[str, ...] = EXCLUDED_QT_MODULES + ("tkinter", "_tkinter", "PyInstaller")

#: Qt plugins PyInstaller's hooks collect that the app does not need, as (plugin folder, part of
#: the file name; "" for the whole folder). Kept: the xcb and wayland platforms (Linux desktops),
#: windows (Windows), offscreen and minimal (tests, screenshots), the ibus and compose input
#: contexts (Chinese input methods), the image formats and the SVG icon engine.
EXCLUDED_QT_PLUGINS: tuple[tuple[str, str], ...] = (
    ("platforminputcontexts", "qtvirtualkeyboardplugin"),  # pulls QtQuick, QtQml, QtNetwork
    ("imageformats", "qpdf"),  # pulls QtPdf
    ("generic", "qtuiotouchplugin"),  # pulls QtNetwork
    ("platforms", "qvnc"),
    ("platforms", "qlinuxfb"),
    ("platforms", "qvkkhrdisplay"),
    ("platforms", "qeglfs"),
    ("platforms", "qminimalegl"),
    ("platforms", "qwebgl"),
    ("egldeviceintegrations", ""),
    # GTK3 theme: loads the target's own GTK next to our copies of pango/cairo (a crash waiting
    # for a mismatched pair); Qt's own dialogs and style serve instead.
    ("platformthemes", "qgtk3"),
)
#: Qt libraries only those plugins needed (matched, lower case, at the start of the file name
#: after an optional "lib": libQt6Quick.so.6 on Linux, Qt6Quick.dll on Windows).
EXCLUDED_QT_LIBRARIES: tuple[str, ...] = (
    "qt6quick",
    "qt6qml",
    "qt6pdf",
    "qt6network",
    "qt6virtualkeyboard",
    "qt6eglfs",
)


def keep_in_bundle(dest: str) -> bool:
    """False for a collected file (its path inside the bundle) that the spec leaves out."""
    path = "/" + dest.replace("\\", "/").lower()
    base = path.rsplit("/", 1)[-1]
    if "/qt/translations/" in path or "/pyside6/translations/" in path:
        return base in {name.lower() for name in QT_TRANSLATIONS_KEPT}
    for folder, part in EXCLUDED_QT_PLUGINS:
        if f"/plugins/{folder}/" in path and part in base:
            return False
    stem = base.removeprefix("lib")
    return not stem.startswith(EXCLUDED_QT_LIBRARIES)


def _pyproject_text() -> str:
    return PYPROJECT.read_text(encoding="utf-8")


def _load_pyproject() -> dict:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # tomli is a dependency of the app on 3.10
        import tomli as tomllib
    return tomllib.loads(_pyproject_text())


def app_name() -> str:
    return str(_load_pyproject()["project"]["name"])


def app_version() -> str:
    """``[project] version`` if static, else the attribute named by setuptools' dynamic version."""
    project = _load_pyproject()["project"]
    if "version" in project:
        return str(project["version"])
    attr = _load_pyproject()["tool"]["setuptools"]["dynamic"]["version"]["attr"]
    module, _, name = attr.rpartition(".")
    path = ROOT.joinpath(*module.split("."))
    source = path / "__init__.py" if path.is_dir() else path.with_suffix(".py")
    for node in ast.parse(source.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == name for t in node.targets
        ):
            return str(ast.literal_eval(node.value))
    raise LookupError(f"{attr} not found in {source}")


def packaging_requirements() -> list[str]:
    """The ``packaging`` optional dependencies (PyInstaller), as pip arguments."""
    return list(_load_pyproject()["project"]["optional-dependencies"]["packaging"])


def debian_version(version: str | None = None) -> str:
    """PEP 440 to Debian: pre-releases sort before the release (``1.0rc1`` -> ``1.0~rc1``)."""
    version = version or app_version()
    return re.sub(r"\.?(a|b|rc|dev)(\d*)", r"~\1\2", version)


def windows_version_tuple(version: str | None = None) -> tuple[int, int, int, int]:
    """Four integers for the Windows version resource (``0.1.0`` -> ``(0, 1, 0, 0)``)."""
    numbers = [int(n) for n in re.findall(r"\d+", (version or app_version()).split("+")[0])][:4]
    return tuple(numbers + [0] * (4 - len(numbers)))  # type: ignore[return-value]


def data_files() -> list[tuple[str, str]]:
    """(absolute source file, destination folder) for each data file; an empty glob is an error."""
    result: list[tuple[str, str]] = []
    for pattern, dest in DATA_GLOBS:
        matches = sorted(ROOT.glob(pattern))
        if not matches:
            raise FileNotFoundError(f"no file matches {pattern!r} (run packaging/make_icon.py?)")
        result += [(str(path), dest) for path in matches]
    return result


def bundled_data_paths() -> list[str]:
    """Where each data file lands, relative to the contents folder (``resources/policies/2025.toml``)."""
    return [f"{dest}/{Path(src).name}" for src, dest in data_files()]


def glibc_required(folder: Path) -> str:
    """The newest ``GLIBC_2.x`` symbol version any ELF file under ``folder`` asks for.

    The bundle runs only where the C library is at least that new: the .deb says so in
    ``Depends: libc6 (>= …)``, so that dpkg refuses an older system instead of the program
    failing at its first start. It is the build machine's that counts (see packaging/README.md).
    Read from each file's version-needs entries (what the dynamic linker checks), not from its
    strings: packaging/glibc_compat.py leaves the old name in the string table when it rebinds.
    """
    newest = (2, 0)
    for path in sorted(Path(folder).rglob("*")):
        if path.is_symlink() or not path.is_file():
            continue
        with path.open("rb") as handle:
            if handle.read(4) != b"\x7fELF":
                continue
            handle.seek(0)
            data = handle.read()
        for found in _needed_glibc_versions(data):
            newest = max(newest, tuple(int(n) for n in found.split(".")))
    return ".".join(str(n) for n in newest)


def _needed_glibc_versions(data: bytes) -> set[str]:
    """``2.x`` of each ``GLIBC_2.x`` in an ELF file's version needs (any ELF class and order)."""
    wide, order = data[4] == 2, "<" if data[5] == 1 else ">"
    if wide:
        shoff = struct.unpack_from(order + "Q", data, 0x28)[0]
        shentsize, shnum = struct.unpack_from(order + "HH", data, 0x3A)
        header = order + "IIQQQQI"
    else:
        shoff = struct.unpack_from(order + "I", data, 0x20)[0]
        shentsize, shnum = struct.unpack_from(order + "HH", data, 0x2E)
        header = order + "IIIIIII"
    sections = [struct.unpack_from(header, data, shoff + i * shentsize) for i in range(shnum)]
    found: set[str] = set()
    for _name, kind, _flags, _addr, offset, _size, link in sections:
        if kind != 0x6FFFFFFE:  # SHT_GNU_verneed
            continue
        strtab = sections[link][4]
        entry = offset
        while True:
            _version, count, _file, aux_off, next_off = struct.unpack_from(
                order + "HHIII", data, entry
            )
            aux = entry + aux_off
            for _ in range(count):
                name_off, aux_next = struct.unpack_from(order + "II", data, aux + 8)
                name = data[strtab + name_off : data.index(b"\0", strtab + name_off)]
                if match := re.fullmatch(rb"GLIBC_(2\.[0-9]+(?:\.[0-9]+)?)", name):
                    found.add(match.group(1).decode())
                aux += aux_next
            if not next_off:
                break
            entry += next_off
    return found


if __name__ == "__main__":  # used by build-deb.sh and the Windows workflow
    what = sys.argv[1] if len(sys.argv) > 1 else "version"
    commands = {
        "name": app_name,
        "version": app_version,
        "debian-version": debian_version,
        "windows-version": lambda: ".".join(map(str, windows_version_tuple())),
        "requirements": lambda: " ".join(packaging_requirements()),
        "glibc": lambda: glibc_required(Path(sys.argv[2])),
    }
    print(commands[what]())
