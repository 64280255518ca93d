"""The Windows installer script, checked on Linux (fast; issue 19). Nothing here can run it.

- every file of ``{app}`` the script starts or shows is an executable the spec builds on Windows;
- every file the script takes from this repository exists (the bundle itself is built by CI);
- the uninstaller deletes nothing of the user's data folder unless the user answered Yes, and
  the program folder it removes can never be the data folder or hold it.

(test_layout.py checks the version numbers, the bundle folder and the workflow.)
"""

from __future__ import annotations

import re

from tests.packaging.conftest import PACKAGING
from tests.packaging.test_layout import ISS, iss_defines, iss_path, iss_setup, iss_text

SPEC = PACKAGING / "enrollment-ledger.spec"
#: Inno Setup [Code] calls that remove files, folders or registry keys.
DELETING = re.compile(r"\b(DelTree|DeleteFile|RemoveDir|RegDelete\w*)\s*\(")


def expand(text: str) -> str:
    """The script's ``{#Name}`` defines filled in."""
    for name, value in iss_defines().items():
        text = text.replace("{#" + name + "}", value)
    return text


def section(name: str) -> str:
    parts = iss_text().split(f"\n[{name}]", 1)
    return parts[1].split("\n[", 1)[0] if len(parts) > 1 else ""


def deletions_outside_yes(code: str) -> list[str]:
    """Deleting calls in ``code`` that are not inside the ``= IDYES then begin … end`` block."""
    inside = re.search(r"=\s*IDYES\s+then\s+begin(.*?)\n\s*end;", code, re.DOTALL)
    rest = code.replace(inside.group(1), "") if inside else code
    return DELETING.findall(rest)


def test_every_app_file_the_script_names_is_built_by_the_spec(layout):
    named = set(re.findall(r"\{app\}\\([^\"';\s]+)", expand(iss_text())))
    assert named, "the script names no file of {app}"
    spec = SPEC.read_text(encoding="utf-8")
    built = {f"{layout.EXE_NAME}.exe"}
    assert "_exe(layout.EXE_NAME, console=True)" in spec
    if "_exe(layout.WINDOWS_GUI_EXE_NAME, console=False)" in spec:
        built.add(f"{layout.WINDOWS_GUI_EXE_NAME}.exe")
    assert named <= built, f"the script starts files the spec does not build: {named - built}"
    # and the spec writes them where [Files] takes the bundle from
    assert "name=layout.BUNDLE_DIR" in spec
    assert iss_path(iss_defines()["BundleDir"]).name == layout.BUNDLE_DIR


def test_every_repository_file_the_script_takes_exists():
    setup = iss_setup()
    paths = [
        setup[key] for key in ("SetupIconFile", "LicenseFile", "InfoBeforeFile") if key in setup
    ]
    for line in section("Files").splitlines():
        if (match := re.search(r'Source:\s*"([^"]+)"', line)) and "{#BundleDir}" not in match.group(
            1
        ):
            paths.append(match.group(1))
    assert paths, "no repository file found in the script (parser out of date?)"
    for path in paths:
        assert iss_path(expand(path)).exists(), path


def test_the_uninstaller_deletes_the_data_folder_only_after_yes():
    text = iss_text()
    code = text.split("[Code]", 1)[1]
    assert DELETING.search(code), "no deletion at all (the parser would prove nothing)"
    assert deletions_outside_yes(code) == []
    # no declarative deletion either, and no uninstall-time program
    for name in ("UninstallDelete", "InstallDelete", "UninstallRun"):
        assert f"\n[{name}]" not in text, name
    # what the uninstaller removes on its own is {app}; that is never the data folder or above it
    app_dir = iss_setup()["DefaultDirName"]  # {autopf} per user = {localappdata}\Programs
    data_dir = "{localappdata}\\" + iss_defines()["DataFolderName"]
    assert app_dir.startswith("{autopf}\\") and iss_setup()["PrivilegesRequired"] == "lowest"
    per_user_app = app_dir.replace("{autopf}", "{localappdata}\\Programs")
    assert not data_dir.startswith(per_user_app) and not per_user_app.startswith(data_dir + "\\")
    assert "{localappdata}" not in section("Files") + section("Dirs")


def test_the_deletion_check_catches_a_deletion_before_the_question():
    careless = (
        "begin\n  DelTree(DataDir, True, True, True);\n"
        "  if SuppressibleMsgBox(Q, mbConfirmation, MB_YESNO, IDNO) = IDYES then\n"
        "  begin\n    RegDeleteKeyIncludingSubkeys(HKEY_CURRENT_USER, K);\n  end;\nend;"
    )
    assert deletions_outside_yes(careless) == ["DelTree"]
    assert ISS.is_file()
