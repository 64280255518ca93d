"""Chinese first: every visible string of the Qt layer has a finished zh_CN translation."""

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "resources" / "translations" / "enrollment_ledger_zh_CN.ts"
QM = TS.with_suffix(".qm")
BIN = Path(sys.executable).parent
MARKER = re.compile(r"%[1-9]")


def _tool(name: str) -> str:
    path = shutil.which(name, path=str(BIN)) or shutil.which(name)
    if path is None:
        pytest.fail(f"{name} not found; it ships with PySide6")
    return path


def _messages(path: Path):
    for context in ET.parse(path).getroot().iter("context"):
        for message in context.iter("message"):
            yield context.findtext("name"), message


def test_every_message_is_translated_and_finished():
    problems = []
    for context, message in _messages(TS):
        source = message.findtext("source")
        translation = message.find("translation")
        if translation is None or not (translation.text or "").strip():
            problems.append(f"{context}: {source!r} has no translation")
        elif translation.get("type") in ("unfinished", "vanished", "obsolete"):
            problems.append(f"{context}: {source!r} is {translation.get('type')}")
        elif source.count("%") != translation.text.count("%"):
            problems.append(f"{context}: {source!r} lost a %N placeholder")
        elif set(MARKER.findall(source)) != set(MARKER.findall(translation.text)):
            # fill() gives the first value to the lowest marker: a dropped %1 would shift every value
            problems.append(f"{context}: {source!r} and its translation have different %N markers")
    assert not problems, "\n".join(problems)


def test_no_source_string_is_missing_from_the_ts(tmp_path):
    copy = tmp_path / TS.name
    shutil.copy(TS, copy)
    sources = sorted(str(p) for p in (ROOT / "desktop_app" / "ui").rglob("*.py"))
    subprocess.run(
        [_tool("pyside6-lupdate"), "-no-obsolete", "-locations", "none", *sources, "-ts", str(copy)],
        check=True, capture_output=True,
    )
    unfinished = [
        f"{context}: {message.findtext('source')!r}"
        for context, message in _messages(copy)
        if message.find("translation").get("type") == "unfinished"
    ]
    assert not unfinished, "run scripts/update_translations.sh and translate:\n" + "\n".join(unfinished)


def test_compiled_qm_matches_the_ts(tmp_path):
    fresh = tmp_path / "fresh.qm"
    subprocess.run([_tool("pyside6-lrelease"), "-silent", str(TS), "-qm", str(fresh)], check=True)
    assert QM.read_bytes() == fresh.read_bytes(), "run scripts/update_translations.sh"
