"""The README tells the truth about the command line: every command is in its table, and every
column header an import recognises is in "What an import reads"."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from desktop_app.cli.main import build_parser
from desktop_app.exchange.fields import HEADER_SYNONYMS

README = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")


def _section(title: str) -> str:
    start = README.index(title)
    return README[start:README.index("\n## ", start)]


def _commands() -> list[str]:
    commands = next(a for a in build_parser()._actions if a.dest == "command")
    return sorted(commands.choices)


@pytest.mark.parametrize("command", _commands())
def test_every_command_is_in_the_readme_table(command):
    first_cells = [line.split("|")[1] for line in _section("## The command line").splitlines()
                   if line.startswith("| `")]
    assert any(re.search(rf"`{command}[ `\\]", cell) for cell in first_cells)


@pytest.mark.parametrize("field", sorted(HEADER_SYNONYMS, key=lambda f: f.value))
def test_every_header_an_import_recognises_is_documented(field):
    columns = _section("### What an import reads")
    missing = [spelling for spelling in HEADER_SYNONYMS[field] if spelling not in columns]
    assert not missing, f"{field.value}: {missing}"
