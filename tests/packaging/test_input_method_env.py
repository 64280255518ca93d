"""packaging/launcher.py's choice of input method for the wheel's Qt (fast; the proof under Xvfb
is test_chinese_input.py), and the bundle keeping the plugins that choice needs."""

from __future__ import annotations

from tests.packaging.test_chinese_input import load_launcher

launcher = load_launcher()
choose = launcher.input_method_environment
FCITX5 = {"bash", "fcitx5"}


def test_kylin_and_uos_fcitx_setting_becomes_ibus_through_fcitx5s_portal() -> None:
    assert choose({"QT_IM_MODULE": "fcitx"}, FCITX5, False) == {"QT_IM_MODULE": "ibus", "IBUS_USE_PORTAL": "1"}
    assert choose({"QT_IM_MODULE": "fcitx5"}, FCITX5, False) == {"QT_IM_MODULE": "ibus", "IBUS_USE_PORTAL": "1"}
    assert choose({}, FCITX5, False) == {"QT_IM_MODULE": "ibus", "IBUS_USE_PORTAL": "1"}


def test_a_choice_qt_can_honour_is_kept() -> None:
    assert choose({"QT_IM_MODULE": "compose"}, FCITX5, False) == {}
    assert choose({"QT_IM_MODULE": "none"}, FCITX5, False) == {}
    assert choose({"QT_IM_MODULE": "fcitx"}, FCITX5, True) == {}  # a bundle that carries fcitx's plugin
    # ibus stays ibus; without an ibus-daemon executable Qt needs the portal fcitx5 offers
    assert choose({"QT_IM_MODULE": "ibus"}, FCITX5, False) == {"IBUS_USE_PORTAL": "1"}
    assert choose({"QT_IM_MODULE": "fcitx", "IBUS_USE_PORTAL": "0"}, FCITX5, False) == {"QT_IM_MODULE": "ibus"}


def test_qt_im_modules_the_list_qt_reads_first_gets_ibus_for_fcitx() -> None:
    given = {"QT_IM_MODULES": "wayland;fcitx;ibus", "QT_IM_MODULE": "fcitx"}
    assert choose(given, FCITX5, False) == {"QT_IM_MODULES": "wayland;ibus", "IBUS_USE_PORTAL": "1"}
    assert choose({"QT_IM_MODULES": "fcitx"}, FCITX5, False) == {"QT_IM_MODULES": "ibus", "IBUS_USE_PORTAL": "1"}
    assert choose({"QT_IM_MODULES": "wayland;fcitx"}, FCITX5, True) == {}
    assert choose({"QT_IM_MODULES": "compose"}, FCITX5, False) == {}


def test_nothing_changes_without_fcitx5() -> None:
    assert choose({"QT_IM_MODULE": "fcitx"}, {"bash", "fcitx"}, False) == {}  # fcitx 4: no door to it
    assert choose({"QT_IM_MODULE": "ibus"}, {"ibus-daemon"}, False) == {}
    assert choose({}, set(), False) == {}
    assert choose({"QT_IM_MODULES": "fcitx"}, {"fcitx"}, False) == {}


def test_running_programs_reads_each_process_name(tmp_path) -> None:
    for pid, name in (("101", "fcitx5"), ("202", "bash")):
        (tmp_path / pid).mkdir()
        (tmp_path / pid / "comm").write_text(name + "\n", encoding="utf-8")
    (tmp_path / "self").mkdir()  # not a process number
    (tmp_path / "303").mkdir()  # ended before its name was read
    assert launcher.running_programs(tmp_path) == {"fcitx5", "bash"}


def test_the_bundle_keeps_the_ibus_plugin_and_qtdbus(layout) -> None:
    assert layout.keep_in_bundle("PySide6/Qt/plugins/platforminputcontexts/libibusplatforminputcontextplugin.so")
    assert layout.keep_in_bundle("PySide6/Qt/lib/libQt6DBus.so.6")
