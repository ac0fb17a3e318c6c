"""This PC's settings (QSettings): each declared once, here, typed, with its default.

Center-wide settings live in the database (``app.settings``); these belong to one PC: the
language, the window's geometry, the first-run wizard's answers, the label printer. With
``$REPAIRFLOOR_DATA_DIR`` set (tests, portable installs) they are an INI file there.
A value that does not read (wrong type, not one of the choices) gives the default.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QByteArray, QSettings

from app.config import APP_NAME, ENV_DATA_DIR, data_dir

ORGANISATION = "RepairFloor"
T = TypeVar("T", str, int, bool, QByteArray)

REGISTRY: dict[str, Option[Any]] = {}


def qsettings() -> QSettings:
    if ENV_DATA_DIR.value():
        return QSettings(str(data_dir() / "ui-settings.ini"), QSettings.Format.IniFormat)
    return QSettings(ORGANISATION, APP_NAME)


@dataclass(frozen=True)
class Option(Generic[T]):
    key: str
    default: T
    choices: tuple[T, ...] = ()  # when given, any other value reads as the default

    def __post_init__(self) -> None:
        if self.key in REGISTRY:
            raise ValueError(f"the station setting {self.key} is declared twice")
        REGISTRY[self.key] = self

    def get(self) -> T:
        value = qsettings().value(self.key, self.default)
        typed = self._typed(value)
        return typed if not self.choices or typed in self.choices else self.default

    def _typed(self, value: Any) -> T:
        if value is None:
            return self.default
        if isinstance(self.default, bool):
            return value in (True, "true", "1", 1)  # type: ignore[return-value]
        if isinstance(self.default, QByteArray):
            return value if isinstance(value, QByteArray) else self.default  # type: ignore[return-value]
        try:
            return type(self.default)(value)  # type: ignore[return-value]
        except (TypeError, ValueError):
            return self.default

    def set(self, value: T) -> None:
        settings = qsettings()
        settings.setValue(self.key, value)
        settings.sync()


# The window.
LANGUAGE = Option("ui/language", "zh_CN", choices=("zh_CN", "en"))
MAIN_WINDOW_GEOMETRY = Option("main_window/geometry", QByteArray())
MAIN_WINDOW_STATE = Option("main_window/state", QByteArray())
# The tab each person left the window on at this station, as JSON {user name: tab}.
MAIN_WINDOW_TABS = Option("main_window/tab_of_user", "")
LAST_USERNAME = Option("login/last_username", "")
# Lock the window after this many minutes without input (``ui.shared_pc``); 0 = never.
IDLE_LOCK_MINUTES = Option("session/idle_lock_minutes", 10, choices=(0, 5, 10, 30))
# The box this station's receiving desk has open (0: none), resumed at the next sign-in.
RECEIVING_OPEN_BOX = Option("receiving/open_box", 0)
# The first-run wizard's answers (``ui/station_settings.py`` says when they win).
DATABASE_URL = Option("station/database_url", "")  # empty: the SQLite file in the data dir
STATION_NAME = Option("station/name", "")  # empty: the host name
# The station's printers, one per role (``app.documents.roles``): a printer's name differs from
# PC to PC; "" = the system's default printer.
LABEL_PRINTER = Option("receiving/label_printer", "")
LABEL_STOCK = Option("print/label_stock", "")  # "60x40"; "" = the center's print.label_size
LABEL_DPI = Option("print/label_dpi", 203, choices=(203, 300))
# "zpl": the label printer takes ZPL raw (Zebra and compatible); "pdf": any printer, rendered.
LABEL_LANGUAGE = Option("print/label_language", "pdf", choices=("pdf", "zpl"))
WAYBILL_PRINTER = Option("print/waybill_printer", "")
WAYBILL_DPI = Option("print/waybill_dpi", 203, choices=(203, 300))
DOCUMENT_PRINTER = Option("print/document_printer", "")
PRINT_LABELS = Option("receiving/print_labels", True)  # False: labels wait for a preview
# What this station's scanner adds around every code (e.g. a symbology identifier "]C1"):
# every scan field strips them (``app.formats.strip_scanner_affixes``). "" = nothing.
SCANNER_PREFIX = Option("scanner/prefix", "")
SCANNER_SUFFIX = Option("scanner/suffix", "")
# The scan sounds' volume in percent (``ui.widgets.sounds``): 0 = off.
SOUND_VOLUME = Option("feedback/sound_volume", 60, choices=(0, 30, 60, 100))


def tab_of_user(username: str) -> str:
    """The tab ``username`` left the window on at this station ("" if never)."""
    try:
        tabs = json.loads(MAIN_WINDOW_TABS.get() or "{}")
    except ValueError:
        return ""
    value = tabs.get(username, "") if isinstance(tabs, dict) else ""
    return value if isinstance(value, str) else ""


def set_tab_of_user(username: str, tab: str) -> None:
    try:
        tabs = json.loads(MAIN_WINDOW_TABS.get() or "{}")
    except ValueError:
        tabs = {}
    if not isinstance(tabs, dict):
        tabs = {}
    tabs[username] = tab
    MAIN_WINDOW_TABS.set(json.dumps(tabs, ensure_ascii=False, sort_keys=True))


def snapshot() -> dict[str, object]:
    """Every declared setting's value, for the support archive (window geometry left out)."""
    return {
        option.key: option.get()
        for option in REGISTRY.values()
        if not isinstance(option.default, QByteArray)
    }
