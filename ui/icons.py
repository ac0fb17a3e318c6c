"""One accessor for icons: the SVG sources in ``resources/icons``, loaded once."""

from __future__ import annotations

from functools import cache

from PySide6.QtGui import QIcon

from resources import ICONS_DIR


@cache
def icon(name: str) -> QIcon:
    return QIcon(str(ICONS_DIR / f"{name}.svg"))


def app_icon() -> QIcon:
    return icon("repairfloor")
