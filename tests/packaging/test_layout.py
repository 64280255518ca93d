"""What can be checked of the installers without building them (fast; runs everywhere).

The Windows installer is built only by .github/workflows/windows-installer.yml; here we check
that the spec, the Inno Setup script and the workflow agree on paths, names and the version,
and that every file they name exists.
"""

from __future__ import annotations

import ast
import configparser
import os
import re
import shutil
import struct
import subprocess
import sys
from pathlib import Path, PureWindowsPath

import pytest

import desktop_app
from tests.packaging.conftest import PACKAGING, ROOT

SPEC = PACKAGING / "enrollment-ledger.spec"
ISS = PACKAGING / "windows" / "enrollment-ledger.iss"
WORKFLOW = ROOT / ".github" / "workflows" / "windows-installer.yml"
BUILD_DEB = PACKAGING / "build-deb.sh"
DESKTOP = PACKAGING / "linux" / "enrollment-ledger.desktop"
ICON_PNG = ROOT / "resources" / "icons" / "enrollment-ledger.png"
ICON_ICO = ROOT / "resources" / "icons" / "enrollment-ledger.ico"


def iss_text() -> str:
    return ISS.read_text(encoding="utf-8-sig")


def iss_defines() -> dict[str, str]:
    return dict(re.findall(r'^\s*#define\s+(\w+)\s+"([^"]*)"', iss_text(), re.MULTILINE))


def iss_setup() -> dict[str, str]:
    section = iss_text().split("[Setup]", 1)[1].split("\n[", 1)[0]
    return dict(
        line.split("=", 1)
        for line in section.splitlines()
        if "=" in line and not line.startswith(";")
    )


def iss_path(windows_relative: str) -> Path:
    """A path of the .iss script (relative to the script's folder, backslashes) on this machine."""
    return (ISS.parent / Path(*PureWindowsPath(windows_relative).parts)).resolve()


# --- name, version ---------------------------------------------------------------------------


def test_name_and_version_come_from_pyproject_and_the_package(layout):
    assert layout.app_name() == desktop_app.APP_NAME == "enrollment-ledger"
    assert layout.app_version() == desktop_app.__version__


def test_debian_and_windows_versions(layout):
    assert layout.debian_version("0.1.0") == "0.1.0"
    assert layout.debian_version("1.2.0rc1") == "1.2.0~rc1"
    assert layout.debian_version("1.2.0.dev3") == "1.2.0~dev3"
    assert layout.windows_version_tuple("0.1.0") == (0, 1, 0, 0)
    assert layout.windows_version_tuple("1.2.3rc1") == (1, 2, 3, 1)


def test_packaging_extra_names_pyinstaller(layout):
    assert any(req.lower().startswith("pyinstaller") for req in layout.packaging_requirements())


# --- the spec --------------------------------------------------------------------------------


def test_every_data_file_of_the_spec_exists(layout):
    files = layout.data_files()
    assert files
    for source, dest in files:
        assert Path(source).is_file(), source
        assert dest.startswith("resources/")


def test_the_spec_lists_every_shipped_resource(layout):
    bundled = set(layout.bundled_data_paths())
    resources = ROOT / "resources"
    shipped = [
        *resources.glob("policies/*.toml"),
        *resources.glob("translations/*.qm"),
        ICON_PNG,
        ICON_ICO,
    ]
    assert {p.relative_to(ROOT).as_posix() for p in shipped} <= bundled
    assert any(p.startswith("resources/translations/") for p in bundled), "no compiled .qm"


def test_the_spec_is_python_and_uses_the_layout():
    text = SPEC.read_text(encoding="utf-8")
    ast.parse(text)
    for needle in (
        "import bundle_layout as layout",
        '"launcher.py"',
        'collect_submodules("desktop_app")',
        "layout.data_files()",
        "layout.EXCLUDED_MODULES",
        "layout.keep_in_bundle",
        "name=layout.BUNDLE_DIR",
        "layout.WINDOWS_GUI_EXE_NAME",
        "console=False",
    ):
        assert needle in text, needle
    assert (PACKAGING / "launcher.py").is_file()


def test_no_excluded_qt_module_is_used_by_the_app(layout):
    """Using one of them (QtNetwork for a single-instance lock, say) means editing the list."""
    excluded = {name.split(".", 1)[1] for name in layout.EXCLUDED_QT_MODULES}
    used = set()
    for path in (ROOT / "desktop_app").rglob("*.py"):
        used |= set(re.findall(r"PySide6\.(Qt\w+)", path.read_text(encoding="utf-8")))
    assert not used & excluded, f"bundle_layout.EXCLUDED_QT_MODULES leaves out {used & excluded}"


