"""Policy files for years the program does not ship (it ships 2023–2025): the 2025 file's shape."""

from __future__ import annotations

from pathlib import Path

from desktop_app.resources import resource


def later_policy(folder: Path, year: int) -> Path:
    """A policy for ``year`` shaped like the shipped 2025 one, its collection period September to
    December of the year before, written into ``folder``."""
    text = resource("policies", "2025.toml").read_text(encoding="utf-8")
    text = text.replace("year = 2025", f"year = {year}")
    text = text.replace("collection_start = 2024-09-01", f"collection_start = {year - 1}-09-01")
    text = text.replace("collection_end = 2024-12-31", f"collection_end = {year - 1}-12-31")
    path = folder / f"{year}.toml"
    path.write_text(text, encoding="utf-8")
    return path
