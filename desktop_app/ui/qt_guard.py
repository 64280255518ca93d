"""A guard against a PySide6 6.12.0 bug on Python < 3.12.

PySide6 6.12.0 drops a reference to ``None`` on every call of a method that returns void
(``QLabel.setText``, ``QPainter.drawRect``, ``processEvents``…). Python 3.11 starts with a few
thousand references to None, so after that many calls the interpreter aborts ("none_dealloc").
pyproject.toml keeps 6.12.0 out; this guard protects a machine that has it anyway. It runs a
probe and, only when the leak shows, gives None a huge reference count once, which is what
Python 3.12 does for good by making None immortal.
"""

from __future__ import annotations

import ctypes
import sys

from PySide6.QtCore import QObject

_none_guarded = False


def keep_none_alive() -> bool:
    """Guard against PySide6 6.12 on Python < 3.12 dropping a reference to None on *every* call of
    a method that returns void (``QPainter.drawRect``, ``QLabel.setText``, ``processEvents``…):
    after a few thousand calls None's count reaches zero and the interpreter aborts
    ("none_dealloc"). A page of a notice makes dozens of such calls, a village thousands.

    When a probe shows the leak, give None a huge count once (what Python 3.12 does for good by
    making None immortal). True when the guard was applied, now or before. Idempotent.
    """
    global _none_guarded
    if _none_guarded:
        return True
    if sys.version_info >= (3, 12):
        return False
    probe = QObject()
    before = sys.getrefcount(None)
    for _ in range(16):
        probe.setObjectName("probe")
    if before - sys.getrefcount(None) >= 16:
        ctypes.c_ssize_t.from_address(id(None)).value += 1 << 40
        _none_guarded = True
    return _none_guarded