@pytest.mark.parametrize(
    ("dest", "kept"),
    [
        ("PySide6/Qt/translations/qtbase_zh_CN.qm", True),
        ("PySide6/Qt/translations/qtbase_de.qm", False),
        ("PySide6/translations/qtbase_zh_CN.qm", True),  # Windows wheel layout
        ("PySide6/Qt/plugins/platforms/libqxcb.so", True),
        ("PySide6/Qt/plugins/platforms/libqoffscreen.so", True),
        ("PySide6/Qt/plugins/platforms/libqeglfs.so", False),
        ("PySide6\\plugins\\platforms\\qwindows.dll", True),
        ("PySide6/Qt/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so", False),
        ("PySide6/Qt/plugins/platforminputcontexts/libibusplatforminputcontextplugin.so", True),
        ("PySide6/Qt/plugins/imageformats/libqpdf.so", False),
        ("PySide6/Qt/plugins/imageformats/libqjpeg.so", True),
        ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", False),
        ("PySide6/Qt/lib/libQt6Quick.so.6", False),
        ("PySide6\\Qt6Network.dll", False),
        ("PySide6/Qt/lib/libQt6Widgets.so.6", True),
        ("PySide6/QtNetwork.abi3.so", True),  # the module is excluded by name, not here
        ("resources/policies/2025.toml", True),
    ],
)
def test_what_the_bundle_keeps(layout, dest, kept):
    assert layout.keep_in_bundle(dest) is kept


# --- icons -----------------------------------------------------------------------------------


def test_icon_png_is_256_square():
    data = ICON_PNG.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", data[16:24]) == (256, 256)


def test_icon_ico_has_the_windows_sizes():
    data = ICON_ICO.read_bytes()
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind) == (0, 1)
    sizes = {(data[6 + 16 * i] or 256) for i in range(count)}
    assert {16, 32, 48, 256} <= sizes


