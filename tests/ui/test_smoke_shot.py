"""The packaging smoke hook can save a picture of the window it showed (issue 19: the Debian 11
root has no screen, and "it did not crash" is not "it drew the ledger")."""

from __future__ import annotations

import os
import struct
import subprocess
import sys

from desktop_app.ui.app import SMOKE_ENV, SMOKE_SHOT_ENV


def test_smoke_hook_saves_a_screenshot_of_the_window(tmp_path):
    shot = tmp_path / "window.png"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", SMOKE_ENV: "1", SMOKE_SHOT_ENV: str(shot)}
    result = subprocess.run(
        [sys.executable, "-m", "desktop_app", "--db", str(tmp_path / "ledger.sqlite")],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "window shown" in result.stdout
    assert f"screenshot {shot}" in result.stdout and "saved=True" in result.stdout
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert width >= 400 and height >= 300, (width, height)
