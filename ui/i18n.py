"""The one place where text is translated.

Source strings are English. Widgets use ``self.tr()`` (only in classes nobody subclasses: PySide
looks the context up by the runtime class name) or ``QCoreApplication.translate(context, ...)``.
Strings of the core are marked ``N_("...")`` in ``app/`` and translated here in context "app":
state and role labels, and domain error messages with their parameters.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from app.errors import DomainError
from app.localtime import local_text
from app.models import RepairState, Role
from app.permissions import ROLE_LABELS
from app.states import STATE_LABELS
from resources import TRANSLATIONS_DIR

APP_CONTEXT = "app"
LANGUAGES = {"zh_CN": "中文", "en": "English"}

# Keep the translators alive as long as they are installed.
_installed: list[QTranslator] = []
_current_language = "en"


def tr_app(text: str) -> str:
    """A string marked ``N_()`` in the core, in the user's language."""
    return QCoreApplication.translate(APP_CONTEXT, text)


def domain_message(error: DomainError) -> str:
    return error.message(tr_app)


def state_label(state: RepairState) -> str:
    return tr_app(STATE_LABELS[state])


def role_label(role: Role) -> str:
    return tr_app(ROLE_LABELS[role])


def roles_text(roles: frozenset[Role] | set[Role]) -> str:
    separator = "、" if current_language() == "zh_CN" else ", "
    return separator.join(role_label(role) for role in sorted(roles))


def format_time(moment: datetime | None) -> str:
    """A time on the floor: the center's local time, short."""
    if moment is None:
        return ""
    return local_text(moment)


def current_language() -> str:
    return _current_language


def install_translators(language: str) -> str:
    """Install our translation and Qt's own for ``language``; English needs none.

    Returns the language actually in effect (English when the translation is missing).
    """
    global _current_language
    application = QCoreApplication.instance()
    assert application is not None, "create the QApplication first"
    for translator in _installed:
        application.removeTranslator(translator)
    _installed.clear()
    _current_language = "en"
    if language not in LANGUAGES or language == "en":
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
        return "en"
    ours = QTranslator(application)
    if not ours.load(f"repairfloor_{language}", str(TRANSLATIONS_DIR)):
        return "en"
    application.installTranslator(ours)
    _installed.append(ours)
    qt_own = QTranslator(application)
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if qt_own.load(f"qtbase_{language}", qt_dir):
        application.installTranslator(qt_own)
        _installed.append(qt_own)
    QLocale.setDefault(QLocale(language))
    _current_language = language
    return language