def test_make_icon_draws_both_files(tmp_path):
    result = subprocess.run(
        [sys.executable, str(PACKAGING / "make_icon.py"), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "enrollment-ledger.png").stat().st_size > 1000
    assert (tmp_path / "enrollment-ledger.ico").stat().st_size > 10000


# --- the .deb --------------------------------------------------------------------------------


def test_desktop_entry():
    entry = configparser.ConfigParser(interpolation=None, strict=True)
    entry.optionxform = str  # keep Name[zh_CN] as written
    entry.read(DESKTOP, encoding="utf-8")
    desktop = entry["Desktop Entry"]
    assert desktop["Name[zh_CN]"] == "参保台账"
    assert desktop["Name"] == "Enrollment Ledger"
    assert desktop["Exec"].split()[0] == "enrollment-ledger"
    assert desktop["Icon"] == "enrollment-ledger" == ICON_PNG.stem
    assert desktop["StartupWMClass"] == "enrollment-ledger"
    if shutil.which("desktop-file-validate"):
        subprocess.run(["desktop-file-validate", str(DESKTOP)], check=True)


def test_build_deb_script():
    text = BUILD_DEB.read_text(encoding="utf-8")
    subprocess.run(["bash", "-n", str(BUILD_DEB)], check=True)
    assert "packaging/enrollment-ledger.spec" in text
    assert "packaging/linux/enrollment-ledger.desktop" in text
    assert "resources/icons/enrollment-ledger.png" in text
    assert "-Zxz" in text, "dpkg before 1.21.18 (UOS 20, Kylin V10) cannot read zstd"
    assert "/usr/share/icons/hicolor/256x256/apps" in text


# --- the Windows installer -------------------------------------------------------------------


def test_iss_version_agrees(layout):
    assert iss_defines()["AppVersion"] == layout.app_version()
    numbers = ".".join(map(str, layout.windows_version_tuple()))
    assert iss_defines()["VersionNumbers"] == numbers
    assert "VersionInfoVersion={#VersionNumbers}" in iss_text()


def test_iss_installs_the_spec_output_per_user(layout):
    defines, setup = iss_defines(), iss_setup()
    assert setup["PrivilegesRequired"] == "lowest"
    assert setup["DefaultDirName"].startswith("{autopf}\\")
    # [Files] takes the folder PyInstaller writes (dist/<BUNDLE_DIR> from the repository root)
    assert 'Source: "{#BundleDir}\\*"' in iss_text()
    assert iss_path(defines["BundleDir"]) == ROOT / "dist" / layout.BUNDLE_DIR
    assert defines["CliExe"] == f"{layout.EXE_NAME}.exe"
    assert defines["GuiExe"] == f"{layout.WINDOWS_GUI_EXE_NAME}.exe"
    assert iss_path(setup["SetupIconFile"]) == ICON_ICO
    assert iss_path(setup["OutputDir"]) == ROOT / "dist" / "installer"


def test_iss_shortcuts_and_languages():
    text = iss_text()
    icons = text.split("[Icons]", 1)[1].split("\n[", 1)[0]
    assert '"{group}\\{cm:AppTitle}"; Filename: "{app}\\{#GuiExe}"' in icons
    assert '"{autodesktop}\\{cm:AppTitle}"; Filename: "{app}\\{#GuiExe}"' in icons
    languages = text.split("[Languages]", 1)[1].split("\n[", 1)[0].strip().splitlines()
    assert languages[0].startswith('Name: "chinesesimplified"; MessagesFile: "{#ChineseIsl}"')
    assert 'Name: "english"; MessagesFile: "compiler:Default.isl"' in languages
    # the unofficial-translation fallback: a copy beside the script, kept out of git
    assert 'AddBackslash(SourcePath) + "ChineseSimplified.isl"' in text
    assert "ChineseSimplified.isl" in (ISS.parent / ".gitignore").read_text(encoding="utf-8")
    assert "chinesesimplified.AppTitle=参保台账" in text


def test_iss_uninstaller_keeps_the_ledger_unless_asked(monkeypatch):
    text = iss_text()
    code = text.split("[Code]", 1)[1]
    assert "MB_DEFBUTTON2" in code and "IDNO" in code, "the question must start on No"
    assert "if UninstallSilent then" in code
    assert "{localappdata}\\{#DataFolderName}" in code
    assert "[UninstallDelete]" not in text
    # and that folder is where the app keeps the ledger on Windows (platformdirs, no author)
    import platformdirs
    import platformdirs.windows

    from desktop_app.store import paths

    folders = {"CSIDL_LOCAL_APPDATA": "LOCALAPPDATA", "CSIDL_APPDATA": "APPDATA"}
    monkeypatch.setattr(platformdirs.windows, "get_win_folder", folders.__getitem__)
    monkeypatch.setattr(platformdirs, "PlatformDirs", platformdirs.windows.Windows)
    monkeypatch.delenv(paths.DATA_DIR_ENV, raising=False)
    assert Path(paths.data_dir()).parts == ("LOCALAPPDATA", iss_defines()["DataFolderName"])


def test_iss_has_a_byte_order_mark():
    assert ISS.read_bytes().startswith(b"\xef\xbb\xbf")


# --- the workflow ----------------------------------------------------------------------------


def test_workflow_builds_what_the_iss_expects(layout):
    text = WORKFLOW.read_text(encoding="utf-8")
    assert "runs-on: windows-" in text
    assert '".[packaging]"' in text
    assert "packaging/bundle_layout.py version" in text
    assert re.search(r"PyInstaller .*--distpath dist .*packaging/enrollment-ledger.spec", text)
    assert "packaging\\windows\\enrollment-ledger.iss" in text
    assert '"/DAppVersion=${{ steps.version.outputs.version }}"' in text
    assert '"/DVersionNumbers=${{ steps.version.outputs.numbers }}"' in text
    assert "packaging/bundle_layout.py windows-version" in text
    setup = iss_setup()
    expected = setup["OutputBaseFilename"].replace(
        "{#AppVersion}", "${{ steps.version.outputs.version }}"
    )
    assert f"dist\\installer\\{expected}.exe" in text
    assert f"dist/enrollment-ledger/{layout.WINDOWS_GUI_EXE_NAME}.exe" in text
    assert f"{layout.EXE_NAME}.exe" in text
    assert "Programs\\enrollment-ledger" in text  # {autopf} for a per-user install
    assert "packaging\\windows\\ChineseSimplified.isl" in text


def test_workflow_names_only_files_that_exist():
    text = WORKFLOW.read_text(encoding="utf-8")
    for match in set(re.findall(r"(?<![\w/])(?:packaging|resources)[/\\][\w./\\-]+\.\w+", text)):
        path = ROOT / Path(*re.split(r"[/\\]", match))
        if path.name == "ChineseSimplified.isl":  # fetched at build time when missing
            continue
        assert path.exists(), match
