"""Chinese typed into the search box through fcitx5, under Xvfb: the proof for issue 19.

A private X server (Xvfb), a private D-Bus session, fcitx5 from Debian's packages with pinyin
as its input method (profile written into a temporary XDG_CONFIG_HOME), then the real program:
the administrator logs in (xdotool types the password), Ctrl+F puts the cursor in the search
box, ``fcitx5-remote -o`` switches pinyin on, xdotool types ``zhangsan`` and a space (the first
candidate), and the search box's text is read back from the widget itself: the input method is
switched off, Ctrl+A Ctrl+C in the box, ``xclip`` reads the clipboard the program now owns.

The session is told ``QT_IM_MODULE=fcitx``, as Kylin and UOS tell every program. The program
from source gets the environment packaging/launcher.py computes (its own function); the frozen
bundle (``ENROLLMENT_LEDGER_BUNDLE``, default build/pyinstaller/dist/enrollment-ledger, made by
packaging/build-deb.sh) computes it itself. A control run from source without the launcher's
environment shows what a clerk gets otherwise: the latin letters.

Slow (20-30 s a run on a busy 2-core machine). Skipped, saying which, where fcitx5 with pinyin, Xvfb, dbus-daemon,
xdotool or xclip is missing: ``apt-get install fcitx5 fcitx5-chinese-addons xvfb dbus-x11
xdotool xclip``.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from tests.packaging.conftest import PACKAGING, ROOT

pytestmark = pytest.mark.slow

TOOLS = ("fcitx5", "fcitx5-remote", "Xvfb", "dbus-daemon", "dbus-send", "xdotool", "xclip")
PINYIN = Path("/usr/share/fcitx5/inputmethod/pinyin.conf")
PASSWORD = "secret-123"
PROFILE = """[Groups/0]
Name=Default
Default Layout=us
DefaultIM=pinyin

[Groups/0/Items/0]
Name=keyboard-us
Layout=

[Groups/0/Items/1]
Name=pinyin
Layout=

[GroupOrder]
0=Default
"""
WAIT = 30.0
ATTEMPTS = 3


def load_launcher() -> ModuleType:
    """packaging/launcher.py's functions, without running the program (it is not __main__)."""
    spec = importlib.util.spec_from_file_location("launcher", PACKAGING / "launcher.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def missing_tools() -> list[str]:
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if not PINYIN.exists():
        missing.append("fcitx5-chinese-addons (pinyin)")
    return missing


def bundle_program() -> Path:
    folder = Path(os.environ.get("ENROLLMENT_LEDGER_BUNDLE", ROOT / "build/pyinstaller/dist/enrollment-ledger"))
    return folder / "enrollment-ledger"


def wait_for(what: str, check, timeout: float = WAIT):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        found = check()
        if found:
            return found
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}")


