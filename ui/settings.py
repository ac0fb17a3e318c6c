"""Per-station UI settings (language, window geometry), each declared once with its default.

Center-wide settings live in the database (``app.models.Setting``); these belong to one PC.
With ``$REPAIRFLOOR_DATA_DIR`` set (tests, portable installs) they are an INI file there.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Generic, TypeVar

from PySide6.QtCore import QByteArray, QSettings

from app.config import APP_NAME, DATA_DIR_ENV_VAR, data_dir

ORGANISATION = "RepairFloor"
T = TypeVar("T", str, int, bool, QByteArray)


def qsettings() -> QSettings:
    if os.environ.get(DATA_DIR_ENV_VAR):
        return QSettings(str(data_dir() / "ui-settings.ini"), QSettings.Format.IniFormat)
    return QSettings(ORGANISATION, APP_NAME)


@dataclass(frozen=True)
class Option(Generic[T]):
    key: str
    default: T

    def get(self) -> T:
        value = qsettings().value(self.key, self.default)
        if isinstance(self.default, bool):
            return (value in (True, "true", "1", 1)) if value is not None else self.default  # type: ignore[return-value]
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


LANGUAGE = Option("ui/language", "zh_CN")  # zh_CN or en
MAIN_WINDOW_GEOMETRY = Option("main_window/geometry", QByteArray())
MAIN_WINDOW_STATE = Option("main_window/state", QByteArray())
MAIN_WINDOW_TAB = Option("main_window/current_tab", "")
LAST_USERNAME = Option("login/last_username", "")
