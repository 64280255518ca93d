"""Chinese first: install the zh_CN translation unless the user chose English."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QLibraryInfo, QLocale, QSettings, QTranslator

from desktop_app.resources import resource

DEFAULT_LANGUAGE = "zh_CN"
SUPPORTED_LANGUAGES = ("zh_CN", "en")

_installed: list[QTranslator] = []

# Qt's own words that Qt's zh_CN catalogue (qtbase_zh_CN.qm) lacks: Qt 6 gave them an access key
# ("&Look in:" was "Look in:") and the catalogue still has the old text, so the file dialogs said
# "Look in:" and "Files of type:" in English. Listed here, under Qt's own context, our .ts
# translates them (ours is asked after Qt's, for what Qt's leaves untranslated).
QT_WORDS_MISSING = (
    QT_TRANSLATE_NOOP("QFileDialog", "&Look in:"),
    QT_TRANSLATE_NOOP("QFileDialog", "Files of &type:"),
)


def chosen_language() -> str:
    value = QSettings().value("ui/language", DEFAULT_LANGUAGE)
    return value if value in SUPPORTED_LANGUAGES else DEFAULT_LANGUAGE


def install_translation(app: QCoreApplication, language: str | None = None) -> bool:
    """Load our .qm and Qt's own (buttons of standard dialogs); True when ours was loaded."""
    language = language or chosen_language()
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    if language == "en":
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
        return True
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    ours = QTranslator(app)
    loaded = ours.load(str(resource("translations", f"enrollment_ledger_{language}.qm")))
    if loaded:
        app.installTranslator(ours)
        _installed.append(ours)
    qt_base = QTranslator(app)
    if qt_base.load(f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt_base)
        _installed.append(qt_base)
    return loaded
