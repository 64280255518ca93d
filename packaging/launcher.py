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

And one for Linux, Chinese input: the Qt of the PySide6 wheels carries no fcitx plugin, only
``ibus`` (and ``compose``), and its ibus plugin does nothing unless an ``ibus-daemon``
executable exists, except through the IBus portal. fcitx5 answers that portal (its ``ibus``
frontend, on by default). So when fcitx5 runs and Qt was told ``fcitx`` (Kylin and UOS set
``QT_IM_MODULE=fcitx`` for everyone) or nothing, ``input_method_environment`` switches to
``ibus`` through the portal (in a ``QT_IM_MODULES`` list too, which Qt 6.8+ reads first); any
other choice (``ibus``, ``compose``, ``none``...) is kept.
fcitx 4 offers no such door: see packaging/README.md, "Chinese input".
"""

import importlib.util
import os
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path

#: What Qt is told to load in place of an fcitx plugin it does not have.
FCITX_NAMES = frozenset({"fcitx", "fcitx5"})


def input_method_environment(
    environ: Mapping[str, str], running: Iterable[str], carries_fcitx: bool
) -> dict[str, str]:
    """The variables to set (only those that change) so that fcitx5 can type into the window.

    ``running``: names of this user's programs; ``carries_fcitx``: the Qt in use has an fcitx
    platform input context plugin (then ``fcitx`` is honoured as it stands). Qt 6.8+ reads the
    list ``QT_IM_MODULES`` (``;`` between names, tried in turn) before ``QT_IM_MODULE``: when it
    is set, its fcitx entries become ``ibus`` and ``QT_IM_MODULE`` is left alone."""
    if "fcitx5" not in set(running):
        return {}
    changes: dict[str, str] = {}
    listed = environ.get("QT_IM_MODULES", "").strip()
    if listed:
        given = [name.strip() for name in listed.split(";") if name.strip()]
        modules = given if carries_fcitx else list(
            dict.fromkeys("ibus" if name.lower() in FCITX_NAMES else name for name in given)
        )
        if modules != given:
            changes["QT_IM_MODULES"] = ";".join(modules)
        wants_ibus = "ibus" in (name.lower() for name in modules)
    else:
        chosen = environ.get("QT_IM_MODULE", "").strip().lower()
        if (chosen in FCITX_NAMES and carries_fcitx) or chosen not in FCITX_NAMES | {"", "ibus"}:
            return {}
        if chosen != "ibus":
            changes["QT_IM_MODULE"] = "ibus"
        wants_ibus = True
    if wants_ibus and "IBUS_USE_PORTAL" not in environ:
        changes["IBUS_USE_PORTAL"] = "1"  # no ibus-daemon needed: fcitx5 is the portal
    return changes


def running_programs(proc: Path = Path("/proc")) -> set[str]:
    """The names (``comm``) of this user's processes; empty where there is no /proc."""
    names = set()
    uid = os.getuid()
    for entry in proc.glob("[0-9]*"):
        try:
            if entry.stat().st_uid == uid:
                names.add((entry / "comm").read_text(encoding="utf-8", errors="replace").strip())
        except OSError:  # ended meanwhile, or not ours to read
            continue
    return names


def carries_fcitx_plugin() -> bool:
    """Whether the Qt beside this program has an fcitx input context plugin (none, today)."""
    spec = importlib.util.find_spec("PySide6")  # located, not imported: Qt reads the env later
    folders = [Path(p) for p in (spec.submodule_search_locations or [])] if spec else []
    return any(
        any((folder / "Qt" / "plugins" / "platforminputcontexts").glob("*fcitx*"))
        for folder in folders
    )


if sys.argv[1:] == ["--reading-child"]:  # exchange/reading/child.FROZEN_FLAG: a big sheet's rows
    # read on the other core for the import running in the parent; no window, no command line
    from desktop_app.exchange.reading.child import main as read_rows

    read_rows()
    sys.exit(0)

if sys.platform.startswith("linux"):
    os.environ.update(
        input_method_environment(os.environ, running_programs(), carries_fcitx_plugin())
    )

# imported after the environment is settled: Qt reads it once, when it starts
from desktop_app.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