class Desktop:
    """Xvfb + a D-Bus session + fcitx5 with pinyin, in temporary folders; stopped at the end."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.processes: list[subprocess.Popen] = []
        self.env = {key: value for key, value in os.environ.items()
                    if not key.startswith(("QT_", "IBUS_", "XDG_", "DBUS_", "GTK_IM", "XMODIFIERS"))}
        for name in ("config", "data", "cache", "runtime"):
            (tmp / name).mkdir(mode=0o700)
        self.env.update(HOME=str(tmp), XDG_CONFIG_HOME=str(tmp / "config"), XDG_DATA_HOME=str(tmp / "data"),
                        XDG_CACHE_HOME=str(tmp / "cache"), XDG_RUNTIME_DIR=str(tmp / "runtime"),
                        LANG="zh_CN.UTF-8", LC_ALL="C.UTF-8")
        (tmp / "config/fcitx5").mkdir()
        (tmp / "config/fcitx5/profile").write_text(PROFILE, encoding="utf-8")

    def start(self) -> None:
        read, write = os.pipe()
        self.processes.append(subprocess.Popen(
            ["Xvfb", "-displayfd", str(write), "-screen", "0", "1280x1024x24", "-nolisten", "tcp"],
            pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        os.close(write)
        with os.fdopen(read) as display:
            self.env["DISPLAY"] = ":" + display.readline().strip()
        bus = subprocess.Popen(["dbus-daemon", "--session", "--nofork", "--print-address"],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=self.env)
        self.processes.append(bus)
        self.env["DBUS_SESSION_BUS_ADDRESS"] = bus.stdout.readline().strip()
        log = (self.tmp / "fcitx5.log").open("w")
        self.processes.append(subprocess.Popen(["fcitx5", "--verbose=*=4"], stdout=log, stderr=log, env=self.env))
        wait_for("fcitx5 to load pinyin", lambda: "Loaded addon pinyin" in (self.tmp / "fcitx5.log").read_text())
        wait_for("fcitx5's IBus portal on the session bus", lambda: self.has_owner("org.freedesktop.portal.IBus"))

    def log_tail(self) -> str:
        return "\n".join((self.tmp / "fcitx5.log").read_text(errors="replace").splitlines()[-15:])

    def has_owner(self, name: str) -> bool:
        reply = self.run("dbus-send", "--session", "--print-reply", "--dest=org.freedesktop.DBus",
                         "/org/freedesktop/DBus", "org.freedesktop.DBus.NameHasOwner", f"string:{name}")
        return "boolean true" in reply

    def run(self, *command: str) -> str:
        done = subprocess.run(command, capture_output=True, text=True, env=self.env, timeout=WAIT, check=False)
        return done.stdout.strip()

    def stop(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


@pytest.fixture
def desktop(tmp_path: Path) -> Iterator[Desktop]:
    missing = missing_tools()
    if missing:
        pytest.skip("Chinese input needs " + ", ".join(missing)
                    + " (apt-get install fcitx5 fcitx5-chinese-addons xvfb dbus-x11 xdotool xclip)")
    each = Desktop(tmp_path)
    try:
        each.start()
        yield each
    finally:
        each.stop()


def make_ledger(desktop: Desktop, program: list[str], env: dict[str, str]) -> Path:
    db = desktop.tmp / "ledger.sqlite"
    for args in (["init"], ["demo", "--persons", "50"], ["operators", "reset-admin", "--name", "管理员"]):
        subprocess.run([*program, "--db", str(db), *args], env={**env, "ENROLLMENT_LEDGER_ADMIN_PASSWORD": PASSWORD},
                       check=True, capture_output=True, timeout=120)
    return db


def windows_of(desktop: Desktop, pid: int) -> list[str]:
    return desktop.run("xdotool", "search", "--onlyvisible", "--pid", str(pid)).split()


def type_name_through_fcitx(desktop: Desktop, program: list[str], env: dict[str, str]) -> tuple[str, str, int]:
    """Log in, Ctrl+F, pinyin on, ``zhangsan`` + space: (the search box's text, fcitx5's state
    while typing, the attempt it was read on).

    On a busy machine the first keys can reach fcitx5 before it is ready for them: up to
    ATTEMPTS tries, the box emptied before each (with the input method off), until the text is
    Chinese; the attempt is reported."""
    db = make_ledger(desktop, program, env)
    app = subprocess.Popen([*program, "--db", str(db)], env=env, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True)
    try:
        login = wait_for("the log-in dialog", lambda: windows_of(desktop, app.pid))[-1]
        desktop.run("xdotool", "windowfocus", "--sync", login)
        desktop.run("xdotool", "type", "--delay", "50", PASSWORD)
        desktop.run("xdotool", "key", "Return")
        window = wait_for("the main window",
                          lambda: [w for w in windows_of(desktop, app.pid) if w != login])[-1]
        time.sleep(1.0)  # the ledger's first read, the daily backup
        desktop.run("xdotool", "windowfocus", "--sync", window)
        desktop.run("xdotool", "key", "ctrl+f")
        time.sleep(0.5)
        for attempt in range(1, ATTEMPTS + 1):
            desktop.run("fcitx5-remote", "-o")
            time.sleep(0.5)
            state = desktop.run("fcitx5-remote")  # 2: an input context of ours is focused and active
            desktop.run("xdotool", "type", "--delay", "120", "zhangsan")
            time.sleep(0.5)
            desktop.run("xdotool", "key", "space")
            time.sleep(1.0)
            desktop.run("fcitx5-remote", "-c")
            time.sleep(0.3)
            desktop.run("xdotool", "key", "ctrl+a")
            desktop.run("xdotool", "key", "ctrl+c")
            time.sleep(0.5)
            text = desktop.run("xclip", "-o", "-selection", "clipboard")
            if is_chinese(text) or state != "2":
                break
            desktop.run("xdotool", "key", "BackSpace")
            time.sleep(0.3)
        assert app.poll() is None, app.stdout.read() if app.stdout else ""
        return text, state, attempt
    finally:
        app.terminate()
        try:
            app.wait(15)
        except subprocess.TimeoutExpired:
            app.kill()
            app.wait()


def is_chinese(text: str) -> bool:
    return bool(text) and all("\u4e00" <= char <= "\u9fff" for char in text)


def source_env(desktop: Desktop) -> dict[str, str]:
    return {**desktop.env, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "xcb", "QT_IM_MODULE": "fcitx"}


def test_from_source_with_the_launchers_environment_pinyin_types_chinese(desktop: Desktop) -> None:
    launcher = load_launcher()
    env = source_env(desktop)
    changes = launcher.input_method_environment(env, launcher.running_programs(), launcher.carries_fcitx_plugin())
    assert changes == {"QT_IM_MODULE": "ibus", "IBUS_USE_PORTAL": "1"}
    text, state, attempt = type_name_through_fcitx(desktop, [sys.executable, "-m", "desktop_app"], {**env, **changes})
    print(f"\nfrom source, QT_IM_MODULE=fcitx -> {changes}: fcitx5-remote={state}, "
          f"search box: {text!r} (attempt {attempt})")
    assert state == "2", desktop.log_tail()
    assert is_chinese(text), (text, desktop.log_tail())


def test_from_source_without_it_the_wheels_qt_types_latin_letters(desktop: Desktop) -> None:
    """The control: told ``fcitx``, the wheel's Qt has no such plugin and never reaches fcitx5."""
    text, state, attempt = type_name_through_fcitx(desktop, [sys.executable, "-m", "desktop_app"], source_env(desktop))
    print(f"\nfrom source, QT_IM_MODULE=fcitx as it stands: fcitx5-remote={state}, "
          f"search box: {text!r} (attempt {attempt})")
    assert not is_chinese(text)
    assert "zhangsan" in text


@pytest.fixture
def bundle() -> Path:
    program = bundle_program()
    if not program.exists():
        pytest.skip(f"no frozen bundle at {program} (packaging/build-deb.sh makes one)")
    return program


def test_the_frozen_bundle_sets_it_itself_and_pinyin_types_chinese(bundle: Path, desktop: Desktop) -> None:
    program = bundle
    contexts = program.parent / "_internal/PySide6/Qt/plugins/platforminputcontexts"
    assert (contexts / "libibusplatforminputcontextplugin.so").exists()
    env = {**desktop.env, "QT_IM_MODULE": "fcitx"}
    text, state, attempt = type_name_through_fcitx(desktop, [str(program)], env)
    print(f"\nfrozen bundle {program}, QT_IM_MODULE=fcitx: fcitx5-remote={state}, "
          f"search box: {text!r} (attempt {attempt})")
    assert state == "2", desktop.log_tail()
    assert is_chinese(text), (text, desktop.log_tail())
