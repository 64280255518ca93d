"""The frozen program's entry point: the same ``main()`` as ``enrollment-ledger``.

With no sub-command it opens the window; with one it runs the command line. Two frozen-only
details, both Windows:

- the executable built without a console (``enrollment-ledger-gui.exe``, the shortcuts' target)
  has no ``sys.stdout``/``sys.stderr``, so anything printed (``--help``, a message) would raise;
  there they go to the null device;
- output redirected to a file or a pipe is written in the ANSI code page (GBK on Chinese
  Windows, fine for Chinese; cp1252 on an English one, where a Chinese character would raise
  UnicodeEncodeError and lose the command's result): characters the code page lacks are
  written as escapes instead. (A frozen program ignores PYTHONIOENCODING.)
"""

import os
import sys

if sys.stdout is None or sys.stderr is None:  # pragma: no cover - windowed Windows build only
    _null = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - lives as long as the process
    sys.stdout = sys.stdout or _null
    sys.stderr = sys.stderr or _null

if sys.platform == "win32":  # pragma: no cover - Windows only
    for _stream in (sys.stdout, sys.stderr):
        if hasattr(_stream, "reconfigure") and not _stream.isatty():
            _stream.reconfigure(errors="backslashreplace")

from desktop_app.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
